// Issue 16 item 3, the two ends of an enrollment on the chain outside the ledger: what the
// manager owes (membership_duties: enrollments of current joined members, revocations of
// departed ones past their boundary), and the joined node's checks on the member key it opens
// from its kind-25 enrollment (node/member_enrollment.h) with real BBS04 keys.
#include <gtest/gtest.h>

#include <algorithm>

#include "chain/consensus_parameters.h"
#include "chain/enrollment_box.h"
#include "client/manager_enrollment.h"
#include "common/check.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/issuer.h"
#include "node/member_enrollment.h"

namespace hc {
namespace {

chain::ConsortiumMember joined(std::uint32_t id, const std::string& name, bool with_key = true) {
  chain::ConsortiumMember m;
  m.id = id;
  m.name = name;
  m.joined_height = 10 + id;
  if (with_key) m.enrollment_key = crypto::P256Point::base_mul(crypto::P256Scalar::from_u64(100 + id)).encode();
  return m;
}

// A registry holding `names` (kept sorted by name, as the issuer keeps it).
groupsig::Registry registry_of(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  groupsig::Registry r;
  for (const std::string& n : names) r.entries.push_back(groupsig::RegistryEntry{n, groupsig::G1::generator()});
  return r;
}

TEST(MembershipDutiesTest, EnrollsCurrentJoinedMembersAndRevokesDepartedOnesPastTheirBoundary) {
  client::VerifiedMembership m;
  m.current = {0, 1, 2, 4, 5, 6};
  m.joined = {joined(4, "east"), joined(5, "west"), joined(6, "north", false), joined(7, "south"), joined(8, "gone")};
  m.departed = {{3, 40}, {7, 60}, {8, 80}};
  const groupsig::Registry reg = registry_of({"alpha", "east", "south", "gone"});
  const std::uint64_t tip = chain::membership_change_boundary(60) + 1;  // past 7's boundary, not 8's
  ASSERT_LT(tip, chain::membership_change_boundary(80) + 1);
  const client::MembershipDuties d = client::membership_duties(m, reg, tip);
  // west (not in the registry) and north (no key: the caller says so) are owed an enrollment.
  ASSERT_EQ(d.enrollments_owed.size(), 2u);
  EXPECT_EQ(d.enrollments_owed[0].name, "west");
  EXPECT_EQ(d.enrollments_owed[1].name, "north");
  // south left past its boundary and is still in the group; gone left too recently.
  ASSERT_EQ(d.revocations_owed.size(), 1u);
  EXPECT_EQ(d.revocations_owed[0].name, "south");
  EXPECT_EQ(d.departures_before_boundary, std::vector<std::uint32_t>{8});
  // Genesis hospital 3 has no name on the chain.
  EXPECT_EQ(d.departed_unnamed, std::vector<std::uint32_t>{3});

  // Idempotent: once west is enrolled and south revoked, only what is still owed remains.
  const client::MembershipDuties after =
      client::membership_duties(m, registry_of({"alpha", "east", "west", "gone"}), tip);
  ASSERT_EQ(after.enrollments_owed.size(), 1u);
  EXPECT_EQ(after.enrollments_owed[0].name, "north");
  EXPECT_TRUE(after.revocations_owed.empty());
}

class MemberKeyPickupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto key = groupsig::enroll(setup.issuer, setup.gpk, setup.registry, "east");
    ASSERT_TRUE(key.ok()) << key.status().to_string();
    member = std::make_unique<groupsig::MemberKey>(std::move(key).value());
    who = node::EnrollmentRecipient{4, "east", groupsig::encode_gpk(setup.gpk)};
  }
  // The enrollment the manager posts: `key` boxed to `recipient` with the registry `entries`.
  chain::EnrollmentTx enrollment_of(const groupsig::MemberKey& key, const groupsig::Registry& entries) const {
    chain::EnrollmentTx e;
    e.member_name = key.name;
    e.registry_entry = groupsig::encode_registry(entries);
    e.boxed = chain::BoxedMemberKey{chain_id, 4, key.gpk.epoch, crypto::P256Point::base_mul(secret).encode(), {}};
    HC_CHECK(chain::seal_member_key(e, groupsig::encode_member_key(key).span()).ok());
    return e;
  }
  groupsig::Registry only(const std::string& name) const {
    groupsig::Registry r;
    r.entries.push_back(*groupsig::find_member(setup.registry, name));
    return r;
  }

  groupsig::GroupSetup setup = groupsig::setup();
  std::unique_ptr<groupsig::MemberKey> member;
  node::EnrollmentRecipient who;
  crypto::P256Scalar secret = crypto::P256Scalar::random_nonzero();
  chain::Digest chain_id = chain::sha256(as_bytes("chain"));
};

TEST_F(MemberKeyPickupTest, OpensAndChecksItsOwnKey) {
  const chain::EnrollmentTx e = enrollment_of(*member, only("east"));
  EXPECT_TRUE(node::is_enrollment_for(e, 4));
  EXPECT_FALSE(node::is_enrollment_for(e, 5));
  auto opened = node::open_enrolled_member_key(e, who, secret);
  ASSERT_TRUE(opened.ok()) << opened.status().to_string();
  EXPECT_EQ(opened->name, "east");
  EXPECT_TRUE(opened->a == member->a);
  EXPECT_TRUE(opened->x == member->x);
}

TEST_F(MemberKeyPickupTest, RefusesAnotherMembersBoxAForeignGroupOrAMismatchedEntry) {
  // Another hospital's enrollment (member 5) is not opened.
  chain::EnrollmentTx other = enrollment_of(*member, only("east"));
  other.boxed->member_id = 5;
  EXPECT_EQ(node::open_enrolled_member_key(other, who, secret).status().code(), ErrorCode::kInvalidInput);
  // A box to this key that does not open with another secret.
  EXPECT_EQ(node::open_enrolled_member_key(enrollment_of(*member, only("east")), who,
                                           crypto::P256Scalar::random_nonzero())
                .status()
                .code(),
            ErrorCode::kAuthFailed);
  // A registry entry that is another member's.
  auto west = groupsig::enroll(setup.issuer, setup.gpk, setup.registry, "west");
  ASSERT_TRUE(west.ok());
  groupsig::Registry wrong = only("west");
  wrong.entries[0].name = "east";
  EXPECT_NE(node::open_enrolled_member_key(enrollment_of(*member, wrong), who, secret).status().message().find(
                "registry entry"),
            std::string::npos);
  // A key of another group (another genesis).
  groupsig::GroupSetup foreign = groupsig::setup();
  auto stranger = groupsig::enroll(foreign.issuer, foreign.gpk, foreign.registry, "east");
  ASSERT_TRUE(stranger.ok());
  groupsig::Registry stranger_entry;
  stranger_entry.entries.push_back(*groupsig::find_member(foreign.registry, "east"));
  EXPECT_NE(node::open_enrolled_member_key(enrollment_of(*stranger, stranger_entry), who, secret)
                .status()
                .message()
                .find("another group public key"),
            std::string::npos);
  // A key made for another name, boxed under this member's name.
  chain::EnrollmentTx renamed = enrollment_of(*west, only("west"));
  EXPECT_FALSE(node::open_enrolled_member_key(renamed, who, secret).ok());
}

}  // namespace
}  // namespace hc

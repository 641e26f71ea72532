// Revocation (BBS04 section 7): records, key updates, epochs; the group directory's current
// issuance as enrollments and revocations read it.
#include <array>
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

#include "common/file_io.h"
#include "crypto/groupsig/digest.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/issuer.h"
#include "crypto/groupsig/opening.h"
#include "crypto/groupsig/revocation.h"
#include "crypto/groupsig/sign.h"
#include "crypto/groupsig/store.h"
#include "crypto/groupsig/verify.h"
#include "group_fixture.h"

namespace hc::groupsig {
namespace {

using testing::bytes_of;
using testing::make_group;
using testing::member_name;

struct Revoked {
  testing::TestGroup g;
  Revocation rev;
};

Revoked revoke_first(std::size_t members) {
  Revoked r{make_group(members), {}};
  Result<Revocation> rev = revoke(r.g.setup.issuer, r.g.setup.gpk, r.g.setup.registry, member_name(0));
  EXPECT_TRUE(rev.ok()) << rev.status().to_string();
  if (rev.ok()) r.rev = rev.value();
  return r;
}

TEST(Revocation, RecordChecksAgainstOldKeyAndDerivesNewKey) {
  Revoked r = revoke_first(3);
  const GroupPublicKey& old_gpk = r.g.setup.gpk;
  const RevocationRecord& rec = r.rev.record;
  EXPECT_EQ(rec.new_epoch, 1u);
  EXPECT_EQ(rec.member, member_name(0));
  EXPECT_TRUE(check_revocation(old_gpk, rec).ok());
  Result<GroupPublicKey> next = next_gpk(old_gpk, rec);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(encode_gpk(next.value()), encode_gpk(r.rev.gpk));
  // g1' = A*, and (g1', g2') = (g1, g2)^(1/(gamma + x*)): e(g1', g2) = e(g1, g2').
  EXPECT_TRUE(next->g1 == rec.a_star);
  EXPECT_TRUE(bls12_381::pairing(next->g1, old_gpk.g2) == bls12_381::pairing(old_gpk.g1, next->g2));
  // w' = g2'^gamma and h, u, v unchanged.
  EXPECT_TRUE(next->w == next->g2.mul_secret(r.g.setup.issuer.gamma));
  EXPECT_TRUE(next->h == old_gpk.h && next->u == old_gpk.u && next->v == old_gpk.v);
  EXPECT_TRUE(check_issuer_matches(r.g.setup.issuer, next.value()).ok());
  EXPECT_TRUE(check_opener_matches(r.g.setup.opener, next.value()).ok());
  // The record survives its encoding.
  Result<RevocationRecord> decoded = decode_revocation(encode_revocation(rec));
  ASSERT_TRUE(decoded.ok());
  EXPECT_TRUE(check_revocation(old_gpk, decoded.value()).ok());
}

TEST(Revocation, ForgedRecordsAreRejected) {
  Revoked r = revoke_first(2);
  const GroupPublicKey& old_gpk = r.g.setup.gpk;
  RevocationRecord bad = r.rev.record;
  bad.x_star = bad.x_star + Fr::one();
  EXPECT_EQ(check_revocation(old_gpk, bad).code(), ErrorCode::kAuthFailed);
  bad = r.rev.record;
  bad.g2_new = bad.g2_new + G2::generator();
  EXPECT_EQ(check_revocation(old_gpk, bad).code(), ErrorCode::kAuthFailed);
  bad = r.rev.record;
  bad.a_star = bad.a_star + G1::generator();
  EXPECT_EQ(check_revocation(old_gpk, bad).code(), ErrorCode::kAuthFailed);
  bad = r.rev.record;
  bad.new_epoch = 2;
  EXPECT_EQ(check_revocation(old_gpk, bad).code(), ErrorCode::kInvalidInput);
  bad = r.rev.record;
  bad.old_gpk_digest[0] ^= 1;
  EXPECT_EQ(check_revocation(old_gpk, bad).code(), ErrorCode::kInvalidInput);
  // Publishing a made-up g2' (not g2^(1/(gamma + x*))) is caught by the second equation.
  bad = r.rev.record;
  bad.g2_new = old_gpk.g2.mul_public(Fr::from_u64(7));
  EXPECT_EQ(check_revocation(old_gpk, bad).code(), ErrorCode::kAuthFailed);
}

TEST(Revocation, MembersUpdateRevokedMemberCannot) {
  Revoked r = revoke_first(3);
  const RevocationRecord& rec = r.rev.record;
  PreparedGroupKey new_key(r.rev.gpk);
  PreparedGroupKey old_key(r.g.setup.gpk);
  Bytes msg = bytes_of("after revocation");

  // The revoked member cannot update, and what it signs with its old key fails in epoch 1
  // (relabelled with the new key or not).
  EXPECT_EQ(update_member_key(r.g.members[0], rec).status().code(), ErrorCode::kAuthFailed);
  Signature stale = sign(r.g.members[0], msg);
  EXPECT_FALSE(verify(new_key, msg, stale).ok());
  MemberKey relabelled = r.g.members[0];
  relabelled.gpk = r.rev.gpk;
  EXPECT_EQ(verify(new_key, msg, sign(relabelled, msg)).code(), ErrorCode::kAuthFailed);
  EXPECT_FALSE(check_member_key(relabelled).ok());

  for (std::size_t i = 1; i < r.g.members.size(); ++i) {
    Result<MemberKey> updated = update_member_key(r.g.members[i], rec);
    ASSERT_TRUE(updated.ok()) << updated.status().to_string();
    EXPECT_EQ(updated->gpk.epoch, 1u);
    EXPECT_TRUE(check_member_key(updated.value()).ok());
    // The member's own update equals the issuer's registry update.
    const RegistryEntry* entry = find_member(r.rev.registry, member_name(i));
    ASSERT_NE(entry, nullptr);
    EXPECT_TRUE(entry->a == updated->a);
    Signature sig = sign(updated.value(), msg);
    EXPECT_EQ(sig.epoch, 1u);
    EXPECT_TRUE(verify(new_key, msg, sig).ok());
    EXPECT_FALSE(verify(old_key, msg, sig).ok());
    Result<Opening> o = open(new_key, r.g.setup.opener, r.rev.registry, msg, sig);
    ASSERT_TRUE(o.ok());
    EXPECT_EQ(o->member, member_name(i));
    EXPECT_TRUE(judge(new_key, r.rev.registry, msg, sig, o->proof, o->member).ok());
  }
  EXPECT_EQ(find_member(r.rev.registry, member_name(0)), nullptr);
  EXPECT_TRUE(check_registry_update(r.g.setup.gpk, r.g.setup.registry, rec, r.rev.registry).ok());
  Registry tampered = r.rev.registry;
  tampered.entries[0].a = tampered.entries[0].a + G1::generator();
  EXPECT_EQ(check_registry_update(r.g.setup.gpk, r.g.setup.registry, rec, tampered).code(),
            ErrorCode::kAuthFailed);
  Registry missing = r.rev.registry;
  missing.entries.pop_back();
  EXPECT_EQ(check_registry_update(r.g.setup.gpk, r.g.setup.registry, rec, missing).code(),
            ErrorCode::kInvalidInput);
  EXPECT_EQ(check_registry_update(r.g.setup.gpk, r.rev.registry, rec, r.rev.registry).code(),
            ErrorCode::kInvalidInput);  // the old registry must be epoch 0's
}

TEST(Revocation, OldEpochSignaturesStillVerifyWithOldKey) {
  testing::TestGroup g = make_group(2);
  Bytes msg = bytes_of("signed in epoch 0");
  Signature before0 = sign(g.members[0], msg);
  Signature before1 = sign(g.members[1], msg);
  Result<Revocation> rev = revoke(g.setup.issuer, g.setup.gpk, g.setup.registry, member_name(0));
  ASSERT_TRUE(rev.ok());
  PreparedGroupKey old_key(g.setup.gpk);
  EXPECT_TRUE(verify(old_key, msg, before0).ok());
  EXPECT_TRUE(verify(old_key, msg, before1).ok());
  EXPECT_EQ(verify(PreparedGroupKey(rev->gpk), msg, before0).code(), ErrorCode::kInvalidInput);
  // The old registry still opens the old signature.
  Result<Opening> o = open(old_key, g.setup.opener, g.setup.registry, msg, before0);
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->member, member_name(0));
}

TEST(Revocation, TwoRevocationsInARow) {
  testing::TestGroup g = make_group(4);
  IssuerKey& issuer = g.setup.issuer;
  Result<Revocation> r1 = revoke(issuer, g.setup.gpk, g.setup.registry, member_name(1));
  ASSERT_TRUE(r1.ok());
  Result<Revocation> r2 = revoke(issuer, r1->gpk, r1->registry, member_name(2));
  ASSERT_TRUE(r2.ok());
  EXPECT_EQ(r2->gpk.epoch, 2u);
  EXPECT_EQ(r2->registry.entries.size(), 2u);
  // A record applies only to its own epoch, in order.
  EXPECT_EQ(check_revocation(g.setup.gpk, r2->record).code(), ErrorCode::kInvalidInput);
  // Revoking again, or revoking someone unknown, is refused.
  EXPECT_EQ(revoke(issuer, r2->gpk, r2->registry, member_name(1)).status().code(),
            ErrorCode::kNotFound);
  Bytes msg = bytes_of("epoch 2");
  PreparedGroupKey key2(r2->gpk);
  for (std::size_t i : {0u, 3u}) {
    Result<MemberKey> k1 = update_member_key(g.members[i], r1->record);
    ASSERT_TRUE(k1.ok());
    EXPECT_FALSE(update_member_key(g.members[i], r2->record).ok());  // skipping an epoch
    Result<MemberKey> k2 = update_member_key(k1.value(), r2->record);
    ASSERT_TRUE(k2.ok()) << k2.status().to_string();
    EXPECT_TRUE(verify(key2, msg, sign(k2.value(), msg)).ok());
  }
  // Member 2 updated through epoch 1 but is revoked by the second record.
  Result<MemberKey> k2_of_2 = update_member_key(g.members[2], r1->record);
  ASSERT_TRUE(k2_of_2.ok());
  EXPECT_EQ(update_member_key(k2_of_2.value(), r2->record).status().code(), ErrorCode::kAuthFailed);
  // A member enrolled in epoch 2 signs in epoch 2.
  Registry reg2 = r2->registry;
  Result<MemberKey> late = enroll(issuer, r2->gpk, reg2, "late-joiner");
  ASSERT_TRUE(late.ok());
  EXPECT_TRUE(check_member_key(late.value()).ok());
  EXPECT_TRUE(verify(key2, msg, sign(late.value(), msg)).ok());
  // Names are never reused.
  EXPECT_EQ(enroll(issuer, r2->gpk, reg2, member_name(1)).status().code(), ErrorCode::kAlreadyExists);
}

// The one reading of a group directory that enrollments and revocations share
// (load_current_issuance, store.h): the current epoch's issuer key, key and registry, and
// after a published revocation the new epoch's; a wrong passphrase and an epoch's files that
// name another epoch are refused.
TEST(GroupDirectory, CurrentIssuanceFollowsThePublishedEpoch) {
  const std::filesystem::path root =
      std::filesystem::temp_directory_path() / ("hc-issuance-test-" + std::to_string(::getpid()));
  std::filesystem::remove_all(root);
  testing::TestGroup g = make_group(2);
  const std::string pass = "issuer passphrase";
  GroupDir dir(root);
  ASSERT_TRUE(
      dir.create(g.setup.gpk, g.setup.registry, g.setup.issuer, g.setup.opener, bytes_of(pass), {10, 8, 1}).ok());

  Result<CurrentIssuance> first = load_current_issuance(dir, bytes_of(pass));
  ASSERT_TRUE(first.ok()) << first.status().to_string();
  EXPECT_EQ(first->epoch, 0u);
  EXPECT_EQ(encode_gpk(first->gpk), encode_gpk(g.setup.gpk));
  EXPECT_EQ(encode_registry(first->registry), encode_registry(g.setup.registry));
  EXPECT_TRUE(first->issuer.gamma == g.setup.issuer.gamma);
  EXPECT_EQ(load_current_issuance(dir, bytes_of("another passphrase")).status().code(), ErrorCode::kAuthFailed);

  Result<Revocation> rev = revoke(first->issuer, first->gpk, first->registry, member_name(0));
  ASSERT_TRUE(rev.ok()) << rev.status().to_string();
  ASSERT_TRUE(dir.publish_epoch(rev->gpk, rev->registry, &rev->record).ok());
  Result<CurrentIssuance> next = load_current_issuance(dir, bytes_of(pass));
  ASSERT_TRUE(next.ok()) << next.status().to_string();
  EXPECT_EQ(next->epoch, 1u);
  EXPECT_EQ(encode_gpk(next->gpk), encode_gpk(rev->gpk));
  EXPECT_EQ(next->registry.entries.size(), 1u);

  // Epoch 0's key copied into epoch 1: not of the current epoch.
  Result<Bytes> old_key = read_file(dir.gpk(0), 1 << 16);
  ASSERT_TRUE(old_key.ok());
  ASSERT_TRUE(write_file_atomic(dir.gpk(1), *old_key).ok());
  Status mixed = load_current_issuance(dir, bytes_of(pass)).status();
  EXPECT_EQ(mixed.code(), ErrorCode::kCorrupt) << mixed.to_string();
  EXPECT_NE(mixed.message().find("not of the current epoch 1"), std::string::npos) << mixed.message();
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace hc::groupsig

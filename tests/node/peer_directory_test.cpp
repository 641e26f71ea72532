// The peer directory (node/peer_directory.h): genesis replicas, joined members and the member
// ids in force turned into the transport's peer links, with one dialer per pair.
#include "node/peer_directory.h"

#include <gtest/gtest.h>

#include <map>

#include "chain/test_chain.h"
#include "chain/trustee_state.h"
#include "node/seeded_members.h"

namespace hc::node {
namespace {

using testing::joined_member;
using testing::record_accepted_join;
using testing::seeded_replica_key;

chain::Ed25519PublicKey raw(const crypto::Ed25519PublicKey& key) { return key.bytes(); }

// Four genesis replicas 0..3 at 127.0.0.1:7000+id, joined members 4 and 5 (keys seeded by id).
struct Consortium {
  std::vector<chain::ReplicaInfo> genesis;
  std::vector<chain::ConsortiumMember> joined;
  std::vector<PeerConfig> genesis_addresses;
  Consortium() {
    for (std::uint32_t id = 0; id < 4; ++id) {
      genesis.push_back({id, raw(seeded_replica_key(static_cast<std::uint8_t>(id + 1))), ""});
      genesis_addresses.push_back({id, "127.0.0.1", static_cast<std::uint16_t>(7000 + id),
                                   seeded_replica_key(static_cast<std::uint8_t>(id + 1))});
    }
    for (std::uint32_t id = 4; id < 6; ++id) {
      joined.push_back(joined_member(id, seeded_replica_key(static_cast<std::uint8_t>(id + 1)),
                                     "hospital-" + std::to_string(id), "127.0.0.1:" + std::to_string(8000 + id),
                                     10 * id));
    }
  }
  PeerDirectoryInputs inputs(std::uint32_t self, std::vector<std::uint32_t> members,
                             std::vector<PeerConfig> addresses) const {
    return {self, genesis, joined, std::move(members), std::move(addresses)};
  }
};

PeerConfig address_of(std::uint32_t id) {
  return {id, "10.0.0." + std::to_string(id), 7100, seeded_replica_key(static_cast<std::uint8_t>(id + 1))};
}

std::map<std::uint32_t, net::PeerDial> dials(const PeerDirectory& d) {
  std::map<std::uint32_t, net::PeerDial> out;
  for (const auto& link : d.links) out[link.endpoint.id] = link.dial;
  return out;
}

TEST(PeerDirectoryTest, GenesisReplicasDialUpwardAsTheTransportAlwaysDid) {
  Consortium c;
  auto d = build_peer_directory(c.inputs(1, {0, 1, 2, 3}, c.genesis_addresses));
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_TRUE(d->self_is_member);
  EXPECT_TRUE(d->unreachable.empty());
  ASSERT_EQ(d->links.size(), 3u);
  EXPECT_EQ(dials(*d), (std::map<std::uint32_t, net::PeerDial>{
                           {0, net::PeerDial::kAwait}, {2, net::PeerDial::kDial}, {3, net::PeerDial::kDial}}));
  EXPECT_EQ(d->links[1].endpoint.host, "127.0.0.1");
  EXPECT_EQ(d->links[1].endpoint.port, 7002);
  EXPECT_EQ(d->links[1].endpoint.key, seeded_replica_key(3));
}

// An existing member does not know a joined hospital's peer address (the join request has
// none): it awaits the joiner's connection, with the key the chain recorded.
TEST(PeerDirectoryTest, AMemberAwaitsAJoinedHospitalByItsChainKey) {
  Consortium c;
  auto d = build_peer_directory(c.inputs(2, {0, 1, 2, 3, 4}, c.genesis_addresses));
  ASSERT_TRUE(d.ok()) << d.status().message();
  ASSERT_EQ(d->links.size(), 4u);
  const net::PeerLink& joiner = d->links.back();
  EXPECT_EQ(joiner.endpoint.id, 4u);
  EXPECT_EQ(joiner.dial, net::PeerDial::kAwait);
  EXPECT_TRUE(joiner.endpoint.host.empty());
  EXPECT_EQ(joiner.endpoint.port, 0);
  EXPECT_EQ(joiner.endpoint.key, seeded_replica_key(5));
  EXPECT_TRUE(d->unreachable.empty());
}

TEST(PeerDirectoryTest, AJoinedHospitalDialsEveryEarlierMember) {
  Consortium c;
  std::vector<PeerConfig> addresses = c.genesis_addresses;
  addresses.push_back(address_of(4));
  auto d = build_peer_directory(c.inputs(5, {0, 1, 2, 3, 4, 5}, addresses));
  ASSERT_TRUE(d.ok()) << d.status().message();
  ASSERT_EQ(d->links.size(), 5u);
  for (const auto& link : d->links) EXPECT_EQ(link.dial, net::PeerDial::kDial) << link.endpoint.id;
  EXPECT_EQ(d->links[4].endpoint.host, "10.0.0.4");
  EXPECT_TRUE(d->unreachable.empty());
}

// An earlier joiner that named its peer address in its join request is dialled at that address
// when the later joiner's configuration has none for it; a configured address wins.
TEST(PeerDirectoryTest, ALaterJoinerDialsAnEarlierOneAtItsAddressOnTheChain) {
  Consortium c;
  c.joined[0].peer_address = "10.9.9.4:7104";
  auto from_chain = build_peer_directory(c.inputs(5, {0, 1, 2, 3, 4, 5}, c.genesis_addresses));
  ASSERT_TRUE(from_chain.ok()) << from_chain.status().message();
  ASSERT_EQ(from_chain->links.size(), 5u);
  EXPECT_EQ(from_chain->links[4].endpoint.host, "10.9.9.4");
  EXPECT_EQ(from_chain->links[4].endpoint.port, 7104);
  EXPECT_EQ(from_chain->links[4].dial, net::PeerDial::kDial);
  EXPECT_TRUE(from_chain->unreachable.empty());

  std::vector<PeerConfig> addresses = c.genesis_addresses;
  addresses.push_back(address_of(4));
  auto configured = build_peer_directory(c.inputs(5, {0, 1, 2, 3, 4, 5}, addresses));
  ASSERT_TRUE(configured.ok());
  EXPECT_EQ(configured->links[4].endpoint.host, "10.0.0.4");

  // The member that named it awaits the later joiner, as before.
  auto earlier = build_peer_directory(c.inputs(4, {0, 1, 2, 3, 4, 5}, c.genesis_addresses));
  ASSERT_TRUE(earlier.ok());
  EXPECT_EQ(dials(*earlier).at(5), net::PeerDial::kAwait);

  // A record holding a malformed address (the ledger never commits one) is refused, not dialled.
  c.joined[0].peer_address = "no-port";
  EXPECT_FALSE(build_peer_directory(c.inputs(5, {0, 1, 2, 3, 4, 5}, c.genesis_addresses)).ok());
}

// A joiner whose configuration lacks an earlier joined member's address cannot dial it: still
// a peer (awaited), and named for a warning.
TEST(PeerDirectoryTest, AMissingAddressToDialIsReportedNotDropped) {
  Consortium c;
  auto d = build_peer_directory(c.inputs(5, {0, 1, 2, 3, 4, 5}, c.genesis_addresses));
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(d->unreachable, (std::vector<std::uint32_t>{4}));
  EXPECT_EQ(dials(*d).at(4), net::PeerDial::kAwait);
  EXPECT_EQ(dials(*d).at(0), net::PeerDial::kDial);
}

// Whatever the mix of genesis and joined members, exactly one end of every pair dials, when
// every dialer knows its peer's address.
TEST(PeerDirectoryTest, ExactlyOneEndOfEveryPairDials) {
  Consortium c;
  std::vector<PeerConfig> addresses = c.genesis_addresses;
  addresses.push_back(address_of(4));
  addresses.push_back(address_of(5));
  const std::vector<std::uint32_t> members = {0, 1, 2, 3, 4, 5};
  std::map<std::uint32_t, std::map<std::uint32_t, net::PeerDial>> view;
  for (std::uint32_t self : members) {
    auto d = build_peer_directory(c.inputs(self, members, addresses));
    ASSERT_TRUE(d.ok()) << d.status().message();
    view[self] = dials(*d);
  }
  for (std::uint32_t a : members) {
    for (std::uint32_t b : members) {
      if (a >= b) continue;
      const bool a_dials = view[a].at(b) == net::PeerDial::kDial;
      const bool b_dials = view[b].at(a) == net::PeerDial::kDial;
      EXPECT_NE(a_dials, b_dials) << a << " and " << b;
    }
  }
}

// An exit: the leaver is no longer linked; the leaver itself, out of the set, links to nobody.
TEST(PeerDirectoryTest, ALeaverIsUnlinkedAndLinksToNobody) {
  Consortium c;
  auto d = build_peer_directory(c.inputs(0, {0, 1, 3, 4}, c.genesis_addresses));
  ASSERT_TRUE(d.ok()) << d.status().message();
  EXPECT_EQ(dials(*d).count(2), 0u);
  EXPECT_EQ(d->links.size(), 3u);
  auto leaver = build_peer_directory(c.inputs(2, {0, 1, 3, 4}, c.genesis_addresses));
  ASSERT_TRUE(leaver.ok());
  EXPECT_FALSE(leaver->self_is_member);
  EXPECT_TRUE(leaver->links.empty());
}

TEST(PeerDirectoryTest, InconsistentInputsAreRefusedWithAReason) {
  Consortium c;
  auto unknown = build_peer_directory(c.inputs(0, {0, 1, 2, 3, 9}, c.genesis_addresses));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(unknown.status().message().find("member 9"), std::string::npos);

  EXPECT_EQ(build_peer_directory(c.inputs(0, {0, 1, 1, 2, 3}, c.genesis_addresses)).status().code(),
            ErrorCode::kInvalidInput);

  std::vector<PeerConfig> wrong_key = c.genesis_addresses;
  wrong_key[2].replica_key = seeded_replica_key(99);
  auto mismatch = build_peer_directory(c.inputs(0, {0, 1, 2, 3}, wrong_key));
  ASSERT_FALSE(mismatch.ok());
  EXPECT_NE(mismatch.status().message().find("peer 2"), std::string::npos);

  Consortium twice;
  twice.joined[0].id = 3;  // a joined member reusing a genesis id
  EXPECT_EQ(build_peer_directory(twice.inputs(0, {0, 1, 2, 3}, twice.genesis_addresses)).status().code(),
            ErrorCode::kInvalidInput);
}

// The inputs read from the committed state: a joined member's record comes from the ledger,
// and a leaver stays in force while the engine's configuration still has it.
TEST(PeerDirectoryTest, InputsAreReadFromTheLedgersMembershipAndTheEnginesConfiguration) {
  chain::testing::TestConsortium chain_consortium;  // genesis replicas 0..3
  chain::MemoryTrusteeView state(chain_consortium.genesis(), chain_consortium.genesis_hash());

  auto before = read_peer_directory_inputs(state, 0, {0, 1, 2, 3}, {});
  ASSERT_TRUE(before.ok()) << before.status().message();
  EXPECT_EQ(before->members, (std::vector<std::uint32_t>{0, 1, 2, 3}));
  EXPECT_TRUE(before->joined.empty());
  EXPECT_EQ(before->genesis_replicas.size(), 4u);

  const chain::ConsortiumMember joiner = joined_member(4, seeded_replica_key(42), "hospital-e", "10.0.0.5:8443", 12);
  record_accepted_join(state, joiner, {0, 1, 3, 4}, 2, 20);  // 4 joined, then 2 left (at height 20)

  // The engine still runs {0,1,2,3} (neither change has reached its boundary): 2 stays linked.
  auto during = read_peer_directory_inputs(state, 0, {0, 1, 2, 3}, {});
  ASSERT_TRUE(during.ok()) << during.status().message();
  EXPECT_EQ(during->members, (std::vector<std::uint32_t>{0, 1, 2, 3, 4}));
  ASSERT_EQ(during->joined.size(), 1u);
  EXPECT_EQ(during->joined[0].key, joiner.key);
  auto directory = build_peer_directory(*during);
  ASSERT_TRUE(directory.ok()) << directory.status().message();
  EXPECT_EQ(dials(*directory).size(), 4u);
  EXPECT_EQ(directory->links.back().endpoint.key, seeded_replica_key(42));

  auto after = read_peer_directory_inputs(state, 0, {0, 1, 3, 4}, {});
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->members, (std::vector<std::uint32_t>{0, 1, 3, 4}));

  // A member id the state has no record of.
  auto unknown = read_peer_directory_inputs(state, 0, {0, 1, 3, 4, 7}, {});
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), ErrorCode::kCorrupt);
}


// The stamp hc-node compares before recomputing its links: it moves with an accepted change and
// with the engine's configuration, and with nothing else the ledger writes.
TEST(PeerDirectoryTest, MembershipStampMovesOnlyWithAnAcceptedChangeOrTheConfiguration) {
  chain::testing::TestConsortium chain_consortium;  // genesis replicas 0..3
  chain::MemoryTrusteeView state(chain_consortium.genesis(), chain_consortium.genesis_hash());
  auto genesis = read_membership_stamp(state, 0);
  ASSERT_TRUE(genesis.ok()) << genesis.status().message();
  EXPECT_EQ(*genesis, (MembershipStamp{0, 0}));

  // An open proposal changes the head (its open list) but no member: same stamp.
  chain::ConsortiumHead open_only;
  open_only.members = {0, 1, 2, 3};
  open_only.next_replica_id = 4;
  open_only.open = {chain::Digest{}};
  state.apply({chain::consortium_head_entry(open_only)});
  EXPECT_EQ(*read_membership_stamp(state, 0), *genesis);

  record_accepted_join(state, joined_member(4, seeded_replica_key(42), "hospital-e", "10.0.0.5:8443", 12),
                       {0, 1, 2, 3, 4}, 1, 12);
  auto accepted = read_membership_stamp(state, 0);
  ASSERT_TRUE(accepted.ok());
  EXPECT_NE(*accepted, *genesis);
  EXPECT_EQ(accepted->changes_accepted, 1u);
  auto entered = read_membership_stamp(state, 1);  // the boundary: the engine enters configuration 1
  ASSERT_TRUE(entered.ok());
  EXPECT_NE(*entered, *accepted);
}

}  // namespace
}  // namespace hc::node

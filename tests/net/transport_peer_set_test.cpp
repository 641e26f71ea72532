// The transport's peer set changed at runtime (issue 16: hospitals join and leave;
// docs/network.md, "Changing the peer set"): a peer added while running connects and carries
// frames both ways, a removed peer's session is closed and its reconnections refused, keys
// outside the set are refused, and add/remove racing with traffic leaves a consistent set.
// Loopback only, every wait bounded (test::eventually).
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>

#include "net/loopback_node.h"
#include "net/transport.h"
#include "support/test_peer_link.h"

namespace hc::net {
namespace {

using Node = test::LoopbackNode;
using test::eventually;

PeerLink dialed(const Node& node) { return {node.endpoint(), PeerDial::kDial}; }
// The peer as a node that does not know its address sees it: id and key only.
PeerLink awaited(const Node& node) {
  PeerEndpoint e = node.endpoint();
  e.host.clear();
  e.port = 0;
  return {e, PeerDial::kAwait};
}

bool received_from(Node& node, std::uint32_t from, const Bytes& payload) {
  auto got = node.received();
  return std::any_of(got.begin(), got.end(), [&](const auto& item) { return item.first == from && item.second == payload; });
}

bool connected_to(Node& node, std::uint32_t peer) {
  auto ids = node.transport().connected_peers();
  return std::find(ids.begin(), ids.end(), peer) != ids.end();
}

// A hospital that joins (id 7, above every genesis id) knows the members' addresses and dials
// them; it starts before they have its key, so its first attempts are refused, and it gets
// through once each member adds it (without its address) at runtime.
TEST(TransportPeerSetTest, PeerAddedAtRuntimeConnectsAndExchangesFramesBothWays) {
  Node a(1, test::new_replica_key()), b(2, test::new_replica_key()), joiner(7, test::new_replica_key());
  a.start({a.endpoint(), b.endpoint()});
  b.start({a.endpoint(), b.endpoint()});
  ASSERT_TRUE(eventually([&] { return connected_to(a, 2) && connected_to(b, 1); }));

  joiner.start({});
  ASSERT_TRUE(joiner.transport().add_peer(dialed(a)).ok());
  ASSERT_TRUE(joiner.transport().add_peer(dialed(b)).ok());
  ASSERT_TRUE(eventually([&] { return a.transport().stats().handshake_failures > 0; }));  // not yet a peer
  EXPECT_TRUE(joiner.transport().connected_peers().empty());

  ASSERT_TRUE(a.transport().add_peer(awaited(joiner)).ok());
  ASSERT_TRUE(b.transport().add_peer(awaited(joiner)).ok());
  ASSERT_TRUE(eventually([&] { return joiner.transport().connected_peers().size() == 2 && connected_to(a, 7) &&
                                      connected_to(b, 7); }));
  EXPECT_EQ(a.transport().configured_peers(), (std::vector<std::uint32_t>{2, 7}));
  EXPECT_EQ(a.transport().stats().configured_peers, 2u);

  a.transport().send(7, Bytes{0xa7});
  joiner.transport().send(2, Bytes{0x72});
  joiner.transport().broadcast(Bytes{0x77});
  ASSERT_TRUE(eventually([&] {
    return received_from(joiner, 1, Bytes{0xa7}) && received_from(b, 7, Bytes{0x72}) &&
           received_from(a, 7, Bytes{0x77}) && received_from(b, 7, Bytes{0x77});
  }));
  // The members' own link is untouched.
  a.transport().send(2, Bytes{0x12});
  ASSERT_TRUE(eventually([&] { return received_from(b, 1, Bytes{0x12}); }));
}

// A peer that leaves: its session is closed at once, frames to it are not queued, and its
// redials (it dials us, as a joined member would) are refused for as long as it is out.
TEST(TransportPeerSetTest, RemovedPeerIsDisconnectedAndItsReconnectionsRefused) {
  TransportLimits fast;
  fast.reconnect_max_ms = 100;
  Node a(1, test::new_replica_key()), leaver(9, test::new_replica_key(), fast);
  a.start({});
  leaver.start({});
  ASSERT_TRUE(a.transport().add_peer(awaited(leaver)).ok());
  ASSERT_TRUE(leaver.transport().add_peer(dialed(a)).ok());
  ASSERT_TRUE(eventually([&] { return connected_to(a, 9) && connected_to(leaver, 1); }));

  ASSERT_TRUE(a.transport().remove_peer(9).ok());
  ASSERT_TRUE(eventually([&] { return a.transport().connected_peers().empty() && leaver.transport().connected_peers().empty(); }));
  EXPECT_EQ(a.transport().stats().peers_removed, 1u);
  EXPECT_TRUE(a.transport().configured_peers().empty());
  const auto link_down = std::pair<std::uint32_t, bool>(9, false);
  ASSERT_TRUE(eventually([&] { return !a.peer_events().empty() && a.peer_events().back() == link_down; }));
  const std::uint64_t refused_before = a.transport().stats().handshake_failures;
  ASSERT_TRUE(eventually([&] { return a.transport().stats().handshake_failures >= refused_before + 3; }));
  EXPECT_FALSE(connected_to(a, 9));
  EXPECT_TRUE(leaver.transport().connected_peers().empty());

  a.transport().send(9, Bytes{1});  // no peer 9: dropped, not queued
  leaver.transport().send(1, Bytes{2});
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(a.transport().stats().queued_messages, 0u);
  EXPECT_FALSE(received_from(a, 9, Bytes{2}));
  EXPECT_EQ(a.transport().remove_peer(9).code(), ErrorCode::kNotFound);
}

// Removing a peer drops the frames queued for it (the queue's gauges go back to zero).
TEST(TransportPeerSetTest, RemovingAPeerDropsItsQueue) {
  Node a(1, test::new_replica_key());
  PeerEndpoint nobody{2, "127.0.0.1", 1, test::new_replica_key().public_key()};  // nothing listens there
  a.start({a.endpoint(), nobody});
  for (std::uint8_t i = 0; i < 10; ++i) a.transport().send(2, Bytes(100, i));
  ASSERT_TRUE(eventually([&] { return a.transport().stats().queued_messages == 10; }));
  EXPECT_EQ(a.transport().stats().queued_bytes, 1000u);
  ASSERT_TRUE(a.transport().remove_peer(2).ok());
  ASSERT_TRUE(eventually([&] { return a.transport().stats().queued_messages == 0; }));
  EXPECT_EQ(a.transport().stats().queued_bytes, 0u);
}

// Keys outside the set: a node whose id is not configured, and one claiming a configured id
// with another key, are both refused; the configured peer still connects.
TEST(TransportPeerSetTest, ConnectionsFromKeysOutsideTheSetAreRefused) {
  Node a(1, test::new_replica_key()), member(5, test::new_replica_key());
  Node stranger(6, test::new_replica_key()), impostor(5, test::new_replica_key());
  a.start({});
  ASSERT_TRUE(a.transport().add_peer(awaited(member)).ok());
  stranger.start({});
  impostor.start({});
  member.start({});
  ASSERT_TRUE(stranger.transport().add_peer(dialed(a)).ok());
  ASSERT_TRUE(impostor.transport().add_peer(dialed(a)).ok());
  ASSERT_TRUE(member.transport().add_peer(dialed(a)).ok());
  ASSERT_TRUE(eventually([&] { return connected_to(a, 5) && a.transport().stats().handshake_failures >= 2; }));
  stranger.transport().send(1, Bytes{6});
  impostor.transport().send(1, Bytes{5, 5});
  member.transport().send(1, Bytes{5});
  ASSERT_TRUE(eventually([&] { return received_from(a, 5, Bytes{5}); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(a.received().size(), 1u);
  EXPECT_TRUE(stranger.transport().connected_peers().empty());
  EXPECT_TRUE(impostor.transport().connected_peers().empty());
}

// The same id added again with another key (never done by the chain, whose ids are never
// reused, but a caller's mistake must not keep the old key's session): the old session is
// closed and only the new key gets in.
TEST(TransportPeerSetTest, ReAddingAnIdWithAnotherKeyClosesTheOldKeysSession) {
  TransportLimits fast;
  fast.reconnect_max_ms = 100;
  Node a(1, test::new_replica_key()), old_holder(4, test::new_replica_key(), fast),
      new_holder(4, test::new_replica_key(), fast);
  a.start({});
  old_holder.start({});
  new_holder.start({});
  ASSERT_TRUE(a.transport().add_peer(awaited(old_holder)).ok());
  ASSERT_TRUE(old_holder.transport().add_peer(dialed(a)).ok());
  ASSERT_TRUE(eventually([&] { return connected_to(old_holder, 1); }));
  ASSERT_TRUE(a.transport().add_peer(awaited(new_holder)).ok());
  ASSERT_TRUE(new_holder.transport().add_peer(dialed(a)).ok());
  ASSERT_TRUE(eventually([&] { return connected_to(new_holder, 1) && connected_to(a, 4); }));
  const std::uint64_t refused_before = a.transport().stats().handshake_failures;
  ASSERT_TRUE(eventually([&] { return a.transport().stats().handshake_failures >= refused_before + 2; }));
  EXPECT_FALSE(connected_to(old_holder, 1));
  new_holder.transport().send(1, Bytes{4});
  ASSERT_TRUE(eventually([&] { return received_from(a, 4, Bytes{4}); }));
}

// A handshake under way when its peer is removed (its Hello already accepted, its Auth not yet
// sent) never becomes a session: the transport closes it, and would refuse its Auth or its
// attachment if it had not.
TEST(TransportPeerSetTest, AHandshakeUnderWayWhenItsPeerIsRemovedNeverBecomesASession) {
  Node a(1, test::new_replica_key());
  const crypto::Ed25519PrivateKey leaver_key = test::new_replica_key();
  a.start({});
  ASSERT_TRUE(a.transport().add_peer({{5, "", 0, leaver_key.public_key()}, PeerDial::kAwait}).ok());
  hc::test::TestPeerLink::Identity leaver{5, &leaver_key, test::kLoopbackNetwork, {{1, a.key().public_key()}}};
  bool removed_mid_handshake = false;
  auto link = hc::test::TestPeerLink::dial(a.port(), leaver, 1, [&] {
    removed_mid_handshake = a.transport().remove_peer(5).ok() &&
                            eventually([&] { return a.transport().stats().peers_removed == 1; });
  });
  EXPECT_TRUE(removed_mid_handshake);
  EXPECT_FALSE(link.ok());  // the transport closed the link instead of answering with its Auth
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_TRUE(a.transport().connected_peers().empty());
  EXPECT_EQ(a.transport().stats().handshake_failures, 1u);
}

TEST(TransportPeerSetTest, BadChangesAreRefusedWithoutEffect) {
  TransportLimits two;
  two.max_peers = 2;
  Node a(1, test::new_replica_key(), two);
  a.start({});
  const auto key = test::new_replica_key().public_key();
  EXPECT_EQ(a.transport().add_peer({{1, "127.0.0.1", 9, key}, PeerDial::kDial}).code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(a.transport().add_peer({{2, "", 0, key}, PeerDial::kDial}).code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(a.transport().add_peer({{2, "", 0, crypto::Ed25519PublicKey()}, PeerDial::kAwait}).code(),
            ErrorCode::kInvalidInput);
  EXPECT_EQ(a.transport().add_peer({{2, "127.0.0.1", 0, key}, PeerDial::kAwait}).code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(a.transport().add_peer({{2, "", 9, key}, PeerDial::kAwait}).code(), ErrorCode::kInvalidInput);
  EXPECT_TRUE(a.transport().add_peer({{2, "", 0, key}, PeerDial::kAwait}).ok());
  EXPECT_TRUE(a.transport().add_peer({{3, "", 0, key}, PeerDial::kAwait}).ok());
  EXPECT_EQ(a.transport().add_peer({{4, "", 0, key}, PeerDial::kAwait}).code(), ErrorCode::kTooLarge);
  EXPECT_TRUE(a.transport().add_peer({{3, "127.0.0.1", 1, key}, PeerDial::kAwait}).ok());  // an update
  EXPECT_EQ(a.transport().set_peers({{{5, "", 0, key}, PeerDial::kAwait}, {{5, "", 0, key}, PeerDial::kAwait}}).code(),
            ErrorCode::kInvalidInput);
  EXPECT_EQ(a.transport().configured_peers(), (std::vector<std::uint32_t>{2, 3}));
  EXPECT_TRUE(a.transport().set_peers({{{5, "", 0, key}, PeerDial::kAwait}}).ok());
  EXPECT_EQ(a.transport().configured_peers(), (std::vector<std::uint32_t>{5}));
  a.transport().stop();
  EXPECT_EQ(a.transport().add_peer({{6, "", 0, key}, PeerDial::kAwait}).code(), ErrorCode::kUnavailable);
}

// set_peers moves a running node from one set to another: the dropped peer's link closes,
// the kept one stays up, the new one connects.
TEST(TransportPeerSetTest, SetPeersReconcilesTheWholeSet) {
  Node a(1, test::new_replica_key()), kept(2, test::new_replica_key()), dropped(3, test::new_replica_key()),
      added(4, test::new_replica_key());
  a.start({a.endpoint(), kept.endpoint(), dropped.endpoint()});
  kept.start({a.endpoint(), kept.endpoint()});
  dropped.start({a.endpoint(), dropped.endpoint()});
  added.start({a.endpoint(), added.endpoint()});  // a has the lower id: a dials it once added
  ASSERT_TRUE(eventually([&] { return connected_to(a, 2) && connected_to(a, 3); }));
  const std::uint64_t dropped_before = kept.transport().stats().connections_dropped;
  ASSERT_TRUE(a.transport().set_peers({dialed(kept), dialed(added)}).ok());
  ASSERT_TRUE(eventually([&] { return connected_to(a, 4) && !connected_to(a, 3) && dropped.transport().connected_peers().empty(); }));
  EXPECT_TRUE(connected_to(a, 2));
  EXPECT_EQ(kept.transport().stats().connections_dropped, dropped_before);
  a.transport().send(4, Bytes{4});
  ASSERT_TRUE(eventually([&] { return received_from(added, 1, Bytes{4}); }));
}

// Adds and removals racing with traffic both ways (run under ASan/UBSan by scripts/test.sh):
// no crash or sanitizer report, every removal applied once, and after the last add the link
// comes back and carries frames.
TEST(TransportPeerSetTest, AddAndRemoveRacingWithTrafficEndsConsistent) {
  TransportLimits fast;
  fast.reconnect_initial_ms = 5;
  fast.reconnect_max_ms = 20;
  Node a(1, test::new_replica_key(), fast), b(2, test::new_replica_key(), fast);
  a.start({});
  b.start({});
  ASSERT_TRUE(a.transport().add_peer(dialed(b)).ok());
  ASSERT_TRUE(b.transport().add_peer(awaited(a)).ok());
  std::atomic<bool> stop{false};
  std::thread senders([&] {
    std::uint8_t i = 0;
    while (!stop) {
      a.transport().send(2, Bytes(64, i));
      b.transport().send(1, Bytes(64, i));
      b.transport().broadcast(Bytes{i++});
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
  });
  for (int round = 0; round < 60; ++round) {
    if (round % 2 == 0) {
      ASSERT_TRUE(a.transport().remove_peer(2).ok());
    } else {
      ASSERT_TRUE(a.transport().add_peer(dialed(b)).ok());
    }
    if (round % 3 == 0) {
      ASSERT_TRUE(b.transport().set_peers({awaited(a)}).ok());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(round % 5));
  }
  stop = true;
  senders.join();
  ASSERT_TRUE(a.transport().add_peer(dialed(b)).ok());  // the last word: 2 is in the set
  ASSERT_TRUE(eventually([&] { return connected_to(a, 2) && connected_to(b, 1); }));
  a.transport().send(2, Bytes{0xee});
  ASSERT_TRUE(eventually([&] { return received_from(b, 1, Bytes{0xee}); }));
  EXPECT_EQ(a.transport().configured_peers(), (std::vector<std::uint32_t>{2}));
  EXPECT_EQ(a.transport().stats().peers_removed, 30u);
}

}  // namespace
}  // namespace hc::net

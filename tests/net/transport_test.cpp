// Loopback tests of the transport: every wait is bounded (kDeadline), every node listens on
// 127.0.0.1 with a port picked by the kernel.
#include "net/transport.h"

#include <gtest/gtest.h>

#include <boost/asio.hpp>

#include <chrono>
#include <future>
#include <mutex>
#include <thread>

#include "net/descriptors.h"
#include "net/frame.h"
#include "net/loopback_node.h"

namespace hc::net {
namespace {

using Node = test::LoopbackNode;
using test::eventually;
crypto::Ed25519PrivateKey new_key() { return test::new_replica_key(); }

TEST(TransportTest, ThreeNodesExchangeMessagesInOrder) {
  Node a(1, new_key()), b(2, new_key()), c(3, new_key());
  std::vector<PeerEndpoint> all = {a.endpoint(), b.endpoint(), c.endpoint()};
  a.start(all);
  b.start(all);
  c.start(all);
  ASSERT_TRUE(eventually([&] { return a.transport().connected_peers().size() == 2 &&
                                      b.transport().connected_peers().size() == 2 &&
                                      c.transport().connected_peers().size() == 2; }));
  for (std::uint8_t i = 0; i < 50; ++i) a.transport().send(2, Bytes{i});
  c.transport().broadcast(Bytes{0xcc});
  ASSERT_TRUE(eventually([&] { return b.received().size() == 51 && a.received().size() == 1; }));
  std::uint8_t next = 0;
  for (auto& [from, payload] : b.received()) {
    if (from == 1) {
      EXPECT_EQ(payload, Bytes{next++});
    }
  }
  EXPECT_EQ(next, 50);
  EXPECT_EQ(a.received()[0], (std::pair<std::uint32_t, Bytes>{3, Bytes{0xcc}}));
}

// Issue 15, item 6: the peers' round-trip times come from the kernel's TCP estimate, one per
// established session, none for a peer that is not connected.
TEST(TransportTest, RoundTripsAreSampledForEstablishedSessionsOnly) {
  Node a(1, new_key());
  auto b = std::make_unique<Node>(2, new_key());
  PeerEndpoint absent{3, "127.0.0.1", 1, new_key().public_key()};  // nobody listens there
  a.start({a.endpoint(), b->endpoint(), absent});
  b->start({a.endpoint(), b->endpoint()});
  ASSERT_TRUE(eventually([&] { return a.transport().connected_peers().size() == 1; }));
  a.transport().send(2, Bytes{1, 2, 3});  // some traffic, so the kernel has measured a round trip
  ASSERT_TRUE(eventually([&] { return b->received().size() == 1; }));
  const std::vector<PeerRoundTrip> rtts = a.round_trips();
  ASSERT_EQ(rtts.size(), 1u);
  EXPECT_EQ(rtts[0].peer, 2u);
  EXPECT_GT(rtts[0].seconds, 0.0);
  EXPECT_LT(rtts[0].seconds, 1.0);  // loopback
  b.reset();  // its sockets close with it
  ASSERT_TRUE(eventually([&] { return a.transport().connected_peers().empty(); }));
  EXPECT_TRUE(a.round_trips().empty());
}

TEST(TransportTest, ImpostorWithWrongKeyIsRejected) {
  Node a(1, new_key()), b(2, new_key());
  Node impostor(2, new_key());  // claims id 2 with another key
  PeerEndpoint fake_b = impostor.endpoint();
  fake_b.key = b.endpoint().key;  // a expects b's real key at the impostor's port
  a.start({a.endpoint(), fake_b});
  impostor.start({a.endpoint(), impostor.endpoint()});
  ASSERT_TRUE(eventually([&] { return a.transport().stats().handshake_failures > 0; }));
  impostor.transport().send(1, Bytes{1, 2, 3});
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_TRUE(a.received().empty());
  EXPECT_TRUE(a.transport().connected_peers().empty());
}

TEST(TransportTest, OversizedFrameDropsTheConnection) {
  TransportLimits small;
  small.max_frame_bytes = 1024;
  Node a(1, new_key(), small), b(2, new_key());
  std::vector<PeerEndpoint> all = {a.endpoint(), b.endpoint()};
  a.start(all);
  b.start(all);
  ASSERT_TRUE(eventually([&] { return a.transport().connected_peers().size() == 1; }));
  b.transport().send(1, Bytes(4096, 1));  // b allows it, a's limit does not
  ASSERT_TRUE(eventually([&] { return a.transport().stats().connections_dropped >= 1; }));
  EXPECT_TRUE(a.received().empty());
  // a (the dialer) reconnects, and normal frames flow again.
  ASSERT_TRUE(eventually([&] { return a.transport().connected_peers().size() == 1; }));
  b.transport().send(1, Bytes{42});
  ASSERT_TRUE(eventually([&] { return a.received().size() == 1; }));
}

TEST(TransportTest, ReconnectsAfterPeerRestart) {
  auto key_b = new_key();
  Node a(1, new_key());
  auto b = std::make_unique<Node>(2, key_b);
  std::uint16_t b_port = b->port();
  std::vector<PeerEndpoint> all = {a.endpoint(), b->endpoint()};
  a.start(all);
  b->start(all);
  ASSERT_TRUE(eventually([&] { return a.transport().connected_peers().size() == 1; }));
  b.reset();  // b goes away
  ASSERT_TRUE(eventually([&] { return a.transport().connected_peers().empty(); }));
  // A new process of b on the same port with the same key.
  boost::asio::io_context io;
  auto work = boost::asio::make_work_guard(io);
  auto b2_owner = test::make_loopback_transport(io, 2, key_b);
  Transport& b2 = *b2_owner;
  ASSERT_TRUE(b2.listen("127.0.0.1", b_port).ok());
  std::mutex mu;
  std::vector<Bytes> got;
  b2.start(all, [&](std::uint32_t, Bytes p) {
    std::lock_guard<std::mutex> lock(mu);
    got.push_back(std::move(p));
  });
  std::thread t([&] { io.run(); });
  ASSERT_TRUE(eventually([&] { return a.transport().connected_peers().size() == 1; }));
  a.transport().send(2, Bytes{7});
  bool arrived = eventually([&] {
    std::lock_guard<std::mutex> lock(mu);
    return got.size() == 1;
  });
  b2.stop();
  work.reset();
  io.stop();
  t.join();
  EXPECT_TRUE(arrived);
}

TEST(TransportTest, SendQueueIsBounded) {
  TransportLimits limits;
  limits.max_queue_messages = 10;
  Node a(1, new_key(), limits);
  auto absent = new_key();
  a.start({a.endpoint(), PeerEndpoint{2, "127.0.0.1", 1, absent.public_key()}});  // nobody listens
  for (int i = 0; i < 100; ++i) a.transport().send(2, Bytes(100, 1));
  ASSERT_TRUE(eventually([&] { return a.transport().stats().frames_dropped_queue_full == 90; }));
}


// Regression (issue 12, item 3): an unauthenticated client that opens many connections and never
// says Hello used to hold one descriptor per connection until the handshake timed out, with no
// limit, so 60 sockets exhausted a node's descriptors. Now at most
// max_pending_handshakes_per_address of them are kept; the rest are closed at once.
TEST(TransportTest, SilentConnectionsFromOneAddressAreBounded) {
  TransportLimits limits;
  limits.handshake_timeout_ms = 20000;  // longer than the test: only the bound frees them
  Node a(1, new_key(), limits);
  a.start({a.endpoint()});
  boost::asio::io_context client_io;  // before `silent`, which it must outlive
  std::vector<std::unique_ptr<boost::asio::ip::tcp::socket>> silent;
  const std::size_t before = test::open_descriptors();
  constexpr std::size_t kSockets = 40;
  for (std::size_t i = 0; i < kSockets; ++i) {
    auto sock = std::make_unique<boost::asio::ip::tcp::socket>(client_io);
    boost::system::error_code ec;
    sock->connect({boost::asio::ip::make_address("127.0.0.1"), a.port()}, ec);
    ASSERT_FALSE(ec) << ec.message();
    silent.push_back(std::move(sock));
  }
  // The client sockets, the pending handshakes kept, and the client reactor's own descriptors.
  const std::size_t bound = kSockets + TransportLimits{}.max_pending_handshakes_per_address + test::kReactorDescriptors;
  // Give the acceptor time to take every connection off the backlog.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_LE(test::open_descriptors() - before, bound);
  EXPECT_GE(a.transport().stats().handshakes_refused, kSockets - TransportLimits{}.max_pending_handshakes_per_address);
}

// Regression (issue 12, item 3): when accept() failed (EMFILE: no descriptor left) the acceptor
// re-armed at once and spun a core until a descriptor came free. Now it backs off
// (accept_backoff_initial_ms, doubling to accept_backoff_max_ms).
TEST(TransportTest, AcceptBacksOffWhenDescriptorsRunOut) {
  Node a(1, new_key());
  a.start({a.endpoint()});
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  double cpu_used = 0;
  std::uint64_t accept_errors = 0;
  {
    test::DescriptorExhaustion exhausted(a.port());
    ASSERT_TRUE(exhausted.ready());
    const double cpu_before = test::process_cpu_ms();
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    cpu_used = test::process_cpu_ms() - cpu_before;
    accept_errors = a.transport().stats().accept_errors;
  }
  EXPECT_LT(cpu_used, 100.0) << "the acceptor spins on EMFILE";
  EXPECT_GE(accept_errors, 1u);
  EXPECT_LE(accept_errors, 12u);  // 100 ms doubling to 1 s: a handful per second, not thousands
}

}  // namespace
}  // namespace hc::net

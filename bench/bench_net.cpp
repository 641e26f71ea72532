// The peer links when the peer set changes (issue 16; docs/network.md, "Changing the peer
// set"), on 127.0.0.1 with real sockets and TLS 1.3, each transport on its own io thread:
// - PeerAdmittedAtRuntime: from a member adding a joined hospital (awaited, by key) and the
//   hospital adding the member (dialed) to the member receiving the hospital's first frame:
//   TCP connect, TLS 1.3 handshake, the replica handshake (two Ed25519 signatures and checks),
//   one frame.
// - RemovedPeerDisconnected: from remove_peer on the member to the removed hospital's
//   transport reporting the link down.
// Wall-clock time (UseRealTime); it varies with the machine's load, which the reported run
// names. A fresh joiner transport per iteration (its TLS certificate made outside the timing).
#include <benchmark/benchmark.h>

#include <boost/asio.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

#include "common/check.h"
#include "net/tls_context.h"
#include "net/transport.h"

namespace {

using namespace hc;
using namespace hc::net;

const Bytes kBenchNetwork = {0xbe, 0x0c};

// One transport on its own io thread; events reported through one-shot promises.
class BenchNode {
 public:
  explicit BenchNode(std::uint32_t id) : id_(id), key_(std::move(crypto::Ed25519PrivateKey::generate()).value()) {
    auto tls = make_peer_tls_context();
    HC_CHECK(tls.ok());
    transport_ = std::make_unique<Transport>(io_, id, key_, kBenchNetwork, std::move(*tls));
    auto port = transport_->listen("127.0.0.1", 0);
    HC_CHECK(port.ok());
    port_ = *port;
    transport_->start(
        {}, [this](std::uint32_t, Bytes) { fire(frame_); },
        [this](std::uint32_t, bool connected) {
          if (!connected) fire(down_);
        });
    thread_ = std::thread([this] { io_.run(); });
  }
  ~BenchNode() {
    transport_->stop();
    work_.reset();
    io_.stop();
    thread_.join();
  }
  BenchNode(const BenchNode&) = delete;
  BenchNode& operator=(const BenchNode&) = delete;

  Transport& transport() { return *transport_; }
  PeerLink dialed() const { return {{id_, "127.0.0.1", port_, key_.public_key()}, PeerDial::kDial}; }
  PeerLink awaited() const { return {{id_, "", 0, key_.public_key()}, PeerDial::kAwait}; }
  // Waits until the io thread has run everything posted before (peer-set changes included).
  void settle() {
    std::promise<void> done;
    boost::asio::post(io_, [&done] { done.set_value(); });
    done.get_future().wait();
  }
  std::future<void> next_frame() { return arm(frame_); }
  std::future<void> next_link_down() { return arm(down_); }

 private:
  std::future<void> arm(std::unique_ptr<std::promise<void>>& slot) {
    std::lock_guard<std::mutex> lock(mu_);
    slot = std::make_unique<std::promise<void>>();
    return slot->get_future();
  }
  void fire(std::unique_ptr<std::promise<void>>& slot) {
    std::lock_guard<std::mutex> lock(mu_);
    if (slot) slot->set_value();
    slot.reset();
  }

  std::uint32_t id_;
  crypto::Ed25519PrivateKey key_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ = boost::asio::make_work_guard(io_);
  std::unique_ptr<Transport> transport_;
  std::uint16_t port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::unique_ptr<std::promise<void>> frame_, down_;
};

void BM_PeerAdmittedAtRuntime(benchmark::State& state) {
  BenchNode member(1);
  std::uint32_t next_id = 10;
  for (auto _ : state) {
    state.PauseTiming();
    auto joiner = std::make_unique<BenchNode>(next_id++);
    auto frame = member.next_frame();
    state.ResumeTiming();
    HC_CHECK(member.transport().add_peer(joiner->awaited()).ok());
    member.settle();  // the member knows the key before the joiner's handshake reaches it
    HC_CHECK(joiner->transport().add_peer(member.dialed()).ok());
    joiner->transport().send(1, Bytes{0x01});
    frame.wait();
    state.PauseTiming();
    HC_CHECK(member.transport().remove_peer(joiner->dialed().endpoint.id).ok());
    member.settle();
    joiner.reset();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_PeerAdmittedAtRuntime)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(100);

void BM_RemovedPeerDisconnected(benchmark::State& state) {
  BenchNode member(1);
  std::uint32_t next_id = 1000;
  for (auto _ : state) {
    state.PauseTiming();
    auto leaver = std::make_unique<BenchNode>(next_id++);
    HC_CHECK(member.transport().add_peer(leaver->awaited()).ok());
    member.settle();
    auto frame = member.next_frame();
    HC_CHECK(leaver->transport().add_peer(member.dialed()).ok());
    leaver->transport().send(1, Bytes{0x01});
    frame.wait();  // the link is up
    auto down = leaver->next_link_down();
    state.ResumeTiming();
    HC_CHECK(member.transport().remove_peer(leaver->dialed().endpoint.id).ok());
    down.wait();
    state.PauseTiming();
    leaver.reset();
    state.ResumeTiming();
  }
}
BENCHMARK(BM_RemovedPeerDisconnected)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(100);

}  // namespace

BENCHMARK_MAIN();

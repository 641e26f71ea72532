// What choosing a node's TLS anchors costs `hc` (issue 16; client/node_tls_trust.h), on
// 127.0.0.1 against an in-process HTTPS node whose certificate a genesis hospital's CA issued:
// - BareConnectAndStatus: NodeClient::connect with the genesis's CAs and one GET /v1/status,
//   what a command paid before (one TLS handshake);
// - ProbedConnectAndStatus: connect_to_node (the probe: one more handshake and GET /v1/status)
//   and the same GET, what every https:// command pays now for a genesis hospital's node.
// The difference is the probe. A joined hospital's node costs a refused handshake, the change
// history's fetch and verification (bench_configuration_history) and a second probe more.
// Wall-clock time (UseRealTime): it varies with the machine's load, which a reported run names.
#include <benchmark/benchmark.h>

#include <boost/asio.hpp>

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "chain/test_chain.h"
#include "client/node_tls_trust.h"
#include "common/check.h"
#include "net/http_server.h"
#include "net/tls_certificate.h"
#include "net/tls_context.h"

namespace {

using namespace hc;

const SecureBytes& bench_pass() {
  static const SecureBytes p(std::string_view("bench tls passphrase"));
  return p;
}

// Four genesis hospitals' CAs and an HTTPS node with a certificate from the first, made once.
class BenchNode {
 public:
  BenchNode() {
    std::vector<std::string> pems;
    for (int i = 0; i < 4; ++i) {
      auto ca = net::create_tls_ca("bench-ca-" + std::to_string(i), bench_pass(),
                                   net::Validity{-300, net::kDefaultCaValidityDays * 86400});
      HC_CHECK(ca.ok());
      cas_.push_back(*ca);
      pems.push_back(ca->certificate_pem);
    }
    consortium_.use_tls_ca_certificates(pems);
    auto cert = net::issue_tls_server_certificate(cas_[0], bench_pass(), "node", {"127.0.0.1"}, bench_pass(),
                                                  net::Validity{});
    HC_CHECK(cert.ok());
    auto ctx = net::make_tls_server_context(cert->certificate_pem + cas_[0].certificate_pem, cert->encrypted_key_pem,
                                            bench_pass());
    HC_CHECK(ctx.ok());
    server_ = std::make_unique<net::HttpServer>(io_, net::HttpServerLimits{}, [](const net::HttpRequest&) {
      return net::HttpResponse::json(200, "{\"node_id\":0}");
    });
    server_->use_tls(*ctx);
    auto port = server_->listen("127.0.0.1", 0);
    HC_CHECK(port.ok());
    url_ = "https://127.0.0.1:" + std::to_string(*port);
    thread_ = std::thread([this] { io_.run(); });
  }
  ~BenchNode() {
    server_->stop();
    work_.reset();
    io_.stop();
    thread_.join();
  }
  const chain::Genesis& genesis() const { return consortium_.genesis(); }
  const std::string& url() const { return url_; }

 private:
  chain::testing::TestConsortium consortium_;
  std::vector<net::TlsKeyPair> cas_;
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_ = boost::asio::make_work_guard(io_);
  std::unique_ptr<net::HttpServer> server_;
  std::thread thread_;
  std::string url_;
};

BenchNode& bench_node() {
  static BenchNode node;
  return node;
}

void BM_BareConnectAndStatus(benchmark::State& state) {
  BenchNode& node = bench_node();
  const std::vector<std::string> anchors = node.genesis().tls_trust_anchors();
  for (auto _ : state) {
    auto client = client::NodeClient::connect(node.url(), {}, anchors);
    HC_CHECK(client.ok());
    HC_CHECK(client->status().ok());
  }
}
BENCHMARK(BM_BareConnectAndStatus)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ProbedConnectAndStatus(benchmark::State& state) {
  BenchNode& node = bench_node();
  for (auto _ : state) {
    auto client = client::connect_to_node(node.url(), {}, node.genesis());
    HC_CHECK(client.ok());
    HC_CHECK(client->status().ok());
  }
}
BENCHMARK(BM_ProbedConnectAndStatus)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();

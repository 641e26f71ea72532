// Node::State: the assembled components of a running node, shared by node.cpp (startup and
// lifecycle) and node_api.cpp (the HTTP routes). Internal to src/node.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <deque>
#include <set>
#include <unordered_map>

#include "chain/bbs04_record_verifier.h"
#include "chain/healthchain_app.h"
#include "chain/ledger_store.h"
#include "consensus/replica.h"
#include "crypto/ed25519.h"
#include "net/http_server.h"
#include "net/transport.h"
#include "node/config.h"
#include "node/ledger_bridge.h"
#include "node/member_signer.h"
#include "node/metrics.h"
#include "node/node.h"
#include "node/publication_height.h"
#include "node/replica_driver.h"
#include "node/token_auth.h"
#include "node/wal.h"

namespace hc::node {

// The replica's Ed25519 key, as the engine's Signer.
class ReplicaSigner final : public consensus::Signer {
 public:
  explicit ReplicaSigner(crypto::Ed25519PrivateKey key) : key_(std::move(key)) {}
  consensus::Signature sign(ByteSpan msg) override { return key_.sign(msg); }

 private:
  crypto::Ed25519PrivateKey key_;
};

// Transactions this node accepted and has not yet seen committed (bounded, oldest dropped).
class SubmittedTxs {
 public:
  static constexpr std::size_t kMaxTracked = 100000;
  void add(const chain::Digest& id);
  void committed(const chain::Digest& id) { pending_.erase(id); }
  bool pending(const chain::Digest& id) const { return pending_.count(id) != 0; }

 private:
  std::set<chain::Digest> pending_;
  std::deque<chain::Digest> order_;
};

struct Node::State {
  NodeConfig config;
  boost::asio::io_context io;
  std::unique_ptr<chain::LedgerStore> store;
  std::unique_ptr<chain::Bbs04RecordVerifier> group_verifier;
  std::unique_ptr<PbftCertificateVerifier> certificate_verifier;
  std::unique_ptr<chain::HealthchainApp> app;
  std::unique_ptr<LedgerApplication> bridge;
  std::unique_ptr<ReplicaSigner> signer;
  std::unique_ptr<consensus::Verifier> verifier;
  consensus::ConsensusConfig consensus_config;
  std::unique_ptr<consensus::Replica> replica;
  std::unique_ptr<WriteAheadLog> wal;
  std::vector<Bytes> wal_records;
  std::unique_ptr<net::Transport> transport;
  std::unique_ptr<ReplicaDriver> driver;
  std::unique_ptr<net::HttpServer> http;
  std::unique_ptr<MemberSigner> member;
  std::unique_ptr<TokenAuthenticator> doctors;
  std::unique_ptr<TokenAuthenticator> readers;
  Metrics metrics;
  SubmittedTxs submitted;
  PublicationHeights publication_heights;  // for GET /v1/envelope-key
  std::uint16_t listen_port = 0;
  std::uint16_t api_port = 0;
  std::unique_ptr<boost::asio::signal_set> signals;

  net::HttpResponse handle_http(const net::HttpRequest& request);
  void on_deliver(const consensus::CommittedBlock& block);
  void refresh_gauges();
};

}  // namespace hc::node

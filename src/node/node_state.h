// Node::State: the assembled components of a running node, shared by node.cpp (startup and
// lifecycle), api_gate.cpp and node_api.cpp (the HTTP routes). Internal to src/node.
//
// Two threads (docs/node.md, "Threads"): the consensus thread runs `io` (transport, replica
// driver, engine, ledger application, metrics refresh); the API thread (api_thread) runs the
// HTTP server and every route. The API reads only thread-safe parts: the store, `snapshot`,
// `submitted`, `metrics`, the rate limiters, `member` and `group_verifier`; it hands
// transactions to consensus only through `intake`.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <deque>
#include <map>
#include <optional>
#include <mutex>
#include <set>
#include <unordered_map>

#include "chain/bbs04_record_verifier.h"
#include "chain/healthchain_app.h"
#include "chain/ledger_store.h"
#include "consensus/replica.h"
#include "crypto/ed25519.h"
#include "crypto/p256.h"
#include "net/http_server.h"
#include "net/transport.h"
#include "node/access_key_answer.h"
#include "node/account_store.h"
#include "node/api_snapshot.h"
#include "node/api_thread.h"
#include "node/config.h"
#include "node/consensus_health.h"
#include "node/consensus_preverify_pool.h"
#include "node/envelope_key_answer.h"
#include "node/ledger_bridge.h"
#include "node/member_signer.h"
#include "node/metrics.h"
#include "node/node.h"
#include "node/own_records.h"
#include "node/peer_directory.h"
#include "node/rate_limit.h"
#include "node/replica_driver.h"
#include "node/replica_standing.h"
#include "node/shared_verifier.h"
#include "node/token_auth.h"
#include "node/trustee_worker.h"
#include "node/tx_intake.h"
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
// Thread-safe (one mutex): added on the consensus thread, read by the API.
// Remembers when each was accepted, for the commit latency histogram.
class SubmittedTxs {
 public:
  static constexpr std::size_t kMaxTracked = 100000;
  void add(const chain::Digest& id);
  // Forgets `id`; the seconds since it was added, if it was pending here.
  std::optional<double> committed(const chain::Digest& id);
  bool pending(const chain::Digest& id) const;

 private:
  mutable std::mutex mutex_;
  std::map<chain::Digest, std::chrono::steady_clock::time_point> pending_;
  std::deque<chain::Digest> order_;
};

// The API's per-address limits (issue 12, item 5; docs/node.md "Resource limits"): reads are
// cheap, writes cost a signature check on the API thread, the manager route is open.
// Every request counts against the read limit, a POST also against the write limit, the
// manager route also against its own. (Doctors are also limited per token, config limits.)
inline constexpr RateLimit kApiReadLimit{500, 1000, 4096};
inline constexpr RateLimit kApiWriteLimit{200, 400, 4096};
inline constexpr RateLimit kApiManagerLimit{20, 100, 4096};
// Who a route is for (api_authorize.cpp).
enum class ApiRole { kDoctor, kReader, kAdmin };

// The body of POST /v1/manager/transactions decoded into a manager transaction's bytes;
// kInvalidInput with a reason otherwise. Pure.
Result<Bytes> manager_tx_from_body(const std::string& body);

struct Node::State {
  NodeConfig config;
  boost::asio::io_context io;
  std::unique_ptr<chain::LedgerStore> store;
  std::unique_ptr<SharedRecordVerifier> group_verifier;
  std::unique_ptr<PbftCertificateVerifier> certificate_verifier;
  std::unique_ptr<chain::HealthchainApp> app;
  std::unique_ptr<LedgerApplication> bridge;
  std::unique_ptr<ReplicaSigner> signer;
  // Consensus thread: the replicas' keys, the genesis's and every joined member's (member_keys.h).
  std::unique_ptr<consensus::Ed25519Verifier> verifier;
  // The engine's Verifier: `verifier` behind the entries of the pool below (issue 18 item 3).
  std::unique_ptr<consensus::PreverifiedVerifier> preverified_front;
  consensus::ConsensusConfig consensus_config;
  std::unique_ptr<consensus::Replica> replica;
  std::unique_ptr<WriteAheadLog> wal;
  std::vector<Bytes> wal_records;
  std::unique_ptr<net::Transport> transport;
  std::unique_ptr<ReplicaDriver> driver;
  // Checks peers' consensus signatures on its own thread (consensus_preverify_pool.h); posts
  // to `io`, so declared after it (destroyed, and joined, before it) and reset first in ~State.
  std::unique_ptr<ConsensusPreverifyPool> preverify_pool;
  AddressRateLimiter api_read_limiter{kApiReadLimit};
  AddressRateLimiter api_write_limiter{kApiWriteLimit};
  AddressRateLimiter api_manager_limiter{kApiManagerLimit};
  // Declared before `http` (which posts to its io_context when destroyed), joined in ~State.
  ApiThread api_thread;
  TxIntake intake;
  ApiSnapshotBoard snapshot;
  PendingTxIdsCache pending_ids_cache;  // consensus thread: the snapshot's pending ids
  std::unique_ptr<boost::asio::steady_timer> snapshot_timer;
  // How often the peers' round-trip times are sampled into /metrics.
  static constexpr std::uint32_t kPeerRoundTripSampleMs = 1000;
  std::unique_ptr<net::HttpServer> http;
  std::unique_ptr<MemberSigner> member;
  // A joined hospital waiting for its member key on the chain (member_enrollment.h): the secret
  // of its enrollment key and the node's passphrase to store the key with, both wiped once the
  // key is stored. Consensus thread only.
  struct AwaitingEnrollment {
    crypto::P256Scalar secret;
    SecureBytes passphrase;
  };
  std::optional<AwaitingEnrollment> awaiting_enrollment;
  std::unique_ptr<TokenAuthenticator> doctors;
  std::unique_ptr<TokenAuthenticator> readers;
  std::unique_ptr<TokenAuthenticator> admins;
  // The per-person accounts (account_store.h): read and changed on the API thread only.
  std::unique_ptr<AccountStore> accounts;
  // API thread: the bound on refusal log lines (api_authorize.cpp).
  std::uint64_t refusal_log_window_ms = 0;
  std::uint32_t refusal_logs_in_window = 0;
  std::uint64_t refusal_logs_suppressed = 0;
  Metrics metrics;
  // Consensus thread: how many of the replica's state-transfer blocks (ReplicaStats::
  // blocks_fetched) on_deliver has seen, so that their age is not counted as a commit latency.
  std::uint64_t fetched_blocks_delivered = 0;
  SubmittedTxs submitted;
  // Consensus thread: the doctors' records this node signed, until their content commits;
  // signed again when a revocation ends their epoch first (own_records.h). Made at startup
  // with the mempool's bounds.
  std::unique_ptr<OwnRecords> own_records;
  EnvelopeKeyAnswerBuilder envelope_key_answers;  // consensus thread: GET /v1/envelope-key's answer
  // Trustees mode, when the genesis lists this node as a trustee (trustee_worker.h): its own
  // thread, started with the network and stopped before anything it reads goes.
  std::unique_ptr<TrusteeWorker> trustee;
  AccessKeyAnswers access_key_answers;  // API thread (thread-safe cache): GET /v1/access-key
  std::uint16_t listen_port = 0;
  std::uint16_t api_port = 0;
  std::unique_ptr<boost::asio::signal_set> signals;
  std::unique_ptr<boost::asio::signal_set> reload_signal;  // SIGHUP, when a reload handler is set
  // Set when the replica halted on a local failure (ReplicaDriver::fatal): from then on the
  // node reports itself unhealthy (/v1/health 503, /v1/status "healthy": false, the hc_healthy
  // gauge 0), leaves consensus at once and exits kHaltedExitDelayMs later (hc-node exit code 3).
  Status halted;
  std::unique_ptr<boost::asio::steady_timer> halt_timer;
  static constexpr std::uint32_t kHaltedExitDelayMs = 2000;
  // Consensus thread: stall and catch-up detection, and what was last logged of it.
  ConsensusHealthWatch health_watch;
  ConsensusHealth last_health;
  std::uint64_t logged_view = 0;
  bool logged_in_view_change = false;
  std::uint64_t logged_configuration = 0;  // the engine's configuration number last logged
  // Consensus thread: this node on the chain (replica_standing.h) and its peer links as last
  // handed to the transport (node_peer_links.cpp; docs/node.md "Peer links and membership
  // changes"), with the peers already warned about (dial them, no address: once each).
  crypto::Ed25519PublicKey replica_public_key;
  ReplicaStanding standing = ReplicaStanding::kGenesisReplica;
  std::string applied_peer_links;
  std::optional<MembershipStamp> applied_membership;  // what applied_peer_links was computed from
  std::set<std::uint32_t> warned_unreachable;

  ~State();
  bool healthy() const { return halted.ok(); }
  void halt(const Status& why);

  // API thread. Every request first: per-address rate limits and the JSON depth bound, before
  // any parsing; then the routes (handle_http).
  void serve_api(const net::HttpRequest& request, net::HttpServer::Responder respond);
  // API thread: `respond` wrapped to time the request per route (hc_api_request_seconds) and
  // log refused ones (4xx/5xx but 404, and 401/403, which authorize() logs by account; at most
  // kRefusalLogsPerSecond lines a second).
  net::HttpServer::Responder observed(const net::HttpRequest& request, net::HttpServer::Responder respond);
  // API thread: the routes (docs/api.md); reads answer at once, submissions through `intake`.
  void handle_http(const net::HttpRequest& request, net::HttpServer::Responder respond);
  // API thread: nullopt (and the holder's name in `holder`) when the request's bearer token
  // is one of `role`; else the 401 (no such token), 403 (another role's) or 429 to send.
  std::optional<net::HttpResponse> authorize(const net::HttpRequest& req, ApiRole role, std::string& holder);
  TokenAuthenticator& authenticator_for(ApiRole role);
  void log_refusal(const std::string& line);
  // API thread: GET /v1/whoami: the name and role the bearer token belongs to (401 if none).
  net::HttpResponse whoami(const net::HttpRequest& request);
  // API thread: /v1/accounts and below (account_api.cpp), for the hospital's administrator.
  net::HttpResponse serve_accounts(const net::HttpRequest& request);
  // API thread: queues a checked transaction for the consensus thread (503 when full).
  void enqueue_tx(Bytes tx, bool doctor_record, net::HttpServer::Responder respond);

  // Consensus thread.
  void drain_intake();
  void admit_intake_item(IntakeItem& item);
  // After a committed block: the records of own_records whose epoch a revocation ended, signed
  // again in the current epoch and relayed as new records, at most kResignPerTurn per turn
  // (the rest in later turns of `io`). Each costs a group signature and its verification here
  // on the consensus thread (about 2 ms), so a turn is kept short (about 8 ms) for the events
  // between turns.
  void resign_stale_own_records();
  static constexpr std::size_t kResignPerTurn = 4;
  void publish_snapshot();
  // The consensus health watch fed with the replica's state now; logs view changes, stalls
  // and catch-up as they start and end.
  ConsensusHealth observe_consensus_health();
  void schedule_snapshot_refresh();
  void on_deliver(const consensus::CommittedBlock& block);
  // Loads the member key, or (a joined hospital before its enrollment) prepares to pick it up.
  Status open_member(const SecureBytes& passphrase);
  // A committed enrollment boxed to this hospital: open, check, store and install its key.
  void pick_up_member_key(const chain::EnrollmentTx& enrollment);
  // Startup without a member key: an enrollment this ledger already holds (the node stopped
  // after it committed, before the key was stored) is found in the blocks since the join.
  Status find_committed_enrollment();
  void observe_block_commit_latency(const consensus::Block& block);
  // trustee_node.cpp. Startup: the trustee worker, when this node is a trustee.
  Status open_trustee(const SecureBytes& passphrase);
  // Consensus thread: a trustee transaction from the worker through the ledger's admission
  // check into the replica's pool (as a submission from the API would go).
  void admit_trustee_tx(TrusteeTx tx);
  void refresh_trustee_metrics();
  // API thread (trustee_api.cpp): the trustees-mode routes, or nullopt for another path.
  std::optional<net::HttpResponse> serve_trustee_api(const net::HttpRequest& request);
  // Consensus thread: the peer directory (peer_directory.h) from the committed state and the
  // engine's configuration handed to the transport when it changed, and that configuration
  // handed to the stem relay (its cycle is drawn over the members in force); checks the
  // standing again while this node awaits its join. An error is this node's to stop on (a key
  // the chain gave another replica, a configured key that differs from the chain's, an
  // unreadable state).
  Status refresh_peer_links();
  void refresh_gauges();
  void refresh_transport_metrics();
  void refresh_consensus_buffer_metrics();
  // Consensus thread, from the snapshot timer: at most every kPeerRoundTripSampleMs, each
  // connected peer's round-trip time into hc_peer_round_trip_seconds{peer="id"}.
  void sample_peer_round_trips();
  std::chrono::steady_clock::time_point last_round_trip_sample{};
};

// The refusal of a doctor's record at a node that is not a member of the configuration in
// force (kUnavailable, 503; api_intake.cpp).
Status non_member_record_refusal();

// The members of an engine configuration as the stem relay takes them (stem_relay.h).
StemMembership stem_membership(const consensus::Configuration& configuration);

}  // namespace hc::node

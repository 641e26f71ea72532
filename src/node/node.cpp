#include "node/node.h"

#include <spdlog/spdlog.h>

#include <boost/asio/post.hpp>

#include <algorithm>
#include <filesystem>

#include "chain/consensus_parameters.h"
#include "crypto/groupsig/store.h"
#include "crypto/groupsig/types.h"
#include "crypto/hash.h"
#include "node/api_tls.h"
#include "node/descriptor_budget.h"
#include "crypto/p256_key_file.h"
#include "chain/governance_state.h"
#include "node/member_enrollment.h"
#include "node/member_keys.h"
#include "node/node_state.h"

namespace hc::node {

namespace {

namespace fs = std::filesystem;

// Public (docs/node.md): see Node::State::observe_block_commit_latency.
constexpr const char* kBlockCommitLatencyMetric = "hc_block_commit_latency_seconds";
constexpr const char* kBlockCommitLatencyHelp = "From a block's proposal (the primary's timestamp) to its commit on this replica";

// The configuration's peers against the genesis: a genesis replica's key must be the genesis's,
// and a genesis replica lists every other genesis replica (it dials or awaits each from the
// start). A node whose id is not in the genesis (a hospital joining a running consortium)
// lists the members it dials; its own key is checked against the ledger (replica_standing.h).
Status check_genesis_matches(const NodeConfig& config, const chain::Genesis& genesis) {
  for (const PeerConfig& peer : config.peers) {
    auto key = genesis.replica_key(peer.id);
    if (key && *key != peer.replica_key.bytes()) {
      return invalid_input("peer " + std::to_string(peer.id) + "'s key differs from the genesis");
    }
  }
  if (!genesis.replica_key(config.node_id)) return Status::ok_status();
  for (const chain::ReplicaInfo& replica : genesis.replicas) {
    const bool listed = std::any_of(config.peers.begin(), config.peers.end(),
                                    [&replica](const PeerConfig& p) { return p.id == replica.id; });
    if (!listed) {
      return invalid_input("the config's peers lack genesis replica " + std::to_string(replica.id) +
                           " (a genesis replica lists them all)");
    }
  }
  return Status::ok_status();
}

Result<std::unique_ptr<chain::LedgerStore>> open_or_create_store(const fs::path& dir, const chain::Genesis& genesis) {
  std::error_code ec;
  if (fs::exists(dir / "CURRENT", ec)) {
    HC_ASSIGN_OR_RETURN(auto store, chain::LedgerStore::open(dir.string()));
    if (store->genesis_hash() != chain::genesis_hash(genesis)) {
      return invalid_input("the ledger in " + dir.string() + " belongs to another genesis");
    }
    return store;
  }
  fs::create_directories(dir, ec);
  if (ec) return Status::error(ErrorCode::kIo, "cannot create " + dir.string() + ": " + ec.message());
  return chain::LedgerStore::create(dir.string(), genesis);
}

consensus::ConsensusConfig consensus_config_for(const NodeConfig& config, const chain::Genesis& genesis) {
  consensus::ConsensusConfig c;
  c.replica_count = static_cast<std::uint32_t>(genesis.replicas.size());
  // Constants of the chain, not of the node (chain/consensus_parameters.h): everyone who
  // verifies the chain computes a membership change's boundary c(h) + L with these.
  c.checkpoint_interval_blocks = chain::kCheckpointIntervalBlocks;
  c.window_blocks = chain::kWindowBlocks;
  c.replica_id_space = chain::replica_id_space(genesis);
  c.chain_id = chain::genesis_hash(genesis);  // consensus signatures are bound to this chain
  c.max_batch_txs = std::min<std::uint32_t>(c.max_batch_txs, genesis.limits.max_block_transactions);
  c.max_batch_bytes = std::min<std::uint32_t>(c.max_batch_bytes, genesis.limits.max_block_bytes);
  c.max_batch_delay_ms = 5;
  c.max_tx_bytes = std::min<std::uint32_t>(c.max_tx_bytes * 8, genesis.limits.max_record_ciphertext_bytes + 4096);
  c.max_pending_txs = static_cast<std::uint32_t>(config.limits.mempool_max_txs);
  c.max_pending_bytes = config.limits.mempool_max_bytes;
  return c;
}

// Loads keys, genesis and ledger (everything before any socket opens).
Status load_ledger(Node::State& s, const SecureBytes& passphrase) {
  HC_ASSIGN_OR_RETURN(crypto::Ed25519PrivateKey replica_key,
                      crypto::Ed25519PrivateKey::load(s.config.replica_key_file, passphrase));
  HC_ASSIGN_OR_RETURN(chain::Genesis genesis, chain::load_genesis_file(s.config.genesis_file.string()));
  HC_RETURN_IF_ERROR(check_genesis_matches(s.config, genesis));
  HC_ASSIGN_OR_RETURN(s.store, open_or_create_store(s.config.data_dir / "ledger", genesis));
  s.replica_public_key = replica_key.public_key();
  HC_ASSIGN_OR_RETURN(s.standing,
                      replica_standing(chain::StoreTrusteeView(*s.store), s.config.node_id, s.replica_public_key));
  if (s.standing == ReplicaStanding::kAwaitingJoin) {
    spdlog::info("node {} is not a member on this ledger (height {}): it fetches blocks from the members it "
                 "dials until its ledger shows its join",
                 s.config.node_id, s.store->tip().height);
  }
  HC_ASSIGN_OR_RETURN(auto bbs04, chain::Bbs04RecordVerifier::create(genesis.group_public_key));
  s.group_verifier = std::make_unique<SharedRecordVerifier>(std::move(bbs04));
  Metrics* metrics = &s.metrics;  // cleared in ~State before the metrics go
  s.group_verifier->set_timing_observer([metrics](double seconds) {
    metrics->observe_seconds("hc_groupsig_verify_seconds", "Group signature verifications run (cache misses), any thread",
                             seconds);
  });
  HC_ASSIGN_OR_RETURN(s.certificate_verifier, PbftCertificateVerifier::create(genesis));
  HC_ASSIGN_OR_RETURN(s.app, chain::HealthchainApp::start(*s.store, *s.group_verifier, *s.certificate_verifier));
  HC_RETURN_IF_ERROR(s.open_trustee(passphrase));
  // The engine follows the membership the ledger accepted (docs/consensus.md section 2c): the
  // certificate verifier checks each block against its height's configuration, and the
  // consensus verifier knows every joined member's key (learn_member_keys, also on commit).
  s.bridge = std::make_unique<LedgerApplication>(*s.store, *s.app, MembershipReports::kFromLedger);
  s.signer = std::make_unique<ReplicaSigner>(std::move(replica_key));
  std::vector<consensus::PublicKey> keys;
  for (const auto& r : genesis.replicas) keys.push_back(r.public_key);
  HC_ASSIGN_OR_RETURN(s.verifier, consensus::Ed25519Verifier::create(keys));
  HC_RETURN_IF_ERROR(learn_member_keys(chain::StoreTrusteeView(*s.store), *s.verifier));

  HC_RETURN_IF_ERROR(s.open_member(passphrase));

  s.consensus_config = consensus_config_for(s.config, genesis);
  HC_RETURN_IF_ERROR(s.consensus_config.validate());
  s.preverified_front = std::make_unique<consensus::PreverifiedVerifier>(*s.verifier);
  s.replica = std::make_unique<consensus::Replica>(s.consensus_config, s.config.node_id, *s.signer,
                                                   *s.preverified_front, *s.bridge);
  HC_ASSIGN_OR_RETURN(WriteAheadLog wal, WriteAheadLog::open(s.config.data_dir / "consensus.wal", s.wal_records,
                                                             s.consensus_config.max_message_bytes));
  s.wal = std::make_unique<WriteAheadLog>(std::move(wal));
  HC_ASSIGN_OR_RETURN(AccountStore accounts, AccountStore::open(s.config.accounts_file));
  s.accounts = std::make_unique<AccountStore>(std::move(accounts));
  const std::uint32_t per_minute = s.config.limits.requests_per_minute_per_token;
  s.doctors = std::make_unique<TokenAuthenticator>(s.config.doctor_tokens, per_minute, s.accounts.get(),
                                                   AccountRole::kDoctor);
  s.readers = std::make_unique<TokenAuthenticator>(s.config.reader_tokens, per_minute, s.accounts.get(),
                                                   AccountRole::kReader);
  s.admins = std::make_unique<TokenAuthenticator>(s.config.admin_tokens, per_minute);
  return Status::ok_status();
}

// open()'s kAlreadyExists is kept for a listen port in use (hc-node's exit code
// kExitPortInUse); a ledger created by someone else between our check and our create is a
// local failure.
Status local_failure_unless_a_port(Status loaded) {
  if (loaded.ok() || loaded.code() != ErrorCode::kAlreadyExists) return loaded;
  return Status::error(ErrorCode::kIo, loaded.message());
}

// Fits the connection bounds under the descriptor limit (descriptor_budget.h).
Result<DescriptorBudget> plan_node_descriptors(const NodeConfig& config) {
  HC_ASSIGN_OR_RETURN(std::uint64_t limit, raise_descriptor_limit());
  HC_ASSIGN_OR_RETURN(std::size_t in_use, open_descriptor_count());
  const ConnectionLimits& wanted = config.connections;
  DescriptorBudget ceiling;
  ceiling.pending_handshakes = wanted.pending_handshakes;
  ceiling.pending_handshakes_per_address = wanted.pending_handshakes_per_address;
  ceiling.api_connections = wanted.api_connections;
  ceiling.api_connections_per_address = wanted.api_connections_per_address;
  HC_ASSIGN_OR_RETURN(DescriptorBudget budget, plan_descriptors(limit, in_use, config.peers.size(), ceiling));
  spdlog::info("descriptors: limit {}, {} open; at most {} pending peer handshakes ({} per address), {} API "
               "connections ({} per address)",
               limit, in_use, budget.pending_handshakes, budget.pending_handshakes_per_address, budget.api_connections,
               budget.api_connections_per_address);
  return budget;
}

// The stem relay (docs/relay.md) with the node's CSPRNG, and the opt-in peer trace. Its cycle
// is drawn over the members of the engine's configuration (loaded by driver->start), which
// refresh_peer_links keeps it following.
Status start_stem_relay(Node::State& s) {
  const auto& chain_id = s.store->genesis_hash();
  auto relay = std::make_unique<StemRelay>(s.config.relay, s.config.node_id,
                                           stem_membership(s.replica->configuration()),
                                           Bytes(chain_id.begin(), chain_id.end()), [] {
                                             std::array<std::uint8_t, 8> b{};
                                             crypto::random_bytes(b);
                                             std::uint64_t v = 0;
                                             for (std::uint8_t x : b) v = (v << 8) | x;
                                             return v;
                                           });
  s.driver->set_stem_relay(std::move(relay),
                           [&s](const std::vector<Bytes>& txs) { return s.bridge->check_txs_verified(txs); });
  if (!s.config.peer_trace_file.empty()) {
    HC_ASSIGN_OR_RETURN(auto trace, PeerTrace::open(s.config.peer_trace_file));
    spdlog::info("peer trace on: {}", s.config.peer_trace_file.string());
    s.driver->set_peer_trace(std::move(trace));
  }
  return Status::ok_status();
}

// Peers' consensus signatures checked on the pool's thread (consensus_preverify_pool.h), each
// message posted back to the consensus thread with its entry.
Status start_preverify_pool(Node::State& s) {
  std::vector<consensus::PublicKey> keys;
  for (const auto& r : s.store->genesis().replicas) keys.push_back(r.public_key);
  Node::State* state = &s;
  HC_ASSIGN_OR_RETURN(
      s.preverify_pool,
      ConsensusPreverifyPool::start(
          s.consensus_config.chain_id, consensus::decode_limits(s.consensus_config), keys, {},
          [state](consensus::SharedBytes wire, std::optional<consensus::PreverifiedSignature> entry) {
            boost::asio::post(state->io, [state, wire = std::move(wire), entry = std::move(entry)]() mutable {
              state->driver->on_preverified(std::move(wire), std::move(entry));
            });
          }));
  HC_RETURN_IF_ERROR(s.preverify_pool->learn_member_keys(chain::StoreTrusteeView(*s.store)));
  s.driver->set_preverify_pool(s.preverify_pool.get(), s.preverified_front.get());
  return Status::ok_status();
}

// Opens the transport and the API and starts the engine.
Status start_network(Node::State& s, const crypto::Ed25519PrivateKey& transport_key,
                     std::shared_ptr<net::TlsContext> api_tls) {
  HC_ASSIGN_OR_RETURN(DescriptorBudget budget, plan_node_descriptors(s.config));
  net::TransportLimits transport_limits;
  transport_limits.max_pending_handshakes = budget.pending_handshakes;
  transport_limits.max_pending_handshakes_per_address = budget.pending_handshakes_per_address;
  // Peer links are TLS 1.3 with a certificate made now; the replica handshake inside binds it
  // to the replica key pinned in the genesis (net/tls_context.h, net/handshake.h).
  HC_ASSIGN_OR_RETURN(std::shared_ptr<net::TlsContext> peer_tls, net::make_peer_tls_context());
  s.transport = std::make_unique<net::Transport>(s.io, s.config.node_id, transport_key,
                                                 Bytes(s.store->genesis_hash().begin(), s.store->genesis_hash().end()),
                                                 std::move(peer_tls), transport_limits);
  HC_ASSIGN_OR_RETURN(s.listen_port, s.transport->listen(s.config.listen_host, s.config.listen_port));
  // Shown from the start, so that every replica's public /metrics has the same families even
  // before it commits a block itself (a replica that caught up by state transfer observes none).
  s.metrics.declare_histogram(kBlockCommitLatencyMetric, kBlockCommitLatencyHelp);
  s.driver = std::make_unique<ReplicaDriver>(s.io, *s.replica, *s.transport, *s.wal,
                                             [&s](const consensus::CommittedBlock& b) { s.on_deliver(b); });
  HC_RETURN_IF_ERROR(s.driver->start(std::move(s.wal_records)));
  s.driver->set_fatal_handler([&s](const Status& why) { s.halt(why); });
  s.driver->set_failed_check_counter([&s] { return s.bridge->failed_checks(); });
  s.bridge->set_deferred_failure_observer([&s](const chain::Digest& id) { s.driver->on_deferred_failure(id); });
  HC_RETURN_IF_ERROR(start_stem_relay(s));
  HC_RETURN_IF_ERROR(start_preverify_pool(s));
  ReplicaDriver* driver = s.driver.get();
  // The peer set comes from the chain (refresh_peer_links), here and whenever membership changes.
  s.transport->start(
      {}, [driver](std::uint32_t peer, Bytes frame) { driver->on_frame(peer, std::move(frame)); },
      [](std::uint32_t peer, bool connected) {
        spdlog::info("peer {} peer={}", connected ? "connected" : "disconnected", peer);
      });
  HC_RETURN_IF_ERROR(s.refresh_peer_links());
  net::HttpServerLimits limits;
  limits.max_body_bytes = s.config.limits.max_request_body_bytes;
  limits.max_connections = budget.api_connections;
  limits.max_connections_per_address = budget.api_connections_per_address;
  limits.idle_timeout_ms = s.config.connections.api_idle_timeout_ms;
  limits.header_timeout_ms = s.config.connections.api_header_timeout_ms;
  limits.body_timeout_ms = s.config.connections.api_body_timeout_ms;
  // The API runs on its own thread (api_thread.h); it reaches consensus only through s.intake.
  s.snapshot_timer = std::make_unique<boost::asio::steady_timer>(s.io);
  s.publish_snapshot();
  s.http = std::make_unique<net::HttpServer>(
      s.api_thread.io(), limits,
      net::HttpServer::AsyncHandler([&s](const net::HttpRequest& r, net::HttpServer::Responder respond) {
        s.serve_api(r, std::move(respond));
      }));
  if (api_tls) s.http->use_tls(std::move(api_tls));
  HC_ASSIGN_OR_RETURN(s.api_port, s.http->listen(s.config.api_host, s.config.api_port));
  s.api_thread.start();
  if (s.trustee) s.trustee->start();
  return Status::ok_status();
}

}  // namespace

void SubmittedTxs::add(const chain::Digest& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!pending_.emplace(id, std::chrono::steady_clock::now()).second) return;
  order_.push_back(id);
  while (order_.size() > kMaxTracked) {
    pending_.erase(order_.front());
    order_.pop_front();
  }
}

std::optional<double> SubmittedTxs::committed(const chain::Digest& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = pending_.find(id);
  if (it == pending_.end()) return std::nullopt;
  const std::chrono::duration<double> waited = std::chrono::steady_clock::now() - it->second;
  pending_.erase(it);
  return waited.count();
}

bool SubmittedTxs::pending(const chain::Digest& id) const {
  std::lock_guard<std::mutex> lock(mutex_);
  return pending_.count(id) != 0;
}

// The API thread and the trustee worker stop before anything they read is destroyed.
Node::State::~State() {
  preverify_pool.reset();  // joins its thread, which posts to io
  if (trustee) trustee->stop();
  if (http) http->stop();
  api_thread.stop_and_join();
  if (group_verifier) group_verifier->set_timing_observer({});
}

Node::Node(std::unique_ptr<State> state) : state_(std::move(state)) {}
Node::~Node() = default;

Result<std::unique_ptr<Node>> Node::open(const NodeConfig& config, const SecureBytes& passphrase) {
  auto state = std::make_unique<State>();
  state->config = config;
  state->own_records = std::make_unique<OwnRecords>(config.limits.mempool_max_txs, config.limits.mempool_max_bytes);
  std::error_code ec;
  fs::create_directories(config.data_dir, ec);
  if (ec) return Status::error(ErrorCode::kIo, "cannot create " + config.data_dir.string() + ": " + ec.message());
  HC_RETURN_IF_ERROR(local_failure_unless_a_port(load_ledger(*state, passphrase)));
  // The transport authenticates with the same replica key (loaded again: the signer owns its copy).
  HC_ASSIGN_OR_RETURN(crypto::Ed25519PrivateKey transport_key,
                      crypto::Ed25519PrivateKey::load(config.replica_key_file, passphrase));
  HC_ASSIGN_OR_RETURN(auto api_tls, load_api_tls(config, chain::StoreTrusteeView(*state->store), passphrase));
  HC_RETURN_IF_ERROR(start_network(*state, transport_key, api_tls));
  spdlog::info("node {} ({}) at height {}, epoch {}; consensus on {}:{}, API on {}://{}:{}", config.node_id, config.name,
               state->store->tip().height, state->app->epoch().epoch, config.listen_host, state->listen_port,
               config.api_uses_tls() ? "https" : "http", config.api_host, state->api_port);
  return std::unique_ptr<Node>(new Node(std::move(state)));
}

std::uint16_t Node::api_port() const { return state_->api_port; }
std::uint16_t Node::listen_port() const { return state_->listen_port; }

Status Node::run() {
  State& s = *state_;
  s.signals = std::make_unique<boost::asio::signal_set>(s.io, SIGTERM, SIGINT);
  s.signals->async_wait([this](boost::system::error_code ec, int sig) {
    if (!ec) spdlog::info("signal {} received: shutting down", sig);
    stop();
  });
  if (reload_) {
    s.reload_signal = std::make_unique<boost::asio::signal_set>(s.io, SIGHUP);
    wait_for_reload();
  }
  s.refresh_gauges();
  s.schedule_snapshot_refresh();
  s.io.run();
  if (s.trustee) s.trustee->stop();
  s.http->stop();
  s.api_thread.stop_and_join();
  return s.halted;
}

void Node::set_reload_handler(std::function<void()> on_sighup) { reload_ = std::move(on_sighup); }

void Node::wait_for_reload() {
  state_->reload_signal->async_wait([this](boost::system::error_code ec, int) {
    if (ec) return;  // cancelled: stopping
    reload_();
    wait_for_reload();
  });
}

void Node::stop() {
  State* s = state_.get();
  boost::asio::post(s->io, [s] {
    s->driver->stop();
    s->http->stop();
    s->transport->stop();
    s->snapshot_timer->cancel();
    if (s->signals) s->signals->cancel();
    if (s->reload_signal) s->reload_signal->cancel();
    // Let the transport's and server's close handlers run, then leave run().
    boost::asio::post(s->io, [s] { s->io.stop(); });
  });
}

// Public (docs/node.md): from the block's proposal (the primary's timestamp in it) to its
// commit on this replica. Every replica moves it alike, whichever node the block's records were
// submitted to, unlike hc_commit_latency_seconds (operator-only). Blocks applied by state
// transfer are left out (their age is not a commit latency); a timestamp ahead of this
// replica's clock counts as 0.
void Node::State::observe_block_commit_latency(const consensus::Block& block) {
  if (replica->stats().blocks_fetched > fetched_blocks_delivered) {
    ++fetched_blocks_delivered;  // this block came by state transfer (delivered in order)
    return;
  }
  const auto now_ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  const std::uint64_t waited_ms = now_ms > block.timestamp_ms ? now_ms - block.timestamp_ms : 0;
  metrics.observe_seconds(kBlockCommitLatencyMetric, kBlockCommitLatencyHelp, static_cast<double>(waited_ms) / 1000.0);
}

Status Node::State::open_member(const SecureBytes& passphrase) {
  std::error_code ec;
  if (!config.enrollment_key_file.empty() && !std::filesystem::exists(config.member_key_file, ec)) {
    auto secret = crypto::load_p256_key(config.enrollment_key_file, passphrase);
    if (!secret.ok()) return secret.status().with_context("enrollment key " + config.enrollment_key_file.string());
    awaiting_enrollment = AwaitingEnrollment{std::move(secret).value(), SecureBytes(passphrase.view())};
    member = std::make_unique<MemberSigner>(nullptr);
    spdlog::info("no member key yet ({}): the node picks it up from its enrollment on the chain",
                 config.member_key_file.string());
    return find_committed_enrollment();
  }
  HC_ASSIGN_OR_RETURN(groupsig::MemberKey key, groupsig::load_member_key(config.member_key_file, passphrase.span()));
  if (key.name != config.name) return invalid_input("the member key belongs to " + key.name + ", not to " + config.name);
  member = std::make_unique<MemberSigner>(std::make_unique<groupsig::MemberKey>(std::move(key)));
  HC_ASSIGN_OR_RETURN(auto revocations, store->revocations());
  for (const auto& [epoch, record] : revocations) member->apply_revocation(epoch, record);
  return Status::ok_status();
}

Status Node::State::find_committed_enrollment() {
  HC_ASSIGN_OR_RETURN(auto entry, store->registry_entry(config.name));
  if (!entry) return Status::ok_status();  // not enrolled yet: the node watches the blocks to come
  HC_ASSIGN_OR_RETURN(auto self, chain::read_member(chain::StoreTrusteeView(*store), config.node_id));
  if (!self || self->joined_height == 0) return Status::ok_status();
  // Enrolled in a block this ledger already holds (the node stopped before storing the key):
  // the enrollment follows the join, so the blocks from the join's on are searched, once.
  const std::uint64_t tip = store->tip().height;
  for (std::uint64_t h = self->joined_height + 1; h <= tip && awaiting_enrollment; ++h) {
    HC_ASSIGN_OR_RETURN(chain::Block block, store->read_block(h));
    for (const Bytes& tx : block.transactions) {
      auto decoded = chain::decode_transaction(tx);
      if (!decoded.ok()) continue;
      if (const auto* enrollment = std::get_if<chain::EnrollmentTx>(&*decoded)) pick_up_member_key(*enrollment);
    }
  }
  if (awaiting_enrollment) {
    spdlog::warn("{} is enrolled on this chain but no enrollment boxed to this node's key was found; records need "
                 "a member key file (hc group enroll)", config.name);
  }
  return Status::ok_status();
}

void Node::State::pick_up_member_key(const chain::EnrollmentTx& enrollment) {
  if (!awaiting_enrollment || !is_enrollment_for(enrollment, config.node_id)) return;
  const EnrollmentRecipient who{config.node_id, config.name, store->genesis().group_public_key};
  auto key = open_enrolled_member_key(enrollment, who, awaiting_enrollment->secret);
  if (!key.ok()) {  // the ledger accepted it, so the manager made a bad box: say so and keep waiting
    spdlog::error("the enrollment committed for this hospital does not give it a member key: {}",
                  key.status().to_string());
    return;
  }
  Status saved = groupsig::save_member_key(config.member_key_file, *key, awaiting_enrollment->passphrase.span());
  if (!saved.ok()) {
    halt(saved.with_context("storing the member key received on the chain"));
    return;
  }
  const std::uint64_t key_epoch = key->gpk.epoch;
  Status installed = member->install_key(std::make_unique<groupsig::MemberKey>(std::move(key).value()));
  if (!installed.ok()) return;
  awaiting_enrollment.reset();  // the secret and the passphrase are wiped
  auto revocations = store->revocations();
  if (revocations.ok()) {
    for (const auto& [epoch, record] : *revocations) member->apply_revocation(epoch, record);
  }
  spdlog::info("member key received on the chain (group epoch {}), stored in {}; this hospital signs records now",
               key_epoch, config.member_key_file.string());
}

void Node::State::on_deliver(const consensus::CommittedBlock& committed) {
  metrics.add_counter("hc_blocks_committed_total", "Blocks committed");
  metrics.add_counter("hc_transactions_committed_total", "Transactions committed",
                      static_cast<double>(committed.block.txs.size()));
  spdlog::info("commit height={} txs={} view={} proposer={}", committed.block.height, committed.block.txs.size(),
               committed.block.view, committed.block.proposer);
  observe_block_commit_latency(committed.block);
  // A join this block accepted: its key must be known before the change takes effect.
  Status keys = learn_member_keys(chain::StoreTrusteeView(*store), *verifier);
  if (keys.ok() && preverify_pool) keys = preverify_pool->learn_member_keys(chain::StoreTrusteeView(*store));
  if (!keys.ok()) halt(keys.with_context("learning the consortium's replica keys"));
  Status links = refresh_peer_links();
  if (!links.ok()) halt(links.with_context("following the consortium's membership with the peer links"));
  for (const Bytes& tx : committed.block.txs) {
    if (auto waited = submitted.committed(chain::transaction_id(tx))) {
      metrics.observe_seconds("hc_commit_latency_seconds",
                              "From a transaction's acceptance by this node's API to its commit", *waited);
    }
    auto decoded = chain::decode_transaction(tx);
    if (decoded.ok()) {
      if (const auto* record = std::get_if<chain::RecordTx>(&*decoded)) {
        own_records->committed(chain::record_content_digest(record->sealed));
      } else if (const auto* rev = std::get_if<chain::RevocationTx>(&*decoded)) {
        member->apply_revocation(rev->new_epoch, rev->record);
      } else if (const auto* enrollment = std::get_if<chain::EnrollmentTx>(&*decoded)) {
        pick_up_member_key(*enrollment);
      }
    }
  }
  // The snapshot first: the gauges read it, and /metrics must not say unhealthy after
  // /v1/health has said healthy (Operations.HealthFailsWithoutAQuorumAndRecovers saw hc_healthy
  // 0 after recovery when the gauges were refreshed from the previous snapshot).
  if (own_records->has_stale(app->epoch().epoch)) resign_stale_own_records();
  publish_snapshot();
  refresh_gauges();
  if (trustee) trustee->notify_committed(committed.block.height);
}

void Node::State::halt(const Status& why) {
  if (!healthy()) return;
  halted = why;
  metrics.set_gauge("hc_healthy", "1 while the replica takes part in consensus, 0 once halted or while stalled", 0);
  spdlog::error("node unhealthy, exiting in {} ms: {}", kHaltedExitDelayMs, why.to_string());
  transport->stop();  // a halted replica takes no further part in consensus
  publish_snapshot();
  halt_timer = std::make_unique<boost::asio::steady_timer>(io, std::chrono::milliseconds(kHaltedExitDelayMs));
  halt_timer->async_wait([this](boost::system::error_code) {
    http->stop();
    snapshot_timer->cancel();
    if (signals) signals->cancel();
    if (reload_signal) reload_signal->cancel();
    boost::asio::post(io, [this] { io.stop(); });
  });
}

ConsensusHealth Node::State::observe_consensus_health() {
  ConsensusObservation o;
  o.now_ms = static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                            std::chrono::steady_clock::now().time_since_epoch())
                                            .count());
  o.height = store->tip().height;
  o.pending_txs = replica->pending_txs();
  o.blocks_fetched = replica->stats().blocks_fetched;
  o.replicas = replica->configuration().n();
  o.peers_connected = transport->connected_peers().size();
  const ConsensusHealth h = health_watch.observe(o);
  if (replica->view() != logged_view || replica->in_view_change() != logged_in_view_change) {
    if (replica->in_view_change()) {
      spdlog::info("view_change started from_view={} height={}", replica->view(), o.height);
    } else {
      spdlog::info("view entered view={} primary={} configuration={} height={}", replica->view(),
                   replica->configuration().primary(replica->view()), replica->configuration().number, o.height);
    }
    logged_view = replica->view();
    logged_in_view_change = replica->in_view_change();
  }
  if (replica->configuration().number != logged_configuration) {
    logged_configuration = replica->configuration().number;
    spdlog::info("configuration entered configuration={} members={} member={} height={}", logged_configuration,
                 replica->configuration().n(), replica->is_member(), o.height);
    Status links = refresh_peer_links();  // a leaver's links go at the boundary
    if (!links.ok()) halt(links.with_context("following the consortium's configuration with the peer links"));
  }
  if (h.catching_up != last_health.catching_up) {
    spdlog::info("catch_up {} height={}", h.catching_up ? "started" : "finished", o.height);
  }
  if (h.stalled && (!last_health.stalled || h.reason.substr(0, 10) != last_health.reason.substr(0, 10))) {
    spdlog::warn("consensus unhealthy: {}", h.reason);
  } else if (!h.stalled && last_health.stalled) {
    spdlog::info("consensus healthy again height={}", o.height);
  }
  last_health = h;
  return h;
}

void Node::State::refresh_gauges() {
  const ApiSnapshot published = snapshot.read();
  metrics.set_gauge("hc_healthy", "1 while the replica takes part in consensus, 0 once halted or while stalled",
                    healthy() && published.healthy ? 1 : 0);
  metrics.set_gauge("hc_catching_up", "1 while the replica applies blocks fetched by state transfer",
                    published.catching_up ? 1 : 0);
  metrics.set_gauge("hc_height", "Height of the last committed block", static_cast<double>(store->tip().height));
  metrics.set_gauge("hc_view", "Current PBFT view", static_cast<double>(replica->view()));
  metrics.set_gauge("hc_mempool_txs", "Transactions pending in the replica's pool",
                    static_cast<double>(replica->pending_txs()));
  metrics.set_gauge("hc_epoch", "Current group-signature epoch", static_cast<double>(app->epoch().epoch));
  metrics.set_gauge("hc_peers_connected", "Connected peer replicas",
                    static_cast<double>(transport->connected_peers().size()));
  metrics.set_counter("hc_view_changes_total", "View changes started",
                      static_cast<double>(replica->stats().view_changes_started));
  metrics.set_counter("hc_relayed_txs_dropped_total", "Relayed client transactions dropped: peer over its budget",
                      static_cast<double>(driver->relayed_txs_dropped()));
  metrics.set_counter("hc_relayed_txs_checked_total", "Relayed client transactions checked (within the peer's budget)",
                      static_cast<double>(driver->relayed_txs_checked()));
  metrics.set_counter("hc_signatures_verified_total", "Group signatures verified (pairing checks run, any thread)",
                      static_cast<double>(group_verifier->pairings_run()));
  metrics.set_counter("hc_stem_records_checked_total", "Stem records checked before forwarding or fluffing",
                      static_cast<double>(driver->stem_records_checked()));
  metrics.set_counter("hc_stem_check_batches_total", "Batches the stem records were checked in",
                      static_cast<double>(driver->stem_check_batches()));
  if (preverify_pool) {
    metrics.set_counter("hc_consensus_preverified_total",
                        "Peers' consensus messages whose signature the pool checked before the engine",
                        static_cast<double>(preverify_pool->verified()));
    metrics.set_counter("hc_consensus_preverify_dropped_total",
                        "Peers' consensus messages dropped: the pool's queue was full",
                        static_cast<double>(preverify_pool->dropped()));
  }
  refresh_transport_metrics();
  refresh_consensus_buffer_metrics();
  refresh_trustee_metrics();
  if (http) {
    const net::HttpServerStats api = http->stats();
    metrics.set_counter("hc_api_connections_evicted_total",
                        "Idle API connections closed to make room for a new one (a connection cap was reached)",
                        static_cast<double>(api.connections_evicted));
    metrics.set_counter("hc_api_connections_refused_total",
                        "API connections closed at accept: a connection cap was reached and none was idle",
                        static_cast<double>(api.connections_refused));
  }
}

// What peers make the engine hold or refuse (issue 12, item 1): the future-view buffer's use
// over all peers, and every dropped consensus message by reason.
void Node::State::refresh_consensus_buffer_metrics() {
  consensus::BufferUsage future;
  for (std::uint32_t peer : transport->configured_peers()) {
    const consensus::BufferUsage used = replica->buffered_from(peer);
    future.messages += used.messages;
    future.bytes += used.bytes;
  }
  metrics.set_gauge("hc_future_buffered_messages", "Messages for views not yet entered, held for all peers",
                    static_cast<double>(future.messages));
  metrics.set_gauge("hc_future_buffered_bytes", "Wire bytes of messages for views not yet entered, all peers",
                    static_cast<double>(future.bytes));
  const consensus::ReplicaStats stats = replica->stats();
  metrics.set_counter("hc_consensus_messages_over_budget_total",
                      "Consensus messages built over their kind's byte budget and not sent (a bug if ever non-zero)",
                      static_cast<double>(stats.messages_over_budget));
  metrics.set_counter("hc_consensus_blocks_requested_total", "BLOCK-REQUESTs sent for blocks a NEW-VIEW named",
                      static_cast<double>(stats.blocks_requested));
  metrics.set_counter("hc_consensus_blocks_served_total", "BLOCK-REPLYs sent to peers",
                      static_cast<double>(stats.blocks_served));
  metrics.set_counter("hc_consensus_blocks_fetched_total", "Blocks applied from state transfer (catch-up)",
                      static_cast<double>(stats.blocks_fetched));
  for (std::size_t r = 0; r < consensus::kDropReasons; ++r) {
    const char* reason = consensus::drop_reason_name(static_cast<consensus::DropReason>(r));
    metrics.set_counter(std::string("hc_consensus_dropped_total{reason=\"") + reason + "\"}",
                        "Consensus messages from peers dropped, by reason", static_cast<double>(stats.dropped[r]));
  }
}

// The peer links' round-trip times as the kernel's TCP stack estimates them (transport.h,
// PeerRoundTrip): one observation per connected peer a second, so the histogram shows how the
// links' delay is spread over time (a WAN link that degrades, a peer behind a congested path).
void Node::State::sample_peer_round_trips() {
  const auto now = std::chrono::steady_clock::now();
  if (now - last_round_trip_sample < std::chrono::milliseconds(kPeerRoundTripSampleMs)) return;
  last_round_trip_sample = now;
  for (const net::PeerRoundTrip& rtt : transport->sample_round_trips()) {
    metrics.observe_seconds("hc_peer_round_trip_seconds{peer=\"" + std::to_string(rtt.peer) + "\"}",
                            "Peer links' round-trip time (the kernel's smoothed TCP RTT), sampled each second",
                            rtt.seconds);
  }
}

// The peer links' bounds at work (transport.h): a peer that stops reading shows as write
// stalls and dropped frames, never as unbounded queues.
void Node::State::refresh_transport_metrics() {
  const net::TransportStats t = transport->stats();
  metrics.set_counter("hc_peer_frames_dropped_total", "Frames to peers dropped: that peer's send queue was full",
                      static_cast<double>(t.frames_dropped_queue_full));
  metrics.set_counter("hc_peer_write_stalls_total", "Peer sessions dropped because the peer stopped reading",
                      static_cast<double>(t.write_stalls));
  metrics.set_counter("hc_peer_connections_dropped_total", "Established peer sessions that ended",
                      static_cast<double>(t.connections_dropped));
  metrics.set_gauge("hc_peer_queued_messages", "Frames waiting in the peers' send queues, over all peers",
                    static_cast<double>(t.queued_messages));
  metrics.set_gauge("hc_peer_queued_bytes", "Bytes waiting in the peers' send queues, over all peers",
                    static_cast<double>(t.queued_bytes));
  metrics.set_gauge("hc_peers_configured", "Peers in the transport's peer set (the chain's members in force, this node left out)",
                    static_cast<double>(t.configured_peers));
  metrics.set_counter("hc_peers_removed_total", "Peers removed from the peer set (a member left, or its key changed)",
                      static_cast<double>(t.peers_removed));
}

}  // namespace hc::node

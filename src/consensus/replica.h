// Replica: the PBFT replica as a pure, deterministic state machine.
//
// handle() takes one Event and appends the resulting Actions; it never blocks, reads no
// clock (time comes in Event::now_ms), opens no socket, starts no thread and draws no random
// number, so the node (over TCP) and the simulator drive exactly the same code. Every
// received message is decoded, checked for membership, view and window, and signature-
// verified (with any certificates it carries) exactly once, in validate_and_dispatch(),
// before a handler sees it; dropped messages are counted by DropReason.
//
// Protocol (Castro & Liskov): the primary of view v (replica v mod n) batches pending
// transactions into blocks and runs PRE-PREPARE / PREPARE / COMMIT for several sequence
// numbers at once inside the watermark window; a block with 2f+1 matching COMMITs is
// executed in order and delivered with that commit certificate. Every K blocks replicas
// exchange CHECKPOINTs; 2f+1 matching make a stable checkpoint and the log below is dropped.
// A pending transaction older than request_timeout_ms (or a stalled view change) triggers a
// VIEW-CHANGE carrying proofs of the prepared blocks (digests, not blocks); the new primary's
// NEW-VIEW carries 2f+1 of them and re-proposes every prepared block by digest. A replica that
// lacks a block the NEW-VIEW names asks a replica that proved it prepared it (BLOCK-REQUEST,
// charged to the requester's state-transfer allowance) and installs the view once it holds
// every block. A replica that is behind fetches committed blocks with their certificates from
// peers (state transfer). Every message is checked against its kind's byte budget
// (message_budget.h) when built and when received. The replica set may change at a
// deterministic height: each sequence number is ordered by the configuration the committed
// blocks below the stable checkpoint give it (configuration.h), and every message is bound to
// its configuration's number (docs/consensus.md, section 2c). docs/consensus.md has details.
//
// Not thread-safe: one thread drives a replica. The Signer, Verifier and Application must
// outlive it.
#pragma once

#include <array>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "consensus/application.h"
#include "consensus/config.h"
#include "consensus/configuration.h"
#include "consensus/crypto.h"
#include "consensus/events.h"
#include "consensus/future_buffer.h"
#include "consensus/messages.h"
#include "consensus/pending_pool.h"
#include "consensus/persist.h"

namespace hc::consensus {

enum class DropReason : std::uint8_t {
  kMalformed = 0,      // does not decode, or violates a structural rule
  kNotMember = 1,      // sender is not a replica, or is this replica
  kBadSignature = 2,   // envelope signature invalid
  kBadProof = 3,       // an embedded certificate or view change does not verify
  kStaleView = 4,      // for a view below the current one
  kOutsideWindow = 5,  // sequence number outside (low, low + window]
  kWrongSender = 6,    // e.g. PRE-PREPARE not from the primary
  kDuplicate = 7,      // already have this replica's message for that slot
  kConflict = 8,       // contradicts an accepted message (equivocation evidence)
  kRejectedBlock = 9,  // the application or the in-flight check rejected the block
  kBufferFull = 10,    // the future-view buffer is full
  kStale = 11,         // a checkpoint or block at or below what we already have
  kRateLimited = 12,   // the peer used up its allowance (e.g. of state transfer served)
  kWrongConfig = 13,   // of another configuration than its sequence number's or ours (section 2c)
  kQuorumReached = 14, // a PREPARE or COMMIT for a slot that already has its quorum: not verified
};
constexpr std::size_t kDropReasons = 15;
const char* drop_reason_name(DropReason reason);

struct ReplicaStats {
  std::array<std::uint64_t, kDropReasons> dropped{};
  std::uint64_t messages_accepted = 0;
  std::uint64_t client_txs_rejected = 0;  // by check_tx, full pool or oversized
  std::uint64_t deferred_checks_failed = 0;  // pending transactions check_deferred refused
  std::uint64_t view_changes_started = 0;
  std::uint64_t blocks_fetched = 0;
  std::uint64_t blocks_executed = 0;
  // Built over their kind's byte budget (message_budget.h) and therefore not sent. No honest
  // replica should ever count one: every budget fits the frame limit and BLOCKS / FORWARD are
  // chunked; a count here is a bug, not an attack.
  std::uint64_t messages_over_budget = 0;
  std::uint64_t blocks_requested = 0;  // BLOCK-REQUESTs sent for blocks a NEW-VIEW named
  std::uint64_t blocks_served = 0;     // BLOCK-REPLYs sent
  std::uint64_t configurations_entered = 0;  // boundaries crossed (section 2c)
  // PRE-PREPAREs, PREPAREs and COMMITs of the next configuration kept to be replayed once this
  // replica crosses into it (section 2c).
  std::uint64_t next_config_messages_kept = 0;
  // Accepted changes that are no configuration (check_members); every correct replica ignores
  // the same ones.
  std::uint64_t changes_ignored = 0;
};

class Replica {
 public:
  // What one block read costs a requester's allowance at least (FETCH and BLOCK-REQUEST).
  static constexpr std::uint64_t kMinServeChargeBytes = 4096;

  Replica(const ConsensusConfig& config, ReplicaId id, Signer& signer, Verifier& verifier,
          Application& app);

  // Processes one event, appending actions to out (see events.h for the ordering contract).
  // The first event must be StateLoaded. Bad input from peers is dropped and counted, never
  // fatal.
  void handle(const Event& event, std::vector<Action>& out);

  ReplicaId id() const { return id_; }
  ViewNumber view() const { return view_; }
  bool in_view_change() const { return in_view_change_; }
  bool is_primary() const { return primary_of(view_) == id_; }
  // The configuration of stable_seq() + 1: the one this replica's window belongs to.
  const Configuration& configuration() const { return current_; }
  bool is_member() const { return current_.contains(id_); }
  // Every configuration this replica knows of, with the sequence numbers each governs.
  const ConfigSchedule& schedule() const { return schedule_; }
  SeqNumber last_executed() const { return last_executed_; }
  SeqNumber stable_seq() const { return stable_.seq; }
  std::size_t pending_txs() const { return pending_.size(); }
  // The ids of the pending transactions (any order), and how many ever arrived: the set changed
  // since a caller's copy if either this count or pending_txs() did (for the node's API).
  std::vector<Digest> pending_tx_ids() const;
  std::uint64_t pending_arrivals() const { return next_arrival_no_; }
  bool halted() const { return halted_; }
  const ReplicaStats& stats() const { return stats_; }
  // The messages from `peer` buffered for a later view (for tests and metrics).
  BufferUsage buffered_from(ReplicaId peer) const;

 private:
  struct VoteSig {
    Digest digest{};
    Signature sig{};
    ConfigNumber config = 0;  // the configuration it was signed in (checkpoint votes)
  };
  struct Slot {
    std::optional<PrePrepareRecord> pp;  // accepted in the current view
    std::map<ReplicaId, VoteSig> prepares;
    std::map<ReplicaId, VoteSig> commits;
    bool commit_sent = false;
    std::optional<PreparedCertificate> prepared;  // highest view, kept across views
    std::optional<CommitCertificate> committed;   // kept across views
    // The block with its certificate, once committed: shared with the Deliver action, no copy.
    std::shared_ptr<const CommittedBlock> committed_block;
    std::vector<Digest> tx_ids;  // of the block in pp, computed once
  };
  struct NewViewPlan {
    CheckpointProof stable;
    SeqNumber max_seq = 0;
    std::map<SeqNumber, Digest> digests;  // (stable.seq, max_seq]: prepared or null blocks
    // Per seq, the replicas whose VIEW-CHANGE proved that digest prepared (none for a null block).
    std::map<SeqNumber, std::vector<ReplicaId>> provers;
  };
  // A verified NEW-VIEW waiting for blocks its plan names that this replica does not hold.
  struct AwaitedNewView {
    NewView nv;
    NewViewPlan plan;
    std::map<SeqNumber, Block> blocks;  // every planned block held so far (checked digests)
    std::uint32_t rounds = 0;           // of BLOCK-REQUESTs sent
  };

  ReplicaId primary_of(ViewNumber view) const { return current_.primary(view); }
  // The top of the window: stable + L, but never past the next configuration boundary (the
  // window never straddles one) nor past the sequence numbers whose configuration is known.
  SeqNumber high_watermark() const;
  // Every sequence number up to this has a known configuration: changes accepted by blocks
  // not yet executed take effect only above it (section 2c).
  SeqNumber known_through() const {
    return change_boundary(last_executed_ + 1, config_.checkpoint_interval_blocks, config_.window_blocks);
  }
  void drop(DropReason reason) { ++stats_.dropped[static_cast<std::size_t>(reason)]; }
  // Encodes msg if it fits its kind's byte budget; otherwise counts it in
  // stats_.messages_over_budget and returns nullptr: nothing over budget is ever sent.
  SharedBytes encode_within_budget(const Message& msg);
  // Signs body as this replica in configuration `config` (default: the current one), then
  // encode_within_budget (nullptr if over budget).
  SharedBytes sign_message(MessageBody body, Signature* sig_out = nullptr,
                           std::optional<ConfigNumber> config = std::nullopt);
  // Queue wire for one peer / every peer, unless it is nullptr (refused by its budget).
  static void send_to(ReplicaId to, SharedBytes wire, std::vector<Action>& out);
  static void broadcast(SharedBytes wire, std::vector<Action>& out);
  Signature sign_vote(MsgType type, ViewNumber view, SeqNumber seq, const Digest& digest);

  // replica.cpp: dispatch and validation
  void on_message(const MessageReceived& msg, std::vector<Action>& out);
  // The configuration rules of section 2c (who may send what, in which configuration); a
  // message of a later configuration is also a hint that this replica is behind.
  std::optional<DropReason> check_config(const Message& msg, std::vector<Action>& out);
  // For a PRE-PREPARE that passes the cheaper checks, fills pp_tx_ids with its block's
  // transaction ids (tx_digests): each transaction is hashed once per received PRE-PREPARE, for
  // the digest check here, the block's validation and its execution. Untouched for other kinds.
  std::optional<DropReason> precheck(const Message& msg, std::vector<Digest>& pp_tx_ids) const;
  template <typename Field>
  bool slot_has(SeqNumber seq, Field Slot::*field) const;
  std::optional<DropReason> verify(const Message& msg);
  std::optional<DropReason> verify_new_view(const Message& msg);
  std::optional<DropReason> verify_blocks(const BlocksReply& reply);
  // pp_tx_ids: a PRE-PREPARE's transaction ids from precheck (empty for other kinds).
  void dispatch(Message msg, std::vector<Digest> pp_tx_ids, std::vector<Action>& out);
  bool is_future(const Message& msg) const;
  static ViewNumber message_view(const Message& msg);
  void note_future_view(const Message& msg, std::vector<Action>& out);
  static SeqNumber message_seq(const Message& msg);
  // A verified later-view message: kept if its view is within the future-view window.
  void buffer_future(const Message& msg, SharedBytes wire);
  // Keeps a verified message within its sender's budget (or drops it, counted).
  void add_to_buffer(const Message& msg, SharedBytes wire);
  // A vote of the next configuration: kept for when this replica enters it (or dropped and
  // counted); false if msg is not one (docs/consensus.md, section 2c).
  bool keep_for_next_configuration(const Message& msg, const SharedBytes& wire);
  // Replays buffered messages of the current configuration whose view has now been entered;
  // keeps the still-later ones.
  void replay_future(std::vector<Action>& out);

  // replica_normal.cpp: pool, batching, three-phase agreement, execution
  void on_client_tx(const ClientTransaction& ct, std::vector<Action>& out);
  void maybe_propose(bool batch_timer_fired, std::vector<Action>& out);
  void on_preprepare(Message& msg, std::vector<Digest> tx_ids, std::vector<Action>& out);
  void accept_preprepare(PrePrepareRecord rec, std::vector<Digest> tx_ids, std::vector<Action>& out);
  void on_vote(const Message& msg, std::vector<Action>& out);
  void check_prepared(SeqNumber seq, std::vector<Action>& out);
  void check_committed(SeqNumber seq, std::vector<Action>& out);
  void execute_ready(std::vector<Action>& out);
  bool execute_committed_slots(std::vector<Action>& out);
  void after_execution(std::vector<Action>& out);
  void validate_deferred(std::vector<Action>& out);
  void execute_block(std::shared_ptr<const CommittedBlock> block, const std::vector<Digest>& tx_ids,
                     std::vector<Action>& out);
  void remove_pending(const std::vector<Digest>& tx_ids);
  void drop_invalidated_oldest();
  void drop_failing_deferred(std::vector<Bytes>& txs, std::vector<Digest>& ids);
  void arm_request_timer(std::vector<Action>& out);
  void on_request_timer(std::vector<Action>& out);
  // When the oldest pending transaction's request deadline falls (see docs/consensus.md).
  std::uint64_t request_deadline_ms(const PendingTx& p) const;
  // Sends the primary every pending transaction it has not proposed and was not sent yet.
  void forward_overdue(std::vector<Action>& out);
  void on_forward(const Message& msg, std::vector<Action>& out);
  Status block_acceptable(const Block& block, const std::vector<Digest>& tx_ids) const;

  // replica_checkpoint.cpp
  void after_execute_checkpoint(std::vector<Action>& out);
  void on_checkpoint(const Message& msg, std::vector<Action>& out);
  void try_stabilize(SeqNumber seq, std::vector<Action>& out);
  void make_stable(CheckpointProof proof, std::vector<Action>& out);
  void persist_snapshot(std::vector<Action>& out);
  // Nothing more can be ordered until a checkpoint above the stable one is stable: every
  // sequence number of the window is executed (at a boundary the window ends there).
  bool window_used_up() const { return last_executed_ > stable_.seq && last_executed_ >= high_watermark(); }
  // Arms the checkpoint re-send timer while the window is used up; cancels it otherwise.
  void update_checkpoint_resend_timer(std::vector<Action>& out);
  // Re-broadcasts this replica's CHECKPOINT for its highest executed checkpoint above the
  // stable one (the first copies may have been lost, and no later checkpoint can replace
  // it), and fetches (a peer may hold the stable proof already).
  void on_checkpoint_resend_timer(std::vector<Action>& out);

  // replica_config.cpp: configurations (section 2c)
  // Records the changes the application accepted at `height` (after it committed the block).
  void learn_changes(SeqNumber height);
  // Loads every change accepted so far (at start).
  void load_changes();
  // The stable checkpoint reached a boundary: enter view 0 of the configuration after it.
  void enter_configuration(std::vector<Action>& out);
  // Peers to fetch from: the newest known configuration's members, except this replica.
  std::vector<ReplicaId> fetch_peers() const;

  // replica_view_change.cpp
  void start_view_change(ViewNumber new_view, std::vector<Action>& out);
  void broadcast_view_change(std::vector<Action>& out);
  void maybe_arm_view_change_timer(std::vector<Action>& out);
  void on_view_change(const Message& msg, std::vector<Action>& out);
  void maybe_join_higher_view(std::vector<Action>& out);
  void try_send_new_view(std::vector<Action>& out);
  std::optional<NewViewPlan> plan_new_view(const std::vector<SignedViewChange>& vcs) const;
  void on_new_view(const Message& msg, std::vector<Action>& out);
  // Enters nv.view (still in view change) and installs it once every planned block is held,
  // asking provers for the missing ones meanwhile.
  void begin_new_view(NewView nv, NewViewPlan plan, std::vector<Action>& out);
  // Asks for every planned block still missing (one BLOCK-REQUEST each, to a prover first);
  // false if none is missing.
  bool request_missing_blocks(std::vector<Action>& out);
  void install_new_view(const AwaitedNewView& awaited, std::vector<Action>& out);
  void clear_view_state();
  void reset_pending_for_view();
  void on_view_change_timer(std::vector<Action>& out);

  // replica_block_request.cpp: blocks a NEW-VIEW names by digest
  // The block this replica holds for (seq, digest), if any (log, awaited NEW-VIEW, executed).
  std::optional<Block> find_block(SeqNumber seq, const Digest& digest) const;
  void on_block_request(const Message& msg, std::vector<Action>& out);
  void on_block_reply(const Message& msg, std::vector<Action>& out);

  // replica_transfer.cpp: state transfer and restart
  void start_fetch(SeqNumber target, std::vector<Action>& out);
  void send_fetch(std::vector<Action>& out);
  void on_fetch(const Message& msg, std::vector<Action>& out);
  // Refills and returns the bytes of state transfer `peer` may still make this replica serve.
  std::uint64_t& fetch_allowance(ReplicaId peer);
  // Whether a BLOCKS reply this large may have been cut short by the message budget.
  bool reply_may_be_cut(const BlocksReply& reply) const;
  void on_blocks(const Message& msg, std::vector<Action>& out);
  void on_fetch_timer(std::vector<Action>& out);
  void continue_fetch(bool applied, bool full_reply, std::vector<Action>& out);
  // Ends the round; arms the fetch timer again if evidence of being behind is still unmet.
  void end_fetch_round(std::vector<Action>& out);
  void set_fetch_timer(std::uint64_t delay_ms, std::vector<Action>& out);
  // Evidence that peers are ahead (f+1 COMMITs we cannot match, or f+1 senders in a later
  // view): check again shortly and fetch if still behind.
  void note_behind(SeqNumber seq, ViewNumber view, std::vector<Action>& out);
  // The peer to ask next: not one that already had nothing newer in this round, then the
  // fewest failures to deliver, then one whose announced checkpoint reaches the vouched target
  // (and not absurdly beyond it), then round-robin after the current one.
  ReplicaId next_fetch_peer() const;
  // The highest checkpoint f+1 peers announced (at least one correct replica reached it).
  SeqNumber vouched_checkpoint_seq() const;
  void on_state_loaded(const StateLoaded& loaded, std::vector<Action>& out);
  void restore(const PersistedState& st, std::vector<Action>& out);

  const ConsensusConfig config_;
  const DecodeLimits limits_;
  ConfigSchedule schedule_;
  Configuration current_;  // schedule_.at(stable_.seq + 1)
  const ReplicaId id_;
  Signer& signer_;
  Verifier& verifier_;
  Application& app_;

  std::uint64_t now_ms_ = 0;
  // The highest block timestamp accepted or executed: a primary proposes no earlier time, so
  // honest primaries keep block timestamps monotonic across views.
  std::uint64_t last_block_timestamp_ms_ = 0;
  std::uint64_t last_executed_timestamp_ms_ = 0;  // of the block at last_executed_
  bool started_ = false;
  bool halted_ = false;
  ReplicaStats stats_;

  // View state.
  ViewNumber view_ = 0;
  bool in_view_change_ = false;
  std::uint64_t view_change_timeout_ms_;
  bool view_change_escalating_ = false;  // timer armed with 2f+1 view changes in hand
  std::map<ViewNumber, std::map<ReplicaId, SignedViewChange>> view_changes_;
  SharedBytes last_new_view_;  // the NEW-VIEW that installed view_, for lagging peers
  std::optional<AwaitedNewView> awaited_new_view_;  // for view_, while in_view_change_
  // Verified messages for a view or configuration not yet entered, budgeted per peer.
  FutureBuffer future_;
  bool replay_for_new_configuration_ = false;  // set by enter_configuration, see handle
  // Verified PRE-PREPAREs of the current view waiting for their predecessor to execute, with
  // their blocks' transaction ids.
  struct AwaitingPrePrepare {
    Message msg;
    std::vector<Digest> tx_ids;
  };
  std::map<SeqNumber, AwaitingPrePrepare> awaiting_validation_;

  // Log and execution.
  std::map<SeqNumber, Slot> log_;
  SeqNumber next_seq_ = 1;  // the primary's next sequence number
  SeqNumber last_executed_ = 0;
  CheckpointProof stable_;  // low watermark = stable_.seq
  std::map<SeqNumber, Digest> own_checkpoints_;
  std::map<SeqNumber, std::map<ReplicaId, VoteSig>> checkpoint_votes_;
  std::map<ReplicaId, SeqNumber> peer_checkpoint_seq_;
  bool checkpoint_resend_armed_ = false;

  // Pending transactions.
  PendingPool pending_;  // by id, by arrival, and the queue of those not in flight
  std::uint64_t next_arrival_no_ = 0;
  std::unordered_map<Digest, SeqNumber, DigestHash> inflight_;  // tx -> seq proposing it
  std::uint64_t request_deadline_base_ms_ = 0;
  std::optional<std::uint64_t> request_timer_at_ms_;
  bool catchup_tried_ = false;
  bool batch_timer_armed_ = false;

  // State transfer.
  bool fetching_ = false;
  bool fetch_replied_ = false;
  bool fetch_timer_armed_ = false;
  SeqNumber behind_seq_hint_ = 0;
  ViewNumber behind_view_hint_ = 0;
  std::map<ReplicaId, ViewNumber> future_view_senders_;
  std::uint32_t fetch_attempts_ = 0;
  std::set<ReplicaId> fetch_empty_from_;  // peers with nothing newer, in a row, this round
  // Per peer: fetches it failed to deliver since it last delivered (a peer that announces
  // checkpoints it does not serve, or never answers, is asked last).
  std::vector<std::uint32_t> fetch_strikes_;  // by replica id (< id_space)
  SeqNumber fetch_target_ = 0;
  ReplicaId fetch_peer_ = 0;
  // Serving state transfer: each peer's remaining allowance of block bytes (a token bucket).
  struct FetchAllowance {
    std::uint64_t bytes = 0;
    std::uint64_t refilled_at_ms = 0;
    bool started = false;
  };
  std::vector<FetchAllowance> fetch_allowance_;
};

}  // namespace hc::consensus

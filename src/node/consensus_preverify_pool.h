// ConsensusPreverifyPool: hc-node checks its peers' PBFT envelope signatures on a worker thread
// before the engine gets the messages (issue 18 item 3; consensus/preverified.h).
//
// The transport hands every consensus frame to submit() on the consensus thread; the worker
// decodes it and checks its envelope signature (preverify_envelope) with its own Ed25519
// verifier, then hands the message and the entry it made (nullopt when it made none) to the
// `deliver` callback, which the node posts back to the consensus thread. There the driver arms
// the engine's PreverifiedVerifier with the entry just before the engine handles the message,
// so the engine asks the same question and gets the same answer without a second Ed25519
// check. Nothing is accepted because of the pool: an entry answers only the one question whose
// signer, signing input (chain id, configuration number, type, sender, statement) and
// signature are byte for byte its own, and a bad signature gets no entry, so the engine checks
// it itself and refuses it as before. The engine stays pure; only where the work runs moves.
//
// Order: one worker, first in first out, so the engine sees each peer's consensus messages in
// the order the transport received them. Skipped: a COMMIT for a height this replica has
// executed (the engine drops it unchecked, quorum_reached; note_executed tells the pool), and
// VIEW-CHANGEs (preverify_envelope: the engine checks them with their proofs).
//
// Bounds: at most Limits::max_messages messages and max_bytes bytes wait; a message beyond
// either is dropped (counted in dropped(), as a lost message: PBFT recovers from loss by its
// timers and state transfer). The keys: the genesis replicas' at creation, a joined member's
// once learn_member_keys has read it from the committed state (the node calls it where it
// teaches the engine's verifier); a key the pool lacks only means no entry.
//
// Thread-safety: submit, note_executed, learn_member_keys and the counters may be called from
// any thread; `deliver` runs on the worker thread. The destructor stops and joins the worker
// (messages still waiting are dropped); `deliver` must stay callable until then.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "chain/trustee_state.h"
#include "consensus/events.h"
#include "consensus/preverified.h"

namespace hc::node {

class ConsensusPreverifyPool {
 public:
  struct Limits {
    std::size_t max_messages = 4096;
    std::size_t max_bytes = 64u << 20;
  };
  using Deliver = std::function<void(consensus::SharedBytes wire, std::optional<consensus::PreverifiedSignature> entry)>;

  // kInvalidInput if a key does not parse (as Ed25519Verifier::create).
  static Result<std::unique_ptr<ConsensusPreverifyPool>> start(const consensus::ChainId& chain,
                                                               const consensus::DecodeLimits& limits,
                                                               const std::vector<consensus::PublicKey>& keys,
                                                               Limits bounds, Deliver deliver);
  ~ConsensusPreverifyPool();
  ConsensusPreverifyPool(const ConsensusPreverifyPool&) = delete;
  ConsensusPreverifyPool& operator=(const ConsensusPreverifyPool&) = delete;

  // Queues a peer's consensus message for its check; false (counted) if a bound drops it.
  bool submit(consensus::SharedBytes wire);
  // The replica's last executed height: COMMITs at or below it are not checked.
  void note_executed(consensus::SeqNumber height) { executed_.store(height, std::memory_order_relaxed); }
  // Every replica key the committed state knows (node/member_keys.h), into the pool's verifier.
  Status learn_member_keys(const chain::TrusteeStateView& committed);

  std::uint64_t verified() const { return verified_.load(); }  // entries made
  std::uint64_t unverified() const { return unverified_.load(); }  // handed on without an entry
  std::uint64_t dropped() const { return dropped_.load(); }

 private:
  ConsensusPreverifyPool(const consensus::ChainId& chain, const consensus::DecodeLimits& limits,
                         std::unique_ptr<consensus::Ed25519Verifier> verifier, Limits bounds, Deliver deliver);
  void run();
  std::optional<consensus::PreverifiedSignature> check(const Bytes& wire);

  const consensus::ChainId chain_;
  const consensus::DecodeLimits limits_;
  const Limits bounds_;
  const Deliver deliver_;
  std::mutex verifier_mutex_;  // learn_member_keys against the worker's checks
  std::unique_ptr<consensus::Ed25519Verifier> verifier_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<consensus::SharedBytes> queue_;
  std::size_t queued_bytes_ = 0;
  bool stopping_ = false;
  std::atomic<consensus::SeqNumber> executed_{0};
  std::atomic<std::uint64_t> verified_{0};
  std::atomic<std::uint64_t> unverified_{0};
  std::atomic<std::uint64_t> dropped_{0};
  std::thread worker_;  // last: started when everything above exists
};

// Whether `wire` is a COMMIT whose sequence number is at most `executed` (read from the
// envelope's fixed header, messages.h; false for anything shorter or of another type).
bool is_commit_at_or_below(const Bytes& wire, consensus::SeqNumber executed);

}  // namespace hc::node

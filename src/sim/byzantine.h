// Byzantine behaviours as pluggable mutators of a faulty replica's traffic.
//
// A faulty replica runs the honest engine; its behaviour rewrites what the engine sends
// (re-signing with the faulty replica's own key where a valid signature is needed, since it
// cannot forge others') and may hide client transactions from it. Not thread-safe.
#pragma once

#include <deque>
#include <memory>

#include "consensus/crypto.h"
#include "consensus/events.h"
#include "consensus/messages.h"
#include "sim/prng.h"
#include "sim/sim_config.h"

namespace hc::sim {

struct OutMessage {
  consensus::ReplicaId to = 0;
  consensus::SharedBytes wire;
  std::uint64_t extra_delay_us = 0;
  bool client_tx = false;  // wire is a client transaction relayed to a peer, not a message
};

class ByzantineBehavior {
 public:
  virtual ~ByzantineBehavior() = default;
  // The virtual time, before each mutate() (paces floods).
  virtual void tick(std::uint64_t /*now_us*/) {}
  // Rewrites, drops, delays or adds to the messages the engine wants to send.
  virtual void mutate(std::vector<OutMessage>& msgs, Prng& rng) = 0;
  // Whether the faulty replica's engine is shown this client's transactions.
  virtual bool sees_client(std::uint32_t /*client*/) const { return true; }
  // Every message the faulty replica receives (material for replays).
  virtual void observe(const consensus::SharedBytes& /*wire*/) {}
  // A client transaction reached this faulty hospital while primary is the primary of its
  // view: the relays it sends to peers (OutMessage::client_tx), if any.
  virtual void relay_client_tx(const consensus::SharedBytes& /*tx*/, consensus::ReplicaId /*primary*/,
                               std::vector<OutMessage>& /*out*/) {}
};

// The strategies of byzantine_flood.cpp (resource and deposing attacks); nullptr for others.
std::unique_ptr<ByzantineBehavior> make_flood_behavior(Strategy strategy, consensus::ReplicaId self,
                                                       consensus::Signer& signer,
                                                       const consensus::ConsensusConfig& config);

// kStallAtBoundary: silent once it sends a message for a sequence number >= from_seq or of a
// configuration after the genesis one.
std::unique_ptr<ByzantineBehavior> make_stall_behavior(consensus::SeqNumber from_seq);

// kNone yields nullptr; kStallAtBoundary is made by make_stall_behavior.
std::unique_ptr<ByzantineBehavior> make_behavior(Strategy strategy, consensus::ReplicaId self,
                                                 consensus::Signer& signer,
                                                 const consensus::ConsensusConfig& config);

}  // namespace hc::sim

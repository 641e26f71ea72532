// Events into and actions out of the replica state machine.
//
// The driver (the node over TCP, or the simulator) feeds Events and carries out the Actions
// in the order given. Ordering contract: a Persist action must be durable before any later
// action of the same batch is carried out (this is how "persist before send" is enforced);
// Send/Broadcast may then go out in any order and may be lost. Timers are one per kind: a
// SetTimer replaces the pending one of that kind, CancelTimer removes it. Plain values.
#pragma once

#include <memory>
#include <variant>

#include "consensus/types.h"

namespace hc::consensus {

enum class TimerKind : std::uint8_t {
  kBatch = 0,       // the primary's batching delay
  kRequest = 1,     // the oldest pending transaction's deadline
  kViewChange = 2,  // waiting for NEW-VIEW
  kFetch = 3,       // state-transfer retry
  kCheckpoint = 4,  // re-sending this replica's CHECKPOINT while its window is used up
};
constexpr std::size_t kTimerKinds = 5;
const char* timer_kind_name(TimerKind kind);

using SharedBytes = std::shared_ptr<const Bytes>;

// --- events ---
struct MessageReceived {
  SharedBytes wire;  // the raw envelope as received
};
struct TimerFired {
  TimerKind kind = TimerKind::kBatch;
};
struct ClientTransaction {
  Bytes tx;
};
// Must be the first event after construction: the records persisted before (empty on a
// fresh start), in the order they were written since the last snapshot.
struct StateLoaded {
  std::vector<Bytes> records;
};
struct Event {
  std::uint64_t now_ms = 0;  // the driver's clock; the engine reads no clock itself
  std::variant<MessageReceived, TimerFired, ClientTransaction, StateLoaded> what;
};

// --- actions ---
struct SendTo {
  std::uint32_t to = 0;
  SharedBytes wire;
};
struct Broadcast {  // to every other replica
  SharedBytes wire;
};
struct SetTimer {
  TimerKind kind = TimerKind::kBatch;
  std::uint64_t delay_ms = 0;
};
struct CancelTimer {
  TimerKind kind = TimerKind::kBatch;
};
// Append record to the replica's durable log; if snapshot, first drop every earlier record.
struct Persist {
  bool snapshot = false;
  Bytes record;
};
// A block was committed and executed (already passed to Application::commit_block).
struct Deliver {
  std::shared_ptr<const CommittedBlock> block;
};
using Action = std::variant<SendTo, Broadcast, SetTimer, CancelTimer, Persist, Deliver>;

}  // namespace hc::consensus

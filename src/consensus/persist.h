// The replica's durable records: what it must never forget across a crash.
//
// Record layout: kind:u8 | body. Kinds:
//   1 VIEW        view:u64 | in_view_change:u8            (before VIEW-CHANGE / after NEW-VIEW)
//   2 PREPREPARE  view:u64 | seq:u64 | digest:32 | primary_sig:64 | block
//                 (before sending PRE-PREPARE as primary or PREPARE as backup)
//   3 PREPARED    a prepared certificate (before sending COMMIT)
//   4 STABLE      a stable checkpoint proof (first record of every snapshot)
// A snapshot (at each stable checkpoint) rewrites the log as STABLE, VIEW and the records
// of the live window. Decoding is strict. Pure functions, thread-safe.
#pragma once

#include <optional>

#include "consensus/messages.h"

namespace hc::consensus {

struct PrePrepareRecord {
  ViewNumber view = 0;
  SeqNumber seq = 0;
  Digest digest{};
  Signature primary_sig{};
  Block block;
};

struct PersistedState {
  ViewNumber view = 0;
  bool in_view_change = false;
  CheckpointProof stable;
  std::vector<PrePrepareRecord> preprepares;    // in write order
  std::vector<PreparedCertificate> prepared;   // in write order
};

Bytes encode_view_record(ViewNumber view, bool in_view_change);
Bytes encode_preprepare_record(const PrePrepareRecord& rec);
Bytes encode_prepared_record(const PreparedCertificate& cert);
Bytes encode_stable_record(const CheckpointProof& proof);

// Replays records in order. kCorrupt if any record is malformed.
Result<PersistedState> decode_persisted_state(const std::vector<Bytes>& records,
                                              const DecodeLimits& limits);

}  // namespace hc::consensus

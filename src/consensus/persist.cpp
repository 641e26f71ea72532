#include "consensus/persist.h"

#include "consensus/codec.h"

namespace hc::consensus {
namespace {
enum class RecordKind : std::uint8_t { kView = 1, kPrePrepare = 2, kPrepared = 3, kStable = 4 };

Bytes with_kind(RecordKind kind) { return Bytes{static_cast<std::uint8_t>(kind)}; }

Status apply_record(PersistedState& st, ByteSpan rec, const DecodeLimits& lim) {
  if (rec.empty()) return Status::error(ErrorCode::kCorrupt, "empty record");
  WireReader r(rec.subspan(1));
  switch (rec[0]) {
    case static_cast<std::uint8_t>(RecordKind::kView):
      st.view = r.u64();
      st.in_view_change = r.u8() != 0;
      break;
    case static_cast<std::uint8_t>(RecordKind::kPrePrepare): {
      PrePrepareRecord pp;
      pp.view = r.u64();
      pp.seq = r.u64();
      pp.digest = r.fixed<32>();
      pp.primary_sig = r.fixed<64>();
      pp.block = get_block(r, lim);
      st.preprepares.push_back(std::move(pp));
      break;
    }
    case static_cast<std::uint8_t>(RecordKind::kPrepared):
      st.prepared.push_back(get_prepared(r, lim));
      break;
    case static_cast<std::uint8_t>(RecordKind::kStable):
      st.stable = get_checkpoint_proof(r, lim);
      break;
    default:
      return Status::error(ErrorCode::kCorrupt, "unknown record kind");
  }
  const Status s = r.finish("persisted record");
  if (!s.ok()) return Status::error(ErrorCode::kCorrupt, s.message());
  return Status();
}

}  // namespace

Bytes encode_view_record(ViewNumber view, bool in_view_change) {
  Bytes out = with_kind(RecordKind::kView);
  append_u64_be(out, view);
  append_u8(out, in_view_change ? 1 : 0);
  return out;
}

Bytes encode_preprepare_record(const PrePrepareRecord& rec) {
  Bytes out = with_kind(RecordKind::kPrePrepare);
  append_u64_be(out, rec.view);
  append_u64_be(out, rec.seq);
  append_bytes(out, rec.digest);
  append_bytes(out, rec.primary_sig);
  encode_block(out, rec.block);
  return out;
}

Bytes encode_prepared_record(const PreparedCertificate& cert) {
  Bytes out = with_kind(RecordKind::kPrepared);
  put_prepared(out, cert);
  return out;
}

Bytes encode_stable_record(const CheckpointProof& proof) {
  Bytes out = with_kind(RecordKind::kStable);
  put_checkpoint_proof(out, proof);
  return out;
}

Result<PersistedState> decode_persisted_state(const std::vector<Bytes>& records,
                                              const DecodeLimits& limits) {
  PersistedState st;
  for (const Bytes& rec : records) HC_RETURN_IF_ERROR(apply_record(st, rec, limits));
  return st;
}

}  // namespace hc::consensus

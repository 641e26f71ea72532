// decode_state_changes (state_changes.h): the encoding of encode_state_changes read back, for
// a client that checks a membership change's proof against the app hash chain. Every length
// is bounded by the input (a count cannot make it allocate ahead of the bytes) and the result
// must re-encode to exactly the input, so one set of changes has one accepted encoding.
#include <algorithm>

#include "chain/codec.h"
#include "chain/state_changes.h"

namespace hc::chain {

namespace {

// Each counted element takes at least this many bytes, so a count above remaining / this is
// a lie the decoder refuses before looping on it.
constexpr std::size_t kMinEnvelopeKeyBytes = kKeyIdBytes + 4;
constexpr std::size_t kMinRegistryBytes = 8;
constexpr std::size_t kMinEntryBytes = 8;

Result<std::uint32_t> state_element_count(Reader& in, std::size_t min_element_bytes, std::string_view field) {
  HC_ASSIGN_OR_RETURN(std::uint32_t count, in.u32(field));
  if (count > in.remaining() / min_element_bytes) return invalid_input(std::string(field) + " exceeds the encoding");
  return count;
}

Status state_read_body(Reader& in, StateChanges& out) {
  HC_RETURN_IF_ERROR(in.expect_tag("HCSC", "state changes"));
  HC_ASSIGN_OR_RETURN(std::uint32_t keys, state_element_count(in, kMinEnvelopeKeyBytes, "envelope key count"));
  for (std::uint32_t i = 0; i < keys; ++i) {
    EnvelopeKeyEntry k;
    HC_ASSIGN_OR_RETURN(k.key_id, in.array<kKeyIdBytes>("envelope key id"));
    HC_ASSIGN_OR_RETURN(k.spki_der, in.bytes32(0, kMaxEnvelopeSpkiBytes, "envelope key"));
    out.envelope_keys.push_back(std::move(k));
  }
  HC_ASSIGN_OR_RETURN(std::uint32_t registry, state_element_count(in, kMinRegistryBytes, "registry count"));
  for (std::uint32_t i = 0; i < registry; ++i) {
    RegistryEntry r;
    HC_ASSIGN_OR_RETURN(Bytes name, in.bytes32(0, kMaxMemberNameBytes, "registry member name"));
    r.member_name.assign(name.begin(), name.end());
    HC_ASSIGN_OR_RETURN(r.entry, in.bytes32(0, kMaxRegistryEntryBytes, "registry entry"));
    out.registry.push_back(std::move(r));
  }
  HC_ASSIGN_OR_RETURN(std::uint8_t has_epoch, in.u8("new epoch flag"));
  if (has_epoch > 1) return invalid_input("new epoch flag is neither 0 nor 1");
  if (has_epoch == 1) {
    EpochState e;
    HC_ASSIGN_OR_RETURN(e.epoch, in.u64("new epoch"));
    HC_ASSIGN_OR_RETURN(e.started_at_height, in.u64("new epoch start"));
    out.new_epoch = e;
    HC_ASSIGN_OR_RETURN(out.revocation_record, in.bytes32(0, kMaxRevocationRecordBytes, "revocation record"));
  }
  if (in.done()) return Status();
  HC_ASSIGN_OR_RETURN(std::uint32_t entries, state_element_count(in, kMinEntryBytes, "state entry count"));
  for (std::uint32_t i = 0; i < entries; ++i) {
    TrusteeStateEntry e;
    HC_ASSIGN_OR_RETURN(e.key, in.bytes32(1, in.remaining(), "state entry key"));
    HC_ASSIGN_OR_RETURN(e.value, in.bytes32(0, in.remaining(), "state entry value"));
    out.trustee_entries.push_back(std::move(e));
  }
  return in.finish("state changes");
}

}  // namespace

Result<StateChanges> decode_state_changes(ByteSpan encoding) {
  if (encoding.size() > kMaxStateChangesBytes) {
    return Status::error(ErrorCode::kTooLarge, "state changes are longer than " +
                                                   std::to_string(kMaxStateChangesBytes) + " bytes");
  }
  Reader in(encoding);
  StateChanges out;
  HC_RETURN_IF_ERROR(state_read_body(in, out));
  const Bytes again = encode_state_changes(out);
  if (!std::equal(again.begin(), again.end(), encoding.begin(), encoding.end())) {
    return invalid_input("state changes are not in their canonical encoding");
  }
  return out;
}

}  // namespace hc::chain

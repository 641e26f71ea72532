#include "chain/state_changes.h"

#include <algorithm>
#include <string_view>

#include "chain/codec.h"

namespace hc::chain {

StateChanges state_changes_of(const CheckedBlock& checked, std::uint64_t height) {
  StateChanges changes;
  for (std::uint32_t i = 0; i < checked.transactions.size(); ++i) {
    const Transaction& tx = checked.transactions[i];
    if (const auto* r = std::get_if<RecordTx>(&tx)) {
      changes.record_contents.push_back(RecordContentEntry{record_content_digest(r->sealed), i});
    } else if (const auto* p = std::get_if<PublishEnvelopeKeyTx>(&tx)) {
      changes.envelope_keys.push_back(EnvelopeKeyEntry{key_id_of(p->spki_der), p->spki_der});
    } else if (const auto* e = std::get_if<EnrollmentTx>(&tx)) {
      changes.registry.push_back(RegistryEntry{e->member_name, e->registry_entry});
    } else if (const auto* v = std::get_if<RevocationTx>(&tx)) {
      changes.new_epoch = EpochState{v->new_epoch, height};
      changes.revocation_record = v->record;
    }
  }
  return changes;
}

Bytes encode_state_changes(const StateChanges& c) {
  Bytes out(4, 0);
  const char* tag = "HCSC";
  for (int i = 0; i < 4; ++i) out[i] = static_cast<std::uint8_t>(tag[i]);
  append_u32_be(out, static_cast<std::uint32_t>(c.envelope_keys.size()));
  for (const EnvelopeKeyEntry& k : c.envelope_keys) {
    append_bytes(out, k.key_id);
    append_length_prefixed(out, k.spki_der);
  }
  append_u32_be(out, static_cast<std::uint32_t>(c.registry.size()));
  for (const RegistryEntry& r : c.registry) {
    append_length_prefixed(out, bytes_of(r.member_name));
    append_length_prefixed(out, r.entry);
  }
  append_u8(out, c.new_epoch.has_value() ? 1 : 0);
  if (c.new_epoch) {
    append_u64_be(out, c.new_epoch->epoch);
    append_u64_be(out, c.new_epoch->started_at_height);
    append_length_prefixed(out, c.revocation_record);
  }
  // Appended only when present, so the app hash of a chain without trustees-mode state is the
  // same as before trustees mode existed.
  if (!c.trustee_entries.empty()) {
    append_u32_be(out, static_cast<std::uint32_t>(c.trustee_entries.size()));
    for (const TrusteeStateEntry& e : c.trustee_entries) {
      append_length_prefixed(out, e.key);
      append_length_prefixed(out, e.value);
    }
  }
  return out;
}

bool accepts_membership_change(const StateChanges& changes) {
  constexpr std::string_view kChangePrefix = "consortium/change/";
  for (const TrusteeStateEntry& e : changes.trustee_entries) {
    if (e.key.size() > kChangePrefix.size() && std::equal(kChangePrefix.begin(), kChangePrefix.end(), e.key.begin())) {
      return true;
    }
  }
  return false;
}

Digest initial_app_hash(const Digest& genesis_hash) {
  return tagged_hash("HC-APP-GENESIS-v1", {span_of(genesis_hash)});
}

Digest next_app_hash(const Digest& previous_app_hash, std::uint64_t height,
                     const Digest& block_hash, const StateChanges& changes) {
  return next_app_hash_of_encoding(previous_app_hash, height, block_hash, encode_state_changes(changes));
}

Digest next_app_hash_of_encoding(const Digest& previous_app_hash, std::uint64_t height, const Digest& block_hash,
                                 ByteSpan encoded_changes) {
  Bytes h;
  append_u64_be(h, height);
  Digest changes_digest = sha256(encoded_changes);
  return tagged_hash("HC-APP-HASH-v1", {span_of(previous_app_hash), h, span_of(block_hash),
                                        span_of(changes_digest)});
}

}  // namespace hc::chain

// StateChanges: what committing one block changes in the application state besides the
// block itself and its indexes, and the application hash that commits to it.
//
// The application derives StateChanges from a block deterministically; the store writes them in
// the block's single write batch. The application hash is a hash chain over blocks:
//   app_hash(0) = SHA-256("HC-APP-GENESIS-v1" || genesis hash)
//   app_hash(h) = SHA-256("HC-APP-HASH-v1" || app_hash(h-1) || u64 h || block hash
//                         || SHA-256(encode_state_changes(changes of h)))
// so two replicas agree on it iff they applied the same blocks with the same effects. Block h's
// header carries app_hash(h-1). Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "chain/block.h"
#include "chain/digest.h"
#include "chain/transaction.h"
#include "common/bytes.h"

namespace hc::chain {

// The largest state-change encoding decode_state_changes accepts: a block's changes are
// bounded by the block (kMaxBlockBytes) plus the state entries it derives.
inline constexpr std::size_t kMaxStateChangesBytes = 64 * 1024 * 1024;

struct EpochState {
  std::uint64_t epoch = 0;
  std::uint64_t started_at_height = 0;  // height of the block holding the revocation; 0 at genesis
  bool operator==(const EpochState&) const = default;
};

struct EnvelopeKeyEntry {
  KeyId key_id{};
  Bytes spki_der;
};

struct RegistryEntry {
  std::string member_name;
  Bytes entry;
};

// A committed record's sealed content (record_content_digest) and its index in the block.
struct RecordContentEntry {
  Digest content{};
  std::uint32_t index = 0;
};

// One entry of the trustees-mode state (trustee_state.h owns the keys and values), written
// to the store's metadata under "trustees/", or of the governance state, under "consortium/".
struct TrusteeStateEntry {
  Bytes key;  // starts with "trustees/"
  Bytes value;
  bool operator==(const TrusteeStateEntry&) const = default;
};

struct StateChanges {
  // The replay index: every record's content, in block order. It is a function of the block
  // alone (which the block hash already covers), so it is written to the store but not
  // repeated in encode_state_changes.
  std::vector<RecordContentEntry> record_contents;
  std::vector<EnvelopeKeyEntry> envelope_keys;  // in block order
  std::vector<RegistryEntry> registry;          // in block order
  std::optional<EpochState> new_epoch;          // set when the block holds a revocation
  Bytes revocation_record;                      // the record that started new_epoch
  // Trustees mode: key epochs, DKG deals and complaints with their verdicts, DKG outcomes and
  // which trustee answered which access request (trustee_state.h), in a deterministic order;
  // then, in either mode, the consortium governance state a block changes (governance_state.h).
  std::vector<TrusteeStateEntry> trustee_entries;
};

// The state changes of a checked block at `height` (record contents, publications,
// enrollments, revocation). The trustee entries depend on the stored state and are added by
// the application (trustee_rules.h).
StateChanges state_changes_of(const CheckedBlock& checked, std::uint64_t height);

Bytes encode_state_changes(const StateChanges& changes);
// Whether the changes accept a membership change (hold a consortium/change/ entry): the
// blocks whose encoded changes the store keeps as change proofs (ledger_store.h).
bool accepts_membership_change(const StateChanges& changes);
// The inverse of encode_state_changes (record_contents, which it does not carry, stay empty),
// for a client checking a membership change's proof (client/configuration_history.h). Bounded
// (no field longer than the input, at most kMaxStateChangesBytes in all) and canonical: bytes
// that do not re-encode to themselves are refused. kInvalidInput / kTooLarge naming the field.
Result<StateChanges> decode_state_changes(ByteSpan encoding);
Digest initial_app_hash(const Digest& genesis_hash);
Digest next_app_hash(const Digest& previous_app_hash, std::uint64_t height,
                     const Digest& block_hash, const StateChanges& changes);
// The same from the encoded state changes (what a membership change's proof carries).
Digest next_app_hash_of_encoding(const Digest& previous_app_hash, std::uint64_t height, const Digest& block_hash,
                                 ByteSpan encoded_changes);

}  // namespace hc::chain

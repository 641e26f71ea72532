// The consortium's reader policy (issue 13 item 3; docs/ledger.md, "Reader policy"): which
// Ed25519 keys besides the manager's admin key may sign access requests in trustees mode, and
// for what (decrypt records, open signatures to name hospitals). The manager changes it with
// reader_policy transactions (kind 17); the application writes the list into the trustees
// state at commit (one entry per reader key that was ever listed, a removed reader's entry
// kept with listed = false, and one head entry with the policy version and counts), and every
// access request of a block is checked against the list committed before that block, by the
// application and by `hc chain verify` alike (the same functions over a TrusteeStateView).
// Pure functions over the view; thread-safe as its reads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "chain/state_changes.h"
#include "chain/transaction.h"
#include "chain/trustee_state.h"

namespace hc::chain {

// `trustees/reader_policy`: the version of the last change (0: never changed, no reader
// listed) and how many reader keys are listed now and have entries at all.
struct ReaderPolicyHead {
  std::uint64_t version = 0;
  std::uint16_t listed = 0;
  std::uint16_t entries = 0;
  bool operator==(const ReaderPolicyHead&) const = default;
};

// `trustees/reader/` reader key -> the reader as the last change left it.
struct ReaderEntry {
  Ed25519PublicKey key{};
  bool listed = false;            // false: removed (the entry is kept as history)
  std::uint8_t rights = 0;        // kReaderRight* bits it was listed with
  std::uint64_t version = 0;      // the policy version of the change that wrote the entry
  std::uint64_t height = 0;       // the height of that change's block
  Digest tx_id{};                 // that change's transaction id
  std::string name;               // the display name it was listed with (untrusted text)
  bool operator==(const ReaderEntry&) const = default;
};

Result<ReaderPolicyHead> read_reader_policy_head(const TrusteeStateView& state);
Result<std::optional<ReaderEntry>> read_reader(const TrusteeStateView& state, const Ed25519PublicKey& key);
// Every reader entry (listed or removed), ordered by key; at most kMaxReaderPolicyEntries.
Result<std::vector<ReaderEntry>> read_readers(const TrusteeStateView& state);

// ok if `tx` may be committed on `state` (the state before its block; `already_in_block`: an
// earlier transaction of the block changed the policy, which refuses this one: at most one
// change per block). kInvalidInput with a one-line reason otherwise: a single-manager chain,
// another chain, a version other than the next (a replayed or stale change), adding the admin
// key, a listed key or a listed reader's name, more than kMaxListedReaders listed or
// kMaxReaderPolicyEntries entries, removing a key that is not listed. The admin signature is
// checked separately (verify_manager_tx).
Status check_reader_policy_change(const TrusteeStateView& state, const ReaderPolicyTx& tx, bool already_in_block);

// The entries a checked change writes in block `height`: the head and the reader's entry.
Result<std::vector<TrusteeStateEntry>> reader_policy_entries(const TrusteeStateView& state, const ReaderPolicyTx& tx,
                                                             const Digest& tx_id, std::uint64_t height);

// ok if the signer the request names may ask what it asks on `state` (the state before its
// block): the manager (no reader key) always; a reader only if listed with every right the
// request asks for (decrypt, open). kInvalidInput naming the reader and what is missing.
// The signature itself is checked by verify_access_request (trustee_rules.h).
Status check_requester_allowed(const TrusteeStateView& state, const AccessRequestTx& request);

}  // namespace hc::chain

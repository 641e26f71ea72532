// The proof that the chain accepted one membership change, as a node serves it and a client
// checks it (issue 16; docs/consensus.md section 2c, "Clients follow the changes"; docs/api.md,
// GET /v1/consortium/changes). The block at height h that accepts a change writes governance
// entries (consortium/change/<h>, a joiner's consortium/member/<id> and consortium/key/<key>,
// consortium/head) into its state changes; the app hash chain binds them to block h+1's
// header, which carries app_hash(h) (state_changes.h). So a proof is: block h's header, its
// transaction ids and commit certificate; encode_state_changes(changes of h); block h+1's
// header, ids and certificate. The check itself is the client's (client/configuration_history.h).
//
// JSON (every byte string lowercase hex):
//   {"changes": [{"height": h, "header": hex(encode_header), "tx_ids": [hex...],
//                 "certificate": hex, "state_changes": hex,
//                 "next_header": hex, "next_tx_ids": [hex...], "next_certificate": hex}, ...]}
// in height order. Pure functions (the store's reads are thread-safe); thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <vector>

#include "chain/block.h"
#include "chain/ledger_store.h"
#include "chain/limits.h"
#include "common/status.h"

namespace hc::chain {

// At most this many proofs in one answer: every change is a join or an exit and the chain
// accepts at most kMaxMembershipChanges.
inline constexpr std::size_t kMaxChangeProofs = kMaxMembershipChanges;
// At most this many bytes of JSON in one answer (below the HTTP client's response bound);
// a change-accepting block is usually small, but its transaction ids are listed twice.
inline constexpr std::size_t kMaxChangeProofsJsonBytes = 48 * 1024 * 1024;

struct CertifiedHeader {
  BlockHeader header;
  std::vector<Digest> tx_ids;  // in block order: what the certificate's digest covers
  Bytes certificate;
  bool operator==(const CertifiedHeader&) const = default;
};

struct ChangeProof {
  std::uint64_t height = 0;  // of the accepting block
  CertifiedHeader accepting;
  Bytes state_changes;       // encode_state_changes of the accepting block
  CertifiedHeader successor;  // block height + 1
  bool operator==(const ChangeProof&) const = default;
};

// Every accepted change whose successor block is committed, in height order, from the store.
// kUnavailable naming the height if a change has no stored state changes (a ledger written
// before they were kept; the message names `hc chain restore-change-proofs`); kTooLarge past kMaxChangeProofs; store faults as the store reports them.
Result<std::vector<ChangeProof>> change_proofs_from_store(const LedgerStore& store);

nlohmann::json change_proofs_to_json(const std::vector<ChangeProof>& proofs);
// The inverse; kInvalidInput (one line, naming the field and the proof's position) for
// anything malformed, kTooLarge past a bound. Nothing is verified here.
Result<std::vector<ChangeProof>> change_proofs_from_json(const nlohmann::json& answer);

}  // namespace hc::chain

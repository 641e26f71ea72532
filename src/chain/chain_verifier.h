// verify_chain(): walks a stored ledger from block 1 to the tip and recomputes everything a
// block commits to: framing, height, the hash link to the previous block (the genesis hash for
// block 1), the Merkle root, the app-hash chain, the commit certificate (through the hook,
// against the configuration of the block's height from the replayed governance state, so a
// chain verifies from the genesis through every membership change),
// every manager and trustee signature, the trustees-mode state each block writes (rebuilt in
// memory block by block, trustee_state.h, so the app hash covers it), the ledger's record rules (each record's epoch is the one current
// at its height, no record shares a block with a revocation, no sealed content is committed
// twice), and every group signature when a verifier is given (revocations found on the way
// are installed into it, so each record is checked under its epoch's key).
// It stops at the first bad block and reports what is wrong. Used by `hc chain verify`.
//
// Thread-safety: reads the store only; the group verifier is mutated (not shared meanwhile).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "chain/ledger_store.h"
#include "chain/verifiers.h"

namespace hc::chain {

struct ChainFault {
  std::uint64_t height = 0;  // 0: the metadata (tip) rather than a block
  std::string what;
};

struct ChainReport {
  std::uint64_t tip_height = 0;
  std::uint64_t blocks_checked = 0;
  std::uint64_t transactions_checked = 0;
  std::uint64_t manager_signatures_checked = 0;
  std::uint64_t group_signatures_checked = 0;
  // The CPU time of the calling thread in those checks (not wall time: on a loaded machine the
  // cost, not the wait), each block's records verified together as the replicas verify them
  // (`hc bench` derives the per-record cost from it).
  std::chrono::nanoseconds group_signature_time{0};
  bool group_signatures_skipped = false;  // no verifier was given
  std::optional<ChainFault> first_fault;
  // The encoded state changes of every block that accepted a membership change, as replayed
  // (what the store keeps as change proofs: ledger_store.h), in height order.
  std::vector<std::pair<std::uint64_t, Bytes>> membership_change_states;
};

// Fails (Status) only on local read errors; a bad chain is a report with first_fault set.
Result<ChainReport> verify_chain(const LedgerStore& store,
                                 const CommitCertificateVerifier& certificates,
                                 RecordSignatureVerifier* group_signatures);

}  // namespace hc::chain

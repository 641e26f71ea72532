#include "chain/chain_verifier.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <string>
#include <unordered_set>

#include "chain/record_envelope_rules.h"
#include "chain/governance_rules.h"
#include "chain/reader_policy.h"
#include "chain/record_signature_check.h"
#include "chain/trustee_rules.h"
#include "chain/trustee_signing.h"
#include "chain/trustee_state.h"
#include "chain/verification_cache.h"

namespace hc::chain {

namespace {

// The calling thread's CPU time: a verification's cost without the time other processes held
// the CPU (a loaded machine would otherwise inflate it).
std::chrono::nanoseconds thread_cpu_time() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return std::chrono::seconds(now.tv_sec) + std::chrono::nanoseconds(now.tv_nsec);
}

struct WalkState {
  WalkState(const Genesis& genesis, const Digest& genesis_hash) : trustees(genesis, genesis_hash) {}
  Digest previous_hash{};
  Digest app_hash{};
  std::uint64_t epoch = 0;                                 // current after the last block
  std::unordered_set<Digest, DigestHasher> record_contents;  // every record's sealed content
  MemoryTrusteeView trustees;  // the trustees-mode state after the last block
};

// A signature of a non-record transaction: the trustee's, the requester's (the manager or the
// reader an access request names) or the manager's.
Status verify_non_record_signature(const LedgerStore& store, const Transaction& tx) {
  if (trustee_key_from_state(tx)) return Status();  // check_state_signed_trustee_tx
  if (is_trustee_tx(tx)) return verify_trustee_tx(tx, store.genesis());
  if (const auto* request = std::get_if<AccessRequestTx>(&tx)) return verify_access_request(*request, store.genesis());
  return verify_manager_tx(tx, store.genesis().manager_admin_key);
}

// Resharing transactions (their rules and signers) and an answer's signer (a seat of the
// sharing in force at its request's height), as the application checks them, against the
// state before the block. "" if they hold.
std::string check_state_signed_trustee_tx(const LedgerStore& store, const Transaction& tx, std::uint64_t height,
                                          ReshareBlockClaims& claims, const WalkState& walk) {
  if (is_reshare_tx(tx)) {
    Status s = check_reshare_tx(walk.trustees, tx, height, claims);
    return s.ok() ? "" : s.message();
  }
  const auto* answer = std::get_if<DecryptionSharesTx>(&tx);
  if (answer == nullptr) return "";
  auto committed = committed_access_request_at(store, answer->request_id);
  if (!committed.ok()) return "decryption shares: " + committed.status().message();
  Status s = check_answer_signer(walk.trustees, committed->request.key_epoch, committed->height, *answer);
  return s.ok() ? "" : s.message();
}

// The ledger's record rules, again: epoch current at its height, no record in a revocation's
// block, the envelope version of the chain's access mode (version 2: a formed access key), no
// sealed content twice. "" if they hold, otherwise what is wrong.
std::string check_record_rules(const RecordTx& r, bool block_holds_revocation, WalkState& walk) {
  if (block_holds_revocation) {
    return "record in the block of a revocation (epoch " + std::to_string(walk.epoch) +
           " signatures are forgeable from there on)";
  }
  if (r.epoch != walk.epoch) {
    return "record of epoch " + std::to_string(r.epoch) + " committed while epoch " +
           std::to_string(walk.epoch) + " is current";
  }
  Status envelope = check_record_envelope_for_mode(r.sealed, walk.trustees);
  if (!envelope.ok()) return envelope.message();
  if (!walk.record_contents.insert(record_content_digest(r.sealed)).second) {
    return "record repeats the sealed content of an earlier record (a replay)";
  }
  return "";
}

// The reader policy, as the application applies it: a change must be the next version, one
// per block, and fit the list; a request's signer must be the manager or a reader listed with
// the rights it asks for, both against the state before the block. "" if it holds.
std::string check_policy_rules(const Transaction& tx, bool& policy_changed_in_block, const WalkState& walk) {
  if (const auto* request = std::get_if<AccessRequestTx>(&tx)) {
    Status allowed = check_requester_allowed(walk.trustees, *request);
    return allowed.ok() ? "" : allowed.message();
  }
  if (const auto* change = std::get_if<ReaderPolicyTx>(&tx)) {
    Status ok = check_reader_policy_change(walk.trustees, *change, policy_changed_in_block);
    policy_changed_in_block = true;
    return ok.ok() ? "" : ok.message();
  }
  return "";
}

// Rules and signatures of one checked block; "" if all hold, otherwise what is wrong.
std::string check_transactions(const LedgerStore& store, const CheckedBlock& checked, std::uint64_t height,
                               RecordSignatureVerifier* group, WalkState& walk, ChainReport& report) {
  const bool holds_revocation =
      std::any_of(checked.transactions.begin(), checked.transactions.end(),
                  [](const Transaction& tx) { return std::holds_alternative<RevocationTx>(tx); });
  bool policy_changed = false;
  GovernanceBlockClaims governance;
  ReshareBlockClaims reshare_claims;
  // The records' signatures, verified together as the application does (one batch per key).
  // They depend only on the state before the block: a block that holds a revocation holds no
  // record (the walk below refuses any before looking at its signature), so nothing here can
  // change a key the records are checked under.
  std::vector<Status> record_verdicts(checked.transactions.size());
  if (group != nullptr && !holds_revocation) {
    std::vector<const RecordTx*> records;
    std::vector<std::size_t> record_at;
    for (std::size_t i = 0; i < checked.transactions.size(); ++i) {
      if (const auto* r = std::get_if<RecordTx>(&checked.transactions[i])) {
        records.push_back(r);
        record_at.push_back(i);
      }
    }
    const std::chrono::nanoseconds started = thread_cpu_time();
    std::vector<Status> verdicts = verify_record_signatures(*group, walk.trustees, records);
    report.group_signature_time += thread_cpu_time() - started;
    for (std::size_t j = 0; j < records.size(); ++j) record_verdicts[record_at[j]] = std::move(verdicts[j]);
  }
  for (std::size_t i = 0; i < checked.transactions.size(); ++i) {
    const Transaction& tx = checked.transactions[i];
    const std::string where = "transaction " + std::to_string(i) + ": ";
    if (const auto* r = std::get_if<RecordTx>(&tx)) {
      std::string broken = check_record_rules(*r, holds_revocation, walk);
      if (!broken.empty()) return where + broken;
      if (group == nullptr) continue;
      const Status& s = record_verdicts[i];
      if (!s.ok()) return where + "group signature: " + s.message();
      ++report.group_signatures_checked;
      continue;
    }
    if (is_governance_tx(tx)) {  // its signer's key and its rules come from the state before the block
      Status g = check_governance_tx(walk.trustees, tx, height, governance);
      if (!g.ok()) return where + g.message();
      ++report.manager_signatures_checked;
      continue;
    }
    Status s = verify_non_record_signature(store, tx);
    if (!s.ok()) return where + s.message();
    std::string state_signed = check_state_signed_trustee_tx(store, tx, height, reshare_claims, walk);
    if (!state_signed.empty()) return where + state_signed;
    ++report.manager_signatures_checked;
    std::string refused = check_policy_rules(tx, policy_changed, walk);
    if (!refused.empty()) return where + refused;
    if (const auto* v = std::get_if<RevocationTx>(&tx)) {
      if (v->new_epoch != walk.epoch + 1) return where + "revocation does not start the next epoch";
      if (group != nullptr) {
        Status applied = group->apply_revocation(v->new_epoch, v->record);
        if (!applied.ok()) return where + "revocation record: " + applied.message();
      }
      walk.epoch = v->new_epoch;
    }
  }
  return "";
}

// Checks block `height`; "" if good, otherwise what is wrong. Advances `walk`.
Result<std::string> check_one(const LedgerStore& store, std::uint64_t height,
                              const CommitCertificateVerifier& certificates,
                              RecordSignatureVerifier* group, WalkState& walk,
                              ChainReport& report) {
  auto raw = store.read_block_bytes(height);
  if (!raw.ok()) {
    if (raw.status().code() == ErrorCode::kCorrupt) return std::string("block is missing");
    return raw.status();
  }
  auto block = decode_block(*raw);
  if (!block.ok()) return "does not decode: " + block.status().message();
  const BlockHeader& h = block->header;
  if (h.height != height) return "header height is " + std::to_string(h.height);
  if (h.previous_hash != walk.previous_hash) return std::string("previous hash does not link");
  if (h.app_hash != walk.app_hash) return std::string("app hash does not match the recomputed one");
  auto checked = check_block(*block);
  if (!checked.ok()) return checked.status().message();
  // Against the configuration of this height, from the replayed state of the blocks below it.
  Status cert = certificates.verify_in_chain(h, checked->hash, checked->tx_ids, block->commit_certificate, walk.trustees);
  if (!cert.ok()) return cert.message();
  std::string sig_fault = check_transactions(store, *checked, height, group, walk, report);
  if (!sig_fault.empty()) return sig_fault;
  StateChanges changes = state_changes_of(*checked, height);
  auto trustee_entries = trustee_changes_of(walk.trustees, *checked, height);
  if (!trustee_entries.ok()) return "trustees-mode state: " + trustee_entries.status().message();
  changes.trustee_entries = std::move(trustee_entries).value();
  auto governance_entries = governance_changes_of(walk.trustees, *checked, height);
  if (!governance_entries.ok()) return "consortium governance state: " + governance_entries.status().message();
  for (auto& entry : *governance_entries) changes.trustee_entries.push_back(std::move(entry));
  walk.trustees.apply(changes.trustee_entries);
  if (group != nullptr && !changes.trustee_entries.empty()) {
    Status learned = group->refresh_opener_keys(walk.trustees);
    if (!learned.ok()) return "the trustees' opener key: " + learned.message();
  }
  walk.app_hash = next_app_hash(walk.app_hash, height, checked->hash, changes);
  if (accepts_membership_change(changes)) report.membership_change_states.emplace_back(height, encode_state_changes(changes));
  walk.previous_hash = checked->hash;
  report.transactions_checked += checked->transactions.size();
  return std::string();
}

}  // namespace

Result<ChainReport> verify_chain(const LedgerStore& store,
                                 const CommitCertificateVerifier& certificates,
                                 RecordSignatureVerifier* group_signatures) {
  ChainReport report;
  report.group_signatures_skipped = group_signatures == nullptr;
  const ChainTip tip = store.tip();
  report.tip_height = tip.height;
  WalkState walk(store.genesis(), store.genesis_hash());
  walk.previous_hash = store.genesis_hash();
  walk.app_hash = initial_app_hash(store.genesis_hash());
  if (group_signatures != nullptr) {
    // A version-7 single-manager genesis's opener key (its proof checked) before any record.
    Status opener = group_signatures->refresh_opener_keys(walk.trustees);
    if (!opener.ok()) {
      report.first_fault = ChainFault{0, opener.message()};
      return report;
    }
  }
  for (std::uint64_t height = 1; height <= tip.height; ++height) {
    HC_ASSIGN_OR_RETURN(std::string fault,
                        check_one(store, height, certificates, group_signatures, walk, report));
    if (!fault.empty()) {
      report.first_fault = ChainFault{height, fault};
      return report;
    }
    ++report.blocks_checked;
  }
  if (walk.previous_hash != tip.block_hash || walk.app_hash != tip.app_hash) {
    report.first_fault = ChainFault{0, "stored tip does not match the last block"};
  }
  return report;
}

}  // namespace hc::chain

#include "chain/healthchain_app.h"

#include <algorithm>
#include <functional>
#include <string>

#include "chain/enrollment_rules.h"
#include "chain/limits.h"
#include "chain/record_envelope_rules.h"
#include "chain/record_signature_check.h"
#include "chain/reshare_state.h"
#include "chain/trustee_signing.h"
#include "crypto/envelope_key.h"

namespace hc::chain {

namespace {
Status reject(const std::string& why) { return invalid_input(why); }
}  // namespace

HealthchainApp::HealthchainApp(LedgerStore& store, RecordSignatureVerifier& group_verifier,
                               const CommitCertificateVerifier& certificate_verifier,
                               EpochState epoch, std::uint64_t last_timestamp_ms)
    : store_(store), group_verifier_(group_verifier),
      certificate_verifier_(certificate_verifier), epoch_(epoch),
      last_timestamp_ms_(last_timestamp_ms),
      admin_key_id_(key_id_of(store.genesis().manager_admin_key)),
      cache_(kVerificationCacheEntries), pending_records_(kMaxPendingRecordContents),
      admission_claims_(kMaxAdmissionClaimants),
      trustee_rules_(store), pool_(kVerificationThreads) {}

Result<std::unique_ptr<HealthchainApp>> HealthchainApp::start(
    LedgerStore& store, RecordSignatureVerifier& group_verifier,
    const CommitCertificateVerifier& certificate_verifier) {
  HC_ASSIGN_OR_RETURN(EpochState epoch, store.epoch_state());
  HC_ASSIGN_OR_RETURN(auto revocations, store.revocations());
  for (const auto& [new_epoch, record] : revocations) {
    Status s = group_verifier.apply_revocation(new_epoch, record);
    if (!s.ok()) return s.with_context("re-installing revocation of epoch " + std::to_string(new_epoch));
  }
  HC_RETURN_IF_ERROR(group_verifier.refresh_opener_keys(StoreTrusteeView(store)).with_context("the opener keys"));
  std::uint64_t last_timestamp_ms = store.genesis().genesis_time_ms;
  ChainTip tip = store.tip();
  if (tip.height > 0) {
    HC_ASSIGN_OR_RETURN(Block last, store.read_block(tip.height));
    last_timestamp_ms = last.header.timestamp_ms;
  }
  return std::unique_ptr<HealthchainApp>(new HealthchainApp(
      store, group_verifier, certificate_verifier, epoch, last_timestamp_ms));
}

Digest HealthchainApp::app_hash() const { return store_.tip().app_hash; }
std::uint64_t HealthchainApp::committed_height() const { return store_.tip().height; }

bool HealthchainApp::wants_block() const {
  const std::uint64_t height = committed_height();
  if (wants_block_at_ && wants_block_at_->first == height) return wants_block_at_->second;
  const Result<bool> wants = dkg_wants_blocks(StoreTrusteeView(store_), height);
  const Result<bool> change_ready = governance_wants_block(StoreTrusteeView(store_), height + 1);
  const Result<bool> resharing = reshare_wants_blocks(StoreTrusteeView(store_), height);
  wants_block_at_ = std::make_pair(height, (wants.ok() && *wants) || (change_ready.ok() && *change_ready) ||
                                               (resharing.ok() && *resharing));
  return wants_block_at_->second;
}

Result<std::vector<MembershipChange>> HealthchainApp::membership_changes(std::uint64_t from_height) const {
  return read_membership_changes(StoreTrusteeView(store_), from_height);
}

Status HealthchainApp::check_epoch(std::uint64_t tx_epoch, const BlockContext& ctx) const {
  if (ctx.holds_revocation) {
    return reject("record: a block holding a revocation holds no records (the revocation makes "
                  "epoch " + std::to_string(epoch_.epoch) + " signatures forgeable)");
  }
  if (tx_epoch != epoch_.epoch) {
    return reject("record: epoch " + std::to_string(tx_epoch) + " is not current (" +
                  std::to_string(epoch_.epoch) + ")");
  }
  if (ctx.admission && revocation_admitted_for_ == epoch_.epoch + 1) {
    return Status::error(ErrorCode::kUnavailable,
                         "record: epoch " + std::to_string(epoch_.epoch) +
                             " is being revoked; resubmit once the revocation is committed");
  }
  return Status();
}

Status HealthchainApp::check_replay(const RecordTx& r, const Digest& id, BlockContext& ctx) const {
  const Digest content = record_content_digest(r.sealed);
  if (!ctx.record_contents.insert(content).second) {
    return reject("record: the same sealed content appears twice in the block");
  }
  HC_ASSIGN_OR_RETURN(auto committed, store_.find_record_content(content));
  if (committed) {
    return Status::error(ErrorCode::kAlreadyExists,
                         "record: its sealed content is already committed at height " +
                             std::to_string(committed->height) + " (a replay)");
  }
  if (ctx.admission) {
    auto claimant = pending_records_.claimant(content);
    if (claimant && *claimant != id) {
      // A claimant whose signature is not known good (records are verified with their block)
      // may be a copy of someone's content under a bad signature, made to have the real
      // record refused here: the newcomer displaces it if its own signature verifies (admit).
      const std::optional<Status> verdict = cache_.find(*claimant);
      if (!verdict || !verdict->ok()) {
        ctx.displaces = *claimant;
        return Status();
      }
      return Status::error(ErrorCode::kAlreadyExists,
                           "record: its sealed content is already pending as transaction " +
                               digest_hex(*claimant) + " (a replay)");
    }
  }
  return Status();
}

Status HealthchainApp::check_record(const RecordTx& r, const Digest& id, BlockContext& ctx) const {
  if (r.sealed.ciphertext.size() > store_.genesis().limits.max_record_ciphertext_bytes) {
    return Status::error(ErrorCode::kTooLarge, "record: ciphertext exceeds the chain limit");
  }
  HC_RETURN_IF_ERROR(check_epoch(r.epoch, ctx));
  HC_RETURN_IF_ERROR(check_record_envelope_for_mode(r.sealed, StoreTrusteeView(store_)));
  if (r.sealed.envelope_version == kRecordEnvelopeV1) {
    HC_ASSIGN_OR_RETURN(auto key, store_.envelope_key(r.sealed.key_id));
    if (!key) return reject("record: unknown envelope key id " + to_hex(r.sealed.key_id));
  }
  return check_replay(r, id, ctx);
}

Status HealthchainApp::check_manager_tx(const Transaction& tx, BlockContext& ctx) const {
  if (const auto* p = std::get_if<PublishEnvelopeKeyTx>(&tx)) {
    HC_RETURN_IF_ERROR(crypto::check_rsa3072_spki(p->spki_der));
    KeyId id = key_id_of(p->spki_der);
    HC_ASSIGN_OR_RETURN(auto known, store_.envelope_key(id));
    if (known || !ctx.new_keys.insert(id).second) return reject("envelope key already published");
    return Status();
  }
  if (const auto* v = std::get_if<RevocationTx>(&tx)) {
    if (ctx.has_revocation) return reject("revocation: at most one per block");
    if (v->new_epoch != epoch_.epoch + 1) return reject("revocation: new epoch must be current + 1");
    HC_RETURN_IF_ERROR(group_verifier_.check_revocation(v->new_epoch, v->record));
    ctx.has_revocation = true;
    return Status();
  }
  if (const auto* e = std::get_if<EnrollmentTx>(&tx)) {
    if (e->boxed) HC_RETURN_IF_ERROR(check_boxed_enrollment(StoreTrusteeView(store_), *e, epoch_.epoch));
    HC_ASSIGN_OR_RETURN(auto known, store_.registry_entry(e->member_name));
    if (known || !ctx.new_members.insert(e->member_name).second) {
      return reject("enrollment: member " + e->member_name + " already enrolled");
    }
    return Status();
  }
  const auto& a = std::get<AccessAuditTx>(tx);
  if (a.manager_key_id == admin_key_id_) return Status();
  HC_ASSIGN_OR_RETURN(auto key, store_.envelope_key(a.manager_key_id));
  if (!key) return reject("audit: unknown manager key id");
  return Status();
}

Status HealthchainApp::check_state(const Transaction& tx, const Digest& id,
                                   BlockContext& ctx) const {
  if (!ctx.tx_ids.insert(id).second) return reject("duplicate transaction in block");
  HC_ASSIGN_OR_RETURN(auto location, store_.find_transaction(id));
  if (location) return reject("transaction already committed at height " + std::to_string(location->height));
  if (const auto* r = std::get_if<RecordTx>(&tx)) return check_record(*r, id, ctx);
  if (is_governance_tx(tx)) return check_governance_tx(StoreTrusteeView(store_), tx, ctx.height, ctx.governance);
  if (is_trustees_mode_tx(tx)) {
    return trustee_rules_.check(tx, id, TrusteeCheckPoint{ctx.height, ctx.timestamp_ms, ctx.admission}, ctx.trustees);
  }
  return check_manager_tx(tx, ctx);
}

Status HealthchainApp::verify_signature(const Transaction& tx) const {
  if (const auto* r = std::get_if<RecordTx>(&tx)) {
    return verify_record_signature(group_verifier_, StoreTrusteeView(store_), *r);
  }
  // A resharing transaction's or an answer's signer is a seat the state names: TrusteeRules checks it.
  if (trustee_key_from_state(tx)) return Status();
  if (is_trustee_tx(tx)) return verify_trustee_tx(tx, store_.genesis());
  // A governance signer's key is a fact of the committed state: check_governance_tx checks it.
  if (is_governance_tx(tx)) return Status();
  if (const auto* request = std::get_if<AccessRequestTx>(&tx)) return verify_access_request(*request, store_.genesis());
  return verify_manager_tx(tx, store_.genesis().manager_admin_key);
}

Status HealthchainApp::verify_signatures(const std::vector<Transaction>& txs,
                                         const std::vector<Digest>& ids) {
  const std::vector<Status> outcomes = signature_outcomes(txs, ids);
  for (std::size_t i = 0; i < txs.size(); ++i) {
    if (!outcomes[i].ok()) return outcomes[i].with_context("transaction " + std::to_string(i));
  }
  return Status();
}

std::vector<Status> HealthchainApp::signature_outcomes(const std::vector<Transaction>& txs,
                                                       const std::vector<Digest>& ids) {
  std::vector<Status> outcomes(txs.size());
  std::vector<std::size_t> pending;
  for (std::size_t i = 0; i < txs.size(); ++i) {
    auto cached = cache_.find(ids[i]);
    if (cached) {
      outcomes[i] = *cached;
    } else {
      pending.push_back(i);
    }
  }
  // Each worker takes a share of the pending transactions; the records of its share are
  // verified together (their BBS04-ElGamal signatures as one batch per key), the others one by
  // one.
  const std::size_t shares = std::min(pool_.size(), pending.size());
  std::vector<std::function<void()>> tasks;
  for (std::size_t s = 0; s < shares; ++s) {
    tasks.emplace_back([&, s] {
      std::vector<const RecordTx*> records;
      std::vector<std::size_t> record_at;
      for (std::size_t k = s; k < pending.size(); k += shares) {
        if (const auto* r = std::get_if<RecordTx>(&txs[pending[k]])) {
          records.push_back(r);
          record_at.push_back(pending[k]);
        } else {
          outcomes[pending[k]] = verify_signature(txs[pending[k]]);
        }
      }
      if (records.empty()) return;
      std::vector<Status> verdicts = verify_record_signatures(group_verifier_, StoreTrusteeView(store_), records);
      for (std::size_t j = 0; j < records.size(); ++j) outcomes[record_at[j]] = std::move(verdicts[j]);
    });
  }
  pool_.run_all(std::move(tasks));
  signatures_verified_ += pending.size();
  // Only verdicts on the transaction itself are final; an unknown epoch or a local failure is
  // not remembered.
  for (std::size_t i : pending) {
    const Status& o = outcomes[i];
    if (o.ok() || o.code() == ErrorCode::kAuthFailed || o.code() == ErrorCode::kInvalidInput) {
      cache_.insert(ids[i], o);
    }
  }
  return outcomes;
}

Status HealthchainApp::check_tx_verified(ByteSpan transaction) {
  HC_RETURN_IF_ERROR(check_tx(transaction));
  const Bytes one(transaction.begin(), transaction.end());
  return deferred_outcomes({one}).front();
}

// Two records of one sealed content in a batch: the later one's admission would displace the
// earlier while its verdict is unknown (check_replay), where one call each finds the earlier
// verified and refuses the later as a replay; such a batch is checked one by one.
bool HealthchainApp::shares_sealed_content(const std::vector<Bytes>& txs) {
  std::set<Digest> contents;
  for (const Bytes& bytes : txs) {
    Result<Transaction> tx = decode_transaction(bytes);
    if (!tx.ok() || !std::holds_alternative<RecordTx>(*tx)) continue;
    if (!contents.insert(record_content_digest(std::get<RecordTx>(*tx).sealed)).second) return true;
  }
  return false;
}

std::vector<Status> HealthchainApp::check_txs_verified(const std::vector<Bytes>& txs) {
  std::vector<Status> verdicts;
  verdicts.reserve(txs.size());
  if (shares_sealed_content(txs)) {
    for (const Bytes& tx : txs) verdicts.push_back(check_tx_verified(tx));
    return verdicts;
  }
  std::vector<std::size_t> admitted;  // indices into txs
  for (std::size_t i = 0; i < txs.size(); ++i) {
    verdicts.push_back(check_tx(txs[i]));
    if (verdicts.back().ok()) admitted.push_back(i);
  }
  std::vector<Bytes> subset;  // only when some failed: usually the batch is txs itself
  if (admitted.size() != txs.size()) {
    for (std::size_t i : admitted) subset.push_back(txs[i]);
  }
  const std::vector<Status> deferred = deferred_outcomes(admitted.size() == txs.size() ? txs : subset);
  for (std::size_t k = 0; k < deferred.size(); ++k) {
    if (!deferred[k].ok()) verdicts[admitted[k]] = deferred[k];
  }
  return verdicts;
}

std::vector<std::size_t> HealthchainApp::check_deferred(const std::vector<Bytes>& txs) {
  const std::vector<Status> outcomes = deferred_outcomes(txs);
  std::vector<std::size_t> failing;
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    if (!outcomes[i].ok()) failing.push_back(i);
  }
  return failing;
}

std::vector<Status> HealthchainApp::deferred_outcomes(const std::vector<Bytes>& txs) {
  std::vector<Status> out(txs.size());
  std::vector<Transaction> records;
  std::vector<Digest> ids;
  std::vector<std::size_t> record_at;
  for (std::size_t i = 0; i < txs.size(); ++i) {
    Result<Transaction> tx = decode_transaction(txs[i]);
    if (!tx.ok()) {
      out[i] = tx.status();  // check_tx refuses it too; never proposed
      continue;
    }
    if (!std::holds_alternative<RecordTx>(*tx)) continue;  // verified at admission
    const Digest id = transaction_id(txs[i]);
    // A record another one displaced (same sealed content, check_replay) stays in the engine's
    // pool: it fails here even with a good signature, or a block would hold the content twice.
    const auto claimant = pending_records_.claimant(record_content_digest(std::get<RecordTx>(*tx).sealed));
    if (claimant && *claimant != id) {
      out[i] = Status::error(ErrorCode::kAlreadyExists, "record: its sealed content is pending as transaction " +
                                                            digest_hex(*claimant) + " (displaced)");
      continue;
    }
    records.push_back(std::move(tx).value());
    ids.push_back(id);
    record_at.push_back(i);
  }
  std::vector<Status> outcomes = signature_outcomes(records, ids);
  for (std::size_t k = 0; k < records.size(); ++k) {
    if (outcomes[k].ok()) continue;
    ++deferred_failures_;
    // Its sealed content is free again for a record whose signature verifies.
    const Digest content = record_content_digest(std::get<RecordTx>(records[k]).sealed);
    if (pending_records_.claimant(content) == ids[k]) pending_records_.release(content);
    out[record_at[k]] = std::move(outcomes[k]);
  }
  return out;
}

Status HealthchainApp::check_tx(ByteSpan transaction) {
  HC_ASSIGN_OR_RETURN(Transaction tx, decode_transaction(transaction));
  const Digest id = transaction_id(transaction);
  Status admitted_or_not = admit(std::move(tx), id);
  // Refused: the engine drops it from its pool, so its claims end.
  if (!admitted_or_not.ok()) admission_claims_.release(id);
  return admitted_or_not;
}

Status HealthchainApp::admit(Transaction tx, const Digest& id) {
  BlockContext ctx;
  ctx.height = store_.tip().height + 1;
  ctx.admission = true;
  ctx.timestamp_ms = last_timestamp_ms_;
  HC_RETURN_IF_ERROR(check_state(tx, id, ctx));
  // What a pending transaction excludes from its block (admission_claims.h).
  HC_ASSIGN_OR_RETURN(std::vector<Digest> claim_keys, admission_claim_keys(StoreTrusteeView(store_), tx));
  std::size_t slots = 0;
  if (opens_proposal(tx)) {
    HC_ASSIGN_OR_RETURN(std::size_t open, open_proposal_count(StoreTrusteeView(store_), ctx.height));
    slots = open < kMaxOpenProposals ? kMaxOpenProposals - open : 0;
  }
  HC_RETURN_IF_ERROR(admission_claims_.check(id, claim_keys, opens_proposal(tx), slots)
                         .with_context(tx_kind_name(kind_of(tx))));
  if (const auto* record = std::get_if<RecordTx>(&tx)) {
    // Its group signature is verified with its block (check_deferred, validate_block): here only
    // what needs no pairing, and a verdict already known; at once only when it would displace
    // an unverified claimant of its sealed content (check_replay).
    const std::optional<Status> known = cache_.find(id);
    if (known && !known->ok()) return *known;
    HC_RETURN_IF_ERROR(check_record_signature_form(StoreTrusteeView(store_), *record));
    if (ctx.displaces) {
      std::vector<Transaction> one{tx};
      HC_RETURN_IF_ERROR(verify_signatures(one, {id}));
      pending_records_.release(record_content_digest(record->sealed));
    }
    admitted(tx, id, claim_keys);
    return Status();
  }
  std::vector<Transaction> one;
  one.push_back(std::move(tx));
  HC_RETURN_IF_ERROR(verify_signatures(one, {id}));
  admitted(one.front(), id, claim_keys);
  return Status();
}

void HealthchainApp::admitted(const Transaction& tx, const Digest& id, const std::vector<Digest>& claim_keys) {
  admission_claims_.claim(id, claim_keys, opens_proposal(tx), store_.tip().height);
  if (const auto* r = std::get_if<RecordTx>(&tx)) {
    pending_records_.claim(record_content_digest(r->sealed), id, r->epoch);
  } else if (const auto* v = std::get_if<RevocationTx>(&tx)) {
    revocation_admitted_for_ = v->new_epoch;  // check_state made it epoch + 1
  }
}

Status HealthchainApp::check_header(const BlockHeader& h) const {
  ChainTip tip = store_.tip();
  if (h.height != tip.height + 1) return reject("block: height is not tip + 1");
  if (h.previous_hash != tip.block_hash) return reject("block: previous hash mismatch");
  if (h.app_hash != tip.app_hash) return reject("block: app hash mismatch");
  HC_ASSIGN_OR_RETURN(auto proposer, read_member(StoreTrusteeView(store_), h.proposer));
  if (!proposer) return reject("block: proposer is not a replica");
  if (h.timestamp_ms < last_timestamp_ms_) return reject("block: timestamp goes backwards");
  return Status();
}

Result<CheckedBlock> HealthchainApp::validate(const Block& block) {
  HC_RETURN_IF_ERROR(check_header(block.header));
  const ChainLimits& limits = store_.genesis().limits;
  if (block.transactions.size() > limits.max_block_transactions) {
    return Status::error(ErrorCode::kTooLarge, "block: too many transactions for this chain");
  }
  std::size_t bytes = 0;
  for (const Bytes& tx : block.transactions) bytes += tx.size() + 4;
  if (bytes > limits.max_block_bytes) {
    return Status::error(ErrorCode::kTooLarge, "block: larger than this chain's limit");
  }
  HC_ASSIGN_OR_RETURN(CheckedBlock checked, check_block(block));
  BlockContext ctx;
  ctx.height = block.header.height;
  ctx.timestamp_ms = block.header.timestamp_ms;
  ctx.holds_revocation = std::any_of(checked.transactions.begin(), checked.transactions.end(),
                                     [](const Transaction& tx) { return std::holds_alternative<RevocationTx>(tx); });
  for (std::size_t i = 0; i < checked.transactions.size(); ++i) {
    Status s = check_state(checked.transactions[i], checked.tx_ids[i], ctx);
    if (!s.ok()) return s.with_context("transaction " + std::to_string(i));
  }
  HC_RETURN_IF_ERROR(verify_signatures(checked.transactions, checked.tx_ids));
  return checked;
}

Status HealthchainApp::validate_block(const Block& proposed) { return validate(proposed).status(); }

Result<Digest> HealthchainApp::commit_block(const Block& block) {
  HC_ASSIGN_OR_RETURN(CheckedBlock checked, validate(block));
  // Against the configuration of its height, from the state the block is applied to.
  HC_RETURN_IF_ERROR(certificate_verifier_.verify_in_chain(block.header, checked.hash, checked.tx_ids,
                                                           block.commit_certificate, StoreTrusteeView(store_)));
  StateChanges changes = state_changes_of(checked, block.header.height);
  HC_ASSIGN_OR_RETURN(changes.trustee_entries, trustee_rules_.changes_of(checked, block.header.height));
  HC_ASSIGN_OR_RETURN(auto governance, governance_changes_of(StoreTrusteeView(store_), checked, block.header.height));
  for (auto& entry : governance) changes.trustee_entries.push_back(std::move(entry));
  HC_ASSIGN_OR_RETURN(Digest app_hash, store_.commit_block(block, changes));
  last_timestamp_ms_ = block.header.timestamp_ms;
  for (const RecordContentEntry& r : changes.record_contents) pending_records_.release(r.content);
  for (const Digest& id : checked.tx_ids) admission_claims_.release(id);
  admission_claims_.expire(block.header.height);
  if (changes.new_epoch) {
    Status s = group_verifier_.apply_revocation(changes.new_epoch->epoch, changes.revocation_record);
    // The block is durable; a verifier that cannot install a checked record is a local fault.
    if (!s.ok()) return Status::error(ErrorCode::kInternal, "installing revocation: " + s.message());
    epoch_ = *changes.new_epoch;
    pending_records_.release_epochs_before(epoch_.epoch);
  }
  if (!changes.trustee_entries.empty()) {
    Status s = group_verifier_.refresh_opener_keys(StoreTrusteeView(store_));
    if (!s.ok()) return Status::error(ErrorCode::kInternal, "learning the trustees' opener keys: " + s.message());
  }
  return app_hash;
}

}  // namespace hc::chain

#include "chain/trustee_rules.h"

#include <algorithm>
#include <string>

#include "chain/partial_opening_binding.h"

#include "chain/limits.h"
#include "chain/opener_dkg_state.h"
#include "chain/reader_policy.h"
#include "chain/trustee_state.h"
#include "crypto/threshold/dkg_complaint.h"
#include "crypto/threshold/deal_forms.h"
#include "crypto/threshold/dkg_deal.h"
#include "crypto/threshold/dkg_outcome.h"

namespace hc::chain {

namespace {
Status refuse_trustee_tx(const std::string& why) { return invalid_input(why); }

std::string heights_text(std::uint64_t first, std::uint64_t last) {
  return std::to_string(first) + ".." + std::to_string(last);
}

Result<KeyEpochState> running_key_epoch(const TrusteeStateView& store) {
  HC_ASSIGN_OR_RETURN(auto epoch, read_key_epoch(store));
  if (!epoch) return refuse_trustee_tx("trustees-mode transaction on a single-manager chain");
  return *epoch;
}

Status check_chain_id(const LedgerStore& store, const Digest& chain_id, std::string_view what) {
  if (chain_id != store.genesis_hash()) return refuse_trustee_tx(std::string(what) + ": names another chain");
  return Status();
}

Status check_trustee_of_chain(const LedgerStore& store, std::uint16_t index, std::string_view what) {
  if (index == 0 || index > store.genesis().trustee_keys.size()) {
    return refuse_trustee_tx(std::string(what) + ": " + std::to_string(index) + " is not a trustee of this chain");
  }
  return Status();
}

Status check_current_epoch(const KeyEpochState& e, std::uint64_t key_epoch, std::string_view what) {
  if (key_epoch != e.key_epoch) {
    return refuse_trustee_tx(std::string(what) + ": key epoch " + std::to_string(key_epoch) +
                             " is not the running DKG's (" + std::to_string(e.key_epoch) + ")");
  }
  return Status();
}

// Does a committed record of `serial` have transaction id `id`?
Status check_record_of_serial(const LedgerStore& store, const Digest& id, const Serial& serial) {
  HC_ASSIGN_OR_RETURN(auto location, store.find_transaction(id));
  if (!location) return refuse_trustee_tx("access request: record " + digest_hex(id) + " is not committed");
  HC_ASSIGN_OR_RETURN(Block block, store.read_block(location->height));
  if (location->index >= block.transactions.size()) return Status::error(ErrorCode::kCorrupt, "store: bad location");
  HC_ASSIGN_OR_RETURN(Transaction tx, decode_transaction(block.transactions[location->index]));
  const auto* record = std::get_if<RecordTx>(&tx);
  if (record == nullptr || record->sealed.serial != serial) {
    return refuse_trustee_tx("access request: " + digest_hex(id) + " is not a record of the requested serial");
  }
  return Status();
}
}  // namespace

Status verify_access_request(const AccessRequestTx& request, const Genesis& genesis) {
  const Transaction tx(request);
  if (verify_manager_tx(tx, request.reader ? *request.reader : genesis.manager_admin_key).ok()) return Status();
  return Status::error(ErrorCode::kAuthFailed, request.reader ? "access request: the reader's signature does not verify"
                                                              : "access request: not signed by the manager's admin key");
}

bool is_trustees_mode_tx(const Transaction& tx) {
  const auto kind = static_cast<std::uint8_t>(kind_of(tx));
  return (kind >= static_cast<std::uint8_t>(TxKind::kDkgDeal) && kind <= static_cast<std::uint8_t>(TxKind::kReaderPolicy)) ||
         is_reshare_tx(tx);
}

Result<AccessRequestTx> committed_access_request(const LedgerStore& store, const Digest& request_id) {
  HC_ASSIGN_OR_RETURN(CommittedRequest committed, committed_access_request_at(store, request_id));
  return committed.request;
}

Result<CommittedRequest> committed_access_request_at(const LedgerStore& store, const Digest& request_id) {
  HC_ASSIGN_OR_RETURN(auto location, store.find_transaction(request_id));
  if (!location) return Status::error(ErrorCode::kNotFound, "no committed access request " + digest_hex(request_id));
  HC_ASSIGN_OR_RETURN(Block block, store.read_block(location->height));
  if (location->index >= block.transactions.size()) return Status::error(ErrorCode::kCorrupt, "store: bad location");
  HC_ASSIGN_OR_RETURN(Transaction tx, decode_transaction(block.transactions[location->index]));
  const auto* request = std::get_if<AccessRequestTx>(&tx);
  if (request == nullptr) return invalid_input("transaction " + digest_hex(request_id) + " is not an access request");
  return CommittedRequest{*request, location->height};
}

Status TrusteeRules::check_deal(const DkgDealTx& tx, const TrusteeCheckPoint& at, TrusteeBlockClaims& claims) const {
  HC_ASSIGN_OR_RETURN(KeyEpochState e, running_key_epoch(view_));
  HC_RETURN_IF_ERROR(check_chain_id(store_, tx.chain_id, "dkg deal"));
  HC_RETURN_IF_ERROR(check_trustee_of_chain(store_, tx.dealer, "dkg deal: dealer"));
  HC_RETURN_IF_ERROR(check_current_epoch(e, tx.key_epoch, "dkg deal"));
  const DkgSchedule s = dkg_schedule(e);
  if (at.height < s.first_deal_height || at.height > s.last_deal_height) {
    return refuse_trustee_tx("dkg deal: outside the deal window (heights " +
                             heights_text(s.first_deal_height, s.last_deal_height) + ")");
  }
  HC_ASSIGN_OR_RETURN(auto stored, read_deal(view_, tx.key_epoch, tx.dealer));
  if (stored || !claims.dealers.insert(tx.dealer).second) {
    return refuse_trustee_tx("dkg deal: trustee " + std::to_string(tx.dealer) + " has already dealt in this epoch");
  }
  const auto params = dkg_params_for(store_.genesis(), store_.genesis_hash(), tx.key_epoch);
  // A version-6 genesis takes only deals whose boxes prove their ephemerals (wire kinds 29/30;
  // the framing keeps the opener deal in the same form); older chains also take the legacy
  // forms 6/13 so that their history verifies (docs/ledger.md, docs/threshold.md).
  if (store_.genesis().proven_dkg_deals && !crypto::threshold::is_proven_dkg_deal_encoding(tx.deal)) {
    return refuse_trustee_tx("dkg deal: this chain takes only deals in the proven form (wire kinds 29 and 30)");
  }
  auto deal = crypto::threshold::decode_deal(params, tx.deal);
  if (!deal.ok()) return refuse_trustee_tx("dkg deal: " + deal.status().message());
  if (deal->dealer != tx.dealer) return refuse_trustee_tx("dkg deal: the deal is another dealer's");
  return Status();
}

Status TrusteeRules::check_complaint(const DkgComplaintTx& tx, const TrusteeCheckPoint& at,
                                     TrusteeBlockClaims& claims) const {
  HC_ASSIGN_OR_RETURN(KeyEpochState e, running_key_epoch(view_));
  HC_RETURN_IF_ERROR(check_chain_id(store_, tx.chain_id, "dkg complaint"));
  HC_RETURN_IF_ERROR(check_trustee_of_chain(store_, tx.complainer, "dkg complaint: complainer"));
  HC_RETURN_IF_ERROR(check_current_epoch(e, tx.key_epoch, "dkg complaint"));
  const DkgSchedule s = dkg_schedule(e);
  if (at.height <= s.last_deal_height || at.height > s.last_complaint_height) {
    return refuse_trustee_tx("dkg complaint: outside the complaint window (heights " +
                             heights_text(s.last_deal_height + 1, s.last_complaint_height) + ")");
  }
  if (tx.against_opener_deal) return check_opener_complaint(tx, claims);
  const auto params = dkg_params_for(store_.genesis(), store_.genesis_hash(), tx.key_epoch);
  auto complaint = crypto::threshold::decode_complaint(params, tx.complaint);
  if (!complaint.ok()) return refuse_trustee_tx("dkg complaint: " + complaint.status().message());
  if (complaint->complainer != tx.complainer) return refuse_trustee_tx("dkg complaint: the complaint is another trustee's");
  HC_ASSIGN_OR_RETURN(auto deal, read_deal(view_, tx.key_epoch, complaint->dealer));
  if (!deal) {
    return refuse_trustee_tx("dkg complaint: trustee " + std::to_string(complaint->dealer) + " has not dealt");
  }
  HC_ASSIGN_OR_RETURN(bool known, has_complaint(view_, tx.key_epoch, tx.complainer, complaint->dealer));
  if (known || !claims.complaints.insert({tx.complainer, complaint->dealer}).second) {
    return refuse_trustee_tx("dkg complaint: trustee " + std::to_string(tx.complainer) +
                             " has already complained about dealer " + std::to_string(complaint->dealer));
  }
  return Status();
}

// Framing, parties and repeats only: the verdict needs the pairing code and is reached where
// the opener key is computed from the committed transcript (chain/opener_key_state.h).
Status TrusteeRules::check_opener_complaint(const DkgComplaintTx& tx, TrusteeBlockClaims& claims) const {
  auto parties = opener_complaint_parties(tx.complaint);
  if (!parties.ok()) return refuse_trustee_tx("dkg complaint: " + parties.status().message());
  if (parties->complainer != tx.complainer) return refuse_trustee_tx("dkg complaint: the complaint is another trustee's");
  HC_RETURN_IF_ERROR(check_trustee_of_chain(store_, parties->dealer, "dkg complaint: dealer"));
  HC_ASSIGN_OR_RETURN(auto deal, read_opener_deal(view_, tx.key_epoch, parties->dealer));
  if (!deal) {
    return refuse_trustee_tx("dkg complaint: trustee " + std::to_string(parties->dealer) + " has dealt no opener deal");
  }
  HC_ASSIGN_OR_RETURN(bool known, has_opener_complaint(view_, tx.key_epoch, tx.complainer, parties->dealer));
  if (known || !claims.opener_complaints.insert({tx.complainer, parties->dealer}).second) {
    return refuse_trustee_tx("dkg complaint: trustee " + std::to_string(tx.complainer) +
                             " has already complained about dealer " + std::to_string(parties->dealer) +
                             "'s opener deal");
  }
  return Status();
}

Status TrusteeRules::check_epoch_start(const KeyEpochStartTx& tx, const TrusteeCheckPoint& at,
                                       TrusteeBlockClaims& claims) const {
  HC_ASSIGN_OR_RETURN(KeyEpochState e, running_key_epoch(view_));
  HC_RETURN_IF_ERROR(check_chain_id(store_, tx.chain_id, "key epoch start"));
  HC_RETURN_IF_ERROR(check_key_epoch_start_allowed(view_, at.height));
  if (tx.key_epoch != e.key_epoch + 1) {
    return refuse_trustee_tx("key epoch start: the next key epoch is " + std::to_string(e.key_epoch + 1));
  }
  HC_ASSIGN_OR_RETURN(auto outcome, read_outcome(view_, e.key_epoch));
  if (!outcome) {
    return refuse_trustee_tx("key epoch start: the DKG of key epoch " + std::to_string(e.key_epoch) +
                             " is still running (it ends at height " + std::to_string(dkg_schedule(e).finalize_height) + ")");
  }
  if (claims.key_epoch_start) return refuse_trustee_tx("key epoch start: at most one per block");
  claims.key_epoch_start = true;
  return Status();
}

Status TrusteeRules::check_request(const AccessRequestTx& tx, const TrusteeCheckPoint& at) const {
  HC_RETURN_IF_ERROR(running_key_epoch(view_).status());
  HC_RETURN_IF_ERROR(check_chain_id(store_, tx.chain_id, "access request"));
  HC_ASSIGN_OR_RETURN(auto outcome, read_outcome(view_, tx.key_epoch));
  if (!outcome || !outcome->formed) {
    return refuse_trustee_tx("access request: key epoch " + std::to_string(tx.key_epoch) + " has no access key");
  }
  // Differences, not sums: no timestamp can overflow the comparison.
  if (tx.timestamp_ms < at.timestamp_ms && at.timestamp_ms - tx.timestamp_ms > kAccessRequestMaxSkewMs) {
    return refuse_trustee_tx("access request: its timestamp is stale (older than 10 minutes before the block)");
  }
  if (!at.admission && tx.timestamp_ms > at.timestamp_ms && tx.timestamp_ms - at.timestamp_ms > kAccessRequestMaxSkewMs) {
    return refuse_trustee_tx("access request: its timestamp is more than 10 minutes after the block");
  }
  for (const Digest& id : tx.record_ids) HC_RETURN_IF_ERROR(check_record_of_serial(store_, id, tx.serial));
  // The policy committed before the block, whatever a change earlier in the block says.
  return check_requester_allowed(view_, tx);
}

Status TrusteeRules::check_reader_policy(const ReaderPolicyTx& tx, TrusteeBlockClaims& claims) const {
  HC_RETURN_IF_ERROR(check_reader_policy_change(view_, tx, claims.reader_policy_change));
  claims.reader_policy_change = true;
  return Status();
}

namespace {
// What an answer carries must be what its request asked for: decryption shares (one per named
// record) if it asks to decrypt, and one partial opening per named record, in the request's
// order and bound to it, if it asks to open.
Status check_answer_matches_request(const AccessRequestTx& request, const DecryptionSharesTx& tx) {
  if (!request.open && !tx.partial_openings.empty()) {
    return refuse_trustee_tx("partial openings: the request did not ask to open");
  }
  if (!request.decrypt && !tx.share_boxes.empty()) {
    return refuse_trustee_tx("decryption shares: the request did not ask to decrypt");
  }
  if (request.decrypt && tx.share_boxes.empty()) {
    return refuse_trustee_tx("decryption shares: the request asks to decrypt and the answer carries no share");
  }
  if (request.decrypt && !request.record_ids.empty() && tx.share_boxes.size() != request.record_ids.size()) {
    return refuse_trustee_tx("decryption shares: " + std::to_string(tx.share_boxes.size()) + " shares for " +
                             std::to_string(request.record_ids.size()) + " requested records");
  }
  if (!request.open) return Status();
  for (const PartialOpeningEntry& e : tx.partial_openings) {
    if (!std::binary_search(request.record_ids.begin(), request.record_ids.end(), e.record_id)) {
      return refuse_trustee_tx("partial openings: record " + digest_hex(e.record_id) + " is not named by the request");
    }
  }
  if (tx.partial_openings.size() != request.record_ids.size()) {
    return refuse_trustee_tx("partial openings: " + std::to_string(tx.partial_openings.size()) + " for " +
                             std::to_string(request.record_ids.size()) + " requested records");
  }
  const PartialOpeningBinding binding{request.chain_id, request.key_epoch, tx.request_id, tx.trustee};
  for (const PartialOpeningEntry& e : tx.partial_openings) {
    Status bound = check_partial_opening_binding(e.partial_opening, binding);
    if (!bound.ok()) return refuse_trustee_tx("partial openings: record " + digest_hex(e.record_id) + ": " + bound.message());
  }
  return Status();
}
}  // namespace

Status TrusteeRules::check_shares(const DecryptionSharesTx& tx, TrusteeBlockClaims& claims) const {
  HC_RETURN_IF_ERROR(running_key_epoch(view_).status());
  HC_RETURN_IF_ERROR(check_chain_id(store_, tx.chain_id, "decryption shares"));
  auto committed = committed_access_request_at(store_, tx.request_id);
  if (!committed.ok()) {
    if (committed.status().code() == ErrorCode::kNotFound || committed.status().code() == ErrorCode::kInvalidInput) {
      return refuse_trustee_tx("decryption shares: " + committed.status().message());
    }
    return committed.status();
  }
  const AccessRequestTx* request = &committed->request;
  // The trustee and its signature: a seat of the sharing in force at the request's height.
  HC_RETURN_IF_ERROR(check_answer_signer(view_, request->key_epoch, committed->height, tx));
  HC_RETURN_IF_ERROR(check_answer_matches_request(*request, tx));
  HC_ASSIGN_OR_RETURN(auto answered, read_answer(view_, tx.request_id, tx.trustee));
  if (answered || !claims.answers.insert({tx.request_id, tx.trustee}).second) {
    return refuse_trustee_tx("decryption shares: trustee " + std::to_string(tx.trustee) + " has already answered");
  }
  return Status();
}

Status TrusteeRules::check(const Transaction& tx, const Digest&, const TrusteeCheckPoint& at,
                           TrusteeBlockClaims& claims) const {
  if (const auto* d = std::get_if<DkgDealTx>(&tx)) return check_deal(*d, at, claims);
  if (const auto* c = std::get_if<DkgComplaintTx>(&tx)) return check_complaint(*c, at, claims);
  if (const auto* k = std::get_if<KeyEpochStartTx>(&tx)) return check_epoch_start(*k, at, claims);
  if (const auto* r = std::get_if<AccessRequestTx>(&tx)) return check_request(*r, at);
  if (const auto* s = std::get_if<DecryptionSharesTx>(&tx)) return check_shares(*s, claims);
  if (const auto* p = std::get_if<ReaderPolicyTx>(&tx)) return check_reader_policy(*p, claims);
  if (is_reshare_tx(tx)) return check_reshare_tx(view_, tx, at.height, claims.reshare);
  return refuse_trustee_tx("not a trustees-mode transaction");
}

namespace {
Result<StoredComplaint> judged_complaint(const TrusteeStateView& store, const DkgComplaintTx& tx) {
  const auto params = dkg_params_for(store.genesis(), store.genesis_hash(), tx.key_epoch);
  auto complaint = crypto::threshold::decode_complaint(params, tx.complaint);
  HC_CHECK(complaint.ok());  // check_complaint decoded it
  StoredComplaint stored{tx.complainer, complaint->dealer, ComplaintStatus::kInvalid, tx.complaint};
  HC_ASSIGN_OR_RETURN(auto deal_bytes, read_deal(store, tx.key_epoch, complaint->dealer));
  HC_CHECK(deal_bytes.has_value());
  auto deal = crypto::threshold::decode_deal(params, *deal_bytes);
  HC_CHECK(deal.ok());  // only decodable deals are committed
  auto verdict = crypto::threshold::judge_complaint(params, *deal, *complaint);
  if (verdict.ok()) {
    stored.status = *verdict == crypto::threshold::ComplaintVerdict::kDealerFaulty ? ComplaintStatus::kConvictsDealer
                                                                                   : ComplaintStatus::kUnfounded;
  }
  return stored;
}
}  // namespace

namespace {
Result<std::vector<TrusteeStateEntry>> finalize_dkg_if_due(const TrusteeStateView& state, std::uint64_t height) {
  std::vector<TrusteeStateEntry> out;
  HC_ASSIGN_OR_RETURN(auto epoch, read_key_epoch(state));
  if (!epoch || height != dkg_schedule(*epoch).finalize_height) return out;
  const auto params = dkg_params_for(state.genesis(), state.genesis_hash(), epoch->key_epoch);
  std::vector<std::optional<crypto::threshold::DkgDeal>> deals(params.trustees());
  HC_ASSIGN_OR_RETURN(auto stored_deals, read_deals(state, epoch->key_epoch));
  for (const auto& [dealer, bytes] : stored_deals) {
    auto deal = crypto::threshold::decode_deal(params, bytes);
    if (!deal.ok() || dealer == 0 || dealer > deals.size()) return Status::error(ErrorCode::kCorrupt, "store: bad stored deal");
    deals[dealer - 1] = std::move(deal).value();
  }
  std::vector<crypto::threshold::DkgComplaint> complaints;
  HC_ASSIGN_OR_RETURN(auto stored_complaints, read_complaints(state, epoch->key_epoch));
  for (const StoredComplaint& c : stored_complaints) {
    auto complaint = crypto::threshold::decode_complaint(params, c.complaint);
    if (!complaint.ok()) return Status::error(ErrorCode::kCorrupt, "store: bad stored complaint");
    complaints.push_back(std::move(complaint).value());
  }
  KeyEpochOutcome outcome;
  outcome.key_epoch = epoch->key_epoch;
  outcome.finalized_at_height = height;
  auto formed = crypto::threshold::finalize_dkg(params, deals, complaints);
  if (formed.ok()) {
    outcome.formed = std::move(formed).value();
  } else {
    outcome.failure = formed.status().message();
  }
  out.push_back(outcome_entry(outcome));
  if (outcome.formed) {
    out.push_back(current_access_key_entry(outcome.key_epoch));
    out.push_back(access_key_id_entry(outcome.formed->key.key_id, outcome.key_epoch));
  }
  return out;
}
}  // namespace

Result<std::vector<TrusteeStateEntry>> TrusteeRules::changes_of(const CheckedBlock& checked,
                                                                std::uint64_t height) const {
  return trustee_changes_of(view_, checked, height);
}

Result<std::vector<TrusteeStateEntry>> trustee_changes_of(const TrusteeStateView& state, const CheckedBlock& checked,
                                                          std::uint64_t height) {
  std::vector<TrusteeStateEntry> out;
  if (state.genesis().access_mode != AccessMode::kTrustees) return out;
  for (std::size_t i = 0; i < checked.transactions.size(); ++i) {
    const Transaction& tx = checked.transactions[i];
    if (const auto* d = std::get_if<DkgDealTx>(&tx)) {
      out.push_back(deal_entry(d->key_epoch, d->dealer, d->deal));
      if (!d->opener_deal.empty()) out.push_back(opener_deal_entry(d->key_epoch, d->dealer, d->opener_deal));
    } else if (const auto* oc = std::get_if<DkgComplaintTx>(&tx); oc != nullptr && oc->against_opener_deal) {
      auto parties = opener_complaint_parties(oc->complaint);
      HC_CHECK(parties.ok());  // check_opener_complaint read them
      out.push_back(opener_complaint_entry(oc->key_epoch, {oc->complainer, parties->dealer, oc->complaint}));
    } else if (const auto* c = std::get_if<DkgComplaintTx>(&tx)) {
      HC_ASSIGN_OR_RETURN(StoredComplaint stored, judged_complaint(state, *c));
      out.push_back(complaint_entry(c->key_epoch, stored));
    } else if (const auto* k = std::get_if<KeyEpochStartTx>(&tx)) {
      out.push_back(key_epoch_entry(KeyEpochState{k->key_epoch, height}));
    } else if (const auto* s = std::get_if<DecryptionSharesTx>(&tx)) {
      out.push_back(answer_entry(s->request_id, s->trustee, checked.tx_ids[i]));
    } else if (const auto* p = std::get_if<ReaderPolicyTx>(&tx)) {
      HC_ASSIGN_OR_RETURN(auto entries, reader_policy_entries(state, *p, checked.tx_ids[i], height));
      for (auto& entry : entries) out.push_back(std::move(entry));
    }
  }
  HC_ASSIGN_OR_RETURN(auto finalized, finalize_dkg_if_due(state, height));
  for (auto& entry : finalized) out.push_back(std::move(entry));
  HC_ASSIGN_OR_RETURN(auto reshared, reshare_changes_of(state, checked, height));
  for (auto& entry : reshared) out.push_back(std::move(entry));
  return out;
}

}  // namespace hc::chain

// TrusteeDuties, the DKG half (trustee_duties.h): deal, complain, derive x_j.
#include <spdlog/spdlog.h>

#include "chain/opener_dkg_state.h"
#include "chain/opener_key_state.h"
#include "chain/trustee_signing.h"
#include "crypto/sealed_record_v2.h"
#include "crypto/threshold/dkg_complaint.h"
#include "crypto/threshold/dkg_deal.h"
#include "node/trustee_duties.h"

namespace hc::node {

namespace {

namespace th = crypto::threshold;

Result<TrusteeTx> trustee_signed_tx(chain::Transaction tx, const crypto::P256Scalar& secret, std::string label) {
  HC_RETURN_IF_ERROR(chain::sign_trustee_tx(tx, secret));
  HC_RETURN_IF_ERROR(chain::check_transaction_fields(tx));
  return TrusteeTx{std::move(label), chain::encode_transaction(tx)};
}

// Every deal of the epoch on the chain, decoded, by dealer position (nullopt: none).
Result<std::vector<std::optional<th::DkgDeal>>> trustee_committed_deals(const chain::TrusteeStateView& view,
                                                               const th::DkgParams& params) {
  std::vector<std::optional<th::DkgDeal>> deals(params.trustees());
  HC_ASSIGN_OR_RETURN(auto stored, chain::read_deals(view, params.epoch));
  for (const auto& [dealer, bytes] : stored) {
    if (dealer < 1 || dealer > params.trustees()) continue;
    auto deal = th::decode_deal(params, bytes);
    if (deal.ok()) deals[dealer - 1] = std::move(deal).value();
  }
  return deals;
}

}  // namespace

const char* trustee_dkg_phase_name(TrusteeDkgPhase phase) {
  switch (phase) {
    case TrusteeDkgPhase::kDealing: return "dealing";
    case TrusteeDkgPhase::kComplaints: return "complaints";
    case TrusteeDkgPhase::kFinished: return "finished";
    case TrusteeDkgPhase::kFailed: return "failed";
  }
  return "unknown";
}

TrusteeDuties::TrusteeDuties(const chain::LedgerStore& store, TrusteeIdentity identity)
    : store_(store), view_(store), identity_(std::move(identity)) {}

Result<std::vector<TrusteeTx>> TrusteeDuties::dkg_step(TrusteeStatus& status) {
  std::vector<TrusteeTx> out;
  HC_ASSIGN_OR_RETURN(auto epoch, chain::read_key_epoch(view_));
  if (!epoch) return out;  // single-manager: no DKG
  const th::DkgParams params = chain::dkg_params_for(store_.genesis(), store_.genesis_hash(), epoch->key_epoch);
  status.trustee_index = identity_.index;
  status.trustees = params.trustees();
  status.threshold = params.threshold;
  status.key_epoch = epoch->key_epoch;
  HC_ASSIGN_OR_RETURN(auto outcome, chain::read_outcome(view_, epoch->key_epoch));
  if (outcome) {
    status.phase = outcome->formed ? TrusteeDkgPhase::kFinished : TrusteeDkgPhase::kFailed;
    status.failure = outcome->formed ? "" : outcome->failure;
    status.key_id_hex = outcome->formed ? to_hex(outcome->formed->key.key_id) : "";
    if (outcome->formed && identity_.index != 0) {  // a genesis seat whose key is still held
      th::AccessKeyPublic key;
      auto share = secret_share(epoch->key_epoch, key);
      status.share_ready = share.ok();
      if (!share.ok()) return share.status();
    }
    return out;
  }
  const chain::DkgSchedule schedule = chain::dkg_schedule(*epoch);
  const std::uint64_t next = store_.tip().height + 1;  // the earliest block a posted tx can land in
  status.key_id_hex.clear();
  status.share_ready = false;
  if (identity_.index == 0) {  // no genesis seat: no part in the DKG
    status.phase = next <= schedule.last_deal_height ? TrusteeDkgPhase::kDealing : TrusteeDkgPhase::kComplaints;
    return out;
  }
  if (next <= schedule.last_deal_height) {
    status.phase = TrusteeDkgPhase::kDealing;
    HC_ASSIGN_OR_RETURN(auto deal, deal_if_due(params));
    if (deal) out.push_back(std::move(*deal));
    return out;
  }
  status.phase = TrusteeDkgPhase::kComplaints;
  if (next <= schedule.last_complaint_height) return complaints_due(params);
  return out;
}

Result<std::optional<TrusteeTx>> TrusteeDuties::deal_if_due(const th::DkgParams& params) {
  if (dealt_.count(params.epoch)) return std::optional<TrusteeTx>();
  HC_ASSIGN_OR_RETURN(auto committed, chain::read_deal(view_, params.epoch, identity_.index));
  if (committed) {  // dealt before a restart: never deal twice
    dealt_.insert(params.epoch);
    return std::optional<TrusteeTx>();
  }
  HC_ASSIGN_OR_RETURN(th::DkgDeal deal, th::make_deal(params, identity_.index));
  HC_ASSIGN_OR_RETURN(th::OpenerDkgParams opener_params,
                      chain::opener_dkg_params_for(store_.genesis(), store_.genesis_hash(), params.epoch));
  HC_ASSIGN_OR_RETURN(th::OpenerDeal opener_deal, th::make_opener_deal(opener_params, identity_.index));
  chain::DkgDealTx tx;
  tx.chain_id = store_.genesis_hash();
  tx.key_epoch = params.epoch;
  tx.dealer = identity_.index;
  tx.deal = th::encode_deal(params, deal);
  tx.opener_deal = th::encode_opener_deal(opener_params, opener_deal);
  HC_ASSIGN_OR_RETURN(TrusteeTx signed_tx, trustee_signed_tx(std::move(tx), identity_.secret,
                                                             "dkg deal (key epoch " + std::to_string(params.epoch) + ")"));
  dealt_.insert(params.epoch);
  return std::optional<TrusteeTx>(std::move(signed_tx));
}

Result<std::vector<TrusteeTx>> TrusteeDuties::complaints_due(const th::DkgParams& params) {
  std::vector<TrusteeTx> out;
  HC_ASSIGN_OR_RETURN(auto deals, trustee_committed_deals(view_, params));
  for (std::uint16_t dealer = 1; dealer <= params.trustees(); ++dealer) {
    const auto& deal = deals[dealer - 1];
    if (!deal || !checked_.insert({params.epoch, dealer}).second) continue;
    auto share = th::receive_share(params, *deal, identity_.index, identity_.secret);
    if (share.ok()) continue;
    HC_ASSIGN_OR_RETURN(bool already, chain::has_complaint(view_, params.epoch, identity_.index, dealer));
    if (already) continue;
    if (!th::deal_boxes_proven(*deal)) {  // a legacy deal (older chains): S could open other boxes
      spdlog::warn("trustee {}: dealer {}'s share to us fails its check in key epoch {} ({}), but its deal does not "
                   "prove its boxes' ephemerals: no complaint (docs/threshold.md)",
                   identity_.index, dealer, params.epoch, share.status().message());
      continue;
    }
    spdlog::warn("trustee {}: dealer {}'s share to us fails its check in key epoch {} ({}): complaining",
                 identity_.index, dealer, params.epoch, share.status().message());
    HC_ASSIGN_OR_RETURN(th::DkgComplaint complaint, th::make_complaint(params, *deal, identity_.index, identity_.secret));
    chain::DkgComplaintTx tx;
    tx.chain_id = store_.genesis_hash();
    tx.key_epoch = params.epoch;
    tx.complainer = identity_.index;
    tx.complaint = th::encode_complaint(params, complaint);
    HC_ASSIGN_OR_RETURN(TrusteeTx signed_tx,
                        trustee_signed_tx(std::move(tx), identity_.secret,
                                          "dkg complaint against dealer " + std::to_string(dealer) + " (key epoch " +
                                              std::to_string(params.epoch) + ")"));
    out.push_back(std::move(signed_tx));
  }
  HC_ASSIGN_OR_RETURN(auto opener_complaints, opener_complaints_due(params.epoch));
  for (TrusteeTx& tx : opener_complaints) out.push_back(std::move(tx));
  return out;
}

Result<std::vector<TrusteeTx>> TrusteeDuties::opener_complaints_due(std::uint64_t key_epoch) {
  std::vector<TrusteeTx> out;
  HC_ASSIGN_OR_RETURN(th::OpenerDkgParams params,
                      chain::opener_dkg_params_for(store_.genesis(), store_.genesis_hash(), key_epoch));
  HC_ASSIGN_OR_RETURN(chain::OpenerTranscript transcript, chain::read_opener_transcript(view_, params));
  for (std::uint16_t dealer = 1; dealer <= transcript.deals.size(); ++dealer) {
    const auto& deal = transcript.deals[dealer - 1];
    if (!deal || !opener_checked_.insert({key_epoch, dealer}).second) continue;
    auto share = th::receive_opener_share(params, *deal, identity_.index, identity_.secret);
    if (share.ok()) {
      share->wipe();
      continue;
    }
    HC_ASSIGN_OR_RETURN(bool already, chain::has_opener_complaint(view_, key_epoch, identity_.index, dealer));
    if (already) continue;
    if (!th::opener_deal_boxes_proven(*deal)) {  // a legacy deal (older chains): S could open other boxes
      spdlog::warn("trustee {}: dealer {}'s opener share to us fails its check in key epoch {} ({}), but its deal "
                   "does not prove its boxes' ephemerals: no complaint (docs/threshold.md)",
                   identity_.index, dealer, key_epoch, share.status().message());
      continue;
    }
    spdlog::warn("trustee {}: dealer {}'s opener share to us fails its check in key epoch {} ({}): complaining",
                 identity_.index, dealer, key_epoch, share.status().message());
    HC_ASSIGN_OR_RETURN(th::OpenerComplaint complaint,
                        th::make_opener_complaint(params, *deal, identity_.index, identity_.secret));
    chain::DkgComplaintTx tx;
    tx.chain_id = store_.genesis_hash();
    tx.key_epoch = key_epoch;
    tx.complainer = identity_.index;
    tx.complaint = th::encode_opener_complaint(params, complaint);
    tx.against_opener_deal = true;
    HC_ASSIGN_OR_RETURN(TrusteeTx signed_tx,
                        trustee_signed_tx(std::move(tx), identity_.secret,
                                          "opener dkg complaint against dealer " + std::to_string(dealer) +
                                              " (key epoch " + std::to_string(key_epoch) + ")"));
    out.push_back(std::move(signed_tx));
  }
  return out;
}

Result<const crypto::P256Scalar*> TrusteeDuties::secret_share(std::uint64_t epoch, th::AccessKeyPublic& key) {
  if (auto it = shares_.find(epoch); it != shares_.end()) {
    key = keys_.at(epoch);
    return &it->second;
  }
  HC_ASSIGN_OR_RETURN(auto outcome, chain::read_outcome(view_, epoch));
  if (!outcome || !outcome->formed) {
    return Status::error(ErrorCode::kNotFound, "key epoch " + std::to_string(epoch) + " has no access key");
  }
  const th::DkgParams params = chain::dkg_params_for(store_.genesis(), store_.genesis_hash(), epoch);
  HC_ASSIGN_OR_RETURN(auto deals, trustee_committed_deals(view_, params));
  HC_ASSIGN_OR_RETURN(crypto::P256Scalar x,
                      th::trustee_secret_share(params, *outcome->formed, deals, identity_.index, identity_.secret));
  const th::AccessKeyPublic& formed = outcome->formed->key;
  if (x.is_zero() || formed.public_shares.size() < identity_.index ||
      !(crypto::P256Point::base_mul(x) == formed.public_shares[identity_.index - 1])) {
    return Status::error(ErrorCode::kInternal, "trustee " + std::to_string(identity_.index) +
                                                   "'s derived secret share does not match its public share in key "
                                                   "epoch " + std::to_string(epoch));
  }
  spdlog::info("trustee {}: secret share of key epoch {} derived and checked against its public share (key id {}...)",
               identity_.index, epoch, to_hex(formed.key_id).substr(0, 16));
  keys_[epoch] = formed;
  key = formed;
  return &shares_.emplace(epoch, std::move(x)).first->second;
}

}  // namespace hc::node

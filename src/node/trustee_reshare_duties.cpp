// TrusteeDuties, the resharing half (trustee_duties.h; issue 16 item 3, docs/threshold.md "The
// nodes' part of resharing"): the seat this node holds in a sharing and its share there, the
// announcement of a fresh trustee key, the deal of its share of the sharing being reshared,
// complaints against deals whose share to its new seat fails, and the erasure of superseded
// trustee keys. Every step is decided from the committed state and the key files alone.
#include <algorithm>

#include <spdlog/spdlog.h>

#include "chain/consortium_configuration.h"
#include "chain/opener_reshare_state.h"
#include "chain/trustee_signing.h"
#include "crypto/threshold/access_reshare.h"
#include "crypto/threshold/opener_reshare.h"
#include "node/trustee_duties.h"

namespace hc::node {

namespace {

namespace th = crypto::threshold;

Result<TrusteeTx> reshare_signed_tx(chain::Transaction tx, const crypto::P256Scalar& secret, std::string label) {
  HC_RETURN_IF_ERROR(chain::sign_trustee_tx(tx, secret));
  HC_RETURN_IF_ERROR(chain::check_transaction_fields(tx));
  return TrusteeTx{std::move(label), chain::encode_transaction(tx)};
}

// The committed deals of a resharing, decoded for `params`, by old dealer position.
template <typename Group>
std::vector<std::optional<th::ReshareDeal<Group>>> reshare_deals_by_dealer(
    const th::ReshareParams<Group>& params, const std::vector<std::pair<std::uint16_t, Bytes>>& stored) {
  std::vector<std::optional<th::ReshareDeal<Group>>> deals(params.old_trustees());
  for (const auto& [dealer, bytes] : stored) {
    if (dealer < 1 || dealer > params.old_trustees()) continue;
    auto deal = th::decode_reshare_deal(params, bytes);
    if (deal.ok() && deal->dealer == dealer) deals[dealer - 1] = std::move(deal).value();
  }
  return deals;
}

std::string reshare_label(const std::string& what, std::uint64_t reshare_epoch) {
  return what + " (resharing epoch " + std::to_string(reshare_epoch) + ")";
}

const char* reshare_phase_at(const chain::ReshareSchedule& schedule, std::uint64_t next) {
  if (next <= schedule.last_key_height) return "keys";
  if (next <= schedule.last_deal_height) return "deals";
  return "complaints";
}

}  // namespace

TrusteeDuties::TrusteeDuties(const chain::LedgerStore& store, TrusteeIdentity genesis_seat, std::uint32_t member_id,
                             std::unique_ptr<TrusteeKeyFiles> key_files, bool first_key_holds_share)
    : store_(store),
      view_(store),
      identity_(std::move(genesis_seat)),
      member_id_(member_id),
      key_files_(std::move(key_files)),
      first_key_holds_share_(first_key_holds_share) {}

Result<const crypto::P256Scalar*> TrusteeDuties::held_key(std::uint64_t reshare_epoch) {
  if (reshare_epoch == 0 && identity_.index != 0) {
    return identity_.secret.is_zero() ? nullptr : &identity_.secret;
  }
  if (auto it = held_keys_.find(reshare_epoch); it != held_keys_.end()) return &it->second;
  if (!key_files_) return static_cast<const crypto::P256Scalar*>(nullptr);
  HC_ASSIGN_OR_RETURN(std::optional<crypto::P256Scalar> key, key_files_->load(reshare_epoch));
  if (!key) return static_cast<const crypto::P256Scalar*>(nullptr);
  return &held_keys_.emplace(reshare_epoch, std::move(*key)).first->second;
}

Result<std::optional<SharingSeat>> TrusteeDuties::seat_in(const chain::TrusteeSharing& sharing) {
  std::uint16_t index = 0;
  if (sharing.reshare_epoch == 0) {
    // The DKG's sharing: the genesis seat, while its key is held.
    if (identity_.index == 0 || identity_.secret.is_zero() || identity_.index > sharing.trustees.size() ||
        sharing.trustees[identity_.index - 1].key != identity_.public_key) {
      return std::optional<SharingSeat>();
    }
    th::AccessKeyPublic key;
    HC_ASSIGN_OR_RETURN(const crypto::P256Scalar* share, secret_share(sharing.key_epoch, key));
    return std::optional<SharingSeat>(SharingSeat{0, identity_.index, &identity_.secret, key, share});
  }
  for (std::size_t j = 0; j < sharing.trustees.size(); ++j) {
    if (sharing.trustees[j].member == member_id_) index = static_cast<std::uint16_t>(j + 1);
  }
  if (index == 0) return std::optional<SharingSeat>();
  HC_ASSIGN_OR_RETURN(const crypto::P256Scalar* secret, held_key(sharing.reshare_epoch));
  if (secret == nullptr) return std::optional<SharingSeat>();  // erased, or never held here
  if (crypto::P256Point::base_mul(*secret).encode() != sharing.trustees[index - 1].key) {
    return invalid_input("the trustee key file " + key_files_->path_for(sharing.reshare_epoch).string() +
                         " does not hold the key seat " + std::to_string(index) + " of resharing epoch " +
                         std::to_string(sharing.reshare_epoch) + " announced for this node");
  }
  HC_ASSIGN_OR_RETURN(const crypto::P256Scalar* share, reshared_share(sharing, index, *secret));
  return std::optional<SharingSeat>(SharingSeat{sharing.reshare_epoch, index, secret, sharing.access_key, share});
}

Result<const crypto::P256Scalar*> TrusteeDuties::reshared_share(const chain::TrusteeSharing& sharing,
                                                                std::uint16_t index,
                                                                const crypto::P256Scalar& trustee_secret) {
  const SharingId id{sharing.key_epoch, sharing.reshare_epoch};
  if (auto it = reshared_shares_.find(id); it != reshared_shares_.end()) return &it->second;
  HC_ASSIGN_OR_RETURN(auto run, chain::read_reshare_run(view_, sharing.reshare_epoch));
  HC_ASSIGN_OR_RETURN(auto record, chain::read_reshare_outcome(view_, sharing.reshare_epoch));
  if (!run || !record || !record->formed) {
    return Status::error(ErrorCode::kCorrupt, "resharing epoch " + std::to_string(sharing.reshare_epoch) +
                                                  " is in force but its run or outcome is not stored");
  }
  HC_ASSIGN_OR_RETURN(chain::ReshareSetting setting, chain::reshare_setting(view_, *run, store_.tip().height));
  HC_ASSIGN_OR_RETURN(auto stored, chain::read_reshare_deals(view_, sharing.reshare_epoch));
  const auto deals = reshare_deals_by_dealer(setting.params, stored);
  th::AccessReshareOutcome outcome;
  outcome.key = sharing.access_key;
  outcome.qualified = record->qualified;
  HC_ASSIGN_OR_RETURN(crypto::P256Scalar x,
                      th::reshared_secret_share(setting.params, outcome, deals, index, trustee_secret));
  if (x.is_zero() || sharing.access_key.public_shares.size() < index ||
      !(crypto::P256Point::base_mul(x) == sharing.access_key.public_shares[index - 1])) {
    return Status::error(ErrorCode::kInternal, "trustee " + std::to_string(index) + "'s reshared share of resharing "
                                                   "epoch " + std::to_string(sharing.reshare_epoch) +
                                                   " does not match its public share");
  }
  spdlog::info("trustee {}: share of resharing epoch {} derived and checked against its public share", index,
               sharing.reshare_epoch);
  return &reshared_shares_.emplace(id, std::move(x)).first->second;
}

Result<const OpenerShareOfEpoch*> TrusteeDuties::reshared_opener_share(std::uint64_t key_epoch,
                                                                       std::uint64_t reshare_epoch,
                                                                       std::uint64_t height, std::uint16_t index,
                                                                       const crypto::P256Scalar& trustee_secret) {
  const SharingId id{key_epoch, reshare_epoch};
  if (auto it = reshared_opener_shares_.find(id); it != reshared_opener_shares_.end()) return &it->second;
  HC_ASSIGN_OR_RETURN(auto run, chain::read_reshare_run(view_, reshare_epoch));
  HC_ASSIGN_OR_RETURN(auto record, chain::read_reshare_outcome(view_, reshare_epoch));
  HC_ASSIGN_OR_RETURN(auto in_force, chain::read_opener_key_in_force(view_, key_epoch, height));
  if (!run || !record || !record->formed || !in_force || !run->with_opener) {
    return Status::error(ErrorCode::kNotFound, "resharing epoch " + std::to_string(reshare_epoch) +
                                                   " formed no trustees' opener key");
  }
  HC_ASSIGN_OR_RETURN(th::OpenerReshareParams params,
                      chain::opener_reshare_params_for(view_, *run, store_.tip().height));
  HC_ASSIGN_OR_RETURN(auto stored, chain::read_opener_reshare_deals(view_, reshare_epoch));
  auto deals = reshare_deals_by_dealer(params, stored);
  for (std::uint16_t i = 1; i <= deals.size(); ++i) {  // only the access key's qualified dealers count
    if (std::find(record->qualified.begin(), record->qualified.end(), i) == record->qualified.end()) deals[i - 1].reset();
  }
  std::vector<th::ReshareComplaint> complaints;
  HC_ASSIGN_OR_RETURN(auto stored_complaints, chain::read_opener_reshare_complaints(view_, reshare_epoch));
  for (const auto& c : stored_complaints) {
    auto complaint = th::decode_reshare_complaint(params, c.complaint);
    if (complaint.ok()) complaints.push_back(std::move(complaint).value());
  }
  HC_ASSIGN_OR_RETURN(auto outcome, th::finalize_reshare(params, deals, complaints));
  HC_ASSIGN_OR_RETURN(bls12_381::Fr xi, th::reshared_secret_share(params, outcome, deals, index, trustee_secret));
  if (in_force->public_shares.size() < index ||
      !th::OpenerKeyGroup::share_matches(*in_force, xi, in_force->public_shares[index - 1])) {
    xi.wipe();
    return Status::error(ErrorCode::kInternal, "trustee " + std::to_string(index) + "'s reshared opener share of "
                                                   "resharing epoch " + std::to_string(reshare_epoch) +
                                                   " does not match its public share");
  }
  OpenerShareOfEpoch& slot = reshared_opener_shares_[id];
  slot.key = *in_force;
  slot.share = xi;
  xi.wipe();
  return &slot;
}

Result<const OpenerShareOfEpoch*> TrusteeDuties::opener_share_of_seat(std::uint64_t key_epoch, const SharingSeat& seat,
                                                                      std::uint64_t height) {
  if (seat.reshare_epoch == 0) return opener_share(key_epoch);
  return reshared_opener_share(key_epoch, seat.reshare_epoch, height, seat.index, *seat.trustee_secret);
}

Result<std::optional<SharingSeat>> TrusteeDuties::answering_seat(std::uint64_t key_epoch, std::uint64_t request_height) {
  HC_ASSIGN_OR_RETURN(auto sharing, chain::read_sharing_in_force(view_, key_epoch, request_height));
  if (!sharing) return Status::error(ErrorCode::kNotFound, "key epoch " + std::to_string(key_epoch) + " has no access key");
  return seat_in(*sharing);
}

Result<std::vector<TrusteeTx>> TrusteeDuties::reshare_step(TrusteeStatus& status) {
  std::vector<TrusteeTx> out;
  if (!key_files_) return out;
  HC_ASSIGN_OR_RETURN(auto epoch, chain::read_key_epoch(view_));
  if (!epoch) return out;
  HC_ASSIGN_OR_RETURN(auto latest, chain::read_latest_sharing(view_, epoch->key_epoch));
  status.sharing_reshare_epoch = latest ? latest->reshare_epoch : 0;
  status.sharing_seat = 0;
  if (latest) {
    status.trustees = static_cast<std::uint16_t>(latest->trustees.size());
    status.threshold = latest->access_key.threshold;
    auto seat = seat_in(*latest);
    if (!seat.ok()) {
      // Reported, but it must not keep this node from announcing, dealing or complaining.
      spdlog::warn("member {}: {}", member_id_, seat.status().message());
      status.last_error = seat.status().message();
    } else if (*seat) {
      status.sharing_seat = (*seat)->index;
      status.trustee_index = (*seat)->index;
      status.share_ready = true;
    } else if (latest->reshare_epoch >= 1) {
      status.trustee_index = 0;
      status.share_ready = false;
    }
  }
  HC_ASSIGN_OR_RETURN(auto run, chain::read_latest_reshare_run(view_));
  if (!run) return out;
  status.reshare_epoch = run->reshare_epoch;
  status.reshare_new_seat = 0;
  HC_ASSIGN_OR_RETURN(auto record, chain::read_reshare_outcome(view_, run->reshare_epoch));
  if (record) {
    status.reshare_phase = record->formed ? "formed" : "failed";
    if (record->formed) {
      for (std::size_t j = 0; j < record->formed->trustees.size(); ++j) {
        if (record->formed->trustees[j].member == member_id_) status.reshare_new_seat = static_cast<std::uint16_t>(j + 1);
      }
    }
    return out;
  }
  HC_ASSIGN_OR_RETURN(const chain::ReshareSchedule schedule, chain::read_reshare_schedule(view_, *run));
  status.reshare_phase = reshare_phase_at(schedule, store_.tip().height + 1);
  HC_ASSIGN_OR_RETURN(auto announcement, announce_if_due(*run));
  if (announcement) out.push_back(std::move(*announcement));
  HC_ASSIGN_OR_RETURN(auto deal, reshare_deal_if_due(*run));
  if (deal) out.push_back(std::move(*deal));
  HC_ASSIGN_OR_RETURN(auto complaints, reshare_complaints_due(*run));
  for (TrusteeTx& tx : complaints) out.push_back(std::move(tx));
  return out;
}

Result<std::optional<TrusteeTx>> TrusteeDuties::announce_if_due(const chain::ReshareRun& run) {
  HC_ASSIGN_OR_RETURN(const chain::ReshareSchedule schedule, chain::read_reshare_schedule(view_, run));
  const std::uint64_t next = store_.tip().height + 1;
  const std::uint64_t r = run.reshare_epoch;
  if (next < schedule.first_key_height || next > schedule.last_key_height || announced_.count(r)) {
    return std::optional<TrusteeTx>();
  }
  if (std::find(run.members.begin(), run.members.end(), member_id_) == run.members.end()) {
    return std::optional<TrusteeTx>();
  }
  HC_ASSIGN_OR_RETURN(auto announced, chain::read_reshare_keys(view_, r));
  for (const chain::ReshareAnnouncement& a : announced) {
    if (a.member == member_id_) {
      announced_.insert(r);
      return std::optional<TrusteeTx>();
    }
  }
  HC_ASSIGN_OR_RETURN(auto current_public, chain::current_trustee_key_of(view_, run.key_epoch, member_id_));
  if (!current_public) {
    announced_.insert(r);
    spdlog::warn("member {}: the chain knows no current trustee key for this hospital (no seat, no enrollment key "
                 "in its join request): it cannot take a seat in resharing epoch {}", member_id_, r);
    return std::optional<TrusteeTx>();
  }
  // The key that signs: the genesis seat's, a held resharing key, or a joiner's enrollment key.
  const crypto::P256Scalar* current = nullptr;
  for (std::uint64_t e : key_files_->held_epochs()) {
    HC_ASSIGN_OR_RETURN(const crypto::P256Scalar* key, held_key(e));
    if (key != nullptr && crypto::P256Point::base_mul(*key).encode() == *current_public) current = key;
  }
  if (current == nullptr) {
    return invalid_input("resharing epoch " + std::to_string(r) + ": this node holds no key file with its current "
                         "trustee key (" + to_hex(*current_public).substr(0, 18) + "...), so it cannot announce; "
                         "expected it in " + key_files_->path_for(0).parent_path().string());
  }
  HC_ASSIGN_OR_RETURN(crypto::P256Scalar fresh_secret, key_files_->fresh_key(r));
  const crypto::P256Scalar& fresh = held_keys_.insert_or_assign(r, std::move(fresh_secret)).first->second;
  chain::ReshareKeyTx tx;
  tx.chain_id = store_.genesis_hash();
  tx.reshare_epoch = r;
  tx.member = member_id_;
  tx.new_key = crypto::P256Point::base_mul(fresh).encode();
  HC_RETURN_IF_ERROR(chain::sign_reshare_key_tx(tx, *current, fresh));
  chain::Transaction any{std::move(tx)};
  HC_RETURN_IF_ERROR(chain::check_transaction_fields(any));
  announced_.insert(r);
  spdlog::info("member {}: fresh trustee key for resharing epoch {} written to {}", member_id_, r,
               key_files_->path_for(r).string());
  return std::optional<TrusteeTx>(
      TrusteeTx{reshare_label("reshare key announcement", r), chain::encode_transaction(any)});
}

Result<std::optional<TrusteeTx>> TrusteeDuties::reshare_deal_if_due(const chain::ReshareRun& run) {
  HC_ASSIGN_OR_RETURN(const chain::ReshareSchedule schedule, chain::read_reshare_schedule(view_, run));
  const std::uint64_t tip = store_.tip().height;
  const std::uint64_t r = run.reshare_epoch;
  if (tip + 1 <= schedule.last_key_height || tip + 1 > schedule.last_deal_height || reshare_dealt_.count(r)) {
    return std::optional<TrusteeTx>();
  }
  auto setting = chain::reshare_setting(view_, run, tip);
  if (!setting.ok()) {
    reshare_dealt_.insert(r);  // too few announcements: the resharing fails, nobody deals
    spdlog::info("member {}: no deal in resharing epoch {}: {}", member_id_, r, setting.status().message());
    return std::optional<TrusteeTx>();
  }
  HC_ASSIGN_OR_RETURN(auto seat, seat_in(setting->old_sharing));
  if (!seat) {
    reshare_dealt_.insert(r);  // not a seat of the sharing being reshared
    return std::optional<TrusteeTx>();
  }
  HC_ASSIGN_OR_RETURN(auto committed, chain::read_reshare_deal(view_, r, seat->index));
  if (committed) {
    reshare_dealt_.insert(r);
    return std::optional<TrusteeTx>();
  }
  HC_ASSIGN_OR_RETURN(th::AccessReshareDeal deal, th::make_reshare_deal(setting->params, seat->index, *seat->share));
  chain::ReshareDealTx tx;
  tx.chain_id = store_.genesis_hash();
  tx.reshare_epoch = r;
  tx.dealer = seat->index;
  tx.deal = th::encode_reshare_deal(setting->params, deal);
  if (run.with_opener) {
    HC_ASSIGN_OR_RETURN(th::OpenerReshareParams params, chain::opener_reshare_params_for(view_, run, tip));
    HC_ASSIGN_OR_RETURN(const OpenerShareOfEpoch* share,
                        opener_share_of_seat(run.key_epoch, *seat, run.started_at_height));
    HC_ASSIGN_OR_RETURN(auto opener_deal, th::make_reshare_deal(params, seat->index, share->share));
    tx.opener_deal = th::encode_reshare_deal(params, opener_deal);
  }
  HC_ASSIGN_OR_RETURN(TrusteeTx signed_tx, reshare_signed_tx(chain::Transaction{std::move(tx)}, *seat->trustee_secret,
                                                             reshare_label("reshare deal as old seat " +
                                                                               std::to_string(seat->index), r)));
  reshare_dealt_.insert(r);
  return std::optional<TrusteeTx>(std::move(signed_tx));
}

Result<std::vector<TrusteeTx>> TrusteeDuties::reshare_complaints_due(const chain::ReshareRun& run) {
  std::vector<TrusteeTx> out;
  HC_ASSIGN_OR_RETURN(const chain::ReshareSchedule schedule, chain::read_reshare_schedule(view_, run));
  const std::uint64_t tip = store_.tip().height;
  const std::uint64_t r = run.reshare_epoch;
  if (tip + 1 <= schedule.last_deal_height || tip + 1 > schedule.last_complaint_height) return out;
  auto setting = chain::reshare_setting(view_, run, tip);
  if (!setting.ok()) return out;  // failed: nothing to check
  std::uint16_t j = 0;
  for (std::size_t k = 0; k < setting->new_trustees.size(); ++k) {
    if (setting->new_trustees[k].member == member_id_) j = static_cast<std::uint16_t>(k + 1);
  }
  if (j == 0) return out;
  HC_ASSIGN_OR_RETURN(const crypto::P256Scalar* fresh, held_key(r));
  if (fresh == nullptr || crypto::P256Point::base_mul(*fresh).encode() != setting->new_trustees[j - 1].key) {
    return invalid_input("resharing epoch " + std::to_string(r) + ": the key announced for this node is not in " +
                         key_files_->path_for(r).string() + "; it cannot check its deals");
  }
  HC_ASSIGN_OR_RETURN(auto complaints, chain::read_reshare_complaints(view_, r));
  HC_ASSIGN_OR_RETURN(auto stored, chain::read_reshare_deals(view_, r));
  for (const auto& [dealer, bytes] : stored) {
    if (!reshare_checked_.insert({r, dealer}).second) continue;
    auto deal = th::decode_reshare_deal(setting->params, bytes);
    if (!deal.ok() || !th::check_reshare_deal(setting->params, *deal).ok()) continue;  // public fault: no complaint
    auto share = th::receive_reshare_share(setting->params, *deal, j, *fresh);
    if (share.ok()) continue;
    const bool already = std::any_of(complaints.begin(), complaints.end(), [&](const chain::StoredComplaint& c) {
      return c.complainer == j && c.dealer == dealer;
    });
    if (already) continue;
    spdlog::warn("trustee {} (new): old dealer {}'s reshared share to us fails its check in resharing epoch {} ({}): "
                 "complaining", j, dealer, r, share.status().message());
    HC_ASSIGN_OR_RETURN(th::ReshareComplaint complaint, th::make_reshare_complaint(setting->params, *deal, j, *fresh));
    chain::ReshareComplaintTx tx;
    tx.chain_id = store_.genesis_hash();
    tx.reshare_epoch = r;
    tx.complainer = j;
    tx.complaint = th::encode_reshare_complaint(setting->params, complaint);
    HC_ASSIGN_OR_RETURN(TrusteeTx signed_tx,
                        reshare_signed_tx(chain::Transaction{std::move(tx)}, *fresh,
                                          reshare_label("reshare complaint against old dealer " + std::to_string(dealer), r)));
    out.push_back(std::move(signed_tx));
  }
  if (!run.with_opener) return out;
  HC_ASSIGN_OR_RETURN(th::OpenerReshareParams params, chain::opener_reshare_params_for(view_, run, tip));
  HC_ASSIGN_OR_RETURN(auto opener_complaints, chain::read_opener_reshare_complaints(view_, r));
  HC_ASSIGN_OR_RETURN(auto opener_stored, chain::read_opener_reshare_deals(view_, r));
  for (const auto& [dealer, bytes] : opener_stored) {
    if (!reshare_opener_checked_.insert({r, dealer}).second) continue;
    auto deal = th::decode_reshare_deal(params, bytes);
    if (!deal.ok() || !th::check_reshare_deal(params, *deal).ok()) continue;
    auto share = th::receive_reshare_share(params, *deal, j, *fresh);
    if (share.ok()) {
      share->wipe();
      continue;
    }
    const bool already = std::any_of(opener_complaints.begin(), opener_complaints.end(),
                                     [&](const auto& c) { return c.complainer == j && c.dealer == dealer; });
    if (already) continue;
    spdlog::warn("trustee {} (new): old dealer {}'s reshared opener share to us fails its check in resharing epoch {} "
                 "({}): complaining", j, dealer, r, share.status().message());
    HC_ASSIGN_OR_RETURN(th::ReshareComplaint complaint, th::make_reshare_complaint(params, *deal, j, *fresh));
    chain::ReshareComplaintTx tx;
    tx.chain_id = store_.genesis_hash();
    tx.reshare_epoch = r;
    tx.complainer = j;
    tx.complaint = th::encode_reshare_complaint(params, complaint);
    tx.against_opener_deal = true;
    HC_ASSIGN_OR_RETURN(TrusteeTx signed_tx,
                        reshare_signed_tx(chain::Transaction{std::move(tx)}, *fresh,
                                          reshare_label("opener reshare complaint against old dealer " +
                                                            std::to_string(dealer), r)));
    out.push_back(std::move(signed_tx));
  }
  return out;
}

void TrusteeDuties::drop_sharing_secrets(std::uint64_t reshare_epoch) {
  if (reshare_epoch == 0) {
    identity_ = TrusteeIdentity{};  // the genesis seat's key and its DKG shares
    shares_.clear();
    keys_.clear();
    opener_shares_.clear();
  }
  held_keys_.erase(reshare_epoch);
  for (auto it = reshared_shares_.begin(); it != reshared_shares_.end();) {
    it = it->first.second == reshare_epoch ? reshared_shares_.erase(it) : std::next(it);
  }
  for (auto it = reshared_opener_shares_.begin(); it != reshared_opener_shares_.end();) {
    it = it->first.second == reshare_epoch ? reshared_opener_shares_.erase(it) : std::next(it);
  }
}

Result<std::vector<std::uint64_t>> TrusteeDuties::erase_superseded_keys(std::uint64_t answered_through) {
  std::vector<std::uint64_t> erased;
  if (!key_files_) return erased;
  HC_ASSIGN_OR_RETURN(auto epoch, chain::read_key_epoch(view_));
  if (!epoch) return erased;
  const std::uint64_t tip = store_.tip().height;
  std::vector<std::uint64_t> to_erase;
  // A hospital that is no longer a member: every trustee key it holds, once it answered what
  // it owes (or the grace period passed).
  HC_ASSIGN_OR_RETURN(chain::ReplicaConfiguration now, chain::configuration_at(view_, tip + 1));
  HC_ASSIGN_OR_RETURN(auto self, chain::read_member(view_, member_id_));
  const auto held = key_files_->held_epochs();
  // It announced in a resharing (held key r >= 1), holds a genesis seat or joined: it was one.
  const bool was_member = self.has_value() || identity_.index != 0 ||
                          std::any_of(held.begin(), held.end(), [](std::uint64_t e) { return e >= 1; });
  const bool member = std::find(now.members.begin(), now.members.end(), member_id_) != now.members.end();
  HC_ASSIGN_OR_RETURN(auto latest, chain::read_latest_sharing(view_, epoch->key_epoch));
  if (!member && was_member) {
    for (std::uint64_t e : held) {
      if (e != 0 || first_key_holds_share_) to_erase.push_back(e);
    }
  } else if (latest && latest->reshare_epoch >= 1) {
    const std::uint64_t finalized_at = latest->in_force_from_height - 1;
    if (tip >= finalized_at && (answered_through >= finalized_at || tip >= finalized_at + kEraseGraceBlocks)) {
      for (std::uint64_t e : key_files_->held_epochs()) {
        if (e < latest->reshare_epoch && (e != 0 || first_key_holds_share_)) to_erase.push_back(e);
      }
    }
  }
  // The fresh key of a resharing that failed holds no share.
  HC_ASSIGN_OR_RETURN(auto run, chain::read_latest_reshare_run(view_));
  if (run && (!latest || run->reshare_epoch > latest->reshare_epoch)) {
    HC_ASSIGN_OR_RETURN(auto record, chain::read_reshare_outcome(view_, run->reshare_epoch));
    if (record && !record->formed) {
      if (std::find(held.begin(), held.end(), run->reshare_epoch) != held.end()) to_erase.push_back(run->reshare_epoch);
    }
  }
  for (std::uint64_t e : to_erase) {
    HC_RETURN_IF_ERROR(key_files_->erase(e));
    drop_sharing_secrets(e);
    spdlog::info("member {}: trustee key of resharing epoch {} erased ({} overwritten and removed)", member_id_, e,
                 key_files_->path_for(e).string());
    erased.push_back(e);
  }
  return erased;
}

}  // namespace hc::node

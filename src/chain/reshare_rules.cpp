#include "chain/reshare_rules.h"

#include <algorithm>
#include <string>

#include "chain/consensus_parameters.h"
#include "chain/consortium_configuration.h"
#include "chain/governance_state.h"
#include "chain/trustee_signing.h"
#include "crypto/threshold/reshare_outcome.h"

namespace hc::chain {

namespace {
namespace th = crypto::threshold;

// The opener key's resharing tags (crypto/threshold/opener_reshare.h; the ledger has no pairing
// code, so it reads only these messages' framing).
constexpr std::string_view kRrOpenerReshareDealTag = "HC-OPENER-RESHARE-DEAL-v1";
constexpr std::string_view kRrOpenerReshareComplaintTag = "HC-OPENER-RESHARE-COMPLAINT-v1";
constexpr std::size_t kRrOpenerReshareComplaintBytes = 4 + kRrOpenerReshareComplaintTag.size() + 32 + 2 + 2 + 65 + 64;

Status rr_refuse(const std::string& why) { return invalid_input(why); }

std::string rr_heights_text(std::uint64_t first, std::uint64_t last) {
  return std::to_string(first) + ".." + std::to_string(last);
}

// LP(tag) || digest (32) || u16 a || u16 b ...: the two indices after the digest, if the tag is `tag`.
Result<std::pair<std::uint16_t, std::uint16_t>> rr_framed_indices(ByteSpan message, std::string_view tag) {
  const std::size_t at = 4 + tag.size() + 32;
  if (message.size() < at + 4) return invalid_input("too short");
  const std::uint32_t len = (std::uint32_t{message[0]} << 24) | (std::uint32_t{message[1]} << 16) |
                            (std::uint32_t{message[2]} << 8) | std::uint32_t{message[3]};
  if (len != tag.size() || !std::equal(tag.begin(), tag.end(), message.begin() + 4)) return invalid_input("another tag");
  return std::make_pair(static_cast<std::uint16_t>((message[at] << 8) | message[at + 1]),
                        static_cast<std::uint16_t>((message[at + 2] << 8) | message[at + 3]));
}

// The running resharing `reshare_epoch` names, at `height`, in its window [first, last].
Result<ReshareRun> rr_running_run(const TrusteeStateView& state, const ChainId& chain_id, std::uint64_t reshare_epoch,
                               std::uint64_t height, std::string_view what) {
  if (state.genesis().access_mode != AccessMode::kTrustees) return rr_refuse(std::string(what) + ": not a trustees-mode chain");
  if (chain_id != state.genesis_hash()) return rr_refuse(std::string(what) + ": names another chain");
  HC_ASSIGN_OR_RETURN(auto run, read_running_reshare(state, height - 1));
  if (!run) return rr_refuse(std::string(what) + ": no resharing is running");
  if (run->reshare_epoch != reshare_epoch) {
    return rr_refuse(std::string(what) + ": resharing epoch " + std::to_string(reshare_epoch) + " is not the running one (" +
                  std::to_string(run->reshare_epoch) + ")");
  }
  return *run;
}

Status rr_check_window(std::uint64_t height, std::uint64_t first, std::uint64_t last, std::string_view what,
                    std::string_view window) {
  if (height < first || height > last) {
    return rr_refuse(std::string(what) + ": outside the " + std::string(window) + " window (heights " +
                  rr_heights_text(first, last) + ")");
  }
  return Status();
}

// Deals and complaints wait for the announcement window to close (the new seats are fixed then).
Status rr_check_closed(const ReshareSchedule& s, std::string_view what) {
  if (s.announcements_closed) return Status();
  return rr_refuse(std::string(what) + ": the announcement window is still open (it closes once every member "
                   "announced, at height " + std::to_string(s.last_key_height) + " at the latest)");
}

Result<ReshareSetting> rr_setting_for(const TrusteeStateView& state, const ReshareRun& run, std::uint64_t height,
                                   std::string_view what) {
  auto setting = reshare_setting(state, run, height - 1);
  if (!setting.ok() && setting.status().code() == ErrorCode::kInvalidInput) {
    return rr_refuse(std::string(what) + ": " + setting.status().message());
  }
  return setting;
}

Status rr_check_key(const TrusteeStateView& state, const ReshareKeyTx& tx, std::uint64_t height, ReshareBlockClaims& claims) {
  HC_ASSIGN_OR_RETURN(ReshareRun run, rr_running_run(state, tx.chain_id, tx.reshare_epoch, height, "reshare key"));
  HC_ASSIGN_OR_RETURN(const ReshareSchedule s, read_reshare_schedule(state, run));
  HC_RETURN_IF_ERROR(rr_check_window(height, s.first_key_height, s.last_key_height, "reshare key", "announcement"));
  const std::string who = "reshare key: member " + std::to_string(tx.member);
  if (std::find(run.members.begin(), run.members.end(), tx.member) == run.members.end()) {
    return rr_refuse(who + " is not in the new configuration");
  }
  HC_ASSIGN_OR_RETURN(auto current, current_trustee_key_of(state, run.key_epoch, tx.member));
  if (!current) {
    return rr_refuse(who + " has no current trustee key (no seat in the sharing, no enrollment key in its join request)");
  }
  if (tx.new_key == *current) return rr_refuse(who + ": the new trustee key must be fresh, not its current one");
  HC_ASSIGN_OR_RETURN(auto announced, read_reshare_keys(state, run.reshare_epoch));
  for (const ReshareAnnouncement& a : announced) {
    if (a.member == tx.member) return rr_refuse(who + " has already announced its key for this resharing");
    if (a.key == tx.new_key) return rr_refuse(who + ": that key is already announced by member " + std::to_string(a.member));
  }
  if (claims.announcers.count(tx.member) != 0) return rr_refuse(who + " has already announced its key for this resharing");
  if (claims.announced_keys.count(tx.new_key) != 0) return rr_refuse(who + ": that key is already announced in this block");
  HC_RETURN_IF_ERROR(verify_trustee_tx_by(Transaction(tx), *current)
                         .with_context(who + "'s signature by its current trustee key"));
  HC_RETURN_IF_ERROR(verify_reshare_key_possession(tx));
  claims.announcers.insert(tx.member);
  claims.announced_keys.insert(tx.new_key);
  return Status();
}

Status rr_check_opener_deal_framing(const ReshareRun& run, const ReshareDealTx& tx) {
  if (!run.with_opener) {
    if (!tx.opener_deal.empty()) return rr_refuse("reshare deal: this key epoch has no opener key to reshare");
    return Status();
  }
  if (tx.opener_deal.empty()) return rr_refuse("reshare deal: the opener key's deal is missing");
  auto indices = rr_framed_indices(tx.opener_deal, kRrOpenerReshareDealTag);
  if (!indices.ok()) return rr_refuse("reshare deal: the opener deal is not an opener resharing deal");
  if (indices->first != tx.dealer) return rr_refuse("reshare deal: the opener deal is another dealer's");
  return Status();
}

Status rr_check_deal(const TrusteeStateView& state, const ReshareDealTx& tx, std::uint64_t height, ReshareBlockClaims& claims) {
  HC_ASSIGN_OR_RETURN(ReshareRun run, rr_running_run(state, tx.chain_id, tx.reshare_epoch, height, "reshare deal"));
  HC_ASSIGN_OR_RETURN(const ReshareSchedule s, read_reshare_schedule(state, run));
  HC_RETURN_IF_ERROR(rr_check_closed(s, "reshare deal"));
  HC_RETURN_IF_ERROR(rr_check_window(height, s.last_key_height + 1, s.last_deal_height, "reshare deal", "deal"));
  HC_ASSIGN_OR_RETURN(ReshareSetting setting, rr_setting_for(state, run, height, "reshare deal"));
  const std::string who = "reshare deal: dealer " + std::to_string(tx.dealer);
  if (tx.dealer == 0 || tx.dealer > setting.old_sharing.trustees.size()) {
    return rr_refuse(who + " is not a trustee of the sharing being reshared");
  }
  HC_RETURN_IF_ERROR(verify_trustee_tx_by(Transaction(tx), setting.old_sharing.trustees[tx.dealer - 1].key)
                         .with_context(who));
  HC_ASSIGN_OR_RETURN(auto stored, read_reshare_deal(state, run.reshare_epoch, tx.dealer));
  if (stored || claims.dealers.count(tx.dealer) != 0) return rr_refuse(who + " has already dealt in this resharing");
  auto deal = th::decode_reshare_deal(setting.params, tx.deal);
  if (!deal.ok()) return rr_refuse("reshare deal: " + deal.status().message());
  if (deal->dealer != tx.dealer) return rr_refuse("reshare deal: the deal is another dealer's");
  HC_RETURN_IF_ERROR(rr_check_opener_deal_framing(run, tx));
  claims.dealers.insert(tx.dealer);
  return Status();
}

Status rr_check_opener_complaint(const TrusteeStateView& state, const ReshareRun& run, const ReshareComplaintTx& tx,
                              ReshareBlockClaims& claims) {
  auto parties = rr_framed_indices(tx.complaint, kRrOpenerReshareComplaintTag);
  if (!parties.ok() || tx.complaint.size() != kRrOpenerReshareComplaintBytes) {
    return rr_refuse("opener reshare complaint: not an opener resharing complaint of " +
                  std::to_string(kRrOpenerReshareComplaintBytes) + " bytes");
  }
  const std::uint16_t complainer = parties->first;
  const std::uint16_t dealer = parties->second;
  if (complainer != tx.complainer) return rr_refuse("opener reshare complaint: the complaint is another trustee's");
  HC_ASSIGN_OR_RETURN(auto deals, read_opener_reshare_deals(state, run.reshare_epoch));
  if (std::none_of(deals.begin(), deals.end(), [&](const auto& d) { return d.first == dealer; })) {
    return rr_refuse("opener reshare complaint: dealer " + std::to_string(dealer) + " has dealt no opener deal");
  }
  HC_ASSIGN_OR_RETURN(auto stored, read_opener_reshare_complaints(state, run.reshare_epoch));
  const bool known = std::any_of(stored.begin(), stored.end(),
                                 [&](const auto& c) { return c.complainer == complainer && c.dealer == dealer; });
  if (known || !claims.opener_complaints.insert({complainer, dealer}).second) {
    return rr_refuse("opener reshare complaint: trustee " + std::to_string(complainer) +
                  " has already complained about dealer " + std::to_string(dealer));
  }
  return Status();
}

Status rr_check_complaint(const TrusteeStateView& state, const ReshareComplaintTx& tx, std::uint64_t height,
                       ReshareBlockClaims& claims) {
  HC_ASSIGN_OR_RETURN(ReshareRun run, rr_running_run(state, tx.chain_id, tx.reshare_epoch, height, "reshare complaint"));
  HC_ASSIGN_OR_RETURN(const ReshareSchedule s, read_reshare_schedule(state, run));
  HC_RETURN_IF_ERROR(rr_check_closed(s, "reshare complaint"));
  HC_RETURN_IF_ERROR(rr_check_window(height, s.last_deal_height + 1, s.last_complaint_height, "reshare complaint", "complaint"));
  HC_ASSIGN_OR_RETURN(ReshareSetting setting, rr_setting_for(state, run, height, "reshare complaint"));
  const std::string who = "reshare complaint: complainer " + std::to_string(tx.complainer);
  if (tx.complainer == 0 || tx.complainer > setting.new_trustees.size()) return rr_refuse(who + " is not a new trustee");
  HC_RETURN_IF_ERROR(verify_trustee_tx_by(Transaction(tx), setting.new_trustees[tx.complainer - 1].key)
                         .with_context(who + " (its announced key)"));
  if (tx.against_opener_deal) return rr_check_opener_complaint(state, run, tx, claims);
  auto complaint = th::decode_reshare_complaint(setting.params, tx.complaint);
  if (!complaint.ok()) return rr_refuse("reshare complaint: " + complaint.status().message());
  if (complaint->complainer != tx.complainer) return rr_refuse("reshare complaint: the complaint is another trustee's");
  HC_ASSIGN_OR_RETURN(auto deal, read_reshare_deal(state, run.reshare_epoch, complaint->dealer));
  if (!deal) return rr_refuse("reshare complaint: dealer " + std::to_string(complaint->dealer) + " has not dealt");
  HC_ASSIGN_OR_RETURN(auto stored, read_reshare_complaints(state, run.reshare_epoch));
  const bool known = std::any_of(stored.begin(), stored.end(), [&](const StoredComplaint& c) {
    return c.complainer == tx.complainer && c.dealer == complaint->dealer;
  });
  if (known || !claims.complaints.insert({tx.complainer, complaint->dealer}).second) {
    return rr_refuse(who + " has already complained about dealer " + std::to_string(complaint->dealer));
  }
  return Status();
}
}  // namespace

Result<std::uint16_t> reshare_complaint_dealer(const ReshareComplaintTx& tx) {
  HC_ASSIGN_OR_RETURN(auto indices, rr_framed_indices(tx.complaint, tx.against_opener_deal ? kRrOpenerReshareComplaintTag
                                                                                         : th::AccessKeyGroup::kComplaintTag));
  return indices.second;
}

Status check_reshare_tx(const TrusteeStateView& state, const Transaction& tx, std::uint64_t height,
                        ReshareBlockClaims& claims) {
  if (const auto* k = std::get_if<ReshareKeyTx>(&tx)) return rr_check_key(state, *k, height, claims);
  if (const auto* d = std::get_if<ReshareDealTx>(&tx)) return rr_check_deal(state, *d, height, claims);
  if (const auto* c = std::get_if<ReshareComplaintTx>(&tx)) return rr_check_complaint(state, *c, height, claims);
  return rr_refuse("not a resharing transaction");
}

Status check_answer_signer(const TrusteeStateView& state, std::uint64_t key_epoch, std::uint64_t request_height,
                           const DecryptionSharesTx& tx) {
  HC_ASSIGN_OR_RETURN(auto sharing, read_sharing_in_force(state, key_epoch, request_height));
  if (!sharing) return rr_refuse("decryption shares: key epoch " + std::to_string(key_epoch) + " has no access key");
  if (tx.trustee == 0 || tx.trustee > sharing->trustees.size()) {
    return rr_refuse("decryption shares: trustee " + std::to_string(tx.trustee) +
                  " is not a trustee of the sharing in force at the request's height (resharing epoch " +
                  std::to_string(sharing->reshare_epoch) + ")");
  }
  Status signed_by = verify_trustee_tx_by(Transaction(tx), sharing->trustees[tx.trustee - 1].key);
  if (!signed_by.ok()) {
    return Status::error(signed_by.code(), "decryption shares: trustee " + std::to_string(tx.trustee) +
                                               "'s signature does not verify under its key in the sharing in force "
                                               "at the request's height (resharing epoch " +
                                               std::to_string(sharing->reshare_epoch) + ")");
  }
  return Status();
}

Status check_key_epoch_start_allowed(const TrusteeStateView& state, std::uint64_t height) {
  HC_ASSIGN_OR_RETURN(auto running, read_running_reshare(state, height - 1));
  if (running) {
    HC_ASSIGN_OR_RETURN(const ReshareSchedule s, read_reshare_schedule(state, *running));
    return rr_refuse("key epoch start: resharing " + std::to_string(running->reshare_epoch) + " is running (it ends at height " +
                  std::to_string(s.finalize_height) + (s.announcements_closed ? ")" : " at the latest)"));
  }
  HC_ASSIGN_OR_RETURN(auto latest, read_latest_reshare_run(state));
  for (std::uint64_t r = latest ? latest->reshare_epoch : 0; r >= 1; --r) {
    HC_ASSIGN_OR_RETURN(auto outcome, read_reshare_outcome(state, r));
    if (outcome && outcome->formed) {
      return rr_refuse("key epoch start: the trustees were reshared (resharing " + std::to_string(r) +
                    "); a new key epoch's DKG among the reshared trustees is not supported yet");
    }
  }
  return Status();
}

Result<ReshareRecord> finalize_reshare_run(const TrusteeStateView& state, const ReshareRun& run, std::uint64_t height) {
  ReshareRecord record;
  record.reshare_epoch = run.reshare_epoch;
  record.key_epoch = run.key_epoch;
  record.finalized_at_height = height;
  auto setting = reshare_setting(state, run, height - 1);
  if (!setting.ok()) {
    if (setting.status().code() != ErrorCode::kInvalidInput) return setting.status();
    record.failure = setting.status().message();
    return record;
  }
  std::vector<std::optional<th::AccessReshareDeal>> deals(setting->old_sharing.trustees.size());
  HC_ASSIGN_OR_RETURN(auto stored_deals, read_reshare_deals(state, run.reshare_epoch));
  for (const auto& [dealer, bytes] : stored_deals) {
    auto deal = th::decode_reshare_deal(setting->params, bytes);
    if (!deal.ok() || dealer == 0 || dealer > deals.size()) return Status::error(ErrorCode::kCorrupt, "store: bad reshare deal");
    deals[dealer - 1] = std::move(deal).value();
  }
  std::vector<th::ReshareComplaint> complaints;
  HC_ASSIGN_OR_RETURN(auto stored_complaints, read_reshare_complaints(state, run.reshare_epoch));
  for (const StoredComplaint& c : stored_complaints) {
    auto complaint = th::decode_reshare_complaint(setting->params, c.complaint);
    if (!complaint.ok()) return Status::error(ErrorCode::kCorrupt, "store: bad reshare complaint");
    complaints.push_back(*complaint);
  }
  auto outcome = th::finalize_reshare(setting->params, deals, complaints);
  if (!outcome.ok()) {
    record.failure = "resharing " + std::to_string(run.reshare_epoch) + " failed: " + outcome.status().message();
    return record;
  }
  TrusteeSharing sharing;
  sharing.key_epoch = run.key_epoch;
  sharing.reshare_epoch = run.reshare_epoch;
  sharing.in_force_from_height = height + 1;
  sharing.trustees = setting->new_trustees;
  sharing.access_key = outcome->key;
  record.formed = std::move(sharing);
  record.qualified = outcome->qualified;
  record.wrong_constant = outcome->wrong_constant;
  record.disqualified = outcome->disqualified;
  record.absent = outcome->absent;
  record.rejected_complainers = outcome->rejected_complainers;
  return record;
}

namespace {
Result<StoredComplaint> rr_judged(const TrusteeStateView& state, const ReshareComplaintTx& tx) {
  HC_ASSIGN_OR_RETURN(auto run, read_reshare_run(state, tx.reshare_epoch));
  HC_CHECK(run.has_value());  // check_reshare_tx found it running
  HC_ASSIGN_OR_RETURN(const ReshareSchedule schedule, read_reshare_schedule(state, *run));
  HC_ASSIGN_OR_RETURN(ReshareSetting setting, reshare_setting(state, *run, schedule.last_deal_height));
  auto complaint = th::decode_reshare_complaint(setting.params, tx.complaint);
  HC_CHECK(complaint.ok());
  StoredComplaint stored{tx.complainer, complaint->dealer, ComplaintStatus::kInvalid, tx.complaint};
  HC_ASSIGN_OR_RETURN(auto deal_bytes, read_reshare_deal(state, tx.reshare_epoch, complaint->dealer));
  HC_CHECK(deal_bytes.has_value());
  auto deal = th::decode_reshare_deal(setting.params, *deal_bytes);
  HC_CHECK(deal.ok());  // only decodable deals are committed
  auto verdict = th::judge_reshare_complaint(setting.params, *deal, *complaint);
  if (verdict.ok()) {
    stored.status = *verdict == th::ComplaintVerdict::kDealerFaulty ? ComplaintStatus::kConvictsDealer
                                                                     : ComplaintStatus::kUnfounded;
  }
  return stored;
}

// Starts a resharing at `height` (after any finalize at `height`, `finalized_here`) when the
// latest configuration boundary at or below it came after the latest resharing's start.
Result<std::vector<TrusteeStateEntry>> rr_start_if_due(const TrusteeStateView& state, const CheckedBlock& checked,
                                                    std::uint64_t height, bool finalized_here) {
  std::vector<TrusteeStateEntry> out;
  HC_ASSIGN_OR_RETURN(auto latest, read_latest_reshare_run(state));
  if (latest && !finalized_here) {
    HC_ASSIGN_OR_RETURN(const ReshareSchedule schedule, read_reshare_schedule(state, *latest));
    if (height < schedule.finalize_height) return out;  // one runs
  }
  HC_ASSIGN_OR_RETURN(auto changes, read_membership_changes(state, 1));
  std::uint64_t boundary = 0;
  for (const MembershipChange& c : changes) {
    const std::uint64_t b = membership_change_boundary(c.height);
    if (b <= height) boundary = std::max(boundary, b);
  }
  if (boundary == 0 || (latest && boundary <= latest->started_at_height)) return out;
  HC_ASSIGN_OR_RETURN(auto epoch, read_key_epoch(state));
  if (!epoch) return out;
  HC_ASSIGN_OR_RETURN(auto outcome, read_outcome(state, epoch->key_epoch));
  if (!outcome || !outcome->formed) return out;  // no key to reshare (yet): a later block starts it
  for (const Transaction& tx : checked.transactions) {
    if (std::holds_alternative<KeyEpochStartTx>(tx)) return out;  // the next key epoch's DKG starts instead
  }
  ReshareRun run;
  run.reshare_epoch = latest ? latest->reshare_epoch + 1 : 1;
  run.key_epoch = epoch->key_epoch;
  run.started_at_height = height;
  HC_ASSIGN_OR_RETURN(auto opener_deals, read_opener_deals(state, epoch->key_epoch));
  run.with_opener = !opener_deals.empty();
  HC_ASSIGN_OR_RETURN(ReplicaConfiguration config, configuration_at(state, height + 1));
  run.members = config.members;
  run.new_threshold = default_trustee_threshold(config.members.size());
  out.push_back(reshare_run_entry(run));
  out.push_back(latest_reshare_entry(run.reshare_epoch));
  return out;
}
}  // namespace

Result<std::vector<TrusteeStateEntry>> reshare_changes_of(const TrusteeStateView& state, const CheckedBlock& checked,
                                                          std::uint64_t height) {
  std::vector<TrusteeStateEntry> out;
  if (state.genesis().access_mode != AccessMode::kTrustees) return out;
  for (const Transaction& tx : checked.transactions) {
    if (const auto* k = std::get_if<ReshareKeyTx>(&tx)) {
      out.push_back(reshare_key_entry(k->reshare_epoch, ReshareAnnouncement{k->member, k->new_key}));
    } else if (const auto* d = std::get_if<ReshareDealTx>(&tx)) {
      out.push_back(reshare_deal_entry(d->reshare_epoch, d->dealer, d->deal));
      if (!d->opener_deal.empty()) out.push_back(opener_reshare_deal_entry(d->reshare_epoch, d->dealer, d->opener_deal));
    } else if (const auto* c = std::get_if<ReshareComplaintTx>(&tx); c != nullptr && c->against_opener_deal) {
      auto parties = rr_framed_indices(c->complaint, kRrOpenerReshareComplaintTag);
      HC_CHECK(parties.ok());  // rr_check_opener_complaint read them
      out.push_back(opener_reshare_complaint_entry(c->reshare_epoch, {c->complainer, parties->second, c->complaint}));
    } else if (c != nullptr) {
      HC_ASSIGN_OR_RETURN(StoredComplaint stored, rr_judged(state, *c));
      out.push_back(reshare_complaint_entry(c->reshare_epoch, stored));
    }
  }
  bool finalized_here = false;
  HC_ASSIGN_OR_RETURN(auto latest, read_latest_reshare_run(state));
  std::optional<std::uint64_t> closed_at;
  if (latest) {
    HC_ASSIGN_OR_RETURN(closed_at, read_announcements_closed_at(state, latest->reshare_epoch));
  }
  if (latest && !closed_at) {  // this block's announcements may complete the window
    HC_ASSIGN_OR_RETURN(auto announced, read_reshare_keys(state, latest->reshare_epoch));
    std::size_t count = announced.size();
    for (const Transaction& tx : checked.transactions) {
      const auto* k = std::get_if<ReshareKeyTx>(&tx);
      if (k != nullptr && k->reshare_epoch == latest->reshare_epoch) ++count;
    }
    if (reshare_announcements_close_at(*latest, height, count)) {
      out.push_back(reshare_announcements_closed_entry(latest->reshare_epoch, height));
    }
  }
  if (latest && closed_at && height == reshare_schedule(*latest, closed_at).finalize_height) {
    HC_ASSIGN_OR_RETURN(ReshareRecord record, finalize_reshare_run(state, *latest, height));
    out.push_back(reshare_outcome_entry(record));
    if (record.formed) out.push_back(sharing_entry(*record.formed));
    finalized_here = true;
  }
  HC_ASSIGN_OR_RETURN(auto started, rr_start_if_due(state, checked, height, finalized_here));
  for (auto& entry : started) out.push_back(std::move(entry));
  return out;
}

}  // namespace hc::chain

#include "node/access_key_answer.h"

#include "chain/committed_item.h"
#include "chain/reader_policy.h"
#include "chain/reshare_state.h"
#include "chain/trustee_query.h"
#include "chain/trustee_state.h"

namespace hc::node {

namespace {

using nlohmann::json;

// The epoch's key_epoch_start (epoch >= 1), deals and complaints as committed items.
Status add_dkg_items(const chain::LedgerStore& store, const chain::KeyEpochOutcome& outcome, json& out) {
  // The DKG of epoch e started at the block holding its key_epoch_start (epoch 0: genesis) and
  // its deals and complaints sit in the 2W blocks after it: finalized_at = h0 + 2W + 1.
  const std::uint64_t window = 2 * chain::kDkgWindowBlocks;
  if (outcome.finalized_at_height < window + 1) return Status::error(ErrorCode::kCorrupt, "bad DKG outcome height");
  const std::uint64_t h0 = outcome.finalized_at_height - window - 1;
  out["started_at_height"] = h0;
  out["epoch_start"] = nullptr;
  json deals = json::array();
  json complaints = json::array();
  const std::uint64_t last = std::min(h0 + window, store.tip().height);
  for (std::uint64_t height = std::max<std::uint64_t>(h0, 1); height <= last; ++height) {
    HC_ASSIGN_OR_RETURN(chain::Block block, store.read_block(height));
    for (std::uint32_t i = 0; i < block.transactions.size(); ++i) {
      auto tx = chain::decode_transaction(block.transactions[i]);
      if (!tx.ok()) return Status::error(ErrorCode::kCorrupt, "stored transaction does not decode");
      const auto* start = std::get_if<chain::KeyEpochStartTx>(&*tx);
      const auto* deal = std::get_if<chain::DkgDealTx>(&*tx);
      const auto* complaint = std::get_if<chain::DkgComplaintTx>(&*tx);
      if (start != nullptr && start->key_epoch == outcome.key_epoch && height == h0) {
        HC_ASSIGN_OR_RETURN(out["epoch_start"], chain::committed_item_to_json(block, height, i));
      } else if (deal != nullptr && deal->key_epoch == outcome.key_epoch) {
        HC_ASSIGN_OR_RETURN(json item, chain::committed_item_to_json(block, height, i));
        deals.push_back({{"dealer", deal->dealer}, {"item", std::move(item)}});
      } else if (complaint != nullptr && complaint->key_epoch == outcome.key_epoch) {
        HC_ASSIGN_OR_RETURN(json item, chain::committed_item_to_json(block, height, i));
        complaints.push_back({{"complainer", complaint->complainer}, {"item", std::move(item)}});
      }
    }
  }
  out["deals"] = std::move(deals);
  out["complaints"] = std::move(complaints);
  return Status::ok_status();
}

// Every resharing of key epoch `key_epoch` that has ended (formed or failed), ascending, with
// its committed announcements, deals and complaints as committed items, read from the at most
// 3W blocks of its windows: from them and the change history a client recomputes each new
// sharing with finalize_reshare (issue 16 item 3). `last` is the latest such resharing epoch.
Status add_reshare_items(const chain::LedgerStore& store, std::uint64_t key_epoch, json& out, std::uint64_t& last) {
  const chain::StoreTrusteeView view(store);
  json resharings = json::array();
  last = 0;
  HC_ASSIGN_OR_RETURN(auto latest, chain::read_latest_reshare_run(view));
  const std::uint64_t up_to = latest ? latest->reshare_epoch : 0;
  for (std::uint64_t r = 1; r <= up_to; ++r) {
    HC_ASSIGN_OR_RETURN(auto run, chain::read_reshare_run(view, r));
    if (!run || run->key_epoch != key_epoch) continue;
    HC_ASSIGN_OR_RETURN(auto record, chain::read_reshare_outcome(view, r));
    if (!record) continue;  // still running: its items come once it has ended
    HC_ASSIGN_OR_RETURN(const chain::ReshareSchedule schedule, chain::read_reshare_schedule(view, *run));
    json announcements = json::array(), deals = json::array(), complaints = json::array();
    const std::uint64_t end = std::min(schedule.last_complaint_height, store.tip().height);
    for (std::uint64_t height = schedule.first_key_height; height <= end; ++height) {
      HC_ASSIGN_OR_RETURN(chain::Block block, store.read_block(height));
      for (std::uint32_t i = 0; i < block.transactions.size(); ++i) {
        auto tx = chain::decode_transaction(block.transactions[i]);
        if (!tx.ok()) return Status::error(ErrorCode::kCorrupt, "stored transaction does not decode");
        if (const auto* key = std::get_if<chain::ReshareKeyTx>(&*tx); key != nullptr && key->reshare_epoch == r) {
          HC_ASSIGN_OR_RETURN(json item, chain::committed_item_to_json(block, height, i));
          announcements.push_back({{"member", key->member}, {"item", std::move(item)}});
        } else if (const auto* deal = std::get_if<chain::ReshareDealTx>(&*tx); deal != nullptr && deal->reshare_epoch == r) {
          HC_ASSIGN_OR_RETURN(json item, chain::committed_item_to_json(block, height, i));
          deals.push_back({{"dealer", deal->dealer}, {"item", std::move(item)}});
        } else if (const auto* c = std::get_if<chain::ReshareComplaintTx>(&*tx); c != nullptr && c->reshare_epoch == r) {
          HC_ASSIGN_OR_RETURN(json item, chain::committed_item_to_json(block, height, i));
          complaints.push_back({{"complainer", c->complainer}, {"item", std::move(item)}});
        }
      }
    }
    resharings.push_back({{"reshare_epoch", r},
                          {"started_at_height", run->started_at_height},
                          {"finalized_at_height", record->finalized_at_height},
                          {"formed", record->formed.has_value()},
                          {"members", run->members},
                          {"new_threshold", run->new_threshold},
                          {"with_opener", run->with_opener},
                          {"announcements", std::move(announcements)},
                          {"deals", std::move(deals)},
                          {"complaints", std::move(complaints)}});
    last = r;
  }
  out["resharings"] = std::move(resharings);
  return Status::ok_status();
}

// The latest ended resharing of `key_epoch` (0: none): what a cached answer must be rebuilt for.
Result<std::uint64_t> latest_ended_resharing(const chain::LedgerStore& store, std::uint64_t key_epoch) {
  const chain::StoreTrusteeView view(store);
  HC_ASSIGN_OR_RETURN(auto latest, chain::read_latest_reshare_run(view));
  for (std::uint64_t r = latest ? latest->reshare_epoch : 0; r >= 1; --r) {
    HC_ASSIGN_OR_RETURN(auto run, chain::read_reshare_run(view, r));
    if (!run || run->key_epoch != key_epoch) continue;
    HC_ASSIGN_OR_RETURN(auto record, chain::read_reshare_outcome(view, r));
    if (record) return r;
  }
  return std::uint64_t{0};
}

Result<std::uint64_t> access_key_epoch_arg(const std::string& text) {
  std::uint64_t value = 0;
  if (text.empty() || text.size() > 19) return invalid_input("key epoch must be a decimal number");
  for (char c : text) {
    if (c < '0' || c > '9') return invalid_input("key epoch must be a decimal number");
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return value;
}

}  // namespace

Result<json> AccessKeyAnswers::answer(const chain::LedgerStore& store, std::optional<std::string> epoch_text) {
  if (store.genesis().access_mode != chain::AccessMode::kTrustees) {
    return Status::error(ErrorCode::kNotFound, "this chain is single-manager: it has no access key");
  }
  chain::StoreTrusteeView view(store);
  std::optional<chain::KeyEpochOutcome> outcome;
  if (epoch_text) {
    HC_ASSIGN_OR_RETURN(std::uint64_t epoch, access_key_epoch_arg(*epoch_text));
    HC_ASSIGN_OR_RETURN(std::uint64_t resharing, latest_ended_resharing(store, epoch));
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (auto it = cache_.find(epoch); it != cache_.end() && it->second.first == resharing) return it->second.second;
    }
    HC_ASSIGN_OR_RETURN(outcome, chain::read_outcome(view, epoch));
    if (!outcome) return Status::error(ErrorCode::kNotFound, "the DKG of key epoch " + *epoch_text + " has not ended");
    if (!outcome->formed) {
      return Status::error(ErrorCode::kNotFound, "key epoch " + *epoch_text + " has no access key: its DKG failed (" +
                                                     outcome->failure + ")");
    }
  } else {
    HC_ASSIGN_OR_RETURN(outcome, chain::read_current_access_key(view));
    if (!outcome) return Status::error(ErrorCode::kNotFound, "no access key has formed yet (the DKG is running)");
    HC_ASSIGN_OR_RETURN(std::uint64_t resharing, latest_ended_resharing(store, outcome->key_epoch));
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = cache_.find(outcome->key_epoch); it != cache_.end() && it->second.first == resharing) {
      return it->second.second;
    }
  }
  auto stored = chain::query_trustees_state(store, "access_key", std::to_string(outcome->key_epoch));
  if (!stored) return Status::error(ErrorCode::kInternal, "no access_key query");
  HC_ASSIGN_OR_RETURN(json body, std::move(*stored));
  body["key_epoch"] = outcome->key_epoch;
  body["finalized_at_height"] = outcome->finalized_at_height;
  body["trustees"] = outcome->formed->key.public_shares.size();
  HC_RETURN_IF_ERROR(add_dkg_items(store, *outcome, body));
  std::uint64_t resharing = 0;
  HC_RETURN_IF_ERROR(add_reshare_items(store, outcome->key_epoch, body, resharing));
  std::lock_guard<std::mutex> lock(mu_);
  if (cache_.size() >= kMaxCachedEpochs && !cache_.count(outcome->key_epoch)) cache_.erase(cache_.begin());
  cache_[outcome->key_epoch] = {resharing, body};
  return body;
}

Result<json> access_request_answer(const chain::LedgerStore& store, const std::string& request_id_hex) {
  if (store.genesis().access_mode != chain::AccessMode::kTrustees) {
    return Status::error(ErrorCode::kNotFound, "this chain is single-manager: it has no access requests");
  }
  auto id = chain::digest_from_hex(request_id_hex);
  if (!id.ok()) return invalid_input("request id must be 64 hex digits");
  auto location = store.find_transaction(*id);
  if (!location.ok()) return location.status();
  if (!*location) return Status::error(ErrorCode::kNotFound, "no committed access request " + request_id_hex);
  HC_ASSIGN_OR_RETURN(chain::Block block, store.read_block((*location)->height));
  if ((*location)->index >= block.transactions.size()) return Status::error(ErrorCode::kCorrupt, "store: bad location");
  HC_ASSIGN_OR_RETURN(chain::Transaction tx, chain::decode_transaction(block.transactions[(*location)->index]));
  if (!std::holds_alternative<chain::AccessRequestTx>(tx)) {
    return Status::error(ErrorCode::kNotFound, "transaction " + request_id_hex + " is not an access request");
  }
  HC_ASSIGN_OR_RETURN(json request_item, chain::committed_item_to_json(block, (*location)->height, (*location)->index));
  chain::StoreTrusteeView view(store);
  HC_ASSIGN_OR_RETURN(auto answers, chain::read_answers(view, *id));
  json items = json::array();
  for (const auto& [trustee, tx_id] : answers) {
    HC_ASSIGN_OR_RETURN(auto at, store.find_transaction(tx_id));
    if (!at) return Status::error(ErrorCode::kCorrupt, "answer " + chain::digest_hex(tx_id) + " is not stored");
    HC_ASSIGN_OR_RETURN(chain::Block answer_block, store.read_block(at->height));
    HC_ASSIGN_OR_RETURN(json item, chain::committed_item_to_json(answer_block, at->height, at->index));
    HC_ASSIGN_OR_RETURN(chain::Transaction answer_tx, chain::decode_transaction(answer_block.transactions[at->index]));
    json boxes = json::array();
    if (const auto* shares = std::get_if<chain::DecryptionSharesTx>(&answer_tx)) {
      for (const Bytes& box : shares->share_boxes) boxes.push_back(to_base64(box));
    }
    items.push_back({{"trustee", trustee}, {"height", at->height}, {"tx_id", chain::digest_hex(tx_id)},
                     {"share_boxes", std::move(boxes)}, {"item", std::move(item)}});
  }
  return json{{"request_id", request_id_hex}, {"height", (*location)->height}, {"request", std::move(request_item)},
              {"answers", std::move(items)}};
}

Result<json> reader_policy_answer(const chain::LedgerStore& store) {
  if (store.genesis().access_mode != chain::AccessMode::kTrustees) {
    return Status::error(ErrorCode::kNotFound, "this chain is single-manager: it has no reader policy");
  }
  const chain::StoreTrusteeView view(store);
  HC_ASSIGN_OR_RETURN(chain::ReaderPolicyHead head, chain::read_reader_policy_head(view));
  HC_ASSIGN_OR_RETURN(std::vector<chain::ReaderEntry> entries, chain::read_readers(view));
  json readers = json::array();
  for (const chain::ReaderEntry& entry : entries) {
    HC_ASSIGN_OR_RETURN(auto at, store.find_transaction(entry.tx_id));
    if (!at) return Status::error(ErrorCode::kCorrupt, "reader policy change " + chain::digest_hex(entry.tx_id) + " is not stored");
    HC_ASSIGN_OR_RETURN(chain::Block block, store.read_block(at->height));
    json reader = chain::reader_entry_json(entry);
    HC_ASSIGN_OR_RETURN(reader["item"], chain::committed_item_to_json(block, at->height, at->index));
    readers.push_back(std::move(reader));
  }
  return json{{"policy_version", head.version}, {"listed", head.listed}, {"readers", std::move(readers)}};
}

}  // namespace hc::node

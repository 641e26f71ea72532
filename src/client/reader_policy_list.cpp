#include "client/reader_policy_list.h"

#include <algorithm>
#include <string>

#include "chain/limits.h"
#include "client/item_verification.h"

namespace hc::client {

namespace {
using nlohmann::json;

Status entry_refused(std::size_t i, const std::string& why) {
  return Status::error(ErrorCode::kAuthFailed, "reader policy entry " + std::to_string(i) + ": " + why);
}

// The entry the node claims must be exactly what its proven change wrote.
Result<chain::ReaderEntry> proven_entry(std::size_t i, const json& entry, const ChainTrust& trust) {
  if (!entry.is_object() || !entry.contains("item")) return invalid_input("reader policy: an entry without an item");
  auto item = verify_item(entry["item"], trust.certificates());
  if (!item.ok()) return entry_refused(i, item.status().message());
  const auto* change = std::get_if<chain::ReaderPolicyTx>(&item->tx);
  if (change == nullptr) return entry_refused(i, "its item is not a reader policy change");
  if (!chain::verify_manager_tx(item->tx, trust.genesis().manager_admin_key).ok()) {
    return entry_refused(i, "its change is not signed by the genesis admin key");
  }
  if (change->chain_id != chain::genesis_hash(trust.genesis())) return entry_refused(i, "its change names another chain");
  chain::ReaderEntry out;
  out.key = change->reader_key;
  out.listed = change->action == chain::ReaderPolicyAction::kAdd;
  out.version = change->policy_version;
  out.height = item->height;
  out.tx_id = item->tx_id;
  out.rights = change->rights;
  out.name = change->name;
  const auto text = [&](const char* field) {
    return entry.contains(field) && entry[field].is_string() ? entry[field].get<std::string>() : std::string();
  };
  const bool listed = entry.contains("listed") && entry["listed"].is_boolean() && entry["listed"].get<bool>();
  if (text("reader_key") != to_hex(out.key)) return entry_refused(i, "its key is not its change's");
  if (listed != out.listed) return entry_refused(i, "its listed flag is not what its change did");
  if (!entry.contains("policy_version") || entry["policy_version"] != out.version) {
    return entry_refused(i, "its version is not its change's");
  }
  if (out.listed && (text("name") != out.name || text("rights") != chain::reader_rights_text(out.rights))) {
    return entry_refused(i, "its name or rights are not its change's");
  }
  // A removal carries neither: the name and rights it had are the node's word.
  if (!out.listed) {
    out.name = text("name");
    out.rights = 0;
  }
  return out;
}
}  // namespace

Result<ProvenReaderPolicy> verify_reader_policy_answer(const json& answer, const ChainTrust& trust) {
  if (!answer.is_object() || !answer.contains("readers") || !answer["readers"].is_array()) {
    return invalid_input("reader policy: the answer has no readers array");
  }
  if (answer["readers"].size() > chain::kMaxReaderPolicyEntries) return invalid_input("reader policy: too many entries");
  ProvenReaderPolicy out;
  for (std::size_t i = 0; i < answer["readers"].size(); ++i) {
    HC_ASSIGN_OR_RETURN(chain::ReaderEntry entry, proven_entry(i, answer["readers"][i], trust));
    out.policy_version = std::max(out.policy_version, entry.version);
    out.readers.push_back(std::move(entry));
  }
  for (std::size_t i = 1; i < out.readers.size(); ++i) {
    if (!(out.readers[i - 1].key < out.readers[i].key)) return invalid_input("reader policy: entries not ordered by key");
  }
  return out;
}

}  // namespace hc::client

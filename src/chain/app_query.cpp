// HealthchainApp::query() and the block header JSON view.
#include <charconv>
#include <string>

#include "chain/block_json.h"
#include "chain/healthchain_app.h"
#include "chain/transaction_json.h"
#include "chain/trustee_query.h"

namespace hc::chain {

namespace {
using nlohmann::json;

json location_json(const TxLocation& l) {
  return json{{"height", std::to_string(l.height)}, {"index", l.index}};
}

Result<Digest> digest_arg(std::string_view text) {
  auto d = digest_from_hex(text);
  if (!d.ok()) return invalid_input("query: expected 64 hex characters");
  return d;
}

Result<std::uint64_t> height_arg(std::string_view text) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) {
    return invalid_input("query: expected a decimal height");
  }
  return v;
}
}  // namespace

json header_to_json(const BlockHeader& h) {
  return json{{"height", std::to_string(h.height)},
              {"previous_hash", digest_hex(h.previous_hash)},
              {"merkle_root", digest_hex(h.merkle_root)},
              {"timestamp_ms", std::to_string(h.timestamp_ms)},
              {"view", std::to_string(h.view)},
              {"proposer", h.proposer},
              {"app_hash", digest_hex(h.app_hash)},
              {"hash", digest_hex(block_hash(h))}};
}

Result<json> HealthchainApp::query(std::string_view path) const {
  auto slash = path.find('/');
  std::string_view verb = path.substr(0, slash);
  std::string_view arg = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
  if (verb == "tip" && slash == std::string_view::npos) {
    ChainTip t = store_.tip();
    return json{{"height", std::to_string(t.height)}, {"block_hash", digest_hex(t.block_hash)},
                {"app_hash", digest_hex(t.app_hash)}};
  }
  if (verb == "serial") {
    HC_ASSIGN_OR_RETURN(Digest serial, digest_arg(arg));
    HC_ASSIGN_OR_RETURN(auto txs, store_.transactions_by_serial(serial));
    json out = json::array();
    for (const LocatedTx& t : txs) {
      out.push_back({{"location", location_json(t.location)}, {"tx_id", digest_hex(t.tx_id)},
                     {"tx", transaction_to_json(t.tx)}});
    }
    return out;
  }
  if (verb == "tx") {
    HC_ASSIGN_OR_RETURN(Digest id, digest_arg(arg));
    HC_ASSIGN_OR_RETURN(auto loc, store_.find_transaction(id));
    if (!loc) return Status::error(ErrorCode::kNotFound, "query: no such transaction");
    HC_ASSIGN_OR_RETURN(Block block, store_.read_block(loc->height));
    if (loc->index >= block.transactions.size()) return Status::error(ErrorCode::kCorrupt, "query: bad location");
    HC_ASSIGN_OR_RETURN(Transaction tx, decode_transaction(block.transactions[loc->index]));
    return json{{"location", location_json(*loc)}, {"tx", transaction_to_json(tx)}};
  }
  if (verb == "envelope_key") {
    HC_ASSIGN_OR_RETURN(Digest id, digest_arg(arg));
    HC_ASSIGN_OR_RETURN(auto spki, store_.envelope_key(id));
    if (!spki) return Status::error(ErrorCode::kNotFound, "query: no such envelope key");
    return json{{"key_id", digest_hex(id)}, {"spki_der", to_base64(*spki)}};
  }
  if (verb == "block") {
    HC_ASSIGN_OR_RETURN(std::uint64_t height, height_arg(arg));
    if (height == 0 || height > store_.tip().height) {
      return Status::error(ErrorCode::kNotFound, "query: no block at that height");
    }
    HC_ASSIGN_OR_RETURN(Block block, store_.read_block(height));
    json j = header_to_json(block.header);
    j["transactions"] = block.transactions.size();
    return j;
  }
  const auto trustees_arg = slash == std::string_view::npos ? std::nullopt : std::optional<std::string_view>(arg);
  if (auto trustees = query_trustees_state(store_, verb, trustees_arg)) return std::move(*trustees);
  return invalid_input("query: unknown path " + std::string(path));
}

}  // namespace hc::chain

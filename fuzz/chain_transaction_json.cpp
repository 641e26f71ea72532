// Fuzzes transaction_from_json (the JSON form clients post and the API returns). Whatever is
// accepted must pass the field checks, and its JSON view must map back to the same canonical
// encoding (JSON and binary forms one to one).
#include <nlohmann/json.hpp>

#include "chain/transaction.h"
#include "chain/transaction_json.h"
#include "check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const nlohmann::json doc = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return 0;
  auto tx = hc::chain::transaction_from_json(doc);
  if (!tx.ok()) return 0;
  HC_FUZZ_CHECK(hc::chain::check_transaction_fields(tx.value()).ok());
  const hc::Bytes encoding = hc::chain::encode_transaction(tx.value());
  auto again = hc::chain::transaction_from_json(hc::chain::transaction_to_json(tx.value()));
  HC_FUZZ_CHECK(again.ok() && hc::chain::encode_transaction(again.value()) == encoding);
  auto decoded = hc::chain::decode_transaction(encoding);
  HC_FUZZ_CHECK(decoded.ok() && hc::chain::encode_transaction(decoded.value()) == encoding);
  return 0;
}

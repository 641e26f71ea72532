// Fuzzes the genesis file parser (the JSON every node and `hc` load; load_genesis_file without
// the file). An accepted genesis must pass check_genesis, its canonical binary encoding must
// decode to the same genesis, and its JSON view must parse back to the same encoding.
#include <nlohmann/json.hpp>

#include "chain/genesis.h"
#include "check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const nlohmann::json doc = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return 0;
  auto genesis = hc::chain::genesis_from_json(doc);
  if (!genesis.ok()) return 0;
  HC_FUZZ_CHECK(hc::chain::check_genesis(genesis.value()).ok());
  const hc::Bytes encoding = hc::chain::encode_genesis(genesis.value());
  auto decoded = hc::chain::decode_genesis(encoding);
  HC_FUZZ_CHECK(decoded.ok() && hc::chain::encode_genesis(decoded.value()) == encoding);
  auto from_view = hc::chain::genesis_from_json(hc::chain::genesis_to_json(genesis.value()));
  HC_FUZZ_CHECK(from_view.ok() && hc::chain::encode_genesis(from_view.value()) == encoding);
  return 0;
}

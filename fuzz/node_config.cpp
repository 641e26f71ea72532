// Fuzzes parse_node_config (the hospital node's JSON configuration; load_node_config without
// the file). An accepted configuration printed by node_config_to_json must parse back to a
// configuration that prints the same.
#include <string>
#include <string_view>

#include "check.h"
#include "node/config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::filesystem::path base = "/hc-fuzz/node";
  auto config = hc::node::parse_node_config(text, base);
  if (!config.ok()) return 0;
  const std::string printed = hc::node::node_config_to_json(config.value());
  auto again = hc::node::parse_node_config(printed, base);
  HC_FUZZ_CHECK(again.ok());
  HC_FUZZ_CHECK(hc::node::node_config_to_json(again.value()) == printed);
  return 0;
}

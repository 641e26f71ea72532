// Fuzzes decode_genesis, the canonical binary genesis whose hash names the chain (block 1's
// previous hash). Whatever decodes must pass check_genesis and re-encode to the input.
#include "chain/genesis.h"
#include "check.h"
#include "round_trip.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const hc::ByteSpan in = hc::fuzz::input(data, size);
  auto genesis = hc::chain::decode_genesis(in);
  if (!genesis.ok()) return 0;
  HC_FUZZ_CHECK(hc::chain::check_genesis(genesis.value()).ok());
  HC_FUZZ_CHECK(hc::fuzz::decodes_canonically(
      in, [](hc::ByteSpan b) { return hc::chain::decode_genesis(b); },
      [](const hc::chain::Genesis& g) { return hc::chain::encode_genesis(g); }));
  return 0;
}

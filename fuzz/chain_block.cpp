// Fuzzes decode_block and check_block (blocks arrive from peers during state transfer and are
// read back from disk). A decoded block must re-encode to the input bytes; a block that passes
// check_block must have decodable, canonical transactions and a header that round-trips.
#include "chain/block.h"
#include "check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const hc::ByteSpan in = hc::fuzz::input(data, size);
  auto block = hc::chain::decode_block(in);
  if (!block.ok()) return 0;
  HC_FUZZ_CHECK(hc::chain::encode_block(block.value()) == hc::Bytes(in.begin(), in.end()));
  const hc::Bytes header = hc::chain::encode_header(block.value().header);
  auto header_again = hc::chain::decode_header(header);
  HC_FUZZ_CHECK(header_again.ok() && header_again.value() == block.value().header);
  auto checked = hc::chain::check_block(block.value());
  if (!checked.ok()) return 0;
  HC_FUZZ_CHECK(checked.value().transactions.size() == block.value().transactions.size());
  for (std::size_t i = 0; i < block.value().transactions.size(); ++i) {
    HC_FUZZ_CHECK(hc::chain::encode_transaction(checked.value().transactions[i]) == block.value().transactions[i]);
  }
  return 0;
}

// Fuzzes decode_message (every PBFT message a peer sends). Limits are those of a four-replica
// consortium with small bounds so that counts and lengths are reached quickly. A decoded
// message must re-encode to exactly the input: signatures cover encodings, so two encodings of
// one message would let a peer vary bytes without changing what it signed.
#include "check.h"
#include "consensus/messages.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  hc::consensus::DecodeLimits limits;
  limits.replica_count = 4;
  limits.max_block_txs = 16;
  limits.max_tx_bytes = 4096;
  limits.max_prepared = 8;
  limits.max_blocks = 4;
  limits.max_message_bytes = 1u << 20;
  const hc::ByteSpan in = hc::fuzz::input(data, size);
  auto msg = hc::consensus::decode_message(in, limits);
  if (!msg.ok()) return 0;
  HC_FUZZ_CHECK(hc::consensus::encode_message(msg.value()) == hc::Bytes(in.begin(), in.end()));
  (void)hc::consensus::signing_input(hc::consensus::ChainId{}, msg.value().config, msg.value().type(), msg.value().sender,
                                     hc::consensus::statement_of(msg.value().body));
  return 0;
}

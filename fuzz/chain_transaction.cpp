// Fuzzes decode_transaction (transactions arrive from clients and peers). Whatever decodes
// must re-encode to exactly the input bytes: the encoding is the one hashed and signed, so a
// second encoding of the same transaction would be a second transaction id.
#include "chain/transaction.h"
#include "check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const hc::ByteSpan in = hc::fuzz::input(data, size);
  auto tx = hc::chain::decode_transaction(in);
  if (!tx.ok()) return 0;
  HC_FUZZ_CHECK(hc::chain::check_transaction_fields(tx.value()).ok());
  const hc::Bytes again = hc::chain::encode_transaction(tx.value());
  HC_FUZZ_CHECK(again == hc::Bytes(in.begin(), in.end()));
  if (hc::chain::kind_of(tx.value()) == hc::chain::TxKind::kRecord) {
    (void)hc::chain::record_signing_digest(std::get<hc::chain::RecordTx>(tx.value()));
  } else {
    HC_FUZZ_CHECK(hc::chain::manager_signing_message(tx.value()).ok());
  }
  return 0;
}

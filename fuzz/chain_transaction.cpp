// Fuzzes decode_transaction (transactions arrive from clients and peers). Whatever decodes
// must re-encode to exactly the input bytes: the encoding is the one hashed and signed, so a
// second encoding of the same transaction would be a second transaction id.
#include "chain/transaction.h"
#include "chain/transaction_governance.h"
#include "chain/trustee_signing.h"
#include "check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const hc::ByteSpan in = hc::fuzz::input(data, size);
  auto tx = hc::chain::decode_transaction(in);
  if (!tx.ok()) return 0;
  HC_FUZZ_CHECK(hc::chain::check_transaction_fields(tx.value()).ok());
  const hc::Bytes again = hc::chain::encode_transaction(tx.value());
  HC_FUZZ_CHECK(again == hc::Bytes(in.begin(), in.end()));
  // Every transaction has exactly one signer: a hospital's group signature (records), the
  // manager's signing scheme (publications, revocations, enrollments, audits, key epochs,
  // reader-policy changes, access requests: the manager's or a listed reader's), a trustee
  // (DKG deals and complaints, decryption shares, the resharing kinds) or a replica key
  // (consortium governance: join requests, approvals, exits, vote-outs).
  const hc::chain::Transaction& t = tx.value();
  const bool record = hc::chain::kind_of(t) == hc::chain::TxKind::kRecord;
  const bool manager = hc::chain::is_manager_tx(t);
  const bool trustee = hc::chain::is_trustee_tx(t);
  const bool governance = hc::chain::is_governance_tx(t);
  HC_FUZZ_CHECK(int{record} + int{manager} + int{trustee} + int{governance} == 1);
  if (record) (void)hc::chain::record_signing_digest(std::get<hc::chain::RecordTx>(t));
  HC_FUZZ_CHECK(hc::chain::manager_signing_message(t).ok() == manager);
  HC_FUZZ_CHECK(hc::chain::trustee_signing_message(t).ok() == trustee);
  HC_FUZZ_CHECK(hc::chain::governance_signing_message(t).ok() == governance);
  return 0;
}

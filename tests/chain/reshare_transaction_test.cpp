// The resharing transactions' encodings (wire kinds 26, 27, 28, 31; docs/ledger.md, "Resharing")
// and the resharing state's stored values: round trips, the signed bytes, and refusals of
// anything else (truncation, trailing bytes, out-of-range fields, the JSON form).
#include <gtest/gtest.h>

#include "chain/reshare_state.h"
#include "chain/transaction.h"
#include "chain/transaction_json.h"
#include "chain/trustee_signing.h"

namespace hc::chain {
namespace {

using crypto::P256Point;
using crypto::P256Scalar;

bool contains(const Status& s, const std::string& text) { return s.message().find(text) != std::string::npos; }

ChainId test_chain_id() {
  ChainId id{};
  id.fill(0x61);
  return id;
}

std::vector<Transaction> samples() {
  std::vector<Transaction> out;
  ReshareKeyTx key{test_chain_id(), 1, 4, P256Point::base_mul(P256Scalar::from_u64(77)).encode(), {}, {}};
  EXPECT_TRUE(sign_reshare_key_tx(key, P256Scalar::from_u64(76), P256Scalar::from_u64(77)).ok());
  out.emplace_back(key);
  Transaction deal(ReshareDealTx{test_chain_id(), 1, 2, Bytes(1140, 0x44), {}, {}});
  Transaction with_opener(ReshareDealTx{test_chain_id(), 3, 2, Bytes(1140, 0x44), Bytes(1096, 0x45), {}});
  Transaction complaint(ReshareComplaintTx{test_chain_id(), 1, 5, Bytes(192, 0x46), false, {}});
  Transaction opener_complaint(ReshareComplaintTx{test_chain_id(), 1, 5, Bytes(199, 0x47), true, {}});
  for (Transaction* t : {&deal, &with_opener, &complaint, &opener_complaint}) {
    EXPECT_TRUE(sign_trustee_tx(*t, P256Scalar::from_u64(78)).ok());
    out.push_back(*t);
  }
  return out;
}

TEST(ReshareTransactionTest, EveryFormRoundTripsWithItsWireKindAndItsSignaturesCoverTheKindByte) {
  const std::vector<std::uint8_t> wire_kinds = {31, 26, 26, 27, 28};
  const auto txs = samples();
  for (std::size_t i = 0; i < txs.size(); ++i) {
    const Bytes bytes = encode_transaction(txs[i]);
    EXPECT_EQ(bytes[5], wire_kinds[i]) << i;
    auto decoded = decode_transaction(bytes);
    ASSERT_TRUE(decoded.ok()) << i << ": " << decoded.status().to_string();
    EXPECT_EQ(encode_transaction(*decoded), bytes) << i;
    EXPECT_TRUE(is_trustee_tx(*decoded) && is_reshare_tx(*decoded) && trustee_key_from_state(*decoded));
    EXPECT_FALSE(is_manager_tx(*decoded) || is_governance_tx(*decoded));
    // Their signer is a key of the state: the genesis check refuses to judge them.
    EXPECT_FALSE(verify_trustee_tx(*decoded, Genesis{}).ok());
    EXPECT_TRUE(verify_trustee_tx_by(*decoded, P256Point::base_mul(P256Scalar::from_u64(i == 0 ? 76 : 78)).encode()).ok());
    Bytes truncated = bytes;
    truncated.pop_back();
    EXPECT_FALSE(decode_transaction(truncated).ok()) << i;
    Bytes trailing = bytes;
    trailing.push_back(0);
    EXPECT_FALSE(decode_transaction(trailing).ok()) << i;
    // The JSON view names the kind; the JSON form is not accepted (binary only, as governance).
    const auto json = transaction_to_json(*decoded);
    EXPECT_TRUE(contains(transaction_from_json(json).status(), "binary encoding"));
  }
  EXPECT_EQ(transaction_to_json(txs[0])["kind"], "reshare_key");
  EXPECT_EQ(transaction_to_json(txs[4])["against"], "opener_deal");
  // Wire kind 27 re-tagged as 28 is another transaction whose signature no longer verifies.
  Bytes retagged = encode_transaction(txs[3]);
  retagged[5] = 28;
  auto reread = decode_transaction(retagged);
  ASSERT_TRUE(reread.ok());
  EXPECT_EQ(verify_trustee_tx_by(*reread, P256Point::base_mul(P256Scalar::from_u64(78)).encode()).code(),
            ErrorCode::kAuthFailed);
  // Kind 31: the proof of possession is by the announced key, over the same bytes.
  const auto& key = std::get<ReshareKeyTx>(txs[0]);
  EXPECT_TRUE(verify_reshare_key_possession(key).ok());
  ReshareKeyTx swapped = key;
  std::swap(swapped.new_key_signature, swapped.trustee_signature);
  EXPECT_EQ(verify_reshare_key_possession(swapped).code(), ErrorCode::kAuthFailed);
  ReshareKeyTx wrong = key;
  EXPECT_TRUE(contains(sign_reshare_key_tx(wrong, P256Scalar::from_u64(76), P256Scalar::from_u64(99)), "announced key"));
}

TEST(ReshareTransactionTest, FieldsOutOfRangeAreRefused) {
  EXPECT_TRUE(contains(check_transaction_fields(ReshareKeyTx{test_chain_id(), 0, 1, {}, {}, {}}), "resharing epochs start at 1"));
  EXPECT_TRUE(contains(check_transaction_fields(ReshareKeyTx{test_chain_id(), 1, 1, {}, {}, {}}), "not an uncompressed P-256 point"));
  EXPECT_TRUE(contains(check_transaction_fields(ReshareDealTx{test_chain_id(), 1, 0, Bytes(10, 1), {}, {}}), "dealer index"));
  EXPECT_TRUE(contains(check_transaction_fields(ReshareDealTx{test_chain_id(), 1, 65, Bytes(10, 1), {}, {}}), "dealer index"));
  EXPECT_TRUE(contains(check_transaction_fields(ReshareDealTx{test_chain_id(), 1, 1, {}, {}, {}}), "shorter"));
  EXPECT_EQ(check_transaction_fields(ReshareDealTx{test_chain_id(), 1, 1, Bytes(kMaxReshareDealBytes + 1, 1), {}, {}}).code(),
            ErrorCode::kTooLarge);
  EXPECT_EQ(check_transaction_fields(ReshareDealTx{test_chain_id(), 1, 1, Bytes(10, 1), Bytes(kMaxReshareDealBytes + 1, 1), {}})
                .code(),
            ErrorCode::kTooLarge);
  EXPECT_TRUE(contains(check_transaction_fields(ReshareComplaintTx{test_chain_id(), 1, 0, Bytes(10, 1), false, {}}),
                       "complainer index"));
  EXPECT_EQ(check_transaction_fields(ReshareComplaintTx{test_chain_id(), 1, 1, Bytes(kMaxDkgComplaintBytes + 1, 1), false, {}})
                .code(),
            ErrorCode::kTooLarge);
  // A deal whose length prefix claims more than the bound is refused by the decoder before reading.
  Bytes deal = encode_transaction(samples()[1]);
  const std::size_t length_at = 4 + 1 + 1 + 32 + 8 + 2;
  deal[length_at] = 0x7f;
  EXPECT_FALSE(decode_transaction(deal).ok());
}

TEST(ReshareTransactionTest, StoredValuesRoundTripAndRefuseTrailingBytes) {
  ReshareRun run{3, 0, 112, true, 3, {0, 1, 2, 4, 7}};
  EXPECT_EQ(decode_reshare_run(encode_reshare_run(run)).value(), run);
  Bytes run_bytes = encode_reshare_run(run);
  run_bytes.push_back(0);
  EXPECT_FALSE(decode_reshare_run(run_bytes).ok());

  TrusteeSharing sharing;
  sharing.key_epoch = 0;
  sharing.reshare_epoch = 3;
  sharing.in_force_from_height = 162;
  sharing.access_key.epoch = 0;
  sharing.access_key.threshold = 2;
  sharing.access_key.group_key = P256Point::base_mul(P256Scalar::from_u64(5));
  sharing.access_key.key_id.fill(0x12);
  for (std::uint32_t j = 1; j <= 3; ++j) {
    sharing.trustees.push_back(TrusteeSeat{j * 2, P256Point::base_mul(P256Scalar::from_u64(100 + j)).encode()});
    sharing.access_key.public_shares.push_back(P256Point::base_mul(P256Scalar::from_u64(200 + j)));
  }
  ReshareRecord record{3, 0, 161, sharing, {1, 2, 4}, {3}, {}, {5}, {2}, ""};
  auto decoded = decode_reshare_record(encode_reshare_record(record));
  ASSERT_TRUE(decoded.ok()) << decoded.status().to_string();
  EXPECT_EQ(encode_reshare_record(*decoded), encode_reshare_record(record));
  EXPECT_EQ(decoded->formed->trustees, sharing.trustees);
  EXPECT_EQ(decoded->wrong_constant, (std::vector<std::uint16_t>{3}));
  ReshareRecord failed{4, 0, 300, std::nullopt, {}, {}, {}, {}, {}, "resharing 4 failed: only 1 of the t_new = 3"};
  EXPECT_EQ(decode_reshare_record(encode_reshare_record(failed))->failure, failed.failure);
  Bytes sharing_bytes = encode_trustee_sharing(sharing);
  sharing_bytes.push_back(0);
  EXPECT_FALSE(decode_trustee_sharing(sharing_bytes).ok());
  sharing.access_key.threshold = 4;  // above m
  EXPECT_FALSE(decode_trustee_sharing(encode_trustee_sharing(sharing)).ok());
}

}  // namespace
}  // namespace hc::chain

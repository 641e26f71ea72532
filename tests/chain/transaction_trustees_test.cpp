// The trustees-mode transaction kinds (6..10): canonical encoding, exact decoding, bounds,
// JSON form and the trustee signature.
#include <gtest/gtest.h>

#include "chain/limits.h"
#include "chain/transaction.h"
#include "chain/transaction_json.h"
#include "chain/trustee_signing.h"

namespace hc::chain {
namespace {

using crypto::P256Point;
using crypto::P256Scalar;

Digest filled_digest(std::uint8_t v) {
  Digest d{};
  d.fill(v);
  return d;
}

std::vector<Transaction> one_of_each_kind() {
  AccessRequestTx request;
  request.chain_id = filled_digest(1);
  request.key_epoch = 3;
  request.serial = filled_digest(2);
  request.record_ids = {filled_digest(3), filled_digest(4)};
  request.timestamp_ms = 1700000000000;
  request.purpose = "treatment";
  request.requester_key = P256Point::base_mul(P256Scalar::from_u64(5)).encode();
  return {DkgDealTx{filled_digest(1), 0, 2, Bytes(2579, 9), {}, {}},
          DkgComplaintTx{filled_digest(1), 0, 3, Bytes(188, 8), false, {}},
          KeyEpochStartTx{filled_digest(1), 1, {}},
          request,
          DecryptionSharesTx{filled_digest(1), filled_digest(6), 4, {Bytes(kDecryptionShareBoxBytes, 7)}, {}}};
}

TEST(TransactionTrusteesTest, EveryKindRoundTripsExactlyThroughBinaryAndJson) {
  for (const Transaction& tx : one_of_each_kind()) {
    const Bytes enc = encode_transaction(tx);
    EXPECT_EQ(enc[5], static_cast<std::uint8_t>(kind_of(tx)));
    auto back = decode_transaction(enc);
    ASSERT_TRUE(back.ok()) << tx_kind_name(kind_of(tx)) << ": " << back.status().to_string();
    EXPECT_EQ(encode_transaction(*back), enc);
    auto from_json = transaction_from_json(transaction_to_json(tx));
    ASSERT_TRUE(from_json.ok()) << from_json.status().to_string();
    EXPECT_EQ(encode_transaction(*from_json), enc);
    for (std::size_t len = 0; len < enc.size(); ++len) {
      EXPECT_FALSE(decode_transaction(ByteSpan(enc).first(len)).ok()) << tx_kind_name(kind_of(tx)) << " " << len;
    }
    Bytes trailing = enc;
    trailing.push_back(0);
    EXPECT_FALSE(decode_transaction(trailing).ok());
  }
  EXPECT_FALSE(decode_transaction(Bytes{'H', 'C', 'T', 'X', 1, 11}).ok());  // kind 11
}

TEST(TransactionTrusteesTest, TheBodiesAreLaidOutAsDocumented) {
  auto txs = one_of_each_kind();
  // kind 9: header 6 | chain 32 | epoch 8 | serial 32 | n 2 | 2 x 32 | ts 8 | len 2 | purpose 9 | key 65 | sig 64.
  EXPECT_EQ(encode_transaction(txs[3]).size(), 6u + 32 + 8 + 32 + 2 + 64 + 8 + 2 + 9 + 65 + 64);
  // kind 10: header | chain | request 32 | trustee 2 | n 2 | 407 | sig 64.
  EXPECT_EQ(encode_transaction(txs[4]).size(), 6u + 32 + 32 + 2 + 2 + 407 + 64);
  // kind 6: header | chain | epoch | dealer 2 | u32 len | deal | sig.
  EXPECT_EQ(encode_transaction(txs[0]).size(), 6u + 32 + 8 + 2 + 4 + 2579 + 64);
  // kind 7: header | chain | epoch | complainer 2 | u16 len | complaint | sig.
  EXPECT_EQ(encode_transaction(txs[1]).size(), 6u + 32 + 8 + 2 + 2 + 188 + 64);
  EXPECT_EQ(encode_transaction(txs[2]).size(), 6u + 32 + 8 + 64);
  EXPECT_TRUE(is_trustee_tx(txs[0]) && is_trustee_tx(txs[1]) && is_trustee_tx(txs[4]));
  EXPECT_TRUE(is_manager_tx(txs[2]) && is_manager_tx(txs[3]));
  EXPECT_FALSE(is_manager_tx(txs[0]) || is_trustee_tx(txs[3]));
}

TEST(TransactionTrusteesTest, FieldsOutOfBoundsAreRefused) {
  auto bad = [](Transaction tx, const char* why) {
    Status s = check_transaction_fields(tx);
    EXPECT_FALSE(s.ok()) << why;
    EXPECT_NE(s.message().find(why), std::string::npos) << s.to_string();
  };
  bad(DkgDealTx{{}, 0, 0, Bytes(10, 1), {}, {}}, "dealer index must be 1..64");
  bad(DkgDealTx{{}, 0, 65, Bytes(10, 1), {}, {}}, "dealer index must be 1..64");
  bad(DkgDealTx{{}, 0, 1, Bytes{}, {}, {}}, "dkg deal is shorter");
  bad(DkgDealTx{{}, 0, 1, Bytes(kMaxDkgDealBytes + 1, 1), {}, {}}, "dkg deal is longer");
  bad(DkgComplaintTx{{}, 0, 1, Bytes(kMaxDkgComplaintBytes + 1, 1), false, {}}, "dkg complaint is longer");
  bad(KeyEpochStartTx{{}, 0, {}}, "epoch must be >= 1");
  bad(DecryptionSharesTx{{}, {}, 1, {}, {}}, "no share");
  bad(DecryptionSharesTx{{}, {}, 1, {Bytes(406, 1)}, {}}, "not 407 bytes");
  bad(DecryptionSharesTx{{}, {}, 1, std::vector<Bytes>(kMaxDecryptionSharesPerTx + 1, Bytes(407, 1)), {}},
      "more than 256 shares");
  AccessRequestTx r = std::get<AccessRequestTx>(one_of_each_kind()[3]);
  AccessRequestTx b = r;
  b.purpose = "   ";
  bad(b, "must not be blank");
  b.purpose = "";
  bad(b, "purpose is shorter");
  b.purpose = std::string(kMaxAuditPurposeBytes + 1, 'a');
  bad(b, "purpose is longer");
  b.purpose = std::string("a\x01", 2);
  bad(b, "not printable");
  b = r;
  b.record_ids = {filled_digest(4), filled_digest(3)};
  bad(b, "strictly increasing");
  b.record_ids = {filled_digest(3), filled_digest(3)};
  bad(b, "strictly increasing");
  b.record_ids.assign(kMaxAccessRequestRecords + 1, Digest{});
  bad(b, "more than 256 record ids");
  b = r;
  b.requester_key[64] ^= 1;
  bad(b, "requester key");
  // The decoder applies the same rules: a request whose key was altered on the wire.
  Bytes enc = encode_transaction(r);
  enc[enc.size() - 64 - 1] ^= 1;
  EXPECT_FALSE(decode_transaction(enc).ok());
}

TEST(TransactionTrusteesTest, TrusteeSignaturesBindEveryFieldAndTheSigner) {
  Genesis g;
  g.access_mode = AccessMode::kTrustees;
  const P256Scalar sk1 = P256Scalar::from_u64(11), sk2 = P256Scalar::from_u64(12);
  g.trustee_keys = {P256Point::base_mul(sk1).encode(), P256Point::base_mul(sk2).encode()};
  g.trustee_threshold = 1;
  Transaction tx = DkgComplaintTx{filled_digest(1), 0, 1, Bytes(188, 8), false, {}};
  ASSERT_TRUE(sign_trustee_tx(tx, sk1).ok());
  EXPECT_TRUE(verify_trustee_tx(tx, g).ok());
  const Bytes enc = encode_transaction(tx);
  for (std::size_t i = 4; i < enc.size(); i += 7) {  // every 7th byte after the tag
    Bytes altered = enc;
    altered[i] ^= 0x01;
    auto decoded = decode_transaction(altered);
    if (decoded.ok()) {
      EXPECT_FALSE(verify_trustee_tx(*decoded, g).ok()) << "byte " << i;
    }
  }
  Transaction as_other = tx;
  ASSERT_TRUE(sign_trustee_tx(as_other, sk2).ok());
  EXPECT_EQ(verify_trustee_tx(as_other, g).code(), ErrorCode::kAuthFailed);
  std::get<DkgComplaintTx>(tx).complainer = 3;
  EXPECT_EQ(verify_trustee_tx(tx, g).code(), ErrorCode::kInvalidInput);
  Transaction start = KeyEpochStartTx{};
  EXPECT_FALSE(sign_trustee_tx(start, sk1).ok());
  EXPECT_FALSE(manager_signing_message(Transaction(DkgDealTx{})).ok());
}

}  // namespace
}  // namespace hc::chain

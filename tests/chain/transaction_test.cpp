// Transactions: round trips (binary and JSON), ids, signing digests, manager signatures, and
// rejection of every malformed form.
#include <gtest/gtest.h>

#include <random>

#include "chain/test_chain.h"
#include "chain/transaction.h"
#include "chain/transaction_json.h"
#include "chain/block.h"

namespace hc::chain {
namespace {

using testing::TestConsortium;

class TransactionTest : public ::testing::Test {
 protected:
  std::vector<Bytes> one_of_each() {
    Serial s = c.serial_of(1);
    return {encode_transaction(c.make_record(s, 0)), c.publish_key_tx(Bytes(300, 7)),
            c.revocation_tx(4), c.enrollment_tx("hospital-a"),
            c.audit_tx(s, 1700000000123, "treatment: émergence cardiology"),
            c.audit_tx(s, 1700000000124, "treatment", "rita@city-general")};
  }
  TestConsortium c;
};

TEST_F(TransactionTest, EveryKindRoundTripsThroughBinaryAndJson) {
  for (const Bytes& enc : one_of_each()) {
    auto tx = decode_transaction(enc);
    ASSERT_TRUE(tx.ok()) << tx.status().to_string();
    EXPECT_EQ(encode_transaction(*tx), enc);
    auto back = transaction_from_json(transaction_to_json(*tx));
    ASSERT_TRUE(back.ok()) << back.status().to_string();
    EXPECT_EQ(encode_transaction(*back), enc);
    EXPECT_EQ(transaction_id(enc), sha256(enc));
  }
}

TEST_F(TransactionTest, RecordLayoutHasTheDocumentedSize) {
  RecordTx r = c.make_record(c.serial_of(1), 0, 100);
  // tag 4 + version 1 + kind 1 + 32 + 32 + 384 + 12 + (4 + 100) + 8 + (2 + 336)
  EXPECT_EQ(encode_transaction(r).size(), 4u + 1 + 1 + 32 + 32 + 384 + 12 + 104 + 8 + 338);
}

TEST_F(TransactionTest, SigningDigestCoversEveryFieldButTheSignature) {
  RecordTx base = c.make_record(c.serial_of(1), 0);
  Digest d = record_signing_digest(base);
  std::vector<RecordTx> variants(7, base);
  variants[0].sealed.serial[0] ^= 1;
  variants[1].sealed.key_id[31] ^= 1;
  variants[2].sealed.wrapped_key[100] ^= 1;
  variants[3].sealed.nonce[0] ^= 1;
  variants[4].sealed.ciphertext.back() ^= 1;
  variants[5].epoch += 1;
  variants[6].sealed.ciphertext.push_back(0);
  for (const RecordTx& v : variants) EXPECT_NE(record_signing_digest(v), d);
  RecordTx resigned = base;
  resigned.group_signature[5] ^= 1;
  EXPECT_EQ(record_signing_digest(resigned), d);
}

TEST_F(TransactionTest, ManagerSignatureVerifiesAndFailsOnAnyChange) {
  for (const Bytes& enc : one_of_each()) {
    auto tx = decode_transaction(enc);
    ASSERT_TRUE(tx.ok());
    if (!is_manager_tx(*tx)) {
      EXPECT_FALSE(verify_manager_tx(*tx, c.genesis().manager_admin_key).ok());
      continue;
    }
    EXPECT_TRUE(verify_manager_tx(*tx, c.genesis().manager_admin_key).ok());
    for (std::size_t pos = 6; pos < enc.size(); pos += 3) {
      Bytes bad = enc;
      bad[pos] ^= 0x20;
      auto altered = decode_transaction(bad);
      if (!altered.ok()) continue;
      EXPECT_EQ(verify_manager_tx(*altered, c.genesis().manager_admin_key).code(), ErrorCode::kAuthFailed)
          << "byte " << pos << " of " << tx_kind_name(kind_of(*tx));
    }
  }
}

TEST_F(TransactionTest, EveryTruncationAndTrailingByteIsRejected) {
  for (const Bytes& enc : one_of_each()) {
    for (std::size_t len = 0; len < enc.size(); ++len) {
      EXPECT_FALSE(decode_transaction(ByteSpan(enc).first(len)).ok()) << len;
    }
    Bytes longer = enc;
    longer.push_back(0);
    auto r = decode_transaction(longer);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidInput);
  }
}

TEST_F(TransactionTest, WrongTagVersionOrKindIsRejected) {
  Bytes enc = one_of_each()[0];
  Bytes bad_tag = enc;
  bad_tag[0] = 'X';
  EXPECT_NE(decode_transaction(bad_tag).status().message().find("domain tag"), std::string::npos);
  Bytes bad_version = enc;
  bad_version[4] = 2;
  EXPECT_NE(decode_transaction(bad_version).status().message().find("version"), std::string::npos);
  // 12: a version-2 record, 13, 14: the opener DKG, 15, 16: opening, 17, 18: the reader policy,
  // 19..22: consortium governance, 23: a join request naming its peer address, 24: and its
  // enrollment key, 25: an enrollment carrying the boxed member key
  for (std::uint8_t kind : {0, 255}) {
    Bytes bad_kind = enc;
    bad_kind[5] = kind;
    EXPECT_NE(decode_transaction(bad_kind).status().message().find("kind"), std::string::npos);
  }
}

// Rewrites a big-endian length field at `pos` of `size_bytes` bytes.
Bytes with_length(Bytes enc, std::size_t pos, std::size_t size_bytes, std::uint64_t value) {
  for (std::size_t i = 0; i < size_bytes; ++i) {
    enc[pos + i] = static_cast<std::uint8_t>(value >> (8 * (size_bytes - 1 - i)));
  }
  return enc;
}

TEST_F(TransactionTest, OversizeAndUndersizeLengthsAreRejected) {
  Bytes rec = encode_transaction(c.make_record(c.serial_of(1), 0, 64));
  const std::size_t ct_len_pos = 6 + 32 + 32 + 384 + 12;
  auto huge = decode_transaction(with_length(rec, ct_len_pos, 4, kMaxRecordCiphertextBytes + 1));
  EXPECT_EQ(huge.status().code(), ErrorCode::kTooLarge);
  auto tiny = decode_transaction(with_length(rec, ct_len_pos, 4, 15));
  EXPECT_EQ(tiny.status().code(), ErrorCode::kInvalidInput);
  const std::size_t sig_len_pos = ct_len_pos + 4 + 64 + 8;
  EXPECT_EQ(decode_transaction(with_length(rec, sig_len_pos, 2, kMaxGroupSignatureBytes + 1)).status().code(),
            ErrorCode::kTooLarge);
  Bytes no_sig(rec.begin(), rec.begin() + sig_len_pos);
  append_u16_be(no_sig, 0);
  EXPECT_FALSE(decode_transaction(no_sig).ok());
  Bytes oversized(kMaxTransactionBytes + 1, 0);
  EXPECT_EQ(decode_transaction(oversized).status().code(), ErrorCode::kTooLarge);
}

TEST_F(TransactionTest, TextFieldsMustBeWellFormed) {
  EnrollmentTx e{"bad name", Bytes(4, 1), {}};
  EXPECT_FALSE(check_transaction_fields(e).ok());
  e.member_name = std::string(65, 'a');
  EXPECT_EQ(check_transaction_fields(e).code(), ErrorCode::kTooLarge);
  AccessAuditTx a;
  a.purpose = "bad \xC3\x28 utf8";
  EXPECT_FALSE(check_transaction_fields(a).ok());
  a.purpose = "control \x01 char";
  EXPECT_FALSE(check_transaction_fields(a).ok());
  a.purpose = "";
  EXPECT_FALSE(check_transaction_fields(a).ok());
  a.purpose = "overlong \xC0\xAF";
  EXPECT_FALSE(check_transaction_fields(a).ok());
  a.purpose = "surrogate \xED\xA0\x80";
  EXPECT_FALSE(check_transaction_fields(a).ok());
  a.purpose = "ok: 病历 review";
  EXPECT_TRUE(check_transaction_fields(a).ok());
  RevocationTx v{0, Bytes(3, 1), {}};
  EXPECT_FALSE(check_transaction_fields(v).ok());
}

// Issue 15, item 3: an access audit that names the reader account has its own wire kind (11),
// the accessor after the purpose, covered by the manager's signature; the old form (kind 5)
// still decodes, with no accessor.
TEST_F(TransactionTest, AuditNamingItsAccessorHasItsOwnWireKind) {
  const Serial s = c.serial_of(1);
  Bytes old_form = c.audit_tx(s, 5, "why");
  Bytes named = c.audit_tx(s, 5, "why", "rita");
  EXPECT_EQ(old_form[5], 5);
  EXPECT_EQ(named[5], kAccessAuditByAccountWireKind);
  auto old_tx = decode_transaction(old_form);
  ASSERT_TRUE(old_tx.ok()) << old_tx.status().to_string();
  EXPECT_TRUE(std::get<AccessAuditTx>(*old_tx).accessor.empty());
  EXPECT_EQ(kind_of(*old_tx), TxKind::kAccessAudit);
  EXPECT_FALSE(transaction_to_json(*old_tx).contains("accessor"));
  auto named_tx = decode_transaction(named);
  ASSERT_TRUE(named_tx.ok()) << named_tx.status().to_string();
  EXPECT_EQ(std::get<AccessAuditTx>(*named_tx).accessor, "rita");
  EXPECT_EQ(kind_of(*named_tx), TxKind::kAccessAudit);
  EXPECT_EQ(transaction_to_json(*named_tx).value("accessor", std::string()), "rita");
  // The signature covers the accessor: another name breaks it.
  AccessAuditTx renamed = std::get<AccessAuditTx>(*named_tx);
  renamed.accessor = "mallory";
  EXPECT_NE(*manager_signing_message(renamed), *manager_signing_message(*named_tx));
  EXPECT_TRUE(verify_manager_tx(*named_tx, c.genesis().manager_admin_key).ok());
  EXPECT_FALSE(verify_manager_tx(renamed, c.genesis().manager_admin_key).ok());
  // Dropping the accessor but keeping kind 11, or a bad name inside the encoding: refused.
  Bytes truncated(named.begin(), named.end());
  truncated.erase(truncated.end() - 64 - 5, truncated.end() - 64);  // length byte and "rita"
  EXPECT_FALSE(decode_transaction(truncated).ok());
  Bytes empty_name = truncated;
  empty_name.insert(empty_name.end() - 64, 0);  // a zero-length accessor
  EXPECT_FALSE(decode_transaction(empty_name).ok());
  Bytes spaced = named;
  spaced[spaced.size() - 64 - 2] = ' ';  // "ri a"
  EXPECT_FALSE(decode_transaction(spaced).ok());
  for (const std::string& bad : {std::string("ri ta"), std::string(65, 'a'), std::string("-rita"),
                                std::string("r\xc3\xa9")}) {
    AccessAuditTx a;
    a.purpose = "why";
    a.accessor = bad;
    EXPECT_FALSE(check_transaction_fields(a).ok()) << bad;
  }
  auto j = transaction_to_json(*named_tx);
  j["accessor"] = "";
  EXPECT_FALSE(transaction_from_json(j).ok());
}

TEST_F(TransactionTest, DecoderRejectsInvalidTextInsideTheEncoding) {
  Bytes enc = c.enrollment_tx("hospital-a");
  enc[7] = ' ';  // first character of the member name
  EXPECT_FALSE(decode_transaction(enc).ok());
}

TEST_F(TransactionTest, JsonRejectsMalformedViews) {
  auto j = transaction_to_json(*decode_transaction(one_of_each()[0]));
  auto extra = j;
  extra["surprise"] = "1";
  EXPECT_FALSE(transaction_from_json(extra).ok());
  auto missing = j;
  missing.erase("epoch");
  EXPECT_FALSE(transaction_from_json(missing).ok());
  auto bad_hex = j;
  bad_hex["serial"] = "zz";
  EXPECT_FALSE(transaction_from_json(bad_hex).ok());
  auto bad_epoch = j;
  bad_epoch["epoch"] = "01";
  EXPECT_FALSE(transaction_from_json(bad_epoch).ok());
  auto bad_kind = j;
  bad_kind["kind"] = "gift";
  EXPECT_FALSE(transaction_from_json(bad_kind).ok());
  EXPECT_FALSE(transaction_from_json(nlohmann::json::array()).ok());
}

}  // namespace
}  // namespace hc::chain

namespace hc::chain {
namespace {

// Random mutations (flips, insertions, deletions, truncations) of valid encodings: decoders
// never crash, and whatever they accept re-encodes to exactly the input (one encoding per value).
TEST(DecoderMutationTest, AcceptedInputsAreCanonical) {
  testing::TestConsortium c;
  std::vector<Bytes> seeds = {c.encode_signed_record(c.serial_of(1), 0, 40), c.revocation_tx(2),
                              c.enrollment_tx("m"), c.audit_tx(c.serial_of(2), 3, "why")};
  Block block = c.make_block(ChainTip{}, seeds);
  const Bytes block_enc = encode_block(block);
  std::mt19937_64 rng(99);
  std::size_t accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    const bool is_block = round % 4 == 0;
    Bytes m = is_block ? block_enc : seeds[rng() % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !m.empty(); ++e) {
      std::size_t pos = rng() % m.size();
      switch (rng() % 4) {
        case 0: m[pos] ^= static_cast<std::uint8_t>(1u << (rng() % 8)); break;
        case 1: m.insert(m.begin() + static_cast<std::ptrdiff_t>(pos), static_cast<std::uint8_t>(rng())); break;
        case 2: m.erase(m.begin() + static_cast<std::ptrdiff_t>(pos)); break;
        default: m.resize(pos); break;
      }
    }
    if (is_block) {
      auto b = decode_block(m);
      if (b.ok()) {
        ++accepted;
        EXPECT_EQ(encode_block(*b), m);
      }
    } else {
      auto tx = decode_transaction(m);
      if (tx.ok()) {
        ++accepted;
        EXPECT_EQ(encode_transaction(*tx), m);
      }
    }
  }
  EXPECT_GT(accepted, 0u);  // some flips land in opaque bytes and must still round-trip
}

}  // namespace
}  // namespace hc::chain

// Passphrase-encrypted key files: round trip, wrong passphrase, tampering, bounds.
#include <string>

#include <gtest/gtest.h>

#include "crypto/groupsig/keyfile.h"

namespace hc::groupsig {
namespace {

// Small scrypt cost so the tests stay fast (the format carries the parameters).
constexpr ScryptParams kFast{10, 8, 1};

ByteSpan span_of(const std::string& s) { return as_bytes(s); }

TEST(KeyFile, RoundTrip) {
  const std::string secret = "the secret payload";
  Result<Bytes> sealed = seal_key_file(KeyKind::kOpener, span_of("public"), span_of(secret),
                                       span_of("correct horse"), kFast);
  ASSERT_TRUE(sealed.ok()) << sealed.status().to_string();
  // The plaintext does not appear in the file.
  std::string file(sealed->begin(), sealed->end());
  EXPECT_EQ(file.find(secret), std::string::npos);
  Result<KeyFileContents> opened = open_key_file(sealed.value(), KeyKind::kOpener, span_of("correct horse"));
  ASSERT_TRUE(opened.ok()) << opened.status().to_string();
  EXPECT_EQ(opened->secret.view(), secret);
  EXPECT_EQ(std::string(opened->public_part.begin(), opened->public_part.end()), "public");
  Result<KeyFileContents> peeked = peek_key_file(sealed.value());
  ASSERT_TRUE(peeked.ok());
  EXPECT_EQ(peeked->kind, KeyKind::kOpener);
  EXPECT_TRUE(peeked->secret.empty());
  // Two seals of one secret differ (fresh salt and nonce).
  Result<Bytes> again = seal_key_file(KeyKind::kOpener, span_of("public"), span_of(secret),
                                      span_of("correct horse"), kFast);
  ASSERT_TRUE(again.ok());
  EXPECT_NE(again.value(), sealed.value());
}

TEST(KeyFile, WrongPassphraseOrKindRejected) {
  Result<Bytes> sealed =
      seal_key_file(KeyKind::kMember, {}, span_of("s"), span_of("passphrase"), kFast);
  ASSERT_TRUE(sealed.ok());
  Status st = open_key_file(sealed.value(), KeyKind::kMember, span_of("Passphrase")).status();
  EXPECT_EQ(st.code(), ErrorCode::kAuthFailed);
  EXPECT_NE(st.message().find("passphrase"), std::string::npos);
  EXPECT_EQ(open_key_file(sealed.value(), KeyKind::kIssuer, span_of("passphrase")).status().code(),
            ErrorCode::kInvalidInput);
  EXPECT_EQ(open_key_file(sealed.value(), KeyKind::kMember, {}).status().code(),
            ErrorCode::kInvalidInput);
  EXPECT_EQ(seal_key_file(KeyKind::kMember, {}, span_of("s"), {}, kFast).status().code(),
            ErrorCode::kInvalidInput);
}

TEST(KeyFile, PassphraseAsLongAsForPkcs8Keys) {
  // Group key files need the same minimum as the PKCS#8 key files (8 bytes).
  Status st = seal_key_file(KeyKind::kMember, {}, span_of("s"), span_of("1234567"), kFast).status();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), ErrorCode::kInvalidInput);
  EXPECT_NE(st.message().find("at least 8 bytes"), std::string::npos) << st.to_string();
  EXPECT_EQ(seal_key_file(KeyKind::kMember, {}, span_of("s"), span_of("x"), kFast).status().code(),
            ErrorCode::kInvalidInput);
  EXPECT_TRUE(seal_key_file(KeyKind::kMember, {}, span_of("s"), span_of("12345678"), kFast).ok());
}

TEST(KeyFile, EveryByteIsProtected) {
  Result<Bytes> sealed =
      seal_key_file(KeyKind::kIssuer, span_of("pub"), span_of("secret"), span_of("password-1"), kFast);
  ASSERT_TRUE(sealed.ok());
  const Bytes good = sealed.value();
  for (std::size_t i = 0; i < good.size(); ++i) {
    Bytes bad = good;
    bad[i] ^= 0x01;
    Status st = open_key_file(bad, KeyKind::kIssuer, span_of("password-1")).status();
    EXPECT_FALSE(st.ok()) << "byte " << i;
    if (!st.ok()) {
      EXPECT_TRUE(st.code() == ErrorCode::kInvalidInput || st.code() == ErrorCode::kAuthFailed)
          << "byte " << i << ": " << st.to_string();
    }
  }
  for (std::size_t n = 0; n < good.size(); ++n) {
    EXPECT_EQ(open_key_file(ByteSpan(good.data(), n), KeyKind::kIssuer, span_of("password-1")).status().code(),
              ErrorCode::kInvalidInput)
        << "prefix " << n;
  }
}

TEST(KeyFile, ScryptParametersBounded) {
  EXPECT_EQ(seal_key_file(KeyKind::kMember, {}, span_of("s"), span_of("p"), ScryptParams{9, 8, 1})
                .status()
                .code(),
            ErrorCode::kInvalidInput);
  EXPECT_EQ(seal_key_file(KeyKind::kMember, {}, span_of("s"), span_of("p"), ScryptParams{21, 8, 1})
                .status()
                .code(),
            ErrorCode::kInvalidInput);
  EXPECT_EQ(seal_key_file(KeyKind::kMember, {}, span_of("s"), span_of("p"), ScryptParams{10, 0, 1})
                .status()
                .code(),
            ErrorCode::kInvalidInput);
  // 128 r N = 128 * 16 * 2^20 bytes = 2 GiB: within each range, but refused as a whole.
  Status st = seal_key_file(KeyKind::kMember, {}, span_of("s"), span_of("p"), ScryptParams{20, 16, 1})
                  .status();
  EXPECT_EQ(st.code(), ErrorCode::kInvalidInput);
  EXPECT_NE(st.message().find("memory"), std::string::npos) << st.message();
}

}  // namespace
}  // namespace hc::groupsig

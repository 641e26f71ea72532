#include "crypto/envelope_key.h"

#include <gtest/gtest.h>

#include "common/file_io.h"
#include "support/envelope_key.h"
#include "support/temp_dir.h"

namespace hc::crypto {
namespace {

class EnvelopeKeyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { key_ = &test::shared_envelope_key(); }
  static const EnvelopePrivateKey* key_;
  SecureBytes pass_{std::string_view("interop-passphrase")};
};
const EnvelopePrivateKey* EnvelopeKeyTest::key_ = nullptr;

TEST_F(EnvelopeKeyTest, WrapUnwrap) {
  Bytes aes(32, 0x5a);
  auto wrapped = key_->public_key().wrap(aes);
  ASSERT_TRUE(wrapped.ok());
  EXPECT_EQ(wrapped->size(), kWrappedKeyBytes);
  auto again = key_->public_key().wrap(aes);
  EXPECT_NE(*wrapped, *again);  // OAEP is randomized
  auto unwrapped = key_->unwrap(*wrapped);
  ASSERT_TRUE(unwrapped.ok());
  EXPECT_EQ(Bytes(unwrapped->data(), unwrapped->data() + 32), aes);
  Bytes bad = *wrapped;
  bad[100] ^= 1;
  auto r = key_->unwrap(bad);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kAuthFailed);
  EXPECT_FALSE(key_->unwrap(Bytes(383)).ok());
  EXPECT_FALSE(key_->public_key().wrap(Bytes(16)).ok());
}

TEST_F(EnvelopeKeyTest, KeyIdIsSha256OfSpki) {
  const Bytes& der = key_->public_key().spki_der();
  EXPECT_GT(der.size(), 384u);
  auto pub = EnvelopePublicKey::from_pem(key_->public_key().to_pem());
  ASSERT_TRUE(pub.ok());
  EXPECT_EQ(pub->key_id(), key_->public_key().key_id());
  EXPECT_EQ(pub->spki_der(), der);
}

TEST_F(EnvelopeKeyTest, EncryptedPemRoundTripAndWrongPassphrase) {
  auto pem = key_->to_encrypted_pem(pass_);
  ASSERT_TRUE(pem.ok());
  EXPECT_NE(pem->find("BEGIN ENCRYPTED PRIVATE KEY"), std::string::npos);
  auto back = EnvelopePrivateKey::from_encrypted_pem(*pem, pass_);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->public_key().key_id(), key_->public_key().key_id());
  auto wrong = EnvelopePrivateKey::from_encrypted_pem(*pem, SecureBytes(std::string_view("not-the-passphrase")));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), ErrorCode::kAuthFailed);
  EXPECT_FALSE(key_->to_encrypted_pem(SecureBytes(std::string_view("short"))).ok());
  EXPECT_FALSE(EnvelopePrivateKey::from_encrypted_pem("garbage", pass_).ok());
}

TEST_F(EnvelopeKeyTest, RejectsNonRsa3072Keys) {
  test::TempDir dir;
  ASSERT_EQ(test::run_shell("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out " +
                            (dir / "k2048.pem").string() + " 2>/dev/null && openssl pkey -in " +
                            (dir / "k2048.pem").string() + " -pubout -out " + (dir / "p2048.pem").string()),
            0);
  auto r = EnvelopePublicKey::load(dir / "p2048.pem");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("RSA-3072"), std::string::npos);
  EXPECT_FALSE(EnvelopePublicKey::from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n").ok());
}

TEST_F(EnvelopeKeyTest, LedgerSpkiCheckAcceptsOnlyCanonicalRsa3072) {
  const Bytes& der = key_->public_key().spki_der();
  EXPECT_TRUE(check_rsa3072_spki(der).ok());
  Bytes trailing = der;
  trailing.push_back(0);
  EXPECT_NE(check_rsa3072_spki(trailing).message().find("trailing bytes"), std::string::npos);
  Bytes truncated(der.begin(), der.end() - 1);
  EXPECT_EQ(check_rsa3072_spki(truncated).code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(check_rsa3072_spki(Bytes{}).code(), ErrorCode::kInvalidInput);

  test::TempDir dir;
  ASSERT_EQ(test::run_shell("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 2>/dev/null | "
                            "openssl pkey -pubout -outform DER -out " + (dir / "rsa2048.der").string() +
                            " && openssl genpkey -algorithm ED25519 | openssl pkey -pubout -outform DER -out " +
                            (dir / "ed25519.der").string()),
            0);
  auto rsa2048 = read_file(dir / "rsa2048.der", 4096);
  ASSERT_TRUE(rsa2048.ok());
  EXPECT_NE(check_rsa3072_spki(*rsa2048).message().find("not 3072 bits"), std::string::npos);
  auto ed = read_file(dir / "ed25519.der", 4096);
  ASSERT_TRUE(ed.ok());
  EXPECT_NE(check_rsa3072_spki(*ed).message().find("not an RSA key"), std::string::npos);
}

TEST_F(EnvelopeKeyTest, RefusesRsa3072WithPublicExponentOtherThan65537) {
  test::TempDir dir;
  ASSERT_EQ(test::run_shell("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072 "
                            "-pkeyopt rsa_keygen_pubexp:3 2>/dev/null | openssl pkey -pubout -out " +
                            (dir / "e3.pem").string() + " && openssl pkey -pubin -in " +
                            (dir / "e3.pem").string() + " -outform DER -out " + (dir / "e3.der").string()),
            0);
  auto der = read_file(dir / "e3.der", 4096);
  ASSERT_TRUE(der.ok());
  Status st = check_rsa3072_spki(*der);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.code(), ErrorCode::kInvalidInput);
  EXPECT_NE(st.message().find("65537"), std::string::npos) << st.to_string();
  auto pub = EnvelopePublicKey::load(dir / "e3.pem");
  ASSERT_FALSE(pub.ok());
  EXPECT_NE(pub.status().message().find("65537"), std::string::npos) << pub.status().to_string();
}

TEST_F(EnvelopeKeyTest, InteropWithOpensslCli) {
  test::TempDir dir;
  auto pem = key_->to_encrypted_pem(pass_);
  ASSERT_TRUE(pem.ok());
  ASSERT_TRUE(write_text_file_atomic(dir / "key.pem", *pem, 0600).ok());
  ASSERT_TRUE(write_text_file_atomic(dir / "pub.pem", key_->public_key().to_pem()).ok());
  ASSERT_TRUE(write_text_file_atomic(dir / "pass", "interop-passphrase\n", 0600).ok());
  const std::string oaep =
      " -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256 -pkeyopt rsa_mgf1_md:sha256";

  // openssl pkey reads the private key written by hc.
  EXPECT_EQ(test::run_shell("openssl pkey -in " + (dir / "key.pem").string() + " -passin file:" +
                            (dir / "pass").string() + " -noout"),
            0);
  // A key wrapped by hc is unwrapped by openssl pkeyutl.
  Bytes aes(32);
  for (int i = 0; i < 32; ++i) aes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(i * 7);
  auto wrapped = key_->public_key().wrap(aes);
  ASSERT_TRUE(wrapped.ok());
  ASSERT_TRUE(write_file_atomic(dir / "wrapped.bin", *wrapped).ok());
  ASSERT_EQ(test::run_shell("openssl pkeyutl -decrypt -inkey " + (dir / "key.pem").string() + " -passin file:" +
                            (dir / "pass").string() + " -in " + (dir / "wrapped.bin").string() + " -out " +
                            (dir / "unwrapped.bin").string() + oaep),
            0);
  EXPECT_EQ(*read_file(dir / "unwrapped.bin", 64), aes);
  // A key wrapped by openssl pkeyutl is unwrapped by hc.
  ASSERT_TRUE(write_file_atomic(dir / "aes.bin", aes).ok());
  ASSERT_EQ(test::run_shell("openssl pkeyutl -encrypt -pubin -inkey " + (dir / "pub.pem").string() + " -in " +
                            (dir / "aes.bin").string() + " -out " + (dir / "by-openssl.bin").string() + oaep),
            0);
  auto theirs = read_file(dir / "by-openssl.bin", 1024);
  ASSERT_TRUE(theirs.ok());
  auto unwrapped = key_->unwrap(*theirs);
  ASSERT_TRUE(unwrapped.ok()) << unwrapped.status().to_string();
  EXPECT_EQ(Bytes(unwrapped->data(), unwrapped->data() + unwrapped->size()), aes);
  // A PKCS#8 key re-encrypted by openssl with scrypt and AES-256-CBC (hc's scheme) is read by
  // hc; with openssl's PBKDF2 defaults it is refused with a reason, not tried.
  // (openssl reads the second line when -passin and -passout name one file: use a copy.)
  ASSERT_TRUE(write_text_file_atomic(dir / "pass2", "interop-passphrase\n", 0600).ok());
  const std::string reencrypt = "openssl pkcs8 -topk8 -v2 aes-256-cbc -in " + (dir / "key.pem").string() +
                                " -passin file:" + (dir / "pass").string() + " -passout file:" +
                                (dir / "pass2").string();
  ASSERT_EQ(test::run_shell(reencrypt + " -scrypt -out " + (dir / "scrypt.pem").string()), 0);
  auto reloaded = EnvelopePrivateKey::load(dir / "scrypt.pem", pass_);
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().to_string();
  EXPECT_EQ(reloaded->public_key().key_id(), key_->public_key().key_id());
  ASSERT_EQ(test::run_shell(reencrypt + " -out " + (dir / "pbkdf2.pem").string()), 0);
  auto refused = EnvelopePrivateKey::load(dir / "pbkdf2.pem", pass_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(refused.status().message().find("scrypt"), std::string::npos) << refused.status().to_string();
}

}  // namespace
}  // namespace hc::crypto

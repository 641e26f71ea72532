#include "crypto/ed25519.h"

#include <gtest/gtest.h>

#include "common/file_io.h"
#include "support/temp_dir.h"

namespace hc::crypto {
namespace {

TEST(Ed25519Test, Rfc8032TestVector1) {
  // RFC 8032 section 7.1, TEST 1: the public key and the empty message's signature.
  auto pub = Ed25519PublicKey::from_hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  ASSERT_TRUE(pub.ok());
  auto sig = from_hex(
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  ASSERT_TRUE(sig.ok());
  EXPECT_TRUE(pub->verify({}, *sig));
  Bytes msg = {0x00};
  EXPECT_FALSE(pub->verify(msg, *sig));
}

TEST(Ed25519Test, FromSeedMatchesRfc8032TestVector1) {
  auto seed = from_hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  ASSERT_TRUE(seed.ok());
  auto key = Ed25519PrivateKey::from_seed(SecureBytes(seed->data(), seed->size()));
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(key->public_key().to_hex(), "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  EXPECT_EQ(to_hex(key->sign({})),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_EQ(Ed25519PrivateKey::from_seed(SecureBytes(31)).status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(Ed25519PrivateKey::from_seed(SecureBytes(33)).status().code(), ErrorCode::kInvalidInput);
}

TEST(Ed25519Test, SignVerifyAndRejectAlterations) {
  auto key = Ed25519PrivateKey::generate();
  ASSERT_TRUE(key.ok());
  Bytes msg = {1, 2, 3, 4};
  Ed25519Signature sig = key->sign(msg);
  EXPECT_TRUE(key->public_key().verify(msg, sig));
  for (std::size_t i = 0; i < sig.size(); i += 7) {
    Ed25519Signature bad = sig;
    bad[i] ^= 1;
    EXPECT_FALSE(key->public_key().verify(msg, bad));
  }
  Bytes other = {1, 2, 3, 5};
  EXPECT_FALSE(key->public_key().verify(other, sig));
  EXPECT_FALSE(key->public_key().verify(msg, ByteSpan(sig.data(), 63)));
  auto other_key = Ed25519PrivateKey::generate();
  EXPECT_FALSE(other_key->public_key().verify(msg, sig));
  EXPECT_FALSE(Ed25519PublicKey().verify(msg, sig));
  EXPECT_FALSE(Ed25519PublicKey::from_bytes(Bytes(31)).ok());
}

TEST(Ed25519Test, EncryptedPemRoundTripAndOpensslReadsIt) {
  test::TempDir dir;
  auto key = Ed25519PrivateKey::generate();
  ASSERT_TRUE(key.ok());
  SecureBytes pass(std::string_view("replica-passphrase"));
  auto pem = key->to_encrypted_pem(pass);
  ASSERT_TRUE(pem.ok());
  ASSERT_TRUE(write_text_file_atomic(dir / "k.pem", *pem, 0600).ok());
  auto back = Ed25519PrivateKey::load(dir / "k.pem", pass);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->public_key(), key->public_key());
  EXPECT_EQ(Ed25519PrivateKey::load(dir / "k.pem", SecureBytes(std::string_view("wrong-passphrase"))).status().code(),
            ErrorCode::kAuthFailed);
  ASSERT_TRUE(write_text_file_atomic(dir / "pass", "replica-passphrase\n", 0600).ok());
  EXPECT_EQ(test::run_shell("openssl pkey -in " + (dir / "k.pem").string() + " -passin file:" +
                            (dir / "pass").string() + " -noout"),
            0);
}

}  // namespace
}  // namespace hc::crypto

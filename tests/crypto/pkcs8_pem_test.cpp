// Encrypted PKCS#8 PEM: what we write (PBES2, scrypt with a 16-byte salt, AES-256-CBC) and
// what decryption refuses (another PEM label in front, another key derivation or cipher).
// The PEMs under test are built here with OpenSSL directly, independently of pkcs8_pem.cpp.
#include "crypto/pkcs8_pem.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <string>

namespace hc::crypto {
namespace {

const SecureBytes& passphrase() {
  static const SecureBytes pass{std::string_view("pkcs8-test-passphrase")};
  return pass;
}

EvpPkeyPtr new_ed25519() {
  EvpPkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  EXPECT_TRUE(key);
  return key;
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(len));
}

// Encrypted PKCS#8 PEM of `key` under `pbe` (consumed), written by OpenSSL.
std::string encrypted_pem_with(EVP_PKEY* key, X509_ALGOR* pbe) {
  PKCS8_PRIV_KEY_INFO* p8inf = EVP_PKEY2PKCS8(key);
  X509_SIG* p8 = PKCS8_set0_pbe(reinterpret_cast<const char*>(passphrase().data()),
                                static_cast<int>(passphrase().size()), p8inf, pbe);
  PKCS8_PRIV_KEY_INFO_free(p8inf);
  EXPECT_NE(p8, nullptr);
  BIO* bio = BIO_new(BIO_s_mem());
  EXPECT_EQ(PEM_write_bio_PKCS8(bio, p8), 1);
  X509_SIG_free(p8);
  std::string out = bio_text(bio);
  BIO_free(bio);
  return out;
}

std::string unencrypted_pem(EVP_PKEY* key) {
  BIO* bio = BIO_new(BIO_s_mem());
  EXPECT_EQ(PEM_write_bio_PrivateKey(bio, key, nullptr, nullptr, 0, nullptr, nullptr), 1);
  std::string out = bio_text(bio);
  BIO_free(bio);
  return out;
}

// The scrypt salt length of an encrypted PKCS#8 PEM, or -1 if it is not PBES2 + scrypt.
int scrypt_salt_bytes(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509_SIG* p8 = PEM_read_bio_PKCS8(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  if (p8 == nullptr) return -1;
  const X509_ALGOR* alg = nullptr;
  X509_SIG_get0(p8, &alg, nullptr);
  int salt = -1;
  PBE2PARAM* pbe2 = static_cast<PBE2PARAM*>(
      ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), alg->parameter));
  if (pbe2 != nullptr && OBJ_obj2nid(pbe2->keyfunc->algorithm) == NID_id_scrypt) {
    SCRYPT_PARAMS* sp = static_cast<SCRYPT_PARAMS*>(
        ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(SCRYPT_PARAMS), pbe2->keyfunc->parameter));
    if (sp != nullptr) salt = ASN1_STRING_length(sp->salt);
    SCRYPT_PARAMS_free(sp);
  }
  PBE2PARAM_free(pbe2);
  X509_SIG_free(p8);
  return salt;
}

TEST(Pkcs8Pem, WritesScryptWithSaltOfAtLeast16Bytes) {
  EvpPkeyPtr key = new_ed25519();
  Result<std::string> pem = encrypt_private_key_pem(key.get(), passphrase());
  ASSERT_TRUE(pem.ok()) << pem.status().to_string();
  EXPECT_GE(scrypt_salt_bytes(*pem), 16);
  Result<EvpPkeyPtr> back = decrypt_private_key_pem(*pem, passphrase());
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(EVP_PKEY_eq(key.get(), back->get()), 1);
}

TEST(Pkcs8Pem, RefusesAnotherPemBlockBeforeTheEncryptedKey) {
  // An unencrypted key of an attacker's choosing in front of the real one, whose header
  // still appears further down: only the exact encrypted-key PEM is accepted.
  EvpPkeyPtr key = new_ed25519();
  EvpPkeyPtr planted = new_ed25519();
  Result<std::string> pem = encrypt_private_key_pem(key.get(), passphrase());
  ASSERT_TRUE(pem.ok());
  Result<EvpPkeyPtr> r = decrypt_private_key_pem(unencrypted_pem(planted.get()) + *pem, passphrase());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidInput) << r.status().to_string();
  Result<EvpPkeyPtr> trailing = decrypt_private_key_pem(*pem + unencrypted_pem(planted.get()), passphrase());
  EXPECT_EQ(trailing.status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(decrypt_private_key_pem(unencrypted_pem(key.get()), passphrase()).status().code(),
            ErrorCode::kInvalidInput);
}

TEST(Pkcs8Pem, RefusesPbkdf2KeyDerivation) {
  EvpPkeyPtr key = new_ed25519();
  X509_ALGOR* pbe = PKCS5_pbe2_set_iv(EVP_aes_256_cbc(), 100000, nullptr, 16, nullptr, NID_hmacWithSHA256);
  ASSERT_NE(pbe, nullptr);
  const std::string pem = encrypted_pem_with(key.get(), pbe);
  Result<EvpPkeyPtr> r = decrypt_private_key_pem(pem, passphrase());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(r.status().message().find("scrypt"), std::string::npos) << r.status().to_string();
}

TEST(Pkcs8Pem, RefusesAnotherCipher) {
  EvpPkeyPtr key = new_ed25519();
  unsigned char salt[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  X509_ALGOR* pbe = PKCS5_pbe2_set_scrypt(EVP_aes_128_cbc(), salt, sizeof(salt), nullptr, 1 << 14, 8, 1);
  ASSERT_NE(pbe, nullptr);
  const std::string pem = encrypted_pem_with(key.get(), pbe);
  Result<EvpPkeyPtr> r = decrypt_private_key_pem(pem, passphrase());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(r.status().message().find("AES-256-CBC"), std::string::npos) << r.status().to_string();
}

TEST(Pkcs8Pem, AcceptsOurSchemeWithTheShorterSaltOfEarlierFiles) {
  // Files written before the salt grew to 16 bytes (and by `openssl pkcs8 -scrypt`) still open.
  EvpPkeyPtr key = new_ed25519();
  unsigned char salt[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  X509_ALGOR* pbe = PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), salt, sizeof(salt), nullptr, 1 << 14, 8, 1);
  ASSERT_NE(pbe, nullptr);
  const std::string pem = encrypted_pem_with(key.get(), pbe);
  Result<EvpPkeyPtr> r = decrypt_private_key_pem(pem, passphrase());
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(decrypt_private_key_pem(pem, SecureBytes(std::string_view("wrong-passphrase")))
                .status()
                .code(),
            ErrorCode::kAuthFailed);
}

}  // namespace
}  // namespace hc::crypto

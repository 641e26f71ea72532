#include "crypto/pkcs8_pem.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include <cstring>
#include <memory>

namespace hc::crypto {

namespace {

constexpr std::uint64_t kScryptN = 1u << 14;
constexpr std::uint64_t kScryptR = 8;
constexpr std::uint64_t kScryptP = 1;

struct BioDeleter {
  void operator()(BIO* b) const { BIO_free(b); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;

int passphrase_callback(char* buf, int size, int /*rwflag*/, void* user) {
  const auto* pass = static_cast<const SecureBytes*>(user);
  if (pass->size() > static_cast<std::size_t>(size)) return -1;
  std::memcpy(buf, pass->data(), pass->size());
  return static_cast<int>(pass->size());
}

}  // namespace

Result<std::string> encrypt_private_key_pem(EVP_PKEY* pkey, const SecureBytes& passphrase) {
  if (passphrase.size() < kMinPassphraseBytes) {
    return invalid_input("passphrase must be at least 8 bytes");
  }
  PKCS8_PRIV_KEY_INFO* p8inf = EVP_PKEY2PKCS8(pkey);
  if (!p8inf) return openssl_error(ErrorCode::kInternal, "cannot build PKCS#8");
  X509_ALGOR* pbe = PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), nullptr, 0, nullptr, kScryptN, kScryptR, kScryptP);
  if (!pbe) {
    PKCS8_PRIV_KEY_INFO_free(p8inf);
    return openssl_error(ErrorCode::kInternal, "cannot set up scrypt PBES2");
  }
  X509_SIG* p8 = PKCS8_set0_pbe(reinterpret_cast<const char*>(passphrase.data()),
                                static_cast<int>(passphrase.size()), p8inf, pbe);
  PKCS8_PRIV_KEY_INFO_free(p8inf);
  if (!p8) {
    X509_ALGOR_free(pbe);
    return openssl_error(ErrorCode::kInternal, "cannot encrypt private key");
  }
  BioPtr bio(BIO_new(BIO_s_mem()));
  int ok = bio ? PEM_write_bio_PKCS8(bio.get(), p8) : 0;
  X509_SIG_free(p8);
  if (ok != 1) return openssl_error(ErrorCode::kInternal, "cannot write encrypted PEM");
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

Result<EvpPkeyPtr> decrypt_private_key_pem(std::string_view pem, const SecureBytes& passphrase) {
  if (pem.size() > kMaxPrivateKeyPemBytes) {
    return Status::error(ErrorCode::kTooLarge, "private key PEM too large");
  }
  if (pem.find("-----BEGIN ENCRYPTED PRIVATE KEY-----") == std::string_view::npos) {
    return invalid_input("not an encrypted PKCS#8 PEM private key");
  }
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EvpPkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, passphrase_callback,
                                          const_cast<SecureBytes*>(&passphrase)));
  if (!pkey) {
    clear_openssl_errors();
    return Status::error(ErrorCode::kAuthFailed, "cannot decrypt private key: wrong passphrase or corrupt key file");
  }
  return pkey;
}

}  // namespace hc::crypto

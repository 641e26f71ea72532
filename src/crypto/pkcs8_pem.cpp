#include "crypto/pkcs8_pem.h"

#include <openssl/bio.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <array>
#include <cstring>
#include <memory>

namespace hc::crypto {

namespace {

constexpr std::uint64_t kScryptN = 1u << 14;
constexpr std::uint64_t kScryptR = 8;
constexpr std::uint64_t kScryptP = 1;
constexpr std::size_t kSaltBytes = 16;
// Read side: salts of 8 bytes (files written before the salt grew, and by
// `openssl pkcs8 -scrypt` on OpenSSL 3.0) up to a sane bound; scrypt cost bounded so that a
// hostile file cannot ask for unbounded work (OpenSSL also caps scrypt memory at 32 MiB).
constexpr int kMinReadSaltBytes = 8;
constexpr int kMaxReadSaltBytes = 64;
constexpr std::uint64_t kMaxReadScryptN = 1u << 20;
constexpr std::uint64_t kMaxReadScryptR = 32;
constexpr std::uint64_t kMaxReadScryptP = 16;
constexpr std::string_view kPemLabel = "ENCRYPTED PRIVATE KEY";

struct X509SigDeleter {
  void operator()(X509_SIG* p) const { X509_SIG_free(p); }
};
using X509SigPtr = std::unique_ptr<X509_SIG, X509SigDeleter>;
struct Pbe2ParamDeleter {
  void operator()(PBE2PARAM* p) const { PBE2PARAM_free(p); }
};
struct ScryptParamsDeleter {
  void operator()(SCRYPT_PARAMS* p) const { SCRYPT_PARAMS_free(p); }
};
struct P8InfoDeleter {
  void operator()(PKCS8_PRIV_KEY_INFO* p) const { PKCS8_PRIV_KEY_INFO_free(p); }
};
struct OpensslFree {
  void operator()(void* p) const { OPENSSL_free(p); }
};

// The one PEM block of `pem`, which must be labelled exactly "ENCRYPTED PRIVATE KEY", carry
// no RFC 1421 headers and have nothing but whitespace around it; its DER must be exactly one
// EncryptedPrivateKeyInfo.
Result<X509SigPtr> read_encrypted_pkcs8_block(std::string_view pem) {
  const std::string_view begin = "-----BEGIN ENCRYPTED PRIVATE KEY-----";
  const std::size_t start = pem.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos || pem.substr(start, begin.size()) != begin) {
    return invalid_input("not an encrypted PKCS#8 PEM private key (the file must start with "
                         "-----BEGIN ENCRYPTED PRIVATE KEY-----)");
  }
  BioPtr bio = memory_bio(pem.substr(start));
  if (!bio) return openssl_error(ErrorCode::kInternal, "cannot read PEM");
  char* name_raw = nullptr;
  char* header_raw = nullptr;
  unsigned char* der_raw = nullptr;
  long der_len = 0;
  const int ok = PEM_read_bio(bio.get(), &name_raw, &header_raw, &der_raw, &der_len);
  std::unique_ptr<char, OpensslFree> name(name_raw), header(header_raw);
  std::unique_ptr<unsigned char, OpensslFree> der(der_raw);
  if (ok != 1) {
    clear_openssl_errors();
    return invalid_input("encrypted PKCS#8 PEM: malformed PEM block");
  }
  if (std::string_view(name.get()) != kPemLabel || std::strlen(header.get()) != 0) {
    return invalid_input("encrypted PKCS#8 PEM: unexpected PEM label or headers");
  }
  if (!bio_rest_is_whitespace(bio.get())) {
    return invalid_input("encrypted PKCS#8 PEM: data after the key block");
  }
  const unsigned char* p = der.get();
  X509SigPtr sig(d2i_X509_SIG(nullptr, &p, der_len));
  if (!sig || p != der.get() + der_len) {
    clear_openssl_errors();
    return invalid_input("encrypted PKCS#8 PEM: not one DER EncryptedPrivateKeyInfo");
  }
  return sig;
}

bool fits(const ASN1_INTEGER* v, std::uint64_t lo, std::uint64_t hi) {
  std::uint64_t x = 0;
  return v != nullptr && ASN1_INTEGER_get_uint64(&x, v) == 1 && x >= lo && x <= hi;
}

// The algorithm identifiers must be exactly the scheme we write: PBES2 with scrypt (salt and
// cost within the read bounds, no key length other than 32) and AES-256-CBC.
Status check_scheme(const X509_SIG* sig) {
  const X509_ALGOR* alg = nullptr;
  X509_SIG_get0(sig, &alg, nullptr);
  if (OBJ_obj2nid(alg->algorithm) != NID_pbes2) {
    return invalid_input("encrypted PKCS#8 PEM: not PBES2 (hc writes PBES2 with scrypt)");
  }
  std::unique_ptr<PBE2PARAM, Pbe2ParamDeleter> pbe2(static_cast<PBE2PARAM*>(
      ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(PBE2PARAM), alg->parameter)));
  if (!pbe2) {
    clear_openssl_errors();
    return invalid_input("encrypted PKCS#8 PEM: malformed PBES2 parameters");
  }
  if (OBJ_obj2nid(pbe2->keyfunc->algorithm) != NID_id_scrypt) {
    return invalid_input("encrypted PKCS#8 PEM: key derivation is not scrypt (hc reads only "
                         "the scheme it writes: PBES2, scrypt, AES-256-CBC)");
  }
  if (OBJ_obj2nid(pbe2->encryption->algorithm) != NID_aes_256_cbc) {
    return invalid_input("encrypted PKCS#8 PEM: cipher is not AES-256-CBC (hc reads only the "
                         "scheme it writes: PBES2, scrypt, AES-256-CBC)");
  }
  std::unique_ptr<SCRYPT_PARAMS, ScryptParamsDeleter> sp(static_cast<SCRYPT_PARAMS*>(
      ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(SCRYPT_PARAMS), pbe2->keyfunc->parameter)));
  if (!sp) {
    clear_openssl_errors();
    return invalid_input("encrypted PKCS#8 PEM: malformed scrypt parameters");
  }
  const int salt = ASN1_STRING_length(sp->salt);
  std::uint64_t n = 0;
  if (salt < kMinReadSaltBytes || salt > kMaxReadSaltBytes ||
      !fits(sp->costParameter, 2, kMaxReadScryptN) ||
      ASN1_INTEGER_get_uint64(&n, sp->costParameter) != 1 || (n & (n - 1)) != 0 ||
      !fits(sp->blockSize, 1, kMaxReadScryptR) ||
      !fits(sp->parallelizationParameter, 1, kMaxReadScryptP) ||
      (sp->keyLength != nullptr && !fits(sp->keyLength, 32, 32))) {
    return invalid_input("encrypted PKCS#8 PEM: scrypt salt or cost out of range");
  }
  return Status::ok_status();
}

}  // namespace

Result<std::string> encrypt_private_key_pem(EVP_PKEY* pkey, const SecureBytes& passphrase) {
  if (passphrase.size() < kMinPassphraseBytes) {
    return invalid_input("passphrase must be at least 8 bytes");
  }
  PKCS8_PRIV_KEY_INFO* p8inf = EVP_PKEY2PKCS8(pkey);
  if (!p8inf) return openssl_error(ErrorCode::kInternal, "cannot build PKCS#8");
  std::array<unsigned char, kSaltBytes> salt{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
    PKCS8_PRIV_KEY_INFO_free(p8inf);
    return openssl_error(ErrorCode::kInternal, "RAND_bytes failed");
  }
  X509_ALGOR* pbe = PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), salt.data(), static_cast<int>(salt.size()),
                                          nullptr, kScryptN, kScryptR, kScryptP);
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
  return bio_contents(bio.get());
}

Result<EvpPkeyPtr> decrypt_private_key_pem(std::string_view pem, const SecureBytes& passphrase) {
  if (pem.size() > kMaxPrivateKeyPemBytes) {
    return Status::error(ErrorCode::kTooLarge, "private key PEM too large");
  }
  HC_ASSIGN_OR_RETURN(X509SigPtr sig, read_encrypted_pkcs8_block(pem));
  HC_RETURN_IF_ERROR(check_scheme(sig.get()));
  std::unique_ptr<PKCS8_PRIV_KEY_INFO, P8InfoDeleter> p8inf(
      PKCS8_decrypt(sig.get(), reinterpret_cast<const char*>(passphrase.data()),
                    static_cast<int>(passphrase.size())));
  if (!p8inf) {
    clear_openssl_errors();
    return Status::error(ErrorCode::kAuthFailed, "cannot decrypt private key: wrong passphrase or corrupt key file");
  }
  EvpPkeyPtr pkey(EVP_PKCS82PKEY(p8inf.get()));
  if (!pkey) {
    clear_openssl_errors();
    return invalid_input("encrypted PKCS#8 PEM: the decrypted key is malformed");
  }
  return pkey;
}

}  // namespace hc::crypto

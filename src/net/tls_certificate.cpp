#include "net/tls_certificate.h"

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>

#include <memory>

#include "common/bytes.h"
#include "crypto/openssl_adapter.h"
#include "crypto/pkcs8_pem.h"

namespace hc::net {

namespace {

using crypto::BioPtr;
using crypto::X509ExtensionPtr;
using crypto::X509Ptr;

constexpr std::size_t kMaxCommonNameBytes = 64;
constexpr std::size_t kMaxHosts = 16;
constexpr std::size_t kMaxHostBytes = 253;

bool printable_name(const std::string& name, std::size_t max) {
  if (name.empty() || name.size() > max) return false;
  for (char c : name) {
    if (c < 0x20 || c > 0x7e || c == ',' || c == '"' || c == '\\') return false;
  }
  return true;
}

bool valid_dns_name(const std::string& host) {
  if (host.empty() || host.size() > kMaxHostBytes) return false;
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
    if (!ok) return false;
  }
  return true;
}

Result<crypto::EvpPkeyPtr> new_p256_key() {
  crypto::EvpPkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return crypto::openssl_error(ErrorCode::kInternal, "cannot generate a P-256 key");
  return key;
}

Result<X509Ptr> parse_certificate(std::string_view pem) {
  if (pem.empty() || pem.size() > kMaxCertificatePemBytes) {
    return invalid_input("certificate PEM must be 1.." + std::to_string(kMaxCertificatePemBytes) + " bytes");
  }
  BioPtr bio = crypto::memory_bio(pem);
  if (!bio) return crypto::openssl_error(ErrorCode::kInternal, "BIO_new_mem_buf");
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) return crypto::openssl_error(ErrorCode::kInvalidInput, "not a PEM certificate");
  // Exactly one certificate: anything after it but whitespace is refused.
  if (!crypto::bio_rest_is_whitespace(bio.get())) {
    return invalid_input("certificate PEM must hold exactly one certificate");
  }
  crypto::clear_openssl_errors();
  return cert;
}

Result<std::string> certificate_pem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) return crypto::openssl_error(ErrorCode::kInternal, "PEM_write_bio_X509");
  return crypto::bio_contents(bio.get());
}

Status add_extension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
    return crypto::openssl_error(ErrorCode::kInvalidInput, "bad certificate extension " + value);
  }
  return Status::ok_status();
}

// A certificate with a random 128-bit serial, the subject CN, the validity window and the
// public key of `key`; extensions and the signature are the caller's.
Result<X509Ptr> new_certificate(const std::string& common_name, EVP_PKEY* key, Validity validity) {
  X509Ptr cert(X509_new());
  if (!cert) return crypto::openssl_error(ErrorCode::kInternal, "X509_new");
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) return crypto::openssl_error(ErrorCode::kInternal, "RAND_bytes");
  serial[0] &= 0x7f;  // positive
  serial[0] |= 0x40;  // and of full length
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  bool ok = bn != nullptr && X509_set_version(cert.get(), 2) == 1 &&
            BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get())) != nullptr &&
            X509_gmtime_adj(X509_getm_notBefore(cert.get()), static_cast<long>(validity.not_before_s)) != nullptr &&
            X509_gmtime_adj(X509_getm_notAfter(cert.get()), static_cast<long>(validity.not_after_s)) != nullptr &&
            X509_set_pubkey(cert.get(), key) == 1;
  BN_free(bn);
  X509_NAME* name = X509_get_subject_name(cert.get());
  ok = ok && X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                                        reinterpret_cast<const unsigned char*>("Healthchain consortium"), -1, -1, 0) == 1;
  ok = ok && X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                        reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1, 0) == 1;
  if (!ok) return crypto::openssl_error(ErrorCode::kInternal, "cannot fill in a certificate");
  return cert;
}

Result<TlsKeyPair> finish(X509* cert, EVP_PKEY* signer, EVP_PKEY* key, const SecureBytes& key_passphrase) {
  if (X509_sign(cert, signer, EVP_sha256()) <= 0) return crypto::openssl_error(ErrorCode::kInternal, "X509_sign");
  TlsKeyPair out;
  HC_ASSIGN_OR_RETURN(out.certificate_pem, certificate_pem(cert));
  HC_ASSIGN_OR_RETURN(out.encrypted_key_pem, crypto::encrypt_private_key_pem(key, key_passphrase));
  return out;
}

Result<std::string> subject_alt_names(const std::vector<std::string>& hosts) {
  if (hosts.empty() || hosts.size() > kMaxHosts) return invalid_input("a certificate needs 1 to 16 host names or addresses");
  std::string out;
  for (const std::string& host : hosts) {
    boost::system::error_code ec;
    auto address = boost::asio::ip::make_address(host, ec);
    std::string entry;
    if (!ec) {
      entry = "IP:" + address.to_string();
    } else if (valid_dns_name(host)) {
      entry = "DNS:" + host;
    } else {
      return invalid_input("\"" + host.substr(0, 64) + "\" is neither an IP address nor a DNS name");
    }
    out += (out.empty() ? "" : ",") + entry;
  }
  return out;
}

}  // namespace

Result<TlsKeyPair> create_tls_ca(const std::string& common_name, const SecureBytes& passphrase, Validity validity) {
  if (!printable_name(common_name, kMaxCommonNameBytes)) return invalid_input("CA name must be 1..64 printable characters");
  if (passphrase.size() < crypto::kMinPassphraseBytes) return invalid_input("passphrase must be at least 8 bytes");
  HC_ASSIGN_OR_RETURN(crypto::EvpPkeyPtr key, new_p256_key());
  HC_ASSIGN_OR_RETURN(X509Ptr cert, new_certificate(common_name, key.get(), validity));
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())) != 1) {
    return crypto::openssl_error(ErrorCode::kInternal, "X509_set_issuer_name");
  }
  HC_RETURN_IF_ERROR(add_extension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0"));
  HC_RETURN_IF_ERROR(add_extension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign"));
  HC_RETURN_IF_ERROR(add_extension(cert.get(), cert.get(), NID_subject_key_identifier, "hash"));
  return finish(cert.get(), key.get(), key.get(), passphrase);
}

Result<TlsKeyPair> issue_tls_server_certificate(const TlsKeyPair& ca, const SecureBytes& ca_passphrase,
                                                const std::string& common_name, const std::vector<std::string>& hosts,
                                                const SecureBytes& key_passphrase, Validity validity) {
  if (!printable_name(common_name, kMaxCommonNameBytes)) return invalid_input("node name must be 1..64 printable characters");
  if (key_passphrase.size() < crypto::kMinPassphraseBytes) return invalid_input("passphrase must be at least 8 bytes");
  HC_RETURN_IF_ERROR(check_tls_ca_certificate(ca.certificate_pem));
  HC_ASSIGN_OR_RETURN(X509Ptr ca_cert, parse_certificate(ca.certificate_pem));
  HC_ASSIGN_OR_RETURN(crypto::EvpPkeyPtr ca_key, crypto::decrypt_private_key_pem(ca.encrypted_key_pem, ca_passphrase));
  if (X509_check_private_key(ca_cert.get(), ca_key.get()) != 1) {
    crypto::clear_openssl_errors();
    return invalid_input("the CA key does not belong to the CA certificate");
  }
  HC_ASSIGN_OR_RETURN(std::string sans, subject_alt_names(hosts));
  HC_ASSIGN_OR_RETURN(crypto::EvpPkeyPtr key, new_p256_key());
  HC_ASSIGN_OR_RETURN(X509Ptr cert, new_certificate(common_name, key.get(), validity));
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert.get())) != 1) {
    return crypto::openssl_error(ErrorCode::kInternal, "X509_set_issuer_name");
  }
  HC_RETURN_IF_ERROR(add_extension(cert.get(), ca_cert.get(), NID_basic_constraints, "critical,CA:FALSE"));
  HC_RETURN_IF_ERROR(add_extension(cert.get(), ca_cert.get(), NID_key_usage, "critical,digitalSignature"));
  HC_RETURN_IF_ERROR(add_extension(cert.get(), ca_cert.get(), NID_ext_key_usage, "serverAuth"));
  HC_RETURN_IF_ERROR(add_extension(cert.get(), ca_cert.get(), NID_subject_alt_name, sans));
  HC_RETURN_IF_ERROR(add_extension(cert.get(), ca_cert.get(), NID_authority_key_identifier, "keyid:always"));
  return finish(cert.get(), ca_key.get(), key.get(), key_passphrase);
}

Status check_tls_ca_certificate(std::string_view pem) {
  HC_ASSIGN_OR_RETURN(X509Ptr cert, parse_certificate(pem));
  if (X509_check_ca(cert.get()) == 0) return invalid_input("certificate is not a CA certificate (CA:TRUE)");
  return Status::ok_status();
}

Status check_certificate_issued_by(std::string_view chain_pem, std::string_view ca_pem) {
  HC_ASSIGN_OR_RETURN(X509Ptr ca, parse_certificate(ca_pem));
  if (chain_pem.empty() || chain_pem.size() > 4 * kMaxCertificatePemBytes) {
    return invalid_input("certificate chain PEM must be 1.." + std::to_string(4 * kMaxCertificatePemBytes) + " bytes");
  }
  BioPtr bio = crypto::memory_bio(chain_pem);
  if (!bio) return crypto::openssl_error(ErrorCode::kInternal, "BIO_new_mem_buf");
  X509Ptr leaf(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!leaf) return crypto::openssl_error(ErrorCode::kInvalidInput, "certificate chain: not a PEM certificate");
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), X509_STORE_free);
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> context(X509_STORE_CTX_new(), X509_STORE_CTX_free);
  if (!store || !context || X509_STORE_add_cert(store.get(), ca.get()) != 1 ||
      X509_STORE_CTX_init(context.get(), store.get(), leaf.get(), nullptr) != 1) {
    return crypto::openssl_error(ErrorCode::kInternal, "X509_STORE");
  }
  const int verified = X509_verify_cert(context.get());
  const int reason = X509_STORE_CTX_get_error(context.get());
  crypto::clear_openssl_errors();
  if (verified != 1) {
    return Status::error(ErrorCode::kAuthFailed, std::string("certificate does not chain to the CA: ") +
                                                     X509_verify_cert_error_string(reason));
  }
  return Status::ok_status();
}

Result<std::string> tls_certificate_sha256(std::string_view pem) {
  HC_ASSIGN_OR_RETURN(X509Ptr cert, parse_certificate(pem));
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (X509_digest(cert.get(), EVP_sha256(), digest, &size) != 1) return crypto::openssl_error(ErrorCode::kInternal, "X509_digest");
  return to_hex(ByteSpan(digest, size));
}

Result<std::string> tls_certificate_common_name(std::string_view pem) {
  HC_ASSIGN_OR_RETURN(X509Ptr cert, parse_certificate(pem));
  X509_NAME* subject = X509_get_subject_name(cert.get());
  const int index = subject == nullptr ? -1 : X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (index < 0) return std::string();
  ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, index));
  unsigned char* utf8 = nullptr;
  const int length = value == nullptr ? -1 : ASN1_STRING_to_UTF8(&utf8, value);
  if (length < 0) return crypto::openssl_error(ErrorCode::kInvalidInput, "certificate common name");
  std::string name(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(length));
  OPENSSL_free(utf8);
  return name;
}

}  // namespace hc::net

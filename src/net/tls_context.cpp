#include "net/tls_context.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/ssl/context.hpp>

#include "crypto/openssl_adapter.h"
#include "crypto/pkcs8_pem.h"
#include "net/tls_certificate.h"

namespace hc::net {

namespace {

namespace ssl = boost::asio::ssl;

constexpr std::size_t kMaxTrustAnchors = 256;
constexpr std::size_t kMaxChainPemBytes = 4 * kMaxCertificatePemBytes;
// TLS 1.2: ECDHE only (forward secrecy), AEAD only. TLS 1.3 uses OpenSSL's default suites
// (AES-GCM and ChaCha20-Poly1305), which are all AEAD.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:"
    "ECDHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256";

Result<std::shared_ptr<TlsContext>> modern_context() {
  auto ctx = std::make_shared<TlsContext>(ssl::context::tls);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::no_compression |
                   ssl::context::single_dh_use);
  SSL_CTX* native = ctx->native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    return crypto::openssl_error(ErrorCode::kInternal, "cannot configure TLS");
  }
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  return ctx;
}

constexpr long kPeerCertificateValiditySeconds = 10L * 365 * 86400;

// A self-signed certificate for a peer link's fresh key: a random serial, CN "healthchain
// peer link", valid from 5 minutes ago (clock skew) for 10 years. Nobody checks its name or
// dates: the replica handshake binds its hash to the replica key.
Result<crypto::X509Ptr> self_signed_peer_link_certificate(EVP_PKEY* key) {
  crypto::X509Ptr cert(X509_new());
  unsigned char serial[16];
  if (!cert || RAND_bytes(serial, sizeof serial) != 1) return crypto::openssl_error(ErrorCode::kInternal, "X509_new");
  serial[0] = static_cast<unsigned char>((serial[0] & 0x7f) | 0x40);
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  bool ok = bn != nullptr && X509_set_version(cert.get(), 2) == 1 &&
            BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert.get())) != nullptr &&
            X509_gmtime_adj(X509_getm_notBefore(cert.get()), -300) != nullptr &&
            X509_gmtime_adj(X509_getm_notAfter(cert.get()), kPeerCertificateValiditySeconds) != nullptr &&
            X509_set_pubkey(cert.get(), key) == 1;
  BN_free(bn);
  X509_NAME* name = X509_get_subject_name(cert.get());
  ok = ok && X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                                        reinterpret_cast<const unsigned char*>("healthchain peer link"), -1, -1, 0) == 1;
  ok = ok && X509_set_issuer_name(cert.get(), name) == 1 && X509_sign(cert.get(), key, EVP_sha256()) > 0;
  if (!ok) return crypto::openssl_error(ErrorCode::kInternal, "cannot make the peer link's certificate");
  return cert;
}

}  // namespace

Result<std::shared_ptr<TlsContext>> make_peer_tls_context() {
  HC_ASSIGN_OR_RETURN(auto ctx, modern_context());
  SSL_CTX* native = ctx->native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_3_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(native, TLS1_3_VERSION) != 1 || SSL_CTX_set_num_tickets(native, 0) != 1) {
    return crypto::openssl_error(ErrorCode::kInternal, "cannot configure the peer links' TLS");
  }
  SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_options(native, SSL_OP_NO_TICKET);
  crypto::EvpPkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) return crypto::openssl_error(ErrorCode::kInternal, "cannot generate the peer link's P-256 key");
  HC_ASSIGN_OR_RETURN(crypto::X509Ptr cert, self_signed_peer_link_certificate(key.get()));
  if (SSL_CTX_use_certificate(native, cert.get()) != 1 || SSL_CTX_use_PrivateKey(native, key.get()) != 1 ||
      SSL_CTX_check_private_key(native) != 1) {
    return crypto::openssl_error(ErrorCode::kInternal, "cannot install the peer link's certificate");
  }
  // Both ends must present a certificate; any certificate passes here, because its hash is
  // signed with the pinned replica key in the handshake that follows (handshake.h).
  ctx->set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert);
  ctx->set_verify_callback([](bool, ssl::verify_context&) { return true; });
  return ctx;
}

Result<std::shared_ptr<TlsContext>> make_tls_server_context(const std::string& certificate_chain_pem,
                                                            const std::string& encrypted_key_pem,
                                                            const SecureBytes& passphrase) {
  if (certificate_chain_pem.empty() || certificate_chain_pem.size() > kMaxChainPemBytes) {
    return invalid_input("TLS certificate chain must be 1.." + std::to_string(kMaxChainPemBytes) + " bytes");
  }
  HC_ASSIGN_OR_RETURN(auto ctx, modern_context());
  boost::system::error_code ec;
  ctx->use_certificate_chain(boost::asio::buffer(certificate_chain_pem), ec);
  if (ec) {
    crypto::clear_openssl_errors();
    return invalid_input("TLS certificate chain is not PEM certificates: " + ec.message());
  }
  HC_ASSIGN_OR_RETURN(crypto::EvpPkeyPtr key, crypto::decrypt_private_key_pem(encrypted_key_pem, passphrase));
  if (SSL_CTX_use_PrivateKey(ctx->native_handle(), key.get()) != 1 || SSL_CTX_check_private_key(ctx->native_handle()) != 1) {
    crypto::clear_openssl_errors();
    return invalid_input("the TLS key does not belong to the TLS certificate");
  }
  return ctx;
}

Result<std::shared_ptr<TlsContext>> make_tls_client_context(const std::vector<std::string>& trusted_ca_pems) {
  if (trusted_ca_pems.empty() || trusted_ca_pems.size() > kMaxTrustAnchors) {
    return invalid_input("TLS needs 1 to 256 trusted CA certificates (from the genesis)");
  }
  HC_ASSIGN_OR_RETURN(auto ctx, modern_context());
  for (const std::string& pem : trusted_ca_pems) {
    HC_RETURN_IF_ERROR(check_tls_ca_certificate(pem));
    boost::system::error_code ec;
    ctx->add_certificate_authority(boost::asio::buffer(pem), ec);
    if (ec) {
      crypto::clear_openssl_errors();
      return invalid_input("cannot trust a CA certificate: " + ec.message());
    }
  }
  ctx->set_verify_mode(ssl::verify_peer);
  return ctx;
}

Result<std::shared_ptr<TlsContext>> make_unauthenticated_tls_client_context() {
  HC_ASSIGN_OR_RETURN(auto ctx, modern_context());
  ctx->set_verify_mode(ssl::verify_none);
  return ctx;
}

}  // namespace hc::net

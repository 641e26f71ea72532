#include "net/tls_context.h"

#include <openssl/ssl.h>

#include <boost/asio/buffer.hpp>

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

}  // namespace

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

}  // namespace hc::net

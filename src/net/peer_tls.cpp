#include "net/peer_tls.h"

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "crypto/openssl_adapter.h"

namespace hc::net {

namespace {

Status peer_tls_certificate_sha256(const X509* cert, std::array<std::uint8_t, 32>& out) {
  unsigned int size = 0;
  if (cert == nullptr) return Status::error(ErrorCode::kAuthFailed, "the peer presented no TLS certificate");
  if (X509_digest(cert, EVP_sha256(), out.data(), &size) != 1 || size != out.size()) {
    return crypto::openssl_error(ErrorCode::kInternal, "X509_digest");
  }
  return Status::ok_status();
}

}  // namespace

Result<TlsSessionBinding> peer_tls_session_binding(PeerTlsStream& stream, HandshakeRole role) {
  SSL* ssl = stream.native_handle();
  if (SSL_version(ssl) != TLS1_3_VERSION) return Status::error(ErrorCode::kAuthFailed, "peer link is not TLS 1.3");
  TlsSessionBinding binding;
  if (SSL_export_keying_material(ssl, binding.tls_exporter.data(), binding.tls_exporter.size(),
                                 kPeerLinkExporterLabel.data(), kPeerLinkExporterLabel.size(), nullptr, 0, 0) != 1) {
    return crypto::openssl_error(ErrorCode::kInternal, "SSL_export_keying_material");
  }
  const bool initiator = role == HandshakeRole::kInitiator;
  auto& mine = initiator ? binding.initiator_certificate_sha256 : binding.responder_certificate_sha256;
  auto& theirs = initiator ? binding.responder_certificate_sha256 : binding.initiator_certificate_sha256;
  HC_RETURN_IF_ERROR(peer_tls_certificate_sha256(SSL_get_certificate(ssl), mine));
  HC_RETURN_IF_ERROR(peer_tls_certificate_sha256(SSL_get0_peer_certificate(ssl), theirs));
  return binding;
}

}  // namespace hc::net

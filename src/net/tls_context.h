// TLS settings for the node API (docs/deploy.md) and the replicas' peer links
// (docs/network.md): the one place where Boost.Asio SSL contexts are configured. The API's
// two sides allow TLS 1.2 and 1.3 only, with forward-secret AEAD cipher
// suites for TLS 1.2 (ECDHE with AES-GCM or ChaCha20-Poly1305) and OpenSSL's TLS 1.3 suites.
// A client trusts exactly the CA certificates it is given (from the genesis: no system store)
// and checks the server's name or IP address against the certificate. Thread-safe; a context
// may be shared by many connections. Peer links use TLS 1.3 only (make_peer_tls_context).
// This header only declares the context type: a file that configures or uses one (a stream, an
// acceptor) includes <boost/asio/ssl/context.hpp> itself, so that the many files that only pass
// a context along do not compile Boost.Asio's SSL code (it added about 10 s to each of them in
// the sanitizer build).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "common/secure_bytes.h"
#include "common/status.h"

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace hc::net {

using TlsContext = boost::asio::ssl::context;

// `certificate_chain_pem`: the server certificate, then its CA; `encrypted_key_pem`: its key
// as encrypted PKCS#8 PEM, opened with `passphrase`. kInvalidInput for an unreadable chain or a
// key that does not match it; kAuthFailed for a wrong passphrase.
Result<std::shared_ptr<TlsContext>> make_tls_server_context(const std::string& certificate_chain_pem,
                                                            const std::string& encrypted_key_pem,
                                                            const SecureBytes& passphrase);

// A client context trusting only `trusted_ca_pems` (1..256 CA certificates). kInvalidInput
// if there are none or one is not a CA certificate.
Result<std::shared_ptr<TlsContext>> make_tls_client_context(const std::vector<std::string>& trusted_ca_pems);

// A client context that encrypts but does not authenticate the server (no certificate check),
// for one purpose only: fetching an answer that proves itself from the genesis whatever node
// sent it (GET /v1/consortium/changes, before the client knows which CAs joined hospitals
// have: client/node_tls_trust.h). Never for a token, a record or an answer believed as sent.
Result<std::shared_ptr<TlsContext>> make_unauthenticated_tls_client_context();

// The context of every peer link, both as dialer and as acceptor: TLS 1.3 only, no session
// tickets or resumption, a fresh self-signed ECDSA P-256 certificate made now (its key lives
// only in this context's memory) and a certificate required from the other end too. The
// certificates are not checked against any CA: who the other end is gets proved by the replica
// handshake inside the session, which signs the session's exporter value and both
// certificates' hashes with the replica key pinned in the genesis (handshake.h, peer_tls.h).
// kInternal if OpenSSL cannot make the key or the certificate.
Result<std::shared_ptr<TlsContext>> make_peer_tls_context();

}  // namespace hc::net

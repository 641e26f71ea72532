// The TLS layer of a replicas' peer link (docs/network.md, "Peer links"): the stream type the
// transport runs its frames over, and what an established TLS 1.3 session contributes to the
// replica handshake (handshake.h): its exporter value (RFC 8446 section 7.5, the RFC 9266
// channel-binding idea with a label of ours) and the SHA-256 of both ends' certificates.
// Keeps OpenSSL's types out of the transport. Thread-safety: that of the stream (one thread).
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>

#include <string_view>

#include "common/status.h"
#include "net/handshake.h"

namespace hc::net {

using PeerTlsStream = boost::asio::ssl::stream<boost::asio::ip::tcp::socket>;

// The exporter label, versioned with the handshake; the exporter context is empty.
inline constexpr std::string_view kPeerLinkExporterLabel = "EXPORTER-HC-NET-HANDSHAKE-v2";

// The binding of the established session `stream`, where this end plays `role`. kAuthFailed if
// the session is not TLS 1.3 or the other end sent no certificate; kInternal if OpenSSL fails.
Result<TlsSessionBinding> peer_tls_session_binding(PeerTlsStream& stream, HandshakeRole role);

}  // namespace hc::net

// The peer handshake (version 2), run as the first frames INSIDE a peer link's TLS 1.3
// session (docs/network.md, "Peer links"): proves that each end holds the Ed25519 replica key
// the consortium configuration names for its node id, binds the TLS session to that key, and
// binds both to one network (the genesis hash, which is the chain id) so keys cannot be
// replayed across consortia.
//
// Messages (each sent as one frame):
//   Hello = "HCN2" | u8 kind=1 | u32 node_id | pubkey[32] | nonce[32]            (73 bytes)
//   Auth  = "HCN2" | u8 kind=2 | signature[64]                                   (69 bytes)
// Each side signs  LP("HC-NET-HANDSHAKE-v2") | LP(network_id) | u8 role |
//                  tls_exporter[32] | initiator's TLS certificate SHA-256[32] |
//                  responder's TLS certificate SHA-256[32] | initiator Hello | responder Hello
// with role 0 for the initiator and 1 for the responder, so a signature cannot be reflected
// back. tls_exporter is the session's RFC 5705/8446 exporter value (label in peer_tls.h): a
// man in the middle who terminates TLS toward both ends holds two sessions with two different
// exporter values, so a signature relayed from one session does not verify in the other.
// Fresh 32-byte nonces on both sides make every transcript unique. Version 1 ("HCN1", in
// clear TCP) is refused with its own error. Pure functions, thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/ed25519.h"

namespace hc::net {

inline constexpr std::size_t kHelloBytes = 73;
inline constexpr std::size_t kAuthBytes = 69;

struct Hello {
  std::uint32_t node_id = 0;
  std::array<std::uint8_t, 32> public_key{};
  std::array<std::uint8_t, 32> nonce{};
};

enum class HandshakeRole : std::uint8_t { kInitiator = 0, kResponder = 1 };

// What the TLS session under the handshake contributes to the signed transcript.
struct TlsSessionBinding {
  std::array<std::uint8_t, 32> tls_exporter{};
  std::array<std::uint8_t, 32> initiator_certificate_sha256{};
  std::array<std::uint8_t, 32> responder_certificate_sha256{};
};

// The first bytes of a version-1 Hello frame as it arrived in clear (frame length 73, "HCN1"):
// how a node recognizes a peer that has not been upgraded.
inline constexpr std::array<std::uint8_t, 8> kPlaintextV1HelloPrefix = {0, 0, 0, 73, 'H', 'C', 'N', '1'};

Hello make_hello(std::uint32_t node_id, const crypto::Ed25519PublicKey& key);
Bytes encode_hello(const Hello& hello);
Result<Hello> decode_hello(ByteSpan frame);

Bytes handshake_transcript(ByteSpan network_id, const TlsSessionBinding& session, HandshakeRole signer,
                           const Hello& initiator, const Hello& responder);
Bytes encode_auth(const crypto::Ed25519Signature& signature);
Result<crypto::Ed25519Signature> decode_auth(ByteSpan frame);

// Checks a peer's Hello against the configured peer keys: known id, not ourselves, the
// configured key. kAuthFailed with a reason otherwise.
Status check_peer_hello(const Hello& hello, std::uint32_t self_id,
                        const std::map<std::uint32_t, crypto::Ed25519PublicKey>& peer_keys);

}  // namespace hc::net

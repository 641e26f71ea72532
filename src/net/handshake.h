// The peer handshake: proves that each end of a TCP connection holds the Ed25519 replica
// key the consortium configuration names for its node id, and binds the session to one
// network (the genesis hash) so keys cannot be replayed across consortia.
//
// Messages (each sent as one frame):
//   Hello = "HCN1" | u8 kind=1 | u32 node_id | pubkey[32] | nonce[32]            (73 bytes)
//   Auth  = "HCN1" | u8 kind=2 | signature[64]                                   (69 bytes)
// Each side signs  LP("HC-NET-HANDSHAKE-v1") | LP(network_id) | u8 role |
//                  initiator Hello | responder Hello
// with role 0 for the initiator and 1 for the responder, so a signature cannot be reflected
// back. Fresh 32-byte nonces on both sides make every transcript unique. Pure functions,
// thread-safe.
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

Hello make_hello(std::uint32_t node_id, const crypto::Ed25519PublicKey& key);
Bytes encode_hello(const Hello& hello);
Result<Hello> decode_hello(ByteSpan frame);

Bytes handshake_transcript(ByteSpan network_id, HandshakeRole signer, const Hello& initiator,
                           const Hello& responder);
Bytes encode_auth(const crypto::Ed25519Signature& signature);
Result<crypto::Ed25519Signature> decode_auth(ByteSpan frame);

// Checks a peer's Hello against the configured peer keys: known id, not ourselves, the
// configured key. kAuthFailed with a reason otherwise.
Status check_peer_hello(const Hello& hello, std::uint32_t self_id,
                        const std::map<std::uint32_t, crypto::Ed25519PublicKey>& peer_keys);

}  // namespace hc::net

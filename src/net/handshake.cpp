#include "net/handshake.h"

#include <algorithm>

#include "crypto/hash.h"

namespace hc::net {

namespace {
constexpr std::array<std::uint8_t, 4> kMagic = {'H', 'C', 'N', '2'};
constexpr std::array<std::uint8_t, 4> kMagicV1 = {'H', 'C', 'N', '1'};
constexpr std::uint8_t kKindHello = 1;
constexpr std::uint8_t kKindAuth = 2;
constexpr std::string_view kTranscriptTag = "HC-NET-HANDSHAKE-v2";

Status check_prefix(ByteSpan frame, std::size_t expected_size, std::uint8_t kind, const char* what) {
  if (frame.size() >= kMagicV1.size() && std::equal(kMagicV1.begin(), kMagicV1.end(), frame.begin())) {
    return invalid_input("peer speaks the version-1 handshake (HCN1); it must be upgraded to v2");
  }
  if (frame.size() != expected_size) return invalid_input(std::string("handshake ") + what + " has the wrong size");
  if (!std::equal(kMagic.begin(), kMagic.end(), frame.begin()) || frame[4] != kind) {
    return invalid_input(std::string("handshake ") + what + " has a bad magic or kind");
  }
  return Status::ok_status();
}
}  // namespace

Hello make_hello(std::uint32_t node_id, const crypto::Ed25519PublicKey& key) {
  Hello hello;
  hello.node_id = node_id;
  hello.public_key = key.bytes();
  crypto::random_bytes(hello.nonce);
  return hello;
}

Bytes encode_hello(const Hello& hello) {
  Bytes out(kMagic.begin(), kMagic.end());
  append_u8(out, kKindHello);
  append_u32_be(out, hello.node_id);
  append_bytes(out, hello.public_key);
  append_bytes(out, hello.nonce);
  return out;
}

Result<Hello> decode_hello(ByteSpan frame) {
  HC_RETURN_IF_ERROR(check_prefix(frame, kHelloBytes, kKindHello, "hello"));
  Hello hello;
  hello.node_id = (std::uint32_t{frame[5]} << 24) | (std::uint32_t{frame[6]} << 16) |
                  (std::uint32_t{frame[7]} << 8) | std::uint32_t{frame[8]};
  std::copy_n(frame.begin() + 9, 32, hello.public_key.begin());
  std::copy_n(frame.begin() + 41, 32, hello.nonce.begin());
  return hello;
}

Bytes handshake_transcript(ByteSpan network_id, const TlsSessionBinding& session, HandshakeRole signer,
                           const Hello& initiator, const Hello& responder) {
  Bytes out;
  append_length_prefixed(out, as_bytes(kTranscriptTag));
  append_length_prefixed(out, network_id);
  append_u8(out, static_cast<std::uint8_t>(signer));
  append_bytes(out, session.tls_exporter);
  append_bytes(out, session.initiator_certificate_sha256);
  append_bytes(out, session.responder_certificate_sha256);
  append_bytes(out, encode_hello(initiator));
  append_bytes(out, encode_hello(responder));
  return out;
}

Bytes encode_auth(const crypto::Ed25519Signature& signature) {
  Bytes out(kMagic.begin(), kMagic.end());
  append_u8(out, kKindAuth);
  append_bytes(out, signature);
  return out;
}

Result<crypto::Ed25519Signature> decode_auth(ByteSpan frame) {
  HC_RETURN_IF_ERROR(check_prefix(frame, kAuthBytes, kKindAuth, "auth"));
  crypto::Ed25519Signature sig{};
  std::copy_n(frame.begin() + 5, sig.size(), sig.begin());
  return sig;
}

Status check_peer_hello(const Hello& hello, std::uint32_t self_id,
                        const std::map<std::uint32_t, crypto::Ed25519PublicKey>& peer_keys) {
  if (hello.node_id == self_id) return Status::error(ErrorCode::kAuthFailed, "peer claims our own node id");
  auto it = peer_keys.find(hello.node_id);
  if (it == peer_keys.end()) {
    return Status::error(ErrorCode::kAuthFailed, "node " + std::to_string(hello.node_id) + " is not a configured peer");
  }
  if (it->second.bytes() != hello.public_key) {
    return Status::error(ErrorCode::kAuthFailed,
                         "node " + std::to_string(hello.node_id) + " presented a key other than its configured one");
  }
  return Status::ok_status();
}

}  // namespace hc::net

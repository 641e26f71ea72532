// Fuzzes the peer handshake's decoders (the first bytes an unauthenticated peer sends): a
// Hello or an Auth frame, and the check of a Hello against the configured peer keys. Whatever
// decodes must re-encode to the input.
#include <map>

#include "check.h"
#include "net/handshake.h"

namespace {
// Replicas 1 and 2 of a consortium, with keys from fixed seeds.
const std::map<std::uint32_t, hc::crypto::Ed25519PublicKey>& peer_keys() {
  static const auto keys = [] {
    std::map<std::uint32_t, hc::crypto::Ed25519PublicKey> out;
    for (std::uint32_t id : {1u, 2u}) {
      const hc::Bytes raw(32, static_cast<std::uint8_t>(id));
      const hc::SecureBytes seed(raw.data(), raw.size());
      out[id] = hc::crypto::Ed25519PrivateKey::from_seed(seed).value().public_key();
    }
    return out;
  }();
  return keys;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const hc::ByteSpan in = hc::fuzz::input(data, size);
  const hc::Bytes bytes(in.begin(), in.end());
  if (auto hello = hc::net::decode_hello(in); hello.ok()) {
    HC_FUZZ_CHECK(hc::net::encode_hello(hello.value()) == bytes);
    (void)hc::net::check_peer_hello(hello.value(), 1, peer_keys());
    (void)hc::net::handshake_transcript(hc::as_bytes("network"), hc::net::TlsSessionBinding{},
                                        hc::net::HandshakeRole::kInitiator,
                                        hello.value(), hello.value());
  }
  if (auto auth = hc::net::decode_auth(in); auth.ok()) {
    HC_FUZZ_CHECK(hc::net::encode_auth(auth.value()) == bytes);
  }
  return 0;
}

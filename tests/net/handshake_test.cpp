#include "net/handshake.h"

#include <gtest/gtest.h>

namespace hc::net {
namespace {

TEST(HandshakeTest, HelloAndAuthRoundTrip) {
  auto key = crypto::Ed25519PrivateKey::generate();
  ASSERT_TRUE(key.ok());
  Hello h = make_hello(7, key->public_key());
  Bytes enc = encode_hello(h);
  ASSERT_EQ(enc.size(), kHelloBytes);
  auto back = decode_hello(enc);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->node_id, 7u);
  EXPECT_EQ(back->public_key, h.public_key);
  EXPECT_EQ(back->nonce, h.nonce);
  EXPECT_NE(make_hello(7, key->public_key()).nonce, h.nonce);

  enc[0] ^= 1;
  EXPECT_FALSE(decode_hello(enc).ok());
  EXPECT_FALSE(decode_hello(Bytes(kHelloBytes - 1)).ok());
  EXPECT_FALSE(decode_auth(Bytes(kAuthBytes)).ok());
}

TlsSessionBinding binding_with_exporter_byte(std::uint8_t first) {
  TlsSessionBinding binding;
  binding.tls_exporter[0] = first;
  binding.initiator_certificate_sha256[0] = 0x11;
  binding.responder_certificate_sha256[0] = 0x22;
  return binding;
}

TEST(HandshakeTest, TranscriptBindsRoleNetworkTlsSessionAndBothHellos) {
  auto a = crypto::Ed25519PrivateKey::generate();
  auto b = crypto::Ed25519PrivateKey::generate();
  Hello ha = make_hello(1, a->public_key()), hb = make_hello(2, b->public_key());
  Bytes net1 = {1}, net2 = {2};
  const TlsSessionBinding session = binding_with_exporter_byte(7);
  Bytes t = handshake_transcript(net1, session, HandshakeRole::kInitiator, ha, hb);
  auto sig = a->sign(t);
  EXPECT_TRUE(a->public_key().verify(t, sig));
  // Reflection (same signature presented for the other role), another network, other hellos.
  EXPECT_FALSE(a->public_key().verify(handshake_transcript(net1, session, HandshakeRole::kResponder, ha, hb), sig));
  EXPECT_FALSE(a->public_key().verify(handshake_transcript(net2, session, HandshakeRole::kInitiator, ha, hb), sig));
  Hello hb2 = make_hello(2, b->public_key());
  EXPECT_FALSE(a->public_key().verify(handshake_transcript(net1, session, HandshakeRole::kInitiator, ha, hb2), sig));
  // Another TLS session (a man in the middle's), or other certificates on either side.
  EXPECT_FALSE(a->public_key().verify(
      handshake_transcript(net1, binding_with_exporter_byte(8), HandshakeRole::kInitiator, ha, hb), sig));
  TlsSessionBinding other_certificate = session;
  other_certificate.responder_certificate_sha256[31] ^= 1;
  EXPECT_FALSE(a->public_key().verify(handshake_transcript(net1, other_certificate, HandshakeRole::kInitiator, ha, hb), sig));
  other_certificate = session;
  other_certificate.initiator_certificate_sha256[31] ^= 1;
  EXPECT_FALSE(a->public_key().verify(handshake_transcript(net1, other_certificate, HandshakeRole::kInitiator, ha, hb), sig));
}

TEST(HandshakeTest, VersionOneMessagesAreRefusedByName) {
  auto a = crypto::Ed25519PrivateKey::generate();
  Bytes v1 = encode_hello(make_hello(1, a->public_key()));
  v1[3] = '1';  // "HCN1": the plaintext handshake of before TLS
  auto decoded = decode_hello(v1);
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.status().message().find("version-1"), std::string::npos) << decoded.status().message();
  EXPECT_EQ(Bytes(kPlaintextV1HelloPrefix.begin() + 4, kPlaintextV1HelloPrefix.end()), Bytes(v1.begin(), v1.begin() + 4));
}

TEST(HandshakeTest, PeerChecks) {
  auto a = crypto::Ed25519PrivateKey::generate();
  auto b = crypto::Ed25519PrivateKey::generate();
  std::map<std::uint32_t, crypto::Ed25519PublicKey> keys = {{2, b->public_key()}};
  EXPECT_TRUE(check_peer_hello(make_hello(2, b->public_key()), 1, keys).ok());
  EXPECT_EQ(check_peer_hello(make_hello(2, a->public_key()), 1, keys).code(), ErrorCode::kAuthFailed);
  EXPECT_EQ(check_peer_hello(make_hello(3, b->public_key()), 1, keys).code(), ErrorCode::kAuthFailed);
  EXPECT_EQ(check_peer_hello(make_hello(1, b->public_key()), 1, keys).code(), ErrorCode::kAuthFailed);
}

}  // namespace
}  // namespace hc::net

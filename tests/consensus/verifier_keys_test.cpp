// Ed25519Verifier's key directory by replica id (issue 16: a joined member's key is added while
// the node runs): the genesis ids verify from the start, an added id from then on, an unknown
// id never; an id past the bound or another key for an id that has one is refused and changes
// nothing; adding the same key again is harmless.
#include <gtest/gtest.h>

#include <string>

#include "consensus/crypto.h"
#include "crypto/ed25519.h"

namespace hc::consensus::verifier_keys_test {
namespace {

crypto::Ed25519PrivateKey key_of(char fill) {
  return crypto::Ed25519PrivateKey::from_seed(SecureBytes(std::string(32, fill))).value();
}

TEST(Ed25519VerifierKeysTest, AnAddedKeyVerifiesFromThenOnAndNothingElseChangesIt) {
  const auto a = key_of('a'), b = key_of('b'), joined = key_of('j');
  auto verifier = std::move(Ed25519Verifier::create({a.public_key().bytes(), b.public_key().bytes()})).value();
  const Bytes msg = {'h', 'i'};
  EXPECT_TRUE(verifier->verify(0, msg, a.sign(msg)));
  EXPECT_TRUE(verifier->verify(1, msg, b.sign(msg)));
  EXPECT_FALSE(verifier->verify(7, msg, joined.sign(msg)));
  EXPECT_FALSE(verifier->knows(7));
  ASSERT_TRUE(verifier->add_key(7, joined.public_key().bytes()).ok());
  EXPECT_TRUE(verifier->knows(7));
  EXPECT_FALSE(verifier->knows(5));  // the ids between stay unknown
  EXPECT_FALSE(verifier->verify(5, msg, joined.sign(msg)));
  EXPECT_TRUE(verifier->verify(7, msg, joined.sign(msg)));
  EXPECT_FALSE(verifier->verify(7, msg, a.sign(msg)));
  EXPECT_TRUE(verifier->add_key(7, joined.public_key().bytes()).ok());  // the same key again

  EXPECT_EQ(verifier->add_key(7, a.public_key().bytes()).code(), ErrorCode::kInvalidInput);  // ids are never reused
  EXPECT_EQ(verifier->add_key(1, joined.public_key().bytes()).code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(verifier->add_key(Ed25519Verifier::kMaxReplicaId + 1, joined.public_key().bytes()).code(),
            ErrorCode::kInvalidInput);
  EXPECT_FALSE(verifier->knows(Ed25519Verifier::kMaxReplicaId + 1));
  EXPECT_TRUE(verifier->verify(7, msg, joined.sign(msg)));
  EXPECT_TRUE(verifier->verify(1, msg, b.sign(msg)));
}

}  // namespace
}  // namespace hc::consensus::verifier_keys_test

// Completeness and soundness checks of BBS04 sign / verify.
#include <array>
#include <functional>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/params.h"
#include "crypto/groupsig/issuer.h"
#include "crypto/groupsig/sign.h"
#include "crypto/groupsig/verify.h"
#include "group_fixture.h"

namespace hc::groupsig {
namespace {

using testing::bytes_of;
using testing::make_group;
using testing::scaled;

TEST(SignVerify, ManyMembersAndMessagesVerify) {
  const std::size_t members = scaled(8, 3);
  const std::size_t messages = scaled(4, 2);
  testing::TestGroup g = make_group(members);
  PreparedGroupKey key(g.setup.gpk);
  for (std::size_t i = 0; i < g.members.size(); ++i) {
    Signer signer(g.members[i]);
    for (std::size_t m = 0; m < messages; ++m) {
      Bytes msg = bytes_of("record " + std::to_string(m) + " of member " + std::to_string(i));
      Signature sig = signer.sign(msg);
      EXPECT_EQ(sig.epoch, 0u);
      Status st = verify(key, msg, sig);
      EXPECT_TRUE(st.ok()) << st.to_string();
    }
  }
  // Signers without precomputed tables produce signatures of the same form.
  Signer plain(g.members[0], Precompute::kNone);
  EXPECT_TRUE(verify(key, bytes_of("plain"), plain.sign(bytes_of("plain"))).ok());
  // The empty message is a message too.
  Signature sig = sign(g.members[0], {});
  EXPECT_TRUE(verify(key, {}, sig).ok());
}

TEST(SignVerify, SignatureIs336BytesPlusHeaderAndEpoch) {
  testing::TestGroup g = make_group(1);
  Bytes enc = encode_signature(sign(g.members[0], bytes_of("x")));
  EXPECT_EQ(kSignatureCoreBytes, 336u);
  EXPECT_EQ(enc.size(), kSignatureBytes);
  EXPECT_EQ(enc.size(), 336u + 6u + 8u);
}

TEST(SignVerify, AnyChangeToMessageFails) {
  testing::TestGroup g = make_group(1);
  PreparedGroupKey key(g.setup.gpk);
  Bytes msg = bytes_of("diagnosis: fracture");
  Signature sig = sign(g.members[0], msg);
  ASSERT_TRUE(verify(key, msg, sig).ok());
  const std::size_t flips = scaled(msg.size(), 3);
  for (std::size_t i = 0; i < flips; ++i) {
    Bytes bad = msg;
    bad[i] ^= 0x01;
    EXPECT_EQ(verify(key, bad, sig).code(), ErrorCode::kAuthFailed) << "byte " << i;
  }
  Bytes longer = msg;
  longer.push_back(0);
  EXPECT_FALSE(verify(key, longer, sig).ok());
  Bytes shorter(msg.begin(), msg.end() - 1);
  EXPECT_FALSE(verify(key, shorter, sig).ok());
}

TEST(SignVerify, AnyChangeToAComponentFails) {
  testing::TestGroup g = make_group(1);
  PreparedGroupKey key(g.setup.gpk);
  Bytes msg = bytes_of("m");
  const Signature sig = sign(g.members[0], msg);
  const Fr one = Fr::one();
  const G1 gen = G1::generator();
  std::vector<std::function<void(Signature&)>> edits = {
      [&](Signature& s) { s.t1 = s.t1 + gen; },       [&](Signature& s) { s.t2 = s.t2 + gen; },
      [&](Signature& s) { s.t3 = s.t3 + gen; },       [&](Signature& s) { s.c = s.c + one; },
      [&](Signature& s) { s.s_alpha = s.s_alpha + one; },
      [&](Signature& s) { s.s_beta = s.s_beta + one; },
      [&](Signature& s) { s.s_x = s.s_x + one; },
      [&](Signature& s) { s.s_delta1 = s.s_delta1 + one; },
      [&](Signature& s) { s.s_delta2 = s.s_delta2 + one; },
      [&](Signature& s) { std::swap(s.t1, s.t2); },
      [&](Signature& s) { std::swap(s.s_delta1, s.s_delta2); },
  };
  for (std::size_t i = 0; i < edits.size(); ++i) {
    Signature bad = sig;
    edits[i](bad);
    EXPECT_EQ(verify(key, msg, bad).code(), ErrorCode::kAuthFailed) << "edit " << i;
  }
}

TEST(SignVerify, WrongEpochOrWrongKeyFails) {
  testing::TestGroup g = make_group(1);
  Bytes msg = bytes_of("m");
  const Signature sig = sign(g.members[0], msg);
  Signature other_epoch = sig;
  other_epoch.epoch = 1;
  EXPECT_EQ(verify(PreparedGroupKey(g.setup.gpk), msg, other_epoch).code(),
            ErrorCode::kInvalidInput);
  // The same key relabelled with the signature's new epoch still rejects: the epoch is bound.
  GroupPublicKey relabelled = g.setup.gpk;
  relabelled.epoch = 1;
  EXPECT_EQ(verify(PreparedGroupKey(relabelled), msg, other_epoch).code(), ErrorCode::kAuthFailed);
  // Every field of the public key matters.
  const G1 gen1 = G1::generator();
  const G2 gen2 = G2::generator();
  std::vector<std::function<void(GroupPublicKey&)>> edits = {
      [&](GroupPublicKey& k) { k.g1 = k.g1 + gen1; }, [&](GroupPublicKey& k) { k.g2 = k.g2 + gen2; },
      [&](GroupPublicKey& k) { k.h = k.h + gen1; },   [&](GroupPublicKey& k) { k.u = k.u + gen1; },
      [&](GroupPublicKey& k) { k.v = k.v + gen1; },   [&](GroupPublicKey& k) { k.w = k.w + gen2; },
  };
  for (std::size_t i = 0; i < edits.size(); ++i) {
    GroupPublicKey bad = g.setup.gpk;
    edits[i](bad);
    EXPECT_EQ(verify(PreparedGroupKey(bad), msg, sig).code(), ErrorCode::kAuthFailed) << "edit " << i;
  }
  // Another group's key.
  testing::TestGroup other = make_group(0);
  EXPECT_EQ(verify(PreparedGroupKey(other.setup.gpk), msg, sig).code(), ErrorCode::kAuthFailed);
}

TEST(SignVerify, TwoSignaturesOfOneMemberShareNoComponent) {
  testing::TestGroup g = make_group(1);
  Bytes msg = bytes_of("same message twice");
  std::set<Bytes> seen;
  const std::size_t count = scaled(6, 3);
  for (std::size_t i = 0; i < count; ++i) {
    Bytes enc = encode_signature(sign(g.members[0], msg));
    // Components: 3 points of 48 bytes and 6 scalars of 32 bytes after header and epoch.
    std::size_t off = kHeaderBytes + kEpochBytes;
    for (std::size_t k = 0; k < 9; ++k) {
      std::size_t len = k < 3 ? kG1Bytes : kFrBytes;
      Bytes part(enc.begin() + off, enc.begin() + off + len);
      EXPECT_TRUE(seen.insert(part).second) << "component " << k << " repeated";
      off += len;
    }
  }
}

TEST(SignVerify, IdentityComponentsRejected) {
  testing::TestGroup g = make_group(1);
  Bytes msg = bytes_of("m");
  const Signature sig = sign(g.members[0], msg);
  for (int which = 0; which < 3; ++which) {
    Signature bad = sig;
    (which == 0 ? bad.t1 : which == 1 ? bad.t2 : bad.t3) = G1::identity();
    EXPECT_EQ(verify(PreparedGroupKey(g.setup.gpk), msg, bad).code(), ErrorCode::kInvalidInput);
    EXPECT_EQ(decode_signature(encode_signature(bad)).status().code(), ErrorCode::kInvalidInput);
  }
}

TEST(SignVerify, MemberOfAnotherGroupFails) {
  testing::TestGroup a = make_group(1);
  testing::TestGroup b = make_group(1);
  // b's member signs with a's public key: its (A, x) does not satisfy a's equation.
  MemberKey forged = b.members[0];
  forged.gpk = a.setup.gpk;
  Bytes msg = bytes_of("m");
  EXPECT_EQ(verify(PreparedGroupKey(a.setup.gpk), msg, sign(forged, msg)).code(),
            ErrorCode::kAuthFailed);
}

}  // namespace
}  // namespace hc::groupsig

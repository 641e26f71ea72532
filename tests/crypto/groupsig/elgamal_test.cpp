// BBS04-ElGamal (ElGamal tracing, one opener secret): sign / verify / open round trips,
// tampering with every field and every byte of the signature, wrong keys and messages,
// canonical encodings, revocation epochs, and the single opener's proof and judge.
#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/groupsig/elgamal_encoding.h"
#include "crypto/groupsig/elgamal_keys.h"
#include "crypto/groupsig/elgamal_opening.h"
#include "crypto/groupsig/elgamal_sign.h"
#include "crypto/groupsig/elgamal_verify.h"
#include "group_fixture.h"

namespace hc::groupsig::elgamal {
namespace {

using hc::groupsig::testing::bytes_of;
using hc::groupsig::testing::member_name;
using hc::groupsig::testing::scaled;

struct ElGamalGroup {
  Setup setup;
  std::vector<MemberKey> members;
};

ElGamalGroup make_elgamal_group(std::size_t members) {
  ElGamalGroup g{elgamal::setup(), {}};
  for (std::size_t i = 0; i < members; ++i) {
    Result<MemberKey> key = enroll(g.setup.issuer, g.setup.gpk, g.setup.registry, member_name(i));
    EXPECT_TRUE(key.ok()) << key.status().to_string();
    if (key.ok()) g.members.push_back(key.value());
  }
  return g;
}

bool same_signature(const Signature& a, const Signature& b) {
  return a.epoch == b.epoch && a.t1 == b.t1 && a.t2 == b.t2 && a.r1 == b.r1 && a.r2 == b.r2 &&
         a.r3 == b.r3 && a.s_alpha == b.s_alpha && a.s_x == b.s_x && a.s_delta == b.s_delta;
}

class ElGamalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    g_ = make_elgamal_group(4);
    key_ = std::make_unique<PreparedKey>(g_.setup.gpk);
    msg_ = bytes_of("visit record digest");
  }
  ElGamalGroup g_;
  std::unique_ptr<PreparedKey> key_;
  Bytes msg_;
};

TEST_F(ElGamalTest, SignaturesOfEveryMemberVerify) {
  for (const MemberKey& m : g_.members) {
    Signer signer(m);
    for (std::size_t i = 0; i < scaled(3, 1); ++i) {
      Bytes msg = bytes_of("message " + std::to_string(i));
      Signature sig = signer.sign(msg);
      EXPECT_TRUE(verify(*key_, msg, sig).ok());
    }
    EXPECT_TRUE(verify(*key_, msg_, sign(m, msg_)).ok()) << "one-shot signer";
    EXPECT_TRUE(verify(PreparedKey(g_.setup.gpk, Precompute::kNone), msg_, sign(m, msg_)).ok());
  }
}

TEST_F(ElGamalTest, EncodedSizeIsFourPointsOneGtElementAndThreeScalars) {
  EXPECT_EQ(encode_signature(sign(g_.members[0], msg_)).size(), kSignatureBytes);
  EXPECT_EQ(kSignatureBytes, 878u);
  EXPECT_EQ(encode_group_key(g_.setup.gpk).size(), kGroupKeyBytes);
}

TEST_F(ElGamalTest, WrongMessageIsRejected) {
  Signature sig = sign(g_.members[0], msg_);
  EXPECT_EQ(verify(*key_, bytes_of("another message"), sig).code(), ErrorCode::kAuthFailed);
  EXPECT_EQ(verify(*key_, Bytes{}, sig).code(), ErrorCode::kAuthFailed);
}

TEST_F(ElGamalTest, WrongGroupKeyIsRejected) {
  Signature sig = sign(g_.members[0], msg_);
  ElGamalGroup other = make_elgamal_group(1);
  EXPECT_EQ(verify(PreparedKey(other.setup.gpk), msg_, sig).code(), ErrorCode::kAuthFailed);
  // The same issuer with another opener key: the challenge binds h.
  GroupKey reopened = with_opener_key(g_.setup.gpk, other.setup.gpk.h).value();
  EXPECT_EQ(verify(PreparedKey(reopened), msg_, sig).code(), ErrorCode::kAuthFailed);
  // A member of another group does not sign for this one.
  EXPECT_EQ(verify(*key_, msg_, sign(other.members[0], msg_)).code(), ErrorCode::kAuthFailed);
}

TEST_F(ElGamalTest, EveryFieldOfTheSignatureIsBound) {
  const Signature good = Signer(g_.members[1]).sign(msg_);
  ASSERT_TRUE(verify(*key_, msg_, good).ok());
  const G1 g = G1::generator();
  const Fr one = Fr::one();
  std::vector<std::pair<std::string, Signature>> tampered;
  auto add = [&](const std::string& name, auto change) {
    Signature s = good;
    change(s);
    tampered.emplace_back(name, s);
  };
  add("T1", [&](Signature& s) { s.t1 = s.t1 + g; });
  add("T2", [&](Signature& s) { s.t2 = s.t2 + g; });
  add("R1", [&](Signature& s) { s.r1 = s.r1 + g; });
  add("R2", [&](Signature& s) { s.r2 = s.r2 + g; });
  add("R3", [&](Signature& s) { s.r3 = s.r3 * bls12_381::pairing(g, G2::generator()); });
  add("swap R1 R2", [&](Signature& s) { std::swap(s.r1, s.r2); });
  add("s_alpha", [&](Signature& s) { s.s_alpha = s.s_alpha + one; });
  add("s_x", [&](Signature& s) { s.s_x = s.s_x + one; });
  add("s_delta", [&](Signature& s) { s.s_delta = s.s_delta + one; });
  add("swap T1 T2", [&](Signature& s) { std::swap(s.t1, s.t2); });
  for (const auto& [name, sig] : tampered) {
    EXPECT_EQ(verify(*key_, msg_, sig).code(), ErrorCode::kAuthFailed) << name;
  }
  Signature later = good;
  later.epoch = 1;
  EXPECT_EQ(verify(*key_, msg_, later).code(), ErrorCode::kInvalidInput);
  Signature identity = good;
  identity.t1 = G1::identity();
  EXPECT_EQ(verify(*key_, msg_, identity).code(), ErrorCode::kInvalidInput);
}

TEST_F(ElGamalTest, EveryByteOfTheEncodingIsBound) {
  const Bytes good = encode_signature(sign(g_.members[2], msg_));
  for (std::size_t i = 0; i < good.size(); ++i) {
    for (std::uint8_t flip : {std::uint8_t{0x01}, std::uint8_t{0x80}}) {
      Bytes bad = good;
      bad[i] ^= flip;
      Result<Signature> sig = decode_signature(bad);
      if (!sig.ok()) {
        EXPECT_EQ(sig.status().code(), ErrorCode::kInvalidInput);
        continue;
      }
      EXPECT_FALSE(verify(*key_, msg_, sig.value()).ok()) << "byte " << i << " flip " << int(flip);
    }
  }
}

TEST_F(ElGamalTest, SignaturesOfOneMemberShareNoComponent) {
  Signer signer(g_.members[0]);
  Signature a = signer.sign(msg_);
  Signature b = signer.sign(msg_);
  EXPECT_FALSE(a.t1 == b.t1);
  EXPECT_FALSE(a.t2 == b.t2);
  EXPECT_FALSE(a.r1 == b.r1);
  EXPECT_FALSE(a.r2 == b.r2);
  EXPECT_FALSE(a.r3 == b.r3);
  EXPECT_FALSE(a.s_x == b.s_x);
}

TEST_F(ElGamalTest, EncodingsRoundTripExactly) {
  const Signature sig = sign(g_.members[0], msg_);
  const Bytes encoded = encode_signature(sig);
  Result<Signature> back = decode_signature(encoded);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_TRUE(same_signature(back.value(), sig));
  EXPECT_EQ(encode_signature(back.value()), encoded);
  const Bytes gpk = encode_group_key(g_.setup.gpk);
  Result<GroupKey> gpk_back = decode_group_key(gpk);
  ASSERT_TRUE(gpk_back.ok());
  EXPECT_TRUE(gpk_back->h == g_.setup.gpk.h && gpk_back->u == g_.setup.gpk.u && gpk_back->w == g_.setup.gpk.w);
  EXPECT_EQ(encode_group_key(gpk_back.value()), gpk);
  Opening opening = open(*key_, g_.setup.opener, g_.setup.registry, msg_, sig).value();
  const Bytes proof = encode_opening_proof(opening.proof);
  Result<OpeningProof> proof_back = decode_opening_proof(proof);
  ASSERT_TRUE(proof_back.ok());
  EXPECT_EQ(proof_back->member, opening.proof.member);
  EXPECT_TRUE(proof_back->proof.c == opening.proof.proof.c && proof_back->proof.z == opening.proof.proof.z);
  EXPECT_EQ(encode_opening_proof(proof_back.value()), proof);
}

// Every strict prefix, one byte more, and each header byte changed: kInvalidInput.
template <typename Decode>
void expect_strict_elgamal(const Bytes& good, Decode decode, const std::string& what) {
  ASSERT_TRUE(decode(good).ok()) << what;
  for (std::size_t n = 0; n < good.size(); ++n) {
    auto r = decode(ByteSpan(good.data(), n));
    ASSERT_FALSE(r.ok()) << what << " prefix " << n;
    EXPECT_EQ(r.status().code(), ErrorCode::kInvalidInput);
    EXPECT_NE(r.status().message().find(what), std::string::npos) << r.status().message();
  }
  Bytes longer = good;
  longer.push_back(0);
  EXPECT_NE(decode(longer).status().message().find("trailing"), std::string::npos);
  for (std::size_t i = 0; i < kHeaderBytes; ++i) {
    Bytes bad = good;
    bad[i] ^= 0x40;
    EXPECT_FALSE(decode(bad).ok()) << what << " header byte " << i;
  }
}

TEST_F(ElGamalTest, NonCanonicalEncodingsAreRejected) {
  const Signature sig = sign(g_.members[0], msg_);
  const Bytes good = encode_signature(sig);
  expect_strict_elgamal(good, [](ByteSpan b) { return decode_signature(b); }, "BBS04-ElGamal signature");
  expect_strict_elgamal(encode_group_key(g_.setup.gpk), [](ByteSpan b) { return decode_group_key(b); },
                        "BBS04-ElGamal group key");
  Opening opening = open(*key_, g_.setup.opener, g_.setup.registry, msg_, sig).value();
  expect_strict_elgamal(encode_opening_proof(opening.proof), [](ByteSpan b) { return decode_opening_proof(b); },
                        "BBS04-ElGamal opening proof");
  // A BBS04 signature is not a BBS04-ElGamal one (other magic), and the other way round.
  const std::size_t t1 = kHeaderBytes + kEpochBytes;
  const std::size_t r3 = t1 + 4 * kG1Bytes;
  const std::size_t s0 = r3 + kGtBytes;
  // Each scalar set to all-ones bytes, which is >= r.
  for (std::size_t k = 0; k < 3; ++k) {
    Bytes bad = good;
    std::fill(bad.begin() + static_cast<std::ptrdiff_t>(s0 + k * kFrBytes),
              bad.begin() + static_cast<std::ptrdiff_t>(s0 + (k + 1) * kFrBytes), 0xff);
    EXPECT_EQ(decode_signature(bad).status().code(), ErrorCode::kInvalidInput) << "scalar " << k;
  }
  // T1 or T2 the identity (compressed infinity: 0xc0 then zeros).
  for (std::size_t p = 0; p < 2; ++p) {
    Bytes bad = good;
    const auto begin = bad.begin() + static_cast<std::ptrdiff_t>(t1 + p * kG1Bytes);
    std::fill(begin, begin + static_cast<std::ptrdiff_t>(kG1Bytes), 0);
    *begin = 0xc0;
    Result<Signature> r = decode_signature(bad);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.status().message().find("identity"), std::string::npos) << r.status().message();
  }
  // The compression flag cleared: an uncompressed-form marker in a compressed slot.
  for (std::size_t p = 0; p < 4; ++p) {
    Bytes uncompressed_flag = good;
    uncompressed_flag[t1 + p * kG1Bytes] &= 0x7f;
    EXPECT_FALSE(decode_signature(uncompressed_flag).ok()) << "point " << p;
  }
  // R3: a coefficient >= p (all-ones bytes), 1 (in GT: decodes) and -1 (not in GT).
  for (std::size_t k = 0; k < 12; ++k) {
    Bytes bad = good;
    std::fill(bad.begin() + static_cast<std::ptrdiff_t>(r3 + k * 48),
              bad.begin() + static_cast<std::ptrdiff_t>(r3 + (k + 1) * 48), 0xff);
    Result<Signature> r = decode_signature(bad);
    ASSERT_FALSE(r.ok()) << "R3 coefficient " << k;
    EXPECT_NE(r.status().message().find("R3"), std::string::npos) << r.status().message();
  }
  Bytes r3_one = good;
  const auto one_bytes = GT::one().to_bytes();
  std::copy(one_bytes.begin(), one_bytes.end(), r3_one.begin() + static_cast<std::ptrdiff_t>(r3));
  ASSERT_TRUE(decode_signature(r3_one).ok());
  EXPECT_EQ(verify(*key_, msg_, decode_signature(r3_one).value()).code(), ErrorCode::kAuthFailed);
  Bytes r3_minus_one = r3_one;
  // -1 = p - 1 in the first coefficient (big-endian p - 1 = ...aaaa).
  const std::array<std::uint8_t, 48> p_minus_one = {
      0x1a, 0x01, 0x11, 0xea, 0x39, 0x7f, 0xe6, 0x9a, 0x4b, 0x1b, 0xa7, 0xb6, 0x43, 0x4b, 0xac, 0xd7,
      0x64, 0x77, 0x4b, 0x84, 0xf3, 0x85, 0x12, 0xbf, 0x67, 0x30, 0xd2, 0xa0, 0xf6, 0xb0, 0xf6, 0x24,
      0x1e, 0xab, 0xff, 0xfe, 0xb1, 0x53, 0xff, 0xff, 0xb9, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xaa, 0xaa};
  std::copy(p_minus_one.begin(), p_minus_one.end(), r3_minus_one.begin() + static_cast<std::ptrdiff_t>(r3));
  Result<Signature> minus_one = decode_signature(r3_minus_one);
  ASSERT_FALSE(minus_one.ok());
  EXPECT_NE(minus_one.status().message().find("order-r subgroup"), std::string::npos);
  // Version 1 (the challenge form) no longer decodes.
  Bytes v1 = good;
  v1[5] = 1;
  Result<Signature> old = decode_signature(v1);
  ASSERT_FALSE(old.ok());
  EXPECT_NE(old.status().message().find("unsupported version 1"), std::string::npos) << old.status().message();
}

TEST_F(ElGamalTest, OpenFindsTheSignerAndTheJudgeAgrees) {
  ElGamalGroup g = make_elgamal_group(scaled(12, 4));
  const PreparedKey key(g.setup.gpk);
  for (std::size_t i = 0; i < g.members.size(); ++i) {
    Signature sig = sign(g.members[i], msg_);
    Result<Opening> opening = open(key, g.setup.opener, g.setup.registry, msg_, sig);
    ASSERT_TRUE(opening.ok()) << opening.status().to_string();
    EXPECT_EQ(opening->member, member_name(i));
    EXPECT_TRUE(recover_signer_key(g.setup.opener, sig) == g.members[i].a);
    EXPECT_TRUE(judge(key, g.setup.registry, msg_, sig, opening->proof, member_name(i)).ok());
  }
}

TEST_F(ElGamalTest, JudgeRefusesWrongMemberSignatureOrProof) {
  Signature sig = sign(g_.members[0], msg_);
  Opening opening = open(*key_, g_.setup.opener, g_.setup.registry, msg_, sig).value();
  // Naming another member, with the proof renamed too.
  OpeningProof renamed = opening.proof;
  renamed.member = member_name(1);
  EXPECT_EQ(judge(*key_, g_.setup.registry, msg_, sig, renamed, member_name(1)).code(), ErrorCode::kAuthFailed);
  EXPECT_EQ(judge(*key_, g_.setup.registry, msg_, sig, opening.proof, member_name(1)).code(),
            ErrorCode::kAuthFailed);
  // The proof for another signature of the same member.
  Signature other = sign(g_.members[0], msg_);
  EXPECT_EQ(judge(*key_, g_.setup.registry, msg_, other, opening.proof, member_name(0)).code(),
            ErrorCode::kAuthFailed);
  OpeningProof altered = opening.proof;
  altered.proof.z = altered.proof.z + Fr::one();
  EXPECT_EQ(judge(*key_, g_.setup.registry, msg_, sig, altered, member_name(0)).code(), ErrorCode::kAuthFailed);
  EXPECT_EQ(judge(*key_, g_.setup.registry, msg_, sig, opening.proof, "nobody").code(), ErrorCode::kAuthFailed);
  // The wrong opener secret finds nobody.
  OpenerKey wrong;
  wrong.xi = Fr::random_nonzero();
  EXPECT_EQ(open(*key_, wrong, g_.setup.registry, msg_, sig).status().code(), ErrorCode::kNotFound);
  EXPECT_TRUE(check_opener_matches(g_.setup.opener, g_.setup.gpk).ok());
  EXPECT_FALSE(check_opener_matches(wrong, g_.setup.gpk).ok());
}

TEST_F(ElGamalTest, RevocationStartsAnEpochInWhichOnlyTheOthersSign) {
  Signature old_sig = sign(g_.members[1], msg_);
  Result<Revocation> rev = revoke(g_.setup.issuer, g_.setup.gpk, g_.setup.registry, member_name(0));
  ASSERT_TRUE(rev.ok()) << rev.status().to_string();
  EXPECT_EQ(rev->gpk.epoch, 1u);
  EXPECT_TRUE(rev->gpk.h == g_.setup.gpk.h && rev->gpk.u == g_.setup.gpk.u) << "tracing part unchanged";
  Result<GroupKey> next = next_group_key(g_.setup.gpk, rev->record);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(encode_group_key(next.value()), encode_group_key(rev->gpk));
  const PreparedKey new_key(rev->gpk);
  Result<MemberKey> updated = update_member_key(g_.members[1], rev->record);
  ASSERT_TRUE(updated.ok()) << updated.status().to_string();
  Signature new_sig = sign(updated.value(), msg_);
  EXPECT_TRUE(verify(new_key, msg_, new_sig).ok());
  Result<Opening> opening = open(new_key, g_.setup.opener, rev->registry, msg_, new_sig);
  ASSERT_TRUE(opening.ok()) << opening.status().to_string();
  EXPECT_EQ(opening->member, member_name(1));
  EXPECT_EQ(update_member_key(g_.members[0], rev->record).status().code(), ErrorCode::kAuthFailed);
  // The revoked member's old key signs for the old epoch only, which the new key refuses.
  EXPECT_EQ(verify(new_key, msg_, sign(g_.members[0], msg_)).code(), ErrorCode::kInvalidInput);
  EXPECT_TRUE(verify(*key_, msg_, old_sig).ok()) << "old-epoch signatures still verify under the old key";
}

}  // namespace
}  // namespace hc::groupsig::elgamal

// BBS04-ElGamal batch verification: a batch accepts exactly what verify() accepts (valid
// batches; one or several bad items at random positions, each field tampered, wrong message,
// epoch or group; duplicates), the random exponents matter (a pair of bad signatures whose
// errors cancel when every exponent is 1), and the encoded entry point refuses what
// decode_signature refuses (points outside the subgroup, the identity, non-canonical
// encodings, R3 outside GT) item by item.
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/groupsig/elgamal_batch_verify.h"
#include "crypto/groupsig/elgamal_challenge.h"
#include "crypto/groupsig/elgamal_encoding.h"
#include "crypto/groupsig/elgamal_keys.h"
#include "crypto/groupsig/elgamal_sign.h"
#include "crypto/groupsig/elgamal_verify.h"
#include "group_fixture.h"

namespace hc::groupsig::elgamal {
namespace {

using hc::groupsig::testing::bytes_of;
using hc::groupsig::testing::member_name;
using hc::groupsig::testing::scaled;

// Test-only exponent sources: a seeded one, and one that always answers 1.
class SeededBatchRandom final : public BatchRandom {
 public:
  explicit SeededBatchRandom(std::uint64_t seed) : rng_(seed) {}
  std::uint64_t next_u64() override { return rng_(); }

 private:
  std::mt19937_64 rng_;
};

class OnesBatchRandom final : public BatchRandom {
 public:
  std::uint64_t next_u64() override { return 1; }
};

class ElGamalBatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    setup_ = elgamal::setup();
    for (std::size_t i = 0; i < 3; ++i) {
      members_.push_back(enroll(setup_.issuer, setup_.gpk, setup_.registry, member_name(i)).value());
      signers_.push_back(std::make_unique<Signer>(members_.back()));
    }
    key_ = std::make_unique<PreparedKey>(setup_.gpk);
  }

  // n valid signatures on distinct messages by rotating members.
  void make_valid(std::size_t n) {
    msgs_.clear();
    sigs_.clear();
    for (std::size_t i = 0; i < n; ++i) {
      msgs_.push_back(bytes_of("record " + std::to_string(i)));
      sigs_.push_back(signers_[i % signers_.size()]->sign(msgs_.back()));
    }
  }

  std::vector<BatchItem> items() const {
    std::vector<BatchItem> out;
    for (std::size_t i = 0; i < sigs_.size(); ++i) out.push_back({msgs_[i], &sigs_[i]});
    return out;
  }

  // The batch's statuses match verify()'s item by item (code and message).
  void expect_batch_matches_single(std::uint64_t seed, const std::string& what) {
    SeededBatchRandom rng(seed);
    const std::vector<BatchItem> its = items();
    const std::vector<Status> got = verify_batch(*key_, its, rng);
    ASSERT_EQ(got.size(), its.size());
    for (std::size_t i = 0; i < its.size(); ++i) {
      const Status single = verify(*key_, msgs_[i], sigs_[i]);
      EXPECT_EQ(got[i].to_string(), single.to_string()) << what << " item " << i;
    }
  }

  elgamal::Setup setup_;
  std::vector<MemberKey> members_;
  std::vector<std::unique_ptr<Signer>> signers_;
  std::unique_ptr<PreparedKey> key_;
  std::vector<Bytes> msgs_;
  std::vector<Signature> sigs_;
};

TEST_F(ElGamalBatchTest, ValidBatchesOfEverySizePass) {
  SeededBatchRandom rng(1);
  EXPECT_TRUE(verify_batch(*key_, {}, rng).empty());
  for (std::size_t n : {std::size_t{1}, std::size_t{2}, std::size_t{7}, scaled(24, 8)}) {
    make_valid(n);
    const std::vector<BatchItem> its = items();
    for (const Status& s : verify_batch(*key_, its, rng)) EXPECT_TRUE(s.ok()) << n << ": " << s.to_string();
  }
}

// Every kind of bad item, each placed alone at a random position of a valid batch.
TEST_F(ElGamalBatchTest, OneBadItemOfEachKindIsFoundAndTheOthersPass) {
  const G1 g = G1::generator();
  const Fr one = Fr::one();
  elgamal::Setup other = elgamal::setup();
  const MemberKey stranger = enroll(other.issuer, other.gpk, other.registry, member_name(0)).value();
  struct Tamper {
    std::string name;
    std::function<void(Signature&, Bytes&)> apply;
  };
  const std::vector<Tamper> tampers = {
      {"T1", [&](Signature& s, Bytes&) { s.t1 = s.t1 + g; }},
      {"T2", [&](Signature& s, Bytes&) { s.t2 = s.t2 + g; }},
      {"R1", [&](Signature& s, Bytes&) { s.r1 = s.r1 + g; }},
      {"R2", [&](Signature& s, Bytes&) { s.r2 = s.r2 + g; }},
      {"R3", [&](Signature& s, Bytes&) { s.r3 = s.r3 * bls12_381::pairing(g, G2::generator()); }},
      {"s_alpha", [&](Signature& s, Bytes&) { s.s_alpha = s.s_alpha + one; }},
      {"s_x", [&](Signature& s, Bytes&) { s.s_x = s.s_x + one; }},
      {"s_delta", [&](Signature& s, Bytes&) { s.s_delta = s.s_delta + one; }},
      {"message", [&](Signature&, Bytes& m) { m.push_back('!'); }},
      {"epoch", [&](Signature& s, Bytes&) { s.epoch += 1; }},
      {"identity T1", [&](Signature& s, Bytes&) { s.t1 = G1::identity(); }},
      {"other group", [&](Signature& s, Bytes& m) { s = sign(stranger, m); }},
  };
  std::mt19937_64 pos_rng(7);
  const std::size_t n = scaled(16, 6);
  make_valid(n);
  const std::vector<Signature> good_sigs = sigs_;
  const std::vector<Bytes> good_msgs = msgs_;
  for (std::size_t t = 0; t < tampers.size(); ++t) {
    sigs_ = good_sigs;
    msgs_ = good_msgs;
    const std::size_t bad = pos_rng() % n;
    tampers[t].apply(sigs_[bad], msgs_[bad]);
    ASSERT_FALSE(verify(*key_, msgs_[bad], sigs_[bad]).ok()) << tampers[t].name;
    expect_batch_matches_single(100 + t, tampers[t].name);
  }
}

TEST_F(ElGamalBatchTest, SeveralBadItemsAtRandomPositionsAreAllFound) {
  const std::size_t n = scaled(24, 8);
  make_valid(n);
  const std::vector<Signature> good_sigs = sigs_;
  std::mt19937_64 rng(11);
  for (std::size_t bad_count : {std::size_t{2}, std::size_t{3}, n / 2, n}) {
    sigs_ = good_sigs;
    for (std::size_t k = 0; k < bad_count; ++k) {
      Signature& s = sigs_[rng() % n];
      s.s_x = s.s_x + Fr::from_u64(1 + k);
    }
    expect_batch_matches_single(200 + bad_count, "bad count " + std::to_string(bad_count));
  }
}

TEST_F(ElGamalBatchTest, DuplicatesAreJudgedLikeTheOriginal) {
  make_valid(4);
  sigs_.push_back(sigs_[1]);
  msgs_.push_back(msgs_[1]);
  expect_batch_matches_single(300, "duplicate good");
  sigs_[2].s_alpha = sigs_[2].s_alpha + Fr::one();
  sigs_.push_back(sigs_[2]);
  msgs_.push_back(msgs_[2]);
  expect_batch_matches_single(301, "duplicate bad");
  SeededBatchRandom rng(302);
  const std::vector<BatchItem> its = items();
  const std::vector<Status> got = verify_batch(*key_, its, rng);
  EXPECT_FALSE(got[2].ok());
  EXPECT_FALSE(got[5].ok());
}

// Two bad signatures whose errors cancel in the sum: s_alpha moved by +delta in one and by
// -delta in the other (s_alpha does not enter the challenge). With every exponent 1 the batch
// equation holds and both would be accepted; random exponents catch both.
TEST_F(ElGamalBatchTest, RandomExponentsCatchErrorsThatCancelWhenAllExponentsAreOne) {
  make_valid(6);
  const Fr delta = Fr::from_u64(12345);
  sigs_[1].s_alpha = sigs_[1].s_alpha + delta;
  sigs_[4].s_alpha = sigs_[4].s_alpha - delta;
  ASSERT_FALSE(verify(*key_, msgs_[1], sigs_[1]).ok());
  ASSERT_FALSE(verify(*key_, msgs_[4], sigs_[4]).ok());
  const std::vector<BatchItem> its = items();
  OnesBatchRandom ones;
  for (const Status& s : verify_batch(*key_, its, ones)) EXPECT_TRUE(s.ok()) << "the crafted pair cancels";
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    SeededBatchRandom rng(seed);
    const std::vector<Status> got = verify_batch(*key_, its, rng);
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].ok(), i != 1 && i != 4) << "seed " << seed << " item " << i;
    }
  }
  SystemBatchRandom system;
  const std::vector<Status> got = verify_batch(*key_, its, system);
  EXPECT_FALSE(got[1].ok());
  EXPECT_FALSE(got[4].ok());
}

// The encoded entry point: each undecodable item fails with decode_signature's reason, the
// others are judged as verify() judges them. With 8 signatures the points are decoded one by
// one; with 40 (160 points) they are decoded together with one randomized subgroup test
// (g1_from_compressed_batch_vartime), which must give the same statuses.
TEST_F(ElGamalBatchTest, EncodedBatchRefusesWhatDecodingRefuses) {
  for (std::size_t n : {std::size_t{8}, std::size_t{40}}) {
    SCOPED_TRACE(n);
    make_valid(n);
    std::vector<Bytes> enc;
    for (const Signature& s : sigs_) enc.push_back(encode_signature(s));
    const std::size_t t1 = kHeaderBytes + kEpochBytes;
    // A point's x moved until the point is on the curve but outside G1.
    auto off_subgroup_at = [](const Bytes& base, std::size_t offset) {
      for (std::uint8_t d = 1; d != 0; ++d) {
        Bytes moved = base;
        moved[offset + kG1Bytes - 1] ^= d;
        Result<Signature> r = decode_signature(moved);
        if (!r.ok() &&
            r.status().message().find("not in the prime-order subgroup") != std::string::npos) {
          return moved;
        }
      }
      return Bytes{};
    };
    Bytes off_subgroup = off_subgroup_at(enc[0], t1);
    ASSERT_FALSE(off_subgroup.empty());
    Bytes off_subgroup_r2 = off_subgroup_at(enc[5], t1 + 3 * kG1Bytes);
    ASSERT_FALSE(off_subgroup_r2.empty());
    Bytes identity = enc[1];
    std::fill(identity.begin() + t1, identity.begin() + t1 + kG1Bytes, 0);
    identity[t1] = 0xc0;
    Bytes flag = enc[2];
    flag[t1 + 2 * kG1Bytes] &= 0x7f;  // R1 with the compression flag cleared
    Bytes gt = enc[3];
    gt[t1 + 4 * kG1Bytes + 100] ^= 1;  // R3 moved off GT
    Bytes truncated(enc[4].begin(), enc[4].end() - 1);
    enc[0] = off_subgroup;
    enc[1] = identity;
    enc[2] = flag;
    enc[3] = gt;
    enc[4] = truncated;
    enc[5] = off_subgroup_r2;
    std::vector<EncodedBatchItem> its;
    for (std::size_t i = 0; i < enc.size(); ++i) its.push_back({msgs_[i], enc[i]});
    SeededBatchRandom rng(400);
    const std::vector<Status> got = verify_batch_encoded(*key_, its, rng);
    ASSERT_EQ(got.size(), enc.size());
    for (std::size_t i = 0; i < 6; ++i) {
      const Result<Signature> single = decode_signature(enc[i]);
      ASSERT_FALSE(single.ok()) << i;
      EXPECT_EQ(got[i].to_string(), single.status().to_string()) << i;
      EXPECT_NE(got[i].to_string().find(error_code_name(ErrorCode::kInvalidInput)), std::string::npos);
    }
    for (std::size_t i = 6; i < enc.size(); ++i) {
      EXPECT_TRUE(got[i].ok()) << i << ": " << got[i].to_string();
    }
  }
}

// Enough signatures for the points to be decoded together, all valid: all accepted, and the
// verdicts equal decode + verify's when one signature is bad in its responses only.
TEST_F(ElGamalBatchTest, EncodedBatchWithPointsDecodedTogetherJudgesLikeSingleVerification) {
  make_valid(36);
  std::vector<Bytes> enc;
  for (const Signature& s : sigs_) enc.push_back(encode_signature(s));
  std::vector<EncodedBatchItem> its;
  for (std::size_t i = 0; i < enc.size(); ++i) its.push_back({msgs_[i], enc[i]});
  SeededBatchRandom rng(36);
  for (const Status& st : verify_batch_encoded(*key_, its, rng)) EXPECT_TRUE(st.ok()) << st.to_string();
  enc[17][enc[17].size() - 1] ^= 1;  // s_delta changed
  its[17] = {msgs_[17], enc[17]};
  const std::vector<Status> got = verify_batch_encoded(*key_, its, rng);
  const Result<Signature> single = decode_signature(enc[17]);
  const Status expect = single.ok() ? verify(*key_, msgs_[17], *single) : single.status();
  EXPECT_FALSE(got[17].ok());
  EXPECT_EQ(got[17].to_string(), expect.to_string());
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (i != 17) {
      EXPECT_TRUE(got[i].ok()) << i;
    }
  }
}

// Every byte of an encoded signature flipped, inside a valid batch: the batch's verdict on it
// equals decode + verify's.
TEST_F(ElGamalBatchTest, EveryByteFlippedInABatchIsJudgedLikeSingleVerification) {
  make_valid(3);
  const Bytes good = encode_signature(sigs_[1]);
  const std::size_t stride = testing::kSanitized ? 37 : 1;
  SeededBatchRandom rng(500);
  for (std::size_t i = 0; i < good.size(); i += stride) {
    Bytes bad = good;
    bad[i] ^= 0x01;
    const Bytes e0 = encode_signature(sigs_[0]);
    const Bytes e2 = encode_signature(sigs_[2]);
    const std::vector<EncodedBatchItem> its = {{msgs_[0], e0}, {msgs_[1], bad}, {msgs_[2], e2}};
    const std::vector<Status> got = verify_batch_encoded(*key_, its, rng);
    Result<Signature> single = decode_signature(bad);
    const Status expect = single.ok() ? verify(*key_, msgs_[1], *single) : single.status();
    EXPECT_FALSE(got[1].ok()) << "byte " << i;
    EXPECT_EQ(got[1].to_string(), expect.to_string()) << "byte " << i;
    EXPECT_TRUE(got[0].ok() && got[2].ok()) << "byte " << i;
  }
}

TEST_F(ElGamalBatchTest, ChallengeFromTheEncodingEqualsTheChallengeOfTheDecodedSignature) {
  make_valid(3);
  for (std::size_t i = 0; i < sigs_.size(); ++i) {
    Signature s = sigs_[i];
    if (i == 1) s.r1 = s.r1 + G1::generator();  // a bad signature hashes the same way
    if (i == 2) s.epoch = 9;
    const Bytes enc = encode_signature(s);
    const Signature back = decode_signature(enc).value();
    const Digest32 md = message_digest(msgs_[i]);
    EXPECT_TRUE(sign_challenge_from_encoding(key_->digest(), md, enc) ==
                sign_challenge(key_->digest(), md, back)) << i;
  }
}

// Records of two keys (two groups standing for two epochs or opener keys) in one block: each
// group is checked under its own key; a signature filed under the wrong key fails alone.
TEST_F(ElGamalBatchTest, GroupedBatchesCheckEachGroupUnderItsOwnKey) {
  make_valid(4);
  elgamal::Setup other = elgamal::setup();
  const MemberKey stranger = enroll(other.issuer, other.gpk, other.registry, member_name(0)).value();
  const PreparedKey other_key(other.gpk);
  std::vector<Bytes> enc_a, enc_b;
  for (const Signature& s : sigs_) enc_a.push_back(encode_signature(s));
  for (std::size_t i = 0; i < 3; ++i) enc_b.push_back(encode_signature(sign(stranger, msgs_[i])));
  std::swap(enc_a[3], enc_b[2]);  // one record of each group filed under the other key
  std::vector<EncodedBatchItem> items_a, items_b;
  for (std::size_t i = 0; i < enc_a.size(); ++i) items_a.push_back({msgs_[i], enc_a[i]});
  for (std::size_t i = 0; i < enc_b.size(); ++i) items_b.push_back({msgs_[i], enc_b[i]});
  items_a[3].message = msgs_[2];  // the swapped-in record was signed on message 2
  items_b[2].message = msgs_[3];
  const std::vector<KeyedBatch> groups = {{key_.get(), items_a}, {&other_key, items_b}};
  SeededBatchRandom rng(600);
  const auto got = verify_batch_grouped(groups, rng);
  ASSERT_EQ(got.size(), 2u);
  ASSERT_EQ(got[0].size(), 4u);
  ASSERT_EQ(got[1].size(), 3u);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(got[0][i].ok(), i != 3) << "group a item " << i;
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(got[1][i].ok(), i != 2) << "group b item " << i;
}

}  // namespace
}  // namespace hc::groupsig::elgamal

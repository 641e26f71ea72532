// Threshold opening of BBS04-ElGamal signatures: partial openings with proofs, combination of
// exactly t, refusal with t - 1, a bad partial opening named, and the evidence check that
// `hc group judge` runs (the honest set accepted, forged sets refused).
#include <string>

#include <gtest/gtest.h>

#include "crypto/groupsig/elgamal_encoding.h"
#include "crypto/groupsig/elgamal_sign.h"
#include "crypto/threshold/opener_encoding.h"
#include "crypto/threshold/opening_evidence.h"
#include "crypto/threshold/partial_opening.h"
#include "opener_fixture.h"

namespace hc::crypto::threshold {
namespace {

using testing::make_trustee_opened_group;
using testing::must;
using testing::OpenerDkgRun;
using testing::TrusteeOpenedGroup;
using testing::Trustees;

RequestId request(std::uint8_t fill) {
  RequestId id{};
  id.fill(fill);
  return id;
}

// m = 4, t = 3: trustee 2 dealt a bad share to 3 (disqualified as a dealer, still a trustee),
// trustee 4 offline. Hospital 1 signs; trustees 1, 2, 3 answer request 0x11.
class PartialOpeningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    trustees_ = std::make_unique<Trustees>(4, 3);
    group_ = make_trustee_opened_group(*trustees_, {4}, std::make_pair(std::uint16_t{2}, std::uint16_t{3}), 3, run_);
    key_ = &run_.outcome.key;
    message_ = Bytes{'r', 'e', 'c', 'o', 'r', 'd'};
    sig_ = groupsig::elgamal::sign(group_.members[1], message_);
    for (std::uint16_t j = 1; j <= 3; ++j) partials_.push_back(answer(j, request(0x11), sig_));
  }

  PartialOpening answer(std::uint16_t trustee, const RequestId& id, const groupsig::elgamal::Signature& sig) const {
    return must(make_partial_opening(*key_, trustee, *run_.secret_shares[trustee - 1], id, sig), "partial opening");
  }

  std::unique_ptr<Trustees> trustees_;
  OpenerDkgRun run_;
  TrusteeOpenedGroup group_;
  const OpenerKeyPublic* key_ = nullptr;
  Bytes message_;
  groupsig::elgamal::Signature sig_;
  std::vector<PartialOpening> partials_;
};

TEST_F(PartialOpeningTest, ExactlyTPartialOpeningsFindTheSigner) {
  for (const PartialOpening& p : partials_) EXPECT_TRUE(verify_partial_opening(*key_, request(0x11), sig_, p).ok());
  Result<ThresholdOpening> opening = combine_partial_openings(*key_, group_.setup.registry, request(0x11), sig_, partials_);
  ASSERT_TRUE(opening.ok()) << opening.status().to_string();
  EXPECT_EQ(opening->member, "hospital-1");
  EXPECT_TRUE(opening->a == group_.members[1].a);
  EXPECT_EQ(opening->used, (std::vector<std::uint16_t>{1, 2, 3}));
  EXPECT_TRUE(opening->rejected.empty());
  // Every member's signature opens to that member.
  for (std::size_t i = 0; i < group_.members.size(); ++i) {
    auto sig = groupsig::elgamal::sign(group_.members[i], message_);
    std::vector<PartialOpening> answers;
    for (std::uint16_t j : {3, 1, 2}) answers.push_back(answer(j, request(0x12), sig));
    EXPECT_EQ(combine_partial_openings(*key_, group_.setup.registry, request(0x12), sig, answers)->member,
              "hospital-" + std::to_string(i));
  }
}

TEST_F(PartialOpeningTest, TMinusOneIsRefusedWithTheCount) {
  std::vector<PartialOpening> two(partials_.begin(), partials_.begin() + 2);
  Result<ThresholdOpening> opening = combine_partial_openings(*key_, group_.setup.registry, request(0x11), sig_, two);
  ASSERT_FALSE(opening.ok());
  EXPECT_EQ(opening.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(opening.status().message().find("only 2 valid partial openings of the 3 needed"), std::string::npos)
      << opening.status().message();
  // A repeated answer does not count twice.
  two.push_back(partials_[0]);
  opening = combine_partial_openings(*key_, group_.setup.registry, request(0x11), sig_, two);
  ASSERT_FALSE(opening.ok());
  EXPECT_NE(opening.status().message().find("trustee 1 answered twice"), std::string::npos);
}

TEST_F(PartialOpeningTest, ABadPartialOpeningIsRejectedAndItsTrusteeNamed) {
  std::vector<PartialOpening> answers = partials_;
  answers[1].partial = answers[1].partial + G1::generator();  // trustee 2 lies about D_2
  Result<ThresholdOpening> opening = combine_partial_openings(*key_, group_.setup.registry, request(0x11), sig_, answers);
  ASSERT_FALSE(opening.ok());
  EXPECT_NE(opening.status().message().find("only 2 valid partial openings of the 3 needed (trustee 2 sent a partial "
                                            "opening whose proof fails)"),
            std::string::npos)
      << opening.status().message();
  // A partial opening made with another trustee's share, or for another request or signature.
  PartialOpening borrowed = partials_[0];
  borrowed.trustee = 2;
  EXPECT_EQ(verify_partial_opening(*key_, request(0x11), sig_, borrowed).code(), ErrorCode::kAuthFailed);
  EXPECT_NE(verify_partial_opening(*key_, request(0x22), sig_, partials_[0]).message().find("another request"),
            std::string::npos);
  auto other_sig = groupsig::elgamal::sign(group_.members[1], message_);
  EXPECT_NE(verify_partial_opening(*key_, request(0x11), other_sig, partials_[0]).message().find("another signature"),
            std::string::npos);
  // A secret share that is not the trustee's is refused at the source.
  EXPECT_FALSE(make_partial_opening(*key_, 1, *run_.secret_shares[1], request(0x11), sig_).ok());
}

TEST_F(PartialOpeningTest, AProofIsBoundToItsRequestChainAndKeyEpoch) {
  // Relabelled consistently (fields and the verifier's expectation agree), the proof fails:
  // the request id, chain id and key epoch are inside its Fiat-Shamir context.
  PartialOpening relabelled = partials_[0];
  relabelled.request_id = request(0x22);
  EXPECT_EQ(verify_partial_opening(*key_, request(0x22), sig_, relabelled).code(), ErrorCode::kAuthFailed);
  OpenerKeyPublic other_chain = *key_;
  other_chain.chain_id.fill(0x77);
  relabelled = partials_[0];
  relabelled.chain_id = other_chain.chain_id;
  EXPECT_EQ(verify_partial_opening(other_chain, request(0x11), sig_, relabelled).code(), ErrorCode::kAuthFailed);
  OpenerKeyPublic other_epoch = *key_;
  other_epoch.epoch += 1;
  relabelled = partials_[0];
  relabelled.epoch = other_epoch.epoch;
  EXPECT_EQ(verify_partial_opening(other_epoch, request(0x11), sig_, relabelled).code(), ErrorCode::kAuthFailed);
}

TEST_F(PartialOpeningTest, EvidenceOfTheHonestSetIsAccepted) {
  const groupsig::elgamal::PreparedKey group_key(group_.gpk);
  EXPECT_TRUE(check_opening_evidence(group_key, *key_, group_.setup.registry, request(0x11), message_, sig_,
                                     partials_, "hospital-1")
                  .ok());
}

TEST_F(PartialOpeningTest, ForgedEvidenceIsRefused) {
  const groupsig::elgamal::PreparedKey group_key(group_.gpk);
  const groupsig::Registry& registry = group_.setup.registry;
  auto check = [&](const std::vector<PartialOpening>& evidence, std::string_view member,
                   const RequestId& id = request(0x11)) {
    return check_opening_evidence(group_key, *key_, registry, id, message_, sig_, evidence, member);
  };
  EXPECT_EQ(check(partials_, "hospital-0").code(), ErrorCode::kAuthFailed) << "another member";
  EXPECT_EQ(check(partials_, "nobody").code(), ErrorCode::kNotFound);
  std::vector<PartialOpening> forged = partials_;
  forged[2].partial = forged[2].partial + G1::generator();
  Status st = check(forged, "hospital-1");
  EXPECT_EQ(st.code(), ErrorCode::kAuthFailed);
  EXPECT_NE(st.message().find("trustee 3"), std::string::npos) << st.message();
  // A forged D with a proof re-made by someone who knows no share cannot pass either: here
  // the proof of trustee 1 pasted onto trustee 3's slot.
  forged = partials_;
  forged[2].proof = partials_[0].proof;
  EXPECT_EQ(check(forged, "hospital-1").code(), ErrorCode::kAuthFailed);
  std::vector<PartialOpening> too_few(partials_.begin(), partials_.begin() + 2);
  EXPECT_EQ(check(too_few, "hospital-1").code(), ErrorCode::kInvalidInput);
  std::vector<PartialOpening> repeated = {partials_[0], partials_[1], partials_[1]};
  EXPECT_EQ(check(repeated, "hospital-1").code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(check(partials_, "hospital-1", request(0x99)).code(), ErrorCode::kInvalidInput) << "another request";
  // Another message: the signature does not verify.
  EXPECT_EQ(check_opening_evidence(group_key, *key_, registry, request(0x11), Bytes{'x'}, sig_, partials_,
                                   "hospital-1")
                .code(),
            ErrorCode::kAuthFailed);
  // Public shares that do not interpolate to h are refused.
  OpenerKeyPublic forged_key = *key_;
  forged_key.public_shares[3] = forged_key.public_shares[3] + G1::generator();
  EXPECT_EQ(check_opening_evidence(group_key, forged_key, registry, request(0x11), message_, sig_, partials_,
                                   "hospital-1")
                .code(),
            ErrorCode::kInvalidInput);
}

TEST_F(PartialOpeningTest, EncodingIsCanonical) {
  const Bytes encoded = encode_partial_opening(partials_[0]);
  EXPECT_EQ(encoded.size(), kPartialOpeningBytes);
  Result<PartialOpening> back = decode_partial_opening(encoded);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(back->trustee, partials_[0].trustee);
  EXPECT_EQ(back->request_id, partials_[0].request_id);
  EXPECT_EQ(back->signature_digest, partials_[0].signature_digest);
  EXPECT_TRUE(back->partial == partials_[0].partial);
  EXPECT_TRUE(back->proof.c == partials_[0].proof.c && back->proof.z == partials_[0].proof.z);
  EXPECT_EQ(encode_partial_opening(back.value()), encoded);
  EXPECT_TRUE(verify_partial_opening(*key_, request(0x11), sig_, back.value()).ok());
  for (std::size_t n = 0; n < encoded.size(); ++n) EXPECT_FALSE(decode_partial_opening(ByteSpan(encoded.data(), n)).ok());
  Bytes longer = encoded;
  longer.push_back(0);
  EXPECT_FALSE(decode_partial_opening(longer).ok());
  const std::size_t trustee_at = 4 + kPartialOpeningTag.size() + 32 + 8 + 32 + 32;
  const std::size_t d_at = trustee_at + 2;
  Bytes zero_trustee = encoded;
  zero_trustee[trustee_at + 1] = 0;
  EXPECT_FALSE(decode_partial_opening(zero_trustee).ok());
  Bytes identity = encoded;
  std::fill(identity.begin() + d_at, identity.begin() + d_at + 48, 0);
  identity[d_at] = 0xc0;
  EXPECT_FALSE(decode_partial_opening(identity).ok());
  for (std::size_t s = 0; s < 2; ++s) {
    Bytes big = encoded;
    std::fill(big.begin() + d_at + 48 + s * 32, big.begin() + d_at + 48 + (s + 1) * 32, 0xff);
    EXPECT_FALSE(decode_partial_opening(big).ok()) << "scalar " << s;
  }
  Bytes tag = encoded;
  tag[5] ^= 1;
  EXPECT_FALSE(decode_partial_opening(tag).ok());
  // Every byte of a valid encoding is bound: a flipped byte either fails to decode or to verify.
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    Bytes bad = encoded;
    bad[i] ^= 0x01;
    Result<PartialOpening> p = decode_partial_opening(bad);
    if (p.ok()) {
      EXPECT_FALSE(verify_partial_opening(*key_, request(0x11), sig_, p.value()).ok()) << "byte " << i;
    }
  }
}

TEST_F(PartialOpeningTest, EvidenceAndOpenerKeyTravelInCanonicalEncodings) {
  std::vector<PartialOpening> evidence = {partials_[2], partials_[0], partials_[1]};
  sort_evidence(evidence);
  const Bytes encoded = encode_opening_evidence(evidence);
  Result<std::vector<PartialOpening>> back = decode_opening_evidence(encoded);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(encode_opening_evidence(back.value()), encoded);
  const Bytes key_bytes = encode_opener_key(*key_);
  Result<OpenerKeyPublic> key = decode_opener_key(key_bytes);
  ASSERT_TRUE(key.ok()) << key.status().to_string();
  EXPECT_EQ(encode_opener_key(key.value()), key_bytes);
  // What a judge does with the two files: decode, then check.
  const groupsig::elgamal::PreparedKey group_key(group_.gpk);
  EXPECT_TRUE(check_opening_evidence(group_key, key.value(), group_.setup.registry, request(0x11), message_, sig_,
                                     back.value(), "hospital-1")
                  .ok());
  for (std::size_t n = 0; n < encoded.size(); n += 5) {
    EXPECT_FALSE(decode_opening_evidence(ByteSpan(encoded.data(), n)).ok()) << "prefix " << n;
  }
  for (std::size_t n = 0; n < key_bytes.size(); n += 5) {
    EXPECT_FALSE(decode_opener_key(ByteSpan(key_bytes.data(), n)).ok()) << "prefix " << n;
  }
  Bytes longer = encoded;
  longer.push_back(0);
  EXPECT_FALSE(decode_opening_evidence(longer).ok());
  // Out of order or repeated trustees: two encodings of one set would be two ids of it.
  const std::size_t count_at = 4 + std::string_view("HC-OPENING-EVIDENCE-v1").size();
  const std::size_t first = count_at + 2;
  Bytes swapped = encoded;
  std::copy(encoded.begin() + static_cast<std::ptrdiff_t>(first + kPartialOpeningBytes),
            encoded.begin() + static_cast<std::ptrdiff_t>(first + 2 * kPartialOpeningBytes),
            swapped.begin() + static_cast<std::ptrdiff_t>(first));
  std::copy(encoded.begin() + static_cast<std::ptrdiff_t>(first),
            encoded.begin() + static_cast<std::ptrdiff_t>(first + kPartialOpeningBytes),
            swapped.begin() + static_cast<std::ptrdiff_t>(first + kPartialOpeningBytes));
  Result<std::vector<PartialOpening>> unsorted = decode_opening_evidence(swapped);
  ASSERT_FALSE(unsorted.ok());
  EXPECT_NE(unsorted.status().message().find("strictly increasing"), std::string::npos);
  Bytes empty = encoded;
  empty.resize(first);
  empty[count_at + 1] = 0;
  EXPECT_FALSE(decode_opening_evidence(empty).ok());
  // An opener key whose last public share is off the polynomial, or t > m.
  Bytes forged = key_bytes;
  OpenerKeyPublic off = *key_;
  off.public_shares.back() = off.public_shares.back() + G1::generator();
  Result<OpenerKeyPublic> off_key = decode_opener_key(encode_opener_key(off));
  ASSERT_FALSE(off_key.ok());
  EXPECT_NE(off_key.status().message().find("off the shares' polynomial"), std::string::npos)
      << off_key.status().message();
  const std::size_t t_at = 4 + std::string_view("HC-OPENER-KEY-v1").size() + 32 + 8;
  forged[t_at + 1] = 5;
  EXPECT_FALSE(decode_opener_key(forged).ok());
}

// m = 7, t = 5: trustee 3 cheats as a dealer, trustee 7 is offline; five of the six others open.
TEST(PartialOpeningSevenTest, FiveOfSevenOpenAndFourDoNot) {
  Trustees trustees(7, 5);
  OpenerDkgRun run;
  TrusteeOpenedGroup group =
      make_trustee_opened_group(trustees, {7}, std::make_pair(std::uint16_t{3}, std::uint16_t{5}), 2, run);
  const Bytes message{'m'};
  auto sig = groupsig::elgamal::sign(group.members[0], message);
  std::vector<PartialOpening> answers;
  for (std::uint16_t j : {2, 3, 4, 5, 6}) {
    answers.push_back(must(make_partial_opening(run.outcome.key, j, *run.secret_shares[j - 1], request(1), sig), "po"));
  }
  Result<ThresholdOpening> opening = combine_partial_openings(run.outcome.key, group.setup.registry, request(1), sig, answers);
  ASSERT_TRUE(opening.ok()) << opening.status().to_string();
  EXPECT_EQ(opening->member, "hospital-0");
  const groupsig::elgamal::PreparedKey group_key(group.gpk);
  EXPECT_TRUE(check_opening_evidence(group_key, run.outcome.key, group.setup.registry, request(1), message, sig,
                                     answers, "hospital-0")
                  .ok());
  answers.pop_back();
  opening = combine_partial_openings(run.outcome.key, group.setup.registry, request(1), sig, answers);
  ASSERT_FALSE(opening.ok());
  EXPECT_NE(opening.status().message().find("only 4 valid partial openings of the 5 needed"), std::string::npos);
}

}  // namespace
}  // namespace hc::crypto::threshold

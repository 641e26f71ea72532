// Decryption shares: a record sealed to the DKG's key opens with exactly t verified shares
// and not with t-1; a bad share is named and set aside; replays for another request or
// record are refused; shares travel boxed to the requester's one-time key; every decoder's
// bad input.
#include <gtest/gtest.h>

#include "crypto/p256_kem.h"
#include "crypto/sealed_record_v2.h"
#include "crypto/threshold/combine.h"
#include "dkg_fixture.h"

namespace hc::crypto::threshold {
namespace {

using testing::DkgRun;
using testing::Trustees;
using testing::run_dkg;

struct Scenario {
  Trustees trustees;
  DkgRun run;
  Visit visit = make_visit("2026-11-29T10:00:00Z", "asthma, inhaler renewed", std::nullopt).value();
  SealedRecordV2 record;
  P256Point ephemeral = P256Point::generator();
  RequestId request{};

  Scenario(std::uint16_t m, std::uint16_t t, std::set<std::uint16_t> offline = {},
           std::optional<std::pair<std::uint16_t, std::uint16_t>> cheater = std::nullopt)
      : trustees(m, t), run(run_dkg(trustees, offline, cheater)) {
    SerialNumber serial{};
    serial.fill(0x33);
    record = seal_record_v2(visit, serial, run.outcome.key.group_key).value();
    ephemeral = P256Point::decode(record.ephemeral_key).value();
    request.fill(0x77);
  }
  const AccessKeyPublic& key() const { return run.outcome.key; }
  DecryptionShare share_of(std::uint16_t j, const RequestId& req) const {
    return make_decryption_share(key(), j, *run.secret_shares[j - 1], req, ephemeral).value();
  }
  DecryptionShare share_of(std::uint16_t j) const { return share_of(j, request); }
};

void exactly_t_open_and_t_minus_one_do_not(std::uint16_t m, std::uint16_t t) {
  Scenario s(m, t, {m}, std::make_pair(std::uint16_t{2}, std::uint16_t{3}));
  std::vector<DecryptionShare> shares;
  for (std::uint16_t j = 1; j < m && shares.size() < t; ++j) shares.push_back(s.share_of(j));
  ASSERT_EQ(shares.size(), t);
  auto combined = combine_decryption_shares(s.key(), s.request, s.ephemeral, shares);
  ASSERT_TRUE(combined.ok()) << combined.status().to_string();
  auto visit = open_record_v2_with_shared_point(s.record, combined->shared);
  ASSERT_TRUE(visit.ok()) << visit.status().to_string();
  EXPECT_EQ(*visit, s.visit);

  shares.pop_back();
  auto refused = combine_decryption_shares(s.key(), s.request, s.ephemeral, shares);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(), "only " + std::to_string(t - 1) + " valid decryption shares of the " +
                                            std::to_string(t) + " needed");
}

TEST(DecryptionShares, FourTrusteesExactlyThreeOpenTwoDoNot) { exactly_t_open_and_t_minus_one_do_not(4, 3); }
TEST(DecryptionShares, SevenTrusteesExactlyFiveOpenFourDoNot) { exactly_t_open_and_t_minus_one_do_not(7, 5); }

TEST(DecryptionShares, AnyTSubsetGivesTheSamePoint) {
  Scenario s(5, 3);
  auto a = combine_decryption_shares(s.key(), s.request, s.ephemeral, {s.share_of(1), s.share_of(2), s.share_of(3)});
  auto b = combine_decryption_shares(s.key(), s.request, s.ephemeral, {s.share_of(5), s.share_of(3), s.share_of(4)});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->shared, b->shared);
  EXPECT_EQ(b->used, (std::vector<std::uint16_t>{3, 4, 5}));
}

TEST(DecryptionShares, ABadShareIsNamedAndTheRestStillCombine) {
  Scenario s(7, 5);
  std::vector<DecryptionShare> shares;
  for (std::uint16_t j = 1; j <= 6; ++j) shares.push_back(s.share_of(j));
  shares[3].partial = shares[3].partial + P256Point::generator();  // trustee 4 lies
  auto combined = combine_decryption_shares(s.key(), s.request, s.ephemeral, shares);
  ASSERT_TRUE(combined.ok()) << combined.status().to_string();
  ASSERT_EQ(combined->rejected.size(), 1u);
  EXPECT_EQ(combined->rejected[0].trustee, 4);
  EXPECT_EQ(combined->rejected[0].reason, "trustee 4 sent a decryption share whose proof fails");
  EXPECT_EQ(combined->used, (std::vector<std::uint16_t>{1, 2, 3, 5, 6}));
  EXPECT_TRUE(open_record_v2_with_shared_point(s.record, combined->shared).ok());

  shares.pop_back();  // now only 4 good ones: a clear refusal naming the liar
  auto refused = combine_decryption_shares(s.key(), s.request, s.ephemeral, shares);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(),
            "only 4 valid decryption shares of the 5 needed (trustee 4 sent a decryption share whose proof fails)");
}

TEST(DecryptionShares, DuplicatesCountOnce) {
  Scenario s(4, 3);
  auto r = combine_decryption_shares(s.key(), s.request, s.ephemeral, {s.share_of(1), s.share_of(1), s.share_of(2)});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("trustee 1 answered twice"), std::string::npos);
}

TEST(DecryptionShares, SharesForAnotherRequestRecordOrKeyAreRefused) {
  Scenario s(4, 3);
  RequestId other_request = s.request;
  other_request[0] ^= 1;
  EXPECT_EQ(verify_decryption_share(s.key(), s.request, s.ephemeral, s.share_of(1, other_request)).message(),
            "trustee 1 answered another request");
  DecryptionShare relabelled = s.share_of(1, other_request);
  relabelled.request_id = s.request;  // a replay relabelled for this request: the proof breaks
  EXPECT_EQ(verify_decryption_share(s.key(), s.request, s.ephemeral, relabelled).code(), ErrorCode::kAuthFailed);
  P256Point other_record = P256Point::base_mul(P256Scalar::random_nonzero());
  EXPECT_FALSE(verify_decryption_share(s.key(), s.request, other_record, s.share_of(1)).ok());
  AccessKeyPublic next_epoch = s.key();
  next_epoch.epoch += 1;
  EXPECT_FALSE(verify_decryption_share(next_epoch, s.request, s.ephemeral, s.share_of(1)).ok());
  DecryptionShare as_other_trustee = s.share_of(1);
  as_other_trustee.trustee = 2;
  EXPECT_FALSE(verify_decryption_share(s.key(), s.request, s.ephemeral, as_other_trustee).ok());
  EXPECT_FALSE(make_decryption_share(s.key(), 2, *s.run.secret_shares[0], s.request, s.ephemeral).ok());
  EXPECT_FALSE(make_decryption_share(s.key(), 5, *s.run.secret_shares[0], s.request, s.ephemeral).ok());
}

TEST(DecryptionShares, BoxedToTheRequestersOneTimeKey) {
  Scenario s(4, 3);
  P256Scalar requester = P256Scalar::random_nonzero();
  P256Point one_time = P256Point::base_mul(requester);
  std::vector<DecryptionShare> received;
  for (std::uint16_t j = 1; j <= 3; ++j) {
    Bytes box = seal_share_to_requester(s.key(), s.share_of(j), one_time).value();
    EXPECT_EQ(box.size(), kDecryptionShareBytes + kBoxOverheadBytes);
    EXPECT_FALSE(open_share_from_trustee(s.key(), s.request, j, P256Scalar::random_nonzero(), box).ok());
    EXPECT_FALSE(open_share_from_trustee(s.key(), s.request, j % 3 + 1, requester, box).ok());
    for (std::size_t i = 0; i < box.size(); i += 7) {
      Bytes altered = box;
      altered[i] ^= 0x01;
      EXPECT_FALSE(open_share_from_trustee(s.key(), s.request, j, requester, altered).ok()) << i;
    }
    received.push_back(open_share_from_trustee(s.key(), s.request, j, requester, box).value());
  }
  auto combined = combine_decryption_shares(s.key(), s.request, s.ephemeral, received);
  ASSERT_TRUE(combined.ok());
  EXPECT_EQ(*open_record_v2_with_shared_point(s.record, combined->shared), s.visit);
}

TEST(DecryptionShareDecoder, RoundTripAndEveryByte) {
  Scenario s(4, 3);
  DecryptionShare share = s.share_of(2);
  Bytes encoded = encode_decryption_share(share);
  ASSERT_EQ(encoded.size(), kDecryptionShareBytes);
  auto back = decode_decryption_share(encoded);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(encode_decryption_share(*back), encoded);
  EXPECT_TRUE(verify_decryption_share(s.key(), s.request, s.ephemeral, *back).ok());
  for (std::size_t n = 0; n < encoded.size(); ++n) {
    EXPECT_FALSE(decode_decryption_share(ByteSpan(encoded).first(n)).ok()) << n;
  }
  Bytes longer = encoded;
  longer.push_back(0);
  EXPECT_FALSE(decode_decryption_share(longer).ok());
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    Bytes altered = encoded;
    altered[i] ^= 0x01;
    auto r = decode_decryption_share(altered);
    if (!r.ok()) continue;
    EXPECT_FALSE(verify_decryption_share(s.key(), s.request, s.ephemeral, *r).ok()) << "byte " << i;
  }
}

TEST(Lagrange, SmallIndexSets) {
  EXPECT_EQ(lagrange_at_zero({1, 2}, 1).value(), P256Scalar::from_u64(2));
  EXPECT_EQ(lagrange_at_zero({1, 2}, 2).value(), P256Scalar() - P256Scalar::from_u64(1));
  EXPECT_FALSE(lagrange_at_zero({1, 2}, 3).ok());
  EXPECT_FALSE(lagrange_at_zero({1, 1, 2}, 1).ok());
  EXPECT_FALSE(lagrange_at_zero({0, 2}, 2).ok());
}

}  // namespace
}  // namespace hc::crypto::threshold

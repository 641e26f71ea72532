#include "node/shared_verifier.h"

#include <gtest/gtest.h>

#include <atomic>

#include "chain/trustee_state.h"

namespace hc::node {
namespace {

// Counts its verifications; a signature is valid when its first byte is 1, of epoch 0 only.
class CountingVerifier final : public chain::RecordSignatureVerifier {
 public:
  explicit CountingVerifier(std::atomic<int>& calls) : calls_(calls) {}
  Status verify(std::uint64_t epoch, const chain::Digest&, ByteSpan signature) const override {
    ++calls_;
    if (epoch != 0) return Status::error(ErrorCode::kNotFound, "unknown epoch");
    if (signature.empty() || signature[0] != 1) return Status::error(ErrorCode::kAuthFailed, "bad signature");
    return Status::ok_status();
  }
  Status check_revocation(std::uint64_t, ByteSpan) const override { return Status::ok_status(); }
  Status apply_revocation(std::uint64_t, ByteSpan) override { return Status::ok_status(); }
  // BBS04-ElGamal: valid (first byte 1) only under key epoch 0's opener key, once refreshed.
  Status verify_under_opener_key(std::uint64_t, std::uint64_t key_epoch, const chain::Digest&,
                                 ByteSpan signature) const override {
    ++calls_;
    if (!refreshed_ || key_epoch != 0) return Status::error(ErrorCode::kNotFound, "no opener key");
    if (signature.empty() || signature[0] != 1) return Status::error(ErrorCode::kAuthFailed, "bad signature");
    return Status::ok_status();
  }
  // Counts each batch call too (the default checks its items one by one, counted above).
  std::vector<Status> verify_under_opener_keys(std::span<const chain::OpenerKeyCheck> checks) const override {
    ++batches;
    batch_items += static_cast<int>(checks.size());
    return chain::RecordSignatureVerifier::verify_under_opener_keys(checks);
  }
  Status refresh_opener_keys(const chain::TrusteeStateView&) override {
    refreshed_ = true;
    return Status::ok_status();
  }

  mutable int batches = 0;
  mutable int batch_items = 0;

 private:
  std::atomic<int>& calls_;
  bool refreshed_ = false;
};

// A view the counting verifier never reads.
class EmptyTrusteeView final : public chain::TrusteeStateView {
 public:
  const chain::Genesis& genesis() const override { return genesis_; }
  const chain::Digest& genesis_hash() const override { return hash_; }
  Result<std::optional<Bytes>> trustee_entry(ByteSpan) const override { return std::optional<Bytes>(); }
  Result<std::vector<std::pair<Bytes, Bytes>>> trustee_entries(ByteSpan, std::size_t) const override {
    return std::vector<std::pair<Bytes, Bytes>>();
  }

 private:
  chain::Genesis genesis_;
  chain::Digest hash_{};
};

TEST(SharedRecordVerifierTest, EachFinalVerdictCostsOneVerification) {
  std::atomic<int> calls{0};
  SharedRecordVerifier verifier(std::make_unique<CountingVerifier>(calls));
  const chain::Digest digest{};
  const Bytes good{1, 2}, bad{2, 2};
  EXPECT_TRUE(verifier.verify(0, digest, good).ok());
  EXPECT_TRUE(verifier.verify(0, digest, good).ok());
  EXPECT_EQ(verifier.verify(0, digest, bad).code(), ErrorCode::kAuthFailed);
  EXPECT_EQ(verifier.verify(0, digest, bad).code(), ErrorCode::kAuthFailed);
  EXPECT_EQ(calls.load(), 2);
  EXPECT_EQ(verifier.pairings_run(), 2u);
  chain::Digest other{};
  other[0] = 7;
  EXPECT_TRUE(verifier.verify(0, other, good).ok());  // another digest is another verification
  EXPECT_EQ(calls.load(), 3);
}

TEST(SharedRecordVerifierTest, AnUnknownEpochIsNotRemembered) {
  std::atomic<int> calls{0};
  SharedRecordVerifier verifier(std::make_unique<CountingVerifier>(calls));
  const Bytes good{1};
  EXPECT_EQ(verifier.verify(1, chain::Digest{}, good).code(), ErrorCode::kNotFound);
  EXPECT_EQ(verifier.verify(1, chain::Digest{}, good).code(), ErrorCode::kNotFound);
  EXPECT_EQ(calls.load(), 2);
}

// Regression: the node's verifier once kept the base class's defaults for the trustees' opener
// keys, so a real node refused every BBS04-ElGamal record ("does not check") and never learned
// an opener key. Both calls reach the wrapped verifier; verdicts are cached per key epoch.
TEST(SharedRecordVerifierTest, OpenerKeyVerificationsAndRefreshesReachTheWrappedVerifier) {
  std::atomic<int> calls{0};
  SharedRecordVerifier verifier(std::make_unique<CountingVerifier>(calls));
  const Bytes good{1};
  EXPECT_EQ(verifier.verify_under_opener_key(0, 0, chain::Digest{}, good).code(), ErrorCode::kNotFound);
  ASSERT_TRUE(verifier.refresh_opener_keys(EmptyTrusteeView()).ok());
  EXPECT_TRUE(verifier.verify_under_opener_key(0, 0, chain::Digest{}, good).ok());
  EXPECT_TRUE(verifier.verify_under_opener_key(0, 0, chain::Digest{}, good).ok());
  EXPECT_EQ(calls.load(), 2) << "the valid verdict is cached";
  EXPECT_EQ(verifier.verify_under_opener_key(0, 1, chain::Digest{}, good).code(), ErrorCode::kNotFound)
      << "a verdict under key epoch 0 is not one under key epoch 1";
  const int before = calls.load();
  EXPECT_TRUE(verifier.verify(0, chain::Digest{}, good).ok());
  EXPECT_EQ(calls.load(), before + 1) << "a BBS04 verdict is not taken from the opener-key entries";
}

// Issue 18 item 2: a block's BBS04-ElGamal checks reach the inner verifier as one batch of the
// ones not yet verified (at admission, through the single check); verdicts are shared both ways.
TEST(SharedRecordVerifierTest, ABatchRunsOnlyTheChecksNotYetVerifiedInOneInnerCall) {
  std::atomic<int> calls{0};
  auto inner = std::make_unique<CountingVerifier>(calls);
  const CountingVerifier& counting = *inner;
  SharedRecordVerifier verifier(std::move(inner));
  ASSERT_TRUE(verifier.refresh_opener_keys(EmptyTrusteeView()).ok());
  chain::Digest d1{}, d2{}, d3{};
  d1[0] = 1;
  d2[0] = 2;
  d3[0] = 3;
  const Bytes good{1}, bad{2};
  ASSERT_TRUE(verifier.verify_under_opener_key(0, 0, d1, good).ok());  // admitted: verified once
  EXPECT_EQ(calls.load(), 1);
  const std::vector<chain::OpenerKeyCheck> block = {
      {0, 0, d1, good}, {0, 0, d2, good}, {0, 0, d3, bad}, {0, 5, d2, good}};
  const std::vector<Status> verdicts = verifier.verify_under_opener_keys(block);
  ASSERT_EQ(verdicts.size(), 4u);
  EXPECT_TRUE(verdicts[0].ok());
  EXPECT_TRUE(verdicts[1].ok());
  EXPECT_EQ(verdicts[2].code(), ErrorCode::kAuthFailed);
  EXPECT_EQ(verdicts[3].code(), ErrorCode::kNotFound);
  EXPECT_EQ(counting.batches, 1);
  EXPECT_EQ(counting.batch_items, 3);  // d1 came from the cache
  EXPECT_EQ(calls.load(), 4);
  EXPECT_EQ(verifier.pairings_run(), 4u);
  // The final verdicts of the batch answer later single checks and batches; kNotFound does not.
  EXPECT_TRUE(verifier.verify_under_opener_key(0, 0, d2, good).ok());
  EXPECT_EQ(verifier.verify_under_opener_key(0, 0, d3, bad).code(), ErrorCode::kAuthFailed);
  EXPECT_EQ(calls.load(), 4);
  const std::vector<Status> again = verifier.verify_under_opener_keys(block);
  EXPECT_EQ(again[3].code(), ErrorCode::kNotFound);
  EXPECT_EQ(counting.batch_items, 4);
  EXPECT_EQ(calls.load(), 5);
}

}  // namespace
}  // namespace hc::node

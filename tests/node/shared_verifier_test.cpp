#include "node/shared_verifier.h"

#include <gtest/gtest.h>

#include <atomic>

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

 private:
  std::atomic<int>& calls_;
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

}  // namespace
}  // namespace hc::node

// The requester's side of a trustees-mode read (docs/threshold.md, "Decryption shares"): a
// one-time P-256 key for the trustees' share boxes, and the opening of version-2 records from
// the trustees' committed decryption_shares answers. Each answer's boxes are opened with the
// one-time secret, each share's proof is checked against the trustee's public share Y_j, t
// valid shares are combined per record and the record is opened; a trustee whose box does not
// open or whose share fails its proof is named, and the others still combine. Fewer than t:
// an error that says how many trustees answered and how many were needed. The secret lives in
// a P256Scalar (wiped on destruction) and never leaves this process. Pure functions over their
// inputs; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "chain/digest.h"
#include "common/bytes.h"
#include "common/status.h"
#include "crypto/p256.h"
#include "crypto/sealed_record_v2.h"
#include "crypto/threshold/combine.h"
#include "crypto/threshold/dkg_outcome.h"
#include "crypto/visit.h"

namespace hc::client {

// A fresh one-time requester key from OpenSSL's DRBG, for one request only. Move-only.
class RequesterKey {
 public:
  static RequesterKey fresh();
  RequesterKey(RequesterKey&&) = default;
  RequesterKey& operator=(RequesterKey&&) = default;
  RequesterKey(const RequesterKey&) = delete;
  RequesterKey& operator=(const RequesterKey&) = delete;

  crypto::P256PointBytes public_key() const { return public_key_; }
  const crypto::P256Scalar& secret() const { return secret_; }

 private:
  RequesterKey(crypto::P256Scalar secret, crypto::P256PointBytes public_key)
      : secret_(std::move(secret)), public_key_(public_key) {}
  crypto::P256Scalar secret_;
  crypto::P256PointBytes public_key_{};
};

// A version-2 record the request names, in the request's order.
struct RecordToRead {
  chain::Digest record_id{};
  crypto::SealedRecordV2 sealed;
};

// One trustee's committed answer: a share box per record, in the request's order.
struct TrusteeAnswer {
  std::uint16_t trustee = 0;
  std::vector<Bytes> share_boxes;
};

struct ReadVisit {
  chain::Digest record_id{};
  crypto::Visit visit;
};

struct ThresholdRead {
  std::vector<ReadVisit> visits;                             // in the request's order
  std::vector<std::uint16_t> answered;                       // every trustee with an answer, ascending
  std::vector<crypto::threshold::RejectedShare> rejected;    // named trustees, one entry each
};

// kInvalidInput when fewer than t trustees gave valid shares for some record ("N trustee(s)
// answered, M with valid decryption shares of the t = T needed: trustee 4: ..."), when an
// answer has the wrong number of boxes for the records (the trustee is named), or when a record
// is not sealed to `key`; kAuthFailed when the combined point does not open a record.
Result<ThresholdRead> read_with_decryption_shares(const crypto::threshold::AccessKeyPublic& key,
                                                  const chain::Digest& request_id,
                                                  const crypto::P256Scalar& requester_secret,
                                                  const std::vector<RecordToRead>& records,
                                                  const std::vector<TrusteeAnswer>& answers);

// "trustee 2: its share box does not open; trustee 4: ..." for the output.
std::string describe_rejected_trustees(const std::vector<crypto::threshold::RejectedShare>& rejected);

}  // namespace hc::client

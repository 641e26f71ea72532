#include "client/access_reader.h"

#include <algorithm>
#include <map>

#include "crypto/threshold/decryption_share.h"

namespace hc::client {

namespace {

namespace th = crypto::threshold;

void name_trustee_once(std::map<std::uint16_t, std::string>& named, std::uint16_t trustee, const std::string& why) {
  named.emplace(trustee, why);  // the first reason found stays
}

std::string reader_count_text(std::size_t n, const char* what) {
  return std::to_string(n) + " " + what + (n == 1 ? "" : "s");
}

}  // namespace

RequesterKey RequesterKey::fresh() {
  crypto::P256Scalar secret = crypto::P256Scalar::random_nonzero();
  const crypto::P256PointBytes public_key = crypto::P256Point::base_mul(secret).encode();
  return RequesterKey(std::move(secret), public_key);
}

std::string describe_rejected_trustees(const std::vector<th::RejectedShare>& rejected) {
  std::string out;
  for (const th::RejectedShare& r : rejected) {
    if (!out.empty()) out += "; ";
    out += "trustee " + std::to_string(r.trustee) + ": " + r.reason;
  }
  return out;
}

Result<ThresholdRead> read_with_decryption_shares(const th::AccessKeyPublic& key, const chain::Digest& request_id,
                                                  const crypto::P256Scalar& requester_secret,
                                                  const std::vector<RecordToRead>& records,
                                                  const std::vector<TrusteeAnswer>& answers) {
  ThresholdRead out;
  std::map<std::uint16_t, std::string> named;  // trustees set aside, and why
  // shares[i]: the decoded shares for record i from trustees whose every box opened.
  std::vector<std::vector<th::DecryptionShare>> shares(records.size());
  for (const TrusteeAnswer& answer : answers) {
    if (std::find(out.answered.begin(), out.answered.end(), answer.trustee) != out.answered.end()) continue;
    out.answered.push_back(answer.trustee);
    if (answer.share_boxes.size() != records.size()) {
      name_trustee_once(named, answer.trustee,
                        "sent " + reader_count_text(answer.share_boxes.size(), "share box") + " for " +
                            reader_count_text(records.size(), "record"));
      continue;
    }
    std::vector<th::DecryptionShare> opened;
    for (std::size_t i = 0; i < records.size(); ++i) {
      auto share = th::open_share_from_trustee(key, request_id, answer.trustee, requester_secret, answer.share_boxes[i]);
      if (!share.ok()) break;
      opened.push_back(std::move(share).value());
    }
    if (opened.size() != records.size()) {
      name_trustee_once(named, answer.trustee, "its share box does not open (not sealed to this request's key)");
      continue;
    }
    for (std::size_t i = 0; i < records.size(); ++i) shares[i].push_back(std::move(opened[i]));
  }
  std::sort(out.answered.begin(), out.answered.end());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const RecordToRead& record = records[i];
    if (record.sealed.key_id != key.key_id) {
      return invalid_input("record " + chain::digest_hex(record.record_id) + " is not sealed to key epoch " +
                           std::to_string(key.epoch) + "'s access key");
    }
    auto ephemeral = crypto::P256Point::decode(record.sealed.ephemeral_key);
    if (!ephemeral.ok()) return invalid_input("record " + chain::digest_hex(record.record_id) + ": bad ephemeral key");
    auto combined = th::combine_decryption_shares(key, request_id, *ephemeral, shares[i]);
    if (combined.ok()) {
      for (const th::RejectedShare& r : combined->rejected) name_trustee_once(named, r.trustee, r.reason);
    }
    if (!combined.ok()) {
      std::vector<th::RejectedShare> so_far;
      for (const auto& [trustee, why] : named) so_far.push_back({trustee, why});
      std::string detail = combined.status().message();
      if (!so_far.empty()) detail += "; before combining: " + describe_rejected_trustees(so_far);
      return invalid_input(reader_count_text(out.answered.size(), "trustee") + " answered of the " +
                           std::to_string(key.threshold) + " needed to read record " +
                           chain::digest_hex(record.record_id) + ": " + detail);
    }
    auto visit = crypto::open_record_v2_with_shared_point(record.sealed, combined->shared);
    if (!visit.ok()) return visit.status().with_context("record " + chain::digest_hex(record.record_id));
    out.visits.push_back(ReadVisit{record.record_id, std::move(visit).value()});
  }
  for (const auto& [trustee, why] : named) out.rejected.push_back({trustee, why});
  return out;
}

}  // namespace hc::client

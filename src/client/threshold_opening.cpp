#include "client/threshold_opening.h"

#include <algorithm>
#include <set>

#include "crypto/groupsig/elgamal_encoding.h"
#include "crypto/threshold/opening_evidence.h"
#include "crypto/threshold/partial_opening.h"

namespace hc::client {

namespace {

namespace th = crypto::threshold;

void name_opening_trustee(std::vector<th::RejectedShare>& rejected, std::uint16_t trustee, const std::string& reason) {
  const bool known = std::any_of(rejected.begin(), rejected.end(),
                                 [&](const th::RejectedShare& r) { return r.trustee == trustee; });
  if (!known) rejected.push_back({trustee, reason});
}

// The partial openings of `record_id` in the answers, decoded; a trustee whose entry does not
// decode or claims another trustee is named instead.
std::vector<th::PartialOpening> partials_for_record(const chain::Digest& record_id,
                                                    const std::vector<OpeningAnswer>& answers,
                                                    std::vector<th::RejectedShare>& rejected) {
  std::vector<th::PartialOpening> out;
  for (const OpeningAnswer& a : answers) {
    for (const chain::PartialOpeningEntry& e : a.partial_openings) {
      if (e.record_id != record_id) continue;
      auto partial = th::decode_partial_opening(e.partial_opening);
      if (!partial.ok()) {
        name_opening_trustee(rejected, a.trustee, "its partial opening does not decode: " + partial.status().message());
      } else if (partial->trustee != a.trustee) {
        name_opening_trustee(rejected, a.trustee, "its partial opening is trustee " + std::to_string(partial->trustee) + "'s");
      } else {
        out.push_back(std::move(partial).value());
      }
    }
  }
  return out;
}

}  // namespace

Result<ThresholdOpenings> open_with_partial_openings(const th::OpenerKeyPublic& key,
                                                     const std::map<std::uint64_t, groupsig::Registry>& registries,
                                                     const chain::Digest& request_id,
                                                     const std::vector<RecordToOpen>& records,
                                                     const std::vector<OpeningAnswer>& answers) {
  ThresholdOpenings out;
  std::set<std::uint16_t> answered;
  for (const OpeningAnswer& a : answers) answered.insert(a.trustee);
  out.answered.assign(answered.begin(), answered.end());
  const std::size_t m = key.public_shares.size();
  for (const RecordToOpen& record : records) {
    HC_ASSIGN_OR_RETURN(groupsig::elgamal::Signature sig, groupsig::elgamal::decode_signature(record.group_signature));
    auto registry = registries.find(sig.epoch);
    if (registry == registries.end()) {
      return invalid_input("no registry of group epoch " + std::to_string(sig.epoch) + " to open a signature against");
    }
    const std::vector<th::PartialOpening> partials = partials_for_record(record.record_id, answers, out.rejected);
    auto opened = th::combine_partial_openings(key, registry->second, request_id, sig, partials);
    if (!opened.ok()) {
      return opened.status().with_context(std::to_string(answered.size()) + " of the " + std::to_string(m) +
                                          " trustees answered");
    }
    for (const th::RejectedShare& r : opened->rejected) name_opening_trustee(out.rejected, r.trustee, r.reason);
    out.records.push_back(OpenedRecord{record.record_id, opened->member, opened->used});
  }
  std::sort(out.rejected.begin(), out.rejected.end(),
            [](const th::RejectedShare& a, const th::RejectedShare& b) { return a.trustee < b.trustee; });
  return out;
}

}  // namespace hc::client

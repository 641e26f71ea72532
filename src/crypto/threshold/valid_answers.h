// Choosing the t answers a threshold combination uses, shared by the access key's decryption
// shares (combine.h) and the opener key's partial openings (opening_evidence.h): each answer's
// proof is checked, a trustee's second answer is refused, every refusal is kept by trustee, and
// with fewer than t valid answers the error says how many were valid and why the others were not.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace hc::crypto::threshold {

struct RejectedShare {
  std::uint16_t trustee = 0;
  std::string reason;
};

// The t valid answers of the lowest trustee indices, ascending. `check(answer)` returns the
// answer's Status; Answer has a `trustee` field. Refusals are appended to `rejected`.
// kInvalidInput: "only N valid <noun> of the t needed (reason; reason)".
template <typename Answer, typename Check>
Result<std::vector<const Answer*>> choose_valid_answers(const std::vector<Answer>& answers, std::size_t threshold,
                                                        std::string_view noun, const Check& check,
                                                        std::vector<RejectedShare>& rejected) {
  std::vector<const Answer*> valid;
  for (const Answer& answer : answers) {
    const Status status = check(answer);
    if (!status.ok()) {
      rejected.push_back({answer.trustee, status.message()});
      continue;
    }
    const bool repeated = std::any_of(valid.begin(), valid.end(),
                                      [&](const Answer* v) { return v->trustee == answer.trustee; });
    if (repeated) {
      rejected.push_back({answer.trustee, "trustee " + std::to_string(answer.trustee) + " answered twice"});
      continue;
    }
    valid.push_back(&answer);
  }
  if (valid.size() < threshold) {
    std::string message = "only " + std::to_string(valid.size()) + " valid " + std::string(noun) + " of the " +
                          std::to_string(threshold) + " needed";
    for (std::size_t i = 0; i < rejected.size(); ++i) message += (i == 0 ? " (" : "; ") + rejected[i].reason;
    if (!rejected.empty()) message += ")";
    return invalid_input(message);
  }
  std::sort(valid.begin(), valid.end(), [](const Answer* a, const Answer* b) { return a->trustee < b->trustee; });
  valid.resize(threshold);
  return valid;
}

}  // namespace hc::crypto::threshold

// tests/vectors/dkg_complaints.json: a DKG transcript with complaints, made by our C++ code
// (src/crypto/threshold/: m = 4, t = 3; dealer 2 deals trustee 3 a bad share and trustee 3's
// complaint convicts it; trustee 4 complains about dealer 1's good share (unfounded); trustee
// 1's complaint about dealer 4 has an altered proof (invalid)), with each complaint's verdict
// (judge_complaint), the qualified dealers and the access key (finalize_dkg).
// tests/web/doctor_page_test.py runs the same transcript through the doctors' page
// (dkg_complaint.js, access_key_trust.js), which must give every verdict and the same key.
// The deals are in the proven form (each box with the proof of its ephemeral secret).
// tests/vectors/dkg_complaints_legacy.json is the same kind of transcript in the legacy form
// (no proofs), written before the proofs: the history of older chains, which our code and the
// page still judge (it is checked here and in the page, never rewritten).
//
// The transcript is random (deals and proofs draw fresh randomness), so the file is written
// once: HC_WRITE_WEB_VECTORS=DIR writes a new one to DIR/dkg_complaints.json (DIR =
// tests/vectors). This test checks the committed file against the C++ code: every deal and
// complaint decodes for the parameters, every verdict and the outcome are what it says.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "common/bytes.h"
#include "crypto/threshold/deal_forms.h"
#include "crypto/threshold/dkg_complaint.h"
#include "crypto/threshold/dkg_deal.h"
#include "crypto/threshold/dkg_outcome.h"
#include "crypto/threshold/dkg_params.h"

namespace hc {
namespace {

using nlohmann::json;
namespace th = crypto::threshold;
using crypto::P256Point;
using crypto::P256Scalar;

template <typename T>
T must(Result<T> r) {
  HC_CHECK(r.ok());
  return std::move(r).value();
}

const char* verdict_name(const Result<th::ComplaintVerdict>& verdict) {
  if (!verdict.ok()) return "invalid";
  return *verdict == th::ComplaintVerdict::kDealerFaulty ? "faulty" : "unfounded";
}

json hex_list(const std::vector<std::uint16_t>& v) { return json(v); }

json make_transcript() {
  th::DkgParams params;
  params.chain_id.fill(0x5c);
  params.epoch = 2;
  params.threshold = 3;
  std::vector<P256Scalar> secrets;
  for (int j = 0; j < 4; ++j) {
    secrets.push_back(P256Scalar::random_nonzero());
    params.trustee_keys.push_back(P256Point::base_mul(secrets.back()));
  }
  std::vector<th::DkgDeal> deals;
  for (std::uint16_t i = 1; i <= 4; ++i) {
    th::DkgDeal deal = must(th::make_deal(params, i));
    if (i == 2) {
      const auto sealed = must(th::seal_dkg_share(params, 2, 3, P256Scalar::random_nonzero()));
      deal.share_boxes[2] = sealed.box;
      deal.box_proofs[2] = sealed.ephemeral_proof;
    }
    deals.push_back(std::move(deal));
  }
  th::DkgComplaint convicting = must(th::make_complaint(params, deals[1], 3, secrets[2]));
  th::DkgComplaint unfounded = must(th::make_complaint(params, deals[0], 4, secrets[3]));
  th::DkgComplaint invalid = must(th::make_complaint(params, deals[3], 1, secrets[0]));
  invalid.proof.response = invalid.proof.response + P256Scalar::from_u64(1);
  json out = {{"chain_id", to_hex(params.chain_id)}, {"epoch", params.epoch}, {"t", params.threshold}};
  for (const auto& key : params.trustee_keys) out["trustee_keys"].push_back(to_hex(key.encode()));
  for (const auto& deal : deals) out["deals"].push_back(to_hex(th::encode_deal(params, deal)));
  for (const auto* c : {&convicting, &unfounded, &invalid}) {
    out["complaints"].push_back(to_hex(th::encode_complaint(params, *c)));
  }
  return out;
}

th::DkgParams params_of(const json& v) {
  th::DkgParams params;
  auto chain_id = must(from_hex(v.at("chain_id").get<std::string>()));
  std::copy(chain_id.begin(), chain_id.end(), params.chain_id.begin());
  params.epoch = v.at("epoch").get<std::uint64_t>();
  params.threshold = v.at("t").get<std::uint16_t>();
  for (const json& k : v.at("trustee_keys")) params.trustee_keys.push_back(must(P256Point::decode(must(from_hex(k.get<std::string>())))));
  return params;
}

// What our code says about a transcript: each verdict, the outcome and the key.
json judge(const json& v) {
  const th::DkgParams params = params_of(v);
  std::vector<std::optional<th::DkgDeal>> deals;
  for (const json& d : v.at("deals")) deals.emplace_back(must(th::decode_deal(params, must(from_hex(d.get<std::string>())))));
  std::vector<th::DkgComplaint> complaints;
  json verdicts = json::array();
  for (const json& c : v.at("complaints")) {
    complaints.push_back(must(th::decode_complaint(params, must(from_hex(c.get<std::string>())))));
    verdicts.push_back(verdict_name(th::judge_complaint(params, *deals[complaints.back().dealer - 1], complaints.back())));
  }
  const th::DkgOutcome outcome = must(th::finalize_dkg(params, deals, complaints));
  return {{"params_digest", to_hex(th::dkg_params_digest(params))},
          {"verdicts", verdicts},
          {"qualified", hex_list(outcome.qualified)},
          {"disqualified", hex_list(outcome.disqualified)},
          {"rejected_complainers", hex_list(outcome.rejected_complainers)},
          {"access_key", to_hex(outcome.key.group_key.encode())},
          {"key_id", to_hex(outcome.key.key_id)}};
}

json load_vectors(const std::string& name = "dkg_complaints.json") {
  std::ifstream in(std::string(HC_SOURCE_DIR) + "/tests/vectors/" + name);
  EXPECT_TRUE(in.good());
  return json::parse(in, nullptr, false);
}

TEST(WebDkgVectors, TheTranscriptJudgesAsTheFileSays) {
  if (const char* dir = std::getenv("HC_WRITE_WEB_VECTORS")) {
    json transcript = make_transcript();
    json expected = judge(transcript);
    json file = {{"version", 1},
                 {"about", "A DKG transcript (m = 4, t = 3) with a convicting, an unfounded and an invalid complaint, "
                           "deals in the proven form, made and judged by src/crypto/threshold/ (tests/web/dkg_vectors_test.cpp, "
                           "HC_WRITE_WEB_VECTORS=DIR), checked by it and by the doctors' page in "
                           "tests/web/doctor_page_test.py. Hex encodings of docs/threshold.md."},
                 {"transcript", transcript},
                 {"expected", expected}};
    std::ofstream(std::string(dir) + "/dkg_complaints.json") << file.dump(1) << "\n";
  }
  const json file = load_vectors();
  ASSERT_FALSE(file.is_discarded());
  const json expected = judge(file.at("transcript"));
  EXPECT_EQ(file.at("expected"), expected);
  EXPECT_EQ(expected.at("verdicts"), json({"faulty", "unfounded", "invalid"}));
  EXPECT_EQ(expected.at("qualified"), json({1, 3, 4}));
  EXPECT_EQ(expected.at("rejected_complainers"), json({1, 4}));
  for (const json& d : file.at("transcript").at("deals")) {
    EXPECT_TRUE(th::is_proven_dkg_deal_encoding(must(from_hex(d.get<std::string>()))));
  }
}

TEST(WebDkgVectors, TheLegacyTranscriptStillJudgesAsItsFileSays) {
  const json file = load_vectors("dkg_complaints_legacy.json");
  ASSERT_FALSE(file.is_discarded());
  for (const json& d : file.at("transcript").at("deals")) {
    EXPECT_FALSE(th::is_proven_dkg_deal_encoding(must(from_hex(d.get<std::string>()))));
  }
  EXPECT_EQ(file.at("expected"), judge(file.at("transcript")));
}

}  // namespace
}  // namespace hc

// The reader's and the judge's side after a resharing (issue 16 item 3), in process with real
// crypto: a 4-hospital trustees chain with an opener key (chain/reshare_chain.h) forms its key,
// a fifth hospital joins and the opener key is reshared 3-of-4 -> 3-of-5 on the chain. The
// client recomputes the resharing from the node's GET /v1/access-key answer (its proven
// announcements and deals, certified by the configuration with the joiner: the change history
// comes from the ledger's GET /v1/consortium/changes answer), and the judge checks a threshold
// opening against the sharing in force at the request's height: new seats' partial openings
// (the joiner's among them) prove the signer of a request committed after the finalizing block
// (they were refused before: the judge checked every opening against the DKG's shares), not of
// one committed before it; the old seats' partial openings no longer prove anything after it.
// The access console lists who answered a request committed after the resharing: the new
// seats, verified under their announced keys (it refused them before: it checked every answer
// against the genesis trustee keys), each named by the member holding it, the joiner by the
// name of its verified join request.
#include <gtest/gtest.h>

#include "chain/change_proof.h"
#include "chain/consensus_parameters.h"
#include "chain/opener_reshare_state.h"
#include "chain/reshare_chain.h"
#include "chain/sealed_record_conversion.h"
#include "chain/trustees_chain.h"
#include "chain/committed_item.h"
#include "client/access_key_trust.h"
#include "client/console_app.h"
#include "client/genesis_trust.h"
#include "client/threshold_opening_judge.h"
#include "crypto/groupsig/elgamal_encoding.h"
#include "crypto/groupsig/elgamal_keys.h"
#include "crypto/groupsig/elgamal_sign.h"
#include "crypto/sealed_record_v2.h"
#include "crypto/serial_number.h"
#include "node/access_key_answer.h"
#include "node/trustee_duties.h"

namespace hc::client {
namespace {

namespace th = crypto::threshold;
namespace eg = groupsig::elgamal;
using chain::testing::ReshareChain;

class ResharedOpeningJudgeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    chain_.form_key();
    chain_.advance_to(chain::membership_change_boundary(chain_.join('e', "hospital-e")));
    const chain::ReshareRun run = chain_.latest_run();
    ASSERT_TRUE(run.with_opener);
    const chain::ReshareSchedule schedule = chain::testing::schedule_when_all_announce(run);
    std::vector<Bytes> keys;
    for (std::uint32_t member : run.members) keys.push_back(chain_.key_tx(run, member));
    chain_.commit_ok(std::move(keys));
    chain_.advance_to(schedule.last_key_height);
    const chain::ReshareSetting setting = chain_.setting(run);
    const th::OpenerReshareParams params =
        chain::opener_reshare_params_for(chain_.view(), run, chain_.height()).value();
    std::vector<Bytes> deals;
    std::vector<std::optional<th::OpenerReshareDeal>> opener_deals;
    for (std::uint16_t i = 1; i <= 4; ++i) {
      deals.push_back(chain_.deal_tx(setting, chain_.deal(setting, i)));
      const auto decoded = std::get<chain::ReshareDealTx>(chain::decode_transaction(deals.back()).value());
      opener_deals.push_back(th::decode_reshare_deal(params, decoded.opener_deal).value());
    }
    chain_.commit_ok(std::move(deals));
    finalize_height_ = schedule.finalize_height;
    chain_.advance_to(finalize_height_ + 1);
    th::OpenerReshareOutcome outcome;
    outcome.key = chain::read_opener_key_in_force(chain_.view(), 0, finalize_height_ + 1).value().value();
    outcome.qualified = {1, 2, 3, 4};
    new_opener_key_ = outcome.key;
    for (std::uint16_t j = 1; j <= 5; ++j) {
      new_shares_.push_back(
          th::reshared_secret_share(params, outcome, opener_deals, j, chain_.fresh_secret(j - 1, 1)).value());
    }
    trust_ = std::make_unique<ChainTrust>(ChainTrust::from_genesis(chain_.c->genesis()).value());
    trust_->follow_changes_from(
        [this]() -> Result<nlohmann::json> {
          HC_ASSIGN_OR_RETURN(auto proofs, chain::change_proofs_from_store(*chain_.store));
          return chain::change_proofs_to_json(proofs);
        });
    record_ = signed_record();
  }
  void TearDown() override {
    for (th::Fr& x : new_shares_) x.wipe();
  }

  // A version-2 record of patient 1 signed by "westgate" under the trustees' opener key (not
  // committed: the judge takes the record's verified item, built here).
  VerifiedItem signed_record() const {
    crypto::SerialNumber serial{};
    const chain::Serial s = chain_.c->serial_of(1);
    std::copy(s.begin(), s.end(), serial.begin());
    auto visit = crypto::make_visit("2026-12-01T08:00:00Z", "flu", std::nullopt).value();
    auto sealed = crypto::seal_record_v2(visit, serial, chain_.dkg.key.group_key).value();
    chain::RecordTx r;
    r.sealed = chain::chain_record_of(sealed).value();
    r.epoch = 0;
    const eg::MemberKey signer =
        eg::member_key_with_opener_key(chain::testing::trustees_chain_member("westgate"), chain_.opener_dkg->key.h).value();
    r.group_signature = eg::encode_signature(eg::sign(signer, chain::span_of(chain::record_signing_digest(r))));
    VerifiedItem item;
    item.height = 40;
    item.tx = r;
    item.tx_id = chain::transaction_id(chain::encode_transaction(chain::Transaction{r}));
    return item;
  }

  // A request to open record_ committed at `height`, answered by `seats` of the sharing whose
  // key and shares are given.
  ProvenAccessRequest answered_request(std::uint64_t height, const th::OpenerKeyPublic& key,
                                       const std::vector<th::Fr>& shares, const std::vector<std::uint16_t>& seats) const {
    ProvenAccessRequest p;
    p.height = height;
    p.request.chain_id = chain_.c->genesis_hash();
    p.request.key_epoch = 0;
    p.request.serial = chain_.c->serial_of(1);
    p.request.open = true;
    p.request.record_ids = {record_.tx_id};
    p.request_id.fill(static_cast<std::uint8_t>(height));
    const auto& record = std::get<chain::RecordTx>(record_.tx);
    for (std::uint16_t j : seats) {
      chain::DecryptionSharesTx answer{chain_.c->genesis_hash(), p.request_id, j, {}, {}, {}};
      answer.partial_openings =
          node::build_partial_openings(key, j, shares[j - 1], p.request_id, {{record_.tx_id, record.group_signature}})
              .value();
      p.answers.push_back(ProvenShareAnswer{height + 1, {}, std::move(answer)});
    }
    return p;
  }

  ReshareChain chain_{4, "reshared-opening-judge", true};
  std::uint64_t finalize_height_ = 0;
  th::OpenerKeyPublic new_opener_key_;
  std::vector<th::Fr> new_shares_;
  std::unique_ptr<ChainTrust> trust_;
  VerifiedItem record_;
};

TEST_F(ResharedOpeningJudgeTest, TheClientRecomputesTheResharingFromTheProvenAnswer) {
  auto key = verify_access_key_answer(node::AccessKeyAnswers().answer(*chain_.store, std::nullopt).value(), *trust_);
  ASSERT_TRUE(key.ok()) << key.status().to_string();
  ASSERT_EQ(key->resharings.size(), 1u);
  const TrustedSharing& r1 = key->resharings[0];
  EXPECT_EQ(r1.reshare_epoch, 1u);
  EXPECT_EQ(r1.in_force_from_height, finalize_height_ + 1);
  EXPECT_EQ(r1.trustee_keys.size(), 5u);
  EXPECT_EQ(r1.key.threshold, 3u);
  ASSERT_TRUE(r1.opener_key.has_value());
  EXPECT_TRUE(r1.opener_key->h == chain_.opener_dkg->key.h) << "the opener key itself does not change";
  EXPECT_EQ(r1.opener_key->public_shares, new_opener_key_.public_shares);
  const TrustedSharing dkg = key->dkg_sharing();
  EXPECT_EQ(sharing_at(dkg, key->resharings, finalize_height_).reshare_epoch, 0u)
      << "a request committed at the finalizing block is answered by the old seats";
  EXPECT_EQ(sharing_at(dkg, key->resharings, finalize_height_ + 1).reshare_epoch, 1u);
}

TEST_F(ResharedOpeningJudgeTest, TheJudgeChecksTheSharingInForceAtTheRequestsHeight) {
  auto key = verify_access_key_answer(node::AccessKeyAnswers().answer(*chain_.store, std::nullopt).value(), *trust_);
  ASSERT_TRUE(key.ok()) << key.status().to_string();
  const auto& registry = chain::testing::trustees_chain_group().registry;
  const auto& gpk = chain::testing::trustees_chain_group().gpk;

  // After the finalizing block: three new seats, the joiner's (5) among them, prove the signer.
  const ProvenAccessRequest after = answered_request(finalize_height_ + 1, new_opener_key_, new_shares_, {1, 3, 5});
  auto judged = judge_opening_evidence(after, record_, *key, gpk, registry, "westgate");
  ASSERT_TRUE(judged.ok()) << judged.status().to_string();
  EXPECT_EQ(judged->reshare_epoch, 1u);
  EXPECT_EQ(judged->trustees, (std::vector<std::uint16_t>{1, 3, 5}));
  EXPECT_FALSE(judge_opening_evidence(after, record_, *key, gpk, registry, "northfield").ok()) << "another member";

  // The same partial openings for a request committed at the finalizing block: the old seats
  // answer it, so they prove nothing.
  const ProvenAccessRequest at_finalize = answered_request(finalize_height_, new_opener_key_, new_shares_, {1, 3, 5});
  EXPECT_FALSE(judge_opening_evidence(at_finalize, record_, *key, gpk, registry, "westgate").ok());

  // The old seats' shares: valid before the resharing took effect, useless after it.
  const ProvenAccessRequest old_before =
      answered_request(finalize_height_, chain_.opener_dkg->key, chain_.opener_shares, {1, 2, 4});
  auto old_judged = judge_opening_evidence(old_before, record_, *key, gpk, registry, "westgate");
  ASSERT_TRUE(old_judged.ok()) << old_judged.status().to_string();
  EXPECT_EQ(old_judged->reshare_epoch, 0u);
  const ProvenAccessRequest old_after =
      answered_request(finalize_height_ + 1, chain_.opener_dkg->key, chain_.opener_shares, {1, 2, 4});
  EXPECT_FALSE(judge_opening_evidence(old_after, record_, *key, gpk, registry, "westgate").ok());
}

TEST_F(ResharedOpeningJudgeTest, TheConsoleNamesTheNewSeatsThatAnsweredARequestAfterTheResharing) {
  const Bytes key_bytes(32, 0x42);
  const SecureBytes pseudonym_key(key_bytes.data(), key_bytes.size());
  auto computed = crypto::compute_serial(pseudonym_key.span(), "Ada Lovelace", "X-1815");
  ASSERT_TRUE(computed.ok());
  chain::AccessRequestTx r;
  r.chain_id = chain_.c->genesis_hash();
  r.key_epoch = 0;
  std::copy(computed->begin(), computed->end(), r.serial.begin());
  r.timestamp_ms = chain_.c->genesis().genesis_time_ms + chain_.height() + 1;
  r.purpose = "treatment: console after resharing";
  r.requester_key = crypto::P256Point::base_mul(crypto::P256Scalar::from_u64(0x5e1)).encode();
  const Bytes request = chain::encode_transaction(chain_.c->signed_manager(r));
  const chain::Digest request_id = chain::transaction_id(request);
  chain_.commit_ok({request});
  const std::uint64_t request_height = chain_.height();
  ASSERT_GT(request_height, finalize_height_);
  // New seats 1 (genesis hospital 0) and 5 (the joiner, member 4) answer with their fresh keys.
  chain_.commit_ok({chain_.answer_tx(request_id, 1, chain_.fresh_secret(0, 1)),
                    chain_.answer_tx(request_id, 5, chain_.fresh_secret(4, 1))});
  const chain::Block block = chain_.store->read_block(request_height).value();
  const nlohmann::json by_serial = {{"serial", to_hex(r.serial)},
                                    {"items", {chain::committed_item_to_json(block, request_height, 0).value()}}};
  const nlohmann::json answers = node::access_request_answer(*chain_.store, chain::digest_hex(request_id)).value();

  ConsoleApp app(SecureBytes(key_bytes.data(), key_bytes.size()), *trust_,
                 [&](const std::string&) -> Result<nlohmann::json> { return by_serial; });
  app.set_request_answers([&](const std::string&) -> Result<nlohmann::json> { return answers; });
  app.set_port(41235);
  auto find = [&]() {
    net::HttpRequest q;
    q.method = "POST";
    q.target = "/console-api/find";
    q.body = R"({"name": "Ada Lovelace", "id": "X-1815"})";
    q.headers["host"] = "127.0.0.1:41235";
    q.headers["x-console-token"] = app.session_token();
    return app.handle(q);
  };
  // Without the access keys, only the genesis trustees' keys: the new seats' answers are refused.
  auto refused = find();
  EXPECT_EQ(refused.status, 502) << refused.body;
  EXPECT_NE(refused.body.find("do not verify"), std::string::npos) << refused.body;
  // Following the resharing.
  app.set_access_keys([&](std::uint64_t key_epoch) {
    return verify_access_key_answer(
        node::AccessKeyAnswers().answer(*chain_.store, std::to_string(key_epoch)).value(), *trust_);
  });
  auto listed = find();
  ASSERT_EQ(listed.status, 200) << listed.body;
  const nlohmann::json j = nlohmann::json::parse(listed.body);
  ASSERT_EQ(j["items"].size(), 1u);
  EXPECT_EQ(j["items"][0]["answered_by"], nlohmann::json({1, 5}));
  const nlohmann::json names = j["items"][0]["answered_by_names"];
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names[0], "trustee 1") << "genesis hospital 0 (its genesis gives no TLS CA name)";
  EXPECT_EQ(names[1], "hospital-e") << "the joiner, by its verified join request";
}

}  // namespace
}  // namespace hc::client

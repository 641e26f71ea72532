// The reader's side of trustees mode (issue 13), in process against a real trustees-mode ledger
// (a DKG driven through chain transactions, tests/chain/trustees_chain.h): the client believes an
// access key only as the proven DKG transcript forms it; a requester combining exactly t
// trustees' shares from committed answers reads version-2 records, t-1 are refused with the
// count, a bad share is named and the others still combine; a request naming another serial's
// record is refused by the chain; and nothing the requester holds (its one-time key, the
// manager's admin key) plus all public chain data reads a record before a request is committed
// and answered.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <set>

#include "chain/committed_item.h"
#include "chain/formed_access_key.h"
#include "chain/limits.h"
#include "chain/sealed_record_conversion.h"
#include "chain/trustee_query.h"
#include "chain/trustees_chain.h"
#include "client/access_key_trust.h"
#include "client/access_reader.h"
#include "client/access_request_answer.h"
#include "crypto/p256_kem.h"
#include "crypto/sealed_record_v2.h"
#include "crypto/threshold/combine.h"
#include "crypto/threshold/decryption_share.h"
#include "crypto/threshold/dkg_complaint.h"
#include "node/access_key_answer.h"

namespace hc::client {
namespace {

using chain::testing::TrusteesChain;
using crypto::P256Point;
using crypto::P256Scalar;
using nlohmann::json;
namespace th = crypto::threshold;

crypto::SerialNumber reader_test_serial(const chain::Serial& s) {
  crypto::SerialNumber out{};
  std::copy(s.begin(), s.end(), out.begin());
  return out;
}

class TrusteesReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto formed = chain::testing::form_access_key(chain);
    ASSERT_TRUE(formed.ok()) << formed.status().to_string();
    deals = std::move(formed->deals);
    outcome = formed->outcome;
    shares = std::move(formed->shares);
    // Two visits of patient 1, one of patient 2, sealed (version 2) to the access key.
    for (const auto& [patient, text] : std::vector<std::pair<int, std::string>>{{1, "flu"}, {1, "fracture"}, {2, "asthma"}}) {
      auto visit = crypto::make_visit("2026-11-29T10:00:00Z", text, std::nullopt).value();
      auto sealed = crypto::seal_record_v2(visit, reader_test_serial(chain.c.serial_of(patient)), outcome.key.group_key).value();
      const Bytes tx = chain.record_v2_tx(sealed);
      ASSERT_TRUE(chain.commit({tx}).ok()) << chain.app->check_tx(tx).to_string();
      (patient == 1 ? patient1 : patient2).push_back(RecordToRead{chain::transaction_id(tx), sealed});
    }
    std::sort(patient1.begin(), patient1.end(),
              [](const RecordToRead& a, const RecordToRead& b) { return a.record_id < b.record_id; });
    trust = std::make_unique<ChainTrust>(ChainTrust::from_genesis(chain.c.genesis()).value());
  }

  json item_of(const chain::Digest& tx_id) const {
    auto loc = chain.store->find_transaction(tx_id).value();
    HC_CHECK(loc.has_value());
    auto block = chain.store->read_block(loc->height).value();
    return chain::committed_item_to_json(block, loc->height, loc->index).value();
  }

  // What an honest node answers for GET /v1/access-key: the node's own builder (the form of
  // docs/api.md, each deal {"dealer", "item"}), so the client is tested against what it gets.
  json access_key_answer() const {
    return node::AccessKeyAnswers().answer(*chain.store, std::nullopt).value();
  }

  chain::AccessRequestTx request_for(const std::vector<RecordToRead>& records, const chain::Serial& serial) const {
    chain::AccessRequestTx r = chain.request(serial, chain.next_block_time());
    for (const RecordToRead& rec : records) r.record_ids.push_back(rec.record_id);
    r.requester_key = requester.public_key();
    return r;
  }

  // Trustee j's answer: one box per record; `corrupt` makes its share's D wrong (proof fails).
  Bytes answer_tx(const chain::Digest& request_id, std::uint16_t j, const std::vector<RecordToRead>& records,
                  bool corrupt = false) const {
    chain::DecryptionSharesTx tx{chain.chain_id(), request_id, j, {}, {}};
    const P256Point requester_point = P256Point::decode(requester.public_key()).value();
    for (const RecordToRead& rec : records) {
      const P256Point e = P256Point::decode(rec.sealed.ephemeral_key).value();
      auto share = th::make_decryption_share(outcome.key, j, shares[j - 1], request_id, e).value();
      if (corrupt) share.partial = share.partial + P256Point::generator();
      tx.share_boxes.push_back(th::seal_share_to_requester(outcome.key, share, requester_point).value());
    }
    return chain.signed_by(tx, j);
  }

  // Commits a request for `records` and the answers of `trustees`; returns the request id and
  // the verified answer as the node would serve it.
  std::pair<chain::Digest, ProvenAccessRequest> committed_request(const std::vector<RecordToRead>& records,
                                                                  const std::vector<std::uint16_t>& trustees,
                                                                  std::uint16_t corrupt_trustee = 0) {
    const Bytes request = chain.manager_signed(request_for(records, chain.c.serial_of(1)));
    HC_CHECK(chain.commit({request}).ok());
    const chain::Digest request_id = chain::transaction_id(request);
    for (std::uint16_t j : trustees) {
      const Bytes tx = answer_tx(request_id, j, records, j == corrupt_trustee);
      HC_CHECK(chain.commit({tx}).ok());
    }
    // What an honest node serves for GET /v1/access-requests/{id} (its own builder).
    const json answer = node::access_request_answer(*chain.store, chain::digest_hex(request_id)).value();
    return {request_id, verify_access_request_answer(answer, request_id, *trust).value()};
  }

  static std::vector<TrusteeAnswer> answers_of(const ProvenAccessRequest& proven) {
    std::vector<TrusteeAnswer> out;
    for (const auto& a : proven.answers) out.push_back({a.shares.trustee, a.shares.share_boxes});
    return out;
  }

  TrusteesChain chain{4, 3, "trustees-reader"};
  std::vector<std::optional<th::DkgDeal>> deals;
  th::DkgOutcome outcome;
  std::vector<P256Scalar> shares;
  std::vector<RecordToRead> patient1, patient2;
  std::unique_ptr<ChainTrust> trust;
  RequesterKey requester = RequesterKey::fresh();
};

TEST_F(TrusteesReaderTest, TheAccessKeyIsBelievedOnlyAsTheProvenTranscriptFormsIt) {
  auto key = verify_access_key_answer(access_key_answer(), *trust);
  ASSERT_TRUE(key.ok()) << key.status().to_string();
  EXPECT_EQ(key->outcome.key.key_id, outcome.key.key_id);
  EXPECT_EQ(key->key_epoch, 0u);

  auto refused = [&](const json& answer, const std::string& why) {
    auto r = verify_access_key_answer(answer, *trust);
    ASSERT_FALSE(r.ok()) << "believed: " << why;
    EXPECT_EQ(r.status().code(), ErrorCode::kAuthFailed) << r.status().to_string();
    EXPECT_NE(r.status().message().find(why), std::string::npos) << r.status().to_string();
  };
  // A key the transcript does not form (the node's own key, with honest deals).
  json lie = access_key_answer();
  const P256Point own = P256Point::base_mul(P256Scalar::from_u64(42));
  lie["access_key"] = to_hex(own.encode());
  lie["key_id"] = to_hex(crypto::access_key_id(own));
  refused(lie, "is not the one the proven transcript forms");
  // A deal left out: the transcript forms another key than the answered one.
  lie = access_key_answer();
  lie["deals"].erase(lie["deals"].begin());
  refused(lie, "is not the one the proven transcript forms");
  // All but one deal left out: no key forms.
  lie = access_key_answer();
  lie["deals"] = json::array({lie["deals"][0]});
  refused(lie, "forms no key");
  // Something else proven in place of a deal; an altered deal.
  lie = access_key_answer();
  lie["deals"][0]["item"] = item_of(patient1[0].record_id);
  refused(lie, "outside its round");
  lie = access_key_answer();
  std::string tx = lie["deals"][1]["item"]["encoding"].get<std::string>();
  tx[tx.size() / 2] = tx[tx.size() / 2] == 'A' ? 'B' : 'A';
  lie["deals"][1]["item"]["encoding"] = tx;
  EXPECT_FALSE(verify_access_key_answer(lie, *trust).ok());
  // An entry without its item.
  lie = access_key_answer();
  lie["deals"][0].erase("item");
  refused(lie, "without its item");
  // A single-manager genesis has no access key.
  chain::testing::TestConsortium single;
  auto single_trust = ChainTrust::from_genesis(single.genesis()).value();
  auto wrong_mode = verify_access_key_answer(access_key_answer(), single_trust);
  ASSERT_FALSE(wrong_mode.ok());
  EXPECT_NE(wrong_mode.status().message().find("single-manager"), std::string::npos);
}

// Key epoch 1 on a fresh chain: dealer 2 deals trustee 1 a bad share and is convicted by a
// committed complaint, trustee 4 is offline. The client recomputes the key only with the
// complaint and the epoch's start among the proven items.
TEST(TrusteesReaderKeyEpochs, ALaterEpochWithAConvictedDealerIsRecomputedFromItsComplaintsAndStart) {
  TrusteesChain chain{4, 3, "trustees-reader-epochs"};
  // Epoch 0 forms with every dealer; the manager starts epoch 1.
  std::vector<Bytes> txs;
  for (std::uint16_t i = 1; i <= 4; ++i) txs.push_back(chain.deal_tx(th::make_deal(chain.params(), i).value()));
  ASSERT_TRUE(chain.commit(txs).ok());
  chain.advance_to(2 * chain::kDkgWindowBlocks + 1);
  const Bytes start = chain.epoch_start_tx(1);
  ASSERT_TRUE(chain.commit({start}).ok());
  const std::uint64_t h0 = chain.height();
  const th::DkgParams params = chain.params(1);
  th::DkgDeal bad = th::make_deal(params, 2).value();
  {
    const auto sealed = th::seal_dkg_share(params, 2, 1, P256Scalar::random_nonzero()).value();
    bad.share_boxes[0] = sealed.box;
    bad.box_proofs[0] = sealed.ephemeral_proof;
  }
  std::vector<Bytes> deals_txs{chain.deal_tx(th::make_deal(params, 1).value(), 1), chain.deal_tx(bad, 1),
                               chain.deal_tx(th::make_deal(params, 3).value(), 1)};
  ASSERT_TRUE(chain.commit(deals_txs).ok());
  chain.advance_to(h0 + chain::kDkgWindowBlocks);
  const Bytes complaint = chain.complaint_tx(th::make_complaint(params, bad, 1, chain.secret(1)).value(), 1);
  ASSERT_TRUE(chain.commit({complaint}).ok()) << chain.app->check_tx(complaint).to_string();
  chain.advance_to(h0 + 2 * chain::kDkgWindowBlocks + 1);
  auto stored = chain::read_current_access_key(chain::StoreTrusteeView(*chain.store)).value();
  ASSERT_TRUE(stored.has_value() && stored->formed.has_value() && stored->key_epoch == 1);
  EXPECT_EQ(stored->formed->disqualified, (std::vector<std::uint16_t>{2}));

  // What the node serves for GET /v1/access-key/1 (its own builder).
  json answer = node::AccessKeyAnswers().answer(*chain.store, std::string("1")).value();
  ASSERT_EQ(answer.at("deals").size(), deals_txs.size());
  ASSERT_EQ(answer.at("complaints").size(), 1u);
  ASSERT_TRUE(answer.at("epoch_start").is_object());
  const ChainTrust trust = ChainTrust::from_genesis(chain.c.genesis()).value();
  auto key = verify_access_key_answer(answer, trust);
  ASSERT_TRUE(key.ok()) << key.status().to_string();
  EXPECT_EQ(key->key_epoch, 1u);
  EXPECT_EQ(key->outcome.key.key_id, stored->formed->key.key_id);
  // Without the complaint the transcript forms another key (dealer 2 stays); without the start
  // the epoch is not proven; a complaint twice is refused.
  json lie = answer;
  lie["complaints"] = json::array();
  EXPECT_FALSE(verify_access_key_answer(lie, trust).ok());
  lie = answer;
  lie.erase("epoch_start");
  auto no_start = verify_access_key_answer(lie, trust);
  ASSERT_FALSE(no_start.ok());
  EXPECT_NE(no_start.status().message().find("key_epoch_start"), std::string::npos) << no_start.status().to_string();
  lie = answer;
  lie["complaints"].push_back(lie["complaints"][0]);
  auto twice = verify_access_key_answer(lie, trust);
  ASSERT_FALSE(twice.ok());
  EXPECT_NE(twice.status().message().find("two complaints"), std::string::npos) << twice.status().to_string();
}

TEST_F(TrusteesReaderTest, ExactlyTSharesReadTheRecordsAndTMinusOneAreRefusedWithTheCount) {
  auto [request_id, proven] = committed_request(patient1, {4, 2});
  auto too_few = read_with_decryption_shares(outcome.key, request_id, requester.secret(), patient1, answers_of(proven));
  ASSERT_FALSE(too_few.ok());
  EXPECT_NE(too_few.status().message().find("2 trustees answered of the 3 needed"), std::string::npos)
      << too_few.status().to_string();

  auto [request_id3, proven3] = committed_request(patient1, {4, 2, 1});
  ASSERT_EQ(proven3.answers.size(), 3u);
  auto read = read_with_decryption_shares(outcome.key, request_id3, requester.secret(), patient1, answers_of(proven3));
  ASSERT_TRUE(read.ok()) << read.status().to_string();
  ASSERT_EQ(read->visits.size(), 2u);
  std::set<std::string> texts;
  for (const ReadVisit& v : read->visits) texts.insert(v.visit.diagnosis);
  EXPECT_EQ(texts, (std::set<std::string>{"flu", "fracture"}));
  EXPECT_EQ(read->answered, (std::vector<std::uint16_t>{1, 2, 4}));
  EXPECT_TRUE(read->rejected.empty());
  // Another requester's key opens none of the boxes.
  const RequesterKey other = RequesterKey::fresh();
  auto stolen = read_with_decryption_shares(outcome.key, request_id3, other.secret(), patient1, answers_of(proven3));
  ASSERT_FALSE(stolen.ok());
  EXPECT_NE(stolen.status().message().find("does not open"), std::string::npos) << stolen.status().to_string();
}

TEST_F(TrusteesReaderTest, ABadShareIsNamedAndTheOthersStillCombine) {
  auto [request_id, proven] = committed_request(patient1, {1, 2, 3, 4}, /*corrupt_trustee=*/2);
  auto read = read_with_decryption_shares(outcome.key, request_id, requester.secret(), patient1, answers_of(proven));
  ASSERT_TRUE(read.ok()) << read.status().to_string();
  EXPECT_EQ(read->visits.size(), 2u);
  ASSERT_EQ(read->rejected.size(), 1u);
  EXPECT_EQ(read->rejected[0].trustee, 2);
  EXPECT_NE(describe_rejected_trustees(read->rejected).find("trustee 2: "), std::string::npos);

  // With the bad one among only t answers, the error names it and says how many answered.
  auto [request_id2, proven2] = committed_request(patient1, {1, 2, 3}, /*corrupt_trustee=*/2);
  auto short_read = read_with_decryption_shares(outcome.key, request_id2, requester.secret(), patient1, answers_of(proven2));
  ASSERT_FALSE(short_read.ok());
  EXPECT_NE(short_read.status().message().find("3 trustees answered of the 3 needed"), std::string::npos)
      << short_read.status().to_string();
  EXPECT_NE(short_read.status().message().find("trustee 2"), std::string::npos) << short_read.status().to_string();
}

TEST_F(TrusteesReaderTest, ARequestForAnotherSerialsRecordsIsRefusedByTheChain) {
  chain::AccessRequestTx r = request_for(patient2, chain.c.serial_of(1));
  const Status s = chain.app->check_tx(chain.manager_signed(r));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("not a record of the requested serial"), std::string::npos) << s.to_string();
  // Answers to a request that is not committed are refused too, so no share exists.
  const chain::Digest never_committed = chain::transaction_id(chain.manager_signed(r));
  EXPECT_FALSE(chain.app->check_tx(answer_tx(never_committed, 1, patient2)).ok());
}

// Every way we know to read patient 1's records from what the requester holds (its one-time
// secret, the manager's admin key) and everything public on the chain (the records, every
// deal and complaint, the access key and public shares, every committed decryption share box).
// Returns the number of records read.
std::size_t read_by_any_means(const th::DkgParams& params, const std::vector<RecordToRead>& records,
                              const P256Scalar& requester_secret, const SecureBytes& admin_seed,
                              const std::vector<std::pair<chain::Digest, std::vector<TrusteeAnswer>>>& answers_on_chain,
                              const std::vector<std::optional<th::DkgDeal>>& public_deals, const th::DkgOutcome& key) {
  std::size_t read = 0;
  // Scalars the reader holds or can derive from public data, tried as the access secret.
  std::vector<P256Scalar> scalars{requester_secret, P256Scalar::reduce_wide(Bytes(64, 0))};
  Bytes seed_wide(admin_seed.data(), admin_seed.data() + admin_seed.size());
  seed_wide.resize(64, 0);
  scalars.push_back(P256Scalar::reduce_wide(seed_wide));
  // Points: Y, every public share and their sums, every deal commitment, every E.
  std::vector<P256Point> points{key.key.group_key, P256Point::base_mul(requester_secret)};
  for (const P256Point& yj : key.key.public_shares) points.push_back(yj);
  P256Point sum = key.key.public_shares[0];
  for (std::size_t j = 1; j < key.key.public_shares.size(); ++j) points.push_back(sum = sum + key.key.public_shares[j]);
  for (const auto& deal : public_deals) {
    if (deal) points.insert(points.end(), deal->commitments.begin(), deal->commitments.end());
  }
  for (const RecordToRead& rec : records) points.push_back(P256Point::decode(rec.sealed.ephemeral_key).value());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const RecordToRead& rec = records[i];
    bool opened = false;
    for (const P256Scalar& s : scalars) opened = opened || crypto::open_record_v2(rec.sealed, s).ok();
    for (const P256Point& p : points) opened = opened || crypto::open_record_v2_with_shared_point(rec.sealed, p).ok();
    // The trustees' DKG share boxes, opened with the requester's secret (they are not its).
    for (const auto& deal : public_deals) {
      if (!deal) continue;
      for (std::uint16_t j = 1; j <= deal->share_boxes.size(); ++j) {
        opened = opened || th::receive_share(params, *deal, j, requester_secret).ok();
      }
    }
    // Every committed answer: its boxes opened with the requester's secret and combined.
    for (const auto& [request_id, answers] : answers_on_chain) {
      std::vector<RecordToRead> one{rec};
      std::vector<TrusteeAnswer> for_record;  // each trustee's box for this record (request order)
      for (const TrusteeAnswer& a : answers) {
        if (i < a.share_boxes.size()) for_record.push_back({a.trustee, {a.share_boxes[i]}});
      }
      opened = opened || read_with_decryption_shares(key.key, request_id, requester_secret, one, for_record).ok();
    }
    if (opened) ++read;
  }
  return read;
}

TEST_F(TrusteesReaderTest, NothingTheRequesterHoldsPlusChainDataReadsARecordWithoutACommittedAnsweredRequest) {
  // Before any request: every attempt fails.
  EXPECT_EQ(read_by_any_means(chain.params(), patient1, requester.secret(), chain.c.admin_seed(), {}, deals, outcome), 0u);
  // A committed request that fewer than t trustees answered: still nothing.
  auto [id2, proven2] = committed_request(patient1, {1, 3});
  EXPECT_EQ(read_by_any_means(chain.params(), patient1, requester.secret(), chain.c.admin_seed(), {{id2, answers_of(proven2)}},
                              deals, outcome),
            0u);
  // The same attempts do read once t trustees answered a committed request: the test can fail.
  auto [id3, proven3] = committed_request(patient1, {1, 3, 4});
  EXPECT_EQ(read_by_any_means(chain.params(), patient1, requester.secret(), chain.c.admin_seed(), {{id3, answers_of(proven3)}},
                              deals, outcome),
            patient1.size());
}

}  // namespace
}  // namespace hc::client

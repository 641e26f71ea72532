// Threshold opening from the reader's and the judge's side (issue 13 item 4), in process against a
// real trustees-mode ledger whose DKG (with opener deals) ran through chain transactions and
// whose trustees answer with their own duties (the worker's logic): the client recomputes the
// opener key from the proven DKG transcript (also when an opener complaint is committed: such
// an answer used to be refused as "a committed complaint does not decode"); exactly t partial
// openings read from the chain name the hospital of each record, t-1 give the count, a bad
// partial opening is named while the others combine; the judge accepts the chain's evidence
// for the true member and refuses it for another member, with too few or altered partial
// openings, and for a request that did not ask to open.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "chain/bbs04_record_verifier.h"
#include "chain/committed_item.h"
#include "chain/limits.h"
#include "chain/opener_key_state.h"
#include "chain/sealed_record_conversion.h"
#include "chain/trustees_chain.h"
#include "client/access_key_trust.h"
#include "client/access_reader.h"
#include "client/access_request_answer.h"
#include "client/threshold_opening.h"
#include "client/threshold_opening_judge.h"
#include "crypto/groupsig/elgamal_encoding.h"
#include "crypto/groupsig/elgamal_keys.h"
#include "crypto/groupsig/elgamal_sign.h"
#include "crypto/groupsig/issuer.h"
#include "crypto/sealed_record_v2.h"
#include "crypto/threshold/opener_dkg_complaint.h"
#include "crypto/threshold/opener_dkg_deal.h"
#include "node/access_key_answer.h"
#include "node/trustee_duties.h"

namespace hc::client {
namespace {

using chain::testing::TrusteesChain;
using crypto::P256Point;
using crypto::P256Scalar;
using nlohmann::json;
namespace th = crypto::threshold;
namespace eg = groupsig::elgamal;

groupsig::MemberKey opening_reader_member() {
  return chain::testing::trustees_chain_member("westgate");
}

// m = 4, t = 3; dealer 4's opener deal gives trustee 1 a bad share and trustee 1's opener
// complaint is committed (dealer 4 is out of the opener key, not of the access key); two
// records of patient 1 sealed to the access key and signed by "westgate" under the trustees'
// opener key.
class TrusteesOpeningReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    verifier = chain::Bbs04RecordVerifier::create(chain.c.genesis().group_public_key).value();
    chain.app = chain::HealthchainApp::start(*chain.store, *verifier, chain.c.certificates()).value();
    std::vector<Bytes> txs;
    std::optional<th::OpenerDeal> bad_opener_deal;
    for (std::uint16_t i = 1; i <= 4; ++i) {
      th::OpenerDeal opener = th::make_opener_deal(chain.opener_params(), i).value();
      if (i == 4) {
        {
          const auto sealed = th::seal_opener_share(chain.opener_params(), 4, 1, th::Fr::random_nonzero()).value();
          opener.share_boxes[0] = sealed.box;
          opener.box_proofs[0] = sealed.ephemeral_proof;
        }
        bad_opener_deal = opener;
      }
      txs.push_back(chain.deal_tx(th::make_deal(chain.params(), i).value(), opener));
    }
    ASSERT_TRUE(chain.commit(txs).ok());
    chain.advance_to(chain::kDkgWindowBlocks);
    auto complaint = th::make_opener_complaint(chain.opener_params(), *bad_opener_deal, 1, chain.secret(1)).value();
    ASSERT_TRUE(chain.commit({chain.opener_complaint_tx(complaint)}).ok());
    chain.advance_to(2 * chain::kDkgWindowBlocks + 1);
    auto opener = chain::read_opener_key(chain::StoreTrusteeView(*chain.store), 0).value();
    ASSERT_TRUE(opener && opener->formed);
    ASSERT_EQ(opener->formed->disqualified, std::vector<std::uint16_t>{4});
    opener_key = opener->formed->key;
    access_key = chain::read_current_access_key(chain::StoreTrusteeView(*chain.store)).value()->formed->key;
    for (std::uint8_t n : {1, 2}) {
      const Bytes tx = signed_record(n);
      ASSERT_TRUE(chain.app->check_tx(tx).ok()) << chain.app->check_tx(tx).to_string();
      ASSERT_TRUE(chain.commit({tx}).ok());
    }
    std::sort(records.begin(), records.end(),
              [](const RecordToOpen& a, const RecordToOpen& b) { return a.record_id < b.record_id; });
    for (std::uint16_t j = 1; j <= 4; ++j) {
      node::TrusteeIdentity identity;
      identity.index = j;
      identity.secret = chain.secret(j);
      identity.public_key = P256Point::base_mul(chain.secret(j)).encode();
      duties.push_back(std::make_unique<node::TrusteeDuties>(*chain.store, std::move(identity)));
    }
    trust = std::make_unique<ChainTrust>(ChainTrust::from_genesis(chain.c.genesis()).value());
    registries[0] = chain::testing::trustees_chain_group().registry;
  }

  Bytes signed_record(std::uint8_t nonce) {
    crypto::SerialNumber serial{};
    const chain::Serial s = chain.c.serial_of(1);
    std::copy(s.begin(), s.end(), serial.begin());
    auto visit = crypto::make_visit("2026-11-30T08:00:00Z", nonce == 1 ? "flu" : "fracture", std::nullopt).value();
    auto sealed = crypto::seal_record_v2(visit, serial, access_key.group_key).value();
    chain::RecordTx r;
    r.sealed = chain::chain_record_of(sealed).value();
    r.epoch = 0;
    const eg::MemberKey signer = eg::member_key_with_opener_key(opening_reader_member(), opener_key.h).value();
    r.group_signature = eg::encode_signature(eg::sign(signer, chain::span_of(chain::record_signing_digest(r))));
    const Bytes tx = chain::encode_transaction(r);
    records.push_back(RecordToOpen{chain::transaction_id(tx), r.group_signature});
    sealed_records.push_back(RecordToRead{chain::transaction_id(tx), sealed});
    return tx;
  }

  // Commits a request for both records (`open`: decrypt and open; else decrypt only).
  chain::Digest commit_request(bool open) {
    chain::AccessRequestTx r = chain.request(chain.c.serial_of(1), chain.next_block_time());
    for (const RecordToOpen& rec : records) r.record_ids.push_back(rec.record_id);
    r.requester_key = requester.public_key();
    r.open = open;
    const Bytes tx = chain.manager_signed(r);
    HC_CHECK(chain.commit({tx}).ok());
    return chain::transaction_id(tx);
  }

  Bytes duty_answer(std::uint16_t j, const chain::Digest& request_id) {
    auto loc = chain.store->find_transaction(request_id).value();
    chain::Block block = chain.store->read_block(loc->height).value();
    auto request = std::get<chain::AccessRequestTx>(chain::decode_transaction(block.transactions[loc->index]).value());
    bool skipped = false;
    auto answer = duties[j - 1]->answer(request_id, request, loc->height, skipped);
    HC_CHECK(answer.ok() && answer->has_value());
    return (*answer)->encoding;
  }

  // What an honest node serves for GET /v1/access-requests/{id}, verified.
  ProvenAccessRequest proven(const chain::Digest& request_id) const {
    const json answer = node::access_request_answer(*chain.store, chain::digest_hex(request_id)).value();
    return verify_access_request_answer(answer, request_id, *trust).value();
  }

  static std::vector<OpeningAnswer> opening_answers(const ProvenAccessRequest& p) {
    std::vector<OpeningAnswer> out;
    for (const auto& a : p.answers) out.push_back({a.shares.trustee, a.shares.partial_openings});
    return out;
  }

  TrustedAccessKey trusted_key() const {
    return verify_access_key_answer(node::AccessKeyAnswers().answer(*chain.store, std::nullopt).value(), *trust).value();
  }

  VerifiedItem record_item(const chain::Digest& id) const {
    auto loc = chain.store->find_transaction(id).value();
    auto block = chain.store->read_block(loc->height).value();
    return verify_item(chain::committed_item_to_json(block, loc->height, loc->index).value(), chain.c.certificates())
        .value();
  }

  TrusteesChain chain{4, 3, "opening-reader"};
  std::unique_ptr<chain::Bbs04RecordVerifier> verifier;
  th::AccessKeyPublic access_key;
  th::OpenerKeyPublic opener_key;
  std::vector<RecordToOpen> records;
  std::vector<RecordToRead> sealed_records;
  std::vector<std::unique_ptr<node::TrusteeDuties>> duties;
  std::unique_ptr<ChainTrust> trust;
  std::map<std::uint64_t, groupsig::Registry> registries;
  RequesterKey requester = RequesterKey::fresh();
};

TEST_F(TrusteesOpeningReaderTest, TheOpenerKeyIsRecomputedFromTheProvenTranscriptWithItsOpenerComplaint) {
  auto answer = verify_access_key_answer(node::AccessKeyAnswers().answer(*chain.store, std::nullopt).value(), *trust);
  ASSERT_TRUE(answer.ok()) << answer.status().to_string();
  ASSERT_TRUE(answer->opener_key.has_value()) << answer->opener_key_failure;
  EXPECT_TRUE(answer->opener_key->h == opener_key.h);
  ASSERT_EQ(answer->opener_key->public_shares.size(), 4u);
  for (std::size_t j = 0; j < 4; ++j) EXPECT_TRUE(answer->opener_key->public_shares[j] == opener_key.public_shares[j]);
}

TEST_F(TrusteesOpeningReaderTest, ExactlyTPartialOpeningsNameTheHospitalAndTMinusOneGiveTheCount) {
  const chain::Digest request_id = commit_request(true);
  // Trustee 3 is offline.
  ASSERT_TRUE(chain.commit({duty_answer(2, request_id), duty_answer(4, request_id)}).ok());
  auto too_few = open_with_partial_openings(opener_key, registries, request_id, records, opening_answers(proven(request_id)));
  ASSERT_FALSE(too_few.ok());
  EXPECT_NE(too_few.status().to_string().find("2 of the 4 trustees answered"), std::string::npos)
      << too_few.status().to_string();
  EXPECT_NE(too_few.status().to_string().find("only 2 valid partial openings"), std::string::npos)
      << too_few.status().to_string();

  const Bytes third = duty_answer(1, request_id);
  ASSERT_TRUE(chain.app->check_tx(third).ok()) << chain.app->check_tx(third).to_string();
  ASSERT_TRUE(chain.commit({third}).ok());
  const ProvenAccessRequest p = proven(request_id);
  auto opened = open_with_partial_openings(opener_key, registries, request_id, records, opening_answers(p));
  ASSERT_TRUE(opened.ok()) << opened.status().to_string();
  ASSERT_EQ(opened->records.size(), 2u);
  for (const OpenedRecord& r : opened->records) {
    EXPECT_EQ(r.member, "westgate");
    EXPECT_EQ(r.used, (std::vector<std::uint16_t>{1, 2, 4}));
  }
  EXPECT_EQ(opened->answered, (std::vector<std::uint16_t>{1, 2, 4}));
  EXPECT_TRUE(opened->rejected.empty());
  // The same answers carried the decryption shares: the request asked for both.
  std::vector<TrusteeAnswer> shares;
  for (const auto& a : p.answers) shares.push_back({a.shares.trustee, a.shares.share_boxes});
  std::vector<RecordToRead> to_read = sealed_records;
  std::sort(to_read.begin(), to_read.end(), [](const RecordToRead& a, const RecordToRead& b) { return a.record_id < b.record_id; });
  auto read = read_with_decryption_shares(access_key, request_id, requester.secret(), to_read, shares);
  ASSERT_TRUE(read.ok()) << read.status().to_string();
  EXPECT_EQ(read->visits.size(), 2u);
}

TEST_F(TrusteesOpeningReaderTest, ABadPartialOpeningIsNamedAndTheOthersCombine) {
  const chain::Digest request_id = commit_request(true);
  auto bad = std::get<chain::DecryptionSharesTx>(chain::decode_transaction(duty_answer(3, request_id)).value());
  bad.partial_openings[1].partial_opening[200] ^= 0x01;  // inside the proof: the binding holds
  ASSERT_TRUE(chain.commit({chain.signed_by(bad, 3), duty_answer(1, request_id), duty_answer(4, request_id)}).ok());
  auto short_one = open_with_partial_openings(opener_key, registries, request_id, records,
                                              opening_answers(proven(request_id)));
  ASSERT_FALSE(short_one.ok());
  EXPECT_NE(short_one.status().to_string().find("trustee 3"), std::string::npos) << short_one.status().to_string();

  ASSERT_TRUE(chain.commit({duty_answer(2, request_id)}).ok());
  auto opened = open_with_partial_openings(opener_key, registries, request_id, records, opening_answers(proven(request_id)));
  ASSERT_TRUE(opened.ok()) << opened.status().to_string();
  ASSERT_EQ(opened->rejected.size(), 1u);
  EXPECT_EQ(opened->rejected[0].trustee, 3);
  EXPECT_EQ(opened->records[0].used, (std::vector<std::uint16_t>{1, 2, 3}));
  EXPECT_EQ(opened->records[1].used, (std::vector<std::uint16_t>{1, 2, 4}));
  for (const OpenedRecord& r : opened->records) EXPECT_EQ(r.member, "westgate");
}

TEST_F(TrusteesOpeningReaderTest, TheJudgeAcceptsTheChainsEvidenceAndRefusesAlteredEvidence) {
  const chain::Digest request_id = commit_request(true);
  ASSERT_TRUE(chain.commit({duty_answer(1, request_id), duty_answer(2, request_id), duty_answer(4, request_id)}).ok());
  const ProvenAccessRequest p = proven(request_id);
  const TrustedAccessKey key = trusted_key();
  const VerifiedItem record = record_item(records[0].record_id);
  const groupsig::GroupPublicKey& gpk = chain::testing::trustees_chain_group().gpk;
  const groupsig::Registry& registry = registries.at(0);

  auto judged = judge_opening_evidence(p, record, key, gpk, registry, "westgate");
  ASSERT_TRUE(judged.ok()) << judged.status().to_string();
  EXPECT_EQ(judged->trustees, (std::vector<std::uint16_t>{1, 2, 4}));

  // Another member: refused.
  groupsig::GroupSetup& group = chain::testing::trustees_chain_group();
  static const bool enrolled = groupsig::enroll(group.issuer, group.gpk, group.registry, "northfield").ok();
  ASSERT_TRUE(enrolled);
  auto other = judge_opening_evidence(p, record, key, gpk, group.registry, "northfield");
  EXPECT_FALSE(other.ok());
  // t-1 partial openings: refused.
  ProvenAccessRequest fewer = p;
  fewer.answers.pop_back();
  auto short_evidence = judge_opening_evidence(fewer, record, key, gpk, registry, "westgate");
  EXPECT_FALSE(short_evidence.ok());
  // An altered partial opening: refused, naming the trustee.
  ProvenAccessRequest altered = p;
  for (auto& e : altered.answers[1].shares.partial_openings) e.partial_opening[220] ^= 0x01;
  auto bad = judge_opening_evidence(altered, record, key, gpk, registry, "westgate");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().to_string().find("trustee 2"), std::string::npos) << bad.status().to_string();
  // A request that asked only to decrypt holds no evidence.
  const chain::Digest decrypt_only = commit_request(false);
  auto none = judge_opening_evidence(proven(decrypt_only), record, key, gpk, registry, "westgate");
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.status().to_string().find("did not ask to open"), std::string::npos) << none.status().to_string();
}

}  // namespace
}  // namespace hc::client

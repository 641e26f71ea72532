// Issue 13 on the chain: the trustees' DKG driven entirely through chain transactions (m = 4
// and m = 7; one trustee deals a bad share and is disqualified by a complaint, one is
// offline, one complains without reason), its deterministic end stored in state, a failed
// epoch and the next one, and every refusal of deals, complaints and key-epoch starts.
#include <gtest/gtest.h>

#include "chain/limits.h"
#include "chain/proposed_block.h"
#include "chain/trustees_chain.h"
#include "crypto/threshold/dkg_complaint.h"
#include "crypto/threshold/dkg_outcome.h"

namespace hc::chain {
namespace {

using crypto::P256Point;
using crypto::P256Scalar;
using testing::TrusteesChain;
namespace th = crypto::threshold;

constexpr std::uint64_t W = kDkgWindowBlocks;

// The deal of `dealer` with a wrong share for `victim` (a random scalar in a valid box).
th::DkgDeal bad_deal(const th::DkgParams& params, std::uint16_t dealer, std::uint16_t victim) {
  th::DkgDeal deal = th::make_deal(params, dealer).value();
  {
    const auto sealed = th::seal_dkg_share(params, dealer, victim, P256Scalar::random_nonzero()).value();
    deal.share_boxes[victim - 1] = sealed.box;
    deal.box_proofs[victim - 1] = sealed.ephemeral_proof;
  }
  return deal;
}

// Runs a DKG for m trustees on the chain: dealer 2 deals a bad share to trustee 1, trustee m
// is offline, trustee 3 complains about dealer 1 without reason. Returns the stored outcome.
void run_dkg_with_faults(std::size_t m) {
  TrusteesChain chain(m, default_trustee_threshold(m), "dkg");
  const th::DkgParams params = chain.params();
  const std::uint16_t offline = static_cast<std::uint16_t>(m);
  std::vector<std::optional<th::DkgDeal>> deals(m);
  std::vector<Bytes> deal_txs;
  for (std::uint16_t i = 1; i < offline; ++i) {
    deals[i - 1] = i == 2 ? bad_deal(params, 2, 1) : th::make_deal(params, i).value();
    deal_txs.push_back(chain.deal_tx(*deals[i - 1]));
  }
  for (const Bytes& tx : deal_txs) ASSERT_TRUE(chain.app->check_tx(tx).ok()) << chain.app->check_tx(tx).to_string();
  auto committed = chain.commit(deal_txs);
  ASSERT_TRUE(committed.ok()) << committed.status().to_string();

  // Trustee 1 finds dealer 2's share bad; the others accept every share.
  for (std::uint16_t j = 1; j < offline; ++j) {
    for (std::uint16_t i = 1; i < offline; ++i) {
      const bool good = th::receive_share(params, *deals[i - 1], j, chain.secret(j)).ok();
      EXPECT_EQ(good, !(i == 2 && j == 1)) << "dealer " << i << " trustee " << j;
    }
  }
  chain.advance_to(W);
  auto justified = th::make_complaint(params, *deals[1], 1, chain.secret(1)).value();
  auto unfounded = th::make_complaint(params, *deals[0], 3, chain.secret(3)).value();
  ASSERT_TRUE(chain.commit({chain.complaint_tx(justified), chain.complaint_tx(unfounded)}).ok());

  chain.advance_to(2 * W);
  EXPECT_TRUE(chain.app->query("access_key").status().code() == ErrorCode::kNotFound);
  ASSERT_TRUE(chain.commit({}).ok());  // height 2W+1 finalizes
  auto stored = read_current_access_key(StoreTrusteeView(*chain.store)).value();
  ASSERT_TRUE(stored.has_value());
  ASSERT_TRUE(stored->formed.has_value()) << stored->failure;
  const th::DkgOutcome& outcome = *stored->formed;
  EXPECT_EQ(stored->finalized_at_height, 2 * W + 1);
  EXPECT_EQ(outcome.disqualified, std::vector<std::uint16_t>{2});
  EXPECT_EQ(outcome.absent, std::vector<std::uint16_t>{offline});
  EXPECT_EQ(outcome.rejected_complainers, std::vector<std::uint16_t>{3});
  EXPECT_EQ(outcome.qualified.size(), m - 2);
  auto complaints = read_complaints(StoreTrusteeView(*chain.store), 0).value();
  ASSERT_EQ(complaints.size(), 2u);
  EXPECT_EQ(complaints[0].status, ComplaintStatus::kConvictsDealer);
  EXPECT_EQ(complaints[1].status, ComplaintStatus::kUnfounded);

  // The chain's outcome is finalize_dkg over the transcript, and every trustee (the offline
  // one too, from the deals on the chain) holds a secret share matching its public share.
  auto direct = th::finalize_dkg(params, deals, {justified, unfounded}).value();
  EXPECT_EQ(direct.key.group_key, outcome.key.group_key);
  EXPECT_EQ(direct.key.key_id, outcome.key.key_id);
  for (std::uint16_t j = 1; j <= m; ++j) {
    auto x = th::trustee_secret_share(params, outcome, deals, j, chain.secret(j));
    ASSERT_TRUE(x.ok()) << "trustee " << j << ": " << x.status().to_string();
    EXPECT_EQ(P256Point::base_mul(*x), outcome.key.public_shares[j - 1]) << "trustee " << j;
  }
  auto q = chain.app->query("access_key");
  ASSERT_TRUE(q.ok()) << q.status().to_string();
  EXPECT_EQ((*q)["key_epoch"], "0");
  EXPECT_EQ((*q)["key_id"], to_hex(outcome.key.key_id));
  EXPECT_EQ((*q)["public_shares"].size(), m);
  auto transcript = chain.app->query("dkg/0");
  ASSERT_TRUE(transcript.ok()) << transcript.status().to_string();
  EXPECT_EQ((*transcript)["deals"].size(), m - 1);
  EXPECT_EQ((*transcript)["complaints"].size(), 2u);
  EXPECT_EQ((*transcript)["outcome"]["disqualified"], nlohmann::json::array({2}));
}

TEST(TrusteesDkgTest, FourTrusteesFormTheKeyDespiteABadDealerAndAnOfflineOne) { run_dkg_with_faults(4); }
TEST(TrusteesDkgTest, SevenTrusteesFormTheKeyDespiteABadDealerAndAnOfflineOne) { run_dkg_with_faults(7); }

// Regression (session 6): the stored outcome's key came back with an all-zero chain id (the
// encoding leaves it out), so trustees' decryption shares named "another chain" and every
// real node's answer was refused.
TEST(TrusteesDkgTest, TheStoredKeyNamesItsChainAndEpochAsFinalizeDkgDoes) {
  TrusteesChain chain(4, 3, "dkg-stored-key");
  const th::DkgParams params = chain.params();
  std::vector<std::optional<th::DkgDeal>> deals(4);
  std::vector<Bytes> txs;
  for (std::uint16_t i = 1; i <= 4; ++i) {
    deals[i - 1] = th::make_deal(params, i).value();
    txs.push_back(chain.deal_tx(*deals[i - 1]));
  }
  ASSERT_TRUE(chain.commit(txs).ok());
  chain.advance_to(2 * W + 1);
  const th::DkgOutcome direct = th::finalize_dkg(params, deals, {}).value();
  const auto stored = read_current_access_key(StoreTrusteeView(*chain.store)).value();
  ASSERT_TRUE(stored.has_value() && stored->formed.has_value());
  EXPECT_EQ(stored->formed->key.chain_id, chain.chain_id());
  EXPECT_EQ(stored->formed->key.chain_id, direct.key.chain_id);
  EXPECT_EQ(stored->formed->key.epoch, direct.key.epoch);
  EXPECT_EQ(stored->formed->key.key_id, direct.key.key_id);
}

TEST(TrusteesDkgTest, TooFewQualifiedDealersFailTheEpochAndANewEpochRetries) {
  TrusteesChain chain(4, 3, "dkg-fail");
  // m - t + 1 = 2 dealers are needed; only trustee 1 deals.
  ASSERT_TRUE(chain.commit({chain.deal_tx(th::make_deal(chain.params(), 1).value())}).ok());
  chain.advance_to(2 * W + 1);
  auto outcome = read_outcome(StoreTrusteeView(*chain.store), 0).value();
  ASSERT_TRUE(outcome.has_value());
  EXPECT_FALSE(outcome->formed.has_value());
  EXPECT_NE(outcome->failure.find("only 1 of the 2"), std::string::npos) << outcome->failure;
  EXPECT_FALSE(read_current_access_key(StoreTrusteeView(*chain.store)).value().has_value());
  // No access key: requests are refused.
  Bytes request = chain.manager_signed(chain.request(chain.c.serial_of(1), chain.next_block_time()));
  EXPECT_NE(chain.app->check_tx(request).message().find("has no access key"), std::string::npos);

  // The manager starts key epoch 1; its DKG runs from the next block.
  const std::uint64_t start = chain.height() + 1;
  ASSERT_TRUE(chain.commit({chain.epoch_start_tx(1)}).ok());
  EXPECT_EQ(read_key_epoch(StoreTrusteeView(*chain.store)).value(), (KeyEpochState{1, start}));
  std::vector<Bytes> deals;
  for (std::uint16_t i = 1; i <= 4; ++i) deals.push_back(chain.deal_tx(th::make_deal(chain.params(1), i).value(), 1));
  // A deal of the failed epoch 0 is refused now.
  EXPECT_NE(chain.app->check_tx(chain.deal_tx(th::make_deal(chain.params(), 2).value())).message().find("not the running DKG"),
            std::string::npos);
  ASSERT_TRUE(chain.commit(deals).ok());
  chain.advance_to(start + 2 * W + 1);
  auto key = read_current_access_key(StoreTrusteeView(*chain.store)).value();
  ASSERT_TRUE(key.has_value());
  ASSERT_TRUE(key->formed.has_value());
  EXPECT_EQ(key->key_epoch, 1u);
  EXPECT_EQ(key->formed->qualified.size(), 4u);
}

// The DKG's state lives in the store: a replica restarted mid-DKG continues it and finalizes
// the same key, and still refuses a second deal of a dealer.
TEST(TrusteesDkgTest, ARestartedReplicaContinuesTheDkgFromTheStore) {
  TrusteesChain chain(4, 3, "dkg-restart");
  const th::DkgParams params = chain.params();
  ASSERT_TRUE(chain.commit({chain.deal_tx(th::make_deal(params, 1).value()), chain.deal_tx(th::make_deal(params, 2).value())}).ok());
  chain.app.reset();
  chain.store.reset();
  chain.store = std::move(LedgerStore::open(chain.dir.path())).value();
  chain.app = std::move(HealthchainApp::start(*chain.store, chain.c.group(), chain.c.certificates())).value();
  EXPECT_NE(chain.app->check_tx(chain.deal_tx(th::make_deal(params, 1).value())).message().find("already dealt"),
            std::string::npos);
  ASSERT_TRUE(chain.commit({chain.deal_tx(th::make_deal(params, 3).value())}).ok());
  chain.advance_to(2 * W + 1);
  auto key = read_current_access_key(StoreTrusteeView(*chain.store)).value();
  ASSERT_TRUE(key.has_value() && key->formed.has_value());
  EXPECT_EQ(key->formed->qualified, (std::vector<std::uint16_t>{1, 2, 3}));
}

TEST(TrusteesDkgTest, BadDealsAreRefused) {
  TrusteesChain chain(4, 3, "dkg-bad-deals");
  const th::DkgParams params = chain.params();
  const th::DkgDeal deal1 = th::make_deal(params, 1).value();
  auto refused = [&](const Bytes& tx, const std::string& why) {
    Status s = chain.app->check_tx(tx);
    EXPECT_FALSE(s.ok()) << why;
    EXPECT_NE(s.message().find(why), std::string::npos) << s.to_string();
    EXPECT_FALSE(chain.validate({tx}).ok()) << why;
  };
  // Another chain, another epoch, no such trustee.
  DkgDealTx other_chain{Digest{}, 0, 1, th::encode_deal(params, deal1), {}};
  refused(chain.signed_by(other_chain, 1), "names another chain");
  refused(chain.deal_tx(th::make_deal(chain.params(1), 1).value(), 1), "not the running DKG");
  DkgDealTx no_trustee{chain.chain_id(), 0, 5, th::encode_deal(params, deal1), {}};
  Transaction unsigned_tx = no_trustee;
  *std::get_if<DkgDealTx>(&unsigned_tx) = no_trustee;
  refused(encode_transaction(unsigned_tx), "5 is not a trustee of this chain");
  // Signed by someone else than the dealer it names: nobody deals in a trustee's name.
  DkgDealTx forged{chain.chain_id(), 0, 1, th::encode_deal(params, deal1), {}};
  Transaction forged_tx = forged;
  ASSERT_TRUE(sign_trustee_tx(forged_tx, chain.secret(2)).ok());
  EXPECT_EQ(chain.app->check_tx(encode_transaction(forged_tx)).code(), ErrorCode::kAuthFailed);
  // A deal of dealer 2 posted as dealer 1; a deal that does not decode for these params.
  DkgDealTx swapped{chain.chain_id(), 0, 1, th::encode_deal(params, th::make_deal(params, 2).value()), {}};
  refused(chain.signed_by(swapped, 1), "another dealer's");
  DkgDealTx garbage{chain.chain_id(), 0, 1, Bytes(100, 7), {}};
  refused(chain.signed_by(garbage, 1), "dkg deal: ");
  DkgDealTx other_params{chain.chain_id(), 0, 1, th::encode_deal(chain.params(1), th::make_deal(chain.params(1), 1).value()), {}};
  refused(chain.signed_by(other_params, 1), "dkg deal: ");
  // Twice in one block, then again once committed.
  const Bytes good = chain.deal_tx(deal1);
  const Bytes again = chain.deal_tx(th::make_deal(params, 1).value());
  EXPECT_NE(chain.validate({good, again}).message().find("already dealt"), std::string::npos);
  ASSERT_TRUE(chain.commit({good}).ok());
  refused(again, "already dealt");
  // After the deal window.
  chain.advance_to(W);
  refused(chain.deal_tx(th::make_deal(params, 3).value()), "outside the deal window");
}

TEST(TrusteesDkgTest, BadComplaintsAreRefusedOrRecordedAgainstTheirSender) {
  TrusteesChain chain(4, 3, "dkg-bad-complaints");
  const th::DkgParams params = chain.params();
  const th::DkgDeal deal1 = bad_deal(params, 1, 2);
  ASSERT_TRUE(chain.commit({chain.deal_tx(deal1), chain.deal_tx(th::make_deal(params, 3).value())}).ok());
  auto refused = [&](const Bytes& tx, const std::string& why) {
    Status s = chain.app->check_tx(tx);
    EXPECT_FALSE(s.ok()) << why;
    EXPECT_NE(s.message().find(why), std::string::npos) << s.to_string();
  };
  const th::DkgComplaint justified = th::make_complaint(params, deal1, 2, chain.secret(2)).value();
  refused(chain.complaint_tx(justified), "outside the complaint window");  // still in the deal window
  chain.advance_to(W);
  // Against a trustee that has not dealt (dealer 4's deal exists only off the chain).
  const th::DkgDeal deal4 = th::make_deal(params, 4).value();
  refused(chain.complaint_tx(th::make_complaint(params, deal4, 2, chain.secret(2)).value()), "has not dealt");
  // In another trustee's name: the complaint says complainer 2, the transaction trustee 3.
  DkgComplaintTx swapped{chain.chain_id(), 0, 3, th::encode_complaint(params, justified), {}};
  refused(chain.signed_by(swapped, 3), "another trustee's");
  DkgComplaintTx forged{chain.chain_id(), 0, 2, th::encode_complaint(params, justified), {}};
  Transaction forged_tx = forged;
  ASSERT_TRUE(sign_trustee_tx(forged_tx, chain.secret(3)).ok());
  EXPECT_EQ(chain.app->check_tx(encode_transaction(forged_tx)).code(), ErrorCode::kAuthFailed);
  DkgComplaintTx garbage{chain.chain_id(), 0, 2, Bytes(188, 1), {}};
  refused(chain.signed_by(garbage, 2), "dkg complaint: ");
  // An invalid complaint (its proof broken) is committed and recorded against its sender.
  th::DkgComplaint broken = th::make_complaint(params, deal1, 4, chain.secret(4)).value();
  broken.proof.response = broken.proof.response + P256Scalar::from_u64(1);
  ASSERT_TRUE(chain.commit({chain.complaint_tx(justified), chain.complaint_tx(broken)}).ok());
  refused(chain.complaint_tx(th::make_complaint(params, deal1, 2, chain.secret(2)).value()), "already complained");
  chain.advance_to(2 * W);
  refused(chain.complaint_tx(th::make_complaint(params, deal1, 3, chain.secret(3)).value()), "outside the complaint window");
  auto complaints = read_complaints(StoreTrusteeView(*chain.store), 0).value();
  ASSERT_EQ(complaints.size(), 2u);
  EXPECT_EQ(complaints[0].status, ComplaintStatus::kConvictsDealer);
  EXPECT_EQ(complaints[1].status, ComplaintStatus::kInvalid);
  chain.advance_to(2 * W + 1);
  auto outcome = read_outcome(StoreTrusteeView(*chain.store), 0).value();
  ASSERT_TRUE(outcome.has_value());
  // Dealer 1 convicted, 2 and 4 absent: only dealer 3 qualifies (2 needed).
  EXPECT_FALSE(outcome->formed.has_value());
}

TEST(TrusteesDkgTest, KeyEpochStartsAreRefusedWhileADkgRunsAndWhenMalformed) {
  TrusteesChain chain(4, 3, "dkg-epochs");
  EXPECT_NE(chain.app->check_tx(chain.epoch_start_tx(1)).message().find("still running"), std::string::npos);
  chain.advance_to(2 * W + 1);
  EXPECT_NE(chain.app->check_tx(chain.epoch_start_tx(2)).message().find("next key epoch is 1"), std::string::npos);
  KeyEpochStartTx other_chain{Digest{}, 1, {}};
  EXPECT_NE(chain.app->check_tx(chain.manager_signed(other_chain)).message().find("another chain"), std::string::npos);
  Transaction unsigned_start = KeyEpochStartTx{chain.chain_id(), 1, {}};
  EXPECT_EQ(chain.app->check_tx(encode_transaction(unsigned_start)).code(), ErrorCode::kAuthFailed);
  EXPECT_NE(chain.validate({chain.epoch_start_tx(1), chain.epoch_start_tx(1)}).message().find("duplicate"),
            std::string::npos);
  EXPECT_TRUE(chain.app->check_tx(chain.epoch_start_tx(1)).ok());
}

TEST(TrusteesDkgTest, SingleManagerChainsRefuseEveryTrusteesModeTransaction) {
  testing::TestConsortium c;
  testing::TempDir dir("single-manager-trustees");
  auto store = std::move(LedgerStore::create(dir.path(), c.genesis())).value();
  auto app = std::move(HealthchainApp::start(*store, c.group(), c.certificates())).value();
  Transaction start = KeyEpochStartTx{c.genesis_hash(), 1, {}};
  EXPECT_NE(app->check_tx(encode_transaction(c.signed_manager(start))).message().find("single-manager"), std::string::npos);
  AccessRequestTx request;
  request.chain_id = c.genesis_hash();
  request.timestamp_ms = c.genesis().genesis_time_ms;
  request.purpose = "treatment";
  request.requester_key = P256Point::generator().encode();
  EXPECT_NE(app->check_tx(encode_transaction(c.signed_manager(request))).message().find("single-manager"),
            std::string::npos);
  DkgDealTx deal{c.genesis_hash(), 0, 1, Bytes(10, 1), {}};
  EXPECT_FALSE(app->check_tx(encode_transaction(deal)).ok());
  EXPECT_EQ(app->query("access_key").status().code(), ErrorCode::kNotFound);
}

// Regression: a dealer's two deals (a trustee that deals again, or re-signs: the trustee
// signature is randomized, so the ids differ) were each valid against the committed state,
// both were admitted and the block the primary built held both: every replica refused it.
TEST(TrusteesDkgTest, RegressionTwoDealsOfOneDealerNeverShareAProposedBlock) {
  TrusteesChain chain(4, 3, "dkg-two-deals");
  const th::DkgParams params = chain.params();
  const th::DkgDeal deal1 = th::make_deal(params, 1).value();
  const Bytes first = chain.deal_tx(deal1);
  const Bytes resigned = chain.deal_tx(deal1);
  const Bytes dealt_again = chain.deal_tx(th::make_deal(params, 1).value());
  const Bytes other_dealer = chain.deal_tx(th::make_deal(params, 2).value());
  ASSERT_NE(transaction_id(first), transaction_id(resigned));
  const std::vector<Bytes> block =
      testing::proposed_block(*chain.app, {first, resigned, dealt_again, other_dealer});
  Status committed = chain.commit(block).status();
  ASSERT_TRUE(committed.ok()) << committed.to_string();  // the block the primary built
  EXPECT_EQ(block, (std::vector<Bytes>{first, other_dealer}));
}

}  // namespace
}  // namespace hc::chain

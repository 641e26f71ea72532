// The trustee worker's resharing duties (node/trustee_reshare_duties.cpp; issue 16 item 3) on
// an in-process ledger with real crypto (chain/reshare_chain.h): a 4-hospital trustees chain
// forms its key, a fifth hospital joins, and each hospital's node, with its own key files in
// its own directory, announces a fresh key, deals to the announced keys, complains against a
// bad deal, derives and checks its new share, answers by the request's height with the old or
// the new seat, erases its superseded key file (once it answered what it owes up to the
// finalizing block, or after the grace period), and starts again after erasure or mid-resharing.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "chain/reshare_chain.h"
#include "common/file_io.h"
#include "crypto/p256_key_file.h"
#include "node/access_key_answer.h"
#include "node/trustee_duties.h"
#include "node/trustee_identity.h"
#include "support/temp_dir.h"

namespace hc::node {
namespace {

namespace fs = std::filesystem;
namespace th = crypto::threshold;
using chain::testing::ReshareChain;

SecureBytes reshare_test_passphrase() { return SecureBytes(std::string_view("reshare node passphrase")); }

constexpr std::uint32_t kJoiner = 4;

class TrusteeReshareDutiesTest : public ::testing::Test {
 protected:
  TrusteeReshareDutiesTest() : chain_(4, "node-reshare-duties") {
    chain_.form_key();
    chain_.join('j', "joiner-hospital");
    for (int i = 0; i < 400; ++i) {  // to the join's boundary, where the resharing starts
      auto run = chain::read_latest_reshare_run(chain_.view());
      EXPECT_TRUE(run.ok());
      if (run.ok() && run->has_value()) break;
      chain_.advance_to(chain_.height() + 1);
    }
    run_ = chain_.latest_run();
    for (std::uint32_t m = 0; m <= kJoiner; ++m) nodes_.push_back(make_node(m));
  }

  fs::path node_dir(std::uint32_t member) const { return dir_.path() / ("node-" + std::to_string(member)); }
  fs::path first_key(std::uint32_t member) const { return node_dir(member) / "trustee.key.pem"; }

  // Member `member`'s node as hc-node would start it: a genesis hospital with its genesis seat
  // (while trustee.key.pem exists), the joiner with its enrollment key as its first key file.
  std::unique_ptr<TrusteeDuties> make_node(std::uint32_t member) {
    const bool genesis = member < kJoiner;
    fs::create_directories(node_dir(member));
    if (!fs::exists(first_key(member)) && !fs::exists(node_dir(member) / "trustee.key.r1.pem")) {
      auto pem = crypto::p256_secret_to_encrypted_pem(chain_.current_secret(member), reshare_test_passphrase());
      EXPECT_TRUE(pem.ok());
      EXPECT_TRUE(write_text_file_atomic(first_key(member), *pem, 0600).ok());
    }
    TrusteeIdentity seat;
    if (genesis && fs::exists(first_key(member))) {
      seat.index = static_cast<std::uint16_t>(member + 1);
      seat.secret = chain_.genesis_secrets[member];
      seat.public_key = crypto::P256Point::base_mul(seat.secret).encode();
    }
    return std::make_unique<TrusteeDuties>(*chain_.store, std::move(seat), member,
                                           std::make_unique<TrusteeKeyFiles>(first_key(member), reshare_test_passphrase()),
                                           genesis);
  }

  // Every node's resharing step at the tip: the transactions they post (labels in `labels`).
  std::vector<Bytes> step_all(std::vector<std::string>* labels = nullptr, std::vector<TrusteeStatus>* statuses = nullptr) {
    std::vector<Bytes> out;
    for (auto& node : nodes_) {
      TrusteeStatus status;
      auto due = node->reshare_step(status);
      EXPECT_TRUE(due.ok()) << "member " << node->member_id() << ": " << due.status().to_string();
      if (!due.ok()) continue;
      for (TrusteeTx& tx : *due) {
        if (labels) labels->push_back(std::to_string(node->member_id()) + ": " + tx.label);
        out.push_back(std::move(tx.encoding));
      }
      if (statuses) statuses->push_back(status);
    }
    return out;
  }

  chain::ReshareSchedule schedule() const { return chain::testing::schedule_when_all_announce(run_); }

  // Announcements and deals by the nodes; `replace_deal` (if set) is committed instead of the
  // deal of its dealer. Leaves the tip at the last deal height.
  void announce_and_deal(const std::optional<Bytes>& replace_deal = std::nullopt, std::uint16_t replaced_dealer = 0) {
    std::vector<std::string> labels;
    std::vector<Bytes> keys = step_all(&labels);
    ASSERT_EQ(keys.size(), 5u) << ::testing::PrintToString(labels);
    chain_.commit_ok(std::move(keys));
    chain_.advance_to(schedule().last_key_height);
    if (replace_deal) chain_.commit_ok({*replace_deal});  // committed first: the node sees it and does not deal
    labels.clear();
    std::vector<Bytes> deals = step_all(&labels);
    ASSERT_EQ(deals.size(), replace_deal ? 3u : 4u) << ::testing::PrintToString(labels);
    for (const std::string& l : labels) EXPECT_NE(l.find("reshare deal as old seat"), std::string::npos) << l;
    if (replace_deal) {
      for (const std::string& l : labels) EXPECT_EQ(l.find("old seat " + std::to_string(replaced_dealer)), std::string::npos);
    }
    chain_.commit_ok(std::move(deals));
    chain_.advance_to(schedule().last_deal_height);
  }

  test::TempDir dir_;
  ReshareChain chain_;
  chain::ReshareRun run_;
  std::vector<std::unique_ptr<TrusteeDuties>> nodes_;
};

TEST_F(TrusteeReshareDutiesTest, ANewSeatComplainsAgainstADealWhoseShareToItFails) {
  // Old seat 2 deals a bad share to the joiner (new seat 5), with a valid ephemeral proof.
  ASSERT_NO_FATAL_FAILURE([&] {
    std::vector<Bytes> keys = step_all();
    ASSERT_EQ(keys.size(), 5u);
    chain_.commit_ok(std::move(keys));
    chain_.advance_to(schedule().last_key_height);
  }());
  const chain::ReshareSetting setting = chain_.setting(run_);
  th::AccessReshareDeal bad = chain_.deal(setting, 2);
  const th::ProvenBox sealed =
      th::seal_reshare_share(setting.params, 2, 5, crypto::P256Scalar::random_nonzero()).value();
  bad.share_boxes[4] = sealed.box;
  bad.box_proofs[4] = sealed.ephemeral_proof;
  chain_.commit_ok({chain_.deal_tx(setting, bad)});
  std::vector<std::string> labels;
  std::vector<Bytes> deals = step_all(&labels);
  ASSERT_EQ(deals.size(), 3u) << ::testing::PrintToString(labels);
  chain_.commit_ok(std::move(deals));
  chain_.advance_to(schedule().last_deal_height);
  labels.clear();
  std::vector<Bytes> complaints = step_all(&labels);
  ASSERT_EQ(labels, (std::vector<std::string>{"4: reshare complaint against old dealer 2 (resharing epoch 1)"}));
  chain_.commit_ok(std::move(complaints));
  EXPECT_TRUE(step_all().empty()) << "one complaint per bad deal";
  chain_.advance_to(schedule().finalize_height);
  auto record = chain::read_reshare_outcome(chain_.view(), run_.reshare_epoch);
  ASSERT_TRUE(record.ok() && record->has_value() && (*record)->formed.has_value());
  EXPECT_EQ((*record)->disqualified, (std::vector<std::uint16_t>{2}));
  std::vector<TrusteeStatus> statuses;
  step_all(nullptr, &statuses);
  EXPECT_TRUE(statuses[kJoiner].share_ready) << statuses[kJoiner].last_error;
}

// One fixture for the whole honest run (each fixture builds a chain through a DKG, a join and
// its boundary: a few seconds, so the CI budget gets one).
TEST_F(TrusteeReshareDutiesTest, DealsToAnnouncedKeysFormTheSharingThatAnswersLaterRequestsAndTheOldKeyIsErased) {
  ASSERT_EQ(run_.members, (std::vector<std::uint32_t>{0, 1, 2, 3, 4}));
  ASSERT_NO_FATAL_FAILURE(announce_and_deal());
  // The fresh keys are on disk, encrypted, one per node, and are the announced ones.
  auto announced = chain::read_reshare_keys(chain_.view(), run_.reshare_epoch);
  ASSERT_TRUE(announced.ok());
  ASSERT_EQ(announced->size(), 5u);
  for (const chain::ReshareAnnouncement& a : *announced) {
    auto key = crypto::load_p256_key(node_dir(a.member) / "trustee.key.r1.pem", reshare_test_passphrase());
    ASSERT_TRUE(key.ok()) << key.status().to_string();
    EXPECT_EQ(crypto::P256Point::base_mul(*key).encode(), a.key);
  }
  EXPECT_TRUE(step_all().empty()) << "honest deals draw no complaint";
  // GET /v1/access-key: no resharing listed while it runs (its answer is cached) ...
  AccessKeyAnswers answers;
  auto running = answers.answer(*chain_.store, std::nullopt);
  ASSERT_TRUE(running.ok()) << running.status().to_string();
  EXPECT_TRUE((*running)["resharings"].empty()) << running->dump();
  chain_.advance_to(schedule().finalize_height);
  // ... and once it has ended, its committed announcements, deals and complaints as items.
  auto ended = answers.answer(*chain_.store, std::string("0"));
  ASSERT_TRUE(ended.ok()) << ended.status().to_string();
  ASSERT_EQ((*ended)["resharings"].size(), 1u) << "the cached answer was served after the resharing ended";
  const auto& listed = (*ended)["resharings"][0];
  EXPECT_EQ(listed["reshare_epoch"], 1);
  EXPECT_EQ(listed["formed"], true);
  EXPECT_EQ(listed["announcements"].size(), 5u);
  EXPECT_EQ(listed["deals"].size(), 4u);
  EXPECT_TRUE(listed["complaints"].empty());
  for (const auto& d : listed["deals"]) EXPECT_TRUE(d["item"].is_object());
  auto record = chain::read_reshare_outcome(chain_.view(), run_.reshare_epoch);
  ASSERT_TRUE(record.ok() && record->has_value());
  ASSERT_TRUE((*record)->formed.has_value()) << (*record)->failure;
  EXPECT_EQ((*record)->qualified, (std::vector<std::uint16_t>{1, 2, 3, 4}));
  std::vector<TrusteeStatus> statuses;
  EXPECT_TRUE(step_all(nullptr, &statuses).empty());
  ASSERT_EQ(statuses.size(), 5u);
  for (std::uint32_t m = 0; m <= kJoiner; ++m) {
    EXPECT_EQ(statuses[m].reshare_phase, "formed");
    EXPECT_EQ(statuses[m].sharing_reshare_epoch, 1u);
    EXPECT_EQ(statuses[m].sharing_seat, m + 1) << "member " << m;
    EXPECT_TRUE(statuses[m].share_ready) << "member " << m << ": " << statuses[m].last_error;
  }
  const std::uint64_t f = schedule().finalize_height;
  for (std::uint32_t m = 0; m <= kJoiner; ++m) {
    auto old_seat = nodes_[m]->answering_seat(0, f);
    ASSERT_TRUE(old_seat.ok()) << old_seat.status().to_string();
    if (m == kJoiner) {
      EXPECT_FALSE(old_seat->has_value()) << "the joiner holds no seat before the finalizing block";
    } else {
      ASSERT_TRUE(old_seat->has_value());
      EXPECT_EQ((*old_seat)->reshare_epoch, 0u);
      EXPECT_EQ((*old_seat)->index, m + 1);
      EXPECT_EQ(crypto::P256Point::base_mul(*(*old_seat)->share), (*old_seat)->key.public_shares[m]);
    }
    auto new_seat = nodes_[m]->answering_seat(0, f + 1);
    ASSERT_TRUE(new_seat.ok() && new_seat->has_value()) << m;
    EXPECT_EQ((*new_seat)->reshare_epoch, 1u);
    EXPECT_EQ((*new_seat)->index, m + 1);
    EXPECT_EQ((*new_seat)->key.threshold, 3u);
    EXPECT_EQ((*new_seat)->key.public_shares.size(), 5u);
    EXPECT_EQ(crypto::P256Point::base_mul(*(*new_seat)->share), (*new_seat)->key.public_shares[m]);
    EXPECT_EQ((*new_seat)->key.group_key, chain_.dkg.key.group_key) << "the key itself does not change";
  }
  // Not yet: a request committed up to F is still owed (answered through F-1 only).
  auto early = nodes_[0]->erase_superseded_keys(f - 1);
  ASSERT_TRUE(early.ok()) << early.status().to_string();
  EXPECT_TRUE(early->empty());
  EXPECT_TRUE(fs::exists(first_key(0)));
  // ... but a request that cannot be answered does not keep the old share alive past the grace.
  chain_.advance_to(f + TrusteeDuties::kEraseGraceBlocks);
  auto late = nodes_[0]->erase_superseded_keys(f - 1);
  ASSERT_TRUE(late.ok()) << late.status().to_string();
  EXPECT_EQ(*late, std::vector<std::uint64_t>{0});
  // Answered through F: the genesis key file goes, and with it the old seat.
  for (std::uint32_t m = 1; m <= kJoiner; ++m) {
    auto erased = nodes_[m]->erase_superseded_keys(f);
    ASSERT_TRUE(erased.ok()) << erased.status().to_string();
    EXPECT_EQ(*erased, m == kJoiner ? std::vector<std::uint64_t>{} : std::vector<std::uint64_t>{0}) << m;
  }
  for (std::uint32_t m = 0; m < kJoiner; ++m) {
    EXPECT_FALSE(fs::exists(first_key(m))) << m;
    auto old_seat = nodes_[m]->answering_seat(0, f);
    ASSERT_TRUE(old_seat.ok());
    EXPECT_FALSE(old_seat->has_value()) << "member " << m << " still answers with its old share";
  }
  EXPECT_TRUE(fs::exists(first_key(kJoiner))) << "the joiner's enrollment key holds no share and stays";
  // A restart after erasure: hc-node's start check uses the sharing in force, and the node
  // answers with its new seat without the old key.
  NodeConfig config;
  config.node_id = 1;
  config.trustee_key_file = first_key(1);
  auto start = load_trustee_start(config, *chain_.store, reshare_test_passphrase());
  ASSERT_TRUE(start.ok()) << start.status().to_string();
  ASSERT_TRUE(start->has_value());
  EXPECT_EQ((*start)->sharing_reshare_epoch, 1u);
  EXPECT_EQ((*start)->sharing_seat, 2u);
  EXPECT_EQ((*start)->genesis_seat.index, 0u);
  nodes_[1] = make_node(1);
  auto seat = nodes_[1]->answering_seat(0, f + 1);
  ASSERT_TRUE(seat.ok() && seat->has_value());
  EXPECT_EQ((*seat)->index, 2u);
  // Without the key file of the sharing in force hc-node refuses, naming the file.
  ASSERT_TRUE(fs::remove(node_dir(1) / "trustee.key.r1.pem"));
  auto refused = load_trustee_start(config, *chain_.store, reshare_test_passphrase());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(refused.status().message().find("trustee.key.r1.pem is missing"), std::string::npos)
      << refused.status().message();
  EXPECT_EQ(refused.status().message().find('\n'), std::string::npos);
}

TEST_F(TrusteeReshareDutiesTest, ANodeRestartedMidResharingReusesItsFreshKeyAndDealsOnce) {
  // Member 0 announces, but its announcement is lost (never committed); it restarts.
  TrusteeStatus status;
  auto first = nodes_[0]->reshare_step(status);
  ASSERT_TRUE(first.ok() && first->size() == 1u);
  const auto fresh_before = crypto::load_p256_key(node_dir(0) / "trustee.key.r1.pem", reshare_test_passphrase());
  ASSERT_TRUE(fresh_before.ok());
  nodes_[0] = make_node(0);
  std::vector<Bytes> keys = step_all();
  ASSERT_EQ(keys.size(), 5u);
  const auto fresh_after = crypto::load_p256_key(node_dir(0) / "trustee.key.r1.pem", reshare_test_passphrase());
  ASSERT_TRUE(fresh_after.ok());
  EXPECT_EQ(crypto::P256Point::base_mul(*fresh_after), crypto::P256Point::base_mul(*fresh_before))
      << "a restart made a second fresh key for one resharing epoch";
  chain_.commit_ok(std::move(keys));
  chain_.advance_to(schedule().last_key_height);
  // Member 2 deals, its deal commits, then it restarts: it does not deal again.
  TrusteeStatus s2;
  auto deal = nodes_[2]->reshare_step(s2);
  ASSERT_TRUE(deal.ok() && deal->size() == 1u);
  chain_.commit_ok({(*deal)[0].encoding});
  nodes_[2] = make_node(2);
  std::vector<std::string> labels;
  std::vector<Bytes> deals = step_all(&labels);
  EXPECT_EQ(deals.size(), 3u) << ::testing::PrintToString(labels);
  for (const std::string& l : labels) EXPECT_NE(l.rfind("2:", 0), 0u) << l;
  chain_.commit_ok(std::move(deals));
  chain_.advance_to(schedule().finalize_height);
  // The joiner restarted after the finalizing block derives its new share from the chain.
  nodes_[kJoiner] = make_node(kJoiner);
  auto seat = nodes_[kJoiner]->answering_seat(0, schedule().finalize_height + 1);
  ASSERT_TRUE(seat.ok() && seat->has_value()) << (seat.ok() ? "no seat" : seat.status().to_string());
  EXPECT_EQ((*seat)->index, 5u);
}

}  // namespace
}  // namespace hc::node

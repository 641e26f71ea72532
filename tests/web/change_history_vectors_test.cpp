// tests/vectors/change_history.json: what the doctors' page must agree with when it follows the
// consortium's membership changes (web/doctor/configuration_history.js,
// following_certificates.js; docs/consensus.md section 2c, "Clients follow the changes"),
// computed by our C++ code from real in-process ledgers whose certificates are signed by each
// height's own configuration:
//   - a chain with a join accepted at height 2 and an exit at 3 (boundary 80: configuration 1
//     is {0, 1, 2, 4}), a second join at 82 (boundary 160: configuration 2 is {0, 1, 2, 4, 5})
//     and an envelope key published at 162, above both boundaries. The vectors hold its
//     GET /v1/consortium/changes answer (chain::change_proofs_to_json, what hc-node serves),
//     the GET /v1/envelope-key answer the node builds (node::EnvelopeKeyAnswerBuilder), blocks
//     below and above the boundaries with hc's verdict on each (genesis configuration only, and
//     client::FollowingCertificateVerifier, with the number of history fetches after each),
//     refusals with hc's one-line error (altered state-change bytes, a certificate by the wrong
//     configuration, a gap, a successor that is not the next block, malformed and oversized
//     JSON), a node withholding the last change, a later answer that drops or alters a verified
//     change, and state-change encodings decode_state_changes accepts or refuses (truncated,
//     trailing bytes, an empty entry section, a lying count);
//   - a chain of 8 changes (4 joins and 4 exits, one every 16 blocks), for the page's timing.
// The file is this test's output: HC_WRITE_WEB_VECTORS=DIR writes it to DIR/change_history.json
// (DIR = tests/vectors); the test then requires the committed file to be exactly that (the
// ledgers are deterministic: fixed seeds, timestamps and Ed25519). tests/web/page_vectors.py
// runs the page's modules on it in headless Chromium.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "chain/block_json.h"
#include "chain/change_proof.h"
#include "chain/consortium_configuration.h"
#include "chain/governance_state.h"
#include "chain/healthchain_app.h"
#include "chain/state_changes.h"
#include "chain/test_chain.h"
#include "chain/transaction_governance.h"
#include "client/configuration_history.h"
#include "client/following_certificates.h"
#include "consensus/configuration.h"
#include "crypto/ed25519.h"
#include "node/envelope_key_answer.h"

namespace hc {
namespace {

using nlohmann::json;
using chain::testing::TempDir;
using chain::testing::TestConsortium;

Bytes governance_tx(chain::Transaction tx, const SecureBytes& seed) {
  HC_CHECK(chain::sign_governance_tx(tx, seed).ok());
  return chain::encode_transaction(tx);
}

// A ledger built in process whose every block is certified by a quorum of the configuration of
// its height (chain::configuration_at over the committed state), so joins and exits take effect
// at their boundaries exactly as on a running consortium.
class FollowedLedger {
 public:
  explicit FollowedLedger(const std::string& name) : dir_(name), c_(4) {
    store_ = std::move(chain::LedgerStore::create(dir_.path(), c_.genesis())).value();
    app_ = std::move(chain::HealthchainApp::start(*store_, c_.group(), c_.certificates())).value();
  }

  // Replica `id`'s Ed25519 seed: a genesis replica's, or the one it joined with.
  const SecureBytes& seed_of(std::uint32_t id) const { return id < 4 ? c_.replica_seed(id) : *joined_.at(id); }

  void commit(std::vector<Bytes> txs) {
    chain::Block b = c_.make_block(store_->tip(), std::move(txs));
    auto config = chain::configuration_at(chain::StoreTrusteeView(*store_), b.header.height);
    HC_CHECK(config.ok());
    std::vector<TestConsortium::Signer> signers;
    const std::uint32_t quorum = consensus::Configuration::quorum_of(static_cast<std::uint32_t>(config->members.size()));
    for (std::uint32_t i = 0; i < quorum; ++i) signers.push_back({config->members[i], &seed_of(config->members[i])});
    b.commit_certificate = c_.certificate_in(b, config->number, signers);
    HC_CHECK(app_->commit_block(b).ok());
  }
  // A join request by a candidate with seed bytes `fill`, then every member's approval.
  void join(char fill, const std::string& name) {
    auto owned = std::make_unique<SecureBytes>(std::string(32, fill));
    const SecureBytes& seed = *owned;
    const auto key = crypto::Ed25519PrivateKey::from_seed(seed).value().public_key().bytes();
    const Bytes request = governance_tx(chain::JoinRequestTx{c_.genesis_hash(), key, name, name + ".example:8443", "", 0, {}, ""}, seed);
    commit({request});
    const chain::ConsortiumHead head = chain::read_consortium_head(chain::StoreTrusteeView(*store_)).value();
    joined_[head.next_replica_id] = std::move(owned);
    std::vector<Bytes> approvals;
    for (std::uint32_t id : head.members) {
      approvals.push_back(governance_tx(
          chain::GovernanceApprovalTx{c_.genesis_hash(), chain::transaction_id(request), id, {}}, seed_of(id)));
    }
    commit(approvals);
  }
  void leave(std::uint32_t id) { commit({governance_tx(chain::ExitAnnouncementTx{c_.genesis_hash(), id, 0, {}}, seed_of(id))}); }
  void fill_to(std::uint64_t height) {
    while (store_->tip().height < height) commit({});
  }
  chain::CertifiedHeader certified(std::uint64_t height) const {
    chain::Block b = store_->read_block(height).value();
    return chain::CertifiedHeader{b.header, chain::transaction_ids(b), b.commit_certificate};
  }
  std::vector<chain::ChangeProof> proofs() const { return chain::change_proofs_from_store(*store_).value(); }

  TempDir dir_;
  TestConsortium c_;
  std::unique_ptr<chain::LedgerStore> store_;
  std::unique_ptr<chain::HealthchainApp> app_;
  std::map<std::uint32_t, std::unique_ptr<SecureBytes>> joined_;
};

std::string verdict(const Status& s) { return s.ok() ? "ok" : s.message(); }

// hc's verdict on an answer: the JSON read, then the history extended from the genesis.
std::string history_verdict(const TestConsortium& c, const json& answer) {
  auto proofs = chain::change_proofs_from_json(answer);
  if (!proofs.ok()) return proofs.status().message();
  client::ConfigurationHistory history(c.genesis());
  return verdict(history.extend(*proofs, c.certificates()));
}

json ids_hex(const std::vector<chain::Digest>& ids) {
  json out = json::array();
  for (const auto& d : ids) out.push_back(chain::digest_hex(d));
  return out;
}

json block_checks(const FollowedLedger& l, const json& answer) {
  auto following = client::FollowingCertificateVerifier::create(l.c_.genesis()).value();
  int fetches = 0;
  following->set_fetcher([&]() -> Result<json> {
    ++fetches;
    return answer;
  });
  json out = json::array();
  for (std::uint64_t height : {50u, 81u, 161u, 120u, 162u}) {
    const chain::CertifiedHeader c = l.certified(height);
    const chain::Digest hash = chain::block_hash(c.header);
    out.push_back({{"height", height},
                   {"header", chain::header_to_json(c.header)},
                   {"tx_ids", ids_hex(c.tx_ids)},
                   {"certificate", to_hex(c.certificate)},
                   {"genesis_only", verdict(l.c_.certificates().verify(c.header, hash, c.tx_ids, c.certificate))},
                   {"following", verdict(following->verify(c.header, hash, c.tx_ids, c.certificate))},
                   {"fetches_after", fetches}});
  }
  return out;
}

json withheld_check(const FollowedLedger& l, const json& answer) {
  json short_answer = answer;
  short_answer["changes"].erase(short_answer["changes"].size() - 1);
  auto following = client::FollowingCertificateVerifier::create(l.c_.genesis()).value();
  following->set_fetcher([&]() -> Result<json> { return short_answer; });
  const chain::CertifiedHeader top = l.certified(161);
  const Status s = following->verify(top.header, chain::block_hash(top.header), top.tx_ids, top.certificate);
  return {{"changes", short_answer}, {"height", 161}, {"header", chain::header_to_json(top.header)},
          {"tx_ids", ids_hex(top.tx_ids)}, {"certificate", to_hex(top.certificate)}, {"error", verdict(s)},
          {"verified_changes", following->verified_changes()}};
}

json refusal_cases(const FollowedLedger& l, const json& good) {
  std::vector<std::pair<std::string, json>> cases;
  auto edited = [&](const std::string& note, auto edit) {
    json j = good;
    edit(j);
    cases.emplace_back(note, j);
  };
  auto hex_edit = [](json& field, std::size_t byte, std::uint8_t mask) {
    Bytes b = from_hex(field.get<std::string>()).value();
    b[byte] ^= mask;
    field = to_hex(b);
  };
  edited("the accepting block's state changes altered (last byte)", [&](json& j) {
    std::string& s = j["changes"][0]["state_changes"].get_ref<std::string&>();
    hex_edit(j["changes"][0]["state_changes"], s.size() / 2 - 1, 0x01);
  });
  edited("block 82 certified by a quorum of the genesis configuration under its number 0 (replica 3 left at 80)",
         [&](json& j) {
           const chain::Block block = l.store_->read_block(82).value();
           std::vector<TestConsortium::Signer> old;
           for (std::uint32_t id = 0; id < 4; ++id) old.push_back({id, &l.seed_of(id)});
           j["changes"][2]["certificate"] = to_hex(l.c_.certificate_in(block, 0, old));
         });
  edited("a gap: the exit at 3 listed without the join at 2", [](json& j) { j["changes"].erase(0); });
  edited("the proofs out of height order", [](json& j) { std::swap(j["changes"][0], j["changes"][1]); });
  edited("a successor that is not the next block (block 4's header in place of block 3's)", [&](json& j) {
    const chain::CertifiedHeader four = l.certified(4);
    j["changes"][0]["next_header"] = to_hex(chain::encode_header(four.header));
    j["changes"][0]["next_tx_ids"] = ids_hex(four.tx_ids);
    j["changes"][0]["next_certificate"] = to_hex(four.certificate);
  });
  edited("a successor header whose previous hash was altered", [&](json& j) {
    hex_edit(j["changes"][0]["next_header"], 6 + 8, 0x01);
  });
  edited("a transaction id of the accepting block altered", [&](json& j) { hex_edit(j["changes"][1]["tx_ids"][0], 0, 0x80); });
  edited("a COMMIT signature of the successor altered", [&](json& j) { hex_edit(j["changes"][2]["next_certificate"], 57 + 4, 0x01); });
  cases.emplace_back("not an object with a list of changes", json::array());
  cases.emplace_back("changes is not a list", json{{"changes", 5}});
  edited("a proof without next_certificate", [](json& j) { j["changes"][0].erase("next_certificate"); });
  edited("state changes that are not hex", [](json& j) { j["changes"][1]["state_changes"] = "zz"; });
  edited("a header of one byte", [](json& j) { j["changes"][0]["header"] = "00"; });
  edited("a negative height", [](json& j) { j["changes"][0]["height"] = -1; });
  edited("a transaction id that is not a digest", [](json& j) { j["changes"][0]["next_tx_ids"][0] = "abcd"; });
  json too_many = {{"changes", json::array()}};
  for (std::size_t i = 0; i <= chain::kMaxChangeProofs; ++i) too_many["changes"].push_back(json::object());
  cases.emplace_back("more proofs than the chain can hold (1,025)", too_many);
  json out = json::array();
  for (const auto& [note, answer] : cases) {
    const std::string error = history_verdict(l.c_, answer);
    EXPECT_NE(error, "ok") << note;
    out.push_back({{"note", note}, {"changes", answer}, {"error", error}});
  }
  // Oversized: a certificate of 64 KiB + 1 byte, written as a repeat (the JSON stays small).
  json huge = good;
  const std::size_t huge_chars = 2 * chain::kMaxCommitCertificateBytes + 2;
  huge["changes"][0]["certificate"] = std::string(huge_chars, 'a');
  const std::string error = history_verdict(l.c_, huge);
  huge["changes"][0]["certificate"] = "";
  out.push_back({{"note", "a certificate longer than 64 KiB"}, {"changes", huge}, {"error", error},
                 {"repeat", {{"proof", 0}, {"field", "certificate"}, {"text", "a"}, {"count", huge_chars}}}});
  return out;
}

// A second answer after `good` was verified: the verified proofs must come first, unchanged
// (as decoded: hex in upper case is the same proof).
json later_answer_cases(const FollowedLedger& l, const json& good) {
  std::vector<std::pair<std::string, json>> cases;
  json fewer = good;
  fewer["changes"].erase(2);
  fewer["changes"].erase(1);
  cases.emplace_back("fewer changes than were verified", fewer);
  json altered = good;
  altered["changes"][0]["tx_ids"][0] = std::string(64, '0');
  cases.emplace_back("a verified change answered differently", altered);
  json upper = good;
  for (const char* key : {"header", "certificate", "state_changes", "next_header", "next_certificate"}) {
    std::string text = upper["changes"][0][key].get<std::string>();
    for (char& ch : text) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    upper["changes"][0][key] = text;
  }
  cases.emplace_back("the same changes in upper-case hex", upper);
  json out = json::array();
  for (const auto& [note, answer] : cases) {
    client::ConfigurationHistory history(l.c_.genesis());
    EXPECT_TRUE(history.extend(chain::change_proofs_from_json(good).value(), l.c_.certificates()).ok());
    auto proofs = chain::change_proofs_from_json(answer);
    const std::string error =
        proofs.ok() ? verdict(history.extend(*proofs, l.c_.certificates())) : proofs.status().message();
    out.push_back({{"note", note}, {"changes", answer}, {"error", error}});
  }
  return out;
}

json state_change_cases(const Bytes& good) {
  std::vector<std::pair<std::string, Bytes>> cases;
  cases.emplace_back("the accepting block's own changes", good);
  cases.emplace_back("nothing", Bytes{});
  cases.emplace_back("truncated by one byte", Bytes(good.begin(), good.end() - 1));
  Bytes trailing = good;
  trailing.push_back(0);
  cases.emplace_back("one trailing byte", trailing);
  const chain::StateChanges none;
  Bytes empty_section = chain::encode_state_changes(none);
  append_u32_be(empty_section, 0);
  cases.emplace_back("an entry section of count 0 (the encoder writes none)", empty_section);
  Bytes lying = chain::encode_state_changes(none);
  append_u32_be(lying, 0xffffffffu);
  cases.emplace_back("an entry count far beyond the bytes", lying);
  Bytes wrong_tag = good;
  wrong_tag[0] = 'X';
  cases.emplace_back("another domain tag", wrong_tag);
  Bytes epoch_flag = chain::encode_state_changes(none);
  epoch_flag.back() = 2;
  cases.emplace_back("a new-epoch flag of 2", epoch_flag);
  json out = json::array();
  for (const auto& [note, bytes] : cases) {
    auto decoded = chain::decode_state_changes(bytes);
    out.push_back({{"note", note}, {"bytes", to_hex(bytes)}, {"accepted", decoded.ok()},
                   {"entries", decoded.ok() ? decoded->trustee_entries.size() : 0}});
  }
  return out;
}

json first_chain_vectors() {
  FollowedLedger l("change-history-vectors");
  l.join('a', "hospital-e");  // 1, 2: replica 4
  l.leave(3);                 // 3
  l.fill_to(80);
  l.join('b', "hospital-f");  // 81, 82: replica 5
  l.fill_to(161);
  l.commit({l.c_.publish_key_tx(chain::testing::test_envelope_spki())});  // 162
  l.commit({});
  const auto proofs = l.proofs();
  EXPECT_EQ(proofs.size(), 3u);
  const json answer = chain::change_proofs_to_json(proofs);
  EXPECT_EQ(history_verdict(l.c_, answer), "ok");
  node::EnvelopeKeyAnswerBuilder builder;
  const auto key_answer = builder.current(*l.store_);
  EXPECT_EQ(key_answer->status, 200);
  return {{"genesis", chain::genesis_to_json(l.c_.genesis())},
          {"chain_id", chain::digest_hex(l.c_.genesis_hash())},
          {"changes", answer},
          {"blocks", block_checks(l, answer)},
          {"withheld", withheld_check(l, answer)},
          {"refusals", refusal_cases(l, answer)},
          {"later_answers", later_answer_cases(l, answer)},
          {"state_changes", state_change_cases(proofs[0].state_changes)},
          {"envelope_key", {{"answer", json::parse(key_answer->body)},
                            {"now_ms", l.certified(162).header.timestamp_ms}}}};
}

json eight_change_vectors() {
  FollowedLedger l("change-history-vectors-8");
  l.join('a', "hospital-e");  // 2: replica 4
  l.fill_to(17);
  l.leave(3);                 // 18
  l.fill_to(32);
  l.join('b', "hospital-f");  // 34: replica 5
  l.fill_to(49);
  l.leave(2);                 // 50
  l.fill_to(64);
  l.join('c', "hospital-g");  // 66: replica 6
  l.fill_to(81);
  l.leave(1);                 // 82
  l.fill_to(96);
  l.join('d', "hospital-h");  // 98: replica 7
  l.fill_to(113);
  l.leave(4);                 // 114
  l.commit({});
  const json answer = chain::change_proofs_to_json(l.proofs());
  EXPECT_EQ(answer["changes"].size(), 8u);
  EXPECT_EQ(history_verdict(l.c_, answer), "ok");
  return {{"genesis", chain::genesis_to_json(l.c_.genesis())}, {"chain_id", chain::digest_hex(l.c_.genesis_hash())},
          {"changes", answer}};
}

json compute_vectors() {
  json v = first_chain_vectors();
  v["version"] = 1;
  v["about"] = "Membership change proofs and hc's verdicts, written by tests/web/change_history_vectors_test.cpp "
               "(HC_WRITE_WEB_VECTORS=DIR), checked by it and by the doctors' page in tests/web/page_vectors.py.";
  v["history8"] = eight_change_vectors();
  return v;
}

TEST(WebChangeHistoryVectors, TheFileIsWhatOurCodeComputes) {
  const json computed = compute_vectors();
  if (const char* dir = std::getenv("HC_WRITE_WEB_VECTORS")) {
    std::ofstream(std::string(dir) + "/change_history.json") << computed.dump(1) << "\n";
  }
  std::ifstream in(std::string(HC_SOURCE_DIR) + "/tests/vectors/change_history.json");
  ASSERT_TRUE(in.good());
  const json file = json::parse(in, nullptr, false);
  ASSERT_FALSE(file.is_discarded());
  EXPECT_EQ(file, computed);
}

}  // namespace
}  // namespace hc

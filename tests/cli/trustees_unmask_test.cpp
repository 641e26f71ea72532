// Issue 13, "done when" for opening: in trustees mode nothing the manager (or anyone) holds
// unmasks the hospital behind a record; only the trustees' shares do. In process, on the real
// key files `hc cluster up --access-mode trustees` writes (generate_cluster) and a real chain
// whose genesis carries that cluster's group key:
//  - the setup writes no opener key: no opener.key, no file that decrypts as one, and the
//    genesis group key's BBS04 opener part is void (h = v = u);
//  - the hospital's node signer (node::MemberSigner) signs a version-2 record with
//    BBS04-ElGamal under the trustees' opener key h_0, and the real ledger commits it;
//  - every scalar in every key file of the cluster (decrypted with the passphrase) and every
//    32-byte window of every file the manager holds, tried as the opener secret, names nobody;
//  - the same search, given the secret t trustees' shares interpolate, names the hospital (so
//    the search can fail);
//  - `hc group open` on the manager's group directory and `hc manager open-record` with its
//    directory refuse with one line saying that opening needs the trustees (runs the built hc).
#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "chain/bbs04_record_verifier.h"
#include "chain/limits.h"
#include "chain/opener_key_state.h"
#include "chain/record_signature_check.h"
#include "chain/sealed_record_conversion.h"
#include "chain/trustees_chain.h"
#include "cli/cluster_setup.h"
#include "common/file_io.h"
#include "crypto/groupsig/elgamal_encoding.h"
#include "crypto/groupsig/elgamal_keys.h"
#include "crypto/groupsig/elgamal_opening.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/issuer.h"
#include "crypto/groupsig/sign.h"
#include "crypto/groupsig/store.h"
#include "crypto/sealed_record_v2.h"
#include "crypto/threshold/dkg_deal.h"
#include "crypto/threshold/fr_lagrange.h"
#include "crypto/threshold/opener_dkg_outcome.h"
#include "node/member_signer.h"
#include "support/temp_dir.h"

namespace hc::cli {
namespace {

namespace fs = std::filesystem;
namespace th = crypto::threshold;
namespace eg = groupsig::elgamal;
using bls12_381::Fr;

const SecureBytes& unmask_test_passphrase() {
  static const SecureBytes kPass{std::string_view("unmask-test-passphrase")};
  return kPass;
}

std::vector<fs::path> files_under(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) out.push_back(entry.path());
  }
  return out;
}

// A trustees-mode cluster's key files, and a chain whose genesis has its group key and whose
// three of four trustees dealt the access and opener keys of key epoch 0.
class TrusteesUnmaskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ClusterOptions o;
    o.dir = dir_.path() / "c";
    o.access_mode = chain::AccessMode::kTrustees;
    o.key_scrypt.log2_n = groupsig::kMinScryptLog2N;
    auto plan = generate_cluster(o, unmask_test_passphrase());
    ASSERT_TRUE(plan.ok()) << plan.status().to_string();
    plan_ = std::move(plan).value();
    auto genesis = chain::load_genesis_file(plan_.genesis_file.string());
    ASSERT_TRUE(genesis.ok()) << genesis.status().to_string();
    genesis_gpk_ = genesis->group_public_key;
  }

  // The chain, its DKG, the real verifier, and one record signed by `hospital`'s node.
  void commit_record_of(const std::string& hospital) {
    chain_.emplace(4, 3, "unmask-chain", genesis_gpk_);
    chain::testing::TrusteesChain& c = *chain_;
    std::vector<Bytes> deals;
    for (std::uint16_t i = 1; i <= 3; ++i) {
      deals.push_back(c.deal_tx(th::make_deal(c.params(), i).value(), th::make_opener_deal(c.opener_params(), i).value()));
    }
    ASSERT_TRUE(c.commit(deals).ok());
    c.advance_to(2 * chain::kDkgWindowBlocks + 1);
    c.app.reset();
    verifier_ = chain::Bbs04RecordVerifier::create(genesis_gpk_).value();
    c.app = chain::HealthchainApp::start(*c.store, *verifier_, c.c.certificates()).value();
    const chain::StoreTrusteeView view(*c.store);
    auto opener = chain::read_opener_key(view, 0);
    ASSERT_TRUE(opener.ok() && opener->has_value() && (*opener)->formed.has_value());
    opener_ = (*opener)->formed;

    auto member = groupsig::load_member_key(plan_.dir / "nodes" / hospital / "member.key",
                                            unmask_test_passphrase().span());
    ASSERT_TRUE(member.ok()) << member.status().to_string();
    node::MemberSigner signer(std::make_unique<groupsig::MemberKey>(std::move(member).value()));
    const auto access_key = chain::read_current_access_key(view).value()->formed->key;
    crypto::SerialNumber serial{};
    const chain::Serial s = c.c.serial_of(1);
    std::copy(s.begin(), s.end(), serial.begin());
    auto sealed = crypto::seal_payload_v2_with(Bytes{'v', 'i', 's', 'i', 't'}, serial, access_key.group_key,
                                               crypto::P256Scalar::random_nonzero(), crypto::GcmNonce{7});
    ASSERT_TRUE(sealed.ok());
    record_.sealed = chain::chain_record_of(*sealed).value();
    Status signed_ok = signer.sign(record_, 0, view);
    ASSERT_TRUE(signed_ok.ok()) << signed_ok.to_string();
    const Bytes tx = chain::encode_transaction(record_);
    Status admitted = c.app->check_tx(tx);
    ASSERT_TRUE(admitted.ok()) << admitted.to_string();
    ASSERT_TRUE(c.commit({tx}).ok());
  }

  // The member whose key `xi` recovers from the record's signature, if any.
  std::optional<std::string> opened_with(const Fr& xi) const {
    eg::OpenerKey opener;
    opener.xi = xi;
    auto sig = eg::decode_signature(record_.group_signature);
    if (!sig.ok()) return std::nullopt;
    auto member = eg::find_member_by_key(registry(), eg::recover_signer_key(opener, *sig));
    if (!member.ok()) return std::nullopt;
    return (*member)->name;
  }

  const groupsig::Registry& registry() const {
    static const groupsig::Registry reg =
        groupsig::load_registry(groupsig::GroupDir(plan_.manager_dir / "group").registry(0)).value();
    return reg;
  }

  test::TempDir dir_;
  ClusterPlan plan_;
  Bytes genesis_gpk_;
  std::optional<chain::testing::TrusteesChain> chain_;
  std::unique_ptr<chain::Bbs04RecordVerifier> verifier_;
  std::optional<th::OpenerDkgOutcome> opener_;
  chain::RecordTx record_;
};

// Regression (issue 13): a trustees-mode setup wrote the group's BBS04 opener key
// (manager/group/opener.key), so the manager could unmask hospitals offline.
TEST_F(TrusteesUnmaskTest, ATrusteesClusterWritesNoOpenerKeyAnywhere) {
  for (const fs::path& file : files_under(plan_.dir)) {
    EXPECT_NE(file.filename(), "opener.key") << file;
    EXPECT_FALSE(groupsig::load_opener_key(file, unmask_test_passphrase().span()).ok()) << file << " is an opener key";
  }
  auto gpk = groupsig::decode_gpk(genesis_gpk_);
  ASSERT_TRUE(gpk.ok());
  EXPECT_TRUE(groupsig::has_no_opener(*gpk));
  // The issuer key is still there, and it is the group's: enrolling and revoking work.
  groupsig::GroupDir group(plan_.manager_dir / "group");
  auto issuer = groupsig::load_issuer_key(group.issuer_key(), unmask_test_passphrase().span());
  ASSERT_TRUE(issuer.ok()) << issuer.status().to_string();
  EXPECT_TRUE(groupsig::check_issuer_matches(*issuer, *gpk).ok());
  EXPECT_EQ(issuer->members.size(), plan_.nodes.size());
}

TEST_F(TrusteesUnmaskTest, NothingTheManagerHoldsPlusChainDataUnmasksTheHospitalBehindARecord) {
  commit_record_of("riverside");
  if (HasFatalFailure()) return;
  ASSERT_TRUE(chain::is_elgamal_group_signature(record_.group_signature));
  ASSERT_EQ(record_.sealed.envelope_version, chain::kRecordEnvelopeV2);

  // Candidate opener secrets: every scalar of every key file of the whole cluster, decrypted.
  std::vector<Fr> candidates{Fr::zero(), Fr::one()};  // 1: the void BBS04 opener (h = v = u)
  for (const fs::path& file : files_under(plan_.dir)) {
    if (auto issuer = groupsig::load_issuer_key(file, unmask_test_passphrase().span()); issuer.ok()) {
      candidates.push_back(issuer->gamma);
      for (const auto& m : issuer->members) candidates.push_back(m.x);
    }
    if (auto member = groupsig::load_member_key(file, unmask_test_passphrase().span()); member.ok()) {
      candidates.push_back(member->x);
    }
    if (auto opener = groupsig::load_opener_key(file, unmask_test_passphrase().span()); opener.ok()) {
      candidates.push_back(opener->xi1);  // none is written (the test above); tried all the same
      candidates.push_back(opener->xi2);
    }
  }
  EXPECT_GE(candidates.size(), 2u + 1 + 2 * plan_.nodes.size());
  for (const Fr& xi : candidates) EXPECT_EQ(opened_with(xi), std::nullopt);

  // Every 32-byte window of every file the manager holds and of the chain's public data,
  // as a big-endian scalar: none is the opener secret (u^s != h_0).
  std::vector<Bytes> contents;
  for (const fs::path& file : files_under(plan_.manager_dir)) contents.push_back(read_file(file, 1 << 20).value());
  contents.push_back(genesis_gpk_);
  for (std::uint64_t h = 1; h <= chain_->height(); ++h) {
    auto block = chain_->store->read_block(h);
    ASSERT_TRUE(block.ok()) << block.status().to_string();
    contents.insert(contents.end(), block->transactions.begin(), block->transactions.end());
  }
  const bls12_381::G1 u = opener_->key.u;
  std::size_t windows = 0;
  for (const Bytes& bytes : contents) {
    for (std::size_t at = 0; at + 32 <= bytes.size(); ++at) {
      auto s = Fr::from_bytes(ByteSpan(bytes.data() + at, 32));
      if (!s.ok()) continue;
      ++windows;
      EXPECT_FALSE(u.mul_public(*s) == opener_->key.h) << "a window at byte " << at << " is the opener secret";
    }
  }
  EXPECT_GT(windows, 10000u);

  // The search can fail: the secret that t trustees' shares interpolate names the hospital.
  const chain::StoreTrusteeView view(*chain_->store);
  const th::OpenerDkgParams params = chain::opener_dkg_params_for(view.genesis(), view.genesis_hash(), 0).value();
  const chain::OpenerTranscript transcript = chain::read_opener_transcript(view, params).value();
  const std::vector<std::uint16_t> trustees{1, 2, 4};
  Fr xi = Fr::zero();
  for (std::uint16_t j : trustees) {
    Fr share = th::opener_secret_share(params, *opener_, transcript.deals, j, chain_->secret(j)).value();
    xi = xi + share * th::fr_lagrange_coefficient(trustees, j, 0).value();
    share.wipe();
  }
  EXPECT_TRUE(u.mul_public(xi) == opener_->key.h);
  EXPECT_EQ(opened_with(xi), std::optional<std::string>("riverside"));
}

// What the built hc prints on stderr, and its exit code.
struct UnmaskHcRun {
  int exit_code = -1;
  std::string err;
};

UnmaskHcRun run_unmask_hc(const fs::path& dir, const std::string& args) {
  UnmaskHcRun r;
  const fs::path err = dir / "hc.err";
  r.exit_code = test::run_shell("env -u HC_PASSPHRASE " + std::string(HC_BINARY_DIR) + "/bin/hc " + args +
                                " >/dev/null 2>" + err.string() + " </dev/null");
  auto text = read_text_file(err, 1 << 20);
  r.err = text.ok() ? *text : "";
  return r;
}

TEST_F(TrusteesUnmaskTest, OpeningWithTheManagersKeysIsRefusedSayingItNeedsTheTrustees) {
  const fs::path pass_file = dir_.path() / "pass";
  ASSERT_TRUE(write_file_atomic(pass_file, unmask_test_passphrase().span(), 0600).ok());
  // A real group signature by a member of the cluster's group, on a file.
  auto member = groupsig::load_member_key(plan_.nodes[0].node_dir / "member.key", unmask_test_passphrase().span());
  ASSERT_TRUE(member.ok()) << member.status().to_string();
  const Bytes message{'s', 'i', 'g', 'n', 'e', 'd'};
  ASSERT_TRUE(write_file_atomic(dir_.path() / "msg", message, 0600).ok());
  ASSERT_TRUE(write_file_atomic(dir_.path() / "sig", groupsig::encode_signature(groupsig::sign(*member, message)), 0600).ok());

  const UnmaskHcRun open = run_unmask_hc(
      dir_.path(), "group open --dir " + (plan_.manager_dir / "group").string() + " --in " + (dir_.path() / "msg").string() +
                       " --sig " + (dir_.path() / "sig").string() + " --proof-out " + (dir_.path() / "proof").string() +
                       " --passphrase-file " + pass_file.string());
  EXPECT_EQ(open.exit_code, 3) << open.err;
  EXPECT_EQ(open.err.find('\n'), open.err.size() - 1) << "one line: " << open.err;
  EXPECT_NE(open.err.find("no opener key (trustees mode)"), std::string::npos) << open.err;
  EXPECT_FALSE(fs::exists(dir_.path() / "proof"));

  const UnmaskHcRun read = run_unmask_hc(dir_.path(), "manager open-record --dir " + plan_.manager_dir.string() + " " +
                                                          (dir_.path() / "any-record.json").string() +
                                                          " --passphrase-file " + pass_file.string());
  EXPECT_EQ(read.exit_code, 3) << read.err;
  EXPECT_EQ(read.err.find('\n'), read.err.size() - 1) << "one line: " << read.err;
  EXPECT_NE(read.err.find("trustees-mode chain"), std::string::npos) << read.err;
}

}  // namespace
}  // namespace hc::cli

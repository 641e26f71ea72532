// Hospitals on separate machines (issue 15 item 4, docs/deploy.md): four `hc node init`
// directories (each as on its own machine), one `hc genesis assemble` by the coordinator,
// `hc node join` in each directory, hc-node started from each, `hc genesis bootstrap`; a doctor's
// record commits over HTTPS (the envelope key verified against the genesis) and `hc chain
// verify` passes on a stopped node's data. Bad inputs refused with one line and exit 2,
// writing nothing: a duplicate hospital, a malformed public part, a part for another chain;
// a bundle for another hospital, a wrong transfer code.
#include <gtest/gtest.h>

#include <csignal>
#include <thread>

#include "chain/genesis.h"
#include "cli/cluster_client.h"
#include "cli/cluster_ports.h"
#include "cli/cluster_process.h"
#include "common/file_io.h"
#include "net/tls_context.h"
#include "support/temp_dir.h"

namespace hc::cli {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string> kDeployHospitals = {"st-mary", "city-general", "riverside", "northgate"};
constexpr const char* kDeployPassphrase = "deploy-e2e-passphrase";

class DeployE2E : public ::testing::Test {
 protected:
  ~DeployE2E() override {
    for (const auto& [pid, config] : started_) signal_node(pid, config, SIGKILL);
  }

  // `hc <args>` with the passphrase in the environment; its exit code. Its output (stdout and
  // stderr) is left in last_output_.
  int hc(const std::string& args) {
    const fs::path out = dir_.path() / "last.out";
    int rc = test::run_shell("HC_PASSPHRASE=" + std::string(kDeployPassphrase) + " " + HC_BINARY_DIR + "/bin/hc " +
                             args + " > " + out.string() + " 2>&1");
    auto text = read_text_file(out, 1 << 20);
    last_output_ = text.ok() ? *text : "";
    return rc;
  }
  fs::path hospital_dir(const std::string& name) const { return dir_.path() / ("h-" + name); }
  std::string init_args(const std::string& name, const std::string& chain, std::uint16_t peer, std::uint16_t api) const {
    return "node init --dir " + hospital_dir(name).string() + " --chain-id " + chain + " --name " + name +
           " --host 127.0.0.1 --bind 127.0.0.1 --peer-port " + std::to_string(peer) + " --api-port " +
           std::to_string(api);
  }
  std::string assemble_args(const std::vector<fs::path>& parts, const std::string& out) const {
    std::string args = "genesis assemble --chain-id deploy-test --manager-dir " + (dir_.path() / (out + "-mgr")).string() +
                       " --out " + (dir_.path() / out).string();
    for (const fs::path& p : parts) args += " --hospital " + p.string();
    return args;
  }
  void expect_refused(const std::string& args, const std::string& reason) {
    EXPECT_EQ(hc(args), 2) << last_output_;
    EXPECT_NE(last_output_.find(reason), std::string::npos) << last_output_;
    EXPECT_EQ(std::count(last_output_.begin(), last_output_.end(), '\n'), 1) << "one line: " << last_output_;
  }

  test::TempDir dir_;
  std::string last_output_;
  std::vector<std::pair<std::int64_t, fs::path>> started_;
};

TEST_F(DeployE2E, FourHospitalsInitAssembleJoinCommitAndVerify) {
  auto ports = pick_free_ports(2 * kDeployHospitals.size(), 0);
  ASSERT_TRUE(ports.ok()) << ports.status().to_string();
  std::vector<fs::path> parts;
  for (std::size_t i = 0; i < kDeployHospitals.size(); ++i) {
    ASSERT_EQ(hc(init_args(kDeployHospitals[i], "deploy-test", (*ports)[2 * i], (*ports)[2 * i + 1])), 0) << last_output_;
    parts.push_back(hospital_dir(kDeployHospitals[i]) / "public.json");
  }
  EXPECT_EQ(hc(init_args("st-mary", "deploy-test", 1, 2)), 2) << "a used directory is refused: " << last_output_;

  // The coordinator's bad inputs.
  {
    SCOPED_TRACE("duplicate hospital");
    std::vector<fs::path> twice = parts;
    twice.push_back(parts[1]);
    expect_refused(assemble_args(twice, "dup"), "duplicate hospital");
    EXPECT_FALSE(fs::exists(dir_.path() / "dup")) << "nothing is written";
  }
  {
    SCOPED_TRACE("malformed public part");
    auto text = read_text_file(parts[2], 1 << 16);
    ASSERT_TRUE(text.ok());
    std::string bad = *text;
    const auto at = bad.find("\"replica_key\": \"") + 16;
    bad.replace(at, 4, "zzzz");
    const fs::path bad_part = dir_.path() / "bad-public.json";
    ASSERT_TRUE(write_text_file_atomic(bad_part, bad).ok());
    std::vector<fs::path> with_bad = {parts[0], parts[1], bad_part, parts[3]};
    expect_refused(assemble_args(with_bad, "bad"), "\"replica_key\" must be an Ed25519 public key");
    ASSERT_TRUE(write_text_file_atomic(bad_part, "{\"format\": \"healthchain-hospital\"").ok());
    expect_refused(assemble_args(with_bad, "bad"), "hospital public part");
    EXPECT_FALSE(fs::exists(dir_.path() / "bad"));
  }
  {
    SCOPED_TRACE("mismatched chain id");
    ASSERT_EQ(hc(init_args("lakeside", "another-chain", 1, 2)), 0) << last_output_;
    std::vector<fs::path> other = {parts[0], parts[1], parts[2], hospital_dir("lakeside") / "public.json"};
    expect_refused(assemble_args(other, "other"), "means to join chain \"another-chain\"");
  }

  ASSERT_EQ(hc(assemble_args(parts, "out")), 0) << last_output_;
  const fs::path out = dir_.path() / "out";

  // Each hospital's bad inputs, then the joins.
  {
    SCOPED_TRACE("a bundle for another hospital");
    expect_refused("node join --dir " + hospital_dir("st-mary").string() + " --bundle " + (out / "riverside").string() +
                       " --transfer-code-file " + (out / "riverside" / "transfer.code").string(),
                   "the bundle is for hospital \"riverside\"");
    SCOPED_TRACE("a wrong transfer code");
    expect_refused("node join --dir " + hospital_dir("st-mary").string() + " --bundle " + (out / "st-mary").string() +
                       " --transfer-code-file " + (out / "riverside" / "transfer.code").string(),
                   "transfer code");
    EXPECT_FALSE(fs::exists(hospital_dir("st-mary") / "node.json"));
  }
  auto binary = [] { return fs::path(HC_BINARY_DIR) / "bin" / "hc-node"; }();
  const SecureBytes passphrase{std::string_view(kDeployPassphrase)};
  for (const std::string& name : kDeployHospitals) {
    ASSERT_EQ(hc("node join --dir " + hospital_dir(name).string() + " --bundle " + (out / name).string() +
                 " --transfer-code-file " + (out / name / "transfer.code").string()),
              0)
        << last_output_;
    const fs::path config = hospital_dir(name) / "node.json";
    auto pid = spawn_node(binary, config, hospital_dir(name) / "node.log", passphrase);
    ASSERT_TRUE(pid.ok()) << pid.status().to_string();
    started_.emplace_back(*pid, config);
  }

  // Every node answers over HTTPS (verified against the genesis) and sees the others.
  auto genesis = chain::load_genesis_file((out / "genesis.json").string());
  ASSERT_TRUE(genesis.ok());
  auto tls = net::make_tls_client_context(genesis->tls_trust_anchors());
  ASSERT_TRUE(tls.ok());
  const std::string api0 = "https://127.0.0.1:" + std::to_string((*ports)[1]);
  const std::string api1 = "https://127.0.0.1:" + std::to_string((*ports)[3]);
  for (int attempt = 0; attempt < 150; ++attempt) {
    auto st = fetch_node_status(api0, 1000, *tls);
    if (st.ok() && st->all_peers_connected()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_EQ(hc("genesis bootstrap --manager-dir " + (dir_.path() / "out-mgr").string() + " --node " + api0), 0)
      << last_output_;

  const fs::path visit = dir_.path() / "visit.txt";
  ASSERT_TRUE(write_text_file_atomic(visit, "name: Ada Deploy\nid: D-1\ntime: 2026-11-24T09:30:00Z\ndiagnosis: flu\n").ok());
  ASSERT_EQ(hc("record submit --node " + api1 + " --token-file " + (hospital_dir("city-general") / "doctor.token").string() +
               " --pseudonym-key " + (dir_.path() / "out-mgr" / "pseudonym.key").string() + " --genesis " +
               (hospital_dir("city-general") / "genesis.json").string() + " --visit-file " + visit.string() + " --wait"),
            0)
      << last_output_;
  EXPECT_NE(last_output_.find("committed: transaction"), std::string::npos) << last_output_;

  // Stop riverside and verify its chain.
  ASSERT_TRUE(signal_node(started_[2].first, started_[2].second, SIGTERM));
  for (int attempt = 0; attempt < 100 && node_process_running(started_[2].first, started_[2].second); ++attempt) {
    reap_if_exited(started_[2].first);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_EQ(hc("chain verify --data " + (hospital_dir("riverside") / "data").string()), 0) << last_output_;
  EXPECT_NE(last_output_.find("chain OK"), std::string::npos) << last_output_;
}

}  // namespace
}  // namespace hc::cli

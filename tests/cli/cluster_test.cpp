// `hc cluster`: generation of a consortium's files (keys, genesis, node configs, tokens), the
// manager's bootstrap transactions, cluster.json, port picking and process control (with a
// stand-in script for hc-node, so these tests need no running node).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <set>
#include <thread>

#include "chain/genesis.h"
#include "chain/transaction.h"
#include "cli/cluster_bootstrap.h"
#include "cli/cluster_lifecycle.h"
#include "cli/cluster_ports.h"
#include "cli/cluster_process.h"
#include "cli/cluster_setup.h"
#include "cli/cluster_state.h"
#include "cli/consortium_keys.h"
#include "cli/hospital_public_part.h"
#include "common/bytes.h"
#include "common/file_io.h"
#include "crypto/ed25519.h"
#include "crypto/hash.h"
#include "crypto/manager_keys.h"
#include "crypto/serial_number.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/store.h"
#include "node/config.h"
#include "node/trustee_identity.h"
#include "support/temp_dir.h"

namespace hc::cli {
namespace {

namespace fs = std::filesystem;

const SecureBytes& test_passphrase() {
  static const SecureBytes kPass{std::string_view("cluster-test-passphrase")};
  return kPass;
}

ClusterOptions fast_options(const fs::path& dir, std::uint32_t nodes = 4) {
  ClusterOptions o;
  o.dir = dir;
  o.nodes = nodes;
  o.key_scrypt.log2_n = groupsig::kMinScryptLog2N;
  return o;
}

unsigned file_mode(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(::stat(p.c_str(), &st), 0) << p;
  return st.st_mode & 0777;
}

crypto::Digest32 token_hash(const fs::path& file) {
  auto token = read_secret_file(file, 4096);
  EXPECT_TRUE(token.ok()) << token.status().to_string();
  return crypto::sha256(token->span());
}

// One cluster generated once for the tests that only read it (generation costs seconds).
class GeneratedCluster : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir();
    ClusterOptions o = fast_options(dir_->path() / "c");
    o.save_passphrase = true;
    auto plan = generate_cluster(o, test_passphrase());
    ASSERT_TRUE(plan.ok()) << plan.status().to_string();
    plan_ = new ClusterPlan(std::move(*plan));
  }
  static void TearDownTestSuite() {
    delete plan_;
    delete dir_;
    plan_ = nullptr;
    dir_ = nullptr;
  }
  static test::TempDir* dir_;
  static ClusterPlan* plan_;
};
test::TempDir* GeneratedCluster::dir_ = nullptr;
ClusterPlan* GeneratedCluster::plan_ = nullptr;

TEST_F(GeneratedCluster, GenesisListsEveryReplicaAndTheManager) {
  auto genesis = chain::load_genesis_file((plan_->dir / "genesis.json").string());
  ASSERT_TRUE(genesis.ok()) << genesis.status().to_string();
  EXPECT_EQ(genesis->chain_name, kClusterChainName);
  ASSERT_EQ(genesis->replicas.size(), 4u);
  for (std::uint32_t i = 0; i < 4; ++i) EXPECT_EQ(genesis->replicas[i].id, i);
  auto admin_hex = read_text_file(plan_->manager_dir / "admin.pub", 1024);
  ASSERT_TRUE(admin_hex.ok());
  EXPECT_EQ(*admin_hex, to_hex(genesis->manager_admin_key) + "\n");
  auto admin = crypto::Ed25519PrivateKey::load(plan_->admin_key_file, test_passphrase());
  ASSERT_TRUE(admin.ok()) << admin.status().to_string();
  EXPECT_EQ(admin->public_key().bytes(), genesis->manager_admin_key);
  // Issue 11, item 4: the genesis carries the check value of the manager's pseudonym key.
  auto pseudonym_key = crypto::load_pseudonym_key(plan_->manager_dir / "pseudonym.key");
  ASSERT_TRUE(pseudonym_key.ok());
  auto check = crypto::pseudonym_key_check(pseudonym_key->span(), genesis->chain_name);
  ASSERT_TRUE(check.ok());
  EXPECT_EQ(*check, genesis->pseudonym_key_check);
  auto copy = read_text_file(plan_->manager_dir / "genesis.json", 1 << 20);
  auto original = read_text_file(plan_->genesis_file, 1 << 20);
  ASSERT_TRUE(copy.ok() && original.ok());
  EXPECT_EQ(*copy, *original);
  auto gpk = groupsig::load_gpk(groupsig::GroupDir(plan_->group_dir).gpk(0));
  ASSERT_TRUE(gpk.ok()) << gpk.status().to_string();
  EXPECT_EQ(groupsig::encode_gpk(*gpk), genesis->group_public_key);
}

TEST_F(GeneratedCluster, NodeConfigsParseAndMatchTheirKeys) {
  auto genesis = chain::load_genesis_file(plan_->genesis_file.string());
  ASSERT_TRUE(genesis.ok());
  std::set<std::uint16_t> ports;
  std::set<std::string> names;
  crypto::Digest32 reader = token_hash(plan_->reader_token_file);
  for (const ClusterNodePlan& n : plan_->nodes) {
    auto config = node::load_node_config(n.config_file);
    ASSERT_TRUE(config.ok()) << config.status().to_string();
    EXPECT_EQ(config->node_id, n.id);
    EXPECT_EQ(config->name, n.name);
    EXPECT_EQ(config->data_dir, n.node_dir / "data");
    EXPECT_EQ(fs::weakly_canonical(config->genesis_file), fs::weakly_canonical(plan_->genesis_file));
    EXPECT_EQ(config->api_port, n.api_port);
    EXPECT_EQ(config->listen_port, n.listen_port);
    ASSERT_EQ(config->peers.size(), 4u);
    for (const node::PeerConfig& p : config->peers) {
      EXPECT_EQ(p.replica_key.bytes(), genesis->replicas[p.id].public_key);
      EXPECT_EQ(p.port, plan_->nodes[p.id].listen_port);
    }
    auto replica = crypto::Ed25519PrivateKey::load(config->replica_key_file, test_passphrase());
    ASSERT_TRUE(replica.ok()) << replica.status().to_string();
    EXPECT_EQ(replica->public_key().bytes(), genesis->replicas[n.id].public_key);
    auto member = groupsig::load_member_key(config->member_key_file, test_passphrase().span());
    ASSERT_TRUE(member.ok()) << member.status().to_string();
    EXPECT_EQ(member->name, n.name);
    EXPECT_EQ(groupsig::encode_gpk(member->gpk), genesis->group_public_key);
    ASSERT_EQ(config->doctor_tokens.size(), 1u);
    EXPECT_EQ(config->doctor_tokens[0].sha256, token_hash(n.doctor_token_file));
    ASSERT_EQ(config->reader_tokens.size(), 1u);
    EXPECT_EQ(config->reader_tokens[0].sha256, reader);
    EXPECT_EQ(file_mode(n.doctor_token_file), 0600u);
    EXPECT_EQ(file_mode(n.node_dir / "replica.key.pem"), 0600u);
    ports.insert(n.api_port);
    ports.insert(n.listen_port);
    names.insert(n.name);
  }
  EXPECT_EQ(ports.size(), 8u);
  EXPECT_EQ(names.size(), 4u);
  EXPECT_EQ(file_mode(plan_->reader_token_file), 0600u);
}

TEST_F(GeneratedCluster, TokensDifferAndAWrongPassphraseIsRefused) {
  std::set<crypto::Digest32> hashes = {token_hash(plan_->reader_token_file)};
  for (const ClusterNodePlan& n : plan_->nodes) hashes.insert(token_hash(n.doctor_token_file));
  EXPECT_EQ(hashes.size(), 5u);
  SecureBytes wrong{std::string_view("not-the-passphrase")};
  EXPECT_FALSE(groupsig::load_member_key(plan_->nodes[0].node_dir / "member.key", wrong.span()).ok());
  EXPECT_FALSE(crypto::Ed25519PrivateKey::load(plan_->admin_key_file, wrong).ok());
}

TEST_F(GeneratedCluster, SavesThePassphraseForLaterCommands) {
  ASSERT_FALSE(plan_->passphrase_file.empty());
  EXPECT_EQ(file_mode(plan_->passphrase_file), 0600u);
  auto saved = read_secret_file(plan_->passphrase_file, 4096);
  ASSERT_TRUE(saved.ok());
  EXPECT_EQ(saved->view(), test_passphrase().view());
}

TEST_F(GeneratedCluster, BootstrapTransactionsAreSignedByTheGenesisAdminKey) {
  auto genesis = chain::load_genesis_file(plan_->genesis_file.string());
  ASSERT_TRUE(genesis.ok());
  auto txs = build_bootstrap_transactions(plan_->manager_dir, plan_->group_dir, test_passphrase());
  ASSERT_TRUE(txs.ok()) << txs.status().to_string();
  ASSERT_EQ(txs->size(), 1u + plan_->nodes.size());
  auto keys = crypto::ManagerKeys::open(plan_->manager_dir);
  ASSERT_TRUE(keys.ok() && keys->current_key_id().has_value());
  auto envelope = keys->public_key(*keys->current_key_id());
  ASSERT_TRUE(envelope.ok());
  std::set<std::string> enrolled;
  std::set<std::string> ids;
  for (const ManagerTx& m : *txs) {
    auto tx = chain::decode_transaction(m.encoding);
    ASSERT_TRUE(tx.ok()) << tx.status().to_string();
    EXPECT_TRUE(chain::verify_manager_tx(*tx, genesis->manager_admin_key).ok()) << m.label;
    EXPECT_EQ(m.tx_id_hex, to_hex(chain::transaction_id(m.encoding)));
    ids.insert(m.tx_id_hex);
    if (const auto* publish = std::get_if<chain::PublishEnvelopeKeyTx>(&*tx)) {
      EXPECT_EQ(publish->spki_der, envelope->spki_der());
    } else if (const auto* enroll = std::get_if<chain::EnrollmentTx>(&*tx)) {
      auto registry = groupsig::decode_registry(enroll->registry_entry);
      ASSERT_TRUE(registry.ok()) << registry.status().to_string();
      ASSERT_EQ(registry->entries.size(), 1u);
      EXPECT_EQ(registry->epoch, 0u);
      EXPECT_EQ(registry->entries[0].name, enroll->member_name);
      enrolled.insert(enroll->member_name);
    } else {
      ADD_FAILURE() << "unexpected transaction kind in " << m.label;
    }
  }
  EXPECT_EQ(std::get_if<chain::PublishEnvelopeKeyTx>(&*chain::decode_transaction(txs->front().encoding)) != nullptr,
            true);
  EXPECT_EQ(enrolled.size(), plan_->nodes.size());
  EXPECT_EQ(ids.size(), txs->size());
  SecureBytes wrong{std::string_view("not-the-passphrase")};
  auto refused = build_bootstrap_transactions(plan_->manager_dir, plan_->group_dir, wrong);
  EXPECT_FALSE(refused.ok());
}

TEST(ClusterSetupTest, RefusesBadNodeCountsAndUsedDirectories) {
  test::TempDir dir;
  EXPECT_EQ(check_cluster_options(fast_options(dir / "a", 3)).code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(check_cluster_options(fast_options(dir / "a", kMaxClusterNodes + 1)).code(), ErrorCode::kInvalidInput);
  ClusterOptions high = fast_options(dir / "a", 4);
  high.base_port = 65530;
  EXPECT_EQ(check_cluster_options(high).code(), ErrorCode::kInvalidInput);
  EXPECT_TRUE(check_cluster_options(fast_options(dir / "absent")).ok());
  EXPECT_TRUE(check_cluster_options(fast_options(dir.path())).ok());  // exists, empty
  ASSERT_TRUE(write_text_file_atomic(dir / "file", "x").ok());
  EXPECT_EQ(check_cluster_options(fast_options(dir.path())).code(), ErrorCode::kAlreadyExists);
  EXPECT_EQ(check_cluster_options(fast_options(dir / "file")).code(), ErrorCode::kAlreadyExists);
  auto refused = generate_cluster(fast_options(dir.path()), test_passphrase());
  EXPECT_FALSE(refused.ok());
  EXPECT_FALSE(fs::exists(dir / "manager"));
}

// Trustees mode (issue 13): a version-4 genesis listing every hospital's trustee key in
// hospital order with t = 2f+1, and each node config naming a key file hc-node accepts.
TEST(ClusterSetupTest, TrusteesModeListsEveryNodesTrusteeKeyInHospitalOrder) {
  test::TempDir dir;
  ClusterOptions o = fast_options(dir.path() / "c");
  o.access_mode = chain::AccessMode::kTrustees;
  auto plan = generate_cluster(o, test_passphrase());
  ASSERT_TRUE(plan.ok()) << plan.status().to_string();
  auto genesis = chain::load_genesis_file(plan->genesis_file.string());
  ASSERT_TRUE(genesis.ok()) << genesis.status().to_string();
  EXPECT_EQ(genesis->access_mode, chain::AccessMode::kTrustees);
  ASSERT_EQ(genesis->trustee_keys.size(), 4u);
  EXPECT_EQ(genesis->trustee_threshold, 3);
  for (const ClusterNodePlan& node : plan->nodes) {
    EXPECT_EQ(file_mode(node.node_dir / "trustee.key.pem"), 0600u);
    auto config = node::load_node_config(node.config_file);
    ASSERT_TRUE(config.ok()) << config.status().to_string();
    EXPECT_EQ(config->trustee_key_file, node.node_dir / "trustee.key.pem");
    auto identity = node::load_trustee_identity(*config, *genesis, test_passphrase());
    ASSERT_TRUE(identity.ok()) << identity.status().to_string();
    ASSERT_TRUE(identity->has_value());
    EXPECT_EQ((*identity)->index, node.id + 1);
  }
  // The default stays single-manager: no trustee key, a version-3 genesis.
  test::TempDir single_dir;
  auto single = generate_cluster(fast_options(single_dir.path() / "c"), test_passphrase());
  ASSERT_TRUE(single.ok());
  auto single_genesis = chain::load_genesis_file(single->genesis_file.string());
  ASSERT_TRUE(single_genesis.ok());
  EXPECT_EQ(single_genesis->access_mode, chain::AccessMode::kSingleManager);
  EXPECT_FALSE(fs::exists(single->nodes[0].node_dir / "trustee.key.pem"));
}

// The public part `hc node init` writes carries the trustee key; parts without one (made
// before trustees mode) still parse; a trustee key that is no P-256 point is refused.
TEST(HospitalPublicPartTest, CarriesAnOptionalTrusteeKey) {
  test::TempDir dir;
  auto tls_ca = write_tls_material(dir.path(), "st-mary", {"st-mary.example"}, test_passphrase());
  ASSERT_TRUE(tls_ca.ok()) << tls_ca.status().to_string();
  HospitalPublicPart part;
  part.chain_id = "trustee-chain";
  part.name = "st-mary";
  part.replica_key = crypto::Ed25519PrivateKey::generate()->public_key();
  part.tls_ca_pem = *tls_ca;
  part.peer_host = "st-mary.example";
  part.peer_port = 7000;
  part.api_url = "https://st-mary.example:8000";
  auto without = parse_hospital_public_part(hospital_public_part_to_json(part));
  ASSERT_TRUE(without.ok()) << without.status().to_string();
  EXPECT_FALSE(without->trustee_key.has_value());
  part.trustee_key = crypto::P256Point::base_mul(crypto::P256Scalar::from_u64(99)).encode();
  const std::string text = hospital_public_part_to_json(part);
  auto with = parse_hospital_public_part(text);
  ASSERT_TRUE(with.ok()) << with.status().to_string();
  EXPECT_EQ(with->trustee_key, part.trustee_key);
  std::string bad = text;
  const std::size_t at = bad.find(to_hex(*part.trustee_key));
  ASSERT_NE(at, std::string::npos);
  bad[at + 129] = bad[at + 129] == '0' ? '1' : '0';  // off the curve
  auto refused = parse_hospital_public_part(bad);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("trustee_key"), std::string::npos) << refused.status().message();
}

TEST(ClusterSetupTest, HospitalNamesAreDistinctMemberNames) {
  std::set<std::string> names;
  for (std::uint32_t i = 0; i < kMaxClusterNodes; ++i) {
    std::string name = hospital_name(i);
    EXPECT_LE(name.size(), 64u);
    EXPECT_EQ(name.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789-"), std::string::npos) << name;
    names.insert(name);
  }
  EXPECT_EQ(names.size(), kMaxClusterNodes);
  EXPECT_EQ(hospital_name(0), "st-mary");
}

TEST(ClusterPortsTest, PicksDistinctBindablePorts) {
  auto ports = pick_free_ports(10, 0);
  ASSERT_TRUE(ports.ok()) << ports.status().to_string();
  EXPECT_EQ(std::set<std::uint16_t>(ports->begin(), ports->end()).size(), 10u);
  // Below the kernel's ephemeral range, where no outgoing connection's source port can take
  // one between the pick and the node's bind (a flaky "Address already in use" under load).
  std::uint32_t ephemeral_low = 32768;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> ephemeral_low;
  for (std::uint16_t p : *ports) {
    EXPECT_GE(p, 20000);
    EXPECT_LT(p, ephemeral_low);
  }
  auto ranged = pick_free_ports(4, 41000);
  ASSERT_TRUE(ranged.ok()) << ranged.status().to_string();
  EXPECT_EQ(std::set<std::uint16_t>(ranged->begin(), ranged->end()).size(), 4u);
  for (std::uint16_t p : *ranged) EXPECT_GE(p, 41000);
  EXPECT_FALSE(pick_free_ports(10, 65530).ok());
}

ClusterState sample_state(const fs::path& dir) {
  ClusterState s;
  for (std::uint32_t i = 0; i < 2; ++i) {
    s.nodes.push_back(ClusterNodeState{hospital_name(i), i, "http://127.0.0.1:" + std::to_string(9000 + i),
                                       dir / "data", dir / "node.json", dir / "node.log", 1234 + i, dir / "t", false});
  }
  s.manager_dir = dir / "manager";
  s.group_dir = dir / "manager/group";
  s.genesis = dir / "genesis.json";
  return s;
}

TEST(ClusterStateTest, RoundTripsAndRejectsMalformedFiles) {
  test::TempDir dir;
  ClusterState s = sample_state(dir.path());
  ASSERT_TRUE(save_cluster_state(dir.path(), s).ok());
  auto loaded = load_cluster_state(dir.path());
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  EXPECT_EQ(cluster_state_to_json(*loaded), cluster_state_to_json(s));
  EXPECT_TRUE(loaded->passphrase_file.empty());
  auto node = find_cluster_node(*loaded, "city-general");
  ASSERT_TRUE(node.ok());
  EXPECT_EQ((*node)->pid, 1235);
  EXPECT_EQ(find_cluster_node(*loaded, "nowhere").status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(load_cluster_state(dir / "none").status().code(), ErrorCode::kNotFound);
  EXPECT_FALSE(parse_cluster_state("[]").ok());
  auto deep = parse_cluster_state(std::string(100000, '[') + std::string(100000, ']'));  // depth bounded before parsing (issue 11 item 6)
  ASSERT_FALSE(deep.ok());
  EXPECT_NE(deep.status().message().find("nests deeper than 64 levels"), std::string::npos);
  EXPECT_FALSE(parse_cluster_state("{\"format\":\"other\",\"version\":1}").ok());
  std::string text = cluster_state_to_json(s);
  std::string bad_pid = text;
  bad_pid.replace(bad_pid.find("1234"), 4, "-5");
  EXPECT_FALSE(parse_cluster_state(bad_pid).ok());
  std::string no_genesis = text;
  no_genesis.replace(no_genesis.find("\"genesis\""), 9, "\"genesiz\"");
  EXPECT_FALSE(parse_cluster_state(no_genesis).ok());
}

// A stand-in for hc-node: records its passphrase and arguments, then waits (bounded).
fs::path write_fake_node(const fs::path& dir) {
  fs::path script = dir / "hc-node";
  std::ofstream out(script);
  out << "#!/bin/sh\n"
         "printf '%s' \"$HC_PASSPHRASE\" > \"$(dirname \"$2\")/seen-passphrase\"\n"
         "echo \"fake node $*\"\n"
         "i=0; while [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done\n";
  out.close();
  fs::permissions(script, fs::perms::owner_all);
  return script;
}

bool wait_until(const std::function<bool()>& condition) {
  for (int i = 0; i < 100; ++i) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

TEST(ClusterProcessTest, StartsAndStopsANodeProcess) {
  test::TempDir dir;
  fs::path binary = write_fake_node(dir.path());
  ClusterState state = sample_state(dir.path());
  state.nodes.resize(1);
  ClusterNodeState& node = state.nodes[0];
  ASSERT_TRUE(start_cluster_node(node, binary, test_passphrase()).ok());
  ASSERT_GT(node.pid, 0);
  EXPECT_TRUE(wait_until([&] { return fs::exists(dir / "seen-passphrase"); }));
  EXPECT_TRUE(wait_until([&] { return node_process_running(node.pid, node.config); }));
  EXPECT_FALSE(node_process_running(node.pid, dir / "other.json"));
  EXPECT_FALSE(signal_node(node.pid, dir / "other.json", SIGKILL));  // never signal a stranger
  EXPECT_TRUE(wait_until([&] { return log_tail(node.log, 5).find("fake node --config") != std::string::npos; }));
  auto seen = read_text_file(dir / "seen-passphrase", 4096);
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(*seen, test_passphrase().view());
  StopReport report = stop_cluster_nodes(state, std::chrono::seconds(5));
  EXPECT_EQ(report.terminated + report.killed, 1u);
  EXPECT_EQ(report.not_running, 0u);
  EXPECT_FALSE(node_process_running(node.pid, node.config));
  EXPECT_EQ(stop_cluster_nodes(state, std::chrono::seconds(1)).not_running, 1u);
}

TEST(ClusterProcessTest, NeverTakesAnUnrelatedProcessForANode) {
  EXPECT_FALSE(node_process_running(0, "/x/node.json"));
  EXPECT_FALSE(node_process_running(::getpid(), "/x/node.json"));
  EXPECT_FALSE(node_process_running(1, "/x/node.json"));
}

TEST(ClusterLifecycleTest, WaitingForAnUnreachableNodeTimesOutWithItsName) {
  test::TempDir dir;
  ClusterState state = sample_state(dir.path());
  auto port = pick_free_ports(1, 0);
  ASSERT_TRUE(port.ok());
  state.nodes.resize(1);
  state.nodes[0].pid = 0;
  state.nodes[0].api_url = "http://127.0.0.1:" + std::to_string((*port)[0]);
  ASSERT_TRUE(write_text_file_atomic(state.nodes[0].log, "line one\nbind failed\n").ok());
  std::size_t rounds = 0;
  Status s = wait_for_nodes(state, ReadyCondition::kApiAnswers, std::chrono::seconds(1),
                            [&](std::size_t ready, std::size_t total, long) {
                              EXPECT_EQ(ready, 0u);
                              EXPECT_EQ(total, 1u);
                              ++rounds;
                            });
  EXPECT_EQ(s.code(), ErrorCode::kUnavailable);
  EXPECT_NE(s.message().find("st-mary"), std::string::npos);
  EXPECT_GE(rounds, 1u);
}

}  // namespace
}  // namespace hc::cli

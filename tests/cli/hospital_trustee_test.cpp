// Trustees mode across separate machines (issue 13, node slice; docs/deploy.md), in process:
// `hc node init` makes each hospital's trustee key and puts its public key in public.json;
// `hc genesis assemble --access-mode trustees` lists them in hospital order with t = 2f+1;
// `hc node join` names trustee.key.pem in node.json, which hc-node's check accepts; a part
// without a trustee key is refused in trustees mode.
#include <gtest/gtest.h>

#include "cli/hospital_setup.h"
#include "common/file_io.h"
#include "node/config.h"
#include "node/trustee_identity.h"
#include "support/temp_dir.h"

namespace hc::cli {
namespace {

namespace fs = std::filesystem;

const SecureBytes& trustee_deploy_passphrase() {
  static const SecureBytes kPass{std::string_view("trustee-deploy-passphrase")};
  return kPass;
}

TEST(HospitalTrusteeTest, InitAssembleJoinGiveEveryNodeTheTrusteeKeyTheGenesisLists) {
  test::TempDir dir;
  const std::vector<std::string> names = {"st-mary", "city-general", "riverside", "northgate"};
  AssembleOptions assemble;
  assemble.chain_id = "trustee-chain";
  assemble.manager_dir = dir.path() / "manager";
  assemble.out_dir = dir.path() / "out";
  assemble.key_scrypt.log2_n = groupsig::kMinScryptLog2N;
  assemble.access_mode = chain::AccessMode::kTrustees;
  std::vector<HospitalPublicPart> parts;
  for (std::size_t i = 0; i < names.size(); ++i) {
    HospitalInitOptions init;
    init.dir = dir.path() / names[i];
    init.chain_id = "trustee-chain";
    init.name = names[i];
    init.host = "10.0.0." + std::to_string(i + 1);
    init.peer_port = 7000;
    init.api_port = 8000;
    auto part = init_hospital(init, trustee_deploy_passphrase());
    ASSERT_TRUE(part.ok()) << part.status().to_string();
    ASSERT_TRUE(part->trustee_key.has_value());
    parts.push_back(*part);
    assemble.hospitals.push_back(init.dir / "public.json");
  }
  auto genesis = assemble_genesis(assemble, trustee_deploy_passphrase());
  ASSERT_TRUE(genesis.ok()) << genesis.status().to_string();
  EXPECT_EQ(genesis->access_mode, chain::AccessMode::kTrustees);
  ASSERT_EQ(genesis->trustee_keys.size(), 4u);
  EXPECT_EQ(genesis->trustee_threshold, 3);
  for (std::size_t i = 0; i < names.size(); ++i) EXPECT_EQ(genesis->trustee_keys[i], *parts[i].trustee_key);
  for (std::size_t i = 0; i < names.size(); ++i) {
    auto code = read_secret_file(assemble.out_dir / names[i] / "transfer.code", 4096);
    ASSERT_TRUE(code.ok());
    JoinOptions join{dir.path() / names[i], assemble.out_dir / names[i]};
    Status joined = join_consortium(join, *code, trustee_deploy_passphrase());
    ASSERT_TRUE(joined.ok()) << joined.to_string();
    auto config = node::load_node_config(join.dir / "node.json");
    ASSERT_TRUE(config.ok()) << config.status().to_string();
    EXPECT_EQ(config->trustee_key_file, join.dir / "trustee.key.pem");
    auto identity = node::load_trustee_identity(*config, *genesis, trustee_deploy_passphrase());
    ASSERT_TRUE(identity.ok()) << identity.status().to_string();
    ASSERT_TRUE(identity->has_value());
    EXPECT_EQ((*identity)->index, i + 1);
  }

  // A public part without a trustee key (made before trustees mode) is refused in trustees mode.
  auto text = read_text_file(assemble.hospitals[0], 1 << 16);
  ASSERT_TRUE(text.ok());
  auto old_part = parse_hospital_public_part(*text);
  ASSERT_TRUE(old_part.ok());
  old_part->trustee_key.reset();
  const fs::path old_file = dir.path() / "old-public.json";
  ASSERT_TRUE(write_text_file_atomic(old_file, hospital_public_part_to_json(*old_part)).ok());
  AssembleOptions again = assemble;
  again.manager_dir = dir.path() / "manager2";
  again.out_dir = dir.path() / "out2";
  again.hospitals[0] = old_file;
  auto refused = assemble_genesis(again, trustee_deploy_passphrase());
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.status().message().find("no trustee_key"), std::string::npos) << refused.status().message();
}

}  // namespace
}  // namespace hc::cli

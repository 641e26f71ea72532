// The trustee key (issue 13, node slice): encrypted at rest like the node's other keys, and
// hc-node's refusal of a trustees-mode genesis whose listed key for the node differs.
#include "node/trustee_identity.h"

#include <gtest/gtest.h>

#include "common/file_io.h"
#include "crypto/p256_key_file.h"
#include "support/temp_dir.h"

namespace hc::node {
namespace {

SecureBytes trustee_test_passphrase() { return SecureBytes(std::string_view("correct horse battery")); }

chain::Genesis trustees_genesis(std::vector<crypto::P256PointBytes> keys) {
  chain::Genesis g;
  g.access_mode = chain::AccessMode::kTrustees;
  for (std::uint32_t id = 0; id < 4; ++id) g.replicas.push_back(chain::ReplicaInfo{id, {}, {}});
  g.trustee_keys = std::move(keys);
  g.trustee_threshold = 3;
  return g;
}

struct TrusteeKeys {
  std::vector<crypto::P256PointBytes> publics;
  std::vector<std::filesystem::path> files;
};

TrusteeKeys write_keys(const test::TempDir& dir, int n) {
  TrusteeKeys out;
  for (int i = 0; i < n; ++i) {
    auto file = dir.path() / ("trustee" + std::to_string(i) + ".key.pem");
    auto pub = crypto::write_new_p256_key(file, trustee_test_passphrase());
    EXPECT_TRUE(pub.ok()) << pub.status().to_string();
    out.publics.push_back(pub->encode());
    out.files.push_back(file);
  }
  return out;
}

TEST(TrusteeKeyFileTest, RoundTripsEncryptedAndRefusesAWrongPassphrase) {
  test::TempDir dir;
  auto file = dir.path() / "trustee.key.pem";
  auto pub = crypto::write_new_p256_key(file, trustee_test_passphrase());
  ASSERT_TRUE(pub.ok()) << pub.status().to_string();
  auto pem = read_text_file(file, 1 << 16);
  ASSERT_TRUE(pem.ok());
  EXPECT_NE(pem->find("BEGIN ENCRYPTED PRIVATE KEY"), std::string::npos);
  auto back = crypto::load_p256_key(file, trustee_test_passphrase());
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(crypto::P256Point::base_mul(*back).encode(), pub->encode());
  auto wrong = crypto::load_p256_key(file, SecureBytes(std::string_view("another passphrase")));
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().code(), ErrorCode::kAuthFailed);
}

TEST(TrusteeIdentityTest, LoadsTheKeyTheGenesisListsForThisNode) {
  test::TempDir dir;
  TrusteeKeys keys = write_keys(dir, 4);
  NodeConfig config;
  config.node_id = 2;
  config.trustee_key_file = keys.files[2];
  auto identity = load_trustee_identity(config, trustees_genesis(keys.publics), trustee_test_passphrase());
  ASSERT_TRUE(identity.ok()) << identity.status().to_string();
  ASSERT_TRUE(identity->has_value());
  EXPECT_EQ((*identity)->index, 3);
  EXPECT_EQ((*identity)->public_key, keys.publics[2]);
}

TEST(TrusteeIdentityTest, RefusesAKeyThatIsNotTheListedOne) {
  test::TempDir dir;
  TrusteeKeys keys = write_keys(dir, 4);
  NodeConfig config;
  config.node_id = 1;
  config.trustee_key_file = keys.files[0];  // node 0's key
  auto identity = load_trustee_identity(config, trustees_genesis(keys.publics), trustee_test_passphrase());
  ASSERT_FALSE(identity.ok());
  EXPECT_EQ(identity.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(identity.status().message().find("does not hold trustee 2's key"), std::string::npos)
      << identity.status().message();
}

TEST(TrusteeIdentityTest, RefusesATrusteesGenesisWithoutAKeyFile) {
  test::TempDir dir;
  TrusteeKeys keys = write_keys(dir, 4);
  NodeConfig config;
  config.node_id = 0;
  auto identity = load_trustee_identity(config, trustees_genesis(keys.publics), trustee_test_passphrase());
  ASSERT_FALSE(identity.ok());
  EXPECT_NE(identity.status().message().find("names no trustee_key_file"), std::string::npos);
}

TEST(TrusteeIdentityTest, NoTrusteeInSingleManagerModeOrBeyondTheListedTrustees) {
  test::TempDir dir;
  TrusteeKeys keys = write_keys(dir, 3);
  NodeConfig config;
  config.node_id = 3;  // position 4, but only 3 trustees listed
  auto none = load_trustee_identity(config, trustees_genesis(keys.publics), trustee_test_passphrase());
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  config.trustee_key_file = keys.files[0];
  auto stray = load_trustee_identity(config, trustees_genesis(keys.publics), trustee_test_passphrase());
  EXPECT_FALSE(stray.ok());
  chain::Genesis single;
  for (std::uint32_t id = 0; id < 4; ++id) single.replicas.push_back(chain::ReplicaInfo{id, {}, {}});
  auto single_none = load_trustee_identity(config, single, trustee_test_passphrase());
  ASSERT_TRUE(single_none.ok());
  EXPECT_FALSE(single_none->has_value());
}

}  // namespace
}  // namespace hc::node

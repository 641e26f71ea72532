// tests/vectors/genesis_hash.json: genesis files (the JSON of chain/genesis_json) with the
// chain id our C++ code computes for each (chain::genesis_hash, SHA-256 of the canonical binary
// encoding of src/chain/genesis.cpp). tests/web/doctor_page_test.py checks the same file
// against the doctors' page (genesis_hash.js), which computes the chain id from the genesis
// file the doctor loaded instead of taking it from the node (docs/web.md, "Trust").
//
// The file is this test's output: HC_WRITE_WEB_VECTORS=DIR writes what the code computes to
// DIR/genesis_hash.json (DIR = tests/vectors); the test then requires the committed file to be
// exactly that, and that each genesis read back from its JSON has the same hash.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "chain/genesis.h"
#include "common/bytes.h"
#include "crypto/p256.h"

namespace hc {
namespace {

using nlohmann::json;

template <std::size_t N>
std::array<std::uint8_t, N> filled(std::uint8_t first) {
  std::array<std::uint8_t, N> out{};
  for (std::size_t i = 0; i < N; ++i) out[i] = static_cast<std::uint8_t>(first + 7 * i);
  return out;
}

std::string fake_pem(int i) {
  return "-----BEGIN CERTIFICATE-----\nMIIB" + std::string(40 + i, static_cast<char>('A' + i)) +
         "\n-----END CERTIFICATE-----\n";
}

chain::Genesis base_genesis(const std::string& name, std::size_t replicas, bool with_tls) {
  chain::Genesis g;
  g.chain_name = name;
  g.genesis_time_ms = 1764490000123;
  for (std::size_t i = 0; i < replicas; ++i) {
    chain::ReplicaInfo r;
    r.id = static_cast<std::uint32_t>(i);
    r.public_key = filled<32>(static_cast<std::uint8_t>(0x10 * i + 1));
    if (with_tls) r.tls_ca_pem = fake_pem(static_cast<int>(i));
    g.replicas.push_back(r);
  }
  g.group_public_key = Bytes(300, 0x5a);
  g.manager_admin_key = filled<32>(0xa0);
  g.pseudonym_key_check = filled<32>(0x33);
  return g;
}

chain::Genesis with_trustees(chain::Genesis g, std::size_t m, std::uint16_t t) {
  g.access_mode = chain::AccessMode::kTrustees;
  for (std::size_t j = 1; j <= m; ++j) {
    g.trustee_keys.push_back(crypto::P256Point::base_mul(crypto::P256Scalar::from_u64(1000 + j)).encode());
  }
  g.trustee_threshold = t;
  return g;
}

json compute_vectors() {
  std::vector<std::pair<const char*, chain::Genesis>> cases;
  cases.emplace_back("single-manager, 4 replicas with their hospitals' TLS CAs", base_genesis("healthchain-local", 4, true));
  cases.emplace_back("single-manager, one replica, no TLS CA, other limits", [] {
    chain::Genesis g = base_genesis("a", 1, false);
    g.limits.max_block_transactions = 17;
    g.limits.max_block_bytes = 1024;
    g.limits.max_record_ciphertext_bytes = 1040;
    return g;
  }());
  cases.emplace_back("trustees, 4 replicas, m = 4, t = 3", with_trustees(base_genesis("trust.chain_4", 4, true), 4, 3));
  cases.emplace_back("trustees, 7 replicas, m = 7, t = 2 (not the default)",
                     with_trustees(base_genesis("Trust-7", 7, true), 7, 2));
  cases.emplace_back("trustees, version 6 (DKG deals must be proven), default governance rules", [] {
    chain::Genesis g = with_trustees(base_genesis("proven.dkg", 4, true), 4, 3);
    g.proven_dkg_deals = true;
    return g;
  }());
  cases.emplace_back("trustees, version 6, admin approves, proposals expire after 7 blocks", [] {
    chain::Genesis g = with_trustees(base_genesis("proven-7", 7, false), 7, 5);
    g.proven_dkg_deals = true;
    g.governance.admin_approves = true;
    g.governance.proposal_expiry_blocks = 7;
    return g;
  }());
  cases.emplace_back("single-manager, version 7 (the manager's opener key, opaque here), default governance rules", [] {
    chain::Genesis g = base_genesis("manager.opener", 4, true);
    g.manager_opener_key = chain::ManagerOpenerKey{filled<48>(0x81), filled<64>(0x42)};
    return g;
  }());
  json out = json::array();
  for (const auto& [note, g] : cases) {
    out.push_back({{"note", note}, {"genesis", chain::genesis_to_json(g)}, {"genesis_hash", to_hex(chain::genesis_hash(g))}});
  }
  // The COMMIT signatures a certificate needs for each replica count (Genesis::quorum(), the
  // engine's count: 2f+1 only when n = 3f+1), which the page's commitQuorum must agree with.
  json quorums = json::array();
  for (std::size_t n = 1; n <= 16; ++n) quorums.push_back({{"replicas", n}, {"quorum", base_genesis("q", n, false).quorum()}});
  return {{"version", 1},
          {"commit_quorums", quorums},
          {"about", "Genesis files and their chain ids (SHA-256 of src/chain/genesis.cpp's canonical encoding), "
                    "written by tests/web/genesis_vectors_test.cpp (HC_WRITE_WEB_VECTORS=DIR), checked by it and by "
                    "the doctors' page in tests/web/doctor_page_test.py."},
          {"cases", out}};
}

json load_vectors() {
  std::ifstream in(std::string(HC_SOURCE_DIR) + "/tests/vectors/genesis_hash.json");
  EXPECT_TRUE(in.good());
  return json::parse(in, nullptr, false);
}

TEST(WebGenesisVectors, TheFileIsWhatOurCodeComputes) {
  const json computed = compute_vectors();
  if (const char* dir = std::getenv("HC_WRITE_WEB_VECTORS")) {
    std::ofstream(std::string(dir) + "/genesis_hash.json") << computed.dump(1) << "\n";
  }
  const json file = load_vectors();
  ASSERT_FALSE(file.is_discarded());
  EXPECT_EQ(file, computed);
}

TEST(WebGenesisVectors, EachGenesisReadBackHasItsHash) {
  const json file = load_vectors();
  ASSERT_GE(file.at("cases").size(), 4u);
  for (const json& c : file.at("cases")) {
    SCOPED_TRACE(c.at("note").get<std::string>());
    auto g = chain::genesis_from_json(c.at("genesis"));
    ASSERT_TRUE(g.ok()) << g.status().message();
    EXPECT_EQ(to_hex(chain::genesis_hash(*g)), c.at("genesis_hash").get<std::string>());
  }
}

}  // namespace
}  // namespace hc

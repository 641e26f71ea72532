// Genesis version 4 (issue 13): the access mode, the trustees' keys and the threshold, in the
// binary and JSON forms, and every malformed trustee section refused.
#include <gtest/gtest.h>

#include "chain/codec.h"
#include "chain/genesis.h"
#include "chain/test_chain.h"

namespace hc::chain {
namespace {

crypto::P256PointBytes trustee_public_key(std::uint64_t seed) {
  return crypto::P256Point::base_mul(crypto::P256Scalar::from_u64(seed)).encode();
}

Genesis trustees_genesis(std::size_t m) {
  testing::TestConsortium c;
  Genesis g = c.genesis();
  g.access_mode = AccessMode::kTrustees;
  for (std::size_t j = 1; j <= m; ++j) g.trustee_keys.push_back(trustee_public_key(1000 + j));
  g.trustee_threshold = default_trustee_threshold(m);
  return g;
}

TEST(GenesisTrusteesTest, DefaultThresholdIsTwoFPlusOne) {
  EXPECT_EQ(default_trustee_threshold(1), 1);
  EXPECT_EQ(default_trustee_threshold(4), 3);
  EXPECT_EQ(default_trustee_threshold(7), 5);
  EXPECT_EQ(default_trustee_threshold(10), 7);
  EXPECT_EQ(default_trustee_threshold(64), 43);
}

TEST(GenesisTrusteesTest, SingleManagerStaysVersionThreeWithTheSameBytes) {
  testing::TestConsortium c;
  Bytes enc = encode_genesis(c.genesis());
  EXPECT_EQ(enc[4], 0);
  EXPECT_EQ(enc[5], 3);  // version 3: existing chains keep their genesis hash
  auto back = decode_genesis(enc);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(back->access_mode, AccessMode::kSingleManager);
  EXPECT_TRUE(back->trustee_keys.empty());
  nlohmann::json j = genesis_to_json(c.genesis());
  EXPECT_EQ(j["version"], 3);
  EXPECT_FALSE(j.contains("access_mode"));
}

TEST(GenesisTrusteesTest, TrusteesGenesisRoundTripsAsVersionFour) {
  Genesis g = trustees_genesis(4);
  ASSERT_TRUE(check_genesis(g).ok()) << check_genesis(g).to_string();
  Bytes enc = encode_genesis(g);
  EXPECT_EQ(enc[5], 4);
  Bytes v3 = encode_genesis(testing::TestConsortium().genesis());
  // Version 4 = version 3's fields then mode u8 | t u16 | m u8 | m x 65.
  ASSERT_EQ(enc.size(), v3.size() + 1 + 2 + 1 + 4 * 65);
  EXPECT_EQ(enc[v3.size()], 2);
  EXPECT_EQ(enc[v3.size() + 2], 3);
  EXPECT_EQ(enc[v3.size() + 3], 4);
  auto back = decode_genesis(enc);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(back->access_mode, AccessMode::kTrustees);
  EXPECT_EQ(back->trustee_keys, g.trustee_keys);
  EXPECT_EQ(back->trustee_threshold, 3);
  EXPECT_EQ(encode_genesis(*back), enc);
  EXPECT_NE(genesis_hash(g), genesis_hash(testing::TestConsortium().genesis()));
  for (std::size_t len = 0; len < enc.size(); ++len) EXPECT_FALSE(decode_genesis(ByteSpan(enc).first(len)).ok());
  Bytes trailing = enc;
  trailing.push_back(0);
  EXPECT_FALSE(decode_genesis(trailing).ok());

  auto from_json = genesis_from_json(genesis_to_json(g));
  ASSERT_TRUE(from_json.ok()) << from_json.status().to_string();
  EXPECT_EQ(genesis_hash(*from_json), genesis_hash(g));
  // The threshold may be omitted in JSON: 2f+1.
  nlohmann::json j = genesis_to_json(trustees_genesis(7));
  j.erase("trustee_threshold");
  auto defaulted = genesis_from_json(j);
  ASSERT_TRUE(defaulted.ok()) << defaulted.status().to_string();
  EXPECT_EQ(defaulted->trustee_threshold, 5);
}

TEST(GenesisTrusteesTest, BadTrusteeSectionsAreRefused) {
  auto refused = [](const Genesis& g, const char* what) {
    Status s = check_genesis(g);
    EXPECT_EQ(s.code(), ErrorCode::kInvalidInput) << what;
    EXPECT_NE(s.message().find(what), std::string::npos) << s.message();
  };
  Genesis g = trustees_genesis(4);
  Genesis bad = g;
  bad.trustee_threshold = 0;
  refused(bad, "threshold must be 1..m");
  bad.trustee_threshold = 5;
  refused(bad, "threshold must be 1..m");
  bad = g;
  bad.trustee_keys[2] = bad.trustee_keys[0];
  refused(bad, "are equal");
  bad = g;
  bad.trustee_keys[1][64] ^= 1;  // off the curve
  refused(bad, "trustee key 2 is not");
  bad = g;
  bad.trustee_keys[1][0] = 0x02;  // compressed form tag
  refused(bad, "trustee key 2 is not");
  bad = g;
  bad.trustee_keys.clear();
  refused(bad, "1 to 64 trustee keys");
  bad = trustees_genesis(65);
  bad.trustee_threshold = 10;
  refused(bad, "1 to 64 trustee keys");
  bad = testing::TestConsortium().genesis();
  bad.trustee_threshold = 1;
  refused(bad, "single-manager genesis has no trustees");
  bad.trustee_threshold = 0;
  bad.trustee_keys = g.trustee_keys;
  refused(bad, "single-manager genesis has no trustees");
  EXPECT_TRUE(check_genesis(trustees_genesis(64)).ok());
}

TEST(GenesisTrusteesTest, BadVersionFourEncodingsAreRefused) {
  const Genesis g = trustees_genesis(4);
  const Bytes enc = encode_genesis(g);
  const std::size_t section = encode_genesis(testing::TestConsortium().genesis()).size();
  auto with = [&](std::size_t at, std::uint8_t value) {
    Bytes b = enc;
    b[at] = value;
    return decode_genesis(b);
  };
  EXPECT_FALSE(with(section, 1).ok());  // version 4 saying single-manager: a second encoding
  EXPECT_FALSE(with(section, 3).ok());  // unknown mode
  EXPECT_FALSE(with(section + 3, 0).ok());  // m = 0
  EXPECT_FALSE(with(section + 3, 65).ok());  // m > 64 (and the length no longer matches)
  EXPECT_FALSE(with(section + 3, 5).ok());  // m larger than the keys present
  EXPECT_FALSE(with(section + 2, 9).ok());  // t > m
  EXPECT_FALSE(with(section + 4 + 65 + 64, enc[section + 4 + 64] ^ 1).ok());  // key 2 off the curve
  EXPECT_FALSE(with(5, 5).ok());  // version 5
  // A version-3 encoding with a trustee section appended is refused (trailing bytes).
  Bytes v3_with_section = enc;
  v3_with_section[5] = 3;
  EXPECT_FALSE(decode_genesis(v3_with_section).ok());
  // A version-4 header on a version-3 body is refused (the section is missing).
  Bytes v4_without = encode_genesis(testing::TestConsortium().genesis());
  v4_without[5] = 4;
  EXPECT_FALSE(decode_genesis(v4_without).ok());
}

TEST(GenesisTrusteesTest, BadJsonTrusteeSectionsAreRefused) {
  const nlohmann::json good = genesis_to_json(trustees_genesis(4));
  ASSERT_TRUE(genesis_from_json(good).ok());
  auto refused = [&](nlohmann::json j, const char* what) {
    auto r = genesis_from_json(j);
    ASSERT_FALSE(r.ok()) << what;
    EXPECT_NE(r.status().message().find(what), std::string::npos) << r.status().message();
  };
  nlohmann::json j = good;
  j["version"] = 3u;
  refused(j, "version 3 is single-manager");
  j = good;
  j["access_mode"] = "single-manager";
  refused(j, "needs access_mode");
  j = good;
  j.erase("access_mode");
  refused(j, "missing string access_mode");
  j = good;
  j["trustee_keys"] = nlohmann::json::array();
  refused(j, "trustee_keys must be an array");
  j = good;
  j["trustee_keys"][1] = "04";
  refused(j, "trustee key 2 must be 65 hex bytes");
  j = good;
  j["trustee_keys"][1] = 7;
  refused(j, "trustee key 2 must be a hex string");
  j = good;
  j["trustee_keys"][3] = j["trustee_keys"][0];
  refused(j, "are equal");
  j = good;
  j["trustee_threshold"] = 5u;
  refused(j, "threshold must be 1..m");
  j = good;
  j["trustee_threshold"] = -1;
  refused(j, "trustee_threshold");
  j = genesis_to_json(testing::TestConsortium().genesis());
  j["access_mode"] = "trustees";
  refused(j, "version 3 is single-manager");
}

}  // namespace
}  // namespace hc::chain

namespace hc::chain {
namespace {

// Version 6 (session 13): a trustees genesis whose chain takes only proven DKG deals. Version
// 5's trailer with access mode 2; the default governance rules allowed; one encoding each.
TEST(GenesisProvenDkgTest, Version6RoundTripsAndIsOnlyTrustees) {
  Genesis g = trustees_genesis(4);
  const Bytes v4 = encode_genesis(g);
  g.proven_dkg_deals = true;
  ASSERT_TRUE(check_genesis(g).ok());
  EXPECT_EQ(g.encoding_version(), kGenesisVersionProvenDkg);
  const Bytes v6 = encode_genesis(g);
  EXPECT_EQ(v6[5], kGenesisVersionProvenDkg);
  EXPECT_EQ(v6.size(), v4.size() + 1 + 4);  // admin approves u8, proposal expiry u32
  auto back = decode_genesis(v6);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_TRUE(back->proven_dkg_deals);
  EXPECT_EQ(back->governance, GovernanceRules{});
  EXPECT_EQ(encode_genesis(*back), v6);
  EXPECT_NE(genesis_hash(*back), genesis_hash(trustees_genesis(4)));
  auto from_json = genesis_from_json(genesis_to_json(g));
  ASSERT_TRUE(from_json.ok()) << from_json.status().to_string();
  EXPECT_EQ(encode_genesis(*from_json), v6);
  EXPECT_FALSE(decode_genesis(v4)->proven_dkg_deals);

  Bytes single_mode = v6;  // the mode byte right after the limits: 1 (single-manager)
  single_mode[v4.size() - 4 * 65 - 1 - 2 - 1] = 1;
  EXPECT_FALSE(decode_genesis(single_mode).ok());
  Genesis single = testing::TestConsortium().genesis();
  single.proven_dkg_deals = true;
  EXPECT_EQ(check_genesis(single).message(), "genesis: proven DKG deals (version 6) need access mode trustees");
  nlohmann::json no_governance = genesis_to_json(g);
  no_governance.erase("governance");
  EXPECT_FALSE(genesis_from_json(no_governance).ok());
}

}  // namespace
}  // namespace hc::chain

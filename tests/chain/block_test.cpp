// Blocks, genesis and the PBFT commit certificate the ledger stores with each block.
#include <gtest/gtest.h>

#include "chain/block.h"
#include "chain/genesis.h"
#include "chain/test_chain.h"
#include "common/file_io.h"
#include "consensus/certificates.h"

namespace hc::chain {
namespace {

using testing::TestConsortium;

class BlockTest : public ::testing::Test {
 protected:
  Block sample() {
    ChainTip tip{4, sha256(as_bytes("prev")), sha256(as_bytes("app"))};
    return c.make_block(tip, {c.encode_signed_record(c.serial_of(1), 0, 40),
                              c.enrollment_tx("hospital-b"), c.revocation_tx(1)});
  }
  TestConsortium c;
};

TEST_F(BlockTest, HeaderAndBlockRoundTrip) {
  Block b = sample();
  Bytes header = encode_header(b.header);
  EXPECT_EQ(header.size(), kBlockHeaderBytes);
  EXPECT_EQ(*decode_header(header), b.header);
  Bytes enc = encode_block(b);
  auto back = decode_block(enc);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(back->header, b.header);
  EXPECT_EQ(back->transactions, b.transactions);
  EXPECT_EQ(back->commit_certificate, b.commit_certificate);
  EXPECT_EQ(encode_block(*back), enc);
  auto checked = check_block(*back);
  ASSERT_TRUE(checked.ok());
  EXPECT_EQ(checked->hash, block_hash(b.header));
  EXPECT_EQ(checked->transactions.size(), 3u);
}

TEST_F(BlockTest, EveryTruncationAndTrailingByteIsRejected) {
  Bytes enc = encode_block(sample());
  for (std::size_t len = 0; len < enc.size(); ++len) {
    EXPECT_FALSE(decode_block(ByteSpan(enc).first(len)).ok()) << len;
  }
  enc.push_back(0);
  EXPECT_FALSE(decode_block(enc).ok());
  Bytes header = encode_header(sample().header);
  header.push_back(0);
  EXPECT_FALSE(decode_header(header).ok());
}

TEST_F(BlockTest, HugeTransactionCountIsRejectedWithoutAllocating) {
  Bytes enc = encode_block(sample());
  const std::size_t count_pos = 4 + 2 + kBlockHeaderBytes;
  enc[count_pos] = 0x00;
  enc[count_pos + 1] = 0x00;
  enc[count_pos + 2] = 0x4e;
  enc[count_pos + 3] = 0x1f;  // 19999: within the hard limit, far more than the bytes allow
  EXPECT_FALSE(decode_block(enc).ok());
  enc[count_pos] = 0xff;
  EXPECT_EQ(decode_block(enc).status().code(), ErrorCode::kTooLarge);
}

TEST_F(BlockTest, CheckBlockFindsBadTransactionsAndRoots) {
  Block b = sample();
  Block bad_root = b;
  bad_root.header.merkle_root[0] ^= 1;
  EXPECT_NE(check_block(bad_root).status().message().find("merkle"), std::string::npos);
  Block bad_tx = b;
  bad_tx.transactions[1].back() ^= 1;  // still decodes; root no longer matches
  EXPECT_FALSE(check_block(bad_tx).ok());
  Block undecodable = b;
  undecodable.transactions[2].pop_back();
  EXPECT_NE(check_block(undecodable).status().message().find("transaction 2"), std::string::npos);
  Block dup = c.make_block(ChainTip{}, {b.transactions[0], b.transactions[0]});
  EXPECT_NE(check_block(dup).status().message().find("duplicate"), std::string::npos);
}

TEST_F(BlockTest, GenesisRoundTripsThroughBinaryAndJson) {
  const Genesis& g = c.genesis();
  Bytes enc = encode_genesis(g);
  auto back = decode_genesis(enc);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(encode_genesis(*back), enc);
  auto from_json = genesis_from_json(genesis_to_json(g));
  ASSERT_TRUE(from_json.ok()) << from_json.status().to_string();
  EXPECT_EQ(genesis_hash(*from_json), genesis_hash(g));
  EXPECT_EQ(g.quorum(), 3u);
  // The engine's quorum, not 2f+1, when n is not 3f+1 (regression: 2f+1 let two certificates
  // of 5 or 6 replicas meet only in a faulty one; seen failing before the fix).
  const std::vector<std::pair<std::size_t, std::size_t>> quorum_of_n = {{4, 3}, {5, 4}, {6, 4}, {7, 5}, {8, 6}, {10, 7}};
  for (auto [n, q] : quorum_of_n) {
    Genesis sized = g;
    sized.replicas.resize(n, g.replicas.front());
    EXPECT_EQ(sized.quorum(), q) << n;
  }
  for (std::size_t len = 0; len < enc.size(); ++len) EXPECT_FALSE(decode_genesis(ByteSpan(enc).first(len)).ok());
  Genesis other = g;
  other.limits.max_block_bytes -= 1;
  EXPECT_NE(genesis_hash(other), genesis_hash(g));
}

// Genesis version 3: each replica may carry its hospital's TLS CA certificate (the clients'
// trust anchor). It is part of the hash, survives both forms byte for byte, and a tampered,
// oversized or non-PEM anchor is refused or changes the chain id.
TEST_F(BlockTest, GenesisCarriesTlsTrustAnchorsInItsHash) {
  Genesis g = c.genesis();
  const std::string pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  g.replicas[1].tls_ca_pem = pem;
  ASSERT_TRUE(check_genesis(g).ok());
  EXPECT_EQ(g.tls_trust_anchors(), std::vector<std::string>{pem});
  Bytes enc = encode_genesis(g);
  EXPECT_EQ(enc[4], 0);
  EXPECT_EQ(enc[5], 3);  // version 3
  auto back = decode_genesis(enc);
  ASSERT_TRUE(back.ok()) << back.status().to_string();
  EXPECT_EQ(back->replicas[1].tls_ca_pem, pem);
  auto from_json = genesis_from_json(genesis_to_json(g));
  ASSERT_TRUE(from_json.ok()) << from_json.status().to_string();
  EXPECT_EQ(genesis_hash(*from_json), genesis_hash(g));
  EXPECT_NE(genesis_hash(g), genesis_hash(c.genesis()));
  Genesis tampered = g;
  tampered.replicas[1].tls_ca_pem[30] ^= 1;
  EXPECT_NE(genesis_hash(tampered), genesis_hash(g));
  for (std::size_t len = 0; len < enc.size(); ++len) EXPECT_FALSE(decode_genesis(ByteSpan(enc).first(len)).ok());
  Genesis bad = g;
  bad.replicas[1].tls_ca_pem = "not a certificate";
  EXPECT_FALSE(check_genesis(bad).ok());
  bad.replicas[1].tls_ca_pem = pem + std::string(kMaxTlsCaCertificateBytes, 'A');
  EXPECT_FALSE(check_genesis(bad).ok());
  nlohmann::json j = genesis_to_json(g);
  j["replicas"][1]["tls_ca_certificate"] = "";
  EXPECT_FALSE(genesis_from_json(j).ok());
  j = genesis_to_json(g);
  j["version"] = 2;
  EXPECT_FALSE(genesis_from_json(j).ok());
}

// Regression: a revocation grace window let anyone forge old-epoch records (after a BBS04
// revocation (A*, x*) is public); a genesis that asks for one is refused.
TEST_F(BlockTest, AGenesisWithARevocationGraceWindowIsRefused) {
  Genesis g = c.genesis();
  EXPECT_TRUE(check_genesis(g).ok());
  g.limits.revocation_grace_blocks = 1;
  Status s = check_genesis(g);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kInvalidInput);
  EXPECT_NE(s.message().find("revocation_grace_blocks"), std::string::npos) << s.message();
  nlohmann::json j = genesis_to_json(c.genesis());
  j["limits"]["revocation_grace_blocks"] = 2;
  EXPECT_FALSE(genesis_from_json(j).ok());
}

TEST_F(BlockTest, GenesisFilesLoadAndMalformedOnesAreRejected) {
  testing::TempDir dir("genesis");
  const std::string good = dir.path() + "/genesis.json";
  ASSERT_TRUE(write_text_file_atomic(good, genesis_to_json(c.genesis()).dump(2)).ok());
  auto loaded = load_genesis_file(good);
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  EXPECT_EQ(genesis_hash(*loaded), c.genesis_hash());
  const std::string bad = dir.path() + "/bad.json";
  ASSERT_TRUE(write_text_file_atomic(bad, "{\"version\": 1,").ok());
  EXPECT_EQ(load_genesis_file(bad).status().code(), ErrorCode::kInvalidInput);
  EXPECT_EQ(load_genesis_file(dir.path() + "/missing.json").status().code(), ErrorCode::kNotFound);
}

// Regression (issue 11 item 6): the genesis file is outside input; its nesting depth is bounded
// before it is parsed (it used to be parsed into a tree as deep as the file asked).
TEST_F(BlockTest, DeeplyNestedGenesisFileIsRefusedBeforeParsing) {
  testing::TempDir dir("genesis-deep");
  const std::string deep = dir.path() + "/deep.json";
  ASSERT_TRUE(write_text_file_atomic(deep, "{\"chain_name\": " + std::string(100000, '[') + std::string(100000, ']') + "}").ok());
  auto loaded = load_genesis_file(deep);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(loaded.status().message().find("nests deeper than 64 levels"), std::string::npos)
      << loaded.status().to_string();
}

TEST_F(BlockTest, GenesisRulesAreEnforced) {
  Genesis g = c.genesis();
  std::swap(g.replicas[0], g.replicas[1]);
  EXPECT_FALSE(check_genesis(g).ok());
  g = c.genesis();
  g.limits.max_block_transactions = kMaxBlockTransactions + 1;
  EXPECT_FALSE(check_genesis(g).ok());
  g = c.genesis();
  g.chain_name = "has space";
  EXPECT_FALSE(check_genesis(g).ok());
  auto j = genesis_to_json(c.genesis());
  j["manager_admin_key"] = "00";
  EXPECT_FALSE(genesis_from_json(j).ok());
  j = genesis_to_json(c.genesis());
  j["replicas"][0]["id"] = -1;
  EXPECT_FALSE(genesis_from_json(j).ok());
}

TEST_F(BlockTest, CommitCertificateNeedsTwoFPlusOneGoodSignatures) {
  Block b = sample();
  const Digest h = block_hash(b.header);
  const std::vector<Digest> ids = transaction_ids(b);
  const auto& v = c.certificates();
  auto check = [&](const consensus::CommitCertificate& cert) {
    return v.verify(b.header, h, ids, consensus::encode_commit_certificate(cert));
  };
  EXPECT_TRUE(v.verify(b.header, h, ids, c.certificate_for(b, 3)).ok());
  EXPECT_TRUE(v.verify(b.header, h, ids, c.certificate_for(b, 4)).ok());
  EXPECT_EQ(v.verify(b.header, h, ids, c.certificate_for(b, 2)).code(), ErrorCode::kAuthFailed);
  const consensus::CommitCertificate good = c.commit_certificate_for(b, 3);
  // The same signer twice does not count twice.
  consensus::CommitCertificate twice = good;
  twice.commits[2] = twice.commits[0];
  EXPECT_EQ(check(twice).code(), ErrorCode::kAuthFailed);
  // A fourth signer that is not a genesis replica is refused, not ignored.
  consensus::CommitCertificate stranger = good;
  stranger.commits[2].replica = 4;
  EXPECT_FALSE(check(stranger).ok());
  // A COMMIT signature over another block does not count for this one.
  Block other = b;
  other.header.timestamp_ms += 1;
  consensus::CommitCertificate moved = good;
  moved.commits[1] = c.commit_certificate_for(other, 3).commits[1];
  EXPECT_EQ(check(moved).code(), ErrorCode::kAuthFailed);
  // The whole certificate of another block does not prove this one, nor this one with other ids.
  EXPECT_EQ(v.verify(b.header, h, ids, c.certificate_for(other, 4)).code(), ErrorCode::kAuthFailed);
  std::vector<Digest> fewer_ids(ids.begin(), ids.end() - 1);
  EXPECT_EQ(v.verify(b.header, h, fewer_ids, c.certificate_for(b, 4)).code(), ErrorCode::kAuthFailed);
  const Bytes cert = c.certificate_for(b, 3);
  for (std::size_t pos = 0; pos < cert.size(); ++pos) {
    Bytes bad = cert;
    bad[pos] ^= 0x04;
    EXPECT_FALSE(v.verify(b.header, h, ids, bad).ok()) << pos;
  }
  EXPECT_FALSE(v.verify(b.header, h, ids, Bytes{}).ok());
}

}  // namespace
}  // namespace hc::chain

// Wire encoding, strict decoding, signatures and certificate verification.
#include <gtest/gtest.h>

#include "consensus/certificates.h"
#include "consensus/messages.h"
#include "consensus/persist.h"
#include "test_cluster.h"

namespace hc::consensus {
namespace {

using namespace testing;  // test_cluster.h and signed_messages.h

const ChainId kChain = sha256(Bytes{'c'});

ConsensusConfig config4() {
  ConsensusConfig c;
  c.replica_count = 4;
  c.chain_id = sha256(Bytes{'m'});
  return c;
}

Block sample_block(SeqNumber h) { return Block{h, 0, 0, 0, {make_tx(1), make_tx(2), Bytes{0x01}}}; }

Message roundtrip(const Message& m) {
  const Bytes wire = encode_message(m);
  auto decoded = decode_message(wire, decode_limits(config4()));
  EXPECT_TRUE(decoded.ok()) << decoded.status().to_string();
  EXPECT_EQ(encode_message(decoded.value()), wire);  // canonical: re-encodes identically
  return decoded.value();
}

TEST(Messages, EveryTypeRoundTrips) {
  const Block b = sample_block(7);
  const Digest d = block_digest(b);
  PreparedCertificate cert{2, 7, d, b, Signature{}, {{1, Signature{}}, {2, Signature{}}}};
  ViewChange vc{3, CheckpointProof{}, {cert.proof()}};
  std::vector<MessageBody> bodies = {
      PrePrepare{1, 7, d, b}, Prepare{1, 7, d}, Commit{1, 7, d}, CheckpointMsg{16, d}, vc,
      NewView{3, {SignedViewChange{1, vc, Signature{}}}, {NewViewEntry{7, d, Signature{}}}},
      Fetch{5, 2}, BlockRequest{3, 7, d}, BlockReply{b},
      BlocksReply{{CommittedBlock{b, CommitCertificate{1, 7, d, {{0, Signature{}}}}}}, CheckpointProof{}}};
  for (const MessageBody& body : bodies) {
    Message m{2, body, Signature{}};
    m.sig[0] = 0x33;
    const Message back = roundtrip(m);
    EXPECT_EQ(back.type(), m.type());
    EXPECT_EQ(back.sender, 2u);
    EXPECT_EQ(back.sig, m.sig);
  }
}

TEST(Messages, RejectsMalformedInput) {
  const DecodeLimits lim = decode_limits(config4());
  Message m{1, Prepare{1, 2, Digest{}}, Signature{}};
  const Bytes wire = encode_message(m);
  for (std::size_t cut = 0; cut < wire.size(); ++cut) {
    EXPECT_FALSE(decode_message(ByteSpan(wire).first(cut), lim).ok()) << "cut " << cut;
  }
  Bytes trailing = wire;
  trailing.push_back(0);
  EXPECT_FALSE(decode_message(trailing, lim).ok());
  Bytes bad_version = wire;
  bad_version[0] = 1;  // version 1 carried blocks inside VIEW-CHANGE
  EXPECT_FALSE(decode_message(bad_version, lim).ok());
  Bytes bad_type = wire;
  bad_type[1] = 99;
  EXPECT_FALSE(decode_message(bad_type, lim).ok());
}

// Seeded mutation fuzzing of the decoder: any byte string either fails to decode or decodes
// to a message that re-encodes to exactly the same bytes (canonical), and never crashes.
TEST(Messages, MutatedInputsDecodeCanonicallyOrFail) {
  const Block b = sample_block(7);
  const Digest d = block_digest(b);
  PreparedCertificate cert{2, 7, d, b, Signature{}, {{1, Signature{}}, {2, Signature{}}}};
  const std::vector<MessageBody> seeds = {
      PrePrepare{1, 7, d, b}, Commit{1, 7, d}, ViewChange{3, CheckpointProof{}, {cert.proof()}},
      BlocksReply{{CommittedBlock{b, CommitCertificate{1, 7, d, {{0, Signature{}}}}}}, CheckpointProof{}}};
  std::uint64_t state = 0x9E3779B97F4A7C15ull;
  const auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  std::size_t decoded = 0;
  for (const MessageBody& body : seeds) {
    const Bytes wire = encode_message(Message{1, body, Signature{}});
    for (int i = 0; i < 3000; ++i) {
      Bytes m = wire;
      const int edits = 1 + static_cast<int>(next() % 4);
      for (int e = 0; e < edits; ++e) {
        const std::size_t pos = next() % m.size();
        switch (next() % 3) {
          case 0: m[pos] = static_cast<std::uint8_t>(next()); break;
          case 1: m.erase(m.begin() + static_cast<std::ptrdiff_t>(pos)); break;
          default: m.insert(m.begin() + static_cast<std::ptrdiff_t>(pos), static_cast<std::uint8_t>(next())); break;
        }
        if (m.empty()) m.push_back(1);
      }
      auto r = decode_message(m, decode_limits(config4()));
      if (r.ok()) {
        ++decoded;
        EXPECT_EQ(encode_message(r.value()), m);
      }
    }
  }
  EXPECT_GT(decoded, 0u);  // some mutations (e.g. in digests) stay well-formed
}

TEST(Messages, EnforcesCountLimits) {
  DecodeLimits lim = decode_limits(config4());
  lim.max_block_txs = 2;
  const Block b = sample_block(1);  // three transactions
  Message m{0, PrePrepare{0, 1, block_digest(b), b}, Signature{}};
  auto r = decode_message(encode_message(m), lim);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("too many transactions"), std::string::npos);
  lim.max_message_bytes = 10;
  EXPECT_EQ(decode_message(encode_message(m), lim).status().code(), ErrorCode::kTooLarge);
}

TEST(Messages, SigningInputSeparatesChainsConfigurationsTypesAndSenders) {
  const Bytes st = vote_statement(1, 2, Digest{});
  const ChainId a = sha256(Bytes{'a'}), b = sha256(Bytes{'b'});
  EXPECT_NE(signing_input(a, 0, MsgType::kPrepare, 1, st), signing_input(a, 0, MsgType::kCommit, 1, st));
  EXPECT_NE(signing_input(a, 0, MsgType::kPrepare, 1, st), signing_input(a, 0, MsgType::kPrepare, 2, st));
  EXPECT_NE(signing_input(a, 0, MsgType::kPrepare, 1, st), signing_input(b, 0, MsgType::kPrepare, 1, st));
  EXPECT_NE(signing_input(a, 0, MsgType::kPrepare, 1, st), signing_input(a, 1, MsgType::kPrepare, 1, st));
  // "HC-PBFT/4/msg" | 0x00 | chain:32 | config:u64 | type:u8 | sender:u32 | statement
  const Bytes input = signing_input(a, 0x0102030405060708ull, MsgType::kCommit, 7, st);
  const std::string_view tag = "HC-PBFT/4/msg";
  ASSERT_EQ(input.size(), tag.size() + 1 + 32 + 8 + 1 + 4 + st.size());
  EXPECT_EQ(std::string(input.begin(), input.begin() + static_cast<std::ptrdiff_t>(tag.size())), tag);
  EXPECT_TRUE(std::equal(a.begin(), a.end(), input.begin() + static_cast<std::ptrdiff_t>(tag.size()) + 1));
  EXPECT_EQ(input[tag.size() + 1 + 32], 0x01);
  EXPECT_EQ(input[tag.size() + 1 + 32 + 7], 0x08);
}

TEST(Messages, ConfigRequiresAChainId) {
  ConsensusConfig c = config4();
  c.chain_id = ChainId{};
  EXPECT_FALSE(c.validate().ok());
}

TEST(Crypto, Ed25519SignsAndVerifies) {
  auto s0 = Ed25519Signer::create(test_seed(0)).value();
  auto s1 = Ed25519Signer::create(test_seed(1)).value();
  auto v = Ed25519Verifier::create({s0->public_key(), s1->public_key()}).value();
  const Bytes msg = {1, 2, 3};
  const Signature sig = s0->sign(msg);
  EXPECT_TRUE(v->verify(0, msg, sig));
  EXPECT_FALSE(v->verify(1, msg, sig));  // someone else's key
  EXPECT_FALSE(v->verify(2, msg, sig));  // not a member
  Signature bad = sig;
  bad[5] ^= 1;
  EXPECT_FALSE(v->verify(0, msg, bad));
  EXPECT_FALSE(v->verify(0, Bytes{1, 2, 4}, sig));
  EXPECT_FALSE(Ed25519Signer::create(SecureBytes(31)).ok());
}

class CertificateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<PublicKey> keys;
    for (ReplicaId r = 0; r < 4; ++r) {
      signers.push_back(Ed25519Signer::create(test_seed(r)).value());
      keys.push_back(signers.back()->public_key());
    }
    verifier = Ed25519Verifier::create(keys).value();
  }
  CommittedBlock committed(std::vector<ReplicaId> who) {
    CommittedBlock cb{sample_block(9), {}};
    cb.cert = CommitCertificate{4, 9, block_digest(cb.block), {}};
    for (ReplicaId r : who) {
      cb.cert.commits.push_back(
          {r, signers[r]->sign(signing_input(kChain, 0, MsgType::kCommit, r, vote_statement(4, 9, cb.cert.digest)))});
    }
    return cb;
  }
  std::vector<std::unique_ptr<Ed25519Signer>> signers;
  std::unique_ptr<Ed25519Verifier> verifier;
};

TEST_F(CertificateTest, AcceptsQuorumOfCommits) {
  EXPECT_TRUE(verify_commit_certificate(kChain, committed({0, 1, 2}), Configuration::genesis(4), *verifier).ok());
  EXPECT_TRUE(verify_commit_certificate(kChain, committed({3, 1, 2, 0}), Configuration::genesis(4), *verifier).ok());
}

TEST_F(CertificateTest, RejectsForgeries) {
  EXPECT_FALSE(verify_commit_certificate(kChain, committed({0, 1}), Configuration::genesis(4), *verifier).ok());
  CommittedBlock dup = committed({0, 1, 1});
  EXPECT_FALSE(verify_commit_certificate(kChain, dup, Configuration::genesis(4), *verifier).ok());
  CommittedBlock other_block = committed({0, 1, 2});
  other_block.block.txs.push_back(make_tx(99));
  EXPECT_FALSE(verify_commit_certificate(kChain, other_block, Configuration::genesis(4), *verifier).ok());
  CommittedBlock moved = committed({0, 1, 2});
  moved.cert.view = 5;  // signatures were for view 4
  EXPECT_EQ(verify_commit_certificate(kChain, moved, Configuration::genesis(4), *verifier).code(), ErrorCode::kAuthFailed);
  CommittedBlock stranger = committed({0, 1, 2});
  stranger.cert.commits[2].replica = 7;
  EXPECT_FALSE(verify_commit_certificate(kChain, stranger, Configuration::genesis(4), *verifier).ok());
}

TEST(Persist, RecordsReplayInOrder) {
  const Block b = sample_block(3);
  const Digest d = block_digest(b);
  std::vector<Bytes> records = {
      encode_stable_record(CheckpointProof{}), encode_view_record(2, false),
      encode_preprepare_record(PrePrepareRecord{2, 3, d, Signature{}, b}),
      encode_prepared_record(PreparedCertificate{2, 3, d, b, Signature{}, {}}),
      encode_view_record(3, true)};
  auto st = decode_persisted_state(records, decode_limits(config4()));
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->view, 3u);
  EXPECT_TRUE(st->in_view_change);
  ASSERT_EQ(st->preprepares.size(), 1u);
  EXPECT_EQ(st->preprepares[0].block, b);
  ASSERT_EQ(st->prepared.size(), 1u);
  records.push_back(Bytes{9});
  EXPECT_EQ(decode_persisted_state(records, decode_limits(config4())).status().code(), ErrorCode::kCorrupt);
}

}  // namespace
}  // namespace hc::consensus

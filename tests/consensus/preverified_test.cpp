// Signatures verified off the consensus thread (consensus/preverified.h, issue 18 item 3): a
// pre-verified entry answers exactly the engine's question it was made for, once, and nothing
// else; a bad signature is never pre-verified and is still refused by the engine; an entry
// made for one configuration or chain does not answer a question about another.
#include <gtest/gtest.h>

#include <string>

#include "consensus/preverified.h"
#include "consensus/replica.h"
#include "consensus/testing/ed25519_test_keys.h"
#include "consensus/testing/test_application.h"

namespace hc::consensus::preverified_test {
namespace {

// Replicas 0..3's keys.
struct Keys : Ed25519TestKeys {
  Keys() : Ed25519TestKeys('a') {}
};

const ChainId kChain = sha256(Bytes{'c'});
const ChainId kOtherChain = sha256(Bytes{'o'});

Bytes signed_wire(Keys& keys, ReplicaId sender, MessageBody body, ConfigNumber config = 0,
                  const ChainId& chain = kChain) {
  Message m{sender, std::move(body), Signature{}, config};
  m.sig = keys.signers[sender]->sign(signing_input(chain, m.config, m.type(), sender, statement_of(m.body)));
  return encode_message(m);
}

Bytes commit_input(ReplicaId sender, ConfigNumber config, const Commit& c, const ChainId& chain = kChain) {
  return signing_input(chain, config, MsgType::kCommit, sender, vote_statement(c.view, c.seq, c.digest));
}

TEST(PreverifiedSignatureTest, AnEntryAnswersItsOwnQuestionOnceWithoutCheckingAgain) {
  Keys keys;
  CountingEd25519Verifier pool(keys.public_keys);
  const Commit c{0, 1, sha256(Bytes{'b'})};
  const Bytes wire = signed_wire(keys, 2, c);
  std::optional<PreverifiedSignature> entry = preverify_envelope(wire, DecodeLimits{}, kChain, pool);
  ASSERT_TRUE(entry.has_value());
  EXPECT_EQ(pool.calls, 1);

  CountingEd25519Verifier inner(keys.public_keys);
  PreverifiedVerifier front(inner);
  const Signature sig = entry->sig;
  front.arm(std::move(entry));
  EXPECT_TRUE(front.verify(2, commit_input(2, 0, c), sig));
  EXPECT_EQ(inner.calls, 0);
  EXPECT_EQ(front.answered_from_entry(), 1u);
  // Consumed: the same question again goes to the real verifier (which agrees).
  EXPECT_TRUE(front.verify(2, commit_input(2, 0, c), sig));
  EXPECT_EQ(inner.calls, 1);
  EXPECT_EQ(front.passed_to_inner(), 1u);
}

TEST(PreverifiedSignatureTest, ABadSignatureIsNotPreverifiedAndStillRefused) {
  Keys keys;
  CountingEd25519Verifier pool(keys.public_keys);
  const Commit c{0, 1, sha256(Bytes{'b'})};
  Bytes wire = signed_wire(keys, 2, c);
  wire.back() ^= 1;  // the signature's last byte
  EXPECT_FALSE(preverify_envelope(wire, DecodeLimits{}, kChain, pool).has_value());

  // Armed with the good message's entry, a tampered signature of the same statement is
  // still asked of the real verifier, which refuses it.
  const Bytes good = signed_wire(keys, 2, c);
  CountingEd25519Verifier inner(keys.public_keys);
  PreverifiedVerifier front(inner);
  front.arm(preverify_envelope(good, DecodeLimits{}, kChain, pool));
  Signature tampered = decode_message(good, DecodeLimits{}).value().sig;
  tampered[0] ^= 1;
  EXPECT_FALSE(front.verify(2, commit_input(2, 0, c), tampered));
  EXPECT_EQ(inner.calls, 1);
  // Another signer's question is not the entry's either.
  EXPECT_FALSE(front.verify(3, commit_input(2, 0, c), decode_message(good, DecodeLimits{}).value().sig));
  EXPECT_EQ(front.answered_from_entry(), 0u);
}

TEST(PreverifiedSignatureTest, AnEntryForOneConfigurationOrChainDoesNotAnswerAnother) {
  Keys keys;
  CountingEd25519Verifier pool(keys.public_keys);
  const Commit c{0, 1, sha256(Bytes{'b'})};
  std::optional<PreverifiedSignature> entry = preverify_envelope(signed_wire(keys, 2, c, 1), DecodeLimits{}, kChain, pool);
  ASSERT_TRUE(entry.has_value());
  const Signature sig = entry->sig;

  CountingEd25519Verifier inner(keys.public_keys);
  PreverifiedVerifier front(inner);
  front.arm(entry);
  EXPECT_FALSE(front.verify(2, commit_input(2, 2, c), sig));  // configuration 2's question
  EXPECT_EQ(inner.calls, 1);
  front.arm(entry);
  EXPECT_FALSE(front.verify(2, commit_input(2, 1, c, kOtherChain), sig));  // another chain's
  EXPECT_EQ(inner.calls, 2);
  front.arm(entry);
  EXPECT_TRUE(front.verify(2, commit_input(2, 1, c), sig));  // its own
  EXPECT_EQ(inner.calls, 2);

  // Checked against the wrong chain id, the pool does not pre-verify it at all.
  EXPECT_FALSE(preverify_envelope(signed_wire(keys, 2, c, 1), DecodeLimits{}, kOtherChain, pool).has_value());
}

TEST(PreverifiedSignatureTest, MalformedMessagesAndViewChangesAreLeftToTheEngine) {
  Keys keys;
  CountingEd25519Verifier pool(keys.public_keys);
  EXPECT_FALSE(preverify_envelope(Bytes{1, 2, 3}, DecodeLimits{}, kChain, pool).has_value());
  ViewChange vc;
  vc.new_view = 1;
  EXPECT_FALSE(preverify_envelope(signed_wire(keys, 2, vc), DecodeLimits{}, kChain, pool).has_value());
  EXPECT_EQ(pool.calls, 0);
}

// Through a real replica: the pre-verified PREPARE is accepted without a second check; a
// tampered one armed with the good one's entry is refused as a bad signature.
TEST(PreverifiedSignatureTest, TheReplicaAcceptsWhatWasPreverifiedAndRefusesATamperedMessage) {
  Keys keys;
  ConsensusConfig config;
  config.replica_count = 4;
  config.chain_id = kChain;
  CountingEd25519Verifier pool(keys.public_keys);
  CountingEd25519Verifier inner(keys.public_keys);
  PreverifiedVerifier front(inner);
  TestApplication app;
  Replica replica(config, 1, *keys.signers[1], front, app);
  std::vector<Action> out;
  replica.handle(Event{0, StateLoaded{}}, out);

  const Bytes good = signed_wire(keys, 2, Prepare{0, 1, sha256(Bytes{'b'})});
  Bytes tampered = signed_wire(keys, 3, Prepare{0, 1, sha256(Bytes{'b'})});
  tampered.back() ^= 1;
  front.arm(preverify_envelope(good, DecodeLimits{}, kChain, pool));
  replica.handle(Event{1, MessageReceived{std::make_shared<const Bytes>(tampered)}}, out);
  EXPECT_EQ(replica.stats().dropped[static_cast<std::size_t>(DropReason::kBadSignature)], 1u);
  EXPECT_EQ(inner.calls, 1);

  const std::uint64_t accepted = replica.stats().messages_accepted;
  front.arm(preverify_envelope(good, DecodeLimits{}, kChain, pool));
  replica.handle(Event{2, MessageReceived{std::make_shared<const Bytes>(good)}}, out);
  EXPECT_EQ(replica.stats().messages_accepted, accepted + 1);
  EXPECT_EQ(inner.calls, 1);
  EXPECT_EQ(front.answered_from_entry(), 1u);
}

}  // namespace
}  // namespace hc::consensus::preverified_test

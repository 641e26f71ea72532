// Issue 13 item 4 on the chain: an access request that asks to open (wire kind 15) and the
// trustees' answers carrying partial openings (wire kind 16). Encodings (canonical, every byte
// tampered, the old decrypt-only form), the ledger's rules for answers (request not committed,
// request that did not ask to open, record not named, wrong key epoch, another trustee's
// binding, repeated answer), and the trustees' duties answering in-process: a record's
// hospital is named through exactly t partial openings read from the chain with one trustee
// offline, t-1 are not enough, and a trustee's bad partial opening is named while the others
// combine.
#include <gtest/gtest.h>

#include "chain/formed_access_key.h"
#include "chain/bbs04_record_verifier.h"
#include "chain/codec.h"
#include "chain/limits.h"
#include "chain/partial_opening_binding.h"
#include "chain/sealed_record_conversion.h"
#include "chain/transaction_json.h"
#include "chain/trustees_chain.h"
#include "crypto/groupsig/elgamal_encoding.h"
#include "crypto/groupsig/elgamal_keys.h"
#include "crypto/groupsig/elgamal_sign.h"
#include "crypto/groupsig/issuer.h"
#include "crypto/sealed_record_v2.h"
#include "crypto/threshold/opening_evidence.h"
#include "crypto/threshold/partial_opening.h"
#include "node/trustee_duties.h"

namespace hc::chain {
namespace {

using crypto::P256Point;
using crypto::P256Scalar;
using testing::TrusteesChain;
namespace th = crypto::threshold;
namespace eg = groupsig::elgamal;

groupsig::MemberKey opening_test_member() {
  return testing::trustees_chain_member("eastgate");
}

// Every byte of `encoding` flipped in turn: each mutation either fails to decode or decodes to
// a transaction whose canonical encoding is the mutated bytes (one value, one encoding).
void expect_canonical_under_tampering(const Bytes& encoding) {
  for (std::size_t i = 0; i < encoding.size(); ++i) {
    Bytes mutated = encoding;
    mutated[i] ^= 0x01;
    auto decoded = decode_transaction(mutated);
    if (decoded.ok()) {
      EXPECT_EQ(encode_transaction(*decoded), mutated) << "byte " << i;
    }
  }
  Bytes truncated(encoding.begin(), encoding.end() - 1);
  EXPECT_FALSE(decode_transaction(truncated).ok());
  Bytes longer = encoding;
  longer.push_back(0);
  EXPECT_FALSE(decode_transaction(longer).ok());
}

AccessRequestTx opening_test_request() {
  AccessRequestTx r;
  r.chain_id.fill(0x11);
  r.key_epoch = 3;
  r.serial.fill(0x22);
  r.record_ids = {Digest{}, Digest{}};
  r.record_ids[0].fill(0x01);
  r.record_ids[1].fill(0x02);
  r.timestamp_ms = 1700000000000;
  r.purpose = "treatment: identify the hospital";
  r.requester_key = P256Point::base_mul(P256Scalar::from_u64(7)).encode();
  r.decrypt = false;
  r.open = true;
  r.signature.fill(0x33);
  return r;
}

DecryptionSharesTx opening_test_answer() {
  DecryptionSharesTx a;
  a.chain_id.fill(0x11);
  a.request_id.fill(0x44);
  a.trustee = 2;
  for (std::uint8_t i = 1; i <= 2; ++i) {
    PartialOpeningEntry e;
    e.record_id.fill(i);
    e.partial_opening.assign(kPartialOpeningEntryBytes, static_cast<std::uint8_t>(0x50 + i));
    a.partial_openings.push_back(e);
  }
  a.trustee_signature.fill(0x66);
  return a;
}

TEST(TrusteesOpeningEncoding, ARequestThatAsksToOpenHasItsOwnWireKindAndTheOldFormIsDecryptOnly) {
  AccessRequestTx open_only = opening_test_request();
  const Bytes encoding = encode_transaction(open_only);
  EXPECT_EQ(encoding[5], kAccessRequestWithOpeningWireKind);
  auto decoded = decode_transaction(encoding);
  ASSERT_TRUE(decoded.ok()) << decoded.status().to_string();
  const auto& back = std::get<AccessRequestTx>(*decoded);
  EXPECT_TRUE(back.open);
  EXPECT_FALSE(back.decrypt);
  EXPECT_EQ(encode_transaction(*decoded), encoding);
  expect_canonical_under_tampering(encoding);

  AccessRequestTx both = open_only;
  both.decrypt = true;
  EXPECT_TRUE(std::get<AccessRequestTx>(decode_transaction(encode_transaction(both)).value()).decrypt);

  // Decrypt only: wire kind 9 without a flags byte, exactly as before.
  AccessRequestTx old = open_only;
  old.open = false;
  old.decrypt = true;
  const Bytes old_encoding = encode_transaction(old);
  EXPECT_EQ(old_encoding[5], static_cast<std::uint8_t>(TxKind::kAccessRequest));
  EXPECT_EQ(old_encoding.size() + 1, encoding.size());
  const auto old_back = std::get<AccessRequestTx>(decode_transaction(old_encoding).value());
  EXPECT_TRUE(old_back.decrypt);
  EXPECT_FALSE(old_back.open);

  // The flags byte: only 2 (open) and 3 (decrypt and open) are a wire-kind-15 request.
  const std::size_t flags_at = 6 + kDigestBytes + 8;
  ASSERT_EQ(encoding[flags_at], 0x02);
  for (std::uint8_t flags : {0x00, 0x01, 0x04, 0x06, 0x82, 0xff}) {
    Bytes bad = encoding;
    bad[flags_at] = flags;
    EXPECT_FALSE(decode_transaction(bad).ok()) << "flags " << int(flags);
  }
  // A request to open names its records.
  AccessRequestTx unnamed = open_only;
  unnamed.record_ids.clear();
  EXPECT_FALSE(check_transaction_fields(Transaction(unnamed)).ok());
  AccessRequestTx nothing = open_only;
  nothing.open = false;
  nothing.decrypt = false;
  EXPECT_FALSE(check_transaction_fields(Transaction(nothing)).ok());

  auto json_back = transaction_from_json(transaction_to_json(Transaction(open_only)));
  ASSERT_TRUE(json_back.ok()) << json_back.status().to_string();
  EXPECT_EQ(encode_transaction(*json_back), encoding);
}

TEST(TrusteesOpeningEncoding, AnAnswerWithPartialOpeningsIsCanonicalAndBounded) {
  const DecryptionSharesTx answer = opening_test_answer();
  const Bytes encoding = encode_transaction(answer);
  EXPECT_EQ(encoding[5], kAnswerWithOpeningsWireKind);
  auto decoded = decode_transaction(encoding);
  ASSERT_TRUE(decoded.ok()) << decoded.status().to_string();
  EXPECT_EQ(std::get<DecryptionSharesTx>(*decoded).partial_openings, answer.partial_openings);
  expect_canonical_under_tampering(encoding);

  auto json_back = transaction_from_json(transaction_to_json(Transaction(answer)));
  ASSERT_TRUE(json_back.ok()) << json_back.status().to_string();
  EXPECT_EQ(encode_transaction(*json_back), encoding);

  DecryptionSharesTx unsorted = answer;
  std::swap(unsorted.partial_openings[0], unsorted.partial_openings[1]);
  EXPECT_FALSE(check_transaction_fields(Transaction(unsorted)).ok());
  DecryptionSharesTx short_partial = answer;
  short_partial.partial_openings[0].partial_opening.pop_back();
  EXPECT_FALSE(check_transaction_fields(Transaction(short_partial)).ok());
  DecryptionSharesTx empty = answer;
  empty.partial_openings.clear();
  EXPECT_FALSE(check_transaction_fields(Transaction(empty)).ok());

  // A wire-kind-16 answer that claims no partial opening, or 257 of them.
  const std::size_t count_at = 6 + 2 * kDigestBytes + 2 + 2;
  Bytes none(encoding.begin(), encoding.begin() + static_cast<std::ptrdiff_t>(count_at));
  append_u16_be(none, 0);
  none.insert(none.end(), encoding.end() - crypto::threshold::kTrusteeSignatureBytes, encoding.end());
  EXPECT_FALSE(decode_transaction(none).ok());
  Bytes many(encoding.begin(), encoding.begin() + static_cast<std::ptrdiff_t>(count_at));
  append_u16_be(many, static_cast<std::uint16_t>(kMaxAccessRequestRecords + 1));
  EXPECT_EQ(decode_transaction(many).status().code(), ErrorCode::kTooLarge);
}

// A trustees chain (m = 4, t = 3) whose key epoch 0 formed with an opener key, with the real
// record verifier, one committed record group-signed by "eastgate" under the trustees'
// opener key, and each trustee's duties (its worker's logic) over the store.
class TrusteesOpeningTest : public ::testing::Test {
 protected:
  void SetUp() override {
    verifier = Bbs04RecordVerifier::create(chain.c.genesis().group_public_key).value();
    chain.app = HealthchainApp::start(*chain.store, *verifier, chain.c.certificates()).value();
    auto keys = testing::form_trustee_keys(chain, 4, true);
    ASSERT_TRUE(keys.ok()) << keys.status().to_string();
    access_key = keys->access_key;
    opener_key = *keys->opener_key;
    record_tx = signed_record(1);
    ASSERT_TRUE(chain.app->check_tx(record_tx).ok()) << chain.app->check_tx(record_tx).to_string();
    ASSERT_TRUE(chain.commit({record_tx}).ok());
    record_id = transaction_id(record_tx);
    for (std::uint16_t j = 1; j <= 4; ++j) {
      node::TrusteeIdentity identity;
      identity.index = j;
      identity.secret = chain.secret(j);
      identity.public_key = P256Point::base_mul(chain.secret(j)).encode();
      duties.push_back(std::make_unique<node::TrusteeDuties>(*chain.store, std::move(identity)));
    }
  }

  Bytes signed_record(std::uint8_t nonce) {
    crypto::SerialNumber serial{};
    const Serial s = chain.c.serial_of(1);
    std::copy(s.begin(), s.end(), serial.begin());
    auto sealed = crypto::seal_payload_v2_with(Bytes{'v', 'i', 's', 'i', 't'}, serial, access_key.group_key,
                                               P256Scalar::random_nonzero(), crypto::GcmNonce{nonce})
                      .value();
    RecordTx r;
    r.sealed = chain_record_of(sealed).value();
    r.epoch = opening_test_member().gpk.epoch;
    const eg::MemberKey signer = eg::member_key_with_opener_key(opening_test_member(), opener_key.h).value();
    r.group_signature = eg::encode_signature(eg::sign(signer, span_of(record_signing_digest(r))));
    return encode_transaction(r);
  }

  // A committed request for the record; `open` / `decrypt` as given.
  Digest commit_request(bool open, bool decrypt) {
    AccessRequestTx r = chain.request(chain.c.serial_of(1), chain.next_block_time());
    r.record_ids = {record_id};
    r.open = open;
    r.decrypt = decrypt;
    const Bytes tx = chain.manager_signed(r);
    HC_CHECK(chain.commit({tx}).ok());
    return transaction_id(tx);
  }

  AccessRequestTx committed_request(const Digest& request_id, std::uint64_t& height) const {
    auto committed = chain.store->find_transaction(request_id).value();
    HC_CHECK(committed.has_value());
    height = committed->height;
    Block block = chain.store->read_block(committed->height).value();
    return std::get<AccessRequestTx>(decode_transaction(block.transactions[committed->index]).value());
  }

  // Trustee j's answer as its worker computes it.
  Bytes answer_of(std::uint16_t j, const Digest& request_id) {
    std::uint64_t height = 0;
    const AccessRequestTx request = committed_request(request_id, height);
    bool skipped = false;
    auto answer = duties[j - 1]->answer(request_id, request, height, skipped);
    HC_CHECK(answer.ok());
    HC_CHECK(answer->has_value());
    return (*answer)->encoding;
  }

  // The partial openings of `request_id` read back from the committed answers.
  std::vector<th::PartialOpening> committed_partials(const Digest& request_id) {
    std::vector<th::PartialOpening> out;
    const auto answers = read_answers(StoreTrusteeView(*chain.store), request_id).value();
    for (const auto& [trustee, tx_id] : answers) {
      auto loc = chain.store->find_transaction(tx_id).value();
      Block block = chain.store->read_block(loc->height).value();
      auto tx = std::get<DecryptionSharesTx>(decode_transaction(block.transactions[loc->index]).value());
      EXPECT_EQ(tx.trustee, trustee);
      for (const PartialOpeningEntry& e : tx.partial_openings) {
        out.push_back(th::decode_partial_opening(e.partial_opening).value());
      }
    }
    return out;
  }

  eg::Signature record_signature() const {
    return eg::decode_signature(std::get<RecordTx>(decode_transaction(record_tx).value()).group_signature).value();
  }

  TrusteesChain chain{4, 3, "opening"};
  std::unique_ptr<Bbs04RecordVerifier> verifier;
  th::AccessKeyPublic access_key;
  th::OpenerKeyPublic opener_key;
  Bytes record_tx;
  Digest record_id{};
  std::vector<std::unique_ptr<node::TrusteeDuties>> duties;
};

TEST_F(TrusteesOpeningTest, TheLedgerReadsTheBindingWhereThePartialOpeningEncoderPutsIt) {
  const Digest request_id = commit_request(true, false);
  auto partial = th::decode_partial_opening(std::get<DecryptionSharesTx>(decode_transaction(answer_of(2, request_id)).value())
                                                .partial_openings[0]
                                                .partial_opening)
                     .value();
  const Bytes encoded = th::encode_partial_opening(partial);
  const PartialOpeningBinding right{chain.chain_id(), 0, request_id, 2};
  EXPECT_TRUE(check_partial_opening_binding(encoded, right).ok());
  PartialOpeningBinding other_epoch = right;
  other_epoch.key_epoch = 1;
  EXPECT_FALSE(check_partial_opening_binding(encoded, other_epoch).ok());
  PartialOpeningBinding other_trustee = right;
  other_trustee.trustee = 3;
  EXPECT_FALSE(check_partial_opening_binding(encoded, other_trustee).ok());
  PartialOpeningBinding other_request = right;
  other_request.request_id[0] ^= 1;
  EXPECT_FALSE(check_partial_opening_binding(encoded, other_request).ok());
  PartialOpeningBinding other_chain = right;
  other_chain.chain_id[31] ^= 1;
  EXPECT_FALSE(check_partial_opening_binding(encoded, other_chain).ok());
}

TEST_F(TrusteesOpeningTest, TheHospitalIsNamedThroughExactlyTPartialOpeningsWithOneTrusteeOffline) {
  const Digest request_id = commit_request(true, false);
  const groupsig::Registry& registry = testing::trustees_chain_group().registry;
  // Trustee 3 is offline; 1 and 4 answer first.
  for (std::uint16_t j : {1, 4}) {
    const Bytes answer = answer_of(j, request_id);
    ASSERT_TRUE(chain.app->check_tx(answer).ok()) << chain.app->check_tx(answer).to_string();
    ASSERT_TRUE(chain.commit({answer}).ok());
  }
  auto too_few = th::combine_partial_openings(opener_key, registry, request_id, record_signature(),
                                              committed_partials(request_id));
  ASSERT_FALSE(too_few.ok());
  EXPECT_NE(too_few.status().to_string().find("only 2 valid partial openings"), std::string::npos)
      << too_few.status().to_string();

  ASSERT_TRUE(chain.commit({answer_of(2, request_id)}).ok());
  auto opened = th::combine_partial_openings(opener_key, registry, request_id, record_signature(),
                                             committed_partials(request_id));
  ASSERT_TRUE(opened.ok()) << opened.status().to_string();
  EXPECT_EQ(opened->member, "eastgate");
  EXPECT_EQ(opened->used, (std::vector<std::uint16_t>{1, 2, 4}));

  // Each trustee answers once: its duty sees the committed answer and posts nothing more.
  std::uint64_t height = 0;
  const AccessRequestTx request = committed_request(request_id, height);
  bool skipped = false;
  auto again = duties[0]->answer(request_id, request, height, skipped);
  ASSERT_TRUE(again.ok()) << again.status().to_string();
  EXPECT_FALSE(again->has_value());
}

TEST_F(TrusteesOpeningTest, ABadPartialOpeningIsCommittedButNamedAndTheOthersCombine) {
  const Digest request_id = commit_request(true, false);
  // Trustee 2's answer with its proof altered (the binding intact: the ledger takes it, the
  // chain records who sent it, and every reader names it).
  DecryptionSharesTx bad = std::get<DecryptionSharesTx>(decode_transaction(answer_of(2, request_id)).value());
  bad.partial_openings[0].partial_opening.back() ^= 0x01;
  const Bytes bad_tx = chain.signed_by(bad, 2);
  ASSERT_TRUE(chain.app->check_tx(bad_tx).ok()) << chain.app->check_tx(bad_tx).to_string();
  ASSERT_TRUE(chain.commit({bad_tx, answer_of(1, request_id), answer_of(3, request_id)}).ok());
  const groupsig::Registry& registry = testing::trustees_chain_group().registry;
  auto short_by_one = th::combine_partial_openings(opener_key, registry, request_id, record_signature(),
                                                   committed_partials(request_id));
  ASSERT_FALSE(short_by_one.ok());
  EXPECT_NE(short_by_one.status().to_string().find("trustee 2"), std::string::npos) << short_by_one.status().to_string();
  ASSERT_TRUE(chain.commit({answer_of(4, request_id)}).ok());
  auto opened = th::combine_partial_openings(opener_key, registry, request_id, record_signature(),
                                             committed_partials(request_id));
  ASSERT_TRUE(opened.ok()) << opened.status().to_string();
  EXPECT_EQ(opened->member, "eastgate");
  ASSERT_EQ(opened->rejected.size(), 1u);
  EXPECT_EQ(opened->rejected[0].trustee, 2);
}

TEST_F(TrusteesOpeningTest, TheLedgerRefusesAnswersTheRequestDidNotAskFor) {
  // Not committed yet: the request is only admitted.
  AccessRequestTx pending = chain.request(chain.c.serial_of(1), chain.next_block_time());
  pending.record_ids = {record_id};
  pending.open = true;
  pending.decrypt = false;
  pending.purpose = "treatment: never committed";
  const Bytes pending_tx = chain.manager_signed(pending);
  const Digest open_id = commit_request(true, false);
  DecryptionSharesTx good = std::get<DecryptionSharesTx>(decode_transaction(answer_of(1, open_id)).value());

  DecryptionSharesTx not_committed = good;
  not_committed.request_id = transaction_id(pending_tx);
  Status s = chain.app->check_tx(chain.signed_by(not_committed, 1));
  EXPECT_NE(s.to_string().find("no committed access request"), std::string::npos) << s.to_string();

  // A request that asked only to decrypt takes no partial opening.
  const Digest decrypt_id = commit_request(false, true);
  DecryptionSharesTx to_decrypt_only = good;
  to_decrypt_only.request_id = decrypt_id;
  s = chain.app->check_tx(chain.signed_by(to_decrypt_only, 1));
  EXPECT_NE(s.to_string().find("did not ask"), std::string::npos) << s.to_string();

  // A record the request does not name.
  DecryptionSharesTx unnamed = good;
  unnamed.partial_openings[0].record_id[0] ^= 0x01;
  s = chain.app->check_tx(chain.signed_by(unnamed, 1));
  EXPECT_NE(s.to_string().find("is not named by the request"), std::string::npos) << s.to_string();

  // Bound to another key epoch, another trustee, another request.
  auto rebound = [&](std::size_t offset, std::uint8_t flip) {
    DecryptionSharesTx t = good;
    t.partial_openings[0].partial_opening[offset] ^= flip;
    return chain.app->check_tx(chain.signed_by(t, 1));
  };
  const std::size_t chain_at = 4 + th::kPartialOpeningTag.size();
  s = rebound(chain_at + kDigestBytes + 7, 0x01);
  EXPECT_NE(s.to_string().find("key epoch 1"), std::string::npos) << s.to_string();
  s = rebound(chain_at + kDigestBytes + 8 + 2 * kDigestBytes + 1, 0x02);
  EXPECT_NE(s.to_string().find("made by trustee 3"), std::string::npos) << s.to_string();
  s = rebound(chain_at + kDigestBytes + 8, 0x01);
  EXPECT_NE(s.to_string().find("another request"), std::string::npos) << s.to_string();

  // An answer to an opening request with decryption shares it did not ask for.
  DecryptionSharesTx with_shares = good;
  with_shares.share_boxes.push_back(Bytes(kDecryptionShareBoxBytes, 0x01));
  s = chain.app->check_tx(chain.signed_by(with_shares, 1));
  EXPECT_NE(s.to_string().find("did not ask to decrypt"), std::string::npos) << s.to_string();

  // A trustee the chain does not have.
  DecryptionSharesTx stranger = good;
  stranger.trustee = 5;
  EXPECT_FALSE(chain.app->check_tx(encode_transaction(Transaction(stranger))).ok());

  // The good answer, once.
  const Bytes good_tx = chain.signed_by(good, 1);
  ASSERT_TRUE(chain.app->check_tx(good_tx).ok()) << chain.app->check_tx(good_tx).to_string();
  ASSERT_TRUE(chain.commit({good_tx}).ok());
  DecryptionSharesTx replay = good;
  replay.partial_openings[0].partial_opening = std::get<DecryptionSharesTx>(decode_transaction(good_tx).value())
                                                   .partial_openings[0]
                                                   .partial_opening;
  s = chain.app->check_tx(chain.signed_by(replay, 1));
  EXPECT_NE(s.to_string().find("has already answered"), std::string::npos) << s.to_string();
}

}  // namespace
}  // namespace hc::chain

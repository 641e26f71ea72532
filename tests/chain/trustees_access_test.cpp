// Issue 13 on the chain: access requests and decryption shares. A committed request plus t
// trustees' shares, read back from the chain, let the requester open a version-2 record sealed
// to the access key; t-1 do not; and every refusal of requests and shares.
#include <gtest/gtest.h>

#include "chain/chain_verifier.h"
#include "chain/formed_access_key.h"
#include "chain/limits.h"
#include "chain/trustees_chain.h"
#include "crypto/sealed_record_v2.h"
#include "crypto/threshold/combine.h"
#include "crypto/threshold/decryption_share.h"
#include "crypto/threshold/dkg_outcome.h"

namespace hc::chain {
namespace {

using crypto::P256Point;
using crypto::P256Scalar;
using testing::TrusteesChain;
namespace th = crypto::threshold;

// A chain of 4 trustees (t = 3) whose key epoch 0 formed with every dealer, and the trustees'
// secret shares.
class TrusteesAccessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto formed = testing::form_access_key(chain);
    ASSERT_TRUE(formed.ok()) << formed.status().to_string();
    deals = std::move(formed->deals);
    outcome = formed->outcome;
    shares = std::move(formed->shares);
    // A committed record of patient 1 sealed to the access key (its id can be named by a request).
    crypto::SerialNumber serial{};
    const Serial chain_serial = chain.c.serial_of(1);
    std::copy(chain_serial.begin(), chain_serial.end(), serial.begin());
    const Bytes visit = {'f', 'l', 'u'};
    record_tx = chain.record_v2_tx(
        crypto::seal_payload_v2_with(visit, serial, outcome.key.group_key, P256Scalar::random_nonzero(), crypto::GcmNonce{9})
            .value());
    ASSERT_TRUE(chain.commit({record_tx}).ok());
  }

  Bytes request_tx(const AccessRequestTx& r) const { return chain.manager_signed(r); }
  AccessRequestTx fresh_request() const {
    AccessRequestTx r = chain.request(chain.c.serial_of(1), chain.next_block_time());
    r.requester_key = P256Point::base_mul(requester_secret).encode();
    return r;
  }
  // Trustee j's answer to `request_id` for the record whose ephemeral key is `ephemeral`.
  Bytes shares_tx(const Digest& request_id, std::uint16_t j, const P256Point& ephemeral,
                  const P256Point& requester) const {
    auto share = th::make_decryption_share(outcome.key, j, shares[j - 1], request_id, ephemeral).value();
    DecryptionSharesTx tx{chain.chain_id(), request_id, j, {th::seal_share_to_requester(outcome.key, share, requester).value()}, {}};
    return chain.signed_by(tx, j);
  }

  TrusteesChain chain{4, 3, "access"};
  std::vector<std::optional<th::DkgDeal>> deals;
  th::DkgOutcome outcome;
  std::vector<P256Scalar> shares;
  Bytes record_tx;
  P256Scalar requester_secret = P256Scalar::from_u64(0xabcdef);
};

TEST_F(TrusteesAccessTest, ACommittedRequestAndTSharesOpenTheRecordAndTMinusOneDoNot) {
  // A doctor seals a visit to the access key (envelope version 2).
  const Bytes visit = {'b', 'p', ' ', '1', '2', '0', '/', '8', '0'};
  crypto::SerialNumber serial{};
  const Serial chain_serial = chain.c.serial_of(1);
  std::copy(chain_serial.begin(), chain_serial.end(), serial.begin());
  auto sealed = crypto::seal_payload_v2_with(visit, serial, outcome.key.group_key, P256Scalar::random_nonzero(),
                                             crypto::GcmNonce{1, 2, 3});
  ASSERT_TRUE(sealed.ok()) << sealed.status().to_string();
  const P256Point ephemeral = P256Point::decode(sealed->ephemeral_key).value();

  const Bytes request = request_tx(fresh_request());
  ASSERT_TRUE(chain.app->check_tx(request).ok()) << chain.app->check_tx(request).to_string();
  ASSERT_TRUE(chain.commit({request}).ok());
  const Digest request_id = transaction_id(request);
  const P256Point requester = P256Point::base_mul(requester_secret);
  std::vector<Bytes> answers;
  for (std::uint16_t j : {4, 2, 1}) answers.push_back(shares_tx(request_id, j, ephemeral, requester));
  for (const Bytes& a : answers) ASSERT_TRUE(chain.app->check_tx(a).ok()) << chain.app->check_tx(a).to_string();
  ASSERT_TRUE(chain.commit({answers[0], answers[1]}).ok());

  // The requester reads the answers from the chain (query, then each transaction), opens its
  // boxes with its one-time key and combines.
  auto gather = [&]() {
    std::vector<th::DecryptionShare> opened;
    auto q = chain.app->query("access_request/" + digest_hex(request_id));
    HC_CHECK(q.ok());
    for (const auto& answer : (*q)["answers"]) {
      auto loc = chain.store->find_transaction(digest_from_hex(answer["tx_id"].get<std::string>()).value()).value();
      Block block = chain.store->read_block(loc->height).value();
      auto tx = std::get<DecryptionSharesTx>(decode_transaction(block.transactions[loc->index]).value());
      opened.push_back(
          th::open_share_from_trustee(outcome.key, request_id, tx.trustee, requester_secret, tx.share_boxes[0]).value());
    }
    return opened;
  };
  auto two = gather();
  ASSERT_EQ(two.size(), 2u);
  auto too_few = th::combine_decryption_shares(outcome.key, request_id, ephemeral, two);
  ASSERT_FALSE(too_few.ok());
  EXPECT_NE(too_few.status().message().find("only 2 valid decryption shares"), std::string::npos);

  ASSERT_TRUE(chain.commit({answers[2]}).ok());
  auto three = gather();
  ASSERT_EQ(three.size(), 3u);
  auto combined = th::combine_decryption_shares(outcome.key, request_id, ephemeral, three);
  ASSERT_TRUE(combined.ok()) << combined.status().to_string();
  auto opened = crypto::open_payload_v2_with_shared_point(*sealed, combined->shared);
  ASSERT_TRUE(opened.ok()) << opened.status().to_string();
  EXPECT_EQ(Bytes(opened->data(), opened->data() + opened->size()), visit);

  // `hc chain verify` recomputes the whole chain, trustees-mode state included.
  auto report = verify_chain(*chain.store, chain.c.certificates(), nullptr);
  ASSERT_TRUE(report.ok()) << report.status().to_string();
  EXPECT_FALSE(report->first_fault.has_value()) << report->first_fault->height << ": " << report->first_fault->what;
  EXPECT_EQ(report->blocks_checked, chain.height());
}

TEST_F(TrusteesAccessTest, BadRequestsAreRefused) {
  auto refused = [&](const Bytes& tx, const std::string& why, std::uint64_t block_time = 0) {
    Status s = block_time == 0 ? chain.app->check_tx(tx) : chain.validate({tx}, block_time);
    EXPECT_FALSE(s.ok()) << why;
    EXPECT_NE(s.message().find(why), std::string::npos) << s.to_string();
  };
  AccessRequestTx r = fresh_request();
  // Not authorized: signed by a key the policy does not list.
  Transaction unauthorized = r;
  SecureBytes other_seed(std::string_view("an unlisted requester key seed!!"));
  ASSERT_TRUE(sign_manager_tx(unauthorized, other_seed).ok());
  EXPECT_EQ(chain.app->check_tx(encode_transaction(unauthorized)).code(), ErrorCode::kAuthFailed);
  // A key epoch without a key, another chain.
  r = fresh_request();
  r.key_epoch = 1;
  refused(request_tx(r), "key epoch 1 has no access key");
  r = fresh_request();
  r.chain_id[0] ^= 1;
  refused(request_tx(r), "names another chain");
  // Stale (more than 10 minutes before the block), or from the future (checked by the block).
  const std::uint64_t now = chain.next_block_time() + 3600 * 1000;
  r = fresh_request();
  r.timestamp_ms = now - kAccessRequestMaxSkewMs - 1;
  refused(request_tx(r), "stale", now);
  r.timestamp_ms = now - kAccessRequestMaxSkewMs;
  EXPECT_TRUE(chain.validate({request_tx(r)}, now).ok());
  r.timestamp_ms = now + kAccessRequestMaxSkewMs + 1;
  refused(request_tx(r), "after the block", now);
  r.timestamp_ms = UINT64_MAX;  // no overflow makes it look fresh
  refused(request_tx(r), "after the block", now);
  r.timestamp_ms = 0;
  refused(request_tx(r), "stale");
  // Record ids that are not committed records of the serial.
  r = fresh_request();
  r.record_ids = {Digest{}};
  refused(request_tx(r), "is not committed");
  r.record_ids = {transaction_id(record_tx)};
  r.serial = chain.c.serial_of(2);
  refused(request_tx(r), "not a record of the requested serial");
  // A blank purpose does not even decode.
  r = fresh_request();
  r.purpose = " \t ";
  EXPECT_FALSE(check_transaction_fields(Transaction(r)).ok());
  // Replayed: the same request twice.
  r = fresh_request();
  r.record_ids = {transaction_id(record_tx)};
  const Bytes good = request_tx(r);
  ASSERT_TRUE(chain.commit({good}).ok());
  refused(good, "already committed");
}

TEST_F(TrusteesAccessTest, BadDecryptionSharesAreRefused) {
  AccessRequestTx r = fresh_request();
  r.record_ids = {transaction_id(record_tx)};
  const Bytes request = request_tx(r);
  const Digest request_id = transaction_id(request);
  const P256Point e = P256Point::base_mul(P256Scalar::from_u64(77));
  const P256Point requester = P256Point::base_mul(requester_secret);
  auto refused = [&](const Bytes& tx, const std::string& why) {
    Status s = chain.app->check_tx(tx);
    EXPECT_FALSE(s.ok()) << why;
    EXPECT_NE(s.message().find(why), std::string::npos) << s.to_string();
  };
  // Before the request is committed.
  refused(shares_tx(request_id, 1, e, requester), "no committed access request");
  ASSERT_TRUE(chain.commit({request}).ok());
  // For a transaction that is not a request.
  refused(shares_tx(transaction_id(record_tx), 1, e, requester), "is not an access request");
  // In another trustee's name.
  Transaction forged = std::get<DecryptionSharesTx>(decode_transaction(shares_tx(request_id, 1, e, requester)).value());
  ASSERT_TRUE(sign_trustee_tx(forged, chain.secret(2)).ok());
  EXPECT_EQ(chain.app->check_tx(encode_transaction(forged)).code(), ErrorCode::kAuthFailed);
  // Not a trustee; a share count other than the request's record count.
  DecryptionSharesTx stranger{chain.chain_id(), request_id, 5, {Bytes(kDecryptionShareBoxBytes, 1)}, {}};
  refused(encode_transaction(stranger), "5 is not a trustee");
  DecryptionSharesTx two{chain.chain_id(), request_id, 1, {Bytes(kDecryptionShareBoxBytes, 1), Bytes(kDecryptionShareBoxBytes, 2)}, {}};
  refused(chain.signed_by(two, 1), "2 shares for 1 requested records");
  DecryptionSharesTx other_chain{Digest{}, request_id, 1, {Bytes(kDecryptionShareBoxBytes, 1)}, {}};
  refused(chain.signed_by(other_chain, 1), "names another chain");
  // Once per (request, trustee): twice in a block, and again after commit.
  const Bytes first = shares_tx(request_id, 3, e, requester);
  const Bytes second = shares_tx(request_id, 3, e, requester);
  EXPECT_NE(chain.validate({first, second}).message().find("already answered"), std::string::npos);
  ASSERT_TRUE(chain.commit({first}).ok());
  refused(second, "already answered");
  // The chain cannot check the boxed share's proof (it is encrypted to the requester): a box of
  // garbage is committed, and the requester names the trustee when it fails to open or verify.
  DecryptionSharesTx garbage{chain.chain_id(), request_id, 4, {Bytes(kDecryptionShareBoxBytes, 0x42)}, {}};
  ASSERT_TRUE(chain.commit({chain.signed_by(garbage, 4)}).ok());
  EXPECT_FALSE(th::open_share_from_trustee(outcome.key, request_id, 4, requester_secret, garbage.share_boxes[0]).ok());
}

}  // namespace
}  // namespace hc::chain

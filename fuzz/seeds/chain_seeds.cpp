// Seeds of the ledger harnesses: one transaction of every kind (binary and JSON), a block
// holding the five kinds of single-manager mode, and a genesis of each access mode (binary and
// JSON).
#include <nlohmann/json.hpp>

#include "chain/block.h"
#include "chain/genesis.h"
#include "chain/merkle.h"
#include "chain/transaction.h"
#include "chain/transaction_json.h"
#include "chain/trustee_signing.h"
#include "crypto/ed25519.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/sign.h"
#include "crypto/threshold/deal_forms.h"
#include "crypto/threshold/wire.h"
#include "seeds.h"

namespace hc::seeds {

namespace {

using namespace hc::chain;

SecureBytes admin_seed() {
  const Bytes raw(32, 0xad);
  return SecureBytes(raw.data(), raw.size());
}

Bytes pattern(std::size_t size, std::uint8_t start) {
  Bytes b(size);
  for (std::size_t i = 0; i < size; ++i) b[i] = static_cast<std::uint8_t>(start + i);
  return b;
}

RecordTx record_tx(std::uint32_t envelope_version) {
  RecordTx tx;
  tx.sealed.envelope_version = envelope_version;
  tx.sealed.serial.fill(0x11);
  tx.sealed.key_id.fill(0x22);
  if (envelope_version == kRecordEnvelopeV1) {
    tx.sealed.wrapped_key.fill(0x33);
  } else {
    tx.sealed.ephemeral_key = crypto::P256Point::base_mul(crypto::P256Scalar::from_u64(0x33)).encode();
  }
  tx.sealed.nonce.fill(0x44);
  tx.sealed.ciphertext = pattern(48, 0x55);
  tx.epoch = 0;
  tx.group_signature = Bytes(1, 0);  // replaced by a real signature over the digest below
  tx.group_signature = groupsig::encode_signature(
      groupsig::sign(group().alpha, record_signing_digest(tx)));
  return tx;
}

// Kinds 6..10 and their second wire forms, 17 and 18 (trustees mode; their bodies are opaque
// to the decoder, checked by the rules).
std::vector<std::pair<std::string, Transaction>> trustees_mode_transactions() {
  Digest chain_id{};
  chain_id.fill(0x61);
  AccessRequestTx request;
  request.chain_id = chain_id;
  request.serial.fill(0x11);
  request.record_ids = {Digest{}, chain_id};
  request.timestamp_ms = 1764000000000;
  request.purpose = "treatment: emergency admission";
  request.requester_key = crypto::P256Point::base_mul(crypto::P256Scalar::from_u64(0x5e)).encode();
  std::vector<std::pair<std::string, Transaction>> txs;
  txs.emplace_back("dkg_deal", DkgDealTx{chain_id, 0, 1, pattern(2579, 0x62), {}, {}});
  txs.emplace_back("dkg_complaint", DkgComplaintTx{chain_id, 0, 2, pattern(188, 0x63), false, {}});
  txs.emplace_back("dkg_deal_with_opener", DkgDealTx{chain_id, 0, 1, pattern(2579, 0x62), pattern(1044, 0x6a), {}});
  txs.emplace_back("opener_dkg_complaint", DkgComplaintTx{chain_id, 0, 2, pattern(195, 0x6b), true, {}});
  // Kinds 29 and 30: deals in the proven form (the tag says the form, the rest is opaque here).
  Bytes proven_deal;
  crypto::threshold::append_tag(proven_deal, crypto::threshold::kDkgDealTag);
  append_bytes(proven_deal, pattern(3603 - proven_deal.size(), 0x62));
  Bytes proven_opener_deal;
  crypto::threshold::append_tag(proven_opener_deal, crypto::threshold::kOpenerDealTag);
  append_bytes(proven_opener_deal, pattern(1300 - proven_opener_deal.size(), 0x6a));
  txs.emplace_back("dkg_deal_proven", DkgDealTx{chain_id, 0, 1, proven_deal, {}, {}});
  txs.emplace_back("dkg_deal_proven_with_opener", DkgDealTx{chain_id, 0, 1, proven_deal, proven_opener_deal, {}});
  txs.emplace_back("key_epoch_start", KeyEpochStartTx{chain_id, 1, {}});
  txs.emplace_back("access_request", request);
  txs.emplace_back("decryption_shares", DecryptionSharesTx{chain_id, chain_id, 3, {pattern(407, 0x64)}, {}});
  // Kinds 15 and 16: a request that asks to decrypt and open, an answer with partial openings.
  AccessRequestTx opening = request;
  opening.open = true;
  txs.emplace_back("access_request_opening", opening);
  txs.emplace_back("answer_with_openings",
                   DecryptionSharesTx{chain_id, chain_id, 3, {pattern(407, 0x64), pattern(407, 0x65)},
                                      {{Digest{}, pattern(243, 0x66)}, {chain_id, pattern(243, 0x67)}}, {}});
  // Kinds 17 and 18: the reader policy (a reader listed, one removed) and a listed reader's
  // request (its signature: any 64 bytes decode; the seeds sign it with the admin seed).
  Ed25519PublicKey reader{};
  reader.fill(0x72);
  txs.emplace_back("reader_policy_add",
                   ReaderPolicyTx{chain_id, 1, ReaderPolicyAction::kAdd, reader, kReaderRightsAll, "Dr. Zoë Reader", {}});
  txs.emplace_back("reader_policy_remove", ReaderPolicyTx{chain_id, 2, ReaderPolicyAction::kRemove, reader, 0, "", {}});
  AccessRequestTx by_reader = request;
  by_reader.reader = reader;
  txs.emplace_back("access_request_by_reader", by_reader);
  // Kinds 26, 27, 28 and 31: resharing (the deals and complaints opaque here; the new key a point).
  txs.emplace_back("reshare_key", ReshareKeyTx{chain_id, 1, 4, crypto::P256Point::base_mul(crypto::P256Scalar::from_u64(0x77)).encode(), {}, {}});
  txs.emplace_back("reshare_deal", ReshareDealTx{chain_id, 1, 2, pattern(1140, 0x78), {}, {}});
  txs.emplace_back("reshare_deal_with_opener", ReshareDealTx{chain_id, 1, 2, pattern(1140, 0x78), pattern(1096, 0x79), {}});
  txs.emplace_back("reshare_complaint", ReshareComplaintTx{chain_id, 1, 5, pattern(192, 0x7a), false, {}});
  txs.emplace_back("opener_reshare_complaint", ReshareComplaintTx{chain_id, 1, 5, pattern(199, 0x7b), true, {}});
  return txs;
}

// Kinds 19..22, consortium governance (either mode); their signatures stay zero: any 64 bytes
// decode, and which key must sign is a rule of the committed state.
std::vector<std::pair<std::string, Transaction>> governance_transactions() {
  Digest chain_id{};
  chain_id.fill(0x61);
  Ed25519PublicKey candidate{};
  candidate.fill(0x74);
  std::vector<std::pair<std::string, Transaction>> txs;
  txs.emplace_back("join_request", JoinRequestTx{chain_id, candidate, "hospital-e", "10.0.0.5:8443",
                                                 "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", 1, {}, ""});
  txs.emplace_back("join_request_with_peer", JoinRequestTx{chain_id, candidate, "hospital-f", "10.0.0.6:8443", "", 2, {},
                                                           "10.0.0.6:7000"});
  // Kind 24: the join request that also names the P-256 key its member key is boxed to.
  JoinRequestTx with_key{chain_id, candidate, "hospital-g", "10.0.0.7:8443", "", 3, {}, "10.0.0.7:7000"};
  with_key.enrollment_key = crypto::P256Point::base_mul(crypto::P256Scalar::from_u64(0x75)).encode();
  txs.emplace_back("join_request_with_enrollment_key", with_key);
  txs.emplace_back("governance_approval", GovernanceApprovalTx{chain_id, chain_id, 2, {}});
  txs.emplace_back("exit_announcement", ExitAnnouncementTx{chain_id, 3, 1, {}});
  txs.emplace_back("vote_out_proposal", VoteOutProposalTx{chain_id, 1, 3, 1, {}});
  return txs;
}

std::vector<std::pair<std::string, Transaction>> transactions() {
  std::vector<std::pair<std::string, Transaction>> txs;
  txs.emplace_back("record", record_tx(kRecordEnvelopeV1));
  txs.emplace_back("record_v2", record_tx(kRecordEnvelopeV2));
  txs.emplace_back("publish_envelope_key", PublishEnvelopeKeyTx{pattern(422, 0x30), {}});
  txs.emplace_back("revocation", RevocationTx{1, pattern(200, 0x40), {}});
  txs.emplace_back("enrollment", EnrollmentTx{"alpha", pattern(100, 0x50), {}});
  // Kind 25: the member key boxed to a joined member (the box's bytes: any of a valid length
  // decode; only its recipient opens it).
  Digest chain_id{};
  chain_id.fill(0x61);
  const auto recipient = crypto::P256Point::base_mul(crypto::P256Scalar::from_u64(0x75)).encode();
  txs.emplace_back("enrollment_with_box", EnrollmentTx{"hospital-g", pattern(100, 0x52), {},
                                                       BoxedMemberKey{chain_id, 4, 0, recipient, pattern(300, 0x60)}});
  txs.emplace_back("access_audit", AccessAuditTx{{}, {}, 1764000000000, "treatment: follow-up", {}, ""});
  txs.emplace_back("access_audit_by_account", AccessAuditTx{{}, {}, 1764000000000, "treatment: follow-up", {}, "dr.wu"});
  for (auto& [name, tx] : trustees_mode_transactions()) txs.emplace_back(name, tx);
  for (auto& [name, tx] : governance_transactions()) txs.emplace_back(name, tx);
  for (auto& [name, tx] : txs) {
    if (is_manager_tx(tx)) require(sign_manager_tx(tx, admin_seed()).ok(), "cannot sign " + name);
    if (is_trustee_tx(tx)) require(sign_trustee_tx(tx, crypto::P256Scalar::from_u64(0x7e)).ok(), "cannot sign " + name);
    require(check_transaction_fields(tx).ok(), "seed transaction " + name + " is invalid");
  }
  return txs;
}

Genesis genesis() {
  Genesis g;
  g.chain_name = "seed-consortium";
  g.genesis_time_ms = 1764000000000;
  for (std::uint32_t id = 0; id < 4; ++id) {
    const Bytes raw(32, static_cast<std::uint8_t>(0x10 + id));
    auto key = crypto::Ed25519PrivateKey::from_seed(SecureBytes(raw.data(), raw.size()));
    require(key.ok(), "cannot make a replica key");
    g.replicas.push_back(ReplicaInfo{id, key.value().public_key().bytes()});
  }
  g.group_public_key = groupsig::encode_gpk(group().setup.gpk);
  auto admin = crypto::Ed25519PrivateKey::from_seed(admin_seed());
  require(admin.ok(), "cannot make the admin key");
  g.manager_admin_key = admin.value().public_key().bytes();
  require(check_genesis(g).ok(), "seed genesis is invalid");
  return g;
}

bool is_trustees_mode_kind(TxKind kind) {
  return static_cast<std::uint8_t>(kind) >= static_cast<std::uint8_t>(TxKind::kDkgDeal);
}

}  // namespace

void write_chain_seeds(const SeedWriter& out) {
  Block block;
  block.header.height = 1;
  block.header.timestamp_ms = 1764000000000;
  block.header.proposer = 1;
  block.header.previous_hash = genesis_hash(genesis());
  for (const auto& [name, tx] : transactions()) {
    const Bytes encoding = encode_transaction(tx);
    out.write("chain_transaction", name, encoding);
    out.write("chain_transaction_json", name, transaction_to_json(tx).dump());
    if (!is_trustees_mode_kind(kind_of(tx))) block.transactions.push_back(encoding);
  }
  block.header.merkle_root = merkle_root(transaction_ids(block));
  block.commit_certificate = pattern(64, 0x70);
  require(check_block(block).ok(), "seed block is invalid");
  out.write("chain_block", "five_transactions", encode_block(block));
  Block empty;
  empty.header = block.header;
  empty.header.merkle_root = merkle_root({});
  out.write("chain_block", "empty", encode_block(empty));

  const Genesis g = genesis();
  out.write("genesis", "four_replicas", encode_genesis(g));
  out.write("genesis_json", "four_replicas", genesis_to_json(g).dump(2));
  Genesis trustees = g;
  trustees.access_mode = AccessMode::kTrustees;
  for (std::uint64_t j = 1; j <= 4; ++j) {
    trustees.trustee_keys.push_back(crypto::P256Point::base_mul(crypto::P256Scalar::from_u64(0x70 + j)).encode());
  }
  trustees.trustee_threshold = default_trustee_threshold(4);
  require(check_genesis(trustees).ok(), "seed trustees genesis is invalid");
  out.write("genesis", "four_trustees", encode_genesis(trustees));
  out.write("genesis_json", "four_trustees", genesis_to_json(trustees).dump(2));
  Genesis proven = trustees;  // version 6: DKG deals only in the proven form
  proven.proven_dkg_deals = true;
  require(check_genesis(proven).ok(), "seed version-6 genesis is invalid");
  out.write("genesis", "four_trustees_proven_dkg", encode_genesis(proven));
  out.write("genesis_json", "four_trustees_proven_dkg", genesis_to_json(proven).dump(2));
}

}  // namespace hc::seeds

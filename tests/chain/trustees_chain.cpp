#include "chain/trustees_chain.h"

#include <map>

#include "chain/sealed_record_conversion.h"
#include "chain/trustee_state.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/issuer.h"

namespace hc::chain::testing {

groupsig::GroupSetup& trustees_chain_group() {
  static groupsig::GroupSetup group = groupsig::setup();
  return group;
}

const groupsig::MemberKey& trustees_chain_member(const std::string& name) {
  static std::map<std::string, groupsig::MemberKey> members;
  auto it = members.find(name);
  if (it == members.end()) {
    groupsig::GroupSetup& group = trustees_chain_group();
    it = members.emplace(name, groupsig::enroll(group.issuer, group.gpk, group.registry, name).value()).first;
  }
  return it->second;
}

namespace {
// A real BBS04 group key (one per process): the opener DKG takes its base u from it. Records
// on these chains are checked by the fake verifier, keyed by this encoding's hash, unless a
// test starts the application with the real one (trustees_elgamal_records_test.cpp).
const Bytes& trustees_chain_group_key() {
  static const Bytes key = groupsig::encode_gpk(trustees_chain_group().gpk);
  return key;
}
}  // namespace

TrusteesChain::TrusteesChain(std::size_t trustees, std::uint16_t threshold, const std::string& dir_name)
    : TrusteesChain(trustees, threshold, dir_name, trustees_chain_group_key()) {}

TrusteesChain::TrusteesChain(std::size_t trustees, std::uint16_t threshold, const std::string& dir_name,
                             Bytes group_public_key)
    : TrusteesChain(trustees, threshold, dir_name, std::move(group_public_key), {}) {}

TrusteesChain::TrusteesChain(std::size_t trustees, std::uint16_t threshold, const std::string& dir_name,
                             const std::vector<std::string>& replica_tls_ca_pems)
    : TrusteesChain(trustees, threshold, dir_name, trustees_chain_group_key(), replica_tls_ca_pems) {}

TrusteesChain::TrusteesChain(std::size_t trustees, std::uint16_t threshold, const std::string& dir_name,
                             ProvenDkgDeals)
    : TrusteesChain(trustees, threshold, dir_name, trustees_chain_group_key(), {}, true) {}

TrusteesChain::TrusteesChain(std::size_t trustees, std::uint16_t threshold, const std::string& dir_name,
                             Bytes group_public_key, const std::vector<std::string>& replica_tls_ca_pems,
                             bool proven_dkg_deals)
    : c(4, std::move(group_public_key)), dir(dir_name) {
  c.use_tls_ca_certificates(replica_tls_ca_pems);
  std::vector<crypto::P256PointBytes> keys;
  for (std::size_t j = 1; j <= trustees; ++j) {
    secrets_.push_back(crypto::P256Scalar::from_u64(0x7125700 + j));
    keys.push_back(crypto::P256Point::base_mul(secrets_.back()).encode());
  }
  c.use_trustees(keys, threshold);
  if (proven_dkg_deals) c.require_proven_dkg_deals();
  store = std::move(LedgerStore::create(dir.path(), c.genesis())).value();
  auto started = HealthchainApp::start(*store, c.group(), c.certificates());
  HC_CHECK(started.ok());
  app = std::move(started).value();
}

crypto::threshold::DkgParams TrusteesChain::params(std::uint64_t key_epoch) const {
  return dkg_params_for(c.genesis(), c.genesis_hash(), key_epoch);
}

Result<Digest> TrusteesChain::commit(std::vector<Bytes> txs, std::uint64_t timestamp_ms) {
  return app->commit_block(c.make_block(store->tip(), std::move(txs), timestamp_ms));
}

Status TrusteesChain::validate(std::vector<Bytes> txs, std::uint64_t timestamp_ms) {
  return app->validate_block(c.make_block(store->tip(), std::move(txs), timestamp_ms));
}

void TrusteesChain::advance_to(std::uint64_t target) {
  while (height() < target) HC_CHECK(commit({}).ok());
}

Bytes TrusteesChain::signed_by(Transaction tx, std::uint16_t signer) const {
  HC_CHECK(sign_trustee_tx(tx, secret(signer)).ok());
  return encode_transaction(tx);
}

Bytes TrusteesChain::deal_tx(const crypto::threshold::DkgDeal& deal, std::uint64_t key_epoch) const {
  DkgDealTx tx{chain_id(), key_epoch, deal.dealer, crypto::threshold::encode_deal(params(key_epoch), deal), {}, {}};
  return signed_by(tx, deal.dealer);
}

crypto::threshold::OpenerDkgParams TrusteesChain::opener_params(std::uint64_t key_epoch) const {
  return opener_dkg_params_for(c.genesis(), c.genesis_hash(), key_epoch).value();
}

Bytes TrusteesChain::deal_tx(const crypto::threshold::DkgDeal& deal, const crypto::threshold::OpenerDeal& opener_deal,
                             std::uint64_t key_epoch) const {
  DkgDealTx tx{chain_id(), key_epoch, deal.dealer, crypto::threshold::encode_deal(params(key_epoch), deal),
               crypto::threshold::encode_opener_deal(opener_params(key_epoch), opener_deal), {}};
  return signed_by(tx, deal.dealer);
}

Bytes TrusteesChain::opener_complaint_tx(const crypto::threshold::OpenerComplaint& complaint,
                                         std::uint64_t key_epoch) const {
  DkgComplaintTx tx{chain_id(), key_epoch, complaint.complainer,
                    crypto::threshold::encode_opener_complaint(opener_params(key_epoch), complaint), true, {}};
  return signed_by(tx, complaint.complainer);
}

Bytes TrusteesChain::complaint_tx(const crypto::threshold::DkgComplaint& complaint, std::uint64_t key_epoch) const {
  DkgComplaintTx tx{chain_id(), key_epoch, complaint.complainer,
                    crypto::threshold::encode_complaint(params(key_epoch), complaint), false, {}};
  return signed_by(tx, complaint.complainer);
}

Bytes TrusteesChain::epoch_start_tx(std::uint64_t key_epoch) const {
  return manager_signed(KeyEpochStartTx{chain_id(), key_epoch, {}});
}

AccessRequestTx TrusteesChain::request(const Serial& serial, std::uint64_t timestamp_ms, std::uint64_t key_epoch) const {
  AccessRequestTx r;
  r.chain_id = chain_id();
  r.key_epoch = key_epoch;
  r.serial = serial;
  r.timestamp_ms = timestamp_ms;
  r.purpose = "treatment: emergency admission";
  r.requester_key = crypto::P256Point::base_mul(crypto::P256Scalar::from_u64(0x5e0)).encode();
  return r;
}

Bytes TrusteesChain::record_v2_tx(const crypto::SealedRecordV2& sealed, std::uint64_t epoch) {
  RecordTx r;
  r.sealed = chain_record_of(sealed).value();
  r.epoch = epoch;
  // Under the opener key of the record's key epoch (0 for a key id this chain never formed,
  // which the ledger refuses before any signature check).
  const std::optional<std::uint64_t> key_epoch = read_access_key_epoch(StoreTrusteeView(*store), r.sealed.key_id).value();
  r.group_signature = c.group().sign_under_opener_key(epoch, key_epoch.value_or(0), record_signing_digest(r));
  return encode_transaction(r);
}

Bytes TrusteesChain::manager_signed(Transaction tx) const { return encode_transaction(c.signed_manager(std::move(tx))); }

}  // namespace hc::chain::testing

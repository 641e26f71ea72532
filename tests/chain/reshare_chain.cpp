#include "chain/reshare_chain.h"

#include <cstdio>
#include <string>

#include "chain/consortium_configuration.h"
#include "chain/governance_rules.h"
#include "chain/governance_state.h"
#include "chain/limits.h"
#include "chain/opener_key_state.h"
#include "chain/opener_reshare_state.h"
#include "chain/trustees_chain.h"
#include "crypto/groupsig/encoding.h"
#include "chain/transaction_governance.h"
#include "chain/trustee_signing.h"
#include "crypto/ed25519.h"

namespace hc::chain::testing {

namespace th = crypto::threshold;

namespace {
std::unique_ptr<TestConsortium> consortium(std::uint32_t replicas, bool with_opener) {
  if (!with_opener) return std::make_unique<TestConsortium>(replicas);
  return std::make_unique<TestConsortium>(replicas, groupsig::encode_gpk(trustees_chain_group().gpk));
}
}  // namespace

ReshareChain::ReshareChain(std::uint32_t replicas, const std::string& dir_name, bool opener)
    : c(consortium(replicas, opener)), dir(dir_name), with_opener(opener) {
  std::vector<crypto::P256PointBytes> keys;
  for (std::uint32_t j = 1; j <= replicas; ++j) {
    genesis_secrets.push_back(crypto::P256Scalar::from_u64(0x5e5000 + j));
    keys.push_back(crypto::P256Point::base_mul(genesis_secrets.back()).encode());
    current_.emplace(j - 1, genesis_secrets.back());
  }
  c->use_trustees(keys, default_trustee_threshold(replicas));
  c->require_proven_dkg_deals();
  store = std::move(LedgerStore::create(dir.path(), c->genesis())).value();
  app = std::move(HealthchainApp::start(*store, c->group(), c->certificates())).value();
}

std::vector<TestConsortium::Signer> ReshareChain::signers_for(std::uint64_t height) const {
  const ReplicaConfiguration config = configuration_at(view(), height).value();
  const std::size_t n = config.members.size();
  const std::size_t f = (n - 1) / 3;
  const std::size_t quorum = (n + f + 2) / 2;
  std::vector<TestConsortium::Signer> out;
  for (std::size_t i = 0; i < quorum; ++i) {
    const std::uint32_t id = config.members[i];
    auto joined = joiner_seeds_.find(id);
    out.push_back(TestConsortium::Signer{id, joined != joiner_seeds_.end() ? &joined->second : &c->replica_seed(id)});
  }
  return out;
}

Result<Digest> ReshareChain::commit(std::vector<Bytes> txs) {
  Block b = c->make_block(store->tip(), std::move(txs));
  const std::uint64_t number = configuration_at(view(), b.header.height).value().number;
  b.commit_certificate = c->certificate_in(b, number, signers_for(b.header.height));
  return app->commit_block(b);
}

void ReshareChain::commit_ok(std::vector<Bytes> txs) {
  auto r = commit(std::move(txs));
  if (!r.ok()) std::fprintf(stderr, "height %llu: %s\n", static_cast<unsigned long long>(height() + 1), r.status().to_string().c_str());
  HC_CHECK(r.ok());
}

void ReshareChain::advance_to(std::uint64_t target) {
  while (height() < target) commit_ok({});
}

void ReshareChain::form_key() {
  const th::DkgParams params = dkg_params_for(c->genesis(), c->genesis_hash(), 0);
  std::optional<th::OpenerDkgParams> opener_params;
  if (with_opener) opener_params = opener_dkg_params_for(c->genesis(), c->genesis_hash(), 0).value();
  std::vector<Bytes> txs;
  std::vector<std::optional<th::DkgDeal>> deals;
  std::vector<std::optional<th::OpenerDeal>> opener_deals;
  for (std::uint16_t i = 1; i <= params.trustees(); ++i) {
    th::DkgDeal deal = th::make_deal(params, i).value();
    DkgDealTx tx{c->genesis_hash(), 0, i, th::encode_deal(params, deal), {}, {}};
    if (opener_params) {
      opener_deals.push_back(th::make_opener_deal(*opener_params, i).value());
      tx.opener_deal = th::encode_opener_deal(*opener_params, *opener_deals.back());
    }
    Transaction t(tx);
    HC_CHECK(sign_trustee_tx(t, genesis_secrets[i - 1]).ok());
    txs.push_back(encode_transaction(t));
    deals.push_back(std::move(deal));
  }
  commit_ok(std::move(txs));
  advance_to(2 * kDkgWindowBlocks + 1);
  dkg = read_current_access_key(view()).value().value().formed.value();
  for (std::uint16_t j = 1; j <= params.trustees(); ++j) {
    dkg_shares.push_back(th::trustee_secret_share(params, dkg, deals, j, genesis_secrets[j - 1]).value());
  }
  if (!opener_params) return;
  auto opener = read_opener_key(view(), 0).value().value();
  opener_dkg = opener.formed.value();
  for (std::uint16_t j = 1; j <= params.trustees(); ++j) {
    opener_shares.push_back(th::opener_secret_share(*opener_params, *opener_dkg, opener_deals, j, genesis_secrets[j - 1]).value());
  }
}

std::uint64_t ReshareChain::join(char fill, const std::string& name) {
  const SecureBytes seed(std::string(32, fill));
  const auto key = crypto::Ed25519PrivateKey::from_seed(seed).value().public_key().bytes();
  const ConsortiumHead head = read_consortium_head(view()).value();
  const std::uint32_t id = head.next_replica_id;
  const crypto::P256Scalar enrollment = crypto::P256Scalar::from_u64(0xe770 + id);
  JoinRequestTx join{c->genesis_hash(), key, name, name + ".example:8443", "", 0, {}, name + ".example:7000"};
  join.enrollment_key = crypto::P256Point::base_mul(enrollment).encode();
  Transaction request(join);
  HC_CHECK(sign_governance_tx(request, seed).ok());
  const Bytes request_bytes = encode_transaction(request);
  commit_ok({request_bytes});
  std::vector<Bytes> approvals;
  for (std::size_t i = 0; i < approvals_needed(head.members.size()); ++i) {
    const std::uint32_t approver = head.members[i];
    Transaction approval(GovernanceApprovalTx{c->genesis_hash(), transaction_id(request_bytes), approver, {}});
    auto joined = joiner_seeds_.find(approver);
    HC_CHECK(sign_governance_tx(approval, joined != joiner_seeds_.end() ? joined->second : c->replica_seed(approver)).ok());
    approvals.push_back(encode_transaction(approval));
  }
  commit_ok(std::move(approvals));
  joiner_seeds_.emplace(id, SecureBytes(std::string(32, fill)));
  current_.emplace(id, enrollment);
  return height();
}

std::uint64_t ReshareChain::leave(std::uint32_t member) {
  Transaction exit(ExitAnnouncementTx{c->genesis_hash(), member, 0, {}});
  HC_CHECK(sign_governance_tx(exit, c->replica_seed(member)).ok());
  commit_ok({encode_transaction(exit)});
  return height();
}

ReshareRun ReshareChain::latest_run() const { return read_latest_reshare_run(view()).value().value(); }

ReshareSetting ReshareChain::setting(const ReshareRun& run) const {
  auto s = reshare_setting(view(), run, height());
  if (!s.ok()) std::fprintf(stderr, "%s\n", s.status().to_string().c_str());
  HC_CHECK(s.ok());
  return std::move(s).value();
}

crypto::P256Scalar ReshareChain::fresh_secret(std::uint32_t member, std::uint64_t r) const {
  return crypto::P256Scalar::from_u64(0xf7e50000 + r * 256 + member);
}

Bytes ReshareChain::key_tx(ReshareKeyTx tx, const crypto::P256Scalar& current, const crypto::P256Scalar& fresh) const {
  HC_CHECK(sign_reshare_key_tx(tx, current, fresh).ok());
  return encode_transaction(Transaction(tx));
}

Bytes ReshareChain::key_tx(const ReshareRun& run, std::uint32_t member) const {
  const crypto::P256Scalar fresh = fresh_secret(member, run.reshare_epoch);
  ReshareKeyTx tx{c->genesis_hash(), run.reshare_epoch, member, crypto::P256Point::base_mul(fresh).encode(), {}, {}};
  return key_tx(tx, current_secret(member), fresh);
}

th::AccessReshareDeal ReshareChain::deal(const ReshareSetting& s, std::uint16_t dealer) const {
  return th::make_reshare_deal(s.params, dealer, dkg_shares.at(dealer - 1)).value();
}

Bytes ReshareChain::deal_tx(ReshareDealTx tx, const crypto::P256Scalar& signer) const {
  Transaction t(std::move(tx));
  HC_CHECK(sign_trustee_tx(t, signer).ok());
  return encode_transaction(t);
}

Bytes ReshareChain::deal_tx(const ReshareSetting& s, const th::AccessReshareDeal& deal) const {
  ReshareDealTx tx{c->genesis_hash(), s.params.reshare_epoch, deal.dealer, th::encode_reshare_deal(s.params, deal), {}, {}};
  if (with_opener) {
    const ReshareRun run = read_reshare_run(view(), s.params.reshare_epoch).value().value();
    const th::OpenerReshareParams opener = opener_reshare_params_for(view(), run, height()).value();
    const th::OpenerReshareDeal opener_deal = th::make_reshare_deal(opener, deal.dealer, opener_shares.at(deal.dealer - 1)).value();
    tx.opener_deal = th::encode_reshare_deal(opener, opener_deal);
  }
  return deal_tx(std::move(tx), genesis_secrets.at(deal.dealer - 1));
}

Bytes ReshareChain::complaint_tx(const ReshareSetting& s, const th::ReshareComplaint& complaint,
                                 const crypto::P256Scalar& signer) const {
  Transaction t(ReshareComplaintTx{c->genesis_hash(), s.params.reshare_epoch, complaint.complainer,
                                   th::encode_reshare_complaint(s.params, complaint), false, {}});
  HC_CHECK(sign_trustee_tx(t, signer).ok());
  return encode_transaction(t);
}

ReshareSchedule schedule_when_all_announce(const ReshareRun& run) {
  return reshare_schedule(run, run.started_at_height + kDkgWindowBlocks);
}

std::vector<std::optional<th::AccessReshareDeal>> ReshareChain::run_honestly(const ReshareRun& run) {
  const ReshareSchedule schedule = schedule_when_all_announce(run);
  advance_to(schedule.first_key_height - 1);
  std::vector<Bytes> keys;
  for (std::uint32_t member : run.members) keys.push_back(key_tx(run, member));
  commit_ok(std::move(keys));
  advance_to(schedule.last_key_height);
  const ReshareSetting s = setting(run);
  std::vector<Bytes> txs;
  std::vector<std::optional<th::AccessReshareDeal>> deals;
  for (std::uint16_t i = 1; i <= s.old_sharing.trustees.size(); ++i) {
    deals.push_back(deal(s, i));
    txs.push_back(deal_tx(s, *deals.back()));
  }
  commit_ok(std::move(txs));
  advance_to(schedule.finalize_height);
  return deals;
}

Bytes ReshareChain::request_tx(std::uint64_t nonce) const {
  AccessRequestTx r;
  r.chain_id = c->genesis_hash();
  r.key_epoch = 0;
  r.serial = c->serial_of(nonce);
  r.timestamp_ms = c->genesis().genesis_time_ms + height() + 1;
  r.purpose = "treatment: resharing test";
  r.requester_key = crypto::P256Point::base_mul(crypto::P256Scalar::from_u64(0x5e0)).encode();
  return encode_transaction(c->signed_manager(r));
}

Bytes ReshareChain::answer_tx(const Digest& request_id, std::uint16_t trustee, const crypto::P256Scalar& signer) const {
  Transaction t(DecryptionSharesTx{c->genesis_hash(), request_id, trustee, {Bytes(kDecryptionShareBoxBytes, 0x11)}, {}, {}});
  HC_CHECK(sign_trustee_tx(t, signer).ok());
  return encode_transaction(t);
}

}  // namespace hc::chain::testing

// A trustees-mode ledger for tests (issue 13): a TestConsortium whose genesis names m trustees
// with deterministic P-256 keys, its store and application, and builders of every
// trustees-mode transaction signed as a given trustee or as the manager. Not thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "chain/healthchain_app.h"
#include "chain/test_chain.h"
#include "chain/trustee_signing.h"
#include "chain/trustee_state.h"
#include "crypto/groupsig/issuer.h"
#include "crypto/sealed_record_v2.h"
#include "chain/opener_key_state.h"
#include "crypto/threshold/dkg_deal.h"

namespace hc::groupsig {
struct GroupSetup;
}

namespace hc::chain::testing {

// The BBS04 group of every TrusteesChain's genesis (one per process; the issuer enrolls with it).
groupsig::GroupSetup& trustees_chain_group();
// The member `name` of that group, enrolled by its issuer on the first call for that name (one
// key per name and process). Not thread-safe.
const groupsig::MemberKey& trustees_chain_member(const std::string& name);

class TrusteesChain {
 public:
  TrusteesChain(std::size_t trustees, std::uint16_t threshold, const std::string& dir_name);
  // The same with another genesis group key (groupsig's BBS04 encoding, epoch 0).
  TrusteesChain(std::size_t trustees, std::uint16_t threshold, const std::string& dir_name, Bytes group_public_key);
  // The same whose replica i carries the TLS CA certificate replica_tls_ca_pems[i] (the
  // hospitals' trust anchors, whose names client/trustee_names.h reads).
  TrusteesChain(std::size_t trustees, std::uint16_t threshold, const std::string& dir_name,
                const std::vector<std::string>& replica_tls_ca_pems);
  // The same whose genesis is version 6 (DKG deals only in the proven form, as `hc cluster up`
  // makes); the other constructors make a version-4 genesis, as chains made before the proofs.
  struct ProvenDkgDeals {};
  TrusteesChain(std::size_t trustees, std::uint16_t threshold, const std::string& dir_name, ProvenDkgDeals);

  std::size_t m() const { return secrets_.size(); }
  const crypto::P256Scalar& secret(std::uint16_t trustee) const { return secrets_.at(trustee - 1); }
  crypto::threshold::DkgParams params(std::uint64_t key_epoch = 0) const;
  // The opener DKG's setting (u from the genesis group key, a real BBS04 key on these chains).
  crypto::threshold::OpenerDkgParams opener_params(std::uint64_t key_epoch = 0) const;
  const Digest& chain_id() const { return c.genesis_hash(); }

  Result<Digest> commit(std::vector<Bytes> txs, std::uint64_t timestamp_ms = 0);
  // Commits empty blocks until the tip is at `height`.
  void advance_to(std::uint64_t height);
  Status validate(std::vector<Bytes> txs, std::uint64_t timestamp_ms = 0);
  std::uint64_t height() const { return store->tip().height; }
  std::uint64_t next_block_time() const { return c.genesis().genesis_time_ms + height() + 1; }

  Bytes signed_by(Transaction tx, std::uint16_t signer) const;  // trustee signature
  Bytes deal_tx(const crypto::threshold::DkgDeal& deal, std::uint64_t key_epoch = 0) const;
  Bytes complaint_tx(const crypto::threshold::DkgComplaint& complaint, std::uint64_t key_epoch = 0) const;
  // A deal carrying an opener deal (wire kind 13) and a complaint against one (wire kind 14).
  Bytes deal_tx(const crypto::threshold::DkgDeal& deal, const crypto::threshold::OpenerDeal& opener_deal,
                std::uint64_t key_epoch = 0) const;
  Bytes opener_complaint_tx(const crypto::threshold::OpenerComplaint& complaint, std::uint64_t key_epoch = 0) const;
  Bytes epoch_start_tx(std::uint64_t key_epoch) const;
  AccessRequestTx request(const Serial& serial, std::uint64_t timestamp_ms, std::uint64_t key_epoch = 0) const;
  Bytes manager_signed(Transaction tx) const;
  // A record transaction carrying `sealed` (envelope version 2), group-signed in `epoch`.
  Bytes record_v2_tx(const crypto::SealedRecordV2& sealed, std::uint64_t epoch = 0);

  TestConsortium c;
  TempDir dir;
  std::unique_ptr<LedgerStore> store;
  std::unique_ptr<HealthchainApp> app;

 private:
  TrusteesChain(std::size_t trustees, std::uint16_t threshold, const std::string& dir_name, Bytes group_public_key,
                const std::vector<std::string>& replica_tls_ca_pems, bool proven_dkg_deals = false);
  std::vector<crypto::P256Scalar> secrets_;
};

}  // namespace hc::chain::testing

// What a trustee owes the chain, decided from the committed state alone (issue 13;
// docs/threshold.md, "On the chain"): its DKG deal in the deal window of each key epoch (the
// access key's deal and, beside it, its deal of the group signature's opener key), a
// complaint against every dealer whose share (of either key) to it fails the Feldman check in
// the complaint window, its secret share x_j once the epoch's key formed (derived from the deals on the
// chain and its long-term key, checked against its public share Y_j), and one
// decryption_shares answer to each committed access request, computed from the ephemeral
// keys of the committed version-2 records the request names (never from the request); when
// the request asks to open, the answer carries a partial opening of each named record's
// BBS04-ElGamal signature (T1 read from the committed record) with its share xi_j of the
// epoch's opener key, derived like x_j from the opener deals on the chain.
//
// Every returned transaction is signed with the trustee's key and ready for the ledger's
// admission check; the caller posts it. x_j is not stored: it is re-derived from the chain
// and the key at startup (a few milliseconds per epoch), so there is no second secret file
// to protect, and a node restored from a backup holds exactly what the chain says.
// Thread-safety: none; one owner (the trustee worker thread). Reads the store (thread-safe).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "chain/ledger_store.h"
#include "chain/trustee_state.h"
#include "chain/transaction.h"
#include "crypto/bls12_381/bls12_381.h"
#include "crypto/threshold/dkg_outcome.h"
#include "crypto/threshold/opener_dkg_outcome.h"
#include "node/trustee_identity.h"
#include "node/trustee_status.h"

namespace hc::node {

struct TrusteeTx {
  std::string label;  // for the log: "dkg deal (key epoch 0)", never patient data
  Bytes encoding;
};

// Trustee `trustee`'s signed decryption_shares transaction answering `request_id`: for each
// ephemeral key E (in order) the share x_j * E with its proof, boxed to `requester_key`.
// kInvalidInput if x_j does not match the trustee's public share or a field is out of bounds.
Result<TrusteeTx> build_decryption_shares_tx(const crypto::threshold::AccessKeyPublic& key, std::uint16_t trustee,
                                             const crypto::P256Scalar& secret_share,
                                             const crypto::P256Scalar& trustee_secret, const chain::Digest& request_id,
                                             const std::vector<crypto::P256Point>& ephemerals,
                                             const crypto::P256PointBytes& requester_key);

// Trustee `trustee`'s partial openings of `signatures` (the committed records' BBS04-ElGamal
// group signatures, record ids strictly increasing, as the request names them) for the
// committed request `request_id`. kInvalidInput if xi_j does not match U_j or a T1 is the
// identity.
Result<std::vector<chain::PartialOpeningEntry>> build_partial_openings(
    const crypto::threshold::OpenerKeyPublic& key, std::uint16_t trustee, const bls12_381::Fr& opener_share,
    const chain::Digest& request_id, const std::vector<std::pair<chain::Digest, Bytes>>& signatures);

// xi_j of one key epoch, wiped when dropped.
struct OpenerShareOfEpoch {
  crypto::threshold::OpenerKeyPublic key;
  bls12_381::Fr share;
  OpenerShareOfEpoch() = default;
  OpenerShareOfEpoch(const OpenerShareOfEpoch&) = delete;
  OpenerShareOfEpoch& operator=(const OpenerShareOfEpoch&) = delete;
  ~OpenerShareOfEpoch() { share.wipe(); }
};

class TrusteeDuties {
 public:
  TrusteeDuties(const chain::LedgerStore& store, TrusteeIdentity identity);

  // The DKG transactions due at the committed tip (at most one deal and one complaint per
  // bad dealer; each only once per process: a refused repeat is harmless, the chain keeps the
  // first) and the status of the running epoch in `status`.
  Result<std::vector<TrusteeTx>> dkg_step(TrusteeStatus& status);

  // The answer to the committed request `request_id` (committed at `request_height`), or
  // nullopt when there is nothing to post: already answered on the chain, or a record the
  // trustee cannot answer for (not version 2, another key epoch: logged as skipped, with
  // `skipped` set). kNotFound when the request's key epoch has no formed key.
  Result<std::optional<TrusteeTx>> answer(const chain::Digest& request_id, const chain::AccessRequestTx& request,
                                          std::uint64_t request_height, bool& skipped);

  std::uint16_t index() const { return identity_.index; }
  // Lets the next dkg_step post again what it posted before (a deal or complaint that never
  // reached a block, say because the primary changed): the chain keeps only the first.
  void allow_reposts() {
    dealt_.clear();
    checked_.clear();
    opener_checked_.clear();
  }

 private:
  Result<std::optional<TrusteeTx>> deal_if_due(const crypto::threshold::DkgParams& params);
  Result<std::vector<TrusteeTx>> complaints_due(const crypto::threshold::DkgParams& params);
  // Complaints against the opener deals whose share to this trustee fails its check.
  Result<std::vector<TrusteeTx>> opener_complaints_due(std::uint64_t key_epoch);
  // x_j of `epoch` (derived once, then kept in memory); kNotFound if the epoch has no key.
  Result<const crypto::P256Scalar*> secret_share(std::uint64_t epoch, crypto::threshold::AccessKeyPublic& key);
  // xi_j and the opener key of `epoch` (derived once, then kept in memory); kNotFound if the
  // epoch has no opener key.
  Result<const OpenerShareOfEpoch*> opener_share(std::uint64_t epoch);
  // The partial openings a request that asks to open is owed; empty with `skipped` set when a
  // named record carries no BBS04-ElGamal signature or is sealed to another key epoch.
  Result<std::vector<chain::PartialOpeningEntry>> partial_openings_to_answer(const chain::Digest& request_id,
                                                                             const chain::AccessRequestTx& request,
                                                                             bool& skipped);
  Result<std::vector<crypto::P256Point>> ephemerals_to_answer(const chain::Digest& request_id,
                                                              const chain::AccessRequestTx& request,
                                                              std::uint64_t request_height,
                                                              const crypto::KeyId& key_id, bool& skipped);

  const chain::LedgerStore& store_;
  chain::StoreTrusteeView view_;
  TrusteeIdentity identity_;
  std::set<std::uint64_t> dealt_;                             // epochs this process dealt in
  std::set<std::pair<std::uint64_t, std::uint16_t>> checked_;  // (epoch, dealer) shares checked
  std::set<std::pair<std::uint64_t, std::uint16_t>> opener_checked_;  // (epoch, dealer) opener shares
  std::map<std::uint64_t, crypto::P256Scalar> shares_;        // x_j by epoch
  std::map<std::uint64_t, crypto::threshold::AccessKeyPublic> keys_;
  std::map<std::uint64_t, OpenerShareOfEpoch> opener_shares_;  // xi_j by key epoch
};

}  // namespace hc::node

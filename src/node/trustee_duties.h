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
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "chain/ledger_store.h"
#include "chain/reshare_state.h"
#include "chain/trustee_state.h"
#include "chain/transaction.h"
#include "crypto/bls12_381/bls12_381.h"
#include "crypto/threshold/dkg_outcome.h"
#include "crypto/threshold/opener_dkg_outcome.h"
#include "node/trustee_identity.h"
#include "node/trustee_key_files.h"
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

// This node's seat in one sharing (the DKG's or a resharing's): its index there, the trustee
// key that signs as it and opens the sharing's boxes, the sharing's public access key and the
// node's share of it (checked against its public share).
struct SharingSeat {
  std::uint64_t reshare_epoch = 0;
  std::uint16_t index = 0;
  const crypto::P256Scalar* trustee_secret = nullptr;
  crypto::threshold::AccessKeyPublic key;
  const crypto::P256Scalar* share = nullptr;
};

class TrusteeDuties {
 public:
  // A genesis trustee without resharing duties (the DKG and answers of the DKG's sharing).
  TrusteeDuties(const chain::LedgerStore& store, TrusteeIdentity identity);
  // A trustees-mode node that takes part in resharings (issue 16 item 3; trustee_reshare_duties.cpp):
  // `genesis_seat` is its DKG identity (index 0: none, for a hospital that joined later or a
  // node whose genesis key was erased after a resharing), `member_id` its replica id and
  // `key_files` its trustee key files by resharing epoch; `first_key_holds_share` is false when
  // the first key file is a joined hospital's enrollment key (it opens no share's box and is
  // not erased with the superseded trustee keys; docs/threshold.md).
  TrusteeDuties(const chain::LedgerStore& store, TrusteeIdentity genesis_seat, std::uint32_t member_id,
                std::unique_ptr<TrusteeKeyFiles> key_files, bool first_key_holds_share);

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

  // The resharing transactions due at the committed tip (trustee_reshare_duties.cpp): the
  // announcement of a fresh key when a resharing to a configuration this node is in starts,
  // its deal as a seat of the sharing being reshared, complaints against deals whose share to
  // its new seat fails; the resharing's part of `status`. Empty without key files.
  Result<std::vector<TrusteeTx>> reshare_step(TrusteeStatus& status);

  // Erasure (docs/threshold.md, "The nodes' part of resharing"): once a resharing formed at F
  // and `answered_through` (every committed request up to it this node owes was answered or
  // set aside) has reached F, or the tip is kEraseGraceBlocks past F, the key files of every
  // older sharing are overwritten and unlinked and their keys and shares dropped from memory;
  // the fresh key of a failed resharing likewise; a node that is no longer a member erases
  // every key file. Returns the resharing epochs whose key files it erased.
  static constexpr std::uint64_t kEraseGraceBlocks = 64;
  Result<std::vector<std::uint64_t>> erase_superseded_keys(std::uint64_t answered_through);

  // The seat that answers requests of `key_epoch` committed at `request_height` (the sharing in
  // force there), nullopt when this node holds none (not a trustee of that sharing, or its key
  // was erased); kNotFound when the key epoch has no formed key.
  Result<std::optional<SharingSeat>> answering_seat(std::uint64_t key_epoch, std::uint64_t request_height);

  std::uint16_t index() const { return identity_.index; }
  std::uint32_t member_id() const { return member_id_; }
  // The resharing epochs whose trustee key files exist (empty without key files).
  std::vector<std::uint64_t> held_key_epochs() const {
    return key_files_ ? key_files_->held_epochs() : std::vector<std::uint64_t>();
  }
  // Lets the next dkg_step post again what it posted before (a deal or complaint that never
  // reached a block, say because the primary changed): the chain keeps only the first.
  void allow_reposts() {
    announced_.clear();
    reshare_dealt_.clear();
    reshare_checked_.clear();
    reshare_opener_checked_.clear();
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
                                                                             const SharingSeat& seat,
                                                                             std::uint64_t request_height,
                                                                             bool& skipped);
  // This node's seat in `sharing`, with its share derived and checked; nullopt as above.
  Result<std::optional<SharingSeat>> seat_in(const chain::TrusteeSharing& sharing);
  // The trustee key of resharing epoch r (0: the genesis seat's), loaded once; nullptr if not held.
  Result<const crypto::P256Scalar*> held_key(std::uint64_t reshare_epoch);
  // x'_j of a resharing's sharing (derived once from the chain's reshare deals, then kept).
  Result<const crypto::P256Scalar*> reshared_share(const chain::TrusteeSharing& sharing, std::uint16_t index,
                                                   const crypto::P256Scalar& trustee_secret);
  // xi'_j of the opener key in force at `height` after resharing `reshare_epoch`.
  Result<const OpenerShareOfEpoch*> reshared_opener_share(std::uint64_t key_epoch, std::uint64_t reshare_epoch,
                                                          std::uint64_t height, std::uint16_t index,
                                                          const crypto::P256Scalar& trustee_secret);
  // The opener share that answers for `seat` at `height`.
  Result<const OpenerShareOfEpoch*> opener_share_of_seat(std::uint64_t key_epoch, const SharingSeat& seat,
                                                         std::uint64_t height);
  Result<std::optional<TrusteeTx>> announce_if_due(const chain::ReshareRun& run);
  Result<std::optional<TrusteeTx>> reshare_deal_if_due(const chain::ReshareRun& run);
  Result<std::vector<TrusteeTx>> reshare_complaints_due(const chain::ReshareRun& run);
  void drop_sharing_secrets(std::uint64_t reshare_epoch);

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
  // Resharing (issue 16 item 3); unused without key files.
  std::uint32_t member_id_ = 0;
  std::unique_ptr<TrusteeKeyFiles> key_files_;
  std::map<std::uint64_t, crypto::P256Scalar> held_keys_;  // trustee keys by resharing epoch (>= 1)
  using SharingId = std::pair<std::uint64_t, std::uint64_t>;  // (key epoch, resharing epoch)
  std::map<SharingId, crypto::P256Scalar> reshared_shares_;
  std::map<SharingId, OpenerShareOfEpoch> reshared_opener_shares_;
  std::set<std::uint64_t> announced_, reshare_dealt_;          // resharing epochs posted for
  std::set<std::pair<std::uint64_t, std::uint16_t>> reshare_checked_;  // (r, dealer) checked
  std::set<std::pair<std::uint64_t, std::uint16_t>> reshare_opener_checked_;
  bool first_key_holds_share_ = true;
};

}  // namespace hc::node

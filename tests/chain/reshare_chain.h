// Test support for resharing on the chain (issue 16 item 3): a trustees-mode ledger of n genesis
// replicas, each genesis replica j-1 holding trustee seat j, whose key epoch 0 access key is
// formed from every trustee's deal (real crypto); membership changes by governance
// transactions (a joiner with an enrollment key, an exit); blocks certified by the
// configuration of their height (joined members sign with their own seeds); and builders of
// the resharing transactions (announcements, deals, complaints) signed as the rules require.
// Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "chain/healthchain_app.h"
#include "chain/reshare_rules.h"
#include "chain/reshare_state.h"
#include "chain/test_chain.h"
#include "crypto/threshold/access_reshare.h"
#include "crypto/threshold/dkg_deal.h"
#include "crypto/threshold/dkg_outcome.h"
#include "crypto/threshold/opener_dkg_outcome.h"
#include "crypto/threshold/opener_reshare.h"

namespace hc::chain::testing {

// A run's schedule when every member announces within its first kDkgWindowBlocks blocks: the
// announcement window then closes at B + kDkgWindowBlocks (chain/reshare_state.h).
ReshareSchedule schedule_when_all_announce(const ReshareRun& run);

class ReshareChain {
 public:
  // `with_opener`: the genesis carries a real BBS04 group key (tests/chain/trustees_chain.h's
  // group) and the DKG deals carry opener deals, so key epoch 0 has an opener key to reshare.
  ReshareChain(std::uint32_t replicas, const std::string& dir_name, bool with_opener = false);

  // Every genesis trustee deals in block 1 (with an opener deal if with_opener); empty blocks
  // up to the DKG's finalize (height 33).
  void form_key();
  // A hospital with replica seed `fill` x 32 joins (wire kind 24, enrollment key = its trustee
  // key), approved by more than two thirds: returns the height of the block that accepted it.
  std::uint64_t join(char fill, const std::string& name);
  // Member `member` (a genesis replica) announces its exit: the accepting height.
  std::uint64_t leave(std::uint32_t member);

  Result<Digest> commit(std::vector<Bytes> txs);
  void commit_ok(std::vector<Bytes> txs);
  void advance_to(std::uint64_t height);
  std::uint64_t height() const { return store->tip().height; }
  StoreTrusteeView view() const { return StoreTrusteeView(*store); }
  ReshareRun latest_run() const;
  ReshareSetting setting(const ReshareRun& run) const;

  // The secret behind member `member`'s current trustee key (its seat's, or the joiner's
  // enrollment key) and the fresh one it announces for resharing r.
  const crypto::P256Scalar& current_secret(std::uint32_t member) const { return current_.at(member); }
  crypto::P256Scalar fresh_secret(std::uint32_t member, std::uint64_t r) const;
  Bytes key_tx(const ReshareRun& run, std::uint32_t member) const;
  Bytes key_tx(ReshareKeyTx tx, const crypto::P256Scalar& current, const crypto::P256Scalar& fresh) const;
  // Old seat `dealer`'s honest deal of its DKG share (seat secret = genesis trustee secret).
  crypto::threshold::AccessReshareDeal deal(const ReshareSetting& s, std::uint16_t dealer) const;
  // The deal transaction; on a with_opener chain it carries the dealer's honest opener deal.
  Bytes deal_tx(const ReshareSetting& s, const crypto::threshold::AccessReshareDeal& deal) const;
  Bytes deal_tx(ReshareDealTx tx, const crypto::P256Scalar& signer) const;
  Bytes complaint_tx(const ReshareSetting& s, const crypto::threshold::ReshareComplaint& complaint,
                     const crypto::P256Scalar& signer) const;
  // Every member of the run announces, every old seat deals, and the chain advances to the
  // finalizing block: the deals as dealt.
  std::vector<std::optional<crypto::threshold::AccessReshareDeal>> run_honestly(const ReshareRun& run);
  // A request of the manager (no record named) and one answer signed with `signer`.
  Bytes request_tx(std::uint64_t nonce) const;
  Bytes answer_tx(const Digest& request_id, std::uint16_t trustee, const crypto::P256Scalar& signer) const;

  std::unique_ptr<TestConsortium> c;
  TempDir dir;
  std::unique_ptr<LedgerStore> store;
  std::unique_ptr<HealthchainApp> app;
  std::vector<crypto::P256Scalar> genesis_secrets;  // trustee j's at j-1
  std::vector<crypto::P256Scalar> dkg_shares;       // trustee j's x_j at j-1
  crypto::threshold::DkgOutcome dkg;
  bool with_opener = false;
  std::optional<crypto::threshold::OpenerDkgOutcome> opener_dkg;
  std::vector<crypto::threshold::Fr> opener_shares;  // trustee j's xi_j at j-1 (with_opener only)

 private:
  std::vector<TestConsortium::Signer> signers_for(std::uint64_t height) const;
  std::map<std::uint32_t, crypto::P256Scalar> current_;  // member -> its current trustee secret
  std::map<std::uint32_t, SecureBytes> joiner_seeds_;    // joined member -> its replica seed
};

}  // namespace hc::chain::testing

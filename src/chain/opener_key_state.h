// The trustees' group-signature opener key of a key epoch (issue 13 item 4; docs/groupsig.md,
// "BBS04-ElGamal"; docs/ledger.md, "Trustees"), computed by anyone from the committed
// transcript: the opener deals carried by the epoch's DKG deals and the complaints against
// them (chain/opener_dkg_state.h). It lives beside the record verifier in hc_chain_bbs04
// because it needs the pairing code; the ledger itself stores only the transcript.
//
// Qualification is shared with the access key: only dealers qualified in the access key's DKG
// of the epoch (its stored outcome) take part, so a dealer disqualified there is out of the
// opener key too; among them finalize_opener_dkg judges the opener complaints and drops the
// dealers they convict. (The converse, a dealer convicted only by an opener complaint leaving
// the access key, would need the pairing code inside the ledger's state machine; it does not
// hold, see docs/groupsig.md.) The base u is the genesis group key's.
// Pure, deterministic functions over a TrusteeStateView (thread-safe as its reads).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "chain/trustee_state.h"
#include "crypto/threshold/opener_dkg_complaint.h"
#include "crypto/threshold/opener_dkg_deal.h"
#include "crypto/threshold/opener_dkg_outcome.h"

namespace hc::chain {

// The opener DKG's setting for `key_epoch`: dkg_params_for plus u of the genesis group key
// (groupsig's BBS04 encoding). kInvalidInput if the genesis group key does not decode.
Result<crypto::threshold::OpenerDkgParams> opener_dkg_params_for(const Genesis& genesis, const Digest& chain_id,
                                                                 std::uint64_t key_epoch);

// The committed opener transcript of an epoch, decoded for `params`: one slot per dealer (a
// deal that does not decode for the epoch's parameters, or names another dealer, is nullopt:
// that dealer is absent) and every complaint that decodes (one that does not accuses nobody).
struct OpenerTranscript {
  std::vector<std::optional<crypto::threshold::OpenerDeal>> deals;
  std::vector<crypto::threshold::OpenerComplaint> complaints;
};
Result<OpenerTranscript> read_opener_transcript(const TrusteeStateView& store,
                                                const crypto::threshold::OpenerDkgParams& params);

struct OpenerKeyOutcome {
  std::uint64_t key_epoch = 0;
  std::optional<crypto::threshold::OpenerDkgOutcome> formed;
  std::vector<std::uint16_t> left_out_by_access_key;  // dealt, but not qualified for the access key
  std::string failure;                                 // set when !formed
};

// The opener key of `key_epoch`: nullopt while that epoch's DKG has no stored outcome; else
// formed, or failed with the reason (the access key failed, too few qualified opener dealers).
// kCorrupt / kInvalidInput when the stored state or the genesis is unusable.
Result<std::optional<OpenerKeyOutcome>> read_opener_key(const TrusteeStateView& store, std::uint64_t key_epoch);

}  // namespace hc::chain

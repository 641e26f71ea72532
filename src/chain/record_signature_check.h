// Which group-signature check a record gets (issue 13 item 4; docs/ledger.md, "Records of
// envelope version 2"). A record's signature is opaque to the ledger, but its first four
// bytes name the scheme: BBS04 ("HCGS", the paper's, under the group key of the record's
// epoch) or BBS04-ElGamal ("HCGE", docs/groupsig.md). A BBS04-ElGamal signature is accepted
// only on a version-2 record of a trustees chain, and is checked under the group key of the
// record's epoch with the opener key the trustees generated in the key epoch of the record's
// access key (chain/opener_key_state.h), so the hospital behind it can be unmasked only by t
// trustees; and a version-2 record must carry one (a BBS04 signature on it is refused, since
// a single key opens BBS04). On a single-manager chain of genesis version 7 (the manager's
// opener key in the genesis, chain/manager_opener_key.h) a version-1 record must carry a
// BBS04-ElGamal signature under the group key of its epoch with the manager's opener key
// (checked as key epoch kManagerOpenerKeyEpoch, so it batches as the trustees' do); older
// single-manager chains keep plain BBS04, so their history verifies. One function for the application and for `hc chain verify`, and
// its batch form for a block's records (the BBS04-ElGamal signatures verified together, one
// batch per key; issue 18 item 2). Thread-safe as the verifier's verify calls and the view's
// reads.
#pragma once

#include <span>
#include <vector>

#include "chain/transaction.h"
#include "chain/trustee_state.h"
#include "chain/verifiers.h"

namespace hc::chain {

inline constexpr std::string_view kElGamalSignatureMagic = "HCGE";
// The verifier's key-epoch slot of the manager's opener key on a version-7 single-manager
// chain (such a chain has no trustees' key epochs, so the slot is its own).
inline constexpr std::uint64_t kManagerOpenerKeyEpoch = 0;

// True when the signature bytes announce BBS04-ElGamal.
bool is_elgamal_group_signature(ByteSpan signature);

// The record's group signature checked as above. kInvalidInput for a BBS04-ElGamal signature
// on a version-1 record of a trustees chain or of a single-manager chain without the manager's
// opener key, or whose access key id names no formed key epoch, for any other signature on a
// version-2 record, and for a plain BBS04 signature on a version-7 single-manager chain;
// otherwise the verifier's verdict (kNotFound when that key epoch has no opener key).
Status verify_record_signature(const RecordSignatureVerifier& verifier, const TrusteeStateView& view,
                               const RecordTx& record);

// The checks of verify_record_signature that need no pairing (which scheme the signature bytes
// announce, against the record's envelope version and the chain's access mode, and the access
// key epoch a BBS04-ElGamal signature is checked under): what admission checks of a record's
// signature, the signature itself being verified with its block (docs/ledger.md, "Admission").
// ok, or verify_record_signature's kInvalidInput for the same cause.
Status check_record_signature_form(const TrusteeStateView& view, const RecordTx& record);

// verify_record_signature for many records (a block's, in block order): one status per record,
// in order, each what verify_record_signature returns for it (a bad BBS04-ElGamal signature
// passes with probability at most 2^-64). The records' form checks are made one by one; their
// BBS04-ElGamal signatures go to the verifier in one verify_under_opener_keys call, plain BBS04
// ones to verify().
std::vector<Status> verify_record_signatures(const RecordSignatureVerifier& verifier, const TrusteeStateView& view,
                                             std::span<const RecordTx* const> records);

}  // namespace hc::chain

// Which sealed-record envelope a chain accepts (docs/ledger.md, "Application"): a
// single-manager chain takes envelope version 1 (RSA-OAEP to a published envelope key, checked
// by the application against its envelope-key index) and refuses version 2; a trustees-mode
// chain takes version 2 sealed to an access key that a committed DKG formed (its key id names
// a key epoch in the trustees state) with an ephemeral key that is a P-256 point, and refuses
// version 1, whose RSA key would let one party read the record alone. Shared by the
// application and `hc chain verify` (chain_verifier.h). Pure over the view; thread-safe as its
// reads.
#pragma once

#include "chain/genesis.h"
#include "chain/transaction.h"
#include "chain/trustee_state.h"
#include "common/status.h"

namespace hc::chain {

// ok when `sealed`'s envelope version suits the chain's access mode and, for version 2, its
// key id names a formed access key and its ephemeral key is a curve point; kInvalidInput with
// a one-line reason otherwise (kCorrupt if the stored state does not decode). Version 1's
// envelope key id is the caller's to check.
Status check_record_envelope_for_mode(const SealedRecord& sealed, const TrusteeStateView& state);

}  // namespace hc::chain

// Signing and checking the trustees' transactions (DKG deals and complaints, decryption
// shares) with the trustee's long-term P-256 key from the genesis, so that nobody can deal,
// complain or answer in a trustee's name. The signature (crypto/threshold/trustee_signature.h,
// domain "HC-TRUSTEE-SIGNING-v1") covers the whole encoding up to, not including, the 64-byte
// signature; that encoding names the chain id, so a signature is bound to one chain.
// Pure functions, thread-safe.
#pragma once

#include <cstdint>
#include <optional>

#include "chain/genesis.h"
#include "chain/transaction.h"
#include "common/status.h"
#include "crypto/p256.h"

namespace hc::chain {

// The signing trustee's index (dealer, complainer or trustee field) of kinds 6, 7 and 10, an
// index into the genesis trustees; nullopt for other kinds (the resharing kinds' signers are
// seats of a sharing the state names: reshare_rules.h).
std::optional<std::uint16_t> signing_trustee(const Transaction& tx);
// The message the trustee signs. kInvalidInput for a kind that is not a trustee's.
Result<Bytes> trustee_signing_message(const Transaction& tx);
// Fills in the trustee signature with `trustee_secret` (the key of the trustee the transaction
// names). kInvalidInput for a kind that is not a trustee's.
Status sign_trustee_tx(Transaction& tx, const crypto::P256Scalar& trustee_secret);
// ok if the signature verifies under the genesis key of the trustee the transaction names;
// kInvalidInput if the genesis has no such trustee, or for a resharing kind (its key is a fact
// of the state); kAuthFailed if it does not verify. For decryption shares this is the genesis
// sharing's key: after a resharing, check them with verify_trustee_tx_by and the seat key of
// the sharing in force at the request's height (reshare_state.h, read_sharing_in_force).
Status verify_trustee_tx(const Transaction& tx, const Genesis& genesis);

// ok if the trustee signature (for kind 31: the current key's) verifies under `key`;
// kInvalidInput for a kind that is not a trustee's or a key that is not a P-256 point;
// kAuthFailed if it does not verify.
Status verify_trustee_tx_by(const Transaction& tx, const crypto::P256PointBytes& key);

// Kind 31: fills in both signatures, `trustee_signature` with the member's current trustee
// key and `new_key_signature` with the announced key's secret (which must match new_key).
// kInvalidInput if it does not, or for a zero key.
Status sign_reshare_key_tx(ReshareKeyTx& tx, const crypto::P256Scalar& current_secret,
                           const crypto::P256Scalar& new_secret);
// Kind 31: ok if `new_key_signature` verifies under the announced key; kAuthFailed if not.
Status verify_reshare_key_possession(const ReshareKeyTx& tx);

}  // namespace hc::chain

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

// The signing trustee's index (dealer, complainer or trustee field); nullopt for other kinds.
std::optional<std::uint16_t> signing_trustee(const Transaction& tx);
// The message the trustee signs. kInvalidInput for a kind that is not a trustee's.
Result<Bytes> trustee_signing_message(const Transaction& tx);
// Fills in the trustee signature with `trustee_secret` (the key of the trustee the transaction
// names). kInvalidInput for a kind that is not a trustee's.
Status sign_trustee_tx(Transaction& tx, const crypto::P256Scalar& trustee_secret);
// ok if the signature verifies under the genesis key of the trustee the transaction names;
// kInvalidInput if the genesis has no such trustee; kAuthFailed if it does not verify.
Status verify_trustee_tx(const Transaction& tx, const Genesis& genesis);

}  // namespace hc::chain

// The manager's BBS04-ElGamal opener key on a single-manager chain (genesis version 7; issue
// 18 items 2 and 4): h = u^xi, u the epoch-0 group key's, published in the genesis with a
// Schnorr proof of knowledge of xi (crypto/groupsig/elgamal_opener_key_proof.h) bound to
// chain::manager_opener_key_context (chain name, genesis time, group public key, admin key).
// The manager alone holds xi (a 1-of-1 opener): it opens the chain's version-1 records, whose
// signatures are BBS04-ElGamal under h and batch-verify like a trustees chain's
// (docs/groupsig.md, "Batch verification"). In hc_chain_bbs04 (pairing code), beside the
// verifier that installs it. Pure functions, thread-safe.
#pragma once

#include "chain/genesis.h"
#include "common/status.h"
#include "crypto/groupsig/elgamal_types.h"

namespace hc::chain {

// h, after checking the genesis's opener key: present (version 7), a valid G1 point other than
// the identity, and its proof verifying against u of the genesis's group key and the context
// above. kInvalidInput with a one-line reason otherwise.
Result<bls12_381::G1> check_manager_opener_key(const Genesis& genesis);

// Sets genesis.manager_opener_key from the manager's secret: h = u^xi and its proof (the
// genesis's chain name, time, group key and admin key must be final). kInvalidInput if the
// group key does not decode or the genesis is not single-manager.
Status attach_manager_opener_key(Genesis& genesis, const groupsig::elgamal::OpenerKey& opener);

}  // namespace hc::chain

#include "chain/manager_opener_key.h"

#include "crypto/groupsig/elgamal_opener_key_proof.h"
#include "crypto/groupsig/encoding.h"

namespace hc::chain {
namespace {

Result<bls12_381::G1> genesis_group_base(const Genesis& genesis) {
  auto gpk = groupsig::decode_gpk(genesis.group_public_key);
  if (!gpk.ok()) return invalid_input("genesis: group public key: " + gpk.status().message());
  return gpk->u;
}

}  // namespace

Result<bls12_381::G1> check_manager_opener_key(const Genesis& genesis) {
  if (!genesis.manager_opener_key) return invalid_input("genesis: no manager opener key (not version 7)");
  HC_ASSIGN_OR_RETURN(bls12_381::G1 u, genesis_group_base(genesis));
  auto h = bls12_381::G1::from_compressed(genesis.manager_opener_key->h);
  if (!h.ok() || h->is_identity()) return invalid_input("genesis: the manager's opener key is not a G1 point of the group");
  auto proof = groupsig::elgamal::decode_opener_key_proof(genesis.manager_opener_key->proof);
  if (!proof.ok()) return invalid_input("genesis: " + proof.status().message());
  if (!groupsig::elgamal::verify_opener_key(manager_opener_key_context(genesis), u, *h, *proof)) {
    return invalid_input("genesis: the manager's opener key proof does not verify (nobody is shown to hold its secret)");
  }
  return *h;
}

Status attach_manager_opener_key(Genesis& genesis, const groupsig::elgamal::OpenerKey& opener) {
  if (genesis.access_mode != AccessMode::kSingleManager) {
    return invalid_input("genesis: only a single-manager genesis carries the manager's opener key");
  }
  HC_ASSIGN_OR_RETURN(bls12_381::G1 u, genesis_group_base(genesis));
  const bls12_381::G1 h = u.mul_secret(opener.xi);
  const auto proof = groupsig::elgamal::prove_opener_key(manager_opener_key_context(genesis), u, h, opener);
  ManagerOpenerKey key;
  key.h = h.to_compressed();
  key.proof = groupsig::elgamal::encode_opener_key_proof(proof);
  genesis.manager_opener_key = key;
  return Status();
}

}  // namespace hc::chain

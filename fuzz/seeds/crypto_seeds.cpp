// Seeds of the BLS12-381 and group-signature harnesses: real points, scalars, keys,
// signatures, opening proofs, registries and a revocation record.
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/opening.h"
#include "crypto/groupsig/prepared_key.h"
#include "crypto/groupsig/revocation.h"
#include "crypto/groupsig/sign.h"
#include "seeds.h"

namespace hc::seeds {

using bls12_381::Fr;
using bls12_381::G1;
using bls12_381::G2;

void write_bls_seeds(const SeedWriter& out) {
  const Fr k = Fr::from_u64(0x5eed);
  const G1 p = G1::generator().mul_public(k);
  const G2 q = G2::generator().mul_public(k);
  out.write("bls_g1", "generator_compressed", G1::generator().to_compressed());
  out.write("bls_g1", "identity_compressed", G1::identity().to_compressed());
  out.write("bls_g1", "point_compressed", p.to_compressed());
  out.write("bls_g1", "point_uncompressed", p.to_uncompressed());
  out.write("bls_g2", "generator_compressed", G2::generator().to_compressed());
  out.write("bls_g2", "identity_compressed", G2::identity().to_compressed());
  out.write("bls_g2", "point_compressed", q.to_compressed());
  out.write("bls_g2", "point_uncompressed", q.to_uncompressed());
  out.write("bls_fr", "one", Fr::one().to_bytes());
  out.write("bls_fr", "r_minus_one", (Fr::zero() - Fr::one()).to_bytes());
  out.write("bls_fr", "small", k.to_bytes());
}

void write_groupsig_seeds(const SeedWriter& out) {
  const Group& g = group();
  const Bytes message{'s', 'e', 'e', 'd'};
  const groupsig::Signature sig = groupsig::sign(g.alpha, message);
  out.write("groupsig_signature", "alpha", groupsig::encode_signature(sig));
  out.write("groupsig_gpk", "epoch0", groupsig::encode_gpk(g.setup.gpk));
  out.write("groupsig_registry", "two_members", groupsig::encode_registry(g.setup.registry));
  groupsig::Registry single{g.setup.registry.epoch, {g.setup.registry.entries.front()}};
  out.write("groupsig_registry", "one_member", groupsig::encode_registry(single));

  const groupsig::PreparedGroupKey prepared(g.setup.gpk);
  auto opening = groupsig::open(prepared, g.setup.opener, g.setup.registry, message, sig);
  require(opening.ok(), "cannot open the seed signature");
  out.write("groupsig_opening_proof", "alpha", groupsig::encode_opening_proof(opening.value().proof));

  groupsig::IssuerKey issuer = g.setup.issuer;
  auto revocation = groupsig::revoke(issuer, g.setup.gpk, g.setup.registry, "beta");
  require(revocation.ok(), "cannot revoke the seed member");
  out.write("groupsig_revocation", "beta", groupsig::encode_revocation(revocation.value().record));
  out.write("groupsig_gpk", "epoch1", groupsig::encode_gpk(revocation.value().gpk));
}

}  // namespace hc::seeds

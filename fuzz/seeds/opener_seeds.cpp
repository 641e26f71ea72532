// Seeds of the threshold-opening harnesses: a BBS04-ElGamal signature, group key and opening
// proof (fuzz/groupsig_elgamal.cpp), and an opener DKG deal, complaint and partial opening
// under fuzz/threshold_opener.cpp's fixed setting (4 trustees with keys k*G, threshold 3,
// epoch 1, u the G1 generator), an evidence set and a public opener key. The first byte of
// each seed chooses the structure.
#include "crypto/groupsig/elgamal_encoding.h"
#include "crypto/groupsig/elgamal_keys.h"
#include "crypto/groupsig/elgamal_opening.h"
#include "crypto/groupsig/elgamal_sign.h"
#include "crypto/threshold/opener_dkg_complaint.h"
#include "crypto/threshold/opener_dkg_deal.h"
#include "crypto/threshold/opener_encoding.h"
#include "crypto/threshold/partial_opening.h"
#include "seeds.h"

namespace hc::seeds {

namespace {

namespace eg = groupsig::elgamal;
namespace t = crypto::threshold;

Bytes opener_seed(std::uint8_t kind, const Bytes& message) {
  Bytes out{kind};
  out.insert(out.end(), message.begin(), message.end());
  return out;
}

}  // namespace

void write_opener_seeds(const SeedWriter& out) {
  eg::Setup setup = eg::setup();
  auto member = eg::enroll(setup.issuer, setup.gpk, setup.registry, "alpha");
  require(member.ok(), "cannot enroll the BBS04-ElGamal seed member");
  const Bytes message{'s', 'e', 'e', 'd'};
  const eg::Signature sig = eg::sign(*member, message);
  const Bytes sig_bytes = eg::encode_signature(sig);
  require(eg::decode_signature(sig_bytes).ok(), "the seed BBS04-ElGamal signature does not decode");
  out.write("groupsig_elgamal", "signature", opener_seed(0, sig_bytes));
  const Bytes gpk_bytes = eg::encode_group_key(setup.gpk);
  require(eg::decode_group_key(gpk_bytes).ok(), "the seed BBS04-ElGamal group key does not decode");
  out.write("groupsig_elgamal", "group_key", opener_seed(1, gpk_bytes));
  auto opening = eg::open(eg::PreparedKey(setup.gpk), setup.opener, setup.registry, message, sig);
  require(opening.ok(), "cannot open the seed BBS04-ElGamal signature");
  const Bytes proof_bytes = eg::encode_opening_proof(opening->proof);
  require(eg::decode_opening_proof(proof_bytes).ok(), "the seed opening proof does not decode");
  out.write("groupsig_elgamal", "opening_proof", opener_seed(2, proof_bytes));

  t::OpenerDkgParams params;
  params.trustees.epoch = 1;
  params.trustees.threshold = 3;
  for (std::uint64_t k = 1; k <= 4; ++k) {
    params.trustees.trustee_keys.push_back(crypto::P256Point::base_mul(crypto::P256Scalar::from_u64(k)));
  }
  params.u = bls12_381::G1::generator();
  auto deal = t::make_opener_deal(params, 1);
  require(deal.ok(), "cannot make an opener deal");
  const Bytes deal_bytes = t::encode_opener_deal(params, *deal);
  require(t::decode_opener_deal(params, deal_bytes).ok(), "the seed opener deal does not decode");
  out.write("threshold_opener", "deal", opener_seed(0, deal_bytes));
  t::OpenerDeal legacy = *deal;  // the legacy form (no ephemeral proofs) of older chains
  legacy.box_proofs.clear();
  const Bytes legacy_bytes = t::encode_opener_deal(params, legacy);
  require(t::decode_opener_deal(params, legacy_bytes).ok(), "the seed legacy opener deal does not decode");
  out.write("threshold_opener", "deal_legacy", opener_seed(0, legacy_bytes));
  auto complaint = t::make_opener_complaint(params, *deal, 2, crypto::P256Scalar::from_u64(2));
  require(complaint.ok(), "cannot make an opener complaint");
  const Bytes complaint_bytes = t::encode_opener_complaint(params, *complaint);
  require(t::decode_opener_complaint(params, complaint_bytes).ok(), "the seed opener complaint does not decode");
  out.write("threshold_opener", "complaint", opener_seed(1, complaint_bytes));
  t::OpenerKeyPublic key;
  key.epoch = 1;
  key.threshold = 1;
  key.u = setup.gpk.u;
  key.h = setup.gpk.h;
  key.public_shares = {setup.gpk.h};
  auto partial = t::make_partial_opening(key, 1, setup.opener.xi, t::RequestId{}, sig);
  require(partial.ok(), "cannot make a partial opening");
  const Bytes partial_bytes = t::encode_partial_opening(*partial);
  require(t::decode_partial_opening(partial_bytes).ok(), "the seed partial opening does not decode");
  out.write("threshold_opener", "partial_opening", opener_seed(2, partial_bytes));
  const Bytes evidence_bytes = t::encode_opening_evidence({*partial});
  require(t::decode_opening_evidence(evidence_bytes).ok(), "the seed opening evidence does not decode");
  out.write("threshold_opener", "evidence", opener_seed(3, evidence_bytes));
  const Bytes key_bytes = t::encode_opener_key(key);
  require(t::decode_opener_key(key_bytes).ok(), "the seed opener key does not decode");
  out.write("threshold_opener", "opener_key", opener_seed(4, key_bytes));
}

}  // namespace hc::seeds

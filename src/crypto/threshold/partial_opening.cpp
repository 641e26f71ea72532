#include "crypto/threshold/partial_opening.h"

#include <string>

#include "crypto/groupsig/elgamal_encoding.h"
#include "crypto/groupsig/g1_dleq.h"
#include "crypto/threshold/wire.h"

namespace hc::crypto::threshold {

namespace {

namespace eg = groupsig::elgamal;

std::string partial_opening_trustee(std::uint16_t trustee) { return "trustee " + std::to_string(trustee); }

void append_partial_opening_binding(Bytes& out, const PartialOpening& p) {
  append_tag(out, kPartialOpeningTag);
  append_bytes(out, p.chain_id);
  append_u64_be(out, p.epoch);
  append_bytes(out, p.request_id);
  append_bytes(out, p.signature_digest);
  append_u16_be(out, p.trustee);
}

Bytes partial_opening_context(const OpenerKeyPublic& key, const PartialOpening& p) {
  Bytes context;
  append_tag(context, kPartialOpeningTag);
  append_bytes(context, p.chain_id);
  append_u64_be(context, p.epoch);
  const auto h = key.h.to_compressed();
  append_bytes(context, h);
  append_bytes(context, p.request_id);
  append_bytes(context, p.signature_digest);
  append_u16_be(context, p.trustee);
  return context;
}

}  // namespace

Result<PartialOpening> make_partial_opening(const OpenerKeyPublic& key, std::uint16_t trustee,
                                            const Fr& secret_share, const RequestId& request_id,
                                            const eg::Signature& sig) {
  if (trustee == 0 || trustee > key.public_shares.size()) {
    return invalid_input(partial_opening_trustee(trustee) + " does not exist");
  }
  const G1& public_share = key.public_shares[trustee - 1];
  if (!(key.u.mul_secret(secret_share) == public_share)) {
    return invalid_input("secret share is not " + partial_opening_trustee(trustee) + "'s");
  }
  if (sig.t1.is_identity()) return invalid_input("signature's T1 is the identity");
  PartialOpening p;
  p.chain_id = key.chain_id;
  p.epoch = key.epoch;
  p.request_id = request_id;
  p.signature_digest = eg::signature_digest(sig);
  p.trustee = trustee;
  p.partial = sig.t1.mul_secret(secret_share);
  p.proof = eg::prove_g1_dleq(kPartialOpeningProofDst, partial_opening_context(key, p), key.u, sig.t1,
                              secret_share, public_share, p.partial);
  return p;
}

Status verify_partial_opening(const OpenerKeyPublic& key, const RequestId& request_id,
                              const eg::Signature& sig, const PartialOpening& p) {
  const std::string who = partial_opening_trustee(p.trustee);
  if (p.trustee == 0 || p.trustee > key.public_shares.size()) return invalid_input(who + " does not exist");
  if (p.chain_id != key.chain_id || p.epoch != key.epoch) {
    return invalid_input(who + " answered for another chain or opener key");
  }
  if (p.request_id != request_id) return invalid_input(who + " answered another request");
  if (p.signature_digest != eg::signature_digest(sig)) return invalid_input(who + " opened another signature");
  if (p.partial.is_identity() || sig.t1.is_identity()) {
    return Status::error(ErrorCode::kAuthFailed, who + " sent the identity as its partial opening");
  }
  if (!eg::verify_g1_dleq(kPartialOpeningProofDst, partial_opening_context(key, p), key.u, sig.t1,
                          key.public_shares[p.trustee - 1], p.partial, p.proof)) {
    return Status::error(ErrorCode::kAuthFailed, who + " sent a partial opening whose proof fails");
  }
  return Status::ok_status();
}

Bytes encode_partial_opening(const PartialOpening& p) {
  Bytes out;
  out.reserve(kPartialOpeningBytes);
  append_partial_opening_binding(out, p);
  const auto d = p.partial.to_compressed();
  append_bytes(out, d);
  const auto c = p.proof.c.to_bytes();
  const auto z = p.proof.z.to_bytes();
  append_bytes(out, c);
  append_bytes(out, z);
  return out;
}

Result<PartialOpening> decode_partial_opening(ByteSpan bytes) {
  if (bytes.size() != kPartialOpeningBytes) {
    return invalid_input("partial opening must be " + std::to_string(kPartialOpeningBytes) + " bytes");
  }
  ByteReader reader(bytes);
  HC_RETURN_IF_ERROR(read_tag(reader, kPartialOpeningTag));
  PartialOpening p;
  HC_ASSIGN_OR_RETURN(p.chain_id, reader.array<32>("chain id"));
  HC_ASSIGN_OR_RETURN(p.epoch, reader.u64("epoch"));
  HC_ASSIGN_OR_RETURN(p.request_id, reader.array<32>("request id"));
  HC_ASSIGN_OR_RETURN(p.signature_digest, reader.array<32>("signature digest"));
  HC_ASSIGN_OR_RETURN(p.trustee, reader.u16("trustee"));
  if (p.trustee == 0 || p.trustee > kMaxTrustees) return invalid_input("partial opening: trustee index out of range");
  HC_ASSIGN_OR_RETURN(ByteSpan d, reader.fixed(48, "partial opening"));
  auto partial = G1::from_compressed(d);
  if (!partial.ok()) return partial.status().with_context("partial opening: D");
  if (partial->is_identity()) return invalid_input("partial opening: D is the identity");
  p.partial = *partial;
  HC_ASSIGN_OR_RETURN(ByteSpan c, reader.fixed(32, "proof challenge"));
  HC_ASSIGN_OR_RETURN(ByteSpan z, reader.fixed(32, "proof response"));
  auto c_value = Fr::from_bytes(c);
  if (!c_value.ok()) return c_value.status().with_context("partial opening: proof challenge");
  auto z_value = Fr::from_bytes(z);
  if (!z_value.ok()) return z_value.status().with_context("partial opening: proof response");
  p.proof.c = *c_value;
  p.proof.z = *z_value;
  HC_RETURN_IF_ERROR(reader.expect_end("partial opening"));
  return p;
}

}  // namespace hc::crypto::threshold

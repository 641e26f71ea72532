#include "crypto/threshold/box_ephemeral_proof.h"

#include "crypto/aes_gcm.h"
#include "crypto/p256_kem.h"

namespace hc::crypto::threshold {

Result<ProvenBox> seal_proven_box(std::string_view proof_tag, const P256Point& recipient_key, ByteSpan context,
                                  ByteSpan plaintext) {
  const P256Scalar ephemeral_secret = P256Scalar::random_nonzero();  // wiped by its destructor
  HC_ASSIGN_OR_RETURN(KemEncapsulation kem, kem_encapsulate_with(recipient_key, context, ephemeral_secret));
  HC_ASSIGN_OR_RETURN(Bytes sealed,
                      aes256gcm_seal(kem.key.span(), GcmNonce{}, kem_info(context, kem.ephemeral), plaintext));
  ProvenBox out;
  out.box.assign(kem.ephemeral.begin(), kem.ephemeral.end());
  append_bytes(out.box, sealed);
  const P256Point ephemeral = P256Point::base_mul(ephemeral_secret);
  out.ephemeral_proof =
      prove_dleq(proof_tag, context, P256Point::generator(), ephemeral_secret, ephemeral, ephemeral);
  return out;
}

bool box_ephemeral_proven(std::string_view proof_tag, ByteSpan context, ByteSpan box, const DleqProof& proof) {
  auto ephemeral = box_ephemeral(box);
  if (!ephemeral.ok()) return false;
  return verify_dleq(proof_tag, context, P256Point::generator(), *ephemeral, *ephemeral, proof);
}

}  // namespace hc::crypto::threshold

#include "crypto/p256_kem.h"

#include "crypto/aes_gcm.h"
#include "crypto/hkdf.h"

namespace hc::crypto {

namespace {

Bytes box_aad(ByteSpan context, const P256PointBytes& ephemeral) { return kem_info(context, ephemeral); }

constexpr GcmNonce kZeroNonce{};

Result<SecureBytes> open_with_key(const SecureBytes& key, ByteSpan context, ByteSpan box) {
  P256PointBytes ephemeral{};
  std::copy(box.begin(), box.begin() + kP256PointBytes, ephemeral.begin());
  return aes256gcm_open(key.span(), kZeroNonce, box_aad(context, ephemeral),
                        box.subspan(kP256PointBytes));
}

}  // namespace

Bytes kem_info(ByteSpan context, const P256PointBytes& ephemeral) {
  Bytes info(context.begin(), context.end());
  append_bytes(info, ephemeral);
  return info;
}

Result<SecureBytes> kem_key_from_shared_point(const P256Point& shared, ByteSpan context,
                                              const P256PointBytes& ephemeral) {
  if (shared.is_infinity()) return invalid_input("shared point is the point at infinity");
  auto x = shared.x_coordinate();
  auto key = hkdf_sha256({}, x, kem_info(context, ephemeral), kKemKeyBytes);
  secure_wipe(x.data(), x.size());
  return key;
}

Result<KemEncapsulation> kem_encapsulate_with(const P256Point& recipient, ByteSpan context,
                                              const P256Scalar& ephemeral_secret) {
  if (ephemeral_secret.is_zero()) return invalid_input("ephemeral secret must be non-zero");
  KemEncapsulation out;
  out.ephemeral = P256Point::base_mul(ephemeral_secret).encode();
  HC_ASSIGN_OR_RETURN(out.key, kem_key_from_shared_point(recipient.mul(ephemeral_secret), context,
                                                         out.ephemeral));
  return out;
}

Result<KemEncapsulation> kem_encapsulate(const P256Point& recipient, ByteSpan context) {
  P256Scalar ephemeral_secret = P256Scalar::random_nonzero();
  return kem_encapsulate_with(recipient, context, ephemeral_secret);
}

Result<SecureBytes> kem_decapsulate(const P256Scalar& recipient_secret, ByteSpan context,
                                    ByteSpan ephemeral) {
  HC_ASSIGN_OR_RETURN(P256Point point, P256Point::decode(ephemeral));
  if (recipient_secret.is_zero()) return invalid_input("recipient secret must be non-zero");
  return kem_key_from_shared_point(point.mul(recipient_secret), context, point.encode());
}

Result<Bytes> box_seal(const P256Point& recipient, ByteSpan context, ByteSpan plaintext) {
  HC_ASSIGN_OR_RETURN(KemEncapsulation kem, kem_encapsulate(recipient, context));
  HC_ASSIGN_OR_RETURN(Bytes sealed, aes256gcm_seal(kem.key.span(), kZeroNonce,
                                                   box_aad(context, kem.ephemeral), plaintext));
  Bytes box(kem.ephemeral.begin(), kem.ephemeral.end());
  append_bytes(box, sealed);
  return box;
}

Result<P256Point> box_ephemeral(ByteSpan box) {
  if (box.size() < kBoxOverheadBytes) return invalid_input("sealed box is shorter than 81 bytes");
  return P256Point::decode(box.first(kP256PointBytes));
}

Result<SecureBytes> box_open(const P256Scalar& recipient_secret, ByteSpan context, ByteSpan box) {
  HC_ASSIGN_OR_RETURN(P256Point ephemeral, box_ephemeral(box));
  if (recipient_secret.is_zero()) return invalid_input("recipient secret must be non-zero");
  return box_open_with_shared_point(ephemeral.mul(recipient_secret), context, box);
}

Result<SecureBytes> box_open_with_shared_point(const P256Point& shared, ByteSpan context, ByteSpan box) {
  HC_ASSIGN_OR_RETURN(P256Point ephemeral, box_ephemeral(box));
  HC_ASSIGN_OR_RETURN(SecureBytes key, kem_key_from_shared_point(shared, context, ephemeral.encode()));
  return open_with_key(key, context, box);
}

}  // namespace hc::crypto

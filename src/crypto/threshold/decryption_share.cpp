#include "crypto/threshold/decryption_share.h"

#include <string>

#include "crypto/p256_kem.h"
#include "crypto/threshold/wire.h"

namespace hc::crypto::threshold {

namespace {

constexpr std::string_view kShareTag = "HC-DECRYPTION-SHARE-v1";
constexpr std::string_view kBoxTag = "HC-DECRYPTION-SHARE-BOX-v1";

Bytes binding(std::string_view tag, const ChainId& chain_id, std::uint64_t epoch, const KeyId& key_id,
              const RequestId& request_id, std::uint16_t trustee) {
  Bytes out;
  append_tag(out, tag);
  append_bytes(out, chain_id);
  append_u64_be(out, epoch);
  append_bytes(out, key_id);
  append_bytes(out, request_id);
  append_u16_be(out, trustee);
  return out;
}

Bytes proof_context(const DecryptionShare& share) {
  Bytes context = binding(kShareTag, share.chain_id, share.epoch, share.key_id, share.request_id, share.trustee);
  append_point(context, share.ephemeral);
  return context;
}

std::string trustee_name(std::uint16_t trustee) { return "trustee " + std::to_string(trustee); }

}  // namespace

Result<DecryptionShare> make_decryption_share(const AccessKeyPublic& key, std::uint16_t trustee,
                                              const P256Scalar& secret_share, const RequestId& request_id,
                                              const P256Point& ephemeral) {
  if (trustee == 0 || trustee > key.public_shares.size()) return invalid_input(trustee_name(trustee) + " does not exist");
  if (secret_share.is_zero() || !(P256Point::base_mul(secret_share) == key.public_shares[trustee - 1])) {
    return invalid_input("secret share is not " + trustee_name(trustee) + "'s");
  }
  if (ephemeral.is_infinity()) return invalid_input("record's ephemeral key is the point at infinity");
  DecryptionShare share;
  share.chain_id = key.chain_id;
  share.epoch = key.epoch;
  share.key_id = key.key_id;
  share.request_id = request_id;
  share.trustee = trustee;
  share.ephemeral = ephemeral;
  share.partial = ephemeral.mul(secret_share);
  share.proof = prove_dleq(kShareTag, proof_context(share), ephemeral, secret_share,
                           key.public_shares[trustee - 1], share.partial);
  return share;
}

Status verify_decryption_share(const AccessKeyPublic& key, const RequestId& request_id,
                               const P256Point& ephemeral, const DecryptionShare& share) {
  const std::string who = trustee_name(share.trustee);
  if (share.trustee == 0 || share.trustee > key.public_shares.size()) return invalid_input(who + " does not exist");
  if (share.chain_id != key.chain_id || share.epoch != key.epoch || share.key_id != key.key_id) {
    return invalid_input(who + " answered for another chain or key");
  }
  if (share.request_id != request_id) return invalid_input(who + " answered another request");
  if (!(share.ephemeral == ephemeral)) return invalid_input(who + " answered for another record");
  if (!verify_dleq(kShareTag, proof_context(share), ephemeral, key.public_shares[share.trustee - 1],
                   share.partial, share.proof)) {
    return Status::error(ErrorCode::kAuthFailed, who + " sent a decryption share whose proof fails");
  }
  return Status::ok_status();
}

Bytes encode_decryption_share(const DecryptionShare& share) {
  Bytes out = binding(kShareTag, share.chain_id, share.epoch, share.key_id, share.request_id, share.trustee);
  append_point(out, share.ephemeral);
  append_point(out, share.partial);
  append_dleq(out, share.proof);
  return out;
}

Result<DecryptionShare> decode_decryption_share(ByteSpan bytes) {
  if (bytes.size() != kDecryptionShareBytes) {
    return invalid_input("decryption share must be " + std::to_string(kDecryptionShareBytes) + " bytes");
  }
  ByteReader reader(bytes);
  HC_RETURN_IF_ERROR(read_tag(reader, kShareTag));
  DecryptionShare share;
  HC_ASSIGN_OR_RETURN(share.chain_id, reader.array<32>("chain id"));
  HC_ASSIGN_OR_RETURN(share.epoch, reader.u64("epoch"));
  HC_ASSIGN_OR_RETURN(share.key_id, reader.array<32>("key id"));
  HC_ASSIGN_OR_RETURN(share.request_id, reader.array<32>("request id"));
  HC_ASSIGN_OR_RETURN(share.trustee, reader.u16("trustee"));
  if (share.trustee == 0 || share.trustee > kMaxTrustees) return invalid_input("trustee index out of range");
  HC_ASSIGN_OR_RETURN(share.ephemeral, read_point(reader, "ephemeral key"));
  HC_ASSIGN_OR_RETURN(share.partial, read_point(reader, "partial decryption"));
  HC_ASSIGN_OR_RETURN(share.proof, read_dleq(reader));
  HC_RETURN_IF_ERROR(reader.expect_end("decryption share"));
  return share;
}

Result<Bytes> seal_share_to_requester(const AccessKeyPublic& key, const DecryptionShare& share,
                                      const P256Point& requester_one_time_key) {
  return box_seal(requester_one_time_key,
                  binding(kBoxTag, key.chain_id, key.epoch, key.key_id, share.request_id, share.trustee),
                  encode_decryption_share(share));
}

Result<DecryptionShare> open_share_from_trustee(const AccessKeyPublic& key, const RequestId& request_id,
                                                std::uint16_t trustee, const P256Scalar& requester_secret,
                                                ByteSpan box) {
  if (box.size() != kDecryptionShareBytes + kBoxOverheadBytes) {
    return invalid_input(trustee_name(trustee) + "'s share box has the wrong size");
  }
  auto content = box_open(requester_secret, binding(kBoxTag, key.chain_id, key.epoch, key.key_id, request_id, trustee),
                          box);
  if (!content.ok()) return content.status().with_context(trustee_name(trustee) + "'s share box");
  auto share = decode_decryption_share(content->span());
  if (!share.ok()) return share.status().with_context(trustee_name(trustee));
  if (share->trustee != trustee) return invalid_input(trustee_name(trustee) + " sent another trustee's share");
  return share;
}

}  // namespace hc::crypto::threshold

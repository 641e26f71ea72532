// The boxed member key of a kind-25 enrollment: its context, sealing and opening.
#include "chain/enrollment_box.h"

#include "chain/codec.h"
#include "chain/digest.h"
#include "common/check.h"
#include "crypto/p256_kem.h"

namespace hc::chain {

Bytes enrollment_box_context(const EnrollmentTx& e) {
  HC_CHECK(e.boxed.has_value());
  const BoxedMemberKey& b = *e.boxed;
  Bytes out;
  append_u8(out, static_cast<std::uint8_t>(kEnrollmentBoxTag.size()));
  append_bytes(out, bytes_of(kEnrollmentBoxTag));
  append_bytes(out, b.chain_id);
  append_u32_be(out, b.member_id);
  append_u64_be(out, b.group_epoch);
  append_u8(out, static_cast<std::uint8_t>(e.member_name.size()));
  append_bytes(out, bytes_of(e.member_name));
  append_bytes(out, b.recipient_key);
  append_bytes(out, sha256(e.registry_entry));
  return out;
}

Status seal_member_key(EnrollmentTx& e, ByteSpan member_key) {
  if (!e.boxed) return invalid_input("enrollment: no boxed member key to fill");
  if (member_key.empty() || member_key.size() + crypto::kBoxOverheadBytes > kMaxMemberKeyBoxBytes) {
    return invalid_input("enrollment: the member key must be 1.." +
                         std::to_string(kMaxMemberKeyBoxBytes - crypto::kBoxOverheadBytes) + " bytes");
  }
  auto recipient = crypto::P256Point::decode(e.boxed->recipient_key);
  if (!recipient.ok()) return recipient.status().with_context("enrollment: recipient key");
  HC_ASSIGN_OR_RETURN(e.boxed->box, crypto::box_seal(*recipient, enrollment_box_context(e), member_key));
  return Status();
}

Result<SecureBytes> open_member_key(const EnrollmentTx& e, const crypto::P256Scalar& recipient_secret) {
  if (!e.boxed) return invalid_input("enrollment: this enrollment carries no boxed member key");
  return crypto::box_open(recipient_secret, enrollment_box_context(e), e.boxed->box);
}

}  // namespace hc::chain

#include "crypto/threshold/wire.h"

namespace hc::crypto::threshold {

void append_tag(Bytes& out, std::string_view tag) { append_length_prefixed(out, as_bytes(tag)); }

void append_point(Bytes& out, const P256Point& point) { append_bytes(out, point.encode()); }

void append_scalar(Bytes& out, const P256Scalar& scalar) { append_bytes(out, scalar.bytes()); }

Status read_tag(ByteReader& reader, std::string_view tag) {
  HC_ASSIGN_OR_RETURN(std::uint32_t length, reader.u32("domain tag length"));
  if (length != tag.size()) return invalid_input(std::string("expected domain tag ") + std::string(tag));
  HC_ASSIGN_OR_RETURN(ByteSpan raw, reader.fixed(length, "domain tag"));
  if (!std::equal(raw.begin(), raw.end(), as_bytes(tag).begin())) {
    return invalid_input(std::string("expected domain tag ") + std::string(tag));
  }
  return Status::ok_status();
}

Result<P256Point> read_point(ByteReader& reader, std::string_view field) {
  HC_ASSIGN_OR_RETURN(ByteSpan raw, reader.fixed(kP256PointBytes, field));
  auto point = P256Point::decode(raw);
  if (!point.ok()) return point.status().with_context(std::string(field));
  return point;
}

Result<P256Scalar> read_scalar(ByteReader& reader, std::string_view field) {
  HC_ASSIGN_OR_RETURN(ByteSpan raw, reader.fixed(kP256ScalarBytes, field));
  auto scalar = P256Scalar::from_bytes(raw);
  if (!scalar.ok()) return scalar.status().with_context(std::string(field));
  return scalar;
}

}  // namespace hc::crypto::threshold

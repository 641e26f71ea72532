// Shared pieces of the threshold messages' canonical encodings: a length-prefixed domain tag
// that must match exactly, 65-byte points and 32-byte scalars (docs/threshold.md,
// "Encodings"). Readers return kInvalidInput naming the field. Pure functions, thread-safe.
#pragma once

#include <string_view>

#include "common/byte_reader.h"
#include "common/bytes.h"
#include "common/status.h"
#include "crypto/p256.h"

namespace hc::crypto::threshold {

void append_tag(Bytes& out, std::string_view tag);
void append_point(Bytes& out, const P256Point& point);
void append_scalar(Bytes& out, const P256Scalar& scalar);

Status read_tag(ByteReader& reader, std::string_view tag);
Result<P256Point> read_point(ByteReader& reader, std::string_view field);
Result<P256Scalar> read_scalar(ByteReader& reader, std::string_view field);

}  // namespace hc::crypto::threshold

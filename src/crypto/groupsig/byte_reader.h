// The module's view of the common bounds-checked cursor (common/byte_reader.h): its
// header, member names and group elements on top, and the matching appenders for the encoders. Every failed read returns kInvalidInput naming the
// field. Group elements go through the pairing library's decoders, so every point read here
// is on its curve and in the prime-order subgroup; scalars >= r are rejected.
// Not thread-safe (a cursor); each decoder uses its own.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/byte_reader.h"
#include "common/bytes.h"
#include "common/status.h"
#include "crypto/groupsig/params.h"
#include "crypto/groupsig/types.h"

namespace hc::groupsig {

class ByteReader {
 public:
  // `what` names the structure in error messages ("signature", "registry", ...).
  ByteReader(ByteSpan data, std::string_view what) : reader_(data), what_(what) {}

  // Checks the magic, kind and version.
  Status header(Kind kind);
  Result<std::uint8_t> u8(std::string_view field);
  Result<std::uint16_t> u16(std::string_view field);
  Result<std::uint32_t> u32(std::string_view field);
  Result<std::uint64_t> u64(std::string_view field);
  Result<ByteSpan> bytes(std::size_t n, std::string_view field);
  // A u32 length and that many bytes; the length must not exceed max_bytes.
  Result<ByteSpan> length_prefixed(std::size_t max_bytes, std::string_view field);
  // A u8 length and a member name (checked with check_member_name).
  Result<std::string> name(std::string_view field);
  Result<G1> g1(std::string_view field);
  // Consumes a G1 point's 48 bytes as g1() does, but takes the result of decoding them from
  // `decoded` (the same bytes decoded earlier, e.g. by g1_from_compressed_batch_vartime).
  Result<G1> g1_decoded(std::string_view field, const Result<G1>& decoded);
  Result<G2> g2(std::string_view field);
  Result<Fr> fr(std::string_view field);
  // kInvalidInput unless every byte was consumed.
  Status finish();
  std::size_t remaining() const { return reader_.remaining(); }

 private:
  Status error(std::string_view field, std::string_view reason) const;
  // The common reader fails only on truncation; restates it in this module's message form.
  template <typename T>
  Result<T> named(Result<T> r, std::string_view field) const {
    if (!r.ok()) return error(field, "truncated");
    return r;
  }
  hc::ByteReader reader_;
  std::string what_;
};

void append_header(Bytes& out, Kind kind);
void append_name(Bytes& out, std::string_view name);
void append_g1(Bytes& out, const G1& p);
void append_g2(Bytes& out, const G2& p);
void append_fr(Bytes& out, const Fr& k);

// 1..kMaxNameBytes bytes from [A-Za-z0-9._-], not starting with '.'.
Status check_member_name(std::string_view name);

}  // namespace hc::groupsig

#include "common/byte_reader.h"

#include <string>

namespace hc {

Result<ByteSpan> ByteReader::fixed(std::size_t size, std::string_view field) {
  if (remaining() < size) return invalid_input("truncated at " + std::string(field));
  ByteSpan out = data_.subspan(pos_, size);
  pos_ += size;
  return out;
}

Result<std::uint64_t> ByteReader::big_endian(std::size_t size, std::string_view field) {
  HC_ASSIGN_OR_RETURN(ByteSpan raw, fixed(size, field));
  std::uint64_t v = 0;
  for (std::uint8_t b : raw) v = (v << 8) | b;
  return v;
}

Result<std::uint8_t> ByteReader::u8(std::string_view field) {
  HC_ASSIGN_OR_RETURN(std::uint64_t v, big_endian(1, field));
  return static_cast<std::uint8_t>(v);
}

Result<std::uint16_t> ByteReader::u16(std::string_view field) {
  HC_ASSIGN_OR_RETURN(std::uint64_t v, big_endian(2, field));
  return static_cast<std::uint16_t>(v);
}

Result<std::uint32_t> ByteReader::u32(std::string_view field) {
  HC_ASSIGN_OR_RETURN(std::uint64_t v, big_endian(4, field));
  return static_cast<std::uint32_t>(v);
}

Result<std::uint64_t> ByteReader::u64(std::string_view field) { return big_endian(8, field); }

Status ByteReader::expect_end(std::string_view what) const {
  if (remaining() != 0) {
    return invalid_input(std::string(what) + ": " + std::to_string(remaining()) +
                         " trailing bytes");
  }
  return Status();
}

}  // namespace hc

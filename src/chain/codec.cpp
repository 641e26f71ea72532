#include "chain/codec.h"

#include <string>

namespace hc::chain {

namespace {
Status truncated(std::string_view field) {
  return invalid_input("truncated at " + std::string(field));
}
}  // namespace

Result<ByteSpan> Reader::fixed(std::size_t size, std::string_view field) {
  if (remaining() < size) return truncated(field);
  ByteSpan out = data_.subspan(pos_, size);
  pos_ += size;
  return out;
}

Result<std::uint8_t> Reader::u8(std::string_view field) {
  HC_ASSIGN_OR_RETURN(ByteSpan raw, fixed(1, field));
  return raw[0];
}

Result<std::uint16_t> Reader::u16(std::string_view field) {
  HC_ASSIGN_OR_RETURN(ByteSpan raw, fixed(2, field));
  return static_cast<std::uint16_t>((raw[0] << 8) | raw[1]);
}

Result<std::uint32_t> Reader::u32(std::string_view field) {
  HC_ASSIGN_OR_RETURN(ByteSpan raw, fixed(4, field));
  std::uint32_t v = 0;
  for (std::uint8_t b : raw) v = (v << 8) | b;
  return v;
}

Result<std::uint64_t> Reader::u64(std::string_view field) {
  HC_ASSIGN_OR_RETURN(ByteSpan raw, fixed(8, field));
  std::uint64_t v = 0;
  for (std::uint8_t b : raw) v = (v << 8) | b;
  return v;
}

Result<Bytes> Reader::bounded(std::size_t length, std::size_t min_size, std::size_t max_size,
                              std::string_view field) {
  if (length > max_size) {
    return Status::error(ErrorCode::kTooLarge, std::string(field) + " is longer than " +
                                                   std::to_string(max_size) + " bytes");
  }
  if (length < min_size) {
    return invalid_input(std::string(field) + " is shorter than " + std::to_string(min_size) +
                         " bytes");
  }
  HC_ASSIGN_OR_RETURN(ByteSpan raw, fixed(length, field));
  return Bytes(raw.begin(), raw.end());
}

Result<Bytes> Reader::bytes8(std::size_t min_size, std::size_t max_size, std::string_view field) {
  HC_ASSIGN_OR_RETURN(std::uint8_t len, u8(field));
  return bounded(len, min_size, max_size, field);
}

Result<Bytes> Reader::bytes16(std::size_t min_size, std::size_t max_size,
                              std::string_view field) {
  HC_ASSIGN_OR_RETURN(std::uint16_t len, u16(field));
  return bounded(len, min_size, max_size, field);
}

Result<Bytes> Reader::bytes32(std::size_t min_size, std::size_t max_size,
                              std::string_view field) {
  HC_ASSIGN_OR_RETURN(std::uint32_t len, u32(field));
  return bounded(len, min_size, max_size, field);
}

Status Reader::expect_tag(std::string_view tag, std::string_view what) {
  HC_ASSIGN_OR_RETURN(ByteSpan raw, fixed(tag.size(), what));
  for (std::size_t i = 0; i < tag.size(); ++i) {
    if (raw[i] != static_cast<std::uint8_t>(tag[i])) {
      return invalid_input(std::string(what) + ": wrong domain tag");
    }
  }
  return Status();
}

Status Reader::finish(std::string_view what) const {
  if (remaining() != 0) {
    return invalid_input(std::string(what) + ": " + std::to_string(remaining()) +
                         " trailing bytes");
  }
  return Status();
}

namespace {
// Length of the UTF-8 sequence starting with `lead`, or 0 if `lead` cannot start one.
std::size_t utf8_length(std::uint8_t lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

bool valid_multibyte(const std::uint8_t* p, std::size_t len) {
  for (std::size_t k = 1; k < len; ++k) {
    if ((p[k] & 0xC0) != 0x80) return false;
  }
  if (len == 3) {
    if (p[0] == 0xE0 && p[1] < 0xA0) return false;   // overlong
    if (p[0] == 0xED && p[1] >= 0xA0) return false;  // surrogates
  }
  if (len == 4) {
    if (p[0] == 0xF0 && p[1] < 0x90) return false;   // overlong
    if (p[0] == 0xF4 && p[1] >= 0x90) return false;  // above U+10FFFF
  }
  return true;
}
}  // namespace

bool is_printable_utf8(std::string_view text) {
  const auto* p = reinterpret_cast<const std::uint8_t*>(text.data());
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t len = utf8_length(p[i]);
    if (len == 0 || i + len > text.size()) return false;
    if (len == 1) {
      std::uint8_t c = p[i];
      if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) return false;
    } else if (!valid_multibyte(p + i, len)) {
      return false;
    }
    i += len;
  }
  return true;
}

}  // namespace hc::chain

#include "chain/codec.h"

#include <string>

#include "common/utf8.h"

namespace hc::chain {

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

bool is_printable_utf8(std::string_view text) {
  if (!is_valid_utf8(text)) return false;
  // In valid UTF-8 every byte below 0x80 is a whole ASCII character.
  for (char ch : text) {
    const auto c = static_cast<std::uint8_t>(ch);
    if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7F) return false;
  }
  return true;
}

}  // namespace hc::chain

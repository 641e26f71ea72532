#include "crypto/groupsig/byte_reader.h"

#include <fmt/format.h>

namespace hc::groupsig {

Status ByteReader::error(std::string_view field, std::string_view reason) const {
  return invalid_input(fmt::format("{}: {}: {}", what_, field, reason));
}

Status ByteReader::header(Kind kind) {
  HC_ASSIGN_OR_RETURN(ByteSpan magic, bytes(kMagic.size(), "magic"));
  if (std::string_view(reinterpret_cast<const char*>(magic.data()), magic.size()) != kMagic) {
    return error("magic", "not a Healthchain group-signature encoding");
  }
  HC_ASSIGN_OR_RETURN(std::uint8_t k, u8("kind"));
  if (k != static_cast<std::uint8_t>(kind)) {
    return error("kind", fmt::format("expected kind {}, found {}",
                                     static_cast<unsigned>(kind), static_cast<unsigned>(k)));
  }
  HC_ASSIGN_OR_RETURN(std::uint8_t version, u8("version"));
  if (version != kEncodingVersion) {
    return error("version", fmt::format("unsupported version {}", static_cast<unsigned>(version)));
  }
  return Status::ok_status();
}

Result<ByteSpan> ByteReader::bytes(std::size_t n, std::string_view field) {
  return named(reader_.fixed(n, field), field);
}

Result<std::uint8_t> ByteReader::u8(std::string_view field) {
  return named(reader_.u8(field), field);
}

Result<std::uint16_t> ByteReader::u16(std::string_view field) {
  return named(reader_.u16(field), field);
}

Result<std::uint32_t> ByteReader::u32(std::string_view field) {
  return named(reader_.u32(field), field);
}

Result<std::uint64_t> ByteReader::u64(std::string_view field) {
  return named(reader_.u64(field), field);
}

Result<ByteSpan> ByteReader::length_prefixed(std::size_t max_bytes, std::string_view field) {
  HC_ASSIGN_OR_RETURN(std::uint32_t n, u32(field));
  if (n > max_bytes) return error(field, fmt::format("length {} exceeds {}", n, max_bytes));
  return bytes(n, field);
}

Result<std::string> ByteReader::name(std::string_view field) {
  HC_ASSIGN_OR_RETURN(std::uint8_t n, u8(field));
  HC_ASSIGN_OR_RETURN(ByteSpan b, bytes(n, field));
  std::string s(reinterpret_cast<const char*>(b.data()), b.size());
  Status st = check_member_name(s);
  if (!st.ok()) return error(field, st.message());
  return s;
}

Result<G1> ByteReader::g1(std::string_view field) {
  HC_ASSIGN_OR_RETURN(ByteSpan b, bytes(kG1Bytes, field));
  Result<G1> p = G1::from_compressed(b);
  if (!p.ok()) return error(field, p.status().message());
  return p;
}

Result<G1> ByteReader::g1_decoded(std::string_view field, const Result<G1>& decoded) {
  HC_ASSIGN_OR_RETURN(ByteSpan b, bytes(kG1Bytes, field));
  (void)b;
  if (!decoded.ok()) return error(field, decoded.status().message());
  return decoded;
}

Result<G2> ByteReader::g2(std::string_view field) {
  HC_ASSIGN_OR_RETURN(ByteSpan b, bytes(kG2Bytes, field));
  Result<G2> p = G2::from_compressed(b);
  if (!p.ok()) return error(field, p.status().message());
  return p;
}

Result<Fr> ByteReader::fr(std::string_view field) {
  HC_ASSIGN_OR_RETURN(ByteSpan b, bytes(kFrBytes, field));
  Result<Fr> k = Fr::from_bytes(b);
  if (!k.ok()) return error(field, k.status().message());
  return k;
}

Status ByteReader::finish() {
  if (remaining() != 0) {
    return error("end", fmt::format("{} trailing bytes", remaining()));
  }
  return Status::ok_status();
}

void append_header(Bytes& out, Kind kind) {
  append_bytes(out, as_bytes(kMagic));
  append_u8(out, static_cast<std::uint8_t>(kind));
  append_u8(out, kEncodingVersion);
}

void append_name(Bytes& out, std::string_view name) {
  HC_CHECK(name.size() <= kMaxNameBytes);
  append_u8(out, static_cast<std::uint8_t>(name.size()));
  append_bytes(out, as_bytes(name));
}

void append_g1(Bytes& out, const G1& p) {
  auto b = p.to_compressed();
  append_bytes(out, b);
}

void append_g2(Bytes& out, const G2& p) {
  auto b = p.to_compressed();
  append_bytes(out, b);
}

void append_fr(Bytes& out, const Fr& k) {
  auto b = k.to_bytes();
  append_bytes(out, b);
}

Status check_member_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameBytes) {
    return invalid_input(fmt::format("member name must be 1..{} bytes", kMaxNameBytes));
  }
  if (name[0] == '.') return invalid_input("member name must not start with '.'");
  for (char ch : name) {
    bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '.' || ch == '_' || ch == '-';
    if (!ok) return invalid_input("member name may only contain A-Z a-z 0-9 . _ -");
  }
  return Status::ok_status();
}

}  // namespace hc::groupsig

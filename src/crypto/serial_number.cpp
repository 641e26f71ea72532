#include "crypto/serial_number.h"

#include "common/bytes.h"
#include "common/file_io.h"
#include "common/utf8.h"
#include "crypto/hash.h"

namespace hc::crypto {

namespace {

constexpr std::string_view kSerialTag = "HC-SERIAL-v1";
constexpr std::string_view kKeyCheckTag = "HC-PSEUDONYM-KEY-CHECK-v1";

// Wipes the normalized name or ID (patient data) when it goes out of scope.
struct WipeOnExit {
  std::string& s;
  ~WipeOnExit() { secure_wipe(s.data(), s.size()); }
};

bool is_ascii_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

Status check_text(std::string_view s, const char* what) {
  if (!is_valid_utf8(s)) return invalid_input(std::string(what) + " is not valid UTF-8");
  for (unsigned char c : s) {
    if ((c < 0x20 && !is_ascii_space(c)) || c == 0x7f) {
      return invalid_input(std::string(what) + " contains a control character");
    }
  }
  return Status::ok_status();
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_ascii_space(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<std::string> normalize_name(std::string_view name) {
  HC_RETURN_IF_ERROR(check_text(name, "name"));
  std::string out;
  out.reserve(name.size());  // no reallocation: no unwiped copy of the name left behind
  bool in_space = false;
  for (char ch : trim(name)) {
    unsigned char c = static_cast<unsigned char>(ch);
    if (is_ascii_space(c)) {
      in_space = true;
      continue;
    }
    if (in_space) out.push_back(' ');
    in_space = false;
    out.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : ch);
  }
  if (out.empty()) return invalid_input("name is empty");
  if (out.size() > kMaxNameBytes) return invalid_input("name is longer than 512 bytes");
  return out;
}

Result<std::string> normalize_id(std::string_view id) {
  HC_RETURN_IF_ERROR(check_text(id, "id"));
  std::string out;
  out.reserve(id.size());
  for (char ch : trim(id)) {
    unsigned char c = static_cast<unsigned char>(ch);
    out.push_back((c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : ch);
  }
  if (out.empty()) return invalid_input("id is empty");
  if (out.size() > kMaxIdBytes) return invalid_input("id is longer than 128 bytes");
  return out;
}

Result<SerialNumber> compute_serial(ByteSpan pseudonym_key, std::string_view name,
                                    std::string_view id) {
  if (pseudonym_key.size() != kPseudonymKeyBytes) {
    return invalid_input("pseudonym key must be 32 bytes");
  }
  HC_ASSIGN_OR_RETURN(std::string norm_name, normalize_name(name));
  WipeOnExit wipe_name{norm_name};
  HC_ASSIGN_OR_RETURN(std::string norm_id, normalize_id(id));
  WipeOnExit wipe_id{norm_id};
  Bytes msg;
  msg.reserve(3 * 4 + kSerialTag.size() + norm_name.size() + norm_id.size());
  append_length_prefixed(msg, as_bytes(kSerialTag));
  append_length_prefixed(msg, as_bytes(norm_name));
  append_length_prefixed(msg, as_bytes(norm_id));
  SerialNumber serial = hmac_sha256(pseudonym_key, msg);
  secure_wipe(msg.data(), msg.size());
  return serial;
}

Result<PseudonymKeyCheck> pseudonym_key_check(ByteSpan pseudonym_key, std::string_view chain_name) {
  if (pseudonym_key.size() != kPseudonymKeyBytes) return invalid_input("pseudonym key must be 32 bytes");
  Bytes msg;
  append_length_prefixed(msg, as_bytes(kKeyCheckTag));
  append_length_prefixed(msg, as_bytes(chain_name));
  return hmac_sha256(pseudonym_key, msg);
}

Result<SecureBytes> load_pseudonym_key(const std::filesystem::path& path) {
  HC_ASSIGN_OR_RETURN(SecureBytes text, read_secret_file(path, 256));
  std::string_view hex = text.view();
  if (!hex.empty() && hex.back() == '\n') hex.remove_suffix(1);
  if (hex.size() != 2 * kPseudonymKeyBytes) {
    return invalid_input("pseudonym key file " + path.string() + " must hold 64 hex digits");
  }
  auto bytes = from_hex(hex);
  if (!bytes.ok()) {
    return invalid_input("pseudonym key file " + path.string() + " is not hex");
  }
  SecureBytes key(bytes->data(), bytes->size());
  secure_wipe(bytes->data(), bytes->size());
  return key;
}

Status write_new_pseudonym_key(const std::filesystem::path& path) {
  SecureBytes key(kPseudonymKeyBytes);
  random_bytes({key.data(), key.size()});
  std::string hex = to_hex(key.span()) + "\n";
  Status s = write_text_file_atomic(path, hex, 0600);
  secure_wipe(hex.data(), hex.size());
  return s;
}

Result<SerialNumber> parse_serial_hex(std::string_view hex) {
  auto bytes = from_hex(hex);
  if (!bytes.ok() || bytes->size() != 32) {
    return invalid_input("serial number must be 64 hex digits");
  }
  SerialNumber serial{};
  std::copy(bytes->begin(), bytes->end(), serial.begin());
  return serial;
}

}  // namespace hc::crypto

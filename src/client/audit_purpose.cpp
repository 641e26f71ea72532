#include "client/audit_purpose.h"

#include <string>

#include "chain/limits.h"
#include "common/utf8.h"

namespace hc::client {

namespace {

// True for U+0080..U+009F, which UTF-8 writes as 0xC2 0x80..0x9F.
bool is_c1_at(std::string_view s, std::size_t i) {
  return static_cast<unsigned char>(s[i]) == 0xC2 && i + 1 < s.size() &&
         static_cast<unsigned char>(s[i + 1]) >= 0x80 && static_cast<unsigned char>(s[i + 1]) <= 0x9F;
}

}  // namespace

Status check_audit_purpose(std::string_view purpose) {
  if (purpose.size() > chain::kMaxAuditPurposeBytes) {
    return Status::error(ErrorCode::kTooLarge, "--purpose is longer than " +
                                                   std::to_string(chain::kMaxAuditPurposeBytes) + " bytes");
  }
  if (!is_valid_utf8(purpose)) return invalid_input("--purpose is not valid UTF-8");
  bool blank = true;
  for (std::size_t i = 0; i < purpose.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(purpose[i]);
    if (c < 0x20 || c == 0x7f || is_c1_at(purpose, i)) {
      return invalid_input("--purpose contains a control character");
    }
    if (c != ' ') blank = false;
  }
  if (blank) return invalid_input("--purpose is required: say why the records are accessed (it is recorded on the chain)");
  return Status::ok_status();
}

}  // namespace hc::client

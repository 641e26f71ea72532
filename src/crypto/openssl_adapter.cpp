#include "crypto/openssl_adapter.h"

#include <openssl/err.h>

namespace hc::crypto {

Status openssl_error(ErrorCode code, const std::string& what) {
  unsigned long err = ERR_peek_last_error();
  std::string detail;
  if (err != 0) {
    char buf[256];
    ERR_error_string_n(err, buf, sizeof buf);
    detail = std::string(" (") + buf + ")";
  }
  ERR_clear_error();
  return Status::error(code, what + detail);
}

void clear_openssl_errors() { ERR_clear_error(); }

}  // namespace hc::crypto

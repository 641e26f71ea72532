#include "common/status.h"

#include <cstdio>

namespace hc {

namespace detail {
void check_failed(const char* expr, const char* file, int line) {
  std::fprintf(stderr, "internal invariant violated: %s at %s:%d\n", expr, file, line);
  std::fflush(stderr);
  std::abort();
}
}  // namespace detail

const char* error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidInput: return "invalid input";
    case ErrorCode::kTooLarge: return "too large";
    case ErrorCode::kNotFound: return "not found";
    case ErrorCode::kAuthFailed: return "authentication failed";
    case ErrorCode::kAlreadyExists: return "already exists";
    case ErrorCode::kIo: return "i/o error";
    case ErrorCode::kCorrupt: return "corrupt data";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kInternal: return "internal error";
  }
  return "unknown error";
}

std::string Status::to_string() const {
  if (ok()) return "ok";
  return std::string(error_code_name(error_->code)) + ": " + error_->message;
}

Status Status::with_context(const std::string& context) const {
  if (ok()) return *this;
  return Status(error_->code, context + ": " + error_->message);
}

}  // namespace hc

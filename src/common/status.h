// Status and Result<T>: how every module reports failure across its boundary.
//
// A Status is either ok or an error with a code and a one-line human-readable message.
// Result<T> holds a T on success or a non-ok Status on failure. No exceptions cross module
// boundaries; callers must check ok() before value(). Both types are plain values and are
// safe to move between threads; they hold no shared state.
#pragma once

#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "common/check.h"

namespace hc {

// Broad error classes. `kInvalidInput` is "the caller or a peer sent something malformed or
// unacceptable" and is kept apart from local failures (`kIo`, `kInternal`), so that callers
// can blame a peer or show the user a 4xx without confusing it with a local fault.
enum class ErrorCode {
  kInvalidInput,   // malformed or out-of-range input; the sender is at fault
  kTooLarge,       // input exceeds a documented size limit
  kNotFound,       // a named thing (file, key id, member) does not exist
  kAuthFailed,     // a signature, MAC, tag or passphrase check failed
  kAlreadyExists,  // refused to overwrite or duplicate
  kIo,             // local file system or device failure
  kCorrupt,        // local stored data is inconsistent
  kUnavailable,    // a remote party could not be reached
  kInternal,       // a bug or an unexpected library failure
};

const char* error_code_name(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // ok
  static Status ok_status() { return Status(); }
  static Status error(ErrorCode code, std::string message) {
    return Status(code, std::move(message));
  }

  bool ok() const { return !error_.has_value(); }
  ErrorCode code() const {
    HC_CHECK(error_.has_value());
    return error_->code;
  }
  const std::string& message() const {
    HC_CHECK(error_.has_value());
    return error_->message;
  }
  // "ok" or "<code name>: <message>".
  std::string to_string() const;

  // Returns a copy whose message is "<context>: <message>"; ok stays ok.
  Status with_context(const std::string& context) const;

 private:
  struct Error {
    ErrorCode code;
    std::string message;
  };
  Status(ErrorCode code, std::string message) : error_(Error{code, std::move(message)}) {}
  std::optional<Error> error_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    HC_CHECK(!std::get<Status>(v_).ok());
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & {
    HC_CHECK(ok());
    return std::get<T>(v_);
  }
  const T& value() const& {
    HC_CHECK(ok());
    return std::get<T>(v_);
  }
  T&& value() && {
    HC_CHECK(ok());
    return std::get<T>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

inline Status invalid_input(std::string message) {
  return Status::error(ErrorCode::kInvalidInput, std::move(message));
}

}  // namespace hc

// Propagates a non-ok Status (or the Status of a failed Result) to the caller.
#define HC_RETURN_IF_ERROR(expr)                  \
  do {                                            \
    auto hc_status_tmp_ = (expr);                 \
    if (!hc_status_tmp_.ok()) {                   \
      return ::hc::detail::to_status(hc_status_tmp_); \
    }                                             \
  } while (0)

#define HC_CONCAT_INNER_(a, b) a##b
#define HC_CONCAT_(a, b) HC_CONCAT_INNER_(a, b)
// HC_ASSIGN_OR_RETURN(auto x, make_x()): binds the value or returns the error.
#define HC_ASSIGN_OR_RETURN(lhs, expr) \
  HC_ASSIGN_OR_RETURN_IMPL_(HC_CONCAT_(hc_result_, __LINE__), lhs, expr)
#define HC_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()

namespace hc::detail {
inline Status to_status(const Status& s) { return s; }
template <typename T>
Status to_status(const Result<T>& r) {
  return r.status();
}
}  // namespace hc::detail

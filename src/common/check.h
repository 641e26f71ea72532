// HC_CHECK: invariant assertions that are never compiled out.
//
// Use for conditions that can only fail through a bug in our own code. Never use it to
// validate input (a peer's message, a file, a user's flag): return a Status instead.
// On failure it prints the expression and location to stderr and aborts the process.
#pragma once

namespace hc::detail {
[[noreturn]] void check_failed(const char* expr, const char* file, int line);
}  // namespace hc::detail

#define HC_CHECK(cond)                                          \
  do {                                                          \
    if (!(cond)) [[unlikely]] {                                 \
      ::hc::detail::check_failed(#cond, __FILE__, __LINE__);    \
    }                                                           \
  } while (0)

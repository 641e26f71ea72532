// What the harnesses share: a check that stops the fuzzer with a one-line reason when a
// property fails (libFuzzer then saves the input as a crash), and a span over its input.
// Harness-only code; never linked into a production library.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "common/bytes.h"

namespace hc::fuzz {

[[noreturn]] inline void property_failed(const char* what, const char* file, int line) {
  std::fprintf(stderr, "fuzz property failed: %s (%s:%d)\n", what, file, line);
  std::abort();
}

inline ByteSpan input(const std::uint8_t* data, std::size_t size) { return ByteSpan(data, size); }

}  // namespace hc::fuzz

// Aborts (so libFuzzer reports the input) when `cond` is false.
#define HC_FUZZ_CHECK(cond) \
  do { \
    if (!(cond)) ::hc::fuzz::property_failed(#cond, __FILE__, __LINE__); \
  } while (0)

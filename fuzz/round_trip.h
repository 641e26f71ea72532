// The property most harnesses check: a decoder that accepts bytes must give a value that the
// matching encoder turns back into exactly those bytes (one canonical encoding per value).
// Harness-only code.
#pragma once
#include <algorithm>

#include "check.h"

namespace hc::fuzz {

// Decodes `in`; if that succeeds, checks encode(value) == in and returns true.
template <typename Decode, typename Encode>
bool decodes_canonically(ByteSpan in, Decode decode, Encode encode) {
  auto value = decode(in);
  if (!value.ok()) return false;
  const auto again = encode(value.value());
  HC_FUZZ_CHECK(again.size() == in.size() && std::equal(again.begin(), again.end(), in.begin()));
  return true;
}

}  // namespace hc::fuzz

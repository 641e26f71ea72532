// Strict UTF-8 validation (RFC 3629): rejects overlong forms, surrogates, code points above
// U+10FFFF and truncated sequences. Pure, thread-safe.
#pragma once

#include <string_view>

namespace hc {

bool is_valid_utf8(std::string_view s);

}  // namespace hc

// A cheap guard against deeply nested JSON (issue 12, item 5): a request body is scanned for
// its nesting depth before any JSON parser sees it, stopping at the first byte past the
// limit, so a 2 MiB body of brackets costs microseconds instead of a recursive parse.
// The scan understands strings and escapes well enough that brackets inside strings do not
// count; it does not validate JSON (the parser does that afterwards). Pure, thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

namespace hc::node {

// The API's bound: no request body of ours nests deeper than a few levels.
inline constexpr std::size_t kMaxJsonNestingDepth = 32;

// True when no array or object in `text` is nested more than max_depth levels deep.
bool json_nesting_within(std::string_view text, std::size_t max_depth);

}  // namespace hc::node

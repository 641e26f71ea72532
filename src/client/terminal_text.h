// Text from the chain or from a payload, made safe to print on a terminal. A diagnosis, an
// audit purpose or a member name may hold newlines, ANSI escape sequences or bidirectional
// overrides that would forge table rows or hide text; every human-readable output of `hc`
// passes such text through for_terminal(). JSON output needs no escaping (the JSON encoder
// escapes control characters). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace hc::client {

// Returns `text` with every character that could change what the terminal shows replaced by
// a visible escape: backslash as "\\", newline/tab/CR as "\n"/"\t"/"\r", other C0 controls and
// DEL as "\xNN", C1 controls and the bidirectional formatting characters (U+061C, U+200E,
// U+200F, U+202A..U+202E, U+2066..U+2069) as "\u{...}" (the code point in hex), and bytes that are not valid UTF-8
// as "\xNN". Everything else is copied unchanged.
std::string for_terminal(std::string_view text);

}  // namespace hc::client

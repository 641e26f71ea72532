// JSON from outside (FHIR files, visit payloads, node answers, visit files) parsed with a bound
// on its nesting depth: the text is scanned first (linear, no recursion) and refused when
// arrays and objects nest deeper than the bound, so no later step (parsing, canonical dumps,
// checks that walk the tree, destruction) meets a tree deep enough to exhaust the stack or
// to make indented output grow quadratically. Header-only; pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>

#include "common/secure_bytes.h"
#include "common/status.h"

namespace hc::crypto {

// The nesting bound for every JSON document that comes from outside.
inline constexpr std::size_t kMaxJsonDepth = 64;

// True when no array or object in `text` is nested more than `max_depth` levels deep
// (brackets inside strings are not counted). Does not check that `text` is valid JSON.
inline bool json_depth_within(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return true;
}

// Parses `text` as JSON. kInvalidInput "<what> nests deeper than 64 levels" or "<what> is not
// valid JSON".
inline Result<nlohmann::json> parse_bounded_json(std::string_view text, const std::string& what,
                                                 std::size_t max_depth = kMaxJsonDepth) {
  if (!json_depth_within(text, max_depth)) {
    return invalid_input(what + " nests deeper than " + std::to_string(max_depth) + " levels");
  }
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return invalid_input(what + " is not valid JSON");
  return doc;
}

// Overwrites every string value in the tree with zeros (for trees that held patient data,
// before they are freed). Recursion is as deep as the tree (bounded by parse_bounded_json).
inline void wipe_json_strings(nlohmann::json& node) {
  if (node.is_string()) {
    auto& s = node.get_ref<std::string&>();
    secure_wipe(s.data(), s.size());
  } else if (node.is_structured()) {
    for (auto& child : node) wipe_json_strings(child);
  }
}

}  // namespace hc::crypto

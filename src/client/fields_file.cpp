#include "client/fields_file.h"

#include <algorithm>
#include <cstdio>
#include <iostream>

#include "common/file_io.h"
#include "common/secure_bytes.h"
#include "crypto/bounded_json.h"

namespace hc::client {

namespace {

void wipe(std::string& s) { secure_wipe(s.data(), s.size()); }

Result<std::string> read_all(const std::string& path) {
  if (path != "-") return read_text_file(path, kMaxFieldsFileBytes);
  std::string text;
  char buf[4096];
  while (std::cin.read(buf, sizeof buf) || std::cin.gcount() > 0) {
    text.append(buf, static_cast<std::size_t>(std::cin.gcount()));
    if (text.size() > kMaxFieldsFileBytes) {
      wipe(text);
      secure_wipe(buf, sizeof buf);
      return Status::error(ErrorCode::kTooLarge, "standard input is larger than " +
                                                     std::to_string(kMaxFieldsFileBytes) + " bytes");
    }
  }
  secure_wipe(buf, sizeof buf);
  return text;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

Status add(TextFields& out, const std::vector<std::string_view>& allowed, const std::string& key, std::string value,
           const std::string& where) {
  if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
    wipe(value);
    return invalid_input(where + ": unknown field \"" + key + "\"");
  }
  auto [it, inserted] = out.values().emplace(key, std::move(value));
  if (!inserted) return invalid_input(where + ": field \"" + key + "\" is given twice");
  return Status::ok_status();
}

Status parse_json(const std::string& text, const std::vector<std::string_view>& allowed, TextFields& out,
                  const std::string& where) {
  HC_ASSIGN_OR_RETURN(nlohmann::json doc, crypto::parse_bounded_json(text, where));
  if (!doc.is_object()) return invalid_input(where + ": JSON must be an object of strings");
  for (auto& [key, value] : doc.items()) {
    if (!value.is_string()) return invalid_input(where + ": field \"" + key + "\" must be a string");
    HC_RETURN_IF_ERROR(add(out, allowed, key, value.get<std::string>(), where));
    wipe(value.get_ref<std::string&>());
  }
  return Status::ok_status();
}

Status parse_lines(std::string_view text, const std::vector<std::string_view>& allowed, TextFields& out,
                   const std::string& where) {
  std::size_t line_no = 0;
  while (!text.empty()) {
    std::size_t end = text.find('\n');
    std::string_view line = trim(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) {
      return invalid_input(where + " line " + std::to_string(line_no) + ": expected \"key: value\"");
    }
    HC_RETURN_IF_ERROR(add(out, allowed, std::string(trim(line.substr(0, colon))),
                           std::string(trim(line.substr(colon + 1))), where));
  }
  return Status::ok_status();
}

}  // namespace

TextFields::~TextFields() {
  for (auto& [key, value] : values_) wipe(value);
}

std::optional<std::string> TextFields::take(const std::string& key) {
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  std::string value = std::move(it->second);
  values_.erase(it);
  return value;
}

Result<TextFields> read_fields_file(const std::string& path, const std::vector<std::string_view>& allowed) {
  const std::string where = path == "-" ? "standard input" : path;
  HC_ASSIGN_OR_RETURN(std::string text, read_all(path));
  TextFields out;
  std::size_t first = text.find_first_not_of(" \t\r\n");
  Status parsed = first != std::string::npos && text[first] == '{' ? parse_json(text, allowed, out, where)
                                                                    : parse_lines(text, allowed, out, where);
  wipe(text);
  if (!parsed.ok()) return parsed;
  return out;
}

Result<std::optional<std::string>> field_or_flag(TextFields& fields, const std::string& key, std::string& flag_value,
                                                 const std::string& flag, bool required) {
  std::optional<std::string> from_file = fields.take(key);
  if (from_file.has_value() && !flag_value.empty()) {
    wipe(*from_file);
    return invalid_input("give " + flag + " or \"" + key + "\" in the fields file, not both");
  }
  if (from_file.has_value()) return from_file;
  if (!flag_value.empty()) {
    std::optional<std::string> out = std::move(flag_value);
    flag_value.clear();
    return out;
  }
  if (required) return invalid_input("missing " + key + " (give it in the fields file or with " + flag + ")");
  return std::optional<std::string>();
}

}  // namespace hc::client

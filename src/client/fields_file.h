// Patient data from a file or standard input instead of the command line, where every local
// user could read it (/proc/PID/cmdline) and the shell history would keep it. A fields file
// is either a JSON object whose values are strings, or lines of "key: value" (the value runs
// to the end of the line, surrounding spaces removed; blank lines and lines starting with
// '#' are skipped). Used by `hc record seal|submit --visit-file`, `hc serial --patient-file`
// and `hc manager retrieve|audit --patient-file`. Not thread-safe (reads standard input).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace hc::client {

// At most this many bytes are read from a fields file (a diagnosis of 64 KiB, escaped in
// JSON, and the other fields fit).
inline constexpr std::size_t kMaxFieldsFileBytes = 512 * 1024;

// The fields read from one file. Values are patient data: wiped when destroyed.
class TextFields {
 public:
  TextFields() = default;
  TextFields(TextFields&&) = default;
  TextFields& operator=(TextFields&&) = default;
  TextFields(const TextFields&) = delete;
  TextFields& operator=(const TextFields&) = delete;
  ~TextFields();

  std::optional<std::string> take(const std::string& key);  // removes and returns
  std::map<std::string, std::string>& values() { return values_; }

 private:
  std::map<std::string, std::string> values_;
};

// Reads `path` ("-" for standard input). kInvalidInput for a key not in `allowed`, a key
// given twice, a value that is not a string (JSON) or a line without "key:"; kTooLarge past
// kMaxFieldsFileBytes; the file's name in every message.
Result<TextFields> read_fields_file(const std::string& path, const std::vector<std::string_view>& allowed);

// The value of one field given either in a fields file or by a command-line flag (not both):
// kInvalidInput "give --FLAG or KEY in FILE, not both" / "missing KEY (give it in FILE or --FLAG)"
// when `required`.
Result<std::optional<std::string>> field_or_flag(TextFields& fields, const std::string& key, std::string& flag_value,
                                                 const std::string& flag, bool required);

}  // namespace hc::client

#include "common/passphrase.h"

#include <cstdlib>
#include <cstring>

#include "common/file_io.h"

namespace hc {

bool passphrase_in_environment() {
  const char* env = std::getenv(kPassphraseEnvironmentVariable);
  return env != nullptr && *env != '\0';
}

Result<SecureBytes> read_passphrase(const std::string& file) {
  if (!file.empty()) {
    HC_ASSIGN_OR_RETURN(SecureBytes content, read_secret_file(file, kMaxPassphraseFileBytes));
    std::string_view view = content.view();
    std::size_t end = view.find('\n');
    if (end == std::string_view::npos) end = view.size();
    if (end > 0 && view[end - 1] == '\r') --end;
    if (end == 0) return invalid_input("passphrase file " + file + " is empty");
    content.truncate(end);
    return content;
  }
  if (!passphrase_in_environment()) {
    return invalid_input("no passphrase: set HC_PASSPHRASE or pass --passphrase-file FILE");
  }
  const char* env = std::getenv(kPassphraseEnvironmentVariable);
  return SecureBytes(std::string_view(env, std::strlen(env)));
}

}  // namespace hc

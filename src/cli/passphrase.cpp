#include "cli/passphrase.h"

#include <cstdlib>
#include <cstring>

#include "common/file_io.h"

namespace hc::cli {

void PassphraseOption::add_to(CLI::App* cmd) {
  cmd->add_option("--passphrase-file", file,
                  "File whose first line is the passphrase (otherwise $HC_PASSPHRASE)");
}

Result<SecureBytes> PassphraseOption::read() const {
  if (!file.empty()) {
    HC_ASSIGN_OR_RETURN(SecureBytes content, read_secret_file(file, 4096));
    std::string_view view = content.view();
    std::size_t end = view.find('\n');
    if (end == std::string_view::npos) end = view.size();
    if (end > 0 && view[end - 1] == '\r') --end;
    if (end == 0) return invalid_input("passphrase file " + file + " is empty");
    content.truncate(end);
    return content;
  }
  const char* env = std::getenv("HC_PASSPHRASE");
  if (env == nullptr || *env == '\0') {
    return invalid_input("no passphrase: set HC_PASSPHRASE or pass --passphrase-file FILE");
  }
  return SecureBytes(std::string_view(env, std::strlen(env)));
}

}  // namespace hc::cli

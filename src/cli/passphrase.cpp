#include "cli/passphrase.h"

namespace hc::cli {

void PassphraseOption::add_to(CLI::App* cmd) {
  cmd->add_option("--passphrase-file", file,
                  "File whose first line is the passphrase (otherwise $HC_PASSPHRASE)");
}

Result<SecureBytes> PassphraseOption::read() const { return read_passphrase(file); }

}  // namespace hc::cli

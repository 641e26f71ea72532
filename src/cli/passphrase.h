// `hc`'s --passphrase-file option: the command-line face of common/passphrase.h (the first
// line of FILE, otherwise $HC_PASSPHRASE; never a command-line value). Thread-compatible.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "common/passphrase.h"
#include "common/secure_bytes.h"
#include "common/status.h"

namespace hc::cli {

struct PassphraseOption {
  std::string file;
  // Adds --passphrase-file to `cmd`.
  void add_to(CLI::App* cmd);
  // hc::read_passphrase(file): kInvalidInput with a clear hint when neither source is set.
  Result<SecureBytes> read() const;
};

}  // namespace hc::cli

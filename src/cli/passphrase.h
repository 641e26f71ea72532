// How `hc` obtains passphrases: from --passphrase-file FILE (first line, trailing newline
// removed) or from the environment variable HC_PASSPHRASE, never from a command-line value
// (which other users could read in the process list). Thread-compatible.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "common/secure_bytes.h"
#include "common/status.h"

namespace hc::cli {

struct PassphraseOption {
  std::string file;
  // Adds --passphrase-file to `cmd`.
  void add_to(CLI::App* cmd);
  // kInvalidInput with a clear hint when neither source is set.
  Result<SecureBytes> read() const;
};

}  // namespace hc::cli

// Where a program's passphrase comes from: the first line of a file (its line end removed) or
// the environment variable HC_PASSPHRASE, never a command-line value, which every local user
// could read in the process list. Shared by `hc` (cli/passphrase.h adds its --passphrase-file
// option) and `hc-node`. Thread-compatible: reads the environment, which nobody should change
// concurrently.
#pragma once

#include <string>

#include "common/secure_bytes.h"
#include "common/status.h"

namespace hc {

inline constexpr const char* kPassphraseEnvironmentVariable = "HC_PASSPHRASE";
inline constexpr std::size_t kMaxPassphraseFileBytes = 4096;

// The passphrase from `file` when it is not empty (kNotFound if missing, kInvalidInput if its
// first line is empty), else from $HC_PASSPHRASE; kInvalidInput naming both sources when
// neither is set.
Result<SecureBytes> read_passphrase(const std::string& file);

// True when $HC_PASSPHRASE is set and not empty.
bool passphrase_in_environment();

}  // namespace hc

// The consortium pseudonym key, loaded only when it is the chain's: its check value
// (crypto::pseudonym_key_check, bound to the chain name) must equal the one the genesis
// carries. Every `hc` path that turns a name and ID into a serial (record seal/submit, serial,
// manager retrieve/audit) loads the key through here, so a wrong key file (another chain's,
// a token file, any 64 hex digits) is a one-line error instead of records filed under serials
// nobody will retrieve. Thread-safe.
#pragma once

#include <filesystem>

#include "chain/genesis.h"
#include "common/secure_bytes.h"
#include "common/status.h"

namespace hc::client {

// kInvalidInput naming both files when the key does not match the genesis; the errors of
// crypto::load_pseudonym_key / chain::load_genesis_file otherwise.
Result<SecureBytes> load_checked_pseudonym_key(const std::filesystem::path& key_file, const chain::Genesis& genesis);
Result<SecureBytes> load_checked_pseudonym_key(const std::filesystem::path& key_file,
                                               const std::filesystem::path& genesis_file);

}  // namespace hc::client

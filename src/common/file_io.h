// File helpers with the project's guarantees: reads are bounded by a caller-given limit,
// and writes are atomic (a temporary file in the same directory, fsync, rename, fsync of the
// directory), so a crash or error never leaves a half-written file under the final name.
// Thread-safe as far as the file system is; concurrent writers of one path race on rename.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>

#include "common/bytes.h"
#include "common/secure_bytes.h"
#include "common/status.h"

namespace hc {

// Reads a whole file. kNotFound if it does not exist, kTooLarge past max_bytes.
Result<Bytes> read_file(const std::filesystem::path& path, std::size_t max_bytes);
Result<std::string> read_text_file(const std::filesystem::path& path, std::size_t max_bytes);
Result<SecureBytes> read_secret_file(const std::filesystem::path& path, std::size_t max_bytes);

// Writes atomically. `mode` is the permission of the new file (0600 for secrets).
Status write_file_atomic(const std::filesystem::path& path, ByteSpan data, unsigned mode = 0644);
Status write_text_file_atomic(const std::filesystem::path& path, std::string_view text,
                              unsigned mode = 0644);

}  // namespace hc

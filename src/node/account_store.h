// AccountStore: the hospital's per-person API credentials (issue 15, item 3), managed at run
// time by the hospital's administrator (`hc hospital doctor|reader add|list|remove|rotate`,
// the /v1/accounts routes; docs/node.md "Accounts"). Each account is one person: a name, a
// role (doctor: submits records; reader: reads records by serial) and the SHA-256 of a fresh
// 256-bit random bearer token. The token itself is returned once, by add() or rotate(), and
// never stored: for a high-entropy random token a plain SHA-256 is as good as a slow password
// hash (nothing to guess), and it keeps authentication cheap.
//
// The store lives in one JSON file in the node's data directory; every change is written
// atomically (temporary file, fsync, rename, fsync of the directory: common/file_io.h) before
// it takes effect in memory, so a crash leaves either the old or the new file, never a part,
// and a change that could not be written changes nothing. Bounded: kMaxAccounts accounts,
// names of at most kMaxAccountNameBytes, a file of at most kMaxAccountFileBytes. A file that
// is oversized, malformed or breaks a bound is refused at open() with a one-line reason.
//
// Not thread-safe: the node uses it on the API thread only.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/secure_bytes.h"
#include "common/status.h"

namespace hc::node {

inline constexpr std::size_t kMaxAccounts = 10000;
inline constexpr std::size_t kMaxAccountNameBytes = 64;
inline constexpr std::size_t kMaxAccountFileBytes = 4 * 1024 * 1024;
inline constexpr std::size_t kAccountTokenRandomBytes = 32;  // 256 bits, sent as 64 hex digits

enum class AccountRole { kDoctor, kReader };

// "doctor" or "reader".
const char* account_role_name(AccountRole role);
// kInvalidInput naming the accepted roles for anything else.
Result<AccountRole> parse_account_role(std::string_view name);
// OK when `name` is 1..kMaxAccountNameBytes bytes of [A-Za-z0-9._@-] starting with a letter or
// digit; kInvalidInput with the rule otherwise (the name shown only in printable form).
Status check_account_name(std::string_view name);

struct Account {
  std::string name;
  AccountRole role = AccountRole::kDoctor;
  std::array<std::uint8_t, 32> token_sha256{};
};

class AccountStore {
 public:
  // Opens the store in `file`; an absent file is an empty store (created on the first add).
  // kInvalidInput / kTooLarge / kCorrupt naming the file for one that cannot be trusted.
  static Result<AccountStore> open(const std::filesystem::path& file);

  const std::vector<Account>& accounts() const { return accounts_; }
  const std::filesystem::path& file() const { return file_; }
  // The account whose token hashes to `token_sha256` (every entry compared in constant time).
  std::optional<Account> find_by_token_hash(const std::array<std::uint8_t, 32>& token_sha256) const;

  // A new account with a fresh token, which is returned (the only copy). kInvalidInput for a
  // bad name, kAlreadyExists for a name in use, kTooLarge when full, kIo if not written.
  Result<SecureBytes> add(const std::string& name, AccountRole role);
  // kNotFound for an unknown name; kIo if not written (the account then still exists).
  Status remove(const std::string& name);
  // A fresh token for the account; the old one stops working. kNotFound / kIo as remove().
  Result<SecureBytes> rotate(const std::string& name);

 private:
  explicit AccountStore(std::filesystem::path file) : file_(std::move(file)) {}
  Status save(const std::vector<Account>& accounts) const;

  std::filesystem::path file_;
  std::vector<Account> accounts_;
};

// The store's file format, for open() and tests: {"format": "healthchain-accounts",
// "version": 1, "accounts": [{"name", "role", "token_sha256"}]}.
std::string accounts_to_json(const std::vector<Account>& accounts);
Result<std::vector<Account>> accounts_from_json(std::string_view text);

}  // namespace hc::node

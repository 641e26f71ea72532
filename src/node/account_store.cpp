#include "node/account_store.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "common/bytes.h"
#include "common/file_io.h"
#include "crypto/bounded_json.h"
#include "crypto/hash.h"

namespace hc::node {

namespace {

using nlohmann::json;
constexpr const char* kAccountFileFormat = "healthchain-accounts";
constexpr std::uint64_t kAccountFileVersion = 1;

bool account_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == '@' || c == '-';
}

// A fresh random token as 64 hex digits, and its SHA-256.
SecureBytes fresh_account_token(std::array<std::uint8_t, 32>& sha256_out) {
  SecureBytes raw(kAccountTokenRandomBytes);
  crypto::random_bytes(std::span<std::uint8_t>(raw.data(), raw.size()));
  std::string hex = to_hex(raw.span());
  SecureBytes token{std::string_view(hex)};
  secure_wipe(hex.data(), hex.size());
  sha256_out = crypto::sha256(token.span());
  return token;
}

Result<Account> account_from_json(const json& entry) {
  if (!entry.is_object() || entry.size() != 3 || !entry.contains("name") || !entry["name"].is_string() ||
      !entry.contains("role") || !entry["role"].is_string() || !entry.contains("token_sha256") ||
      !entry["token_sha256"].is_string()) {
    return invalid_input("an account must be {\"name\", \"role\", \"token_sha256\"} strings");
  }
  Account a;
  a.name = entry["name"].get<std::string>();
  HC_RETURN_IF_ERROR(check_account_name(a.name));
  HC_ASSIGN_OR_RETURN(a.role, parse_account_role(entry["role"].get<std::string>()));
  auto hash = from_hex(entry["token_sha256"].get<std::string>());
  if (!hash.ok() || hash->size() != a.token_sha256.size()) {
    return invalid_input("account " + a.name + ": token_sha256 must be 64 hex digits");
  }
  std::copy(hash->begin(), hash->end(), a.token_sha256.begin());
  return a;
}

}  // namespace

const char* account_role_name(AccountRole role) {
  switch (role) {
    case AccountRole::kDoctor: return "doctor";
    case AccountRole::kReader: return "reader";
  }
  return "unknown";
}

Result<AccountRole> parse_account_role(std::string_view name) {
  if (name == "doctor") return AccountRole::kDoctor;
  if (name == "reader") return AccountRole::kReader;
  return invalid_input("an account's role must be doctor or reader");
}

Status check_account_name(std::string_view name) {
  const std::string rule = "an account name must be 1 to " + std::to_string(kMaxAccountNameBytes) +
                           " characters of A-Z a-z 0-9 . _ @ -, starting with a letter or digit";
  if (name.empty() || name.size() > kMaxAccountNameBytes) return invalid_input(rule);
  if (!std::all_of(name.begin(), name.end(), account_name_char) || !std::isalnum(static_cast<unsigned char>(name[0]))) {
    return invalid_input(rule);
  }
  return Status::ok_status();
}

std::string accounts_to_json(const std::vector<Account>& accounts) {
  json list = json::array();
  for (const Account& a : accounts) {
    list.push_back({{"name", a.name}, {"role", account_role_name(a.role)}, {"token_sha256", to_hex(a.token_sha256)}});
  }
  json doc = {{"format", kAccountFileFormat}, {"version", kAccountFileVersion}, {"accounts", list}};
  return doc.dump(1) + "\n";
}

Result<std::vector<Account>> accounts_from_json(std::string_view text) {
  HC_ASSIGN_OR_RETURN(json doc, crypto::parse_bounded_json(text, "the account store"));
  if (!doc.is_object() || doc.value("format", "") != kAccountFileFormat || !doc.contains("version") ||
      !doc["version"].is_number_unsigned() || doc.size() != 3) {
    return invalid_input("not a healthchain-accounts file");
  }
  if (doc["version"].get<std::uint64_t>() != kAccountFileVersion) {
    return invalid_input("account store version " + std::to_string(doc["version"].get<std::uint64_t>()) +
                         " is not supported (this node reads version 1)");
  }
  const json& list = doc["accounts"];
  if (!list.is_array()) return invalid_input("\"accounts\" must be an array");
  if (list.size() > kMaxAccounts) {
    return Status::error(ErrorCode::kTooLarge, "more than " + std::to_string(kMaxAccounts) + " accounts");
  }
  std::vector<Account> out;
  std::set<std::string> names;
  for (const json& entry : list) {
    HC_ASSIGN_OR_RETURN(Account a, account_from_json(entry));
    if (!names.insert(a.name).second) return invalid_input("account " + a.name + " is listed twice");
    out.push_back(std::move(a));
  }
  return out;
}

Result<AccountStore> AccountStore::open(const std::filesystem::path& file) {
  AccountStore store(file);
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return store;
  auto text = read_text_file(file, kMaxAccountFileBytes);
  if (!text.ok()) return text.status().with_context("account store " + file.string());
  auto accounts = accounts_from_json(*text);
  if (!accounts.ok()) return accounts.status().with_context("account store " + file.string());
  store.accounts_ = std::move(accounts).value();
  return store;
}

std::optional<Account> AccountStore::find_by_token_hash(const std::array<std::uint8_t, 32>& token_sha256) const {
  std::optional<Account> found;
  for (const Account& a : accounts_) {  // no early exit: every hash is compared
    if (constant_time_equal(a.token_sha256, token_sha256)) found = a;
  }
  return found;
}

Status AccountStore::save(const std::vector<Account>& accounts) const {
  return write_text_file_atomic(file_, accounts_to_json(accounts), 0600);
}

Result<SecureBytes> AccountStore::add(const std::string& name, AccountRole role) {
  HC_RETURN_IF_ERROR(check_account_name(name));
  for (const Account& a : accounts_) {
    if (a.name == name) return Status::error(ErrorCode::kAlreadyExists, "an account named " + name + " exists");
  }
  if (accounts_.size() >= kMaxAccounts) {
    return Status::error(ErrorCode::kTooLarge, "the node holds " + std::to_string(kMaxAccounts) +
                                                   " accounts already; remove one first");
  }
  Account account{name, role, {}};
  SecureBytes token = fresh_account_token(account.token_sha256);
  std::vector<Account> next = accounts_;
  next.push_back(std::move(account));
  HC_RETURN_IF_ERROR(save(next));
  accounts_ = std::move(next);
  return token;
}

Status AccountStore::remove(const std::string& name) {
  HC_RETURN_IF_ERROR(check_account_name(name));
  std::vector<Account> next;
  for (const Account& a : accounts_) {
    if (a.name != name) next.push_back(a);
  }
  if (next.size() == accounts_.size()) return Status::error(ErrorCode::kNotFound, "no account named " + name);
  HC_RETURN_IF_ERROR(save(next));
  accounts_ = std::move(next);
  return Status::ok_status();
}

Result<SecureBytes> AccountStore::rotate(const std::string& name) {
  HC_RETURN_IF_ERROR(check_account_name(name));
  std::vector<Account> next = accounts_;
  auto it = std::find_if(next.begin(), next.end(), [&](const Account& a) { return a.name == name; });
  if (it == next.end()) return Status::error(ErrorCode::kNotFound, "no account named " + name);
  SecureBytes token = fresh_account_token(it->token_sha256);
  HC_RETURN_IF_ERROR(save(next));
  accounts_ = std::move(next);
  return token;
}

}  // namespace hc::node

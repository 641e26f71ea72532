#include "crypto/manager_keys.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <ctime>
#include <system_error>

#include "common/file_io.h"
#include "crypto/bounded_json.h"
#include "crypto/pkcs8_pem.h"
#include "crypto/serial_number.h"

namespace hc::crypto {

namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr std::string_view kFormat = "healthchain-manager";
constexpr std::size_t kMaxTableBytes = 4 * 1024 * 1024;
constexpr std::size_t kMaxKeys = 100000;

fs::path key_path(const fs::path& dir, const KeyId& id, const char* suffix) {
  return dir / "envelope" / (to_hex(id) + suffix);
}

Status parse_table(const json& doc, std::vector<EnvelopeKeyEntry>& keys, std::optional<KeyId>& current) {
  if (!doc.is_object() || doc.value("format", "") != kFormat || doc.value("version", 0) != 1) {
    return Status::error(ErrorCode::kCorrupt, "manager.json is not a version 1 manager table");
  }
  auto list = doc.find("keys");
  if (list == doc.end() || !list->is_array() || list->size() > kMaxKeys) {
    return Status::error(ErrorCode::kCorrupt, "manager.json has no key list");
  }
  for (const json& entry : *list) {
    if (!entry.is_object() || !entry.contains("key_id") || !entry["key_id"].is_string() ||
        !entry.contains("created") || !entry["created"].is_string()) {
      return Status::error(ErrorCode::kCorrupt, "manager.json has a malformed key entry");
    }
    auto id = parse_key_id_hex(entry["key_id"].get<std::string>());
    if (!id.ok()) return Status::error(ErrorCode::kCorrupt, "manager.json: " + id.status().message());
    keys.push_back({*id, entry["created"].get<std::string>()});
  }
  auto cur = doc.find("current_key_id");
  if (cur != doc.end() && cur->is_string()) {
    auto id = parse_key_id_hex(cur->get<std::string>());
    if (!id.ok()) return Status::error(ErrorCode::kCorrupt, "manager.json: bad current_key_id");
    current = *id;
  }
  return Status::ok_status();
}

}  // namespace

std::string utc_now_rfc3339() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Status ManagerKeys::init(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_empty(dir, ec)) {
    return Status::error(ErrorCode::kAlreadyExists, "manager directory " + dir.string() + " is not empty");
  }
  fs::create_directories(dir / "envelope", ec);
  if (ec) return Status::error(ErrorCode::kIo, "cannot create " + dir.string() + ": " + ec.message());
  fs::permissions(dir, fs::perms::owner_all, ec);
  HC_RETURN_IF_ERROR(write_new_pseudonym_key(dir / "pseudonym.key"));
  ManagerKeys keys;
  keys.dir_ = dir;
  return keys.save_table();
}

Result<ManagerKeys> ManagerKeys::open(const fs::path& dir) {
  auto text = read_text_file(dir / "manager.json", kMaxTableBytes);
  if (!text.ok()) {
    if (text.status().code() == ErrorCode::kNotFound) {
      return Status::error(ErrorCode::kNotFound,
                           dir.string() + " is not a manager directory (run `hc manager init`)");
    }
    return text.status();
  }
  if (!json_depth_within(*text, kMaxJsonDepth)) {
    return Status::error(ErrorCode::kCorrupt, "manager.json nests deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  }
  json doc = json::parse(*text, nullptr, false);
  if (doc.is_discarded()) return Status::error(ErrorCode::kCorrupt, "manager.json is not valid JSON");
  ManagerKeys keys;
  keys.dir_ = dir;
  HC_RETURN_IF_ERROR(parse_table(doc, keys.keys_, keys.current_));
  return keys;
}

Status ManagerKeys::save_table() const {
  json list = json::array();
  for (const auto& k : keys_) list.push_back({{"key_id", to_hex(k.key_id)}, {"created", k.created}});
  json doc = {{"format", kFormat}, {"version", 1}, {"keys", list},
              {"current_key_id", current_ ? json(to_hex(*current_)) : json(nullptr)}};
  return write_text_file_atomic(dir_ / "manager.json", doc.dump(2) + "\n");
}

bool ManagerKeys::has_key(const KeyId& id) const {
  return std::any_of(keys_.begin(), keys_.end(), [&](const auto& k) { return k.key_id == id; });
}

Result<KeyId> ManagerKeys::rotate(const SecureBytes& passphrase) {
  if (passphrase.size() < kMinPassphraseBytes) return invalid_input("passphrase must be at least 8 bytes");
  HC_ASSIGN_OR_RETURN(EnvelopePrivateKey key, EnvelopePrivateKey::generate());
  HC_ASSIGN_OR_RETURN(std::string pem, key.to_encrypted_pem(passphrase));
  const KeyId& id = key.public_key().key_id();
  HC_RETURN_IF_ERROR(write_text_file_atomic(key_path(dir_, id, ".key.pem"), pem, 0600));
  std::string pub = key.public_key().to_pem();
  HC_RETURN_IF_ERROR(write_text_file_atomic(key_path(dir_, id, ".pub.pem"), pub));
  keys_.push_back({id, utc_now_rfc3339()});
  current_ = id;
  HC_RETURN_IF_ERROR(save_table());
  HC_RETURN_IF_ERROR(write_text_file_atomic(current_public_key_path(), pub));
  return id;
}

Result<EnvelopePrivateKey> ManagerKeys::private_key(const KeyId& id, const SecureBytes& passphrase) const {
  if (!has_key(id)) {
    return Status::error(ErrorCode::kNotFound, "unknown key id " + to_hex(id) + ": not in the manager's table");
  }
  return EnvelopePrivateKey::load(key_path(dir_, id, ".key.pem"), passphrase);
}

Result<EnvelopePublicKey> ManagerKeys::public_key(const KeyId& id) const {
  if (!has_key(id)) return Status::error(ErrorCode::kNotFound, "unknown key id " + to_hex(id));
  HC_ASSIGN_OR_RETURN(EnvelopePublicKey key, EnvelopePublicKey::load(key_path(dir_, id, ".pub.pem")));
  if (key.key_id() != id) return Status::error(ErrorCode::kCorrupt, "public key file does not match its id");
  return key;
}

}  // namespace hc::crypto

// The group manager's directory of envelope keys (the paper's table "hash of public key ->
// private key"). Layout of DIR:
//   manager.json                 {"format":"healthchain-manager","version":1,
//                                 "current_key_id":hex|null,"keys":[{"key_id":hex,"created":RFC3339}]}
//   pseudonym.key                the consortium pseudonym key (hex, mode 0600), shared with doctors
//   envelope/<key_id>.key.pem    encrypted PKCS#8 private key (mode 0600)
//   envelope/<key_id>.pub.pem    public key
//   envelope/current.pub.pem     copy of the current (day's) public key, for doctors
// Every file is written atomically; the table is written last, so a crash during rotation
// leaves the previous table intact. Not safe for concurrent writers of one directory.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "common/secure_bytes.h"
#include "common/status.h"
#include "crypto/envelope_key.h"

namespace hc::crypto {

struct EnvelopeKeyEntry {
  KeyId key_id{};
  std::string created;  // RFC 3339 UTC
};

class ManagerKeys {
 public:
  // Creates DIR (which must not exist or be empty) with a fresh pseudonym key and an empty table.
  static Status init(const std::filesystem::path& dir);
  static Result<ManagerKeys> open(const std::filesystem::path& dir);

  // Generates the day's RSA-3072 key, stores it encrypted under `passphrase`, makes it current.
  Result<KeyId> rotate(const SecureBytes& passphrase);

  // kNotFound for an unknown key id, kAuthFailed for a wrong passphrase.
  Result<EnvelopePrivateKey> private_key(const KeyId& id, const SecureBytes& passphrase) const;
  Result<EnvelopePublicKey> public_key(const KeyId& id) const;

  const std::vector<EnvelopeKeyEntry>& keys() const { return keys_; }
  const std::optional<KeyId>& current_key_id() const { return current_; }
  std::filesystem::path pseudonym_key_path() const { return dir_ / "pseudonym.key"; }
  std::filesystem::path current_public_key_path() const { return dir_ / "envelope" / "current.pub.pem"; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  Status save_table() const;
  bool has_key(const KeyId& id) const;

  std::filesystem::path dir_;
  std::vector<EnvelopeKeyEntry> keys_;
  std::optional<KeyId> current_;
};

// The current UTC time as RFC 3339 with seconds, e.g. 2026-11-24T09:30:00Z.
std::string utc_now_rfc3339();

}  // namespace hc::crypto

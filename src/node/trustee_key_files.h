// The trustee keys a node holds across resharings (issue 16 item 3; docs/threshold.md, "The
// nodes' part of resharing", and docs/node.md, "Trustee"). Each resharing epoch r >= 1 boxes
// the new shares to FRESH P-256 trustee keys, so that an old share is erased for good when the
// key that opens its boxes is erased (the chain keeps every box forever). The node's key of
// resharing epoch r lives beside its first key file (trustee.key.pem for a genesis trustee, the
// enrollment key for a hospital that joined later) as `trustee.key.r<r>.pem`, encrypted at rest
// exactly like trustee.key.pem (encrypted PKCS#8, scrypt, the node's passphrase; mode 0600).
//
// erase() overwrites the file's bytes with zeros, syncs, unlinks it and syncs the directory.
// On a journaling or copy-on-write file system, or an SSD, the old blocks may survive
// physically; the operator's part (no backups of old trustee keys, an encrypted disk) is in
// docs/deploy.md. The passphrase is kept in a SecureBytes (wiped when this object goes);
// nothing here logs a secret.
//
// Thread-safety: none; one owner (the trustee worker thread after start).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

#include "common/secure_bytes.h"
#include "common/status.h"
#include "crypto/p256.h"

namespace hc::node {

class TrusteeKeyFiles {
 public:
  // `first_key_file`: the key file of resharing epoch 0 (the genesis trustee key, or a joined
  // hospital's enrollment key); every later key file sits in its directory.
  TrusteeKeyFiles(std::filesystem::path first_key_file, SecureBytes passphrase);

  // The file of resharing epoch `reshare_epoch` (0: the first key file itself).
  std::filesystem::path path_for(std::uint64_t reshare_epoch) const;

  // The key of `reshare_epoch`: nullopt when its file does not exist (never made, or erased);
  // kAuthFailed for a wrong passphrase, kInvalidInput for a damaged file (both name it).
  Result<std::optional<crypto::P256Scalar>> load(std::uint64_t reshare_epoch) const;

  // The fresh key of resharing epoch `reshare_epoch` (>= 1): the one on disk when its file
  // exists (made before a restart: the announcement on the chain may name it), otherwise a
  // new random key written atomically (0600) before it is returned, so the chain never names
  // a key the node could lose in a crash. kInvalidInput for epoch 0.
  Result<crypto::P256Scalar> fresh_key(std::uint64_t reshare_epoch);

  // Overwrites, syncs and unlinks the key file of `reshare_epoch`; ok when it does not exist.
  // kIo naming the file when it cannot be overwritten or removed.
  Status erase(std::uint64_t reshare_epoch);

  // The resharing epochs whose key files exist now (ascending), found by name in the directory.
  std::vector<std::uint64_t> held_epochs() const;

 private:
  std::filesystem::path first_key_file_;
  SecureBytes passphrase_;
};

// Overwrites `path` with zeros (its whole length), fsyncs it, unlinks it and fsyncs its
// directory. Ok when the file does not exist; kIo otherwise.
Status overwrite_and_unlink(const std::filesystem::path& path);

}  // namespace hc::node

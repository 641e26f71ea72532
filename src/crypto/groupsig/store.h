// Files of the group-signature module: loading and saving each encoded value, key files
// (keyfile.h) holding the issuer, opener and member keys, and the group directory.
//
// Group directory layout (docs/groupsig.md):
//   D/issuer.key, D/opener.key          encrypted key files (mode 0600; no opener.key in
//                                       trustees mode, where nobody holds an opener key)
//   D/elgamal-opener.key                the manager's BBS04-ElGamal opener key (single-manager
//                                       chains of genesis version 7 only; mode 0600)
//   D/epoch-<N>/gpk.bin                 group public key of epoch N
//   D/epoch-<N>/registry.bin            public registry of epoch N
//   D/epoch-<N>/revocation.bin          the record that started epoch N (N >= 1)
//   D/gpk.bin, D/registry.bin           copies of the current epoch's
//   D/current-epoch                     the current epoch number (decimal), written last
// Every write is atomic (temporary file + rename). Operations on one directory are not
// safe to run concurrently (two processes could both enroll). Errors name the file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>

#include "common/bytes.h"
#include "common/secure_bytes.h"
#include "common/status.h"
#include "crypto/groupsig/keyfile.h"
#include "crypto/groupsig/types.h"

namespace hc::groupsig {

using std::filesystem::path;

Result<GroupPublicKey> load_gpk(const path& file);
Result<Registry> load_registry(const path& file);
Result<Signature> load_signature(const path& file);
Result<OpeningProof> load_opening_proof(const path& file);
Result<RevocationRecord> load_revocation(const path& file);

Result<MemberKey> load_member_key(const path& file, ByteSpan passphrase);
Status save_member_key(const path& file, const MemberKey& key, ByteSpan passphrase,
                       const ScryptParams& params = {});
Result<OpenerKey> load_opener_key(const path& file, ByteSpan passphrase);
Status save_opener_key(const path& file, const OpenerKey& key, ByteSpan passphrase,
                       const ScryptParams& params = {});
Result<IssuerKey> load_issuer_key(const path& file, ByteSpan passphrase);
Status save_issuer_key(const path& file, const IssuerKey& key, ByteSpan passphrase,
                       const ScryptParams& params = {});

class GroupDir {
 public:
  explicit GroupDir(path root) : root_(std::move(root)) {}

  path issuer_key() const { return root_ / "issuer.key"; }
  path opener_key() const { return root_ / "opener.key"; }
  // A single-manager chain of genesis version 7: the manager's BBS04-ElGamal opener secret xi
  // (elgamal_opener_key_proof.h), beside the BBS04 opener key.
  path elgamal_opener_key() const { return root_ / "elgamal-opener.key"; }
  path epoch_dir(std::uint64_t epoch) const;
  path gpk(std::uint64_t epoch) const { return epoch_dir(epoch) / "gpk.bin"; }
  path registry(std::uint64_t epoch) const { return epoch_dir(epoch) / "registry.bin"; }
  path revocation(std::uint64_t epoch) const { return epoch_dir(epoch) / "revocation.bin"; }
  path current_gpk() const { return root_ / "gpk.bin"; }
  path current_registry() const { return root_ / "registry.bin"; }

  // Creates the directory (it must not exist, or be empty) and writes epoch 0.
  Status create(const GroupPublicKey& gpk, const Registry& registry, const IssuerKey& issuer,
                const OpenerKey& opener, ByteSpan passphrase, const ScryptParams& params = {});
  // The same without an opener key (trustees mode, issuer.h setup_without_opener): no
  // opener.key is written.
  Status create_without_opener(const GroupPublicKey& gpk, const Registry& registry, const IssuerKey& issuer,
                               ByteSpan passphrase, const ScryptParams& params = {});
  Result<std::uint64_t> current_epoch() const;
  // Writes the epoch's key and registry (and record, if given), then the current copies,
  // then moves current-epoch to it.
  Status publish_epoch(const GroupPublicKey& gpk, const Registry& registry,
                       const RevocationRecord* record);
  // Rewrites the registry of the current epoch (after an enrollment).
  Status save_current_registry(const Registry& registry);

 private:
  path root_;
};

// What the issuer enrolls or revokes with: the current epoch of a group directory, the issuer
// key (decrypted with the passphrase; wiped by IssuerKey's destructor), and that epoch's group
// public key and registry, read as every enrollment and revocation reads them.
struct CurrentIssuance {
  std::uint64_t epoch = 0;
  IssuerKey issuer;
  GroupPublicKey gpk;
  Registry registry;
};
// kAuthFailed for a wrong passphrase; kNotFound / kCorrupt (naming the file) for a missing or
// damaged file, kCorrupt also for an epoch's key or registry that names another epoch.
Result<CurrentIssuance> load_current_issuance(const GroupDir& dir, ByteSpan passphrase);

// Passphrase from a file (one trailing newline removed) or, when `file` is empty, from the
// environment variable HC_PASSPHRASE. kInvalidInput if neither gives a non-empty passphrase.
Result<SecureBytes> read_passphrase(const path& file);

}  // namespace hc::groupsig

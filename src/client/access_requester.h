// Who signs a trustees-mode access request, as the retrieval (client/threshold_retrieval.h)
// sees it (issue 13 item 3, docs/threshold.md "Who may request"): the manager, from its
// directory (ManagerRequester over ManagerSession: admin key, every right, the group
// directory's registries), or a reader the consortium's reader policy lists, with only what a
// reader has (ReaderSession: its own encrypted Ed25519 key file, the genesis and, to name
// hospitals, the group's public registries). The chain decides what a reader may ask; the
// requester only signs. Not thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "chain/genesis.h"
#include "chain/transaction.h"
#include "chain/verifiers.h"
#include "client/genesis_trust.h"
#include "client/manager_session.h"
#include "common/secure_bytes.h"
#include "common/status.h"
#include "crypto/ed25519.h"
#include "crypto/groupsig/types.h"

namespace hc::client {

class AccessRequester {
 public:
  virtual ~AccessRequester() = default;
  virtual const chain::Genesis& genesis() const = 0;
  virtual const chain::CommitCertificateVerifier& certificates() const = 0;
  // Signs `request` (manager signing scheme): with the admin key, or as a reader (sets
  // request.reader to its key first). kInternal if signing fails.
  virtual Status sign(chain::AccessRequestTx& request) const = 0;
  // The registry of group epoch `epoch`, to name the hospital the trustees' opening finds;
  // nullopt when this requester has no registries (its requests then only ask to decrypt).
  virtual Result<std::optional<groupsig::Registry>> registry(std::uint64_t epoch) const = 0;
  // What to print as the hospital of a record the trustees did not open.
  virtual std::string hospital_without_opening(const chain::RecordTx& record) = 0;
};

// The manager: ManagerSession's admin key and DIR/group's registries.
class ManagerRequester final : public AccessRequester {
 public:
  explicit ManagerRequester(ManagerSession& session) : session_(session) {}
  const chain::Genesis& genesis() const override { return session_.genesis(); }
  const chain::CommitCertificateVerifier& certificates() const override { return session_.certificates(); }
  Status sign(chain::AccessRequestTx& request) const override;
  Result<std::optional<groupsig::Registry>> registry(std::uint64_t epoch) const override;
  std::string hospital_without_opening(const chain::RecordTx& record) override;

 private:
  ManagerSession& session_;
};

// A reader listed in the reader policy: its key file (encrypted PKCS#8, made by `hc access
// reader-key create`), the chain's genesis file and, optionally, a directory holding the
// group's public registries (the layout of a manager's DIR/group, public files only).
class ReaderSession final : public AccessRequester {
 public:
  // kInvalidInput / kNotFound naming the file for an unreadable genesis or key file; the key
  // file's decryption error for a wrong passphrase; kInvalidInput for a single-manager genesis
  // (it has no reader policy) or a key that is the manager's admin key.
  static Result<std::unique_ptr<ReaderSession>> open(const std::filesystem::path& genesis_file,
                                                     const std::filesystem::path& key_file, const SecureBytes& passphrase,
                                                     std::optional<std::filesystem::path> group_dir);

  const chain::Genesis& genesis() const override { return trust_.genesis(); }
  const chain::CommitCertificateVerifier& certificates() const override { return trust_.certificates(); }
  Status sign(chain::AccessRequestTx& request) const override;
  Result<std::optional<groupsig::Registry>> registry(std::uint64_t epoch) const override;
  std::string hospital_without_opening(const chain::RecordTx& record) override;
  const crypto::Ed25519PublicKey& public_key() const { return key_.public_key(); }
  // ChainTrust::follow_changes_of for the session's certificates.
  void follow_changes_of(const std::string& node_url) { trust_.follow_changes_of(node_url); }

 private:
  ReaderSession(ChainTrust trust, crypto::Ed25519PrivateKey key, std::optional<std::filesystem::path> group_dir)
      : trust_(std::move(trust)), key_(std::move(key)), group_dir_(std::move(group_dir)) {}
  ChainTrust trust_;
  crypto::Ed25519PrivateKey key_;
  std::optional<std::filesystem::path> group_dir_;
};

}  // namespace hc::client

// `hc cluster up`, last step: the manager's first transactions on the new chain. The current
// envelope key is published (PublishEnvelopeKeyTx) so doctors can seal to it, and each member
// of the epoch-0 group is recorded (EnrollmentTx), each signed with the manager's Ed25519
// administration key (the genesis manager_admin_key). The groupsig module has no encoding of
// a single registry entry, so an enrollment's registry_entry is the canonical encoding of an
// epoch-0 registry holding just that member's entry (groupsig::encode_registry).
// Not thread-safe on one cluster directory; otherwise no shared state.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "chain/transaction.h"
#include "common/bytes.h"
#include "common/secure_bytes.h"
#include "common/status.h"
#include "net/tls_context.h"

namespace hc::cli {

struct ManagerTx {
  std::string label;  // for progress lines, e.g. "enroll st-mary"
  Bytes encoding;     // canonical transaction encoding
  std::string tx_id_hex;
};

// Signs a manager transaction with the admin key (manager_signing_message, Ed25519) and
// checks the result against the key's public half. kInvalidInput for a record transaction.
Status sign_with_admin_key(chain::Transaction& tx, const std::filesystem::path& admin_key_file,
                           const SecureBytes& passphrase);

// The publication of the current envelope key, then one enrollment per registry member.
// kAuthFailed for a wrong passphrase; kNotFound / kCorrupt for a damaged manager directory.
Result<std::vector<ManagerTx>> build_bootstrap_transactions(const std::filesystem::path& manager_dir,
                                                            const std::filesystem::path& group_dir,
                                                            const SecureBytes& passphrase);

// Posts every transaction to `api_url`, then waits until each is committed. `progress` gets one
// line per committed transaction. kInvalidInput if the node or the ledger rejects one,
// kUnavailable past `timeout`.
Status submit_and_wait(const std::string& api_url, const std::shared_ptr<net::TlsContext>& tls,
                       const std::vector<ManagerTx>& txs,
                       std::chrono::milliseconds timeout, const std::function<void(const std::string&)>& progress);

}  // namespace hc::cli

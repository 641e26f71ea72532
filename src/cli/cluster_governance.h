// The consortium transactions `hc cluster add-node` and `remove-node` post for the hospitals of
// a local cluster (docs/cluster.md): a governance transaction (join request, approval, exit
// announcement) signed with the replica key in a node's directory. Each is posted to one node's
// API and followed until committed (bounded). In a real deployment each of these steps is a
// different hospital's on its own machine (docs/deploy.md). The manager's enrollment of a joined
// hospital goes through client/manager_enrollment.h (on the chain, kind 25). Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "chain/transaction.h"
#include "common/secure_bytes.h"
#include "common/status.h"
#include "net/tls_context.h"

namespace hc::cli {

struct CommittedTx {
  std::string tx_id_hex;
  std::uint64_t height = 0;
};

// Signs `tx` (a governance transaction) with the Ed25519 key in `key_file` (encrypted under
// `passphrase`), posts it to `api_url` and waits up to `timeout` for its commit. kInvalidInput
// with the node's or the ledger's reason if refused; kUnavailable past the timeout.
Result<CommittedTx> post_governance_tx(const std::string& api_url, const std::shared_ptr<net::TlsContext>& tls,
                                       chain::Transaction tx, const std::filesystem::path& key_file,
                                       const SecureBytes& passphrase, std::chrono::milliseconds timeout);

}  // namespace hc::cli

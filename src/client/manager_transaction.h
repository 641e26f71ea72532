// A manager transaction put on the chain and waited for: the one way `hc manager ...` and the
// access console (single-manager mode) post what the manager's admin key signs (access audit
// entries, revocations, envelope key publications). The transaction's fields are checked
// first (so encoding never meets its invariant), the admin key of the session signs it, it is
// posted through the node's manager route and waited for until committed. Not thread-safe
// (the session).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "chain/transaction.h"
#include "client/manager_session.h"
#include "client/node_client.h"

namespace hc::client {

// How long a manager transaction may take to commit before the wait gives up.
inline constexpr std::uint32_t kManagerTxCommitTimeoutMs = 30000;

struct CommittedTx {
  std::string tx_id;  // hex
  std::uint64_t height = 0;
};

// On success the transaction is committed at the returned height; `on_posted` (may be empty)
// is called with its id once the node has accepted it. kInvalidInput for fields the chain
// refuses (chain::check_transaction_fields' message); the signer's and the node's errors
// otherwise (a timeout leaves the transaction possibly still pending).
Result<CommittedTx> submit_manager_tx(const ManagerSession& session, const NodeClient& writer, chain::Transaction tx,
                                      const std::function<void(const std::string& tx_id)>& on_posted = {});

}  // namespace hc::client

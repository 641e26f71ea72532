#include "client/manager_transaction.h"

namespace hc::client {

Result<CommittedTx> submit_manager_tx(const ManagerSession& session, const NodeClient& writer, chain::Transaction tx,
                                      const std::function<void(const std::string& tx_id)>& on_posted) {
  HC_RETURN_IF_ERROR(chain::check_transaction_fields(tx));  // never reach encode's invariant
  HC_RETURN_IF_ERROR(session.sign(tx));
  const Bytes encoding = chain::encode_transaction(tx);
  HC_ASSIGN_OR_RETURN(std::string tx_id, writer.submit_manager_transaction(encoding));
  if (on_posted) on_posted(tx_id);
  HC_ASSIGN_OR_RETURN(TxStatus committed, writer.wait_committed(tx_id, kManagerTxCommitTimeoutMs));
  return CommittedTx{tx_id, committed.height};
}

}  // namespace hc::client

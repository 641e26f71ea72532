#include "client/manager_read.h"

#include <chrono>

#include "client/audit_purpose.h"
#include "client/manager_transaction.h"
#include "client/terminal_text.h"

namespace hc::client {

namespace {

std::uint64_t audit_unix_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

// The account the node knows the reader token by, as the audit entry will name it.
Result<std::string> reader_account_name(const NodeClient& reader) {
  auto name = reader.whoami();
  if (!name.ok()) return name.status().with_context("cannot learn which reader account this token is");
  chain::AccessAuditTx probe;
  probe.purpose = "x";
  probe.accessor = *name;
  if (!chain::check_transaction_fields(chain::Transaction{probe}).ok()) {
    return invalid_input("the node knows this reader token as \"" + for_terminal(name->substr(0, 64)) +
                         "\", which an audit entry cannot name: ask the hospital for a reader account "
                         "(hc hospital reader add)");
  }
  return name;
}

}  // namespace

Result<ThresholdRetrieval> retrieve_as_manager(ManagerSession& session, const NodeClient& reader,
                                               const NodeClient& writer, const chain::Serial& serial,
                                               const ThresholdRetrievalOptions& options) {
  if (session.genesis().access_mode != chain::AccessMode::kSingleManager) {
    return invalid_input("the chain is in trustees mode: the trustees answer access requests, not the manager's keys");
  }
  HC_RETURN_IF_ERROR(check_audit_purpose(options.purpose));
  HC_ASSIGN_OR_RETURN(std::string accessor, reader_account_name(reader));
  chain::AccessAuditTx audit;
  audit.accessor = accessor;
  audit.serial = serial;
  audit.manager_key_id = session.admin_key_id();
  audit.timestamp_ms = audit_unix_ms();
  audit.purpose = options.purpose;
  RetrievalProgress step;
  auto posted = [&](const std::string& tx_id) {
    step.request_id = tx_id;
    if (options.on_step) options.on_step(step);
  };
  HC_ASSIGN_OR_RETURN(CommittedTx committed, submit_manager_tx(session, writer, chain::Transaction{audit}, posted));
  if (options.progress) {
    options.progress("access by " + accessor + " recorded on the chain: audit transaction " + committed.tx_id +
                     " at height " + std::to_string(committed.height));
  }
  step.stage = RetrievalProgress::Stage::kCommitted;
  step.height = committed.height;
  // Fetched only now: nothing is read before the access is on the chain.
  HC_ASSIGN_OR_RETURN(nlohmann::json answer, reader.records_by_serial(chain::digest_hex(serial)));
  HC_ASSIGN_OR_RETURN(auto items, verify_serial_answer(answer, serial, session.certificates()));
  ThresholdRetrieval out;
  out.history = read_patient_history(session, items);
  step.records = out.history.visits.size() + out.history.unreadable.size();
  if (options.on_step) options.on_step(step);
  out.requests.push_back({committed.tx_id, committed.height, 0, step.records, {}, {}, true});
  return out;
}

}  // namespace hc::client

#include "client/console_manager_read.h"

#include <chrono>

#include "client/audit_purpose.h"
#include "client/terminal_text.h"

namespace hc::client {

namespace {

constexpr std::uint32_t kAuditCommitTimeoutMs = 30000;

std::uint64_t audit_unix_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

}  // namespace

Result<ThresholdRetrieval> retrieve_as_manager(ManagerSession& session, const NodeClient& reader,
                                               const NodeClient& writer, const chain::Serial& serial,
                                               const ThresholdRetrievalOptions& options) {
  if (session.genesis().access_mode != chain::AccessMode::kSingleManager) {
    return invalid_input("the chain is in trustees mode: the trustees answer access requests, not the manager's keys");
  }
  HC_RETURN_IF_ERROR(check_audit_purpose(options.purpose));
  auto accessor = reader.whoami();
  if (!accessor.ok()) return accessor.status().with_context("cannot learn which reader account this token is");
  chain::AccessAuditTx audit;
  audit.accessor = *accessor;
  audit.serial = serial;
  audit.manager_key_id = session.admin_key_id();
  audit.timestamp_ms = audit_unix_ms();
  audit.purpose = options.purpose;
  chain::Transaction tx(audit);
  if (Status fields = chain::check_transaction_fields(tx); !fields.ok()) {
    return invalid_input("an audit entry cannot carry this access (the reader account \"" +
                         for_terminal(accessor->substr(0, 64)) + "\"): " + fields.message());
  }
  HC_RETURN_IF_ERROR(session.sign(tx));
  const Bytes encoding = chain::encode_transaction(tx);
  HC_ASSIGN_OR_RETURN(std::string tx_id, writer.submit_manager_transaction(encoding));
  RetrievalProgress step;
  step.request_id = tx_id;
  if (options.on_step) options.on_step(step);
  HC_ASSIGN_OR_RETURN(TxStatus committed, writer.wait_committed(tx_id, kAuditCommitTimeoutMs));
  step.stage = RetrievalProgress::Stage::kCommitted;
  step.height = committed.height;
  // Fetched only now: nothing is read before the access is on the chain.
  HC_ASSIGN_OR_RETURN(nlohmann::json answer, reader.records_by_serial(chain::digest_hex(serial)));
  HC_ASSIGN_OR_RETURN(auto items, verify_serial_answer(answer, serial, session.certificates()));
  ThresholdRetrieval out;
  out.history = read_patient_history(session, items);
  step.records = out.history.visits.size() + out.history.unreadable.size();
  if (options.on_step) options.on_step(step);
  out.requests.push_back({tx_id, committed.height, 0, step.records, {}, {}, true});
  return out;
}

}  // namespace hc::client

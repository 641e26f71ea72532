// `hc manager retrieve | audit | revoke | publish-key`: the group manager working with the chain
// through a node. Every retrieval first puts an access-audit entry on the chain, naming the
// reader account that reads (the name the node knows the reader token by: GET /v1/whoami;
// the person's own token with --reader-token-file, else DIR/reader.token); everything
// read from the node is verified (item_verification.h) before it is decrypted and opened.
// The steps of retrieve (single-manager mode), revoke and publish-key are the client's
// (client/manager_read.h, manager_revocation.h, manager_key_rotation.h), which the access
// console runs too; this file reads the options and prints the results.
#include <nlohmann/json.hpp>

#include <cstdio>
#include <ctime>

#include "cli/access_commands.h"
#include "cli/commands.h"
#include "cli/manager_chain_commands.h"
#include "cli/passphrase.h"
#include "cli/patient_input.h"
#include "client/access_request_answer.h"
#include "client/audit_purpose.h"
#include "client/fields_file.h"
#include "client/manager_key_rotation.h"
#include "client/manager_read.h"
#include "client/manager_revocation.h"
#include "client/manager_session.h"
#include "client/node_client.h"
#include "client/node_tls_trust.h"
#include "client/patient_history.h"
#include "client/terminal_text.h"

namespace hc::cli {

namespace {

struct ChainArgs {
  std::string dir, node, name, id, patient_file, purpose;
  std::string reader_token_file;  // the reading person's own reader token; default DIR/reader.token
  std::string member;
  bool json = false;  // machine-readable output (retrieve, audit)
  std::uint32_t timeout_s = kDefaultTrusteeAnswerTimeoutS;  // trustees mode: for the trustees' answers
  PassphraseOption pass;
};

void add_common(CLI::App* cmd, ChainArgs& a) {
  cmd->add_option("--dir", a.dir, "Manager directory")->required();
  cmd->add_option("--node", a.node, "A node's API URL, e.g. https://node.hospital.example:8001 (verified against the genesis)")->required();
  a.pass.add_to(cmd);
}

// --patient-file F (or - for standard input) with "name" and "id"; --name/--id as a discouraged
// convenience (command-line values are visible to every local user).
void add_patient(CLI::App* cmd, ChainArgs& a) {
  cmd->add_option("--patient-file", a.patient_file,
                  "File (or - for stdin) with the patient's name and id: JSON {\"name\":..,\"id\":..} or "
                  "'name: ...' / 'id: ...' lines");
  cmd->add_option("--name", a.name, "Patient name (discouraged: visible in the process list; use --patient-file)");
  cmd->add_option("--id", a.id, "Patient ID number (discouraged: use --patient-file)");
  cmd->add_flag("--json", a.json, "Print the result as JSON (for scripts)");
  cmd->add_option("--reader-token-file", a.reader_token_file,
                  "File holding your own reader token (hc hospital reader add); default DIR/reader.token");
}


Result<std::unique_ptr<client::ManagerSession>> open_session(const ChainArgs& a) {
  HC_ASSIGN_OR_RETURN(SecureBytes passphrase, a.pass.read());
  HC_ASSIGN_OR_RETURN(auto session, client::ManagerSession::open(a.dir, std::move(passphrase)));
  session->follow_changes_of(a.node);
  return session;
}

std::string utc_time(std::uint64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string where(const std::string& tx_id, std::uint64_t height) {
  return tx_id + " at height " + std::to_string(height);
}

// The node's client for posting manager transactions (no token: they are signed).
Result<client::NodeClient> writer_client(const std::string& node_url, const client::ManagerSession& session) {
  return client::connect_to_node(node_url, {}, session.genesis());
}

// The reader's client: --reader-token-file, else the manager directory's reader.token.
Result<client::NodeClient> reader_client(const ChainArgs& a, const client::ManagerSession& session) {
  std::string token;
  if (a.reader_token_file.empty()) {
    HC_ASSIGN_OR_RETURN(token, session.reader_token());
  } else {
    HC_ASSIGN_OR_RETURN(token, client::read_token_file(a.reader_token_file));
  }
  return client::connect_to_node(a.node, std::move(token), session.genesis());
}

// The verified items under the patient's serial.
Result<std::vector<client::VerifiedItem>> fetch_verified(const client::NodeClient& reader,
                                                         client::ManagerSession& session, const chain::Serial& serial) {
  HC_ASSIGN_OR_RETURN(nlohmann::json answer, reader.records_by_serial(chain::digest_hex(serial)));
  return client::verify_serial_answer(answer, serial, session.certificates());
}

Status retrieve(ChainArgs& a) {
  HC_RETURN_IF_ERROR(client::check_audit_purpose(a.purpose));
  PatientInput patient;
  HC_RETURN_IF_ERROR(read_patient_input(a.patient_file, a.name, a.id, patient));
  HC_ASSIGN_OR_RETURN(auto session, open_session(a));
  HC_ASSIGN_OR_RETURN(chain::Serial serial, session->serial_of(patient.name, patient.id));
  HC_ASSIGN_OR_RETURN(client::NodeClient reader, reader_client(a, *session));
  if (session->genesis().access_mode == chain::AccessMode::kTrustees) {
    // The committed access request is the audit entry; the trustees answer only to it.
    client::ManagerRequester requester(*session);
    return run_trustee_retrieval(requester, reader, serial, TrusteeRetrievalRun{a.node, a.purpose, a.timeout_s, a.json});
  }
  // The access is committed on the chain (client/manager_read.h) before anything is fetched.
  HC_ASSIGN_OR_RETURN(client::NodeClient writer, writer_client(a.node, *session));
  client::ThresholdRetrievalOptions options;
  options.purpose = a.purpose;
  if (!a.json) options.progress = [](const std::string& line) { std::printf("%s\n", line.c_str()); };
  HC_ASSIGN_OR_RETURN(client::ThresholdRetrieval read, client::retrieve_as_manager(*session, reader, writer, serial, options));
  const client::PatientHistory& history = read.history;
  const std::string& audit_tx_id = read.requests.front().request_id;
  std::string text = a.json ? client::history_json(history, audit_tx_id) + "\n" : client::history_table(history);
  std::fwrite(text.data(), 1, text.size(), stdout);
  secure_wipe(text.data(), text.size());
  if (history.unreadable.empty()) return Status::ok_status();
  return report_rejected(Status::error(
      ErrorCode::kAuthFailed, std::to_string(history.unreadable.size()) + " of " +
                                  std::to_string(history.unreadable.size() + history.visits.size()) +
                                  " record(s) could not be read (listed with the visits; exit status 1)"));
}

// A trustees-mode access request as an audit entry, with every trustee that answered it (from
// the node's verified GET /v1/access-requests/{id}); printed as a table row unless `json`.
nlohmann::json access_request_entry(const client::NodeClient& reader, const client::ChainTrust& trust,
                                    const client::VerifiedItem& item, const chain::AccessRequestTx& request,
                                    bool json) {
  const std::string id = chain::digest_hex(item.tx_id);
  nlohmann::json answered = nlohmann::json::array();
  nlohmann::json opened_by = nlohmann::json::array();  // trustees that sent partial openings
  std::string by;
  auto answer = reader.access_request_answer(id);
  Result<client::ProvenAccessRequest> proven =
      answer.ok() ? client::verify_access_request_answer_following(reader, *answer, item.tx_id, trust) : Result<client::ProvenAccessRequest>(answer.status());
  if (proven.ok()) {
    for (const auto& s : proven->answers) {
      answered.push_back(s.shares.trustee);
      if (!s.shares.partial_openings.empty()) opened_by.push_back(s.shares.trustee);
      by += (by.empty() ? "" : ",") + std::to_string(s.shares.trustee);
    }
  }
  nlohmann::json entry{{"accessed_at", utc_time(request.timestamp_ms)}, {"timestamp_ms", request.timestamp_ms},
                       {"height", item.height}, {"access_request", id}, {"key_epoch", request.key_epoch},
                       {"purpose", request.purpose}, {"answered_by_trustees", answered},
                       {"asks", request.open ? (request.decrypt ? "decrypt and open" : "open") : "decrypt"},
                       {"partial_openings_by_trustees", opened_by}};
  if (!proven.ok()) entry["answers_unavailable"] = proven.status().message();
  if (!json) {
    const std::string trustees = proven.ok() ? "trustees " + (by.empty() ? std::string("none yet") : by)
                                             : "trustees: unavailable (" + proven.status().message() + ")";
    std::printf("%-21s %-7llu %-18s %-24s %s [request %s; answered by %s]\n", utc_time(request.timestamp_ms).c_str(),
                static_cast<unsigned long long>(item.height), request.open ? "opening request" : "access request", "admin key",
                client::for_terminal(request.purpose).c_str(), id.substr(0, 16).c_str(),
                client::for_terminal(trustees).c_str());
  }
  return entry;
}

Status audit(ChainArgs& a) {
  PatientInput patient;
  HC_RETURN_IF_ERROR(read_patient_input(a.patient_file, a.name, a.id, patient));
  HC_ASSIGN_OR_RETURN(auto session, open_session(a));
  HC_ASSIGN_OR_RETURN(chain::Serial serial, session->serial_of(patient.name, patient.id));
  HC_ASSIGN_OR_RETURN(client::NodeClient reader, reader_client(a, *session));
  HC_ASSIGN_OR_RETURN(auto items, fetch_verified(reader, *session, serial));
  nlohmann::json entries = nlohmann::json::array();
  if (!a.json) {
    std::printf("%-21s %-7s %-18s %-24s %s\n", "accessed at (UTC)", "height", "manager key", "accessed by", "purpose");
  }
  client::ChainTrust trust = client::ChainTrust::from_genesis(session->genesis()).value();
  trust.follow_changes_of(a.node);
  for (const auto& item : items) {
    if (const auto* request = std::get_if<chain::AccessRequestTx>(&item.tx)) {
      entries.push_back(access_request_entry(reader, trust, item, *request, a.json));
      continue;
    }
    const auto* entry = std::get_if<chain::AccessAuditTx>(&item.tx);
    if (entry == nullptr) continue;
    std::string key_id = to_hex(entry->manager_key_id);
    // Entries from before issue 15 name no account.
    const std::string by = entry->accessor.empty() ? "(not recorded)" : entry->accessor;
    entries.push_back({{"accessed_at", utc_time(entry->timestamp_ms)}, {"timestamp_ms", entry->timestamp_ms},
                       {"height", item.height}, {"manager_key_id", key_id}, {"purpose", entry->purpose}});
    if (!entry->accessor.empty()) entries.back()["accessed_by"] = entry->accessor;
    if (a.json) continue;
    std::string key = entry->manager_key_id == session->admin_key_id() ? "admin key" : key_id.substr(0, 16);
    std::printf("%-21s %-7llu %-18s %-24s %s\n", utc_time(entry->timestamp_ms).c_str(),
                static_cast<unsigned long long>(item.height), key.c_str(), client::for_terminal(by).c_str(),
                client::for_terminal(entry->purpose).c_str());
  }
  if (a.json) {
    std::printf("%s\n", nlohmann::json{{"accesses", entries}}.dump(2, ' ', false,
                                                                   nlohmann::json::error_handler_t::replace).c_str());
  } else {
    std::printf("%zu access(es) recorded\n", entries.size());
  }
  return Status::ok_status();
}

Status revoke(const ChainArgs& a) {
  HC_ASSIGN_OR_RETURN(auto session, open_session(a));
  HC_ASSIGN_OR_RETURN(client::NodeClient writer, writer_client(a.node, *session));
  HC_ASSIGN_OR_RETURN(client::RevocationDone done, client::revoke_member(*session, writer, a.member));
  std::printf("revoked %s: epoch %llu started by revocation transaction %s\n", client::for_terminal(done.member).c_str(),
              static_cast<unsigned long long>(done.new_epoch), where(done.tx_id, done.height).c_str());
  return Status::ok_status();
}

}  // namespace

Status check_manager_session(const std::string& manager_dir, const SecureBytes& passphrase) {
  return client::ManagerSession::open(manager_dir, SecureBytes(passphrase.view())).status();
}

Status publish_current_envelope_key(const std::string& manager_dir, const std::string& node_url,
                                    const SecureBytes& passphrase) {
  HC_ASSIGN_OR_RETURN(auto session, client::ManagerSession::open(manager_dir, SecureBytes(passphrase.view())));
  session->follow_changes_of(node_url);
  if (!session->keys().current_key_id()) return invalid_input("the manager has no envelope key yet");
  HC_ASSIGN_OR_RETURN(client::NodeClient writer, writer_client(node_url, *session));
  HC_ASSIGN_OR_RETURN(client::KeyPublication done,
                      client::publish_envelope_key(*session, writer, *session->keys().current_key_id()));
  std::printf("envelope key %s published on the chain: transaction %s\n", done.key_id.c_str(),
              where(done.tx_id, done.height).c_str());
  return Status::ok_status();
}

void add_manager_chain_commands(CLI::App* group) {
  auto a = std::make_shared<ChainArgs>();
  auto* r = group->add_subcommand("retrieve", "Audit, fetch, verify, decrypt and open a patient's records");
  add_common(r, *a);
  add_patient(r, *a);
  r->add_option("--purpose", a->purpose,
                "Why the records are accessed: required, recorded on the chain before anything is decrypted "
                "(UTF-8, at most 1024 bytes, no control characters)")
      ->required();
  r->add_option("--timeout", a->timeout_s,
                "Trustees-mode chain: seconds to wait for the trustees' decryption shares")
      ->default_val(a->timeout_s)
      ->check(CLI::Range(1u, kMaxTrusteeAnswerTimeoutS));
  r->footer("On a trustees-mode chain the retrieval posts an access request (the audit entry), waits for t "
            "trustees' decryption shares and combines them (as hc access request). Exit status: 0 every record was "
            "read; 1 the visits that could be read are shown and the records that could not are listed (height, "
            "tx id, reason, signing hospital); 2 bad input; 3 local failure.");
  run_with(r, [a]() { return retrieve(*a); });

  auto b = std::make_shared<ChainArgs>();
  auto* au = group->add_subcommand(
      "audit", "List who accessed a patient's records and when (trustees mode: every access request and the "
               "trustees that answered it)");
  add_common(au, *b);
  add_patient(au, *b);
  run_with(au, [b]() { return audit(*b); });

  auto c = std::make_shared<ChainArgs>();
  auto* rv = group->add_subcommand("revoke", "Revoke a hospital: publish the revocation and start a new epoch");
  add_common(rv, *c);
  rv->add_option("--member", c->member, "The hospital's member name")->required();
  run_with(rv, [c]() { return revoke(*c); });

  auto d = std::make_shared<ChainArgs>();
  auto* pk = group->add_subcommand("publish-key", "Publish the manager's current envelope key on the chain");
  add_common(pk, *d);
  run_with(pk, [d]() -> Status {
    HC_ASSIGN_OR_RETURN(SecureBytes passphrase, d->pass.read());
    return publish_current_envelope_key(d->dir, d->node, passphrase);
  });
}

}  // namespace hc::cli

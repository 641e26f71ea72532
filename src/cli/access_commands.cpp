// `hc access request | status`: see access_commands.h. The patient's name and ID come from
// --patient-file (or standard input), as for `hc manager retrieve`; --name/--id are kept as a
// discouraged convenience. The one-time requester key lives in memory only and is wiped. The
// request is signed by the manager (--dir) or by a reader the chain's reader policy lists
// (--reader-key, with --genesis and --reader-token-file: no manager directory).
#include "cli/access_commands.h"

#include <nlohmann/json.hpp>

#include <cstdio>

#include "cli/commands.h"
#include "cli/passphrase.h"
#include "cli/patient_input.h"
#include "client/access_request_answer.h"
#include "client/audit_purpose.h"
#include "client/fields_file.h"
#include "client/genesis_trust.h"
#include "client/node_tls_trust.h"
#include "client/patient_history.h"
#include "client/pseudonym_key.h"
#include "crypto/serial_number.h"
#include "client/terminal_text.h"
#include "client/threshold_retrieval.h"

namespace hc::cli {

namespace {

using nlohmann::json;

struct AccessRequestArgs {
  std::string dir, node, patient_file, name, id, purpose, reader_token_file;
  // A listed reader instead of the manager: its key file, the genesis, and the patient's
  // serial (--serial) or the consortium pseudonym key to compute it; the group's public
  // registries (--group-dir) to name hospitals.
  std::string reader_key, genesis, serial, pseudonym_key, group_dir;
  std::uint32_t timeout_s = kDefaultTrusteeAnswerTimeoutS;
  bool json = false;
  PassphraseOption pass;
};


std::string trustee_list(const std::vector<std::uint16_t>& trustees) {
  std::string out;
  for (std::uint16_t t : trustees) out += (out.empty() ? "" : ", ") + std::to_string(t);
  return out.empty() ? "none" : out;
}

json requests_json(const std::vector<client::AnsweredRequest>& requests) {
  json out = json::array();
  for (const client::AnsweredRequest& r : requests) {
    json rejected = json::array();
    for (const auto& x : r.rejected) rejected.push_back({{"trustee", x.trustee}, {"reason", x.reason}});
    out.push_back({{"request_id", r.request_id}, {"height", r.height}, {"key_epoch", r.key_epoch},
                   {"records", r.records}, {"answered_by", r.answered}, {"rejected", rejected},
                   {"hospitals_from", r.asked_to_open ? "trustees' threshold opening" : "not named"},
                   {"sharing", {{"reshare_epoch", r.reshare_epoch}, {"seats", r.seats}, {"threshold", r.threshold}}}});
  }
  return out;
}

// The serial a reader asks about: given as hex, or computed from the patient's name and ID
// with the consortium pseudonym key (checked against the genesis).
Result<chain::Serial> reader_serial(AccessRequestArgs& a, const chain::Genesis& genesis) {
  if (!a.serial.empty()) {
    if (!a.patient_file.empty() || !a.name.empty() || !a.id.empty()) {
      return invalid_input("give the patient either as --serial or as --patient-file, not both");
    }
    return chain::digest_from_hex(a.serial);
  }
  if (a.pseudonym_key.empty()) {
    return invalid_input("a reader names the patient with --serial HEX, or with --patient-file and --pseudonym-key FILE");
  }
  PatientInput patient;
  HC_RETURN_IF_ERROR(read_patient_input(a.patient_file, a.name, a.id, patient));
  HC_ASSIGN_OR_RETURN(SecureBytes key, client::load_checked_pseudonym_key(a.pseudonym_key, genesis));
  return crypto::compute_serial(key.span(), patient.name, patient.id);
}

Status reader_access_request(AccessRequestArgs& a) {
  if (a.genesis.empty() || a.reader_token_file.empty()) {
    return invalid_input("--reader-key needs --genesis FILE and --reader-token-file FILE (no manager directory)");
  }
  HC_ASSIGN_OR_RETURN(SecureBytes passphrase, a.pass.read());
  std::optional<std::filesystem::path> group_dir;
  if (!a.group_dir.empty()) group_dir = a.group_dir;
  HC_ASSIGN_OR_RETURN(auto session, client::ReaderSession::open(a.genesis, a.reader_key, passphrase, group_dir));
  session->follow_changes_of(a.node);
  HC_ASSIGN_OR_RETURN(chain::Serial serial, reader_serial(a, session->genesis()));
  HC_ASSIGN_OR_RETURN(std::string token, client::read_token_file(a.reader_token_file));
  HC_ASSIGN_OR_RETURN(client::NodeClient reader,
                      client::connect_to_node(a.node, std::move(token), session->genesis()));
  return run_trustee_retrieval(*session, reader, serial, TrusteeRetrievalRun{a.node, a.purpose, a.timeout_s, a.json});
}

Status access_request(AccessRequestArgs& a) {
  HC_RETURN_IF_ERROR(client::check_audit_purpose(a.purpose));
  if (a.dir.empty() == a.reader_key.empty()) {
    return invalid_input("sign the request either as the manager (--dir) or as a listed reader (--reader-key), one of them");
  }
  if (!a.reader_key.empty()) return reader_access_request(a);
  if (!a.serial.empty() || !a.pseudonym_key.empty() || !a.genesis.empty() || !a.group_dir.empty()) {
    return invalid_input("--serial, --pseudonym-key, --genesis and --group-dir are for a reader (--reader-key)");
  }
  PatientInput patient;
  HC_RETURN_IF_ERROR(read_patient_input(a.patient_file, a.name, a.id, patient));
  HC_ASSIGN_OR_RETURN(SecureBytes passphrase, a.pass.read());
  HC_ASSIGN_OR_RETURN(auto session, client::ManagerSession::open(a.dir, std::move(passphrase)));
  if (session->genesis().access_mode != chain::AccessMode::kTrustees) {
    return invalid_input("the chain is single-manager: use hc manager retrieve (there are no trustees to ask)");
  }
  session->follow_changes_of(a.node);
  HC_ASSIGN_OR_RETURN(chain::Serial serial, session->serial_of(patient.name, patient.id));
  std::string token;
  if (a.reader_token_file.empty()) {
    HC_ASSIGN_OR_RETURN(token, session->reader_token());
  } else {
    HC_ASSIGN_OR_RETURN(token, client::read_token_file(a.reader_token_file));
  }
  HC_ASSIGN_OR_RETURN(client::NodeClient reader,
                      client::connect_to_node(a.node, std::move(token), session->genesis()));
  client::ManagerRequester requester(*session);
  return run_trustee_retrieval(requester, reader, serial, TrusteeRetrievalRun{a.node, a.purpose, a.timeout_s, a.json});
}

std::string asks_text(const chain::AccessRequestTx& request) {
  if (request.decrypt && request.open) return "decrypt and open";
  return request.open ? "open" : "decrypt";
}

// Who signed the request: the manager, or the listed reader whose key it names.
std::string requester_text(const chain::AccessRequestTx& request) {
  return request.reader ? "reader " + to_hex(*request.reader) : std::string("manager");
}

struct AccessStatusArgs {
  std::string request_id, node, genesis, token_file;
  bool json = false;
};

Status access_status(const AccessStatusArgs& a) {
  HC_ASSIGN_OR_RETURN(chain::Digest request_id, chain::digest_from_hex(a.request_id));
  HC_ASSIGN_OR_RETURN(std::string token, client::read_token_file(a.token_file));
  HC_ASSIGN_OR_RETURN(client::ChainTrust trust, client::ChainTrust::from_genesis_file(a.genesis));
  trust.follow_changes_of(a.node);
  if (trust.genesis().access_mode != chain::AccessMode::kTrustees) {
    return invalid_input("the chain is single-manager: it has no access requests");
  }
  HC_ASSIGN_OR_RETURN(client::NodeClient node,
                      client::connect_to_node(a.node, std::move(token), trust.genesis()));
  HC_ASSIGN_OR_RETURN(json answer, node.access_request_answer(a.request_id));
  HC_ASSIGN_OR_RETURN(client::ProvenAccessRequest proven, client::verify_access_request_answer_following(node, answer, request_id, trust));
  std::vector<std::uint16_t> answered;
  json answers = json::array();
  for (const client::ProvenShareAnswer& s : proven.answers) {
    answered.push_back(s.shares.trustee);
    answers.push_back({{"trustee", s.shares.trustee}, {"height", s.height}, {"tx_id", chain::digest_hex(s.tx_id)},
                       {"shares", s.shares.share_boxes.size()},
                       {"partial_openings", s.shares.partial_openings.size()}});
  }
  const std::size_t m = trust.genesis().trustee_keys.size();
  const std::uint16_t t = trust.genesis().trustee_threshold;
  if (a.json) {
    json out{{"request_id", a.request_id}, {"height", proven.height}, {"serial", to_hex(proven.request.serial)},
             {"key_epoch", proven.request.key_epoch}, {"timestamp_ms", proven.request.timestamp_ms},
             {"purpose", proven.request.purpose}, {"records", proven.request.record_ids.size()},
             {"asks", asks_text(proven.request)}, {"requested_by", requester_text(proven.request)},
             {"threshold", t}, {"trustees", m}, {"answers", answers}};
    std::printf("%s\n", out.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
    return Status::ok_status();
  }
  std::printf("access request %s\n", a.request_id.c_str());
  std::printf("  committed at height %llu, key epoch %llu, serial %s\n",
              static_cast<unsigned long long>(proven.height), static_cast<unsigned long long>(proven.request.key_epoch),
              to_hex(proven.request.serial).c_str());
  std::printf("  purpose: %s\n", client::for_terminal(proven.request.purpose).c_str());
  std::printf("  asks to: %s\n", asks_text(proven.request).c_str());
  std::printf("  requested by: %s\n", requester_text(proven.request).c_str());
  std::printf("  records named: %zu%s\n", proven.request.record_ids.size(),
              proven.request.record_ids.empty() ? " (every record of the serial)" : "");
  std::printf("  trustees answered: %zu of %zu (%u needed): %s\n", answered.size(), m, static_cast<unsigned>(t),
              trustee_list(answered).c_str());
  for (const client::ProvenShareAnswer& s : proven.answers) {
    std::printf("    trustee %u at height %llu, transaction %s: %zu decryption share(s), %zu partial opening(s)\n",
                static_cast<unsigned>(s.shares.trustee), static_cast<unsigned long long>(s.height),
                chain::digest_hex(s.tx_id).c_str(), s.shares.share_boxes.size(), s.shares.partial_openings.size());
  }
  return Status::ok_status();
}

void add_access_request(CLI::App* group) {
  auto a = std::make_shared<AccessRequestArgs>();
  auto* cmd = group->add_subcommand(
      "request",
      "Ask the trustees for a patient's records: a committed access request, then t decryption shares and, for "
      "records signed under the trustees' opener key, t partial openings that name each record's hospital");
  cmd->add_option("--dir", a->dir, "Manager directory: its admin key signs the request (or --reader-key)");
  cmd->add_option("--reader-key", a->reader_key,
                  "A listed reader's key file (hc access reader-key create): it signs the request instead of the "
                  "manager; needs --genesis and --reader-token-file, and --serial or --patient-file with "
                  "--pseudonym-key");
  cmd->add_option("--genesis", a->genesis, "Reader: the chain's genesis file");
  cmd->add_option("--serial", a->serial, "Reader: the patient's serial (64 hex digits) instead of name and id");
  cmd->add_option("--pseudonym-key", a->pseudonym_key,
                  "Reader: the consortium pseudonym key file, to compute the serial from --patient-file");
  cmd->add_option("--group-dir", a->group_dir,
                  "Reader: a directory with the group's public registries (the layout of the manager's DIR/group); "
                  "with it the request also asks to open, and needs the open right");
  cmd->add_option("--node", a->node, "A node's API URL (verified against the genesis)")->required();
  cmd->add_option("--purpose", a->purpose,
                  "Why the records are read: required, recorded on the chain in the request before anything is "
                  "decrypted (UTF-8, at most 1024 bytes, not blank, no control characters)")
      ->required();
  cmd->add_option("--patient-file", a->patient_file,
                  "File (or - for stdin) with the patient's name and id: JSON {\"name\":..,\"id\":..} or "
                  "'name: ...' / 'id: ...' lines");
  cmd->add_option("--name", a->name, "Patient name (discouraged: visible in the process list; use --patient-file)");
  cmd->add_option("--id", a->id, "Patient ID number (discouraged: use --patient-file)");
  cmd->add_option("--timeout", a->timeout_s, "Seconds to wait for the trustees' answers")
      ->default_val(a->timeout_s)
      ->check(CLI::Range(1u, kMaxTrusteeAnswerTimeoutS));
  cmd->add_option("--reader-token-file", a->reader_token_file,
                  "File holding your own reader token; default DIR/reader.token (required with --reader-key)");
  cmd->add_flag("--json", a->json, "Print the result as JSON (for scripts)");
  a->pass.add_to(cmd);
  cmd->footer("Exit status: 0 every record was read; 1 some could not be (listed); 2 bad input, too few trustees "
              "answered (the error says how many answered and how many are needed), a trustee named for a bad "
              "share or partial opening is listed; 3 local failure.");
  run_with(cmd, [a]() { return access_request(*a); });
}

void add_access_status(CLI::App* group) {
  auto a = std::make_shared<AccessStatusArgs>();
  auto* cmd = group->add_subcommand("status", "Show an access request on the chain: purpose, what it asks (decrypt, open), which trustees answered with what");
  cmd->add_option("request_id", a->request_id, "The request's transaction id (64 hex digits)")->required();
  cmd->add_option("--node", a->node, "A node's API URL (verified against --genesis)")->required();
  cmd->add_option("--genesis", a->genesis, "The chain's genesis file")->required();
  cmd->add_option("--token-file", a->token_file, "File holding a reader token")->required();
  cmd->add_flag("--json", a->json, "Print the result as JSON (for scripts)");
  run_with(cmd, [a]() { return access_status(*a); });
}

}  // namespace

Status run_trustee_retrieval(client::AccessRequester& session, const client::NodeClient& reader,
                             const chain::Serial& serial, const TrusteeRetrievalRun& run) {
  HC_ASSIGN_OR_RETURN(client::NodeClient writer,
                      client::connect_to_node(run.node_url, {}, session.genesis()));
  client::ThresholdRetrievalOptions options;
  options.purpose = run.purpose;
  options.timeout_ms = run.timeout_s * 1000;
  if (!run.json) options.progress = [](const std::string& line) { std::printf("%s\n", line.c_str()); };
  HC_ASSIGN_OR_RETURN(client::ThresholdRetrieval r, client::retrieve_with_trustees(session, reader, writer, serial, options));
  std::string text;
  if (run.json) {
    json doc = json::parse(client::history_json(r.history, r.requests.empty() ? "" : r.requests.front().request_id));
    doc.erase("audit_tx_id");
    doc["access_requests"] = requests_json(r.requests);
    text = doc.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  } else {
    for (const client::AnsweredRequest& q : r.requests) {
      text += "request " + q.request_id + ": answered by trustees " + trustee_list(q.answered) + "\n";
      for (const auto& x : q.rejected) {
        text += "  trustee " + std::to_string(x.trustee) + " sent a bad answer: " + client::for_terminal(x.reason) + "\n";
      }
      text += q.asked_to_open ? "  the hospitals of its records were named by the trustees' threshold opening\n"
                              : "  it did not ask to open (its key epoch has no opener key, or a record is not signed "
                                "under it): the hospitals are not named\n";
    }
    text += client::history_table(r.history);
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  secure_wipe(text.data(), text.size());
  if (r.history.unreadable.empty()) return Status::ok_status();
  return report_rejected(Status::error(
      ErrorCode::kAuthFailed, std::to_string(r.history.unreadable.size()) + " of " +
                                  std::to_string(r.history.unreadable.size() + r.history.visits.size()) +
                                  " record(s) could not be read (listed with the visits; exit status 1)"));
}

void register_access_commands(CLI::App& app) {
  auto* group = app.add_subcommand("access", "Trustees mode: read records through committed access requests");
  group->require_subcommand(1);
  add_access_request(group);
  add_access_status(group);
  register_access_policy_commands(group);
}

}  // namespace hc::cli

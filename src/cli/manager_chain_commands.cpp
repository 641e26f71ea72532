// `hc manager retrieve | audit | revoke | publish-key`: the group manager working with the chain
// through a node. Every retrieval first puts an access-audit entry on the chain; everything
// read from the node is verified (item_verification.h) before it is decrypted and opened.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>

#include "cli/commands.h"
#include "cli/manager_chain_commands.h"
#include "cli/passphrase.h"
#include "client/manager_session.h"
#include "client/node_client.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/revocation.h"
#include "crypto/groupsig/store.h"

namespace hc::cli {

namespace {

constexpr std::uint32_t kCommitTimeoutMs = 30000;

struct ChainArgs {
  std::string dir, node, name, id, purpose = "clinical care: retrieval of the patient's history";
  std::string member;
  bool json = false;  // machine-readable output (retrieve, audit)
  PassphraseOption pass;
};

void add_common(CLI::App* cmd, ChainArgs& a) {
  cmd->add_option("--dir", a.dir, "Manager directory")->required();
  cmd->add_option("--node", a.node, "A node's API URL, e.g. http://127.0.0.1:8001")->required();
  a.pass.add_to(cmd);
}

Result<std::unique_ptr<client::ManagerSession>> open_session(const ChainArgs& a) {
  HC_ASSIGN_OR_RETURN(SecureBytes passphrase, a.pass.read());
  return client::ManagerSession::open(a.dir, std::move(passphrase));
}

std::uint64_t unix_ms() {
  return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count());
}

std::string utc_time(std::uint64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<std::string> submit_and_wait(const client::NodeClient& node, client::ManagerSession& session,
                                    chain::Transaction tx) {
  HC_RETURN_IF_ERROR(session.sign(tx));
  Bytes encoding = chain::encode_transaction(tx);
  HC_ASSIGN_OR_RETURN(std::string tx_id, node.submit_manager_transaction(encoding));
  HC_ASSIGN_OR_RETURN(client::TxStatus st, node.wait_committed(tx_id, kCommitTimeoutMs));
  return tx_id + " at height " + std::to_string(st.height);
}

// The verified items under the patient's serial (after auditing the access when `purpose` is set).
Result<std::vector<client::VerifiedItem>> fetch_verified(const ChainArgs& a, client::ManagerSession& session,
                                                         const std::string& purpose, std::string* audit_tx) {
  HC_ASSIGN_OR_RETURN(chain::Serial serial, session.serial_of(a.name, a.id));
  HC_ASSIGN_OR_RETURN(client::NodeClient writer, client::NodeClient::connect(a.node));
  if (!purpose.empty()) {
    chain::AccessAuditTx audit;
    audit.serial = serial;
    audit.manager_key_id = session.admin_key_id();
    audit.timestamp_ms = unix_ms();
    audit.purpose = purpose;
    HC_ASSIGN_OR_RETURN(std::string where, submit_and_wait(writer, session, chain::Transaction{audit}));
    if (!a.json) std::printf("access recorded on the chain: audit transaction %s\n", where.c_str());
    if (audit_tx != nullptr) *audit_tx = where.substr(0, where.find(' '));
  }
  HC_ASSIGN_OR_RETURN(std::string token, session.reader_token());
  HC_ASSIGN_OR_RETURN(client::NodeClient reader, client::NodeClient::connect(a.node, token));
  HC_ASSIGN_OR_RETURN(nlohmann::json answer, reader.records_by_serial(chain::digest_hex(serial)));
  return client::verify_serial_answer(answer, serial, session.certificates());
}

Status retrieve(const ChainArgs& a) {
  HC_ASSIGN_OR_RETURN(auto session, open_session(a));
  std::string audit_tx;
  HC_ASSIGN_OR_RETURN(auto items, fetch_verified(a, *session, a.purpose, &audit_tx));
  std::vector<client::PatientVisit> visits;
  for (const auto& item : items) {
    if (!std::holds_alternative<chain::RecordTx>(item.tx)) continue;
    HC_ASSIGN_OR_RETURN(client::PatientVisit v, session->read_record(item));
    visits.push_back(std::move(v));
  }
  if (a.json) {
    nlohmann::json out = {{"audit_tx_id", audit_tx}, {"verified_items", items.size()}, {"visits", nlohmann::json::array()}};
    for (const auto& v : visits) {
      nlohmann::json entry = {{"time", v.visit.time}, {"diagnosis", v.visit.diagnosis}, {"hospital", v.hospital},
                              {"height", v.height}, {"tx_id", v.tx_id}, {"epoch", v.epoch}};
      if (v.visit.fhir_json) entry["fhir"] = nlohmann::json::parse(*v.visit.fhir_json, nullptr, false);
      out["visits"].push_back(std::move(entry));
    }
    std::printf("%s\n", out.dump(2).c_str());
    return Status::ok_status();
  }
  std::printf("%zu verified item(s) on the chain, %zu visit(s):\n", items.size(), visits.size());
  std::printf("%-26s %-14s %-7s %s\n", "visit time", "hospital", "height", "diagnosis");
  for (const auto& v : visits) {
    std::printf("%-26s %-14s %-7llu %s\n", v.visit.time.c_str(), v.hospital.c_str(),
                static_cast<unsigned long long>(v.height), v.visit.diagnosis.c_str());
  }
  return Status::ok_status();
}

Status audit(const ChainArgs& a) {
  HC_ASSIGN_OR_RETURN(auto session, open_session(a));
  HC_ASSIGN_OR_RETURN(auto items, fetch_verified(a, *session, "", nullptr));
  nlohmann::json entries = nlohmann::json::array();
  if (!a.json) std::printf("%-21s %-7s %-18s %s\n", "accessed at (UTC)", "height", "manager key", "purpose");
  for (const auto& item : items) {
    const auto* entry = std::get_if<chain::AccessAuditTx>(&item.tx);
    if (entry == nullptr) continue;
    std::string key_id = to_hex(entry->manager_key_id);
    entries.push_back({{"accessed_at", utc_time(entry->timestamp_ms)}, {"timestamp_ms", entry->timestamp_ms},
                       {"height", item.height}, {"manager_key_id", key_id}, {"purpose", entry->purpose}});
    if (a.json) continue;
    std::string key = entry->manager_key_id == session->admin_key_id() ? "admin key" : key_id.substr(0, 16);
    std::printf("%-21s %-7llu %-18s %s\n", utc_time(entry->timestamp_ms).c_str(),
                static_cast<unsigned long long>(item.height), key.c_str(), entry->purpose.c_str());
  }
  if (a.json) {
    std::printf("%s\n", nlohmann::json{{"accesses", entries}}.dump(2).c_str());
  } else {
    std::printf("%zu access(es) recorded\n", entries.size());
  }
  return Status::ok_status();
}

Status revoke(const ChainArgs& a) {
  HC_ASSIGN_OR_RETURN(auto session, open_session(a));
  groupsig::GroupDir group(std::filesystem::path(a.dir) / "group");
  const SecureBytes& pass = session->passphrase();
  HC_ASSIGN_OR_RETURN(std::uint64_t epoch, group.current_epoch());
  HC_ASSIGN_OR_RETURN(groupsig::IssuerKey issuer, groupsig::load_issuer_key(group.issuer_key(), pass.span()));
  HC_ASSIGN_OR_RETURN(groupsig::GroupPublicKey gpk, groupsig::load_gpk(group.gpk(epoch)));
  HC_ASSIGN_OR_RETURN(groupsig::Registry registry, groupsig::load_registry(group.registry(epoch)));
  HC_ASSIGN_OR_RETURN(groupsig::Revocation rev, groupsig::revoke(issuer, gpk, registry, a.member));
  chain::RevocationTx tx;
  tx.new_epoch = rev.gpk.epoch;
  tx.record = groupsig::encode_revocation(rev.record);
  HC_ASSIGN_OR_RETURN(client::NodeClient node, client::NodeClient::connect(a.node));
  // The chain first: the group directory moves to the new epoch only once the chain has.
  HC_ASSIGN_OR_RETURN(std::string where, submit_and_wait(node, *session, chain::Transaction{tx}));
  HC_RETURN_IF_ERROR(group.publish_epoch(rev.gpk, rev.registry, &rev.record));
  HC_RETURN_IF_ERROR(groupsig::save_issuer_key(group.issuer_key(), issuer, pass.span()));
  std::printf("revoked %s: epoch %llu started by revocation transaction %s\n", a.member.c_str(),
              static_cast<unsigned long long>(rev.gpk.epoch), where.c_str());
  return Status::ok_status();
}

}  // namespace

Status publish_current_envelope_key(const std::string& manager_dir, const std::string& node_url,
                                    const SecureBytes& passphrase) {
  HC_ASSIGN_OR_RETURN(auto session, client::ManagerSession::open(manager_dir, SecureBytes(passphrase.view())));
  if (!session->keys().current_key_id()) return invalid_input("the manager has no envelope key yet");
  HC_ASSIGN_OR_RETURN(crypto::EnvelopePublicKey pub, session->keys().public_key(*session->keys().current_key_id()));
  chain::PublishEnvelopeKeyTx tx;
  tx.spki_der = pub.spki_der();
  HC_ASSIGN_OR_RETURN(client::NodeClient node, client::NodeClient::connect(node_url));
  HC_ASSIGN_OR_RETURN(std::string where, submit_and_wait(node, *session, chain::Transaction{tx}));
  std::printf("envelope key %s published on the chain: transaction %s\n", to_hex(pub.key_id()).c_str(), where.c_str());
  return Status::ok_status();
}

void add_manager_chain_commands(CLI::App* group) {
  auto a = std::make_shared<ChainArgs>();
  auto* r = group->add_subcommand("retrieve", "Audit, fetch, verify, decrypt and open a patient's records");
  add_common(r, *a);
  r->add_option("--name", a->name, "Patient name")->required();
  r->add_option("--id", a->id, "Patient ID number")->required();
  r->add_option("--purpose", a->purpose, "Why the records are accessed (recorded on the chain)");
  r->add_flag("--json", a->json, "Print the visits as JSON (for scripts)");
  run_with(r, [a]() { return retrieve(*a); });

  auto b = std::make_shared<ChainArgs>();
  auto* au = group->add_subcommand("audit", "List who accessed a patient's records and when");
  add_common(au, *b);
  au->add_option("--name", b->name, "Patient name")->required();
  au->add_option("--id", b->id, "Patient ID number")->required();
  au->add_flag("--json", b->json, "Print the accesses as JSON (for scripts)");
  run_with(au, [b]() { return audit(*b); });

  auto c = std::make_shared<ChainArgs>();
  auto* rv = group->add_subcommand("revoke", "Revoke a hospital: publish the revocation and start a new epoch");
  add_common(rv, *c);
  rv->add_option("--member", c->member, "The hospital's member name")->required();
  run_with(rv, [c]() { return revoke(*c); });
}

}  // namespace hc::cli

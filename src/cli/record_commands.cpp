// `hc record seal | submit`: a doctor seals a visit so that only the group manager can read it,
// either to a file (to the manager's envelope public key given as PEM) or straight to the
// hospital's node (to the envelope key the chain currently publishes).
#include <cstdio>
#include <optional>

#include "cli/commands.h"
#include "common/bytes.h"
#include "common/file_io.h"
#include "client/node_client.h"
#include "crypto/sealed_record.h"

namespace hc::cli {

namespace {

// What the doctor enters about one visit (both subcommands take the same options).
struct VisitArgs {
  std::string pseudonym_key, name, id, time, diagnosis, fhir_file;

  void add_to(CLI::App* cmd) {
    cmd->add_option("--pseudonym-key", pseudonym_key, "Consortium pseudonym key file")->required();
    cmd->add_option("--name", name, "Patient name")->required();
    cmd->add_option("--id", id, "Patient ID number")->required();
    cmd->add_option("--time", time, "Visit time, RFC 3339 (e.g. 2026-11-24T09:30:00Z)")->required();
    cmd->add_option("--diagnosis", diagnosis, "Diagnosis text")->required();
    cmd->add_option("--fhir", fhir_file, "Optional FHIR R4 JSON resource file");
  }
};

// The serial number from name + ID, the visit payload, sealed to `manager_key`.
Result<crypto::SealedRecord> seal_visit(const VisitArgs& v, const crypto::EnvelopePublicKey& manager_key) {
  HC_ASSIGN_OR_RETURN(SecureBytes pseudonym_key, crypto::load_pseudonym_key(v.pseudonym_key));
  HC_ASSIGN_OR_RETURN(crypto::SerialNumber serial, crypto::compute_serial(pseudonym_key.span(), v.name, v.id));
  std::optional<std::string> fhir;
  if (!v.fhir_file.empty()) {
    auto text = read_text_file(v.fhir_file, crypto::kMaxFhirBytes);
    if (!text.ok()) return text.status().with_context("FHIR document");
    fhir = std::move(text).value();
  }
  HC_ASSIGN_OR_RETURN(crypto::Visit visit, crypto::make_visit(v.time, v.diagnosis, std::move(fhir)));
  return crypto::seal_record(visit, serial, manager_key);
}

struct SealArgs {
  VisitArgs visit;
  std::string manager_pubkey, out;
};

Status seal(const SealArgs& a) {
  HC_ASSIGN_OR_RETURN(crypto::EnvelopePublicKey manager_key, crypto::EnvelopePublicKey::load(a.manager_pubkey));
  HC_ASSIGN_OR_RETURN(crypto::SealedRecord record, seal_visit(a.visit, manager_key));
  HC_RETURN_IF_ERROR(crypto::write_sealed_record(a.out, record));
  std::printf("sealed record for serial %s to key %s -> %s\n", to_hex(record.serial).c_str(),
              to_hex(record.key_id).c_str(), a.out.c_str());
  return Status::ok_status();
}

struct SubmitArgs {
  VisitArgs visit;
  std::string node, token_file;
  bool wait = false;
};

// Seals to the envelope key the chain currently publishes, then posts to the doctor's node.
Status submit(const SubmitArgs& a) {
  HC_ASSIGN_OR_RETURN(std::string token, client::read_token_file(a.token_file));
  HC_ASSIGN_OR_RETURN(client::NodeClient node, client::NodeClient::connect(a.node, token));
  HC_ASSIGN_OR_RETURN(crypto::EnvelopePublicKey manager_key, node.current_envelope_key());
  HC_ASSIGN_OR_RETURN(crypto::SealedRecord record, seal_visit(a.visit, manager_key));
  HC_ASSIGN_OR_RETURN(std::string tx_id, node.submit_record(record));
  if (!a.wait) {
    std::printf("submitted: transaction %s (pending)\n", tx_id.c_str());
    return Status::ok_status();
  }
  HC_ASSIGN_OR_RETURN(client::TxStatus st, node.wait_committed(tx_id, 30000));
  std::printf("committed: transaction %s at height %llu\n", tx_id.c_str(), static_cast<unsigned long long>(st.height));
  return Status::ok_status();
}

void add_seal(CLI::App* group) {
  auto* cmd = group->add_subcommand("seal", "Seal a visit so that only the group manager can read it");
  auto a = std::make_shared<SealArgs>();
  cmd->add_option("--manager-pubkey", a->manager_pubkey, "Manager's envelope public key (PEM)")->required();
  a->visit.add_to(cmd);
  cmd->add_option("--out", a->out, "Output file for the sealed record (JSON)")->required();
  run_with(cmd, [a]() { return seal(*a); });
}

void add_submit(CLI::App* group) {
  auto* cmd = group->add_subcommand("submit", "Seal a visit to the chain's current envelope key and submit it");
  auto a = std::make_shared<SubmitArgs>();
  cmd->add_option("--node", a->node, "Your hospital node's API URL")->required();
  cmd->add_option("--token-file", a->token_file, "File holding your doctor bearer token")->required();
  a->visit.add_to(cmd);
  cmd->add_flag("--wait", a->wait, "Wait until the record is committed");
  run_with(cmd, [a]() { return submit(*a); });
}

}  // namespace

void register_record_commands(CLI::App& app) {
  auto* group = app.add_subcommand("record", "Doctor: seal visit records");
  group->require_subcommand(1);
  add_seal(group);
  add_submit(group);
}

}  // namespace hc::cli

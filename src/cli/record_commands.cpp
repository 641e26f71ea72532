// `hc record seal`: a doctor seals a visit to the manager's envelope key of the day.
#include <cstdio>
#include <optional>

#include "cli/commands.h"
#include "common/bytes.h"
#include "common/file_io.h"
#include "client/node_client.h"
#include "crypto/sealed_record.h"

namespace hc::cli {

namespace {

struct SealArgs {
  std::string manager_pubkey, pseudonym_key, name, id, time, diagnosis, fhir_file, out;
};

Status seal(const SealArgs& a) {
  HC_ASSIGN_OR_RETURN(crypto::EnvelopePublicKey manager_key, crypto::EnvelopePublicKey::load(a.manager_pubkey));
  HC_ASSIGN_OR_RETURN(SecureBytes pseudonym_key, crypto::load_pseudonym_key(a.pseudonym_key));
  HC_ASSIGN_OR_RETURN(crypto::SerialNumber serial, crypto::compute_serial(pseudonym_key.span(), a.name, a.id));
  std::optional<std::string> fhir;
  if (!a.fhir_file.empty()) {
    auto text = read_text_file(a.fhir_file, crypto::kMaxFhirBytes);
    if (!text.ok()) return text.status().with_context("FHIR document");
    fhir = std::move(text).value();
  }
  HC_ASSIGN_OR_RETURN(crypto::Visit visit, crypto::make_visit(a.time, a.diagnosis, std::move(fhir)));
  HC_ASSIGN_OR_RETURN(crypto::SealedRecord record, crypto::seal_record(visit, serial, manager_key));
  HC_RETURN_IF_ERROR(crypto::write_sealed_record(a.out, record));
  std::printf("sealed record for serial %s to key %s -> %s\n", to_hex(record.serial).c_str(),
              to_hex(record.key_id).c_str(), a.out.c_str());
  return Status::ok_status();
}

struct SubmitArgs {
  std::string node, token_file, pseudonym_key, name, id, time, diagnosis, fhir_file;
  bool wait = false;
};

Result<std::string> read_token(const std::string& file) {
  HC_ASSIGN_OR_RETURN(SecureBytes token, read_secret_file(file, 1024));
  std::string_view v = token.view();
  while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.remove_suffix(1);
  if (v.empty()) return invalid_input("token file " + file + " is empty");
  return std::string(v);
}

// Seals to the envelope key the chain currently publishes, then posts to the doctor's node.
Status submit(const SubmitArgs& a) {
  HC_ASSIGN_OR_RETURN(std::string token, read_token(a.token_file));
  HC_ASSIGN_OR_RETURN(client::NodeClient node, client::NodeClient::connect(a.node, token));
  HC_ASSIGN_OR_RETURN(crypto::EnvelopePublicKey manager_key, node.current_envelope_key());
  HC_ASSIGN_OR_RETURN(SecureBytes pseudonym_key, crypto::load_pseudonym_key(a.pseudonym_key));
  HC_ASSIGN_OR_RETURN(crypto::SerialNumber serial, crypto::compute_serial(pseudonym_key.span(), a.name, a.id));
  std::optional<std::string> fhir;
  if (!a.fhir_file.empty()) {
    auto text = read_text_file(a.fhir_file, crypto::kMaxFhirBytes);
    if (!text.ok()) return text.status().with_context("FHIR document");
    fhir = std::move(text).value();
  }
  HC_ASSIGN_OR_RETURN(crypto::Visit visit, crypto::make_visit(a.time, a.diagnosis, std::move(fhir)));
  HC_ASSIGN_OR_RETURN(crypto::SealedRecord record, crypto::seal_record(visit, serial, manager_key));
  HC_ASSIGN_OR_RETURN(std::string tx_id, node.submit_record(record));
  if (!a.wait) {
    std::printf("submitted: transaction %s (pending)\n", tx_id.c_str());
    return Status::ok_status();
  }
  HC_ASSIGN_OR_RETURN(client::TxStatus st, node.wait_committed(tx_id, 30000));
  std::printf("committed: transaction %s at height %llu\n", tx_id.c_str(), static_cast<unsigned long long>(st.height));
  return Status::ok_status();
}

void add_submit(CLI::App* group) {
  auto* cmd = group->add_subcommand("submit", "Seal a visit to the chain's current envelope key and submit it");
  auto a = std::make_shared<SubmitArgs>();
  cmd->add_option("--node", a->node, "Your hospital node's API URL")->required();
  cmd->add_option("--token-file", a->token_file, "File holding your doctor bearer token")->required();
  cmd->add_option("--pseudonym-key", a->pseudonym_key, "Consortium pseudonym key file")->required();
  cmd->add_option("--name", a->name, "Patient name")->required();
  cmd->add_option("--id", a->id, "Patient ID number")->required();
  cmd->add_option("--time", a->time, "Visit time, RFC 3339")->required();
  cmd->add_option("--diagnosis", a->diagnosis, "Diagnosis text")->required();
  cmd->add_option("--fhir", a->fhir_file, "Optional FHIR R4 JSON resource file");
  cmd->add_flag("--wait", a->wait, "Wait until the record is committed");
  run_with(cmd, [a]() { return submit(*a); });
}

}  // namespace

void register_record_commands(CLI::App& app) {
  auto* group = app.add_subcommand("record", "Doctor: seal visit records");
  group->require_subcommand(1);
  auto* cmd = group->add_subcommand("seal", "Seal a visit so that only the group manager can read it");
  auto a = std::make_shared<SealArgs>();
  cmd->add_option("--manager-pubkey", a->manager_pubkey, "Manager's envelope public key (PEM)")->required();
  cmd->add_option("--pseudonym-key", a->pseudonym_key, "Consortium pseudonym key file")->required();
  cmd->add_option("--name", a->name, "Patient name")->required();
  cmd->add_option("--id", a->id, "Patient ID number")->required();
  cmd->add_option("--time", a->time, "Visit time, RFC 3339 (e.g. 2026-11-24T09:30:00Z)")->required();
  cmd->add_option("--diagnosis", a->diagnosis, "Diagnosis text")->required();
  cmd->add_option("--fhir", a->fhir_file, "Optional FHIR R4 JSON resource file");
  cmd->add_option("--out", a->out, "Output file for the sealed record (JSON)")->required();
  run_with(cmd, [a]() { return seal(*a); });
  add_submit(group);
}

}  // namespace hc::cli

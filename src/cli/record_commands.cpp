// `hc record seal | submit`: a doctor seals a visit so that only the group manager can read it,
// either to a file (to the manager's envelope public key given as PEM) or straight to the
// hospital's node (to the envelope key the chain currently publishes, verified against the
// genesis: the node's word alone is not trusted).
#include <cstdio>
#include <optional>

#include "cli/commands.h"
#include "common/bytes.h"
#include "common/file_io.h"
#include "client/envelope_key_trust.h"
#include "client/fields_file.h"
#include "client/genesis_trust.h"
#include "client/node_client.h"
#include "client/pseudonym_key.h"
#include "crypto/sealed_record.h"

namespace hc::cli {

namespace {

// What the doctor enters about one visit (both subcommands take the same options). The patient
// data belongs in --visit-file (a file or standard input); the flags are kept as a discouraged
// convenience, since command-line values are visible to every local user and kept in history.
struct VisitArgs {
  std::string pseudonym_key, genesis, visit_file, name, id, time, diagnosis, fhir_file;

  void add_to(CLI::App* cmd) {
    cmd->add_option("--pseudonym-key", pseudonym_key, "Consortium pseudonym key file")->required();
    cmd->add_option("--genesis", genesis,
                    "The chain's genesis file: the pseudonym key must match its check value")
        ->required();
    cmd->add_option("--visit-file", visit_file,
                    "File (or - for stdin) with the visit: JSON {\"name\",\"id\",\"time\",\"diagnosis\",\"fhir\"?} "
                    "or 'key: value' lines (fhir: a FHIR file path)");
    cmd->add_option("--name", name, "Patient name (discouraged: visible in the process list; use --visit-file)");
    cmd->add_option("--id", id, "Patient ID number (discouraged: use --visit-file)");
    cmd->add_option("--time", time, "Visit time, RFC 3339 (e.g. 2026-11-24T09:30:00Z)");
    cmd->add_option("--diagnosis", diagnosis, "Diagnosis text, at most 64 KiB (discouraged: use --visit-file)");
    cmd->add_option("--fhir", fhir_file, "Optional FHIR R4 JSON resource file (at most 128 KiB)");
  }
};

// The patient's fields, wiped when done.
struct VisitInput {
  client::TextFields fields;
  std::string name, id, time, diagnosis;
  std::optional<std::string> fhir_file;
  ~VisitInput() {
    for (std::string* s : {&name, &id, &diagnosis}) secure_wipe(s->data(), s->size());
  }
};

Status read_visit_input(VisitArgs& v, VisitInput& in) {
  if (!v.visit_file.empty()) {
    HC_ASSIGN_OR_RETURN(in.fields,
                        client::read_fields_file(v.visit_file, {"name", "id", "time", "diagnosis", "fhir"}));
  }
  HC_ASSIGN_OR_RETURN(auto name, client::field_or_flag(in.fields, "name", v.name, "--name", true));
  HC_ASSIGN_OR_RETURN(auto id, client::field_or_flag(in.fields, "id", v.id, "--id", true));
  HC_ASSIGN_OR_RETURN(auto time, client::field_or_flag(in.fields, "time", v.time, "--time", true));
  HC_ASSIGN_OR_RETURN(auto diagnosis, client::field_or_flag(in.fields, "diagnosis", v.diagnosis, "--diagnosis", true));
  HC_ASSIGN_OR_RETURN(in.fhir_file, client::field_or_flag(in.fields, "fhir", v.fhir_file, "--fhir", false));
  in.name = std::move(*name);
  in.id = std::move(*id);
  in.time = std::move(*time);
  in.diagnosis = std::move(*diagnosis);
  return Status::ok_status();
}

// The serial number from name + ID (with the pseudonym key checked against the genesis), the
// visit payload, sealed to `manager_key`. Every field is checked before anything is sealed.
Result<crypto::SealedRecord> seal_visit(VisitArgs& v, const crypto::EnvelopePublicKey& manager_key) {
  VisitInput in;
  HC_RETURN_IF_ERROR(read_visit_input(v, in));
  HC_ASSIGN_OR_RETURN(SecureBytes pseudonym_key, client::load_checked_pseudonym_key(v.pseudonym_key, v.genesis));
  HC_ASSIGN_OR_RETURN(crypto::SerialNumber serial, crypto::compute_serial(pseudonym_key.span(), in.name, in.id));
  std::optional<std::string> fhir;
  if (in.fhir_file.has_value() && !in.fhir_file->empty()) {
    auto text = read_text_file(*in.fhir_file, crypto::kMaxFhirBytes);
    if (!text.ok()) return text.status().with_context("FHIR document");
    fhir = std::move(text).value();
  }
  HC_ASSIGN_OR_RETURN(crypto::Visit visit, crypto::make_visit(in.time, in.diagnosis, std::move(fhir)));
  return crypto::seal_record(visit, serial, manager_key);
}

struct SealArgs {
  VisitArgs visit;
  std::string manager_pubkey, out;
};

Status seal(SealArgs& a) {
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
  std::uint64_t max_key_age_hours = client::kDefaultEnvelopeKeyMaxAgeMs / 3600000;
  bool wait = false;
};

// Seals to the envelope key the chain currently publishes, once its publication is verified
// against the genesis (client/envelope_key_trust.h), then posts to the doctor's node.
Status submit(SubmitArgs& a) {
  HC_ASSIGN_OR_RETURN(std::string token, client::read_token_file(a.token_file));
  HC_ASSIGN_OR_RETURN(client::ChainTrust trust, client::ChainTrust::from_genesis_file(a.visit.genesis));
  HC_ASSIGN_OR_RETURN(client::NodeClient node,
                      client::NodeClient::connect(a.node, std::move(token), trust.genesis().tls_trust_anchors()));
  const client::KeyFreshness freshness = client::freshness_now(a.max_key_age_hours * 3600000);
  HC_ASSIGN_OR_RETURN(client::TrustedEnvelopeKey manager_key, client::fetch_trusted_envelope_key(node, trust, freshness));
  HC_ASSIGN_OR_RETURN(crypto::SealedRecord record, seal_visit(a.visit, manager_key.key));
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
  cmd->add_option("--node", a->node,
                  "Your hospital node's API URL (https://...; verified against --genesis; http:// only on 127.0.0.1)")
      ->required();
  cmd->add_option("--token-file", a->token_file, "File holding your doctor bearer token")->required();
  a->visit.add_to(cmd);
  cmd->add_option("--max-key-age-hours", a->max_key_age_hours,
                  "Refuse an envelope key published longer ago than this (the manager rotates it daily)")
      ->default_val(a->max_key_age_hours)
      ->check(CLI::Range(1, 24 * 366));
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

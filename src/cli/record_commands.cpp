// `hc record seal | submit`: a doctor seals a visit, either to a file or straight to the
// hospital's node. On a single-manager chain (envelope version 1) only the group manager can
// read it: `seal` takes the manager's envelope public key as PEM, `submit` the envelope key the
// chain currently publishes, verified against the genesis. On a trustees-mode chain (envelope
// version 2) only t trustees together can: both fetch the current access key from a node and
// recompute it from the chain's proven DKG transcript (client/access_key_trust.h) before
// sealing. The node's word alone is never trusted.
#include <cstdio>
#include <optional>

#include "cli/commands.h"
#include "common/bytes.h"
#include "common/file_io.h"
#include "client/access_key_trust.h"
#include "client/envelope_key_trust.h"
#include "client/fields_file.h"
#include "client/genesis_trust.h"
#include "client/node_client.h"
#include "client/node_tls_trust.h"
#include "client/pseudonym_key.h"
#include "crypto/sealed_record.h"
#include "crypto/sealed_record_v2.h"

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

// The serial number (from name + ID, with the pseudonym key checked against the genesis) and
// the visit payload. Every field is checked before anything is sealed.
struct VisitToSeal {
  crypto::SerialNumber serial{};
  crypto::Visit visit;
};

Result<VisitToSeal> read_visit_to_seal(VisitArgs& v) {
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
  return VisitToSeal{serial, std::move(visit)};
}

// Trustees mode: the visit sealed (version 2) to the access key the chain vouches for.
Result<crypto::SealedRecordV2> seal_visit_to_trustees(VisitArgs& v, const client::NodeClient& node,
                                                      const client::ChainTrust& trust) {
  HC_ASSIGN_OR_RETURN(client::TrustedAccessKey key, client::fetch_trusted_access_key(node, trust));
  HC_ASSIGN_OR_RETURN(VisitToSeal in, read_visit_to_seal(v));
  return crypto::seal_record_v2(in.visit, in.serial, key.outcome.key.group_key);
}

bool is_trustees_chain(const client::ChainTrust& trust) {
  return trust.genesis().access_mode == chain::AccessMode::kTrustees;
}

struct SealArgs {
  VisitArgs visit;
  std::string manager_pubkey, node, out;
};

Status seal_for_trustees(SealArgs& a, const client::ChainTrust& trust) {
  if (!a.manager_pubkey.empty()) {
    return invalid_input("the chain is in trustees mode: records are sealed to the trustees' access key, not to "
                         "--manager-pubkey (give --node instead)");
  }
  if (a.node.empty()) return invalid_input("the chain is in trustees mode: --node is needed to fetch its access key");
  HC_ASSIGN_OR_RETURN(client::NodeClient node, client::connect_to_node(a.node, {}, trust.genesis()));
  HC_ASSIGN_OR_RETURN(crypto::SealedRecordV2 record, seal_visit_to_trustees(a.visit, node, trust));
  HC_RETURN_IF_ERROR(write_text_file_atomic(a.out, crypto::sealed_record_v2_to_json(record)));
  std::printf("sealed record (envelope version 2) for serial %s to access key %s -> %s\n",
              to_hex(record.serial).c_str(), to_hex(record.key_id).c_str(), a.out.c_str());
  return Status::ok_status();
}

Status seal(SealArgs& a) {
  HC_ASSIGN_OR_RETURN(client::ChainTrust trust, client::ChainTrust::from_genesis_file(a.visit.genesis));
  trust.follow_changes_of(a.node);
  if (is_trustees_chain(trust)) return seal_for_trustees(a, trust);
  if (a.manager_pubkey.empty()) return invalid_input("--manager-pubkey is required on a single-manager chain");
  HC_ASSIGN_OR_RETURN(crypto::EnvelopePublicKey manager_key, crypto::EnvelopePublicKey::load(a.manager_pubkey));
  HC_ASSIGN_OR_RETURN(VisitToSeal in, read_visit_to_seal(a.visit));
  HC_ASSIGN_OR_RETURN(crypto::SealedRecord record, crypto::seal_record(in.visit, in.serial, manager_key));
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

// Seals to the key the chain vouches for (single-manager: the envelope key it currently
// publishes, client/envelope_key_trust.h; trustees: the current access key,
// client/access_key_trust.h), then posts to the doctor's node.
Status submit(SubmitArgs& a) {
  HC_ASSIGN_OR_RETURN(std::string token, client::read_token_file(a.token_file));
  HC_ASSIGN_OR_RETURN(client::ChainTrust trust, client::ChainTrust::from_genesis_file(a.visit.genesis));
  trust.follow_changes_of(a.node);
  HC_ASSIGN_OR_RETURN(client::NodeClient node,
                      client::connect_to_node(a.node, std::move(token), trust.genesis()));
  client::SubmittedRecord submitted;
  if (is_trustees_chain(trust)) {
    HC_ASSIGN_OR_RETURN(crypto::SealedRecordV2 record, seal_visit_to_trustees(a.visit, node, trust));
    HC_ASSIGN_OR_RETURN(submitted, node.submit_record(record));
  } else {
    const client::KeyFreshness freshness = client::freshness_now(a.max_key_age_hours * 3600000);
    HC_ASSIGN_OR_RETURN(client::TrustedEnvelopeKey manager_key, client::fetch_trusted_envelope_key(node, trust, freshness));
    HC_ASSIGN_OR_RETURN(VisitToSeal in, read_visit_to_seal(a.visit));
    HC_ASSIGN_OR_RETURN(crypto::SealedRecord record, crypto::seal_record(in.visit, in.serial, manager_key.key));
    HC_ASSIGN_OR_RETURN(submitted, node.submit_record(record));
  }
  // The record id follows the record if its node signs it again after a revocation (the
  // committed transaction is then another one; node/own_records.h).
  const std::string record_note = submitted.record_id.empty() ? "" : ", record " + submitted.record_id;
  if (!a.wait) {
    std::printf("submitted: transaction %s%s (pending)\n", submitted.tx_id.c_str(), record_note.c_str());
    return Status::ok_status();
  }
  HC_ASSIGN_OR_RETURN(client::TxStatus st, node.wait_committed(submitted.id_to_follow(), 30000));
  std::printf("committed: transaction %s at height %llu%s\n", st.tx_id.c_str(), static_cast<unsigned long long>(st.height),
              record_note.c_str());
  return Status::ok_status();
}

void add_seal(CLI::App* group) {
  auto* cmd = group->add_subcommand(
      "seal", "Seal a visit so that only the group manager (single-manager chain) or t trustees together "
              "(trustees-mode chain, envelope version 2) can read it");
  auto a = std::make_shared<SealArgs>();
  cmd->add_option("--manager-pubkey", a->manager_pubkey,
                  "Single-manager chain: the manager's envelope public key (PEM)");
  cmd->add_option("--node", a->node,
                  "Trustees-mode chain: a node's API URL to fetch the access key from (verified against --genesis; "
                  "no token needed)");
  a->visit.add_to(cmd);
  cmd->add_option("--out", a->out, "Output file for the sealed record (JSON)")->required();
  run_with(cmd, [a]() { return seal(*a); });
}

void add_submit(CLI::App* group) {
  auto* cmd = group->add_subcommand(
      "submit", "Seal a visit to the chain's current envelope key (single-manager) or access key (trustees mode, "
                "envelope version 2), both verified against --genesis, and submit it");
  auto a = std::make_shared<SubmitArgs>();
  cmd->add_option("--node", a->node,
                  "Your hospital node's API URL (https://...; verified against --genesis; http:// only on 127.0.0.1)")
      ->required();
  cmd->add_option("--token-file", a->token_file, "File holding your doctor bearer token")->required();
  a->visit.add_to(cmd);
  cmd->add_option("--max-key-age-hours", a->max_key_age_hours,
                  "Single-manager chain: refuse an envelope key published longer ago than this (the manager rotates "
                  "it daily)")
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

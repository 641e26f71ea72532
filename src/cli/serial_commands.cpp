// `hc serial`: prints a patient's serial number (pseudonym) as lowercase hex.
#include <cstdio>

#include "cli/commands.h"
#include "client/fields_file.h"
#include "client/pseudonym_key.h"
#include "common/bytes.h"
#include "crypto/serial_number.h"

namespace hc::cli {

void register_serial_commands(CLI::App& app) {
  auto* cmd = app.add_subcommand("serial", "Compute a patient's serial number from name and ID");
  struct Args {
    std::string key_file, genesis, patient_file, name, id;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("--pseudonym-key", args->key_file, "Consortium pseudonym key file")->required();
  cmd->add_option("--genesis", args->genesis, "The chain's genesis file: the pseudonym key must match its check value")
      ->required();
  cmd->add_option("--patient-file", args->patient_file,
                  "File (or - for stdin) with the patient's name and id: JSON or 'key: value' lines");
  cmd->add_option("--name", args->name, "Patient name (discouraged: visible in the process list; use --patient-file)");
  cmd->add_option("--id", args->id, "Patient ID number (discouraged: use --patient-file)");
  run_with(cmd, [args]() -> Status {
    client::TextFields fields;
    if (!args->patient_file.empty()) {
      HC_ASSIGN_OR_RETURN(fields, client::read_fields_file(args->patient_file, {"name", "id"}));
    }
    HC_ASSIGN_OR_RETURN(auto name, client::field_or_flag(fields, "name", args->name, "--name", true));
    HC_ASSIGN_OR_RETURN(auto id, client::field_or_flag(fields, "id", args->id, "--id", true));
    HC_ASSIGN_OR_RETURN(SecureBytes key, client::load_checked_pseudonym_key(args->key_file, args->genesis));
    auto serial = crypto::compute_serial(key.span(), *name, *id);
    secure_wipe(name->data(), name->size());
    secure_wipe(id->data(), id->size());
    if (!serial.ok()) return serial.status();
    std::printf("%s\n", to_hex(*serial).c_str());
    return Status::ok_status();
  });
}

}  // namespace hc::cli

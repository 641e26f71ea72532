// `hc serial`: prints a patient's serial number (pseudonym) as lowercase hex.
#include <cstdio>

#include "cli/commands.h"
#include "common/bytes.h"
#include "crypto/serial_number.h"

namespace hc::cli {

void register_serial_commands(CLI::App& app) {
  auto* cmd = app.add_subcommand("serial", "Compute a patient's serial number from name and ID");
  struct Args {
    std::string key_file, name, id;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("--pseudonym-key", args->key_file, "Consortium pseudonym key file")->required();
  cmd->add_option("--name", args->name, "Patient name")->required();
  cmd->add_option("--id", args->id, "Patient ID number")->required();
  run_with(cmd, [args]() -> Status {
    HC_ASSIGN_OR_RETURN(SecureBytes key, crypto::load_pseudonym_key(args->key_file));
    HC_ASSIGN_OR_RETURN(crypto::SerialNumber serial, crypto::compute_serial(key.span(), args->name, args->id));
    std::printf("%s\n", to_hex(serial).c_str());
    return Status::ok_status();
  });
}

}  // namespace hc::cli

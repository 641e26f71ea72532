// The patient's name and ID for the reader's commands (hc manager retrieve|audit, hc access
// request): from --patient-file, or from the discouraged --name / --id flags; the copies are
// wiped when the caller is done with them.
#pragma once

#include <string>

#include "client/fields_file.h"
#include "common/secure_bytes.h"
#include "common/status.h"

namespace hc::cli {

struct PatientInput {
  client::TextFields fields;
  std::string name, id;
  PatientInput() = default;
  PatientInput(const PatientInput&) = delete;
  PatientInput& operator=(const PatientInput&) = delete;
  ~PatientInput() {
    secure_wipe(name.data(), name.size());
    secure_wipe(id.data(), id.size());
  }
};

inline Status read_patient_input(const std::string& patient_file, std::string& name_flag, std::string& id_flag,
                                 PatientInput& p) {
  if (!patient_file.empty()) {
    HC_ASSIGN_OR_RETURN(p.fields, client::read_fields_file(patient_file, {"name", "id"}));
  }
  HC_ASSIGN_OR_RETURN(auto name, client::field_or_flag(p.fields, "name", name_flag, "--name", true));
  HC_ASSIGN_OR_RETURN(auto id, client::field_or_flag(p.fields, "id", id_flag, "--id", true));
  p.name = std::move(*name);
  p.id = std::move(*id);
  return Status::ok_status();
}

}  // namespace hc::cli

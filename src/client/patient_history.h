// A patient's history as `hc manager retrieve` shows it: every verified record of the serial
// that decrypts and opens becomes a visit; every one that does not (garbage ciphertext posted
// under a public serial, a key id the manager does not hold, a malformed payload) is listed as
// unreadable with its height, transaction id, the reason and the hospital that signed it
// (opening works on the group signature alone), so one bad record never hides the others.
// The renderings: a table for people (every text escaped for the terminal, terminal_text.h)
// and compact JSON for scripts (its size linear in the visits'). Not thread-safe (the session).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "client/item_verification.h"
#include "client/manager_session.h"

namespace hc::client {

struct UnreadableRecord {
  std::uint64_t height = 0;
  std::string tx_id;     // hex
  std::string reason;    // why it could not be read
  std::string hospital;  // the opened signer, or "unknown (<why opening failed>)"
};

struct PatientHistory {
  std::size_t verified_items = 0;  // records and audit entries under the serial
  std::vector<PatientVisit> visits;
  std::vector<UnreadableRecord> unreadable;
};

// Reads every record transaction among `items` (audit entries are skipped).
PatientHistory read_patient_history(ManagerSession& session, const std::vector<VerifiedItem>& items);

// Header line, one row per visit, then one row per unreadable record. Ends with a newline.
std::string history_table(const PatientHistory& history);
// {"audit_tx_id","verified_items","visits":[{time,diagnosis,hospital,height,tx_id,epoch,fhir?}],
//  "unreadable":[{height,tx_id,reason,hospital}]} on one line (no indentation).
std::string history_json(const PatientHistory& history, const std::string& audit_tx_id);

}  // namespace hc::client

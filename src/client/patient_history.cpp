#include "client/patient_history.h"

#include <nlohmann/json.hpp>

#include <cstdio>

#include "chain/digest.h"
#include "client/terminal_text.h"
#include "crypto/bounded_json.h"

namespace hc::client {

namespace {

using nlohmann::json;

UnreadableRecord unreadable(ManagerSession& session, const VerifiedItem& item, const chain::RecordTx& record,
                            const Status& why) {
  UnreadableRecord out;
  out.height = item.height;
  out.tx_id = chain::digest_hex(item.tx_id);
  out.reason = why.message();
  auto signer = session.signer_of(record);
  out.hospital = signer.ok() ? *signer : "unknown (" + signer.status().message() + ")";
  return out;
}

std::string row(const std::string& time, const std::string& hospital, std::uint64_t height, const std::string& text) {
  char prefix[128];
  std::snprintf(prefix, sizeof prefix, "%-26s %-14s %-7llu ", for_terminal(time).c_str(),
                for_terminal(hospital).c_str(), static_cast<unsigned long long>(height));
  return prefix + for_terminal(text) + "\n";
}

}  // namespace

PatientHistory read_patient_history(ManagerSession& session, const std::vector<VerifiedItem>& items) {
  PatientHistory out;
  out.verified_items = items.size();
  for (const VerifiedItem& item : items) {
    const auto* record = std::get_if<chain::RecordTx>(&item.tx);
    if (record == nullptr) continue;
    auto visit = session.read_record(item);
    if (visit.ok()) {
      out.visits.push_back(std::move(visit).value());
    } else {
      out.unreadable.push_back(unreadable(session, item, *record, visit.status()));
    }
  }
  return out;
}

std::string history_table(const PatientHistory& h) {
  char head[160];
  std::snprintf(head, sizeof head, "%zu verified item(s) on the chain, %zu visit(s), %zu unreadable record(s):\n",
                h.verified_items, h.visits.size(), h.unreadable.size());
  std::string out = head;
  std::snprintf(head, sizeof head, "%-26s %-14s %-7s %s\n", "visit time", "hospital", "height", "diagnosis");
  out += head;
  for (const PatientVisit& v : h.visits) out += row(v.visit.time, v.hospital, v.height, v.visit.diagnosis);
  for (const UnreadableRecord& u : h.unreadable) {
    out += row("UNREADABLE", u.hospital, u.height, "tx " + u.tx_id + ": " + u.reason);
  }
  return out;
}

std::string history_json(const PatientHistory& h, const std::string& audit_tx_id) {
  json out = {{"audit_tx_id", audit_tx_id},
              {"verified_items", h.verified_items},
              {"visits", json::array()},
              {"unreadable", json::array()}};
  for (const PatientVisit& v : h.visits) {
    json entry = {{"time", v.visit.time}, {"diagnosis", v.visit.diagnosis}, {"hospital", v.hospital},
                  {"height", v.height},   {"tx_id", v.tx_id},                {"epoch", v.epoch}};
    if (v.visit.fhir_json) {
      // Canonical and depth-checked when the visit was decoded; parsed again only to embed it.
      auto fhir = crypto::parse_bounded_json(*v.visit.fhir_json, "FHIR document");
      entry["fhir"] = fhir.ok() ? std::move(fhir).value() : json(nullptr);
    }
    out["visits"].push_back(std::move(entry));
  }
  for (const UnreadableRecord& u : h.unreadable) {
    out["unreadable"].push_back(
        {{"height", u.height}, {"tx_id", u.tx_id}, {"reason", u.reason}, {"hospital", u.hospital}});
  }
  std::string text = out.dump(-1, ' ', false, json::error_handler_t::replace);
  crypto::wipe_json_strings(out);
  return text;
}

}  // namespace hc::client

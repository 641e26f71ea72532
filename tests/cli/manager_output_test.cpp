// What the manager's commands print: text from payloads and the chain is escaped for the
// terminal (issue 11, item 9), and a history lists unreadable records next to the visits
// (item 2); the audit purpose rules (item 1).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "client/audit_purpose.h"
#include "client/patient_history.h"
#include "client/terminal_text.h"

namespace hc::client {
namespace {

bool has_raw_control(const std::string& s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7f) return true;
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0x9F) return true;  // C1
    if (s.compare(i, 3, "\xE2\x80\xAE") == 0 || s.compare(i, 3, "\xE2\x81\xA6") == 0) return true;   // bidi
  }
  return false;
}

TEST(TerminalText, EscapesEveryControlAndBidiCharacter) {
  EXPECT_EQ(for_terminal("Influenza A, 38.9 \xC2\xB0" "C"), "Influenza A, 38.9 \xC2\xB0" "C");
  EXPECT_EQ(for_terminal("a\nb\tc\rd"), "a\\nb\\tc\\rd");
  EXPECT_EQ(for_terminal("\x1b[31mred"), "\\x1b[31mred");
  EXPECT_EQ(for_terminal("x\x7fy\x01"), "x\\x7fy\\x01");
  EXPECT_EQ(for_terminal("c1 \xC2\x9B" "2J"), "c1 \\u{009b}2J");
  EXPECT_EQ(for_terminal("evil \xE2\x80\xAE" "txt.exe"), "evil \\u{202e}txt.exe");
  EXPECT_EQ(for_terminal("iso \xE2\x81\xA6" "x"), "iso \\u{2066}x");
  EXPECT_EQ(for_terminal("bad \xff\xC3"), "bad \\xff\\xc3");
  EXPECT_EQ(for_terminal("back\\slash"), "back\\\\slash");
}

PatientHistory history_with(const std::string& diagnosis, const std::string& hospital) {
  PatientHistory h;
  h.verified_items = 3;
  PatientVisit v;
  v.height = 7;
  v.tx_id = std::string(64, 'a');
  v.visit.time = "2026-11-24T09:30:00Z";
  v.visit.diagnosis = diagnosis;
  v.hospital = hospital;
  h.visits.push_back(v);
  h.unreadable.push_back(UnreadableRecord{9, std::string(64, 'b'), "record authentication failed", "riverside"});
  return h;
}

TEST(PatientHistoryOutput, TableEscapesPayloadTextAndListsUnreadableRecords) {
  PatientHistory h = history_with("Fever\n2026-11-25T00:00:00Z  st-mary  1  FORGED ROW\x1b[2J\xE2\x80\xAE", "st-mary");
  std::string table = history_table(h);
  EXPECT_FALSE(has_raw_control(table)) << table;
  // Header, column names, one visit, one unreadable record: four lines, no forged row.
  EXPECT_EQ(std::count(table.begin(), table.end(), '\n'), 4) << table;
  EXPECT_NE(table.find("Fever\\n2026-11-25T00:00:00Z"), std::string::npos) << table;
  EXPECT_NE(table.find("1 visit(s), 1 unreadable record(s)"), std::string::npos) << table;
  EXPECT_NE(table.find("UNREADABLE"), std::string::npos);
  EXPECT_NE(table.find("riverside"), std::string::npos);
  EXPECT_NE(table.find(std::string(64, 'b') + ": record authentication failed"), std::string::npos);
}

TEST(PatientHistoryOutput, JsonListsUnreadableRecordsAndStaysLinearForDeepFhir) {
  PatientHistory h = history_with("Fever", "st-mary");
  std::string deep = R"({"resourceType":"Observation","x":)" + std::string(63, '[') + std::string(63, ']') + "}";
  h.visits[0].visit.fhir_json = deep;
  std::string text = history_json(h, "c0ffee");
  nlohmann::json doc = nlohmann::json::parse(text);
  EXPECT_EQ(doc.at("audit_tx_id"), "c0ffee");
  ASSERT_EQ(doc.at("visits").size(), 1u);
  EXPECT_EQ(doc.at("visits")[0].at("fhir").at("resourceType"), "Observation");
  ASSERT_EQ(doc.at("unreadable").size(), 1u);
  EXPECT_EQ(doc.at("unreadable")[0].at("height"), 9);
  EXPECT_EQ(doc.at("unreadable")[0].at("hospital"), "riverside");
  EXPECT_EQ(doc.at("unreadable")[0].at("tx_id"), std::string(64, 'b'));
  // Compact: the FHIR document appears as it is, without indentation per level.
  EXPECT_LT(text.size(), deep.size() + 600) << text.size();
}

TEST(AuditPurpose, RequiredNonBlankBoundedPrintableUtf8) {
  EXPECT_TRUE(check_audit_purpose("treating physician request, ward 3").ok());
  EXPECT_TRUE(check_audit_purpose(std::string(1024, 'p')).ok());
  EXPECT_TRUE(check_audit_purpose("revue d\xC3\xA9" "taill\xC3\xA9" "e").ok());
  for (const std::string& bad : {std::string(), std::string("   "), std::string(1025, 'p'), std::string("caf\xE9"),
                                 std::string("a\nb"), std::string("a\tb"), std::string("\x1b[2J"),
                                 std::string("c1\xC2\x9B"), std::string("del\x7f")}) {
    Status s = check_audit_purpose(bad);
    EXPECT_FALSE(s.ok()) << bad;
    EXPECT_NE(s.message().find("--purpose"), std::string::npos) << s.message();
  }
}

}  // namespace
}  // namespace hc::client

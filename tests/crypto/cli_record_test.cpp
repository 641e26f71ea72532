// Runs the real `hc` binary: the record workflow end to end and every bad input the first
// issue lists, each with a one-line error, a non-zero exit and no file left behind.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>

#include <nlohmann/json.hpp>

#include "common/bytes.h"
#include "common/file_io.h"
#include "crypto/serial_number.h"
#include "support/temp_dir.h"

namespace hc {
namespace {

namespace fs = std::filesystem;

struct RunResult {
  int exit_code;
  std::string output;  // stdout and stderr
};

RunResult run_hc(const std::string& args, const std::string& env = "HC_PASSPHRASE=cli-test-passphrase") {
  std::string cmd = env + " " HC_BINARY_DIR "/bin/hc " + args + " 2>&1";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) return {-1, ""};
  std::string out;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  int rc = ::pclose(pipe);
  return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, out};
}

class CliRecordTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new test::TempDir();
    ASSERT_EQ(run_hc("manager init --dir " + mgr()).exit_code, 0);
    ASSERT_EQ(run_hc("manager rotate-key --dir " + mgr()).exit_code, 0);
    write_genesis_for(mgr() + "/pseudonym.key", path("genesis.json"));
  }
  // A genesis file (the JSON form) whose pseudonym key check is that of `key_file`; the other
  // fields are placeholders, as only the check value matters to these commands.
  static void write_genesis_for(const std::string& key_file, const std::string& out) {
    auto key = crypto::load_pseudonym_key(key_file);
    ASSERT_TRUE(key.ok());
    auto check = crypto::pseudonym_key_check(key->span(), "cli-test-chain");
    ASSERT_TRUE(check.ok());
    nlohmann::json genesis = {
        {"version", 3},
        {"chain_name", "cli-test-chain"},
        {"genesis_time_ms", 1},
        {"replicas", {{{"id", 0}, {"public_key", std::string(64, '1')}}}},
        {"group_public_key", "AAAA"},
        {"manager_admin_key", std::string(64, '2')},
        {"pseudonym_key_check", to_hex(*check)},
        {"limits",
         {{"max_block_transactions", 4096},
          {"max_block_bytes", 16 << 20},
          {"max_record_ciphertext_bytes", 240 * 1024 + 16},
          {"revocation_grace_blocks", 0}}}};
    ASSERT_TRUE(write_text_file_atomic(out, genesis.dump()).ok());
  }
  static std::string genesis() { return " --genesis " + path("genesis.json"); }
  static std::string pubkey_and_keys() {
    return " --manager-pubkey " + mgr() + "/envelope/current.pub.pem --pseudonym-key " + mgr() + "/pseudonym.key" +
           genesis();
  }
  static void TearDownTestSuite() {
    delete tmp_;
    tmp_ = nullptr;
  }
  static std::string mgr() { return (tmp_->path() / "mgr").string(); }
  static std::string path(const std::string& name) { return (tmp_->path() / name).string(); }
  static std::string seal_args(const std::string& out) {
    return "record seal" + pubkey_and_keys() +
           " --name 'Ada Lovelace' --id AB123 --time 2026-11-24T09:30:00Z --diagnosis 'Influenza A' --out " + out;
  }
  static void expect_clean_failure(const RunResult& r, const std::string& needle) {
    EXPECT_NE(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("hc: error: "), std::string::npos) << r.output;
    EXPECT_NE(r.output.find(needle), std::string::npos) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
  }
  static std::string open_diagnosis(const std::string& record) {
    RunResult opened = run_hc("manager open-record --dir " + mgr() + " " + record);
    EXPECT_EQ(opened.exit_code, 0) << opened.output;
    std::size_t at = opened.output.find("diagnosis: ");
    if (at == std::string::npos) return "";
    return opened.output.substr(at + 11, opened.output.find('\n', at) - at - 11);
  }
  static std::string serial_of(const RunResult& r) { return r.output.substr(0, 64); }
  static test::TempDir* tmp_;
};
test::TempDir* CliRecordTest::tmp_ = nullptr;

TEST_F(CliRecordTest, SealOpenAndSerial) {
  ASSERT_EQ(run_hc(seal_args(path("r.json"))).exit_code, 0);
  RunResult opened = run_hc("manager open-record --dir " + mgr() + " " + path("r.json"));
  ASSERT_EQ(opened.exit_code, 0) << opened.output;
  EXPECT_NE(opened.output.find("diagnosis: Influenza A"), std::string::npos);
  RunResult serial = run_hc("serial --pseudonym-key " + mgr() + "/pseudonym.key" + genesis() +
                            " --name ' ada  LOVELACE' --id ab123");
  ASSERT_EQ(serial.exit_code, 0);
  EXPECT_NE(opened.output.find(serial.output.substr(0, 64)), std::string::npos);
  // Passphrase from a file instead of the environment.
  ASSERT_TRUE(write_text_file_atomic(path("pass"), "cli-test-passphrase\n", 0600).ok());
  EXPECT_EQ(run_hc("manager open-record --dir " + mgr() + " --passphrase-file " + path("pass") + " " +
                       path("r.json"), "HC_PASSPHRASE=")
                .exit_code,
            0);
}

TEST_F(CliRecordTest, BadInputsFailCleanly) {
  ASSERT_EQ(run_hc(seal_args(path("good.json"))).exit_code, 0);
  std::string good = *read_text_file(path("good.json"), 1 << 20);

  expect_clean_failure(run_hc("manager open-record --dir " + mgr() + " " + path("good.json"),
                              "HC_PASSPHRASE=wrong-passphrase"), "wrong passphrase");
  expect_clean_failure(run_hc("manager open-record --dir " + mgr() + " " + path("good.json"), "HC_PASSPHRASE="),
                       "no passphrase");
  expect_clean_failure(run_hc("manager open-record --dir " + mgr() + " " + path("missing.json")), "no such file");

  auto write_variant = [&](const std::string& name, const std::string& text) {
    ASSERT_TRUE(write_text_file_atomic(path(name), text).ok());
  };
  std::string altered = good;
  std::size_t ct = altered.find("\"ciphertext\": \"") + 16;
  altered[ct] = altered[ct] == 'A' ? 'B' : 'A';
  write_variant("altered.json", altered);
  expect_clean_failure(run_hc("manager open-record --dir " + mgr() + " " + path("altered.json")),
                       "authentication failed");

  std::string unknown_key = good;
  std::size_t kid = unknown_key.find("\"key_id\": \"") + 11;
  unknown_key[kid] = unknown_key[kid] == '0' ? '1' : '0';
  write_variant("unknown-key.json", unknown_key);
  expect_clean_failure(run_hc("manager open-record --dir " + mgr() + " " + path("unknown-key.json")),
                       "unknown key id");

  write_variant("truncated.json", good.substr(0, good.size() / 2));
  expect_clean_failure(run_hc("manager open-record --dir " + mgr() + " " + path("truncated.json")),
                       "not a JSON object");
  std::string bad_b64 = good;
  bad_b64.replace(bad_b64.find("\"nonce\": \"") + 10, 1, "*");
  write_variant("bad-b64.json", bad_b64);
  expect_clean_failure(run_hc("manager open-record --dir " + mgr() + " " + path("bad-b64.json")), "base64");
}

TEST_F(CliRecordTest, FailedSealLeavesNoFile) {
  std::string out = path("never.json");
  expect_clean_failure(run_hc("record seal" + pubkey_and_keys() + " --name Ada --id 1 --time not-a-time --diagnosis x --out " +
                              out),
                       "RFC 3339");
  EXPECT_FALSE(fs::exists(out));
  expect_clean_failure(run_hc("record seal --manager-pubkey " + path("none.pem") + " --pseudonym-key " + mgr() +
                              "/pseudonym.key" + genesis() +
                              " --name Ada --id 1 --time 2026-11-24T09:30:00Z --diagnosis x --out " + out),
                       "no such file");
  EXPECT_FALSE(fs::exists(out));
  ASSERT_TRUE(write_text_file_atomic(path("big.json"),
                                     R"({"resourceType":"Observation","x":")" + std::string(600000, 'a') + "\"}")
                  .ok());
  expect_clean_failure(run_hc(seal_args(out) + " --fhir " + path("big.json")), "larger than");
  EXPECT_FALSE(fs::exists(out));
  expect_clean_failure(run_hc("record seal" + pubkey_and_keys() +
                              " --name Ada --id 1 --time 2026-11-24T09:30:00Z --diagnosis x --out " +
                              path("no/such/dir/r.json")),
                       "cannot create");
  // Usage errors exit 2.
  EXPECT_EQ(run_hc("record seal").exit_code, 2);
  EXPECT_EQ(run_hc("no-such-command").exit_code, 2);
}

// Issue 11, item 1 and 6: an empty, blank, oversized, non-UTF-8 or control-character purpose is
// refused before anything else (no passphrase use, no node contacted, no crash).
TEST_F(CliRecordTest, RetrieveRefusesAMissingOrBadPurposeFirst) {
  const std::string base = "manager retrieve --dir " + mgr() + " --node http://127.0.0.1:9 --name Ada --id 1";
  EXPECT_EQ(run_hc(base).exit_code, 2);  // --purpose is required
  for (const std::string& purpose :
       {std::string("''"), std::string("'   '"), std::string(1025, 'a'), std::string("\"$(printf 'caf\\351')\""),
        std::string("\"$(printf 'a\\033[2Jb')\""), std::string("\"$(printf 'line\\nbreak')\"")}) {
    RunResult r = run_hc(base + " --purpose " + purpose);
    expect_clean_failure(r, "--purpose");
    EXPECT_LT(r.exit_code, 128) << "crashed: " << r.output;
  }
}

// Issue 11, item 5: a wrong passphrase leaves the manager directory exactly as it was.
TEST_F(CliRecordTest, RotateKeyWithAWrongPassphraseChangesNothing) {
  auto table = read_text_file(mgr() + "/manager.json", 1 << 20);
  auto current = read_text_file(mgr() + "/envelope/current.pub.pem", 1 << 20);
  ASSERT_TRUE(table.ok() && current.ok());
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(mgr() + "/envelope")) files += e.is_regular_file() ? 1 : 0;
  RunResult r = run_hc("manager rotate-key --dir " + mgr(), "HC_PASSPHRASE=wrong-passphrase");
  expect_clean_failure(r, "wrong passphrase");
  EXPECT_EQ(*read_text_file(mgr() + "/manager.json", 1 << 20), *table);
  EXPECT_EQ(*read_text_file(mgr() + "/envelope/current.pub.pem", 1 << 20), *current);
  std::size_t after = 0;
  for (const auto& e : fs::directory_iterator(mgr() + "/envelope")) after += e.is_regular_file() ? 1 : 0;
  EXPECT_EQ(after, files);
  // publish-key exists (it fails here only because this directory has no admin key).
  RunResult publish = run_hc("manager publish-key --dir " + mgr() + " --node http://127.0.0.1:9");
  EXPECT_EQ(publish.output.find("publish-key"), std::string::npos) << publish.output;
  EXPECT_EQ(publish.exit_code, 2) << publish.output;
}

// Issue 11, item 4: a pseudonym key that does not give the genesis check value is refused.
TEST_F(CliRecordTest, APseudonymKeyThatIsNotTheChainsIsRefused) {
  ASSERT_TRUE(write_text_file_atomic(path("other.key"), std::string(64, 'a') + "\n", 0600).ok());
  const std::string patient = " --name Ada --id 1";
  expect_clean_failure(run_hc("serial --pseudonym-key " + path("other.key") + genesis() + patient),
                       "is not the pseudonym key of chain cli-test-chain");
  expect_clean_failure(run_hc("record seal --manager-pubkey " + mgr() + "/envelope/current.pub.pem --pseudonym-key " +
                              path("other.key") + genesis() + patient +
                              " --time 2026-11-24T09:30:00Z --diagnosis x --out " + path("wrong-key.json")),
                       "is not the pseudonym key");
  EXPECT_FALSE(fs::exists(path("wrong-key.json")));
  EXPECT_EQ(run_hc("serial --pseudonym-key " + mgr() + "/pseudonym.key" + genesis() + patient).exit_code, 0);
  // Without a genesis there is nothing to check the key against: usage error.
  EXPECT_EQ(run_hc("serial --pseudonym-key " + mgr() + "/pseudonym.key" + patient).exit_code, 2);
}

// Issue 11, item 8: the visit from a file or standard input, as JSON or key: value lines.
TEST_F(CliRecordTest, VisitFromAFileOrStandardInput) {
  nlohmann::json visit = {{"name", "Ada Lovelace"}, {"id", "AB123"}, {"time", "2026-11-24T09:30:00Z"},
                          {"diagnosis", "Influenza A, from a file"}};
  ASSERT_TRUE(write_text_file_atomic(path("visit.json"), visit.dump(), 0600).ok());
  ASSERT_EQ(run_hc("record seal" + pubkey_and_keys() + " --visit-file " + path("visit.json") + " --out " +
                   path("from-file.json")).exit_code, 0);
  EXPECT_EQ(open_diagnosis(path("from-file.json")), "Influenza A, from a file");
  ASSERT_TRUE(write_text_file_atomic(path("visit.txt"),
                                     "# a visit\nname: Ada Lovelace\nid: AB123\ntime: 2026-11-24T09:30:00Z\n"
                                     "diagnosis: Influenza A: from stdin\n",
                                     0600)
                  .ok());
  ASSERT_EQ(run_hc("record seal" + pubkey_and_keys() + " --visit-file - --out " + path("from-stdin.json") + " < " +
                   path("visit.txt")).exit_code, 0);
  EXPECT_EQ(open_diagnosis(path("from-stdin.json")), "Influenza A: from stdin");
  // The same serial as with the flags and as `hc serial --patient-file`.
  ASSERT_TRUE(write_text_file_atomic(path("patient.txt"), "name: Ada Lovelace\nid: AB123\n", 0600).ok());
  RunResult by_file = run_hc("serial --pseudonym-key " + mgr() + "/pseudonym.key" + genesis() + " --patient-file " +
                             path("patient.txt"));
  RunResult by_flags = run_hc("serial --pseudonym-key " + mgr() + "/pseudonym.key" + genesis() +
                              " --name 'Ada Lovelace' --id AB123");
  ASSERT_EQ(by_file.exit_code, 0) << by_file.output;
  EXPECT_EQ(serial_of(by_file), serial_of(by_flags));
  EXPECT_NE(read_text_file(path("from-file.json"), 1 << 20)->find(serial_of(by_file)), std::string::npos);
  // Bad visit files fail cleanly.
  ASSERT_TRUE(write_text_file_atomic(path("unknown.txt"), "name: A\nid: 1\nward: 3\n", 0600).ok());
  expect_clean_failure(run_hc("serial --pseudonym-key " + mgr() + "/pseudonym.key" + genesis() + " --patient-file " +
                              path("unknown.txt")), "unknown field \"ward\"");
  expect_clean_failure(run_hc("record seal" + pubkey_and_keys() + " --visit-file " + path("visit.json") +
                              " --name Other --out " + path("both.json")), "not both");
  expect_clean_failure(run_hc("record seal" + pubkey_and_keys() + " --visit-file " + path("patient.txt") + " --out " +
                              path("missing.json")), "missing time");
}

// Issue 11, item 8: a diagnosis of exactly 64 KiB seals; one byte more is refused by the client.
TEST_F(CliRecordTest, DiagnosisAtTheDocumentedLimitSealsAndOneByteMoreIsRefused) {
  auto visit_with = [&](std::size_t size, const std::string& file) {
    nlohmann::json v = {{"name", "Ada"}, {"id", "1"}, {"time", "2026-11-24T09:30:00Z"},
                        {"diagnosis", std::string(size, 'd')}};
    ASSERT_TRUE(write_text_file_atomic(path(file), v.dump(), 0600).ok());
  };
  visit_with(65536, "max.json");
  RunResult max = run_hc("record seal" + pubkey_and_keys() + " --visit-file " + path("max.json") + " --out " +
                         path("max-sealed.json"));
  EXPECT_EQ(max.exit_code, 0) << max.output;
  visit_with(65537, "over.json");
  expect_clean_failure(run_hc("record seal" + pubkey_and_keys() + " --visit-file " + path("over.json") + " --out " +
                              path("over-sealed.json")),
                       "diagnosis is longer than 65536 bytes");
}

// Issue 11, item 6: a FHIR file nested 60,000 levels deep is refused, not a crash.
TEST_F(CliRecordTest, DeeplyNestedFhirIsRefusedCleanly) {
  const std::size_t depth = 60000;  // within the 128 KiB FHIR limit
  std::string deep = R"({"resourceType":"Observation","x":)" + std::string(depth, '[') + std::string(depth, ']') + "}";
  ASSERT_TRUE(write_text_file_atomic(path("deep.json"), deep).ok());
  RunResult r = run_hc(seal_args(path("deep-sealed.json")) + " --fhir " + path("deep.json"));
  expect_clean_failure(r, "nests deeper than 64 levels");
  EXPECT_FALSE(fs::exists(path("deep-sealed.json")));
}

}  // namespace
}  // namespace hc

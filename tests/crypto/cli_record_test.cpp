// Runs the real `hc` binary: the record workflow end to end and every bad input the first
// issue lists, each with a one-line error, a non-zero exit and no file left behind.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>

#include "common/file_io.h"
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
  }
  static void TearDownTestSuite() {
    delete tmp_;
    tmp_ = nullptr;
  }
  static std::string mgr() { return (tmp_->path() / "mgr").string(); }
  static std::string path(const std::string& name) { return (tmp_->path() / name).string(); }
  static std::string seal_args(const std::string& out) {
    return "record seal --manager-pubkey " + mgr() + "/envelope/current.pub.pem --pseudonym-key " + mgr() +
           "/pseudonym.key --name 'Ada Lovelace' --id AB123 --time 2026-11-24T09:30:00Z "
           "--diagnosis 'Influenza A' --out " + out;
  }
  static void expect_clean_failure(const RunResult& r, const std::string& needle) {
    EXPECT_NE(r.exit_code, 0) << r.output;
    EXPECT_NE(r.output.find("hc: error: "), std::string::npos) << r.output;
    EXPECT_NE(r.output.find(needle), std::string::npos) << r.output;
    EXPECT_EQ(std::count(r.output.begin(), r.output.end(), '\n'), 1) << r.output;
  }
  static test::TempDir* tmp_;
};
test::TempDir* CliRecordTest::tmp_ = nullptr;

TEST_F(CliRecordTest, SealOpenAndSerial) {
  ASSERT_EQ(run_hc(seal_args(path("r.json"))).exit_code, 0);
  RunResult opened = run_hc("manager open-record --dir " + mgr() + " " + path("r.json"));
  ASSERT_EQ(opened.exit_code, 0) << opened.output;
  EXPECT_NE(opened.output.find("diagnosis: Influenza A"), std::string::npos);
  RunResult serial = run_hc("serial --pseudonym-key " + mgr() + "/pseudonym.key --name ' ada  LOVELACE' --id ab123");
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
  expect_clean_failure(run_hc("record seal --manager-pubkey " + mgr() + "/envelope/current.pub.pem --pseudonym-key " +
                              mgr() + "/pseudonym.key --name Ada --id 1 --time not-a-time --diagnosis x --out " + out),
                       "RFC 3339");
  EXPECT_FALSE(fs::exists(out));
  expect_clean_failure(run_hc("record seal --manager-pubkey " + path("none.pem") + " --pseudonym-key " + mgr() +
                              "/pseudonym.key --name Ada --id 1 --time 2026-11-24T09:30:00Z --diagnosis x --out " + out),
                       "no such file");
  EXPECT_FALSE(fs::exists(out));
  ASSERT_TRUE(write_text_file_atomic(path("big.json"),
                                     R"({"resourceType":"Observation","x":")" + std::string(600000, 'a') + "\"}")
                  .ok());
  expect_clean_failure(run_hc(seal_args(out) + " --fhir " + path("big.json")), "larger than");
  EXPECT_FALSE(fs::exists(out));
  expect_clean_failure(run_hc("record seal --manager-pubkey " + mgr() + "/envelope/current.pub.pem --pseudonym-key " +
                              mgr() + "/pseudonym.key --name Ada --id 1 --time 2026-11-24T09:30:00Z --diagnosis x --out " +
                              path("no/such/dir/r.json")),
                       "cannot create");
  // Usage errors exit 2.
  EXPECT_EQ(run_hc("record seal").exit_code, 2);
  EXPECT_EQ(run_hc("no-such-command").exit_code, 2);
}

}  // namespace
}  // namespace hc

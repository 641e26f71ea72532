// What the programs say about themselves and about usage mistakes: `--version` and `--help`
// of hc, hc-node and hc-sim, `hc help [COMMAND]`, and usage errors as ONE line on stderr
// ("hc: error: ... (see hc ... --help)", exit 2). Runs the built binaries.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/file_io.h"
#include "support/temp_dir.h"

namespace hc {
namespace {

struct ProgramRun {
  int exit_code = -1;
  std::string out;
  std::string err;
  std::vector<std::string> err_lines() const {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < err.size()) {
      std::size_t end = err.find('\n', start);
      if (end == std::string::npos) end = err.size();
      lines.push_back(err.substr(start, end - start));
      start = end + 1;
    }
    return lines;
  }
};

class UsageTest : public ::testing::Test {
 protected:
  // Runs bin/<program> <args> with a clean environment for passphrases.
  ProgramRun run(const std::string& program, const std::string& args) {
    const std::string out = (dir_ / "out").string(), err = (dir_ / "err").string();
    ProgramRun r;
    r.exit_code = test::run_shell("env -u HC_PASSPHRASE " + std::string(HC_BINARY_DIR) + "/bin/" + program + " " +
                                  args + " >" + out + " 2>" + err + " </dev/null");
    auto out_text = read_text_file(out, 1 << 20);
    auto err_text = read_text_file(err, 1 << 20);
    r.out = out_text.ok() ? *out_text : "";
    r.err = err_text.ok() ? *err_text : "";
    return r;
  }
  // Exit 2 and exactly one line on stderr starting with "<program>: error: " and naming
  // `--help`, containing `needle`.
  void expect_one_line_usage_error(const ProgramRun& r, const std::string& program, const std::string& needle) {
    EXPECT_EQ(r.exit_code, 2) << r.err;
    auto lines = r.err_lines();
    ASSERT_EQ(lines.size(), 1u) << r.err;
    EXPECT_EQ(lines[0].rfind(program + ": error: ", 0), 0u) << lines[0];
    EXPECT_NE(lines[0].find("--help"), std::string::npos) << lines[0];
    EXPECT_NE(lines[0].find(needle), std::string::npos) << lines[0];
  }
  test::TempDir dir_;
};

TEST_F(UsageTest, EveryProgramHasVersionAndHelp) {
  ProgramRun hc = run("hc", "--version");
  ASSERT_EQ(hc.exit_code, 0) << hc.err;
  ASSERT_EQ(hc.out.rfind("hc ", 0), 0u) << hc.out;
  const std::string version = hc.out.substr(3);
  ASSERT_FALSE(version.empty());
  for (const std::string program : {"hc-node", "hc-sim"}) {
    ProgramRun v = run(program, "--version");
    EXPECT_EQ(v.exit_code, 0) << program << ": " << v.err;
    EXPECT_EQ(v.out, program + " " + version) << program;
    ProgramRun h = run(program, "--help");
    EXPECT_EQ(h.exit_code, 0) << program << ": " << h.err;
    EXPECT_NE(h.out.find("--version"), std::string::npos) << h.out;
  }
  EXPECT_NE(run("hc-node", "--help").out.find("--log-level"), std::string::npos);
}

TEST_F(UsageTest, HcHelpExplainsHcOrOneCommand) {
  ProgramRun all = run("hc", "help");
  EXPECT_EQ(all.exit_code, 0) << all.err;
  EXPECT_NE(all.out.find("Usage: hc"), std::string::npos) << all.out;
  EXPECT_NE(all.out.find("cluster"), std::string::npos) << all.out;
  ProgramRun up = run("hc", "help cluster up");
  EXPECT_EQ(up.exit_code, 0) << up.err;
  EXPECT_NE(up.out.find("Usage: hc cluster up"), std::string::npos) << up.out;
  EXPECT_NE(up.out.find("--nodes"), std::string::npos) << up.out;
  ProgramRun unknown = run("hc", "help cluster sideways");
  EXPECT_EQ(unknown.exit_code, 2);
  ASSERT_EQ(unknown.err_lines().size(), 1u) << unknown.err;
  EXPECT_NE(unknown.err.find("hc: error: no command \"hc cluster sideways\""), std::string::npos) << unknown.err;
}

TEST_F(UsageTest, HcUsageErrorsAreOneLineWithExit2) {
  expect_one_line_usage_error(run("hc", ""), "hc", "(see hc --help)");
  expect_one_line_usage_error(run("hc", "no-such-command"), "hc", "unknown command \"no-such-command\"");
  expect_one_line_usage_error(run("hc", "cluster status"), "hc", "(see hc cluster status --help)");
  expect_one_line_usage_error(run("hc", "cluster up --dir x --nodes many"), "hc", "many");
  expect_one_line_usage_error(run("hc", "record seal --no-such-flag"), "hc", "--no-such-flag");
}

TEST_F(UsageTest, HcNodeUsageErrorsAreOneLineWithExit2) {
  expect_one_line_usage_error(run("hc-node", ""), "hc-node", "--config");
  expect_one_line_usage_error(run("hc-node", "--config a.json --bogus"), "hc-node", "--bogus");
}

// Regression: hc-sim printed CLI11's two lines and exited 109 on a bad flag.
TEST_F(UsageTest, HcSimUsageErrorsAreOneLineWithExit2) {
  expect_one_line_usage_error(run("hc-sim", "--bogus"), "hc-sim", "--bogus");
  expect_one_line_usage_error(run("hc-sim", "--replicas many"), "hc-sim", "many");
}

// Regression: an unknown --log-level turned logging off (spdlog's "off"), so the node then
// failed on its missing config without a word. It is refused, naming the accepted levels.
TEST_F(UsageTest, HcNodeRefusesAnUnknownLogLevel) {
  ProgramRun r = run("hc-node", "--config " + (dir_ / "missing.json").string() + " --log-level verbose");
  expect_one_line_usage_error(r, "hc-node", "--log-level must be one of trace, debug, info, warn, error, critical");
  ProgramRun quiet = run("hc-node", "--config " + (dir_ / "missing.json").string() + " --log-level critical");
  EXPECT_EQ(quiet.exit_code, 2);
  ProgramRun errors = run("hc-node", "--config " + (dir_ / "missing.json").string() + " --log-level error");
  EXPECT_EQ(errors.exit_code, 2);
  EXPECT_NE(errors.err.find("missing.json"), std::string::npos) << "errors are still logged: " << errors.err;
}

}  // namespace
}  // namespace hc

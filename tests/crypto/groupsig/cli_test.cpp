// End-to-end runs of `hc group ...`: setup, enroll, sign, verify, open, judge, revoke,
// update-key, and the error paths a user meets.
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace {

namespace fs = std::filesystem;

struct CliRun {
  int exit_code;
  std::string out;
};

class GroupCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("hc_group_cli_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    ::setenv("HC_PASSPHRASE", "test passphrase", 1);  // the issuer's and opener's
    write("member.pass", "member passphrase\n");      // each member key has its own
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string p(const std::string& name) const { return (dir_ / name).string(); }

  CliRun hc(const std::string& args) const {
    std::string cmd = std::string(HC_BINARY_DIR) + "/bin/hc group " + args + " 2>" + p("stderr");
    CliRun r{-1, ""};
    FILE* f = ::popen(cmd.c_str(), "r");
    if (f == nullptr) return r;
    char buf[512];
    while (std::fgets(buf, sizeof buf, f) != nullptr) r.out += buf;
    int status = ::pclose(f);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
  }
  std::string last_stderr() const {
    std::ifstream in(p("stderr"));
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(p(name), std::ios::binary) << text;
  }

  // Options naming the member key's passphrase file (for enroll, sign and update-key).
  std::string member_pass() const { return " --member-passphrase-file " + p("member.pass"); }
  std::string as_member() const { return " --passphrase-file " + p("member.pass"); }

  fs::path dir_;
};

TEST_F(GroupCli, FullLifecycle) {
  const std::string g = p("group");
  ASSERT_EQ(hc("setup --dir " + g).exit_code, 0) << last_stderr();
  ASSERT_EQ(hc("enroll --dir " + g + " --member alpha --out " + p("alpha.key") + member_pass()).exit_code, 0)
      << last_stderr();
  ASSERT_EQ(hc("enroll --dir " + g + " --member beta --out " + p("beta.key") + member_pass()).exit_code, 0);
  EXPECT_EQ(hc("enroll --dir " + g + " --member alpha --out " + p("alpha2.key") + member_pass()).exit_code, 2);
  write("record", "patient 17: fracture");
  write("other", "patient 18: flu");

  ASSERT_EQ(hc("sign --key " + p("alpha.key") + " --in " + p("record") + " --out " + p("a.sig") + as_member()).exit_code, 0)
      << last_stderr();
  CliRun v = hc("verify --gpk " + g + "/gpk.bin --in " + p("record") + " --sig " + p("a.sig"));
  EXPECT_EQ(v.exit_code, 0) << last_stderr();
  EXPECT_EQ(v.out, "valid\n");
  v = hc("verify --gpk " + g + "/gpk.bin --in " + p("other") + " --sig " + p("a.sig"));
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_EQ(v.out, "invalid\n");

  CliRun o = hc("open --dir " + g + " --in " + p("record") + " --sig " + p("a.sig") + " --proof-out " + p("a.proof"));
  EXPECT_EQ(o.exit_code, 0) << last_stderr();
  EXPECT_EQ(o.out, "alpha\n");
  const std::string judge = "judge --gpk " + g + "/gpk.bin --registry " + g + "/registry.bin --in " +
                            p("record") + " --sig " + p("a.sig") + " --proof " + p("a.proof");
  CliRun j = hc(judge + " --member alpha");
  EXPECT_EQ(j.exit_code, 0) << last_stderr();
  EXPECT_EQ(j.out, "valid\n");
  j = hc(judge + " --member beta");
  EXPECT_EQ(j.exit_code, 1);
  EXPECT_EQ(j.out, "invalid\n");

  // Revoke alpha: epoch 1. beta updates and signs; alpha cannot update.
  CliRun rv = hc("revoke --dir " + g + " --member alpha");
  ASSERT_EQ(rv.exit_code, 0) << last_stderr();
  const std::string rec = g + "/epoch-1/revocation.bin";
  EXPECT_EQ(hc("update-key --key " + p("alpha.key") + " --revocation " + rec + as_member()).exit_code, 2);
  EXPECT_NE(last_stderr().find("revoked"), std::string::npos) << last_stderr();
  ASSERT_EQ(hc("update-key --key " + p("beta.key") + " --revocation " + rec + as_member()).exit_code, 0) << last_stderr();
  ASSERT_EQ(hc("sign --key " + p("beta.key") + " --in " + p("record") + " --out " + p("b.sig") + as_member()).exit_code, 0);
  EXPECT_EQ(hc("verify --gpk " + g + "/gpk.bin --in " + p("record") + " --sig " + p("b.sig")).exit_code, 0);
  // alpha's old-epoch signature: invalid under the new key, valid under epoch 0's.
  EXPECT_EQ(hc("verify --gpk " + g + "/gpk.bin --in " + p("record") + " --sig " + p("a.sig")).exit_code, 1);
  EXPECT_EQ(hc("verify --gpk " + g + "/epoch-0/gpk.bin --in " + p("record") + " --sig " + p("a.sig")).exit_code, 0);
  // alpha signing with its stale key produces an epoch-0 signature that epoch 1 rejects.
  ASSERT_EQ(hc("sign --key " + p("alpha.key") + " --in " + p("other") + " --out " + p("a2.sig") + as_member()).exit_code, 0);
  EXPECT_EQ(hc("verify --gpk " + g + "/gpk.bin --in " + p("other") + " --sig " + p("a2.sig")).exit_code, 1);
  o = hc("open --dir " + g + " --in " + p("record") + " --sig " + p("b.sig") + " --proof-out " + p("b.proof"));
  EXPECT_EQ(o.out, "beta\n") << last_stderr();
  // Opening an old-epoch signature uses that epoch's registry.
  o = hc("open --dir " + g + " --in " + p("record") + " --sig " + p("a.sig") + " --proof-out " + p("a0.proof"));
  EXPECT_EQ(o.out, "alpha\n") << last_stderr();
}

TEST_F(GroupCli, EnrollNeedsItsOwnMemberPassphrase) {
  // Handing a member its key must not hand it the issuer's passphrase.
  const std::string g = p("group");
  ASSERT_EQ(hc("setup --dir " + g).exit_code, 0) << last_stderr();
  EXPECT_EQ(hc("enroll --dir " + g + " --member m --out " + p("m.key")).exit_code, 2);
  EXPECT_NE(last_stderr().find("--member-passphrase-file"), std::string::npos) << last_stderr();
  EXPECT_FALSE(fs::exists(p("m.key")));
  write("issuer.pass", "test passphrase\n");
  EXPECT_EQ(hc("enroll --dir " + g + " --member m --out " + p("m.key") +
               " --member-passphrase-file " + p("issuer.pass")).exit_code, 2);
  EXPECT_NE(last_stderr().find("issuer"), std::string::npos) << last_stderr();
  EXPECT_FALSE(fs::exists(p("m.key")));
  ASSERT_EQ(hc("enroll --dir " + g + " --member m --out " + p("m.key") + member_pass()).exit_code, 0)
      << last_stderr();
  write("f", "data");
  EXPECT_EQ(hc("sign --key " + p("m.key") + " --in " + p("f") + " --out " + p("s")).exit_code, 2);
  EXPECT_EQ(hc("sign --key " + p("m.key") + " --in " + p("f") + " --out " + p("s") + as_member()).exit_code, 0)
      << last_stderr();
}

TEST_F(GroupCli, ClearErrors) {
  const std::string g = p("group");
  ASSERT_EQ(hc("setup --dir " + g).exit_code, 0);
  EXPECT_EQ(hc("setup --dir " + g).exit_code, 2);  // not empty
  ASSERT_EQ(hc("enroll --dir " + g + " --member m --out " + p("m.key") + member_pass()).exit_code, 0);
  write("f", "data");
  // Wrong passphrase (from a file), missing file, malformed signature, bad member name.
  write("wrong", "test passphrase\n");  // the issuer's, not the member key's
  EXPECT_EQ(hc("sign --key " + p("m.key") + " --in " + p("f") + " --out " + p("s") +
               " --passphrase-file " + p("wrong")).exit_code, 2);
  EXPECT_NE(last_stderr().find("passphrase"), std::string::npos) << last_stderr();
  write("right", "member passphrase\n");
  EXPECT_EQ(hc("sign --key " + p("m.key") + " --in " + p("f") + " --out " + p("s") +
               " --passphrase-file " + p("right")).exit_code, 0) << last_stderr();
  EXPECT_EQ(hc("sign --key " + p("missing.key") + " --in " + p("f") + " --out " + p("s2")).exit_code, 2);
  EXPECT_NE(last_stderr().find("missing.key"), std::string::npos);
  write("garbage.sig", "HCGS\x06\x01 short");
  CliRun v = hc("verify --gpk " + g + "/gpk.bin --in " + p("f") + " --sig " + p("garbage.sig"));
  EXPECT_EQ(v.exit_code, 1);
  EXPECT_NE(last_stderr().find("truncated"), std::string::npos) << last_stderr();
  EXPECT_EQ(hc("verify --gpk " + p("f") + " --in " + p("f") + " --sig " + p("s")).exit_code, 2);
  EXPECT_NE(last_stderr().find("group public key"), std::string::npos) << last_stderr();
  EXPECT_EQ(hc("enroll --dir " + g + " --member 'bad/name' --out " + p("x.key") + member_pass()).exit_code, 2);
  EXPECT_EQ(hc("revoke --dir " + g + " --member nobody").exit_code, 2);
  EXPECT_NE(last_stderr().find("nobody"), std::string::npos);
  ::unsetenv("HC_PASSPHRASE");
  EXPECT_EQ(hc("sign --key " + p("m.key") + " --in " + p("f") + " --out " + p("s3")).exit_code, 2);
  EXPECT_NE(last_stderr().find("HC_PASSPHRASE"), std::string::npos);
}

}  // namespace

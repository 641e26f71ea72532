// `hc access`, `hc trustee` and the trustees-mode paths of `hc record seal`: bad input is one
// line on stderr and a non-zero exit (2 for bad input), never a crash: a blank purpose, a
// missing token file, a malformed request id, the wrong access mode for the command, sealing
// to --manager-pubkey on a trustees-mode chain; the reader policy's and a reader's own commands
// (issue 13 item 3). Runs the built hc.
#include <gtest/gtest.h>

#include "chain/genesis.h"
#include "chain/test_chain.h"
#include "common/file_io.h"
#include "crypto/p256.h"
#include "support/temp_dir.h"

namespace hc {
namespace {

struct AccessCliRun {
  int exit_code = -1;
  std::string err;
};

class AccessCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    chain::testing::TestConsortium single;
    ASSERT_TRUE(write_text_file_atomic(dir_ / "single.json", chain::genesis_to_json(single.genesis()).dump()).ok());
    chain::testing::TestConsortium trustees;
    std::vector<crypto::P256PointBytes> keys;
    for (std::uint64_t j = 1; j <= 4; ++j) keys.push_back(crypto::P256Point::base_mul(crypto::P256Scalar::from_u64(j + 100)).encode());
    trustees.use_trustees(keys, 3);
    ASSERT_TRUE(write_text_file_atomic(dir_ / "trustees.json", chain::genesis_to_json(trustees.genesis()).dump()).ok());
    ASSERT_TRUE(write_text_file_atomic(dir_ / "token", "reader-token\n").ok());
    ASSERT_TRUE(write_text_file_atomic(dir_ / "patient", "name: Ada Lovelace\nid: X1\n").ok());
  }

  AccessCliRun run(const std::string& args) {
    const std::string err = (dir_ / "err").string();
    AccessCliRun r;
    r.exit_code = test::run_shell("env -u HC_PASSPHRASE " + std::string(HC_BINARY_DIR) + "/bin/hc " + args +
                                  " >/dev/null 2>" + err + " </dev/null");
    auto text = read_text_file(err, 1 << 20);
    r.err = text.ok() ? *text : "";
    return r;
  }

  void expect_refused(const AccessCliRun& r, int exit_code, const std::string& needle) {
    EXPECT_EQ(r.exit_code, exit_code) << r.err;
    ASSERT_FALSE(r.err.empty());
    EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "one line: " << r.err;
    EXPECT_EQ(r.err.rfind("hc: ", 0), 0u) << r.err;
    EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  const std::string request_id_ = std::string(64, 'a');
  test::TempDir dir_;
};

TEST_F(AccessCliTest, ABlankPurposeIsRefusedBeforeAnythingElse) {
  expect_refused(run("access request --dir " + path("nodir") + " --node http://127.0.0.1:1 --purpose '   ' --patient-file " +
                     path("patient")),
                 2, "purpose");
  expect_refused(run("access request --dir " + path("nodir") + " --node http://127.0.0.1:1 --patient-file " +
                     path("patient")),
                 2, "--purpose");
}

TEST_F(AccessCliTest, AMissingTokenOrMalformedRequestIdIsOneLine) {
  const AccessCliRun missing = run("access status " + request_id_ + " --node http://127.0.0.1:1 --genesis " +
                                   path("trustees.json") + " --token-file " + path("no-such-token"));
  EXPECT_NE(missing.exit_code, 0);
  EXPECT_NE(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("no-such-token"), std::string::npos) << missing.err;
  EXPECT_EQ(missing.err.find('\n'), missing.err.size() - 1) << missing.err;
  expect_refused(run("access status not-hex --node http://127.0.0.1:1 --genesis " + path("trustees.json") +
                     " --token-file " + path("token")),
                 2, "hex");
  expect_refused(run("access status --node http://127.0.0.1:1 --genesis " + path("trustees.json")), 2, "request_id");
}

TEST_F(AccessCliTest, TheWrongAccessModeIsRefusedWithOneLine) {
  expect_refused(run("access status " + request_id_ + " --node http://127.0.0.1:1 --genesis " + path("single.json") +
                     " --token-file " + path("token")),
                 2, "single-manager");
  expect_refused(run("record seal --manager-pubkey " + path("any.pem") + " --pseudonym-key " + path("any.key") +
                     " --genesis " + path("trustees.json") + " --visit-file " + path("patient") + " --out " +
                     path("out.json")),
                 2, "trustees mode");
  expect_refused(run("record seal --pseudonym-key " + path("any.key") + " --genesis " + path("single.json") +
                     " --visit-file " + path("patient") + " --out " + path("out.json")),
                 2, "--manager-pubkey is required");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "out.json"));
}

TEST_F(AccessCliTest, JudgeOpeningRefusesBadInputWithOneLine) {
  const std::string rest = " --node http://127.0.0.1:1 --token-file " + path("token") + " --gpk " + path("no-gpk") +
                           " --registry " + path("no-registry") + " --member westgate --genesis ";
  expect_refused(run("group judge-opening --request not-hex --record " + request_id_ + rest + path("trustees.json")), 2,
                 "hex");
  expect_refused(run("group judge-opening --request " + request_id_ + " --record " + request_id_ + rest +
                     path("single.json")),
                 2, "single-manager");
  expect_refused(run("group judge-opening --request " + request_id_ + " --record " + request_id_ + rest +
                     path("trustees.json")),
                 2, "no-gpk");
}

TEST_F(AccessCliTest, ReaderPolicyAndReaderKeyCommandsRefuseBadInputWithOneLine) {
  ASSERT_TRUE(write_text_file_atomic(dir_ / "pass", "a reader's passphrase\n", 0600).ok());
  ASSERT_TRUE(write_text_file_atomic(dir_ / "wrong-pass", "not the passphrase\n", 0600).ok());
  const std::string pass = " --passphrase-file " + path("pass");
  // The key file: made once, never overwritten; a passphrase is needed, the right one to read it.
  expect_refused(run("access reader-key create --out " + path("reader.pem")), 2, "passphrase");
  EXPECT_FALSE(std::filesystem::exists(dir_ / "reader.pem"));
  ASSERT_EQ(run("access reader-key create --out " + path("reader.pem") + pass).exit_code, 0);
  expect_refused(run("access reader-key create --out " + path("reader.pem") + pass), 2, "never overwritten");
  const AccessCliRun wrong = run("access reader-key show --key " + path("reader.pem") + " --passphrase-file " + path("wrong-pass"));
  EXPECT_NE(wrong.exit_code, 0);
  EXPECT_NE(wrong.err.find("reader key"), std::string::npos) << wrong.err;

  // A request is the manager's or a reader's, and a reader needs the genesis and a token.
  const std::string request = "access request --node http://127.0.0.1:1 --purpose treatment --serial " + request_id_;
  expect_refused(run(request), 2, "one of them");
  expect_refused(run(request + " --dir " + path("nodir") + " --reader-key " + path("reader.pem")), 2, "one of them");
  expect_refused(run(request + " --reader-key " + path("reader.pem") + pass), 2, "needs --genesis");
  expect_refused(run(request + " --reader-key " + path("reader.pem") + " --genesis " + path("single.json") +
                     " --reader-token-file " + path("token") + pass),
                 2, "single-manager");
  expect_refused(run("access request --node http://127.0.0.1:1 --purpose treatment --reader-key " + path("reader.pem") +
                     " --genesis " + path("trustees.json") + " --reader-token-file " + path("token") + pass),
                 2, "--serial HEX, or with --patient-file and --pseudonym-key");
  expect_refused(run(request + " --dir " + path("nodir")), 2, "are for a reader");

  // Policy changes: the key, the rights and the name are checked before anything is read.
  const std::string add = "access policy add --dir " + path("nodir") + " --node http://127.0.0.1:1";
  const std::string key = " --reader " + std::string(64, 'b');
  expect_refused(run(add + " --reader 12ab --name Ada"), 2, "not an Ed25519 public key");
  expect_refused(run(add + key + " --name Ada --rights everything"), 2, "--rights must be decrypt, open or decrypt+open");
  expect_refused(run(add + key + " --name '   '"), 2, "must not be blank");
  expect_refused(run(add + key + " --name " + std::string(65, 'n')), 2, "longer than 64 bytes");
  expect_refused(run(add + key + " --name \"$(printf 'bell\\007')\""), 2, "not printable UTF-8");
  expect_refused(run("access policy list --node http://127.0.0.1:1 --genesis " + path("single.json") + " --token-file " +
                     path("token")),
                 2, "single-manager");
}

}  // namespace
}  // namespace hc

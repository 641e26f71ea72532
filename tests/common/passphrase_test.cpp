// The passphrase reader shared by hc and hc-node (common/passphrase.h): the first line of a
// file (CR/LF removed), else $HC_PASSPHRASE, else a clear error naming both sources.
#include "common/passphrase.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "common/file_io.h"
#include "support/temp_dir.h"

namespace hc {
namespace {

// Sets or clears HC_PASSPHRASE for one test and restores it afterwards.
class PassphraseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* old = std::getenv(kPassphraseEnvironmentVariable);
    if (old != nullptr) saved_ = old;
    ::unsetenv(kPassphraseEnvironmentVariable);
  }
  void TearDown() override {
    if (saved_) {
      ::setenv(kPassphraseEnvironmentVariable, saved_->c_str(), 1);
    } else {
      ::unsetenv(kPassphraseEnvironmentVariable);
    }
  }
  std::string write(const std::string& name, const std::string& content) {
    auto path = dir_ / name;
    EXPECT_TRUE(write_text_file_atomic(path, content, 0600).ok());
    return path.string();
  }
  std::optional<std::string> saved_;
  test::TempDir dir_;
};

TEST_F(PassphraseTest, FileGivesItsFirstLineWithoutLineEnd) {
  ::setenv(kPassphraseEnvironmentVariable, "from-the-environment", 1);
  auto crlf = read_passphrase(write("crlf", "correct horse\r\nsecond line\n"));
  ASSERT_TRUE(crlf.ok()) << crlf.status().to_string();
  EXPECT_EQ(crlf->view(), "correct horse");
  auto bare = read_passphrase(write("bare", "no newline at all"));
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->view(), "no newline at all");
}

TEST_F(PassphraseTest, EnvironmentWhenNoFile) {
  ::setenv(kPassphraseEnvironmentVariable, "from-the-environment", 1);
  EXPECT_TRUE(passphrase_in_environment());
  auto pass = read_passphrase("");
  ASSERT_TRUE(pass.ok());
  EXPECT_EQ(pass->view(), "from-the-environment");
}

TEST_F(PassphraseTest, NeitherSourceOrAnEmptyOneIsAClearError) {
  EXPECT_FALSE(passphrase_in_environment());
  auto none = read_passphrase("");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), ErrorCode::kInvalidInput);
  EXPECT_NE(none.status().message().find("HC_PASSPHRASE"), std::string::npos);
  EXPECT_NE(none.status().message().find("--passphrase-file"), std::string::npos);
  ::setenv(kPassphraseEnvironmentVariable, "", 1);
  EXPECT_FALSE(passphrase_in_environment());
  EXPECT_FALSE(read_passphrase("").ok());
  auto empty = read_passphrase(write("empty", "\nsecond line"));
  ASSERT_FALSE(empty.ok());
  EXPECT_NE(empty.status().message().find("empty"), std::string::npos);
  auto missing = read_passphrase((dir_ / "missing").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace hc

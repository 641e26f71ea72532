#include "common/file_io.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace hc {
namespace {

namespace fs = std::filesystem;

class FileIoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("hc-fileio-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(FileIoTest, AtomicWriteThenRead) {
  fs::path p = dir_ / "a.txt";
  ASSERT_TRUE(write_text_file_atomic(p, "hello").ok());
  auto text = read_text_file(p, 100);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(*text, "hello");
  // Overwrite replaces the content and leaves no temporary files behind.
  ASSERT_TRUE(write_text_file_atomic(p, "world!").ok());
  EXPECT_EQ(*read_text_file(p, 100), "world!");
  int files = 0;
  for ([[maybe_unused]] auto& e : fs::directory_iterator(dir_)) ++files;
  EXPECT_EQ(files, 1);
}

TEST_F(FileIoTest, ReadLimitsAndMissingFiles) {
  fs::path p = dir_ / "big";
  ASSERT_TRUE(write_text_file_atomic(p, std::string(101, 'x')).ok());
  auto r = read_file(p, 100);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), ErrorCode::kTooLarge);
  auto missing = read_file(dir_ / "nope", 100);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), ErrorCode::kNotFound);
  EXPECT_FALSE(read_file(dir_, 100).ok());  // a directory
}

TEST_F(FileIoTest, WriteIntoMissingDirectoryFailsCleanly) {
  Status s = write_text_file_atomic(dir_ / "no" / "such" / "dir" / "f", "x");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), ErrorCode::kIo);
}

TEST_F(FileIoTest, SecretFilePermissions) {
  fs::path p = dir_ / "secret";
  ASSERT_TRUE(write_text_file_atomic(p, "k", 0600).ok());
  auto perms = fs::status(p).permissions();
  EXPECT_EQ(perms & fs::perms::group_all, fs::perms::none);
  EXPECT_EQ(perms & fs::perms::others_all, fs::perms::none);
  auto secret = read_secret_file(p, 10);
  ASSERT_TRUE(secret.ok());
  EXPECT_EQ(secret->view(), "k");
}

}  // namespace
}  // namespace hc

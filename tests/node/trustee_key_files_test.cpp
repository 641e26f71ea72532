// The trustee key files of the resharing epochs (node/trustee_key_files.h): a fresh key per
// epoch, encrypted like trustee.key.pem and kept across a restart; erasure that leaves nothing
// under the file's name and that the next start sees.
#include "node/trustee_key_files.h"

#include <gtest/gtest.h>

#include "common/file_io.h"
#include "crypto/p256_key_file.h"
#include "support/temp_dir.h"

namespace hc::node {
namespace {

SecureBytes key_files_passphrase() { return SecureBytes(std::string_view("correct horse battery")); }

TEST(TrusteeKeyFilesTest, AFreshKeyIsWrittenEncryptedOncePerEpochAndKeptAcrossARestart) {
  test::TempDir dir;
  const auto first = dir.path() / "trustee.key.pem";
  ASSERT_TRUE(crypto::write_new_p256_key(first, key_files_passphrase()).ok());
  TrusteeKeyFiles files(first, key_files_passphrase());
  EXPECT_EQ(files.path_for(0), first);
  EXPECT_EQ(files.path_for(2), dir.path() / "trustee.key.r2.pem");
  auto fresh = files.fresh_key(1);
  ASSERT_TRUE(fresh.ok()) << fresh.status().to_string();
  auto pem = read_text_file(dir.path() / "trustee.key.r1.pem", 1 << 16);
  ASSERT_TRUE(pem.ok());
  EXPECT_NE(pem->find("BEGIN ENCRYPTED PRIVATE KEY"), std::string::npos);
  EXPECT_EQ(std::filesystem::status(dir.path() / "trustee.key.r1.pem").permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  // A restart (a new object) gets the same key back, never a second one.
  TrusteeKeyFiles again(first, key_files_passphrase());
  auto same = again.fresh_key(1);
  ASSERT_TRUE(same.ok());
  EXPECT_EQ(crypto::P256Point::base_mul(*same).encode(), crypto::P256Point::base_mul(*fresh).encode());
  auto other = again.fresh_key(2);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(crypto::P256Point::base_mul(*other).encode(), crypto::P256Point::base_mul(*fresh).encode());
  EXPECT_EQ(again.held_epochs(), (std::vector<std::uint64_t>{0, 1, 2}));
  EXPECT_FALSE(again.fresh_key(0).ok());
}

TEST(TrusteeKeyFilesTest, AWrongPassphraseIsRefusedNamingTheFile) {
  test::TempDir dir;
  const auto first = dir.path() / "trustee.key.pem";
  ASSERT_TRUE(crypto::write_new_p256_key(first, key_files_passphrase()).ok());
  TrusteeKeyFiles files(first, key_files_passphrase());
  ASSERT_TRUE(files.fresh_key(1).ok());
  TrusteeKeyFiles wrong(first, SecureBytes(std::string_view("another passphrase")));
  auto loaded = wrong.load(1);
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), ErrorCode::kAuthFailed);
  EXPECT_NE(loaded.status().message().find("trustee.key.r1.pem"), std::string::npos);
  // A failed load must not make a new key over the old one.
  EXPECT_FALSE(wrong.fresh_key(1).ok());
  EXPECT_TRUE(files.load(1).ok());
}

TEST(TrusteeKeyFilesTest, ErasureRemovesTheFileAndTheNextStartHoldsNoKey) {
  test::TempDir dir;
  const auto first = dir.path() / "trustee.key.pem";
  ASSERT_TRUE(crypto::write_new_p256_key(first, key_files_passphrase()).ok());
  TrusteeKeyFiles files(first, key_files_passphrase());
  ASSERT_TRUE(files.fresh_key(1).ok());
  ASSERT_TRUE(files.erase(0).ok());
  EXPECT_FALSE(std::filesystem::exists(first));
  EXPECT_TRUE(files.erase(0).ok());  // already gone: nothing to do
  TrusteeKeyFiles restarted(first, key_files_passphrase());
  auto old_key = restarted.load(0);
  ASSERT_TRUE(old_key.ok());
  EXPECT_FALSE(old_key->has_value());
  EXPECT_EQ(restarted.held_epochs(), (std::vector<std::uint64_t>{1}));
  // Nothing else in the directory holds it: only the epoch-1 key file is left.
  std::size_t files_left = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    EXPECT_EQ(entry.path().filename(), "trustee.key.r1.pem");
    ++files_left;
  }
  EXPECT_EQ(files_left, 1u);
}

TEST(TrusteeKeyFilesTest, OverwriteAndUnlinkZeroesTheBytesBeforeTheNameGoes) {
  test::TempDir dir;
  const auto file = dir.path() / "secret.bin";
  ASSERT_TRUE(write_text_file_atomic(file, "0123456789abcdef", 0600).ok());
  // A second name for the same inode shows what erasure left in the file's blocks.
  const auto witness = dir.path() / "witness.bin";
  std::filesystem::create_hard_link(file, witness);
  ASSERT_TRUE(overwrite_and_unlink(file).ok());
  EXPECT_FALSE(std::filesystem::exists(file));
  auto left = read_file(witness, 1 << 10);
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(*left, Bytes(16, 0));
}

}  // namespace
}  // namespace hc::node

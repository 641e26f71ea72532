// The manager's record of where each group epoch began, and the epoch rule opening applies.
#include "client/epoch_starts.h"

#include <gtest/gtest.h>

#include "common/file_io.h"
#include "support/temp_dir.h"

namespace hc::client {
namespace {

TEST(EpochStartsTest, RecordsAndReloadsStarts) {
  test::TempDir dir;
  auto empty = load_epoch_starts(dir.path());
  ASSERT_TRUE(empty.ok()) << empty.status().to_string();
  EXPECT_TRUE(empty->empty());
  ASSERT_TRUE(record_epoch_start(dir.path(), 1, 17).ok());
  ASSERT_TRUE(record_epoch_start(dir.path(), 2, 40).ok());
  ASSERT_TRUE(record_epoch_start(dir.path(), 2, 40).ok());  // the same fact again is fine
  auto loaded = load_epoch_starts(dir.path());
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  EXPECT_EQ(*loaded, (EpochStarts{{1, 17}, {2, 40}}));
  EXPECT_EQ(record_epoch_start(dir.path(), 2, 41).code(), ErrorCode::kInvalidInput);  // moved
  EXPECT_EQ(record_epoch_start(dir.path(), 3, 30).code(), ErrorCode::kInvalidInput);  // before epoch 2
  EXPECT_EQ(record_epoch_start(dir.path(), 0, 5).code(), ErrorCode::kInvalidInput);   // epoch 0 is the genesis
}

TEST(EpochStartsTest, MalformedFilesAreCorrupt) {
  test::TempDir dir;
  for (const char* text : {"1\n", "1 x\n", "x 1\n", "1 5\n1 6\n", "1 5\n2 5\n", "2 9\n1 10\n", "0 0\n",
                           "1  5\n", "-1 5\n", "1 99999999999999999999\n"}) {
    ASSERT_TRUE(write_text_file_atomic(dir / "epoch-starts.txt", text).ok());
    auto loaded = load_epoch_starts(dir.path());
    EXPECT_EQ(loaded.status().code(), ErrorCode::kCorrupt) << text;
  }
}

TEST(EpochStartsTest, ARecordMustLieInsideItsEpoch) {
  const EpochStarts starts{{1, 10}, {2, 20}};
  // Epoch 0: heights 1..9; epoch 1: 11..19; epoch 2 (current): after 20.
  EXPECT_TRUE(check_record_epoch(starts, 2, 0, 1).ok());
  EXPECT_TRUE(check_record_epoch(starts, 2, 0, 9).ok());
  EXPECT_TRUE(check_record_epoch(starts, 2, 1, 11).ok());
  EXPECT_TRUE(check_record_epoch(starts, 2, 1, 19).ok());
  EXPECT_TRUE(check_record_epoch(starts, 2, 2, 21).ok());
  EXPECT_TRUE(check_record_epoch(starts, 2, 2, 1000000).ok());
  // The revocation's own block holds no record; after it the old epoch is forgeable.
  for (auto [epoch, height] : {std::pair<std::uint64_t, std::uint64_t>{0, 10}, {0, 11}, {0, 25}, {1, 10},
                               {1, 20}, {1, 5}, {2, 20}, {2, 3}}) {
    Status s = check_record_epoch(starts, 2, epoch, height);
    EXPECT_EQ(s.code(), ErrorCode::kAuthFailed) << epoch << "@" << height;
    EXPECT_NE(s.message().find("outside its epoch"), std::string::npos) << s.message();
  }
  EXPECT_EQ(check_record_epoch(starts, 2, 3, 30).code(), ErrorCode::kAuthFailed);  // not reached yet
  // The group moved to epoch 2 but the directory does not say where epoch 2 began.
  EXPECT_EQ(check_record_epoch(EpochStarts{{1, 10}}, 2, 1, 12).code(), ErrorCode::kCorrupt);
  EXPECT_EQ(check_record_epoch(EpochStarts{}, 1, 1, 12).code(), ErrorCode::kCorrupt);
  // No revocation yet: every height above the genesis belongs to epoch 0.
  EXPECT_TRUE(check_record_epoch(EpochStarts{}, 0, 0, 1).ok());
}

}  // namespace
}  // namespace hc::client

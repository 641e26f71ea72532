#include "node/wal.h"

#include <gtest/gtest.h>

#include <fstream>

#include "common/file_io.h"
#include "support/temp_dir.h"

namespace hc::node {
namespace {

TEST(WalTest, AppendSyncReopenAndSnapshot) {
  test::TempDir dir;
  auto path = dir / "wal";
  std::vector<Bytes> records;
  {
    auto wal = WriteAheadLog::open(path, records, 1024);
    ASSERT_TRUE(wal.ok());
    EXPECT_TRUE(records.empty());
    ASSERT_TRUE(wal->append(Bytes{1}).ok());
    ASSERT_TRUE(wal->append(Bytes{2, 2}).ok());
    EXPECT_TRUE(wal->has_unsynced());
    ASSERT_TRUE(wal->sync().ok());
  }
  {
    auto wal = WriteAheadLog::open(path, records, 1024);
    ASSERT_TRUE(wal.ok());
    EXPECT_EQ(records, (std::vector<Bytes>{{1}, {2, 2}}));
    ASSERT_TRUE(wal->snapshot(Bytes{9}).ok());
    ASSERT_TRUE(wal->append(Bytes{10}).ok());
    ASSERT_TRUE(wal->sync().ok());
  }
  auto wal = WriteAheadLog::open(path, records, 1024);
  ASSERT_TRUE(wal.ok());
  EXPECT_EQ(records, (std::vector<Bytes>{{9}, {10}}));
}

TEST(WalTest, TornTailIsCutAndMiddleDamageIsCorrupt) {
  test::TempDir dir;
  auto path = dir / "wal";
  std::vector<Bytes> records;
  {
    auto wal = WriteAheadLog::open(path, records, 1024);
    ASSERT_TRUE(wal->append(Bytes(10, 1)).ok());
    ASSERT_TRUE(wal->append(Bytes(10, 2)).ok());
    ASSERT_TRUE(wal->sync().ok());
  }
  Bytes full = *read_file(path, 1 << 20);
  // Every truncation point of the last entry is a torn tail: the first record survives.
  for (std::size_t cut = 18; cut < full.size(); ++cut) {
    ASSERT_TRUE(write_file_atomic(path, ByteSpan(full.data(), cut)).ok());
    auto wal = WriteAheadLog::open(path, records, 1024);
    ASSERT_TRUE(wal.ok()) << cut;
    EXPECT_EQ(records, std::vector<Bytes>{Bytes(10, 1)}) << cut;
    // And appending after recovery yields a clean log.
    ASSERT_TRUE(wal->append(Bytes{7}).ok());
    ASSERT_TRUE(wal->sync().ok());
    std::vector<Bytes> again;
    ASSERT_TRUE(WriteAheadLog::open(path, again, 1024).ok());
    EXPECT_EQ(again, (std::vector<Bytes>{Bytes(10, 1), Bytes{7}}));
  }
  Bytes damaged = full;
  damaged[10] ^= 1;  // inside the first payload, with a good entry after it
  ASSERT_TRUE(write_file_atomic(path, damaged).ok());
  auto wal = WriteAheadLog::open(path, records, 1024);
  ASSERT_FALSE(wal.ok());
  EXPECT_EQ(wal.status().code(), ErrorCode::kCorrupt);
}

}  // namespace
}  // namespace hc::node

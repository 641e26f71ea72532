// The replica's write-ahead log: the consensus engine's Persist records, durably.
//
// File format: a sequence of entries  u32 length | 4-byte check (first bytes of
// SHA-256("HC-WAL-v1" || payload)) | payload.  append() buffers; sync() makes every appended
// entry durable (fdatasync) and must be called before any message that depends on them is
// sent. snapshot() atomically replaces the whole log with one record (temporary file, fsync,
// rename). On open, a torn or unchecked entry at the very end (a crash mid-write) is cut off;
// a bad entry followed by good data is kCorrupt. Not thread-safe.
#pragma once

#include <filesystem>
#include <vector>

#include "common/bytes.h"
#include "common/status.h"

namespace hc::node {

class WriteAheadLog {
 public:
  // Opens (creating if absent) and returns the records currently in the log.
  static Result<WriteAheadLog> open(const std::filesystem::path& path, std::vector<Bytes>& records,
                                    std::size_t max_record_bytes);
  WriteAheadLog(WriteAheadLog&& other) noexcept;
  WriteAheadLog& operator=(WriteAheadLog&& other) noexcept;
  ~WriteAheadLog();

  Status append(ByteSpan record);
  Status sync();
  Status snapshot(ByteSpan record);
  bool has_unsynced() const { return unsynced_; }

 private:
  WriteAheadLog(std::filesystem::path path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::filesystem::path path_;
  int fd_ = -1;
  bool unsynced_ = false;
};

}  // namespace hc::node

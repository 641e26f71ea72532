// KvStore: the adapter between the ledger and RocksDB. No rocksdb:: type appears outside
// kv_store.cpp; RocksDB errors become Status (kIo, kCorrupt).
//
// Seven column families (docs/ledger.md, "Store"). A WriteBatch is applied atomically: after a
// crash either all of its puts are visible or none. With sync = true the write is durable when
// write() returns (WAL fsync). Reads and writes may be called from several threads (RocksDB is
// thread-safe); the ledger itself writes from one thread.
//
// A read-only store (KvOptions::read_only, for `hc chain verify`) never writes a byte into the
// database directory (no lock, no info log, no manifest or options file), so it can check an
// evidence copy or the store of a running node. It is a snapshot of the database as of open():
// the write-ahead log is replayed in memory and must be intact to its last byte (a damaged or
// truncated record is kCorrupt, never a silently shorter chain), and every table file is opened
// at open(), so the running writer's later compactions cannot remove files from under it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/bytes.h"
#include "common/status.h"

namespace hc::chain {

enum class Column : std::uint8_t {
  kBlocks = 0,
  kTxs = 1,
  kSerialIndex = 2,
  kRegistry = 3,
  kEnvelopeKeys = 4,
  kMetadata = 5,
  kRecordContents = 6,
};
inline constexpr std::size_t kColumnCount = 7;
const char* column_name(Column column);

struct WriteBatch {
  struct Put {
    Column column;
    Bytes key;
    Bytes value;
  };
  std::vector<Put> puts;
  void put(Column column, Bytes key, Bytes value) {
    puts.push_back(Put{column, std::move(key), std::move(value)});
  }
};

struct KvOptions {
  bool create_if_missing = false;
  bool sync_writes = true;      // fsync the WAL on every write (false only for bulk benchmarks)
  std::size_t block_cache_bytes = 64 * 1024 * 1024;
  bool read_only = false;       // see the header comment; write() then fails with kIo
};

class KvStore {
 public:
  // Opens (or creates, with create_if_missing) the database with all its column families.
  // kNotFound if absent and not creating; kCorrupt if the files are damaged (read-only: also a
  // damaged or truncated write-ahead log); kIo on other RocksDB failures.
  static Result<std::unique_ptr<KvStore>> open(const std::string& path, const KvOptions& options);
  ~KvStore();
  KvStore(const KvStore&) = delete;
  KvStore& operator=(const KvStore&) = delete;

  // The value, std::nullopt if absent, or kIo / kCorrupt.
  Result<std::optional<Bytes>> get(Column column, ByteSpan key) const;
  Status write(const WriteBatch& batch);
  // Up to `max_entries` (key, value) pairs whose key starts with `prefix`, in key order;
  // kTooLarge if there are more.
  Result<std::vector<std::pair<Bytes, Bytes>>> scan_prefix(Column column, ByteSpan prefix,
                                                           std::size_t max_entries) const;
  // Overwrites one value outside any block batch. Only for tests that corrupt stored data.
  Status put_for_testing(Column column, ByteSpan key, ByteSpan value);
  // Removes one value outside any block batch. Only for tests that make an older ledger's layout.
  Status delete_for_testing(Column column, ByteSpan key);

 private:
  struct Impl;
  explicit KvStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace hc::chain

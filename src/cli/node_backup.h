// `hc node backup` / `hc node restore` (docs/deploy.md, "Backups"): a copy of a node's data
// directory (the RocksDB ledger and the consensus write-ahead log) taken while the node runs,
// and its restoration into a fresh directory.
//
// Consistency: the ledger is copied first as RocksDB would find it after a power loss (CURRENT,
// the MANIFEST it names, every table file, hard-linked when possible since table files are
// immutable, then the write-ahead logs); the copy is opened (RocksDB's point-in-time recovery
// replays its logs) and its tip block checked, and a copy that the running node's compactions
// raced with fails that check and is taken again (at most kBackupAttempts times). The consensus
// log is copied after the ledger, in one read, so it holds every promise the copied blocks rest
// on (a log newer than the ledger is the state of a crash between the two, which a node
// recovers from); a torn last entry is cut off on open, as after a crash.
// Restoring onto a directory that is not empty is refused. A restored node replays the log and
// catches up from its peers; it must replace the node it was taken from (never run both), and
// it may re-vote only what that node had promised by the time of the backup.
//
// Plain functions; nothing is written into the source directory.
#pragma once

#include <cstdint>
#include <filesystem>

#include "common/status.h"

namespace hc::cli {

inline constexpr int kBackupAttempts = 5;

struct BackupSummary {
  std::uint64_t tip_height = 0;
  std::uint64_t wal_bytes = 0;
  int attempts = 0;
};

// Copies node data directory `data_dir` (holding ledger/ and consensus.wal) into `out`, which
// must not exist or be empty. kInvalidInput for bad arguments, kIo/kCorrupt when no consistent
// copy could be taken.
Result<BackupSummary> backup_node_data(const std::filesystem::path& data_dir, const std::filesystem::path& out);

// Copies backup `from` into `data_dir` (absent or empty; refused otherwise) after checking it
// opens; returns its tip height.
Result<std::uint64_t> restore_node_data(const std::filesystem::path& from, const std::filesystem::path& data_dir);

}  // namespace hc::cli

#include "cli/node_backup.h"

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "chain/ledger_store.h"
#include "common/file_io.h"

namespace hc::cli {

namespace {

namespace fs = std::filesystem;

constexpr const char* kBackupWalName = "consensus.wal";
constexpr std::size_t kBackupMaxWalBytes = std::size_t{1} << 32;
constexpr auto kBackupRetryPause = std::chrono::milliseconds(200);

bool backup_dir_is_empty_or_absent(const fs::path& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return true;
  return fs::is_directory(dir, ec) && fs::is_empty(dir, ec);
}

Status backup_io_error(const std::string& what, const fs::path& path, const std::error_code& ec) {
  return Status::error(ErrorCode::kIo, what + " " + path.string() + ": " + ec.message());
}

// One file into `to_dir`: a hard link for RocksDB table files (immutable), a copy otherwise.
Status backup_copy_one(const fs::path& file, const fs::path& to_dir) {
  const fs::path target = to_dir / file.filename();
  std::error_code ec;
  if (file.extension() == ".sst") {
    fs::create_hard_link(file, target, ec);
    if (!ec) return Status::ok_status();
    ec.clear();
  }
  fs::copy_file(file, target, fs::copy_options::overwrite_existing, ec);
  if (ec) return backup_io_error("cannot copy", file, ec);
  return Status::ok_status();
}

// The ledger's files as RocksDB would find them after a power loss: CURRENT and the MANIFEST
// it names first, then the table files, then everything else (write-ahead logs last).
Status backup_copy_ledger_files(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::create_directories(to, ec);
  if (ec) return backup_io_error("cannot create", to, ec);
  HC_ASSIGN_OR_RETURN(std::string current, read_text_file(from / "CURRENT", 4096));
  current.erase(std::remove(current.begin(), current.end(), '\n'), current.end());
  if (current.empty() || current.find('/') != std::string::npos) {
    return Status::error(ErrorCode::kCorrupt, "the ledger's CURRENT file names no manifest");
  }
  HC_RETURN_IF_ERROR(backup_copy_one(from / "CURRENT", to));
  HC_RETURN_IF_ERROR(backup_copy_one(from / current, to));
  std::vector<fs::path> tables, others;
  for (fs::directory_iterator it(from, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path p = it->path();
    const std::string name = p.filename().string();
    if (!it->is_regular_file(ec) || name == "CURRENT" || name == current || name == "LOCK" ||
        name.rfind("LOG", 0) == 0 || name.rfind("MANIFEST-", 0) == 0) {
      continue;
    }
    (p.extension() == ".sst" ? tables : others).push_back(p);
  }
  if (ec) return backup_io_error("cannot list", from, ec);
  std::sort(others.begin(), others.end(), [](const fs::path& a, const fs::path& b) {
    return (a.extension() == ".log") < (b.extension() == ".log") || (a.extension() == b.extension() && a < b);
  });
  for (const fs::path& p : tables) HC_RETURN_IF_ERROR(backup_copy_one(p, to));
  for (const fs::path& p : others) HC_RETURN_IF_ERROR(backup_copy_one(p, to));
  return Status::ok_status();
}

// Opens the copied ledger (replaying its logs) and checks its tip block; its height.
Result<std::uint64_t> backup_check_ledger(const fs::path& ledger) {
  HC_ASSIGN_OR_RETURN(auto store, chain::LedgerStore::open(ledger.string()));
  return store->tip().height;
}

Status backup_copy_wal(const fs::path& from, const fs::path& to, std::uint64_t& bytes) {
  std::error_code ec;
  if (!fs::exists(from, ec)) return Status::ok_status();  // a node that never persisted anything
  HC_ASSIGN_OR_RETURN(Bytes wal, read_file(from, kBackupMaxWalBytes));
  HC_RETURN_IF_ERROR(write_file_atomic(to, wal, 0600));
  bytes = wal.size();
  return Status::ok_status();
}

// Copies every regular file of `from` (recursively) into `to`.
Status backup_copy_tree(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::copy(from, to, fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
  if (ec) return backup_io_error("cannot copy", from, ec);
  return Status::ok_status();
}

}  // namespace

Result<BackupSummary> backup_node_data(const fs::path& data_dir, const fs::path& out) {
  std::error_code ec;
  if (!fs::exists(data_dir / "ledger" / "CURRENT", ec)) {
    return invalid_input(data_dir.string() + " is not a node's data directory (no ledger/CURRENT)");
  }
  if (!backup_dir_is_empty_or_absent(out)) return invalid_input(out.string() + " exists and is not empty");
  BackupSummary summary;
  Status last;
  for (int attempt = 1; attempt <= kBackupAttempts; ++attempt) {
    summary.attempts = attempt;
    fs::remove_all(out / "ledger", ec);
    last = backup_copy_ledger_files(data_dir / "ledger", out / "ledger");
    if (last.ok()) {
      auto height = backup_check_ledger(out / "ledger");
      if (height.ok()) {
        summary.tip_height = *height;
        HC_RETURN_IF_ERROR(backup_copy_wal(data_dir / kBackupWalName, out / kBackupWalName, summary.wal_bytes));
        return summary;
      }
      last = height.status();
    }
    std::this_thread::sleep_for(kBackupRetryPause);  // a compaction raced with the copy
  }
  fs::remove_all(out / "ledger", ec);
  return last.with_context("no consistent copy of " + data_dir.string() + " after " +
                           std::to_string(kBackupAttempts) + " attempts");
}

Result<std::uint64_t> restore_node_data(const fs::path& from, const fs::path& data_dir) {
  std::error_code ec;
  if (!fs::exists(from / "ledger" / "CURRENT", ec)) {
    return invalid_input(from.string() + " is not a backup made by hc node backup (no ledger/CURRENT)");
  }
  if (!backup_dir_is_empty_or_absent(data_dir)) {
    return invalid_input(data_dir.string() + " exists and is not empty: restore only into a fresh directory");
  }
  fs::create_directories(data_dir, ec);
  if (ec) return backup_io_error("cannot create", data_dir, ec);
  HC_RETURN_IF_ERROR(backup_copy_tree(from / "ledger", data_dir / "ledger"));
  if (fs::exists(from / kBackupWalName, ec)) {
    fs::copy_file(from / kBackupWalName, data_dir / kBackupWalName, ec);
    if (ec) return backup_io_error("cannot copy", from / kBackupWalName, ec);
  }
  return backup_check_ledger(data_dir / "ledger");
}

}  // namespace hc::cli

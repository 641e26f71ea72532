#include "cli/ledger_snapshot.h"

#include <chrono>
#include <filesystem>
#include <thread>

namespace hc::cli {

std::string ledger_directory(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(fs::path(dir) / "CURRENT", ec) && fs::exists(fs::path(dir) / "ledger" / "CURRENT", ec)) {
    return (fs::path(dir) / "ledger").string();
  }
  return dir;
}

Result<std::unique_ptr<chain::LedgerStore>> open_ledger_snapshot(const std::string& dir) {
  constexpr int kAttempts = 4;
  constexpr auto kPause = std::chrono::milliseconds(150);
  chain::StoreOptions options;
  options.check_tip_on_open = false;
  options.read_only = true;
  Status last;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    if (attempt > 0) std::this_thread::sleep_for(kPause);
    auto store = chain::LedgerStore::open(dir, options);
    if (store.ok()) return store;
    last = store.status();
    if (last.code() != ErrorCode::kCorrupt && last.code() != ErrorCode::kIo) break;
  }
  return last;
}

}  // namespace hc::cli

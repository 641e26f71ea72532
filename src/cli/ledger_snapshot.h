// Opening a node's ledger read-only from `hc` (`hc chain verify`, and `hc bench`, which times
// the replicas' group-signature check on the ledger its run filled): the database directory of
// a node's data directory, and a read-only snapshot of it, retried through the transient
// failures a running node's writes can cause.
#pragma once

#include <memory>
#include <string>

#include "chain/ledger_store.h"
#include "common/status.h"

namespace hc::cli {

// The ledger database in `dir`: `dir` itself or, for a node's data_dir, `dir/ledger`.
std::string ledger_directory(const std::string& dir);

// A read-only snapshot of the ledger database `dir` (nothing is written). A running node may
// be appending to its write-ahead log or replacing files while the snapshot is taken; such a
// failure (kCorrupt, kIo) is retried a few times, real damage is returned.
Result<std::unique_ptr<chain::LedgerStore>> open_ledger_snapshot(const std::string& dir);

}  // namespace hc::cli

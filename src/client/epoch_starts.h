// Where each group epoch began on the chain, as the manager's directory remembers it
// (DIR/epoch-starts.txt, one "EPOCH HEIGHT" line per revocation the manager committed), and
// the rule that opening applies with it: a record of epoch e is genuine only if it was
// committed after the block that started e and before the block that started e+1. The ledger
// enforces the same rule (docs/groupsig.md, "What a revocation makes forgeable"); the manager
// rechecks it because after a revocation anyone can forge signatures of the old epochs, and a
// forged record ordered outside its epoch must not be shown as the revoked hospital's visit.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>

#include "common/status.h"

namespace hc::client {

// Epoch (>= 1) -> height of the block holding the revocation that started it. Epoch 0 starts
// at the genesis (height 0).
using EpochStarts = std::map<std::uint64_t, std::uint64_t>;

// Reads DIR/epoch-starts.txt; an absent file is an empty map (no revocation yet).
// kCorrupt for a malformed file.
Result<EpochStarts> load_epoch_starts(const std::filesystem::path& manager_dir);
// Adds (epoch, height) and rewrites the file atomically. kInvalidInput if the epoch is already
// recorded at another height or the heights would not increase with the epochs.
Status record_epoch_start(const std::filesystem::path& manager_dir, std::uint64_t epoch, std::uint64_t height);

// OK when a record of `epoch` committed at `height` lies inside that epoch, given the epoch
// the manager's group directory is at (`current_epoch`). kAuthFailed naming the epoch's
// heights when it does not; kCorrupt when `starts` lacks an epoch it needs.
Status check_record_epoch(const EpochStarts& starts, std::uint64_t current_epoch, std::uint64_t epoch,
                          std::uint64_t height);

}  // namespace hc::client

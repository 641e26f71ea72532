// PendingRecords: the sealed contents (record_content_digest) of the records this replica has
// admitted through check_tx and not yet seen committed, each with the id of the transaction
// that claimed it first. The application refuses, at admission, a second transaction with the
// same content while the first is pending (a replay, or the same visit signed twice), so a
// correct proposer never builds a block that repeats a content (such a block is invalid).
//
// Local to one replica and in memory only: it decides what enters this replica's pending pool,
// never whether a block is valid (that rule reads the committed index in the store). Bounded:
// at most kMaxPendingRecordContents entries, the oldest claim is forgotten first. Entries leave
// when their content is committed (by any transaction) or their epoch ends.
// Thread-safety: none; the application calls it from its one engine thread.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>

#include "chain/digest.h"

namespace hc::chain {

class PendingRecords {
 public:
  explicit PendingRecords(std::size_t max_entries);

  // The transaction that claimed `content`, if any.
  std::optional<Digest> claimant(const Digest& content) const;
  // Records that `tx_id` (a record of `epoch`) claims `content`; keeps an existing claim.
  void claim(const Digest& content, const Digest& tx_id, std::uint64_t epoch);
  // The content was committed: the store's index answers from now on.
  void release(const Digest& content);
  // Forgets every claim by a record of an epoch before `current_epoch` (it can no longer commit).
  void release_epochs_before(std::uint64_t current_epoch);
  std::size_t size() const { return claims_.size(); }

 private:
  struct Claim {
    Digest tx_id{};
    std::uint64_t epoch = 0;
    std::uint64_t serial = 0;  // claim order, to evict the oldest
  };
  std::size_t max_entries_;
  std::uint64_t next_serial_ = 0;
  std::map<Digest, Claim> claims_;
  std::deque<std::pair<std::uint64_t, Digest>> order_;  // (serial, content), oldest first
};

}  // namespace hc::chain

// OwnRecords: the doctors' records this node accepted and group-signed, kept until their sealed
// content commits, so that a revocation does not lose them. A record is signed in the group
// epoch of its moment; once a revocation commits, the chain refuses every record of an earlier
// epoch (docs/groupsig.md, "Epochs and revocation"), so an honest hospital's record still on
// its way (in the stem, a pool, a primary's next proposal) when another hospital is revoked
// would be dropped although the doctor was told "pending". The node takes such records out
// with take_stale(), signs them again in the new epoch and relays them as new records
// (api_intake.cpp, resign_stale_own_records); clients follow a record by its content
// (record_id: GET /v1/tx/{id} answers for it too), which re-signing keeps.
//
// Bounded: at most `max_records` records and `max_bytes` of sealed content (the oldest is
// forgotten first; the node passes its mempool's bounds). Thread-safety: none; the
// consensus thread only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <utility>
#include <vector>

#include "chain/digest.h"
#include "chain/transaction.h"

namespace hc::node {

class OwnRecords {
 public:
  OwnRecords(std::size_t max_records, std::size_t max_bytes);

  // A record this node signed as transaction `tx_id` (its epoch, sealed content and
  // transaction id are kept; its signature is not). Replaces an entry of the same content (a
  // re-signed record).
  // Returns the record id (its sealed content's digest).
  chain::Digest add(const chain::RecordTx& record, const chain::Digest& tx_id);
  // Its content committed (by any transaction): forgotten.
  void committed(const chain::Digest& content);
  // Up to `max` records signed in an epoch before `epoch`, removed from the set, by epoch and
  // then oldest first, each with the id of the transaction it was signed as; the caller signs
  // each again and add()s it back. O(max log n).
  struct Stale {
    chain::RecordTx record;  // group_signature empty
    chain::Digest tx_id{};
  };
  std::vector<Stale> take_stale(std::uint64_t epoch, std::size_t max);
  // Whether any record was signed in an epoch before `epoch` (constant time).
  bool has_stale(std::uint64_t epoch) const;
  std::size_t size() const { return records_.size(); }
  std::size_t bytes() const { return bytes_; }

 private:
  struct Entry {
    chain::RecordTx record;  // group_signature cleared
    chain::Digest tx_id{};
    std::uint64_t serial = 0;
    std::size_t bytes = 0;
  };
  void forget(std::map<chain::Digest, Entry>::iterator it);

  std::size_t max_records_;
  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::uint64_t next_serial_ = 0;
  std::map<chain::Digest, Entry> records_;                       // by record_content_digest
  std::deque<std::pair<std::uint64_t, chain::Digest>> order_;  // (serial, content), oldest first
  // Every live entry by (epoch, serial): has_stale() looks at the first, take_stale() walks
  // from it (both independent of how many records are held).
  std::map<std::pair<std::uint64_t, std::uint64_t>, chain::Digest> by_epoch_;
};

}  // namespace hc::node

#include "node/own_records.h"

#include <algorithm>

namespace hc::node {

namespace {
std::size_t sealed_bytes(const chain::SealedRecord& s) {
  return sizeof(chain::SealedRecord) + s.ciphertext.size();
}
}  // namespace

OwnRecords::OwnRecords(std::size_t max_records, std::size_t max_bytes)
    : max_records_(std::max<std::size_t>(1, max_records)), max_bytes_(max_bytes) {}

void OwnRecords::forget(std::map<chain::Digest, Entry>::iterator it) {
  bytes_ -= it->second.bytes;
  by_epoch_.erase({it->second.record.epoch, it->second.serial});
  records_.erase(it);
}

chain::Digest OwnRecords::add(const chain::RecordTx& record, const chain::Digest& tx_id) {
  const chain::Digest content = chain::record_content_digest(record.sealed);
  if (auto old = records_.find(content); old != records_.end()) forget(old);
  Entry entry{record, tx_id, next_serial_++, sealed_bytes(record.sealed)};
  entry.record.group_signature.clear();
  bytes_ += entry.bytes;
  order_.emplace_back(entry.serial, content);
  by_epoch_.emplace(std::make_pair(entry.record.epoch, entry.serial), content);
  records_.emplace(content, std::move(entry));
  // Every live entry is in order_ (which may also hold pairs of gone entries): forget the
  // oldest while over a bound.
  while (!records_.empty() && (records_.size() > max_records_ || bytes_ > max_bytes_)) {
    auto [serial, oldest] = order_.front();
    order_.pop_front();
    auto it = records_.find(oldest);
    if (it != records_.end() && it->second.serial == serial) forget(it);
  }
  if (order_.size() > 2 * max_records_) {  // drop the pairs of gone entries
    order_.clear();
    for (const auto& [c, e] : records_) order_.emplace_back(e.serial, c);
    std::sort(order_.begin(), order_.end());
  }
  return content;
}

void OwnRecords::committed(const chain::Digest& content) {
  if (auto it = records_.find(content); it != records_.end()) forget(it);
}

bool OwnRecords::has_stale(std::uint64_t epoch) const {
  return !by_epoch_.empty() && by_epoch_.begin()->first.first < epoch;
}

std::vector<OwnRecords::Stale> OwnRecords::take_stale(std::uint64_t epoch, std::size_t max) {
  std::vector<Stale> out;
  while (out.size() < max && has_stale(epoch)) {
    auto it = records_.find(by_epoch_.begin()->second);
    Stale stale{it->second.record, it->second.tx_id};
    forget(it);  // also erases the by_epoch_ entry just read
    out.push_back(std::move(stale));
  }
  return out;
}

}  // namespace hc::node

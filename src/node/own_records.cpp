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
  records_.erase(it);
}

void OwnRecords::add(const chain::RecordTx& record, const chain::Digest& tx_id) {
  const chain::Digest content = chain::record_content_digest(record.sealed);
  if (auto old = records_.find(content); old != records_.end()) forget(old);
  Entry entry{record, tx_id, next_serial_++, sealed_bytes(record.sealed)};
  entry.record.group_signature.clear();
  bytes_ += entry.bytes;
  order_.emplace_back(entry.serial, content);
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
}

void OwnRecords::committed(const chain::Digest& content) {
  if (auto it = records_.find(content); it != records_.end()) forget(it);
}

bool OwnRecords::has_stale(std::uint64_t epoch) const {
  return std::any_of(records_.begin(), records_.end(), [&](const auto& e) { return e.second.record.epoch < epoch; });
}

std::vector<OwnRecords::Stale> OwnRecords::take_stale(std::uint64_t epoch, std::size_t max) {
  std::vector<std::pair<std::uint64_t, chain::Digest>> stale;
  for (const auto& [content, e] : records_) {
    if (e.record.epoch < epoch) stale.emplace_back(e.serial, content);
  }
  std::sort(stale.begin(), stale.end());
  if (stale.size() > max) stale.resize(max);
  std::vector<Stale> out;
  out.reserve(stale.size());
  for (const auto& [serial, content] : stale) {
    auto it = records_.find(content);
    out.push_back(Stale{std::move(it->second.record), it->second.tx_id});
    forget(it);
  }
  return out;
}

}  // namespace hc::node

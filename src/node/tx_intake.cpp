#include "node/tx_intake.h"

namespace hc::node {

TxIntake::Pushed TxIntake::push(IntakeItem& item) {
  std::lock_guard<std::mutex> lock(mutex_);
  if (items_.size() >= limits_.max_txs || bytes_ + item.tx.size() > limits_.max_bytes) return Pushed::kFull;
  bytes_ += item.tx.size();
  items_.push_back(std::move(item));
  if (consumer_scheduled_) return Pushed::kQueued;
  consumer_scheduled_ = true;
  return Pushed::kWakeConsumer;
}

std::vector<IntakeItem> TxIntake::take(std::size_t max_items, bool& more) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<IntakeItem> out;
  while (!items_.empty() && out.size() < max_items) {
    bytes_ -= items_.front().tx.size();
    out.push_back(std::move(items_.front()));
    items_.pop_front();
  }
  more = !items_.empty();
  consumer_scheduled_ = more;
  return out;
}

std::size_t TxIntake::size() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return items_.size();
}

}  // namespace hc::node

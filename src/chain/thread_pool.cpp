#include "chain/thread_pool.h"

#include "common/check.h"

namespace hc::chain {

ThreadPool::ThreadPool(std::size_t threads) {
  HC_CHECK(threads >= 1);
  workers_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) workers_.emplace_back([this] { worker_loop(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  work_ready_.notify_all();
  for (std::thread& t : workers_) t.join();
}

void ThreadPool::run_all(std::vector<std::function<void()>> tasks) {
  if (tasks.empty()) return;
  // The caller waits for the batch anyway: one task runs here, without the hand-over to a
  // worker and back (two thread wake-ups per admitted transaction, docs/node.md).
  if (tasks.size() == 1) {
    tasks.front()();
    return;
  }
  std::unique_lock<std::mutex> lock(mutex_);
  in_flight_ += tasks.size();
  for (auto& t : tasks) queue_.push_back(std::move(t));
  work_ready_.notify_all();
  work_done_.wait(lock, [this] { return in_flight_ == 0; });
}

void ThreadPool::worker_loop() {
  std::unique_lock<std::mutex> lock(mutex_);
  for (;;) {
    work_ready_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (stopping_ && queue_.empty()) return;
    std::function<void()> task = std::move(queue_.front());
    queue_.pop_front();
    lock.unlock();
    task();
    lock.lock();
    if (--in_flight_ == 0) work_done_.notify_all();
  }
}

}  // namespace hc::chain

// A fixed-size pool of worker threads that runs a batch of independent tasks and waits for all
// of them (used to verify the signatures of a block in parallel).
//
// Thread-safety: run_all() may be called from one thread at a time; tasks run on the workers
// (a lone task on the caller) and must not call run_all(). The destructor stops and joins the workers.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace hc::chain {

class ThreadPool {
 public:
  explicit ThreadPool(std::size_t threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  // Runs every task (each exactly once) and returns when all have finished. A batch of one
  // task runs on the calling thread.
  void run_all(std::vector<std::function<void()>> tasks);
  std::size_t size() const { return workers_.size(); }

 private:
  void worker_loop();

  std::mutex mutex_;
  std::condition_variable work_ready_;
  std::condition_variable work_done_;
  std::deque<std::function<void()>> queue_;
  std::size_t in_flight_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

}  // namespace hc::chain

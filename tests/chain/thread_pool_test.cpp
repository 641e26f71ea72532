// ThreadPool (chain/thread_pool.h): every task of a batch runs exactly once; a batch of one
// runs on the calling thread (no hand-over to a worker: the admission check of one
// transaction paid two thread wake-ups for it); a larger batch runs on the workers.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "chain/thread_pool.h"

namespace hc::chain {
namespace {

TEST(ThreadPoolTest, EveryTaskOfABatchRunsOnce) {
  ThreadPool pool(2);
  std::vector<std::atomic<int>> runs(50);
  std::vector<std::function<void()>> tasks;
  for (std::size_t i = 0; i < runs.size(); ++i) tasks.emplace_back([&runs, i] { ++runs[i]; });
  pool.run_all(std::move(tasks));
  for (const auto& r : runs) EXPECT_EQ(r.load(), 1);
}

TEST(ThreadPoolTest, ALoneTaskRunsOnTheCallingThread) {
  ThreadPool pool(2);
  std::thread::id ran_on;
  std::vector<std::function<void()>> tasks;
  tasks.emplace_back([&] { ran_on = std::this_thread::get_id(); });
  pool.run_all(std::move(tasks));
  EXPECT_EQ(ran_on, std::this_thread::get_id());
}

TEST(ThreadPoolTest, ALargerBatchRunsOnTheWorkers) {
  ThreadPool pool(2);
  std::mutex mu;
  std::set<std::thread::id> ran_on;
  std::vector<std::function<void()>> tasks;
  for (int i = 0; i < 8; ++i) {
    tasks.emplace_back([&] {
      std::lock_guard<std::mutex> lock(mu);
      ran_on.insert(std::this_thread::get_id());
    });
  }
  pool.run_all(std::move(tasks));
  EXPECT_FALSE(ran_on.empty());
  EXPECT_EQ(ran_on.count(std::this_thread::get_id()), 0u);
}

}  // namespace
}  // namespace hc::chain

#include "node/api_executor.h"

#include <gtest/gtest.h>

#include <boost/asio.hpp>

#include <thread>

namespace hc::node {
namespace {

TEST(ApiExecutorTest, RunsWorkOnTheConsensusThread) {
  boost::asio::io_context consensus;
  auto work = boost::asio::make_work_guard(consensus);
  std::thread consensus_thread([&] { consensus.run(); });
  const std::thread::id consensus_id = consensus_thread.get_id();
  ApiExecutor executor(consensus, 5000);
  std::thread::id ran_on;
  net::HttpResponse r = executor.run_on_consensus([&] {
    ran_on = std::this_thread::get_id();
    return net::HttpResponse::json(202, "{}");
  });
  work.reset();
  consensus.stop();
  consensus_thread.join();
  EXPECT_EQ(r.status, 202);
  EXPECT_EQ(ran_on, consensus_id);
}

TEST(ApiExecutorTest, AStalledConsensusThreadGivesA503InBoundedTime) {
  boost::asio::io_context consensus;  // never run
  ApiExecutor executor(consensus, 100);
  auto start = std::chrono::steady_clock::now();
  net::HttpResponse r = executor.run_on_consensus([] { return net::HttpResponse::json(200, "{}"); });
  EXPECT_EQ(r.status, 503);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(ApiExecutorTest, CloseWakesWaiters) {
  boost::asio::io_context consensus;  // never run
  ApiExecutor executor(consensus, 60000);
  std::thread closer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    executor.close();
  });
  net::HttpResponse r = executor.run_on_consensus([] { return net::HttpResponse::json(200, "{}"); });
  closer.join();
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(executor.run_on_consensus([] { return net::HttpResponse::json(200, "{}"); }).status, 503);
}

}  // namespace
}  // namespace hc::node

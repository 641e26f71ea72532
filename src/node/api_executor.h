// Keeps API work off the consensus thread (issue 12, item 5). The node's HTTP server runs on
// its own io_context and thread (ApiThread); requests are read, rate-limited, size- and
// depth-checked and parsed there, and only the part that needs the replica's state runs on
// the consensus thread, through ApiExecutor::run_on_consensus, which posts it and waits.
//
// Bounds: a request waits at most timeout_ms for the consensus thread (then 503); close()
// wakes every waiter (503), so shutdown never hangs on a request in flight.
// Thread-safety: run_on_consensus() and close() may be called from any thread, but
// run_on_consensus() must never be called on the consensus thread itself.
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "net/http.h"

namespace hc::node {

class ApiExecutor {
 public:
  ApiExecutor(boost::asio::io_context& consensus_io, std::uint32_t timeout_ms);

  // Runs `work` on the consensus thread and returns its response; a 503 when the consensus
  // thread did not run it within the timeout or the executor was closed.
  net::HttpResponse run_on_consensus(std::function<net::HttpResponse()> work);
  // Every waiting and future call returns 503 at once.
  void close();

 private:
  boost::asio::io_context& consensus_io_;
  const std::uint32_t timeout_ms_;
  std::mutex mutex_;
  std::condition_variable done_;
  bool closed_ = false;
};

// The API's own io_context and the one thread that runs it.
class ApiThread {
 public:
  ApiThread();
  ~ApiThread();
  ApiThread(const ApiThread&) = delete;
  ApiThread& operator=(const ApiThread&) = delete;

  boost::asio::io_context& io() { return io_; }
  void start();
  // Stops the io_context and joins the thread (idempotent).
  void stop_and_join();

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

}  // namespace hc::node

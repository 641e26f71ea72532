// ApiThread: the node's second thread (issue 12, item 5). The HTTP API runs on its io_context:
// reading and parsing requests, group signing and the pairing check of a submitted record,
// building answers from the store; it also verifies the group signatures of client
// transactions relayed by peers. The consensus thread never waits for it: what the API hands
// to consensus goes through TxIntake (tx_intake.h), and the API reads the replica's state only
// from the snapshot the consensus thread publishes (api_snapshot.h).
//
// Threading: start() once; stop_and_join() from any thread but this one (idempotent).
#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <thread>

namespace hc::node {

class ApiThread {
 public:
  ApiThread();
  ~ApiThread();
  ApiThread(const ApiThread&) = delete;
  ApiThread& operator=(const ApiThread&) = delete;

  boost::asio::io_context& io() { return io_; }
  void start();
  // Stops the io_context (pending work is dropped) and joins the thread.
  void stop_and_join();

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

}  // namespace hc::node

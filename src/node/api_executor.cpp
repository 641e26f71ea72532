#include "node/api_executor.h"

#include <boost/asio/post.hpp>

#include <chrono>
#include <memory>
#include <optional>

namespace hc::node {

ApiExecutor::ApiExecutor(boost::asio::io_context& consensus_io, std::uint32_t timeout_ms)
    : consensus_io_(consensus_io), timeout_ms_(timeout_ms) {}

net::HttpResponse ApiExecutor::run_on_consensus(std::function<net::HttpResponse()> work) {
  // Shared with the posted handler, which may run after this call gave up waiting.
  auto result = std::make_shared<std::optional<net::HttpResponse>>();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_) return net::HttpResponse::error(503, "unavailable", "the node is shutting down");
  }
  boost::asio::post(consensus_io_, [this, result, work = std::move(work)] {
    net::HttpResponse response = work();
    std::lock_guard<std::mutex> lock(mutex_);
    *result = std::move(response);
    done_.notify_all();
  });
  std::unique_lock<std::mutex> lock(mutex_);
  bool ready = done_.wait_for(lock, std::chrono::milliseconds(timeout_ms_),
                              [&] { return result->has_value() || closed_; });
  if (!ready || !result->has_value()) {
    return net::HttpResponse::error(503, "unavailable", "the node did not answer in time; retry later");
  }
  return std::move(**result);
}

void ApiExecutor::close() {
  std::lock_guard<std::mutex> lock(mutex_);
  closed_ = true;
  done_.notify_all();
}

ApiThread::ApiThread() : work_(boost::asio::make_work_guard(io_)) {}

ApiThread::~ApiThread() { stop_and_join(); }

void ApiThread::start() {
  thread_ = std::thread([this] { io_.run(); });
}

void ApiThread::stop_and_join() {
  work_.reset();
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace hc::node

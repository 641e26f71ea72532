#include "node/api_thread.h"

namespace hc::node {

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

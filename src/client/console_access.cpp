#include "client/console_access.h"

#include <array>

#include "common/bytes.h"
#include "crypto/bounded_json.h"
#include "crypto/hash.h"

namespace hc::client {

using nlohmann::json;

struct ConsoleAccess::Job {
  std::string id;
  std::uint64_t sequence = 0;
  std::string serial_hex;
  std::string purpose;
  std::string state = "running";
  std::string error;
  json requests = json::array();
  json history;  // null until done

  ~Job() { crypto::wipe_json_strings(history); }

  json& request_entry(const std::string& request_id) {
    for (json& r : requests) {
      if (r["request_id"] == request_id) return r;
    }
    requests.push_back({{"request_id", request_id}, {"stage", "pending"}, {"height", 0}, {"answers", 0}});
    return requests.back();
  }
};

namespace {

const char* stage_name(RetrievalProgress::Stage stage) {
  switch (stage) {
    case RetrievalProgress::Stage::kPosted:
      return "pending";
    case RetrievalProgress::Stage::kCommitted:
      return "committed";
    case RetrievalProgress::Stage::kAnswers:
      return "answered";
  }
  return "pending";
}

}  // namespace

ConsoleAccess::ConsoleAccess(Retrieve retrieve, std::string requester, std::uint32_t timeout_ms)
    : retrieve_(std::move(retrieve)), requester_(std::move(requester)), timeout_ms_(timeout_ms) {}

ConsoleAccess::~ConsoleAccess() {
  if (worker_.joinable()) worker_.join();
}

void ConsoleAccess::make_room() {
  while (jobs_.size() >= kConsoleMaxAccessJobs) {
    auto oldest = jobs_.end();
    for (auto it = jobs_.begin(); it != jobs_.end(); ++it) {
      if (it->second->state == "running") continue;
      if (oldest == jobs_.end() || it->second->sequence < oldest->second->sequence) oldest = it;
    }
    if (oldest == jobs_.end()) return;
    jobs_.erase(oldest);
  }
}

Result<std::string> ConsoleAccess::start(const chain::Serial& serial, const std::string& purpose) {
  std::lock_guard lock(mutex_);
  if (running_) {
    return Status::error(ErrorCode::kUnavailable, "an access request is already running: wait for it to end");
  }
  // The previous worker set running_ = false as its last step under this mutex: joining it
  // here cannot wait for the lock we hold.
  if (worker_.joinable()) worker_.join();
  make_room();
  auto job = std::make_shared<Job>();
  std::array<std::uint8_t, 16> id{};
  crypto::random_bytes(id);
  job->id = to_hex(id);
  job->sequence = ++started_;
  job->serial_hex = to_hex(serial);
  job->purpose = purpose;
  jobs_[job->id] = job;
  running_ = true;
  worker_ = std::thread([this, job, serial]() {
    ThresholdRetrievalOptions options;
    options.purpose = job->purpose;
    options.timeout_ms = timeout_ms_;
    options.on_step = [this, job](const RetrievalProgress& step) {
      std::lock_guard step_lock(mutex_);
      json& r = job->request_entry(step.request_id);
      r["stage"] = stage_name(step.stage);
      r["height"] = step.height;
      r["key_epoch"] = step.key_epoch;
      r["records"] = step.records;
      r["asks_to_open"] = step.asks_to_open;
      r["answers"] = step.answers;
    };
    auto result = retrieve_(serial, options);
    std::lock_guard done_lock(mutex_);
    if (result.ok()) {
      for (const AnsweredRequest& a : result->requests) {
        json& r = job->request_entry(a.request_id);
        json rejected = json::array();
        for (const auto& x : a.rejected) rejected.push_back({{"trustee", x.trustee}, {"reason", x.reason}});
        r["stage"] = a.answered.empty() ? "committed" : "answered";  // single-manager: no trustees
        r["height"] = a.height;
        r["answers"] = a.answered.size();
        r["answered_by"] = a.answered;
        r["rejected"] = std::move(rejected);
      }
      std::string text = history_json(result->history, "");
      job->history = json::parse(text, nullptr, false);
      secure_wipe(text.data(), text.size());
      job->history.erase("audit_tx_id");
      job->state = "done";
    } else {
      job->error = result.status().message();
      job->state = "failed";
    }
    running_ = false;  // the last step under the mutex (start() joins after seeing it)
  });
  return job->id;
}

bool ConsoleAccess::running() const {
  std::lock_guard lock(mutex_);
  return running_;
}

std::optional<json> ConsoleAccess::view(const std::string& job_id) const {
  std::lock_guard lock(mutex_);
  auto it = jobs_.find(job_id);
  if (it == jobs_.end()) return std::nullopt;
  const Job& job = *it->second;
  json out = {{"job", job.id},           {"serial", job.serial_hex}, {"purpose", job.purpose},
              {"state", job.state},      {"requester", requester_},  {"requests", job.requests}};
  if (!job.error.empty()) out["error"] = job.error;
  if (!job.history.is_null()) out["history"] = job.history;
  return out;
}

}  // namespace hc::client

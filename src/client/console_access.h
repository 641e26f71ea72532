// The access console's reads (issue 17; docs/web.md, "The access console"): one access request
// at a time, run on a worker thread of `hc console` so that the page can watch it, pending ->
// committed -> the trustees' answers (t of m) -> the decrypted history. The retrieval itself is
// injected (`hc console` passes client/threshold_retrieval.h's retrieve_with_trustees with the
// requester's key held in its own process); this module keeps each job's steps and result and
// answers a page's poll with them as JSON. At most kConsoleMaxAccessJobs jobs are kept; the
// oldest finished one is wiped (its visits are patient data) and dropped to make room.
//
// Thread-safe: start() and view() are called by the server thread, the worker updates the job
// under the same mutex. The destructor waits for a running retrieval (it ends at its timeout).
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "chain/transaction.h"
#include "client/threshold_retrieval.h"
#include "common/status.h"

namespace hc::client {

inline constexpr std::size_t kConsoleMaxAccessJobs = 8;

class ConsoleAccess {
 public:
  // Runs one retrieval (on the worker thread): reads the serial's records through a committed
  // access request with `options` (its purpose, its on_step).
  using Retrieve =
      std::function<Result<ThresholdRetrieval>(const chain::Serial& serial, const ThresholdRetrievalOptions& options)>;

  // `requester` names who signs the requests ("manager", "reader <key hex>"), shown by the page.
  ConsoleAccess(Retrieve retrieve, std::string requester, std::uint32_t timeout_ms);
  ~ConsoleAccess();
  ConsoleAccess(const ConsoleAccess&) = delete;
  ConsoleAccess& operator=(const ConsoleAccess&) = delete;

  const std::string& requester() const { return requester_; }
  // True while a job's retrieval runs (the console does nothing else with the session then).
  bool running() const;

  // Starts reading `serial` for `purpose` (checked by the caller: client/audit_purpose.h).
  // The job's id (32 hex digits, random); kUnavailable while another job runs.
  Result<std::string> start(const chain::Serial& serial, const std::string& purpose);

  // {"job","serial","purpose","state": "running"|"done"|"failed", "requests": [{request_id,
  // stage: "pending"|"committed"|"answered", height, key_epoch, records, asks_to_open, answers,
  // answered_by, rejected}], "error"?, "history"? (client/patient_history.h's JSON)};
  // nullopt for an unknown id.
  std::optional<nlohmann::json> view(const std::string& job_id) const;

 private:
  struct Job;
  void run(std::shared_ptr<Job> job);
  void make_room();  // under mutex_

  Retrieve retrieve_;
  std::string requester_;
  std::uint32_t timeout_ms_;
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Job>> jobs_;
  std::uint64_t started_ = 0;
  bool running_ = false;
  std::thread worker_;
};

}  // namespace hc::client

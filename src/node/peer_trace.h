// PeerTrace: the opt-in diagnostic `hc-node --peer-trace FILE` (or node.json relay.peer_trace_file):
// one line per transaction-carrying frame this node receives from a peer, and one per
// transaction this node sees committed. It records exactly what this node's operator could
// see anyway on their own links (a curious hospital's view, issue 14) and exists so that the
// estimator harness (tests/privacy/) can measure how well that view names a record's origin.
// Off by default; it names no patient and no secret (transaction ids are public on the chain).
//
// Line format (space-separated, one line each, appended):
//   <unix time, microseconds> stem|fluff <peer id> <frame bytes> <transaction id, hex>
//   <unix time, microseconds> commit - 0 <transaction id, hex>
// Bound: writing stops (one warning) once the file has grown by max_bytes in this run.
//
// Not thread-safe: written by the node's consensus thread.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string_view>

#include "common/bytes.h"
#include "common/status.h"

namespace hc::node {

class PeerTrace {
 public:
  static constexpr std::uint64_t kDefaultMaxBytes = 256ull * 1024 * 1024;

  // Opens `path` for appending. kIo naming the file when it cannot be opened.
  static Result<std::unique_ptr<PeerTrace>> open(const std::filesystem::path& path,
                                                 std::uint64_t max_bytes = kDefaultMaxBytes);
  ~PeerTrace();
  PeerTrace(const PeerTrace&) = delete;
  PeerTrace& operator=(const PeerTrace&) = delete;

  // `kind` is "stem", "fluff" or "commit"; `tx_id` is 32 bytes.
  void record(std::string_view kind, std::int64_t peer, std::size_t frame_bytes, ByteSpan tx_id);

 private:
  PeerTrace(std::FILE* file, std::uint64_t max_bytes) : file_(file), max_bytes_(max_bytes) {}
  std::FILE* file_;
  const std::uint64_t max_bytes_;
  std::uint64_t written_ = 0;
  bool full_ = false;
};

}  // namespace hc::node

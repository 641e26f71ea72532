#include "node/peer_trace.h"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>

namespace hc::node {

Result<std::unique_ptr<PeerTrace>> PeerTrace::open(const std::filesystem::path& path, std::uint64_t max_bytes) {
  std::FILE* file = std::fopen(path.c_str(), "ae");
  if (!file) {
    return Status::error(ErrorCode::kIo, "cannot open the peer trace " + path.string() + ": " + std::strerror(errno));
  }
  return std::unique_ptr<PeerTrace>(new PeerTrace(file, max_bytes));
}

PeerTrace::~PeerTrace() { std::fclose(file_); }

void PeerTrace::record(std::string_view kind, std::int64_t peer, std::size_t frame_bytes, ByteSpan tx_id) {
  if (full_) return;
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  std::string line = std::to_string(micros) + " " + std::string(kind) + " " +
                     (peer < 0 ? std::string("-") : std::to_string(peer)) + " " + std::to_string(frame_bytes) + " " +
                     to_hex(tx_id) + "\n";
  if (written_ + line.size() > max_bytes_) {
    full_ = true;
    spdlog::warn("peer trace: {} bytes written, the bound; tracing stops", written_);
    return;
  }
  written_ += line.size();
  std::fputs(line.c_str(), file_);
  std::fflush(file_);
}

}  // namespace hc::node

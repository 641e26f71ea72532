#include "node/wal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "common/file_io.h"
#include "crypto/hash.h"

namespace hc::node {

namespace {

constexpr std::string_view kCheckTag = "HC-WAL-v1";
constexpr std::size_t kEntryHeaderBytes = 8;

std::array<std::uint8_t, 4> check_of(ByteSpan payload) {
  Bytes msg(kCheckTag.begin(), kCheckTag.end());
  append_bytes(msg, payload);
  crypto::Digest32 d = crypto::sha256(msg);
  return {d[0], d[1], d[2], d[3]};
}

Bytes entry_of(ByteSpan record) {
  Bytes out;
  append_u32_be(out, static_cast<std::uint32_t>(record.size()));
  auto check = check_of(record);
  append_bytes(out, check);
  append_bytes(out, record);
  return out;
}

Status errno_status(const std::string& what, const std::filesystem::path& path) {
  return Status::error(ErrorCode::kIo, what + " " + path.string() + ": " + std::strerror(errno));
}

Status write_all(int fd, ByteSpan data, const std::filesystem::path& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno_status("cannot write", path);
    done += static_cast<std::size_t>(n);
  }
  return Status::ok_status();
}

// Parses entries; returns the byte offset where valid data ends.
Result<std::size_t> parse_entries(const Bytes& data, std::vector<Bytes>& records, std::size_t max_record_bytes) {
  std::size_t pos = 0;
  while (pos < data.size()) {
    std::size_t remaining = data.size() - pos;
    if (remaining < kEntryHeaderBytes) return pos;  // torn header at the tail
    std::size_t len = (std::size_t{data[pos]} << 24) | (std::size_t{data[pos + 1]} << 16) |
                      (std::size_t{data[pos + 2]} << 8) | std::size_t{data[pos + 3]};
    bool fits = len <= max_record_bytes && len <= remaining - kEntryHeaderBytes;
    ByteSpan payload = fits ? ByteSpan(data.data() + pos + kEntryHeaderBytes, len) : ByteSpan();
    bool good = fits && check_of(payload) == std::array<std::uint8_t, 4>{data[pos + 4], data[pos + 5],
                                                                          data[pos + 6], data[pos + 7]};
    if (!good) {
      std::size_t end = fits ? pos + kEntryHeaderBytes + len : data.size();
      if (end < data.size()) {
        return Status::error(ErrorCode::kCorrupt, "write-ahead log has a damaged entry at byte " +
                                                      std::to_string(pos) + " followed by more data");
      }
      return pos;  // a torn last entry: cut it off
    }
    records.emplace_back(payload.begin(), payload.end());
    pos += kEntryHeaderBytes + len;
  }
  return pos;
}

}  // namespace

Result<WriteAheadLog> WriteAheadLog::open(const std::filesystem::path& path, std::vector<Bytes>& records,
                                          std::size_t max_record_bytes) {
  records.clear();
  auto existing = read_file(path, std::size_t{1} << 34);
  Bytes data;
  if (existing.ok()) {
    data = std::move(existing).value();
  } else if (existing.status().code() != ErrorCode::kNotFound) {
    return existing.status();
  }
  HC_ASSIGN_OR_RETURN(std::size_t valid_end, parse_entries(data, records, max_record_bytes));
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return errno_status("cannot open", path);
  if (valid_end != data.size() && ::ftruncate(fd, static_cast<off_t>(valid_end)) != 0) {
    Status s = errno_status("cannot truncate torn tail of", path);
    ::close(fd);
    return s;
  }
  if (::lseek(fd, static_cast<off_t>(valid_end), SEEK_SET) < 0) {
    Status s = errno_status("cannot seek", path);
    ::close(fd);
    return s;
  }
  return WriteAheadLog(path, fd);
}

WriteAheadLog::WriteAheadLog(WriteAheadLog&& other) noexcept
    : path_(std::move(other.path_)), fd_(other.fd_), unsynced_(other.unsynced_) {
  other.fd_ = -1;
}

WriteAheadLog& WriteAheadLog::operator=(WriteAheadLog&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(other.path_);
    fd_ = other.fd_;
    unsynced_ = other.unsynced_;
    other.fd_ = -1;
  }
  return *this;
}

WriteAheadLog::~WriteAheadLog() {
  if (fd_ >= 0) ::close(fd_);
}

Status WriteAheadLog::append(ByteSpan record) {
  HC_RETURN_IF_ERROR(write_all(fd_, entry_of(record), path_));
  unsynced_ = true;
  return Status::ok_status();
}

Status WriteAheadLog::sync() {
  if (!unsynced_) return Status::ok_status();
  if (::fdatasync(fd_) != 0) return errno_status("cannot sync", path_);
  unsynced_ = false;
  return Status::ok_status();
}

Status WriteAheadLog::snapshot(ByteSpan record) {
  HC_RETURN_IF_ERROR(write_file_atomic(path_, entry_of(record), 0600));
  int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return errno_status("cannot reopen", path_);
  ::close(fd_);
  fd_ = fd;
  unsynced_ = false;
  return Status::ok_status();
}

}  // namespace hc::node

#include "common/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <random>

namespace hc {

namespace {

Status io_error(const std::filesystem::path& path, const char* what) {
  return Status::error(ErrorCode::kIo, std::string(what) + " " + path.string() + ": " +
                                           std::strerror(errno));
}

// Reads into any byte container that supports resize/data.
template <typename Buffer>
Status read_into(const std::filesystem::path& path, std::size_t max_bytes, Buffer& out) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) {
      return Status::error(ErrorCode::kNotFound, "no such file: " + path.string());
    }
    return io_error(path, "cannot open");
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    Status s = io_error(path, "cannot stat");
    ::close(fd);
    return s;
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return invalid_input("not a regular file: " + path.string());
  }
  if (static_cast<std::uint64_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return Status::error(ErrorCode::kTooLarge, path.string() + " is larger than the limit of " +
                                                   std::to_string(max_bytes) + " bytes");
  }
  out.resize(static_cast<std::size_t>(st.st_size));
  std::size_t done = 0;
  while (done < out.size()) {
    ssize_t n = ::read(fd, out.data() + done, out.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status s = io_error(path, "cannot read");
      ::close(fd);
      return s;
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  ::close(fd);
  if (done != out.size()) return Status::error(ErrorCode::kIo, "file shrank while reading: " + path.string());
  return Status::ok_status();
}

// A vector adaptor so SecureBytes can be filled by read_into.
struct SecureSink {
  SecureBytes bytes;
  void resize(std::size_t n) { bytes = SecureBytes(n); }
  std::uint8_t* data() { return bytes.data(); }
  std::size_t size() const { return bytes.size(); }
};

}  // namespace

Result<Bytes> read_file(const std::filesystem::path& path, std::size_t max_bytes) {
  Bytes out;
  HC_RETURN_IF_ERROR(read_into(path, max_bytes, out));
  return out;
}

Result<std::string> read_text_file(const std::filesystem::path& path, std::size_t max_bytes) {
  std::string out;
  HC_RETURN_IF_ERROR(read_into(path, max_bytes, out));
  return out;
}

Result<SecureBytes> read_secret_file(const std::filesystem::path& path, std::size_t max_bytes) {
  SecureSink sink;
  HC_RETURN_IF_ERROR(read_into(path, max_bytes, sink));
  return std::move(sink.bytes);
}

Status write_file_atomic(const std::filesystem::path& path, ByteSpan data, unsigned mode) {
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  std::random_device rd;
  std::filesystem::path tmp =
      dir / ("." + path.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
             std::to_string(rd()));
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return io_error(tmp, "cannot create");
  std::size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status s = io_error(tmp, "cannot write");
      ::close(fd);
      ::unlink(tmp.c_str());
      return s;
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    Status s = io_error(tmp, "cannot sync");
    ::close(fd);
    ::unlink(tmp.c_str());
    return s;
  }
  ::close(fd);
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    Status s = io_error(path, "cannot rename into place");
    ::unlink(tmp.c_str());
    return s;
  }
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::ok_status();
}

Status write_text_file_atomic(const std::filesystem::path& path, std::string_view text,
                              unsigned mode) {
  return write_file_atomic(path, as_bytes(text), mode);
}

}  // namespace hc

// The trustee key files of the resharing epochs (trustee_key_files.h).
#include "node/trustee_key_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <string>

#include "crypto/p256_key_file.h"

namespace hc::node {

namespace {

constexpr std::string_view kReshareKeyPrefix = "trustee.key.r";
constexpr std::string_view kReshareKeySuffix = ".pem";

Status key_file_io_error(const std::filesystem::path& path, const char* what) {
  return Status::error(ErrorCode::kIo, std::string(what) + " " + path.string() + ": " + std::strerror(errno));
}

// The resharing epoch in a name "trustee.key.r<digits>.pem", or nullopt.
std::optional<std::uint64_t> reshare_epoch_of_name(const std::string& name) {
  if (name.size() <= kReshareKeyPrefix.size() + kReshareKeySuffix.size()) return std::nullopt;
  if (name.compare(0, kReshareKeyPrefix.size(), kReshareKeyPrefix) != 0) return std::nullopt;
  if (name.compare(name.size() - kReshareKeySuffix.size(), kReshareKeySuffix.size(), kReshareKeySuffix) != 0) {
    return std::nullopt;
  }
  const std::string digits =
      name.substr(kReshareKeyPrefix.size(), name.size() - kReshareKeyPrefix.size() - kReshareKeySuffix.size());
  if (digits.empty() || digits.size() > 19 || digits.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  const std::uint64_t epoch = std::stoull(digits);
  if (epoch == 0 || std::to_string(epoch) != digits) return std::nullopt;  // one name per epoch
  return epoch;
}

}  // namespace

Status overwrite_and_unlink(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::ok_status();
    return key_file_io_error(path, "cannot open for erasure");
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    Status s = key_file_io_error(path, "cannot stat");
    ::close(fd);
    return s;
  }
  const std::array<std::uint8_t, 4096> zeros{};
  std::size_t left = static_cast<std::size_t>(st.st_size);
  while (left > 0) {
    const ssize_t n = ::write(fd, zeros.data(), std::min(left, zeros.size()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Status s = key_file_io_error(path, "cannot overwrite");
      ::close(fd);
      return s;
    }
    left -= static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    Status s = key_file_io_error(path, "cannot sync");
    ::close(fd);
    return s;
  }
  ::close(fd);
  if (::unlink(path.c_str()) != 0) return key_file_io_error(path, "cannot remove");
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  const int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return Status::ok_status();
}

TrusteeKeyFiles::TrusteeKeyFiles(std::filesystem::path first_key_file, SecureBytes passphrase)
    : first_key_file_(std::move(first_key_file)), passphrase_(std::move(passphrase)) {}

std::filesystem::path TrusteeKeyFiles::path_for(std::uint64_t reshare_epoch) const {
  if (reshare_epoch == 0) return first_key_file_;
  return first_key_file_.parent_path() /
         (std::string(kReshareKeyPrefix) + std::to_string(reshare_epoch) + std::string(kReshareKeySuffix));
}

Result<std::optional<crypto::P256Scalar>> TrusteeKeyFiles::load(std::uint64_t reshare_epoch) const {
  const std::filesystem::path file = path_for(reshare_epoch);
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::optional<crypto::P256Scalar>();
  HC_ASSIGN_OR_RETURN(crypto::P256Scalar key, crypto::load_p256_key(file, passphrase_));
  return std::optional<crypto::P256Scalar>(std::move(key));
}

Result<crypto::P256Scalar> TrusteeKeyFiles::fresh_key(std::uint64_t reshare_epoch) {
  if (reshare_epoch == 0) return invalid_input("resharing epoch 0 has no fresh trustee key (it is the first key)");
  HC_ASSIGN_OR_RETURN(std::optional<crypto::P256Scalar> held, load(reshare_epoch));
  if (held) return std::move(*held);
  const std::filesystem::path file = path_for(reshare_epoch);
  HC_RETURN_IF_ERROR(crypto::write_new_p256_key(file, passphrase_).status());
  HC_ASSIGN_OR_RETURN(std::optional<crypto::P256Scalar> written, load(reshare_epoch));
  if (!written) return Status::error(ErrorCode::kIo, "the trustee key file " + file.string() + " vanished once written");
  return std::move(*written);
}

Status TrusteeKeyFiles::erase(std::uint64_t reshare_epoch) { return overwrite_and_unlink(path_for(reshare_epoch)); }

std::vector<std::uint64_t> TrusteeKeyFiles::held_epochs() const {
  std::vector<std::uint64_t> out;
  std::error_code ec;
  if (std::filesystem::exists(first_key_file_, ec)) out.push_back(0);
  std::filesystem::path dir = first_key_file_.parent_path();
  if (dir.empty()) dir = ".";
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (auto epoch = reshare_epoch_of_name(it->path().filename().string())) out.push_back(*epoch);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace hc::node

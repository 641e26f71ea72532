#include "client/epoch_starts.h"

#include <sstream>
#include <string>

#include "common/file_io.h"

namespace hc::client {

namespace {

constexpr const char* kFileName = "epoch-starts.txt";
constexpr std::size_t kMaxFileBytes = 1 << 20;

Status corrupt(const std::filesystem::path& file, const std::string& why) {
  return Status::error(ErrorCode::kCorrupt, file.string() + ": " + why);
}

bool parse_u64(const std::string& text, std::uint64_t& out) {
  if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos) return false;
  out = std::stoull(text);
  return true;
}

// Heights must grow with epochs: each revocation is committed after the one before it.
bool increasing(const EpochStarts& starts) {
  std::uint64_t last = 0;
  for (const auto& [epoch, height] : starts) {
    if (epoch == 0 || height <= last) return false;
    last = height;
  }
  return true;
}

}  // namespace

Result<EpochStarts> load_epoch_starts(const std::filesystem::path& manager_dir) {
  const std::filesystem::path file = manager_dir / kFileName;
  auto text = read_text_file(file, kMaxFileBytes);
  if (!text.ok()) {
    if (text.status().code() == ErrorCode::kNotFound) return EpochStarts{};
    return text.status();
  }
  EpochStarts starts;
  std::istringstream lines(*text);
  std::string line;
  while (std::getline(lines, line)) {
    const auto space = line.find(' ');
    std::uint64_t epoch = 0, height = 0;
    if (space == std::string::npos || !parse_u64(line.substr(0, space), epoch) ||
        !parse_u64(line.substr(space + 1), height)) {
      return corrupt(file, "malformed line (expected \"EPOCH HEIGHT\")");
    }
    if (!starts.emplace(epoch, height).second) return corrupt(file, "epoch " + std::to_string(epoch) + " listed twice");
  }
  if (!increasing(starts)) return corrupt(file, "epochs must start at increasing heights above 0");
  return starts;
}

Status record_epoch_start(const std::filesystem::path& manager_dir, std::uint64_t epoch, std::uint64_t height) {
  HC_ASSIGN_OR_RETURN(EpochStarts starts, load_epoch_starts(manager_dir));
  auto [it, added] = starts.emplace(epoch, height);
  if (!added && it->second != height) {
    return invalid_input("epoch " + std::to_string(epoch) + " is already recorded as starting at height " +
                         std::to_string(it->second));
  }
  if (!increasing(starts)) return invalid_input("epoch starts must increase with the epochs");
  std::string text;
  for (const auto& [e, h] : starts) text += std::to_string(e) + " " + std::to_string(h) + "\n";
  return write_text_file_atomic(manager_dir / kFileName, text);
}

Status check_record_epoch(const EpochStarts& starts, std::uint64_t current_epoch, std::uint64_t epoch,
                          std::uint64_t height) {
  auto start_of = [&](std::uint64_t e) -> Result<std::uint64_t> {
    if (e == 0) return std::uint64_t{0};
    auto it = starts.find(e);
    if (it == starts.end()) {
      return Status::error(ErrorCode::kCorrupt, "the manager directory does not record where epoch " +
                                                    std::to_string(e) + " began (epoch-starts.txt)");
    }
    return it->second;
  };
  if (epoch > current_epoch) {
    return Status::error(ErrorCode::kAuthFailed, "record of epoch " + std::to_string(epoch) +
                                                     ", which the group has not reached");
  }
  HC_ASSIGN_OR_RETURN(std::uint64_t begin, start_of(epoch));
  // A revocation's block holds no record, so the start height itself is outside the epoch.
  bool inside = height > begin;
  std::string window = "after height " + std::to_string(begin);
  if (epoch < current_epoch) {
    HC_ASSIGN_OR_RETURN(std::uint64_t end, start_of(epoch + 1));
    inside = inside && height < end;
    window = "heights " + std::to_string(begin + 1) + ".." + std::to_string(end - 1);
  }
  if (!inside) {
    return Status::error(ErrorCode::kAuthFailed, "record of epoch " + std::to_string(epoch) + " committed at height " +
                                                     std::to_string(height) + ", outside its epoch (" + window +
                                                     "): its signature may be forged from a revocation");
  }
  return Status::ok_status();
}

}  // namespace hc::client

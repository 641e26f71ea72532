// SecureBytes: an owning byte buffer for secrets (keys, passphrases, plaintexts) that is
// wiped with OPENSSL_cleanse when destroyed or reassigned. Move-only, so a secret is never
// silently copied. Not thread-safe (like std::vector).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace hc {

void secure_wipe(void* data, std::size_t size);

class SecureBytes {
 public:
  SecureBytes() = default;
  explicit SecureBytes(std::size_t size) : data_(size) {}
  SecureBytes(const std::uint8_t* data, std::size_t size) : data_(data, data + size) {}
  explicit SecureBytes(std::string_view s)
      : data_(reinterpret_cast<const std::uint8_t*>(s.data()),
              reinterpret_cast<const std::uint8_t*>(s.data()) + s.size()) {}
  ~SecureBytes() { wipe(); }

  SecureBytes(const SecureBytes&) = delete;
  SecureBytes& operator=(const SecureBytes&) = delete;
  SecureBytes(SecureBytes&& other) noexcept : data_(std::move(other.data_)) { other.data_.clear(); }
  SecureBytes& operator=(SecureBytes&& other) noexcept {
    if (this != &other) {
      wipe();
      data_ = std::move(other.data_);
      other.data_.clear();
    }
    return *this;
  }

  std::uint8_t* data() { return data_.data(); }
  const std::uint8_t* data() const { return data_.data(); }
  std::size_t size() const { return data_.size(); }
  bool empty() const { return data_.empty(); }
  std::span<const std::uint8_t> span() const { return {data_.data(), data_.size()}; }
  std::string_view view() const {
    return {reinterpret_cast<const char*>(data_.data()), data_.size()};
  }
  // Shrinks without reallocating (the cut-off tail is wiped first).
  void truncate(std::size_t size);

 private:
  void wipe() {
    if (!data_.empty()) secure_wipe(data_.data(), data_.size());
    data_.clear();
  }
  std::vector<std::uint8_t> data_;
};

}  // namespace hc

#include "common/secure_bytes.h"

#include <openssl/crypto.h>

#include "common/check.h"

namespace hc {

void secure_wipe(void* data, std::size_t size) { OPENSSL_cleanse(data, size); }

void SecureBytes::truncate(std::size_t size) {
  HC_CHECK(size <= data_.size());
  secure_wipe(data_.data() + size, data_.size() - size);
  data_.resize(size);
}

}  // namespace hc

#include "crypto/hash.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "common/check.h"

namespace hc::crypto {

Digest32 sha256(ByteSpan data) {
  Digest32 out{};
  unsigned int len = 0;
  HC_CHECK(EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) == 1);
  HC_CHECK(len == out.size());
  return out;
}

Digest32 hmac_sha256(ByteSpan key, ByteSpan data) {
  Digest32 out{};
  unsigned int len = 0;
  HC_CHECK(HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data.data(), data.size(),
                out.data(), &len) != nullptr);
  HC_CHECK(len == out.size());
  return out;
}

void random_bytes(std::span<std::uint8_t> out) {
  if (out.empty()) return;
  HC_CHECK(RAND_bytes(out.data(), static_cast<int>(out.size())) == 1);
}

}  // namespace hc::crypto

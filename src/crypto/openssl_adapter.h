// The one place where OpenSSL's error queue and object lifetimes are adapted to ours:
// RAII owners for OpenSSL objects and a conversion of the error queue into a Status.
// No OpenSSL type appears in the other crypto headers' interfaces except through the
// opaque wrappers defined here. Thread-safe (OpenSSL 3 error queues are per thread).
#pragma once

#include <openssl/evp.h>

#include <memory>
#include <string>

#include "common/status.h"

namespace hc::crypto {

struct EvpPkeyDeleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct EvpPkeyCtxDeleter {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct EvpCipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* p) const { EVP_CIPHER_CTX_free(p); }
};
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyDeleter>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, EvpPkeyCtxDeleter>;
using EvpCipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, EvpCipherCtxDeleter>;

// Builds a Status of `code` from `what` and the newest entry of OpenSSL's error queue,
// then clears the queue so later calls do not report stale errors.
Status openssl_error(ErrorCode code, const std::string& what);

// Discards any pending OpenSSL errors (after an expected, handled failure).
void clear_openssl_errors();

}  // namespace hc::crypto

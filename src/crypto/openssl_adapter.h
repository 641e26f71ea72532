// The one place where OpenSSL's error queue and object lifetimes are adapted to ours:
// RAII owners for OpenSSL objects and a conversion of the error queue into a Status.
// No OpenSSL type appears in the other crypto headers' interfaces except through the
// opaque wrappers defined here. Thread-safe (OpenSSL 3 error queues are per thread).
#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>
#include <string_view>

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
struct BioDeleter {
  void operator()(BIO* p) const { BIO_free(p); }
};
struct X509Deleter {
  void operator()(X509* p) const { X509_free(p); }
};
struct X509ExtensionDeleter {
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
};
using BioPtr = std::unique_ptr<BIO, BioDeleter>;
using X509Ptr = std::unique_ptr<X509, X509Deleter>;
using X509ExtensionPtr = std::unique_ptr<X509_EXTENSION, X509ExtensionDeleter>;

// A read-only memory BIO over `data` (which must outlive it); null if OpenSSL fails.
inline BioPtr memory_bio(std::string_view data) {
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

// Everything written to a memory BIO (BIO_s_mem), or what is left unread in one, as text.
inline std::string bio_contents(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return len > 0 ? std::string(data, static_cast<std::size_t>(len)) : std::string();
}

// True when what is left unread in a memory BIO is only spaces, tabs and line breaks: nothing
// follows the PEM block just read.
inline bool bio_rest_is_whitespace(BIO* bio) {
  return bio_contents(bio).find_first_not_of(" \t\r\n") == std::string::npos;
}

// Builds a Status of `code` from `what` and the newest entry of OpenSSL's error queue,
// then clears the queue so later calls do not report stale errors.
Status openssl_error(ErrorCode code, const std::string& what);

// Discards any pending OpenSSL errors (after an expected, handled failure).
void clear_openssl_errors();

}  // namespace hc::crypto

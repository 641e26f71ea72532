// One RSA-3072 envelope key pair per test process: generating one is slow (especially under
// sanitizers), and the record tests need a key, not a fresh one per suite.
#pragma once

#include "common/check.h"
#include "crypto/envelope_key.h"

namespace hc::test {

inline const crypto::EnvelopePrivateKey& shared_envelope_key() {
  static const crypto::EnvelopePrivateKey key = [] {
    auto generated = crypto::EnvelopePrivateKey::generate();
    HC_CHECK(generated.ok());
    return std::move(generated).value();
  }();
  return key;
}

}  // namespace hc::test

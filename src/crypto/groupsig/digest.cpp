#include "crypto/groupsig/digest.h"

#include <openssl/evp.h>

#include "common/check.h"
#include "crypto/groupsig/encoding.h"
#include "crypto/groupsig/params.h"

namespace hc::groupsig {

Digest32 tagged_sha256(std::string_view tag, ByteSpan data) {
  HC_CHECK(!tag.empty() && tag.size() <= 255);
  Digest32 out{};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  HC_CHECK(ctx != nullptr);
  const auto tag_len = static_cast<unsigned char>(tag.size());
  unsigned int out_len = 0;
  bool ok = EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1 &&
            EVP_DigestUpdate(ctx, &tag_len, 1) == 1 &&
            EVP_DigestUpdate(ctx, tag.data(), tag.size()) == 1 &&
            EVP_DigestUpdate(ctx, data.data(), data.size()) == 1 &&
            EVP_DigestFinal_ex(ctx, out.data(), &out_len) == 1;
  EVP_MD_CTX_free(ctx);
  HC_CHECK(ok && out_len == out.size());  // SHA-256 cannot fail short of a broken OpenSSL
  return out;
}

Digest32 gpk_digest(const GroupPublicKey& gpk) {
  return tagged_sha256(kDstGpkDigest, encode_gpk(gpk));
}

Digest32 message_digest(ByteSpan message) { return tagged_sha256(kDstMessageDigest, message); }

Digest32 signature_digest(const Signature& sig) {
  return tagged_sha256(kDstSignatureDigest, encode_signature(sig));
}

}  // namespace hc::groupsig

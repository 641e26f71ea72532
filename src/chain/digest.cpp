#include "chain/digest.h"

#include <openssl/evp.h>

#include <cstring>
#include <memory>

namespace hc::chain {

namespace {
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
}  // namespace

Digest tagged_hash(std::string_view tag, std::initializer_list<ByteSpan> parts) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  HC_CHECK(ctx != nullptr);
  HC_CHECK(EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) == 1);
  if (!tag.empty()) HC_CHECK(EVP_DigestUpdate(ctx.get(), tag.data(), tag.size()) == 1);
  for (ByteSpan part : parts) {
    if (!part.empty()) HC_CHECK(EVP_DigestUpdate(ctx.get(), part.data(), part.size()) == 1);
  }
  Digest out{};
  unsigned int len = 0;
  HC_CHECK(EVP_DigestFinal_ex(ctx.get(), out.data(), &len) == 1);
  HC_CHECK(len == out.size());
  return out;
}

Digest sha256(ByteSpan data) { return tagged_hash({}, {data}); }

Result<Digest> digest_from_bytes(ByteSpan bytes) {
  if (bytes.size() != kDigestBytes) return invalid_input("digest must be 32 bytes");
  Digest d{};
  std::memcpy(d.data(), bytes.data(), d.size());
  return d;
}

Result<Digest> digest_from_hex(std::string_view hex) {
  if (hex.size() != 2 * kDigestBytes) return invalid_input("digest must be 64 hex characters");
  HC_ASSIGN_OR_RETURN(Bytes raw, from_hex(hex));
  return digest_from_bytes(raw);
}

}  // namespace hc::chain

// expand_message_xmd with SHA-256 (RFC 9380 section 5.3.1) and hashing to Fr.
#include <openssl/evp.h>

#include <array>

#include "common/check.h"
#include "crypto/bls12_381/bls12_381.h"

namespace hc::bls12_381 {

namespace {

constexpr std::size_t kHashBytes = 32;   // b_in_bytes for SHA-256
constexpr std::size_t kBlockBytes = 64;  // s_in_bytes for SHA-256
constexpr std::size_t kMaxOutputBytes = 255 * kHashBytes;

// SHA-256 of the concatenation of `parts`.
std::array<std::uint8_t, kHashBytes> sha256(std::initializer_list<ByteSpan> parts) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  HC_CHECK(ctx != nullptr);
  HC_CHECK(EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) == 1);
  for (ByteSpan p : parts) HC_CHECK(EVP_DigestUpdate(ctx, p.data(), p.size()) == 1);
  std::array<std::uint8_t, kHashBytes> out{};
  unsigned int len = 0;
  HC_CHECK(EVP_DigestFinal_ex(ctx, out.data(), &len) == 1 && len == kHashBytes);
  EVP_MD_CTX_free(ctx);
  return out;
}

}  // namespace

Result<Bytes> expand_message_xmd_sha256(ByteSpan msg, ByteSpan dst, std::size_t len_in_bytes) {
  if (dst.empty()) return invalid_input("expand_message_xmd: empty domain separation tag");
  if (dst.size() > 255) return invalid_input("expand_message_xmd: DST longer than 255 bytes");
  if (len_in_bytes > kMaxOutputBytes) {
    return invalid_input("expand_message_xmd: output longer than 8160 bytes");
  }
  const std::size_t ell = (len_in_bytes + kHashBytes - 1) / kHashBytes;
  Bytes dst_prime(dst.begin(), dst.end());
  dst_prime.push_back(static_cast<std::uint8_t>(dst.size()));
  const std::array<std::uint8_t, kBlockBytes> z_pad{};
  const std::uint8_t len_be[3] = {static_cast<std::uint8_t>(len_in_bytes >> 8),
                                  static_cast<std::uint8_t>(len_in_bytes), 0};
  const auto b0 = sha256({z_pad, msg, ByteSpan(len_be, 3), dst_prime});
  Bytes out;
  out.reserve(ell * kHashBytes);
  std::array<std::uint8_t, kHashBytes> prev{};
  for (std::size_t i = 1; i <= ell; ++i) {
    std::array<std::uint8_t, kHashBytes> x{};
    for (std::size_t j = 0; j < kHashBytes; ++j) x[j] = b0[j] ^ prev[j];  // prev = 0 for b1
    const std::uint8_t idx = static_cast<std::uint8_t>(i);
    prev = sha256({i == 1 ? ByteSpan(b0) : ByteSpan(x), ByteSpan(&idx, 1), dst_prime});
    out.insert(out.end(), prev.begin(), prev.end());
  }
  out.resize(len_in_bytes);
  return out;
}

Result<Fr> hash_to_fr(ByteSpan msg, ByteSpan dst) {
  constexpr std::size_t kL = 48;  // ceil((255 + 128) / 8)
  HC_ASSIGN_OR_RETURN(Bytes uniform, expand_message_xmd_sha256(msg, dst, kL));
  std::array<std::uint8_t, 64> wide{};
  for (std::size_t i = 0; i < kL; ++i) wide[64 - kL + i] = uniform[i];
  return Fr::from_wide_bytes(wide);
}

}  // namespace hc::bls12_381

#include "consensus/types.h"

#include <openssl/evp.h>

namespace hc::consensus {
namespace {
constexpr std::string_view kBlockTag = "HC-PBFT/2/block";
constexpr std::string_view kStateTag = "HC-PBFT/1/state";
}  // namespace

namespace {

// The one-shot SHA256() of OpenSSL 3 looks the algorithm up (under a lock) on every call;
// fetching it once and reusing a per-thread context is several times faster for short inputs.
Digest sha256_parts(ByteSpan a, ByteSpan b) {
  static EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  HC_CHECK(md != nullptr);
  struct CtxHolder {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    ~CtxHolder() { EVP_MD_CTX_free(ctx); }
  };
  thread_local CtxHolder holder;
  HC_CHECK(holder.ctx != nullptr);
  Digest d{};
  unsigned int len = 0;
  const bool ok = EVP_DigestInit_ex(holder.ctx, md, nullptr) == 1 &&
                  EVP_DigestUpdate(holder.ctx, a.data(), a.size()) == 1 &&
                  EVP_DigestUpdate(holder.ctx, b.data(), b.size()) == 1 &&
                  EVP_DigestFinal_ex(holder.ctx, d.data(), &len) == 1 && len == d.size();
  HC_CHECK(ok);  // SHA-256 over memory cannot fail short of memory exhaustion
  return d;
}

}  // namespace

Digest sha256(ByteSpan data) { return sha256_parts(data, {}); }

Digest tx_digest(ByteSpan tx) { return sha256_parts(tx, {}); }

Block null_block(SeqNumber height) {
  Block b;
  b.height = height;
  return b;
}

std::vector<Digest> tx_digests(const Block& block) {
  std::vector<Digest> out;
  out.reserve(block.txs.size());
  for (const Bytes& tx : block.txs) out.push_back(tx_digest(tx));
  return out;
}

void encode_block(Bytes& out, const Block& block) {
  out.reserve(out.size() + encoded_block_size(block));
  append_u64_be(out, block.height);
  append_u64_be(out, block.timestamp_ms);
  append_u64_be(out, block.view);
  append_u32_be(out, block.proposer);
  append_u32_be(out, static_cast<std::uint32_t>(block.txs.size()));
  for (const Bytes& tx : block.txs) append_length_prefixed(out, tx);
}

std::size_t encoded_block_size(const Block& block) {
  std::size_t size = 32;
  for (const Bytes& tx : block.txs) size += 4 + tx.size();
  return size;
}

Digest block_digest_of(SeqNumber height, std::uint64_t timestamp_ms, std::uint64_t view, std::uint32_t proposer,
                       const std::vector<Digest>& digests) {
  Bytes buf(kBlockTag.begin(), kBlockTag.end());
  buf.reserve(buf.size() + 32 + 32 * digests.size());
  append_u64_be(buf, height);
  append_u64_be(buf, timestamp_ms);
  append_u64_be(buf, view);
  append_u32_be(buf, proposer);
  append_u32_be(buf, static_cast<std::uint32_t>(digests.size()));
  for (const Digest& d : digests) append_bytes(buf, d);
  return sha256(buf);
}

Digest block_digest(const Block& block) {
  return block_digest_of(block.height, block.timestamp_ms, block.view, block.proposer, tx_digests(block));
}

Digest state_digest(SeqNumber seq, ByteSpan app_hash) {
  Bytes buf(kStateTag.begin(), kStateTag.end());
  append_u64_be(buf, seq);
  append_length_prefixed(buf, app_hash);
  return sha256(buf);
}

}  // namespace hc::consensus

// BBS04-ElGamal batch verification: many signatures under ONE group key (one epoch, one
// opener key h) checked together. The signatures are in commitment form (elgamal_types.h),
// so each one's three verification equations are linear in its public values; the batch
// raises item i's equations to independent random 64-bit exponents a_i, b_i, d_i (the
// small-exponents test of Bellare, Garay and Rabin) and multiplies everything into ONE check:
//   e(X, g2) * e(Y, w) == prod_i R3_i^d_i
//   X = sum_i [a_i (u^s_alpha T1^-c R1^-1) + b_i (T1^s_x u^-s_delta R2^-1)
//              + d_i (T2^s_x h^-s_delta g1^-c)]            (written additively in G1)
//   Y = sum_i d_i (T2^c h^-s_alpha)
// that is one multi-pairing with the fixed g2 and w, two multi-scalar multiplications in G1
// (T1, T2 with full scalars, R1, R2 with 64-bit ones; g1, h, u from the key's tables) and one
// multi-exponentiation in GT with 64-bit exponents. A batch with a bad signature passes with
// probability at most 2^-64 (docs/groupsig.md, "Batch verification").
//
// When the check fails, the bad signatures are found by bisection: a half that passes is
// accepted, a half that fails is split again (the other half of a failed set whose first half
// passed is split without being tested as a whole), and single items are checked with
// verify(). A good signature is never refused: a batch of valid signatures always passes, and
// the last word on a suspect is verify()'s. Cost with b bad items among k: about
// 2 b log2(k / b) sub-batch checks (each one multi-pairing plus its share of the G1 work)
// and b single verifications; with every item bad, about k checks and k single
// verifications (two to three times the one-by-one cost).
//
// Items carry decoded signatures (decode_signature has checked every point's encoding and
// subgroup, R3's membership in GT and the scalars); the form checks of verify() (epoch, no
// identity T1/T2) are made per item. verify_batch_encoded decodes first. Grouping by key is
// the caller's: one call per PreparedKey, or verify_batch_grouped over the groups. Thread-safe
// for distinct BatchRandom objects.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/groupsig/elgamal_prepared_key.h"
#include "crypto/groupsig/elgamal_types.h"

namespace hc::groupsig::elgamal {

// Source of the batch's random exponents. They must be unpredictable to whoever made the
// signatures: production uses SystemBatchRandom; tests may inject a seeded generator.
class BatchRandom {
 public:
  virtual ~BatchRandom() = default;
  virtual std::uint64_t next_u64() = 0;
};

// OpenSSL's CSPRNG (RAND_bytes); aborts if it fails, as Fr::random does.
class SystemBatchRandom final : public BatchRandom {
 public:
  std::uint64_t next_u64() override;
};

// One signature to check; the message and the signature must outlive the call.
struct BatchItem {
  ByteSpan message;
  const Signature* signature = nullptr;
};

// One status per item, in order, each what verify(key, message, signature) returns (except
// with probability at most 2^-64 per sub-batch check that a bad item is accepted).
std::vector<Status> verify_batch(const PreparedKey& key, std::span<const BatchItem> items,
                                 BatchRandom& rng);

// The same over encoded signatures: an item that does not decode gets decode_signature's
// error (kInvalidInput), the others are batch-verified. From 32 signatures on, their G1
// points are decoded together with one randomized subgroup test
// (bls12_381::g1_from_compressed_batch_vartime, 64 rounds drawn from `rng`); a point outside
// G1 is missed with probability at most 2^-64, and when a round fails every point is decoded
// again alone, so the statuses are decode_signature's either way.
struct EncodedBatchItem {
  ByteSpan message;
  ByteSpan signature;
};
std::vector<Status> verify_batch_encoded(const PreparedKey& key,
                                         std::span<const EncodedBatchItem> items, BatchRandom& rng);

// A block's version-2 records grouped by the key they verify under (their epoch and opener
// key): one batch per group, one status vector per group, in order. Keys must outlive the
// call.
struct KeyedBatch {
  const PreparedKey* key = nullptr;
  std::span<const EncodedBatchItem> items;
};
std::vector<std::vector<Status>> verify_batch_grouped(std::span<const KeyedBatch> groups,
                                                      BatchRandom& rng);

}  // namespace hc::groupsig::elgamal

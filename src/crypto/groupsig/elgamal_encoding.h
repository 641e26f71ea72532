// BBS04-ElGamal: canonical, versioned encodings and the digests that its proofs bind.
//
// Each encoding = "HCGE" | kind (u8) | version (u8) | fields (version 2 for the signature, 1
// for the others); integers big-endian, G1/G2 compressed, GT in its canonical 576-byte form,
// scalars 32 bytes big-endian (layouts in docs/groupsig.md, "BBS04-ElGamal").
// Decoders accept exactly one byte string per value: wrong magic, kind or version,
// truncation, trailing bytes, non-canonical or off-subgroup points (GT: a coefficient >= p
// or an element outside the order-r subgroup), scalars >= r, the identity where a generator
// or a ciphertext component is needed, and bad member names are kInvalidInput with a
// one-line reason naming the field. Pure functions; thread-safe.
#pragma once

#include <array>
#include <optional>
#include <span>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/groupsig/elgamal_types.h"

namespace hc::groupsig::elgamal {

Bytes encode_group_key(const GroupKey& gpk);
Result<GroupKey> decode_group_key(ByteSpan data);

Bytes encode_signature(const Signature& sig);
Result<Signature> decode_signature(ByteSpan data);
// The four compressed points T1, T2, R1, R2 of an encoded signature of the right length
// (nullopt otherwise), for decoding many signatures' points together
// (bls12_381::g1_from_compressed_batch_vartime).
std::optional<std::array<ByteSpan, 4>> signature_point_encodings(ByteSpan data);
// decode_signature with the results of decoding those four points given: the same checks in
// the same order, so the same status and message as decode_signature for any input.
Result<Signature> decode_signature_with_points(ByteSpan data, std::span<const Result<G1>, 4> points);

Bytes encode_opening_proof(const OpeningProof& proof);
Result<OpeningProof> decode_opening_proof(ByteSpan data);

// No element of the group key is the identity; kInvalidInput naming the element otherwise.
Status check_group_key(const GroupKey& gpk);

// Tagged SHA-256 digests (digest.h's construction) with this variant's own tags.
Digest32 group_key_digest(const GroupKey& gpk);
Digest32 message_digest(ByteSpan message);
Digest32 signature_digest(const Signature& sig);

}  // namespace hc::groupsig::elgamal

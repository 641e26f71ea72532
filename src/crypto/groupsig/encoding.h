// Canonical, versioned binary encodings of the module's values (layouts in docs/groupsig.md).
//
// Each encoding = "HCGS" | kind (u8) | version (u8) | fields; integers big-endian, G1/G2 in
// compressed form, scalars as 32 bytes big-endian. Decoders accept exactly one byte string
// per value: wrong magic, kind or version, truncation, trailing bytes, non-canonical points,
// points outside the subgroup, scalars >= r, the identity where BBS04 needs a generator,
// unsorted or duplicate registry names and bad member names are kInvalidInput with a
// one-line reason. Secret encodings come back as SecureBytes. Pure functions; thread-safe.
#pragma once

#include "common/bytes.h"
#include "common/secure_bytes.h"
#include "common/status.h"
#include "crypto/groupsig/types.h"

namespace hc::groupsig {

Bytes encode_gpk(const GroupPublicKey& gpk);
Result<GroupPublicKey> decode_gpk(ByteSpan data);

Bytes encode_signature(const Signature& sig);
Result<Signature> decode_signature(ByteSpan data);

Bytes encode_registry(const Registry& reg);
Result<Registry> decode_registry(ByteSpan data);

Bytes encode_opening_proof(const OpeningProof& proof);
Result<OpeningProof> decode_opening_proof(ByteSpan data);

Bytes encode_revocation(const RevocationRecord& rec);
Result<RevocationRecord> decode_revocation(ByteSpan data);

// Secret payloads (stored only inside encrypted key files, keyfile.h).
SecureBytes encode_member_key(const MemberKey& key);
Result<MemberKey> decode_member_key(ByteSpan data);
SecureBytes encode_opener_key(const OpenerKey& key);
Result<OpenerKey> decode_opener_key(ByteSpan data);
SecureBytes encode_issuer_key(const IssuerKey& key);
Result<IssuerKey> decode_issuer_key(ByteSpan data);

// Checks the conditions every group public key must meet (no identity element).
Status check_gpk(const GroupPublicKey& gpk);

}  // namespace hc::groupsig

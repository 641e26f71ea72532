// Canonical encodings of what a judge of a threshold opening reads besides the signature:
// the trustees' public opener key and the evidence set (the partial openings).
//
// Opener key: LP("HC-OPENER-KEY-v1") || chain_id (32) || u64 epoch || u16 t || u16 m (1..64,
// t <= m) || u (48) || h (48) || m x U_j (48); points compressed, none the identity; the
// decoder also runs check_opener_key_public (the U_j interpolate to h), so a decoded key is
// consistent. Evidence: LP("HC-OPENING-EVIDENCE-v1") || u16 count (1..64) || count x partial
// opening (partial_opening.h, 243 bytes each), trustees strictly increasing (one encoding per
// set). Decoders return kInvalidInput with a one-line reason. Pure functions, thread-safe.
#pragma once

#include <vector>

#include "common/bytes.h"
#include "common/status.h"
#include "crypto/threshold/opener_dkg_outcome.h"
#include "crypto/threshold/partial_opening.h"

namespace hc::crypto::threshold {

Bytes encode_opener_key(const OpenerKeyPublic& key);
Result<OpenerKeyPublic> decode_opener_key(ByteSpan bytes);

// `partials` must be sorted by trustee, strictly increasing (sort_evidence does it).
Bytes encode_opening_evidence(const std::vector<PartialOpening>& partials);
Result<std::vector<PartialOpening>> decode_opening_evidence(ByteSpan bytes);
// Sorts by trustee (the canonical order of an evidence set).
void sort_evidence(std::vector<PartialOpening>& partials);

}  // namespace hc::crypto::threshold

// The requester's side of a threshold opening (docs/threshold.md, "Threshold opening"): the
// trustees' committed partial openings of the records a request names, read from their
// answers, are checked (each proof against the trustee's public opener share U_j, bound to the
// request, the record's signature and the answering trustee) and any t valid ones are combined
// per record (crypto/threshold/opening_evidence.h) into the member who signed. A trustee whose
// partial opening does not decode, is another trustee's, or fails its proof is named; the
// others still combine. Fewer than t valid: an error that says how many trustees answered
// and how many valid partial openings of the t needed there are. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "chain/transaction.h"
#include "common/status.h"
#include "crypto/groupsig/types.h"
#include "crypto/threshold/combine.h"
#include "crypto/threshold/opener_dkg_outcome.h"

namespace hc::client {

// A committed record the request names: its id and its BBS04-ElGamal group signature.
struct RecordToOpen {
  chain::Digest record_id{};
  Bytes group_signature;
};

// One trustee's committed answer: its partial openings, by record.
struct OpeningAnswer {
  std::uint16_t trustee = 0;
  std::vector<chain::PartialOpeningEntry> partial_openings;
};

struct OpenedRecord {
  chain::Digest record_id{};
  std::string member;                 // the hospital the trustees' opening names
  std::vector<std::uint16_t> used;    // the t trustees combined
};

struct ThresholdOpenings {
  std::vector<OpenedRecord> records;                       // in the order given
  std::vector<std::uint16_t> answered;                     // every trustee with an answer, ascending
  std::vector<crypto::threshold::RejectedShare> rejected;  // named trustees, one entry each
};

// `registries` by group epoch (a signature is opened against its epoch's registry).
// kInvalidInput when a record's signature does not decode or fewer than t valid partial
// openings open some record ("2 of the 4 trustees answered; only 2 valid partial openings of
// the t = 3 needed (trustee 2: ...)"); kNotFound when the opening names nobody in the registry.
Result<ThresholdOpenings> open_with_partial_openings(const crypto::threshold::OpenerKeyPublic& key,
                                                     const std::map<std::uint64_t, groupsig::Registry>& registries,
                                                     const chain::Digest& request_id,
                                                     const std::vector<RecordToOpen>& records,
                                                     const std::vector<OpeningAnswer>& answers);

}  // namespace hc::client

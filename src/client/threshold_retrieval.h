// A trustees-mode retrieval (issue 13), as `hc access request` and `hc manager retrieve` run it:
// the patient's records are fetched and verified; the version-2 ones are grouped by the key
// epoch of the access key they were sealed to (each key verified, client/access_key_trust.h);
// per key epoch one access request (at most kMaxAccessRequestRecords records, named by id)
// with a fresh one-time requester key is signed by the requester (the manager's admin key, or
// a reader the chain's reader policy lists: client/access_requester.h), posted through the
// manager transaction route and waited for until committed; then
// the trustees' committed answers are polled (GET /v1/access-requests/{id}, verified,
// client/access_request_answer.h) until t valid shares open every record or the timeout ends
// (client/access_reader.h names bad trustees; fewer than t: an error with the count). Nothing
// is decrypted without a committed request. When the epoch has a trustees' opener key and
// every record of the group carries a BBS04-ElGamal signature (and the requester has the
// group's registries to name the member the opening finds), the same request also asks to
// open, and the hospital of each record is the one t trustees' partial openings name
// (client/threshold_opening.h; a bad partial opening names its trustee, fewer than t valid
// ones give an error with the count); otherwise (an epoch without an opener key: its records
// are refused at intake, so only a chain made before that rule has them) the hospital is not
// named, and the output says so: no opener key exists outside the trustees' shares.
// Not thread-safe (the session).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "client/access_reader.h"
#include "client/access_requester.h"
#include "client/manager_session.h"
#include "client/node_client.h"
#include "client/patient_history.h"
#include "client/threshold_opening.h"

namespace hc::client {

struct AnsweredRequest {
  std::string request_id;  // hex
  std::uint64_t height = 0;
  std::uint64_t key_epoch = 0;
  std::size_t records = 0;
  std::vector<std::uint16_t> answered;
  std::vector<crypto::threshold::RejectedShare> rejected;
  bool asked_to_open = false;  // the hospitals of its records come from the trustees' opening
  std::uint64_t reshare_epoch = 0;   // the sharing that answered it (0: the DKG's; client/reshare_trust.h)
  std::size_t seats = 0;             // how many seats that sharing has (its threshold: answered.size() needed >= t)
  std::uint16_t threshold = 0;
};

struct ThresholdRetrieval {
  std::vector<AnsweredRequest> requests;
  PatientHistory history;  // the visits read; version-1 records are listed as unreadable
};

// One step of one access request, for a caller that shows it as it happens (the access
// console): posted (not yet committed), committed at `height`, and each time the number of
// trustees with a committed answer changes.
struct RetrievalProgress {
  enum class Stage { kPosted, kCommitted, kAnswers };
  Stage stage = Stage::kPosted;
  std::string request_id;  // hex
  std::uint64_t height = 0;  // from kCommitted on
  std::uint64_t key_epoch = 0;
  std::size_t records = 0;
  bool asks_to_open = false;
  std::size_t answers = 0;  // trustees whose answer is committed (kAnswers)
};

struct ThresholdRetrievalOptions {
  std::string purpose;                                // checked: client/audit_purpose.h
  std::uint32_t timeout_ms = 60000;                   // for the trustees' answers, per request
  std::function<void(const std::string&)> progress;   // one line per step (may be empty)
  std::function<void(const RetrievalProgress&)> on_step;  // the same steps, structured (may be empty)
};

// `reader` holds a reader token (records by serial); `writer` posts the request. kInvalidInput
// for a single-manager chain, a bad purpose, or no version-2 record under the serial; the
// errors of the steps above otherwise.
Result<ThresholdRetrieval> retrieve_with_trustees(AccessRequester& requester, const NodeClient& reader,
                                                  const NodeClient& writer, const chain::Serial& serial,
                                                  const ThresholdRetrievalOptions& options);

// What a request that asks to open needs to combine the trustees' partial openings.
struct OpeningToAwait {
  crypto::threshold::OpenerKeyPublic key;
  std::map<std::uint64_t, groupsig::Registry> registries;  // by group epoch
  std::vector<RecordToOpen> records;
};

// Waits (bounded) for the answers to a committed request and reads `records` with them; with
// `opening`, also waits for t valid partial openings of each of its records (into `opened`).
// `on_answers` (may be empty) is called with the number of trustees that answered each time
// it changes. `seat_keys` (may be null: the genesis trustee keys) are the keys that sign the
// answers: those of the sharing in force at the request's height, as `key`'s public shares.
Result<ThresholdRead> await_threshold_read(const NodeClient& node, const ChainTrust& trust,
                                           const crypto::threshold::AccessKeyPublic& key,
                                           const std::vector<crypto::P256PointBytes>* seat_keys,
                                           const chain::Digest& request_id, const RequesterKey& requester,
                                           const std::vector<RecordToRead>& records, std::uint32_t timeout_ms,
                                           const OpeningToAwait* opening = nullptr,
                                           ThresholdOpenings* opened = nullptr,
                                           const std::function<void(std::size_t)>& on_answers = {});

}  // namespace hc::client

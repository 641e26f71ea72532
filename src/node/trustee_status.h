// What a trustee's node reports about its work (GET /v1/trustee, docs/api.md): its index, the
// key epoch and the phase of its DKG, the key id once formed, counters of what it posted, and
// its part in the latest resharing (issue 16 item 3): the sharing in force and its seat there.
// Written by the trustee worker (trustee_worker.h), read by the API thread. Plain value.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace hc::node {

enum class TrusteeDkgPhase { kDealing, kComplaints, kFinished, kFailed };
const char* trustee_dkg_phase_name(TrusteeDkgPhase phase);  // "dealing", "complaints", ...

struct TrusteeStatus {
  std::uint16_t trustee_index = 0;
  std::uint16_t trustees = 0;   // m
  std::uint16_t threshold = 0;  // t
  std::uint64_t key_epoch = 0;
  TrusteeDkgPhase phase = TrusteeDkgPhase::kDealing;
  std::string failure;          // kFailed: why the epoch's DKG failed
  std::string key_id_hex;       // kFinished: the access key's id
  bool share_ready = false;     // x_j derived and checked against Y_j
  std::uint64_t scanned_height = 0;  // requests are looked for up to here
  std::uint64_t deals_posted = 0;
  std::uint64_t complaints_posted = 0;
  std::uint64_t requests_answered = 0;  // decryption_shares posted
  std::uint64_t requests_skipped = 0;   // committed requests this trustee could not answer
  std::uint64_t submissions_refused = 0;
  std::string last_error;
  // Resharing.
  std::uint64_t sharing_reshare_epoch = 0;  // the sharing in force now: 0 the DKG's, r a resharing's
  std::uint16_t sharing_seat = 0;           // this node's index in it (0: none)
  std::uint64_t reshare_epoch = 0;          // the latest resharing started (0: none)
  std::string reshare_phase;                // "keys", "deals", "complaints", "formed", "failed"; "" none
  std::uint16_t reshare_new_seat = 0;       // this node's index in the latest resharing's new set (0: none)
  std::uint64_t announcements_posted = 0;
  std::uint64_t reshare_deals_posted = 0;
  std::uint64_t reshare_complaints_posted = 0;
  std::vector<std::uint64_t> key_files_held;  // resharing epochs whose trustee key file exists
  std::uint64_t key_files_erased = 0;
};

}  // namespace hc::node

// What a trustee's node reports about its work (GET /v1/trustee, docs/api.md): its index, the
// key epoch and the phase of its DKG, the key id once formed, and counters of what it posted.
// Written by the trustee worker (trustee_worker.h), read by the API thread. Plain value.
#pragma once

#include <cstdint>
#include <string>

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
};

}  // namespace hc::node

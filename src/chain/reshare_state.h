// The resharing state of the ledger (issue 16 item 3; docs/ledger.md, "Resharing";
// docs/threshold.md, "Resharing", "On the chain"): which trustees hold the shares of a key
// epoch's access key (the *sharing* in force: the DKG's, or a resharing's), the resharings the
// application started at membership changes (their runs), and what each run committed (the
// members' fresh trustee keys, the old trustees' deals, the new trustees' complaints with
// their verdicts) and how it ended. Entries live under "trustees/reshare/" and
// "trustees/sharing/" beside the DKG's (trustee_state.h) and are hashed into the app hash the
// same way; values are canonical (fixed order, big-endian, exact lengths). This module owns
// their keys and encodings and reads them back. Pure functions over a TrusteeStateView
// (thread-safe as its reads).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "chain/opener_dkg_state.h"
#include "chain/trustee_state.h"
#include "crypto/threshold/access_reshare.h"

namespace hc::chain {

// A genesis trustee seat beyond the genesis's replicas belongs to no member.
inline constexpr std::uint32_t kNoMember = 0xFFFFFFFFu;

// Trustee seat j of a sharing: the member that holds it and the P-256 key its shares are boxed
// to and its transactions signed with.
struct TrusteeSeat {
  std::uint32_t member = kNoMember;
  crypto::P256PointBytes key{};
  bool operator==(const TrusteeSeat&) const = default;
};

// Who holds a key epoch's access key and how: the DKG's sharing (reshare_epoch 0: the genesis
// trustees, seat j = genesis trustee key j held by genesis replica j) or a resharing's.
struct TrusteeSharing {
  std::uint64_t key_epoch = 0;
  std::uint64_t reshare_epoch = 0;         // 0: the DKG's sharing
  std::uint64_t in_force_from_height = 0;  // answers requests committed at >= this height
  std::vector<TrusteeSeat> trustees;       // seat j at j-1
  crypto::threshold::AccessKeyPublic access_key;  // Y, key id, t, public shares (chain id, epoch filled)
};

// A resharing the application started at height `started_at_height` (B).
struct ReshareRun {
  std::uint64_t reshare_epoch = 0;
  std::uint64_t key_epoch = 0;
  std::uint64_t started_at_height = 0;
  bool with_opener = false;               // the key epoch has an opener key: deals carry its deal too
  std::uint16_t new_threshold = 0;        // t_new, from the new configuration's size
  std::vector<std::uint32_t> members;     // the new configuration, member order
  bool operator==(const ReshareRun&) const = default;
};

// Announcements in B+1..K, deals in K+1..K+W, complaints up to K+2W; block K+2W+1 finalizes.
// K, the block that closed the announcement window, is the first height >= B+W at which every
// member of the run has announced, B+kReshareAnnouncementMaxBlocks at the latest
// (chain/limits.h). While the window is open (`announcements_closed` false) the heights after
// it are those of the latest possible K: bounds, not the schedule.
struct ReshareSchedule {
  std::uint64_t first_key_height = 0;
  std::uint64_t last_key_height = 0;
  std::uint64_t last_deal_height = 0;
  std::uint64_t last_complaint_height = 0;
  std::uint64_t finalize_height = 0;
  bool announcements_closed = false;
};
ReshareSchedule reshare_schedule(const ReshareRun& run, std::optional<std::uint64_t> announcements_closed_at);
// True when the block at `height`, after which `announced` members of the run have announced,
// closes its announcement window (the run's window is still open before it).
bool reshare_announcements_close_at(const ReshareRun& run, std::uint64_t height, std::size_t announced);

struct ReshareAnnouncement {
  std::uint32_t member = 0;
  crypto::P256PointBytes key{};
  bool operator==(const ReshareAnnouncement&) const = default;
};

// How a resharing ended (stored by its finalizing block).
struct ReshareRecord {
  std::uint64_t reshare_epoch = 0;
  std::uint64_t key_epoch = 0;
  std::uint64_t finalized_at_height = 0;
  std::optional<TrusteeSharing> formed;  // the new sharing, in force from finalized_at_height + 1
  std::vector<std::uint16_t> qualified, wrong_constant, disqualified, absent, rejected_complainers;
  std::string failure;  // set when !formed: the old sharing stays in force
};

// The setting of a run's deal window: the sharing being reshared, the new seats (members that
// announced, in member order) and the access key's ReshareParams.
struct ReshareSetting {
  TrusteeSharing old_sharing;
  std::vector<TrusteeSeat> new_trustees;
  crypto::threshold::AccessReshareParams params;
};

// Entries for StateChanges::trustee_entries.
TrusteeStateEntry latest_reshare_entry(std::uint64_t reshare_epoch);
TrusteeStateEntry reshare_run_entry(const ReshareRun& run);
TrusteeStateEntry reshare_key_entry(std::uint64_t reshare_epoch, const ReshareAnnouncement& announcement);
TrusteeStateEntry reshare_announcements_closed_entry(std::uint64_t reshare_epoch, std::uint64_t height);
TrusteeStateEntry reshare_deal_entry(std::uint64_t reshare_epoch, std::uint16_t dealer, const Bytes& deal);
TrusteeStateEntry opener_reshare_deal_entry(std::uint64_t reshare_epoch, std::uint16_t dealer, const Bytes& deal);
TrusteeStateEntry reshare_complaint_entry(std::uint64_t reshare_epoch, const StoredComplaint& complaint);
TrusteeStateEntry opener_reshare_complaint_entry(std::uint64_t reshare_epoch, const StoredOpenerComplaint& complaint);
TrusteeStateEntry reshare_outcome_entry(const ReshareRecord& record);
TrusteeStateEntry sharing_entry(const TrusteeSharing& sharing);

Bytes encode_reshare_run(const ReshareRun& run);
Result<ReshareRun> decode_reshare_run(ByteSpan bytes);
Bytes encode_trustee_sharing(const TrusteeSharing& sharing);
Result<TrusteeSharing> decode_trustee_sharing(ByteSpan bytes);
Bytes encode_reshare_record(const ReshareRecord& record);
Result<ReshareRecord> decode_reshare_record(ByteSpan bytes);

// Readers; kCorrupt when a stored value does not decode.
// The DKG's sharing of `key_epoch` (seats from the genesis), nullopt without a formed key.
Result<std::optional<TrusteeSharing>> read_dkg_sharing(const TrusteeStateView& state, std::uint64_t key_epoch);
// The sharing that answers requests of `key_epoch` committed at `request_height`.
Result<std::optional<TrusteeSharing>> read_sharing_in_force(const TrusteeStateView& state, std::uint64_t key_epoch,
                                                            std::uint64_t request_height);
// The latest sharing of `key_epoch` (the one later requests get).
Result<std::optional<TrusteeSharing>> read_latest_sharing(const TrusteeStateView& state, std::uint64_t key_epoch);
// Every sharing of `key_epoch`, the DKG's first, in force-from order.
Result<std::vector<TrusteeSharing>> read_sharings(const TrusteeStateView& state, std::uint64_t key_epoch);

Result<std::optional<ReshareRun>> read_reshare_run(const TrusteeStateView& state, std::uint64_t reshare_epoch);
Result<std::optional<ReshareRun>> read_latest_reshare_run(const TrusteeStateView& state);
// The height of the block that closed the run's announcement window, nullopt while it is open.
Result<std::optional<std::uint64_t>> read_announcements_closed_at(const TrusteeStateView& state,
                                                                  std::uint64_t reshare_epoch);
// The run's schedule as the state knows it (reshare_schedule with the closing height).
Result<ReshareSchedule> read_reshare_schedule(const TrusteeStateView& state, const ReshareRun& run);
// The latest run if it has not finalized by `committed_height` (the state's height).
Result<std::optional<ReshareRun>> read_running_reshare(const TrusteeStateView& state, std::uint64_t committed_height);

// The key `member` signs its announcement with: its seat's key in the latest sharing of
// `key_epoch`, else the enrollment key its join request named; nullopt if neither.
Result<std::optional<crypto::P256PointBytes>> current_trustee_key_of(const TrusteeStateView& state,
                                                                     std::uint64_t key_epoch, std::uint32_t member);

// Every announcement of the run, by member (ascending id).
Result<std::vector<ReshareAnnouncement>> read_reshare_keys(const TrusteeStateView& state, std::uint64_t reshare_epoch);
// The run's setting once its announcement window has closed (by `committed_height`):
// kUnavailable while it is open; kInvalidInput "resharing r failed: only N of the t_new = K
// needed members announced a trustee key" when too few did.
Result<ReshareSetting> reshare_setting(const TrusteeStateView& state, const ReshareRun& run,
                                       std::uint64_t committed_height);

Result<std::optional<Bytes>> read_reshare_deal(const TrusteeStateView& state, std::uint64_t reshare_epoch,
                                               std::uint16_t dealer);
// By dealer, ascending.
Result<std::vector<std::pair<std::uint16_t, Bytes>>> read_reshare_deals(const TrusteeStateView& state,
                                                                        std::uint64_t reshare_epoch);
Result<std::vector<std::pair<std::uint16_t, Bytes>>> read_opener_reshare_deals(const TrusteeStateView& state,
                                                                               std::uint64_t reshare_epoch);
// By (complainer, dealer), ascending.
Result<std::vector<StoredComplaint>> read_reshare_complaints(const TrusteeStateView& state, std::uint64_t reshare_epoch);
Result<std::vector<StoredOpenerComplaint>> read_opener_reshare_complaints(const TrusteeStateView& state,
                                                                          std::uint64_t reshare_epoch);
Result<std::optional<ReshareRecord>> read_reshare_outcome(const TrusteeStateView& state, std::uint64_t reshare_epoch);

// True while a resharing runs (its windows count blocks; HealthchainApp::wants_block).
Result<bool> reshare_wants_blocks(const TrusteeStateView& state, std::uint64_t committed_height);

}  // namespace hc::chain

#include "chain/reshare_state.h"

#include <algorithm>

#include "chain/codec.h"
#include "chain/governance_state.h"
#include "chain/limits.h"
#include "chain/trustee_state_keys.h"
#include "crypto/threshold/wire.h"

namespace hc::chain {

namespace {
using trustee_state_keys::append_indices;
using trustee_state_keys::epoch_key;
using trustee_state_keys::name_key;
using trustee_state_keys::read_indices;
using trustee_state_keys::u16_at;

constexpr std::string_view kRsLatestName = "trustees/reshare/latest";
constexpr std::string_view kRsRunPrefix = "trustees/reshare/run/";
constexpr std::string_view kRsKeyPrefix = "trustees/reshare/key/";
constexpr std::string_view kRsClosedPrefix = "trustees/reshare/announcements_closed/";
constexpr std::string_view kRsDealPrefix = "trustees/reshare/deal/";
constexpr std::string_view kRsOpenerDealPrefix = "trustees/reshare/opener_deal/";
constexpr std::string_view kRsComplaintPrefix = "trustees/reshare/complaint/";
constexpr std::string_view kRsOpenerComplaintPrefix = "trustees/reshare/opener_complaint/";
constexpr std::string_view kRsOutcomePrefix = "trustees/reshare/outcome/";
constexpr std::string_view kRsSharingPrefix = "trustees/sharing/";
// At most 64 announcements or deals and 64 x 64 complaints per resharing; sharings per key
// epoch are bounded by the resharings, one per membership change.
constexpr std::size_t kRsMaxReshareScanEntries = kMaxChainTrustees * kMaxChainTrustees + 1;
constexpr std::size_t kRsMaxSharingScanEntries = 1u << 16;
constexpr std::size_t kRsMaxFailureBytes = 4096;

Status rs_reshare_corrupt(const std::string& what) {
  return Status::error(ErrorCode::kCorrupt, "store: resharing state: " + what);
}

std::uint32_t rs_u32_at(ByteSpan key, std::size_t offset) {
  return (std::uint32_t{key[offset]} << 24) | (std::uint32_t{key[offset + 1]} << 16) |
         (std::uint32_t{key[offset + 2]} << 8) | std::uint32_t{key[offset + 3]};
}

// Entries under `prefix` whose keys are the prefix plus `suffix_bytes`.
Result<std::vector<std::pair<Bytes, Bytes>>> rs_scan(const TrusteeStateView& state, const Bytes& prefix,
                                                  std::size_t suffix_bytes, std::size_t max) {
  HC_ASSIGN_OR_RETURN(auto entries, state.trustee_entries(prefix, max));
  for (const auto& [key, value] : entries) {
    if (key.size() != prefix.size() + suffix_bytes) return rs_reshare_corrupt("bad key under " + std::string(prefix.begin(), prefix.end()));
  }
  return entries;
}

Result<std::vector<std::pair<std::uint16_t, Bytes>>> rs_read_deals_under(const TrusteeStateView& state, std::string_view prefix,
                                                                      std::uint64_t reshare_epoch) {
  const Bytes p = epoch_key(prefix, reshare_epoch);
  HC_ASSIGN_OR_RETURN(auto entries, rs_scan(state, p, 2, kRsMaxReshareScanEntries));
  std::vector<std::pair<std::uint16_t, Bytes>> out;
  for (auto& [key, value] : entries) out.emplace_back(u16_at(key, p.size()), std::move(value));
  return out;
}

Result<std::optional<std::uint64_t>> rs_read_u64_entry(const TrusteeStateView& state, const Bytes& key) {
  HC_ASSIGN_OR_RETURN(auto raw, state.trustee_entry(key));
  if (!raw) return std::optional<std::uint64_t>();
  Reader in(*raw);
  auto v = in.u64("value");
  if (!v.ok() || !in.finish("value").ok()) return rs_reshare_corrupt("bad u64 entry");
  return std::optional<std::uint64_t>(*v);
}

void rs_append_sharing(Bytes& out, const TrusteeSharing& s) {
  append_u64_be(out, s.key_epoch);
  append_u64_be(out, s.reshare_epoch);
  append_u64_be(out, s.in_force_from_height);
  append_u16_be(out, s.access_key.threshold);
  append_bytes(out, s.access_key.key_id);
  crypto::threshold::append_point(out, s.access_key.group_key);
  append_u8(out, static_cast<std::uint8_t>(s.trustees.size()));
  for (std::size_t j = 0; j < s.trustees.size(); ++j) {
    append_u32_be(out, s.trustees[j].member);
    append_bytes(out, s.trustees[j].key);
    crypto::threshold::append_point(out, s.access_key.public_shares[j]);
  }
}

Result<TrusteeSharing> rs_read_sharing(Reader& in) {
  TrusteeSharing s;
  HC_ASSIGN_OR_RETURN(s.key_epoch, in.u64("key epoch"));
  HC_ASSIGN_OR_RETURN(s.reshare_epoch, in.u64("reshare epoch"));
  HC_ASSIGN_OR_RETURN(s.in_force_from_height, in.u64("in force from"));
  HC_ASSIGN_OR_RETURN(s.access_key.threshold, in.u16("threshold"));
  HC_ASSIGN_OR_RETURN(s.access_key.key_id, in.array<32>("key id"));
  HC_ASSIGN_OR_RETURN(s.access_key.group_key, crypto::threshold::read_point(in, "access key"));
  HC_ASSIGN_OR_RETURN(std::uint8_t m, in.u8("trustee count"));
  if (m == 0 || m > kMaxChainTrustees || s.access_key.threshold == 0 || s.access_key.threshold > m) {
    return invalid_input("sharing: trustee count or threshold out of range");
  }
  for (std::uint8_t j = 0; j < m; ++j) {
    TrusteeSeat seat;
    HC_ASSIGN_OR_RETURN(seat.member, in.u32("member"));
    HC_ASSIGN_OR_RETURN(seat.key, in.array<crypto::kP256PointBytes>("trustee key"));
    HC_ASSIGN_OR_RETURN(auto share, crypto::threshold::read_point(in, "public share"));
    s.trustees.push_back(seat);
    s.access_key.public_shares.push_back(share);
  }
  s.access_key.epoch = s.key_epoch;
  return s;
}
}  // namespace

ReshareSchedule reshare_schedule(const ReshareRun& run, std::optional<std::uint64_t> announcements_closed_at) {
  const std::uint64_t k = announcements_closed_at.value_or(run.started_at_height + kReshareAnnouncementMaxBlocks);
  const std::uint64_t w = kDkgWindowBlocks;
  return ReshareSchedule{run.started_at_height + 1, k, k + w, k + 2 * w, k + 2 * w + 1,
                         announcements_closed_at.has_value()};
}

bool reshare_announcements_close_at(const ReshareRun& run, std::uint64_t height, std::size_t announced) {
  const std::uint64_t b = run.started_at_height;
  if (height < b + kDkgWindowBlocks || height > b + kReshareAnnouncementMaxBlocks) return false;
  return announced >= run.members.size() || height == b + kReshareAnnouncementMaxBlocks;
}

TrusteeStateEntry latest_reshare_entry(std::uint64_t reshare_epoch) {
  Bytes value;
  append_u64_be(value, reshare_epoch);
  return TrusteeStateEntry{name_key(kRsLatestName), value};
}

// u64 r | u64 key epoch | u64 started at | u8 with opener | u16 t_new | u16 n | n x u32 member
Bytes encode_reshare_run(const ReshareRun& run) {
  Bytes out;
  append_u64_be(out, run.reshare_epoch);
  append_u64_be(out, run.key_epoch);
  append_u64_be(out, run.started_at_height);
  append_u8(out, run.with_opener ? 1 : 0);
  append_u16_be(out, run.new_threshold);
  append_u16_be(out, static_cast<std::uint16_t>(run.members.size()));
  for (std::uint32_t m : run.members) append_u32_be(out, m);
  return out;
}

Result<ReshareRun> decode_reshare_run(ByteSpan bytes) {
  Reader in(bytes);
  ReshareRun run;
  HC_ASSIGN_OR_RETURN(run.reshare_epoch, in.u64("reshare epoch"));
  HC_ASSIGN_OR_RETURN(run.key_epoch, in.u64("key epoch"));
  HC_ASSIGN_OR_RETURN(run.started_at_height, in.u64("started at"));
  HC_ASSIGN_OR_RETURN(std::uint8_t with_opener, in.u8("with opener"));
  if (with_opener > 1) return invalid_input("reshare run: bad opener flag");
  run.with_opener = with_opener == 1;
  HC_ASSIGN_OR_RETURN(run.new_threshold, in.u16("new threshold"));
  HC_ASSIGN_OR_RETURN(std::uint16_t n, in.u16("member count"));
  if (n == 0 || n > kMaxReplicas) return invalid_input("reshare run: member count out of range");
  for (std::uint16_t i = 0; i < n; ++i) {
    HC_ASSIGN_OR_RETURN(std::uint32_t m, in.u32("member"));
    run.members.push_back(m);
  }
  HC_RETURN_IF_ERROR(in.finish("reshare run"));
  return run;
}

TrusteeStateEntry reshare_run_entry(const ReshareRun& run) {
  return TrusteeStateEntry{epoch_key(kRsRunPrefix, run.reshare_epoch), encode_reshare_run(run)};
}

TrusteeStateEntry reshare_key_entry(std::uint64_t reshare_epoch, const ReshareAnnouncement& a) {
  Bytes key = epoch_key(kRsKeyPrefix, reshare_epoch);
  append_u32_be(key, a.member);
  return TrusteeStateEntry{key, Bytes(a.key.begin(), a.key.end())};
}

TrusteeStateEntry reshare_announcements_closed_entry(std::uint64_t reshare_epoch, std::uint64_t height) {
  Bytes value;
  append_u64_be(value, height);
  return TrusteeStateEntry{epoch_key(kRsClosedPrefix, reshare_epoch), value};
}

TrusteeStateEntry reshare_deal_entry(std::uint64_t reshare_epoch, std::uint16_t dealer, const Bytes& deal) {
  Bytes key = epoch_key(kRsDealPrefix, reshare_epoch);
  append_u16_be(key, dealer);
  return TrusteeStateEntry{key, deal};
}

TrusteeStateEntry opener_reshare_deal_entry(std::uint64_t reshare_epoch, std::uint16_t dealer, const Bytes& deal) {
  Bytes key = epoch_key(kRsOpenerDealPrefix, reshare_epoch);
  append_u16_be(key, dealer);
  return TrusteeStateEntry{key, deal};
}

TrusteeStateEntry reshare_complaint_entry(std::uint64_t reshare_epoch, const StoredComplaint& c) {
  Bytes key = epoch_key(kRsComplaintPrefix, reshare_epoch);
  append_u16_be(key, c.complainer);
  append_u16_be(key, c.dealer);
  Bytes value{static_cast<std::uint8_t>(c.status)};
  append_bytes(value, c.complaint);
  return TrusteeStateEntry{key, value};
}

TrusteeStateEntry opener_reshare_complaint_entry(std::uint64_t reshare_epoch, const StoredOpenerComplaint& c) {
  Bytes key = epoch_key(kRsOpenerComplaintPrefix, reshare_epoch);
  append_u16_be(key, c.complainer);
  append_u16_be(key, c.dealer);
  return TrusteeStateEntry{key, c.complaint};
}

// u64 r | u64 key epoch | u64 finalized at | u8 formed (1) or failed (0) | formed: u16 length +
// the sharing, then qualified, wrong constant, disqualified, absent, rejected complainers (each
// u8 n | n x u16); failed: bytes16(reason).
Bytes encode_reshare_record(const ReshareRecord& r) {
  Bytes out;
  append_u64_be(out, r.reshare_epoch);
  append_u64_be(out, r.key_epoch);
  append_u64_be(out, r.finalized_at_height);
  append_u8(out, r.formed ? 1 : 0);
  if (!r.formed) {
    const std::string reason = r.failure.substr(0, kRsMaxFailureBytes);
    append_u16_be(out, static_cast<std::uint16_t>(reason.size()));
    append_bytes(out, bytes_of(reason));
    return out;
  }
  Bytes sharing = encode_trustee_sharing(*r.formed);
  append_u16_be(out, static_cast<std::uint16_t>(sharing.size()));
  append_bytes(out, sharing);
  append_indices(out, r.qualified);
  append_indices(out, r.wrong_constant);
  append_indices(out, r.disqualified);
  append_indices(out, r.absent);
  append_indices(out, r.rejected_complainers);
  return out;
}

Result<ReshareRecord> decode_reshare_record(ByteSpan bytes) {
  Reader in(bytes);
  ReshareRecord r;
  HC_ASSIGN_OR_RETURN(r.reshare_epoch, in.u64("reshare epoch"));
  HC_ASSIGN_OR_RETURN(r.key_epoch, in.u64("key epoch"));
  HC_ASSIGN_OR_RETURN(r.finalized_at_height, in.u64("finalized at"));
  HC_ASSIGN_OR_RETURN(std::uint8_t formed, in.u8("formed"));
  if (formed > 1) return invalid_input("reshare outcome: bad formed flag");
  if (formed == 0) {
    HC_ASSIGN_OR_RETURN(Bytes reason, in.bytes16(1, kRsMaxFailureBytes, "failure"));
    r.failure.assign(reason.begin(), reason.end());
  } else {
    HC_ASSIGN_OR_RETURN(Bytes sharing, in.bytes16(1, 65535, "sharing"));
    HC_ASSIGN_OR_RETURN(TrusteeSharing s, decode_trustee_sharing(sharing));
    r.formed = std::move(s);
    HC_ASSIGN_OR_RETURN(r.qualified, read_indices(in, "qualified"));
    HC_ASSIGN_OR_RETURN(r.wrong_constant, read_indices(in, "wrong constant"));
    HC_ASSIGN_OR_RETURN(r.disqualified, read_indices(in, "disqualified"));
    HC_ASSIGN_OR_RETURN(r.absent, read_indices(in, "absent"));
    HC_ASSIGN_OR_RETURN(r.rejected_complainers, read_indices(in, "rejected complainers"));
  }
  HC_RETURN_IF_ERROR(in.finish("reshare outcome"));
  return r;
}

TrusteeStateEntry reshare_outcome_entry(const ReshareRecord& record) {
  return TrusteeStateEntry{epoch_key(kRsOutcomePrefix, record.reshare_epoch), encode_reshare_record(record)};
}

// u64 key epoch | u64 reshare epoch | u64 in force from | u16 t | key id 32 | Y 65 | u8 m |
// m x (u32 member | trustee key 65 | public share 65)
Bytes encode_trustee_sharing(const TrusteeSharing& sharing) {
  Bytes out;
  rs_append_sharing(out, sharing);
  return out;
}

Result<TrusteeSharing> decode_trustee_sharing(ByteSpan bytes) {
  Reader in(bytes);
  HC_ASSIGN_OR_RETURN(TrusteeSharing s, rs_read_sharing(in));
  HC_RETURN_IF_ERROR(in.finish("sharing"));
  return s;
}

TrusteeStateEntry sharing_entry(const TrusteeSharing& sharing) {
  Bytes key = epoch_key(kRsSharingPrefix, sharing.key_epoch);
  append_u64_be(key, sharing.in_force_from_height);
  return TrusteeStateEntry{key, encode_trustee_sharing(sharing)};
}

Result<std::optional<TrusteeSharing>> read_dkg_sharing(const TrusteeStateView& state, std::uint64_t key_epoch) {
  HC_ASSIGN_OR_RETURN(auto outcome, read_outcome(state, key_epoch));
  if (!outcome || !outcome->formed) return std::optional<TrusteeSharing>();
  const Genesis& g = state.genesis();
  TrusteeSharing s;
  s.key_epoch = key_epoch;
  s.access_key = outcome->formed->key;
  for (std::size_t j = 0; j < g.trustee_keys.size(); ++j) {
    s.trustees.push_back(TrusteeSeat{j < g.replicas.size() ? g.replicas[j].id : kNoMember, g.trustee_keys[j]});
  }
  return std::optional<TrusteeSharing>(std::move(s));
}

Result<std::vector<TrusteeSharing>> read_sharings(const TrusteeStateView& state, std::uint64_t key_epoch) {
  std::vector<TrusteeSharing> out;
  HC_ASSIGN_OR_RETURN(auto dkg, read_dkg_sharing(state, key_epoch));
  if (!dkg) return out;
  out.push_back(std::move(*dkg));
  const Bytes prefix = epoch_key(kRsSharingPrefix, key_epoch);
  HC_ASSIGN_OR_RETURN(auto entries, rs_scan(state, prefix, 8, kRsMaxSharingScanEntries));
  for (auto& [key, value] : entries) {
    auto s = decode_trustee_sharing(value);
    if (!s.ok() || s->key_epoch != key_epoch) return rs_reshare_corrupt("bad sharing entry");
    s->access_key.chain_id = state.genesis_hash();
    out.push_back(std::move(s).value());
  }
  return out;
}

Result<std::optional<TrusteeSharing>> read_sharing_in_force(const TrusteeStateView& state, std::uint64_t key_epoch,
                                                            std::uint64_t request_height) {
  HC_ASSIGN_OR_RETURN(auto all, read_sharings(state, key_epoch));
  std::optional<TrusteeSharing> in_force;
  for (auto& s : all) {
    if (s.in_force_from_height <= request_height) in_force = std::move(s);
  }
  return in_force;
}

Result<std::optional<TrusteeSharing>> read_latest_sharing(const TrusteeStateView& state, std::uint64_t key_epoch) {
  HC_ASSIGN_OR_RETURN(auto all, read_sharings(state, key_epoch));
  if (all.empty()) return std::optional<TrusteeSharing>();
  return std::optional<TrusteeSharing>(std::move(all.back()));
}

Result<std::optional<ReshareRun>> read_reshare_run(const TrusteeStateView& state, std::uint64_t reshare_epoch) {
  HC_ASSIGN_OR_RETURN(auto raw, state.trustee_entry(epoch_key(kRsRunPrefix, reshare_epoch)));
  if (!raw) return std::optional<ReshareRun>();
  auto run = decode_reshare_run(*raw);
  if (!run.ok() || run->reshare_epoch != reshare_epoch) return rs_reshare_corrupt("bad run entry");
  return std::optional<ReshareRun>(std::move(run).value());
}

Result<std::optional<ReshareRun>> read_latest_reshare_run(const TrusteeStateView& state) {
  HC_ASSIGN_OR_RETURN(auto latest, rs_read_u64_entry(state, name_key(kRsLatestName)));
  if (!latest) return std::optional<ReshareRun>();
  HC_ASSIGN_OR_RETURN(auto run, read_reshare_run(state, *latest));
  if (!run) return rs_reshare_corrupt("the latest resharing has no run");
  return run;
}

Result<std::optional<std::uint64_t>> read_announcements_closed_at(const TrusteeStateView& state,
                                                                  std::uint64_t reshare_epoch) {
  return rs_read_u64_entry(state, epoch_key(kRsClosedPrefix, reshare_epoch));
}

Result<ReshareSchedule> read_reshare_schedule(const TrusteeStateView& state, const ReshareRun& run) {
  HC_ASSIGN_OR_RETURN(auto closed_at, read_announcements_closed_at(state, run.reshare_epoch));
  return reshare_schedule(run, closed_at);
}

Result<std::optional<ReshareRun>> read_running_reshare(const TrusteeStateView& state, std::uint64_t committed_height) {
  HC_ASSIGN_OR_RETURN(auto run, read_latest_reshare_run(state));
  if (!run) return run;
  HC_ASSIGN_OR_RETURN(ReshareSchedule schedule, read_reshare_schedule(state, *run));
  if (committed_height >= schedule.finalize_height) return std::optional<ReshareRun>();
  return run;
}

Result<std::optional<crypto::P256PointBytes>> current_trustee_key_of(const TrusteeStateView& state,
                                                                     std::uint64_t key_epoch, std::uint32_t member) {
  HC_ASSIGN_OR_RETURN(auto sharing, read_latest_sharing(state, key_epoch));
  if (sharing) {
    for (const TrusteeSeat& seat : sharing->trustees) {
      if (seat.member == member) return std::optional<crypto::P256PointBytes>(seat.key);
    }
  }
  HC_ASSIGN_OR_RETURN(auto joined, read_member(state, member));
  if (!joined || !joined->enrollment_key) return std::optional<crypto::P256PointBytes>();
  return std::optional<crypto::P256PointBytes>(*joined->enrollment_key);
}

Result<std::vector<ReshareAnnouncement>> read_reshare_keys(const TrusteeStateView& state, std::uint64_t reshare_epoch) {
  const Bytes prefix = epoch_key(kRsKeyPrefix, reshare_epoch);
  HC_ASSIGN_OR_RETURN(auto entries, rs_scan(state, prefix, 4, kRsMaxReshareScanEntries));
  std::vector<ReshareAnnouncement> out;
  for (auto& [key, value] : entries) {
    if (value.size() != crypto::kP256PointBytes) return rs_reshare_corrupt("bad announcement");
    ReshareAnnouncement a;
    a.member = rs_u32_at(key, prefix.size());
    std::copy(value.begin(), value.end(), a.key.begin());
    out.push_back(a);
  }
  return out;
}

Result<ReshareSetting> reshare_setting(const TrusteeStateView& state, const ReshareRun& run,
                                       std::uint64_t committed_height) {
  HC_ASSIGN_OR_RETURN(ReshareSchedule s, read_reshare_schedule(state, run));
  if (!s.announcements_closed || committed_height < s.last_key_height) {
    return Status::error(ErrorCode::kUnavailable, "resharing " + std::to_string(run.reshare_epoch) +
                                                      ": the announcement window is open (it closes once every "
                                                      "member announced, at height " +
                                                      std::to_string(s.last_key_height) + " at the latest)");
  }
  ReshareSetting setting;
  // The sharing in force when the announcements start (a run started at the finalizing block
  // of the one before reshares that one's outcome, in force from the next height).
  HC_ASSIGN_OR_RETURN(auto old_sharing, read_sharing_in_force(state, run.key_epoch, run.started_at_height + 1));
  if (!old_sharing) return rs_reshare_corrupt("resharing of a key epoch without a formed key");
  setting.old_sharing = std::move(*old_sharing);
  HC_ASSIGN_OR_RETURN(auto announced, read_reshare_keys(state, run.reshare_epoch));
  for (std::uint32_t member : run.members) {
    auto it = std::find_if(announced.begin(), announced.end(), [&](const auto& a) { return a.member == member; });
    if (it != announced.end()) setting.new_trustees.push_back(TrusteeSeat{member, it->key});
  }
  if (setting.new_trustees.size() < run.new_threshold) {
    return invalid_input("resharing " + std::to_string(run.reshare_epoch) + " failed: only " +
                         std::to_string(setting.new_trustees.size()) + " of the t_new = " +
                         std::to_string(run.new_threshold) + " needed members announced a trustee key");
  }
  setting.params.old_key = setting.old_sharing.access_key;
  setting.params.reshare_epoch = run.reshare_epoch;
  setting.params.new_trustees.chain_id = state.genesis_hash();
  setting.params.new_trustees.epoch = run.key_epoch;
  setting.params.new_trustees.threshold = run.new_threshold;
  for (const TrusteeSeat& seat : setting.new_trustees) {
    auto point = crypto::P256Point::decode(seat.key);
    if (!point.ok()) return rs_reshare_corrupt("an announced key is not a point");
    setting.params.new_trustees.trustee_keys.push_back(*point);
  }
  return setting;
}

Result<std::optional<Bytes>> read_reshare_deal(const TrusteeStateView& state, std::uint64_t reshare_epoch,
                                               std::uint16_t dealer) {
  return state.trustee_entry(reshare_deal_entry(reshare_epoch, dealer, {}).key);
}

Result<std::vector<std::pair<std::uint16_t, Bytes>>> read_reshare_deals(const TrusteeStateView& state,
                                                                        std::uint64_t reshare_epoch) {
  return rs_read_deals_under(state, kRsDealPrefix, reshare_epoch);
}

Result<std::vector<std::pair<std::uint16_t, Bytes>>> read_opener_reshare_deals(const TrusteeStateView& state,
                                                                               std::uint64_t reshare_epoch) {
  return rs_read_deals_under(state, kRsOpenerDealPrefix, reshare_epoch);
}

Result<std::vector<StoredComplaint>> read_reshare_complaints(const TrusteeStateView& state, std::uint64_t reshare_epoch) {
  const Bytes prefix = epoch_key(kRsComplaintPrefix, reshare_epoch);
  HC_ASSIGN_OR_RETURN(auto entries, rs_scan(state, prefix, 4, kRsMaxReshareScanEntries));
  std::vector<StoredComplaint> out;
  for (auto& [key, value] : entries) {
    if (value.empty() || value[0] < 1 || value[0] > 3) return rs_reshare_corrupt("bad complaint entry");
    StoredComplaint c;
    c.complainer = u16_at(key, prefix.size());
    c.dealer = u16_at(key, prefix.size() + 2);
    c.status = static_cast<ComplaintStatus>(value[0]);
    c.complaint.assign(value.begin() + 1, value.end());
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::vector<StoredOpenerComplaint>> read_opener_reshare_complaints(const TrusteeStateView& state,
                                                                          std::uint64_t reshare_epoch) {
  const Bytes prefix = epoch_key(kRsOpenerComplaintPrefix, reshare_epoch);
  HC_ASSIGN_OR_RETURN(auto entries, rs_scan(state, prefix, 4, kRsMaxReshareScanEntries));
  std::vector<StoredOpenerComplaint> out;
  for (auto& [key, value] : entries) {
    out.push_back(StoredOpenerComplaint{u16_at(key, prefix.size()), u16_at(key, prefix.size() + 2), std::move(value)});
  }
  return out;
}

Result<std::optional<ReshareRecord>> read_reshare_outcome(const TrusteeStateView& state, std::uint64_t reshare_epoch) {
  HC_ASSIGN_OR_RETURN(auto raw, state.trustee_entry(epoch_key(kRsOutcomePrefix, reshare_epoch)));
  if (!raw) return std::optional<ReshareRecord>();
  auto record = decode_reshare_record(*raw);
  if (!record.ok() || record->reshare_epoch != reshare_epoch) return rs_reshare_corrupt("bad outcome entry");
  if (record->formed) record->formed->access_key.chain_id = state.genesis_hash();
  return std::optional<ReshareRecord>(std::move(record).value());
}

Result<bool> reshare_wants_blocks(const TrusteeStateView& state, std::uint64_t committed_height) {
  HC_ASSIGN_OR_RETURN(auto running, read_running_reshare(state, committed_height));
  return running.has_value();
}

}  // namespace hc::chain

#include "chain/trustee_state.h"

#include <algorithm>

#include "chain/codec.h"
#include "chain/limits.h"
#include "chain/trustee_state_keys.h"
#include "crypto/threshold/wire.h"

namespace hc::chain {

namespace {
using trustee_state_keys::append_indices;
using trustee_state_keys::trustee_state_corrupt;
using trustee_state_keys::epoch_key;
using trustee_state_keys::name_key;
using trustee_state_keys::read_indices;

constexpr std::string_view kKeyEpochName = "trustees/key_epoch";
constexpr std::string_view kDealPrefix = "trustees/deal/";
constexpr std::string_view kComplaintPrefix = "trustees/complaint/";
constexpr std::string_view kOutcomePrefix = "trustees/outcome/";
constexpr std::string_view kCurrentKeyName = "trustees/current_access_key";
constexpr std::string_view kAnswerPrefix = "trustees/answer/";
constexpr std::string_view kAccessKeyIdPrefix = "trustees/access_key_id/";
// At most m deals and m*m complaints per epoch, m answers per request.
constexpr std::size_t kMaxTrusteeScanEntries = kMaxChainTrustees * kMaxChainTrustees + 1;

Result<std::uint16_t> checked_u16_at(ByteSpan key, std::size_t offset) {
  if (key.size() < offset + 2) return trustee_state_corrupt("short key");
  return trustee_state_keys::u16_at(key, offset);
}
}  // namespace

Result<std::optional<Bytes>> MemoryTrusteeView::trustee_entry(ByteSpan key) const {
  auto it = entries_.find(Bytes(key.begin(), key.end()));
  if (it == entries_.end()) return std::optional<Bytes>();
  return std::optional<Bytes>(it->second);
}

Result<std::vector<std::pair<Bytes, Bytes>>> MemoryTrusteeView::trustee_entries(ByteSpan prefix, std::size_t max) const {
  std::vector<std::pair<Bytes, Bytes>> out;
  for (auto it = entries_.lower_bound(Bytes(prefix.begin(), prefix.end())); it != entries_.end(); ++it) {
    if (it->first.size() < prefix.size() || !std::equal(prefix.begin(), prefix.end(), it->first.begin())) break;
    if (out.size() == max) return Status::error(ErrorCode::kTooLarge, "trustees state: too many entries under one prefix");
    out.push_back(*it);
  }
  return out;
}

void MemoryTrusteeView::apply(const std::vector<TrusteeStateEntry>& entries) {
  for (const TrusteeStateEntry& e : entries) entries_[e.key] = e.value;
}

DkgSchedule dkg_schedule(const KeyEpochState& e) {
  const std::uint64_t h0 = e.started_at_height;
  return DkgSchedule{h0 + 1, h0 + kDkgWindowBlocks, h0 + 2 * kDkgWindowBlocks, h0 + 2 * kDkgWindowBlocks + 1};
}

const char* complaint_status_name(ComplaintStatus status) {
  switch (status) {
    case ComplaintStatus::kConvictsDealer:
      return "convicts the dealer";
    case ComplaintStatus::kUnfounded:
      return "unfounded";
    case ComplaintStatus::kInvalid:
      return "invalid";
  }
  return "unknown";
}

crypto::threshold::DkgParams dkg_params_for(const Genesis& genesis, const Digest& chain_id, std::uint64_t key_epoch) {
  crypto::threshold::DkgParams params;
  params.chain_id = chain_id;
  params.epoch = key_epoch;
  params.threshold = genesis.trustee_threshold;
  for (const auto& key : genesis.trustee_keys) {
    auto point = crypto::P256Point::decode(key);
    HC_CHECK(point.ok());  // check_genesis decoded every trustee key
    params.trustee_keys.push_back(*point);
  }
  return params;
}

TrusteeStateEntry key_epoch_entry(const KeyEpochState& e) {
  Bytes value;
  append_u64_be(value, e.key_epoch);
  append_u64_be(value, e.started_at_height);
  return TrusteeStateEntry{name_key(kKeyEpochName), value};
}

TrusteeStateEntry deal_entry(std::uint64_t key_epoch, std::uint16_t dealer, const Bytes& deal) {
  Bytes key = epoch_key(kDealPrefix, key_epoch);
  append_u16_be(key, dealer);
  return TrusteeStateEntry{key, deal};
}

TrusteeStateEntry complaint_entry(std::uint64_t key_epoch, const StoredComplaint& c) {
  Bytes key = epoch_key(kComplaintPrefix, key_epoch);
  append_u16_be(key, c.complainer);
  append_u16_be(key, c.dealer);
  Bytes value{static_cast<std::uint8_t>(c.status)};
  append_bytes(value, c.complaint);
  return TrusteeStateEntry{key, value};
}

TrusteeStateEntry outcome_entry(const KeyEpochOutcome& outcome) {
  return TrusteeStateEntry{epoch_key(kOutcomePrefix, outcome.key_epoch), encode_key_epoch_outcome(outcome)};
}

TrusteeStateEntry current_access_key_entry(std::uint64_t key_epoch) {
  Bytes value;
  append_u64_be(value, key_epoch);
  return TrusteeStateEntry{name_key(kCurrentKeyName), value};
}

TrusteeStateEntry access_key_id_entry(const KeyId& key_id, std::uint64_t key_epoch) {
  Bytes key = name_key(kAccessKeyIdPrefix);
  append_bytes(key, key_id);
  Bytes value;
  append_u64_be(value, key_epoch);
  return TrusteeStateEntry{key, value};
}

TrusteeStateEntry answer_entry(const Digest& request_id, std::uint16_t trustee, const Digest& shares_tx_id) {
  Bytes key = name_key(kAnswerPrefix);
  append_bytes(key, request_id);
  append_u16_be(key, trustee);
  return TrusteeStateEntry{key, Bytes(shares_tx_id.begin(), shares_tx_id.end())};
}

// u64 epoch | u64 finalized_at | u8 formed (1) or failed (0) | formed: u16 t | key_id 32 | Y 65 |
// u8 m | m x Y_j 65 | qualified | disqualified | absent | rejected complainers (each u8 n | n x
// u16); failed: bytes16(reason).
Bytes encode_key_epoch_outcome(const KeyEpochOutcome& o) {
  Bytes out;
  append_u64_be(out, o.key_epoch);
  append_u64_be(out, o.finalized_at_height);
  append_u8(out, o.formed ? 1 : 0);
  if (!o.formed) {
    append_u16_be(out, static_cast<std::uint16_t>(o.failure.size()));
    append_bytes(out, bytes_of(o.failure));
    return out;
  }
  const crypto::threshold::DkgOutcome& d = *o.formed;
  append_u16_be(out, d.key.threshold);
  append_bytes(out, d.key.key_id);
  crypto::threshold::append_point(out, d.key.group_key);
  append_u8(out, static_cast<std::uint8_t>(d.key.public_shares.size()));
  for (const auto& share : d.key.public_shares) crypto::threshold::append_point(out, share);
  append_indices(out, d.qualified);
  append_indices(out, d.disqualified);
  append_indices(out, d.absent);
  append_indices(out, d.rejected_complainers);
  return out;
}

namespace {
Result<crypto::threshold::DkgOutcome> decode_formed_outcome(Reader& in) {
  crypto::threshold::DkgOutcome d;
  HC_ASSIGN_OR_RETURN(d.key.threshold, in.u16("threshold"));
  HC_ASSIGN_OR_RETURN(d.key.key_id, in.array<32>("key id"));
  HC_ASSIGN_OR_RETURN(d.key.group_key, crypto::threshold::read_point(in, "access key"));
  HC_ASSIGN_OR_RETURN(std::uint8_t m, in.u8("trustee count"));
  if (m == 0 || m > kMaxChainTrustees) return invalid_input("outcome: trustee count out of range");
  for (std::uint8_t j = 0; j < m; ++j) {
    HC_ASSIGN_OR_RETURN(auto share, crypto::threshold::read_point(in, "public share"));
    d.key.public_shares.push_back(share);
  }
  HC_ASSIGN_OR_RETURN(d.qualified, read_indices(in, "qualified"));
  HC_ASSIGN_OR_RETURN(d.disqualified, read_indices(in, "disqualified"));
  HC_ASSIGN_OR_RETURN(d.absent, read_indices(in, "absent"));
  HC_ASSIGN_OR_RETURN(d.rejected_complainers, read_indices(in, "rejected complainers"));
  return d;
}
}  // namespace

Result<KeyEpochOutcome> decode_key_epoch_outcome(ByteSpan bytes) {
  Reader in(bytes);
  KeyEpochOutcome o;
  HC_ASSIGN_OR_RETURN(o.key_epoch, in.u64("key epoch"));
  HC_ASSIGN_OR_RETURN(o.finalized_at_height, in.u64("finalized at"));
  HC_ASSIGN_OR_RETURN(std::uint8_t formed, in.u8("formed"));
  if (formed > 1) return invalid_input("outcome: bad formed flag");
  if (formed == 0) {
    HC_ASSIGN_OR_RETURN(Bytes reason, in.bytes16(1, 4096, "failure"));
    o.failure.assign(reason.begin(), reason.end());
  } else {
    HC_ASSIGN_OR_RETURN(auto d, decode_formed_outcome(in));
    o.formed = std::move(d);
  }
  HC_RETURN_IF_ERROR(in.finish("outcome"));
  return o;
}

Result<std::optional<KeyEpochState>> read_key_epoch(const TrusteeStateView& store) {
  if (store.genesis().access_mode != AccessMode::kTrustees) return std::optional<KeyEpochState>();
  HC_ASSIGN_OR_RETURN(auto raw, store.trustee_entry(name_key(kKeyEpochName)));
  if (!raw) return std::optional<KeyEpochState>(KeyEpochState{});
  Reader in(*raw);
  KeyEpochState e;
  auto epoch = in.u64("key epoch");
  auto start = in.u64("start");
  if (!epoch.ok() || !start.ok() || !in.finish("key epoch").ok()) return trustee_state_corrupt("bad key epoch");
  e.key_epoch = *epoch;
  e.started_at_height = *start;
  return std::optional<KeyEpochState>(e);
}

Result<std::optional<Bytes>> read_deal(const TrusteeStateView& store, std::uint64_t key_epoch, std::uint16_t dealer) {
  return store.trustee_entry(deal_entry(key_epoch, dealer, {}).key);
}

Result<std::vector<std::pair<std::uint16_t, Bytes>>> read_deals(const TrusteeStateView& store, std::uint64_t key_epoch) {
  const Bytes prefix = epoch_key(kDealPrefix, key_epoch);
  HC_ASSIGN_OR_RETURN(auto entries, store.trustee_entries(prefix, kMaxTrusteeScanEntries));
  std::vector<std::pair<std::uint16_t, Bytes>> out;
  for (auto& [key, value] : entries) {
    if (key.size() != prefix.size() + 2) return trustee_state_corrupt("bad deal key");
    HC_ASSIGN_OR_RETURN(std::uint16_t dealer, checked_u16_at(key, prefix.size()));
    out.emplace_back(dealer, std::move(value));
  }
  return out;
}

Result<bool> has_complaint(const TrusteeStateView& store, std::uint64_t key_epoch, std::uint16_t complainer,
                           std::uint16_t dealer) {
  StoredComplaint probe{complainer, dealer, ComplaintStatus::kInvalid, {}};
  HC_ASSIGN_OR_RETURN(auto raw, store.trustee_entry(complaint_entry(key_epoch, probe).key));
  return raw.has_value();
}

Result<std::vector<StoredComplaint>> read_complaints(const TrusteeStateView& store, std::uint64_t key_epoch) {
  const Bytes prefix = epoch_key(kComplaintPrefix, key_epoch);
  HC_ASSIGN_OR_RETURN(auto entries, store.trustee_entries(prefix, kMaxTrusteeScanEntries));
  std::vector<StoredComplaint> out;
  for (auto& [key, value] : entries) {
    if (key.size() != prefix.size() + 4 || value.empty() || value[0] < 1 || value[0] > 3) {
      return trustee_state_corrupt("bad complaint entry");
    }
    StoredComplaint c;
    HC_ASSIGN_OR_RETURN(c.complainer, checked_u16_at(key, prefix.size()));
    HC_ASSIGN_OR_RETURN(c.dealer, checked_u16_at(key, prefix.size() + 2));
    c.status = static_cast<ComplaintStatus>(value[0]);
    c.complaint.assign(value.begin() + 1, value.end());
    out.push_back(std::move(c));
  }
  return out;
}

Result<std::optional<KeyEpochOutcome>> read_outcome(const TrusteeStateView& store, std::uint64_t key_epoch) {
  HC_ASSIGN_OR_RETURN(auto raw, store.trustee_entry(epoch_key(kOutcomePrefix, key_epoch)));
  if (!raw) return std::optional<KeyEpochOutcome>();
  auto outcome = decode_key_epoch_outcome(*raw);
  if (!outcome.ok()) return trustee_state_corrupt(outcome.status().message());
  if (outcome->key_epoch != key_epoch) return trustee_state_corrupt("an outcome stored under another key epoch");
  // The encoding leaves out what the entry's place implies: the chain and the epoch. Shares,
  // proofs and boxes made with the key are bound to both, so they are filled in here.
  if (outcome->formed) {
    outcome->formed->key.chain_id = store.genesis_hash();
    outcome->formed->key.epoch = key_epoch;
  }
  return std::optional<KeyEpochOutcome>(std::move(outcome).value());
}

Result<bool> dkg_wants_blocks(const TrusteeStateView& store, std::uint64_t committed_height) {
  HC_ASSIGN_OR_RETURN(auto epoch, read_key_epoch(store));
  if (!epoch) return false;
  HC_ASSIGN_OR_RETURN(auto outcome, read_outcome(store, epoch->key_epoch));
  if (outcome) return false;
  const DkgSchedule schedule = dkg_schedule(*epoch);
  if (committed_height >= schedule.finalize_height) return false;  // cannot happen: finalized there
  if (committed_height >= schedule.last_deal_height) return true;   // complaint window
  HC_ASSIGN_OR_RETURN(auto deals, read_deals(store, epoch->key_epoch));
  return deals.size() >= store.genesis().trustee_threshold;
}

Result<std::optional<std::uint64_t>> read_access_key_epoch(const TrusteeStateView& store, const KeyId& key_id) {
  Bytes key = name_key(kAccessKeyIdPrefix);
  append_bytes(key, key_id);
  HC_ASSIGN_OR_RETURN(auto raw, store.trustee_entry(key));
  if (!raw) return std::optional<std::uint64_t>();
  Reader in(*raw);
  auto epoch = in.u64("key epoch");
  if (!epoch.ok() || !in.finish("access key id entry").ok()) return trustee_state_corrupt("bad access key id entry");
  return std::optional<std::uint64_t>(*epoch);
}

Result<std::optional<KeyEpochOutcome>> read_current_access_key(const TrusteeStateView& store) {
  HC_ASSIGN_OR_RETURN(auto raw, store.trustee_entry(name_key(kCurrentKeyName)));
  if (!raw) return std::optional<KeyEpochOutcome>();
  Reader in(*raw);
  auto epoch = in.u64("key epoch");
  if (!epoch.ok() || !in.finish("current access key").ok()) return trustee_state_corrupt("bad current access key");
  HC_ASSIGN_OR_RETURN(auto outcome, read_outcome(store, *epoch));
  if (!outcome || !outcome->formed) return trustee_state_corrupt("the current access key's outcome is missing");
  return outcome;
}

Result<std::optional<Digest>> read_answer(const TrusteeStateView& store, const Digest& request_id, std::uint16_t trustee) {
  HC_ASSIGN_OR_RETURN(auto raw, store.trustee_entry(answer_entry(request_id, trustee, {}).key));
  if (!raw) return std::optional<Digest>();
  if (raw->size() != kDigestBytes) return trustee_state_corrupt("bad answer entry");
  Digest id{};
  std::copy(raw->begin(), raw->end(), id.begin());
  return std::optional<Digest>(id);
}

Result<std::vector<std::pair<std::uint16_t, Digest>>> read_answers(const TrusteeStateView& store, const Digest& request_id) {
  Bytes prefix = name_key(kAnswerPrefix);
  append_bytes(prefix, request_id);
  HC_ASSIGN_OR_RETURN(auto entries, store.trustee_entries(prefix, kMaxTrusteeScanEntries));
  std::vector<std::pair<std::uint16_t, Digest>> out;
  for (auto& [key, value] : entries) {
    if (key.size() != prefix.size() + 2 || value.size() != kDigestBytes) return trustee_state_corrupt("bad answer entry");
    HC_ASSIGN_OR_RETURN(std::uint16_t trustee, checked_u16_at(key, prefix.size()));
    Digest id{};
    std::copy(value.begin(), value.end(), id.begin());
    out.emplace_back(trustee, id);
  }
  return out;
}

}  // namespace hc::chain

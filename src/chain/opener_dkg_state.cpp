#include "chain/opener_dkg_state.h"

#include <string>

#include "chain/codec.h"
#include "chain/limits.h"
#include "chain/trustee_state_keys.h"
#include "crypto/threshold/opener_dkg_complaint.h"

namespace hc::chain {

namespace {
using trustee_state_keys::trustee_state_corrupt;
using trustee_state_keys::epoch_key;
using trustee_state_keys::u16_at;

constexpr std::string_view kOpenerDealPrefix = "trustees/opener_deal/";
constexpr std::string_view kOpenerComplaintPrefix = "trustees/opener_complaint/";
constexpr std::size_t kMaxOpenerScanEntries = kMaxChainTrustees * kMaxChainTrustees + 1;
}  // namespace

Result<OpenerComplaintParties> opener_complaint_parties(ByteSpan complaint) {
  namespace th = crypto::threshold;
  if (complaint.size() != th::kOpenerComplaintBytes) {
    return invalid_input("opener complaint: not " + std::to_string(th::kOpenerComplaintBytes) + " bytes");
  }
  Bytes tag;
  append_u32_be(tag, static_cast<std::uint32_t>(th::kOpenerComplaintTag.size()));
  append_bytes(tag, bytes_of(th::kOpenerComplaintTag));
  if (!std::equal(tag.begin(), tag.end(), complaint.begin())) return invalid_input("opener complaint: wrong tag");
  const std::size_t at = tag.size() + 32;  // after the params digest
  return OpenerComplaintParties{u16_at(complaint, at), u16_at(complaint, at + 2)};
}

TrusteeStateEntry opener_deal_entry(std::uint64_t key_epoch, std::uint16_t dealer, const Bytes& opener_deal) {
  Bytes key = epoch_key(kOpenerDealPrefix, key_epoch);
  append_u16_be(key, dealer);
  return TrusteeStateEntry{key, opener_deal};
}

TrusteeStateEntry opener_complaint_entry(std::uint64_t key_epoch, const StoredOpenerComplaint& c) {
  Bytes key = epoch_key(kOpenerComplaintPrefix, key_epoch);
  append_u16_be(key, c.complainer);
  append_u16_be(key, c.dealer);
  return TrusteeStateEntry{key, c.complaint};
}

Result<std::optional<Bytes>> read_opener_deal(const TrusteeStateView& store, std::uint64_t key_epoch,
                                              std::uint16_t dealer) {
  return store.trustee_entry(opener_deal_entry(key_epoch, dealer, {}).key);
}

Result<std::vector<std::pair<std::uint16_t, Bytes>>> read_opener_deals(const TrusteeStateView& store,
                                                                        std::uint64_t key_epoch) {
  const Bytes prefix = epoch_key(kOpenerDealPrefix, key_epoch);
  HC_ASSIGN_OR_RETURN(auto entries, store.trustee_entries(prefix, kMaxOpenerScanEntries));
  std::vector<std::pair<std::uint16_t, Bytes>> out;
  for (auto& [key, value] : entries) {
    if (key.size() != prefix.size() + 2) return trustee_state_corrupt("bad opener deal key");
    out.emplace_back(u16_at(key, prefix.size()), std::move(value));
  }
  return out;
}

Result<bool> has_opener_complaint(const TrusteeStateView& store, std::uint64_t key_epoch, std::uint16_t complainer,
                                  std::uint16_t dealer) {
  HC_ASSIGN_OR_RETURN(auto raw, store.trustee_entry(opener_complaint_entry(key_epoch, {complainer, dealer, {}}).key));
  return raw.has_value();
}

Result<std::vector<StoredOpenerComplaint>> read_opener_complaints(const TrusteeStateView& store,
                                                                  std::uint64_t key_epoch) {
  const Bytes prefix = epoch_key(kOpenerComplaintPrefix, key_epoch);
  HC_ASSIGN_OR_RETURN(auto entries, store.trustee_entries(prefix, kMaxOpenerScanEntries));
  std::vector<StoredOpenerComplaint> out;
  for (auto& [key, value] : entries) {
    if (key.size() != prefix.size() + 4) return trustee_state_corrupt("bad opener complaint key");
    out.push_back(StoredOpenerComplaint{u16_at(key, prefix.size()), u16_at(key, prefix.size() + 2),
                                        std::move(value)});
  }
  return out;
}

}  // namespace hc::chain

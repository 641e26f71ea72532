#include "chain/admission_claims.h"

#include <iterator>
#include <string>
#include <string_view>

#include "chain/limits.h"
#include "chain/opener_dkg_state.h"
#include "chain/reshare_rules.h"
#include "crypto/threshold/dkg_complaint.h"

namespace hc::chain {

namespace {
// A claim key: SHA-256 under its own tag of (length-prefixed label || fixed fields).
class ClaimKey {
 public:
  explicit ClaimKey(std::string_view label) {
    bytes_.reserve(128);
    bytes_.push_back(static_cast<std::uint8_t>(label.size()));
    fixed(as_bytes(label));
  }
  ClaimKey& u16(std::uint16_t v) { return append_u16_be(bytes_, v), *this; }
  ClaimKey& u32(std::uint32_t v) { return append_u32_be(bytes_, v), *this; }
  ClaimKey& u64(std::uint64_t v) { return append_u64_be(bytes_, v), *this; }
  ClaimKey& fixed(ByteSpan b) {
    for (std::uint8_t byte : b) bytes_.push_back(byte);  // byte by byte: g++ 12 warns on insert
    return *this;
  }
  ClaimKey& text(std::string_view s) { return u16(static_cast<std::uint16_t>(s.size())).fixed(as_bytes(s)); }
  Digest digest() const { return tagged_hash("HC-ADMISSION-CLAIM-v1", {ByteSpan(bytes_)}); }

 private:
  Bytes bytes_;
};

Result<std::uint16_t> complaint_dealer(const TrusteeStateView& state, const DkgComplaintTx& c) {
  if (c.against_opener_deal) {
    HC_ASSIGN_OR_RETURN(auto parties, opener_complaint_parties(c.complaint));
    return parties.dealer;
  }
  const auto params = dkg_params_for(state.genesis(), state.genesis_hash(), c.key_epoch);
  HC_ASSIGN_OR_RETURN(auto complaint, crypto::threshold::decode_complaint(params, c.complaint));
  return complaint.dealer;
}
}  // namespace

bool opens_proposal(const Transaction& tx) {
  return std::holds_alternative<JoinRequestTx>(tx) || std::holds_alternative<ExitAnnouncementTx>(tx) ||
         std::holds_alternative<VoteOutProposalTx>(tx);
}

Result<std::vector<Digest>> admission_claim_keys(const TrusteeStateView& state, const Transaction& tx) {
  std::vector<Digest> keys;
  if (const auto* j = std::get_if<JoinRequestTx>(&tx)) {
    keys.push_back(ClaimKey("join key").fixed(j->replica_key).digest());
  } else if (const auto* a = std::get_if<GovernanceApprovalTx>(&tx)) {
    keys.push_back(ClaimKey("approval").fixed(a->proposal_id).u32(a->approver).digest());
  } else if (std::holds_alternative<ReaderPolicyTx>(tx)) {
    keys.push_back(ClaimKey("reader policy change").digest());  // at most one per block
  } else if (std::holds_alternative<KeyEpochStartTx>(tx)) {
    keys.push_back(ClaimKey("key epoch start").digest());  // at most one per block
  } else if (const auto* d = std::get_if<DkgDealTx>(&tx)) {
    keys.push_back(ClaimKey("deal").u64(d->key_epoch).u16(d->dealer).digest());
  } else if (const auto* c = std::get_if<DkgComplaintTx>(&tx)) {
    HC_ASSIGN_OR_RETURN(std::uint16_t dealer, complaint_dealer(state, *c));
    const char* label = c->against_opener_deal ? "opener complaint" : "complaint";
    keys.push_back(ClaimKey(label).u64(c->key_epoch).u16(c->complainer).u16(dealer).digest());
  } else if (const auto* k = std::get_if<ReshareKeyTx>(&tx)) {
    keys.push_back(ClaimKey("reshare member").u64(k->reshare_epoch).u32(k->member).digest());
    keys.push_back(ClaimKey("reshare key").u64(k->reshare_epoch).fixed(k->new_key).digest());
  } else if (const auto* rd = std::get_if<ReshareDealTx>(&tx)) {
    keys.push_back(ClaimKey("reshare deal").u64(rd->reshare_epoch).u16(rd->dealer).digest());
  } else if (const auto* rc = std::get_if<ReshareComplaintTx>(&tx)) {
    HC_ASSIGN_OR_RETURN(std::uint16_t dealer, reshare_complaint_dealer(*rc));
    const char* label = rc->against_opener_deal ? "opener reshare complaint" : "reshare complaint";
    keys.push_back(ClaimKey(label).u64(rc->reshare_epoch).u16(rc->complainer).u16(dealer).digest());
  } else if (const auto* s = std::get_if<DecryptionSharesTx>(&tx)) {
    keys.push_back(ClaimKey("answer").fixed(s->request_id).u16(s->trustee).digest());
  } else if (std::holds_alternative<RevocationTx>(tx)) {
    keys.push_back(ClaimKey("revocation").digest());  // at most one per block
  } else if (const auto* p = std::get_if<PublishEnvelopeKeyTx>(&tx)) {
    keys.push_back(ClaimKey("envelope key").fixed(key_id_of(p->spki_der)).digest());
  } else if (const auto* e = std::get_if<EnrollmentTx>(&tx)) {
    keys.push_back(ClaimKey("member name").text(e->member_name).digest());
  }
  return keys;
}

AdmissionClaims::AdmissionClaims(std::size_t max_claimants) : max_claimants_(max_claimants) {}

Status AdmissionClaims::check(const Digest& tx_id, const std::vector<Digest>& keys, bool opens,
                              std::size_t slots) const {
  for (const Digest& key : keys) {
    auto it = holders_.find(key);
    if (it != holders_.end() && it->second != tx_id) {
      return Status::error(ErrorCode::kAlreadyExists,
                           "a conflicting transaction is already pending (" + digest_hex(it->second).substr(0, 16) +
                               "); the two may not share a block");
    }
  }
  if (keys.empty() && !opens) return Status();  // claims nothing
  const auto self = claimants_.find(tx_id);
  if (self == claimants_.end() && claimants_.size() >= max_claimants_) {
    return Status::error(ErrorCode::kUnavailable, "too many pending transactions hold claims; retry later");
  }
  if (!opens) return Status();
  std::size_t rank = openings_.size();  // a new slot holder comes last
  if (self != claimants_.end() && self->second.opens) {
    rank = static_cast<std::size_t>(std::distance(openings_.begin(), openings_.find(self->second.serial)));
  }
  if (rank >= slots) {
    return Status::error(ErrorCode::kUnavailable,
                         "no proposal slot is left: " + std::to_string(kMaxOpenProposals) +
                             " proposals are open or pending; retry once one is committed or closed");
  }
  return Status();
}

void AdmissionClaims::claim(const Digest& tx_id, const std::vector<Digest>& keys, bool opens,
                            std::uint64_t committed_height) {
  if (keys.empty() && !opens) return;
  auto it = claimants_.find(tx_id);
  if (it != claimants_.end()) {
    it->second.height = committed_height;
    return;
  }
  const std::uint64_t serial = next_serial_++;
  claimants_.emplace(tx_id, Claimant{keys, opens, serial, committed_height});
  for (const Digest& key : keys) holders_[key] = tx_id;
  if (opens) openings_.emplace(serial, tx_id);
}

void AdmissionClaims::release(const Digest& tx_id) {
  auto it = claimants_.find(tx_id);
  if (it == claimants_.end()) return;
  for (const Digest& key : it->second.keys) {
    auto held = holders_.find(key);
    if (held != holders_.end() && held->second == tx_id) holders_.erase(held);
  }
  openings_.erase(it->second.serial);
  claimants_.erase(it);
}

void AdmissionClaims::expire(std::uint64_t committed_height) {
  std::vector<Digest> stale;
  for (const auto& [id, c] : claimants_) {
    if (c.height + kAdmissionClaimBlocks <= committed_height) stale.push_back(id);
  }
  for (const Digest& id : stale) release(id);
}

}  // namespace hc::chain

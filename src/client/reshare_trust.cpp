// Recomputing the sharings of resharings from proven items (reshare_trust.h).
#include "client/reshare_trust.h"

#include <algorithm>
#include <map>
#include <string>
#include <variant>

#include "chain/genesis.h"
#include "chain/limits.h"
#include "chain/transaction.h"
#include "client/item_verification.h"
#include "crypto/threshold/access_reshare.h"
#include "crypto/threshold/opener_reshare.h"

namespace hc::client {

namespace {

namespace th = crypto::threshold;
using nlohmann::json;

Status reshare_refused(std::uint64_t r, const std::string& what) {
  return Status::error(ErrorCode::kAuthFailed, "the node's resharing " + std::to_string(r) +
                                                   " is not vouched for by the chain: " + what);
}

Result<std::uint64_t> reshare_u64(const json& obj, const char* name) {
  auto it = obj.find(name);
  if (it == obj.end() || !it->is_number_unsigned()) return invalid_input(std::string("node answer: ") + name + " must be a u64");
  return it->get<std::uint64_t>();
}

const json& reshare_array(const json& obj, const char* name) {
  static const json kNone = json::array();
  auto it = obj.find(name);
  return it != obj.end() && it->is_array() ? *it : kNone;
}

// The proven transactions of one list ({"item": ...} entries) of resharing `r`, at most `bound`.
Result<std::vector<chain::Transaction>> reshare_items(const json& list, const ChainTrust& trust, std::uint64_t r,
                                                      std::size_t bound, const char* what) {
  if (list.size() > bound) return reshare_refused(r, std::string("more ") + what + " than trustees allow");
  std::vector<chain::Transaction> out;
  for (const json& entry : list) {
    if (!entry.is_object() || !entry.contains("item") || !entry["item"].is_object()) {
      return reshare_refused(r, std::string(what) + ": an entry without its item");
    }
    auto verified = verify_item(entry["item"], trust.certificates());
    if (!verified.ok()) return reshare_refused(r, std::string(what) + ": " + verified.status().message());
    out.push_back(std::move(verified->tx));
  }
  return out;
}

struct ProvenResharing {
  std::uint64_t r = 0;
  std::uint64_t finalized_at = 0;
  std::vector<std::uint32_t> members;
  std::map<std::uint32_t, crypto::P256PointBytes> announced;  // member -> new key
  std::vector<std::pair<std::uint16_t, Bytes>> deals, opener_deals;
  std::vector<Bytes> complaints, opener_complaints;
};

Result<ProvenResharing> proven_resharing(const json& entry, const ChainTrust& trust, const chain::Digest& chain_id) {
  ProvenResharing p;
  HC_ASSIGN_OR_RETURN(p.r, reshare_u64(entry, "reshare_epoch"));
  HC_ASSIGN_OR_RETURN(p.finalized_at, reshare_u64(entry, "finalized_at_height"));
  const json& members = reshare_array(entry, "members");
  if (members.empty() || members.size() > chain::kMaxChainTrustees) return reshare_refused(p.r, "no member list");
  for (const json& m : members) {
    if (!m.is_number_unsigned()) return invalid_input("node answer: members must be replica ids");
    p.members.push_back(m.get<std::uint32_t>());
  }
  const std::size_t bound = chain::kMaxChainTrustees;
  HC_ASSIGN_OR_RETURN(auto keys, reshare_items(reshare_array(entry, "announcements"), trust, p.r, bound, "announcements"));
  for (const chain::Transaction& tx : keys) {
    const auto* key = std::get_if<chain::ReshareKeyTx>(&tx);
    if (key == nullptr || key->chain_id != chain_id || key->reshare_epoch != p.r) {
      return reshare_refused(p.r, "a proven transaction is not one of its key announcements");
    }
    if (!p.announced.emplace(key->member, key->new_key).second) return reshare_refused(p.r, "two announcements of one member");
  }
  HC_ASSIGN_OR_RETURN(auto deals, reshare_items(reshare_array(entry, "deals"), trust, p.r, bound, "deals"));
  for (const chain::Transaction& tx : deals) {
    const auto* deal = std::get_if<chain::ReshareDealTx>(&tx);
    if (deal == nullptr || deal->chain_id != chain_id || deal->reshare_epoch != p.r) {
      return reshare_refused(p.r, "a proven transaction is not one of its deals");
    }
    p.deals.emplace_back(deal->dealer, deal->deal);
    if (!deal->opener_deal.empty()) p.opener_deals.emplace_back(deal->dealer, deal->opener_deal);
  }
  HC_ASSIGN_OR_RETURN(auto complaints,
                      reshare_items(reshare_array(entry, "complaints"), trust, p.r, 2 * bound * bound, "complaints"));
  for (const chain::Transaction& tx : complaints) {
    const auto* c = std::get_if<chain::ReshareComplaintTx>(&tx);
    if (c == nullptr || c->chain_id != chain_id || c->reshare_epoch != p.r) {
      return reshare_refused(p.r, "a proven transaction is not one of its complaints");
    }
    (c->against_opener_deal ? p.opener_complaints : p.complaints).push_back(c->complaint);
  }
  return p;
}

template <typename Group>
std::vector<std::optional<th::ReshareDeal<Group>>> proven_reshare_deals(
    const th::ReshareParams<Group>& params, const std::vector<std::pair<std::uint16_t, Bytes>>& stored) {
  std::vector<std::optional<th::ReshareDeal<Group>>> deals(params.old_trustees());
  for (const auto& [dealer, bytes] : stored) {
    if (dealer < 1 || dealer > params.old_trustees() || deals[dealer - 1]) continue;
    auto deal = th::decode_reshare_deal(params, bytes);
    if (deal.ok() && deal->dealer == dealer) deals[dealer - 1] = std::move(deal).value();
  }
  return deals;
}

template <typename Group>
std::vector<th::ReshareComplaint> proven_reshare_complaints(const th::ReshareParams<Group>& params,
                                                           const std::vector<Bytes>& stored) {
  std::vector<th::ReshareComplaint> out;
  for (const Bytes& bytes : stored) {
    auto complaint = th::decode_reshare_complaint(params, bytes);
    if (complaint.ok()) out.push_back(std::move(complaint).value());
  }
  return out;
}

// The sharing resharing `p` formed from `before`.
Result<TrustedSharing> reshared_sharing(const ProvenResharing& p, const TrustedSharing& before,
                                        const chain::Digest& chain_id) {
  TrustedSharing next;
  next.reshare_epoch = p.r;
  next.in_force_from_height = p.finalized_at + 1;
  th::DkgParams new_set;
  new_set.chain_id = chain_id;
  new_set.epoch = before.key.epoch;
  new_set.threshold = chain::default_trustee_threshold(p.members.size());
  for (std::uint32_t member : p.members) {  // the announcing members, in member order
    auto it = p.announced.find(member);
    if (it == p.announced.end()) continue;
    HC_ASSIGN_OR_RETURN(crypto::P256Point key, crypto::P256Point::decode(it->second));
    new_set.trustee_keys.push_back(std::move(key));
    next.trustee_keys.push_back(it->second);
    next.members.push_back(member);
  }
  th::AccessReshareParams params{before.key, new_set, p.r};
  auto deals = proven_reshare_deals(params, p.deals);
  auto outcome = th::finalize_reshare(params, deals, proven_reshare_complaints(params, p.complaints));
  if (!outcome.ok()) return reshare_refused(p.r, "its proven transcript forms no sharing: " + outcome.status().message());
  next.key = outcome->key;
  if (before.opener_key && !p.opener_deals.empty()) {
    th::OpenerReshareParams opener_params{*before.opener_key, new_set, p.r};
    auto opener_deals = proven_reshare_deals(opener_params, p.opener_deals);
    for (std::uint16_t i = 1; i <= opener_deals.size(); ++i) {  // the access key's qualified dealers only
      if (std::find(outcome->qualified.begin(), outcome->qualified.end(), i) == outcome->qualified.end()) {
        opener_deals[i - 1].reset();
      }
    }
    auto opener = th::finalize_reshare(opener_params, opener_deals,
                                       proven_reshare_complaints(opener_params, p.opener_complaints));
    if (opener.ok()) next.opener_key = opener->key;
  }
  return next;
}

}  // namespace

Result<std::vector<TrustedSharing>> verify_resharings(const json& answer, const ChainTrust& trust,
                                                      const TrustedSharing& dkg) {
  std::vector<TrustedSharing> out;
  const json& list = reshare_array(answer, "resharings");
  const chain::Digest chain_id = chain::genesis_hash(trust.genesis());
  std::uint64_t last_r = 0;
  for (const json& entry : list) {
    if (!entry.is_object()) return invalid_input("node answer: a resharing must be an object");
    HC_ASSIGN_OR_RETURN(ProvenResharing p, proven_resharing(entry, trust, chain_id));
    if (p.r <= last_r) return reshare_refused(p.r, "resharings out of order");
    last_r = p.r;
    if (!entry.value("formed", false)) continue;  // a failed resharing leaves the sharing before in force
    const TrustedSharing& before = out.empty() ? dkg : out.back();
    HC_ASSIGN_OR_RETURN(TrustedSharing next, reshared_sharing(p, before, chain_id));
    if (next.in_force_from_height <= before.in_force_from_height) return reshare_refused(p.r, "finalized out of order");
    out.push_back(std::move(next));
  }
  return out;
}

const TrustedSharing& sharing_at(const TrustedSharing& dkg, const std::vector<TrustedSharing>& later,
                                 std::uint64_t height) {
  const TrustedSharing* in_force = &dkg;
  for (const TrustedSharing& s : later) {
    if (s.in_force_from_height <= height) in_force = &s;
  }
  return *in_force;
}

std::vector<std::uint32_t> genesis_trustee_members(const chain::Genesis& genesis) {
  std::vector<std::uint32_t> out;
  for (std::size_t j = 0; j < genesis.trustee_keys.size() && j < genesis.replicas.size(); ++j) {
    out.push_back(genesis.replicas[j].id);
  }
  return out;
}

}  // namespace hc::client

#include "node/peer_directory.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "chain/transaction_governance.h"
#include "common/bytes.h"

namespace hc::node {

namespace {

struct KnownReplica {
  crypto::Ed25519PublicKey key;
  bool in_genesis = false;
};

Result<std::map<std::uint32_t, KnownReplica>> known_replicas(const PeerDirectoryInputs& in) {
  std::map<std::uint32_t, KnownReplica> known;
  auto add = [&known](std::uint32_t id, const chain::Ed25519PublicKey& raw, bool in_genesis) -> Status {
    const std::string who = (in_genesis ? "genesis replica " : "joined member ") + std::to_string(id);
    auto key = crypto::Ed25519PublicKey::from_bytes(ByteSpan(raw.data(), raw.size()));
    if (!key.ok()) return invalid_input(who + "'s key is not an Ed25519 key");
    if (!known.emplace(id, KnownReplica{*key, in_genesis}).second) {
      return invalid_input(who + " is named twice (as a genesis replica or a joined member)");
    }
    return Status::ok_status();
  };
  for (const chain::ReplicaInfo& r : in.genesis_replicas) HC_RETURN_IF_ERROR(add(r.id, r.public_key, true));
  for (const chain::ConsortiumMember& m : in.joined) HC_RETURN_IF_ERROR(add(m.id, m.key, false));
  return known;
}

Result<std::map<std::uint32_t, const PeerConfig*>> addresses_by_id(const PeerDirectoryInputs& in,
                                                                    const std::map<std::uint32_t, KnownReplica>& known) {
  std::map<std::uint32_t, const PeerConfig*> by_id;
  for (const PeerConfig& p : in.addresses) {
    auto replica = known.find(p.id);
    if (replica != known.end() && !(replica->second.key == p.replica_key)) {
      return invalid_input("the configuration's key for peer " + std::to_string(p.id) + " differs from the chain's");
    }
    by_id[p.id] = &p;
  }
  return by_id;
}

// The record of joined member `id`, or nullptr (a genesis replica).
const chain::ConsortiumMember* joined_member(const PeerDirectoryInputs& in, std::uint32_t id) {
  for (const chain::ConsortiumMember& m : in.joined) {
    if (m.id == id) return &m;
  }
  return nullptr;
}

// The rule of the header: genesis pairs dial upward, pairs with a joined member downward.
bool self_dials(std::uint32_t self_id, bool self_in_genesis, std::uint32_t peer_id, bool peer_in_genesis) {
  if (self_in_genesis && peer_in_genesis) return peer_id > self_id;
  return peer_id < self_id;
}

}  // namespace

Result<PeerDirectory> build_peer_directory(const PeerDirectoryInputs& in) {
  HC_ASSIGN_OR_RETURN(auto known, known_replicas(in));
  HC_ASSIGN_OR_RETURN(auto addresses, addresses_by_id(in, known));
  std::set<std::uint32_t> members;
  for (std::uint32_t id : in.members) {
    if (!members.insert(id).second) return invalid_input("member " + std::to_string(id) + " is listed twice");
    if (known.count(id) == 0) {
      return invalid_input("member " + std::to_string(id) + " is neither a genesis replica nor a joined member");
    }
  }
  PeerDirectory directory;
  directory.self_is_member = members.count(in.self_id) != 0;
  if (!directory.self_is_member) return directory;
  const bool self_in_genesis = known.at(in.self_id).in_genesis;
  for (std::uint32_t id : members) {
    if (id == in.self_id) continue;
    const KnownReplica& replica = known.at(id);
    net::PeerLink link;
    link.endpoint.id = id;
    link.endpoint.key = replica.key;
    auto address = addresses.find(id);
    if (address != addresses.end()) {
      link.endpoint.host = address->second->host;
      link.endpoint.port = address->second->port;
    } else if (const chain::ConsortiumMember* joined = joined_member(in, id);
               joined != nullptr && !joined->peer_address.empty()) {
      // The address its join request put on the chain (the configuration's, if any, wins).
      HC_ASSIGN_OR_RETURN(chain::PeerAddress on_chain, chain::parse_peer_address(joined->peer_address));
      link.endpoint.host = std::move(on_chain.host);
      link.endpoint.port = on_chain.port;
    }
    const bool dial = self_dials(in.self_id, self_in_genesis, id, replica.in_genesis);
    const bool can_dial = !link.endpoint.host.empty() && link.endpoint.port != 0;
    link.dial = dial && can_dial ? net::PeerDial::kDial : net::PeerDial::kAwait;
    if (dial && !can_dial) directory.unreachable.push_back(id);
    directory.links.push_back(std::move(link));
  }
  return directory;
}

Result<PeerDirectoryInputs> read_peer_directory_inputs(const chain::TrusteeStateView& state, std::uint32_t self_id,
                                                       const std::vector<std::uint32_t>& engine_members,
                                                       std::vector<PeerConfig> addresses) {
  PeerDirectoryInputs in;
  in.self_id = self_id;
  in.genesis_replicas = state.genesis().replicas;
  in.addresses = std::move(addresses);
  HC_ASSIGN_OR_RETURN(chain::ConsortiumHead head, chain::read_consortium_head(state));
  std::set<std::uint32_t> members(head.members.begin(), head.members.end());
  members.insert(engine_members.begin(), engine_members.end());
  in.members.assign(members.begin(), members.end());
  for (std::uint32_t id : in.members) {
    const bool in_genesis = std::any_of(in.genesis_replicas.begin(), in.genesis_replicas.end(),
                                        [id](const chain::ReplicaInfo& r) { return r.id == id; });
    if (in_genesis) continue;
    HC_ASSIGN_OR_RETURN(std::optional<chain::ConsortiumMember> member, chain::read_member(state, id));
    if (!member) {
      return Status::error(ErrorCode::kCorrupt, "member " + std::to_string(id) + " has no record in the ledger's state");
    }
    in.joined.push_back(std::move(*member));
  }
  return in;
}

Result<MembershipStamp> read_membership_stamp(const chain::TrusteeStateView& state, std::uint64_t configuration_number) {
  HC_ASSIGN_OR_RETURN(chain::ConsortiumHead head, chain::read_consortium_head(state));
  return MembershipStamp{head.changes, configuration_number};
}

}  // namespace hc::node

// hc-node's peer links follow the chain's membership (issue 16; docs/node.md "Peer links and
// membership changes"): at start, after each committed block and when the engine enters a
// configuration, the node reads the membership stamp (one state read); only when it moved (a
// block accepted a change, or a boundary) is the peer directory computed again from the
// committed state and the engine's configuration and handed to the transport if it changed. A hospital awaiting its join
// (ReplicaStanding::kAwaitingJoin) is not in the chain's member list yet: it computes its links
// as the joined member it will be, i.e. it dials the members whose address its configuration
// gives, which accept it once their ledger has accepted the join; it takes part in consensus
// only once its engine's configuration counts it (docs/consensus.md §2c). The stem relay
// follows the engine's configuration here too (issue 16 x issue 14): its cycle is drawn over
// the members in force, never over the expected membership of a joiner before its boundary.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <sstream>

#include "chain/governance_state.h"
#include "node/api_tls.h"
#include "node/node_state.h"
#include "node/peer_directory.h"

namespace hc::node {

namespace {

// Everything of the links the transport acts on, to see whether they changed.
std::string describe_links(const std::vector<net::PeerLink>& links) {
  std::ostringstream out;
  for (const net::PeerLink& link : links) {
    out << link.endpoint.id << ' ' << link.endpoint.key.to_hex() << ' ' << link.endpoint.host << ':'
        << link.endpoint.port << (link.dial == net::PeerDial::kDial ? " dial" : " await") << ';';
  }
  return out.str();
}

// This node as the joined member it will be: its id among the members in force, its key as a
// joined member's, so build_peer_directory applies the joiner's rule (it dials the others).
void as_expected_member(PeerDirectoryInputs& in, const crypto::Ed25519PublicKey& own_key) {
  chain::ConsortiumMember self;
  self.id = in.self_id;
  self.key = own_key.bytes();
  in.joined.push_back(std::move(self));
  in.members.insert(std::upper_bound(in.members.begin(), in.members.end(), in.self_id), in.self_id);
}

}  // namespace

StemMembership stem_membership(const consensus::Configuration& configuration) {
  return StemMembership{configuration.number, configuration.members};
}

Status Node::State::refresh_peer_links() {
  driver->set_stem_members(stem_membership(replica->configuration()));
  const chain::StoreTrusteeView committed(*store);
  HC_ASSIGN_OR_RETURN(MembershipStamp stamp, read_membership_stamp(committed, replica->configuration().number));
  if (applied_membership == stamp) return Status::ok_status();  // nothing the links depend on moved
  if (standing == ReplicaStanding::kAwaitingJoin) {
    HC_ASSIGN_OR_RETURN(standing, replica_standing(committed, config.node_id, replica_public_key));
    if (standing == ReplicaStanding::kJoinedMember) {
      spdlog::info("join recorded on this ledger: node {} is member {} of the consortium from height {}",
                   config.node_id, config.node_id, store->tip().height);
      // Its TLS CA is on the chain now; the API was started before it could be checked.
      if (config.api_uses_tls()) {
        Status certificate = check_api_certificate(config, committed);
        if (!certificate.ok()) {
          spdlog::error("{}: clients will refuse this node's HTTPS API; restart it with a certificate from that CA",
                        certificate.message());
        }
      }
    }
  }
  HC_ASSIGN_OR_RETURN(PeerDirectoryInputs inputs, read_peer_directory_inputs(committed, config.node_id,
                                                                             replica->configuration().members,
                                                                             config.peers));
  if (standing == ReplicaStanding::kAwaitingJoin) as_expected_member(inputs, replica_public_key);
  HC_ASSIGN_OR_RETURN(PeerDirectory directory, build_peer_directory(inputs));
  for (std::uint32_t id : directory.unreachable) {
    if (warned_unreachable.insert(id).second) {
      spdlog::warn("peer {} cannot be reached: this node should dial it and its configuration gives no address "
                   "(add it to \"peers\"); it is awaited instead",
                   id);
    }
  }
  std::string described = describe_links(directory.links);
  if (described == applied_peer_links) {
    applied_membership = stamp;
    return Status::ok_status();
  }
  HC_RETURN_IF_ERROR(transport->set_peers(directory.links));
  applied_peer_links = std::move(described);
  applied_membership = stamp;
  std::ostringstream ids;
  for (const net::PeerLink& link : directory.links) ids << (ids.tellp() > 0 ? "," : "") << link.endpoint.id;
  spdlog::info("peer links set peers={} member={} height={}", ids.str(), directory.self_is_member,
               store->tip().height);
  return Status::ok_status();
}

}  // namespace hc::node

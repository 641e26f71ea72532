#include "cli/bench_targets.h"

#include <algorithm>
#include <optional>

#include "chain/change_proof.h"
#include "chain/consortium_configuration.h"
#include "client/configuration_history.h"
#include "client/node_client.h"
#include "client/node_tls_trust.h"
#include "node/ledger_bridge.h"

namespace hc::cli {

namespace {

std::string id_list(const std::vector<std::uint32_t>& ids) {
  std::string out;
  for (std::uint32_t id : ids) out += (out.empty() ? "" : ", ") + std::to_string(id);
  return out;
}

// One node's history, verified, and its tip read over TLS authenticated with the verified CAs.
Result<BenchTargets> targets_from_node(const ClusterState& state, const chain::Genesis& genesis,
                                       const ClusterNodeState& node) {
  HC_ASSIGN_OR_RETURN(nlohmann::json answer, client::fetch_change_history_unauthenticated(node.api_url));
  HC_ASSIGN_OR_RETURN(auto proofs, chain::change_proofs_from_json(answer));
  HC_ASSIGN_OR_RETURN(auto pbft, node::PbftCertificateVerifier::create(genesis));
  client::ConfigurationHistory history(genesis);
  HC_RETURN_IF_ERROR(history.extend(proofs, *pbft).with_context("its membership changes"));
  HC_ASSIGN_OR_RETURN(std::vector<std::string> anchors, client::member_tls_cas(history.view()));
  HC_ASSIGN_OR_RETURN(client::NodeClient authenticated, client::NodeClient::connect(node.api_url, {}, anchors));
  HC_ASSIGN_OR_RETURN(nlohmann::json status, authenticated.status());
  const nlohmann::json height = status.value("height", nlohmann::json());
  if (!height.is_number_unsigned()) return invalid_input(node.name + "'s status lacks \"height\"");
  return bench_targets_at(state, history.view(), height.get<std::uint64_t>());
}

}  // namespace

Result<BenchTargets> bench_targets_at(const ClusterState& state, const chain::TrusteeStateView& verified,
                                      std::uint64_t tip_height) {
  HC_ASSIGN_OR_RETURN(chain::ReplicaConfiguration in_force, chain::configuration_at(verified, tip_height + 1));
  BenchTargets out;
  out.configuration = in_force.number;
  out.members = in_force.members;
  HC_ASSIGN_OR_RETURN(out.tls_anchors, client::member_tls_cas(verified));
  for (std::uint32_t id : in_force.members) {
    auto node = std::find_if(state.nodes.begin(), state.nodes.end(),
                             [&](const ClusterNodeState& n) { return n.id == id; });
    if (node != state.nodes.end()) out.nodes.push_back(*node);
  }
  if (out.nodes.empty()) {
    return invalid_input("no node of the cluster is a member of configuration " + std::to_string(out.configuration) +
                         " in force at height " + std::to_string(tip_height) + " (members " + id_list(out.members) +
                         ")");
  }
  return out;
}

Result<BenchTargets> find_bench_targets(const ClusterState& state, const chain::Genesis& genesis) {
  std::optional<Status> refused;  // the first node whose history or certificate was refused
  Status last = Status::error(ErrorCode::kUnavailable, "the cluster lists no node that has not left");
  for (const ClusterNodeState* node : current_cluster_nodes(state)) {
    auto targets = targets_from_node(state, genesis, *node);
    if (targets.ok()) return targets;
    last = targets.status().with_context(node->name);
    if (!refused && last.code() == ErrorCode::kAuthFailed) refused = last;
  }
  return refused ? *refused : last;
}

}  // namespace hc::cli

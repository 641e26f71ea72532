#include "client/node_tls_trust.h"

#include <algorithm>

#include "chain/change_proof.h"
#include "chain/governance_state.h"
#include "client/configuration_history.h"
#include "common/secure_bytes.h"
#include "crypto/bounded_json.h"
#include "net/http_client.h"
#include "net/tls_certificate.h"
#include "node/ledger_bridge.h"

namespace hc::client {

namespace {

constexpr std::uint32_t kProbeTimeoutMs = 10000;

Status not_a_member_certificate(const std::string& node_url, const std::string& why) {
  return Status::error(ErrorCode::kAuthFailed,
                       "node at " + node_url.substr(0, 200) +
                           " is not trusted: its TLS certificate chains to no CA of a hospital that is or was a "
                           "member (the genesis's, or one named by a join request its verified change history "
                           "proves accepted): " + why);
}

// Whether a handshake with `anchors` is refused for the certificate (the probe: GET /v1/status,
// public). Anything else (unreachable, an error answer) is left for the real call to report.
Result<bool> certificate_refused(const std::string& node_url, const std::vector<std::string>& anchors,
                                 std::string& reason) {
  HC_ASSIGN_OR_RETURN(NodeClient probe, NodeClient::connect(node_url, {}, anchors));
  auto answered = probe.status();
  if (answered.ok() || answered.status().code() != ErrorCode::kAuthFailed) return false;
  reason = answered.status().message();
  return true;
}

}  // namespace

Result<std::vector<std::string>> member_tls_cas(const chain::TrusteeStateView& verified) {
  std::vector<std::string> out = verified.genesis().tls_trust_anchors();
  std::uint32_t first_joined = 0;
  for (const chain::ReplicaInfo& r : verified.genesis().replicas) first_joined = std::max(first_joined, r.id + 1);
  HC_ASSIGN_OR_RETURN(chain::ConsortiumHead head, chain::read_consortium_head(verified));
  for (std::uint32_t id = first_joined; id < head.next_replica_id; ++id) {
    HC_ASSIGN_OR_RETURN(auto member, chain::read_member(verified, id));
    if (!member || member->tls_ca_pem.empty()) continue;
    if (!net::check_tls_ca_certificate(member->tls_ca_pem).ok()) continue;  // it can vouch for nothing
    if (std::find(out.begin(), out.end(), member->tls_ca_pem) == out.end()) out.push_back(member->tls_ca_pem);
  }
  return out;
}

Result<nlohmann::json> fetch_change_history_unauthenticated(const std::string& node_url) {
  HC_ASSIGN_OR_RETURN(net::HttpUrl url, net::parse_http_url(node_url));
  net::HttpCallOptions options;
  if (url.tls) {
    HC_ASSIGN_OR_RETURN(options.tls, net::make_unauthenticated_tls_client_context());
  }
  options.timeout_ms = kProbeTimeoutMs;
  HC_ASSIGN_OR_RETURN(net::HttpResponse response, net::http_call(url, "GET", "/v1/consortium/changes", "", options));
  if (response.status != 200) {
    return Status::error(ErrorCode::kUnavailable,
                         "membership changes: the node answered HTTP " + std::to_string(response.status));
  }
  auto parsed = crypto::parse_bounded_json(response.body, "membership changes");
  if (!parsed.ok()) return Status::error(ErrorCode::kUnavailable, parsed.status().message());
  return parsed;
}

Result<std::vector<std::string>> verified_member_tls_cas(const chain::Genesis& genesis,
                                                         const nlohmann::json& change_history) {
  HC_ASSIGN_OR_RETURN(auto pbft, node::PbftCertificateVerifier::create(genesis));
  HC_ASSIGN_OR_RETURN(auto proofs, chain::change_proofs_from_json(change_history));
  ConfigurationHistory history(genesis);
  HC_RETURN_IF_ERROR(history.extend(proofs, *pbft));
  return member_tls_cas(history.view());
}

Result<std::vector<std::string>> tls_anchors_for_node(const chain::Genesis& genesis, const std::string& node_url) {
  std::vector<std::string> anchors = genesis.tls_trust_anchors();
  HC_ASSIGN_OR_RETURN(net::HttpUrl url, net::parse_http_url(node_url));
  if (!url.tls || anchors.empty()) return anchors;  // NodeClient::connect reports https without anchors
  std::string refusal;
  HC_ASSIGN_OR_RETURN(bool refused, certificate_refused(node_url, anchors, refusal));
  if (!refused) return anchors;
  HC_ASSIGN_OR_RETURN(nlohmann::json changes, fetch_change_history_unauthenticated(node_url));
  auto members = verified_member_tls_cas(genesis, changes);
  if (!members.ok()) return not_a_member_certificate(node_url, "its change history did not verify: " + members.status().message());
  if (members->size() == anchors.size()) return not_a_member_certificate(node_url, refusal);
  HC_ASSIGN_OR_RETURN(bool still_refused, certificate_refused(node_url, *members, refusal));
  if (still_refused) return not_a_member_certificate(node_url, refusal);
  return members;
}

Result<NodeClient> connect_to_node(const std::string& node_url, std::string bearer_token, const chain::Genesis& genesis) {
  auto anchors = tls_anchors_for_node(genesis, node_url);
  if (!anchors.ok()) {
    secure_wipe(bearer_token.data(), bearer_token.size());
    return anchors.status();
  }
  return NodeClient::connect(node_url, std::move(bearer_token), *anchors);
}

}  // namespace hc::client

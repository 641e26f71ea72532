#include "cli/cluster_client.h"

#include <nlohmann/json.hpp>

#include "chain/genesis.h"
#include "client/node_tls_trust.h"
#include "net/http_client.h"
#include "crypto/bounded_json.h"

namespace hc::cli {

namespace {

using nlohmann::json;
constexpr std::uint32_t kPostTimeoutMs = 10000;
constexpr std::size_t kMaxAnswerBytes = 1024 * 1024;

Result<json> call_json(const std::string& api_url, const std::string& method, const std::string& path,
                       const std::string& body, std::uint32_t timeout_ms, const std::shared_ptr<net::TlsContext>& tls) {
  HC_ASSIGN_OR_RETURN(net::HttpUrl url, net::parse_http_url(api_url));
  net::HttpCallOptions options;
  options.timeout_ms = timeout_ms;
  options.max_response_bytes = kMaxAnswerBytes;
  options.tls = tls;
  HC_ASSIGN_OR_RETURN(net::HttpResponse response, net::http_call(url, method, path, body, options));
  json doc = crypto::json_depth_within(response.body, crypto::kMaxJsonDepth)
                 ? json::parse(response.body, nullptr, false)
                 : json(json::value_t::discarded);
  if (response.status >= 400) {
    std::string message = "HTTP " + std::to_string(response.status);
    if (!doc.is_discarded() && doc.contains("error") && doc["error"].is_object() &&
        doc["error"].value("message", json()).is_string()) {
      message += ": " + doc["error"]["message"].get<std::string>();
    }
    ErrorCode code = response.status >= 500   ? ErrorCode::kUnavailable
                     : response.status == 404 ? ErrorCode::kNotFound
                                              : ErrorCode::kInvalidInput;
    return Status::error(code, api_url + path + ": " + message);
  }
  if (doc.is_discarded() || !doc.is_object()) return invalid_input(api_url + path + ": answer is not a JSON object");
  return doc;
}

template <typename T>
Result<T> get_number(const json& doc, const char* field) {
  auto it = doc.find(field);
  if (it == doc.end() || !it->is_number_unsigned()) return invalid_input(std::string("node answer lacks \"") + field + "\"");
  return it->get<T>();
}

}  // namespace

Result<std::shared_ptr<net::TlsContext>> cluster_tls(const ClusterState& state) {
  bool https = false;
  for (const ClusterNodeState& n : state.nodes) https |= n.api_url.rfind("https://", 0) == 0;
  if (!https) return std::shared_ptr<net::TlsContext>();
  auto genesis = chain::load_genesis_file(state.genesis.string());
  if (!genesis.ok()) return genesis.status().with_context("genesis " + state.genesis.string());
  bool joined = false;
  for (const ClusterNodeState& n : state.nodes) joined |= !genesis->replica_key(n.id).has_value();
  if (!joined) return net::make_tls_client_context(genesis->tls_trust_anchors());
  // A hospital that joined: its CA from the change history verified from the genesis (the
  // first current node that proves one; the history proves itself whoever sends it).
  for (const ClusterNodeState* n : current_cluster_nodes(state)) {
    auto changes = client::fetch_change_history_unauthenticated(n->api_url);
    if (!changes.ok()) continue;  // not up (yet)
    auto cas = client::verified_member_tls_cas(*genesis, *changes);
    if (!cas.ok()) return cas.status().with_context(n->name + "'s membership changes");
    return net::make_tls_client_context(*cas);
  }
  return net::make_tls_client_context(genesis->tls_trust_anchors());  // none answers: joined ones refused for now
}

Result<NodeStatusView> fetch_node_status(const std::string& api_url, std::uint32_t timeout_ms,
                                         const std::shared_ptr<net::TlsContext>& tls) {
  HC_ASSIGN_OR_RETURN(json doc, call_json(api_url, "GET", "/v1/status", "", timeout_ms, tls));
  NodeStatusView s;
  HC_ASSIGN_OR_RETURN(s.node_id, get_number<std::uint32_t>(doc, "node_id"));
  HC_ASSIGN_OR_RETURN(s.height, get_number<std::uint64_t>(doc, "height"));
  HC_ASSIGN_OR_RETURN(s.view, get_number<std::uint64_t>(doc, "view"));
  HC_ASSIGN_OR_RETURN(s.primary, get_number<std::uint32_t>(doc, "primary"));
  HC_ASSIGN_OR_RETURN(s.epoch, get_number<std::uint64_t>(doc, "epoch"));
  if (doc.value("configuration", json()).is_number_unsigned()) s.configuration = doc["configuration"].get<std::uint64_t>();
  if (doc.value("member", json()).is_boolean()) s.member = doc["member"].get<bool>();
  if (doc.value("member_key", json()).is_boolean()) s.member_key = doc["member_key"].get<bool>();
  auto peers = doc.find("peers");
  if (peers == doc.end() || !peers->is_array()) return invalid_input("status lacks \"peers\"");
  for (const json& p : *peers) {
    if (!p.is_object() || !p.value("id", json()).is_number_unsigned()) return invalid_input("status has a bad peer");
    if (p["id"].get<std::uint64_t>() == s.node_id) continue;  // the node itself, if listed
    ++s.peers_total;
    if (p.value("connected", false)) ++s.peers_connected;
  }
  return s;
}

namespace {

Result<std::vector<std::uint32_t>> id_array(const json& doc, const char* what) {
  if (!doc.is_array()) return invalid_input(std::string("consortium answer: ") + what + " is not a list");
  std::vector<std::uint32_t> ids;
  for (const json& v : doc) {
    const json& id = v.is_object() ? v.value("id", json()) : v;
    if (!id.is_number_unsigned() || id.get<std::uint64_t>() > 0xffffffffu) {
      return invalid_input(std::string("consortium answer: ") + what + " holds a bad replica id");
    }
    ids.push_back(id.get<std::uint32_t>());
  }
  return ids;
}

}  // namespace

Result<ConsortiumView> fetch_consortium(const std::string& api_url, const std::shared_ptr<net::TlsContext>& tls) {
  HC_ASSIGN_OR_RETURN(json doc, call_json(api_url, "GET", "/v1/consortium", "", kPostTimeoutMs, tls));
  ConsortiumView view;
  HC_ASSIGN_OR_RETURN(view.height, get_number<std::uint64_t>(doc, "height"));
  HC_ASSIGN_OR_RETURN(view.approvals_needed, get_number<std::size_t>(doc, "approvals_needed"));
  HC_ASSIGN_OR_RETURN(view.next_replica_id, get_number<std::uint32_t>(doc, "next_replica_id"));
  HC_ASSIGN_OR_RETURN(view.members, id_array(doc.value("members", json()), "members"));
  const json changes = doc.value("changes", json());
  if (!changes.is_array()) return invalid_input("consortium answer lacks \"changes\"");
  for (const json& c : changes) {
    if (!c.is_object()) return invalid_input("consortium answer has a bad change");
    ConsortiumChangeView change;
    HC_ASSIGN_OR_RETURN(change.accepted_at_height, get_number<std::uint64_t>(c, "accepted_at_height"));
    HC_ASSIGN_OR_RETURN(change.members, id_array(c.value("members", json()), "a change's members"));
    view.changes.push_back(std::move(change));
  }
  return view;
}

Result<ProposalView> fetch_proposal(const std::string& api_url, const std::string& proposal_id_hex,
                                    const std::shared_ptr<net::TlsContext>& tls) {
  HC_ASSIGN_OR_RETURN(json doc,
                      call_json(api_url, "GET", "/v1/consortium/proposals/" + proposal_id_hex, "", kPostTimeoutMs, tls));
  ProposalView view;
  if (!doc.value("status", json()).is_string()) return invalid_input("proposal answer lacks \"status\"");
  view.status = doc["status"].get<std::string>();
  if (doc.contains("replica_id")) {
    HC_ASSIGN_OR_RETURN(view.replica_id, get_number<std::uint32_t>(doc, "replica_id"));
  }
  return view;
}

Result<std::string> post_manager_transaction(const std::string& api_url, ByteSpan encoding,
                                             const std::shared_ptr<net::TlsContext>& tls) {
  json body = {{"transaction", to_base64(encoding)}};
  HC_ASSIGN_OR_RETURN(json doc, call_json(api_url, "POST", "/v1/manager/transactions", body.dump(), kPostTimeoutMs, tls));
  auto id = doc.find("tx_id");
  if (id == doc.end() || !id->is_string()) return invalid_input("node's answer lacks \"tx_id\"");
  return id->get<std::string>();
}

Result<TxStatusView> fetch_tx_status(const std::string& api_url, const std::string& tx_id_hex,
                                     const std::shared_ptr<net::TlsContext>& tls) {
  auto answer = call_json(api_url, "GET", "/v1/tx/" + tx_id_hex, "", kPostTimeoutMs, tls);
  TxStatusView out;
  if (!answer.ok() && answer.status().code() == ErrorCode::kNotFound) return out;  // unknown
  HC_ASSIGN_OR_RETURN(json doc, std::move(answer));
  std::string status = doc.value("status", json()).is_string() ? doc["status"].get<std::string>() : "";
  if (status == "pending") {
    out.outcome = TxOutcome::kPending;
  } else if (status == "committed") {
    out.outcome = TxOutcome::kCommitted;
    if (doc.value("height", json()).is_number_unsigned()) out.height = doc["height"].get<std::uint64_t>();
  } else if (status == "rejected") {
    out.outcome = TxOutcome::kRejected;
    out.reason = doc.value("reason", json()).is_string() ? doc["reason"].get<std::string>() : "no reason given";
  } else if (status == "unknown") {
    out.outcome = TxOutcome::kUnknown;
  } else {
    return invalid_input("node's transaction status \"" + status + "\" is not one of the documented ones");
  }
  return out;
}

}  // namespace hc::cli

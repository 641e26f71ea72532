// The trustees-mode routes (docs/api.md, "Trustees"): GET /v1/trustee, GET /v1/access-key,
// GET /v1/access-key/{epoch}, GET /v1/access-requests/{request_id} and GET /v1/reader-policy.
// API thread.
#include <nlohmann/json.hpp>

#include "node/node_state.h"

namespace hc::node {

namespace {

using nlohmann::json;
using net::HttpRequest;
using net::HttpResponse;

HttpResponse trustee_api_json(const json& body) {
  return HttpResponse::json(200, body.dump(-1, ' ', false, json::error_handler_t::replace));
}

HttpResponse trustee_status_answer(Node::State& s, const HttpRequest& req) {
  std::string reader;
  if (auto denied = s.authorize(req, ApiRole::kReader, reader)) return *denied;
  if (s.store->genesis().access_mode != chain::AccessMode::kTrustees) {
    return HttpResponse::error(404, "not_found", "this chain is single-manager: it has no trustees");
  }
  if (!s.trustee) return HttpResponse::error(404, "not_found", "this node is not one of the chain's trustees");
  const TrusteeStatus t = s.trustee->status();
  json body{{"mode", "trustees"},
            {"trustee_index", t.trustee_index},
            {"trustees", t.trustees},
            {"threshold", t.threshold},
            {"key_epoch", t.key_epoch},
            {"phase", trustee_dkg_phase_name(t.phase)},
            {"failure", t.phase == TrusteeDkgPhase::kFailed ? json(t.failure) : json(nullptr)},
            {"key_id", t.key_id_hex.empty() ? json(nullptr) : json(t.key_id_hex)},
            {"share_ready", t.share_ready},
            {"scanned_height", t.scanned_height},
            {"deals_posted", t.deals_posted},
            {"complaints_posted", t.complaints_posted},
            {"requests_answered", t.requests_answered},
            {"requests_skipped", t.requests_skipped},
            {"submissions_refused", t.submissions_refused},
            {"last_error", t.last_error.empty() ? json(nullptr) : json(t.last_error)}};
  // Resharing (issue 16 item 3): the sharing in force and this node's seat there (0: none),
  // the latest resharing's epoch and phase with this node's part, and its trustee key files.
  body["sharing"] = {{"reshare_epoch", t.sharing_reshare_epoch}, {"seat", t.sharing_seat}};
  body["resharing"] = t.reshare_epoch == 0
                          ? json(nullptr)
                          : json{{"reshare_epoch", t.reshare_epoch},
                                 {"phase", t.reshare_phase},
                                 {"new_seat", t.reshare_new_seat},
                                 {"announcements_posted", t.announcements_posted},
                                 {"deals_posted", t.reshare_deals_posted},
                                 {"complaints_posted", t.reshare_complaints_posted}};
  body["key_files_held"] = t.key_files_held;
  body["key_files_erased"] = t.key_files_erased;
  return trustee_api_json(body);
}

HttpResponse access_key_route(Node::State& s, std::optional<std::string> epoch) {
  auto body = s.access_key_answers.answer(*s.store, std::move(epoch));
  if (!body.ok()) return HttpResponse::from_status(body.status());
  return trustee_api_json(*body);
}

HttpResponse access_request_route(Node::State& s, const HttpRequest& req, const std::string& id) {
  std::string reader;
  if (auto denied = s.authorize(req, ApiRole::kReader, reader)) return *denied;
  auto body = access_request_answer(*s.store, id);
  if (!body.ok()) return HttpResponse::from_status(body.status());
  return trustee_api_json(*body);
}

HttpResponse reader_policy_route(Node::State& s, const HttpRequest& req) {
  std::string reader;
  if (auto denied = s.authorize(req, ApiRole::kReader, reader)) return *denied;
  auto body = reader_policy_answer(*s.store);
  if (!body.ok()) return HttpResponse::from_status(body.status());
  return trustee_api_json(*body);
}

}  // namespace

std::optional<HttpResponse> Node::State::serve_trustee_api(const HttpRequest& req) {
  const std::string path = req.path();
  const bool get = req.method == "GET";
  auto wrong_method = [] { return HttpResponse::error(405, "method_not_allowed", "method not allowed on this route"); };
  if (path == "/v1/trustee") return get ? trustee_status_answer(*this, req) : wrong_method();
  if (path == "/v1/access-key") return get ? access_key_route(*this, std::nullopt) : wrong_method();
  if (path == "/v1/reader-policy") return get ? reader_policy_route(*this, req) : wrong_method();
  if (path.rfind("/v1/access-key/", 0) == 0) return get ? access_key_route(*this, path.substr(15)) : wrong_method();
  if (path.rfind("/v1/access-requests/", 0) == 0) {
    return get ? access_request_route(*this, req, path.substr(20)) : wrong_method();
  }
  return std::nullopt;
}

}  // namespace hc::node

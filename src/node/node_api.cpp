// The node's HTTP routes (docs/api.md).
#include <nlohmann/json.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string_view>

#include <spdlog/spdlog.h>

#include "chain/block_json.h"
#include "chain/change_proof.h"
#include "chain/committed_item.h"
#include "chain/governance_query.h"
#include "chain/record_signature_check.h"
#include "chain/sealed_record_conversion.h"
#include "chain/transaction_json.h"
#include "common/version.h"
#include "crypto/sealed_record.h"
#include "crypto/visit_padding.h"
#include "node/group_membership_view.h"
#include "chain/trustee_query.h"
#include "node/node_state.h"
#include "node/web_pages.h"

namespace hc::node {

namespace {

using nlohmann::json;
using net::HttpRequest;
using net::HttpResponse;

std::uint64_t node_api_now_ms() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch()).count());
}

HttpResponse ok_json(int status, const json& body) {
  return HttpResponse::json(status, body.dump(-1, ' ', false, json::error_handler_t::replace));
}

// A field name from a client, for an error message: at most 64 bytes, printable ASCII only.
std::string printable_field(const std::string& name) {
  std::string out;
  for (char c : name.substr(0, 64)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  return out;
}

}  // namespace

namespace {

// API thread: parse, sign and verify here; the consensus thread only admits (tx_intake.h).
void submit_record(Node::State& s, const HttpRequest& req, net::HttpServer::Responder respond) {
  std::string doctor;
  if (auto denied = s.authorize(req, ApiRole::kDoctor, doctor)) return respond(*denied);
  auto sealed = chain::chain_record_from_file_json(req.body);  // envelope version 1 or 2
  if (!sealed.ok()) return respond(HttpResponse::from_status(sealed.status()));
  // An unpadded record (an outdated client's) would publish its diagnosis' length (issue 14).
  if (!crypto::is_padded_record_ciphertext_size(sealed->ciphertext.size())) {
    return respond(HttpResponse::error(
        400, "invalid_input",
        "record ciphertext of " + std::to_string(sealed->ciphertext.size()) +
            " bytes is not a padding bucket + 16 (docs/record-format.md, \"Padding\"); seal it with a current client"));
  }
  const ApiSnapshot state = s.snapshot.read();
  if (!state.member) return respond(HttpResponse::from_status(non_member_record_refusal()));
  if (state.pending_txs + s.intake.size() >= s.config.limits.mempool_max_txs) {
    return respond(HttpResponse::error(503, "unavailable", "the mempool is full; retry later"));
  }
  chain::RecordTx record;
  record.sealed = std::move(sealed).value();
  const chain::StoreTrusteeView ledger(*s.store);
  Status signed_ok = s.member->sign(record, state.epoch, ledger);
  if (!signed_ok.ok()) {
    if (signed_ok.code() == ErrorCode::kAuthFailed) return respond(HttpResponse::error(403, "revoked", signed_ok.message()));
    return respond(HttpResponse::from_status(signed_ok));
  }
  // The pairing check, here rather than on the consensus thread: the ledger's own check of
  // this signature is then a cache hit (shared_verifier.h).
  Status verified = chain::verify_record_signature(*s.group_verifier, ledger, record);
  if (!verified.ok()) return respond(HttpResponse::from_status(verified));
  s.enqueue_tx(chain::encode_transaction(chain::Transaction{std::move(record)}), true, std::move(respond));
}

void submit_manager_tx(Node::State& s, const HttpRequest& req, net::HttpServer::Responder respond) {
  auto tx = manager_tx_from_body(req.body);
  if (!tx.ok()) return respond(HttpResponse::from_status(tx.status()));
  s.enqueue_tx(std::move(tx).value(), false, std::move(respond));
}

HttpResponse tx_status(Node::State& s, const std::string& hex) {
  auto id = chain::digest_from_hex(hex);
  if (!id.ok()) return HttpResponse::error(400, "invalid_input", "transaction id must be 64 hex digits");
  auto loc = s.store->find_transaction(*id);
  if (!loc.ok()) return HttpResponse::from_status(loc.status());
  if (loc->has_value()) {
    return ok_json(200, {{"tx_id", hex}, {"status", "committed"}, {"height", (*loc)->height}, {"index", (*loc)->index}});
  }
  // From the consensus engine's pool, never from this node's intake (issue 14, item 3): every
  // replica that holds the transaction answers alike, and the node it was submitted to does
  // not answer "pending" before the others know it.
  const ApiSnapshot state = s.snapshot.read();
  if (state.pending_ids && state.pending_ids->contains(*id)) return ok_json(200, {{"tx_id", hex}, {"status", "pending"}});
  // A record id (the sealed content's digest, POST /v1/records' record_id): committed under
  // whichever transaction carried it, the one first accepted or the one its node signed again
  // after a revocation (own_records.h). From the ledger only, so every node answers alike.
  auto content = s.store->find_record_content(*id);
  if (!content.ok()) return HttpResponse::from_status(content.status());
  if (content->has_value()) {
    const chain::TxLocation at = **content;
    auto block = s.store->read_block(at.height);
    if (!block.ok() || at.index >= block->transactions.size()) {
      return HttpResponse::error(500, "internal", "a committed record's block does not read");
    }
    return ok_json(200, {{"tx_id", chain::digest_hex(chain::transaction_id(block->transactions[at.index]))},
                         {"record_id", hex},
                         {"status", "committed"},
                         {"height", at.height},
                         {"index", at.index}});
  }
  return ok_json(200, {{"tx_id", hex}, {"status", "unknown"}});
}

Result<json> block_json(Node::State& s, std::uint64_t height) {
  if (height == 0 || height > s.store->tip().height) return Status::error(ErrorCode::kNotFound, "no block at that height");
  HC_ASSIGN_OR_RETURN(chain::Block block, s.store->read_block(height));
  json txs = json::array();
  json ids = json::array();
  for (const Bytes& t : block.transactions) {
    auto tx = chain::decode_transaction(t);
    if (!tx.ok()) return Status::error(ErrorCode::kCorrupt, "stored transaction does not decode");
    txs.push_back(chain::transaction_to_json(*tx));
    ids.push_back(chain::digest_hex(chain::transaction_id(t)));
  }
  return json{{"height", height}, {"hash", chain::digest_hex(chain::block_hash(block.header))},
              {"header", chain::header_to_json(block.header)}, {"transactions", txs}, {"tx_ids", ids},
              {"certificate", to_base64(block.commit_certificate)}};
}

// Public, like /v1/status: who the members are and what is proposed is on the chain anyway.
HttpResponse consortium_status(Node::State& s) {
  auto body = chain::consortium_status_json(chain::StoreTrusteeView(*s.store), s.store->tip().height);
  if (!body.ok()) return HttpResponse::from_status(body.status());
  auto group = group_membership_json(*s.store);  // where each joined hospital stands in the group
  if (!group.ok()) return HttpResponse::from_status(group.status());
  (*body)["group"] = std::move(group).value();
  // Trustees mode: the latest resharing of the trustees' shares (issue 16 item 3), as the
  // chain's "reshare" query states it (null before any).
  if (s.store->genesis().access_mode == chain::AccessMode::kTrustees) {
    auto reshare = chain::query_trustees_state(*s.store, "reshare", std::nullopt);
    (*body)["resharing"] = reshare && reshare->ok() ? std::move(*reshare).value() : nlohmann::json(nullptr);
  }
  return ok_json(200, *body);
}

HttpResponse consortium_proposal(Node::State& s, const std::string& hex) {
  auto id = chain::digest_from_hex(hex);
  if (!id.ok()) return HttpResponse::error(400, "invalid_input", "proposal id must be 64 hex digits");
  auto body = chain::proposal_status_json(chain::StoreTrusteeView(*s.store), *id, s.store->tip().height);
  return body.ok() ? ok_json(200, *body) : HttpResponse::from_status(body.status());
}

// Public, like /v1/consortium: the proofs of every membership change (chain/change_proof.h),
// from which a client verifies the configurations from the genesis on.
HttpResponse consortium_changes(Node::State& s) {
  auto proofs = chain::change_proofs_from_store(*s.store);
  if (!proofs.ok()) return HttpResponse::from_status(proofs.status());
  std::string body = chain::change_proofs_to_json(*proofs).dump();
  if (body.size() > chain::kMaxChangeProofsJsonBytes) {
    return HttpResponse::error(503, "unavailable", "the membership change proofs exceed " +
                                                       std::to_string(chain::kMaxChangeProofsJsonBytes) + " bytes");
  }
  return HttpResponse::json(200, std::move(body));
}

HttpResponse records_by_serial(Node::State& s, const HttpRequest& req, const std::string& hex) {
  std::string reader;
  if (auto denied = s.authorize(req, ApiRole::kReader, reader)) return *denied;
  auto serial = chain::digest_from_hex(hex);
  if (!serial.ok()) return HttpResponse::error(400, "invalid_input", "serial must be 64 hex digits");
  // The hospital's own access log: who read which serial (a pseudonym of the patient).
  spdlog::info("records of serial {}... read by reader {}", hex.substr(0, 16), reader);
  auto hits = s.store->serial_hits(*serial);
  if (!hits.ok()) return HttpResponse::from_status(hits.status());
  std::map<std::uint64_t, chain::Block> blocks;  // each named block read once
  json items = json::array();
  for (const chain::SerialHit& hit : *hits) {
    auto [it, inserted] = blocks.try_emplace(hit.location.height);
    if (inserted) {
      auto block = s.store->read_block(hit.location.height);
      if (!block.ok()) return HttpResponse::from_status(block.status());
      it->second = std::move(block).value();
    }
    const chain::Block& block = it->second;
    auto item = chain::committed_item_to_json(block, hit.location.height, hit.location.index);
    if (!item.ok()) return HttpResponse::from_status(item.status());
    (*item)["kind"] = chain::tx_kind_name(hit.kind);
    items.push_back(std::move(item).value());
  }
  return ok_json(200, {{"serial", hex}, {"items", items}});
}

// Built by the consensus thread once per publication (envelope_key_answer.h).
HttpResponse envelope_key(Node::State& s) {
  const ApiSnapshot state = s.snapshot.read();
  // Never null once the API listens: the first snapshot is published before (start_network).
  if (!state.envelope_key) return HttpResponse::error(500, "internal", "the envelope key answer is not ready");
  return HttpResponse::json(state.envelope_key->status, state.envelope_key->body);
}

HttpResponse status_json(Node::State& s) {
  json peers = json::array();
  auto connected = s.transport->connected_peers();
  for (std::uint32_t id : s.transport->configured_peers()) {  // the chain's members in force
    bool up = std::find(connected.begin(), connected.end(), id) != connected.end();
    peers.push_back({{"id", id}, {"connected", up}});
  }
  chain::ChainTip tip = s.store->tip();
  const ApiSnapshot state = s.snapshot.read();
  return ok_json(200, {{"version", software_version()}, {"chain_id", s.store->genesis().chain_name},
                       {"genesis_hash", chain::digest_hex(s.store->genesis_hash())},
                       {"node_id", s.config.node_id}, {"name", s.config.name}, {"healthy", state.healthy},
                       {"height", tip.height},
                       {"view", state.view},
                       {"primary", state.primary},
                       {"configuration", state.configuration}, {"member", state.member},
                       {"in_view_change", state.in_view_change}, {"catching_up", state.catching_up},
                       {"epoch", state.epoch},
                       {"member_epoch", s.member->epoch()}, {"member_key", s.member->has_key()},
                       {"revoked", s.member->revoked()},
                       {"mempool_txs", state.pending_txs}, {"app_hash", chain::digest_hex(tip.app_hash)},
                       {"peers", peers}});
}

// 200 while the replica takes part in consensus; 503 with the reason once it halted or while
// consensus is stalled (no quorum connected, or work pending and no commit: consensus_health.h).
HttpResponse health_json(Node::State& s) {
  const ApiSnapshot state = s.snapshot.read();
  if (state.healthy) return ok_json(200, {{"healthy", true}});
  return ok_json(503, {{"healthy", false}, {"reason", state.halted_reason}});
}

// Without a bearer token: the public metrics (metrics.h: nothing that only the node a record
// was submitted to moves). With the administrator's token: every metric. Another token: 401
// or 403. The consensus thread refreshes the gauges.
HttpResponse metrics_text(Node::State& s, const HttpRequest& req) {
  MetricsAudience audience = MetricsAudience::kPublic;
  if (!req.header("authorization").empty()) {
    std::string admin;
    if (auto denied = s.authorize(req, ApiRole::kAdmin, admin)) return *denied;
    audience = MetricsAudience::kOperator;
  }
  HttpResponse r = HttpResponse::json(200, s.metrics.render(audience));
  r.content_type = "text/plain; version=0.0.4";
  return r;
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

HttpResponse route(Node::State& s, const HttpRequest& req) {
  const std::string path = req.path();
  const bool get = req.method == "GET";
  auto wrong_method = [] { return HttpResponse::error(405, "method_not_allowed", "method not allowed on this route"); };
  if (path == "/v1/records" || path == "/v1/manager/transactions") return wrong_method();  // POST: handle_http
  if (path == "/v1/status") return get ? status_json(s) : wrong_method();
  if (path == "/v1/health") return get ? health_json(s) : wrong_method();
  if (path == "/v1/envelope-key") return get ? envelope_key(s) : wrong_method();
  if (path == "/v1/whoami") return get ? s.whoami(req) : wrong_method();
  if (path == "/v1/accounts" || starts_with(path, "/v1/accounts/")) return s.serve_accounts(req);
  if (path == "/metrics") return get ? metrics_text(s, req) : wrong_method();
  if (starts_with(path, "/v1/tx/")) return get ? tx_status(s, path.substr(7)) : wrong_method();
  if (path == "/v1/consortium") return get ? consortium_status(s) : wrong_method();
  if (starts_with(path, "/v1/consortium/proposals/")) return get ? consortium_proposal(s, path.substr(25)) : wrong_method();
  if (path == "/v1/consortium/changes") return get ? consortium_changes(s) : wrong_method();
  if (starts_with(path, "/v1/records/")) return get ? records_by_serial(s, req, path.substr(12)) : wrong_method();
  if (starts_with(path, "/v1/blocks/")) {
    if (!get) return wrong_method();
    std::uint64_t height = 0;
    std::string arg = path.substr(11);
    auto [end, ec] = std::from_chars(arg.data(), arg.data() + arg.size(), height);
    if (ec != std::errc() || end != arg.data() + arg.size() || arg.empty()) {
      return HttpResponse::error(400, "invalid_input", "block height must be a decimal number");
    }
    auto j = block_json(s, height);
    return j.ok() ? ok_json(200, *j) : HttpResponse::from_status(j.status());
  }
  if (auto trustees = s.serve_trustee_api(req)) return std::move(*trustees);
  if (auto page = serve_web_page(req)) return std::move(*page);  // /doctor/ (web_pages.h)
  return HttpResponse::error(404, "not_found", "no route " + path);
}

}  // namespace

namespace {

// The route a request took, as a metric label: one of a fixed set (ids and heights are not
// labels), so a client cannot grow the metrics.
std::string api_route_label(const HttpRequest& req) {
  const std::string path = req.path();
  const std::string method = req.method == "GET" || req.method == "POST" ? req.method : "OTHER";
  static const char* const kExact[] = {"/v1/records", "/v1/manager/transactions", "/v1/status", "/v1/health",
                                       "/v1/envelope-key", "/metrics", "/v1/trustee", "/v1/access-key",
                                       "/v1/reader-policy", "/v1/consortium", "/v1/consortium/changes"};
  for (const char* exact : kExact) {
    if (path == exact) return method + " " + exact;
  }
  if (starts_with(path, "/v1/tx/")) return method + " /v1/tx/{id}";
  if (starts_with(path, "/v1/consortium/proposals/")) return method + " /v1/consortium/proposals/{id}";
  if (starts_with(path, "/v1/records/")) return method + " /v1/records/{serial}";
  if (starts_with(path, "/v1/blocks/")) return method + " /v1/blocks/{height}";
  if (starts_with(path, "/v1/access-key/")) return method + " /v1/access-key/{epoch}";
  if (starts_with(path, "/v1/access-requests/")) return method + " /v1/access-requests/{request_id}";
  return "other";
}

// At most this many refused requests are logged per second (a flood must not flood the log).
constexpr std::uint32_t kRefusalLogsPerSecond = 10;

struct RefusalLogBudget {
  std::mutex mu;
  std::uint64_t second = 0;
  std::uint32_t logged = 0;
  std::uint64_t suppressed = 0;
};

void log_refused_request(RefusalLogBudget& budget, const std::string& route, const std::string& address,
                         int status, const std::string& body) {
  const std::uint64_t second = node_api_now_ms() / 1000;
  std::uint64_t suppressed = 0;
  {
    std::lock_guard<std::mutex> lock(budget.mu);
    if (second != budget.second) {
      suppressed = budget.suppressed;
      budget.second = second;
      budget.logged = 0;
      budget.suppressed = 0;
    }
    if (budget.logged >= kRefusalLogsPerSecond) {
      ++budget.suppressed;
      return;
    }
    ++budget.logged;
  }
  if (suppressed > 0) spdlog::info("refused requests not logged: {} in the last second", suppressed);
  // The error code only (never the body of a request): "rate_limited", "unauthorized"...
  json parsed = json::parse(body, nullptr, false);
  std::string code = "-";
  if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_object() &&
      parsed["error"].contains("code") && parsed["error"]["code"].is_string()) {
    code = parsed["error"]["code"].get<std::string>();
  }
  spdlog::info("request refused status={} code={} route=\"{}\" from={}", status, printable_field(code), route,
               address);
}

}  // namespace

net::HttpServer::Responder Node::State::observed(const HttpRequest& request, net::HttpServer::Responder respond) {
  static RefusalLogBudget refusal_budget;
  return [this, route = api_route_label(request), address = request.remote_address,
          started = std::chrono::steady_clock::now(), respond = std::move(respond)](HttpResponse response) {
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    metrics.observe_seconds("hc_api_request_seconds{route=\"" + route + "\"}",
                            "API requests by route, from the request read to the answer handed to the server",
                            took.count());
    // 401 and 403 are logged by authorize() (api_authorize.cpp), naming the account.
    if (response.status >= 400 && response.status != 404 && response.status != 401 && response.status != 403) {
      log_refused_request(refusal_budget, route, address, response.status, response.body);
    }
    respond(std::move(response));
  };
}

namespace {

bool manager_body_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

bool manager_body_base64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/' ||
         c == '=';
}

// The base64 text of a body of exactly the form {"transaction": "<base64>"} (JSON whitespace
// allowed between tokens), found by one linear scan without building a JSON document: an
// unauthenticated route must refuse a large body of any other shape for the cost of reading
// it, not of parsing it (a 2 MiB wide JSON body costs tens of milliseconds to parse).
std::optional<std::string_view> manager_body_transaction_text(std::string_view body) {
  std::size_t i = 0;
  auto skip_space = [&] {
    while (i < body.size() && manager_body_space(body[i])) ++i;
  };
  auto expect = [&](std::string_view token) {
    skip_space();
    if (body.substr(i, token.size()) != token) return false;
    i += token.size();
    return true;
  };
  if (!expect("{") || !expect("\"transaction\"") || !expect(":") || !expect("\"")) return std::nullopt;
  const std::size_t start = i;
  while (i < body.size() && manager_body_base64_char(body[i])) ++i;
  const std::string_view text = body.substr(start, i - start);
  if (!expect("\"") || !expect("}")) return std::nullopt;
  skip_space();
  if (i != body.size()) return std::nullopt;
  return text;
}

// For the error message of a body of another shape: the first field whose name is not
// "transaction", found among the first two keys without parsing (a plain name of at most 64
// printable characters), or "" when there is none to name.
std::string manager_body_stray_field(std::string_view body) {
  std::size_t i = 0;
  auto skip_space = [&] {
    while (i < body.size() && manager_body_space(body[i])) ++i;
  };
  auto read_key = [&]() -> std::optional<std::string> {
    skip_space();
    if (i >= body.size() || body[i] != '"') return std::nullopt;
    const std::size_t start = ++i;
    while (i < body.size() && i - start <= 64 && body[i] != '"' && body[i] != '\\' && body[i] >= 0x20 && body[i] < 0x7f) ++i;
    if (i >= body.size() || body[i] != '"') return std::nullopt;
    return std::string(body.substr(start, i++ - start));
  };
  skip_space();
  if (i >= body.size() || body[i++] != '{') return "";
  std::optional<std::string> first = read_key();
  if (!first) return "";
  if (*first != "transaction") return *first;
  skip_space();
  if (i >= body.size() || body[i++] != ':') return "";
  skip_space();
  if (i >= body.size() || body[i++] != '"') return "";
  while (i < body.size() && manager_body_base64_char(body[i])) ++i;
  if (i >= body.size() || body[i++] != '"') return "";
  skip_space();
  if (i >= body.size() || body[i++] != ',') return "";
  std::optional<std::string> second = read_key();
  return second ? *second : "";
}

}  // namespace

Result<Bytes> manager_tx_from_body(const std::string& body_text) {
  const std::optional<std::string_view> text = manager_body_transaction_text(body_text);
  if (!text) {
    const std::string stray = manager_body_stray_field(body_text);
    return invalid_input((stray.empty() ? std::string() : "unknown field \"" + stray + "\" in the body: ") +
                         "body must be exactly {\"transaction\": \"<base64>\"}");
  }
  HC_ASSIGN_OR_RETURN(Bytes tx, from_base64(*text));
  HC_ASSIGN_OR_RETURN(chain::Transaction decoded, chain::decode_transaction(tx));
  // Consortium governance transactions come this way too: like the manager's, each carries its
  // signer's signature, which the ledger checks (chain/governance_rules.h).
  if (!chain::is_manager_tx(decoded) && !chain::is_governance_tx(decoded)) {
    return invalid_input("only manager and consortium governance transactions are accepted here");
  }
  return tx;
}

void Node::State::handle_http(const HttpRequest& request, net::HttpServer::Responder respond) {
  const std::string path = request.path();
  if (request.method == "POST" && path == "/v1/records") return submit_record(*this, request, std::move(respond));
  if (request.method == "POST" && path == "/v1/manager/transactions") {
    return submit_manager_tx(*this, request, std::move(respond));
  }
  HttpResponse response = route(*this, request);
  metrics.add_counter("hc_api_requests_total{status=\"" + std::to_string(response.status) + "\"}",
                      "API requests by status");
  respond(std::move(response));
}

}  // namespace hc::node

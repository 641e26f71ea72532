#include "client/console_app.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <variant>

#include "chain/transaction.h"
#include "client/access_request_answer.h"
#include "client/audit_purpose.h"
#include "client/console_access.h"
#include "client/item_verification.h"
#include "client/trustee_names.h"
#include "common/bytes.h"
#include "crypto/bounded_json.h"
#include "crypto/hash.h"
#include "crypto/serial_number.h"
#include "node/web_pages.h"

namespace hc::client {

namespace {

using nlohmann::json;

constexpr std::string_view kConsolePagePrefixes[] = {"/console"};
// The explorer's modules the health page reuses (its charts), served alone: not the explorer.
constexpr std::string_view kExplorerPrefix[] = {"/explorer"};
constexpr std::string_view kSharedExplorerModules[] = {"/explorer/chart.js", "/explorer/metrics.js",
                                                       "/explorer/format.js"};

net::HttpResponse console_json(int status, const json& body) {
  net::HttpResponse r = net::HttpResponse::json(status, body.dump(-1, ' ', false, json::error_handler_t::replace));
  node::add_web_security_headers(r);
  r.headers["Cache-Control"] = "no-store";
  return r;
}

net::HttpResponse console_error(int status, const std::string& code, const std::string& message,
                                const std::string& field = "") {
  json body = {{"error", {{"code", code}, {"message", message}}}};
  if (!field.empty()) body["error"]["field"] = field;
  return console_json(status, body);
}

struct JsonWipe {
  json& j;
  ~JsonWipe() { crypto::wipe_json_strings(j); }
};

bool same_text_constant_time(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) diff |= static_cast<unsigned char>(a[i] ^ b[i]);
  return diff == 0;
}

// What the first page shows of a verified item: where it is and its metadata, never a sealed
// byte (the visit itself needs the manager's or the trustees' key: a later page).
json item_metadata(const VerifiedItem& item) {
  json j = {{"height", item.height},
            {"index", item.index},
            {"tx_id", to_hex(item.tx_id)},
            {"kind", chain::tx_kind_name(chain::kind_of(item.tx))},
            {"block_time_ms", item.header.timestamp_ms}};
  if (const auto* r = std::get_if<chain::RecordTx>(&item.tx)) {
    j["key_id"] = to_hex(r->sealed.key_id);
    j["envelope_version"] = r->sealed.envelope_version;
    j["group_epoch"] = r->epoch;
    j["ciphertext_bytes"] = r->sealed.ciphertext.size();
  } else if (const auto* a = std::get_if<chain::AccessAuditTx>(&item.tx)) {
    j["time_ms"] = a->timestamp_ms;
    j["purpose"] = a->purpose;
    if (!a->accessor.empty()) j["accessor"] = a->accessor;
  } else if (const auto* q = std::get_if<chain::AccessRequestTx>(&item.tx)) {
    j["time_ms"] = q->timestamp_ms;
    j["purpose"] = q->purpose;
    j["records_named"] = q->record_ids.size();
    j["requested_by"] = q->reader ? "reader " + to_hex(*q->reader) : std::string("manager");
    j["asks"] = q->decrypt && q->open ? "decrypt and open" : q->open ? "open" : "decrypt";
  }
  return j;
}

}  // namespace

ConsoleApp::ConsoleApp(SecureBytes pseudonym_key, const ChainTrust& trust, SerialFetcher fetch)
    : pseudonym_key_(std::move(pseudonym_key)),
      trust_(trust),
      fetch_(std::move(fetch)),
      trustee_names_(trustee_names(trust.genesis())) {
  std::array<std::uint8_t, 32> token{};
  crypto::random_bytes(token);
  session_token_ = to_hex(token);
}

bool ConsoleApp::own_host(const std::string& host) const {
  const std::string port = std::to_string(port_);
  return host == "127.0.0.1:" + port || host == "localhost:" + port;
}

net::HttpResponse ConsoleApp::handle(const net::HttpRequest& request) const {
  if (!own_host(request.header("host"))) {
    return console_error(403, "forbidden", "the console answers only at http://127.0.0.1:" + std::to_string(port_) + "/");
  }
  const std::string path = request.path();
  if (path == "/console-api/session") {
    if (request.method != "GET") return console_error(405, "method_not_allowed", "GET only");
    const chain::Genesis& g = trust_.genesis();
    json session = {{"token", session_token_},
                    {"chain_id", g.chain_name},
                    {"access_mode", chain::access_mode_name(g.access_mode)},
                    {"threshold", g.trustee_threshold},
                    {"trustees", g.trustee_keys.size()}};
    if (access_ != nullptr) session["requester"] = access_->requester();
    session["can_revoke"] = static_cast<bool>(revoker_);
    session["can_rotate_key"] = static_cast<bool>(rotator_);
    return console_json(200, session);
  }
  if (path == "/console-api/find") {
    if (request.method != "POST") return console_error(405, "method_not_allowed", "POST only");
    return find(request);
  }
  if (path == "/console-api/access") {
    if (request.method != "POST") return console_error(405, "method_not_allowed", "POST only");
    return start_access(request);
  }
  constexpr std::string_view kJobPrefix = "/console-api/access/";
  if (path.rfind(kJobPrefix, 0) == 0) {
    if (request.method != "GET") return console_error(405, "method_not_allowed", "GET only");
    const std::string job_id = path.substr(kJobPrefix.size());
    if (job_id.size() != 32 || job_id.find_first_not_of("0123456789abcdef") != std::string::npos) {
      return console_error(404, "not_found", "an access job is named by 32 hex digits");
    }
    return access_job(request, job_id);
  }
  if (path == "/console-api/revoke") {
    if (request.method != "POST") return console_error(405, "method_not_allowed", "POST only");
    return revoke(request);
  }
  if (path == "/console-api/rotate-key") {
    if (request.method != "POST") return console_error(405, "method_not_allowed", "POST only");
    return rotate_key(request);
  }
  if (path == "/console-api/health") {
    if (request.method != "GET") return console_error(405, "method_not_allowed", "GET only");
    if (auto refused = refuse_foreign(request)) return std::move(*refused);
    if (!health_) return console_error(404, "not_found", "this console watches no node's health");
    return console_json(200, health_());
  }
  if (std::find(std::begin(kSharedExplorerModules), std::end(kSharedExplorerModules), path) !=
      std::end(kSharedExplorerModules)) {
    if (auto module = node::serve_embedded_pages(request, kExplorerPrefix)) return std::move(*module);
  }
  if (auto page = node::serve_embedded_pages(request, kConsolePagePrefixes)) return std::move(*page);
  return console_error(404, "not_found", "no such page: the console is at /console/");
}

std::optional<net::HttpResponse> ConsoleApp::refuse_foreign(const net::HttpRequest& request) const {
  const std::string origin = request.header("origin");
  if (!origin.empty() && origin != "http://127.0.0.1:" + std::to_string(port_) &&
      origin != "http://localhost:" + std::to_string(port_)) {
    return console_error(403, "forbidden", "a request from another origin");
  }
  if (!same_text_constant_time(request.header("x-console-token"), session_token_)) {
    return console_error(403, "forbidden", "missing or wrong session token: reload the console page");
  }
  return std::nullopt;
}

// A find or access body: exactly the fields named, each text; the serial of its name and ID.
// The request's JSON strings are wiped by the caller's guard.
Result<chain::Serial> ConsoleApp::serial_of_body(const json& body, std::initializer_list<const char*> fields,
                                                 std::string& field) const {
  bool shaped = body.is_object() && body.size() == fields.size();
  for (const char* f : fields) shaped = shaped && body.contains(f) && body[f].is_string();
  if (!shaped) {
    std::string names;
    for (const char* f : fields) names += std::string(names.empty() ? "" : ", ") + "\"" + f + "\": text";
    return invalid_input("the body must be {" + names + "}");
  }
  auto serial = crypto::compute_serial(pseudonym_key_.span(), body["name"].get_ref<const std::string&>(),
                                       body["id"].get_ref<const std::string&>());
  if (!serial.ok()) {
    const std::string& why = serial.status().message();
    field = why.rfind("name", 0) == 0 ? "name" : why.rfind("id", 0) == 0 ? "id" : "";
    return serial.status();
  }
  chain::Serial out{};
  std::copy(serial->begin(), serial->end(), out.begin());
  return out;
}

std::string ConsoleApp::member_name(std::uint32_t member) const {
  const chain::Genesis& genesis = trust_.genesis();
  for (std::size_t p = 0; p < genesis.replicas.size(); ++p) {
    if (genesis.replicas[p].id == member) return trustee_name(trustee_names_, static_cast<std::uint16_t>(p + 1));
  }
  auto joined = trust_.verified_member(member);
  if (joined.ok() && joined->has_value() && !(*joined)->name.empty()) return (*joined)->name;
  return "member " + std::to_string(member);
}

net::HttpResponse ConsoleApp::find(const net::HttpRequest& request) const {
  if (auto refused = refuse_foreign(request)) return std::move(*refused);
  if (request.body.size() > kConsoleMaxFindBodyBytes) {
    return console_error(413, "too_large", "the request is over " + std::to_string(kConsoleMaxFindBodyBytes) + " bytes");
  }
  json body = json::parse(request.body, nullptr, false);
  JsonWipe wipe{body};
  std::string field;
  auto serial = serial_of_body(body, {"name", "id"}, field);
  if (!serial.ok()) return console_error(400, "invalid_input", serial.status().message(), field);
  const std::string serial_hex = to_hex(*serial);
  auto answer = fetch_(serial_hex);
  if (!answer.ok()) return console_error(502, "node", "the node: " + answer.status().message());
  auto items = verify_serial_answer(*answer, *serial, trust_.certificates());
  if (!items.ok()) return console_error(502, "node", "the node's answer does not verify: " + items.status().message());
  json listed = json::array();
  for (const VerifiedItem& item : *items) {
    listed.push_back(item_metadata(item));
    if (!fetch_answers_ || !std::holds_alternative<chain::AccessRequestTx>(item.tx)) continue;
    // Which trustees answered it: their committed answers, fetched by request id (they are not
    // under the serial) and believed only as verified against the genesis.
    const std::string request_id = to_hex(item.tx_id);
    auto answers = fetch_answers_(request_id);
    if (!answers.ok()) return console_error(502, "node", "the node, on access request " + request_id + ": " + answers.status().message());
    // Under the sharing in force at the request's height when an access-key source is set
    // (after a resharing the seats are the new ones, held by the members the resharing lists).
    std::vector<std::uint32_t> seat_members;
    auto proven = access_keys_ ? verify_access_request_answer_following(access_keys_, *answers, item.tx_id, trust_,
                                                                        &seat_members)
                               : verify_access_request_answer(*answers, item.tx_id, trust_);
    if (!proven.ok()) {
      return console_error(502, "node", "the node's answers to access request " + request_id +
                                            " do not verify: " + proven.status().message());
    }
    json answered = json::array();
    json names = json::array();
    for (const ProvenShareAnswer& s : proven->answers) {
      answered.push_back(s.shares.trustee);
      const std::uint16_t seat = s.shares.trustee;
      names.push_back(seat >= 1 && seat <= seat_members.size() ? member_name(seat_members[seat - 1])
                                                               : trustee_name(trustee_names_, seat));
    }
    listed.back()["answered_by"] = std::move(answered);
    listed.back()["answered_by_names"] = std::move(names);  // client/trustee_names.h, same order
  }
  return console_json(200, {{"serial", serial_hex}, {"items", listed}});
}

net::HttpResponse ConsoleApp::start_access(const net::HttpRequest& request) const {
  if (auto refused = refuse_foreign(request)) return std::move(*refused);
  if (request.body.size() > kConsoleMaxAccessBodyBytes) {
    return console_error(413, "too_large", "the request is over " + std::to_string(kConsoleMaxAccessBodyBytes) + " bytes");
  }
  if (access_ == nullptr) {
    return console_error(409, "no_requester",
                         "this console holds no requester key: start hc console with --dir or --reader-key to read histories");
  }
  json body = json::parse(request.body, nullptr, false);
  JsonWipe wipe{body};
  if (body.is_object() && body.contains("purpose") && body["purpose"].is_string()) {
    Status purpose = check_audit_purpose(body["purpose"].get_ref<const std::string&>());
    if (!purpose.ok()) return console_error(400, "invalid_input", purpose.message(), "purpose");
  }
  std::string field;
  auto serial = serial_of_body(body, {"name", "id", "purpose"}, field);
  if (!serial.ok()) return console_error(400, "invalid_input", serial.status().message(), field);
  auto job = access_->start(*serial, body["purpose"].get<std::string>());
  if (!job.ok()) return console_error(409, "busy", job.status().message());
  return console_json(202, {{"job", *job}, {"serial", to_hex(*serial)}});
}

net::HttpResponse ConsoleApp::revoke(const net::HttpRequest& request) const {
  if (auto refused = refuse_foreign(request)) return std::move(*refused);
  if (request.body.size() > kConsoleMaxFindBodyBytes) {
    return console_error(413, "too_large", "the request is over " + std::to_string(kConsoleMaxFindBodyBytes) + " bytes");
  }
  if (!revoker_) {
    return console_error(409, "no_manager", "revoking needs the manager's directory (--dir): start hc console with it");
  }
  const json body = json::parse(request.body, nullptr, false);
  if (!body.is_object() || body.size() != 1 || !body.contains("member") || !body["member"].is_string() ||
      body["member"].get_ref<const std::string&>().empty()) {
    return console_error(400, "invalid_input", "the body must be {\"member\": the hospital's member name}", "member");
  }
  if (access_ != nullptr && access_->running()) {
    return console_error(409, "busy", "an access request is running: revoke once it has ended");
  }
  auto done = revoker_(body["member"].get<std::string>());
  if (!done.ok()) {
    const bool refused = done.status().code() == ErrorCode::kInvalidInput || done.status().code() == ErrorCode::kNotFound;
    return console_error(refused ? 400 : 502, refused ? "invalid_input" : "failed", done.status().message(),
                         refused ? "member" : "");
  }
  return console_json(200, *done);
}

net::HttpResponse ConsoleApp::rotate_key(const net::HttpRequest& request) const {
  if (auto refused = refuse_foreign(request)) return std::move(*refused);
  if (request.body.size() > kConsoleMaxFindBodyBytes) {
    return console_error(413, "too_large", "the request is over " + std::to_string(kConsoleMaxFindBodyBytes) + " bytes");
  }
  if (!rotator_) {
    return console_error(409, "no_manager", "rotating the envelope key needs the manager's directory (--dir) on a single-manager chain");
  }
  const json body = json::parse(request.body, nullptr, false);
  if (!body.is_object() || !body.empty()) return console_error(400, "invalid_input", "the body must be {}");
  if (access_ != nullptr && access_->running()) {
    return console_error(409, "busy", "an access request is running: rotate the key once it has ended");
  }
  auto done = rotator_();
  if (!done.ok()) {
    const bool refused = done.status().code() == ErrorCode::kInvalidInput;
    return console_error(refused ? 400 : 502, refused ? "invalid_input" : "failed", done.status().message());
  }
  return console_json(200, *done);
}

net::HttpResponse ConsoleApp::access_job(const net::HttpRequest& request, const std::string& job_id) const {
  if (auto refused = refuse_foreign(request)) return std::move(*refused);
  if (access_ == nullptr) return console_error(409, "no_requester", "this console holds no requester key");
  auto view = access_->view(job_id);
  if (!view) return console_error(404, "not_found", "no such access job (the console keeps the last " +
                                                        std::to_string(kConsoleMaxAccessJobs) + ")");
  net::HttpResponse r = console_json(200, *view);
  crypto::wipe_json_strings(*view);
  return r;
}

}  // namespace hc::client

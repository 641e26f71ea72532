#include "client/console_app.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <variant>

#include "chain/transaction.h"
#include "client/item_verification.h"
#include "common/bytes.h"
#include "crypto/bounded_json.h"
#include "crypto/hash.h"
#include "crypto/serial_number.h"
#include "node/web_pages.h"

namespace hc::client {

namespace {

using nlohmann::json;

constexpr std::string_view kConsolePagePrefixes[] = {"/console"};

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
  }
  return j;
}

}  // namespace

ConsoleApp::ConsoleApp(SecureBytes pseudonym_key, const ChainTrust& trust, SerialFetcher fetch)
    : pseudonym_key_(std::move(pseudonym_key)), trust_(trust), fetch_(std::move(fetch)) {
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
    return console_json(200, {{"token", session_token_}, {"chain_id", trust_.genesis().chain_name}});
  }
  if (path == "/console-api/find") {
    if (request.method != "POST") return console_error(405, "method_not_allowed", "POST only");
    return find(request);
  }
  if (auto page = node::serve_embedded_pages(request, kConsolePagePrefixes)) return std::move(*page);
  return console_error(404, "not_found", "no such page: the console is at /console/");
}

net::HttpResponse ConsoleApp::find(const net::HttpRequest& request) const {
  const std::string origin = request.header("origin");
  if (!origin.empty() && origin != "http://127.0.0.1:" + std::to_string(port_) &&
      origin != "http://localhost:" + std::to_string(port_)) {
    return console_error(403, "forbidden", "a request from another origin");
  }
  if (!same_text_constant_time(request.header("x-console-token"), session_token_)) {
    return console_error(403, "forbidden", "missing or wrong session token: reload the console page");
  }
  if (request.body.size() > kConsoleMaxFindBodyBytes) {
    return console_error(413, "too_large", "the request is over " + std::to_string(kConsoleMaxFindBodyBytes) + " bytes");
  }
  json body = json::parse(request.body, nullptr, false);
  struct Wipe {
    json& j;
    ~Wipe() { crypto::wipe_json_strings(j); }
  } wipe{body};
  if (!body.is_object() || body.size() != 2 || !body.contains("name") || !body.contains("id") ||
      !body["name"].is_string() || !body["id"].is_string()) {
    return console_error(400, "invalid_input", "the body must be {\"name\": text, \"id\": text}");
  }
  auto serial = crypto::compute_serial(pseudonym_key_.span(), body["name"].get_ref<const std::string&>(),
                                       body["id"].get_ref<const std::string&>());
  if (!serial.ok()) {
    const std::string& why = serial.status().message();
    const std::string field = why.rfind("name", 0) == 0 ? "name" : why.rfind("id", 0) == 0 ? "id" : "";
    return console_error(400, "invalid_input", why, field);
  }
  const std::string serial_hex = to_hex(*serial);
  auto answer = fetch_(serial_hex);
  if (!answer.ok()) return console_error(502, "node", "the node: " + answer.status().message());
  chain::Serial chain_serial{};
  std::copy(serial->begin(), serial->end(), chain_serial.begin());
  auto items = verify_serial_answer(*answer, chain_serial, trust_.certificates());
  if (!items.ok()) return console_error(502, "node", "the node's answer does not verify: " + items.status().message());
  json listed = json::array();
  for (const VerifiedItem& item : *items) listed.push_back(item_metadata(item));
  return console_json(200, {{"serial", serial_hex}, {"items", listed}});
}

}  // namespace hc::client

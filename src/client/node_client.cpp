#include "client/node_client.h"

#include "client/terminal_text.h"
#include "common/file_io.h"
#include "crypto/bounded_json.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <mutex>
#include <thread>

#include "net/http_session.h"

namespace hc::client {

Result<std::string> read_token_file(const std::filesystem::path& file) {
  HC_ASSIGN_OR_RETURN(SecureBytes token, read_secret_file(file, 1024));
  std::string_view v = token.view();
  while (!v.empty() && (v.back() == '\n' || v.back() == '\r')) v.remove_suffix(1);
  if (v.empty()) return invalid_input("token file " + file.string() + " is empty");
  return std::string(v);  // the caller hands it to NodeClient::connect, which wipes it
}

using nlohmann::json;

Result<NodeClient> NodeClient::connect(const std::string& node_url, std::string bearer_token,
                                       const std::vector<std::string>& tls_anchors) {
  SecureBytes token{std::string_view(bearer_token)};
  secure_wipe(bearer_token.data(), bearer_token.size());
  HC_ASSIGN_OR_RETURN(net::HttpUrl url, net::parse_http_url(node_url));
  std::shared_ptr<net::TlsContext> tls;
  if (url.tls) {
    if (tls_anchors.empty()) {
      return invalid_input(node_url.substr(0, 200) + ": the genesis holds no TLS CA certificate to verify it with");
    }
    HC_ASSIGN_OR_RETURN(tls, net::make_tls_client_context(tls_anchors));
  }
  return NodeClient(std::move(url), std::move(token), std::move(tls));
}

struct NodeClient::KeptConnection {
  std::mutex mutex;  // one call at a time on the connection
  net::HttpSession session;
};

void NodeClient::keep_connection_open() {
  if (kept_) return;
  net::HttpCallOptions options;
  options.bearer_token.assign(token_.view());  // the session's copy, wiped when it goes
  options.tls = tls_;
  kept_ = std::shared_ptr<KeptConnection>(new KeptConnection{{}, net::HttpSession(url_, std::move(options))});
}

Result<json> NodeClient::call(const std::string& method, const std::string& path, const std::string& body) const {
  Result<net::HttpResponse> called = Status::error(ErrorCode::kInternal, "no call made");
  if (kept_) {
    std::lock_guard<std::mutex> lock(kept_->mutex);
    called = kept_->session.call(method, path, body);
  } else {
    net::HttpCallOptions options;
    options.bearer_token.assign(token_.view());  // the one copy the HTTP layer needs, wiped below
    options.tls = tls_;
    called = net::http_call(url_, method, path, body, options);
    secure_wipe(options.bearer_token.data(), options.bearer_token.size());
  }
  HC_ASSIGN_OR_RETURN(net::HttpResponse response, std::move(called));
  auto parsed = crypto::parse_bounded_json(response.body, "node answer");
  json doc = parsed.ok() ? std::move(parsed).value() : json(json::value_t::discarded);
  if (response.status / 100 == 2) {
    if (doc.is_discarded()) return Status::error(ErrorCode::kUnavailable, "node sent a malformed JSON answer");
    return doc;
  }
  std::string message = "HTTP " + std::to_string(response.status);
  if (doc.is_object() && doc.contains("error") && doc["error"].is_object() && doc["error"].contains("message") &&
      doc["error"]["message"].is_string()) {
    message = for_terminal(doc["error"]["message"].get<std::string>());
  }
  ErrorCode code = ErrorCode::kInvalidInput;
  if (response.status == 401 || response.status == 403) code = ErrorCode::kAuthFailed;
  if (response.status == 404) code = ErrorCode::kNotFound;
  if (response.status == 413) code = ErrorCode::kTooLarge;
  if (response.status == 429 || response.status >= 500) code = ErrorCode::kUnavailable;
  return Status::error(code, "node refused: " + message);
}

Result<json> NodeClient::envelope_key_answer() const { return call("GET", "/v1/envelope-key", ""); }

Result<json> NodeClient::access_key_answer(std::optional<std::uint64_t> key_epoch) const {
  return call("GET", key_epoch ? "/v1/access-key/" + std::to_string(*key_epoch) : std::string("/v1/access-key"), "");
}

Result<json> NodeClient::access_request_answer(const std::string& request_id_hex) const {
  const bool hex64 = request_id_hex.size() == 64 &&
                     request_id_hex.find_first_not_of("0123456789abcdef") == std::string::npos;
  if (!hex64) return invalid_input("a request id is 64 lowercase hex digits");
  return call("GET", "/v1/access-requests/" + request_id_hex, "");
}

Result<json> NodeClient::trustee_status() const { return call("GET", "/v1/trustee", ""); }

Result<json> NodeClient::reader_policy_answer() const { return call("GET", "/v1/reader-policy", ""); }
Result<json> NodeClient::consortium_status() const { return call("GET", "/v1/consortium", ""); }
Result<json> NodeClient::consortium_changes() const { return call("GET", "/v1/consortium/changes", ""); }
Result<json> NodeClient::consortium_proposal(const std::string& proposal_id_hex) const {
  const bool hex64 = proposal_id_hex.size() == 64 &&
                     proposal_id_hex.find_first_not_of("0123456789abcdef") == std::string::npos;
  if (!hex64) return invalid_input("a proposal id is 64 lowercase hex digits");
  return call("GET", "/v1/consortium/proposals/" + proposal_id_hex, "");
}

namespace {
Result<std::string> tx_id_of(const json& doc) {
  if (!doc.contains("tx_id") || !doc["tx_id"].is_string()) {
    return Status::error(ErrorCode::kUnavailable, "node's answer lacks the transaction id");
  }
  return doc["tx_id"].get<std::string>();
}

bool is_hex_id(const json& v) {
  return v.is_string() && v.get<std::string>().size() == 64 &&
         v.get<std::string>().find_first_not_of("0123456789abcdef") == std::string::npos;
}

Result<SubmittedRecord> submitted_record_of(const json& doc) {
  SubmittedRecord r;
  HC_ASSIGN_OR_RETURN(r.tx_id, tx_id_of(doc));
  if (doc.contains("record_id")) {
    if (!is_hex_id(doc["record_id"])) return Status::error(ErrorCode::kUnavailable, "node's record id is not 64 hex digits");
    r.record_id = doc["record_id"].get<std::string>();
  }
  return r;
}
}  // namespace

Result<SubmittedRecord> NodeClient::submit_record(const crypto::SealedRecord& record) const {
  HC_ASSIGN_OR_RETURN(json doc, call("POST", "/v1/records", crypto::sealed_record_to_json(record)));
  return submitted_record_of(doc);
}

Result<SubmittedRecord> NodeClient::submit_record(const crypto::SealedRecordV2& record) const {
  HC_ASSIGN_OR_RETURN(json doc, call("POST", "/v1/records", crypto::sealed_record_v2_to_json(record)));
  return submitted_record_of(doc);
}

Result<std::string> NodeClient::submit_manager_transaction(ByteSpan encoding) const {
  json body = {{"transaction", to_base64(encoding)}};
  HC_ASSIGN_OR_RETURN(json doc, call("POST", "/v1/manager/transactions", body.dump()));
  return tx_id_of(doc);
}

Result<TxStatus> NodeClient::tx_status(const std::string& tx_id) const {
  HC_ASSIGN_OR_RETURN(json doc, call("GET", "/v1/tx/" + tx_id, ""));
  TxStatus s;
  if (!doc.is_object() || !doc.contains("status") || !doc["status"].is_string()) {
    return Status::error(ErrorCode::kUnavailable, "node's transaction answer lacks a status");
  }
  s.status = for_terminal(doc["status"].get<std::string>());
  if (doc.contains("height") && doc["height"].is_number_unsigned()) s.height = doc["height"].get<std::uint64_t>();
  if (doc.contains("index") && doc["index"].is_number_unsigned() && doc["index"].get<std::uint64_t>() <= UINT32_MAX) {
    s.index = doc["index"].get<std::uint32_t>();
  }
  s.tx_id = doc.contains("tx_id") && is_hex_id(doc["tx_id"]) ? doc["tx_id"].get<std::string>() : tx_id;
  return s;
}

Result<TxStatus> NodeClient::wait_committed(const std::string& tx_id, std::uint32_t timeout_ms) const {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    HC_ASSIGN_OR_RETURN(TxStatus s, tx_status(tx_id));
    if (s.status == "committed") return s;
    if (std::chrono::steady_clock::now() >= deadline) {
      return Status::error(ErrorCode::kUnavailable, "transaction " + tx_id + " not committed within " +
                                                        std::to_string(timeout_ms) + " ms (status: " + s.status + ")");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

Result<json> NodeClient::records_by_serial(const std::string& serial_hex) const {
  return call("GET", "/v1/records/" + serial_hex, "");
}

Result<json> NodeClient::status() const { return call("GET", "/v1/status", ""); }

Result<std::string> NodeClient::metrics_text() const {
  net::HttpCallOptions options;
  options.bearer_token.assign(token_.view());
  options.tls = tls_;
  auto called = net::http_call(url_, "GET", "/metrics", "", options);
  secure_wipe(options.bearer_token.data(), options.bearer_token.size());
  HC_ASSIGN_OR_RETURN(net::HttpResponse response, std::move(called));
  if (response.status != 200) {
    return Status::error(ErrorCode::kUnavailable, "node refused /metrics: HTTP " + std::to_string(response.status));
  }
  return std::move(response.body);
}

namespace {
// An account name goes into a URL path: only the node's own name rule is let through.
Status check_account_name_for_url(const std::string& name) {
  const bool ok = !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '@' || c == '-';
  });
  if (!ok) return invalid_input("an account name must be 1 to 64 characters of A-Z a-z 0-9 . _ @ -");
  return Status::ok_status();
}
}  // namespace

Result<std::string> NodeClient::whoami() const {
  HC_ASSIGN_OR_RETURN(json doc, call("GET", "/v1/whoami", ""));
  if (!doc.is_object() || !doc.contains("name") || !doc["name"].is_string()) {
    return Status::error(ErrorCode::kUnavailable, "node's whoami answer lacks a name");
  }
  return doc["name"].get<std::string>();
}

Result<json> NodeClient::list_accounts() const { return call("GET", "/v1/accounts", ""); }

Result<json> NodeClient::add_account(const std::string& name, const std::string& role) const {
  HC_RETURN_IF_ERROR(check_account_name_for_url(name));
  return call("POST", "/v1/accounts", json{{"name", name}, {"role", role}}.dump());
}

Result<json> NodeClient::remove_account(const std::string& name) const {
  HC_RETURN_IF_ERROR(check_account_name_for_url(name));
  return call("DELETE", "/v1/accounts/" + name, "");
}

Result<json> NodeClient::rotate_account(const std::string& name) const {
  HC_RETURN_IF_ERROR(check_account_name_for_url(name));
  return call("POST", "/v1/accounts/" + name + "/rotate", "");
}

}  // namespace hc::client

// The hospital administrator's account routes (issue 15, item 3; docs/api.md, docs/node.md
// "Accounts"), on the API thread:
//   GET    /v1/accounts                 the accounts (name, role; config-listed tokens marked)
//   POST   /v1/accounts                 {"name", "role"} -> 201 {"name", "role", "token"}
//   DELETE /v1/accounts/NAME            revoke: the token fails from the next request on
//   POST   /v1/accounts/NAME/rotate     a fresh token -> {"name", "role", "token"}; the old fails
// Every route needs an administrator token (config `admin_tokens`); the new token is in the
// answer once (Cache-Control: no-store) and only its hash is kept (account_store.h).
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "node/node_state.h"

namespace hc::node {

namespace {

using nlohmann::json;

net::HttpResponse account_api_json(int status, const json& body) {
  net::HttpResponse r = net::HttpResponse::json(status, body.dump());
  r.headers["Cache-Control"] = "no-store";
  return r;
}

// The answer that carries a fresh token (the only copy the administrator gets).
net::HttpResponse account_api_token_answer(int status, const std::string& name, AccountRole role,
                                           const SecureBytes& token) {
  return account_api_json(status, {{"name", name}, {"role", account_role_name(role)}, {"token", std::string(token.view())}});
}

bool account_api_name_in_config(const NodeConfig& config, const std::string& name) {
  for (const auto* list : {&config.doctor_tokens, &config.reader_tokens, &config.admin_tokens}) {
    for (const DoctorToken& t : *list) {
      if (t.name == name) return true;
    }
  }
  return false;
}

net::HttpResponse account_api_list(const AccountStore& store, const NodeConfig& config) {
  json list = json::array();
  for (const Account& a : store.accounts()) list.push_back({{"name", a.name}, {"role", account_role_name(a.role)}});
  for (const auto& [tokens, role] : {std::pair{&config.doctor_tokens, "doctor"}, std::pair{&config.reader_tokens, "reader"}}) {
    for (const DoctorToken& t : *tokens) list.push_back({{"name", t.name}, {"role", role}, {"from_config", true}});
  }
  return account_api_json(200, {{"accounts", list}});
}

Result<std::pair<std::string, AccountRole>> account_api_add_body(const std::string& body) {
  json doc = json::parse(body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || doc.size() != 2 || !doc.contains("name") || !doc["name"].is_string() ||
      !doc.contains("role") || !doc["role"].is_string()) {
    return invalid_input("body must be {\"name\": \"...\", \"role\": \"doctor\" | \"reader\"}");
  }
  std::string name = doc["name"].get<std::string>();
  HC_RETURN_IF_ERROR(check_account_name(name));
  HC_ASSIGN_OR_RETURN(AccountRole role, parse_account_role(doc["role"].get<std::string>()));
  return std::pair{std::move(name), role};
}

std::optional<AccountRole> account_api_role_of(const AccountStore& store, const std::string& name) {
  for (const Account& a : store.accounts()) {
    if (a.name == name) return a.role;
  }
  return std::nullopt;
}

}  // namespace

net::HttpResponse Node::State::serve_accounts(const net::HttpRequest& req) {
  const std::string path = req.path();
  // The route's shape and method first (405 before 401, as on every route), then who asks.
  std::string name;
  bool rotate = false;
  if (path == "/v1/accounts") {
    if (req.method != "GET" && req.method != "POST") {
      return net::HttpResponse::error(405, "method_not_allowed", "method not allowed on this route");
    }
  } else {
    name = path.substr(std::string("/v1/accounts/").size());
    rotate = name.size() > 7 && name.compare(name.size() - 7, 7, "/rotate") == 0;
    if (rotate) name.resize(name.size() - 7);
    if (req.method != (rotate ? "POST" : "DELETE")) {
      return net::HttpResponse::error(405, "method_not_allowed", "method not allowed on this route");
    }
  }
  std::string admin;
  if (auto denied = authorize(req, ApiRole::kAdmin, admin)) return *denied;
  if (path == "/v1/accounts") {
    if (req.method == "GET") return account_api_list(*accounts, config);
    auto wanted = account_api_add_body(req.body);
    if (!wanted.ok()) return net::HttpResponse::from_status(wanted.status());
    const auto& [new_name, role] = *wanted;
    if (account_api_name_in_config(config, new_name)) {
      return net::HttpResponse::error(409, "conflict", "the node config already lists a token named " + new_name);
    }
    auto token = accounts->add(new_name, role);
    if (!token.ok()) return net::HttpResponse::from_status(token.status());
    spdlog::info("account {} ({}) added by administrator {}", new_name, account_role_name(role), admin);
    return account_api_token_answer(201, new_name, role, *token);
  }
  Status name_ok = check_account_name(name);
  if (!name_ok.ok()) return net::HttpResponse::from_status(name_ok);
  if (rotate) {
    auto token = accounts->rotate(name);
    if (!token.ok()) return net::HttpResponse::from_status(token.status());
    AccountRole role = account_api_role_of(*accounts, name).value_or(AccountRole::kDoctor);
    spdlog::info("account {} ({}) given a new token by administrator {}", name, account_role_name(role), admin);
    return account_api_token_answer(200, name, role, *token);
  }
  Status removed = accounts->remove(name);
  if (!removed.ok()) return net::HttpResponse::from_status(removed);
  spdlog::info("account {} removed by administrator {}", name, admin);
  return account_api_json(200, {{"name", name}, {"removed", true}});
}

}  // namespace hc::node

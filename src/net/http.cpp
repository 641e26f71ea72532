#include "net/http.h"

#include <nlohmann/json.hpp>

namespace hc::net {

std::string HttpRequest::path() const {
  std::size_t q = target.find('?');
  return q == std::string::npos ? target : target.substr(0, q);
}

std::string HttpRequest::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

HttpResponse HttpResponse::json(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

HttpResponse HttpResponse::error(int status, const std::string& code, const std::string& message) {
  nlohmann::json doc = {{"error", {{"code", code}, {"message", message}}}};
  return json(status, doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

HttpResponse HttpResponse::from_status(const Status& status) {
  if (status.ok()) return json(200, "{}");
  switch (status.code()) {
    case ErrorCode::kInvalidInput: return error(400, "invalid_input", status.message());
    case ErrorCode::kTooLarge: return error(413, "too_large", status.message());
    case ErrorCode::kNotFound: return error(404, "not_found", status.message());
    case ErrorCode::kAuthFailed: return error(401, "unauthorized", status.message());
    case ErrorCode::kAlreadyExists: return error(409, "conflict", status.message());
    case ErrorCode::kUnavailable: return error(503, "unavailable", status.message());
    case ErrorCode::kIo:
    case ErrorCode::kCorrupt:
    case ErrorCode::kInternal:
      return error(500, "internal", "the node failed locally; see its log");
  }
  return error(500, "internal", "unknown error");
}

}  // namespace hc::net

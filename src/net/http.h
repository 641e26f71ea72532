// Minimal HTTP/1.1 types shared by the node's API server and the `hc` client: a request and
// a response with string bodies, and JSON error helpers. Plain values.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "common/status.h"

namespace hc::net {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query, e.g. "/v1/tx/ab12"
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string remote_address;

  // The path without the query string.
  std::string path() const;
  // The value of header `name` (lower case), or "" if absent.
  std::string header(const std::string& name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  // Extra headers to send (e.g. Retry-After); in a response http_call() received, every
  // header, under lower-case names.
  std::map<std::string, std::string> headers;

  static HttpResponse json(int status, std::string body);
  // {"error": {"code": "<code>", "message": "<message>"}} with the given status.
  static HttpResponse error(int status, const std::string& code, const std::string& message);
  // Maps a Status to 400/401/404/409/413/500/503 and a JSON error body.
  static HttpResponse from_status(const Status& status);
};

}  // namespace hc::net

// Turning the bytes of an HTTP/1.1 request into the HttpRequest the node's handler sees:
// Boost.Beast's request parser under the server's header and body limits, then one conversion
// (header names lower-cased). The server's connections use to_http_request on what they read;
// parse_http_request runs the same parser over bytes already in memory (tests, fuzzing).
// Pure functions; thread-safe.
#pragma once
#include <string_view>

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "common/status.h"
#include "net/http.h"
#include "net/http_limits.h"

namespace hc::net {

// The handler's view of a parsed request (remote_address left empty for the caller).
HttpRequest to_http_request(boost::beast::http::request<boost::beast::http::string_body>&& request);

// One whole request from `bytes`, parsed as the server parses a connection's stream.
// kTooLarge for a body or header block over `limits`; kInvalidInput for malformed HTTP, an
// incomplete request or bytes after the request.
Result<HttpRequest> parse_http_request(std::string_view bytes, const HttpServerLimits& limits);

}  // namespace hc::net

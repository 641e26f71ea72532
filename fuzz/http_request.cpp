// Fuzzes the node API's HTTP request parsing (Beast's parser under the server's limits and the
// conversion to the handler's HttpRequest): any bytes a client sends. Small limits so that the
// limit paths are reached. What is accepted must respect the limits and have lower-case
// header names.
#include <algorithm>
#include <cctype>
#include <string_view>

#include "check.h"
#include "net/http_request_parse.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  hc::net::HttpServerLimits limits;
  limits.max_body_bytes = 1024;
  limits.max_header_bytes = 512;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto request = hc::net::parse_http_request(bytes, limits);
  if (!request.ok()) return 0;
  const hc::net::HttpRequest& r = request.value();
  HC_FUZZ_CHECK(!r.method.empty());
  HC_FUZZ_CHECK(r.body.size() <= limits.max_body_bytes);
  HC_FUZZ_CHECK(r.path().find('?') == std::string::npos);
  for (const auto& [name, value] : r.headers) {
    HC_FUZZ_CHECK(std::none_of(name.begin(), name.end(), [](unsigned char c) { return std::isupper(c); }));
    HC_FUZZ_CHECK(r.header(name) == value);
  }
  return 0;
}

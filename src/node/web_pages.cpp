#include "node/web_pages.h"

#include <string>

#include "node/web_assets.h"

namespace hc::node {

namespace {

// Scripts, styles, images and fetch() from this origin only; no inline script or style, no
// eval, no plugins, no framing, forms post nowhere else.
constexpr const char* kWebPageCsp =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

// The longest path looked up: every embedded name is far shorter.
constexpr std::size_t kMaxWebPathBytes = 128;

const WebAsset* find_web_asset(std::string_view path) {
  if (path.size() > kMaxWebPathBytes) return nullptr;
  for (const WebAsset& asset : web_assets()) {
    if (asset.path == path) return &asset;
  }
  return nullptr;
}

net::HttpResponse web_page_error(int status, const std::string& code, const std::string& message) {
  net::HttpResponse r = net::HttpResponse::error(status, code, message);
  add_web_security_headers(r);
  return r;
}

}  // namespace

void add_web_security_headers(net::HttpResponse& response) {
  response.headers["Content-Security-Policy"] = kWebPageCsp;
  response.headers["X-Content-Type-Options"] = "nosniff";
  response.headers["Referrer-Policy"] = "no-referrer";
  response.headers["X-Frame-Options"] = "DENY";
  response.headers["Cross-Origin-Opener-Policy"] = "same-origin";
  // Revalidated on every load (the ETag makes that a 304): after a node upgrade the browser
  // runs the new page at once, never a cached older script next to a newer one.
  response.headers["Cache-Control"] = "no-cache";
}

namespace {

// The prefix `path` is under ("/doctor" for "/doctor" and "/doctor/..."), or empty.
std::string_view web_page_prefix_of(const std::string& path, std::span<const std::string_view> prefixes) {
  for (std::string_view prefix : prefixes) {
    if (path.compare(0, prefix.size(), prefix) != 0) continue;
    if (path.size() > prefix.size() && path[prefix.size()] != '/') continue;  // "/doctorx"
    return prefix;
  }
  return {};
}

}  // namespace

std::optional<net::HttpResponse> serve_web_page(const net::HttpRequest& request) {
  return serve_embedded_pages(request, kWebPagePrefixes);
}

std::optional<net::HttpResponse> serve_embedded_pages(const net::HttpRequest& request,
                                                      std::span<const std::string_view> prefixes) {
  const std::string path = request.path();
  const std::string_view prefix = web_page_prefix_of(path, prefixes);
  if (prefix.empty()) return std::nullopt;
  if (request.method != "GET") return web_page_error(405, "method_not_allowed", "the pages answer GET only");
  if (path.size() == prefix.size()) {
    net::HttpResponse moved = web_page_error(301, "moved", "the page is at " + std::string(prefix) + "/");
    moved.headers["Location"] = std::string(prefix) + "/";
    return moved;
  }
  const std::string name = path.back() == '/' ? path + "index.html" : path;
  const WebAsset* asset = find_web_asset(name);
  if (asset == nullptr) return web_page_error(404, "not_found", "no page " + path.substr(0, kMaxWebPathBytes));
  const std::string etag = "\"" + std::string(asset->sha256_hex) + "\"";
  net::HttpResponse response;
  response.status = 200;
  response.content_type = std::string(asset->content_type);
  add_web_security_headers(response);
  response.headers["ETag"] = etag;
  if (request.header("if-none-match") == etag) {
    response.status = 304;
    return response;
  }
  response.body.assign(reinterpret_cast<const char*>(asset->content.data()), asset->content.size());
  return response;
}

}  // namespace hc::node

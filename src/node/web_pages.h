// Serving the embedded web pages (issue 17; docs/web.md): GET /doctor/ (the doctors' upload
// page), GET /explorer/ (the public explorer) and the files they load. Only the embedded names exist (web_assets.h): a path is looked
// up whole in that table, never joined to a directory, so no traversal is possible. Every
// answer carries the page's security headers: a Content-Security-Policy without inline script
// or eval (default-src 'self'), X-Content-Type-Options: nosniff, Referrer-Policy: no-referrer,
// X-Frame-Options: DENY and Cache-Control: no-cache with the content's ETag (a 304 answers a
// matching If-None-Match). Pure; thread-safe.
#pragma once

#include <optional>
#include <span>
#include <string_view>

#include "net/http.h"

namespace hc::node {

// The URL prefixes of the pages, one per page; requests under them are this module's.
inline constexpr std::string_view kWebPagePrefixes[] = {"/doctor", "/explorer"};

// The answer to a request whose path is one of kWebPagePrefixes or under it; nullopt for any
// other path (the API's routes). 405 for a method other than GET, 404 for a name that is not
// embedded, 301 from "/doctor" to "/doctor/" (and so for each prefix).
std::optional<net::HttpResponse> serve_web_page(const net::HttpRequest& request);

// The same for another set of prefixes: `hc console` serves "/console" from the same embedded
// table (the node does not serve it: kWebPagePrefixes does not name it).
std::optional<net::HttpResponse> serve_embedded_pages(const net::HttpRequest& request,
                                                      std::span<const std::string_view> prefixes);

// The headers every page answer carries (exposed for the test of their values).
void add_web_security_headers(net::HttpResponse& response);

}  // namespace hc::node

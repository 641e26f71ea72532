// The node's serving of the embedded web pages (src/node/web_pages.h): only embedded names
// exist, with their Content-Type and the security headers; traversal, unknown names, other
// methods and other prefixes are refused or left to the API's routes.
#include <gtest/gtest.h>

#include <string>

#include "node/web_assets.h"
#include "node/web_pages.h"

namespace hc::node {
namespace {

net::HttpRequest web_request(const std::string& method, const std::string& target) {
  net::HttpRequest r;
  r.method = method;
  r.target = target;
  return r;
}

TEST(WebPages, TheDoctorsPageIsEmbeddedWithItsModules) {
  bool index = false, app = false, css = false;
  for (const WebAsset& a : web_assets()) {
    EXPECT_FALSE(a.content.empty()) << a.path;
    EXPECT_EQ(a.sha256_hex.size(), 64u) << a.path;
    index |= a.path == "/doctor/index.html";
    app |= a.path == "/doctor/app.js";
    css |= a.path == "/doctor/doctor.css";
  }
  EXPECT_TRUE(index && app && css);
}

TEST(WebPages, ServesTheIndexWithSecurityHeaders) {
  auto r = serve_web_page(web_request("GET", "/doctor/"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->content_type, "text/html; charset=utf-8");
  EXPECT_NE(r->body.find("<form id=\"visit\""), std::string::npos);
  const std::string csp = r->headers.at("Content-Security-Policy");
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos);
  EXPECT_NE(csp.find("script-src 'self';"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-eval"), std::string::npos);
  EXPECT_EQ(r->headers.at("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(r->headers.at("Referrer-Policy"), "no-referrer");
  EXPECT_EQ(r->headers.at("Cache-Control"), "no-cache");
  // The page holds no inline script: every <script> has a src.
  std::size_t at = 0;
  while ((at = r->body.find("<script", at)) != std::string::npos) {
    const std::string tag = r->body.substr(at, r->body.find('>', at) - at);
    EXPECT_NE(tag.find(" src="), std::string::npos) << tag;
    ++at;
  }
}

TEST(WebPages, ContentTypesFollowTheFiles) {
  auto js = serve_web_page(web_request("GET", "/doctor/app.js?v=1"));
  ASSERT_TRUE(js.has_value());
  EXPECT_EQ(js->status, 200);
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  auto css = serve_web_page(web_request("GET", "/doctor/doctor.css"));
  ASSERT_TRUE(css.has_value());
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
}

TEST(WebPages, OnlyEmbeddedNamesExist) {
  for (const char* path : {"/doctor/../CMakeLists.txt", "/doctor/%2e%2e/genesis.json", "/doctor//app.js",
                           "/doctor/nothing.js", "/doctor/web_pages.cpp", "/doctor/app.js/", "/doctor/.."}) {
    auto r = serve_web_page(web_request("GET", path));
    ASSERT_TRUE(r.has_value()) << path;
    EXPECT_EQ(r->status, 404) << path;
    EXPECT_EQ(r->headers.at("X-Content-Type-Options"), "nosniff") << path;
  }
  auto huge = serve_web_page(web_request("GET", "/doctor/" + std::string(10000, 'a')));
  ASSERT_TRUE(huge.has_value());
  EXPECT_EQ(huge->status, 404);
  EXPECT_LT(huge->body.size(), 400u);
}

TEST(WebPages, OtherPathsAreTheApis) {
  for (const char* path : {"/v1/status", "/doctors", "/doctorx/index.html", "/", "/metrics"}) {
    EXPECT_FALSE(serve_web_page(web_request("GET", path)).has_value()) << path;
  }
}

TEST(WebPages, RedirectsMethodsAndRevalidation) {
  auto moved = serve_web_page(web_request("GET", "/doctor"));
  ASSERT_TRUE(moved.has_value());
  EXPECT_EQ(moved->status, 301);
  EXPECT_EQ(moved->headers.at("Location"), "/doctor/");
  auto post = serve_web_page(web_request("POST", "/doctor/index.html"));
  ASSERT_TRUE(post.has_value());
  EXPECT_EQ(post->status, 405);
  auto first = serve_web_page(web_request("GET", "/doctor/rules.js"));
  ASSERT_TRUE(first.has_value());
  net::HttpRequest again = web_request("GET", "/doctor/rules.js");
  again.headers["if-none-match"] = first->headers.at("ETag");
  auto cached = serve_web_page(again);
  ASSERT_TRUE(cached.has_value());
  EXPECT_EQ(cached->status, 304);
  EXPECT_TRUE(cached->body.empty());
}

TEST(WebPages, TheExplorerIsServedWithTheSameHeaders) {
  auto r = serve_web_page(web_request("GET", "/explorer/"));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->content_type, "text/html; charset=utf-8");
  EXPECT_NE(r->body.find("id=\"blocks\""), std::string::npos);
  EXPECT_NE(r->body.find("What the chain hides"), std::string::npos);
  const std::string csp = r->headers.at("Content-Security-Policy");
  EXPECT_NE(csp.find("script-src 'self';"), std::string::npos);
  EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos);
  EXPECT_EQ(r->headers.at("X-Frame-Options"), "DENY");
  EXPECT_EQ(r->headers.at("X-Content-Type-Options"), "nosniff");
  // No inline script and no inline style attribute (the CSP would refuse both).
  std::size_t at = 0;
  while ((at = r->body.find("<script", at)) != std::string::npos) {
    const std::string tag = r->body.substr(at, r->body.find('>', at) - at);
    EXPECT_NE(tag.find(" src="), std::string::npos) << tag;
    ++at;
  }
  EXPECT_EQ(r->body.find(" style="), std::string::npos);
  for (const char* module : {"/explorer/app.js", "/explorer/blocks.js", "/explorer/chart.js", "/explorer/lookup.js",
                             "/explorer/format.js", "/explorer/metrics.js", "/explorer/node_api.js",
                             "/explorer/certificate.js", "/explorer/transactions.js"}) {
    auto js = serve_web_page(web_request("GET", module));
    ASSERT_TRUE(js.has_value()) << module;
    EXPECT_EQ(js->status, 200) << module;
    EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8") << module;
    // The explorer never builds HTML from data.
    EXPECT_EQ(js->body.find("innerHTML"), std::string::npos) << module;
    EXPECT_EQ(js->body.find("insertAdjacentHTML"), std::string::npos) << module;
  }
  auto css = serve_web_page(web_request("GET", "/explorer/explorer.css"));
  ASSERT_TRUE(css.has_value());
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
}

TEST(WebPages, TheExplorerHasOnlyItsEmbeddedNames) {
  auto moved = serve_web_page(web_request("GET", "/explorer"));
  ASSERT_TRUE(moved.has_value());
  EXPECT_EQ(moved->status, 301);
  EXPECT_EQ(moved->headers.at("Location"), "/explorer/");
  for (const char* path : {"/explorer/../doctor/app.js", "/explorer/rules.js", "/explorer/%2e%2e/index.html",
                           "/explorer/app.js/", "/explorer/doctor/app.js"}) {
    auto r = serve_web_page(web_request("GET", path));
    ASSERT_TRUE(r.has_value()) << path;
    EXPECT_EQ(r->status, 404) << path;
  }
  auto post = serve_web_page(web_request("POST", "/explorer/"));
  ASSERT_TRUE(post.has_value());
  EXPECT_EQ(post->status, 405);
  // The access console's files are embedded too, but only `hc console` serves them.
  for (const char* path : {"/explorers", "/explorerx/index.html", "/v1/blocks/1", "/console/", "/console/console.js"}) {
    EXPECT_FALSE(serve_web_page(web_request("GET", path)).has_value()) << path;
  }
}

}  // namespace
}  // namespace hc::node

// The pieces http_call (http_client.cpp) and HttpSession (http_session.cpp) share: building a
// request, reading a Beast response into an HttpResponse, and the TLS host check and its
// one-line failure. Internal to hc_net (it names Beast and OpenSSL types); callers use
// http_client.h or http_session.h.
#pragma once

#include <string>

#include <boost/beast/core/error.hpp>
#include <boost/beast/http.hpp>
#include <openssl/ssl.h>

#include "common/status.h"
#include "net/http.h"
#include "net/http_client.h"

namespace hc::net::detail {

boost::beast::http::request<boost::beast::http::string_body> make_request(const HttpUrl& url,
                                                                          const std::string& method,
                                                                          const std::string& path,
                                                                          const std::string& body,
                                                                          const HttpCallOptions& options);
Result<HttpResponse> to_response(boost::beast::http::response<boost::beast::http::string_body>& res);
// Makes OpenSSL check the server's certificate names `host` (an IP entry for an address, a
// DNS entry otherwise) and sends SNI for DNS names.
Status expect_host(SSL* ssl, const std::string& host);
// Why a TLS handshake failed, as one line: a certificate that does not verify is kAuthFailed.
Status handshake_failure(SSL* ssl, const HttpUrl& url, const boost::beast::error_code& ec);

}  // namespace hc::net::detail

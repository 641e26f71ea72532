// HttpSession: a blocking HTTP/1.1 client that keeps one connection to one node open across
// calls (keep-alive), for a client that sends many requests in a row (`hc bench`'s
// submitters). A fresh connection per request, as http_call makes, costs the node a TLS
// handshake (an ECDHE key exchange and a certificate signature) per request: about half a
// millisecond of the node's CPU per record in `hc bench` (docs/node.md, "Where a record's CPU
// goes"). The checks are http_call's: the same URL rules, certificate and host verification,
// total timeout per call and response bound.
//
// A connection the node has closed meanwhile (its idle timeout, or an answer with
// "Connection: close") is noticed when the next call fails before any byte of its answer
// arrives; that call is then sent once more on a new connection. A call that fails after its
// answer began is reported, never repeated.
//
// Thread-safety: none; one session per thread.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "net/http.h"
#include "net/http_client.h"

namespace hc::net {

class HttpSession {
 public:
  // `options` as for http_call; its timeout applies to each call. kInvalidInput (from call())
  // for an https URL without a TLS context.
  HttpSession(HttpUrl url, HttpCallOptions options);
  ~HttpSession();
  HttpSession(const HttpSession&) = delete;
  HttpSession& operator=(const HttpSession&) = delete;

  // As http_call: kUnavailable when the node cannot be reached, times out or closes the
  // connection twice in a row; kAuthFailed when its certificate does not verify; otherwise
  // the response, whatever its status.
  Result<HttpResponse> call(const std::string& method, const std::string& path, const std::string& body);

  // Connections opened so far (1 for any number of calls answered on one connection).
  std::uint64_t connections_opened() const { return connections_opened_; }

 private:
  struct Connection;
  Status open();
  // One exchange on the open connection; `answer_began` tells whether any byte came back.
  Result<HttpResponse> exchange(const std::string& method, const std::string& path, const std::string& body,
                                bool& answer_began);

  HttpUrl url_;
  HttpCallOptions options_;
  std::unique_ptr<Connection> connection_;
  std::uint64_t connections_opened_ = 0;
};

}  // namespace hc::net

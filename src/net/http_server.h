// The node's HTTP/1.1 server (Boost.Beast): accepts connections, parses requests with a body
// limit and a read timeout, calls one handler per request and writes its response, with
// keep-alive. Bad HTTP (unparsable, body over the limit, slow senders) gets a JSON 4xx and the
// connection is closed; the handler never sees it. Slow senders are bounded by an idle, a
// header and a body timeout (http_limits.h). Open connections are bounded in all and per source
// address: past either bound the oldest idle connection (no byte of a request yet) of the
// busiest address makes room, so a flood of silent connections cannot lock out a client that
// speaks; only when none is idle is the newcomer closed at once. A failed accept() (EMFILE...)
// is retried after a backoff (100 ms doubling to 1 s), never at once. Every 429 and 503 answer
// carries Retry-After (1 s unless the handler set one). With use_tls() it serves HTTPS only
// (net/tls_context.h): the TLS handshake must finish within the header timeout, and a
// connection that fails it is closed without an answer.
//
// Threading: runs on the given io_context, which must be run by one thread; the handler is
// called on that thread and must not block for long. An AsyncHandler may instead answer later
// and from any thread, through the Responder it is given (which posts the answer back to the
// server's thread); the connection reads nothing more until that answer is written. stop() is
// thread-safe.
#pragma once

#include <boost/asio/io_context.hpp>

#include <functional>
#include <memory>
#include <string>

#include "common/status.h"
#include "net/http.h"
#include "net/http_limits.h"
#include "net/tls_context.h"

namespace hc::net {

struct HttpServerStats {
  std::uint64_t connections_refused = 0;  // closed at accept: over a connection bound, none idle
  std::uint64_t connections_evicted = 0;  // idle connections closed to make room for a newcomer
  std::uint64_t accept_errors = 0;        // failed accept() calls (each followed by a backoff)
};

class HttpServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;
  // Answers one request; callable once, from any thread.
  using Responder = std::function<void(HttpResponse)>;
  using AsyncHandler = std::function<void(const HttpRequest&, Responder)>;

  HttpServer(boost::asio::io_context& io, HttpServerLimits limits, Handler handler);
  HttpServer(boost::asio::io_context& io, HttpServerLimits limits, AsyncHandler handler);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Serves HTTPS with `context` (make_tls_server_context) instead of plain HTTP. Call before
  // listen().
  void use_tls(std::shared_ptr<TlsContext> context);
  // Binds, listens and starts accepting; returns the bound port (0 picks one). kAlreadyExists
  // if another socket holds the address (EADDRINUSE), kIo on any other failure.
  Result<std::uint16_t> listen(const std::string& host, std::uint16_t port);
  void stop();
  HttpServerStats stats() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace hc::net

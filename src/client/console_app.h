// The access console's local web application (issue 17; docs/web.md, "The access console"):
// what `hc console` answers on 127.0.0.1. It holds the consortium pseudonym key and reaches the
// node with the reader's token; the browser gets neither. First page: find a patient by name
// and ID (the serial is computed here, never sent to the node) and list what the chain holds
// under that serial, each item verified against the genesis (client/item_verification.h).
//
// Every request must name the console's own address in Host (127.0.0.1:<port> or
// localhost:<port>), so a page of another site that rebinds its DNS name to 127.0.0.1 is
// refused; POST /console-api/find also needs the session token of GET /console-api/session in
// X-Console-Token (a page of another origin cannot read that answer: no CORS) and, when the
// browser sends Origin, the console's own origin. Not thread-safe: one server thread calls it.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>

#include "client/genesis_trust.h"
#include "common/secure_bytes.h"
#include "common/status.h"
#include "net/http.h"

namespace hc::client {

// The largest find request body: a name and an ID of at most 128 bytes each, JSON-escaped.
inline constexpr std::size_t kConsoleMaxFindBodyBytes = 4096;

class ConsoleApp {
 public:
  // GET /v1/records/{serial} of the reader's node (NodeClient::records_by_serial), unverified.
  using SerialFetcher = std::function<Result<nlohmann::json>(const std::string& serial_hex)>;

  // `trust` must outlive the app. A fresh random session token is drawn here.
  ConsoleApp(SecureBytes pseudonym_key, const ChainTrust& trust, SerialFetcher fetch);

  // The port the server listens on (the Host and Origin checks name it); before any request.
  void set_port(std::uint16_t port) { port_ = port; }
  const std::string& session_token() const { return session_token_; }

  // The answer to one request: the pages under /console/, the session, the find; 403 for a
  // wrong Host, Origin or token; 404 / 405 otherwise.
  net::HttpResponse handle(const net::HttpRequest& request) const;

 private:
  net::HttpResponse find(const net::HttpRequest& request) const;
  bool own_host(const std::string& host) const;

  SecureBytes pseudonym_key_;
  const ChainTrust& trust_;
  SerialFetcher fetch_;
  std::string session_token_;
  std::uint16_t port_ = 0;
};

}  // namespace hc::client

// The access console's local web application (issue 17; docs/web.md, "The access console"):
// what `hc console` answers on 127.0.0.1. It holds the consortium pseudonym key and reaches the
// node with the reader's token; the browser gets neither. Find a patient by name and ID (the
// serial is computed here, never sent to the node) and list what the chain holds under that
// serial, each item verified against the genesis (client/item_verification.h); with a
// requester (client/console_access.h, its key held by this process), read the patient's
// history through a committed access request the page watches.
//
// Routes: GET /console/... (the pages), GET /console-api/session, POST /console-api/find
// {name, id}, POST /console-api/access {name, id, purpose} (202 and a job id), GET
// /console-api/access/{job} (its steps and, when done, the history), GET /console-api/health
// (each node's status and commit counters), POST /console-api/revoke {member} (either access mode) and POST
// /console-api/rotate-key {} (single-manager mode), both with the manager's session, and the
// explorer's chart modules it reuses.
// Every request must name the console's own address in Host (127.0.0.1:<port> or
// localhost:<port>), so a page of another site that rebinds its DNS name to 127.0.0.1 is
// refused; every /console-api/ route but the session also needs the session token of GET
// /console-api/session in X-Console-Token (a page of another origin cannot read that answer:
// no CORS) and, when the browser sends Origin, the console's own origin. handle() is called by
// one server thread; the requester's jobs are thread-safe on their own.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "chain/transaction.h"
#include "client/access_request_answer.h"
#include "client/genesis_trust.h"
#include "common/secure_bytes.h"
#include "common/status.h"
#include "net/http.h"

namespace hc::client {

// The largest find request body: a name and an ID of at most 128 bytes each, JSON-escaped.
inline constexpr std::size_t kConsoleMaxFindBodyBytes = 4096;
// The largest access request body: the same and a purpose of at most 1,024 bytes, escaped.
inline constexpr std::size_t kConsoleMaxAccessBodyBytes = 12288;

class ConsoleAccess;

class ConsoleApp {
 public:
  // GET /v1/records/{serial} of the reader's node (NodeClient::records_by_serial), unverified.
  using SerialFetcher = std::function<Result<nlohmann::json>(const std::string& serial_hex)>;

  // `trust` must outlive the app. A fresh random session token is drawn here.
  ConsoleApp(SecureBytes pseudonym_key, const ChainTrust& trust, SerialFetcher fetch);

  // GET /v1/access-requests/{request_id} of the reader's node (NodeClient::access_request_answer),
  // unverified: in trustees mode the find asks it for each access request under the serial and
  // lists the trustees whose committed answers verify (client/access_request_answer.h), as
  // `hc access status` does, by number ("answered_by") and by the name the genesis gives each
  // (client/trustee_names.h, "answered_by_names"). Without one the find names no answering trustees.
  using RequestAnswerFetcher = std::function<Result<nlohmann::json>(const std::string& request_id_hex)>;
  void set_request_answers(RequestAnswerFetcher fetch) { fetch_answers_ = std::move(fetch); }
  // The trusted access key of a key epoch (fetch_trusted_access_key through the reader's node):
  // with it, the answers to a request committed after a resharing are verified under the
  // sharing in force at its height (client/reshare_trust.h) and named by the member holding
  // each seat (a joined hospital by the name its verified join request gives). Without it only
  // the genesis trustees' answers verify.
  void set_access_keys(TrustedAccessKeySource keys) { access_keys_ = std::move(keys); }
  // The port the server listens on (the Host and Origin checks name it); before any request.
  void set_port(std::uint16_t port) { port_ = port; }
  // The requester whose requests read histories (must outlive the app); without one the
  // access routes answer 409.
  void set_access(ConsoleAccess* access) { access_ = access; }
  // What GET /console-api/health answers (client/console_health.h's consortium_health over
  // the console's nodes); without one the route answers 404.
  void set_health(std::function<nlohmann::json()> health) { health_ = std::move(health); }
  // What POST /console-api/revoke {member} runs (client/manager_revocation.h, in either access
  // mode, with the manager's session): its answer's JSON, or its error. Called on the server
  // thread and only while no access job runs; without one the route answers 409.
  using Revoker = std::function<Result<nlohmann::json>(const std::string& member)>;
  void set_revoker(Revoker revoker) { revoker_ = std::move(revoker); }
  // What POST /console-api/rotate-key {} runs (client/manager_key_rotation.h), under the same
  // rules as the revoker.
  using KeyRotator = std::function<Result<nlohmann::json>()>;
  void set_key_rotator(KeyRotator rotator) { rotator_ = std::move(rotator); }
  const std::string& session_token() const { return session_token_; }

  // The answer to one request: the pages under /console/, the session, the find; 403 for a
  // wrong Host, Origin or token; 404 / 405 otherwise.
  net::HttpResponse handle(const net::HttpRequest& request) const;

 private:
  net::HttpResponse find(const net::HttpRequest& request) const;
  net::HttpResponse start_access(const net::HttpRequest& request) const;
  net::HttpResponse access_job(const net::HttpRequest& request, const std::string& job_id) const;
  net::HttpResponse revoke(const net::HttpRequest& request) const;
  net::HttpResponse rotate_key(const net::HttpRequest& request) const;
  bool own_host(const std::string& host) const;
  Result<chain::Serial> serial_of_body(const nlohmann::json& body, std::initializer_list<const char*> fields,
                                       std::string& field) const;
  // nullopt when the request carries the session token and no foreign Origin; a 403 otherwise.
  std::optional<net::HttpResponse> refuse_foreign(const net::HttpRequest& request) const;
  // What the find calls the member holding a seat: a genesis replica by its trustee name
  // (trustee_names_), a joined hospital by its verified name, else "member <id>".
  std::string member_name(std::uint32_t member) const;

  SecureBytes pseudonym_key_;
  const ChainTrust& trust_;
  SerialFetcher fetch_;
  RequestAnswerFetcher fetch_answers_;
  TrustedAccessKeySource access_keys_;
  std::vector<std::string> trustee_names_;  // trustee j at j-1, from the genesis
  std::string session_token_;
  std::uint16_t port_ = 0;
  ConsoleAccess* access_ = nullptr;
  std::function<nlohmann::json()> health_;
  Revoker revoker_;
  KeyRotator rotator_;
};

}  // namespace hc::client

// NodeClient: what `hc` (doctors, the manager, operators) says to a node over its HTTP API
// (docs/api.md): fetch the current envelope key with its proof (verified by
// client/envelope_key_trust.h), submit a sealed record or a manager transaction, follow a
// transaction until it commits, and fetch what the chain holds under a serial number. Every call is bounded in time; non-2xx answers become a Status carrying the
// node's error message. Each call opens a fresh connection, unless keep_connection_open() was
// called: then calls reuse one kept connection (net/http_session.h), one call at a time.
// Thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/secure_bytes.h"
#include "common/status.h"
#include "crypto/envelope_key.h"
#include "crypto/sealed_record.h"
#include "crypto/sealed_record_v2.h"
#include "net/http_client.h"

namespace hc::client {

struct TxStatus {
  std::string status;  // pending, committed, unknown
  std::uint64_t height = 0;
  std::uint32_t index = 0;
  std::string tx_id;  // the transaction the answer is about (for a record id: the one committed)
};

// A doctor's record accepted by a node: its transaction, and its record id (the sealed
// content's digest), which stays when the node signs it again after a revocation
// (node/own_records.h): follow the record by record_id. Empty from a node that predates it.
struct SubmittedRecord {
  std::string tx_id;
  std::string record_id;
  const std::string& id_to_follow() const { return record_id.empty() ? tx_id : record_id; }
};

// A bearer token from its file (at most 1 KiB, trailing CR/LF removed); kInvalidInput if empty.
Result<std::string> read_token_file(const std::filesystem::path& file);

class NodeClient {
 public:
  // kInvalidInput for a malformed URL, plain http:// to a non-loopback host, or an https://
  // URL without TLS trust anchors (the genesis' CA certificates: genesis_trust.h). The token
  // is kept in wiped memory and `bearer_token` itself is wiped. Move-only.
  static Result<NodeClient> connect(const std::string& node_url, std::string bearer_token = {},
                                    const std::vector<std::string>& tls_anchors = {});

  // The node's GET /v1/envelope-key answer, unverified: seal only to a key that
  // client/envelope_key_trust.h has verified against the genesis.
  Result<nlohmann::json> envelope_key_answer() const;
  // Trustees mode (docs/api.md): GET /v1/access-key or /v1/access-key/{epoch}, unverified
  // (client/access_key_trust.h verifies it); GET /v1/access-requests/{request_id} (the request
  // and its decryption-shares answers as self-proving items); GET /v1/trustee (the node's
  // trustee status; kNotFound on a single-manager chain).
  Result<nlohmann::json> access_key_answer(std::optional<std::uint64_t> key_epoch = std::nullopt) const;
  Result<nlohmann::json> access_request_answer(const std::string& request_id_hex) const;
  Result<nlohmann::json> trustee_status() const;
  // GET /v1/reader-policy: the reader policy with each entry's change as a self-proving item,
  // unverified (client/reader_policy_list.h verifies it).
  Result<nlohmann::json> reader_policy_answer() const;
  // GET /v1/consortium and GET /v1/consortium/proposals/{id}: the governance state as the
  // node's committed chain holds it (chain/governance_query.h), unverified.
  Result<nlohmann::json> consortium_status() const;
  Result<nlohmann::json> consortium_proposal(const std::string& proposal_id_hex) const;
  // GET /v1/consortium/changes: the proofs of every membership change (chain/change_proof.h),
  // unverified (client/configuration_history.h verifies them).
  Result<nlohmann::json> consortium_changes() const;
  Result<SubmittedRecord> submit_record(const crypto::SealedRecord& record) const;
  Result<SubmittedRecord> submit_record(const crypto::SealedRecordV2& record) const;
  Result<std::string> submit_manager_transaction(ByteSpan encoding) const;
  // GET /v1/tx/{id}: `id` a transaction id or a record id.
  Result<TxStatus> tx_status(const std::string& tx_id) const;
  // Polls until the transaction (or the record) commits; kUnavailable after timeout_ms.
  Result<TxStatus> wait_committed(const std::string& tx_id, std::uint32_t timeout_ms) const;
  Result<nlohmann::json> records_by_serial(const std::string& serial_hex) const;
  Result<nlohmann::json> status() const;
  // GET /metrics: the Prometheus text (public metrics without a token); kUnavailable / the
  // node's refusal otherwise.
  Result<std::string> metrics_text() const;

  // The hospital administrator's account routes (docs/api.md; the client holds an admin
  // token). add and rotate answer {"name", "role", "token"}: the new token's only copy, which
  // the caller shows once and wipes (wipe_account_answer). Node refusals as for every call
  // (401/403 kAuthFailed, 404 kNotFound, 409 kInvalidInput).
  // GET /v1/whoami: the account name the node knows this client's token by (kAuthFailed if
  // none; kNotFound from a node older than the route).
  Result<std::string> whoami() const;
  Result<nlohmann::json> list_accounts() const;
  Result<nlohmann::json> add_account(const std::string& name, const std::string& role) const;
  Result<nlohmann::json> remove_account(const std::string& name) const;
  Result<nlohmann::json> rotate_account(const std::string& name) const;

  // From now on every call goes over one kept connection (keep-alive), re-opened when the node
  // has closed it, instead of a fresh connection and TLS handshake per call: for a client that
  // sends many requests in a row (`hc bench`'s submitters). Calls from several threads then
  // wait for each other; give each thread its own NodeClient.
  void keep_connection_open();

 private:
  struct KeptConnection;
  NodeClient(net::HttpUrl url, SecureBytes token, std::shared_ptr<net::TlsContext> tls)
      : url_(std::move(url)), token_(std::move(token)), tls_(std::move(tls)) {}
  Result<nlohmann::json> call(const std::string& method, const std::string& path, const std::string& body) const;

  net::HttpUrl url_;
  SecureBytes token_;  // the bearer token, wiped when the client goes
  std::shared_ptr<net::TlsContext> tls_;  // null for plain http:// on loopback
  std::shared_ptr<KeptConnection> kept_;  // null: a fresh connection per call
};

}  // namespace hc::client

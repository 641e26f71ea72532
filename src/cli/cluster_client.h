// The few node API calls `hc cluster` makes (docs/api.md): GET /v1/status, POST
// /v1/manager/transactions and GET /v1/tx/{id}, over net::http_call with short timeouts.
// Thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <string>

#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "common/bytes.h"
#include "cli/cluster_state.h"
#include "common/status.h"
#include "net/tls_context.h"

namespace hc::cli {

struct NodeStatusView {
  std::uint32_t node_id = 0;
  std::uint64_t height = 0;
  std::uint64_t view = 0;
  std::uint32_t primary = 0;
  std::uint64_t epoch = 0;
  std::size_t peers_connected = 0;  // other replicas connected to this node
  std::size_t peers_total = 0;      // other replicas
  std::uint64_t configuration = 0;  // the engine's configuration number in force
  bool member = true;               // this node is a member of that configuration
  bool member_key = true;           // it holds a group member key (false while it waits for its enrollment)
  bool all_peers_connected() const { return peers_connected == peers_total; }
};

// The TLS trust for the cluster's https:// API URLs: a client context trusting the TLS CA
// certificates of the cluster's genesis and, when the cluster holds a hospital that joined,
// those of every hospital that is or was a member as the change history of the first current
// node that answers proves them (client/node_tls_trust.h); null when no node URL is https://
// (a --plain-http cluster), without reading the genesis; the genesis's CAs alone while no
// current node answers (a joined hospital's node is then refused: call again). kInvalidInput
// for https URLs and a genesis without anchors; kAuthFailed when a node's history does not verify.
Result<std::shared_ptr<net::TlsContext>> cluster_tls(const ClusterState& state);

// Every call below takes `tls` from cluster_tls (null for http:// URLs).
// kUnavailable if the node does not answer within timeout_ms; kInvalidInput for an answer
// that is not a status.
Result<NodeStatusView> fetch_node_status(const std::string& api_url, std::uint32_t timeout_ms,
                                         const std::shared_ptr<net::TlsContext>& tls);

// Posts a manager transaction; returns its id (hex) as the node reports it. kInvalidInput with
// the node's message if it refuses (4xx), kUnavailable if it cannot be reached or fails (5xx).
Result<std::string> post_manager_transaction(const std::string& api_url, ByteSpan encoding,
                                             const std::shared_ptr<net::TlsContext>& tls);

// GET /v1/consortium: the committed member list, how many approvals a change needs now, the
// next replica id a join gets, and every accepted change (height, new member list).
struct ConsortiumChangeView {
  std::uint64_t accepted_at_height = 0;
  std::vector<std::uint32_t> members;
};
struct ConsortiumView {
  std::uint64_t height = 0;
  std::vector<std::uint32_t> members;
  std::size_t approvals_needed = 0;
  std::uint32_t next_replica_id = 0;
  std::vector<ConsortiumChangeView> changes;
};
Result<ConsortiumView> fetch_consortium(const std::string& api_url, const std::shared_ptr<net::TlsContext>& tls);

// GET /v1/consortium/proposals/{id}: its status ("open", "accepted", ...) and, for an accepted
// join, the replica id it gave.
struct ProposalView {
  std::string status;
  std::optional<std::uint32_t> replica_id;
};
Result<ProposalView> fetch_proposal(const std::string& api_url, const std::string& proposal_id_hex,
                                    const std::shared_ptr<net::TlsContext>& tls);

enum class TxOutcome { kPending, kCommitted, kRejected, kUnknown };
struct TxStatusView {
  TxOutcome outcome = TxOutcome::kUnknown;
  std::uint64_t height = 0;
  std::string reason;
};
Result<TxStatusView> fetch_tx_status(const std::string& api_url, const std::string& tx_id_hex,
                                     const std::shared_ptr<net::TlsContext>& tls);

}  // namespace hc::cli

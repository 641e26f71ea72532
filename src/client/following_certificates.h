// The commit-certificate verifier every `hc` command and the access console check a node's
// answers with: it follows the consortium's membership changes (issue 16; docs/consensus.md
// section 2c, "Clients follow the changes"). A certificate is checked with the ledger's own
// check, PbftCertificateVerifier::verify_in_chain, against the configuration history the
// client has verified from the genesis (client/configuration_history.h). The history starts
// empty (the genesis configuration) and is fetched lazily: only when a certificate does not
// verify against what is known, the node's GET /v1/consortium/changes is fetched, verified
// and the certificate checked again; at most once per kHistoryRefetchMs, so a forged answer
// costs at most one fetch. A chain without membership changes costs no extra request.
// Thread-safe: verify() serializes on a mutex; set_fetcher() before use.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "chain/genesis.h"
#include "chain/governance_state.h"
#include "chain/verifiers.h"
#include "client/configuration_history.h"
#include "common/status.h"

namespace hc::client {

// The node's GET /v1/consortium/changes answer, unverified.
using ChangeHistoryFetcher = std::function<Result<nlohmann::json>()>;

// A fetcher that asks the node at `node_url` (a fresh connection, verified against the
// genesis's TLS anchors; for a node whose certificate they refuse, a joined hospital's, over
// TLS that does not authenticate it: the answer is verified anyway), for the commands that
// hold only a URL.
ChangeHistoryFetcher change_history_from_node(std::string node_url, std::vector<std::string> tls_anchors);

// Between two fetches of the history (a long-running console may see a new change).
inline constexpr std::int64_t kHistoryRefetchMs = 5000;

class FollowingCertificateVerifier final : public chain::CommitCertificateVerifier {
 public:
  // kInvalidInput for a genesis the PBFT verifier cannot be built from.
  static Result<std::unique_ptr<FollowingCertificateVerifier>> create(const chain::Genesis& genesis);

  // Where the history comes from; without one, only the genesis configuration is known.
  void set_fetcher(ChangeHistoryFetcher fetcher);

  // Against the configuration of header.height in the verified history (fetched first if the
  // certificate does not verify against what is known). kAuthFailed naming what is wrong,
  // with the history's own refusal if it was fetched and did not verify.
  Status verify(const chain::BlockHeader& header, const chain::Digest& hash, const std::vector<chain::Digest>& tx_ids,
                ByteSpan certificate) const override;
  // The ledger's check against a caller's state (delegated unchanged).
  Status verify_in_chain(const chain::BlockHeader& header, const chain::Digest& hash,
                         const std::vector<chain::Digest>& tx_ids, ByteSpan certificate,
                         const chain::TrusteeStateView& committed) const override;

  // Fetches and verifies the history now (the benchmark and tests; verify() does it lazily).
  Status refresh() const;
  std::size_t verified_changes() const;
  // Member `id` as the verified history holds it (a genesis replica, or a hospital whose join
  // it verified); nullopt if unknown to it.
  Result<std::optional<chain::ConsortiumMember>> verified_member(std::uint32_t id) const;

 private:
  FollowingCertificateVerifier(std::unique_ptr<chain::CommitCertificateVerifier> pbft, const chain::Genesis& genesis);
  Status refresh_locked() const;

  std::unique_ptr<chain::CommitCertificateVerifier> pbft_;
  ChangeHistoryFetcher fetcher_;
  mutable std::mutex mu_;
  mutable ConfigurationHistory history_;
  mutable std::optional<std::chrono::steady_clock::time_point> last_fetch_;
};

}  // namespace hc::client

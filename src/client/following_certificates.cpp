#include "client/following_certificates.h"

#include "chain/change_proof.h"
#include "client/node_client.h"
#include "client/node_tls_trust.h"
#include "node/ledger_bridge.h"

namespace hc::client {

ChangeHistoryFetcher change_history_from_node(std::string node_url, std::vector<std::string> tls_anchors) {
  return [url = std::move(node_url), anchors = std::move(tls_anchors)]() -> Result<nlohmann::json> {
    HC_ASSIGN_OR_RETURN(NodeClient node, NodeClient::connect(url, {}, anchors));
    auto answer = node.consortium_changes();
    // A joined hospital's node chains to no genesis CA; the history proves itself from the
    // genesis whoever sends it, so it may come over TLS that does not authenticate the node.
    if (!answer.ok() && answer.status().code() == ErrorCode::kAuthFailed) return fetch_change_history_unauthenticated(url);
    return answer;
  };
}

FollowingCertificateVerifier::FollowingCertificateVerifier(std::unique_ptr<chain::CommitCertificateVerifier> pbft,
                                                           const chain::Genesis& genesis)
    : pbft_(std::move(pbft)), history_(genesis) {}

Result<std::unique_ptr<FollowingCertificateVerifier>> FollowingCertificateVerifier::create(const chain::Genesis& genesis) {
  HC_ASSIGN_OR_RETURN(auto pbft, node::PbftCertificateVerifier::create(genesis));
  return std::unique_ptr<FollowingCertificateVerifier>(new FollowingCertificateVerifier(std::move(pbft), genesis));
}

void FollowingCertificateVerifier::set_fetcher(ChangeHistoryFetcher fetcher) {
  std::lock_guard<std::mutex> lock(mu_);
  fetcher_ = std::move(fetcher);
}

Status FollowingCertificateVerifier::refresh_locked() const {
  if (!fetcher_) return Status::error(ErrorCode::kUnavailable, "no node to fetch the membership changes from");
  last_fetch_ = std::chrono::steady_clock::now();
  auto answer = fetcher_();
  if (!answer.ok()) return answer.status().with_context("membership changes");
  HC_ASSIGN_OR_RETURN(auto proofs, chain::change_proofs_from_json(*answer));
  return history_.extend(proofs, *pbft_);
}

Status FollowingCertificateVerifier::refresh() const {
  std::lock_guard<std::mutex> lock(mu_);
  return refresh_locked();
}

std::size_t FollowingCertificateVerifier::verified_changes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return history_.verified_changes();
}

Result<std::optional<chain::ConsortiumMember>> FollowingCertificateVerifier::verified_member(std::uint32_t id) const {
  std::lock_guard<std::mutex> lock(mu_);
  return chain::read_member(history_.view(), id);
}

Status FollowingCertificateVerifier::verify(const chain::BlockHeader& header, const chain::Digest& hash,
                                            const std::vector<chain::Digest>& tx_ids, ByteSpan certificate) const {
  std::lock_guard<std::mutex> lock(mu_);
  Status known = pbft_->verify_in_chain(header, hash, tx_ids, certificate, history_.view());
  if (known.ok() || known.code() != ErrorCode::kAuthFailed || !fetcher_) return known;
  const auto now = std::chrono::steady_clock::now();
  if (last_fetch_ && now - *last_fetch_ < std::chrono::milliseconds(kHistoryRefetchMs)) return known;
  Status refreshed = refresh_locked();
  if (!refreshed.ok()) {
    return Status::error(ErrorCode::kAuthFailed, known.message() + " (and the consortium's membership changes did not "
                                                 "verify: " + refreshed.message() + ")");
  }
  Status again = pbft_->verify_in_chain(header, hash, tx_ids, certificate, history_.view());
  if (again.ok() || again.code() != ErrorCode::kAuthFailed) return again;
  return Status::error(ErrorCode::kAuthFailed, again.message() + " (checked against the configuration after the " +
                                                   std::to_string(history_.verified_changes()) +
                                                   " membership changes the node proves)");
}

Status FollowingCertificateVerifier::verify_in_chain(const chain::BlockHeader& header, const chain::Digest& hash,
                                                     const std::vector<chain::Digest>& tx_ids, ByteSpan certificate,
                                                     const chain::TrusteeStateView& committed) const {
  return pbft_->verify_in_chain(header, hash, tx_ids, certificate, committed);
}

}  // namespace hc::client

#include "client/genesis_trust.h"

#include "client/node_client.h"


namespace hc::client {

Result<std::vector<std::string>> tls_anchors_from_genesis_file(const std::filesystem::path& genesis_file) {
  auto genesis = chain::load_genesis_file(genesis_file.string());
  if (!genesis.ok()) return genesis.status().with_context("genesis " + genesis_file.string());
  return genesis->tls_trust_anchors();
}

Result<ChainTrust> ChainTrust::from_genesis_file(const std::filesystem::path& genesis_file) {
  auto genesis = chain::load_genesis_file(genesis_file.string());
  if (!genesis.ok()) return genesis.status().with_context("genesis " + genesis_file.string());
  return from_genesis(std::move(genesis).value());
}

Result<ChainTrust> ChainTrust::from_genesis(chain::Genesis genesis) {
  HC_ASSIGN_OR_RETURN(auto verifier, FollowingCertificateVerifier::create(genesis));
  return ChainTrust(std::make_unique<chain::Genesis>(std::move(genesis)), std::move(verifier));
}

void ChainTrust::follow_changes_of(const std::string& node_url) {
  if (node_url.empty()) return;
  certificates_->set_fetcher(change_history_from_node(node_url, genesis_->tls_trust_anchors()));
}

void ChainTrust::follow_changes_with(const NodeClient& node) {
  certificates_->set_fetcher([&node]() { return node.consortium_changes(); });
}

void ChainTrust::follow_changes_from(ChangeHistoryFetcher fetcher) { certificates_->set_fetcher(std::move(fetcher)); }

}  // namespace hc::client

// Where `hc` gets its trust from: the chain's genesis (docs/deploy.md, "Trust anchors"). The
// TLS CA certificates of the hospitals verify a node's https:// API (no system CA store), and
// the replicas' keys verify the PBFT commit certificates of whatever a node answers, so a
// client believes nothing a single node says that the genesis cannot vouch for. Certificates
// above a membership change are checked against the configuration history verified from the
// genesis (client/following_certificates.h), fetched from the node named by follow_changes_of.
// Pure functions and a class whose verifier is thread-safe.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "chain/genesis.h"
#include "chain/verifiers.h"
#include "client/following_certificates.h"
#include "common/status.h"

namespace hc::client {

class NodeClient;

// The genesis file's TLS CA certificates (possibly none, for a development chain without
// TLS). kInvalidInput / kNotFound for an unreadable or malformed genesis.
Result<std::vector<std::string>> tls_anchors_from_genesis_file(const std::filesystem::path& genesis_file);

// The genesis and the commit-certificate verifier built from its replicas. Move-only.
class ChainTrust {
 public:
  // kInvalidInput / kNotFound for an unreadable or malformed genesis (the message names the file).
  static Result<ChainTrust> from_genesis_file(const std::filesystem::path& genesis_file);
  static Result<ChainTrust> from_genesis(chain::Genesis genesis);

  const chain::Genesis& genesis() const { return *genesis_; }
  const chain::CommitCertificateVerifier& certificates() const { return *certificates_; }
  // Member `id` of the consortium as the verified change history holds it (nullopt if unknown).
  Result<std::optional<chain::ConsortiumMember>> verified_member(std::uint32_t id) const {
    return certificates_->verified_member(id);
  }
  // Certificates above a membership change's boundary are then checked against the history
  // of changes the node at `node_url` proves (fetched when first needed; verified from the
  // genesis). Without it, only the genesis configuration is known.
  void follow_changes_of(const std::string& node_url);
  // The same through a client the caller keeps alive as long as this trust.
  void follow_changes_with(const NodeClient& node);
  // The same from any source of the GET /v1/consortium/changes answer (an in-process ledger).
  void follow_changes_from(ChangeHistoryFetcher fetcher);

 private:
  ChainTrust(std::unique_ptr<chain::Genesis> genesis, std::unique_ptr<FollowingCertificateVerifier> certificates)
      : genesis_(std::move(genesis)), certificates_(std::move(certificates)) {}
  std::unique_ptr<chain::Genesis> genesis_;
  std::unique_ptr<FollowingCertificateVerifier> certificates_;
};

}  // namespace hc::client

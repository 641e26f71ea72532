// Where `hc` gets its trust from: the chain's genesis (docs/deploy.md, "Trust anchors"). The
// TLS CA certificates of the hospitals verify a node's https:// API (no system CA store), and
// the replicas' keys verify the PBFT commit certificates of whatever a node answers, so a
// client believes nothing a single node says that the genesis cannot vouch for. Pure
// functions and an immutable class; thread-safe.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "chain/genesis.h"
#include "chain/verifiers.h"
#include "common/status.h"

namespace hc::client {

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

 private:
  ChainTrust(std::unique_ptr<chain::Genesis> genesis, std::unique_ptr<chain::CommitCertificateVerifier> certificates)
      : genesis_(std::move(genesis)), certificates_(std::move(certificates)) {}
  std::unique_ptr<chain::Genesis> genesis_;
  std::unique_ptr<chain::CommitCertificateVerifier> certificates_;
};

}  // namespace hc::client

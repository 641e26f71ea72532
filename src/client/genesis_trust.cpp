#include "client/genesis_trust.h"

#include "chain/genesis.h"

namespace hc::client {

Result<std::vector<std::string>> tls_anchors_from_genesis_file(const std::filesystem::path& genesis_file) {
  auto genesis = chain::load_genesis_file(genesis_file.string());
  if (!genesis.ok()) return genesis.status().with_context("genesis " + genesis_file.string());
  return genesis->tls_trust_anchors();
}

}  // namespace hc::client

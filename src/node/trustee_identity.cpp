#include "node/trustee_identity.h"

#include <string>

#include "crypto/p256_key_file.h"

namespace hc::node {

std::optional<std::uint16_t> trustee_index_of(const chain::Genesis& genesis, std::uint32_t node_id) {
  if (genesis.access_mode != chain::AccessMode::kTrustees) return std::nullopt;
  for (std::size_t i = 0; i < genesis.replicas.size(); ++i) {
    if (genesis.replicas[i].id != node_id) continue;
    if (i >= genesis.trustee_keys.size()) return std::nullopt;
    return static_cast<std::uint16_t>(i + 1);
  }
  return std::nullopt;
}

Result<std::optional<TrusteeIdentity>> load_trustee_identity(const NodeConfig& config, const chain::Genesis& genesis,
                                                             const SecureBytes& passphrase) {
  if (genesis.access_mode != chain::AccessMode::kTrustees) return std::optional<TrusteeIdentity>();
  const std::optional<std::uint16_t> index = trustee_index_of(genesis, config.node_id);
  if (!index) {
    if (config.trustee_key_file.empty()) return std::optional<TrusteeIdentity>();
    return invalid_input("the config names a trustee_key_file but the genesis lists no trustee for node " +
                         std::to_string(config.node_id));
  }
  if (config.trustee_key_file.empty()) {
    return invalid_input("the genesis lists node " + std::to_string(config.node_id) + " as trustee " +
                         std::to_string(*index) + " but the config names no trustee_key_file");
  }
  HC_ASSIGN_OR_RETURN(crypto::P256Scalar secret, crypto::load_p256_key(config.trustee_key_file, passphrase));
  const crypto::P256PointBytes public_key = crypto::P256Point::base_mul(secret).encode();
  if (public_key != genesis.trustee_keys[*index - 1]) {
    return invalid_input("the trustee key file " + config.trustee_key_file.string() + " does not hold trustee " +
                         std::to_string(*index) + "'s key from the genesis (node " + std::to_string(config.node_id) +
                         ")");
  }
  TrusteeIdentity identity;
  identity.index = *index;
  identity.secret = std::move(secret);
  identity.public_key = public_key;
  return std::optional<TrusteeIdentity>(std::move(identity));
}

}  // namespace hc::node

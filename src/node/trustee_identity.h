// The node's trustee identity in a trustees-mode chain (issue 13; docs/threshold.md): the
// hospital's long-term P-256 trustee key, loaded from the node's encrypted key file, and its
// trustee index j (the node's position among the genesis replicas, plus one: the default
// trustees are the hospitals' nodes, in hospital order). hc-node refuses to start when the
// key does not match the one the genesis lists for it. The secret lives in a P256Scalar
// (wiped when destroyed) and is never logged. Plain value; not shared between threads.
#pragma once

#include <cstdint>
#include <optional>

#include "chain/genesis.h"
#include "common/secure_bytes.h"
#include "common/status.h"
#include "crypto/p256.h"
#include "node/config.h"

namespace hc::node {

struct TrusteeIdentity {
  std::uint16_t index = 0;  // j, 1..m
  crypto::P256Scalar secret;
  crypto::P256PointBytes public_key{};
};

// The trustee index the genesis gives node `node_id` (its replica position + 1), or nullopt
// when the genesis is single-manager or lists fewer trustees than that position.
std::optional<std::uint16_t> trustee_index_of(const chain::Genesis& genesis, std::uint32_t node_id);

// nullopt for a node that is no trustee (single-manager chain, or no trustee listed at its
// position and no trustee_key_file). kInvalidInput (one line) when the genesis lists a trustee
// key for this node and the config names no trustee_key_file, when the key file's key is not
// the listed one, or when a key file is configured for a node the genesis lists no trustee
// for; the key file's own errors (kAuthFailed for a wrong passphrase) name the file.
Result<std::optional<TrusteeIdentity>> load_trustee_identity(const NodeConfig& config, const chain::Genesis& genesis,
                                                             const SecureBytes& passphrase);

}  // namespace hc::node

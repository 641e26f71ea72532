// The node's trustee identity in a trustees-mode chain (issue 13; docs/threshold.md): the
// hospital's long-term P-256 trustee key, loaded from the node's encrypted key file, and its
// trustee index j (the node's position among the genesis replicas, plus one: the default
// trustees are the hospitals' nodes, in hospital order). hc-node refuses to start when the
// key does not match the one the genesis lists for it. After a resharing (issue 16 item 3)
// the key in force is the one this node announced for the sharing in force
// (trustee.key.r<epoch>.pem, trustee_key_files.h), and load_trustee_start checks that one
// instead. The secret lives in a P256Scalar (wiped when destroyed) and is never logged. Plain
// value; not shared between threads.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>

#include "chain/genesis.h"
#include "chain/ledger_store.h"
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

// What the trustee worker starts with on a trustees-mode node.
struct TrusteeStart {
  TrusteeIdentity genesis_seat;          // index 0: none (a joined hospital, or its key erased)
  std::filesystem::path first_key_file;  // trustee.key.pem, or a joined hospital's enrollment key
  bool first_key_holds_share = true;     // false for an enrollment key
  std::uint64_t sharing_reshare_epoch = 0;  // the sharing in force at startup (0: the DKG's)
  std::uint16_t sharing_seat = 0;           // this node's index there (0: none)
};

// nullopt when the node takes no part (single-manager chain, or neither a trustee key file nor
// an enrollment key file). Before any resharing: load_trustee_identity's checks. After one,
// the check uses the sharing in force in `store`: a node it seats needs the key file of that
// resharing epoch holding the seat's announced key, else kInvalidInput in one line naming the
// file; its genesis key file may be gone (erased) and is loaded only when present.
Result<std::optional<TrusteeStart>> load_trustee_start(const NodeConfig& config, const chain::LedgerStore& store,
                                                       const SecureBytes& passphrase);

}  // namespace hc::node

// Which nodes of a local cluster `hc bench` loads, and the TLS CAs it trusts them with (issue
// 16; docs/consensus.md section 2c). The membership is read from the change history verified
// from the genesis (client/configuration_history.h, the proofs any node serves), never from
// cluster.json alone or a node's word: the bench loads the cluster's nodes that are members of
// the configuration in force at the chain's tip (a hospital that joined loads once the chain is
// past its boundary, one that left or was voted out, by any command, stops loading there), its
// verification bound counts that configuration's replicas, and it trusts every member's
// verified TLS CA (client/node_tls_trust.h: the genesis's and the joined hospitals'). The
// tip is the height of the first node whose history verified, read over TLS authenticated
// with those CAs; a node that lies about it can only make the bench load another configuration
// of the same verified history.
// Pure (bench_targets_at) or one history fetch and one status call (find_bench_targets);
// thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "chain/genesis.h"
#include "chain/trustee_state.h"
#include "cli/cluster_state.h"
#include "common/status.h"

namespace hc::cli {

struct BenchTargets {
  std::vector<ClusterNodeState> nodes;            // the cluster's nodes that are members in force, in member order
  std::uint64_t configuration = 0;                // the configuration in force: its number
  std::vector<std::uint32_t> members;             // and its members (some may have no node in the cluster)
  std::vector<std::string> tls_anchors;           // every current and past member's well-formed TLS CA
};

// The targets after `tip_height` on the verified governance state `verified` (the genesis and
// the verified changes): the configuration of block tip_height + 1. kInvalidInput when no node
// of the cluster is a member of it (naming the members); kCorrupt for an unreadable state.
Result<BenchTargets> bench_targets_at(const ClusterState& state, const chain::TrusteeStateView& verified,
                                      std::uint64_t tip_height);

// For each node of `state` not marked as left, in order, until one succeeds: fetches its GET
// /v1/consortium/changes, verifies it from `genesis`, reads the node's height over TLS
// authenticated with the verified CAs and returns bench_targets_at. When none succeeds: the
// first kAuthFailed (a history that does not verify, a certificate of no member's CA), else
// the last node's error (kUnavailable when none answers), naming the node.
Result<BenchTargets> find_bench_targets(const ClusterState& state, const chain::Genesis& genesis);

}  // namespace hc::cli

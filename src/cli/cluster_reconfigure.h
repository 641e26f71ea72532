// `hc cluster add-node` and `hc cluster remove-node` (docs/cluster.md, "Adding and removing a
// hospital"): a local consortium made by `hc cluster up` grows by one hospital or loses one,
// through the chain's governance (docs/ledger.md, "Consortium governance"), with every key in
// the cluster directory, so these commands act for each hospital and for the manager in turn.
//   add-node:    the new hospital's replica key and tokens (and TLS CA and certificate on an
//                HTTPS cluster); its join request (naming that CA); approvals
//                by the genesis threshold of current members (lowest ids first); the manager's
//                enrollment of its group member key; its node.json (the members' peer
//                addresses, free ports); its hc-node started; waits until it is a member of the
//                configuration in force.
//   remove-node: the hospital announces its exit; waits until the exit's boundary has passed
//                and every remaining node committed above it; stops its node (its files stay);
//                the manager revokes its group membership (a new group epoch), so its member
//                key signs nothing the chain accepts any more.
// On a trustees-mode cluster the new hospital is no trustee (no resharing yet, docs/consensus.md
// 2c); on an HTTPS cluster it gets its TLS CA and certificate as `hc cluster up` makes them, the
// CA goes into its join request, and its node is trusted through that CA from the verified changes.
// The cluster file is rewritten atomically at each point where the consortium changed (the
// node is recorded once its join is accepted; marked as left once its exit took effect).
// Every wait is bounded and prints progress lines through `progress`. Not thread-safe on one
// cluster directory.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "common/secure_bytes.h"
#include "common/status.h"

namespace hc::cli {

using ProgressLine = std::function<void(const std::string&)>;

struct AddNodeRequest {
  std::filesystem::path dir;
  std::string name;                            // empty: default_new_node_name
  std::chrono::seconds member_timeout{300};    // until the new node is a member in force
};

// kInvalidInput / kAlreadyExists / kNotFound for bad input before anything is written (no
// cluster in dir, a name in use, no replica id left, too
// few local approvers); kUnavailable when a node does not answer or the new node does not come up (the
// tail of its log on stderr).
Status add_cluster_node(const AddNodeRequest& request, const SecureBytes& passphrase, const ProgressLine& progress);

struct RemoveNodeRequest {
  std::filesystem::path dir;
  std::uint32_t node_id = 0;
  std::chrono::seconds boundary_timeout{300};  // until the others commit past the boundary
  bool revoke = true;                          // the manager revokes its group membership
};

Status remove_cluster_node(const RemoveNodeRequest& request, const SecureBytes& passphrase,
                           const ProgressLine& progress);

}  // namespace hc::cli

// The access console's envelope key rotation (single-manager mode; docs/web.md, "The access
// console"): the steps of `hc manager rotate-key --node` from the manager's session. A new
// RSA-3072 envelope key is made current in the manager directory (encrypted under the
// session's passphrase), and its public key is published on the chain in a transaction signed
// with the admin key and waited for until committed; doctors seal to it from then on. Not
// thread-safe (the session): the console runs it only while no access job runs.
#pragma once

#include <cstdint>
#include <string>

#include "client/manager_session.h"
#include "client/node_client.h"

namespace hc::client {

struct KeyRotationDone {
  std::string key_id;  // hex
  std::string tx_id;   // hex, the publication
  std::uint64_t height = 0;
};

// kInvalidInput for a trustees-mode chain (its access key comes from the trustees' DKG); the
// key store's, the node's and the files' errors otherwise. A key made but not published stays
// current in the directory: `hc manager publish-key` publishes it.
Result<KeyRotationDone> rotate_and_publish_envelope_key(ManagerSession& session, const NodeClient& writer);

}  // namespace hc::client

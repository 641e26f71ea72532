// The manager's envelope key on the chain (single-manager mode): the publication that
// `hc manager publish-key` and `hc manager rotate-key --node` run, and the access console's
// key rotation (docs/web.md, "The access console"), which makes a new key current in the
// session and publishes it. A publication is a transaction with the key's public part,
// signed with the admin key and waited for until committed; doctors seal to it from then on.
// Not thread-safe (the session): the console runs it only while no access job runs.
#pragma once

#include <cstdint>
#include <string>

#include "client/manager_session.h"
#include "client/node_client.h"
#include "crypto/manager_keys.h"

namespace hc::client {

struct KeyPublication {
  std::string key_id;  // hex
  std::string tx_id;   // hex, the publication
  std::uint64_t height = 0;
};

// Publishes envelope key `id` of the session's key table. On success it is committed at the
// returned height. The key table's error for an unknown id; the node's errors otherwise.
Result<KeyPublication> publish_envelope_key(const ManagerSession& session, const NodeClient& writer,
                                            const crypto::KeyId& id);

// Makes a new RSA-3072 envelope key current in the manager directory (encrypted under the
// session's passphrase; ManagerSession::rotate_envelope_key, so the session reads records
// sealed to it at once) and publishes it. kInvalidInput for a trustees-mode chain (its access
// key comes from the trustees' DKG); the key store's, the node's and the files' errors
// otherwise. A key made but not published stays current in the directory: `hc manager
// publish-key` publishes it.
Result<KeyPublication> rotate_and_publish_envelope_key(ManagerSession& session, const NodeClient& writer);

}  // namespace hc::client

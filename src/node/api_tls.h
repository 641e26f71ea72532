// The node API's TLS context from the node's configuration (docs/deploy.md): reads the
// certificate chain and the encrypted key named in the config, opens the key with the node's
// passphrase and checks that the genesis holds a TLS trust anchor for this replica (else no
// client could verify the node). Called once at startup; thread-safe.
#pragma once

#include <memory>

#include "chain/genesis.h"
#include "common/secure_bytes.h"
#include "common/status.h"
#include "net/tls_context.h"
#include "node/config.h"

namespace hc::node {

// Null when the config asks for plain HTTP. kInvalidInput for unreadable or mismatched files
// or a genesis without this replica's TLS CA; kAuthFailed for a wrong passphrase.
Result<std::shared_ptr<net::TlsContext>> load_api_tls(const NodeConfig& config, const chain::Genesis& genesis,
                                                      const SecureBytes& passphrase);

}  // namespace hc::node

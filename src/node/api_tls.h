// The node API's TLS context from the node's configuration (docs/deploy.md; docs/node.md,
// "HTTPS for a hospital that joined"): reads the certificate chain and the encrypted key named
// in the config, opens the key with the node's passphrase and checks the certificate against
// this replica's TLS CA in the committed chain state: the genesis's for a genesis hospital, the
// one its accepted join request named for a hospital that joined (else no client could verify
// the node). A node whose join is not in its committed state yet (a joiner still catching up,
// or one started before its join is accepted) serves with its configured certificate unchecked:
// clients trust it only through the CA the chain records (client/node_tls_trust.h); the node
// checks again when its join shows on its ledger (logged) and at its next start. Pure functions
// over the files and the state; thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "chain/trustee_state.h"
#include "common/secure_bytes.h"
#include "common/status.h"
#include "net/tls_context.h"
#include "node/config.h"

namespace hc::node {

// This replica's TLS CA as the committed state records it: nullopt while the state holds no
// member `node_id` (not a member yet); kInvalidInput when the member has no TLS CA (a genesis
// without one, or a join request that named none); kCorrupt for an unreadable state entry.
Result<std::optional<std::string>> own_tls_ca(const chain::TrusteeStateView& committed, std::uint32_t node_id);

// Whether the configured certificate (the first of tls_certificate_file) chains to this
// replica's CA in `committed`: OK also when the state holds no such member yet (nothing to check
// against). kInvalidInput naming the file and OpenSSL's reason otherwise, or from own_tls_ca.
// The node checks at start (load_api_tls) and again when its join shows on its ledger.
Status check_api_certificate(const NodeConfig& config, const chain::TrusteeStateView& committed);

// Null when the config asks for plain HTTP. kInvalidInput for unreadable or mismatched files,
// a member without a TLS CA, or a certificate that does not chain to the member's CA;
// kAuthFailed for a wrong passphrase.
Result<std::shared_ptr<net::TlsContext>> load_api_tls(const NodeConfig& config, const chain::TrusteeStateView& committed,
                                                      const SecureBytes& passphrase);

}  // namespace hc::node

#include "node/api_tls.h"

#include "common/file_io.h"
#include "crypto/pkcs8_pem.h"
#include "net/tls_certificate.h"

namespace hc::node {

Result<std::shared_ptr<net::TlsContext>> load_api_tls(const NodeConfig& config, const chain::Genesis& genesis,
                                                      const SecureBytes& passphrase) {
  if (!config.api_uses_tls()) return std::shared_ptr<net::TlsContext>();
  bool anchored = false;
  for (const chain::ReplicaInfo& r : genesis.replicas) anchored |= r.id == config.node_id && !r.tls_ca_pem.empty();
  if (!anchored) {
    return invalid_input("the genesis has no TLS CA certificate for node " + std::to_string(config.node_id) +
                         ": clients could not verify its HTTPS API");
  }
  HC_ASSIGN_OR_RETURN(std::string chain_pem, read_text_file(config.tls_certificate_file, 4 * net::kMaxCertificatePemBytes));
  HC_ASSIGN_OR_RETURN(std::string key_pem, read_text_file(config.tls_key_file, crypto::kMaxPrivateKeyPemBytes));
  auto context = net::make_tls_server_context(chain_pem, key_pem, passphrase);
  if (!context.ok()) return context.status().with_context(config.tls_certificate_file.string());
  return context;
}

}  // namespace hc::node

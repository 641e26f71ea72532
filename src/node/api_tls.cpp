#include "node/api_tls.h"

#include <spdlog/spdlog.h>

#include "chain/governance_state.h"
#include "common/file_io.h"
#include "crypto/pkcs8_pem.h"
#include "net/tls_certificate.h"

namespace hc::node {

Result<std::optional<std::string>> own_tls_ca(const chain::TrusteeStateView& committed, std::uint32_t node_id) {
  HC_ASSIGN_OR_RETURN(auto member, chain::read_member(committed, node_id));
  if (!member) return std::optional<std::string>();
  if (member->tls_ca_pem.empty()) {
    const std::string where = member->joined_height == 0 ? "the genesis has" : "its accepted join request named";
    return invalid_input(where + " no TLS CA certificate for node " + std::to_string(node_id) +
                         ": clients could not verify its HTTPS API");
  }
  return std::optional<std::string>(member->tls_ca_pem);
}

Status check_api_certificate(const NodeConfig& config, const chain::TrusteeStateView& committed) {
  HC_ASSIGN_OR_RETURN(std::optional<std::string> ca_pem, own_tls_ca(committed, config.node_id));
  if (!ca_pem) return Status::ok_status();
  HC_ASSIGN_OR_RETURN(std::string chain_pem, read_text_file(config.tls_certificate_file, 4 * net::kMaxCertificatePemBytes));
  Status chained = net::check_certificate_issued_by(chain_pem, *ca_pem);
  if (chained.ok()) return chained;
  return invalid_input(config.tls_certificate_file.string() + ": not issued by node " + std::to_string(config.node_id) +
                       "'s TLS CA on the chain (" + chained.message() + ")");
}

Result<std::shared_ptr<net::TlsContext>> load_api_tls(const NodeConfig& config, const chain::TrusteeStateView& committed,
                                                      const SecureBytes& passphrase) {
  if (!config.api_uses_tls()) return std::shared_ptr<net::TlsContext>();
  HC_RETURN_IF_ERROR(check_api_certificate(config, committed));
  HC_ASSIGN_OR_RETURN(std::optional<std::string> ca_pem, own_tls_ca(committed, config.node_id));
  if (!ca_pem) {
    spdlog::info("node {} is not a member in the committed state yet: serving HTTPS with the configured certificate; "
                 "clients trust it once its join request's TLS CA is on the chain",
                 config.node_id);
  }
  HC_ASSIGN_OR_RETURN(std::string chain_pem, read_text_file(config.tls_certificate_file, 4 * net::kMaxCertificatePemBytes));
  HC_ASSIGN_OR_RETURN(std::string key_pem, read_text_file(config.tls_key_file, crypto::kMaxPrivateKeyPemBytes));
  auto context = net::make_tls_server_context(chain_pem, key_pem, passphrase);
  if (!context.ok()) return context.status().with_context(config.tls_certificate_file.string());
  return context;
}

}  // namespace hc::node

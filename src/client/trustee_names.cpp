#include "client/trustee_names.h"

#include <string_view>

#include "net/tls_certificate.h"
#include "node/trustee_identity.h"

namespace hc::client {

namespace {

constexpr std::string_view kHcCaSuffix = " TLS CA";

std::string numbered(std::uint16_t trustee) { return "trustee " + std::to_string(trustee); }

// The hospital's name in its CA certificate, or "" when there is none fit to show.
std::string name_in_ca_certificate(const std::string& pem) {
  if (pem.empty()) return "";
  auto common_name = net::tls_certificate_common_name(pem);
  if (!common_name.ok()) return "";
  std::string name = std::move(common_name).value();
  if (name.size() > kHcCaSuffix.size() && name.compare(name.size() - kHcCaSuffix.size(), kHcCaSuffix.size(), kHcCaSuffix) == 0) {
    name.resize(name.size() - kHcCaSuffix.size());
  }
  if (name.empty() || name.size() > kMaxTrusteeNameBytes) return "";
  for (char c : name) {
    if (c < 0x20 || c > 0x7e) return "";
  }
  return name;
}

}  // namespace

std::vector<std::string> trustee_names(const chain::Genesis& genesis) {
  std::vector<std::string> names;
  for (std::size_t j = 1; j <= genesis.trustee_keys.size(); ++j) names.push_back(numbered(static_cast<std::uint16_t>(j)));
  for (const chain::ReplicaInfo& replica : genesis.replicas) {
    const auto trustee = node::trustee_index_of(genesis, replica.id);
    if (!trustee || *trustee == 0 || *trustee > names.size()) continue;
    std::string name = name_in_ca_certificate(replica.tls_ca_pem);
    if (!name.empty()) names[*trustee - 1] = std::move(name);
  }
  return names;
}

std::string trustee_name(const std::vector<std::string>& names, std::uint16_t trustee) {
  if (trustee == 0 || trustee > names.size()) return numbered(trustee);
  return names[trustee - 1];
}

}  // namespace hc::client

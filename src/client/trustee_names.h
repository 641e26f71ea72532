// What the access console calls each trustee of a trustees-mode chain (issue 17; docs/web.md,
// "The access console"), from the genesis alone: trustee j is the node of the replica the
// genesis lists at position j-1 (node/trustee_identity.h, trustee_index_of), and the one name
// the genesis holds for a hospital is the common name of its TLS CA certificate (`hc` writes
// "<hospital> TLS CA"; that suffix is dropped). A trustee whose replica has no certificate, or
// whose name is not 1..kMaxTrusteeNameBytes printable ASCII characters, is called "trustee j".
// The names are as trustworthy as the genesis, which every client already trusts; a page
// still escapes them as all its text. Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "chain/genesis.h"

namespace hc::client {

inline constexpr std::size_t kMaxTrusteeNameBytes = 64;

// The name of each trustee, trustee j at index j-1 (empty for a single-manager genesis).
std::vector<std::string> trustee_names(const chain::Genesis& genesis);

// names[j-1], or "trustee j" for a j the list does not reach (0 included).
std::string trustee_name(const std::vector<std::string>& names, std::uint16_t trustee);

}  // namespace hc::client

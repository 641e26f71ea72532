// The replicas the node tests put in their consortia (peer_directory_test,
// replica_standing_test): an Ed25519 replica key derived from a seed of one repeated byte, so a
// test names a key by that byte, a member whose join the chain accepted, and that join written
// into a test's chain state as the ledger writes it.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "chain/governance_state.h"
#include "chain/trustee_state.h"
#include "common/secure_bytes.h"
#include "crypto/ed25519.h"

namespace hc::node::testing {

// The public key of the Ed25519 key whose 32-byte seed is `seed_byte` repeated.
inline crypto::Ed25519PublicKey seeded_replica_key(std::uint8_t seed_byte) {
  SecureBytes seed(32);
  std::fill(seed.data(), seed.data() + 32, seed_byte);
  return crypto::Ed25519PrivateKey::from_seed(seed).value().public_key();
}

// Replica `id` as a member that joined at `joined_height` with `key`.
inline chain::ConsortiumMember joined_member(std::uint32_t id, const crypto::Ed25519PublicKey& key, std::string name,
                                             std::string api_address, std::uint64_t joined_height) {
  chain::ConsortiumMember member;
  member.id = id;
  member.key = key.bytes();
  member.name = std::move(name);
  member.api_address = std::move(api_address);
  member.joined_height = joined_height;
  return member;
}

// Applies to `state` the entries of `member`'s accepted join and the consortium's head after
// it: `members` in force, `changes` accepted so far (the last at `last_change_height`), the next
// replica id the one after the joined member's.
inline void record_accepted_join(chain::MemoryTrusteeView& state, const chain::ConsortiumMember& member,
                                 std::vector<std::uint32_t> members, std::uint32_t changes,
                                 std::uint64_t last_change_height) {
  chain::ConsortiumHead head;
  head.members = std::move(members);
  head.next_replica_id = member.id + 1;
  head.changes = changes;
  head.last_change_height = last_change_height;
  std::vector<chain::TrusteeStateEntry> entries = chain::joined_member_entries(member);
  entries.push_back(chain::consortium_head_entry(head));
  state.apply(entries);
}

}  // namespace hc::node::testing

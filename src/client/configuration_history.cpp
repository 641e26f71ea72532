#include "client/configuration_history.h"

#include <algorithm>
#include <string>
#include <string_view>

#include "chain/governance_state.h"
#include "chain/merkle.h"

namespace hc::client {

namespace {

constexpr std::string_view kHistoryKeptPrefixes[] = {"consortium/change/", "consortium/member/", "consortium/key/"};
constexpr std::string_view kHistoryHeadName = "consortium/head";

bool history_starts_with(const Bytes& key, std::string_view prefix) {
  return key.size() > prefix.size() && std::equal(prefix.begin(), prefix.end(), key.begin());
}

bool history_is_head(const Bytes& key) {
  return key.size() == kHistoryHeadName.size() && std::equal(kHistoryHeadName.begin(), kHistoryHeadName.end(), key.begin());
}

Status history_refused(std::uint64_t height, const std::string& what) {
  return Status::error(ErrorCode::kAuthFailed,
                       "membership change at height " + std::to_string(height) + " does not verify: " + what);
}

Status history_check_certified(const chain::CertifiedHeader& c, const chain::CommitCertificateVerifier& certificates,
                               const chain::TrusteeStateView& state, std::uint64_t change_height, const char* which) {
  if (chain::merkle_root(c.tx_ids) != c.header.merkle_root) {
    return history_refused(change_height, std::string(which) + "'s transaction ids do not give its Merkle root");
  }
  Status s = certificates.verify_in_chain(c.header, chain::block_hash(c.header), c.tx_ids, c.certificate, state);
  if (!s.ok()) return history_refused(change_height, std::string(which) + "'s commit certificate: " + s.message());
  return Status();
}

// The entries of the change's state changes that the client keeps (kHistoryKeptPrefixes and the head).
std::vector<chain::TrusteeStateEntry> history_kept_entries(const chain::StateChanges& changes) {
  std::vector<chain::TrusteeStateEntry> out;
  for (const chain::TrusteeStateEntry& e : changes.trustee_entries) {
    bool keep = history_is_head(e.key);
    for (std::string_view prefix : kHistoryKeptPrefixes) keep = keep || history_starts_with(e.key, prefix);
    if (keep) out.push_back(e);
  }
  return out;
}

}  // namespace

ConfigurationHistory::ConfigurationHistory(const chain::Genesis& genesis)
    : genesis_(std::make_unique<chain::Genesis>(genesis)), genesis_hash_(chain::genesis_hash(*genesis_)),
      view_(std::make_unique<chain::MemoryTrusteeView>(*genesis_, genesis_hash_)) {}

Status ConfigurationHistory::verify_one(const chain::ChangeProof& proof,
                                        const chain::CommitCertificateVerifier& certificates,
                                        std::vector<chain::TrusteeStateEntry>& kept) const {
  const std::uint64_t h = proof.height;
  const std::uint64_t last = verified_.empty() ? 0 : verified_.back().height;
  if (h <= last) return history_refused(h, "it is not above the change verified before it (height " + std::to_string(last) + ")");
  if (proof.accepting.header.height != h) return history_refused(h, "the accepting header is of another height");
  if (proof.successor.header.height != h + 1) return history_refused(h, "the successor header is not of the next height");
  const chain::Digest hash = chain::block_hash(proof.accepting.header);
  if (proof.successor.header.previous_hash != hash) return history_refused(h, "the successor header does not extend the accepting block");
  HC_RETURN_IF_ERROR(history_check_certified(proof.accepting, certificates, *view_, h, "the accepting block"));
  const chain::Digest app_hash =
      chain::next_app_hash_of_encoding(proof.accepting.header.app_hash, h, hash, proof.state_changes);
  if (app_hash != proof.successor.header.app_hash) {
    return history_refused(h, "the state changes do not give the app hash the next block carries");
  }
  auto changes = chain::decode_state_changes(proof.state_changes);
  if (!changes.ok()) return history_refused(h, "state changes: " + changes.status().message());
  kept = history_kept_entries(*changes);
  const chain::TrusteeStateEntry expected_change = chain::membership_change_entry(chain::MembershipChange{h, {}});
  std::size_t change_entries = 0;
  const chain::TrusteeStateEntry* head = nullptr;
  for (const chain::TrusteeStateEntry& e : kept) {
    if (history_starts_with(e.key, kHistoryKeptPrefixes[0])) {
      ++change_entries;
      if (e.key != expected_change.key) return history_refused(h, "it records a change at another height");
    }
    if (history_is_head(e.key)) head = &e;
  }
  if (change_entries != 1) return history_refused(h, "the block's state changes accept no membership change");
  if (head == nullptr) return history_refused(h, "the block's state changes carry no consortium head");
  chain::MemoryTrusteeView head_only(*genesis_, genesis_hash_);
  head_only.apply({*head});
  auto decoded_head = chain::read_consortium_head(head_only);
  if (!decoded_head.ok()) return history_refused(h, "consortium head: " + decoded_head.status().message());
  if (decoded_head->changes != verified_.size() + 1) {
    return history_refused(h, "it is change " + std::to_string(decoded_head->changes) + " but " +
                          std::to_string(verified_.size()) + " were verified before it (a change is missing)");
  }
  // The successor's configuration, with this change known (its boundary lies above h + 1).
  chain::MemoryTrusteeView with_change(*genesis_, genesis_hash_);
  with_change.apply(entries_);
  with_change.apply(kept);
  return history_check_certified(proof.successor, certificates, with_change, h, "the next block");
}

Status ConfigurationHistory::extend(const std::vector<chain::ChangeProof>& proofs,
                                    const chain::CommitCertificateVerifier& certificates) {
  if (proofs.size() < verified_.size()) {
    return Status::error(ErrorCode::kAuthFailed, "the node lists " + std::to_string(proofs.size()) +
                                                     " membership changes, fewer than the " +
                                                     std::to_string(verified_.size()) + " already verified");
  }
  for (std::size_t i = 0; i < verified_.size(); ++i) {
    if (!(proofs[i] == verified_[i])) {
      return history_refused(proofs[i].height, "it differs from the change already verified at that position");
    }
  }
  for (std::size_t i = verified_.size(); i < proofs.size(); ++i) {
    std::vector<chain::TrusteeStateEntry> kept;
    HC_RETURN_IF_ERROR(verify_one(proofs[i], certificates, kept));
    view_->apply(kept);
    entries_.insert(entries_.end(), kept.begin(), kept.end());
    verified_.push_back(proofs[i]);
  }
  return Status();
}

}  // namespace hc::client

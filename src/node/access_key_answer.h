// The answers of the trustees-mode read routes (docs/api.md): GET /v1/access-key[/{epoch}],
// GET /v1/access-requests/{request_id} and GET /v1/reader-policy, in self-proving form.
//
// The access key answer holds the outcome the chain stored (key id, Y, t, public shares,
// dealers by verdict) and, as committed items (chain/committed_item.h: transaction, Merkle
// proof, header, commit certificate), the key_epoch_start that began the epoch (none for
// epoch 0) and every dkg_deal and dkg_complaint committed in the epoch's DKG windows, found by
// reading the at most 2W blocks of those windows. A client recomputes the key with
// finalize_dkg from the items alone and checks every item against the genesis; it need not
// believe the node's outcome. Since issue 16 item 3 the answer also lists, under
// "resharings", every ended resharing of the epoch with its committed announcements, deals
// and complaints as committed items (and "sharing", the chain's sharing in force), so a client
// recomputes the public shares in force at any height. An epoch's answer changes only when a
// resharing of it ends, so it is cached per (epoch, latest ended resharing), at most
// kMaxCachedEpochs epochs.
//
// Thread-safety: AccessKeyAnswers is thread-safe (one mutex around the cache; building reads
// the store, whose reads are thread-safe). The request answer is built per call.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "chain/ledger_store.h"
#include "common/status.h"

namespace hc::node {

class AccessKeyAnswers {
 public:
  static constexpr std::size_t kMaxCachedEpochs = 64;

  // The answer for key epoch `epoch`, or for the current access key when nullopt. kNotFound
  // in single-manager mode, before any key formed, for an epoch whose DKG has not ended or
  // failed (the message says which); kInvalidInput for a malformed epoch.
  Result<nlohmann::json> answer(const chain::LedgerStore& store, std::optional<std::string> epoch);

 private:
  std::mutex mu_;
  std::map<std::uint64_t, std::pair<std::uint64_t, nlohmann::json>> cache_;  // epoch -> (resharing, answer)
};

// The committed request `request_id` and every committed decryption_shares answer to it, as
// committed items with {trustee, height, tx_id, share_boxes}; kNotFound when unknown.
Result<nlohmann::json> access_request_answer(const chain::LedgerStore& store, const std::string& request_id_hex);

// The reader policy (chain/reader_policy.h): {policy_version, listed, readers: [entry with
// "item", the committed reader_policy transaction that last wrote it]}; kNotFound on a
// single-manager chain. At most kMaxReaderPolicyEntries entries, one block read each.
Result<nlohmann::json> reader_policy_answer(const chain::LedgerStore& store);

}  // namespace hc::node

// Checks what a node returns for a serial number (GET /v1/records/{serial}) without trusting
// the node: for each item, the transaction's id is recomputed from its canonical encoding, the
// id is found at its index among the block's transaction ids, those ids give the header's
// Merkle root (and the item's Merkle proof leads to it), the header hashes to the block hash,
// and the commit certificate proves the header and ids were committed by 2f+1 replicas of the
// genesis. A node that alters, drops into another block, or invents an item is caught; one
// that withholds items is not (a reader can ask several nodes). Pure; thread-safe.
#pragma once

#include <nlohmann/json.hpp>

#include <vector>

#include "chain/block.h"
#include "chain/transaction.h"
#include "chain/verifiers.h"
#include "common/status.h"

namespace hc::client {

struct VerifiedItem {
  std::uint64_t height = 0;
  std::uint32_t index = 0;
  chain::Digest tx_id{};
  chain::BlockHeader header;
  chain::Transaction tx;
};

// kAuthFailed naming the first check that fails; kInvalidInput for a malformed item.
Result<VerifiedItem> verify_item(const nlohmann::json& item, const chain::CommitCertificateVerifier& certificates);

// Every item of a GET /v1/records/{serial} answer, each verified and under `serial`.
Result<std::vector<VerifiedItem>> verify_serial_answer(const nlohmann::json& answer, const chain::Serial& serial,
                                                       const chain::CommitCertificateVerifier& certificates);

}  // namespace hc::client

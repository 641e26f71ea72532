// The judge of a threshold opening (`hc group judge-opening`, docs/groupsig.md, "Partial
// openings and the evidence"): anyone with read access to a node checks, from the chain alone,
// that a member made a record's group signature. Everything is read as self-proving items
// (client/item_verification.h) against the genesis' replicas: the committed access request
// (it must ask to open and name the record), the committed record (its BBS04-ElGamal
// signature), the trustees' committed answers (their partial openings of that record) and the
// epoch's proven DKG transcript, from which the trustees' opener key and public shares are
// recomputed (client/opener_key_trust.h), and after resharings the sharing in force at the
// request's height (client/reshare_trust.h: the partial openings of a request committed after
// a resharing formed are its new seats'). The evidence then goes through
// crypto::threshold::check_opening_evidence: every partial opening's proof, at least t
// distinct trustees, the combination naming `member` in the registry. Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "chain/digest.h"
#include "client/access_key_trust.h"
#include "client/access_request_answer.h"
#include "client/genesis_trust.h"
#include "client/item_verification.h"
#include "client/node_client.h"
#include "common/status.h"
#include "crypto/groupsig/types.h"

namespace hc::client {

struct JudgedOpening {
  std::uint64_t request_height = 0;
  std::uint64_t record_height = 0;
  std::uint64_t key_epoch = 0;
  std::uint64_t reshare_epoch = 0;      // of the sharing the partial openings were checked against (0: the DKG's)
  std::vector<std::uint16_t> trustees;  // whose partial openings of the record are on the chain (seats of that sharing)
};

// The check itself, over what was read and verified: the proven request and its answers, the
// proven record (its item), the epoch's trusted access key with its opener key and its
// resharings (the sharing in force at the request's height is the one checked). Errors as below.
Result<JudgedOpening> judge_opening_evidence(const ProvenAccessRequest& proven, const VerifiedItem& record_item,
                                             const TrustedAccessKey& key, const groupsig::GroupPublicKey& gpk,
                                             const groupsig::Registry& registry, const std::string& member);

// Ok with what was checked when the chain's evidence proves that `member` signed record
// `record_id`; kAuthFailed naming the reason when it does not (another member, a bad partial
// opening, a signature that does not verify); kInvalidInput when the request did not ask to
// open or does not name the record, or too few trustees answered; the node's errors otherwise.
Result<JudgedOpening> judge_threshold_opening(const NodeClient& node, const ChainTrust& trust,
                                              const chain::Digest& request_id, const chain::Digest& record_id,
                                              const groupsig::GroupPublicKey& gpk, const groupsig::Registry& registry,
                                              const std::string& member);

}  // namespace hc::client

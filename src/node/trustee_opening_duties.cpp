// TrusteeDuties, the opening half (trustee_duties.h): partial openings for a committed access
// request that asks to open, computed from the group signatures of the committed records it
// names (never from anything in the request), with the trustee's share xi_j of the key
// epoch's opener key.
#include <spdlog/spdlog.h>

#include "chain/opener_key_state.h"
#include "chain/record_signature_check.h"
#include "crypto/groupsig/elgamal_encoding.h"
#include "crypto/threshold/partial_opening.h"
#include "node/trustee_duties.h"
#include "node/trustee_record_envelope.h"

namespace hc::node {

namespace {

namespace th = crypto::threshold;

std::string opening_short_id(const chain::Digest& id) { return chain::digest_hex(id).substr(0, 16); }

Result<chain::RecordTx> opening_committed_record(const chain::LedgerStore& store, const chain::Digest& id) {
  HC_ASSIGN_OR_RETURN(auto location, store.find_transaction(id));
  if (!location) return Status::error(ErrorCode::kNotFound, "record " + opening_short_id(id) + "... is not committed");
  HC_ASSIGN_OR_RETURN(chain::Block block, store.read_block(location->height));
  if (location->index >= block.transactions.size()) return Status::error(ErrorCode::kCorrupt, "store: bad location");
  HC_ASSIGN_OR_RETURN(chain::Transaction tx, chain::decode_transaction(block.transactions[location->index]));
  const auto* record = std::get_if<chain::RecordTx>(&tx);
  if (record == nullptr) return invalid_input("transaction " + opening_short_id(id) + "... is not a record");
  return *record;
}

}  // namespace

Result<std::vector<chain::PartialOpeningEntry>> build_partial_openings(
    const th::OpenerKeyPublic& key, std::uint16_t trustee, const bls12_381::Fr& opener_share,
    const chain::Digest& request_id, const std::vector<std::pair<chain::Digest, Bytes>>& signatures) {
  std::vector<chain::PartialOpeningEntry> out;
  for (const auto& [record_id, encoded] : signatures) {
    HC_ASSIGN_OR_RETURN(groupsig::elgamal::Signature sig, groupsig::elgamal::decode_signature(encoded));
    HC_ASSIGN_OR_RETURN(th::PartialOpening partial,
                        th::make_partial_opening(key, trustee, opener_share, request_id, sig));
    out.push_back(chain::PartialOpeningEntry{record_id, th::encode_partial_opening(partial)});
  }
  return out;
}

Result<const OpenerShareOfEpoch*> TrusteeDuties::opener_share(std::uint64_t epoch) {
  if (auto it = opener_shares_.find(epoch); it != opener_shares_.end()) return &it->second;
  HC_ASSIGN_OR_RETURN(auto opener, chain::read_opener_key(view_, epoch));
  if (!opener || !opener->formed) {
    return Status::error(ErrorCode::kNotFound, "key epoch " + std::to_string(epoch) + " has no trustees' opener key");
  }
  HC_ASSIGN_OR_RETURN(th::OpenerDkgParams params,
                      chain::opener_dkg_params_for(store_.genesis(), store_.genesis_hash(), epoch));
  HC_ASSIGN_OR_RETURN(chain::OpenerTranscript transcript, chain::read_opener_transcript(view_, params));
  HC_ASSIGN_OR_RETURN(bls12_381::Fr xi, th::opener_secret_share(params, *opener->formed, transcript.deals,
                                                                 identity_.index, identity_.secret));
  OpenerShareOfEpoch& slot = opener_shares_[epoch];
  slot.key = opener->formed->key;
  slot.share = xi;
  xi.wipe();
  return &slot;
}

Result<std::vector<chain::PartialOpeningEntry>> TrusteeDuties::partial_openings_to_answer(
    const chain::Digest& request_id, const chain::AccessRequestTx& request, const SharingSeat& seat,
    std::uint64_t request_height, bool& skipped) {
  HC_ASSIGN_OR_RETURN(const OpenerShareOfEpoch* share, opener_share_of_seat(request.key_epoch, seat, request_height));
  const th::AccessKeyPublic& access_key = seat.key;
  std::vector<std::pair<chain::Digest, Bytes>> signatures;
  for (const chain::Digest& id : request.record_ids) {
    HC_ASSIGN_OR_RETURN(chain::RecordTx record, opening_committed_record(store_, id));
    auto e = version2_ephemeral(record.sealed);
    const bool elgamal = chain::is_elgamal_group_signature(record.group_signature);
    if (!e || e->key_id != access_key.key_id || !elgamal) {
      spdlog::warn("trustee {}: request {}... asks to open record {}..., {}: not answered", identity_.index,
                   opening_short_id(request_id), opening_short_id(id),
                   !e ? "not a version-2 record"
                      : (!elgamal ? "not signed with the trustees' opener key" : "sealed to another key epoch"));
      skipped = true;
      return std::vector<chain::PartialOpeningEntry>();
    }
    signatures.emplace_back(id, record.group_signature);
  }
  return build_partial_openings(share->key, seat.index, share->share, request_id, signatures);
}

}  // namespace hc::node

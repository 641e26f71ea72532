// TrusteeDuties, the answering half (trustee_duties.h): decryption shares for a committed
// access request, from the committed version-2 records it names.
#include <spdlog/spdlog.h>

#include "chain/trustee_signing.h"
#include "crypto/threshold/decryption_share.h"
#include "node/trustee_duties.h"
#include "node/trustee_record_envelope.h"

namespace hc::node {

namespace {

namespace th = crypto::threshold;

std::string trustee_answer_short_id(const chain::Digest& id) { return chain::digest_hex(id).substr(0, 16); }

Result<chain::RecordTx> trustee_committed_record(const chain::LedgerStore& store, const chain::Digest& id) {
  HC_ASSIGN_OR_RETURN(auto location, store.find_transaction(id));
  if (!location) return Status::error(ErrorCode::kNotFound, "record " + trustee_answer_short_id(id) + "... is not committed");
  HC_ASSIGN_OR_RETURN(chain::Block block, store.read_block(location->height));
  if (location->index >= block.transactions.size()) return Status::error(ErrorCode::kCorrupt, "store: bad location");
  HC_ASSIGN_OR_RETURN(chain::Transaction tx, chain::decode_transaction(block.transactions[location->index]));
  const auto* record = std::get_if<chain::RecordTx>(&tx);
  if (record == nullptr) return invalid_input("transaction " + trustee_answer_short_id(id) + "... is not a record");
  return *record;
}

// The unsigned answer's share boxes: for each ephemeral key E (in order) x_j * E with its proof,
// boxed to the requester.
Result<chain::DecryptionSharesTx> trustee_answer_shares(const th::AccessKeyPublic& key, std::uint16_t trustee,
                                                        const crypto::P256Scalar& secret_share,
                                                        const chain::Digest& request_id,
                                                        const std::vector<crypto::P256Point>& ephemerals,
                                                        const crypto::P256PointBytes& requester_key) {
  HC_ASSIGN_OR_RETURN(crypto::P256Point requester, crypto::P256Point::decode(requester_key));
  chain::DecryptionSharesTx tx;
  tx.chain_id = key.chain_id;
  tx.request_id = request_id;
  tx.trustee = trustee;
  for (const crypto::P256Point& e : ephemerals) {
    HC_ASSIGN_OR_RETURN(th::DecryptionShare d, th::make_decryption_share(key, trustee, secret_share, request_id, e));
    HC_ASSIGN_OR_RETURN(Bytes box, th::seal_share_to_requester(key, d, requester));
    tx.share_boxes.push_back(std::move(box));
  }
  return tx;
}

Result<TrusteeTx> trustee_signed_answer(chain::DecryptionSharesTx answer, const crypto::P256Scalar& trustee_secret,
                                        std::string label) {
  chain::Transaction any{std::move(answer)};
  HC_RETURN_IF_ERROR(chain::sign_trustee_tx(any, trustee_secret));
  HC_RETURN_IF_ERROR(chain::check_transaction_fields(any));
  return TrusteeTx{std::move(label), chain::encode_transaction(any)};
}

}  // namespace

Result<std::vector<crypto::P256Point>> TrusteeDuties::ephemerals_to_answer(const chain::Digest& request_id,
                                                                           const chain::AccessRequestTx& request,
                                                                           std::uint64_t request_height,
                                                                           const crypto::KeyId& key_id, bool& skipped) {
  std::vector<crypto::P256Point> out;
  if (!request.record_ids.empty()) {
    // The chain wants one box per named record, in order: one record we cannot answer for
    // means no answer at all.
    for (const chain::Digest& id : request.record_ids) {
      HC_ASSIGN_OR_RETURN(chain::RecordTx record, trustee_committed_record(store_, id));
      auto e = version2_ephemeral(record.sealed);
      if (!e || e->key_id != key_id) {
        spdlog::warn("trustee {}: request {}... names record {}..., {}: not answered", identity_.index,
                     trustee_answer_short_id(request_id), trustee_answer_short_id(id), e ? "sealed to another key epoch" : "not a version-2 record");
        skipped = true;
        return std::vector<crypto::P256Point>();
      }
      out.push_back(std::move(e->ephemeral));
    }
    return out;
  }
  // Every record of the serial committed before the request, in chain order: the same set for
  // every trustee, whenever it answers. Records of another version or key epoch are skipped.
  HC_ASSIGN_OR_RETURN(auto located, store_.transactions_by_serial(request.serial));
  std::size_t other = 0;
  for (const chain::LocatedTx& item : located) {
    const auto* record = std::get_if<chain::RecordTx>(&item.tx);
    if (record == nullptr || item.location.height >= request_height) continue;
    auto e = version2_ephemeral(record->sealed);
    if (!e || e->key_id != key_id) {
      ++other;
      continue;
    }
    out.push_back(std::move(e->ephemeral));
  }
  if (other > 0) {
    spdlog::info("trustee {}: request {}...: {} record(s) not version 2 or sealed to another key epoch, skipped",
                 identity_.index, trustee_answer_short_id(request_id), other);
  }
  if (out.size() > chain::kMaxDecryptionSharesPerTx) {
    spdlog::warn("trustee {}: request {}... covers {} records, more than the {} one answer may hold: not answered",
                 identity_.index, trustee_answer_short_id(request_id), out.size(), chain::kMaxDecryptionSharesPerTx);
    skipped = true;
    return std::vector<crypto::P256Point>();
  }
  if (out.empty()) {
    spdlog::warn("trustee {}: request {}... covers no version-2 record of its key epoch: not answered", identity_.index,
                 trustee_answer_short_id(request_id));
    skipped = true;
  }
  return out;
}

Result<std::optional<TrusteeTx>> TrusteeDuties::answer(const chain::Digest& request_id,
                                                       const chain::AccessRequestTx& request,
                                                       std::uint64_t request_height, bool& skipped) {
  skipped = false;
  // The sharing in force at the request's height answers it (issue 16 item 3): the DKG's seat
  // before a resharing's finalizing block, the new seat after it. No seat there (not a
  // trustee of that sharing, or its key erased): nothing is owed from this node.
  HC_ASSIGN_OR_RETURN(std::optional<SharingSeat> seat, answering_seat(request.key_epoch, request_height));
  if (!seat) return std::optional<TrusteeTx>();
  HC_ASSIGN_OR_RETURN(auto answered, chain::read_answer(view_, request_id, seat->index));
  if (answered) return std::optional<TrusteeTx>();
  chain::DecryptionSharesTx tx;
  std::string what;
  if (request.decrypt) {
    HC_ASSIGN_OR_RETURN(auto ephemerals,
                        ephemerals_to_answer(request_id, request, request_height, seat->key.key_id, skipped));
    if (ephemerals.empty()) return std::optional<TrusteeTx>();
    HC_ASSIGN_OR_RETURN(tx, trustee_answer_shares(seat->key, seat->index, *seat->share, request_id, ephemerals,
                                                  request.requester_key));
    what = std::to_string(ephemerals.size()) + " decryption share(s)";
  }
  if (request.open) {
    HC_ASSIGN_OR_RETURN(tx.partial_openings,
                        partial_openings_to_answer(request_id, request, *seat, request_height, skipped));
    if (skipped) return std::optional<TrusteeTx>();
    what += std::string(what.empty() ? "" : ", ") + std::to_string(tx.partial_openings.size()) + " partial opening(s)";
  }
  tx.chain_id = store_.genesis_hash();
  tx.request_id = request_id;
  tx.trustee = seat->index;
  const std::string sharing =
      seat->reshare_epoch == 0 ? std::string() : ", as seat " + std::to_string(seat->index) + " of resharing epoch " +
                                                     std::to_string(seat->reshare_epoch);
  HC_ASSIGN_OR_RETURN(TrusteeTx signed_tx,
                      trustee_signed_answer(std::move(tx), *seat->trustee_secret,
                                            "answer to request " + trustee_answer_short_id(request_id) + "... (" +
                                                what + sharing + ")"));
  return std::optional<TrusteeTx>(std::move(signed_tx));
}

Result<TrusteeTx> build_decryption_shares_tx(const th::AccessKeyPublic& key, std::uint16_t trustee,
                                             const crypto::P256Scalar& secret_share,
                                             const crypto::P256Scalar& trustee_secret, const chain::Digest& request_id,
                                             const std::vector<crypto::P256Point>& ephemerals,
                                             const crypto::P256PointBytes& requester_key) {
  HC_ASSIGN_OR_RETURN(chain::DecryptionSharesTx tx,
                      trustee_answer_shares(key, trustee, secret_share, request_id, ephemerals, requester_key));
  return trustee_signed_answer(std::move(tx), trustee_secret,
                               "decryption shares for request " + trustee_answer_short_id(request_id) + "... (" +
                                   std::to_string(ephemerals.size()) + " record(s))");
}

}  // namespace hc::node

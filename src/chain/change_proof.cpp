#include "chain/change_proof.h"

#include <string>

#include "chain/governance_state.h"
#include "chain/trustee_state.h"

namespace hc::chain {

namespace {

using nlohmann::json;

Result<CertifiedHeader> proof_certified_header_of(const LedgerStore& store, std::uint64_t height) {
  HC_ASSIGN_OR_RETURN(Block block, store.read_block(height));
  return CertifiedHeader{block.header, transaction_ids(block), block.commit_certificate};
}

json proof_ids_to_json(const std::vector<Digest>& ids) {
  json out = json::array();
  for (const Digest& d : ids) out.push_back(digest_hex(d));
  return out;
}

Status proof_malformed(std::size_t position, const std::string& what) {
  return invalid_input("membership change proof " + std::to_string(position) + ": " + what);
}

Result<Bytes> proof_hex_field(const json& j, const char* key, std::size_t max_bytes, std::size_t position) {
  if (!j.contains(key) || !j[key].is_string()) return proof_malformed(position, std::string("missing ") + key);
  const std::string& text = j[key].get_ref<const std::string&>();
  if (text.size() > 2 * max_bytes) {
    return Status::error(ErrorCode::kTooLarge, "membership change proof " + std::to_string(position) + ": " + key +
                                                   " is longer than " + std::to_string(max_bytes) + " bytes");
  }
  auto bytes = from_hex(text);
  if (!bytes.ok()) return proof_malformed(position, std::string(key) + " is not hex");
  return std::move(bytes).value();
}

Result<std::vector<Digest>> proof_ids_field(const json& j, const char* key, std::size_t position) {
  if (!j.contains(key) || !j[key].is_array()) return proof_malformed(position, std::string("missing ") + key);
  if (j[key].size() > kMaxBlockTransactions) return proof_malformed(position, std::string(key) + " lists too many ids");
  std::vector<Digest> ids;
  for (const json& id : j[key]) {
    if (!id.is_string()) return proof_malformed(position, std::string(key) + " holds a non-string");
    auto d = digest_from_hex(id.get_ref<const std::string&>());
    if (!d.ok()) return proof_malformed(position, std::string(key) + " holds a malformed digest");
    ids.push_back(*d);
  }
  return ids;
}

Result<CertifiedHeader> proof_certified_from_json(const json& j, const char* header_key, const char* ids_key,
                                                  const char* cert_key, std::size_t position) {
  CertifiedHeader out;
  HC_ASSIGN_OR_RETURN(Bytes header, proof_hex_field(j, header_key, 1024, position));
  auto decoded = decode_header(header);
  if (!decoded.ok()) return proof_malformed(position, std::string(header_key) + ": " + decoded.status().message());
  out.header = *decoded;
  HC_ASSIGN_OR_RETURN(out.tx_ids, proof_ids_field(j, ids_key, position));
  HC_ASSIGN_OR_RETURN(out.certificate, proof_hex_field(j, cert_key, kMaxCommitCertificateBytes, position));
  return out;
}

}  // namespace

Result<std::vector<ChangeProof>> change_proofs_from_store(const LedgerStore& store) {
  const std::uint64_t tip = store.tip().height;
  HC_ASSIGN_OR_RETURN(std::vector<MembershipChange> changes, read_membership_changes(StoreTrusteeView(store), 1));
  std::vector<ChangeProof> proofs;
  for (const MembershipChange& change : changes) {
    if (change.height + 1 > tip) break;  // its successor is not committed yet: listed once it is
    if (proofs.size() == kMaxChangeProofs) {
      return Status::error(ErrorCode::kTooLarge, "more than " + std::to_string(kMaxChangeProofs) + " membership changes");
    }
    HC_ASSIGN_OR_RETURN(auto state, store.membership_change_state(change.height));
    if (!state) {
      return Status::error(ErrorCode::kUnavailable,
                           "this ledger has no proof of the membership change at height " + std::to_string(change.height) +
                               " (written before change proofs were kept); stop the node and run hc chain "
                               "restore-change-proofs --data on its data directory (docs/ledger.md, \"Membership "
                               "change proofs\")");
    }
    ChangeProof proof;
    proof.height = change.height;
    HC_ASSIGN_OR_RETURN(proof.accepting, proof_certified_header_of(store, change.height));
    proof.state_changes = std::move(*state);
    HC_ASSIGN_OR_RETURN(proof.successor, proof_certified_header_of(store, change.height + 1));
    proofs.push_back(std::move(proof));
  }
  return proofs;
}

json change_proofs_to_json(const std::vector<ChangeProof>& proofs) {
  json list = json::array();
  for (const ChangeProof& p : proofs) {
    list.push_back({{"height", p.height},
                    {"header", to_hex(encode_header(p.accepting.header))},
                    {"tx_ids", proof_ids_to_json(p.accepting.tx_ids)},
                    {"certificate", to_hex(p.accepting.certificate)},
                    {"state_changes", to_hex(p.state_changes)},
                    {"next_header", to_hex(encode_header(p.successor.header))},
                    {"next_tx_ids", proof_ids_to_json(p.successor.tx_ids)},
                    {"next_certificate", to_hex(p.successor.certificate)}});
  }
  return json{{"changes", std::move(list)}};
}

Result<std::vector<ChangeProof>> change_proofs_from_json(const json& answer) {
  if (!answer.is_object() || !answer.contains("changes") || !answer["changes"].is_array()) {
    return invalid_input("membership change proofs: missing changes");
  }
  const json& list = answer["changes"];
  if (list.size() > kMaxChangeProofs) {
    return Status::error(ErrorCode::kTooLarge, "membership change proofs: more than " +
                                                   std::to_string(kMaxChangeProofs) + " changes");
  }
  std::vector<ChangeProof> proofs;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const json& j = list[i];
    if (!j.is_object()) return proof_malformed(i, "not an object");
    ChangeProof p;
    if (!j.contains("height") || !j["height"].is_number_unsigned()) return proof_malformed(i, "missing height");
    p.height = j["height"].get<std::uint64_t>();
    HC_ASSIGN_OR_RETURN(p.accepting, proof_certified_from_json(j, "header", "tx_ids", "certificate", i));
    HC_ASSIGN_OR_RETURN(p.state_changes, proof_hex_field(j, "state_changes", kMaxStateChangesBytes, i));
    HC_ASSIGN_OR_RETURN(p.successor, proof_certified_from_json(j, "next_header", "next_tx_ids", "next_certificate", i));
    proofs.push_back(std::move(p));
  }
  return proofs;
}

}  // namespace hc::chain

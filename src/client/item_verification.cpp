#include "client/item_verification.h"

#include <charconv>

#include "chain/merkle.h"

namespace hc::client {

namespace {

using nlohmann::json;

Status bad(const std::string& what) { return invalid_input("node answer: " + what); }
Status forged(const std::string& what) { return Status::error(ErrorCode::kAuthFailed, "node answer does not verify: " + what); }

Result<std::string> str(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_string()) return bad(std::string("missing ") + key);
  return j[key].get<std::string>();
}

Result<std::uint64_t> u64(const json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) return bad(std::string("missing ") + key);
  if (j[key].is_number_unsigned()) return j[key].get<std::uint64_t>();
  if (!j[key].is_string()) return bad(std::string("bad ") + key);
  const std::string& s = j[key].get_ref<const std::string&>();
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return bad(std::string("bad ") + key);
  return v;
}

Result<chain::Digest> digest(const json& j, const char* key) {
  HC_ASSIGN_OR_RETURN(std::string hex, str(j, key));
  auto d = chain::digest_from_hex(hex);
  if (!d.ok()) return bad(std::string("bad ") + key);
  return d;
}

Result<chain::BlockHeader> header_from_json(const json& j) {
  chain::BlockHeader h;
  HC_ASSIGN_OR_RETURN(h.height, u64(j, "height"));
  HC_ASSIGN_OR_RETURN(h.previous_hash, digest(j, "previous_hash"));
  HC_ASSIGN_OR_RETURN(h.merkle_root, digest(j, "merkle_root"));
  HC_ASSIGN_OR_RETURN(h.timestamp_ms, u64(j, "timestamp_ms"));
  HC_ASSIGN_OR_RETURN(h.view, u64(j, "view"));
  HC_ASSIGN_OR_RETURN(std::uint64_t proposer, u64(j, "proposer"));
  if (proposer > 0xffffffffu) return bad("bad proposer");
  h.proposer = static_cast<std::uint32_t>(proposer);
  HC_ASSIGN_OR_RETURN(h.app_hash, digest(j, "app_hash"));
  return h;
}

Result<chain::MerkleProof> proof_from_json(const json& j) {
  chain::MerkleProof p;
  HC_ASSIGN_OR_RETURN(std::uint64_t index, u64(j, "index"));
  HC_ASSIGN_OR_RETURN(std::uint64_t count, u64(j, "leaf_count"));
  if (index > 0xffffffffu || count > 0xffffffffu || !j.contains("siblings") || !j["siblings"].is_array() ||
      j["siblings"].size() > 64) {
    return bad("malformed Merkle proof");
  }
  p.index = static_cast<std::uint32_t>(index);
  p.leaf_count = static_cast<std::uint32_t>(count);
  for (const json& s : j["siblings"]) {
    if (!s.is_string()) return bad("malformed Merkle proof");
    auto d = chain::digest_from_hex(s.get<std::string>());
    if (!d.ok()) return bad("malformed Merkle proof");
    p.siblings.push_back(*d);
  }
  return p;
}

}  // namespace

Result<VerifiedItem> verify_item(const json& item, const chain::CommitCertificateVerifier& certificates) {
  VerifiedItem out;
  HC_ASSIGN_OR_RETURN(out.height, u64(item, "height"));
  HC_ASSIGN_OR_RETURN(std::uint64_t index, u64(item, "index"));
  HC_ASSIGN_OR_RETURN(std::string encoding_b64, str(item, "encoding"));
  auto encoding = from_base64(encoding_b64);
  if (!encoding.ok()) return bad("transaction encoding is not base64");
  out.tx_id = chain::transaction_id(*encoding);
  HC_ASSIGN_OR_RETURN(chain::Digest claimed_id, digest(item, "tx_id"));
  if (claimed_id != out.tx_id) return forged("transaction id does not match its encoding");
  if (!item.contains("block_header")) return bad("missing block_header");
  HC_ASSIGN_OR_RETURN(out.header, header_from_json(item["block_header"]));
  if (out.header.height != out.height) return forged("header height differs from the item's");
  HC_ASSIGN_OR_RETURN(chain::Digest claimed_hash, digest(item, "block_hash"));
  chain::Digest hash = chain::block_hash(out.header);
  if (claimed_hash != hash) return forged("block header does not hash to the block hash");
  if (!item.contains("block_tx_ids") || !item["block_tx_ids"].is_array()) return bad("missing block_tx_ids");
  std::vector<chain::Digest> ids;
  for (const json& id : item["block_tx_ids"]) {
    if (!id.is_string()) return bad("bad block_tx_ids");
    auto d = chain::digest_from_hex(id.get<std::string>());
    if (!d.ok()) return bad("bad block_tx_ids");
    ids.push_back(*d);
  }
  if (index >= ids.size() || ids[index] != out.tx_id) return forged("transaction is not at its index in the block");
  out.index = static_cast<std::uint32_t>(index);
  if (chain::merkle_root(ids) != out.header.merkle_root) return forged("transaction ids do not give the Merkle root");
  if (!item.contains("merkle_proof")) return bad("missing merkle_proof");
  HC_ASSIGN_OR_RETURN(chain::MerkleProof proof, proof_from_json(item["merkle_proof"]));
  Status path = chain::merkle_verify(out.header.merkle_root, out.tx_id, proof);
  if (!path.ok() || proof.index != out.index) return forged("Merkle proof does not lead to the root");
  HC_ASSIGN_OR_RETURN(std::string cert_b64, str(item, "certificate"));
  auto cert = from_base64(cert_b64);
  if (!cert.ok()) return bad("certificate is not base64");
  Status certified = certificates.verify(out.header, hash, ids, *cert);
  if (!certified.ok()) return forged("commit certificate: " + certified.message());
  auto tx = chain::decode_transaction(*encoding);
  if (!tx.ok()) return forged("committed transaction does not decode: " + tx.status().message());
  out.tx = std::move(tx).value();
  return out;
}

Result<std::vector<VerifiedItem>> verify_serial_answer(const json& answer, const chain::Serial& serial,
                                                       const chain::CommitCertificateVerifier& certificates) {
  if (!answer.is_object() || !answer.contains("items") || !answer["items"].is_array()) return bad("missing items");
  std::vector<VerifiedItem> out;
  for (const json& item : answer["items"]) {
    HC_ASSIGN_OR_RETURN(VerifiedItem v, verify_item(item, certificates));
    const chain::Serial* s = nullptr;
    if (const auto* r = std::get_if<chain::RecordTx>(&v.tx)) s = &r->sealed.serial;
    if (const auto* a = std::get_if<chain::AccessAuditTx>(&v.tx)) s = &a->serial;
    if (const auto* q = std::get_if<chain::AccessRequestTx>(&v.tx)) s = &q->serial;
    if (s == nullptr || *s != serial) return forged("an item is not under the requested serial");
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace hc::client

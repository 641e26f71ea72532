#include "chain/transaction_json.h"

#include <charconv>
#include <cstring>
#include <set>
#include <string>

#include "chain/transaction_trustees.h"
#include "common/overloaded.h"

namespace hc::chain {

namespace {
using nlohmann::json;

std::string u64_text(std::uint64_t v) { return std::to_string(v); }

// Reads the fields of one JSON object, rejecting missing, mistyped and unexpected members.
class Fields {
 public:
  explicit Fields(const json& j) : j_(j) {}
  Result<std::string> text(const std::string& name) {
    seen_.insert(name);
    auto it = j_.find(name);
    if (it == j_.end() || !it->is_string()) return invalid_input("json: missing string " + name);
    return it->get<std::string>();
  }
  Result<Bytes> base64(const std::string& name) {
    HC_ASSIGN_OR_RETURN(std::string t, text(name));
    auto r = from_base64(t);
    if (!r.ok()) return invalid_input("json: " + name + " is not base64");
    return std::move(r).value();
  }
  template <std::size_t N>
  Result<std::array<std::uint8_t, N>> hex(const std::string& name) {
    HC_ASSIGN_OR_RETURN(std::string t, text(name));
    auto r = from_hex(t);
    if (!r.ok() || r->size() != N) {
      return invalid_input("json: " + name + " must be " + std::to_string(N) + " hex bytes");
    }
    std::array<std::uint8_t, N> out{};
    std::memcpy(out.data(), r->data(), N);
    return out;
  }
  Result<std::uint64_t> u64(const std::string& name) {
    HC_ASSIGN_OR_RETURN(std::string t, text(name));
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || end != t.data() + t.size() || t.empty() ||
        (t.size() > 1 && t[0] == '0')) {
      return invalid_input("json: " + name + " must be a decimal u64 string");
    }
    return v;
  }
  Result<std::uint16_t> index(const std::string& name) {
    HC_ASSIGN_OR_RETURN(std::uint64_t v, u64(name));
    if (v > UINT16_MAX) return invalid_input("json: " + name + " out of range");
    return static_cast<std::uint16_t>(v);
  }
  template <std::size_t N>
  Result<std::vector<std::array<std::uint8_t, N>>> hex_list(const std::string& name) {
    seen_.insert(name);
    auto it = j_.find(name);
    if (it == j_.end() || !it->is_array() || it->size() > kMaxAccessRequestRecords) {
      return invalid_input("json: " + name + " must be an array of at most 256");
    }
    std::vector<std::array<std::uint8_t, N>> out;
    for (const json& item : *it) {
      auto raw = item.is_string() ? from_hex(item.get<std::string>()) : Result<Bytes>(invalid_input("not text"));
      if (!raw.ok() || raw->size() != N) return invalid_input("json: " + name + " items must be " + std::to_string(N) + " hex bytes");
      std::array<std::uint8_t, N> a{};
      std::memcpy(a.data(), raw->data(), N);
      out.push_back(a);
    }
    return out;
  }
  Result<std::vector<Bytes>> base64_list(const std::string& name) {
    seen_.insert(name);
    auto it = j_.find(name);
    if (it == j_.end() || !it->is_array() || it->size() > kMaxDecryptionSharesPerTx) {
      return invalid_input("json: " + name + " must be an array of at most 256");
    }
    std::vector<Bytes> out;
    for (const json& item : *it) {
      auto raw = item.is_string() ? from_base64(item.get<std::string>()) : Result<Bytes>(invalid_input("not text"));
      if (!raw.ok()) return invalid_input("json: " + name + " items must be base64");
      out.push_back(std::move(raw).value());
    }
    return out;
  }
  Result<std::vector<PartialOpeningEntry>> partial_openings(const std::string& name) {
    seen_.insert(name);
    auto it = j_.find(name);
    if (it == j_.end() || !it->is_array() || it->size() > kMaxAccessRequestRecords) {
      return invalid_input("json: " + name + " must be an array of at most 256");
    }
    std::vector<PartialOpeningEntry> out;
    for (const json& item : *it) {
      if (!item.is_object() || item.size() != 2) {
        return invalid_input("json: " + name + " items must be {record_id, partial_opening}");
      }
      Fields entry_fields(item);
      PartialOpeningEntry entry;
      HC_ASSIGN_OR_RETURN(entry.record_id, entry_fields.hex<kDigestBytes>("record_id"));
      HC_ASSIGN_OR_RETURN(entry.partial_opening, entry_fields.base64("partial_opening"));
      HC_RETURN_IF_ERROR(entry_fields.finish());
      out.push_back(std::move(entry));
    }
    return out;
  }
  bool has(const std::string& name) const { return j_.contains(name); }
  Status finish() const {
    for (auto it = j_.begin(); it != j_.end(); ++it) {
      if (!seen_.contains(it.key())) return invalid_input("json: unexpected field " + it.key());
    }
    return Status();
  }

 private:
  const json& j_;
  std::set<std::string> seen_;
};

Result<Transaction> record_from(Fields& f) {
  RecordTx r;
  HC_ASSIGN_OR_RETURN(r.sealed.serial, f.hex<kSerialBytes>("serial"));
  HC_ASSIGN_OR_RETURN(r.sealed.key_id, f.hex<kKeyIdBytes>("key_id"));
  if (f.has("envelope_version")) {  // only version 2 names it (docs/ledger.md)
    HC_ASSIGN_OR_RETURN(std::uint64_t version, f.u64("envelope_version"));
    if (version != kRecordEnvelopeV2) return invalid_input("json: envelope_version, when present, must be 2");
    r.sealed.envelope_version = kRecordEnvelopeV2;
    HC_ASSIGN_OR_RETURN(Bytes ephemeral, f.base64("ephemeral_key"));
    if (ephemeral.size() != crypto::kP256PointBytes) return invalid_input("json: ephemeral_key must be 65 bytes");
    std::memcpy(r.sealed.ephemeral_key.data(), ephemeral.data(), crypto::kP256PointBytes);
  } else {
    HC_ASSIGN_OR_RETURN(Bytes wrapped, f.base64("wrapped_key"));
    if (wrapped.size() != kWrappedKeyBytes) return invalid_input("json: wrapped_key must be 384 bytes");
    std::memcpy(r.sealed.wrapped_key.data(), wrapped.data(), kWrappedKeyBytes);
  }
  HC_ASSIGN_OR_RETURN(Bytes nonce, f.base64("nonce"));
  if (nonce.size() != kGcmNonceBytes) return invalid_input("json: nonce must be 12 bytes");
  std::memcpy(r.sealed.nonce.data(), nonce.data(), kGcmNonceBytes);
  HC_ASSIGN_OR_RETURN(r.sealed.ciphertext, f.base64("ciphertext"));
  HC_ASSIGN_OR_RETURN(r.epoch, f.u64("epoch"));
  HC_ASSIGN_OR_RETURN(r.group_signature, f.base64("group_signature"));
  return Transaction(std::move(r));
}

Result<Transaction> trustee_tx_from(TxKind kind, Fields& f) {
  Transaction tx;
  if (kind == TxKind::kDkgDeal) {
    DkgDealTx d;
    HC_ASSIGN_OR_RETURN(d.chain_id, f.hex<kDigestBytes>("chain_id"));
    HC_ASSIGN_OR_RETURN(d.key_epoch, f.u64("key_epoch"));
    HC_ASSIGN_OR_RETURN(d.dealer, f.index("dealer"));
    HC_ASSIGN_OR_RETURN(d.deal, f.base64("deal"));
    if (f.has("opener_deal")) {
      HC_ASSIGN_OR_RETURN(d.opener_deal, f.base64("opener_deal"));
      if (d.opener_deal.empty()) return invalid_input("json: opener_deal, when present, must not be empty");
    }
    tx = std::move(d);
  } else if (kind == TxKind::kDkgComplaint) {
    DkgComplaintTx c;
    HC_ASSIGN_OR_RETURN(c.chain_id, f.hex<kDigestBytes>("chain_id"));
    HC_ASSIGN_OR_RETURN(c.key_epoch, f.u64("key_epoch"));
    HC_ASSIGN_OR_RETURN(c.complainer, f.index("complainer"));
    HC_ASSIGN_OR_RETURN(c.complaint, f.base64("complaint"));
    if (f.has("against")) {
      HC_ASSIGN_OR_RETURN(std::string against, f.text("against"));
      if (against != "opener_deal") return invalid_input("json: against must be \"opener_deal\" when present");
      c.against_opener_deal = true;
    }
    tx = std::move(c);
  } else {
    DecryptionSharesTx s;
    HC_ASSIGN_OR_RETURN(s.chain_id, f.hex<kDigestBytes>("chain_id"));
    HC_ASSIGN_OR_RETURN(s.request_id, f.hex<kDigestBytes>("request_id"));
    HC_ASSIGN_OR_RETURN(s.trustee, f.index("trustee"));
    HC_ASSIGN_OR_RETURN(s.share_boxes, f.base64_list("share_boxes"));
    if (f.has("partial_openings")) {  // wire kind 16 only (docs/ledger.md)
      HC_ASSIGN_OR_RETURN(s.partial_openings, f.partial_openings("partial_openings"));
      if (s.partial_openings.empty()) return invalid_input("json: partial_openings, when present, must not be empty");
    }
    tx = std::move(s);
  }
  HC_ASSIGN_OR_RETURN(auto sig, f.hex<crypto::threshold::kTrusteeSignatureBytes>("trustee_signature"));
  *trustee_signature_of(tx) = sig;
  return tx;
}

// "rights" names what a reader may ask for: "decrypt", "open" or "decrypt+open".
Result<std::uint8_t> rights_from_text(const std::string& text) {
  if (text == "decrypt") return kReaderRightDecrypt;
  if (text == "open") return kReaderRightOpen;
  if (text == "decrypt+open") return kReaderRightsAll;
  return invalid_input("json: rights must be \"decrypt\", \"open\" or \"decrypt+open\"");
}

Result<Transaction> reader_policy_from(Fields& f) {
  ReaderPolicyTx p;
  HC_ASSIGN_OR_RETURN(p.chain_id, f.hex<kDigestBytes>("chain_id"));
  HC_ASSIGN_OR_RETURN(p.policy_version, f.u64("policy_version"));
  HC_ASSIGN_OR_RETURN(std::string action, f.text("action"));
  if (action != "add" && action != "remove") return invalid_input("json: action must be \"add\" or \"remove\"");
  p.action = action == "add" ? ReaderPolicyAction::kAdd : ReaderPolicyAction::kRemove;
  HC_ASSIGN_OR_RETURN(p.reader_key, f.hex<kEd25519PublicKeyBytes>("reader_key"));
  if (p.action == ReaderPolicyAction::kAdd) {
    HC_ASSIGN_OR_RETURN(std::string rights, f.text("rights"));
    HC_ASSIGN_OR_RETURN(p.rights, rights_from_text(rights));
    HC_ASSIGN_OR_RETURN(p.name, f.text("name"));
  }
  return Transaction(std::move(p));
}

Result<Transaction> manager_from(TxKind kind, Fields& f) {
  Transaction tx;
  switch (kind) {
    case TxKind::kJoinRequest:
    case TxKind::kGovernanceApproval:
    case TxKind::kExitAnnouncement:
    case TxKind::kVoteOutProposal:
      return invalid_input("json: governance transactions are submitted in their binary encoding");
    case TxKind::kReshareDeal:
    case TxKind::kReshareComplaint:
    case TxKind::kReshareKey:
      return invalid_input("json: resharing transactions are submitted in their binary encoding");
    case TxKind::kRecord:
      return record_from(f);
    case TxKind::kDkgDeal:
    case TxKind::kDkgComplaint:
    case TxKind::kDecryptionShares:
      return trustee_tx_from(kind, f);
    case TxKind::kKeyEpochStart: {
      KeyEpochStartTx k;
      HC_ASSIGN_OR_RETURN(k.chain_id, f.hex<kDigestBytes>("chain_id"));
      HC_ASSIGN_OR_RETURN(k.key_epoch, f.u64("key_epoch"));
      tx = std::move(k);
      break;
    }
    case TxKind::kAccessRequest: {
      AccessRequestTx a;
      HC_ASSIGN_OR_RETURN(a.chain_id, f.hex<kDigestBytes>("chain_id"));
      HC_ASSIGN_OR_RETURN(a.key_epoch, f.u64("key_epoch"));
      if (f.has("asks")) {  // wire kind 15 only: "open" or "decrypt+open"
        HC_ASSIGN_OR_RETURN(std::string asks, f.text("asks"));
        if (asks != "open" && asks != "decrypt+open") return invalid_input("json: asks must be \"open\" or \"decrypt+open\"");
        a.open = true;
        a.decrypt = asks == "decrypt+open";
      }
      HC_ASSIGN_OR_RETURN(a.serial, f.hex<kSerialBytes>("serial"));
      HC_ASSIGN_OR_RETURN(a.record_ids, f.hex_list<kDigestBytes>("record_ids"));
      HC_ASSIGN_OR_RETURN(a.timestamp_ms, f.u64("timestamp_ms"));
      HC_ASSIGN_OR_RETURN(a.purpose, f.text("purpose"));
      HC_ASSIGN_OR_RETURN(a.requester_key, f.hex<crypto::kP256PointBytes>("requester_key"));
      if (f.has("reader_key")) {  // wire kind 18: signed by a listed reader
        HC_ASSIGN_OR_RETURN(a.reader, f.hex<kEd25519PublicKeyBytes>("reader_key"));
      }
      tx = std::move(a);
      break;
    }
    case TxKind::kReaderPolicy: {
      HC_ASSIGN_OR_RETURN(tx, reader_policy_from(f));
      break;
    }
    case TxKind::kPublishEnvelopeKey: {
      PublishEnvelopeKeyTx p;
      HC_ASSIGN_OR_RETURN(p.spki_der, f.base64("spki_der"));
      tx = std::move(p);
      break;
    }
    case TxKind::kRevocation: {
      RevocationTx v;
      HC_ASSIGN_OR_RETURN(v.new_epoch, f.u64("new_epoch"));
      HC_ASSIGN_OR_RETURN(v.record, f.base64("record"));
      tx = std::move(v);
      break;
    }
    case TxKind::kEnrollment: {
      EnrollmentTx e;
      HC_ASSIGN_OR_RETURN(e.member_name, f.text("member_name"));
      HC_ASSIGN_OR_RETURN(e.registry_entry, f.base64("registry_entry"));
      if (f.has("boxed_member_key")) {  // the second wire form (kEnrollmentWithBoxWireKind)
        BoxedMemberKey b;
        HC_ASSIGN_OR_RETURN(b.chain_id, f.hex<kDigestBytes>("chain_id"));
        HC_ASSIGN_OR_RETURN(std::uint64_t member, f.u64("member_id"));
        if (member >= kMaxReplicas) return invalid_input("json: member_id must be a replica id below 256");
        b.member_id = static_cast<std::uint32_t>(member);
        HC_ASSIGN_OR_RETURN(b.group_epoch, f.u64("group_epoch"));
        HC_ASSIGN_OR_RETURN(b.recipient_key, f.hex<crypto::kP256PointBytes>("recipient_key"));
        HC_ASSIGN_OR_RETURN(b.box, f.base64("boxed_member_key"));
        e.boxed = std::move(b);
      }
      tx = std::move(e);
      break;
    }
    case TxKind::kAccessAudit: {
      AccessAuditTx a;
      HC_ASSIGN_OR_RETURN(a.serial, f.hex<kSerialBytes>("serial"));
      HC_ASSIGN_OR_RETURN(a.manager_key_id, f.hex<kKeyIdBytes>("manager_key_id"));
      HC_ASSIGN_OR_RETURN(a.timestamp_ms, f.u64("timestamp_ms"));
      HC_ASSIGN_OR_RETURN(a.purpose, f.text("purpose"));
      if (f.has("accessor")) {
        HC_ASSIGN_OR_RETURN(a.accessor, f.text("accessor"));
        if (a.accessor.empty()) return invalid_input("json: accessor, when present, must not be empty");
      }
      tx = std::move(a);
      break;
    }
  }
  HC_ASSIGN_OR_RETURN(Ed25519Signature sig, f.hex<kEd25519SignatureBytes>("manager_signature"));
  std::visit(
      [&](auto& m) {
        if constexpr (requires { m.signature; }) m.signature = sig;
      },
      tx);
  return tx;
}

Result<TxKind> kind_from_name(const std::string& name) {
  for (std::uint8_t k = 1; k <= static_cast<std::uint8_t>(TxKind::kDecryptionShares); ++k) {
    if (name == tx_kind_name(static_cast<TxKind>(k))) return static_cast<TxKind>(k);
  }
  if (name == tx_kind_name(TxKind::kReaderPolicy)) return TxKind::kReaderPolicy;
  // Named so that the refusal says why (manager_from): they are submitted in binary only.
  for (TxKind k : {TxKind::kReshareKey, TxKind::kReshareDeal, TxKind::kReshareComplaint}) {
    if (name == tx_kind_name(k)) return k;
  }
  return invalid_input("json: unknown transaction kind " + name);
}
}  // namespace

json transaction_to_json(const Transaction& tx) {
  json j;
  j["version"] = u64_text(kTransactionVersion);
  j["kind"] = tx_kind_name(kind_of(tx));
  std::visit(Overloaded{
                 [&](const RecordTx& r) {
                   j["serial"] = to_hex(r.sealed.serial);
                   j["key_id"] = to_hex(r.sealed.key_id);
                   if (r.sealed.envelope_version == kRecordEnvelopeV2) {
                     j["envelope_version"] = u64_text(r.sealed.envelope_version);
                     j["ephemeral_key"] = to_base64(r.sealed.ephemeral_key);
                   } else {
                     j["wrapped_key"] = to_base64(r.sealed.wrapped_key);
                   }
                   j["nonce"] = to_base64(r.sealed.nonce);
                   j["ciphertext"] = to_base64(r.sealed.ciphertext);
                   j["epoch"] = u64_text(r.epoch);
                   j["group_signature"] = to_base64(r.group_signature);
                 },
                 [&](const PublishEnvelopeKeyTx& p) { j["spki_der"] = to_base64(p.spki_der); },
                 [&](const RevocationTx& v) {
                   j["new_epoch"] = u64_text(v.new_epoch);
                   j["record"] = to_base64(v.record);
                 },
                 [&](const EnrollmentTx& e) {
                   j["member_name"] = e.member_name;
                   j["registry_entry"] = to_base64(e.registry_entry);
                   if (e.boxed) {
                     j["chain_id"] = to_hex(e.boxed->chain_id);
                     j["member_id"] = u64_text(e.boxed->member_id);
                     j["group_epoch"] = u64_text(e.boxed->group_epoch);
                     j["recipient_key"] = to_hex(e.boxed->recipient_key);
                     j["boxed_member_key"] = to_base64(e.boxed->box);
                   }
                 },
                 [&](const AccessAuditTx& a) {
                   j["serial"] = to_hex(a.serial);
                   j["manager_key_id"] = to_hex(a.manager_key_id);
                   j["timestamp_ms"] = u64_text(a.timestamp_ms);
                   j["purpose"] = a.purpose;
                   if (!a.accessor.empty()) j["accessor"] = a.accessor;
                 },
                 [&](const DkgDealTx& d) {
                   j["chain_id"] = to_hex(d.chain_id);
                   j["key_epoch"] = u64_text(d.key_epoch);
                   j["dealer"] = u64_text(d.dealer);
                   j["deal"] = to_base64(d.deal);
                   if (!d.opener_deal.empty()) j["opener_deal"] = to_base64(d.opener_deal);
                 },
                 [&](const DkgComplaintTx& c) {
                   j["chain_id"] = to_hex(c.chain_id);
                   j["key_epoch"] = u64_text(c.key_epoch);
                   j["complainer"] = u64_text(c.complainer);
                   j["complaint"] = to_base64(c.complaint);
                   if (c.against_opener_deal) j["against"] = "opener_deal";
                 },
                 [&](const KeyEpochStartTx& k) {
                   j["chain_id"] = to_hex(k.chain_id);
                   j["key_epoch"] = u64_text(k.key_epoch);
                 },
                 [&](const AccessRequestTx& a) {
                   j["chain_id"] = to_hex(a.chain_id);
                   j["key_epoch"] = u64_text(a.key_epoch);
                   if (a.open) j["asks"] = a.decrypt ? "decrypt+open" : "open";
                   j["serial"] = to_hex(a.serial);
                   json ids = json::array();
                   for (const Digest& id : a.record_ids) ids.push_back(to_hex(id));
                   j["record_ids"] = ids;
                   j["timestamp_ms"] = u64_text(a.timestamp_ms);
                   j["purpose"] = a.purpose;
                   j["requester_key"] = to_hex(a.requester_key);
                   if (a.reader) j["reader_key"] = to_hex(*a.reader);
                 },
                 [&](const ReaderPolicyTx& p) {
                   j["chain_id"] = to_hex(p.chain_id);
                   j["policy_version"] = u64_text(p.policy_version);
                   j["action"] = p.action == ReaderPolicyAction::kAdd ? "add" : "remove";
                   j["reader_key"] = to_hex(p.reader_key);
                   if (p.action == ReaderPolicyAction::kAdd) {
                     j["rights"] = reader_rights_text(p.rights);
                     j["name"] = p.name;
                   }
                 },
                 [&](const JoinRequestTx& g) {
                   j["chain_id"] = to_hex(g.chain_id);
                   j["replica_key"] = to_hex(g.replica_key);
                   j["name"] = g.name;
                   j["api_address"] = g.api_address;
                   j["tls_ca_pem"] = g.tls_ca_pem;
                   if (!g.peer_address.empty()) j["peer_address"] = g.peer_address;
                   if (g.enrollment_key) j["enrollment_key"] = to_hex(*g.enrollment_key);
                   j["nonce"] = u64_text(g.nonce);
                 },
                 [&](const GovernanceApprovalTx& g) {
                   j["chain_id"] = to_hex(g.chain_id);
                   j["proposal_id"] = to_hex(g.proposal_id);
                   j["approver"] = g.approver == kAdminApprover ? "admin" : u64_text(g.approver);
                 },
                 [&](const ExitAnnouncementTx& g) {
                   j["chain_id"] = to_hex(g.chain_id);
                   j["member"] = u64_text(g.member);
                   j["nonce"] = u64_text(g.nonce);
                 },
                 [&](const VoteOutProposalTx& g) {
                   j["chain_id"] = to_hex(g.chain_id);
                   j["proposer"] = u64_text(g.proposer);
                   j["target"] = u64_text(g.target);
                   j["nonce"] = u64_text(g.nonce);
                 },
                 [&](const ReshareKeyTx& k) {
                   j["chain_id"] = to_hex(k.chain_id);
                   j["reshare_epoch"] = u64_text(k.reshare_epoch);
                   j["member"] = u64_text(k.member);
                   j["new_key"] = to_hex(k.new_key);
                   j["new_key_signature"] = to_hex(k.new_key_signature);
                 },
                 [&](const ReshareDealTx& d) {
                   j["chain_id"] = to_hex(d.chain_id);
                   j["reshare_epoch"] = u64_text(d.reshare_epoch);
                   j["dealer"] = u64_text(d.dealer);
                   j["deal"] = to_base64(d.deal);
                   if (!d.opener_deal.empty()) j["opener_deal"] = to_base64(d.opener_deal);
                 },
                 [&](const ReshareComplaintTx& c) {
                   j["chain_id"] = to_hex(c.chain_id);
                   j["reshare_epoch"] = u64_text(c.reshare_epoch);
                   j["complainer"] = u64_text(c.complainer);
                   j["complaint"] = to_base64(c.complaint);
                   if (c.against_opener_deal) j["against"] = "opener_deal";
                 },
                 [&](const DecryptionSharesTx& s) {
                   j["chain_id"] = to_hex(s.chain_id);
                   j["request_id"] = to_hex(s.request_id);
                   j["trustee"] = u64_text(s.trustee);
                   json boxes = json::array();
                   for (const Bytes& box : s.share_boxes) boxes.push_back(to_base64(box));
                   j["share_boxes"] = boxes;
                   if (!s.partial_openings.empty()) {
                     json openings = json::array();
                     for (const PartialOpeningEntry& e : s.partial_openings) {
                       openings.push_back({{"record_id", to_hex(e.record_id)}, {"partial_opening", to_base64(e.partial_opening)}});
                     }
                     j["partial_openings"] = openings;
                   }
                 },
             },
             tx);
  std::visit(
      [&](const auto& m) {
        if constexpr (requires { m.signature; }) j["manager_signature"] = to_hex(m.signature);
        if constexpr (requires { m.trustee_signature; }) j["trustee_signature"] = to_hex(m.trustee_signature);
        if constexpr (requires { m.member_signature; }) j["member_signature"] = to_hex(m.member_signature);
      },
      tx);
  return j;
}

Result<Transaction> transaction_from_json(const json& j) {
  if (!j.is_object()) return invalid_input("json: transaction must be an object");
  Fields f(j);
  HC_ASSIGN_OR_RETURN(std::uint64_t version, f.u64("version"));
  if (version != kTransactionVersion) return invalid_input("json: unsupported version");
  HC_ASSIGN_OR_RETURN(std::string kind_name, f.text("kind"));
  HC_ASSIGN_OR_RETURN(TxKind kind, kind_from_name(kind_name));
  HC_ASSIGN_OR_RETURN(Transaction tx, manager_from(kind, f));
  HC_RETURN_IF_ERROR(f.finish());
  HC_RETURN_IF_ERROR(check_transaction_fields(tx));
  return tx;
}

}  // namespace hc::chain

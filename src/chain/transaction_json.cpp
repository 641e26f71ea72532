#include "chain/transaction_json.h"

#include <charconv>
#include <cstring>
#include <set>
#include <string>

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
  HC_ASSIGN_OR_RETURN(Bytes wrapped, f.base64("wrapped_key"));
  if (wrapped.size() != kWrappedKeyBytes) return invalid_input("json: wrapped_key must be 384 bytes");
  std::memcpy(r.sealed.wrapped_key.data(), wrapped.data(), kWrappedKeyBytes);
  HC_ASSIGN_OR_RETURN(Bytes nonce, f.base64("nonce"));
  if (nonce.size() != kGcmNonceBytes) return invalid_input("json: nonce must be 12 bytes");
  std::memcpy(r.sealed.nonce.data(), nonce.data(), kGcmNonceBytes);
  HC_ASSIGN_OR_RETURN(r.sealed.ciphertext, f.base64("ciphertext"));
  HC_ASSIGN_OR_RETURN(r.epoch, f.u64("epoch"));
  HC_ASSIGN_OR_RETURN(r.group_signature, f.base64("group_signature"));
  return Transaction(std::move(r));
}

Result<Transaction> manager_from(TxKind kind, Fields& f) {
  Transaction tx;
  switch (kind) {
    case TxKind::kRecord:
      return record_from(f);
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
  std::visit(Overloaded{[](RecordTx&) {}, [&](auto& m) { m.signature = sig; }}, tx);
  return tx;
}

Result<TxKind> kind_from_name(const std::string& name) {
  for (std::uint8_t k = 1; k <= 5; ++k) {
    if (name == tx_kind_name(static_cast<TxKind>(k))) return static_cast<TxKind>(k);
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
                   j["wrapped_key"] = to_base64(r.sealed.wrapped_key);
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
                 },
                 [&](const AccessAuditTx& a) {
                   j["serial"] = to_hex(a.serial);
                   j["manager_key_id"] = to_hex(a.manager_key_id);
                   j["timestamp_ms"] = u64_text(a.timestamp_ms);
                   j["purpose"] = a.purpose;
                   if (!a.accessor.empty()) j["accessor"] = a.accessor;
                 },
             },
             tx);
  std::visit(Overloaded{[](const RecordTx&) {},
                        [&](const auto& m) { j["manager_signature"] = to_hex(m.signature); }},
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

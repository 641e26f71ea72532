#include "chain/reader_policy.h"

#include <algorithm>
#include <cstring>

#include "chain/codec.h"
#include "chain/limits.h"
#include "common/bytes.h"
#include "crypto/ed25519.h"

namespace hc::chain {

namespace {
constexpr std::string_view kHeadName = "trustees/reader_policy";
constexpr std::string_view kReaderPrefix = "trustees/reader/";

Status refuse_policy(const std::string& why) { return invalid_input(why); }

Status policy_state_corrupt(const std::string& what) {
  return Status::error(ErrorCode::kCorrupt, "store: reader policy state: " + what);
}

Bytes reader_key_name(const Ed25519PublicKey& key) {
  Bytes name(kReaderPrefix.begin(), kReaderPrefix.end());
  append_bytes(name, key);
  return name;
}

Bytes encode_head(const ReaderPolicyHead& head) {
  Bytes out;
  append_u64_be(out, head.version);
  append_u16_be(out, head.listed);
  append_u16_be(out, head.entries);
  return out;
}

Bytes encode_reader(const ReaderEntry& e) {
  Bytes out;
  append_u8(out, e.listed ? 1 : 0);
  append_u8(out, e.rights);
  append_u64_be(out, e.version);
  append_u64_be(out, e.height);
  append_bytes(out, e.tx_id);
  append_u8(out, static_cast<std::uint8_t>(e.name.size()));
  append_bytes(out, bytes_of(e.name));
  return out;
}

Result<ReaderEntry> decode_reader(const Ed25519PublicKey& key, ByteSpan value) {
  Reader in(value);
  ReaderEntry e;
  e.key = key;
  HC_ASSIGN_OR_RETURN(std::uint8_t listed, in.u8("listed"));
  if (listed > 1) return invalid_input("listed flag");
  e.listed = listed == 1;
  HC_ASSIGN_OR_RETURN(e.rights, in.u8("rights"));
  HC_ASSIGN_OR_RETURN(e.version, in.u64("version"));
  HC_ASSIGN_OR_RETURN(e.height, in.u64("height"));
  HC_ASSIGN_OR_RETURN(e.tx_id, in.array<kDigestBytes>("tx id"));
  HC_ASSIGN_OR_RETURN(Bytes name, in.bytes8(1, kMaxReaderNameBytes, "name"));
  e.name.assign(name.begin(), name.end());
  HC_RETURN_IF_ERROR(in.finish("reader entry"));
  return e;
}

std::string short_key(const Ed25519PublicKey& key) { return to_hex(key).substr(0, 16) + "..."; }
}  // namespace

Result<ReaderPolicyHead> read_reader_policy_head(const TrusteeStateView& state) {
  HC_ASSIGN_OR_RETURN(auto value, state.trustee_entry(bytes_of(kHeadName)));
  ReaderPolicyHead head;
  if (!value) return head;
  Reader in(*value);
  auto version = in.u64("version");
  auto listed = in.u16("listed");
  auto entries = in.u16("entries");
  if (!version.ok() || !listed.ok() || !entries.ok() || !in.finish("head").ok()) return policy_state_corrupt("bad head");
  head.version = *version;
  head.listed = *listed;
  head.entries = *entries;
  return head;
}

Result<std::optional<ReaderEntry>> read_reader(const TrusteeStateView& state, const Ed25519PublicKey& key) {
  HC_ASSIGN_OR_RETURN(auto value, state.trustee_entry(reader_key_name(key)));
  if (!value) return std::optional<ReaderEntry>();
  auto entry = decode_reader(key, *value);
  if (!entry.ok()) return policy_state_corrupt("bad reader entry: " + entry.status().message());
  return std::optional<ReaderEntry>(std::move(entry).value());
}

Result<std::vector<ReaderEntry>> read_readers(const TrusteeStateView& state) {
  HC_ASSIGN_OR_RETURN(auto raw, state.trustee_entries(bytes_of(kReaderPrefix), kMaxReaderPolicyEntries));
  std::vector<ReaderEntry> out;
  for (const auto& [name, value] : raw) {
    if (name.size() != kReaderPrefix.size() + kEd25519PublicKeyBytes) return policy_state_corrupt("bad reader key");
    Ed25519PublicKey key{};
    std::memcpy(key.data(), name.data() + kReaderPrefix.size(), key.size());
    auto entry = decode_reader(key, value);
    if (!entry.ok()) return policy_state_corrupt("bad reader entry: " + entry.status().message());
    out.push_back(std::move(entry).value());
  }
  return out;
}

namespace {
Status check_addition(const TrusteeStateView& state, const ReaderPolicyTx& tx, const ReaderPolicyHead& head,
                      const std::optional<ReaderEntry>& known) {
  if (tx.reader_key == state.genesis().manager_admin_key) {
    return refuse_policy("reader policy: the manager's admin key signs requests already and cannot be listed as a reader");
  }
  if (!crypto::Ed25519PublicKey::from_bytes(tx.reader_key).ok()) {
    return refuse_policy("reader policy: the reader key is not an Ed25519 public key");
  }
  if (known && known->listed) {
    return refuse_policy("reader policy: reader " + short_key(tx.reader_key) +
                         " is already listed (remove it first to change its name or rights)");
  }
  if (head.listed >= kMaxListedReaders) {
    return refuse_policy("reader policy: " + std::to_string(kMaxListedReaders) + " readers are listed already");
  }
  if (!known && head.entries >= kMaxReaderPolicyEntries) {
    return refuse_policy("reader policy: the state holds " + std::to_string(kMaxReaderPolicyEntries) +
                         " reader entries (listed or removed); re-add a removed key instead");
  }
  HC_ASSIGN_OR_RETURN(std::vector<ReaderEntry> readers, read_readers(state));
  for (const ReaderEntry& r : readers) {
    if (r.listed && r.name == tx.name) return refuse_policy("reader policy: a listed reader already has this name");
  }
  return Status();
}
}  // namespace

Status check_reader_policy_change(const TrusteeStateView& state, const ReaderPolicyTx& tx, bool already_in_block) {
  if (state.genesis().access_mode != AccessMode::kTrustees) {
    return refuse_policy("reader policy: a single-manager chain has no reader policy (its manager alone reads records)");
  }
  if (tx.chain_id != state.genesis_hash()) return refuse_policy("reader policy: names another chain");
  if (already_in_block) return refuse_policy("reader policy: at most one change per block");
  HC_ASSIGN_OR_RETURN(ReaderPolicyHead head, read_reader_policy_head(state));
  if (tx.policy_version != head.version + 1) {
    return refuse_policy("reader policy: version " + std::to_string(tx.policy_version) + " is not the next (" +
                         std::to_string(head.version + 1) + "): a replayed or stale change");
  }
  HC_ASSIGN_OR_RETURN(auto known, read_reader(state, tx.reader_key));
  if (tx.action == ReaderPolicyAction::kAdd) return check_addition(state, tx, head, known);
  if (!known || !known->listed) return refuse_policy("reader policy: reader " + short_key(tx.reader_key) + " is not listed");
  return Status();
}

Result<std::vector<TrusteeStateEntry>> reader_policy_entries(const TrusteeStateView& state, const ReaderPolicyTx& tx,
                                                             const Digest& tx_id, std::uint64_t height) {
  HC_ASSIGN_OR_RETURN(ReaderPolicyHead head, read_reader_policy_head(state));
  HC_ASSIGN_OR_RETURN(auto known, read_reader(state, tx.reader_key));
  ReaderEntry entry;
  entry.key = tx.reader_key;
  entry.version = tx.policy_version;
  entry.height = height;
  entry.tx_id = tx_id;
  if (tx.action == ReaderPolicyAction::kAdd) {
    HC_CHECK(!known || !known->listed);  // check_reader_policy_change
    entry.listed = true;
    entry.rights = tx.rights;
    entry.name = tx.name;
    ++head.listed;
    if (!known) ++head.entries;
  } else {
    HC_CHECK(known && known->listed);
    entry.listed = false;
    entry.rights = known->rights;  // kept as history: what the reader could do until now
    entry.name = known->name;
    --head.listed;
  }
  head.version = tx.policy_version;
  return std::vector<TrusteeStateEntry>{TrusteeStateEntry{Bytes(kHeadName.begin(), kHeadName.end()), encode_head(head)},
                                        TrusteeStateEntry{reader_key_name(tx.reader_key), encode_reader(entry)}};
}

Status check_requester_allowed(const TrusteeStateView& state, const AccessRequestTx& request) {
  if (!request.reader) return Status();  // the manager's admin key: every right
  HC_ASSIGN_OR_RETURN(auto entry, read_reader(state, *request.reader));
  if (!entry || !entry->listed) {
    return refuse_policy("access request: reader " + short_key(*request.reader) +
                         (entry ? " was removed from the reader policy" : " is not listed in the reader policy"));
  }
  if (request.decrypt && (entry->rights & kReaderRightDecrypt) == 0) {
    return refuse_policy("access request: reader " + short_key(*request.reader) + " may not decrypt (rights: " +
                         reader_rights_text(entry->rights) + ")");
  }
  if (request.open && (entry->rights & kReaderRightOpen) == 0) {
    return refuse_policy("access request: reader " + short_key(*request.reader) +
                         " may not open signatures (rights: " + reader_rights_text(entry->rights) + ")");
  }
  return Status();
}

}  // namespace hc::chain

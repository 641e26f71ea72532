#include "chain/ledger_store.h"

#include <filesystem>
#include <algorithm>
#include <map>

#include "chain/codec.h"
#include "chain/merkle.h"

namespace hc::chain {

namespace {
const std::string kGenesisKey = "genesis";
const std::string kTipKey = "tip";
const std::string kEpochKey = "epoch";
const std::string kRevocationPrefix = "revocation/";
const std::string kCurrentEnvelopeKey = "current_envelope_key";
// Not under "trustees/" or "consortium/": these bytes are a record of the hashed state's
// changes, not part of that state (docs/ledger.md, "Store").
const std::string kChangeStatePrefix = "change-state/";
Bytes change_state_key(std::uint64_t height) {
  Bytes k(kChangeStatePrefix.begin(), kChangeStatePrefix.end());
  append_u64_be(k, height);
  return k;
}

Bytes text_key(const std::string& s) { return Bytes(s.begin(), s.end()); }

Bytes encode_tip(const ChainTip& t) {
  Bytes out;
  append_u64_be(out, t.height);
  append_bytes(out, t.block_hash);
  append_bytes(out, t.app_hash);
  return out;
}

Result<ChainTip> decode_tip(ByteSpan b) {
  Reader in(b);
  ChainTip t;
  HC_ASSIGN_OR_RETURN(t.height, in.u64("tip height"));
  HC_ASSIGN_OR_RETURN(t.block_hash, in.array<kDigestBytes>("tip hash"));
  HC_ASSIGN_OR_RETURN(t.app_hash, in.array<kDigestBytes>("tip app hash"));
  HC_RETURN_IF_ERROR(in.finish("tip"));
  return t;
}

Bytes encode_location(const TxLocation& l) {
  Bytes out;
  append_u64_be(out, l.height);
  append_u32_be(out, l.index);
  return out;
}

Result<TxLocation> decode_location(Reader& in) {
  TxLocation l;
  HC_ASSIGN_OR_RETURN(l.height, in.u64("location height"));
  HC_ASSIGN_OR_RETURN(l.index, in.u32("location index"));
  return l;
}

Status corrupt(const std::string& what) { return Status::error(ErrorCode::kCorrupt, what); }

Result<Bytes> require(Result<std::optional<Bytes>> r, const std::string& what) {
  if (!r.ok()) return r.status();
  if (!r->has_value()) return corrupt("store: missing " + what);
  return std::move(**r);
}
}  // namespace

Bytes height_key(std::uint64_t height) {
  Bytes k;
  append_u64_be(k, height);
  return k;
}

LedgerStore::LedgerStore(std::unique_ptr<KvStore> kv, Genesis genesis, ChainTip tip)
    : kv_(std::move(kv)), genesis_(std::move(genesis)), genesis_hash_(::hc::chain::genesis_hash(genesis_)),
      tip_(tip) {}

Result<std::unique_ptr<LedgerStore>> LedgerStore::create(const std::string& path,
                                                         const Genesis& genesis,
                                                         StoreOptions options) {
  HC_RETURN_IF_ERROR(check_genesis(genesis));
  KvOptions kv_options;
  kv_options.create_if_missing = true;
  kv_options.sync_writes = options.sync_writes;
  HC_ASSIGN_OR_RETURN(auto kv, KvStore::open(path, kv_options));
  // A database without a genesis is one whose creation was interrupted: finish it.
  HC_ASSIGN_OR_RETURN(auto existing, kv->get(Column::kMetadata, text_key(kGenesisKey)));
  if (existing.has_value()) {
    return Status::error(ErrorCode::kAlreadyExists, "store: a ledger already exists at " + path);
  }
  Digest g_hash = ::hc::chain::genesis_hash(genesis);
  ChainTip tip{0, g_hash, initial_app_hash(g_hash)};
  WriteBatch batch;
  batch.put(Column::kMetadata, text_key(kGenesisKey), encode_genesis(genesis));
  batch.put(Column::kMetadata, text_key(kTipKey), encode_tip(tip));
  HC_RETURN_IF_ERROR(kv->write(batch));
  return std::unique_ptr<LedgerStore>(new LedgerStore(std::move(kv), genesis, tip));
}

Result<std::unique_ptr<LedgerStore>> LedgerStore::open(const std::string& path,
                                                       StoreOptions options) {
  KvOptions kv_options;
  kv_options.sync_writes = options.sync_writes;
  kv_options.read_only = options.read_only;
  HC_ASSIGN_OR_RETURN(auto kv, KvStore::open(path, kv_options));
  HC_ASSIGN_OR_RETURN(Bytes g_bytes, require(kv->get(Column::kMetadata, text_key(kGenesisKey)), "genesis"));
  auto genesis = decode_genesis(g_bytes);
  if (!genesis.ok()) return corrupt("store: stored genesis: " + genesis.status().message());
  HC_ASSIGN_OR_RETURN(Bytes tip_bytes, require(kv->get(Column::kMetadata, text_key(kTipKey)), "tip"));
  auto tip = decode_tip(tip_bytes);
  if (!tip.ok()) return corrupt("store: stored tip: " + tip.status().message());
  std::unique_ptr<LedgerStore> store(new LedgerStore(std::move(kv), *genesis, *tip));
  if (options.check_tip_on_open && tip->height > 0) {
    auto block = store->read_block(tip->height);
    if (!block.ok()) return block.status().with_context("store: tip block");
    if (block_hash(block->header) != tip->block_hash) return corrupt("store: tip hash mismatch");
  }
  if (options.check_tip_on_open) {
    HC_ASSIGN_OR_RETURN(auto next, store->kv_->get(Column::kBlocks, height_key(tip->height + 1)));
    if (next.has_value()) return corrupt("store: a block is stored above the tip");
  }
  return store;
}

ChainTip LedgerStore::tip() const {
  std::lock_guard<std::mutex> lock(tip_mutex_);
  return tip_;
}

WriteBatch LedgerStore::batch_for(const Block& block, const CheckedBlock& checked,
                                  const StateChanges& changes, const ChainTip& new_tip) const {
  WriteBatch batch;
  const std::uint64_t height = block.header.height;
  batch.put(Column::kBlocks, height_key(height), encode_block(block));
  for (std::uint32_t i = 0; i < checked.transactions.size(); ++i) {
    TxLocation loc{height, i};
    batch.put(Column::kTxs, Bytes(checked.tx_ids[i].begin(), checked.tx_ids[i].end()),
              encode_location(loc));
    const Transaction& tx = checked.transactions[i];
    const Serial* serial = nullptr;
    if (const auto* r = std::get_if<RecordTx>(&tx)) serial = &r->sealed.serial;
    if (const auto* a = std::get_if<AccessAuditTx>(&tx)) serial = &a->serial;
    if (const auto* q = std::get_if<AccessRequestTx>(&tx)) serial = &q->serial;  // the patient's audit trail
    if (serial == nullptr) continue;
    Bytes key(serial->begin(), serial->end());
    append_bytes(key, encode_location(loc));
    batch.put(Column::kSerialIndex, std::move(key), Bytes{static_cast<std::uint8_t>(kind_of(tx))});
  }
  for (const RecordContentEntry& r : changes.record_contents) {
    batch.put(Column::kRecordContents, Bytes(r.content.begin(), r.content.end()),
              encode_location(TxLocation{height, r.index}));
  }
  for (const EnvelopeKeyEntry& k : changes.envelope_keys) {
    batch.put(Column::kEnvelopeKeys, Bytes(k.key_id.begin(), k.key_id.end()), k.spki_der);
  }
  if (!changes.envelope_keys.empty()) {  // the last one published is the day's key
    const KeyId& id = changes.envelope_keys.back().key_id;
    batch.put(Column::kMetadata, text_key(kCurrentEnvelopeKey), Bytes(id.begin(), id.end()));
  }
  for (const RegistryEntry& r : changes.registry) {
    batch.put(Column::kRegistry, text_key(r.member_name), r.entry);
  }
  if (changes.new_epoch) {
    Bytes epoch;
    append_u64_be(epoch, changes.new_epoch->epoch);
    append_u64_be(epoch, changes.new_epoch->started_at_height);
    batch.put(Column::kMetadata, text_key(kEpochKey), epoch);
    Bytes rkey = text_key(kRevocationPrefix);
    append_u64_be(rkey, changes.new_epoch->epoch);
    batch.put(Column::kMetadata, std::move(rkey), changes.revocation_record);
  }
  for (const TrusteeStateEntry& e : changes.trustee_entries) {
    HC_CHECK((e.key.size() > kTrusteeStatePrefix.size() &&
              std::equal(kTrusteeStatePrefix.begin(), kTrusteeStatePrefix.end(), e.key.begin())) ||
             (e.key.size() > kConsortiumPrefix.size() &&
              std::equal(kConsortiumPrefix.begin(), kConsortiumPrefix.end(), e.key.begin())));
    batch.put(Column::kMetadata, e.key, e.value);
  }
  if (accepts_membership_change(changes)) batch.put(Column::kMetadata, change_state_key(height), encode_state_changes(changes));
  batch.put(Column::kMetadata, text_key(kTipKey), encode_tip(new_tip));
  return batch;
}

Result<Digest> LedgerStore::commit_block(const Block& block, const StateChanges& changes) {
  ChainTip current = tip();
  const BlockHeader& h = block.header;
  if (h.height != current.height + 1) return invalid_input("commit: block does not extend the tip");
  if (h.previous_hash != current.block_hash) return invalid_input("commit: previous hash mismatch");
  if (h.app_hash != current.app_hash) return invalid_input("commit: app hash mismatch");
  HC_ASSIGN_OR_RETURN(CheckedBlock checked, check_block(block));
  ChainTip next{h.height, checked.hash, next_app_hash(current.app_hash, h.height, checked.hash, changes)};
  HC_RETURN_IF_ERROR(kv_->write(batch_for(block, checked, changes, next)));
  std::lock_guard<std::mutex> lock(tip_mutex_);
  tip_ = next;
  return next.app_hash;
}

Result<Bytes> LedgerStore::read_block_bytes(std::uint64_t height) const {
  return require(kv_->get(Column::kBlocks, height_key(height)), "block " + std::to_string(height));
}

Result<Block> LedgerStore::read_and_check(std::uint64_t height) const {
  HC_ASSIGN_OR_RETURN(Bytes raw, read_block_bytes(height));
  auto block = decode_block(raw);
  if (!block.ok()) return corrupt("store: block " + std::to_string(height) + ": " + block.status().message());
  if (block->header.height != height) return corrupt("store: block " + std::to_string(height) + " has a wrong height");
  if (merkle_root(transaction_ids(*block)) != block->header.merkle_root) {
    return corrupt("store: block " + std::to_string(height) + ": merkle root mismatch");
  }
  return std::move(block).value();
}

Result<Block> LedgerStore::read_block(std::uint64_t height) const { return read_and_check(height); }

Result<std::optional<Bytes>> LedgerStore::membership_change_state(std::uint64_t height) const {
  return kv_->get(Column::kMetadata, change_state_key(height));
}

Status LedgerStore::restore_membership_change_state(std::uint64_t height, ByteSpan encoded) {
  if (height == 0 || height + 1 > tip().height) return invalid_input("restore: no committed block after height " + std::to_string(height));
  HC_ASSIGN_OR_RETURN(Block block, read_and_check(height));
  HC_ASSIGN_OR_RETURN(Block next, read_and_check(height + 1));
  if (next_app_hash_of_encoding(block.header.app_hash, height, block_hash(block.header), encoded) != next.header.app_hash) {
    return invalid_input("restore: the state changes do not give the app hash block " + std::to_string(height + 1) +
                         " carries");
  }
  auto decoded = decode_state_changes(encoded);
  if (!decoded.ok() || !accepts_membership_change(*decoded)) {
    return invalid_input("restore: block " + std::to_string(height) + " accepted no membership change");
  }
  WriteBatch batch;
  batch.put(Column::kMetadata, change_state_key(height), Bytes(encoded.begin(), encoded.end()));
  return kv_->write(batch);
}

namespace {
Result<std::optional<TxLocation>> location_at(const KvStore& kv, Column column, const Digest& key) {
  HC_ASSIGN_OR_RETURN(auto raw, kv.get(column, span_of(key)));
  if (!raw) return std::optional<TxLocation>();
  Reader in(*raw);
  auto loc = decode_location(in);
  if (!loc.ok() || !in.finish("location").ok()) {
    return corrupt(std::string("store: bad location in ") + column_name(column));
  }
  return std::optional<TxLocation>(*loc);
}
}  // namespace

Result<std::optional<TxLocation>> LedgerStore::find_transaction(const Digest& tx_id) const {
  return location_at(*kv_, Column::kTxs, tx_id);
}

Result<std::optional<TxLocation>> LedgerStore::find_record_content(const Digest& content) const {
  return location_at(*kv_, Column::kRecordContents, content);
}

Result<std::vector<SerialHit>> LedgerStore::serial_hits(const Serial& serial) const {
  HC_ASSIGN_OR_RETURN(auto entries, kv_->scan_prefix(Column::kSerialIndex, serial, kMaxSerialQueryResults));
  std::vector<SerialHit> hits;
  for (const auto& [key, value] : entries) {
    Reader in(ByteSpan(key).subspan(kSerialBytes));
    auto loc = decode_location(in);
    if (!loc.ok() || !in.finish("serial key").ok() || value.size() != 1 ||
        (value[0] != static_cast<std::uint8_t>(TxKind::kRecord) &&
         value[0] != static_cast<std::uint8_t>(TxKind::kAccessAudit) &&
         value[0] != static_cast<std::uint8_t>(TxKind::kAccessRequest))) {
      return corrupt("store: bad serial index entry");
    }
    hits.push_back(SerialHit{*loc, static_cast<TxKind>(value[0])});
  }
  return hits;
}

Result<std::vector<LocatedTx>> LedgerStore::transactions_by_serial(const Serial& serial) const {
  HC_ASSIGN_OR_RETURN(auto hits, serial_hits(serial));
  std::vector<LocatedTx> out;
  std::optional<Block> block;
  for (const SerialHit& hit : hits) {
    if (!block || block->header.height != hit.location.height) {
      HC_ASSIGN_OR_RETURN(Block b, read_and_check(hit.location.height));
      block = std::move(b);
    }
    if (hit.location.index >= block->transactions.size()) return corrupt("store: serial index points past a block");
    const Bytes& raw = block->transactions[hit.location.index];
    auto tx = decode_transaction(raw);
    if (!tx.ok()) return corrupt("store: indexed transaction does not decode");
    out.push_back(LocatedTx{hit.location, transaction_id(raw), std::move(tx).value()});
  }
  return out;
}

Result<std::optional<Bytes>> LedgerStore::envelope_key(const KeyId& key_id) const {
  return kv_->get(Column::kEnvelopeKeys, key_id);
}

Result<std::optional<EnvelopeKeyEntry>> LedgerStore::current_envelope_key() const {
  HC_ASSIGN_OR_RETURN(auto id, kv_->get(Column::kMetadata, text_key(kCurrentEnvelopeKey)));
  if (!id) return std::optional<EnvelopeKeyEntry>();
  if (id->size() != kKeyIdBytes) return corrupt("store: malformed current envelope key id");
  EnvelopeKeyEntry entry;
  std::copy(id->begin(), id->end(), entry.key_id.begin());
  HC_ASSIGN_OR_RETURN(auto spki, envelope_key(entry.key_id));
  if (!spki) return corrupt("store: the current envelope key is missing");
  entry.spki_der = std::move(*spki);
  return std::optional<EnvelopeKeyEntry>(std::move(entry));
}

Result<std::optional<Bytes>> LedgerStore::trustee_entry(ByteSpan key) const {
  return kv_->get(Column::kMetadata, key);
}

Result<std::vector<std::pair<Bytes, Bytes>>> LedgerStore::trustee_entries(ByteSpan prefix, std::size_t max) const {
  return kv_->scan_prefix(Column::kMetadata, prefix, max);
}

Result<std::optional<Bytes>> LedgerStore::registry_entry(const std::string& member_name) const {
  return kv_->get(Column::kRegistry, as_bytes(member_name));
}

Result<EpochState> LedgerStore::epoch_state() const {
  HC_ASSIGN_OR_RETURN(auto raw, kv_->get(Column::kMetadata, text_key(kEpochKey)));
  if (!raw) return EpochState{};
  Reader in(*raw);
  EpochState e;
  HC_ASSIGN_OR_RETURN(e.epoch, in.u64("epoch"));
  HC_ASSIGN_OR_RETURN(e.started_at_height, in.u64("epoch start"));
  if (!in.finish("epoch").ok()) return corrupt("store: bad epoch state");
  return e;
}

Result<std::vector<std::pair<std::uint64_t, Bytes>>> LedgerStore::revocations() const {
  HC_ASSIGN_OR_RETURN(auto entries, kv_->scan_prefix(Column::kMetadata, as_bytes(kRevocationPrefix), 1u << 20));
  std::vector<std::pair<std::uint64_t, Bytes>> out;
  for (auto& [key, value] : entries) {
    Reader in(ByteSpan(key).subspan(kRevocationPrefix.size()));
    auto epoch = in.u64("revocation epoch");
    if (!epoch.ok() || !in.finish("revocation key").ok()) return corrupt("store: bad revocation key");
    out.emplace_back(*epoch, std::move(value));
  }
  return out;
}

}  // namespace hc::chain

#include "chain/kv_store.h"

#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/options.h>
#include <rocksdb/slice.h>
#include <rocksdb/table.h>
#include <rocksdb/cache.h>
#include <rocksdb/write_batch.h>

#include <cstdarg>
#include <filesystem>

namespace hc::chain {

namespace {
constexpr const char* kColumnNames[kColumnCount] = {"blocks",   "txs",           "serial_index",
                                                    "registry", "envelope_keys", "metadata",
                                                    "record_contents"};

rocksdb::Slice slice(ByteSpan b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

Status from_rocks(const rocksdb::Status& s, const char* what) {
  if (s.ok()) return Status();
  ErrorCode code = s.IsCorruption() ? ErrorCode::kCorrupt : ErrorCode::kIo;
  return Status::error(code, std::string("store: ") + what + ": " + s.ToString());
}

// Discards RocksDB's informational log, so a read-only open creates no LOG file.
class DiscardingLogger final : public rocksdb::Logger {
 public:
  using rocksdb::Logger::Logv;
  void Logv(const char* /*format*/, va_list /*ap*/) override {}
};

rocksdb::Status open_db(const rocksdb::DBOptions& options, const std::string& path,
                        const std::vector<rocksdb::ColumnFamilyDescriptor>& descriptors,
                        std::vector<rocksdb::ColumnFamilyHandle*>* handles, rocksdb::DB** db,
                        bool read_only) {
  if (!read_only) return rocksdb::DB::Open(options, path, descriptors, handles, db);
  return rocksdb::DB::OpenForReadOnly(options, path, descriptors, handles, db);
}

// Read-only: replay the write-ahead log strictly, write nothing, pin every table file.
void make_read_only(rocksdb::Options& options) {
  options.create_if_missing = false;
  options.create_missing_column_families = false;
  options.wal_recovery_mode = rocksdb::WALRecoveryMode::kAbsoluteConsistency;
  options.info_log = std::make_shared<DiscardingLogger>();
  options.max_open_files = -1;
  options.skip_stats_update_on_db_open = true;
}
}  // namespace

const char* column_name(Column column) { return kColumnNames[static_cast<std::size_t>(column)]; }

struct KvStore::Impl {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::WriteOptions write_options;
  ~Impl() {
    for (auto* h : handles) {
      if (db) db->DestroyColumnFamilyHandle(h);
    }
    if (db) db->Close().PermitUncheckedError();
  }
  rocksdb::ColumnFamilyHandle* cf(Column c) const { return handles[static_cast<std::size_t>(c)]; }
};

KvStore::KvStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KvStore::~KvStore() = default;

Result<std::unique_ptr<KvStore>> KvStore::open(const std::string& path, const KvOptions& options) {
  if (!options.create_if_missing && !std::filesystem::exists(path + "/CURRENT")) {
    return Status::error(ErrorCode::kNotFound, "store: no ledger database at " + path);
  }
  rocksdb::Options db_options;
  db_options.create_if_missing = options.create_if_missing;
  db_options.create_missing_column_families = options.create_if_missing;
  db_options.paranoid_checks = true;
  if (options.read_only) make_read_only(db_options);
  rocksdb::ColumnFamilyOptions cf_options;
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  cf_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  descriptors.emplace_back(rocksdb::kDefaultColumnFamilyName, cf_options);
  for (const char* name : kColumnNames) descriptors.emplace_back(name, cf_options);
  auto impl = std::make_unique<Impl>();
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status opened = open_db(db_options, path, descriptors, &handles, &raw, options.read_only);
  if (options.read_only && opened.IsCorruption()) {
    return Status::error(ErrorCode::kCorrupt,
                         "store: damaged (write-ahead log or table files): " + opened.ToString());
  }
  HC_RETURN_IF_ERROR(from_rocks(opened, "open"));
  impl->db.reset(raw);
  // handles[0] is the default family, which the ledger does not use.
  raw->DestroyColumnFamilyHandle(handles[0]);
  impl->handles.assign(handles.begin() + 1, handles.end());
  impl->write_options.sync = options.sync_writes;
  return std::unique_ptr<KvStore>(new KvStore(std::move(impl)));
}

Result<std::optional<Bytes>> KvStore::get(Column column, ByteSpan key) const {
  std::string value;
  rocksdb::Status s = impl_->db->Get(rocksdb::ReadOptions(), impl_->cf(column), slice(key), &value);
  if (s.IsNotFound()) return std::optional<Bytes>();
  HC_RETURN_IF_ERROR(from_rocks(s, "read"));
  return std::optional<Bytes>(Bytes(value.begin(), value.end()));
}

Status KvStore::write(const WriteBatch& batch) {
  rocksdb::WriteBatch wb;
  for (const WriteBatch::Put& p : batch.puts) {
    HC_RETURN_IF_ERROR(from_rocks(wb.Put(impl_->cf(p.column), slice(p.key), slice(p.value)),
                                  "batch"));
  }
  return from_rocks(impl_->db->Write(impl_->write_options, &wb), "write");
}

Result<std::vector<std::pair<Bytes, Bytes>>> KvStore::scan_prefix(Column column, ByteSpan prefix,
                                                                  std::size_t max_entries) const {
  std::vector<std::pair<Bytes, Bytes>> out;
  std::unique_ptr<rocksdb::Iterator> it(
      impl_->db->NewIterator(rocksdb::ReadOptions(), impl_->cf(column)));
  for (it->Seek(slice(prefix)); it->Valid() && it->key().starts_with(slice(prefix)); it->Next()) {
    if (out.size() == max_entries) {
      return Status::error(ErrorCode::kTooLarge, "store: too many entries under one prefix");
    }
    rocksdb::Slice k = it->key();
    rocksdb::Slice v = it->value();
    out.emplace_back(Bytes(k.data(), k.data() + k.size()), Bytes(v.data(), v.data() + v.size()));
  }
  HC_RETURN_IF_ERROR(from_rocks(it->status(), "scan"));
  return out;
}

Status KvStore::delete_for_testing(Column column, ByteSpan key) {
  return from_rocks(impl_->db->Delete(impl_->write_options, impl_->cf(column), slice(key)), "delete");
}

Status KvStore::put_for_testing(Column column, ByteSpan key, ByteSpan value) {
  WriteBatch b;
  b.put(column, Bytes(key.begin(), key.end()), Bytes(value.begin(), value.end()));
  return write(b);
}

}  // namespace hc::chain

// Opening a RocksEventStore: checking the directory, the RocksDB and column
// family options (the idempotency records' retention filter among them), the
// meta keys (schema version, store id) and the last log position, and closing
// it. Part of the RocksEventStore class; see rocks_event_store.h.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "rocksdb/cache.h"
#include "rocksdb/compaction_filter.h"
#include "rocksdb/env.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/sst_file_manager.h"
#include "rocksdb/statistics.h"
#include "rocksdb/table.h"
#include "rocksdb/write_batch.h"
#include "storage/counters.h"
#include "storage/keys.h"
#include "storage/rocks_event_store.h"
#include "storage/rocks_support.h"

namespace rectify::storage {
namespace {

namespace fs = std::filesystem;

// as compaction rewrites the dedup family: expiry costs the write path
// nothing. The value starts with be64(recorded_at), see keys.h. The cutoff is
// taken once per compaction from the injected clock. Thread-safe: RocksDB
// calls the factory and its filters from background threads.
class DedupRetentionFilter final : public rocksdb::CompactionFilter {
 public:
  explicit DedupRetentionFilter(absl::Time cutoff) : cutoff_(cutoff) {}

  bool Filter(int /*level*/, const rocksdb::Slice& /*key*/, const rocksdb::Slice& value,
              std::string* /*new_value*/, bool* /*value_changed*/) const override {
    // A malformed record is kept, for verify to find rather than to vanish.
    if (value.size() < 8) return false;
    return keys::DecodeTime(keys::ReadBigEndian64(absl::string_view(value.data(), 8))) <
           cutoff_;
  }
  const char* Name() const override { return "rectify.DedupRetentionFilter"; }

 private:
  const absl::Time cutoff_;
};

class DedupRetentionFilterFactory final : public rocksdb::CompactionFilterFactory {
 public:
  DedupRetentionFilterFactory(Clock& clock, absl::Duration retention)
      : clock_(clock), retention_(retention) {}

  std::unique_ptr<rocksdb::CompactionFilter> CreateCompactionFilter(
      const rocksdb::CompactionFilter::Context& /*context*/) override {
    return std::make_unique<DedupRetentionFilter>(clock_.Now() - retention_);
  }
  const char* Name() const override { return "rectify.DedupRetentionFilterFactory"; }

 private:
  Clock& clock_;
  const absl::Duration retention_;
};

// DATA_LOSS for a store RocksDB found corrupt at open, naming the damaged
// write-ahead log when RocksDB's info log (`dir`/LOG) says which one dropped
// bytes, and saying how to recover.
absl::Status DamagedStore(const std::string& dir, const rocksdb::Status& status) {
  std::string damaged;
  std::ifstream info_log(fs::path(dir) / "LOG");
  for (std::string line; std::getline(info_log, line);) {
    // "... /data/000012.log: dropping 36 bytes; Corruption: checksum mismatch"
    const size_t dropping = line.find(".log: dropping ");
    if (dropping == std::string::npos) continue;
    const size_t start = line.rfind(' ', dropping);
    damaged = line.substr(start == std::string::npos ? 0 : start + 1,
                          dropping + 4 - (start == std::string::npos ? 0 : start + 1));
  }
  if (damaged.empty()) {
    return absl::DataLossError(absl::StrCat(
        "opening the store in ", dir, ": ", status.ToString(),
        "; the store is damaged: restore the latest backup (docs/storage.md, "
        "\"A damaged store\")"));
  }
  return absl::DataLossError(absl::StrCat(
      "opening the store in ", dir, ": the write-ahead log ", damaged,
      " is damaged before its end (", status.ToString(),
      "); commits after the damage were acknowledged and cannot be recovered from this "
      "directory, so the store does not start without them: restore the latest backup "
      "(docs/storage.md, \"A damaged store\")"));
}

std::string RandomStoreId() {
  absl::BitGen bits;
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string id;
  for (int i = 0; i < 32; ++i) id.push_back(kDigits[absl::Uniform(bits, 0, 16)]);
  return id;
}

const std::vector<std::string>& FamilyNames() {
  static const auto* names = new std::vector<std::string>{
      rocksdb::kDefaultColumnFamilyName, keys::kEvents, keys::kLog,    keys::kCases,
      keys::kLists,                      keys::kIndex,  keys::kTimers, keys::kDedup,
      keys::kMeta};
  return *names;
}

// `point_lookups`: a family the writer reads by whole key on every command
// (idempotency records, case projections), where most lookups of a new
// command id or case id miss; a Bloom filter in its tables and its memtable
// answers those misses without searching them.
rocksdb::ColumnFamilyOptions FamilyOptions(const StoreOptions& options,
                                           const std::shared_ptr<rocksdb::Cache>& cache,
                                           bool point_lookups) {
  rocksdb::ColumnFamilyOptions family;
  family.write_buffer_size = options.write_buffer_bytes;
  if (options.compression) {
    family.compression = rocksdb::kLZ4Compression;
    family.bottommost_compression = rocksdb::kZSTD;
  } else {
    family.compression = rocksdb::kNoCompression;
  }
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  if (point_lookups) {
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));  // ~1 % false positives
    family.memtable_prefix_bloom_size_ratio = 0.02;
    family.memtable_whole_key_filtering = true;
  }
  family.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return family;
}

}  // namespace

absl::StatusOr<std::unique_ptr<RocksEventStore>> RocksEventStore::Open(
    const std::string& dir, const StoreOptions& options) {
  if (dir.empty()) return absl::InvalidArgumentError("the data directory path is empty");
  std::error_code error;
  const fs::file_status status = fs::status(dir, error);
  if (error && error != std::errc::no_such_file_or_directory) {
    return FromFilesystem(error, absl::StrCat("data directory ", dir, " cannot be read"));
  }
  const bool exists = fs::exists(status);
  if (exists && !fs::is_directory(status)) {
    return absl::FailedPreconditionError(
        absl::StrCat(dir, " is not a directory; give the directory of a Rectify store"));
  }
  bool empty = !exists;
  if (exists) {
    empty = fs::is_empty(dir, error);
    if (error) {
      return FromFilesystem(error, absl::StrCat("data directory ", dir, " cannot be read"));
    }
  }
  bool created = false;
  if (empty) {
    if (!options.create_if_missing) {
      return absl::NotFoundError(absl::StrCat("there is no Rectify store in ", dir));
    }
    fs::create_directories(dir, error);
    if (error) {
      return FromFilesystem(error, absl::StrCat("data directory ", dir, " cannot be created"));
    }
    created = true;
  } else {
    const bool has_current = fs::exists(fs::path(dir) / "CURRENT", error);
    if (error) {
      return FromFilesystem(error, absl::StrCat("data directory ", dir, " cannot be read"));
    }
    if (!has_current) {
      return absl::FailedPreconditionError(absl::StrCat(
          dir,
          " is not a Rectify store (it holds other files); give an empty or new directory"));
    }
  }

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = created;
  // Families added after a store was created (keys::kEvidence) are created
  // when it is opened; the required ones are checked below first.
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  db_options.keep_log_file_num = 5;
  // Past this the families holding the oldest WAL are flushed so that it can
  // be deleted. RocksDB's default (4 × all memtables, 2.5 GiB here) let a
  // WAL of rewritten case projections grow to gigabytes while the small
  // families kept its files alive.
  db_options.max_total_wal_size = uint64_t{512} << 20;
  // Every acknowledged commit was synced, so a hole in the middle of a WAL
  // is lost acknowledged data: stop with Corruption rather than recover to
  // the point before it (RocksDB's default, kPointInTimeRecovery, starts
  // silently without every later commit). A torn last record, a write that
  // was never acknowledged, is still tolerated (docs/storage.md).
  db_options.wal_recovery_mode = rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
  // With an SstFileManager RocksDB resumes by itself after a background
  // ENOSPC (a flush or compaction) once space is freed, instead of staying
  // read-only until restarted.
  db_options.sst_file_manager.reset(rocksdb::NewSstFileManager(rocksdb::Env::Default()));
  if (options.statistics) db_options.statistics = rocksdb::CreateDBStatistics();
  Clock& clock = options.clock != nullptr ? *options.clock : SystemClock();

  // A store written by a newer binary may have families this one does not
  // know; open them too (and leave them alone) so that the schema version
  // can be read and refused with a clear message instead of RocksDB's.
  std::vector<std::string> names = FamilyNames();
  names.push_back(keys::kEvidence);
  names.push_back(keys::kReports);
  names.push_back(keys::kAccounts);
  names.push_back(keys::kAuth);
  names.push_back(keys::kPersonal);
  names.push_back(keys::kUnits);
  names.push_back(keys::kPenalties);
  names.push_back(keys::kComplaints);
  if (!created) {
    std::vector<std::string> existing;
    RETURN_IF_ERROR(FromRocks(rocksdb::DB::ListColumnFamilies(db_options, dir, &existing),
                              absl::StrCat("reading ", dir)));
    for (const std::string& name : FamilyNames()) {
      if (std::find(existing.begin(), existing.end(), name) == existing.end()) {
        return absl::FailedPreconditionError(absl::StrCat(
            dir, " is a RocksDB database but not a Rectify store (no column family \"", name,
            "\")"));
      }
    }
    for (const std::string& name : existing) {
      if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(name);
    }
  }

  std::shared_ptr<rocksdb::Cache> cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  std::shared_ptr<rocksdb::CompactionFilterFactory> dedup_filter =
      std::make_shared<DedupRetentionFilterFactory>(clock, options.idempotency_retention);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names) {
    rocksdb::ColumnFamilyOptions family =
        FamilyOptions(options, cache, name == keys::kDedup || name == keys::kCases);
    if (name == keys::kDedup) {
      family.compaction_filter_factory = dedup_filter;
      // Files no write touches are still recompacted (and so filtered) daily.
      family.periodic_compaction_seconds = 24 * 60 * 60;
    }
    if (name == keys::kEvidence) {
      // Photos and videos are compressed already.
      family.compression = rocksdb::kNoCompression;
      family.bottommost_compression = rocksdb::kDisableCompressionOption;
    }
    if (name == keys::kReports) family.merge_operator = NewCounterMergeOperator();
    descriptors.emplace_back(name, family);
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw_db = nullptr;
  const rocksdb::Status opened = rocksdb::DB::Open(db_options, dir, descriptors, &handles, &raw_db);
  if (opened.IsCorruption()) return DamagedStore(dir, opened);
  RETURN_IF_ERROR(FromRocks(opened, absl::StrCat("opening the store in ", dir)));
  ColumnFamilies families;
  families.events = handles[1];
  families.log = handles[2];
  families.cases = handles[3];
  families.lists = handles[4];
  families.index = handles[5];
  families.timers = handles[6];
  families.dedup = handles[7];
  families.meta = handles[8];
  families.evidence = handles[9];
  families.reports = handles[10];
  families.accounts = handles[11];
  families.auth = handles[12];
  families.personal = handles[13];
  families.units = handles[14];
  families.penalties = handles[15];
  families.complaints = handles[16];
  std::unique_ptr<RocksEventStore> store(new RocksEventStore(
      dir, options, clock, std::unique_ptr<rocksdb::DB>(raw_db), std::move(handles), families));
  RETURN_IF_ERROR(store->LoadMeta(created, dir));
  RETURN_IF_ERROR(store->LoadLastPosition());
  return store;
}

RocksEventStore::RocksEventStore(const std::string& dir, const StoreOptions& options,
                                 Clock& clock, std::unique_ptr<rocksdb::DB> db,
                                 std::vector<rocksdb::ColumnFamilyHandle*> handles,
                                 ColumnFamilies families)
    : dir_(dir),
      options_(options),
      clock_(clock),
      db_(std::move(db)),
      handles_(std::move(handles)),
      families_(families) {}

RocksEventStore::~RocksEventStore() {
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  }
  db_->Close().PermitUncheckedError();
}

rocksdb::ColumnFamilyHandle* RocksEventStore::FamilyForTesting(absl::string_view name) const {
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    if (handle->GetName() == name) return handle;
  }
  return nullptr;
}

absl::Status RocksEventStore::LoadMeta(bool created, const std::string& dir) {
  if (created) {
    rocksdb::WriteBatch batch;
    store_id_ = RandomStoreId();
    batch.Put(families_.meta, keys::kSchemaVersionKey, std::to_string(kSchemaVersion));
    batch.Put(families_.meta, keys::kStoreIdKey, store_id_);
    batch.Put(families_.meta, keys::kCreatedAtKey, absl::FormatTime(clock_.Now()));
    rocksdb::WriteOptions write_options;
    write_options.sync = true;
    return FromRocks(db_->Write(write_options, &batch), "initializing the store");
  }
  std::string schema;
  rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), families_.meta, keys::kSchemaVersionKey, &schema);
  if (status.IsNotFound()) {
    // A creation cut short between RocksDB's creating the families and our
    // writing the meta keys leaves a store with nothing in it: finish it.
    std::unique_ptr<rocksdb::Iterator> meta(
        db_->NewIterator(rocksdb::ReadOptions(), families_.meta));
    meta->SeekToFirst();
    std::unique_ptr<rocksdb::Iterator> events(
        db_->NewIterator(rocksdb::ReadOptions(), families_.events));
    events->SeekToFirst();
    RETURN_IF_ERROR(FromRocks(meta->status(), "reading the meta keys"));
    RETURN_IF_ERROR(FromRocks(events->status(), "reading the events"));
    if (!meta->Valid() && !events->Valid()) return LoadMeta(/*created=*/true, dir);
    return absl::FailedPreconditionError(absl::StrCat(
        dir, " has no schema version: not a Rectify store"));
  }
  RETURN_IF_ERROR(FromRocks(status, "reading the schema version"));
  int version = 0;
  if (!absl::SimpleAtoi(schema, &version)) {
    return absl::DataLossError(absl::StrCat("the store's schema version \"", schema,
                                            "\" is not a number"));
  }
  if (version > kSchemaVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the store in ", dir, " has schema version ", version,
        " but this binary knows only up to ", kSchemaVersion,
        ": it was written by a newer Rectify; upgrade the binary"));
  }
  status = db_->Get(rocksdb::ReadOptions(), families_.meta, keys::kStoreIdKey, &store_id_);
  return FromRocks(status, "reading the store id");
}

absl::Status RocksEventStore::LoadLastPosition() {
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), families_.log));
  it->SeekToLast();
  RETURN_IF_ERROR(FromRocks(it->status(), "reading the log"));
  if (it->Valid()) {
    if (it->key().size() != 8) return absl::DataLossError("a log key is not 8 bytes long");
    last_position_ = keys::ReadBigEndian64(absl::string_view(it->key().data(), 8));
  }
  return absl::OkStatus();
}
}  // namespace rectify::storage

// The EventStore on RocksDB; see rocks_event_store.h.
#include "storage/rocks_event_store.h"

#include <sys/statvfs.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <system_error>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "rocksdb/cache.h"
#include "rocksdb/compaction_filter.h"
#include "rocksdb/env.h"
#include "rocksdb/file_system.h"
#include "rocksdb/sst_file_manager.h"
#include "rocksdb/statistics.h"
#include "rocksdb/table.h"
#include "rocksdb/transaction_log.h"
#include "rocksdb/utilities/backup_engine.h"
#include "rocksdb/write_batch.h"
#include "storage/counters.h"
#include "storage/event_hash.h"
#include "storage/keys.h"
#include "storage/personal_data.h"

namespace rectify::storage {
namespace {

namespace fs = std::filesystem;

// Maps a RocksDB status to the most specific absl code, with `context` first.
absl::Status FromRocks(const rocksdb::Status& status, absl::string_view context) {
  if (status.ok()) return absl::OkStatus();
  const std::string message = absl::StrCat(context, ": ", status.ToString());
  if (status.IsNotFound()) return absl::NotFoundError(message);
  if (status.IsIOError() && absl::StrContains(status.ToString(), "lock")) {
    return absl::FailedPreconditionError(
        absl::StrCat(context, ": the data directory is in use by another process (",
                     status.ToString(), ")"));
  }
  if (absl::StrContains(status.ToString(), "Permission denied")) {
    return absl::PermissionDeniedError(message);
  }
  if (status.IsCorruption()) return absl::DataLossError(message);
  if (status.IsNoSpace()) {
    return absl::ResourceExhaustedError(
        absl::StrCat(context, ": the disk is full (", status.ToString(), "); free space"));
  }
  return absl::InternalError(message);
}

absl::StatusOr<uint64_t> StatvfsFreeBytes(const std::string& dir) {
  struct statvfs stats;
  if (statvfs(dir.c_str(), &stats) != 0) {
    return absl::InternalError(
        absl::StrCat("cannot read the free space of ", dir, ": ", std::strerror(errno)));
  }
  return static_cast<uint64_t>(stats.f_bavail) * static_cast<uint64_t>(stats.f_frsize);
}

// Maps a filesystem error to an absl code, with `context` first.
absl::Status FromFilesystem(const std::error_code& error, absl::string_view context) {
  const std::string message = absl::StrCat(context, ": ", error.message());
  if (error == std::errc::permission_denied || error == std::errc::operation_not_permitted) {
    return absl::PermissionDeniedError(message);
  }
  if (error == std::errc::not_a_directory) return absl::FailedPreconditionError(message);
  return absl::InternalError(message);
}

// Drops idempotency records recorded longer ago than the retention window,
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

rocksdb::ColumnFamilyOptions FamilyOptions(const StoreOptions& options,
                                           const std::shared_ptr<rocksdb::Cache>& cache) {
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
    rocksdb::ColumnFamilyOptions family = FamilyOptions(options, cache);
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

absl::Status RocksEventStore::CheckFreeSpace(uint64_t bytes) const {
  if (options_.min_free_bytes == 0) return absl::OkStatus();
  ASSIGN_OR_RETURN(const uint64_t free_bytes, options_.free_bytes_probe
                                                  ? options_.free_bytes_probe(dir_)
                                                  : StatvfsFreeBytes(dir_));
  // The write lands in the WAL now and again in an SST file at the flush.
  const uint64_t need = options_.min_free_bytes + 2 * bytes;
  if (free_bytes >= need) return absl::OkStatus();
  constexpr uint64_t kMiB = uint64_t{1} << 20;
  return absl::ResourceExhaustedError(absl::StrCat(
      "disk nearly full: ", free_bytes / kMiB, " MiB free, need ", (need + kMiB - 1) / kMiB,
      " (the reserve of ", options_.min_free_bytes / kMiB, " MiB and the write) in ", dir_,
      "; nothing was written, reads go on; free space and retry"));
}

rocksdb::ColumnFamilyHandle* RocksEventStore::ProjectionFamily(v1::StreamKind kind) const {
  switch (kind) {
    case v1::STREAM_KIND_RECTIFICATION_LIST:
      return families_.lists;
    case v1::STREAM_KIND_ACCOUNT:
      return families_.accounts;
    case v1::STREAM_KIND_UNIT:
      return families_.units;
    case v1::STREAM_KIND_PENALTY:
      return families_.penalties;
    default:
      return families_.cases;
  }
}

absl::Status RocksEventStore::ReadStreamHead(rocksdb::Iterator* it, absl::string_view stream_id,
                                             int64_t* version, std::string* last_hash) {
  *version = 0;
  last_hash->clear();
  // The stream's last key sorts just before its prefix followed by 0xFF...
  const std::string upper = keys::EventKey(stream_id, -1);  // be64 all ones
  it->SeekForPrev(upper);
  RETURN_IF_ERROR(FromRocks(it->status(), "reading a stream"));
  if (!it->Valid()) return absl::OkStatus();
  std::string found_stream;
  int64_t found_version = 0;
  if (!keys::ParseEventKey(absl::string_view(it->key().data(), it->key().size()), &found_stream,
                           &found_version) ||
      found_stream != stream_id) {
    return absl::OkStatus();
  }
  v1::Event last;
  if (!last.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
    return absl::DataLossError(absl::StrCat("event ", stream_id, "#", found_version,
                                            " cannot be parsed"));
  }
  *version = found_version;
  *last_hash = last.hash();
  return absl::OkStatus();
}

absl::StatusOr<CommitResult> RocksEventStore::Commit(CommitBatch batch) {
  absl::MutexLock lock(&commit_mutex_);
  struct Head {
    int64_t version;
    std::string hash;
  };
  std::map<std::string, Head, std::less<>> heads;
  rocksdb::WriteBatch write;
  CommitResult result;
  uint64_t position = last_position_.load();
  // One iterator for every stream head of the batch: creating one per stream
  // cost more than the seeks (bench/storage_bench.cc at 64 appends). Only
  // this thread writes, so the iterator's snapshot is the current state.
  std::unique_ptr<rocksdb::Iterator> events_it;
  for (StreamAppend& append : batch.appends) {
    auto head = heads.find(append.stream_id);
    if (head == heads.end()) {
      Head stored;
      if (events_it == nullptr) {
        events_it.reset(db_->NewIterator(rocksdb::ReadOptions(), families_.events));
      }
      RETURN_IF_ERROR(
          ReadStreamHead(events_it.get(), append.stream_id, &stored.version, &stored.hash));
      head = heads.emplace(append.stream_id, std::move(stored)).first;
    }
    if (head->second.version != append.expected_version) {
      return absl::AbortedError(absl::StrCat("stream ", append.stream_id, " is at version ",
                                             head->second.version, ", not ",
                                             append.expected_version));
    }
    for (v1::Event& event : append.events) {
      if (event.stream_id() != append.stream_id ||
          event.version() != head->second.version + 1) {
        return absl::InvalidArgumentError(absl::StrCat(
            "event ", event.stream_id(), "#", event.version(), " does not follow stream ",
            append.stream_id, " at version ", head->second.version));
      }
      event.set_position(++position);
      event.set_prev_hash(head->second.hash);
      // Personal values leave the event before it is hashed and stored; its
      // side record is written in this same batch.
      const std::optional<v1::PersonalDataRecord> personal = SealPersonalData(event);
      event.set_hash(ComputeEventHash(event));
      const std::string event_key = keys::EventKey(event.stream_id(), event.version());
      write.Put(families_.events, event_key, event.SerializeAsString());
      if (personal.has_value()) {
        write.Put(families_.personal, event_key, personal->SerializeAsString());
      }
      write.Put(families_.log, keys::LogKey(position), event_key);
      head->second.version = event.version();
      head->second.hash = event.hash();
      result.events.push_back(event);
    }
    if (!append.projection.empty()) {
      write.Put(ProjectionFamily(append.kind), append.stream_id, append.projection);
    }
    for (const std::string& key : append.index_deletes) write.Delete(families_.index, key);
    for (const std::string& key : append.index_puts) write.Put(families_.index, key, "");
    for (const TimerKey& timer : append.timer_deletes) {
      write.Delete(families_.timers, keys::TimerKeyBytes(timer));
    }
    for (const TimerKey& timer : append.timer_puts) {
      write.Put(families_.timers, keys::TimerKeyBytes(timer), "");
    }
  }
  for (const IdempotencyRecord& record : batch.idempotency_records) {
    std::string value;
    keys::AppendBigEndian64(value, keys::EncodeTime(record.recorded_at));
    value.append(record.outcome);
    write.Put(families_.dedup, keys::DedupKey(record.principal_id, record.command_id), value);
  }
  for (const ReportEntry& entry : batch.report_merges) {
    write.Merge(families_.reports, entry.key, entry.value);
  }
  for (const std::string& key : batch.report_deletes) write.Delete(families_.reports, key);
  for (const ReportEntry& entry : batch.report_puts) {
    write.Put(families_.reports, entry.key, entry.value);
  }
  RETURN_IF_ERROR(CheckFreeSpace(write.GetDataSize()));
  rocksdb::WriteOptions write_options;
  write_options.sync = options_.sync;
  RETURN_IF_ERROR(FromRocks(db_->Write(write_options, &write), "committing"));
  last_position_.store(position);
  result.last_position = position;
  return result;
}

absl::StatusOr<std::string> RocksEventStore::GetProjection(v1::StreamKind kind,
                                                           absl::string_view stream_id) {
  std::string value;
  const rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), ProjectionFamily(kind),
               rocksdb::Slice(stream_id.data(), stream_id.size()), &value);
  if (status.IsNotFound()) {
    return absl::NotFoundError(absl::StrCat(
        kind == v1::STREAM_KIND_RECTIFICATION_LIST ? "rectification list "
        : kind == v1::STREAM_KIND_ACCOUNT          ? "account stream "
        : kind == v1::STREAM_KIND_UNIT             ? "unit stream "
                                                   : "case ",
        stream_id,
        " does not exist"));
  }
  RETURN_IF_ERROR(FromRocks(status, absl::StrCat("reading ", stream_id)));
  return value;
}

absl::StatusOr<v1::Case> RocksEventStore::GetCase(absl::string_view case_id) {
  ASSIGN_OR_RETURN(std::string bytes, GetProjection(v1::STREAM_KIND_CASE, case_id));
  v1::Case state;
  if (!state.ParseFromString(bytes)) {
    return absl::DataLossError(absl::StrCat("the stored case ", case_id, " cannot be parsed"));
  }
  return state;
}

absl::StatusOr<std::vector<std::string>> RocksEventStore::GetCaseProjections(
    const std::vector<std::string>& case_ids) {
  // Point reads on one snapshot. RocksDB's MultiGet was measured slower
  // here: 32 ms against 14-22 ms for the 1,000 cases of a list
  // (docs/benchmarks.md, "Supervision").
  const rocksdb::Snapshot* snapshot = db_->GetSnapshot();
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot;
  std::vector<std::string> projections(case_ids.size());
  absl::Status status;
  for (size_t i = 0; i < case_ids.size() && status.ok(); ++i) {
    const rocksdb::Status read =
        db_->Get(read_options, families_.cases, case_ids[i], &projections[i]);
    if (read.IsNotFound()) {
      status = absl::NotFoundError(absl::StrCat("case ", case_ids[i], " does not exist"));
    } else if (!read.ok()) {
      status = FromRocks(read, absl::StrCat("reading case ", case_ids[i]));
    }
  }
  db_->ReleaseSnapshot(snapshot);
  if (!status.ok()) return status;
  return projections;
}

absl::StatusOr<std::vector<v1::Event>> RocksEventStore::ReadStream(absl::string_view stream_id,
                                                                   int64_t from_version,
                                                                   int limit) {
  std::vector<v1::Event> events;
  const std::string prefix = keys::StreamPrefix(stream_id);
  // One iterator reads one implicit snapshot (pinned when it is created), so
  // the page never mixes two commits; an explicit snapshot would add nothing.
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), families_.events));
  for (it->Seek(keys::EventKey(stream_id, std::max<int64_t>(from_version, 1)));
       it->Valid() && it->key().starts_with(prefix) && static_cast<int>(events.size()) < limit;
       it->Next()) {
    v1::Event& event = events.emplace_back();
    if (!event.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
      return absl::DataLossError(absl::StrCat("an event of ", stream_id, " cannot be parsed"));
    }
  }
  RETURN_IF_ERROR(FromRocks(it->status(), absl::StrCat("reading stream ", stream_id)));
  return events;
}

absl::StatusOr<std::vector<v1::Event>> RocksEventStore::ReadLog(uint64_t after_position,
                                                                int limit) {
  std::vector<v1::Event> events;
  // The log iterator and the event lookups must agree: an explicit snapshot.
  rocksdb::ManagedSnapshot snapshot(db_.get());
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot.snapshot();
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options, families_.log));
  std::string value;
  for (it->Seek(keys::LogKey(after_position + 1));
       it->Valid() && static_cast<int>(events.size()) < limit; it->Next()) {
    RETURN_IF_ERROR(
        FromRocks(db_->Get(read_options, families_.events, it->value(), &value),
                  absl::StrCat("reading the event at log position ",
                               keys::ReadBigEndian64(absl::string_view(it->key().data(), 8)))));
    v1::Event& event = events.emplace_back();
    if (!event.ParseFromString(value)) {
      return absl::DataLossError("an event of the log cannot be parsed");
    }
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "reading the log"));
  return events;
}

absl::StatusOr<std::vector<std::string>> RocksEventStore::ScanIndex(absl::string_view prefix,
                                                                    absl::string_view start_after,
                                                                    int limit) {
  std::vector<std::string> found;
  // One iterator, one implicit snapshot: see ReadStream.
  std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), families_.index));
  const rocksdb::Slice prefix_slice(prefix.data(), prefix.size());
  if (start_after.empty() || start_after < prefix) {
    it->Seek(prefix_slice);
  } else {
    it->Seek(rocksdb::Slice(start_after.data(), start_after.size()));
    if (it->Valid() && it->key() == rocksdb::Slice(start_after.data(), start_after.size())) {
      it->Next();
    }
  }
  for (; it->Valid() && it->key().starts_with(prefix_slice) &&
         static_cast<int>(found.size()) < limit;
       it->Next()) {
    found.push_back(it->key().ToString());
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "scanning the index"));
  return found;
}

absl::StatusOr<std::vector<std::vector<ReportEntry>>> RocksEventStore::ScanDerived(
    const std::vector<PrefixScan>& scans) {
  const rocksdb::Snapshot* snapshot = db_->GetSnapshot();
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot;
  std::vector<std::vector<ReportEntry>> found(scans.size());
  absl::Status status;
  for (size_t i = 0; i < scans.size() && status.ok(); ++i) {
    const bool index = scans[i].family == DerivedFamily::kIndex;
    rocksdb::ColumnFamilyHandle* family = index ? families_.index
                                          : scans[i].family == DerivedFamily::kAuth
                                              ? families_.auth
                                              : families_.reports;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(read_options, family));
    const rocksdb::Slice prefix(scans[i].prefix);
    const size_t limit = scans[i].limit < 0 ? SIZE_MAX : static_cast<size_t>(scans[i].limit);
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix) && found[i].size() < limit;
         it->Next()) {
      found[i].push_back(
          ReportEntry{it->key().ToString(), index ? std::string() : it->value().ToString()});
    }
    status = FromRocks(it->status(), index ? "scanning the index" : "reading the reports");
  }
  db_->ReleaseSnapshot(snapshot);
  if (!status.ok()) return status;
  return found;
}

absl::StatusOr<std::vector<TimerKey>> RocksEventStore::DueTimers(absl::Time up_to, int limit) {
  std::vector<TimerKey> due;
  // One iterator, one implicit snapshot: see ReadStream.
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), families_.timers));
  for (it->SeekToFirst(); it->Valid() && static_cast<int>(due.size()) < limit; it->Next()) {
    TimerKey timer;
    if (!keys::ParseTimerKey(absl::string_view(it->key().data(), it->key().size()), &timer)) {
      return absl::DataLossError("a timer key is malformed");
    }
    if (timer.due > up_to) break;
    due.push_back(std::move(timer));
  }
  RETURN_IF_ERROR(FromRocks(it->status(), "reading the timers"));
  return due;
}

absl::StatusOr<std::optional<IdempotencyRecord>> RocksEventStore::GetIdempotencyRecord(
    absl::string_view principal_id, absl::string_view command_id) {
  std::string value;
  const rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), families_.dedup,
                                          keys::DedupKey(principal_id, command_id), &value);
  if (status.IsNotFound()) return std::nullopt;
  RETURN_IF_ERROR(FromRocks(status, "reading an idempotency record"));
  if (value.size() < 8) return absl::DataLossError("an idempotency record is truncated");
  IdempotencyRecord record;
  record.principal_id = std::string(principal_id);
  record.command_id = std::string(command_id);
  record.recorded_at = keys::DecodeTime(keys::ReadBigEndian64(value));
  // Compaction drops expired records only eventually; they must already be
  // gone for the caller.
  if (record.recorded_at < clock_.Now() - options_.idempotency_retention) return std::nullopt;
  record.outcome = value.substr(8);
  return record;
}

absl::StatusOr<std::string> RocksEventStore::LastStreamIdWithPrefix(v1::StreamKind kind,
                                                                    absl::string_view prefix) {
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), ProjectionFamily(kind)));
  // Stream ids are printable ASCII, so prefix + 0xFF sorts after all of them.
  std::string upper(prefix);
  upper.push_back('\xff');
  it->SeekForPrev(upper);
  RETURN_IF_ERROR(FromRocks(it->status(), "reading stream ids"));
  if (it->Valid() && it->key().starts_with(rocksdb::Slice(prefix.data(), prefix.size()))) {
    return it->key().ToString();
  }
  return std::string();
}

uint64_t RocksEventStore::LastPosition() const { return last_position_.load(); }

absl::StatusOr<std::optional<std::string>> RocksEventStore::GetAuthRecord(
    absl::string_view key) {
  std::string value;
  const rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), families_.auth,
                                          rocksdb::Slice(key.data(), key.size()), &value);
  if (status.IsNotFound()) return std::nullopt;
  RETURN_IF_ERROR(FromRocks(status, "reading a login record"));
  return value;
}

absl::Status RocksEventStore::WriteAuthRecords(const std::vector<ReportEntry>& puts,
                                               const std::vector<std::string>& deletes,
                                               bool sync) {
  rocksdb::WriteBatch write;
  for (const std::string& key : deletes) write.Delete(families_.auth, key);
  for (const ReportEntry& entry : puts) write.Put(families_.auth, entry.key, entry.value);
  rocksdb::WriteOptions options;
  options.sync = sync && options_.sync;
  return FromRocks(db_->Write(options, &write), "writing login records");
}

absl::Status RocksEventStore::PutEvidence(absl::string_view sha256_hex, absl::string_view bytes) {
  ASSIGN_OR_RETURN(std::optional<std::string> first, ReadEvidenceChunk(sha256_hex, 0));
  // Content-addressed: the same SHA-256 is the same bytes.
  if (first.has_value()) return absl::OkStatus();
  rocksdb::WriteBatch write;
  uint32_t index = 0;
  for (size_t offset = 0; offset < bytes.size(); offset += keys::kEvidenceChunkBytes, ++index) {
    const absl::string_view chunk = bytes.substr(offset, keys::kEvidenceChunkBytes);
    write.Put(families_.evidence, keys::EvidenceChunkKey(sha256_hex, index),
              rocksdb::Slice(chunk.data(), chunk.size()));
  }
  RETURN_IF_ERROR(CheckFreeSpace(write.GetDataSize()));
  rocksdb::WriteOptions options;
  options.sync = options_.sync;
  return FromRocks(db_->Write(options, &write), "writing evidence");
}

absl::StatusOr<std::optional<std::string>> RocksEventStore::ReadEvidenceChunk(
    absl::string_view sha256_hex, uint32_t index) {
  std::string value;
  const rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), families_.evidence,
                                          keys::EvidenceChunkKey(sha256_hex, index), &value);
  if (status.IsNotFound()) return std::nullopt;
  RETURN_IF_ERROR(FromRocks(status, "reading evidence"));
  return value;
}

absl::Status RocksEventStore::CompactIdempotencyRecords() {
  rocksdb::CompactRangeOptions compact;
  // Rewrite even a single bottommost file, so that the filter sees every record.
  compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  return FromRocks(db_->CompactRange(compact, families_.dedup, nullptr, nullptr),
                   "compacting the idempotency records");
}

absl::Status RocksEventStore::ApplyRepair(const Repair& repair) {
  absl::MutexLock lock(&commit_mutex_);
  rocksdb::WriteBatch write;
  for (const Repair::Projection& projection : repair.projection_deletes) {
    write.Delete(ProjectionFamily(projection.kind), projection.stream_id);
  }
  for (const Repair::Projection& projection : repair.projection_puts) {
    write.Put(ProjectionFamily(projection.kind), projection.stream_id, projection.bytes);
  }
  for (const std::string& key : repair.index_deletes) write.Delete(families_.index, key);
  for (const std::string& key : repair.index_puts) write.Put(families_.index, key, "");
  for (const TimerKey& timer : repair.timer_deletes) {
    write.Delete(families_.timers, keys::TimerKeyBytes(timer));
  }
  for (const TimerKey& timer : repair.timer_puts) {
    write.Put(families_.timers, keys::TimerKeyBytes(timer), "");
  }
  for (const std::string& key : repair.report_deletes) write.Delete(families_.reports, key);
  for (const ReportEntry& entry : repair.report_puts) {
    write.Put(families_.reports, entry.key, entry.value);
  }
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  return FromRocks(db_->Write(write_options, &write), "writing a repair");
}

namespace {

// A file system that counts the bytes appended to the files it writes and
// reports them (CopyProgress): BackupEngine writes the backup (and a
// restore the store) through it, so the count is exact.
class CountingFileSystem final : public rocksdb::FileSystemWrapper {
 public:
  CountingFileSystem(CopyProgress progress, int64_t total)
      : rocksdb::FileSystemWrapper(rocksdb::FileSystem::Default()),
        progress_(std::move(progress)),
        total_(total) {}

  const char* Name() const override { return "RectifyCountingFileSystem"; }

  rocksdb::IOStatus NewWritableFile(const std::string& name, const rocksdb::FileOptions& options,
                                    std::unique_ptr<rocksdb::FSWritableFile>* result,
                                    rocksdb::IODebugContext* debug) override {
    std::unique_ptr<rocksdb::FSWritableFile> file;
    rocksdb::IOStatus status = target()->NewWritableFile(name, options, &file, debug);
    if (status.ok()) result->reset(new CountingFile(std::move(file), *this));
    return status;
  }

  int64_t written() const { return written_.load(); }

 private:
  class CountingFile final : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    CountingFile(std::unique_ptr<rocksdb::FSWritableFile> file, CountingFileSystem& owner)
        : rocksdb::FSWritableFileOwnerWrapper(std::move(file)), owner_(owner) {}
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             rocksdb::IODebugContext* debug) override {
      rocksdb::IOStatus status = target()->Append(data, options, debug);
      if (status.ok()) owner_.Count(data.size());
      return status;
    }
    rocksdb::IOStatus Append(const rocksdb::Slice& data, const rocksdb::IOOptions& options,
                             const rocksdb::DataVerificationInfo& verification,
                             rocksdb::IODebugContext* debug) override {
      rocksdb::IOStatus status = target()->Append(data, options, verification, debug);
      if (status.ok()) owner_.Count(data.size());
      return status;
    }

   private:
    CountingFileSystem& owner_;
  };

  void Count(size_t bytes) {
    const int64_t now = written_.fetch_add(static_cast<int64_t>(bytes)) +
                        static_cast<int64_t>(bytes);
    if (progress_) progress_(now, total_);
  }

  const CopyProgress progress_;
  const int64_t total_;
  std::atomic<int64_t> written_{0};
};

}  // namespace

absl::StatusOr<BackupResult> RocksEventStore::CreateBackup(const std::string& backup_dir,
                                                           const BackupOptions& options) {
  absl::MutexLock lock(&backup_mutex_);
  BackupResult result;
  result.taken_at = clock_.Now();
  // Read before the backup starts: everything committed so far is in it.
  result.last_position_at_least = last_position_.load();
  // The expected total: the live files' size now (SST, WAL, MANIFEST),
  // without a flush.
  int64_t total = 0;
  {
    rocksdb::LiveFilesStorageInfoOptions live_options;
    live_options.wal_size_for_flush = std::numeric_limits<uint64_t>::max();
    std::vector<rocksdb::LiveFileStorageInfo> live;
    if (db_->GetLiveFilesStorageInfo(live_options, &live).ok()) {
      for (const rocksdb::LiveFileStorageInfo& file : live) {
        total += static_cast<int64_t>(file.size);
      }
    }
  }
  auto counting = std::make_shared<CountingFileSystem>(options.progress, total);
  const std::unique_ptr<rocksdb::Env> backup_env = rocksdb::NewCompositeEnv(counting);
  rocksdb::BackupEngineOptions engine_options(backup_dir);
  engine_options.sync = true;
  engine_options.share_table_files = true;
  engine_options.backup_env = backup_env.get();
  rocksdb::BackupEngine* raw_engine = nullptr;
  RETURN_IF_ERROR(FromRocks(
      rocksdb::BackupEngine::Open(engine_options, rocksdb::Env::Default(), &raw_engine),
      absl::StrCat("opening the backup directory ", backup_dir)));
  std::unique_ptr<rocksdb::BackupEngine> engine(raw_engine);
  // The WAL is copied too (flush_before_backup off), so the backup holds
  // every synced commit up to the moment its file list was taken without
  // stalling commits for a flush.
  rocksdb::CreateBackupOptions create;
  create.flush_before_backup = false;
  rocksdb::BackupID id = 0;
  RETURN_IF_ERROR(FromRocks(engine->CreateNewBackup(create, db_.get(), &id),
                            absl::StrCat("backing up into ", backup_dir)));
  result.backup_id = id;
  result.bytes_written = counting->written();
  if (options.keep_latest > 0) {
    std::vector<rocksdb::BackupInfo> before;
    engine->GetBackupInfo(&before);
    RETURN_IF_ERROR(FromRocks(engine->PurgeOldBackups(options.keep_latest),
                              absl::StrCat("deleting old backups in ", backup_dir)));
    std::vector<rocksdb::BackupInfo> after;
    engine->GetBackupInfo(&after);
    result.backups_deleted = static_cast<uint32_t>(before.size() - after.size());
  }
  return result;
}

absl::Status RocksEventStore::RestoreLatestBackup(const std::string& backup_dir,
                                                  const std::string& data_dir,
                                                  const CopyProgress& progress) {
  std::error_code error;
  if (!fs::is_directory(backup_dir, error)) {
    if (error && error != std::errc::no_such_file_or_directory) {
      return FromFilesystem(error, absl::StrCat("backup directory ", backup_dir));
    }
    return absl::NotFoundError(absl::StrCat("there is no backup directory ", backup_dir));
  }
  if (fs::exists(data_dir, error) && !fs::is_empty(data_dir, error)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "restore needs an empty or new data directory, and ", data_dir, " holds files"));
  }
  if (error) return FromFilesystem(error, absl::StrCat("data directory ", data_dir));
  // The total comes from the backup's own record, read first; the restore
  // then writes data_dir through a counting file system.
  int64_t total = 0;
  {
    rocksdb::BackupEngineReadOnly* raw_engine = nullptr;
    RETURN_IF_ERROR(FromRocks(rocksdb::BackupEngineReadOnly::Open(
                                  rocksdb::BackupEngineOptions(backup_dir),
                                  rocksdb::Env::Default(), &raw_engine),
                              absl::StrCat("opening the backup directory ", backup_dir)));
    std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(raw_engine);
    std::vector<rocksdb::BackupInfo> backups;
    engine->GetBackupInfo(&backups);
    if (backups.empty()) {
      return absl::NotFoundError(absl::StrCat("there is no backup in ", backup_dir));
    }
    total = static_cast<int64_t>(backups.back().size);
  }
  auto counting = std::make_shared<CountingFileSystem>(progress, total);
  const std::unique_ptr<rocksdb::Env> data_env = rocksdb::NewCompositeEnv(counting);
  rocksdb::BackupEngineOptions engine_options(backup_dir);
  engine_options.backup_env = rocksdb::Env::Default();
  rocksdb::BackupEngineReadOnly* raw_engine = nullptr;
  RETURN_IF_ERROR(FromRocks(
      rocksdb::BackupEngineReadOnly::Open(engine_options, data_env.get(), &raw_engine),
      absl::StrCat("opening the backup directory ", backup_dir)));
  std::unique_ptr<rocksdb::BackupEngineReadOnly> engine(raw_engine);
  fs::create_directories(data_dir, error);
  if (error) return FromFilesystem(error, absl::StrCat("data directory ", data_dir));
  return FromRocks(engine->RestoreDBFromLatestBackup(data_dir, data_dir),
                   absl::StrCat("restoring ", backup_dir, " into ", data_dir));
}

std::unique_ptr<RocksEventStore::View> RocksEventStore::NewView() const {
  return std::unique_ptr<View>(new View(*this));
}

RocksEventStore::View::View(const RocksEventStore& store)
    : store_(store), snapshot_(store.db_->GetSnapshot()) {}

RocksEventStore::View::~View() { store_.db_->ReleaseSnapshot(snapshot_); }

rocksdb::ReadOptions RocksEventStore::View::ReadOptions() const {
  rocksdb::ReadOptions read_options;
  read_options.snapshot = snapshot_;
  // A full scan should not push the server's hot blocks out of the cache.
  read_options.fill_cache = false;
  return read_options;
}

absl::Status RocksEventStore::View::ForEachEvent(
    absl::FunctionRef<absl::Status(const StoredEvent&)> visit) const {
  std::unique_ptr<rocksdb::Iterator> it(
      store_.db_->NewIterator(ReadOptions(), store_.families_.events));
  StoredEvent entry;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const absl::string_view key(it->key().data(), it->key().size());
    entry.key_ok = keys::ParseEventKey(key, &entry.stream_id, &entry.version);
    if (!entry.key_ok) {
      entry.stream_id = std::string(key);
      entry.version = 0;
    }
    entry.value = absl::string_view(it->value().data(), it->value().size());
    RETURN_IF_ERROR(visit(entry));
  }
  return FromRocks(it->status(), "reading the events");
}

namespace {

RocksEventStore::LogEntry ParseLogEntry(absl::string_view key, absl::string_view value) {
  RocksEventStore::LogEntry entry;
  entry.position = key.size() == 8 ? keys::ReadBigEndian64(key) : 0;
  entry.ok = key.size() == 8 && keys::ParseEventKey(value, &entry.stream_id, &entry.version);
  return entry;
}

}  // namespace

absl::StatusOr<uint64_t> RocksEventStore::View::LastLogPosition() const {
  std::unique_ptr<rocksdb::Iterator> it(store_.db_->NewIterator(ReadOptions(), store_.families_.log));
  it->SeekToLast();
  if (!it->Valid()) {
    RETURN_IF_ERROR(FromRocks(it->status(), "reading the log"));
    return 0;
  }
  return ParseLogEntry(absl::string_view(it->key().data(), it->key().size()),
                       absl::string_view(it->value().data(), it->value().size()))
      .position;
}

absl::Status RocksEventStore::View::ForEachLogEntry(
    absl::FunctionRef<absl::Status(const LogEntry&)> visit) const {
  std::unique_ptr<rocksdb::Iterator> it(store_.db_->NewIterator(ReadOptions(), store_.families_.log));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    RETURN_IF_ERROR(visit(ParseLogEntry(absl::string_view(it->key().data(), it->key().size()),
                                        absl::string_view(it->value().data(), it->value().size()))));
  }
  return FromRocks(it->status(), "reading the log");
}

absl::Status RocksEventStore::View::ForEachProjection(
    v1::StreamKind kind,
    absl::FunctionRef<absl::Status(absl::string_view, absl::string_view)> visit) const {
  std::unique_ptr<rocksdb::Iterator> it(
      store_.db_->NewIterator(ReadOptions(), store_.ProjectionFamily(kind)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    RETURN_IF_ERROR(visit(absl::string_view(it->key().data(), it->key().size()),
                          absl::string_view(it->value().data(), it->value().size())));
  }
  return FromRocks(it->status(), "reading the projections");
}

absl::Status RocksEventStore::View::ForEachIndexKey(
    absl::FunctionRef<absl::Status(absl::string_view)> visit) const {
  std::unique_ptr<rocksdb::Iterator> it(
      store_.db_->NewIterator(ReadOptions(), store_.families_.index));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    RETURN_IF_ERROR(visit(absl::string_view(it->key().data(), it->key().size())));
  }
  return FromRocks(it->status(), "reading the index");
}

absl::Status RocksEventStore::View::ForEachReportEntry(
    absl::FunctionRef<absl::Status(absl::string_view, absl::string_view)> visit) const {
  std::unique_ptr<rocksdb::Iterator> it(
      store_.db_->NewIterator(ReadOptions(), store_.families_.reports));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    RETURN_IF_ERROR(visit(absl::string_view(it->key().data(), it->key().size()),
                          absl::string_view(it->value().data(), it->value().size())));
  }
  return FromRocks(it->status(), "reading the reports");
}

absl::Status RocksEventStore::View::ForEachTimer(
    absl::FunctionRef<absl::Status(const TimerEntry&)> visit) const {
  std::unique_ptr<rocksdb::Iterator> it(
      store_.db_->NewIterator(ReadOptions(), store_.families_.timers));
  TimerEntry entry;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    entry.raw_key = it->key().ToString();
    entry.ok = keys::ParseTimerKey(entry.raw_key, &entry.timer);
    RETURN_IF_ERROR(visit(entry));
  }
  return FromRocks(it->status(), "reading the timers");
}

absl::StatusOr<std::optional<std::string>> RocksEventStore::View::GetEvent(
    absl::string_view stream_id, int64_t version) const {
  std::string value;
  const rocksdb::Status status = store_.db_->Get(ReadOptions(), store_.families_.events,
                                                 keys::EventKey(stream_id, version), &value);
  if (status.IsNotFound()) return std::nullopt;
  RETURN_IF_ERROR(FromRocks(status, "reading an event"));
  return value;
}

absl::StatusOr<std::optional<RocksEventStore::LogEntry>> RocksEventStore::View::GetLogEntry(
    uint64_t position) const {
  std::string value;
  const std::string key = keys::LogKey(position);
  const rocksdb::Status status = store_.db_->Get(ReadOptions(), store_.families_.log, key, &value);
  if (status.IsNotFound()) return std::nullopt;
  RETURN_IF_ERROR(FromRocks(status, "reading the log"));
  return ParseLogEntry(key, value);
}

absl::StatusOr<std::optional<std::string>> RocksEventStore::View::GetProjection(
    v1::StreamKind kind, absl::string_view stream_id) const {
  std::string value;
  const rocksdb::Status status =
      store_.db_->Get(ReadOptions(), store_.ProjectionFamily(kind),
                      rocksdb::Slice(stream_id.data(), stream_id.size()), &value);
  if (status.IsNotFound()) return std::nullopt;
  RETURN_IF_ERROR(FromRocks(status, "reading a projection"));
  return value;
}

StoreFigures RocksEventStore::Figures() const {
  StoreFigures figures;
  uint64_t value = 0;
  if (db_->GetAggregatedIntProperty(rocksdb::DB::Properties::kEstimatePendingCompactionBytes,
                                    &value)) {
    figures.pending_compaction_bytes = value;
  }
  if (db_->GetIntProperty(rocksdb::DB::Properties::kIsWriteStopped, &value)) {
    figures.write_stopped = value != 0;
  }
  if (db_->GetIntProperty(rocksdb::DB::Properties::kActualDelayedWriteRate, &value)) {
    figures.delayed_write_rate = value;
  }
  if (db_->GetAggregatedIntProperty(rocksdb::DB::Properties::kLiveSstFilesSize, &value)) {
    figures.sst_bytes = value;
  }
  // The cache is shared by every family: one family's figure is the cache's.
  if (db_->GetIntProperty(rocksdb::DB::Properties::kBlockCacheUsage, &value)) {
    figures.block_cache_usage_bytes = value;
  }
  if (db_->GetIntProperty(rocksdb::DB::Properties::kBlockCacheCapacity, &value)) {
    figures.block_cache_capacity_bytes = value;
  }
  if (db_->GetIntProperty(rocksdb::DB::Properties::kNumRunningCompactions, &value)) {
    figures.running_compactions = value;
  }
  if (db_->GetIntProperty(rocksdb::DB::Properties::kNumRunningFlushes, &value)) {
    figures.running_flushes = value;
  }
  rocksdb::VectorLogPtr wal_files;
  if (db_->GetSortedWalFiles(wal_files).ok()) {
    for (const auto& file : wal_files) {
      if (file->Type() == rocksdb::kAliveLogFile) figures.wal_bytes += file->SizeFileBytes();
    }
  }
  absl::StatusOr<uint64_t> free_bytes =
      options_.free_bytes_probe ? options_.free_bytes_probe(dir_) : StatvfsFreeBytes(dir_);
  if (free_bytes.ok()) {
    figures.free_disk_bytes = *free_bytes;
    figures.free_disk_known = true;
  }
  if (const std::shared_ptr<rocksdb::Statistics> statistics = db_->GetDBOptions().statistics) {
    figures.statistics = true;
    figures.block_cache_hits = statistics->getTickerCount(rocksdb::BLOCK_CACHE_HIT);
    figures.block_cache_misses = statistics->getTickerCount(rocksdb::BLOCK_CACHE_MISS);
    figures.stall_micros = statistics->getTickerCount(rocksdb::STALL_MICROS);
    figures.wal_bytes_written = statistics->getTickerCount(rocksdb::WAL_FILE_BYTES);
    figures.compaction_bytes_written = statistics->getTickerCount(rocksdb::COMPACT_WRITE_BYTES);
    figures.flush_bytes_written = statistics->getTickerCount(rocksdb::FLUSH_WRITE_BYTES);
    rocksdb::HistogramData sync;
    statistics->histogramData(rocksdb::WAL_FILE_SYNC_MICROS, &sync);
    figures.wal_syncs = sync.count;
    figures.wal_sync_micros_sum = static_cast<double>(sync.sum);
  }
  return figures;
}

namespace {

absl::StatusOr<std::optional<v1::PersonalDataRecord>> ParsePersonalRecord(
    const rocksdb::Status& status, const std::string& value, absl::string_view stream_id,
    int64_t version) {
  if (status.IsNotFound()) return std::nullopt;
  RETURN_IF_ERROR(FromRocks(status, "reading a personal data record"));
  v1::PersonalDataRecord record;
  if (!record.ParseFromString(value)) {
    return absl::DataLossError(absl::StrCat("the personal data record of event ", stream_id, "#",
                                            version, " cannot be parsed"));
  }
  return record;
}

}  // namespace

absl::StatusOr<std::optional<v1::PersonalDataRecord>> RocksEventStore::GetPersonalData(
    absl::string_view stream_id, int64_t version) {
  std::string value;
  const rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), families_.personal,
                                          keys::EventKey(stream_id, version), &value);
  return ParsePersonalRecord(status, value, stream_id, version);
}

absl::StatusOr<std::optional<v1::PersonalDataRecord>> RocksEventStore::View::GetPersonalData(
    absl::string_view stream_id, int64_t version) const {
  std::string value;
  const rocksdb::Status status = store_.db_->Get(ReadOptions(), store_.families_.personal,
                                                 keys::EventKey(stream_id, version), &value);
  return ParsePersonalRecord(status, value, stream_id, version);
}

absl::StatusOr<RocksEventStore::ComplainantUpgrade> RocksEventStore::UpgradeComplainants() {
  absl::MutexLock lock(&commit_mutex_);
  // First the streams to rewrite: those whose first event is a CaseReported
  // still holding the complainant. One seek per stream.
  std::vector<std::string> legacy;
  {
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(rocksdb::ReadOptions(), families_.events));
    for (it->SeekToFirst(); it->Valid();) {
      std::string stream_id;
      int64_t version = 0;
      if (!keys::ParseEventKey(absl::string_view(it->key().data(), it->key().size()), &stream_id,
                               &version)) {
        return absl::DataLossError(
            "an event key is malformed; run rectify_admin verify and restore a backup");
      }
      if (version == 1) {
        v1::Event first;
        if (!first.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
          return absl::DataLossError(
              absl::StrCat("event ", stream_id, "#1 cannot be parsed; run rectify_admin verify"));
        }
        if (HoldsLegacyPersonalData(first)) legacy.push_back(stream_id);
      }
      // On to the next stream: its keys all start with stream_id 0x00, and
      // ids are printable, so stream_id 0x01 sorts after them and before any
      // other stream's.
      it->Seek(stream_id + '\x01');
    }
    RETURN_IF_ERROR(FromRocks(it->status(), "reading the events"));
  }
  ComplainantUpgrade upgrade;
  for (const std::string& stream_id : legacy) {
    ComplainantUpgrade::Stream done;
    done.stream_id = stream_id;
    rocksdb::WriteBatch write;
    std::string prev_hash;
    const std::string prefix = keys::StreamPrefix(stream_id);
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(rocksdb::ReadOptions(), families_.events));
    for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
      v1::Event event;
      if (!event.ParseFromArray(it->value().data(), static_cast<int>(it->value().size()))) {
        return absl::DataLossError(absl::StrCat("an event of ", stream_id,
                                                " cannot be parsed; nothing of it was rewritten"));
      }
      done.old_head_hash = event.hash();
      if (event.version() == 1) {
        const std::optional<v1::PersonalDataRecord> personal = SealPersonalData(event);
        if (personal.has_value()) {
          write.Put(families_.personal, it->key(), personal->SerializeAsString());
        }
      }
      event.set_prev_hash(prev_hash);
      event.clear_hash();
      event.set_hash(ComputeEventHash(event));
      prev_hash = event.hash();
      write.Put(families_.events, it->key(), event.SerializeAsString());
      ++done.events;
    }
    RETURN_IF_ERROR(FromRocks(it->status(), absl::StrCat("reading the events of ", stream_id)));
    done.new_head_hash = prev_hash;
    RETURN_IF_ERROR(CheckFreeSpace(write.GetDataSize()));
    rocksdb::WriteOptions write_options;
    write_options.sync = true;
    RETURN_IF_ERROR(FromRocks(db_->Write(write_options, &write),
                              absl::StrCat("rewriting the events of ", stream_id)));
    upgrade.events_rewritten += done.events;
    upgrade.streams.push_back(std::move(done));
  }
  return upgrade;
}

}  // namespace rectify::storage

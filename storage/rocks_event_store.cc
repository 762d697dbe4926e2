// The EventStore on RocksDB; see rocks_event_store.h.
#include "storage/rocks_event_store.h"

#include <filesystem>
#include <map>
#include <system_error>
#include <utility>

#include "absl/random/random.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "rocksdb/cache.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/options_util.h"
#include "rocksdb/write_batch.h"
#include "storage/event_hash.h"
#include "storage/keys.h"

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
  return absl::InternalError(message);
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
  std::error_code error;
  const bool exists = fs::exists(dir, error);
  if (error) {
    return absl::PermissionDeniedError(
        absl::StrCat("data directory ", dir, " cannot be read: ", error.message()));
  }
  bool created = false;
  if (!exists || fs::is_empty(dir, error)) {
    if (!options.create_if_missing) {
      return absl::NotFoundError(absl::StrCat("there is no Rectify store in ", dir));
    }
    fs::create_directories(dir, error);
    if (error) {
      return absl::PermissionDeniedError(
          absl::StrCat("data directory ", dir, " cannot be created: ", error.message()));
    }
    created = true;
  } else if (!fs::is_directory(dir, error)) {
    return absl::FailedPreconditionError(absl::StrCat(dir, " is not a directory"));
  } else if (!fs::exists(fs::path(dir) / "CURRENT", error)) {
    return absl::FailedPreconditionError(absl::StrCat(
        dir, " is not a Rectify store (it holds other files); give an empty or new directory"));
  }

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = created;
  db_options.create_missing_column_families = created;
  db_options.max_background_jobs = 2;
  db_options.keep_log_file_num = 5;
  if (!created) {
    std::vector<std::string> existing;
    RETURN_IF_ERROR(FromRocks(
        rocksdb::DB::ListColumnFamilies(db_options, dir, &existing),
        absl::StrCat("reading ", dir)));
    for (const std::string& name : FamilyNames()) {
      if (std::find(existing.begin(), existing.end(), name) == existing.end()) {
        return absl::FailedPreconditionError(absl::StrCat(
            dir, " is a RocksDB database but not a Rectify store (no column family \"", name,
            "\")"));
      }
    }
  }

  std::shared_ptr<rocksdb::Cache> cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : FamilyNames()) {
    descriptors.emplace_back(name, FamilyOptions(options, cache));
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw_db = nullptr;
  RETURN_IF_ERROR(FromRocks(rocksdb::DB::Open(db_options, dir, descriptors, &handles, &raw_db),
                            absl::StrCat("opening the store in ", dir)));
  ColumnFamilies families;
  families.events = handles[1];
  families.log = handles[2];
  families.cases = handles[3];
  families.lists = handles[4];
  families.index = handles[5];
  families.timers = handles[6];
  families.dedup = handles[7];
  families.meta = handles[8];
  std::unique_ptr<RocksEventStore> store(new RocksEventStore(
      options, std::unique_ptr<rocksdb::DB>(raw_db), std::move(handles), families));
  RETURN_IF_ERROR(store->LoadMeta(created));
  RETURN_IF_ERROR(store->LoadLastPosition());
  return store;
}

RocksEventStore::RocksEventStore(const StoreOptions& options, std::unique_ptr<rocksdb::DB> db,
                                 std::vector<rocksdb::ColumnFamilyHandle*> handles,
                                 ColumnFamilies families)
    : options_(options), db_(std::move(db)), handles_(std::move(handles)), families_(families) {}

RocksEventStore::~RocksEventStore() {
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    db_->DestroyColumnFamilyHandle(handle).PermitUncheckedError();
  }
  db_->Close().PermitUncheckedError();
}

absl::Status RocksEventStore::LoadMeta(bool created) {
  if (created) {
    rocksdb::WriteBatch batch;
    store_id_ = RandomStoreId();
    batch.Put(families_.meta, keys::kSchemaVersionKey, std::to_string(kSchemaVersion));
    batch.Put(families_.meta, keys::kStoreIdKey, store_id_);
    rocksdb::WriteOptions write_options;
    write_options.sync = true;
    return FromRocks(db_->Write(write_options, &batch), "initializing the store");
  }
  std::string schema;
  rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), families_.meta, keys::kSchemaVersionKey, &schema);
  if (status.IsNotFound()) {
    return absl::FailedPreconditionError("the store has no schema version: not a Rectify store");
  }
  RETURN_IF_ERROR(FromRocks(status, "reading the schema version"));
  int version = 0;
  if (!absl::SimpleAtoi(schema, &version)) {
    return absl::DataLossError(absl::StrCat("the store's schema version \"", schema,
                                            "\" is not a number"));
  }
  if (version > kSchemaVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the store has schema version ", version, " but this binary knows only up to ",
        kSchemaVersion, ": it was written by a newer Rectify; upgrade the binary"));
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

rocksdb::ColumnFamilyHandle* RocksEventStore::ProjectionFamily(v1::StreamKind kind) const {
  return kind == v1::STREAM_KIND_RECTIFICATION_LIST ? families_.lists : families_.cases;
}

absl::Status RocksEventStore::ReadStreamHead(absl::string_view stream_id, int64_t* version,
                                             std::string* last_hash) {
  *version = 0;
  last_hash->clear();
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), families_.events));
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
  for (StreamAppend& append : batch.appends) {
    auto head = heads.find(append.stream_id);
    if (head == heads.end()) {
      Head stored;
      RETURN_IF_ERROR(ReadStreamHead(append.stream_id, &stored.version, &stored.hash));
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
      event.set_hash(ComputeEventHash(event));
      const std::string event_key = keys::EventKey(event.stream_id(), event.version());
      write.Put(families_.events, event_key, event.SerializeAsString());
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
        kind == v1::STREAM_KIND_RECTIFICATION_LIST ? "rectification list " : "case ", stream_id,
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

absl::StatusOr<std::vector<v1::Event>> RocksEventStore::ReadStream(absl::string_view stream_id,
                                                                   int64_t from_version,
                                                                   int limit) {
  std::vector<v1::Event> events;
  const std::string prefix = keys::StreamPrefix(stream_id);
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

absl::StatusOr<std::vector<TimerKey>> RocksEventStore::DueTimers(absl::Time up_to, int limit) {
  std::vector<TimerKey> due;
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

}  // namespace rectify::storage

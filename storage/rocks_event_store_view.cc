// RocksEventStore::View: a consistent snapshot of the whole store for full
// scans (verify, rebuild, export), read without filling the block cache. Part
// of the RocksEventStore class; see rocks_event_store.h.
#include <memory>
#include <optional>
#include <string>

#include "base/status_macros.h"
#include "storage/keys.h"
#include "storage/rocks_event_store.h"
#include "storage/rocks_support.h"

namespace rectify::storage {

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

absl::StatusOr<std::optional<v1::PersonalDataRecord>> RocksEventStore::View::GetPersonalData(
    absl::string_view stream_id, int64_t version) const {
  std::string value;
  const rocksdb::Status status = store_.db_->Get(ReadOptions(), store_.families_.personal,
                                                 keys::EventKey(stream_id, version), &value);
  return ParsePersonalRecord(status, value, stream_id, version);
}
}  // namespace rectify::storage

// The EventStore on RocksDB; see rocks_event_store.h. This file holds the
// point reads (projections, streams, the log, indexes, timers, idempotency,
// login, evidence and personal records) and the store's figures. The rest of
// the class lives beside it, one concern a file:
//   rocks_event_store_open.cc    opening, options, meta keys, closing
//   rocks_event_store_commit.cc  Commit and every other write
//   rocks_event_store_backup.cc  backup and restore
//   rocks_event_store_view.cc    View, the snapshot for full scans
//   rocks_support.h              status mapping and helpers they share
#include "storage/rocks_event_store.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "rocksdb/statistics.h"
#include "rocksdb/transaction_log.h"
#include "storage/keys.h"
#include "storage/rocks_support.h"

namespace rectify::storage {

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
    case v1::STREAM_KIND_COMPLAINT:
      return families_.complaints;
    default:
      return families_.cases;
  }
}
absl::StatusOr<std::string> RocksEventStore::GetProjection(v1::StreamKind kind,
                                                           absl::string_view stream_id) {
  WithoutPerfCounters();
  std::string value;
  const rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), ProjectionFamily(kind),
               rocksdb::Slice(stream_id.data(), stream_id.size()), &value);
  if (status.IsNotFound()) {
    return absl::NotFoundError(absl::StrCat(
        kind == v1::STREAM_KIND_RECTIFICATION_LIST ? "rectification list "
        : kind == v1::STREAM_KIND_ACCOUNT          ? "account stream "
        : kind == v1::STREAM_KIND_UNIT             ? "unit stream "
        : kind == v1::STREAM_KIND_COMPLAINT        ? "complaint "
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
  WithoutPerfCounters();
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
  WithoutPerfCounters();
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
  WithoutPerfCounters();
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
  WithoutPerfCounters();
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
  WithoutPerfCounters();
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
  WithoutPerfCounters();
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
  WithoutPerfCounters();
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
  WithoutPerfCounters();
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
  WithoutPerfCounters();
  std::string value;
  const rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), families_.auth,
                                          rocksdb::Slice(key.data(), key.size()), &value);
  if (status.IsNotFound()) return std::nullopt;
  RETURN_IF_ERROR(FromRocks(status, "reading a login record"));
  return value;
}

absl::StatusOr<std::optional<std::string>> RocksEventStore::ReadEvidenceChunk(
    absl::string_view sha256_hex, uint32_t index) {
  WithoutPerfCounters();
  std::string value;
  const rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), families_.evidence,
                                          keys::EvidenceChunkKey(sha256_hex, index), &value);
  if (status.IsNotFound()) return std::nullopt;
  RETURN_IF_ERROR(FromRocks(status, "reading evidence"));
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

absl::StatusOr<std::optional<v1::PersonalDataRecord>> RocksEventStore::GetPersonalData(
    absl::string_view stream_id, int64_t version) {
  WithoutPerfCounters();
  std::string value;
  const rocksdb::Status status = db_->Get(rocksdb::ReadOptions(), families_.personal,
                                          keys::EventKey(stream_id, version), &value);
  return ParsePersonalRecord(status, value, stream_id, version);
}

}  // namespace rectify::storage

// The write paths of a RocksEventStore: the free-space check, Commit (one
// WriteBatch per commit: events, log, projections, indexes, timers, reports,
// idempotency and personal records), login records, evidence, repairs, the
// compaction of idempotency records and the complainant upgrade. Every write
// holds commit_mutex_ or touches families no commit writes. Part of the
// RocksEventStore class; see rocks_event_store.h.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "rocksdb/write_batch.h"
#include "storage/event_hash.h"
#include "storage/keys.h"
#include "storage/personal_data.h"
#include "storage/rocks_event_store.h"
#include "storage/rocks_support.h"

namespace rectify::storage {

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
  WithoutPerfCounters();
  absl::MutexLock lock(&commit_mutex_);
  using Head = StreamHead;
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
      if (auto cached = heads_.find(append.stream_id); cached != heads_.end()) {
        head = heads.emplace(append.stream_id, cached->second).first;
      }
    }
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
      result.events.push_back(std::move(event));
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
  if (heads_.size() + heads.size() > kMaxCachedHeads) heads_.clear();
  for (auto& [stream_id, head] : heads) heads_.insert_or_assign(stream_id, std::move(head));
  result.last_position = position;
  return result;
}

absl::Status RocksEventStore::WriteAuthRecords(const std::vector<ReportEntry>& puts,
                                               const std::vector<std::string>& deletes,
                                               bool sync) {
  WithoutPerfCounters();
  rocksdb::WriteBatch write;
  for (const std::string& key : deletes) write.Delete(families_.auth, key);
  for (const ReportEntry& entry : puts) write.Put(families_.auth, entry.key, entry.value);
  rocksdb::WriteOptions options;
  options.sync = sync && options_.sync;
  return FromRocks(db_->Write(options, &write), "writing login records");
}

absl::Status RocksEventStore::PutEvidence(absl::string_view sha256_hex, absl::string_view bytes) {
  WithoutPerfCounters();
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

absl::StatusOr<RocksEventStore::ComplainantUpgrade> RocksEventStore::UpgradeComplainants() {
  absl::MutexLock lock(&commit_mutex_);
  heads_.clear();  // the hashes change
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

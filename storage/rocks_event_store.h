// RocksEventStore: the EventStore on an embedded RocksDB, one column family
// per kind of key (keys.h). All writes of a commit go through one
// rocksdb::WriteBatch and one DB::Write (kvrocks' single write path is the
// model), so an event, its projection, its index and timer keys and its
// idempotency record are on disk together or not at all.
//
//   StoreOptions options;             // sync on, 256 MiB block cache, ...
//   ASSIGN_OR_RETURN(std::unique_ptr<RocksEventStore> store,
//                    RocksEventStore::Open("./data", options));
//
// Beside the EventStore interface it offers what the admin tools need: a
// whole-store snapshot View for verify and rebuild (projection/verifier.h),
// ApplyRepair for rebuild, and online backup and restore.
#ifndef RECTIFY_STORAGE_ROCKS_EVENT_STORE_H_
#define RECTIFY_STORAGE_ROCKS_EVENT_STORE_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "rocksdb/db.h"
#include "storage/event_store.h"

namespace rectify::storage {

// The on-disk schema this binary writes. A store with a greater number was
// written by a newer binary and is refused.
inline constexpr int kSchemaVersion = 1;

struct StoreOptions {
  // Create an empty store when the directory holds none. Default: true.
  bool create_if_missing = true;
  // fsync the write-ahead log on every commit, so that an acknowledged
  // command survives a power cut. Default: true.
  bool sync = true;
  // Size of the block cache shared by all column families. Default: 256 MiB.
  size_t block_cache_bytes = size_t{256} << 20;
  // Size of each column family's memtable before it is flushed.
  // Default: 64 MiB.
  size_t write_buffer_bytes = size_t{64} << 20;
  // Compress SST files with LZ4 (ZSTD for the bottommost level). Default: true.
  bool compression = true;
  // How long idempotency records are kept after their recorded_at. Older
  // records are never returned and are dropped by compaction (a compaction
  // filter on the dedup family, so the write path never scans for them).
  // Default: 30 days.
  absl::Duration idempotency_retention = absl::Hours(24 * 30);
  // Commits and evidence writes are refused with RESOURCE_EXHAUSTED ("disk
  // nearly full: N MiB free, need M") when the data directory's filesystem
  // would keep less than this free after the write, so that RocksDB never
  // meets a full disk (its flushes and compactions need room too; an ENOSPC
  // inside RocksDB stops the store). Reads go on, and writes resume by
  // themselves once space is freed: the check runs before every write.
  // 0 turns it off. Default: 1 GiB.
  uint64_t min_free_bytes = uint64_t{1} << 30;
  // Bytes an unprivileged writer may still use on the filesystem holding
  // `dir` (statvfs: f_bavail × f_frsize); tests inject a probe to simulate a
  // full disk. Default: nullptr, meaning statvfs.
  std::function<absl::StatusOr<uint64_t>(const std::string& dir)> free_bytes_probe;
  // The clock that decides when an idempotency record has expired and stamps
  // backups; not owned, must outlive the store. Default: nullptr, meaning
  // SystemClock().
  Clock* clock = nullptr;
  // Keep RocksDB's statistics (tickers and histograms: block cache hits,
  // stall time, WAL sync time) for Figures(); costs a few atomic adds per
  // operation. Default: false.
  bool statistics = false;
};

// What the metrics endpoint shows of the store (RocksEventStore::Figures).
struct StoreFigures {
  // Bytes compaction must still rewrite (rocksdb.estimate-pending-compaction-bytes,
  // all families); writes slow down and then stop as it grows.
  uint64_t pending_compaction_bytes = 0;
  // Whether writes are stopped now (rocksdb.is-write-stopped), and the rate
  // they are delayed to, in bytes per second (0: not delayed).
  bool write_stopped = false;
  uint64_t delayed_write_rate = 0;
  // Bytes of the live SST files (all families) and of the WAL files alive.
  uint64_t sst_bytes = 0;
  uint64_t wal_bytes = 0;
  // The block cache: bytes used and capacity.
  uint64_t block_cache_usage_bytes = 0;
  uint64_t block_cache_capacity_bytes = 0;
  // Running flushes and compactions.
  uint64_t running_compactions = 0;
  uint64_t running_flushes = 0;
  // Bytes the server may still use on the data directory's filesystem, and
  // whether they could be read.
  uint64_t free_disk_bytes = 0;
  bool free_disk_known = false;
  // With StoreOptions::statistics only (else `statistics` is false):
  // counters since the store opened.
  bool statistics = false;
  uint64_t block_cache_hits = 0;
  uint64_t block_cache_misses = 0;
  // Time writers were stalled, in microseconds.
  uint64_t stall_micros = 0;
  // WAL fsyncs and the time they took, in microseconds.
  uint64_t wal_syncs = 0;
  double wal_sync_micros_sum = 0;
  // Bytes written to the WAL and to SST files by flush and compaction.
  uint64_t wal_bytes_written = 0;
  uint64_t compaction_bytes_written = 0;
  uint64_t flush_bytes_written = 0;
};

// What CreateBackup made.
struct BackupResult {
  // The backup's id within the backup directory (from 1).
  uint32_t backup_id = 0;
  // Every commit up to this global position is in the backup. Commits that
  // landed while it was taken may be in it too: the exact last position is
  // the one a store opened from the restored copy reports.
  uint64_t last_position_at_least = 0;
  // When the backup started, by the store's clock.
  absl::Time taken_at;
  // Bytes this backup wrote into the backup directory (shared files that
  // were already there are not written again; the meta file is counted).
  int64_t bytes_written = 0;
  // Older backups deleted because of BackupOptions::keep_latest.
  uint32_t backups_deleted = 0;
};

// Reports how far a backup or a restore has come: bytes written so far and
// the expected total (an upper bound for a backup; 0 when unknown). Called
// on the thread that copies, many times; must be cheap and thread-safe.
using CopyProgress = std::function<void(int64_t done, int64_t total)>;

// How CreateBackup runs.
struct BackupOptions {
  // After the backup, delete all but the newest keep_latest backups in the
  // directory. Default: 0, keep every backup.
  uint32_t keep_latest = 0;
  // Progress of the copy. Default: none.
  CopyProgress progress;
};

// Derived data (projections, index and timer keys) to write or delete
// without events: what rebuild repairs. Events and the log are never written
// this way.
struct Repair {
  struct Projection {
    v1::StreamKind kind = v1::STREAM_KIND_CASE;
    std::string stream_id;
    std::string bytes;
  };
  std::vector<Projection> projection_puts;
  std::vector<Projection> projection_deletes;  // bytes unused
  std::vector<std::string> index_puts;
  std::vector<std::string> index_deletes;
  std::vector<TimerKey> timer_puts;
  std::vector<TimerKey> timer_deletes;
  // Report keys written whole (a counter cell's value replaces the cell).
  std::vector<ReportEntry> report_puts;
  std::vector<std::string> report_deletes;

  bool empty() const {
    return projection_puts.empty() && projection_deletes.empty() && index_puts.empty() &&
           index_deletes.empty() && timer_puts.empty() && timer_deletes.empty() &&
           report_puts.empty() && report_deletes.empty();
  }
  size_t size() const {
    return projection_puts.size() + projection_deletes.size() + index_puts.size() +
           index_deletes.size() + timer_puts.size() + timer_deletes.size() + report_puts.size() +
           report_deletes.size();
  }
};

class RocksEventStore final : public EventStore {
 public:
  // Opens (or, with create_if_missing, creates) the store in `dir`.
  // Errors: FAILED_PRECONDITION when the directory is locked by another
  // process, is not a directory, is not a Rectify store, or was written by a
  // newer schema; NOT_FOUND when it does not exist (or is empty) and
  // create_if_missing is off; PERMISSION_DENIED when it cannot be read or
  // written; DATA_LOSS when RocksDB finds it corrupt; INTERNAL otherwise.
  // Every message names the directory and what to do.
  static absl::StatusOr<std::unique_ptr<RocksEventStore>> Open(const std::string& dir,
                                                               const StoreOptions& options);

  // Restores the latest backup in `backup_dir` into `data_dir`, which must
  // not exist or be empty. Errors: FAILED_PRECONDITION when data_dir holds
  // files; NOT_FOUND when backup_dir holds no backup; PERMISSION_DENIED or
  // INTERNAL for I/O faults.
  // `progress` (optional) sees the bytes written into data_dir of the
  // backup's total size.
  static absl::Status RestoreLatestBackup(const std::string& backup_dir,
                                          const std::string& data_dir,
                                          const CopyProgress& progress = nullptr);

  ~RocksEventStore() override;
  RocksEventStore(const RocksEventStore&) = delete;
  RocksEventStore& operator=(const RocksEventStore&) = delete;

  absl::StatusOr<CommitResult> Commit(CommitBatch batch) override;
  absl::StatusOr<v1::Case> GetCase(absl::string_view case_id) override;
  absl::StatusOr<std::vector<std::string>> GetCaseProjections(
      const std::vector<std::string>& case_ids) override;
  absl::StatusOr<std::string> GetProjection(v1::StreamKind kind,
                                            absl::string_view stream_id) override;
  absl::StatusOr<std::vector<v1::Event>> ReadStream(absl::string_view stream_id,
                                                    int64_t from_version, int limit) override;
  absl::StatusOr<std::vector<v1::Event>> ReadLog(uint64_t after_position, int limit) override;
  absl::StatusOr<std::vector<std::string>> ScanIndex(absl::string_view prefix,
                                                     absl::string_view start_after,
                                                     int limit) override;
  absl::StatusOr<std::vector<std::vector<ReportEntry>>> ScanDerived(
      const std::vector<PrefixScan>& scans) override;
  absl::StatusOr<std::vector<TimerKey>> DueTimers(absl::Time up_to, int limit) override;
  absl::StatusOr<std::optional<IdempotencyRecord>> GetIdempotencyRecord(
      absl::string_view principal_id, absl::string_view command_id) override;
  absl::StatusOr<std::string> LastStreamIdWithPrefix(v1::StreamKind kind,
                                                     absl::string_view prefix) override;
  uint64_t LastPosition() const override;
  absl::StatusOr<std::optional<std::string>> GetAuthRecord(absl::string_view key) override;
  absl::Status WriteAuthRecords(const std::vector<ReportEntry>& puts,
                                const std::vector<std::string>& deletes, bool sync) override;
  absl::Status PutEvidence(absl::string_view sha256_hex, absl::string_view bytes) override;
  absl::StatusOr<std::optional<std::string>> ReadEvidenceChunk(absl::string_view sha256_hex,
                                                               uint32_t index) override;
  absl::StatusOr<std::optional<v1::PersonalDataRecord>> GetPersonalData(
      absl::string_view stream_id, int64_t version) override;

  // What UpgradeComplainants did.
  struct ComplainantUpgrade {
    struct Stream {
      std::string stream_id;
      // The stream's last hash before and after.
      std::string old_head_hash;
      std::string new_head_hash;
      int64_t events = 0;
    };
    // Every stream rewritten, in stream id order.
    std::vector<Stream> streams;
    int64_t events_rewritten = 0;
  };
  // Brings a store written before the personal-data commitments up to date
  // (`rectify_admin upgrade-complainants`, docs/storage.md): every case
  // stream whose CaseReported still holds the complainant inside the event
  // (HoldsLegacyPersonalData) is rewritten with the complainant sealed
  // (personal_data.h) and every hash of the stream recomputed, in one synced
  // batch per stream (the event values, the side record), so a crash leaves
  // each stream either as it was or wholly upgraded; running it again
  // upgrades what is left and changes nothing else. Positions, versions, the
  // log and the projections are unchanged. For the admin tool, with the
  // store opened by it alone; serialized with Commit.
  absl::StatusOr<ComplainantUpgrade> UpgradeComplainants();

  // The store's identity (random, made when it was created).
  const std::string& store_id() const { return store_id_; }

  // The underlying database and its column families by name (keys.h), for
  // tests that damage a store on purpose; nullptr for an unknown name.
  // The store's figures for the metrics endpoint (StoreFigures): RocksDB
  // properties, statistics and the free disk space, read now. Thread-safe.
  StoreFigures Figures() const;

  rocksdb::DB* db() const { return db_.get(); }
  rocksdb::ColumnFamilyHandle* FamilyForTesting(absl::string_view name) const;

  // Takes an online backup into `backup_dir` (created if missing) with
  // RocksDB's BackupEngine while commits continue; files already in the
  // backup directory are shared, so later backups copy only new files.
  // Thread-safe; backups run one at a time. Errors: PERMISSION_DENIED or
  // INTERNAL when the backup directory cannot be written.
  absl::StatusOr<BackupResult> CreateBackup(const std::string& backup_dir,
                                            const BackupOptions& options = BackupOptions());

  // Runs a compaction of the dedup family now, so that expired idempotency
  // records are dropped (RocksDB otherwise does it in the background and at
  // least once a day per file). For tests and the admin tool.
  absl::Status CompactIdempotencyRecords();

  // Writes `repair` in one synced batch. Serialized with Commit. For
  // rebuild, which runs with the store opened by the admin tool alone.
  absl::Status ApplyRepair(const Repair& repair);

  // One event as stored, for View::ForEachEvent.
  struct StoredEvent {
    // False when the key is malformed; stream_id then holds the raw key.
    bool key_ok = false;
    std::string stream_id;
    int64_t version = 0;
    // The serialized v1::Event.
    absl::string_view value;
  };
  // One entry of the global log, for View.
  struct LogEntry {
    uint64_t position = 0;
    // False when the key or the value is malformed.
    bool ok = false;
    std::string stream_id;
    int64_t version = 0;
  };
  // One timer key, for View::ForEachTimer.
  struct TimerEntry {
    // False when the key is malformed.
    bool ok = false;
    TimerKey timer;
    std::string raw_key;
  };

  // A read-only, point-in-time view of the whole store: every method reads
  // the same RocksDB snapshot, so verify sees the events, the log, the
  // projections and the keys as one commit left them, even while the server
  // keeps committing. The callbacks stop the walk by returning an error,
  // which the method returns. Not thread-safe; the store must outlive it.
  class View {
   public:
    ~View();
    View(const View&) = delete;
    View& operator=(const View&) = delete;

    // All events in key order: stream by stream, each in version order.
    absl::Status ForEachEvent(absl::FunctionRef<absl::Status(const StoredEvent&)> visit) const;
    // The position of the last log entry (0 for an empty log): in a whole
    // store, the number of events.
    absl::StatusOr<uint64_t> LastLogPosition() const;
    // The whole log in position order.
    absl::Status ForEachLogEntry(absl::FunctionRef<absl::Status(const LogEntry&)> visit) const;
    // All projections of `kind` in stream id order: (stream_id, bytes).
    absl::Status ForEachProjection(
        v1::StreamKind kind,
        absl::FunctionRef<absl::Status(absl::string_view, absl::string_view)> visit) const;
    // All index keys in order.
    absl::Status ForEachIndexKey(absl::FunctionRef<absl::Status(absl::string_view)> visit) const;
    // All timer keys, earliest first.
    absl::Status ForEachTimer(absl::FunctionRef<absl::Status(const TimerEntry&)> visit) const;
    // All report keys in order, with their (merged) values.
    absl::Status ForEachReportEntry(
        absl::FunctionRef<absl::Status(absl::string_view, absl::string_view)> visit) const;

    // The serialized event, or nullopt when there is none.
    absl::StatusOr<std::optional<std::string>> GetEvent(absl::string_view stream_id,
                                                        int64_t version) const;
    // The log entry at `position`, or nullopt when there is none.
    absl::StatusOr<std::optional<LogEntry>> GetLogEntry(uint64_t position) const;
    // The serialized projection, or nullopt when there is none.
    absl::StatusOr<std::optional<std::string>> GetProjection(v1::StreamKind kind,
                                                             absl::string_view stream_id) const;
    // The side record of an event (personal_data.h), or nullopt.
    absl::StatusOr<std::optional<v1::PersonalDataRecord>> GetPersonalData(
        absl::string_view stream_id, int64_t version) const;

   private:
    friend class RocksEventStore;
    explicit View(const RocksEventStore& store);
    rocksdb::ReadOptions ReadOptions() const;

    const RocksEventStore& store_;
    const rocksdb::Snapshot* const snapshot_;
  };

  // A view of the store as of now.
  std::unique_ptr<View> NewView() const;

 private:
  struct ColumnFamilies {
    rocksdb::ColumnFamilyHandle* events = nullptr;
    rocksdb::ColumnFamilyHandle* log = nullptr;
    rocksdb::ColumnFamilyHandle* cases = nullptr;
    rocksdb::ColumnFamilyHandle* lists = nullptr;
    rocksdb::ColumnFamilyHandle* index = nullptr;
    rocksdb::ColumnFamilyHandle* timers = nullptr;
    rocksdb::ColumnFamilyHandle* dedup = nullptr;
    rocksdb::ColumnFamilyHandle* meta = nullptr;
    rocksdb::ColumnFamilyHandle* evidence = nullptr;
    rocksdb::ColumnFamilyHandle* reports = nullptr;
    rocksdb::ColumnFamilyHandle* accounts = nullptr;
    rocksdb::ColumnFamilyHandle* auth = nullptr;
    rocksdb::ColumnFamilyHandle* personal = nullptr;
    rocksdb::ColumnFamilyHandle* units = nullptr;
    rocksdb::ColumnFamilyHandle* penalties = nullptr;
    rocksdb::ColumnFamilyHandle* complaints = nullptr;
  };

  RocksEventStore(const std::string& dir, const StoreOptions& options, Clock& clock,
                  std::unique_ptr<rocksdb::DB> db,
                  std::vector<rocksdb::ColumnFamilyHandle*> handles, ColumnFamilies families);

  absl::Status LoadMeta(bool created, const std::string& dir);
  absl::Status LoadLastPosition();
  rocksdb::ColumnFamilyHandle* ProjectionFamily(v1::StreamKind kind) const;
  // RESOURCE_EXHAUSTED when writing `bytes` would leave less than
  // options_.min_free_bytes free (see StoreOptions).
  absl::Status CheckFreeSpace(uint64_t bytes) const;
  // The stored version and last hash of a stream, read through `it` (an
  // iterator on the events family) from the current state, which only the
  // writer thread changes.
  absl::Status ReadStreamHead(rocksdb::Iterator* it, absl::string_view stream_id,
                              int64_t* version, std::string* last_hash);

  const std::string dir_;
  const StoreOptions options_;
  // options_.clock, or SystemClock().
  Clock& clock_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  const ColumnFamilies families_;
  std::string store_id_;
  // Serializes Commit calls; reads do not take it.
  absl::Mutex commit_mutex_;
  // The last committed position; written under commit_mutex_, read by anyone.
  std::atomic<uint64_t> last_position_{0};
  // The version and last hash of streams as the commits since Open left
  // them, so that Commit need not seek each stream's last event (issue 20).
  // Only commits write events (UpgradeComplainants, which rewrites hashes,
  // clears it), so an entry is never stale; emptied when it reaches
  // kMaxCachedHeads.
  struct StreamHead {
    int64_t version = 0;
    std::string hash;
  };
  static constexpr size_t kMaxCachedHeads = 20000;
  absl::flat_hash_map<std::string, StreamHead> heads_ ABSL_GUARDED_BY(commit_mutex_);
  // Serializes backups: BackupEngine must not run twice on one directory.
  absl::Mutex backup_mutex_;
};

}  // namespace rectify::storage

#endif  // RECTIFY_STORAGE_ROCKS_EVENT_STORE_H_

// RocksEventStore: the EventStore on an embedded RocksDB, one column family
// per kind of key (keys.h). All writes of a commit go through one
// rocksdb::WriteBatch and one DB::Write (kvrocks' single write path is the
// model), so an event, its projection, its index and timer keys and its
// idempotency record are on disk together or not at all.
//
//   StoreOptions options;             // sync on, 256 MiB block cache, ...
//   ASSIGN_OR_RETURN(std::unique_ptr<RocksEventStore> store,
//                    RocksEventStore::Open("./data", options));
#ifndef RECTIFY_STORAGE_ROCKS_EVENT_STORE_H_
#define RECTIFY_STORAGE_ROCKS_EVENT_STORE_H_

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
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
  // How long idempotency records are kept. Default: 30 days.
  absl::Duration idempotency_retention = absl::Hours(24 * 30);
};

class RocksEventStore final : public EventStore {
 public:
  // Opens (or, with create_if_missing, creates) the store in `dir`.
  // Errors: FAILED_PRECONDITION when the directory is locked by another
  // process, is not a Rectify store, or was written by a newer schema;
  // NOT_FOUND when it does not exist and create_if_missing is off;
  // PERMISSION_DENIED when it cannot be read or written; INTERNAL otherwise.
  static absl::StatusOr<std::unique_ptr<RocksEventStore>> Open(const std::string& dir,
                                                               const StoreOptions& options);

  ~RocksEventStore() override;
  RocksEventStore(const RocksEventStore&) = delete;
  RocksEventStore& operator=(const RocksEventStore&) = delete;

  absl::StatusOr<CommitResult> Commit(CommitBatch batch) override;
  absl::StatusOr<v1::Case> GetCase(absl::string_view case_id) override;
  absl::StatusOr<std::string> GetProjection(v1::StreamKind kind,
                                            absl::string_view stream_id) override;
  absl::StatusOr<std::vector<v1::Event>> ReadStream(absl::string_view stream_id,
                                                    int64_t from_version, int limit) override;
  absl::StatusOr<std::vector<v1::Event>> ReadLog(uint64_t after_position, int limit) override;
  absl::StatusOr<std::vector<std::string>> ScanIndex(absl::string_view prefix,
                                                     absl::string_view start_after,
                                                     int limit) override;
  absl::StatusOr<std::vector<TimerKey>> DueTimers(absl::Time up_to, int limit) override;
  absl::StatusOr<std::optional<IdempotencyRecord>> GetIdempotencyRecord(
      absl::string_view principal_id, absl::string_view command_id) override;
  absl::StatusOr<std::string> LastStreamIdWithPrefix(v1::StreamKind kind,
                                                     absl::string_view prefix) override;
  uint64_t LastPosition() const override;

  // The store's identity (random, made when it was created).
  const std::string& store_id() const { return store_id_; }

  // The underlying database, for the admin tools (verify, backup).
  rocksdb::DB* db() const { return db_.get(); }

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
  };

  RocksEventStore(const StoreOptions& options, std::unique_ptr<rocksdb::DB> db,
                  std::vector<rocksdb::ColumnFamilyHandle*> handles, ColumnFamilies families);

  absl::Status LoadMeta(bool created);
  absl::Status LoadLastPosition();
  rocksdb::ColumnFamilyHandle* ProjectionFamily(v1::StreamKind kind) const;
  // The stored version and last hash of a stream, read from `snapshot`-less
  // current state (only the writer thread changes it).
  absl::Status ReadStreamHead(absl::string_view stream_id, int64_t* version,
                              std::string* last_hash);

  const StoreOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  const ColumnFamilies families_;
  std::string store_id_;
  // Serializes Commit calls; reads do not take it.
  absl::Mutex commit_mutex_;
  // The last committed position; written under commit_mutex_, read by anyone.
  std::atomic<uint64_t> last_position_{0};
};

}  // namespace rectify::storage

#endif  // RECTIFY_STORAGE_ROCKS_EVENT_STORE_H_

// Backup and restore of a RocksEventStore through RocksDB's BackupEngine, with
// a counting file system that reports the bytes copied (CopyProgress). Part of
// the RocksEventStore class; see rocks_event_store.h and docs/storage.md.
#include <atomic>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "rocksdb/env.h"
#include "rocksdb/file_system.h"
#include "rocksdb/utilities/backup_engine.h"
#include "storage/rocks_event_store.h"
#include "storage/rocks_support.h"

namespace rectify::storage {
namespace {

namespace fs = std::filesystem;

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

}  // namespace rectify::storage

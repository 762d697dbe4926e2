// Tests of RocksEventStore against a bad day on its disk: a write-ahead log
// damaged in its middle stops the open with a clear error naming the file (a
// torn tail still opens), and a nearly full disk refuses writes before
// RocksDB meets ENOSPC, keeps reads going and resumes by itself when space is
// freed. The full disk is an injected free-space probe (the store's
// StoreOptions::free_bytes_probe), so the test needs no mount.
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/rocks_event_store.h"
#include "tests/status_matchers.h"
#include "tests/temp_dir.h"

namespace rectify::storage {
namespace {

namespace fs = std::filesystem;
using ::rectify::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr uint64_t kMiB = uint64_t{1} << 20;

// One commit: event `version` of `stream`, with a title of `title_bytes`.
CommitBatch OneEvent(const std::string& stream, int64_t version, size_t title_bytes = 100) {
  v1::Event event;
  event.set_stream_id(stream);
  event.set_version(version);
  event.set_region_code("620722");
  event.set_command_id("cmd-" + std::to_string(version));
  event.mutable_case_reported()->set_case_id(stream);
  event.mutable_case_reported()->set_title(std::string(title_bytes, 'x'));
  StreamAppend append;
  append.stream_id = stream;
  append.expected_version = version - 1;
  append.events.push_back(std::move(event));
  v1::Case state;
  state.set_case_id(stream);
  state.set_version(version);
  append.projection = state.SerializeAsString();
  CommitBatch batch;
  batch.appends.push_back(std::move(append));
  return batch;
}

// The store's write-ahead log files (*.log), oldest first.
std::vector<fs::path> WalFiles(const std::string& dir) {
  std::vector<fs::path> logs;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".log") logs.push_back(entry.path());
  }
  std::sort(logs.begin(), logs.end());
  return logs;
}

class StoreFaultsTest : public ::testing::Test {
 protected:
  // Commits `count` one-event commits to a new store in `db` and closes it,
  // leaving them in its write-ahead log (a close does not flush). Returns the
  // newest WAL, which holds them.
  fs::path WriteCommitsAndClose(int count) {
    {
      auto store = RocksEventStore::Open(db_, StoreOptions());
      EXPECT_OK(store.status());
      if (!store.ok()) return {};
      for (int version = 1; version <= count; ++version) {
        EXPECT_OK((*store)->Commit(OneEvent("620722-2026-000001", version)).status());
      }
    }
    std::vector<fs::path> logs = WalFiles(db_);
    EXPECT_FALSE(logs.empty());
    return logs.empty() ? fs::path() : logs.back();
  }

  rectify::testing::TempDir dir_;
  const std::string db_ = dir_.Sub("db");
};

TEST_F(StoreFaultsTest, AByteFlippedInTheMiddleOfTheWalStopsTheOpenNamingTheFile) {
  const fs::path wal = WriteCommitsAndClose(20);
  ASSERT_FALSE(wal.empty());
  const uintmax_t size = fs::file_size(wal);
  // 20 records of about 400 bytes: the middle lies in record 10 or so, far
  // from the tail.
  ASSERT_GT(size, 4000u);
  {
    std::fstream file(wal, std::ios::in | std::ios::out | std::ios::binary);
    file.seekg(static_cast<std::streamoff>(size / 2));
    char byte = 0;
    file.read(&byte, 1);
    byte = static_cast<char>(byte ^ 0x5a);
    file.seekp(static_cast<std::streamoff>(size / 2));
    file.write(&byte, 1);
  }
  // RocksDB's default (point-in-time recovery) opened this store with the
  // first nine commits only, and the later acknowledged ones were lost.
  EXPECT_THAT(RocksEventStore::Open(db_, StoreOptions()),
              StatusIs(absl::StatusCode::kDataLoss,
                       AllOf(HasSubstr(wal.filename().string()), HasSubstr("backup"))));
}

TEST_F(StoreFaultsTest, ATornWalTailOpensWithEveryCompleteCommit) {
  const fs::path wal = WriteCommitsAndClose(20);
  ASSERT_FALSE(wal.empty());
  // A crash in the middle of writing the last record: its last bytes never
  // reached the disk. That commit was never acknowledged.
  fs::resize_file(wal, fs::file_size(wal) - 10);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<RocksEventStore> store,
                       RocksEventStore::Open(db_, StoreOptions()));
  EXPECT_EQ(store->LastPosition(), 19u);
  ASSERT_OK_AND_ASSIGN(v1::Case state, store->GetCase("620722-2026-000001"));
  EXPECT_EQ(state.version(), 19);
}

class DiskFullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StoreOptions options;
    options.min_free_bytes = 64 * kMiB;
    options.free_bytes_probe = [this](const std::string& dir) -> absl::StatusOr<uint64_t> {
      probed_dir_ = dir;
      return free_bytes_.load();
    };
    auto store = RocksEventStore::Open(db_, options);
    ASSERT_OK(store.status());
    store_ = std::move(store).value();
  }

  rectify::testing::TempDir dir_;
  const std::string db_ = dir_.Sub("db");
  std::atomic<uint64_t> free_bytes_{10 * 1024 * kMiB};
  std::string probed_dir_;
  std::unique_ptr<RocksEventStore> store_;
};

TEST_F(DiskFullTest, WritesAreRefusedBelowTheReserveAndResumeWhenSpaceIsFreed) {
  ASSERT_OK(store_->Commit(OneEvent("620722-2026-000001", 1)).status());
  EXPECT_EQ(probed_dir_, db_);

  // 65 MiB free: a 2 MiB event would leave less than the 64 MiB reserve
  // (it is counted twice: in the WAL and in an SST file at the flush).
  free_bytes_ = 65 * kMiB;
  EXPECT_THAT(store_->Commit(OneEvent("620722-2026-000001", 2, 2 * kMiB)),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       AllOf(HasSubstr("disk nearly full: 65 MiB free, need 69"),
                             HasSubstr(db_))));
  // 30 MiB free: even a small commit and evidence are refused.
  free_bytes_ = 30 * kMiB;
  EXPECT_THAT(store_->Commit(OneEvent("620722-2026-000001", 2)),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("disk nearly full: 30 MiB free, need 65")));
  const std::string sha(64, 'a');
  EXPECT_THAT(store_->PutEvidence(sha, std::string(1000, 'p')),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("disk nearly full")));

  // Nothing was written, and reads go on.
  EXPECT_EQ(store_->LastPosition(), 1u);
  ASSERT_OK_AND_ASSIGN(v1::Case state, store_->GetCase("620722-2026-000001"));
  EXPECT_EQ(state.version(), 1);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Event> events,
                       store_->ReadStream("620722-2026-000001", 1, 10));
  EXPECT_EQ(events.size(), 1u);
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> chunk, store_->ReadEvidenceChunk(sha, 0));
  EXPECT_FALSE(chunk.has_value());

  // Space freed: the next write goes through without a restart.
  free_bytes_ = 1024 * kMiB;
  ASSERT_OK(store_->Commit(OneEvent("620722-2026-000001", 2)).status());
  ASSERT_OK(store_->PutEvidence(sha, std::string(1000, 'p')));
  EXPECT_EQ(store_->LastPosition(), 2u);
}

TEST_F(DiskFullTest, AProbeThatFailsRefusesTheWrite) {
  StoreOptions options;
  options.free_bytes_probe = [](const std::string&) -> absl::StatusOr<uint64_t> {
    return absl::InternalError("statvfs failed");
  };
  store_.reset();
  ASSERT_OK_AND_ASSIGN(store_, RocksEventStore::Open(db_, options));
  EXPECT_THAT(store_->Commit(OneEvent("620722-2026-000001", 1)),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("statvfs failed")));
  EXPECT_EQ(store_->LastPosition(), 0u);
}

TEST_F(DiskFullTest, TheRealProbeReadsTheDataDirectorysFilesystem) {
  // With statvfs and an impossible reserve every write is refused, naming
  // the real free space.
  StoreOptions options;
  options.min_free_bytes = uint64_t{1} << 62;
  store_.reset();
  ASSERT_OK_AND_ASSIGN(store_, RocksEventStore::Open(db_, options));
  EXPECT_THAT(store_->Commit(OneEvent("620722-2026-000001", 1)),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("MiB free, need")));
}

}  // namespace
}  // namespace rectify::storage

// Online backup: a backup taken while another thread keeps committing
// restores into an empty directory, verifies clean, and holds every commit
// made before the backup started.
#include <atomic>
#include <thread>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "projection/verifier.h"
#include "storage/rocks_event_store.h"
#include "tests/projection/case_streams.h"
#include "tests/status_matchers.h"
#include "tests/temp_dir.h"

namespace rectify::projection {
namespace {

using ::rectify::testing::StatusIs;

TEST(BackupTest, BackupDuringConcurrentWritesRestoresAndVerifies) {
  rectify::testing::TempDir dir;
  auto opened = storage::RocksEventStore::Open(dir.Sub("db"), storage::StoreOptions());
  ASSERT_OK(opened.status());
  std::unique_ptr<storage::RocksEventStore> store = std::move(opened).value();

  // The writer thread is the only committer, as the pipeline's is.
  std::atomic<bool> stop{false};
  std::atomic<int> committed{0};
  absl::Status writer_status;
  std::thread writer([&] {
    for (int i = 1; !stop.load(); ++i) {
      storage::CommitBatch batch;
      for (int j = 0; j < 4; ++j) {
        batch.appends.push_back(rectify::testing::ReportedCaseAppend(
            "620722-2026-" + std::to_string(1000000 + i * 4 + j), "620722", "dust"));
      }
      rectify::testing::AddReportChanges(batch);
      absl::StatusOr<storage::CommitResult> result = store->Commit(std::move(batch));
      if (!result.ok()) {
        writer_status = result.status();
        return;
      }
      committed.store(i);
    }
  });
  // Let some commits land first; then back up three times while they go on.
  while (committed.load() < 20) std::this_thread::yield();
  storage::BackupResult last;
  for (int b = 0; b < 3; ++b) {
    ASSERT_OK_AND_ASSIGN(last, store->CreateBackup(dir.Sub("backup")));
    EXPECT_EQ(last.backup_id, static_cast<uint32_t>(b + 1));
  }
  const int committed_after_backup = committed.load();
  stop.store(true);
  writer.join();
  ASSERT_OK(writer_status);
  EXPECT_GT(last.last_position_at_least, 0u);

  ASSERT_OK(storage::RocksEventStore::RestoreLatestBackup(dir.Sub("backup"), dir.Sub("restored")));
  storage::StoreOptions options;
  options.create_if_missing = false;
  ASSERT_OK_AND_ASSIGN(auto restored,
                       storage::RocksEventStore::Open(dir.Sub("restored"), options));
  EXPECT_GE(restored->LastPosition(), last.last_position_at_least);
  EXPECT_LE(restored->LastPosition(), static_cast<uint64_t>(committed_after_backup + 1) * 4);
  EXPECT_NE(restored->store_id(), "");
  ASSERT_OK_AND_ASSIGN(VerifyReport report, VerifyStore(*restored, VerifyOptions()));
  EXPECT_TRUE(report.ok()) << ::testing::PrintToString(report.problems);
  EXPECT_EQ(static_cast<uint64_t>(report.events), restored->LastPosition());
  // The original still verifies, and a restore never lands on a store.
  ASSERT_OK_AND_ASSIGN(VerifyReport original, VerifyStore(*store, VerifyOptions()));
  EXPECT_TRUE(original.ok());
  EXPECT_THAT(storage::RocksEventStore::RestoreLatestBackup(dir.Sub("backup"), dir.Sub("db")),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

}  // namespace
}  // namespace rectify::projection

// Tests of RocksEventStore on a real RocksDB in a fresh temporary directory:
// commits and reads round-trip, versions are checked, positions stay gap-free
// across reopening, the hash chain links each event to the one before.
#include "storage/rocks_event_store.h"

#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/event_hash.h"
#include "tests/status_matchers.h"
#include "tests/temp_dir.h"

namespace rectify::storage {
namespace {

using ::rectify::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::SizeIs;

v1::Event MakeEvent(const std::string& stream, int64_t version, const std::string& title) {
  v1::Event event;
  event.set_stream_id(stream);
  event.set_stream_kind(v1::STREAM_KIND_CASE);
  event.set_version(version);
  event.set_region_code("620722");
  event.set_command_id("cmd-" + stream + "-" + std::to_string(version));
  event.mutable_case_reported()->set_case_id(stream);
  event.mutable_case_reported()->set_title(title);
  return event;
}

StreamAppend MakeAppend(const std::string& stream, int64_t expected_version, int count) {
  StreamAppend append;
  append.stream_id = stream;
  append.expected_version = expected_version;
  for (int i = 1; i <= count; ++i) {
    append.events.push_back(MakeEvent(stream, expected_version + i, "扬尘"));
  }
  v1::Case state;
  state.set_case_id(stream);
  state.set_version(expected_version + count);
  state.set_title("扬尘");
  append.projection = state.SerializeAsString();
  return append;
}

class RocksEventStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<RocksEventStore> OpenStore() {
    auto store = RocksEventStore::Open(dir_.Sub("db"), StoreOptions());
    EXPECT_OK(store.status());
    return store.ok() ? std::move(store).value() : nullptr;
  }
  rectify::testing::TempDir dir_;
};

TEST_F(RocksEventStoreTest, CommitThenReadEverythingBack) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  CommitBatch batch;
  batch.appends.push_back(MakeAppend("620722-2026-000001", 0, 2));
  batch.appends.back().index_puts = {"status/1/620722-2026-000001"};
  batch.appends.back().timer_puts = {
      TimerKey{absl::FromUnixSeconds(1000), "620722-2026-000001", "rect-1"}};
  batch.appends.push_back(MakeAppend("620722-2026-000002", 0, 1));
  batch.idempotency_records.push_back(
      IdempotencyRecord{"insp-zhang", "cmd-1", absl::FromUnixSeconds(500), "outcome-bytes"});
  ASSERT_OK_AND_ASSIGN(CommitResult result, store->Commit(std::move(batch)));
  ASSERT_THAT(result.events, SizeIs(3));
  EXPECT_EQ(result.events[0].position(), 1u);
  EXPECT_EQ(result.events[2].position(), 3u);
  EXPECT_EQ(result.last_position, 3u);

  ASSERT_OK_AND_ASSIGN(v1::Case state, store->GetCase("620722-2026-000001"));
  EXPECT_EQ(state.version(), 2);
  EXPECT_EQ(state.title(), "扬尘");
  EXPECT_THAT(store->GetCase("620722-2026-000009"), StatusIs(absl::StatusCode::kNotFound));

  ASSERT_OK_AND_ASSIGN(auto stream, store->ReadStream("620722-2026-000001", 1, 100));
  ASSERT_THAT(stream, SizeIs(2));
  EXPECT_EQ(stream[1].version(), 2);
  ASSERT_OK_AND_ASSIGN(auto from_two, store->ReadStream("620722-2026-000001", 2, 100));
  EXPECT_THAT(from_two, SizeIs(1));

  ASSERT_OK_AND_ASSIGN(auto log, store->ReadLog(1, 100));
  ASSERT_THAT(log, SizeIs(2));
  EXPECT_EQ(log[0].position(), 2u);
  EXPECT_EQ(log[1].stream_id(), "620722-2026-000002");

  ASSERT_OK_AND_ASSIGN(auto index, store->ScanIndex("status/1/", "", 10));
  EXPECT_THAT(index, ::testing::ElementsAre("status/1/620722-2026-000001"));
  ASSERT_OK_AND_ASSIGN(auto early, store->DueTimers(absl::FromUnixSeconds(999), 10));
  EXPECT_THAT(early, SizeIs(0));
  ASSERT_OK_AND_ASSIGN(auto due, store->DueTimers(absl::FromUnixSeconds(1000), 10));
  ASSERT_THAT(due, SizeIs(1));
  EXPECT_EQ(due[0].deadline_id, "rect-1");

  ASSERT_OK_AND_ASSIGN(auto record, store->GetIdempotencyRecord("insp-zhang", "cmd-1"));
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->outcome, "outcome-bytes");
  EXPECT_EQ(record->recorded_at, absl::FromUnixSeconds(500));
  ASSERT_OK_AND_ASSIGN(auto missing, store->GetIdempotencyRecord("insp-li", "cmd-1"));
  EXPECT_FALSE(missing.has_value());

  ASSERT_OK_AND_ASSIGN(std::string last,
                       store->LastStreamIdWithPrefix(v1::STREAM_KIND_CASE, "620722-2026-"));
  EXPECT_EQ(last, "620722-2026-000002");
  ASSERT_OK_AND_ASSIGN(std::string none,
                       store->LastStreamIdWithPrefix(v1::STREAM_KIND_CASE, "620723-2026-"));
  EXPECT_EQ(none, "");
}

TEST_F(RocksEventStoreTest, HashChainLinksEachEventToThePreviousOne) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  CommitBatch first;
  first.appends.push_back(MakeAppend("620722-2026-000001", 0, 2));
  ASSERT_OK(store->Commit(std::move(first)).status());
  CommitBatch second;
  second.appends.push_back(MakeAppend("620722-2026-000001", 2, 1));
  ASSERT_OK(store->Commit(std::move(second)).status());
  ASSERT_OK_AND_ASSIGN(auto stream, store->ReadStream("620722-2026-000001", 1, 10));
  ASSERT_THAT(stream, SizeIs(3));
  EXPECT_EQ(stream[0].prev_hash(), "");
  for (size_t i = 0; i < stream.size(); ++i) {
    EXPECT_THAT(stream[i].hash(), SizeIs(32));
    EXPECT_EQ(stream[i].hash(), ComputeEventHash(stream[i]));
    if (i > 0) {
      EXPECT_EQ(stream[i].prev_hash(), stream[i - 1].hash());
    }
  }
  v1::Event tampered = stream[1];
  tampered.mutable_case_reported()->set_title("改过");
  EXPECT_NE(ComputeEventHash(tampered), stream[1].hash());
}

TEST_F(RocksEventStoreTest, WrongExpectedVersionIsAbortedAndWritesNothing) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  CommitBatch first;
  first.appends.push_back(MakeAppend("620722-2026-000001", 0, 1));
  ASSERT_OK(store->Commit(std::move(first)).status());

  CommitBatch stale;
  stale.appends.push_back(MakeAppend("620722-2026-000002", 0, 1));  // fine on its own
  stale.appends.push_back(MakeAppend("620722-2026-000001", 0, 1));  // stale
  EXPECT_THAT(store->Commit(std::move(stale)),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("is at version 1, not 0")));
  EXPECT_THAT(store->GetCase("620722-2026-000002"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(store->LastPosition(), 1u);
}

TEST_F(RocksEventStoreTest, PositionsStayGapFreeAcrossReopening) {
  {
    auto store = OpenStore();
    ASSERT_NE(store, nullptr);
    CommitBatch batch;
    batch.appends.push_back(MakeAppend("620722-2026-000001", 0, 3));
    ASSERT_OK(store->Commit(std::move(batch)).status());
  }
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(store->LastPosition(), 3u);
  CommitBatch batch;
  batch.appends.push_back(MakeAppend("620722-2026-000001", 3, 1));
  ASSERT_OK_AND_ASSIGN(CommitResult result, store->Commit(std::move(batch)));
  EXPECT_EQ(result.events[0].position(), 4u);
  ASSERT_OK_AND_ASSIGN(auto log, store->ReadLog(0, 100));
  ASSERT_THAT(log, SizeIs(4));
  for (size_t i = 0; i < log.size(); ++i) EXPECT_EQ(log[i].position(), i + 1);
}

TEST_F(RocksEventStoreTest, RefusesADirectoryThatIsNotARectifyStore) {
  std::filesystem::create_directories(dir_.Sub("other"));
  std::ofstream(dir_.Sub("other/notes.txt")) << "not a database";
  EXPECT_THAT(RocksEventStore::Open(dir_.Sub("other"), StoreOptions()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not a Rectify store")));
}

TEST_F(RocksEventStoreTest, RefusesASecondOpenOfTheSameDirectory) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  EXPECT_THAT(RocksEventStore::Open(dir_.Sub("db"), StoreOptions()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("in use")));
}

}  // namespace
}  // namespace rectify::storage

// Tests of RocksEventStore on a real RocksDB in a fresh temporary directory:
// commits and reads round-trip, versions are checked, positions stay gap-free
// across reopening, the hash chain links each event to the one before,
// idempotency records expire after the retention window (by the injected
// clock, before and after compaction drops them).
#include "storage/rocks_event_store.h"

#include <fstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "base/simulated_clock.h"
#include "storage/event_hash.h"
#include "storage/keys.h"
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
    StoreOptions options;
    options.clock = &clock_;
    auto store = RocksEventStore::Open(dir_.Sub("db"), options);
    EXPECT_OK(store.status());
    return store.ok() ? std::move(store).value() : nullptr;
  }
  SimulatedClock clock_{absl::FromUnixSeconds(1772409600)};  // 2026-03-02
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
      IdempotencyRecord{"insp-zhang", "cmd-1", clock_.Now() - absl::Hours(1), "outcome-bytes"});
  ASSERT_OK_AND_ASSIGN(CommitResult result, store->Commit(std::move(batch)));
  ASSERT_THAT(result.events, SizeIs(3));
  EXPECT_EQ(result.events[0].position(), 1u);
  EXPECT_EQ(result.events[2].position(), 3u);
  EXPECT_EQ(result.last_position, 3u);

  ASSERT_OK_AND_ASSIGN(v1::Case state, store->GetCase("620722-2026-000001"));
  EXPECT_EQ(state.version(), 2);
  EXPECT_EQ(state.title(), "扬尘");
  EXPECT_THAT(store->GetCase("620722-2026-000009"), StatusIs(absl::StatusCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(std::vector<std::string> both,
                       store->GetCaseProjections({"620722-2026-000002", "620722-2026-000001"}));
  ASSERT_THAT(both, SizeIs(2));
  v1::Case second;
  ASSERT_TRUE(second.ParseFromString(both[0]));
  EXPECT_EQ(second.case_id(), "620722-2026-000002");
  v1::Case first;
  ASSERT_TRUE(first.ParseFromString(both[1]));
  EXPECT_EQ(first.version(), 2);
  EXPECT_THAT(store->GetCaseProjections({"620722-2026-000001", "620722-2026-000009"}),
              StatusIs(absl::StatusCode::kNotFound, ::testing::HasSubstr("620722-2026-000009")));

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
  EXPECT_EQ(record->recorded_at, clock_.Now() - absl::Hours(1));
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

TEST_F(RocksEventStoreTest, PagedReadsResumeWhereThePreviousPageEnded) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  CommitBatch batch;
  for (int i = 1; i <= 5; ++i) {
    const std::string id = "620722-2026-00000" + std::to_string(i);
    batch.appends.push_back(MakeAppend(id, 0, 1));
    batch.appends.back().index_puts = {"s/01/620722/" + id};
    batch.appends.back().timer_puts = {TimerKey{absl::FromUnixSeconds(100 * (6 - i)), id, "d"}};
  }
  batch.appends.push_back(MakeAppend("620722-2026-000001", 1, 4));
  ASSERT_OK(store->Commit(std::move(batch)).status());

  // A stream in pages of two.
  std::vector<int64_t> versions;
  for (int64_t from = 1;;) {
    ASSERT_OK_AND_ASSIGN(auto page, store->ReadStream("620722-2026-000001", from, 2));
    if (page.empty()) break;
    for (const v1::Event& event : page) versions.push_back(event.version());
    from = page.back().version() + 1;
  }
  EXPECT_THAT(versions, ::testing::ElementsAre(1, 2, 3, 4, 5));
  // Another stream's events never leak into this one.
  ASSERT_OK_AND_ASSIGN(auto other, store->ReadStream("620722-2026-000002", 1, 100));
  EXPECT_THAT(other, SizeIs(1));
  ASSERT_OK_AND_ASSIGN(auto none, store->ReadStream("620722-2026-00000", 1, 100));
  EXPECT_THAT(none, SizeIs(0));

  // The log in pages of three.
  std::vector<uint64_t> positions;
  for (uint64_t after = 0;;) {
    ASSERT_OK_AND_ASSIGN(auto page, store->ReadLog(after, 3));
    if (page.empty()) break;
    for (const v1::Event& event : page) positions.push_back(event.position());
    after = page.back().position();
  }
  EXPECT_THAT(positions, ::testing::ElementsAre(1, 2, 3, 4, 5, 6, 7, 8, 9));

  // The index in pages of two, resuming after the last key.
  std::vector<std::string> index;
  for (std::string after;;) {
    ASSERT_OK_AND_ASSIGN(auto page, store->ScanIndex("s/01/", after, 2));
    if (page.empty()) break;
    index.insert(index.end(), page.begin(), page.end());
    after = page.back();
  }
  EXPECT_THAT(index, SizeIs(5));
  EXPECT_TRUE(std::is_sorted(index.begin(), index.end()));
  ASSERT_OK_AND_ASSIGN(auto other_prefix, store->ScanIndex("s/02/", "", 10));
  EXPECT_THAT(other_prefix, SizeIs(0));

  // Timers earliest first, limited.
  ASSERT_OK_AND_ASSIGN(auto due, store->DueTimers(absl::FromUnixSeconds(300), 2));
  ASSERT_THAT(due, SizeIs(2));
  EXPECT_EQ(due[0].stream_id, "620722-2026-000005");
  EXPECT_EQ(due[0].due, absl::FromUnixSeconds(100));
  EXPECT_EQ(due[1].stream_id, "620722-2026-000004");
  ASSERT_OK_AND_ASSIGN(auto all_due, store->DueTimers(absl::FromUnixSeconds(300), 10));
  EXPECT_THAT(all_due, SizeIs(3));
}

TEST_F(RocksEventStoreTest, ListProjectionsAreKeptApartFromCases) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  CommitBatch batch;
  StreamAppend list;
  list.stream_id = "620722-L-2026-0001";
  list.kind = v1::STREAM_KIND_RECTIFICATION_LIST;
  v1::Event created = MakeEvent(list.stream_id, 1, "");
  created.set_stream_kind(v1::STREAM_KIND_RECTIFICATION_LIST);
  list.events.push_back(created);
  list.projection = "list-bytes";
  batch.appends.push_back(std::move(list));
  ASSERT_OK(store->Commit(std::move(batch)).status());
  ASSERT_OK_AND_ASSIGN(std::string bytes, store->GetProjection(
                                              v1::STREAM_KIND_RECTIFICATION_LIST,
                                              "620722-L-2026-0001"));
  EXPECT_EQ(bytes, "list-bytes");
  EXPECT_THAT(store->GetProjection(v1::STREAM_KIND_CASE, "620722-L-2026-0001"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("case")));
  EXPECT_THAT(store->GetCase("620722-L-2026-0001"), StatusIs(absl::StatusCode::kNotFound));
  ASSERT_OK_AND_ASSIGN(std::string last, store->LastStreamIdWithPrefix(
                                             v1::STREAM_KIND_RECTIFICATION_LIST, "620722-L-"));
  EXPECT_EQ(last, "620722-L-2026-0001");
}

TEST_F(RocksEventStoreTest, EventsThatDoNotFollowTheirAppendAreInvalid) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  CommitBatch batch;
  batch.appends.push_back(MakeAppend("620722-2026-000001", 0, 1));
  batch.appends.back().events[0].set_version(2);
  EXPECT_THAT(store->Commit(std::move(batch)), StatusIs(absl::StatusCode::kInvalidArgument));
  CommitBatch foreign;
  foreign.appends.push_back(MakeAppend("620722-2026-000001", 0, 1));
  foreign.appends.back().events[0].set_stream_id("620722-2026-000002");
  EXPECT_THAT(store->Commit(std::move(foreign)), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_EQ(store->LastPosition(), 0u);
  // Two appends to one stream in one batch chain on each other.
  CommitBatch twice;
  twice.appends.push_back(MakeAppend("620722-2026-000001", 0, 1));
  twice.appends.push_back(MakeAppend("620722-2026-000001", 1, 1));
  ASSERT_OK_AND_ASSIGN(CommitResult result, store->Commit(std::move(twice)));
  EXPECT_EQ(result.events[1].prev_hash(), result.events[0].hash());
  CommitBatch stale_second;
  stale_second.appends.push_back(MakeAppend("620722-2026-000001", 2, 1));
  stale_second.appends.push_back(MakeAppend("620722-2026-000001", 2, 1));
  EXPECT_THAT(store->Commit(std::move(stale_second)),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("is at version 3, not 2")));
}

class IdempotencyRetentionTest : public ::testing::Test {
 protected:
  std::unique_ptr<RocksEventStore> OpenStore() {
    StoreOptions options;
    options.clock = &clock_;
    auto store = RocksEventStore::Open(dir_.Sub("db"), options);
    EXPECT_OK(store.status());
    return store.ok() ? std::move(store).value() : nullptr;
  }
  // Whether the record is still on disk, whatever its age.
  static bool StoredRaw(RocksEventStore& store, const std::string& principal,
                        const std::string& command) {
    std::string value;
    return store.db()
        ->Get(rocksdb::ReadOptions(), store.FamilyForTesting(keys::kDedup),
              keys::DedupKey(principal, command), &value)
        .ok();
  }

  const absl::Time start_ = absl::FromUnixSeconds(1772409600);  // 2026-03-02
  SimulatedClock clock_{start_};
  rectify::testing::TempDir dir_;
};

TEST_F(IdempotencyRetentionTest, RecordsExpireAfterTheWindowAndCompactionDropsThem) {
  auto store = OpenStore();
  ASSERT_NE(store, nullptr);
  CommitBatch old_batch;
  old_batch.idempotency_records.push_back(
      IdempotencyRecord{"insp-zhang", "cmd-old", clock_.Now(), "old-outcome"});
  ASSERT_OK(store->Commit(std::move(old_batch)).status());

  clock_.Advance(absl::Hours(24 * 29));
  ASSERT_OK_AND_ASSIGN(auto kept, store->GetIdempotencyRecord("insp-zhang", "cmd-old"));
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->outcome, "old-outcome");

  CommitBatch new_batch;
  new_batch.idempotency_records.push_back(
      IdempotencyRecord{"insp-zhang", "cmd-new", clock_.Now(), "new-outcome"});
  ASSERT_OK(store->Commit(std::move(new_batch)).status());

  // Past the window: gone for the reader at once, though still on disk...
  clock_.Advance(absl::Hours(24 * 2));
  ASSERT_OK_AND_ASSIGN(auto expired, store->GetIdempotencyRecord("insp-zhang", "cmd-old"));
  EXPECT_FALSE(expired.has_value());
  EXPECT_TRUE(StoredRaw(*store, "insp-zhang", "cmd-old"));

  // ...and dropped from disk by the next compaction, which keeps the young one.
  ASSERT_TRUE(
      store->db()->Flush(rocksdb::FlushOptions(), store->FamilyForTesting(keys::kDedup)).ok());
  ASSERT_OK(store->CompactIdempotencyRecords());
  EXPECT_FALSE(StoredRaw(*store, "insp-zhang", "cmd-old"));
  EXPECT_TRUE(StoredRaw(*store, "insp-zhang", "cmd-new"));
  ASSERT_OK_AND_ASSIGN(auto young, store->GetIdempotencyRecord("insp-zhang", "cmd-new"));
  ASSERT_TRUE(young.has_value());
  EXPECT_EQ(young->outcome, "new-outcome");
}

TEST_F(IdempotencyRetentionTest, TheWindowIsAnOption) {
  StoreOptions options;
  options.clock = &clock_;
  options.idempotency_retention = absl::Hours(1);
  ASSERT_OK_AND_ASSIGN(auto store, RocksEventStore::Open(dir_.Sub("db"), options));
  CommitBatch batch;
  batch.idempotency_records.push_back(
      IdempotencyRecord{"insp-li", "cmd-1", clock_.Now(), "outcome"});
  ASSERT_OK(store->Commit(std::move(batch)).status());
  clock_.Advance(absl::Minutes(59));
  ASSERT_OK_AND_ASSIGN(auto kept, store->GetIdempotencyRecord("insp-li", "cmd-1"));
  EXPECT_TRUE(kept.has_value());
  clock_.Advance(absl::Minutes(2));
  ASSERT_OK_AND_ASSIGN(auto gone, store->GetIdempotencyRecord("insp-li", "cmd-1"));
  EXPECT_FALSE(gone.has_value());
}

}  // namespace
}  // namespace rectify::storage

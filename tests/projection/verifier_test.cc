// Tests of verify and rebuild on a real store: a healthy store verifies
// clean; each kind of damage (a changed event byte, a missing index key, an
// extra timer key, a broken hash link, a damaged log, a stale projection) is
// reported in words; rebuild repairs what the events can re-derive.
#include "projection/verifier.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/event_hash.h"
#include "storage/keys.h"
#include "tests/projection/case_streams.h"
#include "tests/status_matchers.h"
#include "tests/temp_dir.h"

namespace rectify::projection {
namespace {

using ::rectify::testing::ListAppend;
using ::rectify::testing::ReportedCaseAppend;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class VerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = storage::RocksEventStore::Open(dir_.Sub("db"), storage::StoreOptions());
    ASSERT_OK(store.status());
    store_ = std::move(store).value();
    storage::CommitBatch batch;
    batch.appends.push_back(ReportedCaseAppend("620722-2026-000001", "620722", "dust"));
    batch.appends.push_back(ReportedCaseAppend("620722-2026-000002", "620722100", "noise"));
    batch.appends.push_back(ListAppend("620722-L-2026-0001", 0, 2));
    rectify::testing::AddReportChanges(batch);
    ASSERT_OK(store_->Commit(std::move(batch)).status());
    storage::CommitBatch more;
    more.appends.push_back(ReportedCaseAppend("620723-2026-000001", "620723", "water"));
    more.appends.push_back(ListAppend("620722-L-2026-0001", 2, 1));
    rectify::testing::AddReportChanges(more);
    ASSERT_OK(store_->Commit(std::move(more)).status());
  }

  VerifyReport Verify() {
    auto report = VerifyStore(*store_, VerifyOptions());
    EXPECT_OK(report.status());
    return report.ok() ? *std::move(report) : VerifyReport();
  }

  rocksdb::ColumnFamilyHandle* Family(const char* name) {
    return store_->FamilyForTesting(name);
  }
  std::string RawEvent(const std::string& stream, int64_t version) {
    std::string value;
    EXPECT_TRUE(store_->db()
                    ->Get(rocksdb::ReadOptions(), Family(storage::keys::kEvents),
                          storage::keys::EventKey(stream, version), &value)
                    .ok());
    return value;
  }
  void PutRawEvent(const std::string& stream, int64_t version, const std::string& value) {
    ASSERT_TRUE(store_->db()
                    ->Put(rocksdb::WriteOptions(), Family(storage::keys::kEvents),
                          storage::keys::EventKey(stream, version), value)
                    .ok());
  }

  rectify::testing::TempDir dir_;
  std::unique_ptr<storage::RocksEventStore> store_;
};

TEST_F(VerifierTest, AHealthyStoreVerifiesClean) {
  const VerifyReport report = Verify();
  EXPECT_TRUE(report.ok());
  EXPECT_THAT(report.problems, IsEmpty());
  EXPECT_EQ(report.streams, 4);
  EXPECT_EQ(report.events, 6);
  EXPECT_EQ(report.list_streams_not_folded, 0);
}

TEST_F(VerifierTest, ChangedEventByteIsCaught) {
  std::string value = RawEvent("620722-2026-000001", 1);
  const size_t at = value.find("dust");
  ASSERT_NE(at, std::string::npos);
  value[at] = 'm';  // "must": still a valid event, but not the one committed
  PutRawEvent("620722-2026-000001", 1, value);
  const VerifyReport report = Verify();
  EXPECT_FALSE(report.ok());
  EXPECT_THAT(report.problems,
              Contains(AllOf(HasSubstr("event 620722-2026-000001#1"),
                             HasSubstr("hash does not match its content"))));
  // The stored projection still says "dust": it no longer matches the events.
  EXPECT_THAT(report.problems, Contains(AllOf(HasSubstr("case 620722-2026-000001"),
                                              HasSubstr("differs from its events"))));
}

TEST_F(VerifierTest, UnparsableEventIsCaught) {
  PutRawEvent("620722-2026-000002", 1, "\xff\xff\xff");
  const VerifyReport report = Verify();
  EXPECT_THAT(report.problems, Contains(HasSubstr("620722-2026-000002#1 cannot be parsed")));
}

TEST_F(VerifierTest, MissingIndexKeyIsCaught) {
  const std::string key = "r/620722100/620722-2026-000002";
  storage::Repair damage;
  damage.index_deletes.push_back(key);
  ASSERT_OK(store_->ApplyRepair(damage));
  const VerifyReport report = Verify();
  EXPECT_EQ(report.problem_count, 1);
  EXPECT_THAT(report.problems, Contains(AllOf(HasSubstr("index: missing key"), HasSubstr(key))));
}

TEST_F(VerifierTest, ExtraIndexKeyIsCaught) {
  storage::Repair damage;
  damage.index_puts.push_back("s/03/620722/620722-2026-000001");
  ASSERT_OK(store_->ApplyRepair(damage));
  const VerifyReport report = Verify();
  EXPECT_EQ(report.problem_count, 1);
  EXPECT_THAT(report.problems, Contains(HasSubstr("index: extra key")));
}

TEST_F(VerifierTest, ExtraTimerKeyIsCaught) {
  storage::Repair damage;
  damage.timer_puts.push_back(
      storage::TimerKey{absl::FromUnixSeconds(1780000000), "620722-2026-000001", "rect-1"});
  ASSERT_OK(store_->ApplyRepair(damage));
  const VerifyReport report = Verify();
  EXPECT_EQ(report.problem_count, 1);
  EXPECT_THAT(report.problems, Contains(AllOf(HasSubstr("620722-2026-000001 rect-1"),
                                              HasSubstr("extra"))));
}

TEST_F(VerifierTest, BrokenHashLinkIsCaught) {
  // Re-link the list's second event to a made-up predecessor and re-hash it,
  // so that the event is self-consistent but its link is broken.
  v1::Event event;
  ASSERT_TRUE(event.ParseFromString(RawEvent("620722-L-2026-0001", 2)));
  event.set_prev_hash(std::string(32, 'x'));
  event.set_hash(storage::ComputeEventHash(event));
  PutRawEvent("620722-L-2026-0001", 2, event.SerializeAsString());
  const VerifyReport report = Verify();
  EXPECT_THAT(report.problems, Contains(AllOf(HasSubstr("event 620722-L-2026-0001#2"),
                                              HasSubstr("broken hash link"))));
  EXPECT_THAT(report.problems,
              ::testing::Not(Contains(HasSubstr("hash does not match its content"))));
}

TEST_F(VerifierTest, BrokenLinkOfTheFirstEventIsCaught) {
  v1::Event event;
  ASSERT_TRUE(event.ParseFromString(RawEvent("620723-2026-000001", 1)));
  event.set_prev_hash(std::string(32, 'y'));
  event.set_hash(storage::ComputeEventHash(event));
  PutRawEvent("620723-2026-000001", 1, event.SerializeAsString());
  EXPECT_THAT(Verify().problems, Contains(AllOf(HasSubstr("event 620723-2026-000001#1"),
                                                HasSubstr("broken hash link"))));
}

TEST_F(VerifierTest, LogDamageIsCaught) {
  // Position 2 removed: a gap, and an event that is not in the log.
  ASSERT_TRUE(store_->db()
                  ->Delete(rocksdb::WriteOptions(), Family(storage::keys::kLog),
                           storage::keys::LogKey(2))
                  .ok());
  // Position 7 added, pointing at an event that has a place already.
  ASSERT_TRUE(store_->db()
                  ->Put(rocksdb::WriteOptions(), Family(storage::keys::kLog),
                        storage::keys::LogKey(7),
                        storage::keys::EventKey("620722-2026-000001", 1))
                  .ok());
  // Position 8 pointing nowhere.
  ASSERT_TRUE(store_->db()
                  ->Put(rocksdb::WriteOptions(), Family(storage::keys::kLog),
                        storage::keys::LogKey(8), storage::keys::EventKey("nobody", 1))
                  .ok());
  const VerifyReport report = Verify();
  EXPECT_THAT(report.problems, Contains(HasSubstr("log: positions 2 to 1 are missing")).Times(0));
  EXPECT_THAT(report.problems, Contains(HasSubstr("positions 2 to 2 are missing")));
  EXPECT_THAT(report.problems, Contains(HasSubstr("is not in the log (position 2")));
  EXPECT_THAT(report.problems, Contains(HasSubstr("an event is in the log twice")));
  EXPECT_THAT(report.problems,
              Contains(HasSubstr("log position 8 points at nobody#1, which does not exist")));
}

TEST_F(VerifierTest, ProblemsBeyondTheLimitAreCountedNotListed) {
  storage::Repair damage;
  for (int i = 0; i < 5; ++i) damage.index_puts.push_back("x/" + std::to_string(i));
  ASSERT_OK(store_->ApplyRepair(damage));
  VerifyOptions options;
  options.max_problems = 2;
  ASSERT_OK_AND_ASSIGN(VerifyReport report, VerifyStore(*store_, options));
  EXPECT_EQ(report.problem_count, 5);
  EXPECT_EQ(report.problems.size(), 2u);
}

TEST_F(VerifierTest, RebuildRepairsDerivedDataAndReportsTheRest) {
  storage::Repair damage;
  damage.projection_deletes.push_back({v1::STREAM_KIND_CASE, "620722-2026-000001", ""});
  v1::Case stale;
  stale.set_case_id("620722-2026-000002");
  stale.set_version(1);
  stale.set_title("stale");
  damage.projection_puts.push_back(
      {v1::STREAM_KIND_CASE, "620722-2026-000002", stale.SerializeAsString()});
  damage.projection_puts.push_back({v1::STREAM_KIND_CASE, "620799-2026-000001", "orphan"});
  damage.index_deletes.push_back("r/620723/620723-2026-000001");
  damage.index_puts.push_back("r/620799/620799-2026-000001");
  damage.timer_puts.push_back(
      storage::TimerKey{absl::FromUnixSeconds(1780000000), "620722-2026-000001", "rect-1"});
  ASSERT_OK(store_->ApplyRepair(damage));
  EXPECT_EQ(Verify().problem_count, 6);

  ASSERT_OK_AND_ASSIGN(RebuildReport rebuilt, RebuildStore(*store_));
  EXPECT_EQ(rebuilt.projections_written, 2);
  EXPECT_EQ(rebuilt.projections_deleted, 1);
  EXPECT_EQ(rebuilt.index_keys_added, 1);
  EXPECT_EQ(rebuilt.index_keys_removed, 1);
  EXPECT_EQ(rebuilt.timers_removed, 1);
  EXPECT_EQ(rebuilt.unrepairable_count, 0);
  const VerifyReport after = Verify();
  EXPECT_TRUE(after.ok()) << ::testing::PrintToString(after.problems);
  ASSERT_OK_AND_ASSIGN(v1::Case restored, store_->GetCase("620722-2026-000002"));
  EXPECT_EQ(restored.title(), "noise");
}

TEST_F(VerifierTest, ListProjectionsAndKeysAreRefoldedAndRebuilt) {
  storage::Repair damage;
  v1::RectificationList stale;
  stale.set_list_id("620722-L-2026-0001");
  stale.set_version(1);
  damage.projection_puts.push_back(
      {v1::STREAM_KIND_RECTIFICATION_LIST, "620722-L-2026-0001", stale.SerializeAsString()});
  const std::vector<std::string> keys = projection::ProjectListKeys([] {
    v1::RectificationList list;
    list.set_list_id("620722-L-2026-0001");
    list.set_version(3);
    list.set_region_code("620722");
    list.set_status(v1::LIST_STATUS_OPEN);
    return list;
  }());
  ASSERT_EQ(keys.size(), 2u);
  damage.index_deletes.push_back(keys[0]);
  ASSERT_OK(store_->ApplyRepair(damage));
  const VerifyReport report = Verify();
  EXPECT_EQ(report.problem_count, 2);
  EXPECT_THAT(report.problems,
              Contains(AllOf(HasSubstr("list 620722-L-2026-0001"), HasSubstr("differs"))));

  ASSERT_OK_AND_ASSIGN(RebuildReport rebuilt, RebuildStore(*store_));
  EXPECT_EQ(rebuilt.projections_written, 1);
  EXPECT_EQ(rebuilt.index_keys_added, 1);
  EXPECT_TRUE(Verify().ok());
  ASSERT_OK_AND_ASSIGN(std::string bytes,
                       store_->GetProjection(v1::STREAM_KIND_RECTIFICATION_LIST,
                                             "620722-L-2026-0001"));
  v1::RectificationList restored;
  ASSERT_TRUE(restored.ParseFromString(bytes));
  EXPECT_EQ(restored.items_size(), 2);
}

TEST_F(VerifierTest, RebuildCannotRepairAChangedEvent) {
  std::string value = RawEvent("620722-2026-000001", 1);
  value[value.find("dust")] = 'm';
  PutRawEvent("620722-2026-000001", 1, value);
  ASSERT_OK_AND_ASSIGN(RebuildReport rebuilt, RebuildStore(*store_));
  EXPECT_EQ(rebuilt.unrepairable_count, 1);
  EXPECT_THAT(rebuilt.unrepairable, Contains(HasSubstr("hash does not match")));
}

}  // namespace
}  // namespace rectify::projection

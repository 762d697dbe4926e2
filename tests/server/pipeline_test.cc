// Tests of the single-writer pipeline on a real RocksDB store with a
// simulated clock: case ids per county and year, idempotent command ids,
// expected versions, many concurrent reports in gap-free order.
#include "server/pipeline.h"

#include <atomic>
#include <map>
#include <optional>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/synchronization/blocking_counter.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "base/simulated_clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "projection/verifier.h"
#include "storage/forwarding_event_store.h"
#include "storage/rocks_event_store.h"
#include "tests/server/execute.h"
#include "tests/server/principals.h"
#include "tests/status_matchers.h"
#include "tests/temp_dir.h"

namespace rectify::server {
namespace {

using ::rectify::testing::Inspector;
using ::rectify::testing::Rectifier;
using ::rectify::testing::StatusIs;
using ::rectify::testing::Supervisor;
using ::testing::HasSubstr;
using ::testing::Not;

// 2026-03-02 09:00 in China (01:00 UTC).
const absl::Time kStart = absl::FromCivil(absl::CivilSecond(2026, 3, 2, 1, 0, 0), absl::UTCTimeZone());

v1::Command Report(const std::string& command_id, const std::string& title) {
  v1::Command command;
  command.set_command_id(command_id);
  v1::ReportCaseRequest& request = *command.mutable_report_case();
  request.set_command_id(command_id);
  request.set_title(title);
  request.set_category(v1::CATEGORY_WATER);
  request.set_severity(v1::SEVERITY_HIGH);
  request.set_source(v1::CASE_SOURCE_INSPECTION);
  request.mutable_location()->set_region_code("620722100");
  request.mutable_found_at()->set_seconds(absl::ToUnixSeconds(kStart - absl::Hours(1)));
  return command;
}

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::StoreOptions options;
    // Idempotency retention counts from the same (simulated) clock.
    options.clock = &clock_;
    auto store = storage::RocksEventStore::Open(dir_.Sub("db"), options);
    ASSERT_OK(store.status());
    store_ = std::move(store).value();
    pipeline_ = std::make_unique<CommandPipeline>(*store_, policy_, clock_);
    pipeline_->Start();
  }

  // Submits and waits for the outcome.
  absl::StatusOr<CommandOutcome> Execute(v1::Command command,
                                         v1::Principal principal = Inspector()) {
    return rectify::testing::Execute(*pipeline_, std::move(command), std::move(principal));
  }

  rectify::testing::TempDir dir_;
  SimulatedClock clock_{kStart};
  workflow::Policy policy_;
  std::unique_ptr<storage::RocksEventStore> store_;
  std::unique_ptr<CommandPipeline> pipeline_;
};

TEST_F(PipelineTest, ReportsGetCaseIdsPerCountyAndYear) {
  ASSERT_OK_AND_ASSIGN(CommandOutcome first, Execute(Report("c-1", "黑河支流排污")));
  EXPECT_EQ(first.state.case_id(), "620722-2026-000001");
  EXPECT_EQ(first.position, 1u);
  ASSERT_OK_AND_ASSIGN(CommandOutcome second, Execute(Report("c-2", "渗坑")));
  EXPECT_EQ(second.state.case_id(), "620722-2026-000002");
  ASSERT_OK_AND_ASSIGN(v1::Case stored, store_->GetCase("620722-2026-000002"));
  EXPECT_EQ(stored.title(), "渗坑");

  // New Year's Eve 2026 at 23:59 China time is still 2026; a minute later 2027.
  clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 12, 31, 15, 59, 0), absl::UTCTimeZone()));
  ASSERT_OK_AND_ASSIGN(CommandOutcome late, Execute(Report("c-3", "年末")));
  EXPECT_EQ(late.state.case_id(), "620722-2026-000003");
  clock_.Advance(absl::Minutes(1));
  ASSERT_OK_AND_ASSIGN(CommandOutcome next_year, Execute(Report("c-4", "新年")));
  EXPECT_EQ(next_year.state.case_id(), "620722-2027-000001");
}

TEST_F(PipelineTest, RepeatedCommandIdGetsTheOriginalOutcomeAndWritesOnce) {
  ASSERT_OK_AND_ASSIGN(CommandOutcome first, Execute(Report("tablet-1", "排污口")));
  clock_.Advance(absl::Hours(3));
  ASSERT_OK_AND_ASSIGN(CommandOutcome again, Execute(Report("tablet-1", "排污口")));
  EXPECT_EQ(again.state.case_id(), first.state.case_id());
  EXPECT_EQ(again.position, first.position);
  EXPECT_EQ(again.state.SerializeAsString(), first.state.SerializeAsString());
  EXPECT_EQ(store_->LastPosition(), 1u);

  // Another principal may use the same command id for its own command.
  v1::Principal other = Inspector();
  other.set_principal_id("insp-li");
  ASSERT_OK_AND_ASSIGN(CommandOutcome theirs, Execute(Report("tablet-1", "排污口"), other));
  EXPECT_EQ(theirs.state.case_id(), "620722-2026-000002");

  EXPECT_THAT(Execute(Report("tablet-1", "别的问题")),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("different command")));
}

TEST_F(PipelineTest, RefusalsWriteNothing) {
  v1::Command bad = Report("c-1", "");
  EXPECT_THAT(Execute(bad), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("title")));
  v1::Command stale = Report("c-2", "x");
  stale.set_expected_version(3);
  EXPECT_THAT(Execute(stale), StatusIs(absl::StatusCode::kAborted, HasSubstr("version 0")));
  v1::Principal rectifier = Inspector();
  rectifier.set_role(v1::ROLE_RECTIFIER);
  EXPECT_THAT(Execute(Report("c-3", "x"), rectifier),
              StatusIs(absl::StatusCode::kPermissionDenied));
  v1::Command unknown_case;
  unknown_case.set_command_id("c-4");
  unknown_case.set_stream_id("620722-2026-000404");
  unknown_case.mutable_start_rectification()->set_case_id("620722-2026-000404");
  EXPECT_THAT(Execute(unknown_case), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_EQ(store_->LastPosition(), 0u);
  // The refused report did not use up a case number.
  ASSERT_OK_AND_ASSIGN(CommandOutcome first, Execute(Report("c-5", "x")));
  EXPECT_EQ(first.state.case_id(), "620722-2026-000001");
}

// Issue 11: a region code of full-width digits is refused naming
// location.region_code (it used to be refused as a bad stream_id, since the
// case id is made from it), and uses no case number.
TEST_F(PipelineTest, FullWidthRegionCodeIsRefusedNamingRegionCode) {
  v1::Command full_width = Report("c-1", "排污口");
  full_width.mutable_report_case()->mutable_location()->set_region_code("６２０７２２");
  EXPECT_THAT(Execute(full_width),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       ::testing::AllOf(HasSubstr("location.region_code"), HasSubstr("６２０７２２"),
                                        HasSubstr("full-width"))));
  EXPECT_EQ(store_->LastPosition(), 0u);
  ASSERT_OK_AND_ASSIGN(CommandOutcome first, Execute(Report("c-2", "排污口")));
  EXPECT_EQ(first.state.case_id(), "620722-2026-000001");
}

TEST_F(PipelineTest, ConcurrentReportsGetDistinctIdsAndGapFreePositions) {
  constexpr int kThreads = 8;
  constexpr int kPerThread = 25;
  std::vector<std::thread> threads;
  std::vector<std::vector<CommandOutcome>> outcomes(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        auto outcome = Execute(Report(absl::StrCat("t", t, "-", i), "并发"));
        ASSERT_OK(outcome.status());
        outcomes[t].push_back(*outcome);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<std::string> ids;
  std::set<uint64_t> positions;
  for (const auto& list : outcomes) {
    for (const CommandOutcome& outcome : list) {
      ids.insert(outcome.state.case_id());
      positions.insert(outcome.position);
    }
  }
  EXPECT_EQ(ids.size(), size_t{kThreads * kPerThread});
  EXPECT_EQ(*ids.rbegin(), "620722-2026-000200");
  EXPECT_EQ(positions.size(), size_t{kThreads * kPerThread});
  EXPECT_EQ(*positions.begin(), 1u);
  EXPECT_EQ(*positions.rbegin(), uint64_t{kThreads * kPerThread});
}

// A store whose commits wait until the test lets them through, one by one,
// so that commands can be queued while a batch is being committed.
class GatedStore : public storage::ForwardingEventStore {
 public:
  using ForwardingEventStore::ForwardingEventStore;
  absl::StatusOr<storage::CommitResult> Commit(storage::CommitBatch batch) override {
    {
      absl::MutexLock lock(&mutex_);
      ++entered_;
      mutex_.Await(absl::Condition(
          +[](GatedStore* self) ABSL_EXCLUSIVE_LOCKS_REQUIRED(self->mutex_) {
            return self->allowed_ >= self->entered_;
          },
          this));
    }
    return ForwardingEventStore::Commit(std::move(batch));
  }
  // Waits until commit number `n` (from 1) is waiting at the gate.
  void AwaitCommit(int n) {
    absl::MutexLock lock(&mutex_);
    awaited_ = n;
    mutex_.Await(absl::Condition(this, &GatedStore::Reached));
  }
  // Lets the first `n` commits through.
  void Allow(int n) {
    absl::MutexLock lock(&mutex_);
    allowed_ = n;
  }

 private:
  bool Reached() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex_) { return entered_ >= awaited_; }

  absl::Mutex mutex_;
  int entered_ ABSL_GUARDED_BY(mutex_) = 0;
  int allowed_ ABSL_GUARDED_BY(mutex_) = 0;
  int awaited_ ABSL_GUARDED_BY(mutex_) = 0;
};

// Issue 20: while commands wait, a batch's callbacks run on the completion
// thread as the writer decides the next batch; they still run in the order
// of the commands, across batches, each after its commit.
TEST_F(PipelineTest, CallbacksRunInCommandOrderAndAfterTheirCommit) {
  pipeline_->Stop();
  GatedStore gated(*store_);
  pipeline_ = std::make_unique<CommandPipeline>(gated, policy_, clock_);
  pipeline_->Start();
  constexpr int kWaves = 4;
  constexpr int kPerWave = 50;
  constexpr int kCommands = kWaves * kPerWave;
  struct Answers {
    absl::Mutex mutex;
    std::vector<uint64_t> positions;         // in the order the callbacks ran
    std::vector<uint64_t> stored_positions;  // the store's last position then
    std::vector<std::string> failures;
    bool all() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mutex) {
      return positions.size() + failures.size() == size_t{kCommands};
    }
  } answers;
  auto submit = [&](int i) {
    pipeline_->Submit(Report(absl::StrCat("o-", i), "顺序"), Inspector(),
                      [&](absl::StatusOr<CommandOutcome> outcome) {
                        absl::MutexLock lock(&answers.mutex);
                        if (!outcome.ok()) {
                          answers.failures.push_back(outcome.status().ToString());
                          return;
                        }
                        answers.positions.push_back(outcome->position);
                        answers.stored_positions.push_back(store_->LastPosition());
                      });
  };
  // Wave w is queued while the commit of the batch before it waits at the
  // gate, so each batch ends with the next one's commands waiting.
  submit(0);
  for (int wave = 0; wave < kWaves; ++wave) {
    gated.AwaitCommit(wave + 1);
    const int first = wave == 0 ? 1 : wave * kPerWave;
    for (int i = first; i < (wave + 1) * kPerWave; ++i) submit(i);
    gated.Allow(wave + 1);
  }
  gated.Allow(kCommands);
  bool answered = false;
  {
    absl::MutexLock lock(&answers.mutex);
    answered =
        answers.mutex.AwaitWithTimeout(absl::Condition(&answers, &Answers::all), absl::Seconds(60));
  }
  pipeline_.reset();  // every callback has run when it returns; before `gated`
  absl::MutexLock lock(&answers.mutex);
  ASSERT_TRUE(answered) << answers.positions.size() << " of " << kCommands << " answered";
  EXPECT_THAT(answers.failures, ::testing::IsEmpty());
  ASSERT_EQ(answers.positions.size(), size_t{kCommands});
  for (int i = 0; i < kCommands; ++i) {
    // Submitted in this order from one thread: the i-th report's one event.
    EXPECT_EQ(answers.positions[i], uint64_t(i + 1)) << "callback " << i;
    EXPECT_GE(answers.stored_positions[i], answers.positions[i])
        << "callback " << i << " ran before its commit";
  }
}

TEST_F(PipelineTest, ReplyPositionIsTheCommandsOwnLastEventWhenStreamsInterleave) {
  // Two cases in RECTIFYING, then progress reports on both from several
  // threads, so that batches interleave the two streams.
  v1::Principal supervisor = Inspector();
  supervisor.set_principal_id("sup-wang");
  supervisor.set_role(v1::ROLE_SUPERVISOR);
  v1::Principal rectifier = Inspector();
  rectifier.set_principal_id("rect-hongshui");
  rectifier.set_role(v1::ROLE_RECTIFIER);
  rectifier.set_unit_id("minle-hongshui-town");
  std::vector<std::string> ids;
  for (int c = 0; c < 2; ++c) {
    ASSERT_OK_AND_ASSIGN(CommandOutcome reported, Execute(Report(absl::StrCat("r", c), "排污")));
    const std::string id = reported.state.case_id();
    ids.push_back(id);
    v1::Command assign;
    assign.set_command_id(absl::StrCat("a", c));
    assign.set_stream_id(id);
    assign.mutable_assign_case()->set_command_id(assign.command_id());
    assign.mutable_assign_case()->set_case_id(id);
    assign.mutable_assign_case()->set_responsible_unit("minle-hongshui-town");
    assign.mutable_assign_case()->set_requirements("整改");
    ASSERT_OK(Execute(assign, supervisor).status());
    v1::Command start;
    start.set_command_id(absl::StrCat("s", c));
    start.set_stream_id(id);
    start.mutable_start_rectification()->set_command_id(start.command_id());
    start.mutable_start_rectification()->set_case_id(id);
    ASSERT_OK(Execute(start, rectifier).status());
  }
  constexpr int kThreads = 6;
  constexpr int kPerThread = 20;
  std::vector<std::thread> threads;
  absl::Mutex mutex;
  std::map<std::string, uint64_t> replied;  // command id -> reply position
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string& id = ids[(t + i) % 2];
        v1::Command progress;
        progress.set_command_id(absl::StrCat("p", t, "-", i));
        progress.set_stream_id(id);
        progress.mutable_report_progress()->set_command_id(progress.command_id());
        progress.mutable_report_progress()->set_case_id(id);
        progress.mutable_report_progress()->set_text("进展");
        absl::StatusOr<CommandOutcome> outcome = Execute(progress, rectifier);
        ASSERT_OK(outcome.status());
        absl::MutexLock lock(&mutex);
        replied[progress.command_id()] = outcome->position;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_EQ(replied.size(), size_t{kThreads * kPerThread});
  std::map<std::string, uint64_t> stored;  // command id -> its event's position
  for (const std::string& id : ids) {
    ASSERT_OK_AND_ASSIGN(std::vector<v1::Event> events, store_->ReadStream(id, 1, 1000));
    for (const v1::Event& event : events) stored[event.command_id()] = event.position();
  }
  for (const auto& [command_id, position] : replied) {
    EXPECT_EQ(position, stored[command_id]) << command_id;
  }
}

v1::Command Assign(const std::string& command_id, const std::string& case_id,
                   const std::string& unit) {
  v1::Command command;
  command.set_command_id(command_id);
  command.set_stream_id(case_id);
  command.mutable_assign_case()->set_command_id(command_id);
  command.mutable_assign_case()->set_case_id(case_id);
  command.mutable_assign_case()->set_responsible_unit(unit);
  command.mutable_assign_case()->set_requirements("整改");
  return command;
}

v1::Command Start(const std::string& command_id, const std::string& case_id) {
  v1::Command command;
  command.set_command_id(command_id);
  command.set_stream_id(case_id);
  command.mutable_start_rectification()->set_command_id(command_id);
  command.mutable_start_rectification()->set_case_id(case_id);
  return command;
}

v1::Command Progress(const std::string& command_id, const std::string& case_id,
                     const std::string& text) {
  v1::Command command;
  command.set_command_id(command_id);
  command.set_stream_id(case_id);
  command.mutable_report_progress()->set_command_id(command_id);
  command.mutable_report_progress()->set_case_id(case_id);
  command.mutable_report_progress()->set_text(text);
  return command;
}

TEST_F(PipelineTest, RepeatedCommandIdInOneBatchIsComparedByFingerprint) {
  // A writer held after its first commit, so that everything submitted
  // meanwhile is decided in one batch.
  pipeline_->Stop();
  pipeline_ = std::make_unique<CommandPipeline>(*store_, policy_, clock_);
  absl::Notification first_committed;
  absl::Notification release;
  std::atomic<bool> held{false};
  pipeline_->SetCommitListener([&](uint64_t) {
    if (held.exchange(true)) return;
    first_committed.Notify();
    release.WaitForNotification();
  });
  pipeline_->Start();
  absl::Notification hold_done;
  pipeline_->Submit(Report("hold", "先提交"), Inspector(),
                    [&](absl::StatusOr<CommandOutcome>) { hold_done.Notify(); });
  first_committed.WaitForNotification();

  // 40 pairs of different commands under one id and 10 pairs of the same
  // command, each pair's two halves sent at once from two threads.
  constexpr int kDifferentPairs = 40;
  constexpr int kSamePairs = 10;
  absl::Mutex mutex;
  // (pair, half) -> outcome
  std::map<std::pair<int, int>, absl::StatusOr<CommandOutcome>> outcomes;
  absl::BlockingCounter answered(2 * (kDifferentPairs + kSamePairs));
  std::vector<std::thread> halves;
  for (int half = 0; half < 2; ++half) {
    halves.emplace_back([&, half] {
      for (int pair = 0; pair < kDifferentPairs + kSamePairs; ++pair) {
        const bool same = pair >= kDifferentPairs;
        const std::string title =
            same ? absl::StrCat("同一问题", pair) : absl::StrCat(half == 0 ? "甲" : "乙", pair);
        pipeline_->Submit(Report(absl::StrCat("pair-", pair), title), Inspector(),
                          [&, pair, half](absl::StatusOr<CommandOutcome> outcome) {
                            absl::MutexLock lock(&mutex);
                            outcomes.emplace(std::make_pair(pair, half), std::move(outcome));
                            answered.DecrementCount();
                          });
      }
    });
  }
  for (std::thread& thread : halves) thread.join();
  release.Notify();
  answered.Wait();
  hold_done.WaitForNotification();

  for (int pair = 0; pair < kDifferentPairs; ++pair) {
    const absl::StatusOr<CommandOutcome>& a = outcomes.at({pair, 0});
    const absl::StatusOr<CommandOutcome>& b = outcomes.at({pair, 1});
    ASSERT_NE(a.ok(), b.ok()) << "pair " << pair << ": exactly one of two different commands "
                              << "under one id is executed";
    const absl::StatusOr<CommandOutcome>& refused = a.ok() ? b : a;
    EXPECT_THAT(refused, StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("different command")));
    const CommandOutcome& done = a.ok() ? *a : *b;
    ASSERT_OK_AND_ASSIGN(v1::Case stored, store_->GetCase(done.state.case_id()));
    EXPECT_EQ(stored.title(), absl::StrCat(a.ok() ? "甲" : "乙", pair));
  }
  for (int pair = kDifferentPairs; pair < kDifferentPairs + kSamePairs; ++pair) {
    ASSERT_OK_AND_ASSIGN(CommandOutcome a, outcomes.at({pair, 0}));
    ASSERT_OK_AND_ASSIGN(CommandOutcome b, outcomes.at({pair, 1}));
    EXPECT_EQ(a.state.case_id(), b.state.case_id());
    EXPECT_EQ(a.position, b.position);
  }
  // One case for the held command and one per pair: 51 events in all.
  EXPECT_EQ(store_->LastPosition(), uint64_t{1 + kDifferentPairs + kSamePairs});
}

TEST_F(PipelineTest, TheRecordHoldsNoCaseAndARetryGetsTheCaseAsTheCommandLeftIt) {
  ASSERT_OK_AND_ASSIGN(CommandOutcome reported, Execute(Report("c-1", "黑河排污口")));
  const std::string id = reported.state.case_id();
  ASSERT_OK(Execute(Assign("a-1", id, "minle-hongshui-town"), Supervisor()).status());
  const uint64_t last_position = store_->LastPosition();

  // fingerprint 32 + position 8 + format 1 + kind 1 + version 8 + the id.
  ASSERT_OK_AND_ASSIGN(std::optional<storage::IdempotencyRecord> record,
                       store_->GetIdempotencyRecord("insp-zhang", "c-1"));
  ASSERT_TRUE(record.has_value());
  EXPECT_EQ(record->outcome.size(), 32u + 8 + 1 + 1 + 8 + id.size());

  // The case moved on since; the retry answers the case at version 1.
  ASSERT_OK_AND_ASSIGN(CommandOutcome again, Execute(Report("c-1", "黑河排污口")));
  EXPECT_EQ(again.position, 1u);
  EXPECT_EQ(again.state.version(), 1);
  EXPECT_EQ(again.state.status(), v1::CASE_STATUS_FOUND);
  EXPECT_EQ(again.state.SerializeAsString(), reported.state.SerializeAsString());
  // The assignment's retry: the case as it is now, from the projection.
  ASSERT_OK_AND_ASSIGN(CommandOutcome assigned_again,
                       Execute(Assign("a-1", id, "minle-hongshui-town"), Supervisor()));
  ASSERT_OK_AND_ASSIGN(v1::Case stored, store_->GetCase(id));
  EXPECT_EQ(assigned_again.state.SerializeAsString(), stored.SerializeAsString());
  EXPECT_EQ(store_->LastPosition(), last_position) << "a retry wrote something";
}

TEST_F(PipelineTest, ARecordOfTheOldFormatStillAnswersItsRetry) {
  ASSERT_OK_AND_ASSIGN(CommandOutcome reported, Execute(Report("c-1", "渗坑")));
  // A record as binaries before this format wrote it: the whole case.
  CommandOutcome old;
  old.state = reported.state;
  old.state.set_title("旧格式的记录");
  old.position = 1;
  v1::Command original = Report("old-1", "渗坑");
  storage::CommitBatch batch;
  batch.idempotency_records.push_back(storage::IdempotencyRecord{
      "insp-zhang", "old-1", clock_.Now(),
      EncodeLegacyOutcome(CommandFingerprint(original), old)});
  ASSERT_OK(store_->Commit(std::move(batch)).status());

  ASSERT_OK_AND_ASSIGN(CommandOutcome replayed, Execute(original));
  EXPECT_EQ(replayed.state.title(), "旧格式的记录");
  EXPECT_EQ(replayed.position, 1u);
  EXPECT_THAT(Execute(Report("old-1", "别的")),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("different command")));
  EXPECT_EQ(store_->LastPosition(), 1u);
}

TEST_F(PipelineTest, ARetryIsAnsweredOnlyWhileTheCallerMayStillReadTheCase) {
  ASSERT_OK_AND_ASSIGN(CommandOutcome reported, Execute(Report("c-1", "渗坑")));
  const std::string id = reported.state.case_id();
  const v1::Principal hongshui = Rectifier("rect-hongshui", "minle-hongshui-town");
  ASSERT_OK(Execute(Assign("a-1", id, "minle-hongshui-town"), Supervisor()).status());
  ASSERT_OK(Execute(Start("s-1", id), hongshui).status());
  ASSERT_OK(Execute(Progress("p-1", id, "已清运"), hongshui).status());
  ASSERT_OK(Execute(Progress("p-1", id, "已清运"), hongshui).status()) << "a plain retry";
  const uint64_t last_position = store_->LastPosition();

  // The same principal moved to another unit (the principals file changed):
  // its retry no longer shows the case it may not read today.
  const v1::Principal moved = Rectifier("rect-hongshui", "minle-sanbao-town");
  EXPECT_THAT(Execute(Progress("p-1", id, "已清运"), moved),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("does not exist or is not visible")));
  EXPECT_EQ(store_->LastPosition(), last_position);
}

TEST_F(PipelineTest, ACommandOnACaseTheCallerMayNotReadAnswersAsAMissingCase) {
  ASSERT_OK_AND_ASSIGN(CommandOutcome reported, Execute(Report("c-1", "渗坑")));
  const std::string id = reported.state.case_id();
  ASSERT_OK(Execute(Assign("a-1", id, "minle-hongshui-town"), Supervisor()).status());
  const uint64_t last_position = store_->LastPosition();
  // A rectifier of another unit of the county, with a version and without.
  const v1::Principal sanbao = Rectifier("rect-sanbao", "minle-sanbao-town");
  v1::Command start = Start("s-1", id);
  start.set_expected_version(7);
  absl::StatusOr<CommandOutcome> existing = Execute(start, sanbao);
  const std::string missing_id = "620722-2026-000099";
  v1::Command start_missing = Start("s-2", missing_id);
  start_missing.set_expected_version(7);
  absl::StatusOr<CommandOutcome> missing = Execute(start_missing, sanbao);
  ASSERT_THAT(existing, StatusIs(absl::StatusCode::kNotFound));
  ASSERT_THAT(missing, StatusIs(absl::StatusCode::kNotFound));
  // The same words but for the id: nothing of the version, status or unit.
  EXPECT_EQ(absl::StrReplaceAll(existing.status().message(), {{id, "ID"}}),
            absl::StrReplaceAll(missing.status().message(), {{missing_id, "ID"}}));
  EXPECT_THAT(existing.status().message(), Not(HasSubstr("version")));
  EXPECT_THAT(Execute(Start("s-3", id), sanbao),
              StatusIs(absl::StatusCode::kNotFound, Not(HasSubstr("hongshui"))));
  EXPECT_EQ(store_->LastPosition(), last_position);
}

// The store as the writer sees it: counts case reads, and fails the next
// commit when told to (an injected fault: nothing is written).
class WatchedStore : public storage::ForwardingEventStore {
 public:
  using ForwardingEventStore::ForwardingEventStore;
  absl::StatusOr<v1::Case> GetCase(absl::string_view case_id) override {
    ++case_reads;
    return ForwardingEventStore::GetCase(case_id);
  }
  absl::StatusOr<storage::CommitResult> Commit(storage::CommitBatch batch) override {
    if (fail_next_commit.exchange(false)) return absl::UnavailableError("injected: disk gone");
    return ForwardingEventStore::Commit(std::move(batch));
  }
  std::atomic<int> case_reads{0};
  std::atomic<bool> fail_next_commit{false};
};

// Issue 20: the writer keeps the cases its commits wrote (server/case_cache.h)
// and decides the next command on a case without reading it from the store;
// a failed commit leaves nothing of its batch in the cache.
TEST_F(PipelineTest, TheWriterDecidesFromTheCasesItCommittedAndNeverFromAFailedBatch) {
  pipeline_->Stop();
  WatchedStore watched(*store_);
  pipeline_ = std::make_unique<CommandPipeline>(watched, policy_, clock_);
  pipeline_->Start();
  const v1::Principal rectifier =
      rectify::testing::Rectifier("rect-hongshui", "minle-hongshui-town");

  ASSERT_OK_AND_ASSIGN(CommandOutcome reported, Execute(Report("c-1", "黑河排污口")));
  const std::string id = reported.state.case_id();
  // The report looked its new id up once (NOT_FOUND); the assignment and the
  // start are decided on the states the commits before them left, unread.
  EXPECT_EQ(watched.case_reads.load(), 1);
  ASSERT_OK_AND_ASSIGN(CommandOutcome assigned,
                       Execute(Assign("a-1", id, "minle-hongshui-town"), Supervisor()));
  EXPECT_EQ(assigned.state.status(), v1::CASE_STATUS_ASSIGNED);
  ASSERT_OK(Execute(Start("s-1", id), rectifier).status());
  EXPECT_EQ(watched.case_reads.load(), 1);

  // A progress report whose commit fails: the store keeps the case as the
  // start left it, and so must the writer. Decided on the failed batch's
  // state, the retry would be a second progress report at the next version.
  ASSERT_OK_AND_ASSIGN(v1::Case before, store_->GetCase(id));
  const uint64_t last_position = store_->LastPosition();
  watched.fail_next_commit = true;
  EXPECT_THAT(Execute(Progress("p-1", id, "已清理"), rectifier),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("injected")));
  EXPECT_EQ(store_->LastPosition(), last_position);
  ASSERT_OK_AND_ASSIGN(CommandOutcome progressed,
                       Execute(Progress("p-1", id, "已清理"), rectifier));
  // The failed batch's case left the cache: the retry read it from the store.
  EXPECT_EQ(watched.case_reads.load(), 2);
  EXPECT_EQ(progressed.state.version(), before.version() + 1);
  EXPECT_EQ(progressed.position, last_position + 1);
  ASSERT_OK_AND_ASSIGN(v1::Case stored, store_->GetCase(id));
  EXPECT_EQ(stored.SerializeAsString(), progressed.state.SerializeAsString());
  // One more, decided on the cached state and its cached index and timer
  // keys: the store's keys are still exactly those its projections call for.
  ASSERT_OK(Execute(Progress("p-2", id, "已完成"), rectifier).status());
  EXPECT_EQ(watched.case_reads.load(), 2);
  absl::StatusOr<projection::VerifyReport> verified =
      projection::VerifyStore(*store_, projection::VerifyOptions());
  ASSERT_OK(verified.status());
  EXPECT_TRUE(verified->ok()) << verified->problems.front();
  pipeline_.reset();  // before `watched`
}

TEST_F(PipelineTest, StoppedPipelineAnswersUnavailable) {
  pipeline_->Stop();
  EXPECT_THAT(Execute(Report("c-1", "x")), StatusIs(absl::StatusCode::kUnavailable));
}

}  // namespace
}  // namespace rectify::server

// Tests of the deadline scheduler on a real RocksDB store and the real
// pipeline, with a simulated clock: a missed rectification deadline fires
// once, never again (also after a restart), and one that falls due while the
// server is down fires at the first pass after start.
#include "server/deadline_scheduler.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "base/simulated_clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "storage/rocks_event_store.h"
#include "tests/server/execute.h"
#include "tests/server/principals.h"
#include "tests/status_matchers.h"
#include "tests/temp_dir.h"
#include "workflow/policy.h"

namespace rectify::server {
namespace {

using ::rectify::testing::Inspector;
using ::rectify::testing::Supervisor;

// 2026-03-02 09:00 in China (01:00 UTC), a Monday.
const absl::Time kStart =
    absl::FromCivil(absl::CivilSecond(2026, 3, 2, 1, 0, 0), absl::UTCTimeZone());

class DeadlineSchedulerTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NO_FATAL_FAILURE(StartServer()); }

  // Opens the store and starts the pipeline: the server starting.
  void StartServer() {
    storage::StoreOptions options;
    options.clock = &clock_;
    auto store = storage::RocksEventStore::Open(dir_.Sub("db"), options);
    ASSERT_OK(store.status());
    store_ = std::move(store).value();
    pipeline_ = std::make_unique<CommandPipeline>(*store_, policy_, clock_);
    pipeline_->Start();
    scheduler_ = std::make_unique<DeadlineScheduler>(*store_, *pipeline_, clock_);
  }

  // Stops everything and closes the store: the server going down.
  void StopServer() {
    scheduler_->Stop();
    pipeline_->Stop();
    scheduler_.reset();
    pipeline_.reset();
    store_.reset();
  }

  absl::StatusOr<CommandOutcome> Execute(v1::Command command, v1::Principal principal) {
    return rectify::testing::Execute(*pipeline_, std::move(command), std::move(principal));
  }

  // Reports a case and assigns it with a rectification deadline at `due`;
  // returns the case id.
  std::string AssignedCase(const std::string& name, absl::Time due) {
    v1::Command report;
    report.set_command_id("report-" + name);
    v1::ReportCaseRequest& request = *report.mutable_report_case();
    request.set_command_id("report-" + name);
    request.set_title("黑河支流排污 " + name);
    request.set_category(v1::CATEGORY_WATER);
    request.set_severity(v1::SEVERITY_HIGH);
    request.set_source(v1::CASE_SOURCE_INSPECTION);
    request.mutable_location()->set_region_code("620722100");
    request.mutable_found_at()->set_seconds(absl::ToUnixSeconds(clock_.Now() - absl::Hours(1)));
    absl::StatusOr<CommandOutcome> reported = Execute(report, Inspector());
    EXPECT_OK(reported.status());
    if (!reported.ok()) return "";
    const std::string case_id = reported->state.case_id();

    v1::Command assign;
    assign.set_command_id("assign-" + name);
    assign.set_stream_id(case_id);
    v1::AssignCaseRequest& assign_request = *assign.mutable_assign_case();
    assign_request.set_command_id("assign-" + name);
    assign_request.set_case_id(case_id);
    assign_request.set_responsible_unit("minle-hongshui-town");
    assign_request.set_requirements("封堵排污口");
    assign_request.mutable_rectification_due_at()->set_seconds(absl::ToUnixSeconds(due));
    EXPECT_OK(Execute(assign, Supervisor()).status());
    return case_id;
  }

  // How many DeadlineMissed events the case's history holds.
  int MissedEvents(const std::string& case_id) {
    absl::StatusOr<std::vector<v1::Event>> events = store_->ReadStream(case_id, 1, 1000);
    EXPECT_OK(events.status());
    int missed = 0;
    for (const v1::Event& event : *events) missed += event.has_deadline_missed() ? 1 : 0;
    return missed;
  }

  rectify::testing::TempDir dir_;
  SimulatedClock clock_{kStart};
  workflow::Policy policy_;
  std::unique_ptr<storage::RocksEventStore> store_;
  std::unique_ptr<CommandPipeline> pipeline_;
  std::unique_ptr<DeadlineScheduler> scheduler_;
};

TEST_F(DeadlineSchedulerTest, MissedDeadlineFiresOnceAlsoAcrossARestart) {
  const std::string case_id = AssignedCase("a", kStart + absl::Hours(24 * 10));
  ASSERT_FALSE(case_id.empty());

  // Not due yet: nothing happens.
  ASSERT_OK_AND_ASSIGN(DeadlineScheduler::PassResult early, scheduler_->RunOnce());
  EXPECT_EQ(early.submitted, 0);

  clock_.Advance(absl::Hours(24 * 11));
  ASSERT_OK_AND_ASSIGN(DeadlineScheduler::PassResult pass, scheduler_->RunOnce());
  EXPECT_EQ(pass.submitted, 1);
  EXPECT_EQ(pass.fired, 1);
  EXPECT_EQ(MissedEvents(case_id), 1);
  ASSERT_OK_AND_ASSIGN(v1::Case overdue, store_->GetCase(case_id));
  EXPECT_TRUE(overdue.overdue());
  ASSERT_OK_AND_ASSIGN(std::vector<storage::TimerKey> timers, store_->DueTimers(clock_.Now(), 10));
  EXPECT_TRUE(timers.empty());
  const uint64_t position = store_->LastPosition();

  // Again: nothing new.
  ASSERT_OK_AND_ASSIGN(DeadlineScheduler::PassResult again, scheduler_->RunOnce());
  EXPECT_EQ(again.submitted, 0);
  EXPECT_EQ(store_->LastPosition(), position);

  // Restart: nothing new either.
  StopServer();
  clock_.Advance(absl::Hours(1));
  ASSERT_NO_FATAL_FAILURE(StartServer());
  ASSERT_OK_AND_ASSIGN(DeadlineScheduler::PassResult after_restart, scheduler_->RunOnce());
  EXPECT_EQ(after_restart.submitted, 0);
  EXPECT_EQ(store_->LastPosition(), position);
  EXPECT_EQ(MissedEvents(case_id), 1);

  // Even if the same MarkOverdue reached the pipeline again (a timer read
  // just before a crash), the stored outcome answers it: no second event.
  v1::Command repeat;
  repeat.set_command_id(DeadlineScheduler::CommandIdFor(storage::TimerKey{
      kStart + absl::Hours(24 * 10), case_id, overdue.deadlines(0).deadline_id()}));
  repeat.set_stream_id(case_id);
  repeat.mutable_mark_overdue()->set_deadline_id(overdue.deadlines(0).deadline_id());
  v1::Principal system;
  system.set_principal_id("system");
  system.set_role(v1::ROLE_SYSTEM);
  EXPECT_OK(Execute(repeat, system).status());
  EXPECT_EQ(store_->LastPosition(), position);
  EXPECT_EQ(MissedEvents(case_id), 1);
}

TEST_F(DeadlineSchedulerTest, DeadlineThatFellDueWhileDownFiresAtStart) {
  const std::string soon = AssignedCase("soon", kStart + absl::Hours(24 * 5));
  const std::string later = AssignedCase("later", kStart + absl::Hours(24 * 20));
  clock_.Advance(absl::Hours(24 * 6));
  ASSERT_OK_AND_ASSIGN(DeadlineScheduler::PassResult pass, scheduler_->RunOnce());
  EXPECT_EQ(pass.fired, 1);
  EXPECT_EQ(MissedEvents(soon), 1);
  EXPECT_EQ(MissedEvents(later), 0);

  // Down for three weeks, over the second deadline.
  StopServer();
  clock_.Advance(absl::Hours(24 * 21));
  ASSERT_NO_FATAL_FAILURE(StartServer());
  // The thread's first pass runs at once; Stop waits for it to finish.
  scheduler_->Start();
  scheduler_->Stop();
  EXPECT_EQ(MissedEvents(soon), 1);
  EXPECT_EQ(MissedEvents(later), 1);
  ASSERT_OK_AND_ASSIGN(v1::Case late_case, store_->GetCase(later));
  EXPECT_TRUE(late_case.overdue());
}

TEST_F(DeadlineSchedulerTest, ConcurrentPassesWriteEachDeadlineOnce) {
  constexpr int kCases = 30;
  std::vector<std::string> case_ids;
  for (int i = 0; i < kCases; ++i) {
    case_ids.push_back(AssignedCase(std::to_string(i), kStart + absl::Hours(24 * (3 + i % 5))));
  }
  clock_.Advance(absl::Hours(24 * 30));
  // The background thread and two manual passes race over the same timers.
  scheduler_->Start();
  std::vector<std::thread> passes;
  for (int t = 0; t < 2; ++t) {
    passes.emplace_back([this] { EXPECT_OK(scheduler_->RunOnce().status()); });
  }
  for (std::thread& pass : passes) pass.join();
  scheduler_->Stop();
  ASSERT_OK_AND_ASSIGN(DeadlineScheduler::PassResult last, scheduler_->RunOnce());
  EXPECT_EQ(last.submitted, 0);
  for (const std::string& case_id : case_ids) EXPECT_EQ(MissedEvents(case_id), 1) << case_id;
}

TEST(DeadlineSchedulerCommandIdTest, SameTimerSameIdAndWithinTheIdLimit) {
  const storage::TimerKey timer{kStart, "620722-2026-000001", "rect-1"};
  EXPECT_EQ(DeadlineScheduler::CommandIdFor(timer), DeadlineScheduler::CommandIdFor(timer));
  storage::TimerKey moved = timer;
  moved.due += absl::Hours(24);
  EXPECT_NE(DeadlineScheduler::CommandIdFor(timer), DeadlineScheduler::CommandIdFor(moved));
  const storage::TimerKey long_id{kStart, "620722-2026-000001", std::string(200, 'x')};
  EXPECT_LE(DeadlineScheduler::CommandIdFor(long_id).size(), 128u);
}

}  // namespace
}  // namespace rectify::server

// rectify_server's own figures (server_metrics.h) read the way the endpoint
// serves them, in-process on a real store with a simulated clock: the
// figures that an end-to-end scrape cannot move without waiting days or
// stalling the writer. The queue depth counts commands submitted while the
// writer is held (an injected fault in its commit listener); the batch that
// then takes them all is one batch of that many;
// the scheduler's lag is the hand-computed time since a deadline fell due,
// and back to 0 with one timer fired once the scheduler has run. Debian's
// promtool checks the text.
#include "server/server_metrics.h"

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "base/simulated_clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "prometheus/registry.h"
#include "prometheus/text_serializer.h"
#include "server/deadline_scheduler.h"
#include "server/metrics_endpoint.h"
#include "server/pipeline.h"
#include "storage/rocks_event_store.h"
#include "tests/prometheus_text.h"
#include "tests/server/execute.h"
#include "tests/server/principals.h"
#include "tests/status_matchers.h"
#include "tests/temp_dir.h"
#include "workflow/policy.h"

namespace rectify::server {
namespace {

using ::rectify::testing::Find;
using ::rectify::testing::Inspector;
using ::rectify::testing::Sample;
using ::rectify::testing::Supervisor;
using ::rectify::testing::ValueOr0;

// 2026-03-02 09:00 in China (01:00 UTC).
const absl::Time kStart =
    absl::FromCivil(absl::CivilSecond(2026, 3, 2, 1, 0, 0), absl::UTCTimeZone());

v1::Command Report(const std::string& name, absl::Time now) {
  v1::Command command;
  command.set_command_id("report-" + name);
  v1::ReportCaseRequest& request = *command.mutable_report_case();
  request.set_command_id("report-" + name);
  request.set_title("黑河支流排污 " + name);
  request.set_category(v1::CATEGORY_WATER);
  request.set_severity(v1::SEVERITY_HIGH);
  request.set_source(v1::CASE_SOURCE_INSPECTION);
  request.mutable_location()->set_region_code("620722100");
  request.mutable_found_at()->set_seconds(absl::ToUnixSeconds(now - absl::Hours(1)));
  return command;
}

class ServerMetricsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::StoreOptions options;
    options.clock = &clock_;
    options.statistics = true;
    ASSERT_OK_AND_ASSIGN(store_, storage::RocksEventStore::Open(dir_.Sub("db"), options));
    pipeline_ = std::make_unique<CommandPipeline>(*store_, policy_, clock_);
    scheduler_ = std::make_unique<DeadlineScheduler>(*store_, *pipeline_, clock_);
    ObservePipeline(*registry_, *pipeline_);
    ScrapeSources sources;
    sources.pipeline = pipeline_.get();
    sources.max_queued_commands = 10000;
    sources.scheduler = scheduler_.get();
    sources.store = store_.get();
    sources.started = kStart;
    AddScrapedFigures(*collector_, sources);
  }

  void TearDown() override {
    scheduler_->Stop();
    pipeline_->Stop();
  }

  // The exposition as the endpoint serves it.
  std::string Text() {
    std::vector<prometheus::MetricFamily> families = registry_->Collect();
    for (prometheus::MetricFamily& family : collector_->Collect()) families.push_back(family);
    std::ostringstream out;
    prometheus::TextSerializer().Serialize(out, families);
    return out.str();
  }
  std::vector<Sample> Scrape() { return rectify::testing::ParseSamples(Text()); }

  absl::StatusOr<CommandOutcome> Execute(v1::Command command, v1::Principal principal) {
    return rectify::testing::Execute(*pipeline_, std::move(command), std::move(principal));
  }

  rectify::testing::TempDir dir_;
  SimulatedClock clock_{kStart};
  workflow::Policy policy_;
  std::unique_ptr<storage::RocksEventStore> store_;
  std::unique_ptr<CommandPipeline> pipeline_;
  std::unique_ptr<DeadlineScheduler> scheduler_;
  std::shared_ptr<prometheus::Registry> registry_ = std::make_shared<prometheus::Registry>();
  std::shared_ptr<ScrapeCollector> collector_ = std::make_shared<ScrapeCollector>();
};

TEST_F(ServerMetricsTest, QueueDepthThenOneBatchOfThemAll) {
  // An injected fault: the writer is held inside its first commit's
  // listener until the test lets it go, so commands queue behind it.
  absl::Notification held;
  absl::Notification release;
  pipeline_->SetCommitListener([&](uint64_t position) {
    if (position == 1) {
      held.Notify();
      release.WaitForNotification();
    }
  });
  pipeline_->Start();
  const std::vector<Sample> before = Scrape();
  EXPECT_EQ(Find(before, "rectify_pipeline_queued_commands"), 0);
  absl::Mutex mutex;
  int answered = 0;
  auto count = [&](absl::StatusOr<CommandOutcome> outcome) {
    EXPECT_OK(outcome.status());
    absl::MutexLock lock(&mutex);
    ++answered;
  };
  pipeline_->Submit(Report("first", clock_.Now()), Inspector(), count);
  held.WaitForNotification();
  // Three more wait in the queue while the writer is held.
  for (int i = 0; i < 3; ++i) {
    pipeline_->Submit(Report(std::to_string(i), clock_.Now()), Inspector(), count);
  }
  const std::vector<Sample> waiting = Scrape();
  EXPECT_EQ(Find(waiting, "rectify_pipeline_queued_commands"), 3);
  EXPECT_EQ(Find(waiting, "rectify_pipeline_queue_limit_commands"), 10000);

  release.Notify();
  {
    absl::MutexLock lock(&mutex);
    mutex.Await(absl::Condition(+[](int* n) { return *n == 4; }, &answered));
  }
  const std::vector<Sample> after = Scrape();
  EXPECT_EQ(Find(after, "rectify_pipeline_queued_commands"), 0);
  // Two batches: the first command alone, then the three that waited, taken
  // together: two commits (each with its WAL fsync), four events.
  EXPECT_EQ(ValueOr0(after, "rectify_pipeline_batch_commands_count"), 2);
  EXPECT_EQ(ValueOr0(after, "rectify_pipeline_batch_commands_sum"), 4);
  EXPECT_EQ(ValueOr0(after, "rectify_pipeline_batch_commands_bucket", {{"le", "1"}}), 1);
  EXPECT_EQ(ValueOr0(after, "rectify_pipeline_batch_commands_bucket", {{"le", "2"}}), 1);
  EXPECT_EQ(ValueOr0(after, "rectify_pipeline_batch_commands_bucket", {{"le", "5"}}), 2);
  EXPECT_EQ(ValueOr0(after, "rectify_pipeline_commands_total"), 4);
  EXPECT_EQ(ValueOr0(after, "rectify_pipeline_commit_seconds_count"), 2);
  EXPECT_EQ(ValueOr0(after, "rectify_pipeline_commits_total", {{"result", "ok"}}), 2);
  EXPECT_EQ(ValueOr0(after, "rectify_events_committed_total", {{"type", "case_reported"}}), 4);
  EXPECT_EQ(ValueOr0(after, "rectify_event_log_last_position"), 4);
  EXPECT_GE(ValueOr0(after, "rectify_rocksdb_wal_syncs_total") -
                ValueOr0(before, "rectify_rocksdb_wal_syncs_total"),
            2);

  int code = -1;
  absl::StatusOr<std::string> verdict =
      rectify::testing::PromtoolCheckMetrics(Text(), dir_.path(), &code);
  ASSERT_TRUE(verdict.ok()) << verdict.status();
  EXPECT_EQ(code, 0) << *verdict;
  EXPECT_EQ(*verdict, "");
}

TEST_F(ServerMetricsTest, SchedulerLagGrowsFromTheDueInstantAndTheTimerFires) {
  pipeline_->Start();
  ASSERT_OK_AND_ASSIGN(CommandOutcome reported, Execute(Report("a", clock_.Now()), Inspector()));
  const std::string case_id = reported.state.case_id();
  const absl::Time due = kStart + absl::Hours(24 * 10);
  v1::Command assign;
  assign.set_command_id("assign-a");
  assign.set_stream_id(case_id);
  v1::AssignCaseRequest& request = *assign.mutable_assign_case();
  request.set_command_id("assign-a");
  request.set_case_id(case_id);
  request.set_responsible_unit("minle-hongshui-town");
  request.set_requirements("封堵排污口");
  request.mutable_rectification_due_at()->set_seconds(absl::ToUnixSeconds(due));
  ASSERT_OK_AND_ASSIGN(CommandOutcome assigned, Execute(assign, Supervisor()));
  // The deadline as the case holds it (the day's end, when the rules round it).
  const absl::Time stored_due =
      absl::FromUnixSeconds(assigned.state.rectification_due_at().seconds());
  ASSERT_GE(stored_due, due);

  std::vector<Sample> samples = Scrape();
  EXPECT_EQ(Find(samples, "rectify_scheduler_lag_seconds"), 0);  // not due yet
  EXPECT_EQ(ValueOr0(samples, "rectify_scheduler_timers_total", {{"outcome", "fired"}}), 0);

  // 90 s after it fell due, nothing has run yet: 90 s of lag.
  clock_.Set(stored_due + absl::Seconds(90));
  samples = Scrape();
  EXPECT_EQ(Find(samples, "rectify_scheduler_lag_seconds"), 90);
  // Another 30 s: 120.
  clock_.Advance(absl::Seconds(30));
  EXPECT_EQ(Find(Scrape(), "rectify_scheduler_lag_seconds"), 120);

  ASSERT_OK_AND_ASSIGN(DeadlineScheduler::PassResult pass, scheduler_->RunOnce());
  EXPECT_EQ(pass.submitted, 1);
  samples = Scrape();
  EXPECT_EQ(ValueOr0(samples, "rectify_scheduler_timers_total", {{"outcome", "fired"}}), 1);
  EXPECT_EQ(Find(samples, "rectify_scheduler_lag_seconds"), 0);
  EXPECT_EQ(ValueOr0(samples, "rectify_events_committed_total", {{"type", "deadline_missed"}}), 1);
}

}  // namespace
}  // namespace rectify::server

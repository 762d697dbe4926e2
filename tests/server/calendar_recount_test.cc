// Loading a newer calendar on a real RocksDB store with the real pipeline and
// a simulated clock: a rectification deadline counted across the 2027 Spring
// Festival before 2027's arrangement is known (statutory holidays only,
// provisional), then recounted when a calendar with a 2027 section (test
// data) is loaded at start: one DeadlineRecounted event by the system, the
// due date and the timer moved, the provisional mark gone; a restart with the
// same calendar changes nothing; the scheduler fires at the new due instant,
// not the old one.
#include "server/calendar_recount.h"

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "base/proto_time.h"
#include "base/sha256.h"
#include "base/simulated_clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "server/deadline_scheduler.h"
#include "storage/rocks_event_store.h"
#include "tests/server/execute.h"
#include "tests/server/principals.h"
#include "tests/status_matchers.h"
#include "tests/temp_dir.h"
#include "workflow/calendar.h"
#include "workflow/policy.h"

namespace rectify::server {
namespace {

using ::rectify::testing::Inspector;
using ::rectify::testing::Supervisor;

absl::Time Beijing(int y, int m, int d, int hour = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hour, 0, 0), absl::FixedTimeZone(8 * 3600));
}

// Thu 2027-01-07 10:00 in China.
const absl::Time kStart = Beijing(2027, 1, 7, 10);

std::string ReadTestFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

class CalendarRecountTest : public ::testing::Test {
 protected:
  // Opens the store and starts the pipeline with `calendar_text` as the
  // loaded calendar, and recounts: the server starting.
  void StartServer(const std::string& calendar_text, RecountResult* recount) {
    absl::StatusOr<workflow::Calendar> calendar = workflow::ParseCalendar(calendar_text);
    ASSERT_OK(calendar.status());
    policy_ = std::make_unique<workflow::Policy>();
    policy_->calendar = std::make_shared<const workflow::Calendar>(*std::move(calendar));
    storage::StoreOptions options;
    options.clock = &clock_;
    auto store = storage::RocksEventStore::Open(dir_.Sub("db"), options);
    ASSERT_OK(store.status());
    store_ = std::move(store).value();
    pipeline_ = std::make_unique<CommandPipeline>(*store_, *policy_, clock_);
    pipeline_->Start();
    ASSERT_OK_AND_ASSIGN(*recount,
                         RecountDeadlines(*store_, *pipeline_, *policy_,
                                          IdentifyCalendar(calendar_text, *policy_->calendar)));
    scheduler_ = std::make_unique<DeadlineScheduler>(*store_, *pipeline_, clock_);
  }

  void StopServer() {
    scheduler_.reset();
    pipeline_->Stop();
    pipeline_.reset();
    store_.reset();
  }

  void TearDown() override {
    if (pipeline_ != nullptr) StopServer();
  }

  absl::StatusOr<CommandOutcome> Execute(v1::Command command, v1::Principal principal) {
    return rectify::testing::Execute(*pipeline_, std::move(command), std::move(principal));
  }

  // Reports a case and assigns it, with `due` as the supervisor's deadline
  // or, when null, the policy's 30 calendar days; returns the case id.
  std::string AssignedCase(const std::string& name, const absl::Time* due) {
    v1::Command report;
    report.set_command_id("report-" + name);
    v1::ReportCaseRequest& request = *report.mutable_report_case();
    request.set_command_id("report-" + name);
    request.set_title("砂石料场扬尘 " + name);
    request.set_category(v1::CATEGORY_AIR);
    request.set_severity(v1::SEVERITY_MEDIUM);
    request.set_source(v1::CASE_SOURCE_INSPECTION);
    request.mutable_location()->set_region_code("620722100");
    *request.mutable_found_at() = ToProto(clock_.Now() - absl::Hours(1));
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
    assign_request.set_requirements("覆盖料堆，安装喷淋");
    if (due != nullptr) *assign_request.mutable_rectification_due_at() = ToProto(*due);
    EXPECT_OK(Execute(assign, Supervisor()).status());
    return case_id;
  }

  v1::Case Get(const std::string& case_id) {
    absl::StatusOr<v1::Case> state = store_->GetCase(case_id);
    EXPECT_OK(state.status());
    return state.ok() ? *state : v1::Case();
  }

  rectify::testing::TempDir dir_;
  SimulatedClock clock_{kStart};
  std::unique_ptr<workflow::Policy> policy_;
  std::unique_ptr<storage::RocksEventStore> store_;
  std::unique_ptr<CommandPipeline> pipeline_;
  std::unique_ptr<DeadlineScheduler> scheduler_;
};

TEST_F(CalendarRecountTest, LoadingThe2027TableRecountsTheSpringFestivalDeadlineOnce) {
  const std::string builtin(workflow::BuiltinCalendarText());
  const std::string with_2027 = ReadTestFile("tests/workflow/testdata/calendar_2027_test.txt");
  ASSERT_FALSE(with_2027.empty());

  RecountResult recount;
  ASSERT_NO_FATAL_FAILURE(StartServer(builtin, &recount));
  EXPECT_EQ(recount.examined, 0);
  const std::string counted = AssignedCase("counted", nullptr);
  const absl::Time fixed_due = Beijing(2027, 2, 7);
  const std::string fixed = AssignedCase("fixed", &fixed_due);
  ASSERT_FALSE(counted.empty());
  ASSERT_FALSE(fixed.empty());

  // Before: 30 days from Thu Jan 7 is Sat Feb 6; the computed Spring
  // Festival (Eve Fri Feb 5 to Mon Feb 8, with Tue Feb 9 and Wed Feb 10 made
  // up for the 1st and 2nd on the weekend) is off, so the period ends with
  // Thu Feb 11: due 2027-02-12 00:00 in China. Provisional.
  const absl::Time before_due = Beijing(2027, 2, 12);
  v1::Case state = Get(counted);
  ASSERT_EQ(state.deadlines_size(), 1);
  EXPECT_EQ(ToTime(state.rectification_due_at()), before_due);
  EXPECT_EQ(ToTime(state.deadlines(0).due_at()), before_due);
  EXPECT_TRUE(state.deadlines(0).rule().provisional());
  EXPECT_EQ(ToTime(state.deadlines(0).rule().counted_from()), kStart);
  const int64_t version_before = state.version();
  const int64_t fixed_version = Get(fixed).version();
  // A date the supervisor set is not counted and not provisional.
  EXPECT_FALSE(Get(fixed).deadlines(0).rule().provisional());

  // A restart with the same calendar changes nothing.
  StopServer();
  ASSERT_NO_FATAL_FAILURE(StartServer(builtin, &recount));
  EXPECT_EQ(recount.examined, 2);
  EXPECT_EQ(recount.submitted, 0);
  EXPECT_EQ(Get(counted).version(), version_before);

  // The 2027 table is loaded: Feb 5-13 are off and Sunday Feb 14 works, so
  // the period ends with Feb 14: due 2027-02-15 00:00. Published: not
  // provisional.
  clock_.Advance(absl::Hours(24));
  StopServer();
  ASSERT_NO_FATAL_FAILURE(StartServer(with_2027, &recount));
  EXPECT_EQ(recount.examined, 2);
  EXPECT_EQ(recount.submitted, 1);
  EXPECT_EQ(recount.recounted, 1);
  EXPECT_EQ(recount.failed, 0);
  const absl::Time after_due = Beijing(2027, 2, 15);
  state = Get(counted);
  EXPECT_EQ(state.version(), version_before + 1);
  EXPECT_EQ(ToTime(state.rectification_due_at()), after_due);
  EXPECT_EQ(ToTime(state.deadlines(0).due_at()), after_due);
  EXPECT_FALSE(state.deadlines(0).rule().provisional());
  EXPECT_EQ(state.deadlines(0).rule().amount(), 30);
  EXPECT_EQ(state.deadlines(0).rule().unit(), v1::DEADLINE_UNIT_CALENDAR_DAYS);
  EXPECT_EQ(Get(fixed).version(), fixed_version);  // untouched
  EXPECT_EQ(ToTime(Get(fixed).deadlines(0).due_at()), fixed_due);

  // The history says why the date moved, and who moved it.
  ASSERT_OK_AND_ASSIGN(const std::vector<v1::Event> events, store_->ReadStream(counted, 1, 100));
  const v1::Event& last = events.back();
  ASSERT_TRUE(last.has_deadline_recounted());
  EXPECT_EQ(last.actor().role(), v1::ROLE_SYSTEM);
  EXPECT_EQ(last.actor().principal_id(), "system");
  const v1::DeadlineRecounted& recounted = last.deadline_recounted();
  EXPECT_EQ(recounted.deadline_id(), state.deadlines(0).deadline_id());
  EXPECT_EQ(ToTime(recounted.previous_due_at()), before_due);
  EXPECT_EQ(ToTime(recounted.due_at()), after_due);
  EXPECT_EQ(recounted.calendar_sha256(), HexEncode(Sha256(with_2027)));
  EXPECT_EQ(recounted.calendar_years(), "2025-2027");
  EXPECT_EQ(ToTime(last.recorded_at()), kStart + absl::Hours(24));

  // The timer moved with it: one per open deadline, at the new instants.
  ASSERT_OK_AND_ASSIGN(const std::vector<storage::TimerKey> timers,
                       store_->DueTimers(absl::InfiniteFuture(), 10));
  ASSERT_EQ(timers.size(), 2u);
  EXPECT_EQ(timers[0].stream_id, fixed);
  EXPECT_EQ(timers[1].stream_id, counted);
  EXPECT_EQ(timers[1].due, after_due);

  // Restarting with the same 2027 calendar changes nothing.
  StopServer();
  ASSERT_NO_FATAL_FAILURE(StartServer(with_2027, &recount));
  EXPECT_EQ(recount.submitted, 0);
  EXPECT_EQ(Get(counted).version(), version_before + 1);

  // Past the old due instant the case is not overdue; past the new one it is.
  clock_.Advance(Beijing(2027, 2, 12, 9) - clock_.Now());  // past Feb 12 00:00
  ASSERT_OK_AND_ASSIGN(DeadlineScheduler::PassResult pass, scheduler_->RunOnce());
  EXPECT_EQ(pass.fired, 1);  // the fixed deadline (Feb 7) only
  EXPECT_FALSE(Get(counted).overdue());
  clock_.Advance(Beijing(2027, 2, 15, 0) + absl::Minutes(1) - clock_.Now());
  ASSERT_OK_AND_ASSIGN(pass, scheduler_->RunOnce());
  EXPECT_EQ(pass.fired, 1);
  EXPECT_TRUE(Get(counted).overdue());
}

TEST_F(CalendarRecountTest, OnlyTheSystemMayRecount) {
  RecountResult recount;
  ASSERT_NO_FATAL_FAILURE(StartServer(std::string(workflow::BuiltinCalendarText()), &recount));
  const std::string case_id = AssignedCase("a", nullptr);
  v1::Command command;
  command.set_command_id("recount-by-hand");
  command.set_stream_id(case_id);
  command.mutable_recount_deadline()->set_deadline_id("rect-1");
  command.mutable_recount_deadline()->set_calendar_sha256(std::string(64, 'a'));
  command.mutable_recount_deadline()->set_calendar_years("2025-2026");
  EXPECT_THAT(Execute(command, Supervisor()).status(),
              rectify::testing::StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST(RecountCommandIdTest, DependsOnCalendarDeadlineAndDueAndStaysShort) {
  const std::string a = RecountCommandId(std::string(64, 'a'), "620722-2027-000001", "rect-1", 1);
  EXPECT_EQ(a, "recount:aaaaaaaaaaaaaaaa:620722-2027-000001:rect-1:1");
  EXPECT_NE(a, RecountCommandId(std::string(64, 'b'), "620722-2027-000001", "rect-1", 1));
  EXPECT_NE(a, RecountCommandId(std::string(64, 'a'), "620722-2027-000001", "rect-1", 2));
  EXPECT_LE(RecountCommandId(std::string(64, 'a'), std::string(100, 'c'), std::string(100, 'd'), 1).size(),
            128u);
}

}  // namespace
}  // namespace rectify::server

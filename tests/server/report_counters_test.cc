// The report counters at the edges a supervisor would check by hand: events
// on either side of midnight at a month's end (China time), end-of-month
// figures of a past month after later changes, the notice list at a past
// month's end, bad report requests, and verify and rebuild of the counters
// and month-end records. Two cases through the real pipeline on a real store
// with a simulated clock; the seeded, many-case check of every figure is
// monthly_report_test.
#include <memory>
#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/proto_time.h"
#include "base/simulated_clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "projection/reports.h"
#include "projection/verifier.h"
#include "rocksdb/db.h"
#include "server/deadline_scheduler.h"
#include "server/pipeline.h"
#include "storage/keys.h"
#include "storage/rocks_event_store.h"
#include "tests/server/execute.h"
#include "tests/server/principals.h"
#include "tests/status_matchers.h"
#include "tests/temp_dir.h"
#include "workflow/policy.h"

namespace rectify::server {
namespace {

using ::rectify::testing::Person;
using ::rectify::testing::StatusIs;
using ::testing::HasSubstr;

const absl::TimeZone kChina = absl::FixedTimeZone(8 * 3600);

absl::Time China(int year, int month, int day, int hour = 0, int minute = 0) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0), kChina);
}

class ReportCountersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    storage::StoreOptions options;
    options.clock = &clock_;
    options.sync = false;
    ASSERT_OK_AND_ASSIGN(store_, storage::RocksEventStore::Open(dir_.Sub("db"), options));
    pipeline_ = std::make_unique<CommandPipeline>(*store_, policy_, clock_);
    pipeline_->Start();
    scheduler_ = std::make_unique<DeadlineScheduler>(*store_, *pipeline_, clock_);
  }
  void TearDown() override { pipeline_->Stop(); }

  // Gives the command (and its request, which carries the id too) a new id,
  // then submits it and waits.
  v1::Case Execute(v1::Command command, const v1::Principal& principal) {
    command.set_command_id(absl::StrCat("cmd-", ++commands_));
    const google::protobuf::Reflection* reflection = command.GetReflection();
    std::vector<const google::protobuf::FieldDescriptor*> fields;
    reflection->ListFields(command, &fields);
    for (const google::protobuf::FieldDescriptor* field : fields) {
      if (field->type() != google::protobuf::FieldDescriptor::TYPE_MESSAGE) continue;
      google::protobuf::Message* request = reflection->MutableMessage(&command, field);
      const google::protobuf::FieldDescriptor* id =
          request->GetDescriptor()->FindFieldByName("command_id");
      if (id != nullptr) request->GetReflection()->SetString(request, id, command.command_id());
    }
    absl::StatusOr<CommandOutcome> result =
        rectify::testing::Execute(*pipeline_, command, principal);
    EXPECT_OK(result.status());
    return result.ok() ? result->state : v1::Case();
  }

  // Moves the clock to `at` and lets the scheduler fire what fell due.
  void At(absl::Time at) {
    clock_.Set(at);
    EXPECT_OK(scheduler_->RunOnce().status());
  }

  std::string ReportCase(const std::string& title, v1::Category category) {
    v1::Command command;
    v1::ReportCaseRequest& report = *command.mutable_report_case();
    report.set_title(title);
    report.set_category(category);
    report.set_severity(v1::SEVERITY_HIGH);
    report.set_source(v1::CASE_SOURCE_INSPECTION);
    report.mutable_location()->set_region_code("620722100");
    *report.mutable_found_at() = ToProto(clock_.Now() - absl::Hours(1));
    return Execute(command, inspector_).case_id();
  }

  void Assign(const std::string& id, const std::string& unit, absl::Time due) {
    v1::Command command;
    command.set_stream_id(id);
    v1::AssignCaseRequest& assign = *command.mutable_assign_case();
    assign.set_case_id(id);
    assign.set_responsible_unit(unit);
    assign.set_requirements("按期整改");
    *assign.mutable_rectification_due_at() = ToProto(due);
    Execute(command, supervisor_);
  }

  absl::StatusOr<v1::GetMonthlyReportResponse> Report(int year, int month) {
    return projection::MonthlyReport(*store_, year, month, "620722", thresholds_, clock_.Now());
  }

  rectify::testing::TempDir dir_;
  SimulatedClock clock_{China(2026, 3, 31, 23, 30)};
  workflow::Policy policy_;
  projection::NoticeThresholds thresholds_;
  std::unique_ptr<storage::RocksEventStore> store_;
  std::unique_ptr<CommandPipeline> pipeline_;
  std::unique_ptr<DeadlineScheduler> scheduler_;
  int commands_ = 0;
  const v1::Principal inspector_ = Person("insp-zhang", v1::ROLE_INSPECTOR, "minle-eeb");
  const v1::Principal verifier_ = Person("insp-li", v1::ROLE_INSPECTOR, "minle-eeb");
  const v1::Principal supervisor_ = Person("sup-wang", v1::ROLE_SUPERVISOR, "minle-eeb");
  const v1::Principal rectifier_ =
      Person("rect-hongshui", v1::ROLE_RECTIFIER, "minle-hongshui-town");
};

TEST_F(ReportCountersTest, MonthEndsPastFiguresAndNoticesAddUp) {
  // Case A: reported 30 minutes before April, assigned at April's first
  // instant, started, then late and silent through April; closed in May.
  const std::string a = ReportCase("洪水河排污口", v1::CATEGORY_WATER);
  At(China(2026, 4, 1));
  Assign(a, "minle-hongshui-town", China(2026, 4, 20));
  // Case B: reported at April's first instant, assigned, never started.
  const std::string b = ReportCase("砂石料场扬尘", v1::CATEGORY_AIR);
  At(China(2026, 4, 2));
  Assign(b, "minle-sanbao-town", China(2026, 6, 30));
  At(China(2026, 4, 3));
  v1::Command start;
  start.set_stream_id(a);
  start.mutable_start_rectification()->set_case_id(a);
  Execute(start, rectifier_);
  At(China(2026, 4, 21));  // A's deadline passed: the scheduler marks it
  At(China(2026, 5, 3));
  v1::Command complete;
  complete.set_stream_id(a);
  complete.mutable_submit_completion()->set_case_id(a);
  complete.mutable_submit_completion()->set_summary("已封堵");
  Execute(complete, rectifier_);
  At(China(2026, 5, 4));
  v1::Command verify;
  verify.set_stream_id(a);
  verify.mutable_verify_rectification()->set_case_id(a);
  verify.mutable_verify_rectification()->set_passed(true);
  Execute(verify, verifier_);
  At(China(2026, 5, 5, 8));
  v1::Command close;
  close.set_stream_id(a);
  close.mutable_close_case()->set_case_id(a);
  Execute(close, supervisor_);
  At(China(2026, 5, 6));

  // March: A was reported at 23:30 on the 31st and is open at the end.
  ASSERT_OK_AND_ASSIGN(v1::GetMonthlyReportResponse march, Report(2026, 3));
  EXPECT_EQ(ToTime(march.as_of()), China(2026, 4, 1));
  EXPECT_EQ(march.total().new_cases(), 1);
  EXPECT_EQ(march.total().assigned(), 0);
  EXPECT_EQ(march.total().open_at_end(), 1);
  EXPECT_EQ(march.total().closure_rate(), 0.0);
  EXPECT_TRUE(march.notices().empty());

  // April: B new at 00:00 of the 1st; both assigned; A rectifying and
  // overdue at the end, though it was closed since.
  ASSERT_OK_AND_ASSIGN(v1::GetMonthlyReportResponse april, Report(2026, 4));
  EXPECT_EQ(april.total().new_cases(), 1);
  EXPECT_EQ(april.total().assigned(), 2);
  EXPECT_EQ(april.total().rectifying(), 1);
  EXPECT_EQ(april.total().overdue(), 1);
  EXPECT_EQ(april.total().closed(), 0);
  EXPECT_EQ(april.total().open_at_end(), 2);
  // B's report is counted under no unit: it had none when reported.
  ASSERT_EQ(april.by_unit_size(), 3);
  EXPECT_EQ(april.by_unit(0).key(), "");
  EXPECT_EQ(april.by_unit(0).figures().new_cases(), 1);
  EXPECT_EQ(april.by_unit(0).figures().open_at_end(), 0);
  EXPECT_EQ(april.by_unit(1).key(), "minle-hongshui-town");
  EXPECT_EQ(april.by_unit(1).figures().assigned(), 1);
  EXPECT_EQ(april.by_unit(1).figures().overdue(), 1);
  EXPECT_EQ(april.by_unit(1).figures().open_at_end(), 1);
  EXPECT_EQ(april.by_unit(2).key(), "minle-sanbao-town");
  EXPECT_EQ(april.by_unit(2).figures().rectifying(), 0);
  EXPECT_EQ(april.by_unit(2).figures().open_at_end(), 1);
  ASSERT_EQ(april.by_category_size(), 2);
  EXPECT_EQ(april.by_category(0).key(), "CATEGORY_AIR");
  EXPECT_EQ(april.by_category(1).key(), "CATEGORY_WATER");
  ASSERT_EQ(april.by_region_size(), 1);
  EXPECT_EQ(april.by_region(0).key(), "620722100");
  // At April's end: A overdue since the 20th (11 days) and without progress
  // since it was assigned on the 1st (30 days: the no-progress clock starts
  // at the assignment, not at the start of rectification); B assigned on
  // the 2nd and not started (29 days).
  ASSERT_EQ(april.notices_size(), 2);
  const v1::UnitNotices& hongshui = april.notices(0);
  EXPECT_EQ(hongshui.responsible_unit(), "minle-hongshui-town");
  ASSERT_EQ(hongshui.notices_size(), 2);
  EXPECT_EQ(hongshui.notices(0).reason(), v1::NOTICE_REASON_OVERDUE);
  EXPECT_EQ(hongshui.notices(0).days(), 11);
  EXPECT_EQ(ToTime(hongshui.notices(0).since()), China(2026, 4, 20));
  EXPECT_EQ(hongshui.notices(1).reason(), v1::NOTICE_REASON_NO_PROGRESS);
  EXPECT_EQ(hongshui.notices(1).days(), 30);
  EXPECT_EQ(hongshui.notices(1).status(), v1::CASE_STATUS_RECTIFYING);
  const v1::UnitNotices& sanbao = april.notices(1);
  ASSERT_EQ(sanbao.notices_size(), 1);
  EXPECT_EQ(sanbao.notices(0).case_id(), b);
  EXPECT_EQ(sanbao.notices(0).reason(), v1::NOTICE_REASON_NOT_STARTED);
  EXPECT_EQ(sanbao.notices(0).days(), 29);

  // May, still running: A verified and closed 34 days after its report
  // (2026-03-31 23:30 to 2026-05-05 08:00); B still not started.
  ASSERT_OK_AND_ASSIGN(v1::GetMonthlyReportResponse may, Report(2026, 5));
  EXPECT_EQ(ToTime(may.as_of()), clock_.Now());
  EXPECT_EQ(may.total().new_cases(), 0);
  EXPECT_EQ(may.total().verified(), 1);
  EXPECT_EQ(may.total().closed(), 1);
  EXPECT_EQ(may.total().median_days_to_close(), 34.0);
  EXPECT_EQ(may.total().closed_to_date(), 1);
  EXPECT_EQ(may.total().open_at_end(), 1);
  EXPECT_EQ(may.total().closure_rate(), 0.5);
  EXPECT_EQ(may.total().overdue(), 0);
  ASSERT_EQ(may.notices_size(), 1);
  EXPECT_EQ(may.notices(0).notices(0).case_id(), b);
  EXPECT_EQ(may.notices(0).notices(0).days(), 34);

  // The notices now agree with the report of the running month.
  ASSERT_OK_AND_ASSIGN(v1::ListNoticesResponse now,
                       projection::CurrentNotices(*store_, "620722", {}, thresholds_,
                                                  clock_.Now()));
  ASSERT_EQ(now.units_size(), 1);
  EXPECT_EQ(now.units(0).notices(0).case_id(), b);
  // Another county's prefix holds nothing.
  ASSERT_OK_AND_ASSIGN(v1::GetMonthlyReportResponse other,
                       projection::MonthlyReport(*store_, 2026, 4, "620702", thresholds_,
                                                 clock_.Now()));
  EXPECT_EQ(other.total().open_at_end(), 0);
  EXPECT_TRUE(other.by_unit().empty());
  EXPECT_TRUE(other.notices().empty());

  // Verify re-derives every counter and record; a damaged cell and a stray
  // record are found, and rebuild puts the April report back as it was.
  pipeline_->Stop();
  ASSERT_OK_AND_ASSIGN(projection::VerifyReport clean,
                       projection::VerifyStore(*store_, projection::VerifyOptions()));
  EXPECT_TRUE(clean.ok()) << (clean.problems.empty() ? "" : clean.problems[0]);
  rocksdb::ColumnFamilyHandle* reports = store_->FamilyForTesting(storage::keys::kReports);
  ASSERT_NE(reports, nullptr);
  std::unique_ptr<rocksdb::Iterator> it(store_->db()->NewIterator(rocksdb::ReadOptions(), reports));
  it->Seek("m/202604/");
  ASSERT_TRUE(it->Valid());
  const std::string damaged = it->key().ToString();
  it.reset();
  ASSERT_TRUE(store_->db()->Delete(rocksdb::WriteOptions(), reports, damaged).ok());
  ASSERT_TRUE(store_->db()
                  ->Put(rocksdb::WriteOptions(), reports, "e/202604/620722100/stray/01/x", "junk")
                  .ok());
  ASSERT_OK_AND_ASSIGN(projection::VerifyReport broken,
                       projection::VerifyStore(*store_, projection::VerifyOptions()));
  EXPECT_EQ(broken.problem_count, 2);
  EXPECT_THAT(broken.problems, ::testing::Contains(HasSubstr("reports: missing key")));
  EXPECT_THAT(broken.problems, ::testing::Contains(HasSubstr("reports: extra key")));
  ASSERT_OK_AND_ASSIGN(projection::RebuildReport rebuilt, projection::RebuildStore(*store_));
  EXPECT_EQ(rebuilt.report_keys_written, 1);
  EXPECT_EQ(rebuilt.report_keys_removed, 1);
  ASSERT_OK_AND_ASSIGN(projection::VerifyReport repaired,
                       projection::VerifyStore(*store_, projection::VerifyOptions()));
  EXPECT_TRUE(repaired.ok());
  ASSERT_OK_AND_ASSIGN(v1::GetMonthlyReportResponse april_again, Report(2026, 4));
  EXPECT_EQ(april_again.SerializeAsString(), april.SerializeAsString());
}

TEST_F(ReportCountersTest, BadMonthsAreRefusedNamingTheField) {
  EXPECT_THAT(Report(2026, 13), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("month")));
  EXPECT_THAT(Report(2026, 0), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("month")));
  EXPECT_THAT(Report(1999, 12), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("year")));
  // The clock stands at 2026-03-31 23:30: April has not begun.
  EXPECT_THAT(Report(2026, 4),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("has not begun")));
  ASSERT_OK_AND_ASSIGN(v1::GetMonthlyReportResponse march, Report(2026, 3));
  EXPECT_EQ(march.total().new_cases(), 0);
  EXPECT_TRUE(march.by_category().empty());
}

}  // namespace
}  // namespace rectify::server

// The monthly report test's model (monthly_report_model.h) on small cases
// whose figures are computed by hand here, so that the model the seeded
// dataset test trusts is itself checked against docs/reports.md.
#include "tests/server/monthly_report_model.h"

#include <string>
#include <vector>

#include "base/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "workflow/policy.h"

namespace rectify::report_model {
namespace {

using ::testing::HasSubstr;

TEST(MonthlyReportModelTest, WholeDaysAreFloorOfTwentyFourHours) {
  EXPECT_EQ(WholeDays(China(2026, 3, 1, 9), China(2026, 3, 3, 8, 59)), 1);
  EXPECT_EQ(WholeDays(China(2026, 3, 1, 9), China(2026, 3, 3, 9)), 2);
  EXPECT_EQ(MakeMonth(2026, 12).end, China(2027, 1, 1));
}

TEST(MonthlyReportModelTest, RegionRowsAreTheLevelBelowThePrefix) {
  EXPECT_EQ(RegionRow("620722100201", 6), "620722100");
  EXPECT_EQ(RegionRow("620722", 6), "620722");  // the county itself
  EXPECT_EQ(RegionRow("620722100201", 9), "620722100201");
  EXPECT_EQ(RegionRow("620722100201", 4), "620722");
}

// Three cases of Minle in March 2026, by hand:
//   0: 620722100 AIR, reported 03-02, assigned to unit-a 03-03, closed 03-20
//      (18 whole days from its report);
//   1: 620722101 WATER, reported 03-05, assigned to unit-b 03-06, RECTIFYING
//      at the month's end, overdue since 03-25, no progress since 03-06 10:00;
//   2: 620722100 AIR, reported 03-10, closed as unfounded 03-12.
class SmallMonthTest : public ::testing::Test {
 protected:
  void SetUp() override {
    policy_.notice_no_progress_days = 10;
    policy_.notice_not_started_days = 5;
    flows_ = {
        {China(2026, 3, 2, 9), Flow::kNew, 0, "", 0},
        {China(2026, 3, 3, 9), Flow::kAssigned, 0, "unit-a", 0},
        {China(2026, 3, 20, 9), Flow::kClosed, 0, "unit-a", 18},
        {China(2026, 3, 5, 9), Flow::kNew, 1, "", 0},
        {China(2026, 3, 6, 10), Flow::kAssigned, 1, "unit-b", 0},
        {China(2026, 3, 10, 9), Flow::kNew, 2, "", 0},
        {China(2026, 3, 12, 9), Flow::kClosedUnfounded, 2, "", 0},
        // April: not in March's figures.
        {China(2026, 4, 2, 9), Flow::kVerified, 1, "unit-b", 0},
    };
    places_ = {{"620722100", v1::CATEGORY_AIR},
               {"620722101", v1::CATEGORY_WATER},
               {"620722100", v1::CATEGORY_AIR}};
    CaseView closed = View("C-0", 0, v1::CASE_STATUS_CLOSED, "unit-a");
    CaseView open = View("C-1", 1, v1::CASE_STATUS_RECTIFYING, "unit-b");
    open.overdue = true;
    open.overdue_since = China(2026, 3, 25);
    open.progress_clock_since = China(2026, 3, 6, 10);
    open.assigned_at = China(2026, 3, 6, 10);
    CaseView unfounded = View("C-2", 2, v1::CASE_STATUS_CLOSED, "");
    unfounded.closed_unfounded = true;
    snapshot_ = {{"C-0", closed}, {"C-1", open}, {"C-2", unfounded}};
  }

  CaseView View(const std::string& id, int index, v1::CaseStatus status, const std::string& unit) {
    CaseView view;
    view.case_id = id;
    view.title = id + " title";
    view.region = places_[index].region;
    view.category = places_[index].category;
    view.status = status;
    view.unit = unit;
    return view;
  }

  v1::GetMonthlyReportResponse Expected(const std::string& prefix) {
    return ExpectedReport(
        MakeMonth(2026, 3), prefix, China(2026, 4, 1), flows_,
        [this](int index) { return places_[index]; }, snapshot_,
        [this](const Condition& condition) { return snapshot_.at(condition.case_id); }, policy_);
  }

  workflow::Policy policy_;
  std::vector<FlowEvent> flows_;
  std::vector<CasePlace> places_;
  Snapshot snapshot_;
};

TEST_F(SmallMonthTest, FiguresAndNoticesAreTheHandComputedOnes) {
  v1::GetMonthlyReportResponse want;
  want.set_year(2026);
  want.set_month(3);
  want.set_region_prefix("620722");
  *want.mutable_as_of() = ToProto(China(2026, 4, 1));
  want.set_no_progress_days(10);
  want.set_not_started_days(5);
  v1::ReportFigures& total = *want.mutable_total();
  total.set_new_cases(3);
  total.set_assigned(2);
  total.set_closed(1);
  total.set_closed_unfounded(1);
  total.set_rectifying(1);
  total.set_overdue(1);
  total.set_closed_to_date(1);
  total.set_open_at_end(1);
  total.set_unfounded_to_date(1);
  total.set_closure_rate(0.5);  // 1 / (1 + 1); the unfounded one in neither
  total.set_median_days_to_close(18);
  auto row = [](google::protobuf::RepeatedPtrField<v1::ReportRow>* rows, const std::string& key) {
    v1::ReportRow* added = rows->Add();
    added->set_key(key);
    return added->mutable_figures();
  };
  v1::ReportFigures* air = row(want.mutable_by_category(), "CATEGORY_AIR");
  air->set_new_cases(2);
  air->set_assigned(1);
  air->set_closed(1);
  air->set_closed_unfounded(1);
  air->set_closed_to_date(1);
  air->set_unfounded_to_date(1);
  air->set_closure_rate(1.0);
  air->set_median_days_to_close(18);
  v1::ReportFigures* water = row(want.mutable_by_category(), "CATEGORY_WATER");
  water->set_new_cases(1);
  water->set_assigned(1);
  water->set_rectifying(1);
  water->set_overdue(1);
  water->set_open_at_end(1);
  *row(want.mutable_by_region(), "620722100") = *air;
  *row(want.mutable_by_region(), "620722101") = *water;
  // The unit rows: reports (and the unfounded close) before any assignment
  // are in the row with the empty key.
  v1::ReportFigures* none = row(want.mutable_by_unit(), "");
  none->set_new_cases(3);
  none->set_closed_unfounded(1);
  none->set_unfounded_to_date(1);
  v1::ReportFigures* unit_a = row(want.mutable_by_unit(), "unit-a");
  unit_a->set_assigned(1);
  unit_a->set_closed(1);
  unit_a->set_closed_to_date(1);
  unit_a->set_closure_rate(1.0);
  unit_a->set_median_days_to_close(18);
  v1::ReportFigures* unit_b = row(want.mutable_by_unit(), "unit-b");
  unit_b->set_assigned(1);
  unit_b->set_rectifying(1);
  unit_b->set_overdue(1);
  unit_b->set_open_at_end(1);
  // unit-b's notices: OVERDUE since 03-25 (7 days to 04-01), NO_PROGRESS
  // since 03-06 10:00 (25 days 14 hours: 25).
  v1::UnitNotices& group = *want.add_notices();
  group.set_responsible_unit("unit-b");
  v1::Notice& overdue = *group.add_notices();
  overdue.set_reason(v1::NOTICE_REASON_OVERDUE);
  overdue.set_case_id("C-1");
  overdue.set_title("C-1 title");
  overdue.set_responsible_unit("unit-b");
  overdue.set_status(v1::CASE_STATUS_RECTIFYING);
  *overdue.mutable_since() = ToProto(China(2026, 3, 25));
  overdue.set_days(7);
  v1::Notice& no_progress = *group.add_notices();
  no_progress = overdue;
  no_progress.set_reason(v1::NOTICE_REASON_NO_PROGRESS);
  *no_progress.mutable_since() = ToProto(China(2026, 3, 6, 10));
  no_progress.set_days(25);

  std::vector<std::string> diffs;
  DiffReports("2026-03", want, Expected("620722"), &diffs);
  EXPECT_TRUE(diffs.empty()) << diffs.front();
}

TEST_F(SmallMonthTest, ATownshipPrefixKeepsItsOwnCases) {
  const v1::GetMonthlyReportResponse town = Expected("620722101");
  EXPECT_EQ(town.total().new_cases(), 1);
  EXPECT_EQ(town.total().open_at_end(), 1);
  ASSERT_EQ(town.by_region_size(), 1);
  EXPECT_EQ(town.by_region(0).key(), "620722101");
}

TEST_F(SmallMonthTest, DifferencesAreNamedInWords) {
  v1::GetMonthlyReportResponse got = Expected("620722");
  got.mutable_total()->set_closed(2);
  got.mutable_by_unit()->RemoveLast();
  std::vector<std::string> diffs;
  DiffReports("2026-03", Expected("620722"), got, &diffs);
  ASSERT_EQ(diffs.size(), 2u);
  EXPECT_THAT(diffs[0], HasSubstr("total.closed: expected 1, got 2"));
  EXPECT_THAT(diffs[1], HasSubstr("by_unit[unit-b]: missing"));
}

}  // namespace
}  // namespace rectify::report_model

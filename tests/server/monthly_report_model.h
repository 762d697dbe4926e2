// The monthly report test's model (tests/server/monthly_report_test.cc):
// what docs/reports.md says each report figure and notice is, computed from
// the test's own log of the actions it took and from snapshots of the cases,
// never by the server's report code (projection/reports.cc); and the
// comparison of an expected report with the server's, every difference in
// words. monthly_report_model_test.cc checks the model itself on small
// hand-computed cases.
//
//   Snapshot at_end = ...;  // every case's CaseView at the month's end
//   v1::GetMonthlyReportResponse want = ExpectedReport(
//       MakeMonth(2026, 3), "620722", month_end, flows, place_of, at_end, AsNow(at_end), policy);
//   std::vector<std::string> diffs;
//   DiffReports("2026-03", want, got, &diffs);
//   ExpectNoDiffs("2026-03", diffs);
#ifndef RECTIFY_TESTS_SERVER_MONTHLY_REPORT_MODEL_H_
#define RECTIFY_TESTS_SERVER_MONTHLY_REPORT_MODEL_H_

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/time/time.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "google/protobuf/timestamp.pb.h"
#include "rectify/v1/case.pb.h"
#include "rectify/v1/supervision_service.pb.h"
#include "workflow/policy.h"

namespace rectify::report_model {

// ---------------------------------------------------------------------------
// Time.

const absl::TimeZone& ChinaTime();

absl::Time China(int year, int month, int day, int hour = 0, int minute = 0, int second = 0);

// docs/reports.md: whole days are floor((later - earlier) / 24 h).
int WholeDays(absl::Time earlier, absl::Time later);

std::string ChinaText(absl::Time time);

// A civil month in China Standard Time.
struct Month {
  int year;
  int month;
  absl::Time start;
  absl::Time end;
  std::string Name() const { return absl::StrFormat("%04d-%02d", year, month); }
};

Month MakeMonth(int year, int month);

// ---------------------------------------------------------------------------
// What the test records.

// What the test knows of a case it reported.
struct CaseRecord {
  std::string case_id;
  absl::Time reported_at;
  // The unit now, by the test's own account of its actions.
  std::string unit;
  // The no-progress clock, by the test's own account (DOMAIN.md, issue 12):
  // it restarts at (re)assignment, each progress report, a failed
  // verification and a reopening, and stops while a completion waits for
  // verification.
  absl::Time clock_since = absl::InfinitePast();
  bool completion_pending = false;
};

// The flows of docs/reports.md, "The figures of one row".
enum class Flow { kNew, kAssigned, kVerified, kClosed, kClosedUnfounded };

// One counted event, by the test's own log.
struct FlowEvent {
  absl::Time at;
  Flow flow;
  int case_index;
  // The case's unit at the event ("" before any assignment).
  std::string unit;
  // kClosed: whole days from the report to this close.
  int days_to_close = 0;
};

// What the notices and the end-of-month figures need of a case, as read
// from a reply of the server (a snapshot or a command's answer).
struct CaseView {
  absl::Time at;
  std::string case_id;
  std::string title;
  std::string region;
  v1::Category category = v1::CATEGORY_UNSPECIFIED;
  v1::CaseStatus status = v1::CASE_STATUS_UNSPECIFIED;
  std::string unit;
  bool overdue = false;
  // The earliest due instant of the MISSED obligation deadlines.
  absl::Time overdue_since = absl::InfiniteFuture();
  // The no-progress clock and whether a completion awaits verification,
  // from the test's CaseRecord (not the server's account).
  absl::Time progress_clock_since = absl::InfinitePast();
  bool completion_pending = false;
  // CLOSED as unfounded (查无实据).
  bool closed_unfounded = false;
  absl::Time assigned_at = absl::InfinitePast();
  // The earliest due instant of an OPEN deadline (the scheduler's work).
  absl::Time earliest_open_due = absl::InfiniteFuture();
};

// DOMAIN.md: the deadlines whose passing is somebody's lateness. Only
// RECTIFICATION deadlines occur in this dataset.
bool IsObligation(v1::DeadlineKind kind);

CaseView ViewOf(const v1::Case& c, absl::Time at, const CaseRecord& record);

// Every case reported by the instant, by case id.
using Snapshot = std::map<std::string, CaseView>;

// One notice condition that holds at an instant.
struct Condition {
  std::string case_id;
  v1::NoticeReason reason;
  absl::Time since;
};

// Whether `view` is still in the condition (ignoring the N-day threshold,
// which once passed stays passed): the same reason with the same `since`.
bool StillHolds(const CaseView& view, const Condition& condition);

// docs/reports.md, "Notices": the conditions that hold at `at` for the cases
// of `snapshot` inside `prefix`.
std::vector<Condition> ConditionsAt(const Snapshot& snapshot, absl::Time at,
                                    const std::string& prefix, const workflow::Policy& policy);

// How a notice shows its case: title, unit and status come from this view.
using NoticeDisplay = std::function<CaseView(const Condition&)>;

// The notices of `conditions` at `at`, grouped per unit (sorted by unit;
// within a unit by reason, then case id).
google::protobuf::RepeatedPtrField<v1::UnitNotices> GroupNotices(
    const std::vector<Condition>& conditions, absl::Time at, const NoticeDisplay& display);

// docs/reports.md: the region row of a case is its code cut to the level
// below the prefix (2 -> 4 -> 6 -> 9 -> 12 digits); shorter codes are their
// own row.
std::string RegionRow(const std::string& region, size_t prefix_length);

// A row while it is being summed.
struct RowSum {
  v1::ReportFigures figures;
  std::vector<int> days_to_close;
};

void Finish(RowSum& row);

bool AnyNonZero(const v1::ReportFigures& f);

// Where a case is counted: its region and category.
struct CasePlace {
  std::string region;
  v1::Category category = v1::CATEGORY_UNSPECIFIED;
};

// The report of `month` for `prefix` at `as_of` (the month's end or, while
// it runs, now), from the test's log and the snapshot taken at `as_of`;
// notices shown through `display`.
// The flows come from `flows` (the test's log, each case placed by
// `place_of`), the end-of-month figures and the notices from `snapshot`
// (taken at `as_of`), N from `policy`.
v1::GetMonthlyReportResponse ExpectedReport(const Month& month, const std::string& prefix,
                                            absl::Time as_of, const std::vector<FlowEvent>& flows,
                                            const std::function<CasePlace(int)>& place_of,
                                            const Snapshot& snapshot, const NoticeDisplay& display,
                                            const workflow::Policy& policy);

// ---------------------------------------------------------------------------
// Comparing answers, with every difference in words.

std::string StampText(const google::protobuf::Timestamp& timestamp);

void DiffFigures(const std::string& where, const v1::ReportFigures& want,
                 const v1::ReportFigures& got, std::vector<std::string>* diffs);

void DiffRows(const std::string& where, const google::protobuf::RepeatedPtrField<v1::ReportRow>& want,
              const google::protobuf::RepeatedPtrField<v1::ReportRow>& got,
              std::vector<std::string>* diffs);

std::string NoticeText(const std::string& group_unit, const v1::Notice& n);

void DiffNotices(const std::string& where,
                 const google::protobuf::RepeatedPtrField<v1::UnitNotices>& want,
                 const google::protobuf::RepeatedPtrField<v1::UnitNotices>& got,
                 std::vector<std::string>* diffs);

void DiffReports(const std::string& where, const v1::GetMonthlyReportResponse& want,
                 const v1::GetMonthlyReportResponse& got, std::vector<std::string>* diffs);

// Fails the test with the first differences, if any.
void ExpectNoDiffs(const std::string& what, const std::vector<std::string>& diffs);

}  // namespace rectify::report_model

#endif  // RECTIFY_TESTS_SERVER_MONTHLY_REPORT_MODEL_H_

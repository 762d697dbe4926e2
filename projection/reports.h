// The monthly dispatch report (月调度) and the notices (通报): what the
// store keeps for them, and how they are read back (docs/reports.md has the
// definitions and the key layout).
//
// Writing: for every case event, ReportChangesForEvent compares the case
// before and after it and adds to a ReportChanges the counter-cell changes
// (flows of the event's month, the change of the end-of-month figures, the
// progress of the rectification lists the case is on), the
// records of the notice conditions that hold (written when they begin or
// their notice changes, deleted when they end) and the month-end records of
// the conditions the event ended. The
// pipeline adds them to the commit batch of the events; verify and rebuild
// derive them the same way from the events.
//
// Reading: MonthlyReport and CurrentNotices read the counter cells and
// notice records of one region prefix in one snapshot; they read no case.
//
//   ReportChanges changes;
//   ReportSnapshot before = ReportSnapshotOf(state);
//   RETURN_IF_ERROR(workflow::Evolve(state, event));
//   ReportChangesForEvent(before, ReportSnapshotOf(state), event, changes);
//   changes.AddTo(batch);
#ifndef RECTIFY_PROJECTION_REPORTS_H_
#define RECTIFY_PROJECTION_REPORTS_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "rectify/v1/case.pb.h"
#include "rectify/v1/complaint.pb.h"
#include "rectify/v1/event.pb.h"
#include "rectify/v1/penalty.pb.h"
#include "rectify/v1/supervision_service.pb.h"
#include "projection/projector.h"
#include "storage/counters.h"
#include "storage/event_store.h"

namespace rectify::projection {

// The counter numbers of a report cell.
enum ReportCounter : uint32_t {
  // Flows: events of the cell's month.
  kNewCases = 1,
  kAssigned = 2,
  kVerified = 3,
  // Closed (销号), not as unfounded.
  kClosed = 4,
  // Closed as unfounded (查无实据): not in the closure rate nor the median.
  kClosedUnfounded = 9,
  // End-of-month figures: in a month cell, their change during the month;
  // in a "now" cell, their value now.
  kRectifying = 5,
  kOverdue = 6,
  kClosedToDate = 7,
  kOpenAtEnd = 8,
  kUnfoundedToDate = 10,
  // The days-to-close histogram: kDaysToCloseBase + whole days -> closes.
  kDaysToCloseBase = 1000,
};

// The counter numbers of a rectification list's progress cell
// ("l/" list_id "/" unit: the list's items of one responsible unit, as the
// cases are now).
enum ListProgressCounter : uint32_t {
  kListItems = 1,
  kListClosed = 2,
  kListOverdue = 3,
};
// The counter numbers of a 12369 complaints cell ("q/" yyyymm "/"
// region_code: flows of the month, in China time; docs/reports.md). The
// receipt counts in the month the complaint was received (its
// details.received_at), the other steps in the month they were recorded.
enum ComplaintCounter : uint32_t {
  kComplaintsReceived = 1,
  kComplaintsAccepted = 2,
  kComplaintsTransferred = 3,
  // Final replies.
  kComplaintsAnswered = 4,
  // Final replies made before the reply clock fell due.
  kComplaintsAnsweredOnTime = 5,
  // Callbacks by result.
  kComplaintsSatisfied = 6,
  kComplaintsNotSatisfied = 7,
};

// The counter numbers of a penalty cell ("p/" yyyymm "/" region_code: flows
// of the month the penalty event was recorded in, China time;
// docs/reports.md, "Penalties").
enum PenaltyCounter : uint32_t {
  // PenaltyFilingDecided with approved (立案).
  kPenaltyCasesFiled = 1,
  // PenaltyDecided of kind ORIGINAL.
  kPenaltyDecisions = 2,
  // The fine of every PenaltyDecided (original and daily), in fen.
  kFinesDecidedFen = 3,
  // Fine and late surcharge of every PenaltyPaymentRecorded, in fen.
  kFinesCollectedFen = 4,
  // PenaltyDecided of kind DAILY (按日连续处罚).
  kDailyPenalties = 5,
  // The whole days from the filing to the decision, summed over the
  // kPenaltyDecisions (their mean is the report's figure).
  kDaysFilingToDecisionSum = 6,
};

// Longer closes are counted at this many days.
inline constexpr int kMaxDaysToClose = 100000;

// Report writes gathered for one commit (or, in verify, for the whole
// store). A key is in at most one of `puts` and `deletes`: the later write
// of a key replaces the earlier.
struct ReportChanges {
  std::map<std::string, storage::CounterCell> merges;
  std::map<std::string, std::string> puts;
  std::set<std::string> deletes;

  void Put(const std::string& key, std::string value);
  void Delete(const std::string& key);
  // Adds `other`'s writes to these, as if they came after.
  void MergeFrom(ReportChanges&& other);
  // Moves the writes into `batch` (cells whose changes cancel out are left
  // out).
  void AddTo(storage::CommitBatch& batch);
};

// Adds what a complaint event changes in the reports, `after` being the
// complaint right after it (workflow/complaints.h EvolveComplaint).
void ComplaintReportChanges(const v1::Complaint& after, const v1::Event& event,
                            ReportChanges& changes);

// Adds what a penalty event changes in the reports, `after` being the
// penalty case right after it (workflow/penalties.h EvolvePenalty).
void PenaltyReportChanges(const v1::PenaltyCase& after, const v1::Event& event,
                          ReportChanges& changes);

// What the reports need of a case's state: taken before and after each
// event, so that the commit path does not copy whole cases (with their
// progress reports and evidence) to compare them.
struct ReportSnapshot {
  int64_t version = 0;
  std::string case_id;
  std::string title;
  v1::CaseStatus status = v1::CASE_STATUS_UNSPECIFIED;
  // CLOSED as unfounded (查无实据).
  bool closed_unfounded = false;
  bool overdue = false;
  std::string region_code;
  v1::Category category = v1::CATEGORY_UNSPECIFIED;
  std::string responsible_unit;
  absl::Time reported_at;
  std::vector<NoticeCondition> conditions;
  std::vector<std::string> list_ids;
};
ReportSnapshot ReportSnapshotOf(const v1::Case& state);

// Adds what `event` changes in the reports, `before` and `after` being the
// case's state around it.
void ReportChangesForEvent(const ReportSnapshot& before, const ReportSnapshot& after,
                           const v1::Event& event, ReportChanges& changes);

// The progress of a rectification list from its progress cells, read in
// one scan of a few keys (one per responsible unit): total, closed and
// overdue, and the same per unit (by unit), with closure rates.
struct ListProgressFigures {
  v1::ListProgress total;
  std::vector<v1::UnitProgress> per_unit;
};
absl::StatusOr<ListProgressFigures> ListProgressOf(storage::EventStore& store,
                                                   const std::string& list_id);

// China Standard Time (UTC+8, no daylight saving): the bureau's months.
const absl::TimeZone& ReportTimeZone();
// The instant month `month` of `year` begins.
absl::Time MonthStart(int year, int month);

// The notice thresholds (policy notice_no_progress_days and
// notice_not_started_days).
struct NoticeThresholds {
  int no_progress_days = 15;
  int not_started_days = 7;
};

// The notices at `now` of the cases whose region starts with
// `region_prefix` (already checked against the caller's jurisdiction), of
// `reasons` (all when empty), grouped per responsible unit.
absl::StatusOr<v1::ListNoticesResponse> CurrentNotices(storage::EventStore& store,
                                                       const std::string& region_prefix,
                                                       const std::vector<v1::NoticeReason>& reasons,
                                                       const NoticeThresholds& thresholds,
                                                       absl::Time now);

// The monthly report of `year`-`month` for `region_prefix` at `now`.
// INVALID_ARGUMENT (naming the field) for a month outside 1..12, a year
// before 2000 or after 9999, or a month that has not begun at `now`.
absl::StatusOr<v1::GetMonthlyReportResponse> MonthlyReport(storage::EventStore& store, int year,
                                                           int month,
                                                           const std::string& region_prefix,
                                                           const NoticeThresholds& thresholds,
                                                           absl::Time now);

}  // namespace rectify::projection

#endif  // RECTIFY_PROJECTION_REPORTS_H_

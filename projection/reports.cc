// Report counters, notice records and the reports read from them; see
// reports.h and docs/reports.md.
//
// One file (about 920 lines), on purpose: the counters written at commit
// (ReportChangesForEvent and its complaint and penalty kin) and the reports
// that read them back (MonthlyReport, CurrentNotices, ListProgressOf) are two
// sides of one key layout, the helpers at the top (cell suffixes, open
// notice records, month prefixes); kept together, a change to the layout is
// made on both sides at once. MonthlyReport itself is planned
// (PlanReportScans) apart from adding up (AddUpCells).
#include "projection/reports.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string_view>
#include <tuple>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "base/dates.h"
#include "base/proto_time.h"
#include "base/regions.h"
#include "base/status_macros.h"
#include "base/user_message.h"
#include "projection/projector.h"

namespace rectify::projection {
namespace {

constexpr absl::Duration kDay = absl::Hours(24);
// Region code lengths of GB/T 2260 and its township/village extension.
constexpr size_t kRegionLevels[] = {2, 4, 6, 9, 12};

std::string MonthKeyPart(absl::CivilMonth month) {
  return absl::StrFormat("%04d%02d", month.year(), month.month());
}

absl::CivilMonth MonthOf(absl::Time time) {
  return absl::CivilMonth(absl::ToCivilSecond(time, ReportTimeZone()));
}

absl::Time StartOf(absl::CivilMonth month) { return absl::FromCivil(month, ReportTimeZone()); }

// The dimensions a case is counted under.
std::string CellSuffix(const ReportSnapshot& state) {
  return absl::StrFormat("%s/%02d/%s", state.region_code, static_cast<int>(state.category),
                         state.responsible_unit);
}

// The record of a notice condition that holds now (docs/reports.md):
//   "o/" region "/" NN(reason) "/" T(start) "/" T(since) "/" case_id
std::string OpenRecordKey(const ReportSnapshot& state, const NoticeCondition& condition) {
  return absl::StrFormat("o/%s/%02d/%s/%s/%s", state.region_code,
                         static_cast<int>(condition.reason), TimeKeyPart(condition.start),
                         TimeKeyPart(condition.since), state.case_id);
}
std::string OpenRecordPrefix(const std::string& region_prefix) {
  return absl::StrCat("o/", region_prefix);
}

// The notice of `condition` as `state` shows it, serialized (days unset).
std::string NoticeOf(const ReportSnapshot& state, const NoticeCondition& condition) {
  v1::Notice notice;
  notice.set_reason(condition.reason);
  notice.set_case_id(state.case_id);
  notice.set_title(state.title);
  notice.set_responsible_unit(state.responsible_unit);
  notice.set_status(state.status);
  *notice.mutable_since() = ToProto(condition.since);
  return notice.SerializeAsString();
}

// The start of the condition an "o/" key records (the 16 hex digits after
// the reason), or nullopt for a malformed key.
std::optional<absl::Time> OpenRecordStart(absl::string_view key) {
  const size_t region_end = key.find('/', 2);
  if (region_end == absl::string_view::npos || key.size() < region_end + 4 + 16) {
    return std::nullopt;
  }
  uint64_t micros = 0;
  if (!absl::SimpleHexAtoi(key.substr(region_end + 4, 16), &micros)) return std::nullopt;
  return absl::FromUnixMicros(static_cast<int64_t>(micros ^ (uint64_t{1} << 63)));
}

std::string MonthCellPrefix(absl::CivilMonth month, const std::string& region_prefix) {
  return absl::StrCat("m/", MonthKeyPart(month), "/", region_prefix);
}
std::string NowCellPrefix(const std::string& region_prefix) {
  return absl::StrCat("n/", region_prefix);
}
std::string MonthEndNoticePrefix(absl::CivilMonth month, const std::string& region_prefix) {
  return absl::StrCat("e/", MonthKeyPart(month), "/", region_prefix);
}

// The end-of-month figures of a case in its present state.
storage::CounterCell Gauges(const ReportSnapshot& state) {
  storage::CounterCell cell;
  if (state.version == 0) return cell;
  const bool closed = state.status == v1::CASE_STATUS_CLOSED;
  if (state.status == v1::CASE_STATUS_RECTIFYING) cell[kRectifying] = 1;
  if (state.overdue && !closed) cell[kOverdue] = 1;
  cell[!closed ? kOpenAtEnd : state.closed_unfounded ? kUnfoundedToDate : kClosedToDate] = 1;
  return cell;
}

// What a case adds to the progress of each list it is on.
storage::CounterCell ListGauges(const ReportSnapshot& state) {
  storage::CounterCell cell;
  if (state.version == 0) return cell;
  cell[kListItems] = 1;
  if (state.status == v1::CASE_STATUS_CLOSED) cell[kListClosed] = 1;
  if (state.overdue) cell[kListOverdue] = 1;
  return cell;
}

std::string ListProgressPrefix(const std::string& list_id) {
  return absl::StrCat("l/", list_id, "/");
}
std::string ListProgressKey(const std::string& list_id, const std::string& unit) {
  return absl::StrCat(ListProgressPrefix(list_id), unit);
}

void AddScaled(const storage::CounterCell& cell, int64_t factor, storage::CounterCell& into) {
  for (const auto& [number, count] : cell) into[number] += factor * count;
}

// The whole days from `from` to `to`, never negative.
int WholeDays(absl::Time from, absl::Time to) {
  if (to <= from) return 0;
  return static_cast<int>(
      std::min<int64_t>(absl::ToInt64Hours(to - from) / 24, int64_t{kMaxDaysToClose}));
}

// ---- Reading -------------------------------------------------------------

// The figures of one row as they are added up.
struct Tally {
  int64_t new_cases = 0;
  int64_t assigned = 0;
  int64_t verified = 0;
  int64_t closed = 0;
  int64_t closed_unfounded = 0;
  int64_t rectifying = 0;
  int64_t overdue = 0;
  int64_t closed_to_date = 0;
  int64_t open_at_end = 0;
  int64_t unfounded_to_date = 0;
  std::map<int, int64_t> days_to_close;
  // 12369 complaints (ComplaintCounter), in total and region rows only.
  int64_t complaints_received = 0;
  int64_t complaints_accepted = 0;
  int64_t complaints_transferred = 0;
  int64_t complaints_answered = 0;
  int64_t complaints_answered_on_time = 0;
  int64_t complaints_satisfied = 0;
  int64_t complaints_not_satisfied = 0;

  // Penalties (PenaltyCounter), in total and region rows only.
  int64_t penalty_cases_filed = 0;
  int64_t penalty_decisions = 0;
  int64_t fines_decided_fen = 0;
  int64_t fines_collected_fen = 0;
  int64_t daily_penalties = 0;
  int64_t days_filing_to_decision_sum = 0;

  void AddPenaltyFlow(uint32_t number, int64_t count) {
    switch (number) {
      case kPenaltyCasesFiled: penalty_cases_filed += count; break;
      case kPenaltyDecisions: penalty_decisions += count; break;
      case kFinesDecidedFen: fines_decided_fen += count; break;
      case kFinesCollectedFen: fines_collected_fen += count; break;
      case kDailyPenalties: daily_penalties += count; break;
      case kDaysFilingToDecisionSum: days_filing_to_decision_sum += count; break;
      default: break;
    }
  }

  void AddComplaintFlow(uint32_t number, int64_t count) {
    switch (number) {
      case kComplaintsReceived: complaints_received += count; break;
      case kComplaintsAccepted: complaints_accepted += count; break;
      case kComplaintsTransferred: complaints_transferred += count; break;
      case kComplaintsAnswered: complaints_answered += count; break;
      case kComplaintsAnsweredOnTime: complaints_answered_on_time += count; break;
      case kComplaintsSatisfied: complaints_satisfied += count; break;
      case kComplaintsNotSatisfied: complaints_not_satisfied += count; break;
      default: break;
    }
  }

  void AddFlow(uint32_t number, int64_t count) {
    switch (number) {
      case kNewCases: new_cases += count; break;
      case kAssigned: assigned += count; break;
      case kVerified: verified += count; break;
      case kClosed: closed += count; break;
      case kClosedUnfounded: closed_unfounded += count; break;
      default:
        if (number >= kDaysToCloseBase) {
          days_to_close[static_cast<int>(number - kDaysToCloseBase)] += count;
        }
    }
  }
  void AddGauge(uint32_t number, int64_t count) {
    switch (number) {
      case kRectifying: rectifying += count; break;
      case kOverdue: overdue += count; break;
      case kClosedToDate: closed_to_date += count; break;
      case kOpenAtEnd: open_at_end += count; break;
      case kUnfoundedToDate: unfounded_to_date += count; break;
      default: break;
    }
  }
  bool Empty() const {
    return new_cases == 0 && assigned == 0 && verified == 0 && closed == 0 &&
           closed_unfounded == 0 && rectifying == 0 && overdue == 0 && closed_to_date == 0 &&
           open_at_end == 0 && unfounded_to_date == 0 && complaints_received == 0 &&
           complaints_accepted == 0 && complaints_transferred == 0 && complaints_answered == 0 &&
           complaints_satisfied == 0 && complaints_not_satisfied == 0 &&
           penalty_cases_filed == 0 && penalty_decisions == 0 && fines_decided_fen == 0 &&
           fines_collected_fen == 0 && daily_penalties == 0;
  }
};

double Median(const std::map<int, int64_t>& histogram) {
  int64_t count = 0;
  for (const auto& [days, closes] : histogram) count += closes;
  if (count == 0) return 0;
  // The 0-based ranks of the middle value(s).
  const int64_t low_rank = (count - 1) / 2;
  const int64_t high_rank = count / 2;
  std::optional<int> low;
  int64_t seen = 0;
  for (const auto& [days, closes] : histogram) {
    if (closes <= 0) continue;
    if (!low.has_value() && low_rank < seen + closes) low = days;
    if (high_rank < seen + closes) return (*low + days) / 2.0;
    seen += closes;
  }
  return low.value_or(0);
}

void Fill(const Tally& tally, v1::ReportFigures& figures) {
  figures.set_new_cases(static_cast<int32_t>(tally.new_cases));
  figures.set_assigned(static_cast<int32_t>(tally.assigned));
  figures.set_rectifying(static_cast<int32_t>(tally.rectifying));
  figures.set_verified(static_cast<int32_t>(tally.verified));
  figures.set_closed(static_cast<int32_t>(tally.closed));
  figures.set_overdue(static_cast<int32_t>(tally.overdue));
  figures.set_closed_to_date(static_cast<int32_t>(tally.closed_to_date));
  figures.set_open_at_end(static_cast<int32_t>(tally.open_at_end));
  figures.set_closed_unfounded(static_cast<int32_t>(tally.closed_unfounded));
  figures.set_unfounded_to_date(static_cast<int32_t>(tally.unfounded_to_date));
  // Cases closed as unfounded are in neither term: the rate is of the
  // problems that were real.
  const int64_t reported = tally.closed_to_date + tally.open_at_end;
  figures.set_closure_rate(reported <= 0 ? 0.0
                                         : static_cast<double>(tally.closed_to_date) / reported);
  figures.set_median_days_to_close(Median(tally.days_to_close));
  figures.set_complaints_received(static_cast<int32_t>(tally.complaints_received));
  figures.set_complaints_accepted(static_cast<int32_t>(tally.complaints_accepted));
  figures.set_complaints_transferred(static_cast<int32_t>(tally.complaints_transferred));
  figures.set_complaints_answered(static_cast<int32_t>(tally.complaints_answered));
  figures.set_complaints_answered_on_time(static_cast<int32_t>(tally.complaints_answered_on_time));
  figures.set_complaints_satisfied(static_cast<int32_t>(tally.complaints_satisfied));
  figures.set_complaints_not_satisfied(static_cast<int32_t>(tally.complaints_not_satisfied));
  const int64_t called = tally.complaints_satisfied + tally.complaints_not_satisfied;
  figures.set_complaint_satisfaction_rate(
      called <= 0 ? 0.0 : static_cast<double>(tally.complaints_satisfied) / called);
  figures.set_penalty_cases_filed(static_cast<int32_t>(tally.penalty_cases_filed));
  figures.set_penalty_decisions(static_cast<int32_t>(tally.penalty_decisions));
  figures.set_fines_decided_fen(tally.fines_decided_fen);
  figures.set_fines_collected_fen(tally.fines_collected_fen);
  figures.set_daily_penalties(static_cast<int32_t>(tally.daily_penalties));
  figures.set_mean_days_filing_to_decision(
      tally.penalty_decisions <= 0
          ? 0.0
          : static_cast<double>(tally.days_filing_to_decision_sum) / tally.penalty_decisions);
}

// A counter cell key's dimensions, pointing into the key.
struct CellDimensions {
  std::string_view region_code;
  int category = 0;
  std::string_view unit;
};

// Takes "region/NN/unit" apart.
bool ParseCellSuffix(std::string_view suffix, CellDimensions* dimensions) {
  const size_t first = suffix.find('/');
  if (first == std::string_view::npos || suffix.size() < first + 4 || suffix[first + 3] != '/' ||
      !absl::ascii_isdigit(suffix[first + 1]) || !absl::ascii_isdigit(suffix[first + 2])) {
    return false;
  }
  dimensions->region_code = suffix.substr(0, first);
  dimensions->category = (suffix[first + 1] - '0') * 10 + (suffix[first + 2] - '0');
  dimensions->unit = suffix.substr(first + 4);
  return true;
}

// The region row a case of `region_code` falls in, for a report on
// `region_prefix`: the code cut to the level below the prefix.
std::string_view RegionRowKey(std::string_view region_code, size_t prefix_size) {
  for (size_t level : kRegionLevels) {
    if (level > prefix_size) return region_code.substr(0, level);
  }
  return region_code;
}

using TallyByKey = std::map<std::string, Tally, std::less<>>;

Tally& TallyOf(TallyByKey& tallies, std::string_view key) {
  auto it = tallies.find(key);
  if (it == tallies.end()) it = tallies.emplace(std::string(key), Tally()).first;
  return it->second;
}

// The four groupings of a report.
struct Tallies {
  Tally total;
  std::map<int, Tally> by_category;
  TallyByKey by_region;
  TallyByKey by_unit;
};

void FillRows(const TallyByKey& tallies,
              google::protobuf::RepeatedPtrField<v1::ReportRow>& rows) {
  for (const auto& [key, tally] : tallies) {
    if (tally.Empty()) continue;
    v1::ReportRow& row = *rows.Add();
    row.set_key(key);
    Fill(tally, *row.mutable_figures());
  }
}

// Category rows keyed by the enum name, sorted by it.
void FillCategoryRows(const std::map<int, Tally>& tallies,
                      google::protobuf::RepeatedPtrField<v1::ReportRow>& rows) {
  TallyByKey named;
  for (const auto& [category, tally] : tallies) {
    named.emplace(v1::Category_IsValid(category)
                      ? v1::Category_Name(static_cast<v1::Category>(category))
                      : absl::StrCat(category),
                  tally);
  }
  FillRows(named, rows);
}

int ThresholdDays(v1::NoticeReason reason, const NoticeThresholds& thresholds) {
  switch (reason) {
    case v1::NOTICE_REASON_NO_PROGRESS: return thresholds.no_progress_days;
    case v1::NOTICE_REASON_NOT_STARTED: return thresholds.not_started_days;
    default: return 0;
  }
}

bool Wanted(v1::NoticeReason reason, const std::vector<v1::NoticeReason>& reasons) {
  return reasons.empty() || std::find(reasons.begin(), reasons.end(), reason) != reasons.end();
}

// Collects the notices at `at` and groups them per unit.
class NoticeList {
 public:
  // `at_month_end`: `at` is a month's end, and what began at that very
  // instant belongs to the next month.
  NoticeList(absl::Time at, bool at_month_end, const NoticeThresholds& thresholds,
             const std::vector<v1::NoticeReason>& reasons)
      : at_(at), at_month_end_(at_month_end), thresholds_(thresholds), reasons_(reasons) {}

  // A month-end record (a condition that has since ended). Taken before the
  // open records, so that it wins over an open record of the same case and
  // reason (a condition whose start moved while it held).
  absl::Status AddMonthEndRecord(const storage::ReportEntry& entry) {
    return Add(entry);
  }

  // The record of a condition that holds now: counted when it began before
  // `at`.
  absl::Status AddOpenRecord(const storage::ReportEntry& entry) {
    const std::optional<absl::Time> start = OpenRecordStart(entry.key);
    if (!start.has_value()) {
      return absl::DataLossError(absl::StrCat("a malformed notice record key \"", entry.key, "\""));
    }
    if (at_month_end_ ? *start >= at_ : *start > at_) return absl::OkStatus();
    return Add(entry);
  }

  // Per unit, by unit; within a unit by reason, then case id.
  void MoveInto(google::protobuf::RepeatedPtrField<v1::UnitNotices>& units) {
    std::sort(notices_.begin(), notices_.end(), [](const v1::Notice& a, const v1::Notice& b) {
      return std::forward_as_tuple(a.responsible_unit(), a.reason(), a.case_id()) <
             std::forward_as_tuple(b.responsible_unit(), b.reason(), b.case_id());
    });
    for (v1::Notice& notice : notices_) {
      if (units.empty() || units.rbegin()->responsible_unit() != notice.responsible_unit()) {
        units.Add()->set_responsible_unit(notice.responsible_unit());
      }
      *units.rbegin()->add_notices() = std::move(notice);
    }
    notices_.clear();
  }

 private:
  absl::Status Add(const storage::ReportEntry& entry) {
    v1::Notice notice;
    if (!notice.ParseFromString(entry.value)) {
      return absl::DataLossError(
          absl::StrCat("the notice record \"", entry.key, "\" cannot be parsed"));
    }
    const absl::Time since = ToTime(notice.since());
    if (!Wanted(notice.reason(), reasons_) ||
        since > at_ - ThresholdDays(notice.reason(), thresholds_) * kDay) {
      return absl::OkStatus();
    }
    if (!seen_.insert({notice.case_id(), notice.reason()}).second) return absl::OkStatus();
    notice.set_days(WholeDays(since, at_));
    notices_.push_back(std::move(notice));
    return absl::OkStatus();
  }

  const absl::Time at_;
  const bool at_month_end_;
  const NoticeThresholds thresholds_;
  const std::vector<v1::NoticeReason>& reasons_;
  std::set<std::pair<std::string, v1::NoticeReason>> seen_;
  std::vector<v1::Notice> notices_;
};

// ---- The monthly report: planning the scans, then adding up ------------

// The scans one monthly report reads (in one snapshot), and what each is.
struct ReportScanPlan {
  std::vector<storage::PrefixScan> scans;
  // The report month's case cells: its flows, and its gauge changes when
  // adding up forward.
  size_t month_cells = 0;
  // The notice records that hold now ("o/").
  size_t open_records = 0;
  // The month's complaint ("q/") and penalty ("p/") cells.
  size_t complaint_cells = 0;
  size_t penalty_cells = 0;
  // A past month's month-end notice records ("e/").
  std::optional<size_t> month_end_records;
  // Forward: the gauges are the changes of every month up to the report
  // month added up; backward: "now" minus the changes of the later months.
  bool forward = true;
  // The other scans of gauges: cells whose keys have `prefix_size` bytes
  // before the dimensions, added times `sign`.
  struct GaugeScan {
    size_t index;
    size_t prefix_size;
    int sign;
  };
  std::vector<GaugeScan> gauge_scans;
};

constexpr size_t kMonthCellPrefixSize = sizeof("m/yyyymm/") - 1;
// "q/yyyymm/" and "p/yyyymm/".
constexpr size_t kRegionFlowPrefixSize = sizeof("q/yyyymm/") - 1;

// Plans the scans of the report of `report_month` (current_month: the month
// of now; running: the report month has not ended). Reads one key: the
// first month cell of the store, to choose the direction that reads fewer
// months.
absl::StatusOr<ReportScanPlan> PlanReportScans(storage::EventStore& store,
                                               absl::CivilMonth report_month,
                                               absl::CivilMonth current_month,
                                               const std::string& region_prefix, bool running) {
  absl::CivilMonth first_month = report_month;
  ASSIGN_OR_RETURN(std::vector<std::vector<storage::ReportEntry>> first,
                   store.ScanDerived({{storage::DerivedFamily::kReports, "m/", /*limit=*/1}}));
  if (!first[0].empty()) {
    int first_year = 0;
    int first_number = 0;
    const std::string& key = first[0][0].key;
    if (key.size() >= 8 && absl::SimpleAtoi(key.substr(2, 4), &first_year) &&
        absl::SimpleAtoi(key.substr(6, 2), &first_number)) {
      first_month = std::min(report_month, absl::CivilMonth(first_year, first_number));
    }
  }
  ReportScanPlan plan;
  plan.forward = (report_month - first_month) < (current_month - report_month) + 1;
  auto add = [&](std::string prefix) {
    plan.scans.push_back({storage::DerivedFamily::kReports, std::move(prefix)});
    return plan.scans.size() - 1;
  };
  plan.month_cells = add(MonthCellPrefix(report_month, region_prefix));
  plan.open_records = add(OpenRecordPrefix(region_prefix));
  plan.complaint_cells = add(absl::StrCat("q/", MonthKeyPart(report_month), "/", region_prefix));
  plan.penalty_cells = add(absl::StrCat("p/", MonthKeyPart(report_month), "/", region_prefix));
  if (!running) plan.month_end_records = add(MonthEndNoticePrefix(report_month, region_prefix));
  if (plan.forward) {
    for (absl::CivilMonth earlier = first_month; earlier < report_month; ++earlier) {
      plan.gauge_scans.push_back(
          {add(MonthCellPrefix(earlier, region_prefix)), kMonthCellPrefixSize, 1});
    }
  } else {
    plan.gauge_scans.push_back({add(NowCellPrefix(region_prefix)), 2, 1});
    for (absl::CivilMonth later = report_month + 1; later <= current_month; ++later) {
      plan.gauge_scans.push_back(
          {add(MonthCellPrefix(later, region_prefix)), kMonthCellPrefixSize, -1});
    }
  }
  return plan;
}

absl::Status MalformedCell(const std::string& key) {
  return absl::DataLossError(absl::StrCat("the report cell \"", key, "\" is malformed"));
}
absl::Status MalformedCellKey(const std::string& key) {
  return absl::DataLossError(absl::StrCat("a malformed report cell key \"", key, "\""));
}

// Adds case cells whose keys have `prefix_size` bytes of "n/" or
// "m/yyyymm/" and then the dimensions: their flows when `flows`, their
// end-of-month figures times `gauge_sign`.
absl::Status AddCaseCells(const std::vector<storage::ReportEntry>& cells, size_t prefix_size,
                          bool flows, int gauge_sign, size_t region_prefix_size,
                          Tallies& tallies) {
  for (const storage::ReportEntry& entry : cells) {
    CellDimensions dimensions;
    if (entry.key.size() < prefix_size ||
        !ParseCellSuffix(std::string_view(entry.key).substr(prefix_size), &dimensions)) {
      return MalformedCellKey(entry.key);
    }
    Tally* rows[] = {&tallies.total, &tallies.by_category[dimensions.category],
                     &TallyOf(tallies.by_region,
                              RegionRowKey(dimensions.region_code, region_prefix_size)),
                     &TallyOf(tallies.by_unit, dimensions.unit)};
    const bool decoded =
        storage::VisitCounterCell(entry.value, [&](uint32_t number, int64_t count) {
          for (Tally* row : rows) {
            if (flows) row->AddFlow(number, count);
            if (gauge_sign != 0) row->AddGauge(number, gauge_sign * count);
          }
        });
    if (!decoded) return MalformedCell(entry.key);
  }
  return absl::OkStatus();
}

// Adds flows keyed by region ("q/yyyymm/region", "p/yyyymm/region") to the
// total and region rows, through `add` (the complaint or penalty counters).
absl::Status AddRegionFlows(const std::vector<storage::ReportEntry>& cells,
                            void (Tally::*add)(uint32_t, int64_t), size_t region_prefix_size,
                            Tallies& tallies) {
  for (const storage::ReportEntry& entry : cells) {
    if (entry.key.size() <= kRegionFlowPrefixSize) return MalformedCellKey(entry.key);
    const std::string_view region_code =
        std::string_view(entry.key).substr(kRegionFlowPrefixSize);
    Tally* rows[] = {&tallies.total,
                     &TallyOf(tallies.by_region, RegionRowKey(region_code, region_prefix_size))};
    const bool decoded =
        storage::VisitCounterCell(entry.value, [&](uint32_t number, int64_t count) {
          for (Tally* row : rows) (row->*add)(number, count);
        });
    if (!decoded) return MalformedCell(entry.key);
  }
  return absl::OkStatus();
}

// Adds up the cells `plan` read into the report's rows.
absl::StatusOr<Tallies> AddUpCells(const ReportScanPlan& plan,
                                   const std::vector<std::vector<storage::ReportEntry>>& scanned,
                                   size_t region_prefix_size) {
  Tallies tallies;
  RETURN_IF_ERROR(AddCaseCells(scanned[plan.month_cells], kMonthCellPrefixSize, /*flows=*/true,
                               /*gauge_sign=*/plan.forward ? 1 : 0, region_prefix_size, tallies));
  for (const ReportScanPlan::GaugeScan& gauges : plan.gauge_scans) {
    RETURN_IF_ERROR(AddCaseCells(scanned[gauges.index], gauges.prefix_size, /*flows=*/false,
                                 gauges.sign, region_prefix_size, tallies));
  }
  RETURN_IF_ERROR(AddRegionFlows(scanned[plan.complaint_cells], &Tally::AddComplaintFlow,
                                 region_prefix_size, tallies));
  RETURN_IF_ERROR(AddRegionFlows(scanned[plan.penalty_cells], &Tally::AddPenaltyFlow,
                                 region_prefix_size, tallies));
  return tallies;
}

}  // namespace

const absl::TimeZone& ReportTimeZone() { return ChinaTimeZone(); }

absl::Time MonthStart(int year, int month) { return StartOf(absl::CivilMonth(year, month)); }

void ReportChanges::Put(const std::string& key, std::string value) {
  deletes.erase(key);
  puts[key] = std::move(value);
}

void ReportChanges::Delete(const std::string& key) {
  puts.erase(key);
  deletes.insert(key);
}

void ReportChanges::MergeFrom(ReportChanges&& other) {
  for (auto& [key, cell] : other.merges) storage::AddCounterCell(cell, merges[key]);
  // Disjoint within `other`, so the order of these two loops is no matter.
  for (const std::string& key : other.deletes) Delete(key);
  for (auto& [key, value] : other.puts) Put(key, std::move(value));
  other.merges.clear();
  other.puts.clear();
  other.deletes.clear();
}

void ReportChanges::AddTo(storage::CommitBatch& batch) {
  for (auto& [key, cell] : merges) {
    std::string value = storage::EncodeCounterCell(cell);
    if (value.empty()) continue;
    batch.report_merges.push_back(storage::ReportEntry{key, std::move(value)});
  }
  for (auto& [key, value] : puts) {
    batch.report_puts.push_back(storage::ReportEntry{key, std::move(value)});
  }
  for (const std::string& key : deletes) batch.report_deletes.push_back(key);
  merges.clear();
  puts.clear();
  deletes.clear();
}

void ComplaintReportChanges(const v1::Complaint& after, const v1::Event& event,
                            ReportChanges& changes) {
  if (after.version() == 0) return;
  const std::string& region = after.details().location().region_code();
  auto add = [&](absl::Time at, ComplaintCounter counter) {
    storage::CounterCell flow;
    flow[counter] = 1;
    AddScaled(flow, 1,
              changes.merges[absl::StrCat("q/", MonthKeyPart(MonthOf(at)), "/", region)]);
  };
  const absl::Time at = ToTime(event.recorded_at());
  switch (event.payload_case()) {
    case v1::Event::kComplaintReceived:
      add(ToTime(after.details().received_at()), kComplaintsReceived);
      break;
    case v1::Event::kComplaintAccepted: add(at, kComplaintsAccepted); break;
    case v1::Event::kComplaintTransferred: add(at, kComplaintsTransferred); break;
    case v1::Event::kComplaintReplied:
      if (!event.complaint_replied().interim()) {
        add(at, kComplaintsAnswered);
        if (after.replied_on_time()) add(at, kComplaintsAnsweredOnTime);
      }
      break;
    case v1::Event::kComplaintCallbackRecorded:
      if (event.complaint_callback_recorded().result() == v1::CALLBACK_RESULT_SATISFIED) {
        add(at, kComplaintsSatisfied);
      } else if (event.complaint_callback_recorded().result() ==
                 v1::CALLBACK_RESULT_NOT_SATISFIED) {
        add(at, kComplaintsNotSatisfied);
      }
      break;
    default: break;
  }
}

void PenaltyReportChanges(const v1::PenaltyCase& after, const v1::Event& event,
                          ReportChanges& changes) {
  if (after.version() == 0) return;
  storage::CounterCell flows;
  switch (event.payload_case()) {
    case v1::Event::kPenaltyFilingDecided:
      if (event.penalty_filing_decided().approved()) flows[kPenaltyCasesFiled] = 1;
      break;
    case v1::Event::kPenaltyDecided: {
      const v1::PenaltyDecision& decision = event.penalty_decided().decision();
      flows[kFinesDecidedFen] = decision.terms().fine_fen();
      if (decision.kind() == v1::PENALTY_DECISION_KIND_DAILY) {
        flows[kDailyPenalties] = 1;
      } else {
        flows[kPenaltyDecisions] = 1;
        flows[kDaysFilingToDecisionSum] =
            WholeDays(ToTime(after.filing().decided_at()), ToTime(decision.decided_at()));
      }
      break;
    }
    case v1::Event::kPenaltyPaymentRecorded:
      flows[kFinesCollectedFen] = event.penalty_payment_recorded().fine_fen() +
                                  event.penalty_payment_recorded().surcharge_fen();
      break;
    default: break;
  }
  if (flows.empty()) return;
  AddScaled(flows, 1,
            changes.merges[absl::StrCat("p/", MonthKeyPart(MonthOf(ToTime(event.recorded_at()))),
                                        "/", after.region_code())]);
}

ReportSnapshot ReportSnapshotOf(const v1::Case& state) {
  ReportSnapshot snapshot;
  snapshot.version = state.version();
  snapshot.case_id = state.case_id();
  snapshot.title = state.title();
  snapshot.status = state.status();
  snapshot.closed_unfounded =
      state.status() == v1::CASE_STATUS_CLOSED && state.closure().unfounded();
  snapshot.overdue = state.overdue();
  snapshot.region_code = state.location().region_code();
  snapshot.category = state.category();
  snapshot.responsible_unit = state.responsible_unit();
  snapshot.reported_at = ToTime(state.reported_at());
  snapshot.conditions = NoticeConditions(state);
  snapshot.list_ids.assign(state.list_ids().begin(), state.list_ids().end());
  return snapshot;
}

void ReportChangesForEvent(const ReportSnapshot& before, const ReportSnapshot& after,
                           const v1::Event& event, ReportChanges& changes) {
  if (after.version == 0) return;
  const absl::Time at = ToTime(event.recorded_at());
  const absl::CivilMonth month = MonthOf(at);
  const std::string after_suffix = CellSuffix(after);
  const std::string after_month_key = absl::StrCat("m/", MonthKeyPart(month), "/", after_suffix);

  // Flows, under the dimensions the case has after the event.
  storage::CounterCell flows;
  switch (event.payload_case()) {
    case v1::Event::kCaseReported: flows[kNewCases] = 1; break;
    case v1::Event::kCaseAssigned: flows[kAssigned] = 1; break;
    case v1::Event::kRectificationVerified:
      if (event.rectification_verified().passed()) flows[kVerified] = 1;
      break;
    case v1::Event::kCaseClosed:
      flows[kClosed] = 1;
      flows[kDaysToCloseBase + WholeDays(after.reported_at, at)] = 1;
      break;
    case v1::Event::kCaseClosedUnfounded:
      // Not a rectified problem: its own figure, out of the median.
      flows[kClosedUnfounded] = 1;
      break;
    default: break;
  }
  if (!flows.empty()) AddScaled(flows, 1, changes.merges[after_month_key]);

  // End-of-month figures: out of the old dimensions, into the new ones, in
  // the month's change and in "now".
  const storage::CounterCell gauges_before = Gauges(before);
  const storage::CounterCell gauges_after = Gauges(after);
  if (gauges_before != gauges_after || CellSuffix(before) != after_suffix) {
    if (!gauges_before.empty()) {
      const std::string before_suffix = CellSuffix(before);
      AddScaled(gauges_before, -1,
                changes.merges[absl::StrCat("m/", MonthKeyPart(month), "/", before_suffix)]);
      AddScaled(gauges_before, -1, changes.merges[absl::StrCat("n/", before_suffix)]);
    }
    AddScaled(gauges_after, 1, changes.merges[after_month_key]);
    AddScaled(gauges_after, 1, changes.merges[absl::StrCat("n/", after_suffix)]);
  }

  // Rectification list progress: out of the old lists and unit, into the
  // new ones.
  const storage::CounterCell progress_before = ListGauges(before);
  const storage::CounterCell progress_after = ListGauges(after);
  if (before.list_ids != after.list_ids || progress_before != progress_after ||
      before.responsible_unit != after.responsible_unit) {
    for (const std::string& list_id : before.list_ids) {
      AddScaled(progress_before, -1,
                changes.merges[ListProgressKey(list_id, before.responsible_unit)]);
    }
    for (const std::string& list_id : after.list_ids) {
      AddScaled(progress_after, 1, changes.merges[ListProgressKey(list_id, after.responsible_unit)]);
    }
  }

  // Notice conditions: the record of each that holds, rewritten when its
  // notice changes; for each the event ended, a record for every month end
  // it spanned, holding the notice as it last was.
  std::map<std::string, std::string> records_after;
  for (const NoticeCondition& condition : after.conditions) {
    records_after.emplace(OpenRecordKey(after, condition), NoticeOf(after, condition));
  }
  for (const NoticeCondition& condition : before.conditions) {
    const std::string key = OpenRecordKey(before, condition);
    if (records_after.count(key) == 0) changes.Delete(key);
    if (std::find(after.conditions.begin(), after.conditions.end(), condition) !=
        after.conditions.end()) {
      continue;
    }
    const std::string notice = NoticeOf(before, condition);
    // Month ends E with start < E <= at: the condition held just before E.
    for (absl::CivilMonth ended = MonthOf(condition.start); StartOf(ended + 1) <= at; ++ended) {
      changes.Put(absl::StrFormat("e/%s/%s/%s/%02d/%s", MonthKeyPart(ended), before.region_code,
                                  before.case_id, static_cast<int>(condition.reason),
                                  TimeKeyPart(condition.start)),
                  notice);
    }
  }
  for (auto& [key, notice] : records_after) {
    bool unchanged = false;
    for (const NoticeCondition& condition : before.conditions) {
      if (OpenRecordKey(before, condition) == key) {
        unchanged = NoticeOf(before, condition) == notice;
        break;
      }
    }
    if (!unchanged) changes.Put(key, std::move(notice));
  }
}

absl::StatusOr<ListProgressFigures> ListProgressOf(storage::EventStore& store,
                                                   const std::string& list_id) {
  const std::string prefix = ListProgressPrefix(list_id);
  ASSIGN_OR_RETURN(std::vector<std::vector<storage::ReportEntry>> scanned,
                   store.ScanDerived({{storage::DerivedFamily::kReports, prefix}}));
  ListProgressFigures figures;
  auto add = [](uint32_t number, int64_t count, v1::ListProgress& progress) {
    switch (number) {
      case kListItems: progress.set_total(progress.total() + static_cast<int32_t>(count)); break;
      case kListClosed: progress.set_closed(progress.closed() + static_cast<int32_t>(count)); break;
      case kListOverdue:
        progress.set_overdue(progress.overdue() + static_cast<int32_t>(count));
        break;
      default: break;
    }
  };
  // An empty list has no progress (the reader shows "no items"), not 100 %.
  auto set_rate = [](v1::ListProgress& progress) {
    progress.set_closure_rate(progress.total() == 0
                                  ? 0.0
                                  : static_cast<double>(progress.closed()) / progress.total());
  };
  for (const storage::ReportEntry& entry : scanned[0]) {
    v1::UnitProgress unit;
    unit.set_responsible_unit(entry.key.substr(prefix.size()));
    const bool decoded =
        storage::VisitCounterCell(entry.value, [&](uint32_t number, int64_t count) {
          add(number, count, figures.total);
          add(number, count, *unit.mutable_progress());
        });
    if (!decoded) {
      return absl::DataLossError(absl::StrCat("the list progress cell \"", entry.key,
                                              "\" is malformed"));
    }
    // A unit whose items all left the list (or moved to another unit).
    if (unit.progress().total() == 0) continue;
    set_rate(*unit.mutable_progress());
    figures.per_unit.push_back(std::move(unit));
  }
  set_rate(figures.total);
  return figures;
}

absl::StatusOr<v1::ListNoticesResponse> CurrentNotices(storage::EventStore& store,
                                                       const std::string& region_prefix,
                                                       const std::vector<v1::NoticeReason>& reasons,
                                                       const NoticeThresholds& thresholds,
                                                       absl::Time now) {
  ASSIGN_OR_RETURN(
      std::vector<std::vector<storage::ReportEntry>> scanned,
      store.ScanDerived({{storage::DerivedFamily::kReports, OpenRecordPrefix(region_prefix)}}));
  NoticeList list(now, /*at_month_end=*/false, thresholds, reasons);
  for (const storage::ReportEntry& entry : scanned[0]) RETURN_IF_ERROR(list.AddOpenRecord(entry));
  v1::ListNoticesResponse response;
  list.MoveInto(*response.mutable_units());
  *response.mutable_as_of() = ToProto(now);
  response.set_no_progress_days(thresholds.no_progress_days);
  response.set_not_started_days(thresholds.not_started_days);
  return response;
}

absl::StatusOr<v1::GetMonthlyReportResponse> MonthlyReport(storage::EventStore& store, int year,
                                                           int month,
                                                           const std::string& region_prefix,
                                                           const NoticeThresholds& thresholds,
                                                           absl::Time now) {
  if (month < 1 || month > 12) {
    return WithUserMessage(
        absl::InvalidArgumentError(absl::StrCat("month: ", month, " is not a month (1 to 12)")),
        absl::StrCat("月份：", month, " 不是有效的月份（1 至 12）"), "month");
  }
  if (year < 2000 || year > 9999) {
    return WithUserMessage(
        absl::InvalidArgumentError(
            absl::StrCat("year: ", year, " is outside the years a report covers (2000 to 9999)")),
        absl::StrCat("年份：", year, " 超出报告可查询的年份（2000 至 9999）"), "year");
  }
  const absl::CivilMonth report_month(year, month);
  if (StartOf(report_month) > now) {
    return WithUserMessage(
        absl::InvalidArgumentError(absl::StrFormat(
            "month: %04d-%02d has not begun (it is %s now in China)", year, month,
            absl::FormatTime("%Y-%m-%d %H:%M", now, ReportTimeZone()))),
        absl::StrFormat("月份：%d年%d月尚未开始，不能生成月调度报告", year, month), "month");
  }
  const absl::Time month_end = StartOf(report_month + 1);
  const bool running = now < month_end;
  const absl::Time as_of = running ? now : month_end;

  ASSIGN_OR_RETURN(const ReportScanPlan plan,
                   PlanReportScans(store, report_month, MonthOf(now), region_prefix, running));
  ASSIGN_OR_RETURN(std::vector<std::vector<storage::ReportEntry>> scanned,
                   store.ScanDerived(plan.scans));
  ASSIGN_OR_RETURN(const Tallies tallies, AddUpCells(plan, scanned, region_prefix.size()));

  const std::vector<v1::NoticeReason> all_reasons;
  NoticeList notices(as_of, /*at_month_end=*/!running, thresholds, all_reasons);
  if (plan.month_end_records.has_value()) {
    for (const storage::ReportEntry& entry : scanned[*plan.month_end_records]) {
      RETURN_IF_ERROR(notices.AddMonthEndRecord(entry));
    }
  }
  for (const storage::ReportEntry& entry : scanned[plan.open_records]) {
    RETURN_IF_ERROR(notices.AddOpenRecord(entry));
  }

  v1::GetMonthlyReportResponse report;
  report.set_year(year);
  report.set_month(month);
  report.set_region_prefix(region_prefix);
  Fill(tallies.total, *report.mutable_total());
  FillCategoryRows(tallies.by_category, *report.mutable_by_category());
  FillRows(tallies.by_region, *report.mutable_by_region());
  // Names people read, from the region directory in use (base/regions.h).
  const RegionDirectory& regions = CurrentRegions();
  for (v1::ReportRow& row : *report.mutable_by_region()) {
    row.set_name(regions.DisplayName(row.key()));
  }
  report.set_region_name(regions.FullName(region_prefix));
  FillRows(tallies.by_unit, *report.mutable_by_unit());
  notices.MoveInto(*report.mutable_notices());
  *report.mutable_as_of() = ToProto(as_of);
  report.set_no_progress_days(thresholds.no_progress_days);
  report.set_not_started_days(thresholds.not_started_days);
  return report;
}

}  // namespace rectify::projection

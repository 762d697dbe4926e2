// Report counters, month-end notice records and the reports read from them;
// see reports.h and docs/reports.md.
#include "projection/reports.h"

#include <algorithm>
#include <optional>
#include <set>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/civil_time.h"
#include "base/proto_time.h"
#include "base/status_macros.h"
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
  cell[closed ? kClosedToDate : kOpenAtEnd] = 1;
  return cell;
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
  int64_t rectifying = 0;
  int64_t overdue = 0;
  int64_t closed_to_date = 0;
  int64_t open_at_end = 0;
  std::map<int, int64_t> days_to_close;

  void AddFlows(const storage::CounterCell& cell) {
    for (const auto& [number, count] : cell) {
      switch (number) {
        case kNewCases: new_cases += count; break;
        case kAssigned: assigned += count; break;
        case kVerified: verified += count; break;
        case kClosed: closed += count; break;
        default:
          if (number >= kDaysToCloseBase) {
            days_to_close[static_cast<int>(number - kDaysToCloseBase)] += count;
          }
      }
    }
  }
  void AddGauges(const storage::CounterCell& cell, int64_t factor) {
    for (const auto& [number, count] : cell) {
      switch (number) {
        case kRectifying: rectifying += factor * count; break;
        case kOverdue: overdue += factor * count; break;
        case kClosedToDate: closed_to_date += factor * count; break;
        case kOpenAtEnd: open_at_end += factor * count; break;
        default: break;
      }
    }
  }
  bool Empty() const {
    return new_cases == 0 && assigned == 0 && verified == 0 && closed == 0 && rectifying == 0 &&
           overdue == 0 && closed_to_date == 0 && open_at_end == 0;
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
  const int64_t reported = tally.closed_to_date + tally.open_at_end;
  figures.set_closure_rate(reported <= 0 ? 0.0
                                         : static_cast<double>(tally.closed_to_date) / reported);
  figures.set_median_days_to_close(Median(tally.days_to_close));
}

// A counter cell key's dimensions.
struct CellDimensions {
  std::string region_code;
  int category = 0;
  std::string unit;
};

// Takes "region/NN/unit" apart.
bool ParseCellSuffix(absl::string_view suffix, CellDimensions* dimensions) {
  const size_t first = suffix.find('/');
  if (first == absl::string_view::npos || suffix.size() < first + 4 || suffix[first + 3] != '/') {
    return false;
  }
  dimensions->region_code = std::string(suffix.substr(0, first));
  dimensions->unit = std::string(suffix.substr(first + 4));
  return absl::SimpleAtoi(suffix.substr(first + 1, 2), &dimensions->category);
}

// The region row a case of `region_code` falls in, for a report on
// `region_prefix`: the code cut to the level below the prefix.
std::string RegionRowKey(const std::string& region_code, const std::string& region_prefix) {
  for (size_t level : kRegionLevels) {
    if (level > region_prefix.size()) return region_code.substr(0, level);
  }
  return region_code;
}

// The four groupings of a report.
struct Tallies {
  Tally total;
  std::map<std::string, Tally> by_category;
  std::map<std::string, Tally> by_region;
  std::map<std::string, Tally> by_unit;

  std::vector<Tally*> RowsOf(const CellDimensions& cell, const std::string& region_prefix) {
    return {&total,
            &by_category[v1::Category_IsValid(cell.category)
                             ? v1::Category_Name(static_cast<v1::Category>(cell.category))
                             : absl::StrCat(cell.category)],
            &by_region[RegionRowKey(cell.region_code, region_prefix)], &by_unit[cell.unit]};
  }
};

void FillRows(const std::map<std::string, Tally>& tallies,
              google::protobuf::RepeatedPtrField<v1::ReportRow>& rows) {
  for (const auto& [key, tally] : tallies) {
    if (tally.Empty()) continue;
    v1::ReportRow& row = *rows.Add();
    row.set_key(key);
    Fill(tally, *row.mutable_figures());
  }
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
  NoticeList(storage::EventStore& store, absl::Time at, bool at_month_end,
             const NoticeThresholds& thresholds, const std::vector<v1::NoticeReason>& reasons)
      : store_(store),
        at_(at),
        at_month_end_(at_month_end),
        thresholds_(thresholds),
        reasons_(reasons) {}

  // A month-end record (a condition that has since ended): taken as stored.
  absl::Status AddRecord(const std::string& value) {
    v1::Notice notice;
    if (!notice.ParseFromString(value)) {
      return absl::DataLossError("a month-end notice record cannot be parsed");
    }
    if (!Due(notice.reason(), ToTime(notice.since()))) return absl::OkStatus();
    if (!seen_.insert({notice.case_id(), notice.reason()}).second) return absl::OkStatus();
    notice.set_days(WholeDays(ToTime(notice.since()), at_));
    notices_.push_back(std::move(notice));
    return absl::OkStatus();
  }

  // A condition that holds now (a notice condition index key); counted at
  // `at` when it began before.
  absl::Status AddCondition(const std::string& key) {
    NoticeConditionKey parsed;
    if (!ParseNoticeConditionKey(key, &parsed)) {
      return absl::DataLossError(absl::StrCat("a malformed notice condition key \"", key, "\""));
    }
    const NoticeCondition& condition = parsed.condition;
    const bool began = at_month_end_ ? condition.start < at_ : condition.start <= at_;
    if (!began || !Due(condition.reason, condition.since)) return absl::OkStatus();
    if (!seen_.insert({parsed.case_id, condition.reason}).second) return absl::OkStatus();
    v1::Case* state = nullptr;
    auto cached = cases_.find(parsed.case_id);
    if (cached != cases_.end()) {
      state = &cached->second;
    } else {
      ASSIGN_OR_RETURN(v1::Case read, store_.GetCase(parsed.case_id));
      state = &cases_.emplace(parsed.case_id, std::move(read)).first->second;
    }
    v1::Notice notice;
    notice.set_reason(condition.reason);
    notice.set_case_id(parsed.case_id);
    notice.set_title(state->title());
    notice.set_responsible_unit(state->responsible_unit());
    notice.set_status(state->status());
    *notice.mutable_since() = ToProto(condition.since);
    notice.set_days(WholeDays(condition.since, at_));
    notices_.push_back(std::move(notice));
    return absl::OkStatus();
  }

  // Per unit, by unit; within a unit by reason, then case id.
  void MoveInto(google::protobuf::RepeatedPtrField<v1::UnitNotices>& units) {
    std::sort(notices_.begin(), notices_.end(), [](const v1::Notice& a, const v1::Notice& b) {
      return std::make_tuple(a.responsible_unit(), static_cast<int>(a.reason()), a.case_id()) <
             std::make_tuple(b.responsible_unit(), static_cast<int>(b.reason()), b.case_id());
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
  bool Due(v1::NoticeReason reason, absl::Time since) const {
    return Wanted(reason, reasons_) && since <= at_ - ThresholdDays(reason, thresholds_) * kDay;
  }

  storage::EventStore& store_;
  const absl::Time at_;
  const bool at_month_end_;
  const NoticeThresholds thresholds_;
  const std::vector<v1::NoticeReason>& reasons_;
  std::set<std::pair<std::string, v1::NoticeReason>> seen_;
  absl::flat_hash_map<std::string, v1::Case> cases_;
  std::vector<v1::Notice> notices_;
};

}  // namespace

const absl::TimeZone& ReportTimeZone() {
  static const absl::TimeZone* const zone = new absl::TimeZone(absl::FixedTimeZone(8 * 3600));
  return *zone;
}

absl::Time MonthStart(int year, int month) { return StartOf(absl::CivilMonth(year, month)); }

void ReportChanges::MergeFrom(ReportChanges&& other) {
  for (auto& [key, cell] : other.merges) storage::AddCounterCell(cell, merges[key]);
  for (auto& [key, value] : other.puts) puts[key] = std::move(value);
  other.merges.clear();
  other.puts.clear();
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
  merges.clear();
  puts.clear();
}

ReportSnapshot ReportSnapshotOf(const v1::Case& state) {
  ReportSnapshot snapshot;
  snapshot.version = state.version();
  snapshot.case_id = state.case_id();
  snapshot.title = state.title();
  snapshot.status = state.status();
  snapshot.overdue = state.overdue();
  snapshot.region_code = state.location().region_code();
  snapshot.category = state.category();
  snapshot.responsible_unit = state.responsible_unit();
  snapshot.reported_at = ToTime(state.reported_at());
  snapshot.conditions = NoticeConditions(state);
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
    case v1::Event::kCaseClosedUnfounded:
      flows[kClosed] = 1;
      flows[kDaysToCloseBase + WholeDays(after.reported_at, at)] = 1;
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

  // Notice conditions the event ended: a record for every month end they
  // spanned, holding the notice as it was.
  for (const NoticeCondition& condition : before.conditions) {
    if (std::find(after.conditions.begin(), after.conditions.end(), condition) !=
        after.conditions.end()) {
      continue;
    }
    v1::Notice notice;
    notice.set_reason(condition.reason);
    notice.set_case_id(before.case_id);
    notice.set_title(before.title);
    notice.set_responsible_unit(before.responsible_unit);
    notice.set_status(before.status);
    *notice.mutable_since() = ToProto(condition.since);
    const std::string value = notice.SerializeAsString();
    // Month ends E with start < E <= at: the condition held just before E.
    for (absl::CivilMonth ended = MonthOf(condition.start); StartOf(ended + 1) <= at; ++ended) {
      changes.puts[absl::StrFormat("e/%s/%s/%s/%02d/%s", MonthKeyPart(ended),
                                   before.region_code, before.case_id,
                                   static_cast<int>(condition.reason),
                                   TimeKeyPart(condition.start))] = value;
    }
  }
}

absl::StatusOr<v1::ListNoticesResponse> CurrentNotices(storage::EventStore& store,
                                                       const std::string& region_prefix,
                                                       const std::vector<v1::NoticeReason>& reasons,
                                                       const NoticeThresholds& thresholds,
                                                       absl::Time now) {
  ASSIGN_OR_RETURN(std::vector<std::vector<storage::ReportEntry>> scanned,
                   store.ScanDerived({{storage::DerivedFamily::kIndex,
                                       NoticeConditionPrefix(region_prefix)}}));
  NoticeList list(store, now, /*at_month_end=*/false, thresholds, reasons);
  for (const storage::ReportEntry& entry : scanned[0]) RETURN_IF_ERROR(list.AddCondition(entry.key));
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
    return absl::InvalidArgumentError(absl::StrCat("month: ", month, " is not a month (1 to 12)"));
  }
  if (year < 2000 || year > 9999) {
    return absl::InvalidArgumentError(
        absl::StrCat("year: ", year, " is outside the years a report covers (2000 to 9999)"));
  }
  const absl::CivilMonth report_month(year, month);
  if (StartOf(report_month) > now) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "month: %04d-%02d has not begun (it is %s now in China)", year, month,
        absl::FormatTime("%Y-%m-%d %H:%M", now, ReportTimeZone())));
  }
  const absl::Time month_end = StartOf(report_month + 1);
  const bool running = now < month_end;
  const absl::Time as_of = running ? now : month_end;

  // One snapshot: "now" cells, the month's cells, the cells of every later
  // month up to now (whose changes are taken off "now"), the notice
  // conditions that hold now and, for a past month, its month-end records.
  std::vector<storage::PrefixScan> scans = {
      {storage::DerivedFamily::kReports, NowCellPrefix(region_prefix)},
      {storage::DerivedFamily::kReports, MonthCellPrefix(report_month, region_prefix)},
      {storage::DerivedFamily::kIndex, NoticeConditionPrefix(region_prefix)},
  };
  if (!running) {
    scans.push_back(
        {storage::DerivedFamily::kReports, MonthEndNoticePrefix(report_month, region_prefix)});
    for (absl::CivilMonth later = report_month + 1; later <= MonthOf(now); ++later) {
      scans.push_back({storage::DerivedFamily::kReports, MonthCellPrefix(later, region_prefix)});
    }
  }
  ASSIGN_OR_RETURN(std::vector<std::vector<storage::ReportEntry>> scanned,
                   store.ScanDerived(scans));

  Tallies tallies;
  // Adds the cells of scan `index`, whose keys are prefix_size bytes of
  // "n/" or "m/yyyymm/" and then the dimensions.
  auto add_cells = [&](size_t index, size_t prefix_size, bool flows,
                       int64_t gauge_factor) -> absl::Status {
    for (const storage::ReportEntry& entry : scanned[index]) {
      CellDimensions dimensions;
      storage::CounterCell cell;
      if (!ParseCellSuffix(absl::string_view(entry.key).substr(prefix_size), &dimensions) ||
          !storage::DecodeCounterCell(entry.value, &cell)) {
        return absl::DataLossError(absl::StrCat("a malformed report cell \"", entry.key, "\""));
      }
      for (Tally* tally : tallies.RowsOf(dimensions, region_prefix)) {
        if (flows) tally->AddFlows(cell);
        if (gauge_factor != 0) tally->AddGauges(cell, gauge_factor);
      }
    }
    return absl::OkStatus();
  };
  const size_t month_prefix_size = std::string("m/yyyymm/").size();
  RETURN_IF_ERROR(add_cells(0, 2, /*flows=*/false, /*gauge_factor=*/1));
  RETURN_IF_ERROR(add_cells(1, month_prefix_size, /*flows=*/true, /*gauge_factor=*/0));
  for (size_t later = 4; later < scans.size(); ++later) {
    RETURN_IF_ERROR(add_cells(later, month_prefix_size, /*flows=*/false, /*gauge_factor=*/-1));
  }

  const std::vector<v1::NoticeReason> all_reasons;
  NoticeList notices(store, as_of, /*at_month_end=*/!running, thresholds, all_reasons);
  if (!running) {
    for (const storage::ReportEntry& entry : scanned[3]) {
      RETURN_IF_ERROR(notices.AddRecord(entry.value));
    }
  }
  for (const storage::ReportEntry& entry : scanned[2]) {
    RETURN_IF_ERROR(notices.AddCondition(entry.key));
  }

  v1::GetMonthlyReportResponse report;
  report.set_year(year);
  report.set_month(month);
  report.set_region_prefix(region_prefix);
  Fill(tallies.total, *report.mutable_total());
  FillRows(tallies.by_category, *report.mutable_by_category());
  FillRows(tallies.by_region, *report.mutable_by_region());
  FillRows(tallies.by_unit, *report.mutable_by_unit());
  notices.MoveInto(*report.mutable_notices());
  *report.mutable_as_of() = ToProto(as_of);
  report.set_no_progress_days(thresholds.no_progress_days);
  report.set_not_started_days(thresholds.not_started_days);
  return report;
}

}  // namespace rectify::projection

// The monthly report test's model and comparison; see monthly_report_model.h.
#include "tests/server/monthly_report_model.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "base/proto_time.h"
#include "gtest/gtest.h"

namespace rectify::report_model {

// ---------------------------------------------------------------------------

const absl::TimeZone& ChinaTime() {
  static const absl::TimeZone* zone = new absl::TimeZone(absl::FixedTimeZone(8 * 3600));
  return *zone;
}

absl::Time China(int year, int month, int day, int hour, int minute, int second) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, second), ChinaTime());
}

int WholeDays(absl::Time earlier, absl::Time later) {
  return static_cast<int>(std::floor(absl::FDivDuration(later - earlier, absl::Hours(24))));
}

std::string ChinaText(absl::Time time) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S +08", time, ChinaTime());
}

Month MakeMonth(int year, int month) {
  const int next_year = month == 12 ? year + 1 : year;
  const int next_month = month == 12 ? 1 : month + 1;
  return Month{year, month, China(year, month, 1), China(next_year, next_month, 1)};
}
// ---------------------------------------------------------------------------

bool IsObligation(v1::DeadlineKind kind) {
  return kind != v1::DEADLINE_KIND_PUBLIC_NOTICE &&
         kind != v1::DEADLINE_KIND_RECONSIDERATION_REQUEST &&
         kind != v1::DEADLINE_KIND_SUPERVISION_REQUEST;
}

CaseView ViewOf(const v1::Case& c, absl::Time at, const CaseRecord& record) {
  CaseView view;
  view.progress_clock_since = record.clock_since;
  view.completion_pending = record.completion_pending;
  view.at = at;
  view.case_id = c.case_id();
  view.title = c.title();
  view.region = c.location().region_code();
  view.category = c.category();
  view.status = c.status();
  view.unit = c.responsible_unit();
  view.overdue = c.overdue();
  view.closed_unfounded = c.status() == v1::CASE_STATUS_CLOSED && c.closure().unfounded();
  if (c.has_assigned_at()) view.assigned_at = ToTime(c.assigned_at());
  for (const v1::Deadline& deadline : c.deadlines()) {
    const absl::Time due = ToTime(deadline.due_at());
    if (deadline.state() == v1::DEADLINE_STATE_MISSED && IsObligation(deadline.kind())) {
      view.overdue_since = std::min(view.overdue_since, due);
    }
    if (deadline.state() == v1::DEADLINE_STATE_OPEN) {
      view.earliest_open_due = std::min(view.earliest_open_due, due);
    }
  }
  return view;
}

bool StillHolds(const CaseView& view, const Condition& condition) {
  switch (condition.reason) {
    case v1::NOTICE_REASON_OVERDUE:
      return view.overdue && view.status != v1::CASE_STATUS_CLOSED &&
             view.overdue_since == condition.since;
    case v1::NOTICE_REASON_NO_PROGRESS:
      return view.status == v1::CASE_STATUS_RECTIFYING && !view.completion_pending &&
             view.progress_clock_since == condition.since;
    case v1::NOTICE_REASON_NOT_STARTED:
      return view.status == v1::CASE_STATUS_ASSIGNED && view.assigned_at == condition.since;
    default:
      return false;
  }
}

std::vector<Condition> ConditionsAt(const Snapshot& snapshot, absl::Time at,
                                    const std::string& prefix, const workflow::Policy& policy) {
  std::vector<Condition> conditions;
  const absl::Time no_progress_edge = at - absl::Hours(24) * policy.notice_no_progress_days;
  const absl::Time not_started_edge = at - absl::Hours(24) * policy.notice_not_started_days;
  for (const auto& [case_id, view] : snapshot) {
    if (!absl::StartsWith(view.region, prefix)) continue;
    if (view.overdue && view.status != v1::CASE_STATUS_CLOSED) {
      EXPECT_NE(view.overdue_since, absl::InfiniteFuture())
          << case_id << " is overdue without a MISSED deadline";
      conditions.push_back({case_id, v1::NOTICE_REASON_OVERDUE, view.overdue_since});
    }
    if (view.status == v1::CASE_STATUS_RECTIFYING && !view.completion_pending &&
        view.progress_clock_since <= no_progress_edge) {
      conditions.push_back({case_id, v1::NOTICE_REASON_NO_PROGRESS, view.progress_clock_since});
    }
    if (view.status == v1::CASE_STATUS_ASSIGNED && view.assigned_at <= not_started_edge) {
      conditions.push_back({case_id, v1::NOTICE_REASON_NOT_STARTED, view.assigned_at});
    }
  }
  return conditions;
}

google::protobuf::RepeatedPtrField<v1::UnitNotices> GroupNotices(
    const std::vector<Condition>& conditions, absl::Time at, const NoticeDisplay& display) {
  std::map<std::string, std::map<std::pair<int, std::string>, v1::Notice>> by_unit;
  for (const Condition& condition : conditions) {
    const CaseView shown = display(condition);
    v1::Notice notice;
    notice.set_reason(condition.reason);
    notice.set_case_id(condition.case_id);
    notice.set_title(shown.title);
    notice.set_responsible_unit(shown.unit);
    notice.set_status(shown.status);
    *notice.mutable_since() = ToProto(condition.since);
    notice.set_days(WholeDays(condition.since, at));
    by_unit[shown.unit][{static_cast<int>(condition.reason), condition.case_id}] = notice;
  }
  google::protobuf::RepeatedPtrField<v1::UnitNotices> units;
  for (const auto& [unit, notices] : by_unit) {
    v1::UnitNotices& group = *units.Add();
    group.set_responsible_unit(unit);
    for (const auto& [key, notice] : notices) *group.add_notices() = notice;
  }
  return units;
}

std::string RegionRow(const std::string& region, size_t prefix_length) {
  const size_t level = prefix_length < 2   ? 2
                       : prefix_length < 4 ? 4
                       : prefix_length < 6 ? 6
                       : prefix_length < 9 ? 9
                                           : 12;
  return region.substr(0, std::min(region.size(), level));
}

void Finish(RowSum& row) {
  v1::ReportFigures& f = row.figures;
  const int denominator = f.closed_to_date() + f.open_at_end();
  f.set_closure_rate(denominator == 0 ? 0.0 : static_cast<double>(f.closed_to_date()) / denominator);
  std::vector<int>& days = row.days_to_close;
  std::sort(days.begin(), days.end());
  if (days.empty()) {
    f.set_median_days_to_close(0);
  } else if (days.size() % 2 == 1) {
    f.set_median_days_to_close(days[days.size() / 2]);
  } else {
    f.set_median_days_to_close((days[days.size() / 2 - 1] + days[days.size() / 2]) / 2.0);
  }
}

bool AnyNonZero(const v1::ReportFigures& f) {
  return f.new_cases() != 0 || f.assigned() != 0 || f.rectifying() != 0 || f.verified() != 0 ||
         f.closed() != 0 || f.closed_unfounded() != 0 || f.unfounded_to_date() != 0 || f.overdue() != 0 || f.closed_to_date() != 0 || f.open_at_end() != 0 ||
         f.closure_rate() != 0 || f.median_days_to_close() != 0;
}

v1::GetMonthlyReportResponse ExpectedReport(const Month& month, const std::string& prefix,
                                            absl::Time as_of, const std::vector<FlowEvent>& flows,
                                            const std::function<CasePlace(int)>& place_of,
                                            const Snapshot& snapshot, const NoticeDisplay& display,
                                            const workflow::Policy& policy) {
  RowSum total;
  std::map<std::string, RowSum> by_category;
  std::map<std::string, RowSum> by_region;
  std::map<std::string, RowSum> by_unit;
  auto rows_of = [&](const std::string& region, v1::Category category,
                     const std::string& unit) -> std::vector<RowSum*> {
    return {&total, &by_category[v1::Category_Name(category)],
            &by_region[RegionRow(region, prefix.size())], &by_unit[unit]};
  };
  for (const FlowEvent& event : flows) {
    if (event.at < month.start || event.at >= month.end || event.at >= as_of) continue;
    const CasePlace plan = place_of(event.case_index);
    if (!absl::StartsWith(plan.region, prefix)) continue;
    for (RowSum* row : rows_of(plan.region, plan.category, event.unit)) {
      v1::ReportFigures& f = row->figures;
      switch (event.flow) {
        case Flow::kNew:
          f.set_new_cases(f.new_cases() + 1);
          break;
        case Flow::kAssigned:
          f.set_assigned(f.assigned() + 1);
          break;
        case Flow::kVerified:
          f.set_verified(f.verified() + 1);
          break;
        case Flow::kClosed:
          f.set_closed(f.closed() + 1);
          row->days_to_close.push_back(event.days_to_close);
          break;
        case Flow::kClosedUnfounded:
          f.set_closed_unfounded(f.closed_unfounded() + 1);
          break;
      }
    }
  }
  for (const auto& [case_id, view] : snapshot) {
    if (!absl::StartsWith(view.region, prefix)) continue;
    for (RowSum* row : rows_of(view.region, view.category, view.unit)) {
      v1::ReportFigures& f = row->figures;
      if (view.status == v1::CASE_STATUS_RECTIFYING) f.set_rectifying(f.rectifying() + 1);
      if (view.overdue && view.status != v1::CASE_STATUS_CLOSED) f.set_overdue(f.overdue() + 1);
      if (view.status == v1::CASE_STATUS_CLOSED && view.closed_unfounded) {
        f.set_unfounded_to_date(f.unfounded_to_date() + 1);
      } else if (view.status == v1::CASE_STATUS_CLOSED) {
        f.set_closed_to_date(f.closed_to_date() + 1);
      } else {
        f.set_open_at_end(f.open_at_end() + 1);
      }
    }
  }
  v1::GetMonthlyReportResponse report;
  report.set_year(month.year);
  report.set_month(month.month);
  report.set_region_prefix(prefix);
  Finish(total);
  *report.mutable_total() = total.figures;
  auto add_rows = [](std::map<std::string, RowSum>& rows,
                     google::protobuf::RepeatedPtrField<v1::ReportRow>* out) {
    for (auto& [key, row] : rows) {
      Finish(row);
      if (!AnyNonZero(row.figures)) continue;
      v1::ReportRow& added = *out->Add();
      added.set_key(key);
      *added.mutable_figures() = row.figures;
    }
  };
  add_rows(by_category, report.mutable_by_category());
  add_rows(by_region, report.mutable_by_region());
  add_rows(by_unit, report.mutable_by_unit());
  *report.mutable_notices() =
      GroupNotices(ConditionsAt(snapshot, as_of, prefix, policy), as_of, display);
  *report.mutable_as_of() = ToProto(as_of);
  report.set_no_progress_days(policy.notice_no_progress_days);
  report.set_not_started_days(policy.notice_not_started_days);
  return report;
}
// ---------------------------------------------------------------------------

std::string StampText(const google::protobuf::Timestamp& timestamp) {
  return ChinaText(ToTime(timestamp));
}

void DiffFigures(const std::string& where, const v1::ReportFigures& want,
                 const v1::ReportFigures& got, std::vector<std::string>* diffs) {
  auto diff_int = [&](const char* name, int64_t w, int64_t g) {
    if (w != g) diffs->push_back(absl::StrCat(where, ".", name, ": expected ", w, ", got ", g));
  };
  auto diff_double = [&](const char* name, double w, double g) {
    if (std::abs(w - g) > 1e-9) {
      diffs->push_back(absl::StrCat(where, ".", name, ": expected ", w, ", got ", g));
    }
  };
  diff_int("new_cases", want.new_cases(), got.new_cases());
  diff_int("assigned", want.assigned(), got.assigned());
  diff_int("rectifying", want.rectifying(), got.rectifying());
  diff_int("verified", want.verified(), got.verified());
  diff_int("closed", want.closed(), got.closed());
  diff_int("overdue", want.overdue(), got.overdue());
  diff_int("closed_to_date", want.closed_to_date(), got.closed_to_date());
  diff_int("open_at_end", want.open_at_end(), got.open_at_end());
  diff_int("closed_unfounded", want.closed_unfounded(), got.closed_unfounded());
  diff_int("unfounded_to_date", want.unfounded_to_date(), got.unfounded_to_date());
  diff_double("closure_rate", want.closure_rate(), got.closure_rate());
  diff_double("median_days_to_close", want.median_days_to_close(), got.median_days_to_close());
}

void DiffRows(const std::string& where, const google::protobuf::RepeatedPtrField<v1::ReportRow>& want,
              const google::protobuf::RepeatedPtrField<v1::ReportRow>& got,
              std::vector<std::string>* diffs) {
  std::vector<std::string> want_keys;
  std::vector<std::string> got_keys;
  std::map<std::string, const v1::ReportRow*> got_by_key;
  for (const v1::ReportRow& row : want) want_keys.push_back(row.key());
  for (const v1::ReportRow& row : got) {
    got_keys.push_back(row.key());
    got_by_key[row.key()] = &row;
  }
  for (const v1::ReportRow& row : want) {
    auto it = got_by_key.find(row.key());
    if (it == got_by_key.end()) {
      diffs->push_back(absl::StrCat(where, "[", row.key(), "]: missing"));
    } else {
      DiffFigures(absl::StrCat(where, "[", row.key(), "]"), row.figures(), it->second->figures(),
                  diffs);
    }
  }
  const std::set<std::string> wanted(want_keys.begin(), want_keys.end());
  for (const std::string& key : got_keys) {
    if (wanted.count(key) == 0) diffs->push_back(absl::StrCat(where, "[", key, "]: unexpected row"));
  }
  if (diffs->empty() && want_keys != got_keys) {
    diffs->push_back(absl::StrCat(where, ": rows in order ", absl::StrJoin(got_keys, ","),
                                  ", expected ", absl::StrJoin(want_keys, ",")));
  }
}

std::string NoticeText(const std::string& group_unit, const v1::Notice& n) {
  return absl::StrCat("[", group_unit, "] ", v1::NoticeReason_Name(n.reason()), " ", n.case_id(),
                      " \"", n.title(), "\" unit=", n.responsible_unit(), " ",
                      v1::CaseStatus_Name(n.status()), " since ", StampText(n.since()), " days ",
                      n.days());
}

void DiffNotices(const std::string& where,
                 const google::protobuf::RepeatedPtrField<v1::UnitNotices>& want,
                 const google::protobuf::RepeatedPtrField<v1::UnitNotices>& got,
                 std::vector<std::string>* diffs) {
  using Key = std::pair<std::string, int>;
  std::map<Key, std::string> want_text;
  std::map<Key, std::string> got_text;
  std::vector<std::string> want_order;
  std::vector<std::string> got_order;
  for (const v1::UnitNotices& group : want) {
    for (const v1::Notice& n : group.notices()) {
      want_text[{n.case_id(), n.reason()}] = NoticeText(group.responsible_unit(), n);
      want_order.push_back(want_text[{n.case_id(), n.reason()}]);
    }
  }
  for (const v1::UnitNotices& group : got) {
    for (const v1::Notice& n : group.notices()) {
      const Key key{n.case_id(), n.reason()};
      if (got_text.count(key) != 0) {
        diffs->push_back(absl::StrCat(where, ": twice: ", NoticeText(group.responsible_unit(), n)));
      }
      got_text[key] = NoticeText(group.responsible_unit(), n);
      got_order.push_back(got_text[key]);
    }
  }
  for (const auto& [key, text] : want_text) {
    auto it = got_text.find(key);
    if (it == got_text.end()) {
      diffs->push_back(absl::StrCat(where, ": missing notice ", text));
    } else if (it->second != text) {
      diffs->push_back(absl::StrCat(where, ": notice ", it->second, "; expected ", text));
    }
  }
  for (const auto& [key, text] : got_text) {
    if (want_text.count(key) == 0) diffs->push_back(absl::StrCat(where, ": unexpected notice ", text));
  }
  std::vector<std::string> want_units;
  std::vector<std::string> got_units;
  for (const v1::UnitNotices& group : want) want_units.push_back(group.responsible_unit());
  for (const v1::UnitNotices& group : got) got_units.push_back(group.responsible_unit());
  if (diffs->empty() && want_units != got_units) {
    diffs->push_back(absl::StrCat(where, ": unit groups ", absl::StrJoin(got_units, ","),
                                  "; expected ", absl::StrJoin(want_units, ",")));
  }
  if (diffs->empty() && want_order != got_order) {
    for (size_t i = 0; i < want_order.size(); ++i) {
      if (want_order[i] != got_order[i]) {
        diffs->push_back(absl::StrCat(where, ": notice ", i, " is ", got_order[i], "; expected ",
                                      want_order[i]));
        break;
      }
    }
  }
}

void DiffReports(const std::string& where, const v1::GetMonthlyReportResponse& want,
                 const v1::GetMonthlyReportResponse& got, std::vector<std::string>* diffs) {
  if (want.year() != got.year() || want.month() != got.month()) {
    diffs->push_back(absl::StrCat(where, ": month ", got.year(), "-", got.month()));
  }
  if (want.region_prefix() != got.region_prefix()) {
    diffs->push_back(absl::StrCat(where, ": region_prefix \"", got.region_prefix(),
                                  "\", expected \"", want.region_prefix(), "\""));
  }
  if (ToTime(want.as_of()) != ToTime(got.as_of())) {
    diffs->push_back(absl::StrCat(where, ": as_of ", StampText(got.as_of()), ", expected ",
                                  StampText(want.as_of())));
  }
  if (want.no_progress_days() != got.no_progress_days() ||
      want.not_started_days() != got.not_started_days()) {
    diffs->push_back(absl::StrCat(where, ": N ", got.no_progress_days(), "/",
                                  got.not_started_days(), ", expected ", want.no_progress_days(),
                                  "/", want.not_started_days()));
  }
  DiffFigures(absl::StrCat(where, " total"), want.total(), got.total(), diffs);
  DiffRows(absl::StrCat(where, " by_category"), want.by_category(), got.by_category(), diffs);
  DiffRows(absl::StrCat(where, " by_region"), want.by_region(), got.by_region(), diffs);
  DiffRows(absl::StrCat(where, " by_unit"), want.by_unit(), got.by_unit(), diffs);
  DiffNotices(absl::StrCat(where, " notices"), want.notices(), got.notices(), diffs);
}

void ExpectNoDiffs(const std::string& what, const std::vector<std::string>& diffs) {
  if (diffs.empty()) return;
  const size_t shown = std::min<size_t>(diffs.size(), 30);
  ADD_FAILURE() << what << ": " << diffs.size() << " differences, the first " << shown << ":\n  "
                << absl::StrJoin(diffs.begin(), diffs.begin() + shown, "\n  ");
}

}  // namespace rectify::report_model

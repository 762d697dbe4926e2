// The working-day calendar deadlines are counted in: which days are working
// days in Asia/Shanghai, from a table of statutory holidays and adjusted
// workdays (调休) per year, as the State Council publishes them each year.
//
// The table comes from a text file (config/calendar_cn.txt is the shipped
// one, for 2025 and 2026) parsed by ParseCalendar; the workflow itself reads
// no file. DefaultCalendar() is the shipped table built in (the same file,
// embedded at build time), so a server can run without files.
//
//   ASSIGN_OR_RETURN(Calendar calendar, ParseCalendar(text));
//   ASSIGN_OR_RETURN(absl::Time due, calendar.AddWorkingDays(now, 3));
//
// Day counting follows the usual legal rule: the day a period starts in is
// not counted, and a period of days ends at the end of its last day, which
// is the instant the following day begins (local time). A date outside the
// table's years is an explicit OUT_OF_RANGE error, unless the file declares
// a fallback: "beyond_table: statutory" (the shipped file's: the statutory
// holidays the law fixes, computed for the years after the table by
// workflow/statutory_holidays.h, with plain weekends, since the weekend
// swaps are not known before the State Council publishes them) or
// "beyond_table: weekends" (Monday to Friday work, nothing else known).
//
// A count that looked at any day outside the table is provisional: the
// Add* functions say so through their `provisional` argument, and the
// deadline carries the mark until a calendar with that year recounts it.
#ifndef RECTIFY_WORKFLOW_CALENDAR_H_
#define RECTIFY_WORKFLOW_CALENDAR_H_

#include <bitset>
#include <map>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace rectify::workflow {

// What a calendar does with a date in a year its table does not cover.
enum class BeyondTable {
  // OUT_OF_RANGE naming the date: never a silent guess.
  kError,
  // Monday to Friday are working days, Saturday and Sunday are not.
  kWeekends,
  // After the table: the statutory holidays computed from the law
  // (StatutoryHolidays) are days off, and one made-up day (补假, art. 6) for
  // each that falls on a Saturday or Sunday, on the first working weekday
  // after it; Monday to Friday otherwise work, for
  // kStatutoryYearsAhead years after the table's last (OUT_OF_RANGE past
  // them); before kFirstStatutoryYear, as kWeekends.
  kStatutory,
};

// How many years after the table's last a kStatutory calendar computes.
inline constexpr int kStatutoryYearsAhead = 15;

class Calendar {
 public:
  // An empty table in the Asia/Shanghai zone that refuses every date.
  Calendar();

  // True when `day` is a working day: Monday to Friday unless a holiday, or
  // a Saturday or Sunday declared an adjusted workday. OUT_OF_RANGE for a
  // day outside the table (unless the calendar falls back to weekends).
  absl::StatusOr<bool> IsWorkingDay(absl::CivilDay day) const;

  // True when `day`'s year is in the published table (not computed or
  // guessed).
  bool IsPublished(absl::CivilDay day) const { return years_.count(static_cast<int>(day.year())) > 0; }

  // The end of the `days`-th working day after the day `start` falls in
  // (local time): the start's own day is not counted. days >= 1. When
  // `provisional` is given, it is set to whether a day counted lay outside
  // the published table.
  absl::StatusOr<absl::Time> AddWorkingDays(absl::Time start, int days,
                                            bool* provisional = nullptr) const;

  // The end of the `days`-th calendar day after the day `start` falls in;
  // when that last day is not a working day (a holiday or a weekend), the
  // period ends at the end of the next working day. days >= 1. When
  // `provisional` is given, it is set to whether the last day or a day it
  // rolled over lay outside the published table.
  absl::StatusOr<absl::Time> AddCalendarDays(absl::Time start, int days,
                                             bool* provisional = nullptr) const;

  // The days left from `now` until `due` (rectify.v1.DeadlineCountdown in
  // case_service.proto defines the rule; this is its one home). D is the
  // local day of `now`; E, the last day, is the local day of due's last
  // moment (a due instant at midnight ends the day before). Before `due`:
  // the working (and calendar) days after D up to and including E, so 0 on
  // E itself. From `due` on (`overdue`): minus the working (and calendar)
  // days after E up to and including D. OUT_OF_RANGE when a day between
  // them is outside the calendar, or they lie more than ten years apart.
  //
  //   // A Friday-night deadline read on Thursday morning: 1 working day left.
  //   ASSIGN_OR_RETURN(DaysLeft left, calendar.CountDaysLeft(now, due));
  struct DaysLeft {
    bool overdue = false;
    int working_days = 0;
    int calendar_days = 0;
    absl::CivilDay last_day;
  };
  absl::StatusOr<DaysLeft> CountDaysLeft(absl::Time now, absl::Time due) const;

  // `start` plus `hours` hours; no calendar involved.
  static absl::Time AddHours(absl::Time start, int hours) { return start + absl::Hours(hours); }

  // The zone days are counted in (Asia/Shanghai).
  const absl::TimeZone& zone() const { return zone_; }
  // "Asia/Shanghai" when the system's tzdata had it, else "UTC+08:00" (the
  // same offset: China has had no daylight saving time since 1991).
  const std::string& zone_name() const { return zone_name_; }
  // First and last year of the table; 0 when it is empty.
  int first_year() const { return years_.empty() ? 0 : years_.begin()->first; }
  int last_year() const { return years_.empty() ? 0 : years_.rbegin()->first; }
  // "2025-2026" (or "2025" for one year; "" when empty).
  std::string TableYears() const;
  BeyondTable beyond_table() const { return beyond_table_; }

  // Equal tables, zone and fallback.
  bool operator==(const Calendar& other) const {
    return years_ == other.years_ && computed_years_ == other.computed_years_ &&
           beyond_table_ == other.beyond_table_ && zone_name_ == other.zone_name_;
  }

 private:
  friend absl::StatusOr<Calendar> ParseCalendar(absl::string_view text);

  // The instant `day` ends (the next day's midnight, local time).
  absl::Time EndOf(absl::CivilDay day) const;

  // Per year, bit d (day of year from 0) set when the day is a working day.
  std::map<int, std::bitset<366>> years_;
  // The same for the years after the table, from the statutory holidays
  // (kStatutory only).
  std::map<int, std::bitset<366>> computed_years_;
  BeyondTable beyond_table_ = BeyondTable::kError;
  absl::TimeZone zone_;
  std::string zone_name_;
};

// Parses a calendar file. One directive per line; '#' starts a comment:
//
//   zone: Asia/Shanghai              # the only zone supported
//   beyond_table: error | weekends | statutory   # optional; default error
//   year: 2026                       # starts a year's section
//   holiday: 2026-02-15..2026-02-23  # a day or an inclusive range, in that year
//   workday: 2026-02-14              # an adjusted workday: a Saturday or Sunday
//
// Every year from the first to the last must have its section. Errors are
// INVALID_ARGUMENT of the form "calendar line 7: ...". With "statutory",
// the years after the table are computed here (a few ms each; INTERNAL if
// the lunar calendar library fails).
absl::StatusOr<Calendar> ParseCalendar(absl::string_view text);

// The shipped table (config/calendar_cn.txt, built in): 2025 and 2026,
// statutory holidays beyond. Parsed once; never destroyed.
std::shared_ptr<const Calendar> DefaultCalendar();

// The text of the built-in calendar: config/calendar_cn.txt, embedded at
// build time.
absl::string_view BuiltinCalendarText();

}  // namespace rectify::workflow

#endif  // RECTIFY_WORKFLOW_CALENDAR_H_

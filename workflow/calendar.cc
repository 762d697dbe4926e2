// The working-day calendar and its file parser; see calendar.h.
#include "workflow/calendar.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "base/dates.h"
#include "base/status_macros.h"
#include "workflow/key_value_lines.h"
#include "workflow/statutory_holidays.h"

namespace rectify::workflow {
namespace {

// The shipped table: config/calendar_cn.txt, embedded by the genrule
// //workflow:calendar_builtin as a raw string literal.
constexpr absl::string_view kBuiltinCalendar =
#include "workflow/calendar_builtin.inc"
    ;

// Longest period counted day by day; past it something is wrong with the
// rule, and stopping beats looping for years.
constexpr int kMaxDays = 3660;

bool IsWeekend(absl::CivilDay day) {
  const absl::Weekday weekday = absl::GetWeekday(day);
  return weekday == absl::Weekday::saturday || weekday == absl::Weekday::sunday;
}

int DayOfYearIndex(absl::CivilDay day) { return absl::GetYearDay(day) - 1; }

absl::Status LineError(int line, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("calendar line ", line, ": ", why));
}

// Parses "YYYY-MM-DD" strictly (absl::ParseCivilTime normalises 02-30).
bool ParseDay(absl::string_view text, absl::CivilDay* day) {
  text = absl::StripAsciiWhitespace(text);
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  int year, month, mday;
  if (!absl::SimpleAtoi(text.substr(0, 4), &year) || !absl::SimpleAtoi(text.substr(5, 2), &month) ||
      !absl::SimpleAtoi(text.substr(8, 2), &mday)) {
    return false;
  }
  const absl::CivilDay parsed(year, month, mday);
  if (parsed.year() != year || parsed.month() != month || parsed.day() != mday) return false;
  *day = parsed;
  return true;
}

}  // namespace

Calendar::Calendar() {
  // China has had no daylight saving time since 1991, so the fixed offset
  // gives the same local days when the system lacks tzdata.
  if (absl::LoadTimeZone("Asia/Shanghai", &zone_)) {
    zone_name_ = "Asia/Shanghai";
  } else {
    zone_ = ChinaTimeZone();
    zone_name_ = "UTC+08:00";
  }
}

absl::StatusOr<bool> Calendar::IsWorkingDay(absl::CivilDay day) const {
  const auto year = years_.find(static_cast<int>(day.year()));
  if (year != years_.end()) return year->second.test(DayOfYearIndex(day));
  if (beyond_table_ == BeyondTable::kWeekends) return !IsWeekend(day);
  if (beyond_table_ == BeyondTable::kStatutory) {
    const auto computed = computed_years_.find(static_cast<int>(day.year()));
    if (computed != computed_years_.end()) return computed->second.test(DayOfYearIndex(day));
    // Before the 2024 revision, and before any table: weekends only.
    if (day.year() < kFirstStatutoryYear) return !IsWeekend(day);
    return absl::OutOfRangeError(absl::StrCat(
        "the working-day calendar has ", TableYears(), " and the statutory holidays of the ",
        kStatutoryYearsAhead, " years after; ", absl::FormatCivilTime(day),
        " is past them (load a calendar file with newer years)"));
  }
  if (years_.empty()) {
    return absl::OutOfRangeError(
        absl::StrCat("the working-day calendar is empty; cannot count past ", absl::FormatCivilTime(day)));
  }
  return absl::OutOfRangeError(absl::StrCat(
      "the working-day calendar covers ", first_year(), " to ", last_year(), "; ",
      absl::FormatCivilTime(day), " is outside it (add that year's holidays to the calendar file)"));
}

absl::StatusOr<Calendar::DaysLeft> Calendar::CountDaysLeft(absl::Time now, absl::Time due) const {
  DaysLeft left;
  const absl::CivilDay today = absl::ToCivilDay(now, zone_);
  left.last_day = absl::ToCivilDay(due - absl::Nanoseconds(1), zone_);
  left.overdue = now >= due;
  // Before due, today <= last day; from due on, last day <= today.
  const absl::CivilDay from = left.overdue ? left.last_day : today;
  const absl::CivilDay to = left.overdue ? today : left.last_day;
  if (to - from > kMaxDays) {
    return absl::OutOfRangeError(absl::StrCat("the deadline's last day ",
                                              absl::FormatCivilTime(left.last_day),
                                              " is more than ", kMaxDays, " days from ",
                                              absl::FormatCivilTime(today)));
  }
  int working = 0;
  for (absl::CivilDay day = from + 1; day <= to; ++day) {
    ASSIGN_OR_RETURN(const bool is_working, IsWorkingDay(day));
    if (is_working) ++working;
  }
  const int calendar = static_cast<int>(to - from);
  left.working_days = left.overdue ? -working : working;
  left.calendar_days = left.overdue ? -calendar : calendar;
  return left;
}

absl::Time Calendar::EndOf(absl::CivilDay day) const {
  return absl::FromCivil(absl::CivilSecond(day + 1), zone_);
}

std::string Calendar::TableYears() const {
  if (years_.empty()) return "";
  if (first_year() == last_year()) return absl::StrCat(first_year());
  return absl::StrCat(first_year(), "-", last_year());
}

absl::StatusOr<absl::Time> Calendar::AddWorkingDays(absl::Time start, int days,
                                                    bool* provisional) const {
  if (days < 1 || days > kMaxDays) {
    return absl::InvalidArgumentError(absl::StrCat("working days must be 1 to ", kMaxDays, ", got ", days));
  }
  absl::CivilDay day = absl::ToCivilDay(start, zone_);
  int counted = 0;
  bool outside = false;
  for (int step = 0; step < 2 * kMaxDays; ++step) {
    ++day;
    ASSIGN_OR_RETURN(const bool working, IsWorkingDay(day));
    outside = outside || !IsPublished(day);
    if (working && ++counted == days) {
      if (provisional != nullptr) *provisional = outside;
      return EndOf(day);
    }
  }
  return absl::OutOfRangeError("no working day found in ten years");
}

absl::StatusOr<absl::Time> Calendar::AddCalendarDays(absl::Time start, int days,
                                                     bool* provisional) const {
  if (days < 1 || days > kMaxDays) {
    return absl::InvalidArgumentError(absl::StrCat("calendar days must be 1 to ", kMaxDays, ", got ", days));
  }
  absl::CivilDay day = absl::ToCivilDay(start, zone_) + days;
  bool outside = false;
  // A period whose last day is a holiday ends on the next working day.
  for (int step = 0; step < 366; ++step) {
    ASSIGN_OR_RETURN(const bool working, IsWorkingDay(day));
    outside = outside || !IsPublished(day);
    if (working) {
      if (provisional != nullptr) *provisional = outside;
      return EndOf(day);
    }
    ++day;
  }
  return absl::OutOfRangeError("no working day found in a year");
}

absl::StatusOr<Calendar> ParseCalendar(absl::string_view text) {
  Calendar calendar;
  struct YearTable {
    std::bitset<366> holidays;
    std::bitset<366> workdays;
    int line;
  };
  std::map<int, YearTable> tables;
  YearTable* current = nullptr;
  int current_year = 0;
  bool zone_seen = false;
  bool beyond_seen = false;
  ASSIGN_OR_RETURN(const std::vector<KeyValueLine> lines, SplitKeyValueLines(text, "calendar"));
  for (const KeyValueLine& line : lines) {
    const int line_number = line.number;
    const absl::string_view key = line.key;
    const absl::string_view value = line.value;
    if (key == "zone") {
      if (zone_seen) return LineError(line_number, "zone is given twice");
      zone_seen = true;
      if (value != "Asia/Shanghai") {
        return LineError(line_number, absl::StrCat("zone must be Asia/Shanghai, got \"", value, "\""));
      }
    } else if (key == "beyond_table") {
      if (beyond_seen) return LineError(line_number, "beyond_table is given twice");
      beyond_seen = true;
      if (value == "error") {
        calendar.beyond_table_ = BeyondTable::kError;
      } else if (value == "weekends") {
        calendar.beyond_table_ = BeyondTable::kWeekends;
      } else if (value == "statutory") {
        calendar.beyond_table_ = BeyondTable::kStatutory;
      } else {
        return LineError(line_number, absl::StrCat("beyond_table must be error, weekends or statutory, got \"",
                                                   value, "\""));
      }
    } else if (key == "year") {
      int year;
      if (!absl::SimpleAtoi(value, &year) || year < 1991 || year > 2200) {
        return LineError(line_number, absl::StrCat("year must be a year from 1991 to 2200, got \"",
                                                   value, "\""));
      }
      if (tables.count(year) > 0) {
        return LineError(line_number, absl::StrCat("year ", year, " is given twice (first on line ",
                                                   tables[year].line, ")"));
      }
      current = &tables[year];
      current->line = line_number;
      current_year = year;
    } else if (key == "holiday" || key == "workday") {
      if (current == nullptr) {
        return LineError(line_number, absl::StrCat(key, " before any \"year:\" line"));
      }
      absl::CivilDay first, last;
      const size_t dots = value.find("..");
      const absl::string_view first_text = dots == absl::string_view::npos ? value : value.substr(0, dots);
      const absl::string_view last_text = dots == absl::string_view::npos ? value : value.substr(dots + 2);
      if (!ParseDay(first_text, &first) || !ParseDay(last_text, &last)) {
        return LineError(line_number,
                         absl::StrCat("expected a date YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD, got \"",
                                      value, "\""));
      }
      if (last < first) {
        return LineError(line_number, absl::StrCat("the range ", value, " ends before it starts"));
      }
      if (first.year() != current_year || last.year() != current_year) {
        return LineError(line_number, absl::StrCat(value, " is not in the year ", current_year,
                                                   " of this section"));
      }
      if (key == "workday" && dots != absl::string_view::npos) {
        return LineError(line_number, "an adjusted workday is a single date, not a range");
      }
      for (absl::CivilDay day = first; day <= last; ++day) {
        const int index = DayOfYearIndex(day);
        if (key == "holiday") {
          if (current->workdays.test(index)) {
            return LineError(line_number, absl::StrCat(absl::FormatCivilTime(day),
                                                       " is already an adjusted workday"));
          }
          current->holidays.set(index);
        } else {
          if (!IsWeekend(day)) {
            return LineError(line_number,
                             absl::StrCat(absl::FormatCivilTime(day),
                                          " is a weekday; only a Saturday or Sunday can be an "
                                          "adjusted workday"));
          }
          if (current->holidays.test(index)) {
            return LineError(line_number,
                             absl::StrCat(absl::FormatCivilTime(day), " is already a holiday"));
          }
          current->workdays.set(index);
        }
      }
    } else {
      return LineError(line_number,
                       absl::StrCat("unknown key \"", key,
                                    "\"; expected zone, beyond_table, year, holiday or workday"));
    }
  }
  if (!zone_seen) {
    return absl::InvalidArgumentError("calendar: the \"zone: Asia/Shanghai\" line is missing");
  }
  if (tables.empty()) {
    return absl::InvalidArgumentError("calendar: no \"year:\" section; the table is empty");
  }
  for (int year = tables.begin()->first; year <= tables.rbegin()->first; ++year) {
    if (tables.count(year) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("calendar: year ", year, " is missing between ", tables.begin()->first,
                       " and ", tables.rbegin()->first));
    }
  }
  for (const auto& [year, table] : tables) {
    std::bitset<366>& working = calendar.years_[year];
    for (absl::CivilDay day(year, 1, 1); day.year() == year; ++day) {
      const int index = DayOfYearIndex(day);
      working.set(index, table.workdays.test(index) || (!IsWeekend(day) && !table.holidays.test(index)));
    }
  }
  if (calendar.beyond_table_ == BeyondTable::kStatutory) {
    const int first = std::max(calendar.last_year() + 1, kFirstStatutoryYear);
    const int last = std::min(calendar.last_year() + kStatutoryYearsAhead, kLastStatutoryYear);
    for (int year = first; year <= last; ++year) {
      ASSIGN_OR_RETURN(const std::vector<StatutoryHoliday> holidays, StatutoryHolidays(year));
      std::bitset<366>& working = calendar.computed_years_[year];
      for (absl::CivilDay day(year, 1, 1); day.year() == year; ++day) {
        working.set(DayOfYearIndex(day), !IsWeekend(day));
      }
      for (const StatutoryHoliday& holiday : holidays) {
        // New Year's Eve of a Spring Festival in January is in `year` too
        // (the earliest is Jan 20), so every day lands in its year.
        if (holiday.day.year() == year) working.reset(DayOfYearIndex(holiday.day));
      }
      // Art. 6: a holiday on a Saturday or Sunday is made up (补假) on a
      // working day; the State Council's notices put it on the first
      // working weekday after, which is the guess here (in date order, so
      // a second one takes the day after the first's).
      for (const StatutoryHoliday& holiday : holidays) {
        if (!IsWeekend(holiday.day)) continue;
        absl::CivilDay make_up = holiday.day + 1;
        while (make_up.year() == year && !working.test(DayOfYearIndex(make_up))) ++make_up;
        if (make_up.year() == year) working.reset(DayOfYearIndex(make_up));
      }
    }
  }
  return calendar;
}

absl::string_view BuiltinCalendarText() { return kBuiltinCalendar; }

std::shared_ptr<const Calendar> DefaultCalendar() {
  static const auto* const calendar = [] {
    absl::StatusOr<Calendar> parsed = ParseCalendar(kBuiltinCalendar);
    // The built-in text is tested; an empty calendar refuses every date
    // rather than guessing, should it ever fail.
    return new std::shared_ptr<const Calendar>(
        std::make_shared<const Calendar>(parsed.ok() ? *std::move(parsed) : Calendar()));
  }();
  return *calendar;
}

}  // namespace rectify::workflow

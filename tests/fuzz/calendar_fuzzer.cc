// Fuzzes the working-day calendar parser (workflow/calendar.h) and the day
// counting on what it parsed. Input: a calendar file's text.
//
// Properties: parsing never crashes and refuses with INVALID_ARGUMENT
// "calendar line N: ..."; it is deterministic (two parses are equal); on a
// parsed calendar every day of its first and last year has an answer, a weekday
// beyond the table is a working day exactly when the file says "weekends",
// and has an answer with "statutory" for the years whose holidays are computed,
// and from starts in the table's first and last year a period of N working
// days ends at the end of a working day, after N calendar days and no sooner
// than N-1 working days; a period of N calendar days ends at the end of a
// working day on or after the N-th day.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "tests/fuzz/fuzz_check.h"
#include "workflow/calendar.h"
#include "workflow/statutory_holidays.h"

using rectify::workflow::BeyondTable;
using rectify::workflow::Calendar;

namespace {

// The local day an end-of-day instant closes.
absl::CivilDay LastDay(const Calendar& calendar, absl::Time end) {
  return absl::ToCivilDay(end - absl::Nanoseconds(1), calendar.zone());
}

void CheckPeriods(const Calendar& calendar, absl::CivilDay start_day) {
  const absl::Time start = absl::FromCivil(absl::CivilSecond(start_day) + 9 * 3600, calendar.zone());
  for (int days : {1, 3, 30}) {
    const absl::StatusOr<absl::Time> working = calendar.AddWorkingDays(start, days);
    if (working.ok()) {
      const absl::CivilDay last = LastDay(calendar, *working);
      FUZZ_CHECK(*working == absl::FromCivil(absl::CivilSecond(last + 1), calendar.zone()),
                 "a working-day period ends at midnight");
      FUZZ_CHECK(last - start_day >= days, "N working days take at least N days");
      const absl::StatusOr<bool> is_working = calendar.IsWorkingDay(last);
      FUZZ_CHECK(is_working.ok() && *is_working, "a working-day period ends on a working day");
      if (days > 1) {
        const absl::StatusOr<absl::Time> shorter = calendar.AddWorkingDays(start, days - 1);
        FUZZ_CHECK(shorter.ok() && *shorter < *working, "one working day less ends sooner");
      }
    } else {
      FUZZ_CHECK(working.status().code() == absl::StatusCode::kOutOfRange,
                 "a period past the table is OUT_OF_RANGE");
    }
    const absl::StatusOr<absl::Time> calendar_days = calendar.AddCalendarDays(start, days);
    if (calendar_days.ok()) {
      const absl::CivilDay last = LastDay(calendar, *calendar_days);
      FUZZ_CHECK(last - start_day >= days, "N calendar days end on or after the N-th day");
      const absl::StatusOr<bool> is_working = calendar.IsWorkingDay(last);
      FUZZ_CHECK(is_working.ok() && *is_working, "a calendar-day period ends on a working day");
      for (absl::CivilDay day = start_day + days; day < last; ++day) {
        const absl::StatusOr<bool> skipped = calendar.IsWorkingDay(day);
        FUZZ_CHECK(skipped.ok() && !*skipped, "the period runs on only over days off");
      }
    } else {
      FUZZ_CHECK(calendar_days.status().code() == absl::StatusCode::kOutOfRange,
                 "a period past the table is OUT_OF_RANGE");
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  const absl::StatusOr<Calendar> calendar = rectify::workflow::ParseCalendar(text);
  if (!calendar.ok()) {
    FUZZ_CHECK(calendar.status().code() == absl::StatusCode::kInvalidArgument,
               "a bad calendar is INVALID_ARGUMENT");
    FUZZ_CHECK(calendar.status().message().rfind("calendar", 0) == 0,
               "the refusal starts with \"calendar\"");
    return 0;
  }
  const absl::StatusOr<Calendar> again = rectify::workflow::ParseCalendar(text);
  FUZZ_CHECK(again.ok() && *again == *calendar, "parsing is deterministic");
  FUZZ_CHECK(calendar->first_year() <= calendar->last_year(), "the years are in order");
  if (calendar->first_year() == 0) return 0;  // no year: every date is beyond the table

  for (int year : {calendar->first_year(), calendar->last_year()}) {
    for (absl::CivilDay day(year, 1, 1); day.year() == year; ++day) {
      FUZZ_CHECK(calendar->IsWorkingDay(day).ok(), "every day of the table has an answer");
    }
  }
  const absl::CivilDay beyond(calendar->last_year() + 1, 1, 5);
  const absl::StatusOr<bool> beyond_working = calendar->IsWorkingDay(beyond);
  if (calendar->beyond_table() == BeyondTable::kWeekends) {
    const absl::Weekday weekday = absl::GetWeekday(beyond);
    FUZZ_CHECK(beyond_working.ok() && *beyond_working == (weekday != absl::Weekday::saturday &&
                                                          weekday != absl::Weekday::sunday),
               "beyond the table Monday to Friday work");
  } else if (calendar->beyond_table() == BeyondTable::kStatutory) {
    // The statutory holidays are computed for kStatutoryYearsAhead years after
    // the table, within the years the rules cover; before them, weekends.
    const int next = calendar->last_year() + 1;
    const bool computed = next >= rectify::workflow::kFirstStatutoryYear &&
                          next <= rectify::workflow::kLastStatutoryYear;
    const bool weekends_only = next < rectify::workflow::kFirstStatutoryYear;
    FUZZ_CHECK(beyond_working.ok() == (computed || weekends_only),
               "the year after the table has an answer exactly when the rules cover it");
    const absl::CivilDay past(calendar->last_year() + rectify::workflow::kStatutoryYearsAhead + 1, 6, 1);
    if (past.year() >= rectify::workflow::kFirstStatutoryYear) {
      const absl::StatusOr<bool> past_working = calendar->IsWorkingDay(past);
      FUZZ_CHECK(!past_working.ok() && past_working.status().code() == absl::StatusCode::kOutOfRange,
                 "past the computed years is OUT_OF_RANGE");
    }
  } else {
    FUZZ_CHECK(!beyond_working.ok() &&
                   beyond_working.status().code() == absl::StatusCode::kOutOfRange,
               "beyond the table is OUT_OF_RANGE");
  }
  CheckPeriods(*calendar, absl::CivilDay(calendar->first_year(), 1, 1));
  CheckPeriods(*calendar, absl::CivilDay(calendar->last_year(), 12, 20));
  return 0;
}

// Tests of the working-day calendar: every holiday range and adjusted
// workday of the State Council's 2025 and 2026 arrangements (DOMAIN.md),
// deadline arithmetic across the Spring Festival and National Day weeks, the
// statutory holidays past the table and the provisional mark, the table's
// edges, and malformed calendar files.
#include "workflow/calendar.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/status_matchers.h"
#include "tests/workflow/read_file.h"

namespace rectify::workflow {
namespace {

using ::rectify::testing::StatusIs;
using ::testing::HasSubstr;

const absl::TimeZone& Shanghai() {
  static const absl::TimeZone zone = DefaultCalendar()->zone();
  return zone;
}

// 10:00 local time on a day.
absl::Time At(int y, int m, int d, int hour = 10) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hour, 0, 0), Shanghai());
}
// The end of a day: the next day's local midnight.
absl::Time EndOfDay(int y, int m, int d) {
  return absl::FromCivil(absl::CivilDay(y, m, d) + 1, Shanghai());
}

TEST(CalendarTest, ShippedFileEqualsTheBuiltInTable) {
  const std::string file = rectify::testing::ReadRunfile("config/calendar_cn.txt");
  ASSERT_FALSE(file.empty());
  EXPECT_EQ(file, std::string(BuiltinCalendarText()));
  ASSERT_OK_AND_ASSIGN(const Calendar parsed, ParseCalendar(file));
  EXPECT_TRUE(parsed == *DefaultCalendar());
  EXPECT_EQ(parsed.first_year(), 2025);
  EXPECT_EQ(parsed.last_year(), 2026);
  EXPECT_EQ(parsed.beyond_table(), BeyondTable::kStatutory);
  EXPECT_EQ(parsed.TableYears(), "2025-2026");
}

TEST(CalendarTest, ZoneIsShanghai) {
  // Debian ships tzdata; the fixed +08:00 fallback counts the same days.
  EXPECT_THAT(DefaultCalendar()->zone_name(), ::testing::AnyOf("Asia/Shanghai", "UTC+08:00"));
  EXPECT_EQ(absl::FormatTime("%H:%M", At(2026, 3, 2, 0), absl::UTCTimeZone()), "16:00");
}

struct WorkingDayCase {
  absl::CivilDay day;
  bool working;
};

TEST(CalendarTest, KnowsHolidaysWeekendsAndAdjustedWorkdays) {
  const Calendar& calendar = *DefaultCalendar();
  const WorkingDayCase cases[] = {
      {absl::CivilDay(2025, 1, 1), false},   // New Year
      {absl::CivilDay(2025, 1, 26), true},   // Sunday, adjusted workday
      {absl::CivilDay(2025, 1, 28), false},  // Spring Festival
      {absl::CivilDay(2025, 2, 4), false},
      {absl::CivilDay(2025, 2, 5), true},
      {absl::CivilDay(2025, 2, 8), true},    // Saturday, adjusted workday
      {absl::CivilDay(2025, 2, 9), false},   // ordinary Sunday
      {absl::CivilDay(2025, 9, 28), true},   // Sunday, adjusted workday
      {absl::CivilDay(2025, 10, 8), false},  // National Day week
      {absl::CivilDay(2025, 10, 11), true},  // Saturday, adjusted workday
      {absl::CivilDay(2026, 1, 4), true},    // Sunday, adjusted workday
      {absl::CivilDay(2026, 2, 14), true},   // Saturday, adjusted workday
      {absl::CivilDay(2026, 2, 16), false},  // Spring Festival (a Monday)
      {absl::CivilDay(2026, 2, 23), false},
      {absl::CivilDay(2026, 2, 28), true},   // Saturday, adjusted workday
      {absl::CivilDay(2026, 9, 20), true},   // Sunday, adjusted workday
      {absl::CivilDay(2026, 10, 7), false},
      {absl::CivilDay(2026, 10, 10), true},  // Saturday, adjusted workday
      {absl::CivilDay(2026, 10, 12), true},  // ordinary Monday
  };
  for (const WorkingDayCase& c : cases) {
    ASSERT_OK_AND_ASSIGN(const bool working, calendar.IsWorkingDay(c.day));
    EXPECT_EQ(working, c.working) << c.day;
  }
}

struct Arithmetic {
  const char* name;
  absl::Time start;
  int amount;
  bool working_days;  // else calendar days
  absl::Time due;
};

class CalendarArithmeticTest : public ::testing::TestWithParam<Arithmetic> {};

TEST_P(CalendarArithmeticTest, GivesTheDueInstant) {
  const Arithmetic& a = GetParam();
  const Calendar& calendar = *DefaultCalendar();
  ASSERT_OK_AND_ASSIGN(const absl::Time due, a.working_days
                                                 ? calendar.AddWorkingDays(a.start, a.amount)
                                                 : calendar.AddCalendarDays(a.start, a.amount));
  EXPECT_EQ(absl::FormatTime("%Y-%m-%d %H:%M", due, Shanghai()),
            absl::FormatTime("%Y-%m-%d %H:%M", a.due, Shanghai()));
}

INSTANTIATE_TEST_SUITE_P(
    SpringFestivalAndNationalDay, CalendarArithmeticTest,
    ::testing::Values(
        // 2025 Spring Festival: Jan 28 - Feb 4 off; Sunday Jan 26 and Saturday Feb 8 work.
        Arithmetic{"Sf2025SundayWorkday", At(2025, 1, 24), 1, true, EndOfDay(2025, 1, 26)},
        Arithmetic{"Sf2025AcrossTheWeek", At(2025, 1, 24), 3, true, EndOfDay(2025, 2, 5)},
        Arithmetic{"Sf2025SaturdayWorkday", At(2025, 2, 6), 2, true, EndOfDay(2025, 2, 8)},
        Arithmetic{"Sf2025CalendarRollsPastHoliday", At(2025, 1, 25), 5, false, EndOfDay(2025, 2, 5)},
        // 2025 National Day: Oct 1-8 off; Sunday Sep 28 and Saturday Oct 11 work.
        Arithmetic{"Nd2025SundayWorkday", At(2025, 9, 26), 1, true, EndOfDay(2025, 9, 28)},
        Arithmetic{"Nd2025AfterTheWeek", At(2025, 9, 30), 1, true, EndOfDay(2025, 10, 9)},
        Arithmetic{"Nd2025SaturdayWorkday", At(2025, 9, 30), 3, true, EndOfDay(2025, 10, 11)},
        Arithmetic{"Nd2025CalendarRolls", At(2025, 9, 28), 3, false, EndOfDay(2025, 10, 9)},
        // 2026 Spring Festival: Feb 15-23 off; Saturdays Feb 14 and Feb 28 work.
        Arithmetic{"Sf2026SaturdayWorkday", At(2026, 2, 13), 1, true, EndOfDay(2026, 2, 14)},
        Arithmetic{"Sf2026AcrossTheWeek", At(2026, 2, 13), 3, true, EndOfDay(2026, 2, 25)},
        Arithmetic{"Sf2026SecondSaturday", At(2026, 2, 26), 2, true, EndOfDay(2026, 2, 28)},
        Arithmetic{"Sf2026CalendarEndsOnWorkSaturday", At(2026, 2, 11), 3, false,
                   EndOfDay(2026, 2, 14)},
        Arithmetic{"Sf2026CalendarRollsPastHoliday", At(2026, 2, 12), 3, false,
                   EndOfDay(2026, 2, 24)},
        // 2026 National Day: Oct 1-7 off; Saturday Oct 10 works.
        Arithmetic{"Nd2026AfterTheWeek", At(2026, 9, 30), 1, true, EndOfDay(2026, 10, 8)},
        Arithmetic{"Nd2026SaturdayWorkday", At(2026, 9, 30), 3, true, EndOfDay(2026, 10, 10)},
        Arithmetic{"Nd2026CalendarRolls", At(2026, 9, 28), 3, false, EndOfDay(2026, 10, 8)},
        Arithmetic{"Nd2026CalendarEndsOnSunday", At(2026, 10, 8), 3, false, EndOfDay(2026, 10, 12)},
        // An ordinary week: Friday + 1 working day is Monday.
        Arithmetic{"OrdinaryWeekend", At(2026, 3, 6), 1, true, EndOfDay(2026, 3, 9)},
        Arithmetic{"OrdinaryCalendarDays", At(2026, 3, 2), 30, false, EndOfDay(2026, 4, 1)},
        // Past the table: the shipped file's statutory holidays. Dec 31 (Thu)
        // is the 1st; New Year's Day 2027 (Fri) and the weekend are off; Jan
        // 4-7 are the 2nd to 5th.
        Arithmetic{"BeyondTheTable", At(2026, 12, 30), 5, true, EndOfDay(2027, 1, 7)}),
    [](const ::testing::TestParamInfo<Arithmetic>& info) { return std::string(info.param.name); });

// DOMAIN.md's table of the State Council's arrangements, written out by hand
// (not from the shipped file): each range of days off with the days around
// it, each adjusted workday with the days around it. The weekdays are noted
// so each expectation can be checked against a wall calendar.
struct DayRange {
  absl::CivilDay first;
  absl::CivilDay last;
  bool working;
};

constexpr bool kOff = false;
constexpr bool kWork = true;

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

const DayRange kPublished[] = {
    // 2025: Jan 1; Jan 28-Feb 4; Apr 4-6; May 1-5; May 31-Jun 2; Oct 1-8.
    {D(2025, 1, 1), D(2025, 1, 1), kOff},      // Wed
    {D(2025, 1, 2), D(2025, 1, 3), kWork},     // Thu, Fri
    {D(2025, 1, 27), D(2025, 1, 27), kWork},   // Mon
    {D(2025, 1, 28), D(2025, 2, 4), kOff},     // Tue .. Tue, 8 days
    {D(2025, 2, 5), D(2025, 2, 5), kWork},     // Wed
    {D(2025, 4, 3), D(2025, 4, 3), kWork},     // Thu
    {D(2025, 4, 4), D(2025, 4, 6), kOff},      // Fri .. Sun
    {D(2025, 4, 7), D(2025, 4, 7), kWork},     // Mon
    {D(2025, 4, 30), D(2025, 4, 30), kWork},   // Wed
    {D(2025, 5, 1), D(2025, 5, 5), kOff},      // Thu .. Mon
    {D(2025, 5, 6), D(2025, 5, 6), kWork},     // Tue
    {D(2025, 5, 30), D(2025, 5, 30), kWork},   // Fri
    {D(2025, 5, 31), D(2025, 6, 2), kOff},     // Sat .. Mon
    {D(2025, 6, 3), D(2025, 6, 3), kWork},     // Tue
    {D(2025, 9, 30), D(2025, 9, 30), kWork},   // Tue
    {D(2025, 10, 1), D(2025, 10, 8), kOff},    // Wed .. Wed
    {D(2025, 10, 9), D(2025, 10, 9), kWork},   // Thu
    // 2025 adjusted workdays: Jan 26, Feb 8, Apr 27, Sep 28, Oct 11.
    {D(2025, 1, 25), D(2025, 1, 25), kOff},    // Sat
    {D(2025, 1, 26), D(2025, 1, 26), kWork},   // Sun, adjusted
    {D(2025, 2, 7), D(2025, 2, 7), kWork},     // Fri
    {D(2025, 2, 8), D(2025, 2, 8), kWork},     // Sat, adjusted
    {D(2025, 2, 9), D(2025, 2, 9), kOff},      // Sun
    {D(2025, 4, 26), D(2025, 4, 26), kOff},    // Sat
    {D(2025, 4, 27), D(2025, 4, 27), kWork},   // Sun, adjusted
    {D(2025, 4, 28), D(2025, 4, 28), kWork},   // Mon
    {D(2025, 9, 27), D(2025, 9, 27), kOff},    // Sat
    {D(2025, 9, 28), D(2025, 9, 28), kWork},   // Sun, adjusted
    {D(2025, 9, 29), D(2025, 9, 29), kWork},   // Mon
    {D(2025, 10, 10), D(2025, 10, 10), kWork}, // Fri
    {D(2025, 10, 11), D(2025, 10, 11), kWork}, // Sat, adjusted
    {D(2025, 10, 12), D(2025, 10, 12), kOff},  // Sun
    // 2026: Jan 1-3; Feb 15-23; Apr 4-6; May 1-5; Jun 19-21; Sep 25-27; Oct 1-7.
    {D(2025, 12, 31), D(2025, 12, 31), kWork}, // Wed
    {D(2026, 1, 1), D(2026, 1, 3), kOff},      // Thu .. Sat
    {D(2026, 2, 13), D(2026, 2, 13), kWork},   // Fri
    {D(2026, 2, 15), D(2026, 2, 23), kOff},    // Sun .. Mon, 9 days
    {D(2026, 2, 24), D(2026, 2, 24), kWork},   // Tue
    {D(2026, 4, 3), D(2026, 4, 3), kWork},     // Fri
    {D(2026, 4, 4), D(2026, 4, 6), kOff},      // Sat .. Mon (Qingming Apr 5)
    {D(2026, 4, 7), D(2026, 4, 7), kWork},     // Tue
    {D(2026, 4, 30), D(2026, 4, 30), kWork},   // Thu
    {D(2026, 5, 1), D(2026, 5, 5), kOff},      // Fri .. Tue
    {D(2026, 5, 6), D(2026, 5, 6), kWork},     // Wed
    {D(2026, 6, 18), D(2026, 6, 18), kWork},   // Thu
    {D(2026, 6, 19), D(2026, 6, 21), kOff},    // Fri .. Sun (Dragon Boat)
    {D(2026, 6, 22), D(2026, 6, 22), kWork},   // Mon
    {D(2026, 9, 24), D(2026, 9, 24), kWork},   // Thu
    {D(2026, 9, 25), D(2026, 9, 27), kOff},    // Fri .. Sun (Mid-Autumn)
    {D(2026, 9, 28), D(2026, 9, 28), kWork},   // Mon
    {D(2026, 9, 30), D(2026, 9, 30), kWork},   // Wed
    {D(2026, 10, 1), D(2026, 10, 7), kOff},    // Thu .. Wed
    {D(2026, 10, 8), D(2026, 10, 8), kWork},   // Thu
    // 2026 adjusted workdays: Jan 4, Feb 14, Feb 28, May 9, Sep 20, Oct 10.
    {D(2026, 1, 4), D(2026, 1, 4), kWork},     // Sun, adjusted
    {D(2026, 1, 5), D(2026, 1, 5), kWork},     // Mon
    {D(2026, 2, 14), D(2026, 2, 14), kWork},   // Sat, adjusted
    {D(2026, 2, 27), D(2026, 2, 27), kWork},   // Fri
    {D(2026, 2, 28), D(2026, 2, 28), kWork},   // Sat, adjusted
    {D(2026, 3, 1), D(2026, 3, 1), kOff},      // Sun
    {D(2026, 5, 8), D(2026, 5, 8), kWork},     // Fri
    {D(2026, 5, 9), D(2026, 5, 9), kWork},     // Sat, adjusted
    {D(2026, 5, 10), D(2026, 5, 10), kOff},    // Sun
    {D(2026, 9, 19), D(2026, 9, 19), kOff},    // Sat
    {D(2026, 9, 20), D(2026, 9, 20), kWork},   // Sun, adjusted
    {D(2026, 9, 21), D(2026, 9, 21), kWork},   // Mon
    {D(2026, 10, 9), D(2026, 10, 9), kWork},   // Fri
    {D(2026, 10, 10), D(2026, 10, 10), kWork}, // Sat, adjusted
    {D(2026, 10, 11), D(2026, 10, 11), kOff},  // Sun
};

// Checks every day of `ranges` in `calendar`, and that each is (or is not)
// in the published table; returns how many days were checked.
template <size_t N>
int ExpectDays(const Calendar& calendar, const DayRange (&ranges)[N], bool published) {
  int days = 0;
  for (const DayRange& range : ranges) {
    for (absl::CivilDay day = range.first; day <= range.last; ++day) {
      absl::StatusOr<bool> working = calendar.IsWorkingDay(day);
      EXPECT_OK(working.status());
      EXPECT_EQ(working.value_or(!range.working), range.working) << day;
      EXPECT_EQ(calendar.IsPublished(day), published) << day;
      ++days;
    }
  }
  return days;
}

TEST(CalendarTest, EveryPublishedRangeAndAdjustedWorkdayOf2025And2026) {
  const int days = ExpectDays(*DefaultCalendar(), kPublished, /*published=*/true);
  // 2025: 28 days off, 12 days around them, 14 adjusted workdays and
  // neighbours; 2026: 33, 13 and 15. Every one was looked at.
  EXPECT_EQ(days, 115);
}

TEST(CalendarTest, ComputesStatutoryHolidaysPastTheTable) {
  // 2027, by hand: New Year's Day Fri Jan 1; Spring Festival from New Year's
  // Eve Fri Feb 5 to Mon Feb 8, the 1st and 2nd on Sat and Sun made up on
  // Tue Feb 9 and Wed Feb 10 (art. 6); Qingming Mon Apr 5; Labour Day Sat-Sun
  // May 1-2, made up Mon-Tue May 3-4; Dragon Boat Wed Jun 9; Mid-Autumn Wed
  // Sep 15; National Day Fri-Sun Oct 1-3, made up Mon-Tue Oct 4-5. No weekend
  // swaps are known: every other weekday works.
  const DayRange expected[] = {
      {D(2027, 1, 1), D(2027, 1, 3), kOff},       // Fri (holiday) .. Sun
      {D(2027, 1, 4), D(2027, 1, 4), kWork},      // Mon
      {D(2027, 2, 4), D(2027, 2, 4), kWork},      // Thu
      {D(2027, 2, 5), D(2027, 2, 10), kOff},      // Fri (Eve) .. Wed (made up)
      {D(2027, 2, 11), D(2027, 2, 12), kWork},    // Thu, Fri
      {D(2027, 4, 2), D(2027, 4, 2), kWork},      // Fri
      {D(2027, 4, 5), D(2027, 4, 5), kOff},       // Mon, Qingming
      {D(2027, 4, 6), D(2027, 4, 6), kWork},      // Tue
      {D(2027, 4, 30), D(2027, 4, 30), kWork},    // Fri
      {D(2027, 5, 1), D(2027, 5, 4), kOff},       // Sat .. Tue (made up)
      {D(2027, 5, 5), D(2027, 5, 5), kWork},      // Wed
      {D(2027, 6, 8), D(2027, 6, 8), kWork},      // Tue
      {D(2027, 6, 9), D(2027, 6, 9), kOff},       // Wed, Dragon Boat
      {D(2027, 6, 10), D(2027, 6, 10), kWork},    // Thu
      {D(2027, 9, 14), D(2027, 9, 14), kWork},    // Tue
      {D(2027, 9, 15), D(2027, 9, 15), kOff},     // Wed, Mid-Autumn
      {D(2027, 9, 16), D(2027, 9, 16), kWork},    // Thu
      {D(2027, 9, 30), D(2027, 9, 30), kWork},    // Thu
      {D(2027, 10, 1), D(2027, 10, 5), kOff},     // Fri .. Tue (made up)
      {D(2027, 10, 6), D(2027, 10, 6), kWork},    // Wed
      // 2028: New Year's Day Sat, made up Mon Jan 3; Spring Festival Tue Jan
      // 25 (Eve) .. Fri Jan 28; Qingming Tue Apr 4; Dragon Boat Sun May 28,
      // made up Mon May 29; National Day Sun Oct 1 .. Tue Oct 3 (Mid-Autumn
      // is Oct 3 too), made up Wed Oct 4.
      {D(2028, 1, 3), D(2028, 1, 3), kOff},       // Mon
      {D(2028, 1, 4), D(2028, 1, 4), kWork},      // Tue
      {D(2028, 1, 24), D(2028, 1, 24), kWork},    // Mon
      {D(2028, 1, 25), D(2028, 1, 28), kOff},     // Tue .. Fri
      {D(2028, 1, 31), D(2028, 1, 31), kWork},    // Mon
      {D(2028, 4, 4), D(2028, 4, 4), kOff},       // Tue
      {D(2028, 4, 5), D(2028, 4, 5), kWork},      // Wed
      {D(2028, 5, 29), D(2028, 5, 29), kOff},     // Mon
      {D(2028, 5, 30), D(2028, 5, 30), kWork},    // Tue
      {D(2028, 10, 2), D(2028, 10, 4), kOff},     // Mon .. Wed
      {D(2028, 10, 5), D(2028, 10, 5), kWork},    // Thu
  };
  EXPECT_EQ(ExpectDays(*DefaultCalendar(), expected, /*published=*/false), 51);
}

// DOMAIN.md, "Years past the published table": the law fixes the holidays,
// but which weekends become working days (调休补班) waits for the State
// Council's notice. So a computed year has no adjusted workday at all: every
// Saturday and Sunday of every computed year is a day off, and no such day
// counts as published.
TEST(CalendarTest, ComputedYearsHaveNoMakeUpWorkingDays) {
  const Calendar& calendar = *DefaultCalendar();
  int weekend_days = 0;
  for (int year = 2027; year <= 2026 + kStatutoryYearsAhead; ++year) {
    for (absl::CivilDay day(year, 1, 1); day.year() == year; ++day) {
      const absl::Weekday weekday = absl::GetWeekday(day);
      if (weekday != absl::Weekday::saturday && weekday != absl::Weekday::sunday) continue;
      ++weekend_days;
      ASSERT_OK_AND_ASSIGN(const bool working, calendar.IsWorkingDay(day));
      EXPECT_FALSE(working) << day << " is a weekend day of a computed year";
      EXPECT_FALSE(calendar.IsPublished(day)) << day;
    }
  }
  // 15 years of 52 or 53 weekends: at least 15 * 104 days looked at.
  EXPECT_GE(weekend_days, 15 * 104);
}

TEST(CalendarTest, MarksCountsOverUnpublishedYearsProvisional) {
  const Calendar& calendar = *DefaultCalendar();
  bool provisional = true;
  // Inside 2026: published.
  ASSERT_OK_AND_ASSIGN(absl::Time due, calendar.AddCalendarDays(At(2026, 3, 2), 30, &provisional));
  EXPECT_EQ(due, EndOfDay(2026, 4, 1));
  EXPECT_FALSE(provisional);
  // 30 calendar days from Thu 2027-01-07: Sat Feb 6 (Spring Festival) to
  // Wed Feb 10 (made up for Feb 6 and 7) are off; the period ends on Thu Feb 11.
  ASSERT_OK_AND_ASSIGN(due, calendar.AddCalendarDays(At(2027, 1, 7), 30, &provisional));
  EXPECT_EQ(due, EndOfDay(2027, 2, 11));
  EXPECT_TRUE(provisional);
  // Working days from 2026 into 2027 are provisional as soon as a 2027 day
  // is counted: Wed Dec 30 + 1 is Thu Dec 31 (published), + 2 is Mon Jan 4.
  ASSERT_OK_AND_ASSIGN(due, calendar.AddWorkingDays(At(2026, 12, 30), 1, &provisional));
  EXPECT_EQ(due, EndOfDay(2026, 12, 31));
  EXPECT_FALSE(provisional);
  ASSERT_OK_AND_ASSIGN(due, calendar.AddWorkingDays(At(2026, 12, 30), 2, &provisional));
  EXPECT_EQ(due, EndOfDay(2027, 1, 4));
  EXPECT_TRUE(provisional);
  // Calendar days ending in 2026 look at no 2027 day: Dec 1 + 30 is Thu Dec 31.
  ASSERT_OK_AND_ASSIGN(due, calendar.AddCalendarDays(At(2026, 12, 1), 30, &provisional));
  EXPECT_EQ(due, EndOfDay(2026, 12, 31));
  EXPECT_FALSE(provisional);
}

TEST(CalendarTest, AYearsSectionReplacesTheComputedDays) {
  // The test arrangement for 2027 (tests/workflow/testdata, test data, not
  // published): Spring Festival Feb 5-13 off, Sunday Feb 14 and Saturday
  // Feb 20 work.
  const std::string text = rectify::testing::ReadRunfile("tests/workflow/testdata/calendar_2027_test.txt");
  ASSERT_FALSE(text.empty());
  ASSERT_OK_AND_ASSIGN(const Calendar calendar, ParseCalendar(text));
  EXPECT_EQ(calendar.TableYears(), "2025-2027");
  bool provisional = true;
  // Thu 2027-01-07 + 30 = Sat Feb 6, off until the Sunday workday Feb 14.
  ASSERT_OK_AND_ASSIGN(absl::Time due, calendar.AddCalendarDays(At(2027, 1, 7), 30, &provisional));
  EXPECT_EQ(due, EndOfDay(2027, 2, 14));
  EXPECT_FALSE(provisional);
  // 5 working days from Wed Feb 3: Thu Feb 4, Sun Feb 14, Mon-Wed Feb 15-17.
  ASSERT_OK_AND_ASSIGN(due, calendar.AddWorkingDays(At(2027, 2, 3), 5, &provisional));
  EXPECT_EQ(due, EndOfDay(2027, 2, 17));
  EXPECT_FALSE(provisional);
  // The computed years now start at 2028 and run 15 years.
  ASSERT_OK_AND_ASSIGN(const bool working, calendar.IsWorkingDay(D(2028, 1, 25)));
  EXPECT_FALSE(working);
  EXPECT_OK(calendar.IsWorkingDay(D(2042, 12, 31)));
  EXPECT_THAT(calendar.IsWorkingDay(D(2043, 1, 1)),
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("2043-01-01 is past them")));
}

TEST(CalendarTest, WeekendsFallbackIgnoresTheStatutoryDaysButIsProvisional) {
  std::string text(BuiltinCalendarText());
  text.replace(text.find("beyond_table: statutory"), 23, "beyond_table: weekends");
  ASSERT_OK_AND_ASSIGN(const Calendar calendar, ParseCalendar(text));
  bool provisional = false;
  // Sat Feb 6 2027 rolls to Mon Feb 8 only: the Spring Festival is unknown.
  ASSERT_OK_AND_ASSIGN(absl::Time due, calendar.AddCalendarDays(At(2027, 1, 7), 30, &provisional));
  EXPECT_EQ(due, EndOfDay(2027, 2, 8));
  EXPECT_TRUE(provisional);
}

TEST(CalendarTest, CountsDaysInShanghaiNotUtc) {
  const Calendar& calendar = *DefaultCalendar();
  // 2026-02-13 23:30 in Shanghai is still Friday there (15:30 UTC).
  ASSERT_OK_AND_ASSIGN(absl::Time due, calendar.AddWorkingDays(At(2026, 2, 13, 23) + absl::Minutes(30), 1));
  EXPECT_EQ(due, EndOfDay(2026, 2, 14));
  // 2026-02-14 00:30 in Shanghai is Saturday (Friday 16:30 UTC): the next
  // working day is after the holiday.
  ASSERT_OK_AND_ASSIGN(due, calendar.AddWorkingDays(At(2026, 2, 14, 0) + absl::Minutes(30), 1));
  EXPECT_EQ(due, EndOfDay(2026, 2, 24));
}

TEST(CalendarTest, HoursIgnoreHolidays) {
  EXPECT_EQ(Calendar::AddHours(At(2026, 2, 14), 24), At(2026, 2, 15));
}

TEST(CalendarTest, RefusesDatesBeyondATableThatSaysError) {
  std::string text(BuiltinCalendarText());
  text.replace(text.find("beyond_table: statutory"), 23, "beyond_table: error");
  ASSERT_OK_AND_ASSIGN(const Calendar calendar, ParseCalendar(text));
  EXPECT_THAT(calendar.AddWorkingDays(At(2026, 12, 30), 5),
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("2027-01-01")));
  EXPECT_THAT(calendar.IsWorkingDay(absl::CivilDay(2024, 12, 31)),
              StatusIs(absl::StatusCode::kOutOfRange, HasSubstr("covers 2025 to 2026")));
  EXPECT_OK(calendar.AddWorkingDays(At(2026, 12, 28), 3));
}

TEST(CalendarTest, RefusesNonsenseAmounts) {
  EXPECT_THAT(DefaultCalendar()->AddWorkingDays(At(2026, 3, 2), 0),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(DefaultCalendar()->AddCalendarDays(At(2026, 3, 2), -1),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

struct BadCalendar {
  const char* name;
  const char* text;
  const char* message;
};

class BadCalendarTest : public ::testing::TestWithParam<BadCalendar> {};

TEST_P(BadCalendarTest, GivesALineNumberedError) {
  EXPECT_THAT(ParseCalendar(GetParam().text),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(GetParam().message)));
}

INSTANTIATE_TEST_SUITE_P(
    MalformedFiles, BadCalendarTest,
    ::testing::Values(
        BadCalendar{"NoColon", "zone: Asia/Shanghai\nyear 2026\n", "calendar line 2: expected \"key: value\""},
        BadCalendar{"UnknownKey", "zone: Asia/Shanghai\nyear: 2026\nholidays: 2026-01-01\n",
                    "calendar line 3: unknown key \"holidays\""},
        BadCalendar{"OtherZone", "# c\nzone: Europe/Berlin\n", "calendar line 2: zone must be Asia/Shanghai"},
        BadCalendar{"BadDate", "zone: Asia/Shanghai\nyear: 2026\nholiday: 2026-02-30\n",
                    "calendar line 3: expected a date"},
        BadCalendar{"ReversedRange", "zone: Asia/Shanghai\nyear: 2026\nholiday: 2026-02-23..2026-02-15\n",
                    "calendar line 3: the range 2026-02-23..2026-02-15 ends before it starts"},
        BadCalendar{"WrongYear", "zone: Asia/Shanghai\nyear: 2026\nholiday: 2025-10-01\n",
                    "calendar line 3: 2025-10-01 is not in the year 2026"},
        BadCalendar{"WeekdayWorkday", "zone: Asia/Shanghai\nyear: 2026\nworkday: 2026-02-16\n",
                    "calendar line 3: 2026-02-16 is a weekday"},
        BadCalendar{"HolidayAndWorkday",
                    "zone: Asia/Shanghai\nyear: 2026\nworkday: 2026-02-14\nholiday: 2026-02-14..2026-02-23\n",
                    "calendar line 4: 2026-02-14 is already an adjusted workday"},
        BadCalendar{"HolidayBeforeYear", "zone: Asia/Shanghai\nholiday: 2026-01-01\n",
                    "calendar line 2: holiday before any \"year:\" line"},
        BadCalendar{"YearTwice", "zone: Asia/Shanghai\nyear: 2026\n\nyear: 2026\n",
                    "calendar line 4: year 2026 is given twice (first on line 2)"},
        BadCalendar{"BadBeyond", "zone: Asia/Shanghai\nbeyond_table: guess\n",
                    "calendar line 2: beyond_table must be error, weekends or statutory"},
        BadCalendar{"GapYear", "zone: Asia/Shanghai\nyear: 2025\nyear: 2027\n", "year 2026 is missing"},
        BadCalendar{"NoZone", "year: 2026\n", "\"zone: Asia/Shanghai\" line is missing"},
        BadCalendar{"Empty", "# nothing\n", "line is missing"},
        BadCalendar{"NoYears", "zone: Asia/Shanghai\n", "the table is empty"}),
    [](const ::testing::TestParamInfo<BadCalendar>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace rectify::workflow

// Tests of the working-day calendar: deadline arithmetic across the 2025 and
// 2026 Spring Festival and National Day weeks with their adjusted Saturday
// and Sunday workdays, the table's edges, and malformed calendar files.
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
  EXPECT_EQ(parsed.beyond_table(), BeyondTable::kWeekends);
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
        // Past the table: the shipped file's documented fallback, weekends only.
        Arithmetic{"BeyondTheTable", At(2026, 12, 30), 5, true, EndOfDay(2027, 1, 6)}),
    [](const ::testing::TestParamInfo<Arithmetic>& info) { return std::string(info.param.name); });

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
  text.replace(text.find("beyond_table: weekends"), 22, "beyond_table: error");
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
                    "calendar line 2: beyond_table must be error or weekends"},
        BadCalendar{"GapYear", "zone: Asia/Shanghai\nyear: 2025\nyear: 2027\n", "year 2026 is missing"},
        BadCalendar{"NoZone", "year: 2026\n", "\"zone: Asia/Shanghai\" line is missing"},
        BadCalendar{"Empty", "# nothing\n", "line is missing"},
        BadCalendar{"NoYears", "zone: Asia/Shanghai\n", "the table is empty"}),
    [](const ::testing::TestParamInfo<BadCalendar>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace rectify::workflow

// Dates as people write them (base/dates.h): a deadline is the day it ends,
// never 00:00 of the next day; hours-based deadlines keep their minute; and
// the ledger case, a 30-day period whose last day is New Year's Day
// 2027, reads as the next working day, 2027年1月4日.
#include "base/dates.h"

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/status_matchers.h"
#include "workflow/calendar.h"

namespace rectify {
namespace {

// An instant written in China time (UTC+8), computed here by hand from UTC.
absl::Time China(int year, int month, int day, int hour, int minute) {
  return absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, 0), absl::UTCTimeZone()) -
         absl::Hours(8);
}

TEST(DatesTest, ADeadlineAtMidnightIsTheDayItEnds) {
  // 2027-01-05 00:00 +08:00 is 2027-01-04 16:00 UTC: the end of 4 January.
  const absl::Time due = absl::FromUnixSeconds(1799078400);
  ASSERT_EQ(due, China(2027, 1, 5, 0, 0));
  EXPECT_TRUE(EndsADay(due));
  EXPECT_EQ(DeadlineChinese(due), "2027年1月4日");
  EXPECT_EQ(DeadlineIso(due), "2027-01-04");
  EXPECT_EQ(DeadlineDay(due), absl::CivilDay(2027, 1, 4));
  // The same instant as a point in time is the 5th.
  EXPECT_EQ(DateChinese(due), "2027年1月5日");
  EXPECT_EQ(TimeChinese(due), "2027年1月5日 00:00");
}

TEST(DatesTest, ADeadlineInsideADayKeepsItsMinute) {
  const absl::Time due = China(2026, 11, 3, 9, 30);
  EXPECT_FALSE(EndsADay(due));
  EXPECT_EQ(DeadlineChinese(due), "2026年11月3日 09:30");
  EXPECT_EQ(DeadlineIso(due), "2026-11-03 09:30");
  // One second after midnight is not the end of a day either.
  EXPECT_EQ(DeadlineIso(China(2027, 1, 5, 0, 0) + absl::Seconds(1)), "2027-01-05 00:00");
  EXPECT_EQ(ChineseDate(absl::CivilDay(2026, 10, 1)), "2026年10月1日");
}

TEST(DatesTest, APeriodEndingOnNewYearsDayReadsAsTheNextWorkingDay) {
  // Assigned 2026-12-02 10:00 with 30 days: the last day is 2027-01-01,
  // New Year's Day; 2 and 3 January are a Saturday and a Sunday, so the
  // period ends with Monday 4 January.
  const std::shared_ptr<const workflow::Calendar> calendar = workflow::DefaultCalendar();
  absl::StatusOr<absl::Time> due = calendar->AddCalendarDays(China(2026, 12, 2, 10, 0), 30);
  ASSERT_OK(due.status());
  EXPECT_EQ(DeadlineChinese(*due), "2027年1月4日");
  EXPECT_EQ(DeadlineIso(*due), "2027-01-04");
}

}  // namespace
}  // namespace rectify

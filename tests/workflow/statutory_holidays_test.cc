// Tests of the statutory holidays computed from the law (ICU's lunar
// calendar, ERFA's Sun and Moon) against dates known independently: the
// published Chinese calendar's festival days and the Qingming solar term
// (Purple Mountain Observatory / Hong Kong Observatory almanac values), and
// against the State Council's published 2025 and 2026 arrangements, which
// must contain every computed day.
#include "workflow/statutory_holidays.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/status_matchers.h"

namespace rectify::workflow {
namespace {

using ::rectify::testing::StatusIs;

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

const absl::TimeZone& Beijing() {
  static const absl::TimeZone* const zone = new absl::TimeZone(absl::FixedTimeZone(8 * 3600));
  return *zone;
}

// Festival days by hand, from the published Chinese calendar: Spring
// Festival (1st of the 1st month), Dragon Boat (5/5), Mid-Autumn (8/15), and
// the Qingming day.
struct Festivals {
  int year;
  absl::CivilDay new_year;
  absl::CivilDay dragon_boat;
  absl::CivilDay mid_autumn;
  absl::CivilDay qingming;
};

const Festivals kKnown[] = {
    {2025, D(2025, 1, 29), D(2025, 5, 31), D(2025, 10, 6), D(2025, 4, 4)},
    {2026, D(2026, 2, 17), D(2026, 6, 19), D(2026, 9, 25), D(2026, 4, 5)},
    // The new moon is at 23:56 Beijing time on Feb 6: ICU alone says Feb 7.
    {2027, D(2027, 2, 6), D(2027, 6, 9), D(2027, 9, 15), D(2027, 4, 5)},
    // A leap fifth month follows the fifth: Dragon Boat is in the first.
    {2028, D(2028, 1, 26), D(2028, 5, 28), D(2028, 10, 3), D(2028, 4, 4)},
    {2029, D(2029, 2, 13), D(2029, 6, 16), D(2029, 9, 22), D(2029, 4, 4)},
    // The new moon is at 00:07 Beijing time on Feb 3: ICU alone says Feb 2.
    {2030, D(2030, 2, 3), D(2030, 6, 5), D(2030, 9, 12), D(2030, 4, 5)},
};

TEST(StatutoryHolidaysTest, LunarNewYearOfLaterYears) {
  // The Spring Festival of 2031 to 2035, as published.
  const absl::CivilDay known[] = {D(2031, 1, 23), D(2032, 2, 11), D(2033, 1, 31), D(2034, 2, 19),
                                  D(2035, 2, 8)};
  for (const absl::CivilDay day : known) {
    ASSERT_OK_AND_ASSIGN(const absl::CivilDay computed, LunarNewYear(static_cast<int>(day.year())));
    EXPECT_EQ(computed, day);
  }
}

TEST(StatutoryHolidaysTest, FestivalsFallOnTheirPublishedDays) {
  for (const Festivals& known : kKnown) {
    ASSERT_OK_AND_ASSIGN(const std::vector<StatutoryHoliday> days, StatutoryHolidays(known.year));
    std::vector<absl::CivilDay> spring, dragon, autumn, qingming, fixed;
    for (const StatutoryHoliday& day : days) {
      switch (day.festival) {
        case Festival::kSpringFestival:
          spring.push_back(day.day);
          break;
        case Festival::kDragonBoat:
          dragon.push_back(day.day);
          break;
        case Festival::kMidAutumn:
          autumn.push_back(day.day);
          break;
        case Festival::kQingming:
          qingming.push_back(day.day);
          break;
        default:
          fixed.push_back(day.day);
      }
    }
    // New Year's Eve and the first three days of the year.
    EXPECT_THAT(spring, ::testing::ElementsAre(known.new_year - 1, known.new_year, known.new_year + 1,
                                               known.new_year + 2))
        << known.year;
    EXPECT_THAT(dragon, ::testing::ElementsAre(known.dragon_boat)) << known.year;
    EXPECT_THAT(autumn, ::testing::ElementsAre(known.mid_autumn)) << known.year;
    EXPECT_THAT(qingming, ::testing::ElementsAre(known.qingming)) << known.year;
    const int y = known.year;
    EXPECT_THAT(fixed, ::testing::ElementsAre(D(y, 1, 1), D(y, 5, 1), D(y, 5, 2), D(y, 10, 1),
                                              D(y, 10, 2), D(y, 10, 3)))
        << y;
    EXPECT_EQ(days.size(), 13u);
    ASSERT_OK_AND_ASSIGN(const absl::CivilDay new_year, LunarNewYear(known.year));
    EXPECT_EQ(new_year, known.new_year);
  }
}

TEST(StatutoryHolidaysTest, NewYearsEveIsThe29thWhenTheTwelfthMonthIsShort) {
  // 2025's twelfth month had 29 days: the Eve was Tue Jan 28 (腊月廿九).
  ASSERT_OK_AND_ASSIGN(const std::vector<StatutoryHoliday> days, StatutoryHolidays(2025));
  EXPECT_EQ(days[1].day, D(2025, 1, 28));
  EXPECT_EQ(days[1].festival, Festival::kSpringFestival);
}

TEST(StatutoryHolidaysTest, QingmingInstantsMatchTheAlmanac) {
  // Almanac times (Beijing) of the Qingming term, to the minute.
  struct Instant {
    int year;
    absl::CivilMinute at;
  };
  const Instant known[] = {
      {2024, absl::CivilMinute(2024, 4, 4, 15, 2)},
      {2025, absl::CivilMinute(2025, 4, 4, 20, 48)},
      {2026, absl::CivilMinute(2026, 4, 5, 2, 40)},
      {2027, absl::CivilMinute(2027, 4, 5, 8, 17)},
  };
  for (const Instant& instant : known) {
    if (instant.year < kFirstStatutoryYear) continue;
    ASSERT_OK_AND_ASSIGN(const absl::Time computed, QingmingInstant(instant.year));
    const absl::Time expected = absl::FromCivil(instant.at, Beijing());
    EXPECT_LT(absl::AbsDuration(computed - expected), absl::Minutes(2))
        << instant.year << ": " << absl::FormatTime(computed, Beijing());
  }
}

TEST(StatutoryHolidaysTest, EveryComputedDayIsOffInThePublishedArrangements) {
  // DOMAIN.md's table of days off, by hand.
  const std::vector<std::pair<absl::CivilDay, absl::CivilDay>> published = {
      {D(2025, 1, 1), D(2025, 1, 1)},   {D(2025, 1, 28), D(2025, 2, 4)},
      {D(2025, 4, 4), D(2025, 4, 6)},   {D(2025, 5, 1), D(2025, 5, 5)},
      {D(2025, 5, 31), D(2025, 6, 2)},  {D(2025, 10, 1), D(2025, 10, 8)},
      {D(2026, 1, 1), D(2026, 1, 3)},   {D(2026, 2, 15), D(2026, 2, 23)},
      {D(2026, 4, 4), D(2026, 4, 6)},   {D(2026, 5, 1), D(2026, 5, 5)},
      {D(2026, 6, 19), D(2026, 6, 21)}, {D(2026, 9, 25), D(2026, 9, 27)},
      {D(2026, 10, 1), D(2026, 10, 7)},
  };
  for (int year : {2025, 2026}) {
    ASSERT_OK_AND_ASSIGN(const std::vector<StatutoryHoliday> days, StatutoryHolidays(year));
    for (const StatutoryHoliday& day : days) {
      bool inside = false;
      for (const auto& [first, last] : published) inside = inside || (first <= day.day && day.day <= last);
      EXPECT_TRUE(inside) << FestivalName(day.festival) << " " << day.day;
    }
  }
}

TEST(StatutoryHolidaysTest, RefusesYearsOutsideTheRevisionAndTheEphemeris) {
  EXPECT_THAT(StatutoryHolidays(2024), StatusIs(absl::StatusCode::kOutOfRange));
  EXPECT_THAT(StatutoryHolidays(2101), StatusIs(absl::StatusCode::kOutOfRange));
  EXPECT_THAT(QingmingInstant(2101), StatusIs(absl::StatusCode::kOutOfRange));
}

}  // namespace
}  // namespace rectify::workflow

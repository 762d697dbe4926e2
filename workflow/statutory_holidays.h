// The statutory public holidays of mainland China for a year, computed from
// the law rather than read from a table: 全国年节及纪念日放假办法 as revised in
// 2024 (in force from 2025). DOMAIN.md, "Years past the published table".
//
//   New Year's Day   1 day   Jan 1
//   Spring Festival  4 days  lunar New Year's Eve and the 1st-3rd of the first month
//   Qingming         1 day   the day of the Qingming solar term (sun at 15°)
//   Labour Day       2 days  May 1-2
//   Dragon Boat      1 day   the 5th of the fifth lunar month
//   Mid-Autumn       1 day   the 15th of the eighth lunar month
//   National Day     3 days  Oct 1-3
//
// Only these days are known ahead: which weekends the State Council swaps
// (调休) is published each November for the next year, so a calendar built
// from this alone is provisional (workflow/calendar.h).
//
// How the dates are found. ICU's Chinese calendar (libicu) names the lunar
// months: which is the first, the fifth, the eighth, and which are leap
// months. Its astronomy is approximate, so a new moon close to midnight can
// land on the wrong day: ICU puts the first day of 2027 on Feb 7, while the
// new moon is at 2027-02-06 23:56 Beijing time and the published calendar
// has Feb 6. So each month's first day is set from the new moon nearest to
// ICU's, computed with ERFA (the IAU SOFA routines, liberfa): the Sun from
// eraEpv00 (VSOP2000-based, ~0.01") and the Moon from eraMoon98, both in
// ecliptic longitude of date (eraEcm06, IAU 2006 precession), the Sun with
// annual aberration; a month starts on the Beijing (UTC+8) day of its new
// moon (GB/T 33661-2017). Qingming is the Beijing day on which the Sun's
// apparent longitude (with nutation, eraNut00b: IAU 2000B, 1 mas) reaches 15°.
//
// Pure: no clock, no file or network I/O (ICU's data is linked in; the zone
// is given explicitly), deterministic for a given year. A few milliseconds
// per year, so the calendar computes its years once when it is built.
#ifndef RECTIFY_WORKFLOW_STATUTORY_HOLIDAYS_H_
#define RECTIFY_WORKFLOW_STATUTORY_HOLIDAYS_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace rectify::workflow {

// First and last year computed: the 2024 revision took effect in 2025, and
// ERFA's solar and lunar series are accurate up to 2100.
inline constexpr int kFirstStatutoryYear = 2025;
inline constexpr int kLastStatutoryYear = 2100;

enum class Festival {
  kNewYear,
  kSpringFestival,
  kQingming,
  kLabourDay,
  kDragonBoat,
  kMidAutumn,
  kNationalDay,
};

struct StatutoryHoliday {
  absl::CivilDay day;
  Festival festival;
};

// The 13 statutory holiday days of `year`, in date order. OUT_OF_RANGE for a
// year outside kFirstStatutoryYear..kLastStatutoryYear; INTERNAL if ICU
// fails (it never should with its data linked in).
absl::StatusOr<std::vector<StatutoryHoliday>> StatutoryHolidays(int year);

// The day (Beijing time) of the first day of the first lunar month that
// begins in `year` (春节, Chinese New Year's Day). Same errors.
absl::StatusOr<absl::CivilDay> LunarNewYear(int year);

// The instant the Sun's apparent geocentric ecliptic longitude reaches 15°
// in `year` (the Qingming solar term). Same range.
absl::StatusOr<absl::Time> QingmingInstant(int year);

// Chinese festival name, e.g. "春节".
const char* FestivalName(Festival festival);

}  // namespace rectify::workflow

#endif  // RECTIFY_WORKFLOW_STATUTORY_HOLIDAYS_H_

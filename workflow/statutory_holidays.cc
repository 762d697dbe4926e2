// The statutory holidays of a year from ICU's Chinese calendar and ERFA's
// Sun and Moon; see statutory_holidays.h.
#include "workflow/statutory_holidays.h"

#include <erfa.h>
#include <unicode/ucal.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "absl/strings/str_cat.h"
#include "base/dates.h"

namespace rectify::workflow {
namespace {

// TT - UTC: 37 leap seconds (none since 2017) + 32.184 s. A leap second to
// come moves an instant by one second: nothing at the scale of days.
constexpr double kTtMinusUtcDays = 69.184 / 86400.0;
// Modified Julian Date of the Unix epoch.
constexpr double kUnixEpochMjd = 40587.0;
constexpr double kDegree = M_PI / 180.0;
// Annual aberration constant, in radians (20.49552").
constexpr double kAberration = 20.49552 / 3600.0 * kDegree;

const absl::TimeZone& Beijing() { return ChinaTimeZone(); }

double MjdUtc(absl::Time time) { return absl::ToDoubleSeconds(time - absl::UnixEpoch()) / 86400.0 + kUnixEpochMjd; }
absl::Time FromMjdUtc(double mjd) { return absl::UnixEpoch() + absl::Seconds((mjd - kUnixEpochMjd) * 86400.0); }

// Angle in (-pi, pi].
double Wrap(double angle) {
  angle = std::fmod(angle, 2 * M_PI);
  if (angle > M_PI) angle -= 2 * M_PI;
  if (angle <= -M_PI) angle += 2 * M_PI;
  return angle;
}

// The rotation from GCRS to the mean ecliptic and equinox of date (IAU 2006)
// at TT = 2400000.5 + mjd_tt.
struct EclipticFrame {
  double rotation[3][3];
  explicit EclipticFrame(double mjd_tt) { eraEcm06(2400000.5, mjd_tt, rotation); }

  // Ecliptic longitude of a GCRS direction.
  double Longitude(double vector[3]) const {
    double rotated[3], longitude, latitude;
    eraRxp(const_cast<double(*)[3]>(rotation), vector, rotated);
    eraC2s(rotated, &longitude, &latitude);
    return longitude;
  }
};

// The Sun's geocentric longitude of date with annual aberration, without
// nutation (which the Moon shares, and Qingming adds).
double SunLongitude(double mjd_tt, const EclipticFrame& frame) {
  double heliocentric[2][3], barycentric[2][3];
  eraEpv00(2400000.5, mjd_tt, heliocentric, barycentric);
  double sun[3] = {-heliocentric[0][0], -heliocentric[0][1], -heliocentric[0][2]};
  const double distance = std::sqrt(sun[0] * sun[0] + sun[1] * sun[1] + sun[2] * sun[2]);
  return frame.Longitude(sun) - kAberration / distance;
}

// Moon minus Sun, in (-pi, pi]: 0 at a new moon, rising through it.
double Elongation(double mjd_utc) {
  const double tt = mjd_utc + kTtMinusUtcDays;
  const EclipticFrame frame(tt);
  double moon[2][3];
  eraMoon98(2400000.5, tt, moon);
  return Wrap(frame.Longitude(moon[0]) - SunLongitude(tt, frame));
}

// The Sun's apparent longitude minus `target` (radians), in (-pi, pi].
double SolarOffset(double mjd_utc, double target) {
  const double tt = mjd_utc + kTtMinusUtcDays;
  double dpsi, deps;
  eraNut00b(2400000.5, tt, &dpsi, &deps);
  return Wrap(SunLongitude(tt, EclipticFrame(tt)) + dpsi - target);
}

// Bisects a rising zero of `f` in [low, high] (f(low) < 0 <= f(high))
// `steps` times.
template <typename F>
double Bisect(F f, double low, double high, int steps) {
  for (int step = 0; step < steps; ++step) {
    const double middle = (low + high) / 2;
    if (f(middle) < 0) {
      low = middle;
    } else {
      high = middle;
    }
  }
  return (low + high) / 2;
}

// The new moon within a day and a half of `near` (MJD UTC), or NaN. Two new
// moons are 29.5 days apart, so there is at most one.
double NewMoonNear(double near) {
  constexpr double kStep = 0.25;
  double before = Elongation(near - 1.5);
  for (double t = near - 1.5; t < near + 1.5; t += kStep) {
    const double after = Elongation(t + kStep);
    if (before < 0 && after >= 0) {
      // 0.25 day / 2^20: 0.02 s.
      return Bisect([](double x) { return Elongation(x); }, t, t + kStep, 20);
    }
    before = after;
  }
  return std::nan("");
}

absl::Status CheckYear(int year) {
  if (year < kFirstStatutoryYear || year > kLastStatutoryYear) {
    return absl::OutOfRangeError(absl::StrCat("statutory holidays are computed for ", kFirstStatutoryYear,
                                              " to ", kLastStatutoryYear, ", not ", year));
  }
  return absl::OkStatus();
}

struct CalendarCloser {
  void operator()(UCalendar* calendar) const { ucal_close(calendar); }
};

// The first day (Beijing time) of the non-leap lunar month `month` (1-12)
// of the Chinese year that begins in Gregorian `year`.
absl::StatusOr<absl::CivilDay> LunarMonthStart(int year, int month) {
  UErrorCode status = U_ZERO_ERROR;
  // "GMT+08:00" rather than a tz name: no tzdata lookup.
  static const UChar kZone[] = u"GMT+08:00";
  std::unique_ptr<UCalendar, CalendarCloser> chinese(
      ucal_open(kZone, -1, "zh_CN@calendar=chinese", UCAL_DEFAULT, &status));
  if (U_FAILURE(status)) {
    return absl::InternalError(absl::StrCat("ICU cannot open the Chinese calendar: ", u_errorName(status)));
  }
  ucal_clear(chinese.get());
  // ICU's Chinese extended year 1 began in 2637 BCE, so the year that
  // begins in Gregorian Y is Y + 2637.
  ucal_set(chinese.get(), UCAL_EXTENDED_YEAR, year + 2637);
  ucal_set(chinese.get(), UCAL_MONTH, month - 1);
  ucal_set(chinese.get(), UCAL_IS_LEAP_MONTH, 0);
  ucal_set(chinese.get(), UCAL_DATE, 1);
  const UDate millis = ucal_getMillis(chinese.get(), &status);
  if (U_FAILURE(status)) {
    return absl::InternalError(absl::StrCat("ICU cannot place lunar month ", month, " of ", year, ": ",
                                            u_errorName(status)));
  }
  const absl::CivilDay icu_day = absl::ToCivilDay(absl::FromUnixMillis(static_cast<int64_t>(millis)), Beijing());
  // Noon of ICU's day; the true new moon is within minutes of ICU's, so
  // within a day and a half of that noon.
  const double near = MjdUtc(absl::FromCivil(absl::CivilSecond(icu_day) + 12 * 3600, Beijing()));
  const double new_moon = NewMoonNear(near);
  if (std::isnan(new_moon)) {
    return absl::InternalError(absl::StrCat("no new moon near ICU's start of lunar month ",
                                            month, " of ", year, " (", absl::FormatCivilTime(icu_day), ")"));
  }
  return absl::ToCivilDay(FromMjdUtc(new_moon), Beijing());
}

}  // namespace

absl::StatusOr<absl::CivilDay> LunarNewYear(int year) {
  if (absl::Status status = CheckYear(year); !status.ok()) return status;
  return LunarMonthStart(year, 1);
}

absl::StatusOr<absl::Time> QingmingInstant(int year) {
  if (absl::Status status = CheckYear(year); !status.ok()) return status;
  // The Sun reaches 15° on April 4 or 5 (Beijing); search April 3-7.
  const double low = MjdUtc(absl::FromCivil(absl::CivilSecond(year, 4, 3, 0, 0, 0), Beijing()));
  const double high = low + 4;
  const double target = 15 * kDegree;
  if (!(SolarOffset(low, target) < 0 && SolarOffset(high, target) >= 0)) {
    return absl::InternalError(absl::StrCat("the Sun does not reach 15° between April 3 and 7 of ", year));
  }
  // 4 days / 2^22: 0.08 s.
  return FromMjdUtc(Bisect([target](double x) { return SolarOffset(x, target); }, low, high, 22));
}

absl::StatusOr<std::vector<StatutoryHoliday>> StatutoryHolidays(int year) {
  if (absl::Status status = CheckYear(year); !status.ok()) return status;
  absl::StatusOr<absl::CivilDay> new_year = LunarMonthStart(year, 1);
  if (!new_year.ok()) return new_year.status();
  absl::StatusOr<absl::CivilDay> fifth = LunarMonthStart(year, 5);
  if (!fifth.ok()) return fifth.status();
  absl::StatusOr<absl::CivilDay> eighth = LunarMonthStart(year, 8);
  if (!eighth.ok()) return eighth.status();
  absl::StatusOr<absl::Time> qingming = QingmingInstant(year);
  if (!qingming.ok()) return qingming.status();

  std::vector<StatutoryHoliday> days = {
      {absl::CivilDay(year, 1, 1), Festival::kNewYear},
      {*new_year - 1, Festival::kSpringFestival},  // New Year's Eve, 29th or 30th
      {*new_year, Festival::kSpringFestival},
      {*new_year + 1, Festival::kSpringFestival},
      {*new_year + 2, Festival::kSpringFestival},
      {absl::ToCivilDay(*qingming, Beijing()), Festival::kQingming},
      {absl::CivilDay(year, 5, 1), Festival::kLabourDay},
      {absl::CivilDay(year, 5, 2), Festival::kLabourDay},
      {*fifth + 4, Festival::kDragonBoat},
      {*eighth + 14, Festival::kMidAutumn},
      {absl::CivilDay(year, 10, 1), Festival::kNationalDay},
      {absl::CivilDay(year, 10, 2), Festival::kNationalDay},
      {absl::CivilDay(year, 10, 3), Festival::kNationalDay},
  };
  std::stable_sort(days.begin(), days.end(),
                   [](const StatutoryHoliday& a, const StatutoryHoliday& b) { return a.day < b.day; });
  return days;
}

const char* FestivalName(Festival festival) {
  switch (festival) {
    case Festival::kNewYear:
      return "元旦";
    case Festival::kSpringFestival:
      return "春节";
    case Festival::kQingming:
      return "清明节";
    case Festival::kLabourDay:
      return "劳动节";
    case Festival::kDragonBoat:
      return "端午节";
    case Festival::kMidAutumn:
      return "中秋节";
    case Festival::kNationalDay:
      return "国庆节";
  }
  return "";
}

}  // namespace rectify::workflow

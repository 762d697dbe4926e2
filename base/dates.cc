// Dates and times as people write them (base/dates.h).
#include "base/dates.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace rectify {

const absl::TimeZone& ChinaTimeZone() {
  static const absl::TimeZone* const zone = new absl::TimeZone(absl::FixedTimeZone(8 * 3600));
  return *zone;
}

bool EndsADay(absl::Time due) {
  const absl::CivilSecond local = absl::ToCivilSecond(due, ChinaTimeZone());
  return local == absl::CivilSecond(absl::CivilDay(local)) &&
         absl::FromCivil(local, ChinaTimeZone()) == due;
}

absl::CivilDay DeadlineDay(absl::Time due) {
  const absl::CivilDay day = absl::ToCivilDay(due, ChinaTimeZone());
  return EndsADay(due) ? day - 1 : day;
}

std::string ChineseDate(absl::CivilDay day) {
  return absl::StrFormat("%d年%d月%d日", day.year(), day.month(), day.day());
}

std::string IsoDate(absl::CivilDay day) {
  return absl::StrFormat("%04d-%02d-%02d", day.year(), day.month(), day.day());
}

namespace {

std::string Minute(absl::Time time) {
  const absl::CivilMinute local = absl::ToCivilMinute(time, ChinaTimeZone());
  return absl::StrFormat("%02d:%02d", local.hour(), local.minute());
}

}  // namespace

std::string DeadlineChinese(absl::Time due) {
  if (EndsADay(due)) return ChineseDate(DeadlineDay(due));
  return absl::StrCat(DateChinese(due), " ", Minute(due));
}

std::string DeadlineIso(absl::Time due) {
  if (EndsADay(due)) return IsoDate(DeadlineDay(due));
  return absl::StrCat(IsoDate(absl::ToCivilDay(due, ChinaTimeZone())), " ", Minute(due));
}

std::string DateChinese(absl::Time time) {
  return ChineseDate(absl::ToCivilDay(time, ChinaTimeZone()));
}

std::string TimeChinese(absl::Time time) {
  return absl::StrCat(DateChinese(time), " ", Minute(time));
}

}  // namespace rectify

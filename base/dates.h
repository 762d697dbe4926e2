// The one home of how dates and times are written for people: in China
// Standard Time (UTC+8; China has kept it without daylight saving since
// 1991), a deadline as the day it ends, never as 00:00 of the next day.
//
// A deadline counted in days ends at the end of its last day: its instant is
// the next day's midnight (workflow/calendar.h, Calendar::EndOf). People
// write that deadline as its last day: 2027-01-04 in machine-readable
// places, 2027年1月4日 in Chinese exports. A deadline that ends inside a day
// (an hours-based clock, such as the 24 hours to send a referral) keeps its
// minute: 2027年1月4日 09:30.
//
//   DeadlineChinese(due)   // "2027年1月4日", or "2027年1月4日 09:30"
//   DeadlineIso(due)       // "2027-01-04", or "2027-01-04 09:30"
//   DateChinese(t)         // the day t falls in: "2027年1月4日"
//   TimeChinese(t)         // "2027年1月4日 09:30"
#ifndef RECTIFY_BASE_DATES_H_
#define RECTIFY_BASE_DATES_H_

#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace rectify {

// The one home of China Standard Time: UTC+8, the zone every date people
// read is written in, case and list numbers count years in, and the calendar
// counts days in. China has kept it without daylight saving since 1991, so a
// fixed zone is exact and needs no tzdata.
const absl::TimeZone& ChinaTimeZone();

// True when `due` is a midnight of China time, i.e. the end of a day.
bool EndsADay(absl::Time due);

// The day a deadline falls on as people write it: the day before when
// `due` is a midnight (the end of that day), else the day `due` falls in.
absl::CivilDay DeadlineDay(absl::Time due);

// "2027年1月4日" (no leading zeros), and "2027-01-04".
std::string ChineseDate(absl::CivilDay day);
std::string IsoDate(absl::CivilDay day);

// A deadline: its day when it ends a day, else its day and minute.
std::string DeadlineChinese(absl::Time due);
std::string DeadlineIso(absl::Time due);

// An instant's day, and its day and minute, in Chinese.
std::string DateChinese(absl::Time time);
std::string TimeChinese(absl::Time time);

}  // namespace rectify

#endif  // RECTIFY_BASE_DATES_H_

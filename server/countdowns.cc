// The read-time deadline countdowns; see countdowns.h.
#include "server/countdowns.h"

#include <utility>

#include "absl/time/civil_time.h"
#include "base/proto_time.h"
#include "base/status_macros.h"

namespace rectify::server {

bool IsRunning(const v1::Deadline& deadline) {
  return deadline.state() == v1::DEADLINE_STATE_OPEN ||
         deadline.state() == v1::DEADLINE_STATE_MISSED;
}

absl::StatusOr<v1::DeadlineCountdown> CountDown(const workflow::Calendar& calendar, absl::Time now,
                                                absl::Time due, v1::DeadlineKind kind) {
  ASSIGN_OR_RETURN(const workflow::Calendar::DaysLeft left, calendar.CountDaysLeft(now, due));
  v1::DeadlineCountdown countdown;
  countdown.set_kind(kind);
  *countdown.mutable_due_at() = ToProto(due);
  countdown.set_overdue(left.overdue);
  countdown.set_working_days_left(left.working_days);
  countdown.set_calendar_days_left(left.calendar_days);
  countdown.set_last_day(absl::FormatCivilTime(left.last_day));
  return countdown;
}

std::vector<v1::DeadlineCountdown> RunningCountdowns(const workflow::Calendar& calendar,
                                                     absl::Time now, const v1::Case& state) {
  std::vector<v1::DeadlineCountdown> countdowns;
  for (const v1::Deadline& deadline : state.deadlines()) {
    if (!IsRunning(deadline) || !deadline.has_due_at()) continue;
    absl::StatusOr<v1::DeadlineCountdown> countdown =
        CountDown(calendar, now, ToTime(deadline.due_at()), deadline.kind());
    if (!countdown.ok()) continue;
    countdown->set_case_id(state.case_id());
    countdown->set_deadline_id(deadline.deadline_id());
    countdowns.push_back(*std::move(countdown));
  }
  return countdowns;
}

std::optional<v1::DeadlineCountdown> MostPressing(
    const std::vector<v1::DeadlineCountdown>& countdowns) {
  const v1::DeadlineCountdown* best = nullptr;
  for (const v1::DeadlineCountdown& countdown : countdowns) {
    if (best == nullptr || ToTime(countdown.due_at()) < ToTime(best->due_at())) best = &countdown;
  }
  if (best == nullptr) return std::nullopt;
  return *best;
}

bool DueWithin(const std::vector<v1::DeadlineCountdown>& countdowns, int working_days) {
  for (const v1::DeadlineCountdown& countdown : countdowns) {
    if (!countdown.overdue() && countdown.working_days_left() <= working_days) return true;
  }
  return false;
}

}  // namespace rectify::server

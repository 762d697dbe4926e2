// The read-time countdowns of a case's deadlines (rectify.v1.DeadlineCountdown,
// case_service.proto): what GetCase, ListCases (and its due-within filter)
// and PreviewDeadline report as "working days left", counted with the
// server's clock on the policy's calendar (Calendar::CountDaysLeft). Never
// stored: a reading of the clock.
//
//   const absl::Time now = pipeline.clock().Now();
//   for (v1::DeadlineCountdown& c : RunningCountdowns(*policy.calendar, now, state)) ...
#ifndef RECTIFY_SERVER_COUNTDOWNS_H_
#define RECTIFY_SERVER_COUNTDOWNS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "rectify/v1/case.pb.h"
#include "rectify/v1/case_service.pb.h"
#include "workflow/calendar.h"

namespace rectify::server {

// True for a deadline that still runs: OPEN, or MISSED with its stage open.
bool IsRunning(const v1::Deadline& deadline);

// The countdown of `due` (of `kind`) at `now`; case_id and deadline_id
// empty. OUT_OF_RANGE when the calendar cannot count the days between.
absl::StatusOr<v1::DeadlineCountdown> CountDown(const workflow::Calendar& calendar, absl::Time now,
                                                absl::Time due, v1::DeadlineKind kind);

// The countdowns of every running deadline of `state`, in the order of
// state.deadlines. A deadline the calendar cannot count (a day outside its
// years) has none.
std::vector<v1::DeadlineCountdown> RunningCountdowns(const workflow::Calendar& calendar,
                                                     absl::Time now, const v1::Case& state);

// The most pressing of `countdowns` (the earliest due_at; the first of
// equals), or nullopt when there are none.
std::optional<v1::DeadlineCountdown> MostPressing(
    const std::vector<v1::DeadlineCountdown>& countdowns);

// Whether any of `countdowns` is not overdue and has at most `working_days`
// working days left (CaseFilter.due_within_working_days).
bool DueWithin(const std::vector<v1::DeadlineCountdown>& countdowns, int working_days);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_COUNTDOWNS_H_

// Fuzzes the policy file parser (workflow/policy.h) and the deadlines a
// parsed policy computes. Input: a policy file's text.
//
// Properties: parsing never crashes and refuses with INVALID_ARGUMENT
// "policy line N: ..."; a parsed policy has non-negative notice periods and
// clock skew, and every enabled deadline an amount of at least 1 in hours,
// calendar days or working days; every deadline computes from a start in
// the built-in calendar's years: a disabled one is FAILED_PRECONDITION, an
// hour-counted one ends exactly N hours later, a day-counted one after at
// least N days.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "tests/fuzz/fuzz_check.h"
#include "workflow/policy.h"

using rectify::workflow::Policy;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view text(reinterpret_cast<const char*>(data), size);
  const absl::StatusOr<Policy> policy = rectify::workflow::ParsePolicy(text);
  if (!policy.ok()) {
    FUZZ_CHECK(policy.status().code() == absl::StatusCode::kInvalidArgument,
               "a bad policy is INVALID_ARGUMENT");
    FUZZ_CHECK(policy.status().message().rfind("policy", 0) == 0,
               "the refusal starts with \"policy\"");
    return 0;
  }
  FUZZ_CHECK(!policy->name.empty(), "a policy has a name");
  FUZZ_CHECK(policy->max_clock_skew >= absl::ZeroDuration(), "the clock skew is not negative");
  FUZZ_CHECK(policy->notice_no_progress_days >= 0 && policy->notice_not_started_days >= 0,
             "notice periods are not negative");
  FUZZ_CHECK(policy->calendar != nullptr, "a policy has a calendar");

  // Monday 2026-03-02 09:00 in Shanghai.
  const absl::Time start =
      absl::FromCivil(absl::CivilSecond(2026, 3, 2, 9, 0, 0), policy->calendar->zone());
  for (int i = 1; i < rectify::workflow::kDeadlineKindCount; ++i) {
    if (!rectify::v1::DeadlineKind_IsValid(i)) continue;
    const auto kind = static_cast<rectify::v1::DeadlineKind>(i);
    const rectify::workflow::DeadlineSpec& spec = policy->deadline(kind);
    const absl::StatusOr<rectify::workflow::ComputedDeadline> deadline =
        rectify::workflow::ComputeDeadline(*policy, kind, start);
    if (!spec.enabled) {
      FUZZ_CHECK(!deadline.ok() && deadline.status().code() == absl::StatusCode::kFailedPrecondition,
                 "a disabled deadline is FAILED_PRECONDITION");
      continue;
    }
    FUZZ_CHECK(spec.amount >= 1, "an enabled deadline has an amount");
    FUZZ_CHECK(spec.unit == rectify::v1::DEADLINE_UNIT_HOURS ||
                   spec.unit == rectify::v1::DEADLINE_UNIT_CALENDAR_DAYS ||
                   spec.unit == rectify::v1::DEADLINE_UNIT_WORKING_DAYS ||
                   spec.unit == rectify::v1::DEADLINE_UNIT_CALENDAR_MONTHS,
               "an enabled deadline has a unit");
    if (!deadline.ok()) {
      // Only a day count longer than the calendar counts may be refused.
      FUZZ_CHECK(spec.unit != rectify::v1::DEADLINE_UNIT_HOURS,
                 "an hour-counted deadline always computes");
      FUZZ_CHECK(deadline.status().code() == absl::StatusCode::kInvalidArgument ||
                     deadline.status().code() == absl::StatusCode::kOutOfRange,
                 "a deadline that cannot be counted says why");
      continue;
    }
    FUZZ_CHECK(deadline->rule.amount() == spec.amount && deadline->rule.unit() == spec.unit,
               "the rule is the policy's");
    if (spec.unit == rectify::v1::DEADLINE_UNIT_HOURS) {
      FUZZ_CHECK(deadline->due_at == start + absl::Hours(spec.amount), "N hours are N hours");
    } else {
      FUZZ_CHECK(deadline->due_at >= start + absl::Hours(24) * spec.amount,
                 "N days end no sooner than N days later");
    }
  }
  return 0;
}

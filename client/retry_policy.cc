// Retry decisions and backoff of the client library; see retry_policy.h.
#include "client/retry_policy.h"

#include <algorithm>
#include <cmath>

#include "absl/random/distributions.h"

namespace rectify::client {

bool IsRetryable(absl::StatusCode code) {
  return code == absl::StatusCode::kUnavailable || code == absl::StatusCode::kDeadlineExceeded;
}

absl::Duration BackoffCeiling(const RetryPolicy& policy, int retry) {
  if (retry < 1) retry = 1;
  // Computed in doubles and clamped, so large retry numbers cannot overflow.
  const double factor = std::pow(std::max(policy.multiplier, 1.0), retry - 1);
  const double seconds = absl::ToDoubleSeconds(policy.initial_backoff) * factor;
  const double cap = absl::ToDoubleSeconds(policy.max_backoff);
  return absl::Seconds(std::min(seconds, cap));
}

absl::Duration Backoff(const RetryPolicy& policy, int retry, absl::BitGenRef bits) {
  const absl::Duration ceiling = BackoffCeiling(policy, retry);
  const double share = absl::Uniform(absl::IntervalClosedClosed, bits, 0.5, 1.0);
  return ceiling * share;
}

Sleeper RealSleeper() {
  return [](absl::Duration duration) { absl::SleepFor(duration); };
}

absl::Status RunWithRetries(const RetryPolicy& policy, absl::Duration call_timeout,
                            const Clock& clock, const Sleeper& sleep, absl::BitGenRef bits,
                            const std::function<absl::Status(absl::Time deadline)>& attempt,
                            int* attempts) {
  const absl::Time end = clock.Now() + policy.total_budget;
  const int max_attempts = std::max(policy.max_attempts, 1);
  absl::Status status;
  int made = 0;
  while (true) {
    const absl::Time deadline = std::min(clock.Now() + call_timeout, end);
    status = attempt(deadline);
    ++made;
    if (status.ok() || !IsRetryable(status.code()) || made >= max_attempts) break;
    const absl::Duration wait = Backoff(policy, made, bits);
    // Waiting past the budget would leave no time for the next attempt.
    if (clock.Now() + wait >= end) break;
    sleep(wait);
  }
  if (attempts != nullptr) *attempts = made;
  return status;
}

}  // namespace rectify::client

// When and how long the client library waits before trying a call again.
//
// Only UNAVAILABLE (no connection, server shutting down) and
// DEADLINE_EXCEEDED (no answer in time) are retried: every other code is the
// server's answer and trying again would get the same one. Retrying a
// mutating call is safe because each carries a command_id the server
// deduplicates by, so a command whose first reply was lost gets that reply
// back instead of acting twice.
//
// Backoff is exponential with "equal jitter": the n-th retry waits a uniform
// random time in [c/2, c], c = min(max_backoff, initial_backoff *
// multiplier^(n-1)), so many tablets coming back at once do not retry in
// step. Attempts and the total time of all attempts and waits are both
// bounded. Time is read through rectify::Clock and waits go through a
// Sleeper, so tests drive both with a SimulatedClock and never sleep.
//
//   RetryPolicy policy;  // 5 attempts, 100 ms doubling to 5 s, 30 s in all
//   absl::Status status = RunWithRetries(policy, SystemClock(), RealSleeper(), bits,
//       [&](absl::Time deadline) { return CallOnce(deadline); });
#ifndef RECTIFY_CLIENT_RETRY_POLICY_H_
#define RECTIFY_CLIENT_RETRY_POLICY_H_

#include <functional>

#include "absl/random/bit_gen_ref.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "base/clock.h"

namespace rectify::client {

struct RetryPolicy {
  // Attempts in all, the first included; 1 means no retry. Default: 5.
  int max_attempts = 5;
  // The ceiling of the first backoff. Default: 100 ms.
  absl::Duration initial_backoff = absl::Milliseconds(100);
  // No backoff ceiling grows past this. Default: 5 s.
  absl::Duration max_backoff = absl::Seconds(5);
  // Each retry's ceiling is the previous one times this. Default: 2.
  double multiplier = 2.0;
  // All attempts and waits together end by this long after the first
  // attempt started; the last attempt's deadline is cut to fit. Default: 30 s.
  absl::Duration total_budget = absl::Seconds(30);
};

// True for the codes worth another attempt: UNAVAILABLE, DEADLINE_EXCEEDED.
bool IsRetryable(absl::StatusCode code);

// The ceiling of the wait before retry number `retry` (1 for the first
// retry): min(max_backoff, initial_backoff * multiplier^(retry-1)).
absl::Duration BackoffCeiling(const RetryPolicy& policy, int retry);

// The jittered wait before retry number `retry`: uniform in
// [ceiling/2, ceiling].
absl::Duration Backoff(const RetryPolicy& policy, int retry, absl::BitGenRef bits);

// Waits. The real one sleeps the thread; tests advance a SimulatedClock.
using Sleeper = std::function<void(absl::Duration)>;
Sleeper RealSleeper();

// Calls `attempt(deadline)` until it returns a status that is not
// retryable, attempts run out, or the next wait would pass the total budget.
// `deadline` is the attempt's own deadline: now + call_timeout, cut to the
// end of the budget. Returns the last attempt's status; `attempts`, when
// given, receives how many were made.
absl::Status RunWithRetries(const RetryPolicy& policy, absl::Duration call_timeout,
                            const Clock& clock, const Sleeper& sleep, absl::BitGenRef bits,
                            const std::function<absl::Status(absl::Time deadline)>& attempt,
                            int* attempts = nullptr);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_RETRY_POLICY_H_

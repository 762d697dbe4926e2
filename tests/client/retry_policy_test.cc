// The client's retry policy: which codes are retried, the backoff's bounds
// and growth, and the attempt and time budgets. Time is a SimulatedClock the
// fake sleeper advances, so nothing sleeps for real.
#include "client/retry_policy.h"

#include <algorithm>
#include <vector>

#include "absl/random/random.h"
#include "base/simulated_clock.h"
#include "gtest/gtest.h"

namespace rectify::client {
namespace {

TEST(RetryPolicyTest, OnlyUnavailableAndDeadlineExceededAreRetried) {
  EXPECT_TRUE(IsRetryable(absl::StatusCode::kUnavailable));
  EXPECT_TRUE(IsRetryable(absl::StatusCode::kDeadlineExceeded));
  for (absl::StatusCode code :
       {absl::StatusCode::kOk, absl::StatusCode::kInvalidArgument, absl::StatusCode::kNotFound,
        absl::StatusCode::kFailedPrecondition, absl::StatusCode::kAborted,
        absl::StatusCode::kPermissionDenied, absl::StatusCode::kUnauthenticated,
        absl::StatusCode::kResourceExhausted, absl::StatusCode::kInternal,
        absl::StatusCode::kUnimplemented, absl::StatusCode::kAlreadyExists}) {
    EXPECT_FALSE(IsRetryable(code)) << absl::StatusCodeToString(code);
  }
}

TEST(RetryPolicyTest, CeilingDoublesAndStopsAtTheMaximum) {
  RetryPolicy policy;
  policy.initial_backoff = absl::Milliseconds(100);
  policy.max_backoff = absl::Seconds(1);
  EXPECT_EQ(BackoffCeiling(policy, 1), absl::Milliseconds(100));
  EXPECT_EQ(BackoffCeiling(policy, 2), absl::Milliseconds(200));
  EXPECT_EQ(BackoffCeiling(policy, 4), absl::Milliseconds(800));
  EXPECT_EQ(BackoffCeiling(policy, 5), absl::Seconds(1));
  EXPECT_EQ(BackoffCeiling(policy, 1000), absl::Seconds(1));  // no overflow
}

TEST(RetryPolicyTest, JitteredBackoffStaysWithinHalfToFullCeilingAndVaries) {
  RetryPolicy policy;
  absl::BitGen bits;
  for (int retry = 1; retry <= 8; ++retry) {
    const absl::Duration ceiling = BackoffCeiling(policy, retry);
    absl::Duration lowest = absl::InfiniteDuration(), highest = absl::ZeroDuration();
    for (int i = 0; i < 500; ++i) {
      const absl::Duration wait = Backoff(policy, retry, bits);
      EXPECT_GE(wait, ceiling / 2);
      EXPECT_LE(wait, ceiling);
      lowest = std::min(lowest, wait);
      highest = std::max(highest, wait);
    }
    EXPECT_LT(lowest, highest) << "no jitter at retry " << retry;
  }
}

class RunWithRetriesTest : public ::testing::Test {
 protected:
  Sleeper FakeSleep() {
    return [this](absl::Duration d) {
      sleeps_.push_back(d);
      clock_.Advance(d);
    };
  }
  SimulatedClock clock_{absl::FromUnixSeconds(1795829400)};
  std::vector<absl::Duration> sleeps_;
  absl::BitGen bits_;
};

TEST_F(RunWithRetriesTest, RetriesUnavailableUntilSuccess) {
  RetryPolicy policy;
  int calls = 0;
  int attempts = 0;
  const absl::Status status = RunWithRetries(
      policy, absl::Seconds(10), clock_, FakeSleep(), bits_,
      [&](absl::Time) {
        return ++calls < 3 ? absl::UnavailableError("down") : absl::OkStatus();
      },
      &attempts);
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(attempts, 3);
  ASSERT_EQ(sleeps_.size(), 2u);
  EXPECT_LE(sleeps_[0], absl::Milliseconds(100));
  EXPECT_GE(sleeps_[1], absl::Milliseconds(100));
  EXPECT_LE(sleeps_[1], absl::Milliseconds(200));
}

TEST_F(RunWithRetriesTest, ARefusalIsNotRetried) {
  int attempts = 0;
  const absl::Status status = RunWithRetries(
      RetryPolicy{}, absl::Seconds(10), clock_, FakeSleep(), bits_,
      [&](absl::Time) { return absl::FailedPreconditionError("case is CLOSED"); }, &attempts);
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(attempts, 1);
  EXPECT_TRUE(sleeps_.empty());
}

TEST_F(RunWithRetriesTest, AttemptsAreBounded) {
  RetryPolicy policy;
  policy.max_attempts = 4;
  policy.total_budget = absl::Hours(1);
  int attempts = 0;
  const absl::Status status = RunWithRetries(
      policy, absl::Seconds(10), clock_, FakeSleep(), bits_,
      [&](absl::Time) { return absl::DeadlineExceededError("slow"); }, &attempts);
  EXPECT_EQ(status.code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(attempts, 4);
  EXPECT_EQ(sleeps_.size(), 3u);
}

TEST_F(RunWithRetriesTest, TotalTimeIsBoundedAndDeadlinesCutToTheBudget) {
  RetryPolicy policy;
  policy.max_attempts = 1000;
  policy.initial_backoff = absl::Seconds(1);
  policy.max_backoff = absl::Seconds(4);
  policy.total_budget = absl::Seconds(20);
  const absl::Time start = clock_.Now();
  std::vector<absl::Time> deadlines;
  const absl::Status status = RunWithRetries(
      policy, absl::Seconds(10), clock_, FakeSleep(), bits_,
      [&](absl::Time deadline) {
        deadlines.push_back(deadline);
        // Each attempt fails after a second, or at its deadline if sooner.
        clock_.Advance(std::min(absl::Seconds(1), deadline - clock_.Now()));
        return absl::UnavailableError("down");
      });
  EXPECT_EQ(status.code(), absl::StatusCode::kUnavailable);
  EXPECT_LE(clock_.Now() - start, absl::Seconds(20));
  ASSERT_FALSE(deadlines.empty());
  for (absl::Time deadline : deadlines) EXPECT_LE(deadline, start + absl::Seconds(20));
  EXPECT_EQ(deadlines.front(), start + absl::Seconds(10));
}

}  // namespace
}  // namespace rectify::client

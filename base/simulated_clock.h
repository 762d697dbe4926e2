// A Clock for tests: time stands still until the test moves it.
//
//   SimulatedClock clock(absl::FromCivil(absl::CivilSecond(2026, 3, 2, 9, 0, 0),
//                                        absl::UTCTimeZone()));
//   clock.Advance(absl::Hours(25));
#ifndef RECTIFY_BASE_SIMULATED_CLOCK_H_
#define RECTIFY_BASE_SIMULATED_CLOCK_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "base/clock.h"

namespace rectify {

class SimulatedClock final : public Clock {
 public:
  explicit SimulatedClock(absl::Time start) : now_(start) {}

  absl::Time Now() const override {
    absl::MutexLock lock(&mutex_);
    return now_;
  }
  // Moves time forward (or back, for tests of clock skew). Thread-safe.
  void Advance(absl::Duration by) {
    absl::MutexLock lock(&mutex_);
    now_ += by;
  }
  // Sets the current instant. Thread-safe.
  void Set(absl::Time to) {
    absl::MutexLock lock(&mutex_);
    now_ = to;
  }

 private:
  mutable absl::Mutex mutex_;
  absl::Time now_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace rectify

#endif  // RECTIFY_BASE_SIMULATED_CLOCK_H_

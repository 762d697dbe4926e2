// The Clock interface: the only way Rectify code reads the time.
//
// Production code takes a `Clock&` (or `Clock*`) and never calls absl::Now();
// main() passes SystemClock(), tests pass a SimulatedClock they advance by
// hand, so no test sleeps to wait for a deadline (envoy's TimeSource and
// SimulatedTimeSystem are the model).
#ifndef RECTIFY_BASE_CLOCK_H_
#define RECTIFY_BASE_CLOCK_H_

#include "absl/time/time.h"

namespace rectify {

class Clock {
 public:
  virtual ~Clock() = default;
  // The current instant. Thread-safe.
  virtual absl::Time Now() const = 0;
};

// The real clock. Returns a process-wide instance; never destroyed.
Clock& SystemClock();

}  // namespace rectify

#endif  // RECTIFY_BASE_CLOCK_H_

// The real clock: absl::Now(), the one place the wall clock is read.
#include "base/clock.h"

#include "absl/time/clock.h"

namespace rectify {
namespace {

class RealClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

}  // namespace

Clock& SystemClock() {
  static RealClock* const clock = new RealClock();
  return *clock;
}

}  // namespace rectify

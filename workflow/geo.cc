// The bounds of a reported position's accuracy (workflow/geo.h).
#include "workflow/geo.h"

#include <cmath>

#include "workflow/validation.h"

namespace rectify::workflow {

absl::Status CheckAccuracy(absl::string_view field, double accuracy_m) {
  if (!std::isfinite(accuracy_m) || accuracy_m < 0 || accuracy_m > kMaxAccuracyMetres) {
    return InvalidField(field, "must be between 0 and 100000 metres", "须在 0 至 100000 米之间");
  }
  return absl::OkStatus();
}

}  // namespace rectify::workflow

// The bounds of a reported position's fields beyond latitude and longitude
// (GeoPoint in proto/rectify/v1/common.proto): one home for the accuracy
// rule, used by case reports and complaints alike.
#ifndef RECTIFY_WORKFLOW_GEO_H_
#define RECTIFY_WORKFLOW_GEO_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace rectify::workflow {

// The widest accuracy a position may claim: 100 km (a fix worse than that
// places nothing).
inline constexpr double kMaxAccuracyMetres = 100000;

// OK when `accuracy_m` is a finite number of metres from 0 to
// kMaxAccuracyMetres; else INVALID_ARGUMENT naming `field` (its Chinese
// label 定位精度).
absl::Status CheckAccuracy(absl::string_view field, double accuracy_m);

}  // namespace rectify::workflow

#endif  // RECTIFY_WORKFLOW_GEO_H_

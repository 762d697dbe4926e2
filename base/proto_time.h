// Conversions between google.protobuf.Timestamp and absl::Time, exact to the
// microsecond (the precision events keep). One place for every layer.
#ifndef RECTIFY_BASE_PROTO_TIME_H_
#define RECTIFY_BASE_PROTO_TIME_H_

#include <cstdint>

#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace rectify {

// The instant of `timestamp`; the Unix epoch for an unset one.
inline absl::Time ToTime(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

// `time` as a Timestamp, truncated to whole microseconds.
inline google::protobuf::Timestamp ToProto(absl::Time time) {
  google::protobuf::Timestamp timestamp;
  const int64_t micros = absl::ToUnixMicros(time);
  int64_t seconds = micros / 1000000;
  int64_t rest = micros % 1000000;
  if (rest < 0) {
    rest += 1000000;
    seconds -= 1;
  }
  timestamp.set_seconds(seconds);
  timestamp.set_nanos(static_cast<int32_t>(rest * 1000));
  return timestamp;
}

}  // namespace rectify

#endif  // RECTIFY_BASE_PROTO_TIME_H_

// Filling a request message from command-line text by reflection, so each
// rectifyctl subcommand takes the request's own field names as its flags
// (`--responsible_unit=...`, `--rectification_due_at=...`) without a
// hand-written parser per RPC.
//
// Field kinds and the text they take:
//   string            the text as is (UTF-8)
//   integers          decimal
//   double            decimal
//   bool              true|false (also yes|no, pass|fail, grant|refuse,
//                     approve|refuse)
//   enum              the value's name without its type prefix, any case:
//                     `--decision=declined` for FILING_DECISION_DECLINED
//   Timestamp         RFC 3339 (2026-11-28T09:30:00+08:00) or
//                     "2026-11-28 09:30" in China Standard Time
//   repeated of those one value per flag; repeat the flag for more
// A dotted path reaches into a nested message (`filter.statuses`).
#ifndef RECTIFY_CLIENT_REQUEST_FLAGS_H_
#define RECTIFY_CLIENT_REQUEST_FLAGS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/timestamp.pb.h"

namespace rectify::client {

// Sets (or, for a repeated field, adds to) the field at `path` of `message`
// from `value`. INVALID_ARGUMENT naming `label` (e.g. "--percent_complete")
// when the value does not fit the field or the path names no settable field.
absl::Status SetFieldFromText(google::protobuf::Message& message, const std::string& path,
                              const std::string& value, const std::string& label);

// The field at a dotted path of `descriptor`, or nullptr.
const google::protobuf::FieldDescriptor* FieldAtPath(const google::protobuf::Descriptor& descriptor,
                                                     const std::string& path);

// True when a flag can set `field` (a scalar, an enum, a Timestamp, or a
// repeated one of those).
bool IsSettable(const google::protobuf::FieldDescriptor& field);

// What a flag for `field` takes, for usage text: "TEXT", "N", "TIME",
// "filed|declined|returned", "true|false".
std::string ValueHint(const google::protobuf::FieldDescriptor& field);

// Parses a time as above. INVALID_ARGUMENT naming `label`.
absl::StatusOr<absl::Time> ParseTime(const std::string& label, const std::string& value);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_REQUEST_FLAGS_H_

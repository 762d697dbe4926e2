// How rectifyctl shows a case: a labelled, human-readable block by default,
// or JSON (proto field names, for scripts) with --json. Times are shown in
// China Standard Time, the time the bureau works in.
#ifndef RECTIFY_CLIENT_CASE_FORMAT_H_
#define RECTIFY_CLIENT_CASE_FORMAT_H_

#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "rectify/v1/case.pb.h"

namespace rectify::client {

// A human-readable block, one `label: value` per line; empty fields omitted.
// The responsible unit reads "洪水镇人民政府 (minle-hongshui-town)" when
// `unit_name` gives its name, else its id. The region reads its code and
// `region_full_name` (the server's, which names the bureau's townships:
// "620722101 甘肃省张掖市民乐县洪水镇"), else the national names rectifyctl
// carries.
std::string FormatCase(const v1::Case& state, const std::string& unit_name = "",
                       const std::string& region_full_name = "");

// `message` as JSON with the .proto field names, followed by a newline.
absl::StatusOr<std::string> ToJson(const google::protobuf::Message& message);

// Short enum names for people: CATEGORY_AIR -> AIR.
std::string ShortEnumName(const std::string& full_name, const std::string& prefix);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_CASE_FORMAT_H_

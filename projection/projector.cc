// Index and timer keys derived from a case's state; see projector.h.
#include "projection/projector.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace rectify::projection {
namespace {

absl::Time FromProto(const google::protobuf::Timestamp& timestamp) {
  return absl::FromUnixSeconds(timestamp.seconds()) + absl::Nanoseconds(timestamp.nanos());
}

bool TimerLess(const storage::TimerKey& a, const storage::TimerKey& b) {
  return std::tie(a.due, a.stream_id, a.deadline_id) < std::tie(b.due, b.stream_id, b.deadline_id);
}

}  // namespace

std::string StatusRegionPrefix(v1::CaseStatus status, const std::string& region_prefix) {
  return absl::StrFormat("s/%02d/%s", static_cast<int>(status), region_prefix);
}

std::string RegionPrefix(const std::string& region_prefix) {
  return absl::StrCat("r/", region_prefix);
}

std::string CaseIdOfIndexKey(const std::string& key) {
  const size_t slash = key.rfind('/');
  return slash == std::string::npos ? key : key.substr(slash + 1);
}

ProjectedKeys ProjectKeys(const v1::Case& state) {
  ProjectedKeys keys;
  if (state.version() == 0) return keys;
  const std::string& region = state.location().region_code();
  keys.index_keys.push_back(
      absl::StrCat(StatusRegionPrefix(state.status(), region), "/", state.case_id()));
  keys.index_keys.push_back(absl::StrCat(RegionPrefix(region), "/", state.case_id()));
  std::sort(keys.index_keys.begin(), keys.index_keys.end());
  for (const v1::Deadline& deadline : state.deadlines()) {
    if (deadline.state() != v1::DEADLINE_STATE_OPEN) continue;
    keys.timers.push_back(
        storage::TimerKey{FromProto(deadline.due_at()), state.case_id(), deadline.deadline_id()});
  }
  std::sort(keys.timers.begin(), keys.timers.end(), TimerLess);
  return keys;
}

void AddKeyChanges(const ProjectedKeys& before, const ProjectedKeys& after,
                   storage::StreamAppend& append) {
  std::set_difference(before.index_keys.begin(), before.index_keys.end(),
                      after.index_keys.begin(), after.index_keys.end(),
                      std::back_inserter(append.index_deletes));
  std::set_difference(after.index_keys.begin(), after.index_keys.end(),
                      before.index_keys.begin(), before.index_keys.end(),
                      std::back_inserter(append.index_puts));
  std::set_difference(before.timers.begin(), before.timers.end(), after.timers.begin(),
                      after.timers.end(), std::back_inserter(append.timer_deletes), TimerLess);
  std::set_difference(after.timers.begin(), after.timers.end(), before.timers.begin(),
                      before.timers.end(), std::back_inserter(append.timer_puts), TimerLess);
}

}  // namespace rectify::projection

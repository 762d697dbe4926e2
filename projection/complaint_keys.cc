// Index and timer keys of a complaint; see complaint_keys.h.
#include "projection/complaint_keys.h"

#include <algorithm>
#include <optional>
#include <tuple>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/proto_time.h"
#include "workflow/complaints.h"

namespace rectify::projection {

ProjectedKeys ProjectComplaintKeys(const v1::Complaint& complaint) {
  ProjectedKeys keys;
  if (complaint.version() == 0) return keys;
  const std::string& id = complaint.complaint_id();
  const std::string& region = complaint.details().location().region_code();
  keys.index_keys.push_back(absl::StrCat(ComplaintRegionPrefix(region), "/", id));
  keys.index_keys.push_back(
      absl::StrCat(ComplaintStatusRegionPrefix(complaint.status(), region), "/", id));
  if (complaint.overdue()) {
    keys.index_keys.push_back(absl::StrCat(ComplaintOverduePrefix(region), "/", id));
  }
  for (const v1::ComplaintLink& link : complaint.links()) {
    keys.index_keys.push_back(ComplaintCasePrefix(link.case_id()) + id);
  }
  if (!complaint.details().ticket_number().empty()) {
    keys.index_keys.push_back(ComplaintTicketPrefix(complaint.details().ticket_number()) + id);
  }
  std::optional<absl::Time> pressing;
  for (const v1::Deadline& deadline : complaint.deadlines()) {
    const bool running =
        deadline.state() == v1::DEADLINE_STATE_OPEN ||
        (deadline.state() == v1::DEADLINE_STATE_MISSED &&
         workflow::IsComplaintObligation(deadline.kind()));
    if (!running) continue;
    const absl::Time due = ToTime(deadline.due_at());
    if (!pressing.has_value() || due < *pressing) pressing = due;
    if (deadline.state() == v1::DEADLINE_STATE_OPEN) {
      keys.timers.push_back(storage::TimerKey{due, id, deadline.deadline_id()});
    }
  }
  if (pressing.has_value()) {
    keys.index_keys.push_back(absl::StrCat(ComplaintDuePrefix(), TimeKeyPart(*pressing), "/", id));
  }
  std::sort(keys.index_keys.begin(), keys.index_keys.end());
  std::sort(keys.timers.begin(), keys.timers.end(),
            [](const storage::TimerKey& a, const storage::TimerKey& b) {
              return std::tie(a.due, a.stream_id, a.deadline_id) <
                     std::tie(b.due, b.stream_id, b.deadline_id);
            });
  return keys;
}

std::string ComplaintRegionPrefix(const std::string& region_prefix) {
  return absl::StrCat("xr/", region_prefix);
}

std::string ComplaintStatusRegionPrefix(v1::ComplaintStatus status,
                                        const std::string& region_prefix) {
  return absl::StrFormat("xs/%02d/%s", static_cast<int>(status), region_prefix);
}

std::string ComplaintOverduePrefix(const std::string& region_prefix) {
  return absl::StrCat("xo/", region_prefix);
}

std::string ComplaintCasePrefix(const std::string& case_id) {
  return absl::StrCat("xc/", case_id, std::string(1, '\0'));
}

std::string ComplaintTicketPrefix(const std::string& ticket_number) {
  return absl::StrCat("xt/", ticket_number, std::string(1, '\0'));
}

std::string ComplaintDuePrefix() { return "xd/"; }

std::string ComplaintIdOfIndexKey(const std::string& key) {
  const size_t cut = key.find_last_of(std::string("/\0", 2));
  return cut == std::string::npos ? key : key.substr(cut + 1);
}

}  // namespace rectify::projection

// The index and timer keys a 12369 complaint's state calls for (the
// `index` and `timers` families), derived in one place for the pipeline,
// verify and rebuild, like projector.h for cases. Index key layout (every
// key ends with the complaint id; NN an enum number in 2 digits; T an
// instant as projector.h's TimeKeyPart):
//   "xr/" region_code "/" complaint_id          every complaint, by region
//   "xs/" NN "/" region_code "/" complaint_id   by status and region
//   "xo/" region_code "/" complaint_id          overdue (a missed clock whose step is open)
//   "xc/" case_id 0x00 complaint_id             one per linked case
//   "xt/" ticket_number 0x00 complaint_id       the platform ticket it holds
//   "xd/" T(due) "/" complaint_id               its most pressing running clock
// Timer keys: one per OPEN clock.
//
//   ProjectedKeys before = ProjectComplaintKeys(old_state);
//   AddKeyChanges(before, ProjectComplaintKeys(new_state), append);
#ifndef RECTIFY_PROJECTION_COMPLAINT_KEYS_H_
#define RECTIFY_PROJECTION_COMPLAINT_KEYS_H_

#include <string>

#include "projection/projector.h"
#include "rectify/v1/complaint.pb.h"

namespace rectify::projection {

// The keys `complaint` calls for (each list sorted); none for version 0.
ProjectedKeys ProjectComplaintKeys(const v1::Complaint& complaint);

// Prefixes of the complaint indexes.
std::string ComplaintRegionPrefix(const std::string& region_prefix);
std::string ComplaintStatusRegionPrefix(v1::ComplaintStatus status,
                                        const std::string& region_prefix);
std::string ComplaintOverduePrefix(const std::string& region_prefix);
std::string ComplaintCasePrefix(const std::string& case_id);
std::string ComplaintTicketPrefix(const std::string& ticket_number);
std::string ComplaintDuePrefix();

// The complaint id at the end of a complaint index key.
std::string ComplaintIdOfIndexKey(const std::string& key);

}  // namespace rectify::projection

#endif  // RECTIFY_PROJECTION_COMPLAINT_KEYS_H_

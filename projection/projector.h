// The projector: what the store keeps beside a stream's events, derived from
// the stream's state. It is where the workflow (which folds events into a
// Case) and the store (which keeps keys) meet, so that the pipeline, verify
// and rebuild derive index and timer keys the same way.
//
// Index key layout (the `index` column family; every key ends with the case
// id so keys are unique and pages resume after the last key seen):
//   "s/" status(2 digits) "/" region_code "/" case_id      by status and region
//   "r/" region_code "/" case_id                           by region (any status)
// Timer keys: one per OPEN deadline of the case.
//
//   ProjectedKeys before = ProjectKeys(old_state);
//   ProjectedKeys after = ProjectKeys(new_state);
//   KeyChanges changes = Diff(before, after);
#ifndef RECTIFY_PROJECTION_PROJECTOR_H_
#define RECTIFY_PROJECTION_PROJECTOR_H_

#include <string>
#include <vector>

#include "rectify/v1/case.pb.h"
#include "storage/event_store.h"

namespace rectify::projection {

// The keys a case's state calls for, each list sorted.
struct ProjectedKeys {
  std::vector<std::string> index_keys;
  std::vector<storage::TimerKey> timers;
};

// The keys `state` calls for; none for an empty (version 0) case.
ProjectedKeys ProjectKeys(const v1::Case& state);

// The index key prefix of cases in `status` whose region starts with
// `region_prefix`.
std::string StatusRegionPrefix(v1::CaseStatus status, const std::string& region_prefix);

// The index key prefix of cases whose region starts with `region_prefix`.
std::string RegionPrefix(const std::string& region_prefix);

// The case id at the end of an index key.
std::string CaseIdOfIndexKey(const std::string& key);

// Fills `append` with the index and timer changes from `before` to `after`.
void AddKeyChanges(const ProjectedKeys& before, const ProjectedKeys& after,
                   storage::StreamAppend& append);

}  // namespace rectify::projection

#endif  // RECTIFY_PROJECTION_PROJECTOR_H_

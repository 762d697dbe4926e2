// Who may read what (DOMAIN.md, "People"): a principal sees only cases whose
// region code starts with its jurisdiction; a RECTIFIER only its unit's
// cases; the POLICE only cases with a referral sent to their unit; a
// PROCURATOR cases with a referral sent in its jurisdiction; an ADMIN no
// case content. Complainant data is personal: only a SUPERVISOR of the
// jurisdiction reads it.
//
// Whether a principal may *change* a case is the workflow's decision
// (workflow::Decide); this file is about reads.
#ifndef RECTIFY_SERVER_ACCESS_H_
#define RECTIFY_SERVER_ACCESS_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "rectify/v1/case.pb.h"
#include "rectify/v1/common.pb.h"

namespace rectify::server {

// OK when `principal` may read `state`; PERMISSION_DENIED (saying why)
// otherwise.
absl::Status CheckCanRead(const v1::Principal& principal, const v1::Case& state);

// PERMISSION_DENIED when the case id's county code alone shows the case is
// outside the principal's jurisdiction, so that no lookup is made (and no
// NOT_FOUND reveals which ids exist elsewhere).
absl::Status CheckCaseIdInScope(const v1::Principal& principal, absl::string_view case_id);

// `state` with what `principal` may not see cleared.
v1::Case RedactForReader(const v1::Principal& principal, v1::Case state);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_ACCESS_H_

// The units of the principals file's RECTIFIERs, checked against the
// responsible units directory when rectify_server starts, as an account's
// unit is checked when it gets the role or the unit (server/pipeline_stage_lists.cc,
// workflow::CheckAssignableUnit): a RECTIFIER acts for a unit of the
// directory. An unknown unit is refused only once the principal's county has
// any unit in the directory (a store written before the directory keeps its
// ad-hoc unit ids); a retired unit always.
//
//   RETURN_IF_ERROR(CheckPrincipalUnits(principals, store));
#ifndef RECTIFY_SERVER_PRINCIPAL_UNITS_H_
#define RECTIFY_SERVER_PRINCIPAL_UNITS_H_

#include "absl/status/status.h"
#include "server/principals.h"
#include "storage/event_store.h"

namespace rectify::server {

// OK when every RECTIFIER of `principals` names a unit it may act for;
// else FAILED_PRECONDITION naming the principal and its unit, for the
// operator (e.g. "principals file: rect-hongshui: unit_id: unit
// minle-hongshui-town is not in the units directory; ..."). Errors of the
// store as they are.
absl::Status CheckPrincipalUnits(const PrincipalRegistry& principals, storage::EventStore& store);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_PRINCIPAL_UNITS_H_

// The one home of the domain's rules about who reads what, which the
// deciders, the projections and read access (server/access.h) all apply:
// the bureau's own roles, a region inside a jurisdiction, a document id's
// county against a jurisdiction, and when a referral counts as sent.
//
//   if (!InJurisdiction(state.location().region_code(), principal.jurisdiction())) ...
//   if (!CountyMayBeInJurisdiction(case_id.substr(0, 6), principal.jurisdiction())) ...
#ifndef RECTIFY_WORKFLOW_READING_RULES_H_
#define RECTIFY_WORKFLOW_READING_RULES_H_

#include "absl/strings/string_view.h"
#include "rectify/v1/case.pb.h"
#include "rectify/v1/common.pb.h"

namespace rectify::workflow {

// True for the bureau's own roles, which read its data (every case of their
// jurisdiction in full, rectification lists, list events): INSPECTOR,
// SUPERVISOR, BUREAU_HEAD and AUDITOR. Other agencies (RECTIFIER, POLICE,
// PROCURATOR) read only what concerns them; ADMIN no case content.
bool IsBureauReader(v1::Role role);

// True when `region_code` lies inside `jurisdiction` (a region code
// prefix); never for an empty jurisdiction.
bool InJurisdiction(absl::string_view region_code, absl::string_view jurisdiction);

// True when the county code an id starts with (6 digits: "620722" of
// "620722-2026-000123" or of "L-620722-2026-0001") and `jurisdiction` may
// overlap: one is a prefix of the other. A false answer alone shows the
// document is outside the jurisdiction, before any lookup. Never for an
// empty jurisdiction.
bool CountyMayBeInJurisdiction(absl::string_view county, absl::string_view jurisdiction);

// True once a referral has left the bureau: SENT and every state after it,
// and a WITHDRAWN one that had been sent (sent_at set). PROPOSED, APPROVED
// and REFUSED referrals were not sent.
bool ReferralWasSent(const v1::Referral& referral);

}  // namespace rectify::workflow

#endif  // RECTIFY_WORKFLOW_READING_RULES_H_

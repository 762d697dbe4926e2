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
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rectify/v1/case.pb.h"
#include "rectify/v1/common.pb.h"
#include "rectify/v1/supervision_service.pb.h"

namespace rectify::server {

// OK when `principal` may read `state`; PERMISSION_DENIED (saying why)
// otherwise.
absl::Status CheckCanRead(const v1::Principal& principal, const v1::Case& state);

// PERMISSION_DENIED when the case id's county code alone shows the case is
// outside the principal's jurisdiction, so that no lookup is made (and no
// NOT_FOUND reveals which ids exist elsewhere).
absl::Status CheckCaseIdInScope(const v1::Principal& principal, absl::string_view case_id);

// NOT_FOUND "case <id> does not exist or is not visible to <principal>": the
// one answer for a case that does not exist and for a case `principal` may
// not read, so that no reply tells a principal whether a case it may not read
// exists (GitHub answers 404 for a private repository the same way).
absl::Status CaseNotVisible(const v1::Principal& principal, absl::string_view case_id);

// CheckCanRead, answering CaseNotVisible instead of PERMISSION_DENIED. Every
// read of one case and every command on an existing case checks it before it
// says anything about the case (its version, status or unit).
absl::Status CheckVisible(const v1::Principal& principal, const v1::Case& state);

// `loaded` (a store's GetCase answer) when `principal` may read it;
// CaseNotVisible when it does not exist or may not be read; other errors of
// the store as they are.
absl::StatusOr<v1::Case> VisibleCase(const v1::Principal& principal, absl::string_view case_id,
                                     absl::StatusOr<v1::Case> loaded);

// OK when `principal` is of the bureau (INSPECTOR, SUPERVISOR, BUREAU_HEAD,
// AUDITOR) with a jurisdiction: rectification lists are the bureau's own
// work. PERMISSION_DENIED otherwise.
absl::Status CheckListReader(const v1::Principal& principal);

// CheckListReader, and the list's region inside the principal's
// jurisdiction (PERMISSION_DENIED otherwise).
absl::Status CheckCanReadList(const v1::Principal& principal, const v1::RectificationList& list);

// True when `principal` may see the personal data (a complainant's name and
// phone) of a case or event in `region_code`: a SUPERVISOR whose jurisdiction
// covers it (DOMAIN.md, "The case"). The one home of this rule: case reads,
// history, the event feed and the referral export all ask it.
bool MaySeePersonalData(const v1::Principal& principal, absl::string_view region_code);

// `state` with what `principal` may not see cleared.
v1::Case RedactForReader(const v1::Principal& principal, v1::Case state);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_ACCESS_H_

// What the validators of commands share inside workflow/validation (not for
// other targets): limits, and the check that a request's case_id names the
// command's stream. The validators themselves: validation.cc (envelope,
// dispatch, common field checks), case_validation.cc (the case commands, beside
// decider.cc) and referral_validation.cc (the referral commands, beside
// referrals.cc).
#ifndef RECTIFY_WORKFLOW_VALIDATION_INTERNAL_H_
#define RECTIFY_WORKFLOW_VALIDATION_INTERNAL_H_

#include <string>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "rectify/v1/command.pb.h"
#include "workflow/policy.h"

namespace rectify::workflow::validation_internal {

// Longest remark or note (short free text), in characters.
inline constexpr int kMaxNoteChars = 2000;
// Most evidence ids one command may cite.
inline constexpr int kMaxEvidenceIds = 50;

// The request's case_id must name the command's stream (the server copies it).
absl::Status CheckCaseId(const v1::Command& command, const std::string& case_id);

// Validates the request of a case command (assign to reopen, evidence,
// deadlines; not ReportCase, see ValidateReportCase) received at `now`.
// INTERNAL for a command of another kind (ValidateCommand routes only case
// commands here).
absl::Status ValidateCaseRequest(const v1::Command& command, absl::Time now, const Policy& policy);

// Validates the request of a referral command (propose to withdraw).
// INTERNAL for a command of another kind.
absl::Status ValidateReferralRequest(const v1::Command& command, const Policy& policy);

}  // namespace rectify::workflow::validation_internal

#endif  // RECTIFY_WORKFLOW_VALIDATION_INTERNAL_H_

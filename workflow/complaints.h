// 12369 complaints (信访件; DOMAIN.md, "12369 complaints") as a pure decider
// beside the case, list and unit deciders: a complaint is the stream
// "XF-<county>-<year>-<number>"; DecideComplaint turns a ComplaintService
// command (and the scheduler's MarkOverdue / the server's RecountDeadline on
// a complaint stream) into its events, EvolveComplaint folds them into the
// v1::Complaint. No I/O: what the command needs from other streams (the
// linked cases, the id of a case to open, the complaint already holding a
// ticket number) comes in ComplaintFacts, read by the pipeline.
//
//   ASSIGN_OR_RETURN(ComplaintDecision decision,
//                    DecideComplaint(complaint, command, principal, now, policy, facts));
//
// Clocks (policy kinds COMPLAINT_*, counted in the policy's calendar):
//   "accept"         ACCEPTANCE from the receipt (received_at)
//   "reply"          REPLY from the acceptance; +REPLY_EXTENSION once, approved
//   "review-request" REVIEW_REQUEST from the final reply (a window)
//   "review-answer"  REVIEW_ANSWER from the review request
//
// Who may act: a SUPERVISOR of the complaint's jurisdiction for every step
// but the extension, which the BUREAU_HEAD approves; SYSTEM for the clocks.
#ifndef RECTIFY_WORKFLOW_COMPLAINTS_H_
#define RECTIFY_WORKFLOW_COMPLAINTS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "rectify/v1/case.pb.h"
#include "rectify/v1/command.pb.h"
#include "rectify/v1/common.pb.h"
#include "rectify/v1/complaint.pb.h"
#include "rectify/v1/complaint_service.pb.h"
#include "rectify/v1/event.pb.h"
#include "workflow/numbering.h"
#include "workflow/policy.h"

namespace rectify::workflow {

// Most rows one ImportComplaints request may carry.
inline constexpr int kMaxComplaintImportRows = 1000;
// Complaints: "XF-620722-2026-000123" (民乐县2026年第123号信访件), at most
// 999,999 per county and year, allocated by the pipeline's DocumentNumbers.
inline constexpr NumberSeries kComplaintNumbers{v1::STREAM_KIND_COMPLAINT, "XF-", 6, "complaint",
                                                "信访件"};

// Most site-check documents one complaint may have uploaded (the close
// names 1-20 of them; the rest allow for files uploaded by mistake).
inline constexpr int kMaxSiteCheckUploads = 50;
// Most site-check documents CloseComplaintUnfounded may name.
inline constexpr int kMaxSiteCheckDocuments = 20;

// The deadline ids of a complaint's clocks.
inline constexpr char kAcceptClock[] = "accept";
inline constexpr char kReplyClock[] = "reply";
inline constexpr char kReviewRequestClock[] = "review-request";
inline constexpr char kReviewAnswerClock[] = "review-answer";

// True for the ComplaintService commands of v1::Command (not MarkOverdue or
// RecountDeadline, which are routed by their stream id).
bool IsComplaintCommand(const v1::Command& command);

// True for a complaint's stream id ("XF-...").
bool IsComplaintStreamId(absl::string_view stream_id);

// The complaint id a complaint command names (its stream id for
// ReceiveComplaint, MarkOverdue and RecountDeadline; empty for an import).
const std::string& ComplaintIdOf(const v1::Command& command);

// "XF-620722-2026-" for a complaint of region 620722xxx recorded in 2026:
// the prefix a county's complaints of a year are numbered under (as
// NumberPrefix(kComplaintNumbers, ...) makes it; for tests and fuzzers).
std::string ComplaintIdPrefix(absl::string_view region_code, int year);
// "XF-620722-2026-000123".
std::string FormatComplaintId(absl::string_view prefix, int64_t sequence);
// OK for "XF-" 6 digits "-" 4 digits "-" 6 digits; else INVALID_ARGUMENT
// naming `field`.
absl::Status CheckComplaintIdFormat(absl::string_view field, absl::string_view id);

// What a command needs from outside the complaint's stream.
struct ComplaintFacts {
  // OpenCaseFromComplaint: the id the pipeline allocated for the new case.
  std::string new_case_id;
  // The cases the command names (AttachComplaintToCase's case) and the
  // complaint's linked cases (ReplyToComplaint), as they stand; a case that
  // does not exist is absent.
  std::map<std::string, v1::Case> cases;
  // ReceiveComplaint: the complaint that holds its ticket number already,
  // or empty.
  std::string ticket_owner;
  // UploadSiteCheckDocument and CloseComplaintUnfounded: the documents
  // uploaded to the complaint so far (its SiteCheckDocumentUploaded events,
  // this batch's included), in upload order.
  std::vector<v1::SiteCheckDocument> uploaded_documents;
};

// The events of one complaint command.
struct ComplaintDecision {
  // For the complaint's stream.
  std::vector<v1::Event> complaint_events;
  // OpenCaseFromComplaint: the new case's id and its events; else empty.
  std::string case_id;
  std::vector<v1::Event> case_events;
};

// Decides `command` on `complaint` (empty, version 0, for ReceiveComplaint).
// Errors: INVALID_ARGUMENT naming the field; NOT_FOUND (no such complaint
// or case, or one the principal may not read); ALREADY_EXISTS (a ticket
// number already received); PERMISSION_DENIED (role or jurisdiction);
// FAILED_PRECONDITION (the complaint's status or a linked case's does not
// allow it; the message names them). Every refusal carries Chinese.
absl::StatusOr<ComplaintDecision> DecideComplaint(const v1::Complaint& complaint,
                                                  const v1::Command& command,
                                                  const v1::Principal& principal, absl::Time now,
                                                  const Policy& policy,
                                                  const ComplaintFacts& facts);

// Folds one complaint event into `complaint`. INVALID_ARGUMENT for an event
// that does not fit (wrong stream or version, not a complaint's payload).
absl::Status EvolveComplaint(v1::Complaint& complaint, const v1::Event& event);

// Every bad row of an import, in row order (empty when all are good):
// each row checked as ReceiveComplaint checks its details, plus a row
// number of 1 or more used once, channel PLATFORM (UNSPECIFIED taken as
// PLATFORM), a ticket number used once in the request, the region inside
// the principal's jurisdiction. A request-level problem (no rows, too many,
// a bad command_id, a role other than SUPERVISOR) is returned as the error.
absl::StatusOr<std::vector<v1::ComplaintImportProblem>> CheckComplaintImport(
    const v1::ImportComplaintsRequest& request, const v1::Principal& principal, absl::Time now,
    const Policy& policy);

// The events that receive one imported row as complaint `complaint_id`
// (the row checked by CheckComplaintImport first).
absl::StatusOr<std::vector<v1::Event>> DecideImportedRow(const v1::ComplaintImportRow& row,
                                                         const std::string& complaint_id,
                                                         const v1::Command& command,
                                                         const v1::Principal& principal,
                                                         absl::Time now, const Policy& policy);

// The region a row is numbered and kept under (details.location.region_code).
const std::string& ComplaintRegion(const v1::Complaint& complaint);

// True when `principal` may read complaints of `region_code`: a SUPERVISOR,
// BUREAU_HEAD, INSPECTOR or AUDITOR whose jurisdiction covers it.
bool MayReadComplaint(const v1::Principal& principal, absl::string_view region_code);

// NOT_FOUND "complaint X does not exist or is not visible to P": the one
// answer for a missing complaint and one the principal may not read.
absl::Status ComplaintNotVisible(const v1::Principal& principal, absl::string_view complaint_id);

// The running clock of `kind` (OPEN, or MISSED with its step still open),
// or null.
const v1::Deadline* RunningComplaintClock(const v1::Complaint& complaint, v1::DeadlineKind kind);

// True for the clocks whose passing is the bureau's lateness (acceptance,
// reply, review answer); the review-request window is not.
bool IsComplaintObligation(v1::DeadlineKind kind);

}  // namespace rectify::workflow

#endif  // RECTIFY_WORKFLOW_COMPLAINTS_H_

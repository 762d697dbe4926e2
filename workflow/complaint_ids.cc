// Complaint ids ("XF-<county>-<year>-<number>"), which commands and streams
// are a complaint's, who may read one, and its running clocks; see
// complaints.h.
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/user_message.h"
#include "workflow/complaints.h"
#include "workflow/decider.h"
#include "workflow/validation.h"

namespace rectify::workflow {
namespace {

constexpr absl::string_view kStreamPrefix = "XF-";

}  // namespace

bool IsComplaintCommand(const v1::Command& command) {
  switch (command.request_case()) {
    case v1::Command::kReceiveComplaint:
    case v1::Command::kImportComplaints:
    case v1::Command::kAcceptComplaint:
    case v1::Command::kTransferComplaint:
    case v1::Command::kOpenCaseFromComplaint:
    case v1::Command::kAttachComplaintToCase:
    case v1::Command::kCloseComplaintUnfounded:
    case v1::Command::kExtendComplaintReply:
    case v1::Command::kReplyToComplaint:
    case v1::Command::kRequestComplaintReview:
    case v1::Command::kAnswerComplaintReview:
    case v1::Command::kRecordComplaintCallback:
    case v1::Command::kUploadSiteCheckDocument:
      return true;
    default:
      return false;
  }
}

bool IsComplaintStreamId(absl::string_view stream_id) {
  return absl::StartsWith(stream_id, kStreamPrefix);
}

const std::string& ComplaintIdOf(const v1::Command& command) {
  switch (command.request_case()) {
    case v1::Command::kAcceptComplaint:
      return command.accept_complaint().complaint_id();
    case v1::Command::kTransferComplaint:
      return command.transfer_complaint().complaint_id();
    case v1::Command::kOpenCaseFromComplaint:
      return command.open_case_from_complaint().complaint_id();
    case v1::Command::kAttachComplaintToCase:
      return command.attach_complaint_to_case().complaint_id();
    case v1::Command::kCloseComplaintUnfounded:
      return command.close_complaint_unfounded().complaint_id();
    case v1::Command::kExtendComplaintReply:
      return command.extend_complaint_reply().complaint_id();
    case v1::Command::kReplyToComplaint:
      return command.reply_to_complaint().complaint_id();
    case v1::Command::kRequestComplaintReview:
      return command.request_complaint_review().complaint_id();
    case v1::Command::kAnswerComplaintReview:
      return command.answer_complaint_review().complaint_id();
    case v1::Command::kRecordComplaintCallback:
      return command.record_complaint_callback().complaint_id();
    case v1::Command::kUploadSiteCheckDocument:
      return command.upload_site_check_document().complaint_id();
    default:
      return command.stream_id();
  }
}

std::string ComplaintIdPrefix(absl::string_view region_code, int year) {
  return absl::StrFormat("%s%s-%04d-", kStreamPrefix, region_code.substr(0, 6), year);
}

std::string FormatComplaintId(absl::string_view prefix, int64_t sequence) {
  return absl::StrFormat("%s%06d", prefix, sequence);
}

absl::Status CheckComplaintIdFormat(absl::string_view field, absl::string_view id) {
  // "XF-" 6 digits "-" 4 digits "-" 6 digits.
  bool ok = id.size() == 3 + 6 + 1 + 4 + 1 + 6 && absl::StartsWith(id, kStreamPrefix);
  for (size_t i = 3; ok && i < id.size(); ++i) {
    const bool dash = i == 9 || i == 14;
    ok = dash ? id[i] == '-' : (id[i] >= '0' && id[i] <= '9');
  }
  if (ok) return absl::OkStatus();
  return InvalidField(field, "must be a complaint id such as \"XF-620722-2026-000123\"",
                      "须为信访件编号，如 XF-620722-2026-000123");
}

const std::string& ComplaintRegion(const v1::Complaint& complaint) {
  return complaint.details().location().region_code();
}

bool MayReadComplaint(const v1::Principal& principal, absl::string_view region_code) {
  switch (principal.role()) {
    case v1::ROLE_SUPERVISOR:
    case v1::ROLE_BUREAU_HEAD:
    case v1::ROLE_INSPECTOR:
    case v1::ROLE_AUDITOR:
      return InJurisdiction(std::string(region_code), principal.jurisdiction());
    default:
      return false;
  }
}

absl::Status ComplaintNotVisible(const v1::Principal& principal, absl::string_view complaint_id) {
  return Refuse(absl::StatusCode::kNotFound,
                absl::StrCat("complaint ", complaint_id, " does not exist or is not visible to ",
                             principal.principal_id()),
                absl::StrCat("信访件 ", complaint_id, " 不存在或您无权查看"));
}

bool IsComplaintObligation(v1::DeadlineKind kind) {
  return kind == v1::DEADLINE_KIND_COMPLAINT_ACCEPTANCE ||
         kind == v1::DEADLINE_KIND_COMPLAINT_REPLY ||
         kind == v1::DEADLINE_KIND_COMPLAINT_REVIEW_ANSWER;
}

const v1::Deadline* RunningComplaintClock(const v1::Complaint& complaint, v1::DeadlineKind kind) {
  for (const v1::Deadline& deadline : complaint.deadlines()) {
    if (deadline.kind() != kind) continue;
    if (deadline.state() == v1::DEADLINE_STATE_OPEN ||
        (deadline.state() == v1::DEADLINE_STATE_MISSED && IsComplaintObligation(kind))) {
      return &deadline;
    }
  }
  return nullptr;
}

}  // namespace rectify::workflow

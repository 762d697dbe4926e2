// Validation of the case commands' requests: ReportCase, assignment,
// rectification, extensions, verification, closing and reopening, evidence and
// deadlines. Beside decider.cc, which decides them; see validation.h for what
// validation checks and what it leaves to Decide.
#include <algorithm>
#include <cmath>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/proto_time.h"
#include "base/status_macros.h"
#include "workflow/geo.h"
#include "workflow/validation.h"
#include "workflow/validation_internal.h"

namespace rectify::workflow {
namespace {

using validation_internal::CheckCaseId;
using validation_internal::kMaxEvidenceIds;
using validation_internal::kMaxNoteChars;

absl::Status CheckEvidenceIds(const google::protobuf::RepeatedPtrField<std::string>& ids) {
  if (ids.size() > kMaxEvidenceIds) {
    return InvalidField("evidence_ids", absl::StrCat("at most ", kMaxEvidenceIds, " are allowed"),
                        absl::StrCat("最多 ", kMaxEvidenceIds, " 项"));
  }
  for (int i = 0; i < ids.size(); ++i) {
    RETURN_IF_ERROR(CheckId(absl::StrCat("evidence_ids[", i, "]"), ids[i], /*required=*/true));
  }
  return absl::OkStatus();
}

absl::Status CheckOptionalDue(absl::string_view field, bool has,
                              const google::protobuf::Timestamp& due, absl::Time now) {
  return has ? CheckDueAfter(field, due, now) : absl::OkStatus();
}

bool IsHexLower(absl::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

absl::Status ValidateReportCase(const v1::ReportCaseRequest& request, absl::Time now,
                                const Policy& policy) {
  RETURN_IF_ERROR(CheckId("command_id", request.command_id(), /*required=*/true));
  RETURN_IF_ERROR(CheckText("title", request.title(), kMaxTitleChars, /*required=*/true));
  RETURN_IF_ERROR(
      CheckText("description", request.description(), kMaxTextChars, /*required=*/false));
  if (request.category() == v1::CATEGORY_UNSPECIFIED || !v1::Category_IsValid(request.category())) {
    return InvalidField("category",
                        "must be one of AIR, WATER, SOIL, SOLID_WASTE, NOISE, ECOLOGY, "
                        "RADIATION, OTHER",
                        "请从列表中选择");
  }
  if (request.severity() == v1::SEVERITY_UNSPECIFIED || !v1::Severity_IsValid(request.severity())) {
    return InvalidField("severity", "must be one of LOW, MEDIUM, HIGH, CRITICAL", "请从列表中选择");
  }
  if (request.source() == v1::CASE_SOURCE_UNSPECIFIED ||
      !v1::CaseSource_IsValid(request.source())) {
    return InvalidField("source",
                        "must be one of INSPECTION, HOTLINE_12369, CENTRAL_INSPECTION, "
                        "PROVINCIAL_INSPECTION, MONITORING, MEDIA, SELF_FOUND",
                        "请从列表中选择");
  }
  RETURN_IF_ERROR(CheckText("source_reference", request.source_reference(), 100, false));
  RETURN_IF_ERROR(CheckRegionCode("location.region_code", request.location().region_code()));
  RETURN_IF_ERROR(CheckText("location.address", request.location().address(), 500, false));
  if (request.location().has_point()) {
    const double latitude = request.location().point().latitude();
    const double longitude = request.location().point().longitude();
    if (!std::isfinite(latitude) || latitude < -90 || latitude > 90) {
      return InvalidField("location.point.latitude", "must be between -90 and 90 degrees",
                          "须在 -90 至 90 度之间");
    }
    if (!std::isfinite(longitude) || longitude < -180 || longitude > 180) {
      return InvalidField("location.point.longitude", "must be between -180 and 180 degrees",
                          "须在 -180 至 180 度之间");
    }
    RETURN_IF_ERROR(
        CheckAccuracy("location.point.accuracy_m", request.location().point().accuracy_m()));
  }
  RETURN_IF_ERROR(CheckText("subject.name", request.subject().name(), 200, false));
  const std::string& uscc = request.subject().unified_social_credit_code();
  if (!uscc.empty() && !IsValidUnifiedSocialCreditCode(uscc)) {
    return InvalidField(
        "subject.unified_social_credit_code",
        absl::StrFormat("\"%s\" is not a valid unified social credit code (18 "
                        "characters of 0-9 and A-Y without I, O, S, V, Z, ending in "
                        "the right check character)",
                        absl::CHexEscape(uscc.substr(0, 30))),
        "不是有效的统一社会信用代码（18 位，末位校验码须正确）");
  }
  RETURN_IF_ERROR(CheckText("complainant.name", request.complainant().name(), 100, false));
  const std::string& phone = request.complainant().phone();
  if (phone.size() > 30 || !std::all_of(phone.begin(), phone.end(), [](char c) {
        return (c >= '0' && c <= '9') || c == '+' || c == '-' || c == ' ';
      })) {
    return InvalidField("complainant.phone", "must be at most 30 digits, spaces, '+' or '-'",
                        "最多 30 位，只能含数字、空格、“+”或“-”");
  }
  if (!request.has_found_at()) return InvalidField("found_at", "is required", "必填");
  RETURN_IF_ERROR(CheckTimestamp("found_at", request.found_at()));
  const absl::Time found_at = ToTime(request.found_at());
  if (found_at > now + policy.max_clock_skew) {
    return InvalidField("found_at", "is in the future", "不能晚于现在");
  }
  if (request.tags_size() > 20)
    return InvalidField("tags", "at most 20 tags are allowed", "最多 20 个");
  for (int i = 0; i < request.tags_size(); ++i) {
    RETURN_IF_ERROR(CheckText(absl::StrCat("tags[", i, "]"), request.tags(i), 50, true));
  }
  return absl::OkStatus();
}

namespace validation_internal {

absl::Status ValidateCaseRequest(const v1::Command& command, absl::Time now, const Policy& policy) {
  switch (command.request_case()) {
    case v1::Command::kAssignCase: {
      const auto& r = command.assign_case();
      RETURN_IF_ERROR(CheckCaseId(command, r.case_id()));
      RETURN_IF_ERROR(CheckId("responsible_unit", r.responsible_unit(), /*required=*/true));
      RETURN_IF_ERROR(
          CheckText("requirements", r.requirements(), kMaxTextChars, /*required=*/true));
      return CheckOptionalDue("rectification_due_at", r.has_rectification_due_at(),
                              r.rectification_due_at(), now);
    }
    case v1::Command::kReassignCase: {
      const auto& r = command.reassign_case();
      RETURN_IF_ERROR(CheckCaseId(command, r.case_id()));
      RETURN_IF_ERROR(CheckId("responsible_unit", r.responsible_unit(), /*required=*/true));
      RETURN_IF_ERROR(
          CheckText("requirements", r.requirements(), kMaxTextChars, /*required=*/false));
      RETURN_IF_ERROR(CheckText("reason", r.reason(), kMaxTextChars, /*required=*/true));
      return CheckOptionalDue("rectification_due_at", r.has_rectification_due_at(),
                              r.rectification_due_at(), now);
    }
    case v1::Command::kStartRectification: {
      const auto& r = command.start_rectification();
      RETURN_IF_ERROR(CheckCaseId(command, r.case_id()));
      return CheckText("note", r.note(), kMaxNoteChars, /*required=*/false);
    }
    case v1::Command::kReportProgress: {
      const auto& r = command.report_progress();
      RETURN_IF_ERROR(CheckCaseId(command, r.case_id()));
      RETURN_IF_ERROR(CheckText("text", r.text(), kMaxTextChars, /*required=*/true));
      if (r.percent_complete() < 0 || r.percent_complete() > 100) {
        return InvalidField("percent_complete",
                            absl::StrCat("must be 0 to 100, got ", r.percent_complete()),
                            absl::StrCat("须在 0 至 100 之间，所填为 ", r.percent_complete()));
      }
      return CheckEvidenceIds(r.evidence_ids());
    }
    case v1::Command::kRequestExtension: {
      const auto& r = command.request_extension();
      RETURN_IF_ERROR(CheckCaseId(command, r.case_id()));
      if (!r.has_requested_due_at()) return InvalidField("requested_due_at", "is required", "必填");
      RETURN_IF_ERROR(CheckDueAfter("requested_due_at", r.requested_due_at(), now));
      return CheckText("reason", r.reason(), kMaxTextChars, /*required=*/true);
    }
    case v1::Command::kDecideExtension: {
      const auto& r = command.decide_extension();
      RETURN_IF_ERROR(CheckCaseId(command, r.case_id()));
      RETURN_IF_ERROR(CheckId("request_id", r.request_id(), /*required=*/true));
      if (!r.granted() && r.has_granted_due_at()) {
        return InvalidField("granted_due_at", "is only for a granted extension",
                            "只有批准延期时才能填写");
      }
      RETURN_IF_ERROR(
          CheckOptionalDue("granted_due_at", r.has_granted_due_at(), r.granted_due_at(), now));
      return CheckText("reason", r.reason(), kMaxTextChars, /*required=*/!r.granted());
    }
    case v1::Command::kSubmitCompletion: {
      const auto& r = command.submit_completion();
      RETURN_IF_ERROR(CheckCaseId(command, r.case_id()));
      RETURN_IF_ERROR(CheckText("summary", r.summary(), kMaxTextChars, /*required=*/true));
      return CheckEvidenceIds(r.evidence_ids());
    }
    case v1::Command::kVerifyRectification: {
      const auto& r = command.verify_rectification();
      RETURN_IF_ERROR(CheckCaseId(command, r.case_id()));
      RETURN_IF_ERROR(CheckText("notes", r.notes(), kMaxTextChars, /*required=*/!r.passed()));
      RETURN_IF_ERROR(CheckEvidenceIds(r.evidence_ids()));
      if (r.passed() && r.has_new_rectification_due_at()) {
        return InvalidField("new_rectification_due_at", "is only for a failed verification",
                            "只有验收不通过时才能填写");
      }
      return CheckOptionalDue("new_rectification_due_at", r.has_new_rectification_due_at(),
                              r.new_rectification_due_at(), now);
    }
    case v1::Command::kRaiseObjection: {
      const auto& r = command.raise_objection();
      RETURN_IF_ERROR(CheckCaseId(command, r.case_id()));
      RETURN_IF_ERROR(CheckText("text", r.text(), kMaxTextChars, /*required=*/true));
      return CheckOptionalDue("new_rectification_due_at", r.has_new_rectification_due_at(),
                              r.new_rectification_due_at(), now);
    }
    case v1::Command::kCloseCase: {
      const auto& r = command.close_case();
      RETURN_IF_ERROR(CheckCaseId(command, r.case_id()));
      return CheckText("remark", r.remark(), kMaxNoteChars, /*required=*/false);
    }
    case v1::Command::kCloseAsUnfounded: {
      const auto& r = command.close_as_unfounded();
      RETURN_IF_ERROR(CheckCaseId(command, r.case_id()));
      return CheckText("reason", r.reason(), kMaxTextChars, /*required=*/true);
    }
    case v1::Command::kReopenCase: {
      const auto& r = command.reopen_case();
      RETURN_IF_ERROR(CheckCaseId(command, r.case_id()));
      RETURN_IF_ERROR(CheckText("reason", r.reason(), kMaxTextChars, /*required=*/true));
      RETURN_IF_ERROR(CheckId("responsible_unit", r.responsible_unit(), /*required=*/false));
      return CheckOptionalDue("rectification_due_at", r.has_rectification_due_at(),
                              r.rectification_due_at(), now);
    }
    case v1::Command::kRecordEvidence: {
      const auto& r = command.record_evidence();
      RETURN_IF_ERROR(CheckCaseId(command, r.case_id()));
      if (r.kind() == v1::EVIDENCE_KIND_UNSPECIFIED || !v1::EvidenceKind_IsValid(r.kind())) {
        return InvalidField("kind",
                            "must be PHOTO, VIDEO, DOCUMENT, MONITORING_REPORT, "
                            "INSPECTION_RECORD, INTERVIEW_RECORD or SEIZED_ITEMS_LIST",
                            "请从列表中选择");
      }
      RETURN_IF_ERROR(CheckFileName("file_name", r.file_name()));
      RETURN_IF_ERROR(CheckMediaType("media_type", r.media_type()));
      RETURN_IF_ERROR(CheckSha256Hex("sha256", r.sha256()));
      if (r.size_bytes() <= 0) return InvalidField("size_bytes", "must be more than 0", "须大于 0");
      if (!r.original_sha256().empty() || r.original_size_bytes() != 0) {
        if (r.original_sha256().size() != 64 || !IsHexLower(r.original_sha256())) {
          return InvalidField("original_sha256", "must be 64 lowercase hexadecimal digits when set",
                              "填写时须为 64 位小写十六进制数字");
        }
        if (r.original_sha256() == r.sha256()) {
          return InvalidField(
              "original_sha256",
              "equals sha256: set it only for a copy that differs from the original",
              "与压缩后文件的哈希相同：只有压缩过的照片才填写原图哈希");
        }
        if (r.original_size_bytes() <= 0) {
          return InvalidField("original_size_bytes", "must be more than 0 with original_sha256",
                              "填写原图哈希时，原图大小须大于 0");
        }
      }
      RETURN_IF_ERROR(CheckText("description", r.description(), kMaxNoteChars, /*required=*/false));
      if (r.has_captured_at()) {
        RETURN_IF_ERROR(CheckTimestamp("captured_at", r.captured_at()));
        if (ToTime(r.captured_at()) > now + policy.max_clock_skew) {
          return InvalidField("captured_at", "is in the future", "不能晚于现在");
        }
      }
      return absl::OkStatus();
    }
    case v1::Command::kMarkOverdue:
      return CheckId("deadline_id", command.mark_overdue().deadline_id(), /*required=*/true);
    case v1::Command::kRecountDeadline: {
      const auto& r = command.recount_deadline();
      RETURN_IF_ERROR(CheckId("deadline_id", r.deadline_id(), /*required=*/true));
      if (r.calendar_sha256().size() != 64 || !IsHexLower(r.calendar_sha256())) {
        return InvalidField("calendar_sha256", "must be 64 lowercase hexadecimal digits",
                            "须为 64 位小写十六进制数字");
      }
      return CheckText("calendar_years", r.calendar_years(), 20, /*required=*/true);
    }
    default:
      return absl::InternalError("ValidateCaseRequest was given a command of another kind");
  }
}

}  // namespace validation_internal
}  // namespace rectify::workflow

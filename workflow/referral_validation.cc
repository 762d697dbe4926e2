// Validation of the referral commands' requests (移送: propose, approve,
// send, review periods, filing decisions, reconsideration, supervision,
// withdrawal). Beside referrals.cc, which decides them; see validation.h for
// what validation checks and what it leaves to Decide.
#include <string>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "workflow/validation.h"
#include "workflow/validation_internal.h"

namespace rectify::workflow::validation_internal {
namespace {

absl::Status ValidateFilingDecision(v1::FilingDecision decision, const std::string& reason,
                                    const std::string& police_case_number, bool allow_returned) {
  if (decision != v1::FILING_DECISION_FILED && decision != v1::FILING_DECISION_DECLINED &&
      (!allow_returned || decision != v1::FILING_DECISION_RETURNED)) {
    return InvalidField(
        "decision",
        allow_returned ? "must be FILED, DECLINED or RETURNED" : "must be FILED or DECLINED",
        allow_returned ? "请选择立案、不予立案或退回" : "请选择立案或不予立案");
  }
  const bool filed = decision == v1::FILING_DECISION_FILED;
  RETURN_IF_ERROR(CheckText("reason", reason, kMaxTextChars, /*required=*/!filed));
  RETURN_IF_ERROR(CheckText("police_case_number", police_case_number, 100, /*required=*/filed));
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateReferralRequest(const v1::Command& command, const Policy& policy) {
  switch (command.request_case()) {
    case v1::Command::kProposeReferral: {
      const auto& r = command.propose_referral();
      RETURN_IF_ERROR(CheckCaseId(command, r.case_id()));
      RETURN_IF_ERROR(CheckText("suspected_offence", r.suspected_offence(), kMaxTitleChars, true));
      RETURN_IF_ERROR(CheckText("report", r.report(), kMaxTextChars, /*required=*/true));
      if (r.proposing_officers_size() < 2) {
        return InvalidField("proposing_officers", "a referral report needs two or more officers",
                            "移送须由两名以上执法人员提议");
      }
      if (r.proposing_officers_size() > 20)
        return InvalidField("proposing_officers", "at most 20", "最多 20 人");
      for (int i = 0; i < r.proposing_officers_size(); ++i) {
        RETURN_IF_ERROR(CheckId(absl::StrCat("proposing_officers[", i, "]"),
                                r.proposing_officers(i),
                                /*required=*/true));
        for (int j = 0; j < i; ++j) {
          if (r.proposing_officers(j) == r.proposing_officers(i)) {
            return InvalidField(absl::StrCat("proposing_officers[", i, "]"),
                                absl::StrCat("\"", r.proposing_officers(i), "\" is listed twice"),
                                absl::StrCat("“", r.proposing_officers(i), "”重复填写"));
          }
        }
      }
      if (r.documents_size() > kMaxEvidenceIds)
        return InvalidField("documents", "too many documents", "材料过多（最多 50 份）");
      for (int i = 0; i < r.documents_size(); ++i) {
        const v1::ReferralDocument& document = r.documents(i);
        if (document.kind() == v1::REFERRAL_DOCUMENT_KIND_UNSPECIFIED ||
            !v1::ReferralDocumentKind_IsValid(document.kind())) {
          return InvalidField(absl::StrCat("documents[", i, "].kind"),
                              "must be TRANSFER_LETTER, INVESTIGATION_REPORT, SEIZED_ITEMS_LIST, "
                              "MONITORING_REPORT, INSPECTION_RECORD or PHOTO_VIDEO",
                              "请从列表中选择");
        }
        RETURN_IF_ERROR(CheckId(absl::StrCat("documents[", i, "].evidence_id"),
                                document.evidence_id(),
                                /*required=*/true));
      }
      return absl::OkStatus();
    }
    case v1::Command::kApproveReferral: {
      const auto& r = command.approve_referral();
      RETURN_IF_ERROR(CheckCaseId(command, r.case_id()));
      RETURN_IF_ERROR(CheckId("referral_id", r.referral_id(), /*required=*/true));
      return CheckText("remark", r.remark(), kMaxNoteChars, /*required=*/false);
    }
    case v1::Command::kRefuseReferral: {
      const auto& r = command.refuse_referral();
      RETURN_IF_ERROR(CheckCaseId(command, r.case_id()));
      RETURN_IF_ERROR(CheckId("referral_id", r.referral_id(), /*required=*/true));
      return CheckText("reason", r.reason(), kMaxTextChars, /*required=*/true);
    }
    case v1::Command::kSendReferral: {
      const auto& r = command.send_referral();
      RETURN_IF_ERROR(CheckCaseId(command, r.case_id()));
      RETURN_IF_ERROR(CheckId("referral_id", r.referral_id(), /*required=*/true));
      RETURN_IF_ERROR(CheckId("police_unit", r.police_unit(), /*required=*/true));
      return CheckId("procuratorate_unit", r.procuratorate_unit(), /*required=*/true);
    }
    case v1::Command::kReceiveReferral: {
      const auto& r = command.receive_referral();
      RETURN_IF_ERROR(CheckCaseId(command, r.case_id()));
      return CheckId("referral_id", r.referral_id(), /*required=*/true);
    }
    case v1::Command::kExtendReferralReview: {
      const auto& r = command.extend_referral_review();
      RETURN_IF_ERROR(CheckCaseId(command, r.case_id()));
      RETURN_IF_ERROR(CheckId("referral_id", r.referral_id(), /*required=*/true));
      if (r.review_days() != policy.referral_review_check_days &&
          r.review_days() != policy.referral_review_long_days) {
        return InvalidField(
            "review_days",
            absl::StrCat("must be ", policy.referral_review_check_days,
                         " (clues need checking) or ", policy.referral_review_long_days,
                         " (complex case, approved first), got ", r.review_days()),
            absl::StrCat("须为 ", policy.referral_review_check_days, " 天（线索需要核实）或 ",
                         policy.referral_review_long_days, " 天（案情复杂，须经批准），所填为 ",
                         r.review_days()));
      }
      return CheckText("reason", r.reason(), kMaxTextChars, /*required=*/true);
    }
    case v1::Command::kApproveReviewExtension: {
      const auto& r = command.approve_review_extension();
      RETURN_IF_ERROR(CheckCaseId(command, r.case_id()));
      RETURN_IF_ERROR(CheckId("referral_id", r.referral_id(), /*required=*/true));
      if (r.review_days() != policy.referral_review_long_days) {
        return InvalidField(
            "review_days",
            absl::StrCat("must be ", policy.referral_review_long_days,
                         " (the period that needs approval), got ", r.review_days()),
            absl::StrCat("须为 ", policy.referral_review_long_days,
                         " 天（需批准的审查期限），所填为 ", r.review_days()));
      }
      return CheckText("remark", r.remark(), kMaxTextChars, /*required=*/false);
    }
    case v1::Command::kDecideReferral: {
      const auto& r = command.decide_referral();
      RETURN_IF_ERROR(CheckCaseId(command, r.case_id()));
      RETURN_IF_ERROR(CheckId("referral_id", r.referral_id(), /*required=*/true));
      return ValidateFilingDecision(r.decision(), r.reason(), r.police_case_number(), true);
    }
    case v1::Command::kRequestReconsideration: {
      const auto& r = command.request_reconsideration();
      RETURN_IF_ERROR(CheckCaseId(command, r.case_id()));
      RETURN_IF_ERROR(CheckId("referral_id", r.referral_id(), /*required=*/true));
      return CheckText("grounds", r.grounds(), kMaxTextChars, /*required=*/true);
    }
    case v1::Command::kDecideReconsideration: {
      const auto& r = command.decide_reconsideration();
      RETURN_IF_ERROR(CheckCaseId(command, r.case_id()));
      RETURN_IF_ERROR(CheckId("referral_id", r.referral_id(), /*required=*/true));
      return ValidateFilingDecision(r.decision(), r.reason(), r.police_case_number(), false);
    }
    case v1::Command::kRequestSupervision: {
      const auto& r = command.request_supervision();
      RETURN_IF_ERROR(CheckCaseId(command, r.case_id()));
      RETURN_IF_ERROR(CheckId("referral_id", r.referral_id(), /*required=*/true));
      return CheckText("grounds", r.grounds(), kMaxTextChars, /*required=*/true);
    }
    case v1::Command::kExplainNonFiling: {
      const auto& r = command.explain_non_filing();
      RETURN_IF_ERROR(CheckCaseId(command, r.case_id()));
      RETURN_IF_ERROR(CheckId("referral_id", r.referral_id(), /*required=*/true));
      return CheckText("explanation", r.explanation(), kMaxTextChars, /*required=*/true);
    }
    case v1::Command::kWithdrawReferral: {
      const auto& r = command.withdraw_referral();
      RETURN_IF_ERROR(CheckCaseId(command, r.case_id()));
      RETURN_IF_ERROR(CheckId("referral_id", r.referral_id(), /*required=*/true));
      return CheckText("reason", r.reason(), kMaxTextChars, /*required=*/true);
    }
    default:
      return absl::InternalError("ValidateReferralRequest was given a command of another kind");
  }
}

}  // namespace rectify::workflow::validation_internal

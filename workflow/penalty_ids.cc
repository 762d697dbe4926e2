// Penalty case ids ("P-<county>-<year>-<number>") and document numbers
// (文号), which commands and streams are a penalty case's, who may read one,
// and what is published of a decision; see penalties.h.
#include <algorithm>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/dates.h"
#include "base/proto_time.h"
#include "base/user_message.h"
#include "workflow/decider.h"
#include "workflow/penalties.h"
#include "workflow/validation.h"

namespace rectify::workflow {

bool IsPenaltyCommand(const v1::Command& command) {
  const int number = command.request_case();
  return number >= v1::Command::kOpenPenaltyCase && number <= v1::Command::kClosePenaltyCase;
}

bool IsPenaltyStreamId(absl::string_view stream_id) { return absl::StartsWith(stream_id, "P-"); }

const std::string& PenaltyCaseIdOf(const v1::Command& command) {
  static const std::string* const kEmpty = new std::string();
  switch (command.request_case()) {
#define RECTIFY_PENALTY_ID(field, Case) \
  case v1::Command::Case:               \
    return command.field().penalty_case_id();
    RECTIFY_PENALTY_ID(decide_penalty_filing, kDecidePenaltyFiling)
    RECTIFY_PENALTY_ID(extend_penalty_filing, kExtendPenaltyFiling)
    RECTIFY_PENALTY_ID(record_penalty_investigation, kRecordPenaltyInvestigation)
    RECTIFY_PENALTY_ID(serve_penalty_prior_notice, kServePenaltyPriorNotice)
    RECTIFY_PENALTY_ID(request_penalty_hearing, kRequestPenaltyHearing)
    RECTIFY_PENALTY_ID(schedule_penalty_hearing, kSchedulePenaltyHearing)
    RECTIFY_PENALTY_ID(record_penalty_hearing, kRecordPenaltyHearing)
    RECTIFY_PENALTY_ID(extend_penalty_decision_period, kExtendPenaltyDecisionPeriod)
    RECTIFY_PENALTY_ID(decide_penalty, kDecidePenalty)
    RECTIFY_PENALTY_ID(serve_penalty_decision, kServePenaltyDecision)
    RECTIFY_PENALTY_ID(record_penalty_payment, kRecordPenaltyPayment)
    RECTIFY_PENALTY_ID(record_penalty_remedy, kRecordPenaltyRemedy)
    RECTIFY_PENALTY_ID(decide_penalty_remedy, kDecidePenaltyRemedy)
    RECTIFY_PENALTY_ID(apply_compulsory_execution, kApplyCompulsoryExecution)
    RECTIFY_PENALTY_ID(publish_penalty, kPublishPenalty)
    RECTIFY_PENALTY_ID(issue_correction_order, kIssueCorrectionOrder)
    RECTIFY_PENALTY_ID(serve_correction_order, kServeCorrectionOrder)
    RECTIFY_PENALTY_ID(record_correction_recheck, kRecordCorrectionRecheck)
    RECTIFY_PENALTY_ID(close_penalty_case, kClosePenaltyCase)
#undef RECTIFY_PENALTY_ID
    default:
      return *kEmpty;
  }
}

std::string PenaltyCaseIdPrefix(absl::string_view region_code, absl::Time now) {
  return NumberPrefix(kPenaltyCaseNumbers, region_code, now);
}

absl::Status CheckPenaltyCaseId(absl::string_view field, absl::string_view id) {
  // P-620722-2026-0001
  bool ok = id.size() == 18 && absl::StartsWith(id, "P-") && id[8] == '-' && id[13] == '-';
  for (size_t i = 2; ok && i < id.size(); ++i) {
    if (i == 8 || i == 13) continue;
    ok = id[i] >= '0' && id[i] <= '9';
  }
  if (!ok) {
    return InvalidField(field, "must be a penalty case id like P-620722-2026-0001",
                        "格式应为 P-620722-2026-0001");
  }
  return absl::OkStatus();
}

std::string PenaltyDocumentNumber(absl::string_view prefix, int year, int64_t sequence) {
  return absl::StrCat(prefix, "〔", year, "〕", sequence, "号");
}

int PenaltyDocumentYear(absl::Time now) {
  return static_cast<int>(absl::ToCivilDay(now, ChinaTimeZone()).year());
}

bool UsesDocumentNumber(const v1::Command& command) {
  return command.has_decide_penalty() ||
         (command.has_record_correction_recheck() &&
          command.record_correction_recheck().result() == v1::RECHECK_RESULT_CONTINUING);
}

absl::Status CheckCanReadPenalty(const v1::Principal& principal, const v1::PenaltyCase& penalty) {
  const absl::Status denied =
      ::rectify::Refuse(absl::StatusCode::kPermissionDenied,
                        absl::StrCat(principal.principal_id(), " may not read penalty case ",
                                     penalty.penalty_case_id()),
                        absl::StrCat("您无权查看处罚案件 ", penalty.penalty_case_id()));
  switch (principal.role()) {
    case v1::ROLE_SYSTEM:
      return absl::OkStatus();
    case v1::ROLE_SUPERVISOR:
    case v1::ROLE_INSPECTOR:
    case v1::ROLE_BUREAU_HEAD:
    case v1::ROLE_AUDITOR:
      return InJurisdiction(penalty.region_code(), principal.jurisdiction()) ? absl::OkStatus()
                                                                             : denied;
    case v1::ROLE_RECTIFIER:
      return InJurisdiction(penalty.region_code(), principal.jurisdiction()) &&
                     !penalty.responsible_unit().empty() &&
                     penalty.responsible_unit() == principal.unit_id()
                 ? absl::OkStatus()
                 : denied;
    case v1::ROLE_POLICE:
    case v1::ROLE_PROCURATOR:
      return InJurisdiction(penalty.region_code(), principal.jurisdiction()) &&
                     !penalty.source_referral_id().empty()
                 ? absl::OkStatus()
                 : denied;
    default:
      return denied;
  }
}

v1::PenaltyPublicationEntry PublicationEntry(const v1::PenaltyCase& penalty,
                                             const v1::PenaltyDecision& decision,
                                             absl::Time as_of) {
  v1::PenaltyPublicationEntry entry;
  entry.set_penalty_case_id(penalty.penalty_case_id());
  entry.set_decision_id(decision.decision_id());
  entry.set_kind(decision.kind());
  entry.set_document_number(decision.document_number());
  const std::string& name = penalty.subject().name();
  const std::string& code = penalty.subject().unified_social_credit_code();
  if (code.empty()) {
    // A natural person: the surname (the first character) and 某.
    size_t first = 0;
    if (!name.empty()) {
      const unsigned char lead = static_cast<unsigned char>(name[0]);
      first = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
      first = std::min(first, name.size());
    }
    entry.set_subject_name(absl::StrCat(name.substr(0, first), "某"));
  } else {
    entry.set_subject_name(name);
    entry.set_unified_social_credit_code(code);
  }
  // Trade secrets the bureau marked 【…】 are removed.
  std::string facts;
  absl::string_view rest = decision.facts();
  while (true) {
    const size_t open = rest.find("【");
    if (open == absl::string_view::npos) break;
    const size_t close = rest.find("】", open);
    if (close == absl::string_view::npos) break;
    absl::StrAppend(&facts, rest.substr(0, open), "（涉及商业秘密，已删除）");
    rest.remove_prefix(close + std::string("】").size());
  }
  absl::StrAppend(&facts, rest);
  entry.set_facts_summary(facts);
  entry.set_legal_basis(decision.legal_basis());
  *entry.mutable_terms() = decision.terms();
  entry.set_decision_date(
      IsoDate(absl::ToCivilDay(ToTime(decision.decided_at()), ChinaTimeZone())));
  *entry.mutable_publication_due_at() = decision.publication_due_at();
  if (decision.has_published_at()) *entry.mutable_published_at() = decision.published_at();
  const bool has_due = decision.has_publication_due_at();
  entry.set_late(has_due &&
                 (decision.has_published_at()
                      ? ToTime(decision.published_at()) >= ToTime(decision.publication_due_at())
                      : as_of >= ToTime(decision.publication_due_at())));
  return entry;
}

}  // namespace rectify::workflow

// The penalty case decider's entry (see penalties.h): DecidePenalty checks
// what every command carries and routes it to its step, and the lookups and
// checks the steps share (terms, officers). The steps are in
// penalty_proceedings.cc, penalty_money.cc and penalty_orders.cc (declared in
// penalty_internal.h), the fold in penalty_evolve.cc, the money and clocks in
// penalty_amounts.cc, ids, access and publication in penalty_ids.cc.
#include "workflow/penalties.h"

#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/user_message.h"
#include "workflow/penalty_internal.h"
#include "workflow/validation.h"

namespace rectify::workflow {
namespace penalty_internal {

std::string StatusName(v1::PenaltyStatus status) {
  std::string name = v1::PenaltyStatus_Name(status);
  return name.substr(std::string("PENALTY_STATUS_").size());
}

const v1::PenaltyDecision* FindDecision(const v1::PenaltyCase& state,
                                        absl::string_view decision_id) {
  for (const v1::PenaltyDecision& decision : state.decisions()) {
    if (decision.decision_id() == decision_id) return &decision;
  }
  return nullptr;
}
const v1::CorrectionOrder* FindOrder(const v1::PenaltyCase& state, absl::string_view order_id) {
  for (const v1::CorrectionOrder& order : state.orders()) {
    if (order.order_id() == order_id) return &order;
  }
  return nullptr;
}
absl::StatusOr<const v1::PenaltyDecision*> GetDecision(const Context& context,
                                                       absl::string_view decision_id) {
  const v1::PenaltyDecision* decision = FindDecision(context.state(), decision_id);
  if (decision == nullptr) {
    return ::rectify::Refuse(
        absl::StatusCode::kNotFound,
        absl::StrCat("penalty case ", context.id(), " has no decision ", decision_id),
        absl::StrCat("处罚案件 ", context.id(), " 没有决定 ", decision_id));
  }
  return decision;
}
absl::StatusOr<const v1::CorrectionOrder*> GetOrder(const Context& context,
                                                    absl::string_view order_id) {
  const v1::CorrectionOrder* order = FindOrder(context.state(), order_id);
  if (order == nullptr) {
    return ::rectify::Refuse(
        absl::StatusCode::kNotFound,
        absl::StrCat("penalty case ", context.id(), " has no order ", order_id),
        absl::StrCat("处罚案件 ", context.id(), " 没有责令改正 ", order_id));
  }
  return order;
}
const v1::PenaltyDecision* OriginalDecision(const v1::PenaltyCase& state) {
  for (const v1::PenaltyDecision& decision : state.decisions()) {
    if (decision.kind() == v1::PENALTY_DECISION_KIND_ORIGINAL) return &decision;
  }
  return nullptr;
}
bool OrderOpen(const v1::CorrectionOrder& order) {
  return order.state() == v1::CORRECTION_ORDER_STATE_ISSUED ||
         order.state() == v1::CORRECTION_ORDER_STATE_SERVED;
}
bool HasPendingRemedy(const v1::PenaltyDecision& decision) {
  for (const v1::PenaltyRemedy& remedy : decision.remedies()) {
    if (remedy.outcome() == v1::REMEDY_OUTCOME_PENDING) return true;
  }
  return false;
}

absl::Status CheckTerms(absl::string_view field, const v1::PenaltyTerms& terms) {
  const std::string kinds_field = absl::StrCat(field, ".kinds");
  if (terms.kinds().empty()) {
    return InvalidField(kinds_field, "name at least one penalty kind", "请至少选择一种处罚种类");
  }
  std::set<int> seen;
  bool fine = false;
  bool confiscation = false;
  for (int i = 0; i < terms.kinds_size(); ++i) {
    const v1::PenaltyKind kind = terms.kinds(i);
    const std::string item = absl::StrCat(kinds_field, "[", i, "]");
    if (kind == v1::PENALTY_KIND_UNSPECIFIED || !v1::PenaltyKind_IsValid(kind)) {
      return InvalidField(item,
                          "must be WARNING, FINE, CONFISCATION, STOP_PRODUCTION or "
                          "LICENCE_REVOKED",
                          "须为警告、罚款、没收、责令停产停业或吊销许可证件");
    }
    if (!seen.insert(kind).second) {
      return InvalidField(item, "names a kind twice", "处罚种类重复");
    }
    fine |= kind == v1::PENALTY_KIND_FINE;
    confiscation |= kind == v1::PENALTY_KIND_CONFISCATION;
  }
  const std::string fine_field = absl::StrCat(field, ".fine_fen");
  if (fine && (terms.fine_fen() < 1 || terms.fine_fen() > kMaxFineFen)) {
    return InvalidField(fine_field, absl::StrCat("a fine must be 1 to ", kMaxFineFen, " fen"),
                        "罚款金额须大于0且不超过10亿元");
  }
  if (!fine && terms.fine_fen() != 0) {
    return InvalidField(fine_field, "is set without the kind FINE",
                        "未选择罚款种类时不能填写罚款金额");
  }
  RETURN_IF_ERROR(CheckText(absl::StrCat(field, ".confiscation"), terms.confiscation(),
                            kMaxShortText, confiscation));
  return absl::OkStatus();
}

// OK when `officers` are two or more distinct INSPECTORs of the case's
// region found in the registry (command.named_principals), the caller
// among them.
absl::Status CheckOfficers(const Context& context, absl::string_view field,
                           const google::protobuf::RepeatedPtrField<std::string>& officers) {
  std::set<std::string> distinct(officers.begin(), officers.end());
  if (distinct.size() < 2 || distinct.size() != static_cast<size_t>(officers.size())) {
    return InvalidField(field, "needs two or more distinct officers (enforcement credentials)",
                        "须有两名以上不同的持证执法人员");
  }
  if (distinct.count(context.principal().principal_id()) == 0) {
    return InvalidField(field, "must include the caller", "须包括您本人");
  }
  for (const std::string& officer : distinct) {
    const v1::Principal* found = nullptr;
    for (const v1::Principal& named : context.command().named_principals()) {
      if (named.principal_id() == officer) found = &named;
    }
    if (found == nullptr || found->role() != v1::ROLE_INSPECTOR ||
        !InJurisdiction(context.state().region_code(), found->jurisdiction())) {
      return InvalidField(field, absl::StrCat(officer, " is not an INSPECTOR of the case's region"),
                          absl::StrCat(officer, " 不是本辖区的执法人员"));
    }
  }
  return absl::OkStatus();
}

std::string Id(absl::string_view stem, int n) { return absl::StrCat(stem, "-", n); }

}  // namespace penalty_internal

using penalty_internal::Context;
using penalty_internal::DecideClose;
using penalty_internal::DecideDecision;
using penalty_internal::DecideExecution;
using penalty_internal::DecideExtendDecision;
using penalty_internal::DecideExtendFiling;
using penalty_internal::DecideFiling;
using penalty_internal::DecideHoldHearing;
using penalty_internal::DecideInvestigation;
using penalty_internal::DecideIssueOrder;
using penalty_internal::DecideMarkOverdue;
using penalty_internal::DecideOpen;
using penalty_internal::DecidePayment;
using penalty_internal::DecidePriorNotice;
using penalty_internal::DecidePublish;
using penalty_internal::DecideRecheck;
using penalty_internal::DecideRecount;
using penalty_internal::DecideRemedy;
using penalty_internal::DecideRemedyOutcome;
using penalty_internal::DecideRequestHearing;
using penalty_internal::DecideScheduleHearing;
using penalty_internal::DecideServeDecision;
using penalty_internal::DecideServeOrder;

absl::StatusOr<PenaltyOutcome> DecidePenalty(const v1::PenaltyCase& state,
                                             const v1::Command& command,
                                             const v1::Principal& principal, absl::Time now,
                                             const Policy& policy, const PenaltyFacts& facts) {
  RETURN_IF_ERROR(CheckId("command_id", command.command_id(), true));
  if (command.has_occurred_at()) {
    RETURN_IF_ERROR(CheckTimestamp("occurred_at", command.occurred_at()));
  }
  Context context(state, command, principal, now, policy, facts);
  if (command.has_open_penalty_case()) {
    if (state.version() != 0) {
      return absl::AlreadyExistsError(
          absl::StrCat("penalty case ", state.penalty_case_id(), " exists already"));
    }
    RETURN_IF_ERROR(DecideOpen(context));
    return context.Take();
  }
  if (state.version() == 0) {
    return ::rectify::Refuse(absl::StatusCode::kNotFound,
                             absl::StrCat("penalty case ", command.stream_id(), " does not exist"),
                             absl::StrCat("处罚案件 ", command.stream_id(), " 不存在"));
  }
  const bool ended =
      state.status() == v1::PENALTY_STATUS_CLOSED || state.status() == v1::PENALTY_STATUS_NOT_FILED;
  absl::Status decided;
  switch (command.request_case()) {
    case v1::Command::kMarkOverdue:
      decided = DecideMarkOverdue(context);
      break;
    case v1::Command::kRecountDeadline:
      decided = DecideRecount(context);
      break;
    default:
      if (ended) {
        return context.Refuse("it has ended", "案件已办结，不能再办理");
      }
      switch (command.request_case()) {
        case v1::Command::kDecidePenaltyFiling:
          decided = DecideFiling(context);
          break;
        case v1::Command::kExtendPenaltyFiling:
          decided = DecideExtendFiling(context);
          break;
        case v1::Command::kRecordPenaltyInvestigation:
          decided = DecideInvestigation(context);
          break;
        case v1::Command::kServePenaltyPriorNotice:
          decided = DecidePriorNotice(context);
          break;
        case v1::Command::kRequestPenaltyHearing:
          decided = DecideRequestHearing(context);
          break;
        case v1::Command::kSchedulePenaltyHearing:
          decided = DecideScheduleHearing(context);
          break;
        case v1::Command::kRecordPenaltyHearing:
          decided = DecideHoldHearing(context);
          break;
        case v1::Command::kExtendPenaltyDecisionPeriod:
          decided = DecideExtendDecision(context);
          break;
        case v1::Command::kDecidePenalty:
          decided = DecideDecision(context);
          break;
        case v1::Command::kServePenaltyDecision:
          decided = DecideServeDecision(context);
          break;
        case v1::Command::kRecordPenaltyPayment:
          decided = DecidePayment(context);
          break;
        case v1::Command::kRecordPenaltyRemedy:
          decided = DecideRemedy(context);
          break;
        case v1::Command::kDecidePenaltyRemedy:
          decided = DecideRemedyOutcome(context);
          break;
        case v1::Command::kApplyCompulsoryExecution:
          decided = DecideExecution(context);
          break;
        case v1::Command::kPublishPenalty:
          decided = DecidePublish(context);
          break;
        case v1::Command::kIssueCorrectionOrder:
          decided = DecideIssueOrder(context);
          break;
        case v1::Command::kServeCorrectionOrder:
          decided = DecideServeOrder(context);
          break;
        case v1::Command::kRecordCorrectionRecheck:
          decided = DecideRecheck(context);
          break;
        case v1::Command::kClosePenaltyCase:
          decided = DecideClose(context);
          break;
        default:
          return absl::InvalidArgumentError("not a penalty case command");
      }
  }
  RETURN_IF_ERROR(decided);
  return context.Take();
}

}  // namespace rectify::workflow

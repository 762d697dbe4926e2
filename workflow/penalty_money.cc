// The penalty case's money and after-decision steps: the payment (fine and
// late surcharge), remedies (复议, 诉讼) and their outcome, compulsory
// execution, publication; see penalty_internal.h. The amounts themselves are
// penalty_amounts.cc's.
#include <algorithm>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "workflow/penalty_internal.h"

namespace rectify::workflow::penalty_internal {

absl::Status DecidePayment(Context& context) {
  const v1::RecordPenaltyPaymentRequest& request = context.command().record_penalty_payment();
  if (request.fine_fen() < 0 || request.fine_fen() > kMaxFineFen) {
    return InvalidField("fine_fen", "must be 0 or more (fen)", "金额不能为负数");
  }
  if (request.surcharge_fen() < 0 || request.surcharge_fen() > kMaxFineFen) {
    return InvalidField("surcharge_fen", "must be 0 or more (fen)", "金额不能为负数");
  }
  if (request.fine_fen() + request.surcharge_fen() == 0) {
    return InvalidField("fine_fen", "a payment pays something", "缴款金额不能为0");
  }
  RETURN_IF_ERROR(context.RequireRole({v1::ROLE_SUPERVISOR}, "record a payment", "登记缴款"));
  ASSIGN_OR_RETURN(const v1::PenaltyDecision* decision,
                   ServedDecision(context, request.decision_id()));
  if (decision->settled()) {
    return context.Refuse(absl::StrCat("decision ", decision->decision_id(), " is paid in full"),
                          absl::StrCat("处罚决定 ", decision->document_number(), " 已全部缴清"));
  }
  ASSIGN_OR_RETURN(const absl::Time paid,
                   context.When("paid_at", request.has_paid_at(), request.paid_at(),
                                ToTime(decision->served_at())));
  const int64_t fine = EffectiveFine(*decision);
  const int64_t fine_unpaid = fine - decision->fine_paid_fen();
  if (request.fine_fen() > fine_unpaid) {
    return InvalidField("fine_fen",
                        absl::StrCat("is more than the ", fine_unpaid, " fen of the fine unpaid"),
                        absl::StrFormat("超过未缴罚款（%d 分）", fine_unpaid));
  }
  // The surcharge owed is judged at the payment on the fine unpaid before
  // it; once the fine is paid the surcharge stops growing.
  const int days_late =
      decision->has_payment_due_at() ? DaysLate(ToTime(decision->payment_due_at()), paid) : 0;
  const int64_t owed_total =
      decision->fine_paid_fen() >= fine
          ? decision->surcharge_owed_fen()
          : std::max(LateSurcharge(fine, days_late), decision->surcharge_owed_fen());
  const int64_t surcharge_unpaid = owed_total - decision->surcharge_paid_fen();
  if (request.surcharge_fen() > surcharge_unpaid) {
    return InvalidField(
        "surcharge_fen",
        absl::StrCat("is more than the ", surcharge_unpaid, " fen of late surcharge owed"),
        absl::StrFormat("超过应缴加处罚款（%d 分）", surcharge_unpaid));
  }
  const bool fine_done = request.fine_fen() == fine_unpaid;
  const bool settled = fine_done && request.surcharge_fen() == surcharge_unpaid;
  const std::string id = decision->decision_id();
  RETURN_IF_ERROR(context.Add([&](v1::Event& event) {
    v1::PenaltyPaymentRecorded& payment = *event.mutable_penalty_payment_recorded();
    payment.set_decision_id(id);
    payment.set_fine_fen(request.fine_fen());
    payment.set_surcharge_fen(request.surcharge_fen());
    *payment.mutable_paid_at() = ToProto(paid);
    payment.set_surcharge_owed_fen(owed_total);
    payment.set_settled(settled);
  }));
  if (fine_done) RETURN_IF_ERROR(context.EndDeadline(absl::StrCat(id, "-payment"), false));
  if (settled) RETURN_IF_ERROR(context.EndDeadline(absl::StrCat(id, "-execution"), true));
  return absl::OkStatus();
}

absl::Status DecideRemedy(Context& context) {
  const v1::RecordPenaltyRemedyRequest& request = context.command().record_penalty_remedy();
  if (request.kind() != v1::REMEDY_KIND_RECONSIDERATION &&
      request.kind() != v1::REMEDY_KIND_LAWSUIT) {
    return InvalidField("record_penalty_remedy.kind", "must be RECONSIDERATION or LAWSUIT",
                        "须为行政复议或行政诉讼");
  }
  RETURN_IF_ERROR(CheckText("body", request.body(), kMaxNameText, true));
  RETURN_IF_ERROR(context.RequireRole({v1::ROLE_SUPERVISOR}, "record a remedy", "登记复议或诉讼"));
  ASSIGN_OR_RETURN(const v1::PenaltyDecision* decision,
                   ServedDecision(context, request.decision_id()));
  for (const v1::PenaltyRemedy& remedy : decision->remedies()) {
    if (remedy.kind() == request.kind() && remedy.outcome() == v1::REMEDY_OUTCOME_PENDING) {
      return context.Refuse("the same remedy is pending already", "同一救济途径尚在审理中");
    }
  }
  ASSIGN_OR_RETURN(const absl::Time filed,
                   context.When("filed_at", request.has_filed_at(), request.filed_at(),
                                ToTime(decision->served_at())));
  const std::string window_id = absl::StrCat(
      decision->decision_id(),
      request.kind() == v1::REMEDY_KIND_RECONSIDERATION ? "-reconsideration" : "-lawsuit");
  const v1::Deadline* window = context.FindDeadline(window_id);
  const bool late = window != nullptr && filed >= ToTime(window->due_at());
  const std::string id = decision->decision_id();
  RETURN_IF_ERROR(context.Add([&](v1::Event& event) {
    v1::PenaltyRemedyFiled& remedy_event = *event.mutable_penalty_remedy_filed();
    remedy_event.set_decision_id(id);
    v1::PenaltyRemedy& remedy = *remedy_event.mutable_remedy();
    remedy.set_kind(request.kind());
    *remedy.mutable_filed_at() = ToProto(filed);
    remedy.set_body(request.body());
    remedy.set_outcome(v1::REMEDY_OUTCOME_PENDING);
    remedy.set_late(late);
  }));
  return context.EndDeadline(window_id, false);
}

absl::Status DecideRemedyOutcome(Context& context) {
  const v1::DecidePenaltyRemedyRequest& request = context.command().decide_penalty_remedy();
  if (request.kind() != v1::REMEDY_KIND_RECONSIDERATION &&
      request.kind() != v1::REMEDY_KIND_LAWSUIT) {
    return InvalidField("decide_penalty_remedy.kind", "must be RECONSIDERATION or LAWSUIT",
                        "须为行政复议或行政诉讼");
  }
  if (request.outcome() != v1::REMEDY_OUTCOME_UPHELD &&
      request.outcome() != v1::REMEDY_OUTCOME_REVOKED &&
      request.outcome() != v1::REMEDY_OUTCOME_CHANGED &&
      request.outcome() != v1::REMEDY_OUTCOME_WITHDRAWN) {
    return InvalidField("decide_penalty_remedy.outcome",
                        "must be UPHELD, REVOKED, CHANGED or WITHDRAWN",
                        "须为维持、撤销、变更或撤回");
  }
  if (request.outcome() == v1::REMEDY_OUTCOME_CHANGED
          ? (request.changed_fine_fen() < 0 || request.changed_fine_fen() > kMaxFineFen)
          : request.changed_fine_fen() != 0) {
    return InvalidField("changed_fine_fen", "is the changed fine, only with CHANGED",
                        "仅在变更时填写变更后的罚款金额");
  }
  RETURN_IF_ERROR(CheckText("remark", request.remark(), kMaxShortText, false));
  RETURN_IF_ERROR(context.RequireRole({v1::ROLE_SUPERVISOR}, "record a remedy's outcome",
                                      "登记复议或诉讼结果"));
  ASSIGN_OR_RETURN(const v1::PenaltyDecision* decision,
                   ServedDecision(context, request.decision_id()));
  bool pending = false;
  for (const v1::PenaltyRemedy& remedy : decision->remedies()) {
    pending |= remedy.kind() == request.kind() && remedy.outcome() == v1::REMEDY_OUTCOME_PENDING;
  }
  if (!pending)
    return context.Refuse("no such remedy is pending", "没有尚在审理中的该项复议或诉讼");
  // A remedy never makes the penalty heavier (Administrative Reconsideration
  // Law art. 63, Administrative Litigation Law art. 77).
  if (request.outcome() == v1::REMEDY_OUTCOME_CHANGED &&
      request.changed_fine_fen() > EffectiveFine(*decision)) {
    return InvalidField(
        "changed_fine_fen",
        absl::StrCat("is more than the ", EffectiveFine(*decision),
                     " fen fine in force; a remedy never makes the penalty heavier"),
        absl::StrFormat("不能高于现行罚款（%d 分），复议或诉讼不得加重处罚",
                        EffectiveFine(*decision)));
  }
  const std::string id = decision->decision_id();
  RETURN_IF_ERROR(context.Add([&](v1::Event& event) {
    v1::PenaltyRemedyDecided& decided = *event.mutable_penalty_remedy_decided();
    decided.set_decision_id(id);
    decided.set_kind(request.kind());
    decided.set_outcome(request.outcome());
    decided.set_changed_fine_fen(request.changed_fine_fen());
    decided.set_remark(request.remark());
  }));
  if (request.outcome() == v1::REMEDY_OUTCOME_REVOKED) {
    for (const char* suffix : {"-payment", "-execution", "-reconsideration", "-lawsuit"}) {
      RETURN_IF_ERROR(context.EndDeadline(absl::StrCat(id, suffix), true));
    }
  }
  return absl::OkStatus();
}

absl::Status DecideExecution(Context& context) {
  const v1::ApplyCompulsoryExecutionRequest& request =
      context.command().apply_compulsory_execution();
  RETURN_IF_ERROR(CheckText("court", request.court(), kMaxNameText, true));
  RETURN_IF_ERROR(context.RequireRole({v1::ROLE_BUREAU_HEAD}, "apply for compulsory execution",
                                      "申请法院强制执行"));
  ASSIGN_OR_RETURN(const v1::PenaltyDecision* decision,
                   ServedDecision(context, request.decision_id()));
  if (decision->settled() || EffectiveFine(*decision) == 0) {
    return context.Refuse("the decision owes nothing", "该处罚决定没有未缴款项");
  }
  if (decision->has_execution_applied_at()) {
    return context.Refuse("compulsory execution was applied for already", "已经申请强制执行");
  }
  if (HasPendingRemedy(*decision)) {
    return context.Refuse("a reconsideration or lawsuit is pending",
                          "复议或诉讼尚在进行中，不能申请强制执行");
  }
  const std::string id = decision->decision_id();
  for (const char* suffix : {"-reconsideration", "-lawsuit"}) {
    const v1::Deadline* window = context.FindDeadline(absl::StrCat(id, suffix));
    if (window != nullptr && window->state() == v1::DEADLINE_STATE_OPEN &&
        context.now() < ToTime(window->due_at())) {
      return context.Refuse(absl::StrCat("the party may still seek a remedy until ",
                                         DeadlineIso(ToTime(window->due_at()))),
                            absl::StrCat("当事人申请复议或提起诉讼的期限（至 ",
                                         DeadlineChinese(ToTime(window->due_at())), "）尚未届满"));
    }
  }
  const v1::Deadline* execution = context.FindDeadline(absl::StrCat(id, "-execution"));
  const bool late = execution != nullptr && context.now() >= ToTime(execution->due_at());
  RETURN_IF_ERROR(context.Add([&](v1::Event& event) {
    v1::PenaltyExecutionApplied& applied = *event.mutable_penalty_execution_applied();
    applied.set_decision_id(id);
    applied.set_court(request.court());
    applied.set_late(late);
  }));
  return context.EndDeadline(absl::StrCat(id, "-execution"), false);
}

absl::Status DecidePublish(Context& context) {
  const v1::PublishPenaltyRequest& request = context.command().publish_penalty();
  RETURN_IF_ERROR(CheckId("decision_id", request.decision_id(), true));
  RETURN_IF_ERROR(context.RequireRole({v1::ROLE_SUPERVISOR}, "publish a decision", "公开处罚决定"));
  ASSIGN_OR_RETURN(const v1::PenaltyDecision* decision,
                   GetDecision(context, request.decision_id()));
  if (decision->has_published_at()) {
    return context.Refuse("the decision was published already", "该处罚决定已经公开");
  }
  const bool late =
      decision->has_publication_due_at() && context.now() >= ToTime(decision->publication_due_at());
  const std::string id = decision->decision_id();
  RETURN_IF_ERROR(context.Add([&](v1::Event& event) {
    event.mutable_penalty_published()->set_decision_id(id);
    event.mutable_penalty_published()->set_late(late);
  }));
  return context.EndDeadline(absl::StrCat(id, "-publication"), false);
}

}  // namespace rectify::workflow::penalty_internal

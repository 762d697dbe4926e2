// The penalty case's correction orders (责令改正) and their recheck with the
// daily penalty, closing the case, and the scheduler's MarkOverdue and
// RecountDeadline on it; see penalty_internal.h.
#include <algorithm>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "workflow/penalty_internal.h"

namespace rectify::workflow::penalty_internal {

namespace {

absl::Status IssueOrder(Context& context, const std::string& requirements,
                        const google::protobuf::Timestamp& correct_by,
                        const std::string& previous_order_id) {
  v1::CorrectionOrder order;
  order.set_order_id(Id("o", context.state().orders_size() + 1));
  order.set_requirements(requirements);
  *order.mutable_correct_by() = correct_by;
  order.set_state(v1::CORRECTION_ORDER_STATE_ISSUED);
  *order.mutable_issued_by() = ActorOf(context.principal());
  *order.mutable_issued_at() = ToProto(context.now());
  order.set_previous_order_id(previous_order_id);
  const std::string id = order.order_id();
  RETURN_IF_ERROR(context.Add([&](v1::Event& event) {
    *event.mutable_correction_order_issued()->mutable_order() = order;
  }));
  ComputedDeadline fixed;
  fixed.due_at = ToTime(correct_by);
  fixed.rule.set_unit(v1::DEADLINE_UNIT_FIXED);
  fixed.rule.set_basis("责令改正决定书");
  return context.AddDeadline(v1::DEADLINE_KIND_CORRECTION_DEADLINE, absl::StrCat(id, "-correct"),
                             fixed);
}

}  // namespace

absl::Status DecideIssueOrder(Context& context) {
  const v1::IssueCorrectionOrderRequest& request = context.command().issue_correction_order();
  RETURN_IF_ERROR(CheckText("requirements", request.requirements(), kMaxText, true));
  if (!request.has_correct_by()) return InvalidField("correct_by", "is required", "必填");
  RETURN_IF_ERROR(CheckDueAfter("correct_by", request.correct_by(), context.now()));
  RETURN_IF_ERROR(context.RequireRole({v1::ROLE_SUPERVISOR}, "issue an order to correct",
                                      "下达责令改正决定书"));
  RETURN_IF_ERROR(context.RequireStatus(
      {v1::PENALTY_STATUS_FILED, v1::PENALTY_STATUS_INVESTIGATED, v1::PENALTY_STATUS_NOTIFIED,
       v1::PENALTY_STATUS_HEARING, v1::PENALTY_STATUS_DECIDED, v1::PENALTY_STATUS_SERVED},
      "be given an order to correct", "下达责令改正决定书"));
  for (const v1::CorrectionOrder& order : context.state().orders()) {
    if (OrderOpen(order)) {
      return context.Refuse(absl::StrCat("order ", order.order_id(), " is still open"),
                            absl::StrCat("责令改正 ", order.order_id(), " 尚未复查终结"));
    }
  }
  return IssueOrder(context, request.requirements(), request.correct_by(), "");
}

absl::Status DecideServeOrder(Context& context) {
  const v1::ServeCorrectionOrderRequest& request = context.command().serve_correction_order();
  RETURN_IF_ERROR(CheckId("order_id", request.order_id(), true));
  RETURN_IF_ERROR(context.RequireRole({v1::ROLE_SUPERVISOR}, "serve an order to correct",
                                      "送达责令改正决定书"));
  ASSIGN_OR_RETURN(const v1::CorrectionOrder* order, GetOrder(context, request.order_id()));
  if (order->state() != v1::CORRECTION_ORDER_STATE_ISSUED) {
    return context.Refuse(absl::StrCat("order ", order->order_id(), " is not waiting for service"),
                          absl::StrCat("责令改正 ", order->order_id(), " 不是待送达状态"));
  }
  ASSIGN_OR_RETURN(const absl::Time served,
                   context.When("served_at", request.has_served_at(), request.served_at(),
                                ToTime(order->issued_at())));
  ComputedDeadline recheck;
  recheck.due_at = served;
  const bool rechecks = context.policy().deadline(v1::DEADLINE_KIND_CORRECTION_RECHECK).enabled;
  if (rechecks) {
    ASSIGN_OR_RETURN(
        recheck, ComputeDeadline(context.policy(), v1::DEADLINE_KIND_CORRECTION_RECHECK, served));
  }
  const std::string id = order->order_id();
  RETURN_IF_ERROR(context.Add([&](v1::Event& event) {
    v1::CorrectionOrderServed& served_event = *event.mutable_correction_order_served();
    served_event.set_order_id(id);
    *served_event.mutable_served_at() = ToProto(served);
    if (rechecks) *served_event.mutable_recheck_due_at() = ToProto(recheck.due_at);
  }));
  if (rechecks) {
    RETURN_IF_ERROR(context.AddDeadline(v1::DEADLINE_KIND_CORRECTION_RECHECK,
                                        absl::StrCat(id, "-recheck"), recheck));
  }
  return absl::OkStatus();
}

absl::Status DecideRecheck(Context& context) {
  const v1::RecordCorrectionRecheckRequest& request = context.command().record_correction_recheck();
  RETURN_IF_ERROR(CheckId("order_id", request.order_id(), true));
  if (request.result() != v1::RECHECK_RESULT_CORRECTED &&
      request.result() != v1::RECHECK_RESULT_CONTINUING) {
    return InvalidField("record_correction_recheck.result", "must be CORRECTED or CONTINUING",
                        "须为已改正或仍在继续违法");
  }
  RETURN_IF_ERROR(
      CheckText("record_correction_recheck.findings", request.findings(), kMaxText, true));
  RETURN_IF_ERROR(
      CheckText("daily_legal_basis", request.daily_legal_basis(), kMaxShortText, false));
  const bool continuing = request.result() == v1::RECHECK_RESULT_CONTINUING;
  if (continuing) {
    if (!request.has_next_correct_by()) {
      return InvalidField("next_correct_by", "is required when the violation continues",
                          "仍在继续违法时须填写新的改正期限");
    }
    RETURN_IF_ERROR(CheckDueAfter("next_correct_by", request.next_correct_by(), context.now()));
  }
  RETURN_IF_ERROR(context.RequireRole({v1::ROLE_INSPECTOR}, "record a recheck", "记录复查"));
  RETURN_IF_ERROR(CheckOfficers(context, "officers", request.officers()));
  ASSIGN_OR_RETURN(const v1::CorrectionOrder* order, GetOrder(context, request.order_id()));
  if (order->state() != v1::CORRECTION_ORDER_STATE_SERVED) {
    return context.Refuse(
        absl::StrCat("order ", order->order_id(), " is not served and waiting for its recheck"),
        absl::StrCat("责令改正 ", order->order_id(), " 不是已送达待复查状态"));
  }
  const absl::Time served = ToTime(order->served_at());
  ASSIGN_OR_RETURN(
      const absl::Time rechecked,
      context.When("rechecked_at", request.has_rechecked_at(), request.rechecked_at(), served));
  const v1::PenaltyDecision* original = OriginalDecision(context.state());
  int days = 0;
  int64_t amount = 0;
  if (continuing) {
    if (original == nullptr || original->revoked() || original->terms().fine_fen() == 0) {
      return context.Refuse(
          "a daily penalty multiplies the original fine, and this case has no fine decided",
          "按日连续处罚以原处罚决定的罚款数额按日计罚，本案尚无有效的罚款决定");
    }
    days = DailyPenaltyDays(served, rechecked);
    if (days < 1) {
      return InvalidField("rechecked_at",
                          "a recheck finding the violation continuing is on a day after the "
                          "order's service",
                          "认定仍在继续违法的复查须在责令改正决定书送达之后的日期");
    }
    ASSIGN_OR_RETURN(amount, DailyPenaltyAmount(original->terms().fine_fen(), days));
  }
  const std::string order_id = order->order_id();
  const std::string daily_id = continuing ? Id("d", context.state().decisions_size() + 1) : "";
  const std::string next_order_id = continuing ? Id("o", context.state().orders_size() + 1) : "";
  const std::string first_day = IsoDate(absl::ToCivilDay(served, ChinaTimeZone()) + 1);
  const std::string last_day = IsoDate(absl::ToCivilDay(rechecked, ChinaTimeZone()));
  const std::string requirements = order->requirements();
  RETURN_IF_ERROR(context.Add([&](v1::Event& event) {
    v1::CorrectionRecheckRecorded& recorded = *event.mutable_correction_recheck_recorded();
    recorded.set_order_id(order_id);
    *recorded.mutable_rechecked_at() = ToProto(rechecked);
    *recorded.mutable_officers() = request.officers();
    recorded.set_result(request.result());
    recorded.set_findings(request.findings());
    recorded.set_daily_decision_id(daily_id);
    recorded.set_next_order_id(next_order_id);
  }));
  RETURN_IF_ERROR(context.EndDeadline(absl::StrCat(order_id, "-recheck"), false));
  RETURN_IF_ERROR(context.EndDeadline(absl::StrCat(order_id, "-correct"), !continuing));
  if (!continuing) return absl::OkStatus();
  v1::PenaltyDecision daily;
  daily.set_kind(v1::PENALTY_DECISION_KIND_DAILY);
  daily.set_facts(absl::StrCat("责令改正决定书（", order_id, "）送达后，", last_day,
                               " 复查发现仍在继续违法：", request.findings()));
  daily.set_legal_basis(request.daily_legal_basis().empty()
                            ? "《中华人民共和国环境保护法》第五十九条"
                            : request.daily_legal_basis());
  daily.mutable_terms()->add_kinds(v1::PENALTY_KIND_FINE);
  daily.mutable_terms()->set_fine_fen(amount);
  daily.set_order_id(order_id);
  daily.set_daily_days(days);
  daily.set_daily_first_day(first_day);
  daily.set_daily_last_day(last_day);
  daily.set_original_decision_id(original->decision_id());
  RETURN_IF_ERROR(AddDecision(context, std::move(daily)));
  return IssueOrder(context, requirements, request.next_correct_by(), order_id);
}

absl::Status DecideClose(Context& context) {
  const v1::ClosePenaltyCaseRequest& request = context.command().close_penalty_case();
  const v1::PenaltyClosingReason reason = request.reason();
  if (reason == v1::PENALTY_CLOSING_REASON_UNSPECIFIED ||
      !v1::PenaltyClosingReason_IsValid(reason)) {
    return InvalidField("reason", "must be PERFORMED, EXECUTED, REVOKED or NOT_PENALIZED",
                        "须为履行完毕、法院强制执行、决定被撤销或不予处罚");
  }
  RETURN_IF_ERROR(CheckText("remark", request.remark(), kMaxShortText,
                            reason == v1::PENALTY_CLOSING_REASON_NOT_PENALIZED ||
                                reason == v1::PENALTY_CLOSING_REASON_EXECUTED));
  RETURN_IF_ERROR(context.RequireRole({v1::ROLE_SUPERVISOR}, "close a penalty case", "结案"));
  const v1::PenaltyCase& state = context.state();
  if (state.status() == v1::PENALTY_STATUS_CLOSED ||
      state.status() == v1::PENALTY_STATUS_NOT_FILED ||
      state.status() == v1::PENALTY_STATUS_PROPOSED) {
    return context.Refuse("only a filed penalty case that has not ended can be closed",
                          "只有已立案且未结案的处罚案件才能结案");
  }
  switch (reason) {
    case v1::PENALTY_CLOSING_REASON_NOT_PENALIZED:
      if (state.decisions_size() > 0) {
        return context.Refuse("a decision was made; close it as PERFORMED, EXECUTED or REVOKED",
                              "已作出处罚决定，不能以不予处罚结案");
      }
      break;
    case v1::PENALTY_CLOSING_REASON_PERFORMED:
    case v1::PENALTY_CLOSING_REASON_EXECUTED:
    case v1::PENALTY_CLOSING_REASON_REVOKED: {
      if (state.status() != v1::PENALTY_STATUS_SERVED) {
        return context.Refuse("its decision has not been served", "处罚决定尚未送达，不能结案");
      }
      for (const v1::PenaltyDecision& decision : state.decisions()) {
        const bool done = reason == v1::PENALTY_CLOSING_REASON_REVOKED
                              ? decision.revoked()
                              : decision.revoked() || decision.settled() ||
                                    EffectiveFine(decision) == 0 ||
                                    (reason == v1::PENALTY_CLOSING_REASON_EXECUTED &&
                                     decision.has_execution_applied_at());
        if (!done || !decision.has_served_at()) {
          return context.Refuse(
              absl::StrCat("decision ", decision.decision_id(), " (", decision.document_number(),
                           ") is not ",
                           reason == v1::PENALTY_CLOSING_REASON_REVOKED
                               ? "revoked"
                               : "served and paid (or executed)"),
              absl::StrCat(
                  "处罚决定 ", decision.document_number(), " 尚未",
                  reason == v1::PENALTY_CLOSING_REASON_REVOKED ? "被撤销" : "送达并履行完毕"));
        }
      }
      if (reason == v1::PENALTY_CLOSING_REASON_PERFORMED) {
        for (const v1::CorrectionOrder& order : state.orders()) {
          if (OrderOpen(order)) {
            return context.Refuse(absl::StrCat("order ", order.order_id(), " awaits its recheck"),
                                  absl::StrCat("责令改正 ", order.order_id(), " 尚未复查终结"));
          }
        }
      }
      break;
    }
    default:
      break;
  }
  RETURN_IF_ERROR(context.Add([&](v1::Event& event) {
    v1::PenaltyClosing& closing = *event.mutable_penalty_case_closed()->mutable_closing();
    closing.set_reason(reason);
    closing.set_remark(request.remark());
  }));
  // Whatever still runs ends with the case.
  std::vector<std::string> running;
  for (const v1::Deadline& deadline : context.state().deadlines()) {
    if (deadline.state() == v1::DEADLINE_STATE_OPEN ||
        deadline.state() == v1::DEADLINE_STATE_MISSED) {
      running.push_back(deadline.deadline_id());
    }
  }
  for (const std::string& id : running) RETURN_IF_ERROR(context.EndDeadline(id, true));
  return absl::OkStatus();
}

absl::Status DecideMarkOverdue(Context& context) {
  const std::string& deadline_id = context.command().mark_overdue().deadline_id();
  if (context.principal().role() != v1::ROLE_SYSTEM) {
    return ::rectify::Refuse(absl::StatusCode::kPermissionDenied,
                             "only the server's deadline scheduler may mark a deadline overdue",
                             "只有系统的期限调度程序才能标记逾期");
  }
  const v1::Deadline* deadline = context.FindDeadline(deadline_id);
  if (deadline == nullptr) {
    return ::rectify::Refuse(
        absl::StatusCode::kNotFound,
        absl::StrCat("penalty case ", context.id(), " has no deadline ", deadline_id),
        absl::StrCat("处罚案件 ", context.id(), " 没有期限 ", deadline_id));
  }
  if (deadline->state() != v1::DEADLINE_STATE_OPEN) {
    return ::rectify::Refuse(
        absl::StatusCode::kFailedPrecondition,
        absl::StrCat("deadline ", deadline_id, " of penalty case ", context.id(),
                     " is not OPEN; a deadline is marked overdue once"),
        absl::StrCat("处罚案件 ", context.id(), " 的期限 ", deadline_id, " 已不在计时中"));
  }
  const absl::Time due = ToTime(deadline->due_at());
  if (context.now() < due) {
    return WithUserMessage(
        NotYetDueError(absl::StrCat("deadline ", deadline_id, " of penalty case ", context.id(),
                                    " is not due until ", DeadlineIso(due)),
                       due),
        absl::StrCat("处罚案件 ", context.id(), " 的期限 ", deadline_id, " 尚未到期"));
  }
  const v1::DeadlineKind kind = deadline->kind();
  const bool window = kind == v1::DEADLINE_KIND_PENALTY_HEARING_REQUEST ||
                      kind == v1::DEADLINE_KIND_PENALTY_RECONSIDERATION_WINDOW ||
                      kind == v1::DEADLINE_KIND_PENALTY_LAWSUIT_WINDOW;
  if (window) {
    // A party's window closed unused: nobody is late (as a public notice).
    RETURN_IF_ERROR(context.EndDeadline(deadline_id, false));
  } else {
    RETURN_IF_ERROR(context.Add([&](v1::Event& event) {
      event.mutable_deadline_missed()->set_deadline_id(deadline_id);
      *event.mutable_deadline_missed()->mutable_due_at() = ToProto(due);
    }));
  }
  if (kind == v1::DEADLINE_KIND_PENALTY_LAWSUIT_WINDOW) {
    // The remedy periods ended: an unpaid decision goes to the court within
    // 3 months (Coercion Law art. 53).
    const std::string decision_id =
        deadline_id.substr(0, deadline_id.size() - std::string("-lawsuit").size());
    const v1::PenaltyDecision* decision = FindDecision(context.state(), decision_id);
    if (decision != nullptr && !decision->settled() && !decision->revoked() &&
        EffectiveFine(*decision) > 0 && !HasPendingRemedy(*decision) &&
        !decision->has_execution_applied_at()) {
      RETURN_IF_ERROR(context.OpenDeadline(v1::DEADLINE_KIND_PENALTY_EXECUTION,
                                           absl::StrCat(decision_id, "-execution"), due));
    }
  }
  return absl::OkStatus();
}

absl::Status DecideRecount(Context& context) {
  const v1::RecountDeadlineRequest& request = context.command().recount_deadline();
  if (context.principal().role() != v1::ROLE_SYSTEM) {
    return ::rectify::Refuse(absl::StatusCode::kPermissionDenied,
                             "only the server may recount a deadline under a new calendar",
                             "只有系统才能按新的节假日安排重算期限");
  }
  const v1::Deadline* deadline = context.FindDeadline(request.deadline_id());
  if (deadline == nullptr) {
    return ::rectify::Refuse(
        absl::StatusCode::kNotFound,
        absl::StrCat("penalty case ", context.id(), " has no deadline ", request.deadline_id()),
        absl::StrCat("处罚案件 ", context.id(), " 没有期限 ", request.deadline_id()));
  }
  ASSIGN_OR_RETURN(const ComputedDeadline recounted,
                   RecountPenaltyDeadline(*deadline, context.policy()));
  if (!RecountChanges(*deadline, recounted)) {
    return ::rectify::Refuse(
        absl::StatusCode::kFailedPrecondition,
        absl::StrCat("deadline ", request.deadline_id(), " of penalty case ", context.id(),
                     " is already counted as the loaded calendar counts it"),
        absl::StrCat("处罚案件 ", context.id(), " 的期限 ", request.deadline_id(),
                     " 已按现行节假日安排计算，无需重算"));
  }
  return context.Add([&](v1::Event& event) {
    v1::DeadlineRecounted& recount = *event.mutable_deadline_recounted();
    recount.set_deadline_id(deadline->deadline_id());
    *recount.mutable_previous_due_at() = deadline->due_at();
    *recount.mutable_due_at() = ToProto(recounted.due_at);
    *recount.mutable_rule() = recounted.rule;
    recount.set_calendar_sha256(request.calendar_sha256());
    recount.set_calendar_years(request.calendar_years());
  });
}

}  // namespace rectify::workflow::penalty_internal

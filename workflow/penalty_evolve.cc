// EvolvePenalty: folds a penalty case's events into the v1::PenaltyCase; see
// penalties.h. DecidePenalty folds each event it decides through it too.
#include <string>

#include "absl/strings/str_cat.h"
#include "base/proto_time.h"
#include "workflow/penalties.h"
#include "workflow/penalty_internal.h"

namespace rectify::workflow {
namespace {

using penalty_internal::OrderOpen;

v1::PenaltyDecision* MutableDecision(v1::PenaltyCase& state, absl::string_view decision_id) {
  for (v1::PenaltyDecision& decision : *state.mutable_decisions()) {
    if (decision.decision_id() == decision_id) return &decision;
  }
  return nullptr;
}

v1::CorrectionOrder* MutableOrder(v1::PenaltyCase& state, absl::string_view order_id) {
  for (v1::CorrectionOrder& order : *state.mutable_orders()) {
    if (order.order_id() == order_id) return &order;
  }
  return nullptr;
}

v1::Deadline* MutableDeadline(v1::PenaltyCase& state, absl::string_view deadline_id) {
  for (v1::Deadline& deadline : *state.mutable_deadlines()) {
    if (deadline.deadline_id() == deadline_id) return &deadline;
  }
  return nullptr;
}

absl::Status Unfit(const v1::Event& event, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("event ", event.version(), " of ", event.stream_id(), " does not fit: ", why));
}

}  // namespace

absl::Status EvolvePenalty(v1::PenaltyCase& state, const v1::Event& event) {
  if (event.stream_kind() != v1::STREAM_KIND_PENALTY) return Unfit(event, "not a penalty stream");
  if (event.version() != state.version() + 1) return Unfit(event, "wrong version");
  const google::protobuf::Timestamp& at = event.recorded_at();
  switch (event.payload_case()) {
    case v1::Event::kPenaltyCaseOpened: {
      if (state.version() != 0) return Unfit(event, "opened twice");
      const v1::PenaltyCaseOpened& opened = event.penalty_case_opened();
      state.set_penalty_case_id(opened.penalty_case_id());
      state.set_status(v1::PENALTY_STATUS_PROPOSED);
      state.set_region_code(opened.region_code());
      state.set_source_case_id(opened.source_case_id());
      state.set_source_referral_id(opened.source_referral_id());
      state.set_responsible_unit(opened.responsible_unit());
      *state.mutable_subject() = opened.subject();
      state.set_violation(opened.violation());
      v1::PenaltyFiling& filing = *state.mutable_filing();
      *filing.mutable_proposed_by() = event.actor();
      *filing.mutable_proposed_at() = at;
      *filing.mutable_discovered_at() = opened.discovered_at();
      *state.mutable_opened_at() = at;
      break;
    }
    case v1::Event::kPenaltyFilingDecided: {
      v1::PenaltyFiling& filing = *state.mutable_filing();
      *filing.mutable_decided_by() = event.actor();
      *filing.mutable_decided_at() = at;
      filing.set_remark(event.penalty_filing_decided().remark());
      state.set_status(event.penalty_filing_decided().approved() ? v1::PENALTY_STATUS_FILED
                                                                 : v1::PENALTY_STATUS_NOT_FILED);
      break;
    }
    case v1::Event::kPenaltyFilingExtended:
      state.mutable_filing()->set_extended(true);
      break;
    case v1::Event::kPenaltyInvestigationRecorded: {
      const v1::PenaltyInvestigationRecorded& recorded = event.penalty_investigation_recorded();
      v1::PenaltyInvestigation& investigation = *state.mutable_investigation();
      *investigation.mutable_officers() = recorded.officers();
      investigation.set_report(recorded.report());
      *investigation.mutable_evidence_ids() = recorded.evidence_ids();
      *investigation.mutable_recorded_by() = event.actor();
      *investigation.mutable_recorded_at() = at;
      state.set_status(v1::PENALTY_STATUS_INVESTIGATED);
      break;
    }
    case v1::Event::kPenaltyPriorNoticeServed: {
      const v1::PenaltyPriorNoticeServed& served = event.penalty_prior_notice_served();
      v1::PenaltyPriorNotice& notice = *state.mutable_prior_notice();
      notice.set_facts(served.facts());
      notice.set_grounds(served.grounds());
      *notice.mutable_intended() = served.intended();
      *notice.mutable_served_at() = served.served_at();
      *notice.mutable_served_by() = event.actor();
      *notice.mutable_hearing_request_ends_at() = served.hearing_request_ends_at();
      state.set_status(v1::PENALTY_STATUS_NOTIFIED);
      break;
    }
    case v1::Event::kPenaltyHearingRequested:
      *state.mutable_hearing()->mutable_requested_at() =
          event.penalty_hearing_requested().requested_at();
      state.set_status(v1::PENALTY_STATUS_HEARING);
      break;
    case v1::Event::kPenaltyHearingScheduled: {
      const v1::PenaltyHearingScheduled& scheduled = event.penalty_hearing_scheduled();
      v1::PenaltyHearing& hearing = *state.mutable_hearing();
      *hearing.mutable_scheduled_for() = scheduled.scheduled_for();
      *hearing.mutable_notified_at() = scheduled.notified_at();
      hearing.set_place(scheduled.place());
      break;
    }
    case v1::Event::kPenaltyHearingHeld: {
      const v1::PenaltyHearingHeld& held = event.penalty_hearing_held();
      v1::PenaltyHearing& hearing = *state.mutable_hearing();
      *hearing.mutable_held_at() = held.held_at();
      hearing.set_record(held.record());
      hearing.set_waived(held.waived());
      break;
    }
    case v1::Event::kPenaltyDecisionPeriodExtended:
      state.set_decision_period_extended(true);
      break;
    case v1::Event::kPenaltyDecided: {
      *state.add_decisions() = event.penalty_decided().decision();
      if (event.penalty_decided().decision().kind() == v1::PENALTY_DECISION_KIND_ORIGINAL) {
        state.set_status(v1::PENALTY_STATUS_DECIDED);
      }
      break;
    }
    case v1::Event::kPenaltyDecisionServed: {
      const v1::PenaltyDecisionServed& served = event.penalty_decision_served();
      v1::PenaltyDecision* decision = MutableDecision(state, served.decision_id());
      if (decision == nullptr) return Unfit(event, "no such decision");
      *decision->mutable_served_at() = served.served_at();
      if (served.has_payment_due_at())
        *decision->mutable_payment_due_at() = served.payment_due_at();
      if (decision->terms().fine_fen() == 0) decision->set_settled(true);
      if (decision->kind() == v1::PENALTY_DECISION_KIND_ORIGINAL) {
        state.set_status(v1::PENALTY_STATUS_SERVED);
      }
      break;
    }
    case v1::Event::kPenaltyPaymentRecorded: {
      const v1::PenaltyPaymentRecorded& payment = event.penalty_payment_recorded();
      v1::PenaltyDecision* decision = MutableDecision(state, payment.decision_id());
      if (decision == nullptr) return Unfit(event, "no such decision");
      decision->set_fine_paid_fen(decision->fine_paid_fen() + payment.fine_fen());
      decision->set_surcharge_paid_fen(decision->surcharge_paid_fen() + payment.surcharge_fen());
      *decision->mutable_paid_at() = payment.paid_at();
      decision->set_surcharge_owed_fen(payment.surcharge_owed_fen());
      decision->set_settled(payment.settled());
      break;
    }
    case v1::Event::kPenaltyRemedyFiled: {
      v1::PenaltyDecision* decision =
          MutableDecision(state, event.penalty_remedy_filed().decision_id());
      if (decision == nullptr) return Unfit(event, "no such decision");
      *decision->add_remedies() = event.penalty_remedy_filed().remedy();
      break;
    }
    case v1::Event::kPenaltyRemedyDecided: {
      const v1::PenaltyRemedyDecided& decided = event.penalty_remedy_decided();
      v1::PenaltyDecision* decision = MutableDecision(state, decided.decision_id());
      if (decision == nullptr) return Unfit(event, "no such decision");
      for (v1::PenaltyRemedy& remedy : *decision->mutable_remedies()) {
        if (remedy.kind() != decided.kind() || remedy.outcome() != v1::REMEDY_OUTCOME_PENDING)
          continue;
        remedy.set_outcome(decided.outcome());
        *remedy.mutable_decided_at() = at;
        remedy.set_changed_fine_fen(decided.changed_fine_fen());
        remedy.set_remark(decided.remark());
      }
      if (decided.outcome() == v1::REMEDY_OUTCOME_REVOKED) decision->set_revoked(true);
      if (decided.outcome() == v1::REMEDY_OUTCOME_CHANGED &&
          decision->fine_paid_fen() >= decided.changed_fine_fen()) {
        decision->set_settled(true);
      }
      break;
    }
    case v1::Event::kPenaltyExecutionApplied: {
      const v1::PenaltyExecutionApplied& applied = event.penalty_execution_applied();
      v1::PenaltyDecision* decision = MutableDecision(state, applied.decision_id());
      if (decision == nullptr) return Unfit(event, "no such decision");
      *decision->mutable_execution_applied_at() = at;
      decision->set_execution_court(applied.court());
      break;
    }
    case v1::Event::kPenaltyPublished: {
      v1::PenaltyDecision* decision =
          MutableDecision(state, event.penalty_published().decision_id());
      if (decision == nullptr) return Unfit(event, "no such decision");
      *decision->mutable_published_at() = at;
      break;
    }
    case v1::Event::kCorrectionOrderIssued:
      *state.add_orders() = event.correction_order_issued().order();
      break;
    case v1::Event::kCorrectionOrderServed: {
      const v1::CorrectionOrderServed& served = event.correction_order_served();
      v1::CorrectionOrder* order = MutableOrder(state, served.order_id());
      if (order == nullptr) return Unfit(event, "no such order");
      *order->mutable_served_at() = served.served_at();
      *order->mutable_recheck_due_at() = served.recheck_due_at();
      order->set_state(v1::CORRECTION_ORDER_STATE_SERVED);
      break;
    }
    case v1::Event::kCorrectionRecheckRecorded: {
      const v1::CorrectionRecheckRecorded& recorded = event.correction_recheck_recorded();
      v1::CorrectionOrder* order = MutableOrder(state, recorded.order_id());
      if (order == nullptr) return Unfit(event, "no such order");
      *order->mutable_rechecked_at() = recorded.rechecked_at();
      *order->mutable_recheck_officers() = recorded.officers();
      order->set_recheck_result(recorded.result());
      order->set_recheck_findings(recorded.findings());
      order->set_daily_decision_id(recorded.daily_decision_id());
      order->set_next_order_id(recorded.next_order_id());
      order->set_state(recorded.result() == v1::RECHECK_RESULT_CORRECTED
                           ? v1::CORRECTION_ORDER_STATE_CORRECTED
                           : v1::CORRECTION_ORDER_STATE_CONTINUING);
      break;
    }
    case v1::Event::kPenaltyCaseClosed: {
      *state.mutable_closing() = event.penalty_case_closed().closing();
      *state.mutable_closing()->mutable_closed_by() = event.actor();
      *state.mutable_closing()->mutable_closed_at() = at;
      state.set_status(v1::PENALTY_STATUS_CLOSED);
      for (v1::CorrectionOrder& order : *state.mutable_orders()) {
        if (OrderOpen(order)) order.set_state(v1::CORRECTION_ORDER_STATE_CANCELLED);
      }
      break;
    }
    case v1::Event::kDeadlineOpened:
      if (MutableDeadline(state, event.deadline_opened().deadline().deadline_id()) != nullptr) {
        return Unfit(event, "deadline opened twice");
      }
      *state.add_deadlines() = event.deadline_opened().deadline();
      break;
    case v1::Event::kDeadlineExtended: {
      v1::Deadline* deadline = MutableDeadline(state, event.deadline_extended().deadline_id());
      if (deadline == nullptr) return Unfit(event, "no such deadline");
      *deadline->mutable_due_at() = event.deadline_extended().due_at();
      *deadline->mutable_rule() = event.deadline_extended().rule();
      break;
    }
    case v1::Event::kDeadlineRecounted: {
      v1::Deadline* deadline = MutableDeadline(state, event.deadline_recounted().deadline_id());
      if (deadline == nullptr) return Unfit(event, "no such deadline");
      *deadline->mutable_due_at() = event.deadline_recounted().due_at();
      *deadline->mutable_rule() = event.deadline_recounted().rule();
      break;
    }
    case v1::Event::kDeadlineMissed: {
      v1::Deadline* deadline = MutableDeadline(state, event.deadline_missed().deadline_id());
      if (deadline == nullptr) return Unfit(event, "no such deadline");
      deadline->set_state(v1::DEADLINE_STATE_MISSED);
      break;
    }
    case v1::Event::kDeadlineClosed: {
      v1::Deadline* deadline = MutableDeadline(state, event.deadline_closed().deadline_id());
      if (deadline == nullptr) return Unfit(event, "no such deadline");
      deadline->set_state(event.deadline_closed().state());
      *deadline->mutable_ended_at() = at;
      break;
    }
    default:
      return Unfit(event, "not a penalty case payload");
  }
  // Keep the decision's payment due and publication due in step with their
  // clocks (a recount or extension moves them).
  for (v1::PenaltyDecision& decision : *state.mutable_decisions()) {
    for (const v1::Deadline& deadline : state.deadlines()) {
      if (deadline.deadline_id() == absl::StrCat(decision.decision_id(), "-payment")) {
        *decision.mutable_payment_due_at() = deadline.due_at();
      } else if (deadline.deadline_id() == absl::StrCat(decision.decision_id(), "-publication")) {
        *decision.mutable_publication_due_at() = deadline.due_at();
      }
    }
  }
  for (v1::CorrectionOrder& order : *state.mutable_orders()) {
    for (const v1::Deadline& deadline : state.deadlines()) {
      if (deadline.deadline_id() == absl::StrCat(order.order_id(), "-recheck")) {
        *order.mutable_recheck_due_at() = deadline.due_at();
      }
    }
  }
  bool overdue = false;
  for (const v1::Deadline& deadline : state.deadlines()) {
    overdue |= deadline.state() == v1::DEADLINE_STATE_MISSED;
  }
  state.set_overdue(overdue);
  state.set_version(event.version());
  *state.mutable_updated_at() = at;
  return absl::OkStatus();
}

}  // namespace rectify::workflow

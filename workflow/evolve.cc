// The case workflow's Evolve: folds one event into a case. Every rule lives
// in Decide; Evolve only records what the event says, so that folding a
// stream from nothing always gives the same case. See decider.h.
#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "workflow/decide_internal.h"
#include "workflow/decider.h"

namespace rectify::workflow {
namespace {

absl::Status Corrupt(const v1::Event& event, absl::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("event ", event.stream_id(), "#", event.version(), " does not fit: ", why));
}

v1::Deadline* MutableDeadline(v1::Case& state, const std::string& deadline_id) {
  for (v1::Deadline& deadline : *state.mutable_deadlines()) {
    if (deadline.deadline_id() == deadline_id) return &deadline;
  }
  return nullptr;
}

v1::Referral* MutableReferral(v1::Case& state, const std::string& referral_id) {
  for (v1::Referral& referral : *state.mutable_referrals()) {
    if (referral.referral_id() == referral_id) return &referral;
  }
  return nullptr;
}

void RecomputeOverdue(v1::Case& state) {
  state.set_overdue(std::any_of(
      state.deadlines().begin(), state.deadlines().end(), [](const v1::Deadline& deadline) {
        return deadline.state() == v1::DEADLINE_STATE_MISSED && internal::IsObligation(deadline.kind());
      }));
}

// Sets the referral's state, and its end when the state is final.
void SetReferralState(v1::Referral& referral, v1::ReferralState state, const v1::Event& event) {
  referral.set_state(state);
  if (!internal::IsReferralOpen(state)) *referral.mutable_ended_at() = event.recorded_at();
}

void EvolveReported(v1::Case& state, const v1::Event& event) {
  const v1::CaseReported& reported = event.case_reported();
  state.set_case_id(reported.case_id());
  state.set_status(v1::CASE_STATUS_FOUND);
  state.set_title(reported.title());
  state.set_description(reported.description());
  state.set_category(reported.category());
  state.set_severity(reported.severity());
  state.set_source(reported.source());
  state.set_source_reference(reported.source_reference());
  *state.mutable_location() = reported.location();
  *state.mutable_subject() = reported.subject();
  *state.mutable_complainant() = reported.complainant();
  *state.mutable_found_at() = reported.found_at();
  *state.mutable_tags() = reported.tags();
  *state.mutable_reported_by() = event.actor();
  *state.mutable_reported_at() = event.recorded_at();
}

absl::Status EvolveReferral(v1::Case& state, const v1::Event& event, const std::string& referral_id) {
  v1::Referral* referral = MutableReferral(state, referral_id);
  if (referral == nullptr) return Corrupt(event, absl::StrCat("no referral ", referral_id));
  const google::protobuf::Timestamp& at = event.recorded_at();
  switch (event.payload_case()) {
    case v1::Event::kReferralApproved:
      SetReferralState(*referral, v1::REFERRAL_STATE_APPROVED, event);
      *referral->mutable_approval_decided_by() = event.actor();
      *referral->mutable_approval_decided_at() = at;
      break;
    case v1::Event::kReferralRefused:
      SetReferralState(*referral, v1::REFERRAL_STATE_REFUSED, event);
      *referral->mutable_approval_decided_by() = event.actor();
      *referral->mutable_approval_decided_at() = at;
      referral->set_refusal_reason(event.referral_refused().reason());
      break;
    case v1::Event::kReferralSent:
      SetReferralState(*referral, v1::REFERRAL_STATE_SENT, event);
      referral->set_police_unit(event.referral_sent().police_unit());
      referral->set_procuratorate_unit(event.referral_sent().procuratorate_unit());
      *referral->mutable_sent_at() = at;
      break;
    case v1::Event::kReferralReceived:
      SetReferralState(*referral, v1::REFERRAL_STATE_RECEIVED, event);
      *referral->mutable_received_at() = at;
      // The policy's period, recorded in the event; events written before it
      // was recorded meant the 3 days then fixed.
      referral->set_filing_review_days(
          event.referral_received().review_days() > 0 ? event.referral_received().review_days() : 3);
      break;
    case v1::Event::kReferralReviewExtended:
      referral->set_filing_review_days(event.referral_review_extended().review_days());
      break;
    case v1::Event::kReviewExtensionApproved:
      *referral->mutable_review_extension_approved_by() = event.actor();
      referral->set_review_extension_approved_days(event.review_extension_approved().review_days());
      *referral->mutable_review_extension_approved_at() = at;
      break;
    case v1::Event::kReferralDecided: {
      const v1::ReferralDecided& decided = event.referral_decided();
      referral->set_filing_decision(decided.decision());
      referral->set_decision_reason(decided.reason());
      referral->set_police_case_number(decided.police_case_number());
      *referral->mutable_decided_at() = at;
      SetReferralState(*referral,
                       decided.decision() == v1::FILING_DECISION_FILED     ? v1::REFERRAL_STATE_FILED
                       : decided.decision() == v1::FILING_DECISION_RETURNED ? v1::REFERRAL_STATE_RETURNED
                                                                            : v1::REFERRAL_STATE_DECLINED,
                       event);
      break;
    }
    case v1::Event::kReconsiderationRequested:
      SetReferralState(*referral, v1::REFERRAL_STATE_RECONSIDERATION_REQUESTED, event);
      referral->set_reconsideration_grounds(event.reconsideration_requested().grounds());
      *referral->mutable_reconsideration_requested_at() = at;
      break;
    case v1::Event::kReconsiderationDecided: {
      const v1::ReconsiderationDecided& decided = event.reconsideration_decided();
      referral->set_filing_decision(decided.decision());
      referral->set_decision_reason(decided.reason());
      referral->set_police_case_number(decided.police_case_number());
      *referral->mutable_decided_at() = at;
      SetReferralState(*referral,
                       decided.decision() == v1::FILING_DECISION_FILED ? v1::REFERRAL_STATE_FILED
                                                                       : v1::REFERRAL_STATE_DECLINE_UPHELD,
                       event);
      break;
    }
    case v1::Event::kSupervisionRequested:
      SetReferralState(*referral, v1::REFERRAL_STATE_SUPERVISION_REQUESTED, event);
      referral->set_supervision_grounds(event.supervision_requested().grounds());
      *referral->mutable_supervision_requested_at() = at;
      break;
    case v1::Event::kNonFilingExplained:
      referral->set_non_filing_explanation(event.non_filing_explained().explanation());
      break;
    case v1::Event::kReferralWithdrawn:
      SetReferralState(*referral, v1::REFERRAL_STATE_WITHDRAWN, event);
      referral->set_withdrawal_reason(event.referral_withdrawn().reason());
      break;
    case v1::Event::kReferralDeclineFinal:
      SetReferralState(*referral, v1::REFERRAL_STATE_DECLINE_FINAL, event);
      break;
    default:
      return Corrupt(event, "not a referral event");
  }
  return absl::OkStatus();
}

absl::Status EvolvePayload(v1::Case& state, const v1::Event& event) {
  const google::protobuf::Timestamp& at = event.recorded_at();
  switch (event.payload_case()) {
    case v1::Event::kCaseReported:
      if (state.version() != 0) return Corrupt(event, "a case is reported once");
      EvolveReported(state, event);
      return absl::OkStatus();
    case v1::Event::kCaseAssigned: {
      const v1::CaseAssigned& assigned = event.case_assigned();
      state.set_status(v1::CASE_STATUS_ASSIGNED);
      state.set_responsible_unit(assigned.responsible_unit());
      state.set_requirements(assigned.requirements());
      *state.mutable_rectification_due_at() = assigned.rectification_due_at();
      *state.mutable_assigned_at() = at;
      *state.mutable_assigned_by() = event.actor();
      *state.mutable_progress_clock_since() = at;
      return absl::OkStatus();
    }
    case v1::Event::kCaseReassigned: {
      const v1::CaseReassigned& reassigned = event.case_reassigned();
      state.set_responsible_unit(reassigned.responsible_unit());
      state.set_requirements(reassigned.requirements());
      *state.mutable_rectification_due_at() = reassigned.rectification_due_at();
      *state.mutable_assigned_at() = at;
      *state.mutable_assigned_by() = event.actor();
      *state.mutable_progress_clock_since() = at;
      return absl::OkStatus();
    }
    case v1::Event::kRectificationStarted:
      state.set_status(v1::CASE_STATUS_RECTIFYING);
      *state.mutable_started_at() = at;
      *state.mutable_last_progress_at() = at;
      return absl::OkStatus();
    case v1::Event::kProgressReported: {
      const v1::ProgressReported& progress = event.progress_reported();
      v1::ProgressReport& report = *state.add_progress_reports();
      report.set_text(progress.text());
      report.set_percent_complete(progress.percent_complete());
      *report.mutable_evidence_ids() = progress.evidence_ids();
      *report.mutable_reported_by() = event.actor();
      *report.mutable_reported_at() = at;
      *state.mutable_last_progress_at() = at;
      *state.mutable_progress_clock_since() = at;
      return absl::OkStatus();
    }
    case v1::Event::kExtensionRequested: {
      const v1::ExtensionRequested& requested = event.extension_requested();
      v1::ExtensionRequest& request = *state.add_extension_requests();
      request.set_request_id(requested.request_id());
      *request.mutable_requested_due_at() = requested.requested_due_at();
      request.set_reason(requested.reason());
      *request.mutable_requested_by() = event.actor();
      *request.mutable_requested_at() = at;
      request.set_state(v1::EXTENSION_STATE_REQUESTED);
      return absl::OkStatus();
    }
    case v1::Event::kExtensionDecided: {
      const v1::ExtensionDecided& decided = event.extension_decided();
      for (v1::ExtensionRequest& request : *state.mutable_extension_requests()) {
        if (request.request_id() != decided.request_id()) continue;
        request.set_state(decided.granted() ? v1::EXTENSION_STATE_GRANTED : v1::EXTENSION_STATE_REFUSED);
        if (decided.granted()) {
          *request.mutable_granted_due_at() = decided.granted_due_at();
          *state.mutable_rectification_due_at() = decided.granted_due_at();
        }
        request.set_decision_reason(decided.reason());
        *request.mutable_decided_by() = event.actor();
        *request.mutable_decided_at() = at;
        return absl::OkStatus();
      }
      return Corrupt(event, absl::StrCat("no extension request ", decided.request_id()));
    }
    case v1::Event::kCompletionSubmitted: {
      v1::Completion& completion = *state.mutable_completion();
      completion.set_summary(event.completion_submitted().summary());
      *completion.mutable_evidence_ids() = event.completion_submitted().evidence_ids();
      *completion.mutable_submitted_by() = event.actor();
      *completion.mutable_submitted_at() = at;
      state.set_completion_pending(true);
      return absl::OkStatus();
    }
    case v1::Event::kRectificationVerified: {
      const v1::RectificationVerified& verified = event.rectification_verified();
      v1::Verification& verification = *state.mutable_verification();
      verification.set_passed(verified.passed());
      verification.set_notes(verified.notes());
      *verification.mutable_evidence_ids() = verified.evidence_ids();
      *verification.mutable_verified_by() = event.actor();
      *verification.mutable_verified_at() = at;
      state.set_completion_pending(false);
      if (verified.passed()) {
        state.set_status(v1::CASE_STATUS_VERIFIED);
        state.clear_public_notice();
        if (verified.has_public_notice_ends_at()) {
          *state.mutable_public_notice()->mutable_starts_at() = at;
          *state.mutable_public_notice()->mutable_ends_at() = verified.public_notice_ends_at();
        }
      } else {
        *state.mutable_rectification_due_at() = verified.new_rectification_due_at();
        // Back to the unit with a new deadline: its no-progress clock
        // restarts (the wait for verification was not the unit's).
        *state.mutable_progress_clock_since() = at;
      }
      return absl::OkStatus();
    }
    case v1::Event::kObjectionRaised: {
      const v1::ObjectionRaised& raised = event.objection_raised();
      v1::Objection& objection = *state.mutable_public_notice()->add_objections();
      objection.set_text(raised.text());
      *objection.mutable_recorded_by() = event.actor();
      *objection.mutable_recorded_at() = at;
      state.set_status(v1::CASE_STATUS_RECTIFYING);
      *state.mutable_rectification_due_at() = raised.new_rectification_due_at();
      // Rectification starts again, as after a reopening: the no-progress
      // clock counts from here, not from before the verification.
      *state.mutable_last_progress_at() = at;
      *state.mutable_progress_clock_since() = at;
      return absl::OkStatus();
    }
    case v1::Event::kCaseClosed:
    case v1::Event::kCaseClosedUnfounded: {
      const bool unfounded = event.has_case_closed_unfounded();
      v1::Closure& closure = *state.mutable_closure();
      closure.set_unfounded(unfounded);
      closure.set_reason(unfounded ? event.case_closed_unfounded().reason() : event.case_closed().remark());
      *closure.mutable_closed_by() = event.actor();
      *closure.mutable_closed_at() = at;
      state.set_status(v1::CASE_STATUS_CLOSED);
      if (!state.has_first_closed_at()) *state.mutable_first_closed_at() = at;
      return absl::OkStatus();
    }
    case v1::Event::kCaseReopened: {
      const v1::CaseReopened& reopened = event.case_reopened();
      state.set_status(v1::CASE_STATUS_RECTIFYING);
      state.clear_closure();
      state.set_reopen_count(state.reopen_count() + 1);
      *state.mutable_rectification_due_at() = reopened.rectification_due_at();
      if (!reopened.responsible_unit().empty()) state.set_responsible_unit(reopened.responsible_unit());
      state.set_completion_pending(false);
      // Rectification starts again: the no-progress clock counts from here.
      *state.mutable_started_at() = at;
      *state.mutable_last_progress_at() = at;
      *state.mutable_progress_clock_since() = at;
      return absl::OkStatus();
    }
    case v1::Event::kEvidenceRecorded: {
      v1::Evidence& evidence = *state.add_evidence();
      evidence = event.evidence_recorded().evidence();
      *evidence.mutable_recorded_by() = event.actor();
      *evidence.mutable_recorded_at() = at;
      return absl::OkStatus();
    }
    case v1::Event::kDeadlineOpened:
      if (MutableDeadline(state, event.deadline_opened().deadline().deadline_id()) != nullptr) {
        return Corrupt(event, "deadline opened twice");
      }
      *state.add_deadlines() = event.deadline_opened().deadline();
      return absl::OkStatus();
    case v1::Event::kDeadlineExtended: {
      v1::Deadline* deadline = MutableDeadline(state, event.deadline_extended().deadline_id());
      if (deadline == nullptr) return Corrupt(event, "no such deadline");
      *deadline->mutable_due_at() = event.deadline_extended().due_at();
      *deadline->mutable_rule() = event.deadline_extended().rule();
      return absl::OkStatus();
    }
    case v1::Event::kDeadlineRecounted: {
      const v1::DeadlineRecounted& recounted = event.deadline_recounted();
      v1::Deadline* deadline = MutableDeadline(state, recounted.deadline_id());
      if (deadline == nullptr) return Corrupt(event, "no such deadline");
      if (deadline->state() != v1::DEADLINE_STATE_OPEN) return Corrupt(event, "recounted a closed deadline");
      *deadline->mutable_due_at() = recounted.due_at();
      *deadline->mutable_rule() = recounted.rule();
      // The running rectification deadline is also the case's due date.
      if (deadline->kind() == v1::DEADLINE_KIND_RECTIFICATION) {
        *state.mutable_rectification_due_at() = recounted.due_at();
      }
      return absl::OkStatus();
    }
    case v1::Event::kDeadlineMissed: {
      v1::Deadline* deadline = MutableDeadline(state, event.deadline_missed().deadline_id());
      if (deadline == nullptr) return Corrupt(event, "no such deadline");
      if (deadline->state() != v1::DEADLINE_STATE_OPEN) return Corrupt(event, "deadline missed twice");
      deadline->set_state(v1::DEADLINE_STATE_MISSED);
      *deadline->mutable_ended_at() = at;
      RecomputeOverdue(state);
      return absl::OkStatus();
    }
    case v1::Event::kDeadlineClosed: {
      v1::Deadline* deadline = MutableDeadline(state, event.deadline_closed().deadline_id());
      if (deadline == nullptr) return Corrupt(event, "no such deadline");
      deadline->set_state(event.deadline_closed().state());
      *deadline->mutable_ended_at() = at;
      RecomputeOverdue(state);
      return absl::OkStatus();
    }
    case v1::Event::kReferralProposed: {
      const v1::ReferralProposed& proposed = event.referral_proposed();
      v1::Referral& referral = *state.add_referrals();
      referral.set_referral_id(proposed.referral_id());
      referral.set_state(v1::REFERRAL_STATE_PROPOSED);
      referral.set_suspected_offence(proposed.suspected_offence());
      referral.set_report(proposed.report());
      *referral.mutable_proposing_officers() = proposed.proposing_officers();
      *referral.mutable_documents() = proposed.documents();
      *referral.mutable_proposed_by() = event.actor();
      *referral.mutable_proposed_at() = at;
      return absl::OkStatus();
    }
    case v1::Event::kReferralApproved:
      return EvolveReferral(state, event, event.referral_approved().referral_id());
    case v1::Event::kReferralRefused:
      return EvolveReferral(state, event, event.referral_refused().referral_id());
    case v1::Event::kReferralSent:
      return EvolveReferral(state, event, event.referral_sent().referral_id());
    case v1::Event::kReferralReceived:
      return EvolveReferral(state, event, event.referral_received().referral_id());
    case v1::Event::kReferralReviewExtended:
      return EvolveReferral(state, event, event.referral_review_extended().referral_id());
    case v1::Event::kReviewExtensionApproved:
      return EvolveReferral(state, event, event.review_extension_approved().referral_id());
    case v1::Event::kReferralDecided:
      return EvolveReferral(state, event, event.referral_decided().referral_id());
    case v1::Event::kReconsiderationRequested:
      return EvolveReferral(state, event, event.reconsideration_requested().referral_id());
    case v1::Event::kReconsiderationDecided:
      return EvolveReferral(state, event, event.reconsideration_decided().referral_id());
    case v1::Event::kSupervisionRequested:
      return EvolveReferral(state, event, event.supervision_requested().referral_id());
    case v1::Event::kNonFilingExplained:
      return EvolveReferral(state, event, event.non_filing_explained().referral_id());
    case v1::Event::kReferralWithdrawn:
      return EvolveReferral(state, event, event.referral_withdrawn().referral_id());
    case v1::Event::kReferralDeclineFinal:
      return EvolveReferral(state, event, event.referral_decline_final().referral_id());
    case v1::Event::kCasePenaltyLinked:
      // A penalty case opened from this case (workflow/penalties.h).
      state.add_penalty_case_ids(event.case_penalty_linked().penalty_case_id());
      return absl::OkStatus();
    case v1::Event::kCaseListed:
      if (std::find(state.list_ids().begin(), state.list_ids().end(), event.case_listed().list_id()) ==
          state.list_ids().end()) {
        state.add_list_ids(event.case_listed().list_id());
      }
      return absl::OkStatus();
    case v1::Event::kCaseUnlisted: {
      auto* ids = state.mutable_list_ids();
      ids->erase(std::remove(ids->begin(), ids->end(), event.case_unlisted().list_id()), ids->end());
      return absl::OkStatus();
    }
    default:
      return Corrupt(event, "its payload is not a case event");
  }
}

}  // namespace

absl::Status Evolve(v1::Case& state, const v1::Event& event) {
  if (event.version() != state.version() + 1) {
    return absl::InvalidArgumentError(absl::StrCat("event version ", event.version(),
                                                   " does not follow case version ", state.version()));
  }
  if (state.version() > 0 && event.stream_id() != state.case_id()) {
    return absl::InvalidArgumentError(
        absl::StrCat("event of stream ", event.stream_id(), " folded into case ", state.case_id()));
  }
  if (state.version() == 0 && !event.has_case_reported()) {
    return Corrupt(event, "a case stream starts with CaseReported");
  }
  if (absl::Status status = EvolvePayload(state, event); !status.ok()) return status;
  state.set_version(event.version());
  *state.mutable_updated_at() = event.recorded_at();
  return absl::OkStatus();
}

}  // namespace rectify::workflow

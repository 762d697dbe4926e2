// EvolveComplaint: folds a complaint's events into the v1::Complaint; see
// complaints.h.
#include <string>

#include "absl/strings/str_cat.h"
#include "base/proto_time.h"
#include "workflow/complaints.h"

namespace rectify::workflow {

absl::Status EvolveComplaint(v1::Complaint& complaint, const v1::Event& event) {
  const std::string where = absl::StrCat("event ", event.stream_id(), "#", event.version());
  auto corrupt = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": ", why));
  };
  if (event.stream_kind() != v1::STREAM_KIND_COMPLAINT || !IsComplaintStreamId(event.stream_id())) {
    return corrupt("not a complaint's");
  }
  if (event.version() != complaint.version() + 1) {
    return corrupt(absl::StrCat("follows version ", complaint.version()));
  }
  if (complaint.version() == 0 && event.payload_case() != v1::Event::kComplaintReceived) {
    return corrupt("comes before the complaint's receipt");
  }
  auto deadline_by_id = [&](const std::string& id) -> v1::Deadline* {
    for (v1::Deadline& d : *complaint.mutable_deadlines()) {
      if (d.deadline_id() == id) return &d;
    }
    return nullptr;
  };
  const google::protobuf::Timestamp& at = event.recorded_at();
  switch (event.payload_case()) {
    case v1::Event::kComplaintReceived: {
      if (complaint.version() != 0) return corrupt("receives a complaint that exists");
      complaint.set_complaint_id(event.stream_id());
      complaint.set_status(v1::COMPLAINT_STATUS_RECEIVED);
      *complaint.mutable_details() = event.complaint_received().details();
      *complaint.mutable_received_by() = event.actor();
      *complaint.mutable_recorded_at() = at;
      break;
    }
    case v1::Event::kComplaintAccepted: {
      complaint.set_status(v1::COMPLAINT_STATUS_ACCEPTED);
      v1::ComplaintAcceptance& acceptance = *complaint.mutable_acceptance();
      *acceptance.mutable_accepted_by() = event.actor();
      *acceptance.mutable_accepted_at() = at;
      acceptance.set_note(event.complaint_accepted().note());
      *acceptance.mutable_notice() = event.complaint_accepted().notice();
      break;
    }
    case v1::Event::kComplaintTransferred: {
      const v1::ComplaintTransferred& t = event.complaint_transferred();
      complaint.set_status(v1::COMPLAINT_STATUS_TRANSFERRED);
      v1::ComplaintTransfer& transfer = *complaint.mutable_transfer();
      transfer.set_competent_body(t.competent_body());
      transfer.set_reason(t.reason());
      *transfer.mutable_transferred_by() = event.actor();
      *transfer.mutable_transferred_at() = at;
      *transfer.mutable_notice() = t.notice();
      break;
    }
    case v1::Event::kComplaintLinked: {
      v1::ComplaintLink& link = *complaint.add_links();
      link.set_case_id(event.complaint_linked().case_id());
      link.set_kind(event.complaint_linked().kind());
      *link.mutable_linked_by() = event.actor();
      *link.mutable_linked_at() = at;
      link.set_note(event.complaint_linked().note());
      break;
    }
    case v1::Event::kComplaintClosedUnfounded: {
      const v1::ComplaintClosedUnfounded& c = event.complaint_closed_unfounded();
      v1::ComplaintSiteCheck& check = *complaint.mutable_site_check();
      *check.mutable_checked_at() = c.checked_at();
      *check.mutable_inspectors() = c.inspectors();
      check.set_findings(c.findings());
      *check.mutable_documents() = c.documents();
      *check.mutable_closed_by() = event.actor();
      *check.mutable_closed_at() = at;
      break;
    }
    case v1::Event::kComplaintReplyExtended: {
      const v1::ComplaintReplyExtended& e = event.complaint_reply_extended();
      v1::ComplaintExtension& extension = *complaint.mutable_extension();
      extension.set_days(e.days());
      extension.set_reason(e.reason());
      *extension.mutable_approved_by() = event.actor();
      *extension.mutable_approved_at() = at;
      *extension.mutable_notice() = e.notice();
      break;
    }
    case v1::Event::kComplaintReplied: {
      const v1::ComplaintReplied& r = event.complaint_replied();
      v1::ComplaintReply& reply = *complaint.add_replies();
      reply.set_text(r.text());
      reply.set_interim(r.interim());
      *reply.mutable_quoted_cases() = r.quoted_cases();
      *reply.mutable_replied_by() = event.actor();
      *reply.mutable_replied_at() = at;
      *reply.mutable_notice() = r.notice();
      if (!r.interim()) {
        const v1::Deadline* clock = RunningComplaintClock(complaint, v1::DEADLINE_KIND_COMPLAINT_REPLY);
        complaint.set_replied_on_time(clock == nullptr ||
                                      (clock->state() == v1::DEADLINE_STATE_OPEN &&
                                       ToTime(at) < ToTime(clock->due_at())));
        complaint.set_status(v1::COMPLAINT_STATUS_REPLIED);
      }
      break;
    }
    case v1::Event::kComplaintReviewRequested: {
      complaint.set_status(v1::COMPLAINT_STATUS_REVIEW_REQUESTED);
      v1::ComplaintReview& review = *complaint.mutable_review();
      review.set_grounds(event.complaint_review_requested().grounds());
      *review.mutable_requested_by() = event.actor();
      *review.mutable_requested_at() = event.occurred_at();
      break;
    }
    case v1::Event::kComplaintReviewAnswered: {
      const v1::ComplaintReviewAnswered& a = event.complaint_review_answered();
      complaint.set_status(v1::COMPLAINT_STATUS_REVIEW_ANSWERED);
      v1::ComplaintReview& review = *complaint.mutable_review();
      review.set_answer(a.answer());
      review.set_outcome(a.outcome());
      *review.mutable_answered_by() = event.actor();
      *review.mutable_answered_at() = at;
      *review.mutable_notice() = a.notice();
      break;
    }
    case v1::Event::kComplaintCallbackRecorded: {
      v1::ComplaintCallback& callback = *complaint.add_callbacks();
      callback.set_result(event.complaint_callback_recorded().result());
      callback.set_note(event.complaint_callback_recorded().note());
      *callback.mutable_recorded_by() = event.actor();
      *callback.mutable_recorded_at() = at;
      break;
    }
    case v1::Event::kSiteCheckDocumentUploaded:
      // The bytes are stored and the record is in the event; the complaint
      // lists a document once CloseComplaintUnfounded names it.
      if (complaint.status() != v1::COMPLAINT_STATUS_ACCEPTED) {
        return corrupt("a site-check document uploaded to a complaint not accepted");
      }
      break;
    case v1::Event::kDeadlineOpened: {
      const v1::Deadline& deadline = event.deadline_opened().deadline();
      if (deadline_by_id(deadline.deadline_id()) != nullptr) return corrupt("clock opened twice");
      *complaint.add_deadlines() = deadline;
      break;
    }
    case v1::Event::kDeadlineExtended: {
      v1::Deadline* deadline = deadline_by_id(event.deadline_extended().deadline_id());
      if (deadline == nullptr) return corrupt("no such clock");
      *deadline->mutable_due_at() = event.deadline_extended().due_at();
      *deadline->mutable_rule() = event.deadline_extended().rule();
      break;
    }
    case v1::Event::kDeadlineRecounted: {
      v1::Deadline* deadline = deadline_by_id(event.deadline_recounted().deadline_id());
      if (deadline == nullptr) return corrupt("no such clock");
      if (deadline->state() != v1::DEADLINE_STATE_OPEN) return corrupt("recounted a closed clock");
      *deadline->mutable_due_at() = event.deadline_recounted().due_at();
      *deadline->mutable_rule() = event.deadline_recounted().rule();
      break;
    }
    case v1::Event::kDeadlineMissed: {
      v1::Deadline* deadline = deadline_by_id(event.deadline_missed().deadline_id());
      if (deadline == nullptr) return corrupt("no such clock");
      if (deadline->state() != v1::DEADLINE_STATE_OPEN) return corrupt("clock missed twice");
      deadline->set_state(v1::DEADLINE_STATE_MISSED);
      *deadline->mutable_ended_at() = at;
      break;
    }
    case v1::Event::kDeadlineClosed: {
      v1::Deadline* deadline = deadline_by_id(event.deadline_closed().deadline_id());
      if (deadline == nullptr) return corrupt("no such clock");
      deadline->set_state(event.deadline_closed().state());
      *deadline->mutable_ended_at() = at;
      break;
    }
    default:
      return corrupt("not a complaint event");
  }
  complaint.set_overdue(std::any_of(
      complaint.deadlines().begin(), complaint.deadlines().end(), [](const v1::Deadline& d) {
        return d.state() == v1::DEADLINE_STATE_MISSED && IsComplaintObligation(d.kind());
      }));
  complaint.set_version(event.version());
  *complaint.mutable_updated_at() = at;
  return absl::OkStatus();
}

}  // namespace rectify::workflow

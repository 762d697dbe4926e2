// The case workflow's Decide: the case state machine's commands and
// MarkOverdue. The shared guards and deadline bookkeeping are in
// decide_internal.cc, the referral commands in referrals.cc, Evolve in
// evolve.cc; see decider.h.
//
// One file (about 770 lines), on purpose: it is the case state machine, one
// Decide* function per command (20 to 100 lines each) and the dispatch
// DecideCaseCommand; read together they are the table docs/workflow.md
// describes, and tests/workflow/state_table_test.cc checks.
#include "workflow/decider.h"

#include <algorithm>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/cord.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/dates.h"
#include "base/status_macros.h"
#include "base/status_words.h"
#include "base/user_message.h"
#include "workflow/decide_internal.h"
#include "base/proto_time.h"
#include "workflow/validation.h"

namespace rectify::workflow {
namespace {

using internal::Context;
using internal::Refuse;
using internal::RequireJurisdiction;
using internal::RequireOwnUnit;
using internal::RequireRole;
using internal::RequireStatus;

// INVALID_ARGUMENT naming `field` unless every id is evidence recorded on the case.
absl::Status RequireEvidence(const Context& context,
                             const google::protobuf::RepeatedPtrField<std::string>& ids,
                             absl::string_view field) {
  for (int i = 0; i < ids.size(); ++i) {
    const bool known = std::any_of(
        context.state().evidence().begin(), context.state().evidence().end(),
        [&](const v1::Evidence& evidence) { return evidence.evidence_id() == ids[i]; });
    if (!known) {
      return WithUserMessage(
          absl::InvalidArgumentError(absl::StrCat(field, "[", i, "]: case ",
                                                  context.state().case_id(), " has no evidence \"",
                                                  ids[i], "\"; record it first")),
          absl::StrCat(FieldLabel(field), "第", i + 1, "项：案件 ", context.state().case_id(),
                       " 没有证据“", ids[i], "”，请先上传该证据"),
          absl::StrCat(field, "[", i, "]"));
    }
  }
  return absl::OkStatus();
}

// FAILED_PRECONDITION naming the first open referral, if any.
absl::Status RequireNoOpenReferral(const Context& context, absl::string_view action) {
  for (const v1::Referral& referral : context.state().referrals()) {
    if (internal::IsReferralOpen(referral.state())) {
      return Refuse(context, absl::StrCat("its referral ", referral.referral_id(), " is still open (",
                                          internal::ReferralStateName(referral.state()),
                                          "), and a case cannot be ", action,
                                          " while a referral is open; finish or withdraw it first"),
                    absl::StrCat("其移送 ", referral.referral_id(), " 尚未办结（",
                                 ReferralStateWords(referral.state()), "），移送未结时不能",
                                 internal::ActionWords(context.command()), "；请先办结或撤回移送"));
    }
  }
  return absl::OkStatus();
}

// Cancels the case's running stage deadlines (not those of referrals).
void CancelCaseDeadlines(Context& context) {
  for (const v1::Deadline& deadline : context.state().deadlines()) {
    if (!deadline.referral_id().empty()) continue;
    if (deadline.state() == v1::DEADLINE_STATE_OPEN || deadline.state() == v1::DEADLINE_STATE_MISSED) {
      context.CloseDeadline(deadline, /*cancel=*/true);
    }
  }
}

absl::Status DecideReport(Context& context) {
  const v1::ReportCaseRequest& request = context.command().report_case();
  RETURN_IF_ERROR(RequireRole(context, {v1::ROLE_INSPECTOR, v1::ROLE_SUPERVISOR}, "report a case"));
  if (!InJurisdiction(request.location().region_code(), context.principal().jurisdiction())) {
    return WithUserMessage(
        absl::PermissionDeniedError(absl::StrCat(
            "region ", request.location().region_code(), " is outside the jurisdiction \"",
            context.principal().jurisdiction(), "\" of ", context.principal().principal_id())),
        absl::StrCat("区域 ", request.location().region_code(), " 不在您的辖区（",
                     context.principal().jurisdiction(), "）内，不能在此上报案件"));
  }
  if (context.state().version() != 0) {
    return ::rectify::Refuse(absl::StatusCode::kAlreadyExists,
                             absl::StrCat("case ", context.state().case_id(), " already exists"),
                             absl::StrCat("案件 ", context.state().case_id(), " 已存在"));
  }
  v1::CaseReported& reported = *context.Add().mutable_case_reported();
  reported.set_case_id(context.command().stream_id());
  reported.set_title(request.title());
  reported.set_description(request.description());
  reported.set_category(request.category());
  reported.set_severity(request.severity());
  reported.set_source(request.source());
  reported.set_source_reference(request.source_reference());
  *reported.mutable_location() = request.location();
  *reported.mutable_subject() = request.subject();
  *reported.mutable_complainant() = request.complainant();
  *reported.mutable_found_at() = request.found_at();
  *reported.mutable_tags() = request.tags();
  return absl::OkStatus();
}


absl::Status OpenStartDeadline(Context& context) {
  return context.OpenDeadline(v1::DEADLINE_KIND_START, context.NumberedDeadlineId("start"), "");
}

absl::Status DecideAssign(Context& context) {
  const v1::AssignCaseRequest& request = context.command().assign_case();
  RETURN_IF_ERROR(RequireRole(context, {v1::ROLE_SUPERVISOR}, "assign a case"));
  RETURN_IF_ERROR(RequireJurisdiction(context));
  RETURN_IF_ERROR(RequireStatus(context, {v1::CASE_STATUS_FOUND}, "assigned"));
  ASSIGN_OR_RETURN(const ComputedDeadline due,
                   context.RectificationDue(request.has_rectification_due_at(),
                                            request.rectification_due_at(), "rectification_due_at"));
  v1::CaseAssigned& assigned = *context.Add().mutable_case_assigned();
  assigned.set_responsible_unit(request.responsible_unit());
  assigned.set_requirements(request.requirements());
  *assigned.mutable_rectification_due_at() = ToProto(due.due_at);
  context.AddDeadline(v1::DEADLINE_KIND_RECTIFICATION, context.NumberedDeadlineId("rect"), "", due);
  return OpenStartDeadline(context);
}

absl::Status DecideReassign(Context& context) {
  const v1::ReassignCaseRequest& request = context.command().reassign_case();
  RETURN_IF_ERROR(RequireRole(context, {v1::ROLE_SUPERVISOR}, "reassign a case"));
  RETURN_IF_ERROR(RequireJurisdiction(context));
  RETURN_IF_ERROR(RequireStatus(context, {v1::CASE_STATUS_ASSIGNED}, "reassigned"));
  if (request.responsible_unit() == context.state().responsible_unit()) {
    return Refuse(context, absl::StrCat("it is already with ", request.responsible_unit(),
                                        "; reassigning moves it to another unit"),
                  absl::StrCat("案件已由“", request.responsible_unit(),
                               "”负责，改派须改为其他单位"));
  }
  ASSIGN_OR_RETURN(const ComputedDeadline due,
                   context.RectificationDue(request.has_rectification_due_at(),
                                            request.rectification_due_at(), "rectification_due_at"));
  v1::CaseReassigned& reassigned = *context.Add().mutable_case_reassigned();
  reassigned.set_previous_unit(context.state().responsible_unit());
  reassigned.set_responsible_unit(request.responsible_unit());
  reassigned.set_requirements(request.requirements().empty() ? context.state().requirements()
                                                             : request.requirements());
  *reassigned.mutable_rectification_due_at() = ToProto(due.due_at);
  reassigned.set_reason(request.reason());
  // The new unit gets deadlines of its own; the old ones no longer apply.
  if (const v1::Deadline* old = internal::ActiveDeadline(context.state(), v1::DEADLINE_KIND_RECTIFICATION)) {
    context.CloseDeadline(*old, /*cancel=*/true);
  }
  context.AddDeadline(v1::DEADLINE_KIND_RECTIFICATION, context.NumberedDeadlineId("rect"), "", due);
  if (const v1::Deadline* old = internal::ActiveDeadline(context.state(), v1::DEADLINE_KIND_START)) {
    context.CloseDeadline(*old, /*cancel=*/true);
  }
  return OpenStartDeadline(context);
}

absl::Status DecideStart(Context& context) {
  RETURN_IF_ERROR(RequireRole(context, {v1::ROLE_RECTIFIER}, "start rectification"));
  RETURN_IF_ERROR(RequireJurisdiction(context));
  RETURN_IF_ERROR(RequireStatus(context, {v1::CASE_STATUS_ASSIGNED}, "started"));
  RETURN_IF_ERROR(RequireOwnUnit(context, "start rectification"));
  context.Add().mutable_rectification_started()->set_note(context.command().start_rectification().note());
  if (const v1::Deadline* start = internal::ActiveDeadline(context.state(), v1::DEADLINE_KIND_START)) {
    context.CloseDeadline(*start, /*cancel=*/false);
  }
  return absl::OkStatus();
}

absl::Status DecideProgress(Context& context) {
  const v1::ReportProgressRequest& request = context.command().report_progress();
  RETURN_IF_ERROR(RequireRole(context, {v1::ROLE_RECTIFIER}, "report progress"));
  RETURN_IF_ERROR(RequireJurisdiction(context));
  RETURN_IF_ERROR(RequireStatus(context, {v1::CASE_STATUS_RECTIFYING}, "reported on"));
  RETURN_IF_ERROR(RequireOwnUnit(context, "report progress"));
  RETURN_IF_ERROR(RequireEvidence(context, request.evidence_ids(), "evidence_ids"));
  v1::ProgressReported& progress = *context.Add().mutable_progress_reported();
  progress.set_text(request.text());
  progress.set_percent_complete(request.percent_complete());
  *progress.mutable_evidence_ids() = request.evidence_ids();
  return absl::OkStatus();
}

absl::Status DecideRequestExtension(Context& context) {
  const v1::RequestExtensionRequest& request = context.command().request_extension();
  RETURN_IF_ERROR(RequireRole(context, {v1::ROLE_RECTIFIER}, "request an extension"));
  RETURN_IF_ERROR(RequireJurisdiction(context));
  RETURN_IF_ERROR(RequireStatus(context, {v1::CASE_STATUS_RECTIFYING}, "given more time"));
  RETURN_IF_ERROR(RequireOwnUnit(context, "request an extension"));
  if (context.state().completion_pending()) {
    return Refuse(context, "its completion was submitted and awaits verification; more time is "
                           "asked for before submitting",
                  "整改完成已提交、正在等待验收，延期须在提交整改完成前申请");
  }
  for (const v1::ExtensionRequest& pending : context.state().extension_requests()) {
    if (pending.state() == v1::EXTENSION_STATE_REQUESTED) {
      return Refuse(context, absl::StrCat("its extension request ", pending.request_id(),
                                          " is still waiting for a decision; one request at a time"),
                    absl::StrCat("延期申请 ", pending.request_id(),
                                 " 尚待审批，同一时间只能有一项延期申请"));
    }
  }
  if (ToTime(request.requested_due_at()) <= ToTime(context.state().rectification_due_at())) {
    return WithUserMessage(
        absl::InvalidArgumentError(absl::StrCat(
            "requested_due_at: must be after the current rectification deadline ",
            internal::FormatLocal(ToTime(context.state().rectification_due_at()), context.policy()))),
        absl::StrCat(FieldLabel("requested_due_at"), "：须晚于当前整改期限 ",
                     DeadlineChinese(ToTime(context.state().rectification_due_at()))),
        "requested_due_at");
  }
  v1::ExtensionRequested& requested = *context.Add().mutable_extension_requested();
  requested.set_request_id(absl::StrCat("ext-", context.state().extension_requests_size() + 1));
  *requested.mutable_requested_due_at() = request.requested_due_at();
  requested.set_reason(request.reason());
  return absl::OkStatus();
}

absl::Status DecideDecideExtension(Context& context) {
  const v1::DecideExtensionRequest& request = context.command().decide_extension();
  RETURN_IF_ERROR(RequireRole(context, {v1::ROLE_SUPERVISOR}, "decide an extension"));
  RETURN_IF_ERROR(RequireJurisdiction(context));
  RETURN_IF_ERROR(RequireStatus(context, {v1::CASE_STATUS_RECTIFYING}, "given more time"));
  const v1::ExtensionRequest* pending = nullptr;
  for (const v1::ExtensionRequest& candidate : context.state().extension_requests()) {
    if (candidate.request_id() == request.request_id()) pending = &candidate;
  }
  if (pending == nullptr) {
    return ::rectify::Refuse(absl::StatusCode::kNotFound,
                             absl::StrCat("case ", context.state().case_id(),
                                          " has no extension request ", request.request_id()),
                             absl::StrCat("案件 ", context.state().case_id(), " 没有延期申请 ",
                                          request.request_id()));
  }
  if (pending->state() != v1::EXTENSION_STATE_REQUESTED) {
    return Refuse(context, absl::StrCat("extension request ", request.request_id(), " was already ",
                                        pending->state() == v1::EXTENSION_STATE_GRANTED ? "granted"
                                                                                        : "refused"),
                  absl::StrCat("延期申请 ", request.request_id(), " 已",
                               pending->state() == v1::EXTENSION_STATE_GRANTED ? "批准" : "驳回",
                               "，不能再次审批"));
  }
  if (!request.granted()) {
    v1::ExtensionDecided& decided = *context.Add().mutable_extension_decided();
    decided.set_request_id(request.request_id());
    decided.set_granted(false);
    decided.set_reason(request.reason());
    return absl::OkStatus();
  }
  if (context.state().completion_pending()) {
    return Refuse(context, "its completion was submitted and awaits verification, so there is no "
                           "deadline to extend; refuse the request instead",
                  "整改完成已提交、正在等待验收，没有可延长的期限；请驳回该延期申请");
  }
  const absl::Time due =
      ToTime(request.has_granted_due_at() ? request.granted_due_at() : pending->requested_due_at());
  if (due <= context.now()) {
    return WithUserMessage(
        absl::InvalidArgumentError(absl::StrCat(
            "granted_due_at: the due instant asked for (", internal::FormatLocal(due, context.policy()),
            ") has passed; give a later one")),
        absl::StrCat(FieldLabel("granted_due_at"), "：所选期限（", DeadlineChinese(due),
                     "）已过，请选择更晚的期限"),
        "granted_due_at");
  }
  // An extension gives more time: after the current due, and no more than
  // the unit asked for unless the policy lets the supervisor give more.
  const absl::Time current_due = ToTime(context.state().rectification_due_at());
  if (due <= current_due) {
    return WithUserMessage(
        absl::InvalidArgumentError(absl::StrCat(
            "granted_due_at: ", internal::FormatLocal(due, context.policy()),
            " is not after the current rectification deadline ",
            internal::FormatLocal(current_due, context.policy()), "; an extension gives more time")),
        absl::StrCat(FieldLabel("granted_due_at"), "：", DeadlineChinese(due),
                     " 不晚于当前整改期限 ", DeadlineChinese(current_due), "，延期须给予更多时间"),
        "granted_due_at");
  }
  const absl::Time requested_due = ToTime(pending->requested_due_at());
  if (due > requested_due && !context.policy().extension_grant_beyond_request) {
    return WithUserMessage(
        absl::InvalidArgumentError(absl::StrCat(
            "granted_due_at: ", internal::FormatLocal(due, context.policy()),
            " is later than the ", internal::FormatLocal(requested_due, context.policy()),
            " extension request ", request.request_id(), " asked for; policy ",
            context.policy().name, " grants at most what was asked")),
        absl::StrCat(FieldLabel("granted_due_at"), "：", DeadlineChinese(due), " 晚于延期申请 ",
                     request.request_id(), " 所申请的 ", DeadlineChinese(requested_due),
                     "；现行规则最多批准所申请的期限"),
        "granted_due_at");
  }
  v1::ExtensionDecided& decided = *context.Add().mutable_extension_decided();
  decided.set_request_id(request.request_id());
  decided.set_granted(true);
  *decided.mutable_granted_due_at() = ToProto(due);
  decided.set_reason(request.reason());
  ComputedDeadline computed;
  computed.due_at = due;
  computed.rule.set_unit(v1::DEADLINE_UNIT_FIXED);
  computed.rule.set_basis(absl::StrCat("extension ", request.request_id(), " granted by ",
                                       context.principal().principal_id()));
  const v1::Deadline* current =
      internal::ActiveDeadline(context.state(), v1::DEADLINE_KIND_RECTIFICATION);
  if (current != nullptr && current->state() == v1::DEADLINE_STATE_OPEN) {
    // A running deadline moves.
    v1::DeadlineExtended& extended = *context.Add().mutable_deadline_extended();
    extended.set_deadline_id(current->deadline_id());
    *extended.mutable_due_at() = ToProto(due);
    *extended.mutable_rule() = computed.rule;
  } else {
    // A missed deadline stays missed in the record; a new one replaces it.
    if (current != nullptr) context.CloseDeadline(*current, /*cancel=*/true);
    context.AddDeadline(v1::DEADLINE_KIND_RECTIFICATION, context.NumberedDeadlineId("rect"), "",
                        computed);
  }
  return absl::OkStatus();
}

absl::Status DecideSubmitCompletion(Context& context) {
  const v1::SubmitCompletionRequest& request = context.command().submit_completion();
  RETURN_IF_ERROR(RequireRole(context, {v1::ROLE_RECTIFIER}, "submit completion"));
  RETURN_IF_ERROR(RequireJurisdiction(context));
  RETURN_IF_ERROR(RequireStatus(context, {v1::CASE_STATUS_RECTIFYING}, "submitted as complete"));
  RETURN_IF_ERROR(RequireOwnUnit(context, "submit completion"));
  if (context.state().completion_pending()) {
    return Refuse(context, "its completion was already submitted and awaits on-site verification",
                  "整改完成已提交，正在等待现场验收");
  }
  RETURN_IF_ERROR(RequireEvidence(context, request.evidence_ids(), "evidence_ids"));
  v1::CompletionSubmitted& submitted = *context.Add().mutable_completion_submitted();
  submitted.set_summary(request.summary());
  *submitted.mutable_evidence_ids() = request.evidence_ids();
  if (const v1::Deadline* rect =
          internal::ActiveDeadline(context.state(), v1::DEADLINE_KIND_RECTIFICATION)) {
    context.CloseDeadline(*rect, /*cancel=*/false);
  }
  return absl::OkStatus();
}

// 谁验收、谁负责: whoever verifies answers for the result, so the verifier is
// independent of the work: not the one who submitted completion nor anyone
// of the unit that did; not the supervisor who assigned the case where the
// policy says so; not the inspector who reported it unless the policy
// allows.
absl::Status RequireIndependentVerifier(const Context& context) {
  const v1::Principal& me = context.principal();
  const v1::Case& state = context.state();
  const v1::Actor& submitter = state.completion().submitted_by();
  auto refuse = [&](absl::string_view why, absl::string_view why_zh) {
    return WithUserMessage(
        absl::PermissionDeniedError(absl::StrCat(me.principal_id(), " ", why, " of case ",
                                                 state.case_id(),
                                                 " and so may not verify it (谁验收、谁负责); "
                                                 "someone else verifies on site")),
        absl::StrCat("您", why_zh, "，不能验收案件 ", state.case_id(),
                     "（谁验收、谁负责）；请由其他人员现场验收"));
  };
  if (submitter.principal_id() == me.principal_id()) {
    return refuse("submitted the completion", "提交了该案件的整改完成");
  }
  if (!submitter.unit_id().empty() && submitter.unit_id() == me.unit_id()) {
    return refuse(absl::StrCat("belongs to ", me.unit_id(), ", the unit that submitted the completion"),
                  absl::StrCat("属于提交整改完成的单位“", me.unit_id(), "”"));
  }
  if (context.policy().verifier_not_assigner &&
      state.assigned_by().principal_id() == me.principal_id()) {
    return refuse(absl::StrCat("assigned the rectification (policy ", context.policy().name, ")"),
                  "交办了该案件的整改（现行规则不允许交办人验收）");
  }
  if (!context.policy().reporter_may_verify && me.role() == v1::ROLE_INSPECTOR &&
      state.reported_by().principal_id() == me.principal_id()) {
    return refuse(absl::StrCat("reported the problem (policy ", context.policy().name, ")"),
                  "上报了该问题（现行规则不允许上报人验收）");
  }
  return absl::OkStatus();
}

absl::Status DecideVerify(Context& context) {
  const v1::VerifyRectificationRequest& request = context.command().verify_rectification();
  RETURN_IF_ERROR(RequireRole(context, {v1::ROLE_INSPECTOR, v1::ROLE_SUPERVISOR}, "verify rectification"));
  RETURN_IF_ERROR(RequireJurisdiction(context));
  RETURN_IF_ERROR(RequireStatus(context, {v1::CASE_STATUS_RECTIFYING}, "verified"));
  if (!context.state().completion_pending()) {
    return Refuse(context, "no completion awaits verification; the responsible unit submits "
                           "completion first",
                  "没有待验收的整改完成，须由责任单位先提交整改完成");
  }
  RETURN_IF_ERROR(RequireIndependentVerifier(context));
  RETURN_IF_ERROR(RequireEvidence(context, request.evidence_ids(), "evidence_ids"));
  if (request.passed()) {
    const bool notice = context.policy().deadline(v1::DEADLINE_KIND_PUBLIC_NOTICE).enabled;
    ComputedDeadline notice_due;
    if (notice) {
      ASSIGN_OR_RETURN(notice_due, ComputeDeadline(context.policy(), v1::DEADLINE_KIND_PUBLIC_NOTICE,
                                                   context.now()));
    }
    v1::RectificationVerified& verified = *context.Add().mutable_rectification_verified();
    verified.set_passed(true);
    verified.set_notes(request.notes());
    *verified.mutable_evidence_ids() = request.evidence_ids();
    if (notice) {
      *verified.mutable_public_notice_ends_at() = ToProto(notice_due.due_at);
      context.AddDeadline(v1::DEADLINE_KIND_PUBLIC_NOTICE, context.NumberedDeadlineId("notice"), "",
                          notice_due);
    }
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(const ComputedDeadline due,
                   context.RectificationDue(request.has_new_rectification_due_at(),
                                            request.new_rectification_due_at(),
                                            "new_rectification_due_at"));
  v1::RectificationVerified& verified = *context.Add().mutable_rectification_verified();
  verified.set_passed(false);
  verified.set_notes(request.notes());
  *verified.mutable_evidence_ids() = request.evidence_ids();
  *verified.mutable_new_rectification_due_at() = ToProto(due.due_at);
  context.AddDeadline(v1::DEADLINE_KIND_RECTIFICATION, context.NumberedDeadlineId("rect"), "", due);
  return absl::OkStatus();
}

absl::Status DecideObjection(Context& context) {
  const v1::RaiseObjectionRequest& request = context.command().raise_objection();
  RETURN_IF_ERROR(RequireRole(context, {v1::ROLE_SUPERVISOR}, "record an objection"));
  RETURN_IF_ERROR(RequireJurisdiction(context));
  RETURN_IF_ERROR(RequireStatus(context, {v1::CASE_STATUS_VERIFIED}, "objected to"));
  const v1::PublicNotice& notice = context.state().public_notice();
  if (!notice.has_ends_at()) {
    return Refuse(context, "it has no public notice; an objection can be raised only during one",
                  "该案件没有公示，只能在公示期内提出异议");
  }
  if (ToTime(notice.ends_at()) <= context.now()) {
    return Refuse(context, absl::StrCat("its public notice ended at ",
                                        internal::FormatLocal(ToTime(notice.ends_at()), context.policy()),
                                        "; an objection can be raised only during the notice"),
                  absl::StrCat("公示已于 ", TimeChinese(ToTime(notice.ends_at())),
                               " 结束，只能在公示期内提出异议"));
  }
  ASSIGN_OR_RETURN(const ComputedDeadline due,
                   context.RectificationDue(request.has_new_rectification_due_at(),
                                            request.new_rectification_due_at(),
                                            "new_rectification_due_at"));
  v1::ObjectionRaised& objection = *context.Add().mutable_objection_raised();
  objection.set_text(request.text());
  *objection.mutable_new_rectification_due_at() = ToProto(due.due_at);
  if (const v1::Deadline* running =
          internal::ActiveDeadline(context.state(), v1::DEADLINE_KIND_PUBLIC_NOTICE)) {
    context.CloseDeadline(*running, /*cancel=*/true);
  }
  context.AddDeadline(v1::DEADLINE_KIND_RECTIFICATION, context.NumberedDeadlineId("rect"), "", due);
  return absl::OkStatus();
}

absl::Status DecideClose(Context& context) {
  RETURN_IF_ERROR(RequireRole(context, {v1::ROLE_SUPERVISOR}, "close a case"));
  RETURN_IF_ERROR(RequireJurisdiction(context));
  RETURN_IF_ERROR(RequireStatus(context, {v1::CASE_STATUS_VERIFIED}, "closed"));
  const v1::PublicNotice& notice = context.state().public_notice();
  if (notice.has_ends_at() && context.now() < ToTime(notice.ends_at())) {
    return Refuse(context, absl::StrCat("its public notice runs until ",
                                        internal::FormatLocal(ToTime(notice.ends_at()), context.policy()),
                                        "; it can be closed from then on"),
                  absl::StrCat("公示期至 ", TimeChinese(ToTime(notice.ends_at())),
                               "，届时方可销号"));
  }
  RETURN_IF_ERROR(RequireNoOpenReferral(context, "closed"));
  context.Add().mutable_case_closed()->set_remark(context.command().close_case().remark());
  for (const v1::Deadline& deadline : context.state().deadlines()) {
    // The notice ran its full course: its deadline is met.
    if (deadline.referral_id().empty() && deadline.state() == v1::DEADLINE_STATE_OPEN) {
      context.CloseDeadline(deadline, /*cancel=*/deadline.kind() != v1::DEADLINE_KIND_PUBLIC_NOTICE);
    }
  }
  return absl::OkStatus();
}

absl::Status DecideCloseUnfounded(Context& context) {
  RETURN_IF_ERROR(RequireRole(context, {v1::ROLE_SUPERVISOR}, "close a case as unfounded"));
  RETURN_IF_ERROR(RequireJurisdiction(context));
  RETURN_IF_ERROR(RequireStatus(context, {v1::CASE_STATUS_FOUND}, "closed as unfounded"));
  RETURN_IF_ERROR(RequireNoOpenReferral(context, "closed as unfounded"));
  context.Add().mutable_case_closed_unfounded()->set_reason(
      context.command().close_as_unfounded().reason());
  CancelCaseDeadlines(context);
  return absl::OkStatus();
}

absl::Status DecideReopen(Context& context) {
  const v1::ReopenCaseRequest& request = context.command().reopen_case();
  RETURN_IF_ERROR(RequireRole(context, {v1::ROLE_SUPERVISOR}, "reopen a case"));
  RETURN_IF_ERROR(RequireJurisdiction(context));
  RETURN_IF_ERROR(RequireStatus(context, {v1::CASE_STATUS_CLOSED}, "reopened"));
  if (request.responsible_unit().empty() && context.state().responsible_unit().empty()) {
    return WithUserMessage(
        absl::InvalidArgumentError(absl::StrCat(
            "responsible_unit: is required: case ", context.state().case_id(),
            " was closed as unfounded and has no responsible unit to rectify it")),
        absl::StrCat(FieldLabel("responsible_unit"), "：必填（案件 ", context.state().case_id(),
                     " 以查无实据销号，尚无负责整改的单位）"),
        "responsible_unit");
  }
  ASSIGN_OR_RETURN(const ComputedDeadline due,
                   context.RectificationDue(request.has_rectification_due_at(),
                                            request.rectification_due_at(), "rectification_due_at"));
  v1::CaseReopened& reopened = *context.Add().mutable_case_reopened();
  reopened.set_reason(request.reason());
  *reopened.mutable_rectification_due_at() = ToProto(due.due_at);
  reopened.set_responsible_unit(request.responsible_unit());
  context.AddDeadline(v1::DEADLINE_KIND_RECTIFICATION, context.NumberedDeadlineId("rect"), "", due);
  return absl::OkStatus();
}

absl::Status DecideRecordEvidence(Context& context) {
  const v1::UploadEvidenceMetadata& request = context.command().record_evidence();
  RETURN_IF_ERROR(RequireRole(context, {v1::ROLE_INSPECTOR, v1::ROLE_SUPERVISOR, v1::ROLE_RECTIFIER},
                              "record evidence"));
  RETURN_IF_ERROR(RequireJurisdiction(context));
  RETURN_IF_ERROR(RequireOwnUnit(context, "record evidence"));
  v1::Evidence& evidence = *context.Add().mutable_evidence_recorded()->mutable_evidence();
  evidence.set_evidence_id(absl::StrCat("ev-", context.state().evidence_size() + 1));
  evidence.set_kind(request.kind());
  evidence.set_file_name(request.file_name());
  evidence.set_media_type(request.media_type());
  evidence.set_sha256(request.sha256());
  evidence.set_size_bytes(request.size_bytes());
  evidence.set_original_sha256(request.original_sha256());
  evidence.set_original_size_bytes(request.original_size_bytes());
  evidence.set_description(request.description());
  if (request.has_captured_at()) *evidence.mutable_captured_at() = request.captured_at();
  return absl::OkStatus();
}

absl::Status DecideMarkOverdue(Context& context) {
  const std::string& deadline_id = context.command().mark_overdue().deadline_id();
  if (context.principal().role() != v1::ROLE_SYSTEM) {
    return WithUserMessage(
        absl::PermissionDeniedError(absl::StrCat(
            "only the server's deadline scheduler may mark a deadline overdue; ",
            context.principal().principal_id(), " is ",
            internal::RoleWords(context.principal().role()))),
        "只有系统的期限调度程序才能标记逾期");
  }
  const v1::Deadline* deadline = internal::FindDeadline(context.state(), deadline_id);
  if (deadline == nullptr) {
    return ::rectify::Refuse(
        absl::StatusCode::kNotFound,
        absl::StrCat("case ", context.state().case_id(), " has no deadline ", deadline_id),
        absl::StrCat("案件 ", context.state().case_id(), " 没有期限 ", deadline_id));
  }
  if (deadline->state() != v1::DEADLINE_STATE_OPEN) {
    std::string state = v1::DeadlineState_Name(deadline->state());
    return WithUserMessage(
        absl::FailedPreconditionError(absl::StrCat(
            "deadline ", deadline_id, " of case ", context.state().case_id(), " is ",
            state.substr(std::string("DEADLINE_STATE_").size()),
            ", not OPEN; a deadline is marked overdue once, while it runs")),
        absl::StrCat("案件 ", context.state().case_id(), " 的期限 ", deadline_id,
                     " 已不在计时中，不能再标记逾期"));
  }
  const absl::Time due = ToTime(deadline->due_at());
  if (context.now() < due) {
    return WithUserMessage(
        NotYetDueError(absl::StrCat("deadline ", deadline_id, " of case ", context.state().case_id(),
                                    " is not due until ", internal::FormatLocal(due, context.policy())),
                       due),
        absl::StrCat("案件 ", context.state().case_id(), " 的期限 ", deadline_id, " 尚未到期（",
                     DeadlineChinese(due), " 到期）"));
  }
  if (deadline->kind() == v1::DEADLINE_KIND_PUBLIC_NOTICE) {
    // The notice ran its course without objection: nobody is late.
    context.CloseDeadline(*deadline, /*cancel=*/false);
    return absl::OkStatus();
  }
  v1::DeadlineMissed& missed = *context.Add().mutable_deadline_missed();
  missed.set_deadline_id(deadline_id);
  *missed.mutable_due_at() = deadline->due_at();
  if (deadline->kind() == v1::DEADLINE_KIND_RECONSIDERATION_REQUEST ||
      deadline->kind() == v1::DEADLINE_KIND_SUPERVISION_REQUEST) {
    // The window to contest the decline closed unused: the decline stands.
    const v1::Referral* referral = internal::FindReferral(context.state(), deadline->referral_id());
    if (referral != nullptr && internal::IsReferralOpen(referral->state())) {
      v1::ReferralDeclineFinal& final_decline = *context.Add().mutable_referral_decline_final();
      final_decline.set_referral_id(referral->referral_id());
      final_decline.set_reason(
          deadline->kind() == v1::DEADLINE_KIND_RECONSIDERATION_REQUEST
              ? "no reconsideration was requested in time"
              : "no supervision by the procuratorate was requested in time");
    }
  }
  return absl::OkStatus();
}

absl::Status DecideRecountDeadline(Context& context) {
  const v1::RecountDeadlineRequest& request = context.command().recount_deadline();
  if (context.principal().role() != v1::ROLE_SYSTEM) {
    return WithUserMessage(
        absl::PermissionDeniedError(absl::StrCat(
            "only the server may recount a deadline under a new calendar; ",
            context.principal().principal_id(), " is ",
            internal::RoleWords(context.principal().role()))),
        "只有系统才能按新的节假日安排重算期限");
  }
  const v1::Deadline* deadline = internal::FindDeadline(context.state(), request.deadline_id());
  if (deadline == nullptr) {
    return ::rectify::Refuse(
        absl::StatusCode::kNotFound,
        absl::StrCat("case ", context.state().case_id(), " has no deadline ", request.deadline_id()),
        absl::StrCat("案件 ", context.state().case_id(), " 没有期限 ", request.deadline_id()));
  }
  ASSIGN_OR_RETURN(const ComputedDeadline recounted,
                   RecountDeadline(context.state(), *deadline, context.policy()));
  if (!RecountChanges(*deadline, recounted)) {
    return WithUserMessage(
        absl::FailedPreconditionError(absl::StrCat(
            "deadline ", request.deadline_id(), " of case ", context.state().case_id(),
            " is already counted as the loaded calendar counts it")),
        absl::StrCat("案件 ", context.state().case_id(), " 的期限 ", request.deadline_id(),
                     " 已按现行节假日安排计算，无需重算"));
  }
  v1::DeadlineRecounted& event = *context.Add().mutable_deadline_recounted();
  event.set_deadline_id(deadline->deadline_id());
  *event.mutable_previous_due_at() = deadline->due_at();
  *event.mutable_due_at() = ToProto(recounted.due_at);
  *event.mutable_rule() = recounted.rule;
  event.set_calendar_sha256(request.calendar_sha256());
  event.set_calendar_years(request.calendar_years());
  return absl::OkStatus();
}

absl::Status DecideCaseCommand(Context& context) {
  switch (context.command().request_case()) {
    case v1::Command::kAssignCase:
      return DecideAssign(context);
    case v1::Command::kReassignCase:
      return DecideReassign(context);
    case v1::Command::kStartRectification:
      return DecideStart(context);
    case v1::Command::kReportProgress:
      return DecideProgress(context);
    case v1::Command::kRequestExtension:
      return DecideRequestExtension(context);
    case v1::Command::kDecideExtension:
      return DecideDecideExtension(context);
    case v1::Command::kSubmitCompletion:
      return DecideSubmitCompletion(context);
    case v1::Command::kVerifyRectification:
      return DecideVerify(context);
    case v1::Command::kRaiseObjection:
      return DecideObjection(context);
    case v1::Command::kCloseCase:
      return DecideClose(context);
    case v1::Command::kCloseAsUnfounded:
      return DecideCloseUnfounded(context);
    case v1::Command::kReopenCase:
      return DecideReopen(context);
    case v1::Command::kRecordEvidence:
      return DecideRecordEvidence(context);
    case v1::Command::kMarkOverdue:
      return DecideMarkOverdue(context);
    case v1::Command::kRecountDeadline:
      return DecideRecountDeadline(context);
    default:
      return internal::DecideReferralCommand(context);
  }
}

}  // namespace

bool IsObligation(v1::DeadlineKind kind) { return internal::IsObligation(kind); }

absl::StatusOr<ComputedDeadline> RecountDeadline(const v1::Case& state, const v1::Deadline& deadline,
                                                 const Policy& policy) {
  if (deadline.state() != v1::DEADLINE_STATE_OPEN) {
    return absl::FailedPreconditionError(absl::StrCat("deadline ", deadline.deadline_id(), " of case ",
                                                      state.case_id(), " no longer runs"));
  }
  const v1::DeadlineRule& rule = deadline.rule();
  if (rule.unit() != v1::DEADLINE_UNIT_CALENDAR_DAYS && rule.unit() != v1::DEADLINE_UNIT_WORKING_DAYS) {
    return absl::FailedPreconditionError(absl::StrCat("deadline ", deadline.deadline_id(), " of case ",
                                                      state.case_id(), " is not counted in days"));
  }
  if (policy.calendar == nullptr) return absl::FailedPreconditionError("the policy has no calendar");
  absl::Time start = ToTime(deadline.opened_at());
  if (rule.has_counted_from()) {
    start = ToTime(rule.counted_from());
  } else if (deadline.kind() == v1::DEADLINE_KIND_REFERRAL_FILING_DECISION) {
    // A longer review (7 or 30 days) counts from the receipt.
    const v1::Referral* referral = internal::FindReferral(state, deadline.referral_id());
    if (referral != nullptr && referral->has_received_at()) start = ToTime(referral->received_at());
  }
  ASSIGN_OR_RETURN(ComputedDeadline recounted,
                   CountDeadline(*policy.calendar, rule.unit(), rule.amount(), start));
  recounted.rule.set_basis(rule.basis());
  return recounted;
}

bool RecountChanges(const v1::Deadline& deadline, const ComputedDeadline& recounted) {
  return ToTime(deadline.due_at()) != recounted.due_at ||
         deadline.rule().provisional() != recounted.rule.provisional();
}

namespace {
// The payload's type URL; its value is the due instant in Unix microseconds.
constexpr absl::string_view kNotYetDueType = "type.rectify.dev/rectify.workflow.NotYetDue";
}  // namespace

absl::Status NotYetDueError(absl::string_view message, absl::Time due) {
  absl::Status status = absl::FailedPreconditionError(message);
  status.SetPayload(kNotYetDueType, absl::Cord(absl::StrCat(absl::ToUnixMicros(due))));
  return status;
}

std::optional<absl::Time> NotYetDueUntil(const absl::Status& status) {
  if (!absl::IsFailedPrecondition(status)) return std::nullopt;
  const auto payload = status.GetPayload(kNotYetDueType);
  int64_t micros = 0;
  if (!payload.has_value() || !absl::SimpleAtoi(std::string(*payload), &micros)) return std::nullopt;
  return absl::FromUnixMicros(micros);
}

v1::Actor ActorOf(const v1::Principal& principal) {
  v1::Actor actor;
  actor.set_principal_id(principal.principal_id());
  actor.set_role(principal.role());
  actor.set_unit_id(principal.unit_id());
  actor.set_display_name(principal.display_name());
  return actor;
}

v1::Event CommandEnvelope(const v1::Command& command, const v1::Principal& principal,
                          absl::Time now) {
  v1::Event event;
  *event.mutable_recorded_at() = ToProto(now);
  *event.mutable_occurred_at() =
      command.has_occurred_at() ? command.occurred_at() : event.recorded_at();
  *event.mutable_actor() = ActorOf(principal);
  event.set_command_id(command.command_id());
  return event;
}

absl::StatusOr<std::vector<v1::Event>> Decide(const v1::Case& state, const v1::Command& command,
                                             const v1::Principal& principal, absl::Time now,
                                             const Policy& policy) {
  RETURN_IF_ERROR(ValidateCommand(command, now, policy));
  if (command.request_case() == v1::Command::kReportCase) {
    Context context(state, command, principal, now, policy,
                    command.report_case().location().region_code());
    RETURN_IF_ERROR(DecideReport(context));
    return context.Take();
  }
  if (state.version() == 0) {
    return ::rectify::Refuse(absl::StatusCode::kNotFound,
                             absl::StrCat("case ", command.stream_id(), " does not exist"),
                             absl::StrCat("案件 ", command.stream_id(), " 不存在"));
  }
  if (command.has_expected_version() && command.expected_version() != state.version()) {
    return ::rectify::Refuse(
        absl::StatusCode::kAborted,
        absl::StrCat("case ", state.case_id(), " is at version ", state.version(),
                     "; the command expected version ", command.expected_version()),
        absl::StrCat("案件 ", state.case_id(), " 已被他人更新（当前为第 ", state.version(),
                     " 版，您看到的是第 ", command.expected_version(), " 版），请刷新后重试"));
  }
  Context context(state, command, principal, now, policy, state.location().region_code());
  RETURN_IF_ERROR(DecideCaseCommand(context));
  return context.Take();
}

}  // namespace rectify::workflow

// The referral commands of Decide (DOMAIN.md, "Referral to the police and
// procuratorate"): each referral of a case has its own state and deadlines;
// the case's state matters only to proposing (not on a CLOSED case), and a
// case cannot be closed while a referral is open.
//
// About 600 lines in one file, on purpose: one Decide* function per referral
// command and their dispatch, the referral's state machine read as one table
// (docs/workflow.md); its validation is in referral_validation.cc.
#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/status_words.h"
#include "base/user_message.h"
#include "workflow/decide_internal.h"
#include "workflow/decider.h"
#include "base/proto_time.h"
#include "workflow/validation.h"

namespace rectify::workflow::internal {
namespace {

// The referral a command names, or NOT_FOUND.
absl::StatusOr<const v1::Referral*> GetReferral(const Context& context,
                                                const std::string& referral_id) {
  const v1::Referral* referral = FindReferral(context.state(), referral_id);
  if (referral == nullptr) {
    return ::rectify::Refuse(absl::StatusCode::kNotFound,
                             absl::StrCat("case ", context.state().case_id(), " has no referral ",
                                          referral_id),
                             absl::StrCat("案件 ", context.state().case_id(), " 没有移送 ", referral_id));
  }
  return referral;
}

// What may be done with a referral in each state, for refusals.
absl::string_view ReferralAllowed(v1::ReferralState state) {
  switch (state) {
    case v1::REFERRAL_STATE_PROPOSED:
      return "the bureau head approves or refuses it; a supervisor may withdraw it";
    case v1::REFERRAL_STATE_APPROVED:
      return "a supervisor sends it to the police or withdraws it";
    case v1::REFERRAL_STATE_SENT:
      return "the police sign the receipt; a supervisor may withdraw it";
    case v1::REFERRAL_STATE_RECEIVED:
      return "the police decide on filing or extend their review; a supervisor may withdraw it";
    case v1::REFERRAL_STATE_DECLINED:
      return "a supervisor requests reconsideration or withdraws it";
    case v1::REFERRAL_STATE_RECONSIDERATION_REQUESTED:
      return "the police decide the reconsideration; a supervisor may withdraw it";
    case v1::REFERRAL_STATE_DECLINE_UPHELD:
      return "a supervisor requests supervision by the procuratorate or withdraws it";
    case v1::REFERRAL_STATE_SUPERVISION_REQUESTED:
      return "the police explain the non-filing or decide again; a supervisor may withdraw it";
    default:
      return "nothing: it has ended";
  }
}

// What may be done with a referral in each state, in Chinese.
absl::string_view ReferralAllowedWords(v1::ReferralState state) {
  switch (state) {
    case v1::REFERRAL_STATE_PROPOSED:
      return "由局领导批准或不同意，科室负责人可撤回";
    case v1::REFERRAL_STATE_APPROVED:
      return "由科室负责人移送公安或撤回";
    case v1::REFERRAL_STATE_SENT:
      return "由公安机关签收，科室负责人可撤回";
    case v1::REFERRAL_STATE_RECEIVED:
      return "由公安机关作出立案决定或延长审查期限，科室负责人可撤回";
    case v1::REFERRAL_STATE_DECLINED:
      return "由科室负责人要求复议或撤回";
    case v1::REFERRAL_STATE_RECONSIDERATION_REQUESTED:
      return "由公安机关作出复议决定，科室负责人可撤回";
    case v1::REFERRAL_STATE_DECLINE_UPHELD:
      return "由科室负责人提请检察监督或撤回";
    case v1::REFERRAL_STATE_SUPERVISION_REQUESTED:
      return "由公安机关说明不立案理由或重新决定，科室负责人可撤回";
    default:
      return "无（移送已办结）";
  }
}

// FAILED_PRECONDITION unless the referral is in `allowed`.
absl::Status RequireReferralState(const Context& context, const v1::Referral& referral,
                                  std::initializer_list<v1::ReferralState> allowed,
                                  absl::string_view passive_action) {
  if (std::find(allowed.begin(), allowed.end(), referral.state()) != allowed.end()) {
    return absl::OkStatus();
  }
  std::string names;
  std::string words;
  for (v1::ReferralState state : allowed) {
    absl::StrAppend(&names, names.empty() ? "" : " or ", ReferralStateName(state));
    absl::StrAppend(&words, words.empty() ? "" : "或", "“", ReferralStateWords(state), "”");
  }
  const std::string state = ReferralStateName(referral.state());
  return WithUserMessage(
      absl::FailedPreconditionError(absl::StrCat(
          "referral ", referral.referral_id(), " of case ", context.state().case_id(), " is ",
          state, "; only a referral in ", names, " can be ", passive_action, ". From ", state, ": ",
          ReferralAllowed(referral.state()))),
      absl::StrCat("案件 ", context.state().case_id(), " 的移送 ", referral.referral_id(), " 当前为“",
                   ReferralStateWords(referral.state()), "”，只有", words, "的移送才能",
                   ActionWords(context.command()), "。当前可以：",
                   ReferralAllowedWords(referral.state())));
}

// PERMISSION_DENIED unless a police principal belongs to the unit the
// referral was sent to.
absl::Status RequirePoliceUnit(const Context& context, const v1::Referral& referral) {
  if (context.principal().unit_id() == referral.police_unit()) return absl::OkStatus();
  return WithUserMessage(
      absl::PermissionDeniedError(absl::StrCat(
          "referral ", referral.referral_id(), " of case ", context.state().case_id(),
          " was sent to ",
          referral.police_unit().empty() ? std::string("no police unit yet") : referral.police_unit(),
          "; ", context.principal().principal_id(), " of \"", context.principal().unit_id(),
          "\" may not act on it")),
      absl::StrCat("案件 ", context.state().case_id(), " 的移送 ", referral.referral_id(),
                   referral.police_unit().empty()
                       ? std::string("尚未移送公安机关")
                       : absl::StrCat("移送给“", referral.police_unit(), "”"),
                   "，您所在的“", context.principal().unit_id(), "”不能办理"));
}

std::string DeadlineIdOf(const v1::Referral& referral, absl::string_view stage) {
  return absl::StrCat(referral.referral_id(), "-", stage);
}

// Closes the referral's running deadline of `kind`, as met (or met late).
void CloseStage(Context& context, const v1::Referral& referral, v1::DeadlineKind kind) {
  if (const v1::Deadline* deadline = ActiveDeadline(context.state(), kind, referral.referral_id())) {
    context.CloseDeadline(*deadline, /*cancel=*/false);
  }
}

// Cancels every running deadline of the referral (it ended another way).
void CancelReferralDeadlines(Context& context, const v1::Referral& referral) {
  for (const v1::Deadline& deadline : context.state().deadlines()) {
    if (deadline.referral_id() != referral.referral_id()) continue;
    if (deadline.state() == v1::DEADLINE_STATE_OPEN ||
        (deadline.state() == v1::DEADLINE_STATE_MISSED && IsObligation(deadline.kind()))) {
      context.CloseDeadline(deadline, /*cancel=*/true);
    }
  }
}

// A referral's written report is signed by two or more enforcement officers
// (Decree 310 art. 5, 环环监〔2017〕17号): distinct INSPECTORs whose
// jurisdiction covers the case, the proposer among them. Decide has no
// principal directory: the handler resolved the named ids into
// Command.named_principals; an id it did not find is no principal.
absl::Status RequireProposingOfficers(const Context& context,
                                      const v1::ProposeReferralRequest& request) {
  // ValidateCommand has checked there are two or more, each named once.
  const auto& officers = request.proposing_officers();
  const std::string& region = context.state().location().region_code();
  if (std::find(officers.begin(), officers.end(), context.principal().principal_id()) ==
      officers.end()) {
    return WithUserMessage(
        absl::InvalidArgumentError(absl::StrCat("proposing_officers: must include the proposer ",
                                                context.principal().principal_id())),
        absl::StrCat(FieldLabel("proposing_officers"), "：须包括提议人本人（",
                     context.principal().principal_id(), "）"),
        "proposing_officers");
  }
  for (int i = 0; i < officers.size(); ++i) {
    const std::string& id = officers[i];
    if (id == context.principal().principal_id()) continue;
    const std::string field = absl::StrCat("proposing_officers[", i, "]");
    const v1::Principal* officer = nullptr;
    for (const v1::Principal& named : context.command().named_principals()) {
      if (named.principal_id() == id) officer = &named;
    }
    if (officer == nullptr) {
      return WithUserMessage(
          absl::InvalidArgumentError(absl::StrCat(field, ": ", id, " is no known principal")),
          absl::StrCat(FieldLabel(field), "：“", id, "”不是本系统的用户"), field);
    }
    if (officer->role() != v1::ROLE_INSPECTOR) {
      return WithUserMessage(
          absl::InvalidArgumentError(absl::StrCat(
              field, ": ", id, " is ", RoleWords(officer->role()),
              "; only enforcement officers (inspectors) sign a referral proposal")),
          absl::StrCat(FieldLabel(field), "：“", id, "”是", ::rectify::RoleWords(officer->role()),
                       "，只有执法人员才能签署移送提议"),
          field);
    }
    if (!InJurisdiction(region, officer->jurisdiction())) {
      return WithUserMessage(
          absl::InvalidArgumentError(absl::StrCat(
              field, ": the jurisdiction \"", officer->jurisdiction(), "\" of ", id,
              " does not cover case ", context.state().case_id(), " (region ", region, ")")),
          absl::StrCat(FieldLabel(field), "：“", id, "”的辖区（", officer->jurisdiction(),
                       "）不包括案件 ", context.state().case_id(), " 所在的区域 ", region),
          field);
    }
  }
  return absl::OkStatus();
}

absl::Status Propose(Context& context) {
  const v1::ProposeReferralRequest& request = context.command().propose_referral();
  RETURN_IF_ERROR(RequireRole(context, {v1::ROLE_INSPECTOR}, "propose a referral"));
  RETURN_IF_ERROR(RequireJurisdiction(context));
  if (context.state().status() == v1::CASE_STATUS_CLOSED) {
    return Refuse(context, "a closed case cannot be referred; reopen it first",
                  "已销号的案件不能移送，请先重新打开");
  }
  RETURN_IF_ERROR(RequireProposingOfficers(context, request));
  for (int i = 0; i < request.documents_size(); ++i) {
    const std::string& evidence_id = request.documents(i).evidence_id();
    const bool known = std::any_of(context.state().evidence().begin(), context.state().evidence().end(),
                                   [&](const v1::Evidence& e) { return e.evidence_id() == evidence_id; });
    if (!known) {
      const std::string field = absl::StrCat("documents[", i, "].evidence_id");
      return WithUserMessage(
          absl::InvalidArgumentError(absl::StrCat(field, ": case ", context.state().case_id(),
                                                  " has no evidence \"", evidence_id, "\"")),
          absl::StrCat(FieldLabel(field), "：案件 ", context.state().case_id(), " 没有证据“",
                       evidence_id, "”"),
          field);
    }
  }
  const std::string referral_id = absl::StrCat("ref-", context.state().referrals_size() + 1);
  v1::ReferralProposed& proposed = *context.Add().mutable_referral_proposed();
  proposed.set_referral_id(referral_id);
  proposed.set_suspected_offence(request.suspected_offence());
  proposed.set_report(request.report());
  *proposed.mutable_proposing_officers() = request.proposing_officers();
  *proposed.mutable_documents() = request.documents();
  return context.OpenDeadline(v1::DEADLINE_KIND_REFERRAL_APPROVAL,
                              absl::StrCat(referral_id, "-approval"), referral_id);
}

// The bureau head decides; not one who proposed (separation of duties).
absl::Status RequireNotProposer(const Context& context, const v1::Referral& referral) {
  const std::string& me = context.principal().principal_id();
  if (referral.proposed_by().principal_id() == me ||
      std::find(referral.proposing_officers().begin(), referral.proposing_officers().end(), me) !=
          referral.proposing_officers().end()) {
    return WithUserMessage(
        absl::PermissionDeniedError(absl::StrCat(
            me, " signed the proposal of referral ", referral.referral_id(), " of case ",
            context.state().case_id(), " and so may not decide on it; another bureau head decides")),
        absl::StrCat("您签署了案件 ", context.state().case_id(), " 的移送提议 ",
                     referral.referral_id(), "，不能审批，须由其他局领导审批"));
  }
  return absl::OkStatus();
}

// The head who decides a referral is the head of the bureau whose officers
// proposed it (Decree 310 art. 5: the enforcement agency's head). The role
// BUREAU_HEAD names no agency (the head of a police unit holds it too, to
// approve a long police review), so the unit decides: the approver's unit is
// the proposer's.
absl::Status RequireProposingBureausHead(const Context& context, const v1::Referral& referral) {
  const std::string& bureau = referral.proposed_by().unit_id();
  if (context.principal().unit_id() != bureau) {
    return WithUserMessage(
        absl::PermissionDeniedError(absl::StrCat(
            "referral ", referral.referral_id(), " of case ", context.state().case_id(),
            " was proposed by officers of \"", bureau,
            "\"; only the head of that bureau decides on it, and ",
            context.principal().principal_id(), " is of \"", context.principal().unit_id(), "\"")),
        absl::StrCat("案件 ", context.state().case_id(), " 的移送 ", referral.referral_id(),
                     " 由“", bureau, "”的执法人员提议，只能由该局领导审批；您属于“",
                     context.principal().unit_id(), "”"));
  }
  return absl::OkStatus();
}

absl::Status Approve(Context& context) {
  const v1::ApproveReferralRequest& request = context.command().approve_referral();
  RETURN_IF_ERROR(RequireRole(context, {v1::ROLE_BUREAU_HEAD}, "approve a referral"));
  RETURN_IF_ERROR(RequireJurisdiction(context));
  ASSIGN_OR_RETURN(const v1::Referral* referral, GetReferral(context, request.referral_id()));
  RETURN_IF_ERROR(RequireReferralState(context, *referral, {v1::REFERRAL_STATE_PROPOSED}, "approved"));
  RETURN_IF_ERROR(RequireProposingBureausHead(context, *referral));
  RETURN_IF_ERROR(RequireNotProposer(context, *referral));
  v1::ReferralApproved& approved = *context.Add().mutable_referral_approved();
  approved.set_referral_id(referral->referral_id());
  approved.set_remark(request.remark());
  CloseStage(context, *referral, v1::DEADLINE_KIND_REFERRAL_APPROVAL);
  return context.OpenDeadline(v1::DEADLINE_KIND_REFERRAL_SEND, DeadlineIdOf(*referral, "send"),
                              referral->referral_id());
}

absl::Status RefuseReferral(Context& context) {
  const v1::RefuseReferralRequest& request = context.command().refuse_referral();
  RETURN_IF_ERROR(RequireRole(context, {v1::ROLE_BUREAU_HEAD}, "refuse a referral"));
  RETURN_IF_ERROR(RequireJurisdiction(context));
  ASSIGN_OR_RETURN(const v1::Referral* referral, GetReferral(context, request.referral_id()));
  RETURN_IF_ERROR(RequireReferralState(context, *referral, {v1::REFERRAL_STATE_PROPOSED}, "refused"));
  RETURN_IF_ERROR(RequireProposingBureausHead(context, *referral));
  RETURN_IF_ERROR(RequireNotProposer(context, *referral));
  v1::ReferralRefused& refused = *context.Add().mutable_referral_refused();
  refused.set_referral_id(referral->referral_id());
  refused.set_reason(request.reason());
  CloseStage(context, *referral, v1::DEADLINE_KIND_REFERRAL_APPROVAL);
  return absl::OkStatus();
}

absl::Status Send(Context& context) {
  const v1::SendReferralRequest& request = context.command().send_referral();
  RETURN_IF_ERROR(RequireRole(context, {v1::ROLE_SUPERVISOR}, "send a referral"));
  RETURN_IF_ERROR(RequireJurisdiction(context));
  ASSIGN_OR_RETURN(const v1::Referral* referral, GetReferral(context, request.referral_id()));
  RETURN_IF_ERROR(RequireReferralState(context, *referral, {v1::REFERRAL_STATE_APPROVED}, "sent"));
  v1::ReferralSent& sent = *context.Add().mutable_referral_sent();
  sent.set_referral_id(referral->referral_id());
  sent.set_police_unit(request.police_unit());
  sent.set_procuratorate_unit(request.procuratorate_unit());
  CloseStage(context, *referral, v1::DEADLINE_KIND_REFERRAL_SEND);
  return context.OpenDeadline(v1::DEADLINE_KIND_REFERRAL_RECEIPT, DeadlineIdOf(*referral, "receipt"),
                              referral->referral_id());
}

// The police's first review period in days, from the policy (3 when it
// opens no filing deadline, the period of 环环监〔2017〕17号 art. 11).
int FirstReviewDays(const Policy& policy) {
  const DeadlineSpec& spec = policy.deadline(v1::DEADLINE_KIND_REFERRAL_FILING_DECISION);
  return spec.enabled ? spec.amount : 3;
}

absl::Status Receive(Context& context) {
  const v1::ReceiveReferralRequest& request = context.command().receive_referral();
  RETURN_IF_ERROR(RequireRole(context, {v1::ROLE_POLICE}, "sign the receipt of a referral"));
  RETURN_IF_ERROR(RequireJurisdiction(context));
  ASSIGN_OR_RETURN(const v1::Referral* referral, GetReferral(context, request.referral_id()));
  RETURN_IF_ERROR(RequireReferralState(context, *referral, {v1::REFERRAL_STATE_SENT}, "received"));
  RETURN_IF_ERROR(RequirePoliceUnit(context, *referral));
  v1::ReferralReceived& received = *context.Add().mutable_referral_received();
  received.set_referral_id(referral->referral_id());
  received.set_review_days(FirstReviewDays(context.policy()));
  CloseStage(context, *referral, v1::DEADLINE_KIND_REFERRAL_RECEIPT);
  return context.OpenDeadline(v1::DEADLINE_KIND_REFERRAL_FILING_DECISION,
                              DeadlineIdOf(*referral, "filing"), referral->referral_id());
}

absl::Status ExtendReview(Context& context) {
  const v1::ExtendReferralReviewRequest& request = context.command().extend_referral_review();
  RETURN_IF_ERROR(RequireRole(context, {v1::ROLE_POLICE}, "extend the review of a referral"));
  RETURN_IF_ERROR(RequireJurisdiction(context));
  ASSIGN_OR_RETURN(const v1::Referral* referral, GetReferral(context, request.referral_id()));
  RETURN_IF_ERROR(RequireReferralState(context, *referral, {v1::REFERRAL_STATE_RECEIVED},
                                       "given a longer review"));
  RETURN_IF_ERROR(RequirePoliceUnit(context, *referral));
  // ValidateCommand has checked review_days is the check or the long period.
  const bool long_period = request.review_days() == context.policy().referral_review_long_days;
  if (long_period && referral->review_extension_approved_days() != request.review_days()) {
    return WithUserMessage(
        absl::FailedPreconditionError(absl::StrCat(
            "referral ", referral->referral_id(), " of case ", context.state().case_id(),
            " has no approval of a ", request.review_days(),
            "-day review; the head of the police unit approves it first (环环监〔2017〕17号 第十一条)")),
        absl::StrCat("案件 ", context.state().case_id(), " 的移送 ", referral->referral_id(),
                     " 尚未批准 ", request.review_days(),
                     " 天的审查期限，须先经公安机关负责人批准（环环监〔2017〕17号 第十一条）"));
  }
  if (request.review_days() <= referral->filing_review_days()) {
    return WithUserMessage(
        absl::FailedPreconditionError(absl::StrCat(
            "referral ", referral->referral_id(), " of case ", context.state().case_id(),
            " already has ", referral->filing_review_days(),
            " review days; an extension must be longer")),
        absl::StrCat("案件 ", context.state().case_id(), " 的移送 ", referral->referral_id(),
                     " 的审查期限已是 ", referral->filing_review_days(), " 天，延长后须更长"));
  }
  const v1::Deadline* filing = ActiveDeadline(context.state(), v1::DEADLINE_KIND_REFERRAL_FILING_DECISION,
                                              referral->referral_id());
  ComputedDeadline computed;
  const bool has_deadline = context.policy().deadline(v1::DEADLINE_KIND_REFERRAL_FILING_DECISION).enabled;
  if (has_deadline) {
    // The longer period counts from the receipt, like the first one.
    ASSIGN_OR_RETURN(computed, ComputeDeadline(context.policy(),
                                               v1::DEADLINE_KIND_REFERRAL_FILING_DECISION,
                                               ToTime(referral->received_at()), request.review_days()));
  }
  v1::ReferralReviewExtended& extended = *context.Add().mutable_referral_review_extended();
  extended.set_referral_id(referral->referral_id());
  extended.set_review_days(request.review_days());
  extended.set_reason(request.reason());
  if (long_period) *extended.mutable_approved_by() = referral->review_extension_approved_by();
  if (!has_deadline) return absl::OkStatus();
  if (filing != nullptr && filing->state() == v1::DEADLINE_STATE_OPEN) {
    v1::DeadlineExtended& moved = *context.Add().mutable_deadline_extended();
    moved.set_deadline_id(filing->deadline_id());
    *moved.mutable_due_at() = ToProto(computed.due_at);
    *moved.mutable_rule() = computed.rule;
  } else {
    if (filing != nullptr) context.CloseDeadline(*filing, /*cancel=*/true);
    context.AddDeadline(v1::DEADLINE_KIND_REFERRAL_FILING_DECISION,
                        context.FreshDeadlineId(DeadlineIdOf(*referral, "filing")),
                        referral->referral_id(), computed);
  }
  return absl::OkStatus();
}

// The head of the police unit approves the long review period of a complex
// case before the police extend to it (环环监〔2017〕17号 art. 11:
// "经县级以上公安机关负责人批准"): a BUREAU_HEAD of the unit it was sent to.
absl::Status ApproveReviewExtension(Context& context) {
  const v1::ApproveReviewExtensionRequest& request = context.command().approve_review_extension();
  RETURN_IF_ERROR(RequireRole(context, {v1::ROLE_BUREAU_HEAD}, "approve a longer police review"));
  RETURN_IF_ERROR(RequireJurisdiction(context));
  ASSIGN_OR_RETURN(const v1::Referral* referral, GetReferral(context, request.referral_id()));
  RETURN_IF_ERROR(RequireReferralState(context, *referral, {v1::REFERRAL_STATE_RECEIVED},
                                       "given a longer review"));
  if (context.principal().unit_id() != referral->police_unit()) {
    return WithUserMessage(
        absl::PermissionDeniedError(absl::StrCat(
            "referral ", referral->referral_id(), " of case ", context.state().case_id(),
            " was sent to ", referral->police_unit(),
            "; only the head of that police unit approves its longer review, and ",
            context.principal().principal_id(), " is of \"", context.principal().unit_id(), "\"")),
        absl::StrCat("案件 ", context.state().case_id(), " 的移送 ", referral->referral_id(),
                     " 移送给“", referral->police_unit(),
                     "”，只能由该公安机关负责人批准延长审查期限；您属于“",
                     context.principal().unit_id(), "”"));
  }
  if (referral->review_extension_approved_days() == request.review_days()) {
    return WithUserMessage(
        absl::FailedPreconditionError(absl::StrCat(
            "the ", request.review_days(), "-day review of referral ", referral->referral_id(),
            " of case ", context.state().case_id(), " was already approved by ",
            referral->review_extension_approved_by().principal_id())),
        absl::StrCat("案件 ", context.state().case_id(), " 的移送 ", referral->referral_id(), " 的 ",
                     request.review_days(), " 天审查期限已由 ",
                     referral->review_extension_approved_by().principal_id(), " 批准"));
  }
  v1::ReviewExtensionApproved& approved = *context.Add().mutable_review_extension_approved();
  approved.set_referral_id(referral->referral_id());
  approved.set_review_days(request.review_days());
  approved.set_remark(request.remark());
  return absl::OkStatus();
}

absl::Status DecideFiling(Context& context) {
  const v1::DecideReferralRequest& request = context.command().decide_referral();
  RETURN_IF_ERROR(RequireRole(context, {v1::ROLE_POLICE}, "decide on filing a referral"));
  RETURN_IF_ERROR(RequireJurisdiction(context));
  ASSIGN_OR_RETURN(const v1::Referral* referral, GetReferral(context, request.referral_id()));
  RETURN_IF_ERROR(RequireReferralState(
      context, *referral, {v1::REFERRAL_STATE_RECEIVED, v1::REFERRAL_STATE_SUPERVISION_REQUESTED},
      "decided on"));
  RETURN_IF_ERROR(RequirePoliceUnit(context, *referral));
  const bool under_supervision = referral->state() == v1::REFERRAL_STATE_SUPERVISION_REQUESTED;
  v1::ReferralDecided& decided = *context.Add().mutable_referral_decided();
  decided.set_referral_id(referral->referral_id());
  decided.set_decision(request.decision());
  decided.set_reason(request.reason());
  decided.set_police_case_number(request.police_case_number());
  if (under_supervision) {
    // The procuratorate's supervision ends with this decision.
    if (request.decision() == v1::FILING_DECISION_DECLINED) {
      v1::ReferralDeclineFinal& final_decline = *context.Add().mutable_referral_decline_final();
      final_decline.set_referral_id(referral->referral_id());
      final_decline.set_reason("the supervision ended without filing");
    }
    CancelReferralDeadlines(context, *referral);
    return absl::OkStatus();
  }
  CloseStage(context, *referral, v1::DEADLINE_KIND_REFERRAL_FILING_DECISION);
  if (request.decision() == v1::FILING_DECISION_DECLINED) {
    return context.OpenDeadline(v1::DEADLINE_KIND_RECONSIDERATION_REQUEST,
                                DeadlineIdOf(*referral, "reconsideration-request"),
                                referral->referral_id());
  }
  return absl::OkStatus();
}

absl::Status RequestReconsideration(Context& context) {
  const v1::RequestReconsiderationRequest& request = context.command().request_reconsideration();
  RETURN_IF_ERROR(RequireRole(context, {v1::ROLE_SUPERVISOR}, "request reconsideration"));
  RETURN_IF_ERROR(RequireJurisdiction(context));
  ASSIGN_OR_RETURN(const v1::Referral* referral, GetReferral(context, request.referral_id()));
  RETURN_IF_ERROR(RequireReferralState(context, *referral, {v1::REFERRAL_STATE_DECLINED},
                                       "reconsidered"));
  v1::ReconsiderationRequested& requested = *context.Add().mutable_reconsideration_requested();
  requested.set_referral_id(referral->referral_id());
  requested.set_grounds(request.grounds());
  CloseStage(context, *referral, v1::DEADLINE_KIND_RECONSIDERATION_REQUEST);
  return context.OpenDeadline(v1::DEADLINE_KIND_RECONSIDERATION_DECISION,
                              DeadlineIdOf(*referral, "reconsideration"), referral->referral_id());
}

absl::Status DecideReconsideration(Context& context) {
  const v1::DecideReconsiderationRequest& request = context.command().decide_reconsideration();
  RETURN_IF_ERROR(RequireRole(context, {v1::ROLE_POLICE}, "decide a reconsideration"));
  RETURN_IF_ERROR(RequireJurisdiction(context));
  ASSIGN_OR_RETURN(const v1::Referral* referral, GetReferral(context, request.referral_id()));
  RETURN_IF_ERROR(RequireReferralState(context, *referral,
                                       {v1::REFERRAL_STATE_RECONSIDERATION_REQUESTED},
                                       "decided on reconsideration"));
  RETURN_IF_ERROR(RequirePoliceUnit(context, *referral));
  v1::ReconsiderationDecided& decided = *context.Add().mutable_reconsideration_decided();
  decided.set_referral_id(referral->referral_id());
  decided.set_decision(request.decision());
  decided.set_reason(request.reason());
  decided.set_police_case_number(request.police_case_number());
  CloseStage(context, *referral, v1::DEADLINE_KIND_RECONSIDERATION_DECISION);
  if (request.decision() == v1::FILING_DECISION_DECLINED) {
    return context.OpenDeadline(v1::DEADLINE_KIND_SUPERVISION_REQUEST,
                                DeadlineIdOf(*referral, "supervision-request"), referral->referral_id());
  }
  return absl::OkStatus();
}

absl::Status RequestSupervision(Context& context) {
  const v1::RequestSupervisionRequest& request = context.command().request_supervision();
  RETURN_IF_ERROR(RequireRole(context, {v1::ROLE_SUPERVISOR}, "request supervision"));
  RETURN_IF_ERROR(RequireJurisdiction(context));
  ASSIGN_OR_RETURN(const v1::Referral* referral, GetReferral(context, request.referral_id()));
  RETURN_IF_ERROR(RequireReferralState(context, *referral, {v1::REFERRAL_STATE_DECLINE_UPHELD},
                                       "put under the procuratorate's supervision"));
  v1::SupervisionRequested& requested = *context.Add().mutable_supervision_requested();
  requested.set_referral_id(referral->referral_id());
  requested.set_grounds(request.grounds());
  CloseStage(context, *referral, v1::DEADLINE_KIND_SUPERVISION_REQUEST);
  return context.OpenDeadline(v1::DEADLINE_KIND_NON_FILING_EXPLANATION,
                              DeadlineIdOf(*referral, "explanation"), referral->referral_id());
}

absl::Status ExplainNonFiling(Context& context) {
  const v1::ExplainNonFilingRequest& request = context.command().explain_non_filing();
  RETURN_IF_ERROR(RequireRole(context, {v1::ROLE_POLICE}, "explain a non-filing"));
  RETURN_IF_ERROR(RequireJurisdiction(context));
  ASSIGN_OR_RETURN(const v1::Referral* referral, GetReferral(context, request.referral_id()));
  RETURN_IF_ERROR(RequireReferralState(context, *referral, {v1::REFERRAL_STATE_SUPERVISION_REQUESTED},
                                       "explained"));
  RETURN_IF_ERROR(RequirePoliceUnit(context, *referral));
  if (!referral->non_filing_explanation().empty()) {
    return WithUserMessage(
        absl::FailedPreconditionError(absl::StrCat(
            "the police already explained the non-filing of referral ", referral->referral_id(),
            " of case ", context.state().case_id(), "; they may now decide again")),
        absl::StrCat("公安机关已说明案件 ", context.state().case_id(), " 的移送 ",
                     referral->referral_id(), " 不立案的理由，现在可以重新决定"));
  }
  v1::NonFilingExplained& explained = *context.Add().mutable_non_filing_explained();
  explained.set_referral_id(referral->referral_id());
  explained.set_explanation(request.explanation());
  CloseStage(context, *referral, v1::DEADLINE_KIND_NON_FILING_EXPLANATION);
  return absl::OkStatus();
}

absl::Status Withdraw(Context& context) {
  const v1::WithdrawReferralRequest& request = context.command().withdraw_referral();
  RETURN_IF_ERROR(RequireRole(context, {v1::ROLE_SUPERVISOR}, "withdraw a referral"));
  RETURN_IF_ERROR(RequireJurisdiction(context));
  ASSIGN_OR_RETURN(const v1::Referral* referral, GetReferral(context, request.referral_id()));
  if (!IsReferralOpen(referral->state())) {
    return WithUserMessage(
        absl::FailedPreconditionError(absl::StrCat(
            "referral ", referral->referral_id(), " of case ", context.state().case_id(), " is ",
            ReferralStateName(referral->state()), "; it has ended and cannot be withdrawn")),
        absl::StrCat("案件 ", context.state().case_id(), " 的移送 ", referral->referral_id(),
                     " 当前为“", ReferralStateWords(referral->state()), "”，已办结，不能撤回"));
  }
  v1::ReferralWithdrawn& withdrawn = *context.Add().mutable_referral_withdrawn();
  withdrawn.set_referral_id(referral->referral_id());
  withdrawn.set_reason(request.reason());
  CancelReferralDeadlines(context, *referral);
  return absl::OkStatus();
}

}  // namespace

absl::Status DecideReferralCommand(Context& context) {
  switch (context.command().request_case()) {
    case v1::Command::kProposeReferral:
      return Propose(context);
    case v1::Command::kApproveReferral:
      return Approve(context);
    case v1::Command::kRefuseReferral:
      return RefuseReferral(context);
    case v1::Command::kSendReferral:
      return Send(context);
    case v1::Command::kReceiveReferral:
      return Receive(context);
    case v1::Command::kExtendReferralReview:
      return ExtendReview(context);
    case v1::Command::kApproveReviewExtension:
      return ApproveReviewExtension(context);
    case v1::Command::kDecideReferral:
      return DecideFiling(context);
    case v1::Command::kRequestReconsideration:
      return RequestReconsideration(context);
    case v1::Command::kDecideReconsideration:
      return DecideReconsideration(context);
    case v1::Command::kRequestSupervision:
      return RequestSupervision(context);
    case v1::Command::kExplainNonFiling:
      return ExplainNonFiling(context);
    case v1::Command::kWithdrawReferral:
      return Withdraw(context);
    default:
      return absl::UnimplementedError(absl::StrCat(
          "the case workflow does not decide ",
          v1::Command::descriptor()->FindFieldByNumber(context.command().request_case())->name()));
  }
}

}  // namespace rectify::workflow::internal

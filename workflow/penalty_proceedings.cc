// The penalty case's steps from opening to the served decision: open, filing
// (立案) and its extension, investigation, prior notice, the hearing requested,
// scheduled and held, the decision period's extension, the decision and its
// service; see penalty_internal.h.
#include <algorithm>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "workflow/penalty_internal.h"

namespace rectify::workflow::penalty_internal {

absl::Status DecideOpen(Context& context) {
  const v1::OpenPenaltyCaseRequest& request = context.command().open_penalty_case();
  RETURN_IF_ERROR(CheckCaseIdFormat("source_case_id", request.source_case_id()));
  RETURN_IF_ERROR(CheckId("source_referral_id", request.source_referral_id(), false));
  RETURN_IF_ERROR(CheckText("violation", request.violation(), kMaxText, true));
  if (request.has_discovered_at()) {
    RETURN_IF_ERROR(CheckTimestamp("discovered_at", request.discovered_at()));
    if (ToTime(request.discovered_at()) > context.now() + context.policy().max_clock_skew) {
      return InvalidField("discovered_at", "is in the future", "不能晚于现在");
    }
  }
  if (request.has_subject()) {
    RETURN_IF_ERROR(CheckText("subject.name", request.subject().name(), kMaxNameText, true));
    if (!request.subject().unified_social_credit_code().empty() &&
        !IsValidUnifiedSocialCreditCode(request.subject().unified_social_credit_code())) {
      return InvalidField("subject.unified_social_credit_code",
                          "is not a valid unified social credit code (GB 32100-2015)",
                          "不是有效的统一社会信用代码");
    }
  }
  const v1::Case* source = context.facts().source_case;
  if (source == nullptr || source->version() == 0) {
    return ::rectify::Refuse(absl::StatusCode::kNotFound,
                             absl::StrCat("case ", request.source_case_id(), " does not exist"),
                             absl::StrCat("案件 ", request.source_case_id(), " 不存在"));
  }
  context.set_region_code(source->location().region_code());
  v1::PenaltyCase scope;
  scope.set_region_code(source->location().region_code());
  // The role check reads the region from the working state: fold nothing
  // yet, check against the source case's region.
  if (context.principal().role() != v1::ROLE_SUPERVISOR &&
      context.principal().role() != v1::ROLE_INSPECTOR) {
    return ::rectify::Refuse(
        absl::StatusCode::kPermissionDenied,
        absl::StrCat(context.principal().principal_id(), " is ",
                     v1::Role_Name(context.principal().role()).substr(5),
                     "; only SUPERVISOR or INSPECTOR may open a penalty case"),
        absl::StrCat("只有", RoleWords(v1::ROLE_SUPERVISOR), "或", RoleWords(v1::ROLE_INSPECTOR),
                     "才能提请处罚立案（您的角色：", RoleWords(context.principal().role()), "）"));
  }
  if (!InJurisdiction(scope.region_code(), context.principal().jurisdiction())) {
    return ::rectify::Refuse(
        absl::StatusCode::kPermissionDenied,
        absl::StrCat("case ", source->case_id(), " lies outside the caller's jurisdiction"),
        absl::StrCat("案件 ", source->case_id(), " 不在您的管辖范围内"));
  }
  absl::Time discovered = ToTime(source->found_at());
  if (!request.source_referral_id().empty()) {
    const v1::Referral* referral = nullptr;
    for (const v1::Referral& r : source->referrals()) {
      if (r.referral_id() == request.source_referral_id()) referral = &r;
    }
    if (referral == nullptr) {
      return ::rectify::Refuse(
          absl::StatusCode::kNotFound,
          absl::StrCat("case ", source->case_id(), " has no referral ",
                       request.source_referral_id()),
          absl::StrCat("案件 ", source->case_id(), " 没有移送 ", request.source_referral_id()));
    }
    if (referral->state() != v1::REFERRAL_STATE_RETURNED) {
      return ::rectify::Refuse(
          absl::StatusCode::kFailedPrecondition,
          absl::StrCat("referral ", referral->referral_id(), " of case ", source->case_id(), " is ",
                       v1::ReferralState_Name(referral->state()).substr(15),
                       "; only a referral the police RETURNED opens a penalty case"),
          absl::StrCat("移送 ", referral->referral_id(), " 当前为“",
                       ReferralStateWords(referral->state()),
                       "”，只有公安机关退回（应予行政处罚）的移送才能转为处罚案件"));
    }
    // The filing clock runs from the return: that is when the bureau
    // learns the matter is its own again.
    if (referral->has_decided_at()) discovered = ToTime(referral->decided_at());
  }
  if (request.has_discovered_at()) discovered = ToTime(request.discovered_at());
  if (discovered == absl::UnixEpoch() || discovered > context.now()) discovered = context.now();

  RETURN_IF_ERROR(context.Add([&](v1::Event& event) {
    v1::PenaltyCaseOpened& opened = *event.mutable_penalty_case_opened();
    opened.set_penalty_case_id(context.facts().new_penalty_case_id);
    opened.set_source_case_id(source->case_id());
    opened.set_source_referral_id(request.source_referral_id());
    opened.set_region_code(source->location().region_code());
    opened.set_responsible_unit(source->responsible_unit());
    *opened.mutable_subject() = request.has_subject() ? request.subject() : source->subject();
    opened.set_violation(request.violation());
    *opened.mutable_discovered_at() = ToProto(discovered);
  }));
  RETURN_IF_ERROR(context.OpenDeadline(v1::DEADLINE_KIND_PENALTY_FILING, "filing", discovered));
  // The link on the case's own stream.
  v1::Event link = CommandEnvelope(context.command(), context.principal(), context.now());
  link.set_stream_id(source->case_id());
  link.set_stream_kind(v1::STREAM_KIND_CASE);
  link.set_version(source->version() + 1);
  link.set_region_code(source->location().region_code());
  link.mutable_case_penalty_linked()->set_penalty_case_id(context.facts().new_penalty_case_id);
  link.mutable_case_penalty_linked()->set_referral_id(request.source_referral_id());
  context.case_events().push_back(std::move(link));
  return absl::OkStatus();
}

absl::Status DecideFiling(Context& context) {
  const v1::DecidePenaltyFilingRequest& request = context.command().decide_penalty_filing();
  RETURN_IF_ERROR(CheckText("remark", request.remark(), kMaxShortText, !request.approved()));
  RETURN_IF_ERROR(
      context.RequireRole({v1::ROLE_BUREAU_HEAD}, "decide a filing", "批准或不批准立案"));
  RETURN_IF_ERROR(context.RequireStatus({v1::PENALTY_STATUS_PROPOSED}, "be filed", "批准立案"));
  const v1::Deadline* filing = context.FindDeadline("filing");
  if (request.approved() && filing != nullptr && context.now() >= ToTime(filing->due_at())) {
    return context.Refuse(
        absl::StrCat("the filing period ended ", DeadlineIso(ToTime(filing->due_at())),
                     context.state().filing().extended()
                         ? ""
                         : "; the bureau head may extend it once, before it ends"),
        absl::StrCat("立案期限已于 ", DeadlineChinese(ToTime(filing->due_at())),
                     " 届满，不能再批准立案"));
  }
  RETURN_IF_ERROR(context.Add([&](v1::Event& event) {
    event.mutable_penalty_filing_decided()->set_approved(request.approved());
    event.mutable_penalty_filing_decided()->set_remark(request.remark());
  }));
  RETURN_IF_ERROR(context.EndDeadline("filing", !request.approved()));
  if (request.approved()) {
    RETURN_IF_ERROR(
        context.OpenDeadline(v1::DEADLINE_KIND_PENALTY_DECISION, "decision", context.now()));
  }
  return absl::OkStatus();
}

absl::Status DecideExtendFiling(Context& context) {
  const v1::ExtendPenaltyFilingRequest& request = context.command().extend_penalty_filing();
  RETURN_IF_ERROR(CheckText("reason", request.reason(), kMaxShortText, true));
  RETURN_IF_ERROR(
      context.RequireRole({v1::ROLE_BUREAU_HEAD}, "extend the filing period", "延长立案期限"));
  RETURN_IF_ERROR(context.RequireStatus({v1::PENALTY_STATUS_PROPOSED},
                                        "have its filing period extended", "延长立案期限"));
  const v1::Deadline* filing = context.FindDeadline("filing");
  if (context.state().filing().extended() || filing == nullptr) {
    return context.Refuse("the filing period was extended already (once at most)",
                          "立案期限已经延长过一次，不能再延长");
  }
  if (context.now() >= ToTime(filing->due_at())) {
    return context.Refuse("the filing period has ended; it is extended before it ends",
                          "立案期限已届满，须在届满前批准延长");
  }
  // The extra days count on from the original period's start, as the
  // 2023 measures' "15 days, +15" say: 30 days from discovery.
  ASSIGN_OR_RETURN(
      ComputedDeadline computed,
      CountDeadline(*context.policy().calendar, filing->rule().unit(),
                    filing->rule().amount() + context.policy().penalty_filing_extension_days,
                    ToTime(filing->rule().counted_from())));
  computed.rule.set_basis(absl::StrCat(filing->rule().basis(), " +",
                                       context.policy().penalty_filing_extension_days,
                                       " (bureau head's approval)"));
  RETURN_IF_ERROR(context.Add([&](v1::Event& event) {
    event.mutable_penalty_filing_extended()->set_reason(request.reason());
  }));
  return context.Add([&](v1::Event& event) {
    v1::DeadlineExtended& extended = *event.mutable_deadline_extended();
    extended.set_deadline_id("filing");
    *extended.mutable_due_at() = ToProto(computed.due_at);
    *extended.mutable_rule() = computed.rule;
  });
}

absl::Status DecideInvestigation(Context& context) {
  const v1::RecordPenaltyInvestigationRequest& request =
      context.command().record_penalty_investigation();
  RETURN_IF_ERROR(CheckText("report", request.report(), kMaxLongText, true));
  for (int i = 0; i < request.evidence_ids_size(); ++i) {
    RETURN_IF_ERROR(CheckId(absl::StrCat("evidence_ids[", i, "]"), request.evidence_ids(i), true));
  }
  RETURN_IF_ERROR(
      context.RequireRole({v1::ROLE_INSPECTOR}, "record an investigation", "记录调查取证"));
  RETURN_IF_ERROR(CheckOfficers(context, "officers", request.officers()));
  RETURN_IF_ERROR(context.RequireStatus({v1::PENALTY_STATUS_FILED}, "record its investigation",
                                        "记录调查取证"));
  return context.Add([&](v1::Event& event) {
    v1::PenaltyInvestigationRecorded& recorded = *event.mutable_penalty_investigation_recorded();
    *recorded.mutable_officers() = request.officers();
    recorded.set_report(request.report());
    *recorded.mutable_evidence_ids() = request.evidence_ids();
  });
}

absl::Status DecidePriorNotice(Context& context) {
  const v1::ServePenaltyPriorNoticeRequest& request =
      context.command().serve_penalty_prior_notice();
  RETURN_IF_ERROR(CheckText("facts", request.facts(), kMaxLongText, true));
  RETURN_IF_ERROR(CheckText("grounds", request.grounds(), kMaxShortText, true));
  RETURN_IF_ERROR(CheckTerms("intended", request.intended()));
  RETURN_IF_ERROR(
      context.RequireRole({v1::ROLE_SUPERVISOR}, "serve a prior notice", "送达行政处罚事先告知书"));
  RETURN_IF_ERROR(context.RequireStatus({v1::PENALTY_STATUS_INVESTIGATED},
                                        "be given its prior notice", "送达事先告知书"));
  ASSIGN_OR_RETURN(const absl::Time served,
                   context.When("served_at", request.has_served_at(), request.served_at(),
                                ToTime(context.state().investigation().recorded_at())));
  ComputedDeadline window;
  window.due_at = served;
  if (context.policy().deadline(v1::DEADLINE_KIND_PENALTY_HEARING_REQUEST).enabled) {
    ASSIGN_OR_RETURN(window, ComputeDeadline(context.policy(),
                                             v1::DEADLINE_KIND_PENALTY_HEARING_REQUEST, served));
  }
  RETURN_IF_ERROR(context.Add([&](v1::Event& event) {
    v1::PenaltyPriorNoticeServed& notice = *event.mutable_penalty_prior_notice_served();
    notice.set_facts(request.facts());
    notice.set_grounds(request.grounds());
    *notice.mutable_intended() = request.intended();
    *notice.mutable_served_at() = ToProto(served);
    *notice.mutable_hearing_request_ends_at() = ToProto(window.due_at);
  }));
  if (context.policy().deadline(v1::DEADLINE_KIND_PENALTY_HEARING_REQUEST).enabled) {
    RETURN_IF_ERROR(
        context.AddDeadline(v1::DEADLINE_KIND_PENALTY_HEARING_REQUEST, "hearing-request", window));
  }
  return absl::OkStatus();
}

absl::Status DecideRequestHearing(Context& context) {
  const v1::RequestPenaltyHearingRequest& request = context.command().request_penalty_hearing();
  RETURN_IF_ERROR(
      context.RequireRole({v1::ROLE_SUPERVISOR}, "record a hearing request", "登记听证申请"));
  RETURN_IF_ERROR(context.RequireStatus({v1::PENALTY_STATUS_NOTIFIED}, "have a hearing requested",
                                        "登记听证申请"));
  ASSIGN_OR_RETURN(
      const absl::Time requested,
      context.When("request_penalty_hearing.requested_at", request.has_requested_at(),
                   request.requested_at(), ToTime(context.state().prior_notice().served_at())));
  const absl::Time ends = ToTime(context.state().prior_notice().hearing_request_ends_at());
  if (requested >= ends) {
    return context.Refuse(absl::StrCat("the window to request a hearing ended ", DeadlineIso(ends)),
                          absl::StrCat("听证申请期限已于 ", DeadlineChinese(ends), " 届满"));
  }
  RETURN_IF_ERROR(context.Add([&](v1::Event& event) {
    *event.mutable_penalty_hearing_requested()->mutable_requested_at() = ToProto(requested);
  }));
  return context.EndDeadline("hearing-request", false);
}

absl::Status DecideScheduleHearing(Context& context) {
  const v1::SchedulePenaltyHearingRequest& request = context.command().schedule_penalty_hearing();
  RETURN_IF_ERROR(CheckText("place", request.place(), kMaxNameText, true));
  if (!request.has_scheduled_for()) {
    return InvalidField("scheduled_for", "is required", "必填");
  }
  RETURN_IF_ERROR(CheckTimestamp("scheduled_for", request.scheduled_for()));
  RETURN_IF_ERROR(context.RequireRole({v1::ROLE_SUPERVISOR}, "schedule a hearing", "安排听证"));
  RETURN_IF_ERROR(
      context.RequireStatus({v1::PENALTY_STATUS_HEARING}, "have a hearing scheduled", "安排听证"));
  if (context.state().hearing().has_held_at()) {
    return context.Refuse("its hearing was held already", "听证已经举行");
  }
  ASSIGN_OR_RETURN(const absl::Time notified,
                   context.When("notified_at", request.has_notified_at(), request.notified_at(),
                                ToTime(context.state().hearing().requested_at())));
  // Notified at least N working days before the hearing (APL art. 64: 7).
  const absl::Time scheduled = ToTime(request.scheduled_for());
  if (context.policy().deadline(v1::DEADLINE_KIND_PENALTY_HEARING_NOTICE).enabled) {
    ASSIGN_OR_RETURN(
        ComputedDeadline earliest,
        ComputeDeadline(context.policy(), v1::DEADLINE_KIND_PENALTY_HEARING_NOTICE, notified));
    if (scheduled < earliest.due_at) {
      const int days = context.policy().deadline(v1::DEADLINE_KIND_PENALTY_HEARING_NOTICE).amount;
      return InvalidField("scheduled_for",
                          absl::StrCat("the party must be notified ", days,
                                       " working days before the hearing; the earliest is ",
                                       DeadlineIso(earliest.due_at)),
                          absl::StrCat("须在举行听证的", days, "个工作日前通知当事人，最早可定于 ",
                                       DeadlineChinese(earliest.due_at), " 之后"));
    }
  } else if (scheduled <= notified) {
    return InvalidField("scheduled_for", "must be after the notification", "须晚于通知时间");
  }
  return context.Add([&](v1::Event& event) {
    v1::PenaltyHearingScheduled& scheduled_event = *event.mutable_penalty_hearing_scheduled();
    *scheduled_event.mutable_scheduled_for() = request.scheduled_for();
    *scheduled_event.mutable_notified_at() = ToProto(notified);
    scheduled_event.set_place(request.place());
  });
}

absl::Status DecideHoldHearing(Context& context) {
  const v1::RecordPenaltyHearingRequest& request = context.command().record_penalty_hearing();
  RETURN_IF_ERROR(CheckText("record", request.record(), kMaxLongText, true));
  RETURN_IF_ERROR(context.RequireRole({v1::ROLE_SUPERVISOR}, "record a hearing", "记录听证"));
  RETURN_IF_ERROR(
      context.RequireStatus({v1::PENALTY_STATUS_HEARING}, "have its hearing recorded", "记录听证"));
  const v1::PenaltyHearing& hearing = context.state().hearing();
  if (hearing.has_held_at())
    return context.Refuse("its hearing was recorded already", "听证已经记录");
  if (!request.waived() && !hearing.has_scheduled_for()) {
    return context.Refuse("its hearing is not scheduled yet", "听证尚未安排");
  }
  const absl::Time not_before =
      request.waived() ? ToTime(hearing.requested_at()) : ToTime(hearing.scheduled_for());
  ASSIGN_OR_RETURN(const absl::Time held,
                   context.When("held_at", request.has_held_at(), request.held_at(), not_before));
  return context.Add([&](v1::Event& event) {
    v1::PenaltyHearingHeld& recorded = *event.mutable_penalty_hearing_held();
    *recorded.mutable_held_at() = ToProto(held);
    recorded.set_record(request.record());
    recorded.set_waived(request.waived());
  });
}

absl::Status DecideExtendDecision(Context& context) {
  const v1::ExtendPenaltyDecisionPeriodRequest& request =
      context.command().extend_penalty_decision_period();
  RETURN_IF_ERROR(CheckText("reason", request.reason(), kMaxShortText, true));
  RETURN_IF_ERROR(context.RequireRole({v1::ROLE_BUREAU_HEAD}, "extend the decision period",
                                      "延长处罚决定期限"));
  RETURN_IF_ERROR(context.RequireStatus({v1::PENALTY_STATUS_FILED, v1::PENALTY_STATUS_INVESTIGATED,
                                         v1::PENALTY_STATUS_NOTIFIED, v1::PENALTY_STATUS_HEARING},
                                        "have its decision period extended", "延长处罚决定期限"));
  const v1::Deadline* decision = context.FindDeadline("decision");
  if (decision == nullptr || context.state().decision_period_extended()) {
    return context.Refuse("its decision period was extended already (once at most)",
                          "处罚决定期限已经延长过一次");
  }
  const int extra = context.policy().penalty_decision_extension_days;
  ASSIGN_OR_RETURN(
      ComputedDeadline computed,
      CountDeadline(*context.policy().calendar, decision->rule().unit(),
                    decision->rule().amount() + extra, ToTime(decision->rule().counted_from())));
  computed.rule.set_basis(
      absl::StrCat(decision->rule().basis(), " +", extra, " (bureau head's approval)"));
  RETURN_IF_ERROR(context.Add([&](v1::Event& event) {
    event.mutable_penalty_decision_period_extended()->set_extra_days(extra);
    event.mutable_penalty_decision_period_extended()->set_reason(request.reason());
  }));
  return context.Add([&](v1::Event& event) {
    v1::DeadlineExtended& extended = *event.mutable_deadline_extended();
    extended.set_deadline_id("decision");
    *extended.mutable_due_at() = ToProto(computed.due_at);
    *extended.mutable_rule() = computed.rule;
  });
}

// The next decision's id and document number; the decision's clocks.
absl::Status AddDecision(Context& context, v1::PenaltyDecision decision) {
  if (context.facts().next_document_sequence < 1) {
    return absl::InternalError("a decision was decided without a document number");
  }
  const int year = PenaltyDocumentYear(context.now());
  decision.set_decision_id(Id("d", context.state().decisions_size() + 1));
  decision.set_document_year(year);
  decision.set_document_sequence(context.facts().next_document_sequence);
  decision.set_document_number(PenaltyDocumentNumber(context.policy().penalty_document_prefix, year,
                                                     context.facts().next_document_sequence));
  *decision.mutable_decided_at() = ToProto(context.now());
  *decision.mutable_decided_by() = ActorOf(context.principal());
  ComputedDeadline publication;
  publication.due_at = context.now();
  const bool publishes = context.policy().deadline(v1::DEADLINE_KIND_PENALTY_PUBLICATION).enabled;
  if (publishes) {
    ASSIGN_OR_RETURN(
        publication,
        ComputeDeadline(context.policy(), v1::DEADLINE_KIND_PENALTY_PUBLICATION, context.now()));
    *decision.mutable_publication_due_at() = ToProto(publication.due_at);
  }
  const std::string id = decision.decision_id();
  context.UseDocumentNumber();
  RETURN_IF_ERROR(context.Add(
      [&](v1::Event& event) { *event.mutable_penalty_decided()->mutable_decision() = decision; }));
  RETURN_IF_ERROR(context.OpenDeadline(v1::DEADLINE_KIND_PENALTY_SERVICE,
                                       absl::StrCat(id, "-service"), context.now()));
  if (publishes) {
    RETURN_IF_ERROR(context.AddDeadline(v1::DEADLINE_KIND_PENALTY_PUBLICATION,
                                        absl::StrCat(id, "-publication"), publication));
  }
  return absl::OkStatus();
}

absl::Status DecideDecision(Context& context) {
  const v1::DecidePenaltyRequest& request = context.command().decide_penalty();
  RETURN_IF_ERROR(CheckText("facts", request.facts(), kMaxLongText, true));
  RETURN_IF_ERROR(CheckText("legal_basis", request.legal_basis(), kMaxShortText, true));
  RETURN_IF_ERROR(CheckTerms("terms", request.terms()));
  RETURN_IF_ERROR(context.RequireRole({v1::ROLE_BUREAU_HEAD}, "decide a penalty", "作出处罚决定"));
  RETURN_IF_ERROR(context.RequireStatus({v1::PENALTY_STATUS_NOTIFIED, v1::PENALTY_STATUS_HEARING},
                                        "be decided", "作出处罚决定"));
  const v1::PenaltyCase& state = context.state();
  if (state.status() == v1::PENALTY_STATUS_NOTIFIED) {
    const absl::Time ends = ToTime(state.prior_notice().hearing_request_ends_at());
    if (context.now() < ends) {
      return context.Refuse(
          absl::StrCat("the party may request a hearing until ", DeadlineIso(ends),
                       "; decide after the window ends"),
          absl::StrCat("当事人可在 ", DeadlineChinese(ends), " 前申请听证，期满后才能作出决定"));
    }
  } else if (!state.hearing().has_held_at()) {
    return context.Refuse("its hearing has not been held", "听证尚未举行，不能作出决定");
  }
  // No heavier penalty than the one the party was told of (APL art. 45).
  const v1::PenaltyTerms& intended = state.prior_notice().intended();
  for (int i = 0; i < request.terms().kinds_size(); ++i) {
    if (std::find(intended.kinds().begin(), intended.kinds().end(), request.terms().kinds(i)) ==
        intended.kinds().end()) {
      return InvalidField(absl::StrCat("terms.kinds[", i, "]"),
                          "names a kind the prior notice did not; serve a new notice first",
                          "事先告知书未告知该处罚种类，须重新告知");
    }
  }
  if (request.terms().fine_fen() > intended.fine_fen()) {
    return InvalidField(
        "terms.fine_fen",
        absl::StrCat("is more than the ", intended.fine_fen(), " fen of the prior notice"),
        "罚款金额不能高于事先告知的金额");
  }
  v1::PenaltyDecision decision;
  decision.set_kind(v1::PENALTY_DECISION_KIND_ORIGINAL);
  decision.set_facts(request.facts());
  decision.set_legal_basis(request.legal_basis());
  *decision.mutable_terms() = request.terms();
  RETURN_IF_ERROR(AddDecision(context, std::move(decision)));
  return context.EndDeadline("decision", false);
}

// The served, unrevoked decision `decision_id`, or a refusal.
absl::StatusOr<const v1::PenaltyDecision*> ServedDecision(const Context& context,
                                                          const std::string& decision_id) {
  RETURN_IF_ERROR(CheckId("decision_id", decision_id, true));
  ASSIGN_OR_RETURN(const v1::PenaltyDecision* decision, GetDecision(context, decision_id));
  if (!decision->has_served_at()) {
    return context.Refuse(absl::StrCat("decision ", decision_id, " has not been served"),
                          absl::StrCat("处罚决定 ", decision->document_number(), " 尚未送达"));
  }
  if (decision->revoked()) {
    return context.Refuse(absl::StrCat("decision ", decision_id, " was revoked"),
                          absl::StrCat("处罚决定 ", decision->document_number(), " 已被撤销"));
  }
  return decision;
}

absl::Status DecideServeDecision(Context& context) {
  const v1::ServePenaltyDecisionRequest& request = context.command().serve_penalty_decision();
  RETURN_IF_ERROR(CheckId("decision_id", request.decision_id(), true));
  RETURN_IF_ERROR(context.RequireRole({v1::ROLE_SUPERVISOR}, "serve a decision", "送达处罚决定书"));
  RETURN_IF_ERROR(context.RequireStatus({v1::PENALTY_STATUS_DECIDED, v1::PENALTY_STATUS_SERVED},
                                        "have a decision served", "送达处罚决定书"));
  ASSIGN_OR_RETURN(const v1::PenaltyDecision* decision,
                   GetDecision(context, request.decision_id()));
  if (decision->has_served_at()) {
    return context.Refuse(absl::StrCat("decision ", request.decision_id(), " was served already"),
                          absl::StrCat("处罚决定 ", decision->document_number(), " 已经送达"));
  }
  ASSIGN_OR_RETURN(const absl::Time served,
                   context.When("served_at", request.has_served_at(), request.served_at(),
                                ToTime(decision->decided_at())));
  const std::string id = decision->decision_id();
  const bool fine = decision->terms().fine_fen() > 0;
  ComputedDeadline payment;
  payment.due_at = served;
  if (fine && context.policy().deadline(v1::DEADLINE_KIND_PENALTY_PAYMENT).enabled) {
    ASSIGN_OR_RETURN(payment,
                     ComputeDeadline(context.policy(), v1::DEADLINE_KIND_PENALTY_PAYMENT, served));
  }
  RETURN_IF_ERROR(context.Add([&](v1::Event& event) {
    v1::PenaltyDecisionServed& served_event = *event.mutable_penalty_decision_served();
    served_event.set_decision_id(id);
    *served_event.mutable_served_at() = ToProto(served);
    if (fine) *served_event.mutable_payment_due_at() = ToProto(payment.due_at);
  }));
  RETURN_IF_ERROR(context.EndDeadline(absl::StrCat(id, "-service"), false));
  if (fine && context.policy().deadline(v1::DEADLINE_KIND_PENALTY_PAYMENT).enabled) {
    RETURN_IF_ERROR(context.AddDeadline(v1::DEADLINE_KIND_PENALTY_PAYMENT,
                                        absl::StrCat(id, "-payment"), payment));
  }
  RETURN_IF_ERROR(context.OpenDeadline(v1::DEADLINE_KIND_PENALTY_RECONSIDERATION_WINDOW,
                                       absl::StrCat(id, "-reconsideration"), served));
  return context.OpenDeadline(v1::DEADLINE_KIND_PENALTY_LAWSUIT_WINDOW,
                              absl::StrCat(id, "-lawsuit"), served);
}

}  // namespace rectify::workflow::penalty_internal

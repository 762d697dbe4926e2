// The penalty case decider; see penalties.h.
#include "workflow/penalties.h"

#include <algorithm>
#include <initializer_list>
#include <set>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "base/dates.h"
#include "base/proto_time.h"
#include "base/status_macros.h"
#include "base/status_words.h"
#include "base/user_message.h"
#include "workflow/decider.h"
#include "workflow/validation.h"

namespace rectify::workflow {
namespace {

constexpr int kMaxLongText = 20000;
constexpr int kMaxText = 5000;
constexpr int kMaxShortText = 2000;
constexpr int kMaxNameText = 200;

std::string StatusName(v1::PenaltyStatus status) {
  std::string name = v1::PenaltyStatus_Name(status);
  return name.substr(std::string("PENALTY_STATUS_").size());
}

// One DecidePenalty call: inputs and the events so far.
class Context {
 public:
  Context(const v1::PenaltyCase& state, const v1::Command& command,
          const v1::Principal& principal, absl::Time now, const Policy& policy,
          const PenaltyFacts& facts)
      : command_(command), principal_(principal), now_(now), policy_(policy), facts_(facts) {
    envelope_ = CommandEnvelope(command, principal, now);
    envelope_.set_stream_kind(v1::STREAM_KIND_PENALTY);
    envelope_.set_stream_id(state.version() > 0 ? state.penalty_case_id()
                                                : facts.new_penalty_case_id);
    envelope_.set_region_code(state.region_code());
    next_version_ = state.version() + 1;
    working_ = state;
  }

  const v1::PenaltyCase& state() const { return working_; }
  const v1::Command& command() const { return command_; }
  const v1::Principal& principal() const { return principal_; }
  absl::Time now() const { return now_; }
  const Policy& policy() const { return policy_; }
  const PenaltyFacts& facts() const { return facts_; }
  const std::string& id() const { return envelope_.stream_id(); }
  void set_region_code(const std::string& region) { envelope_.set_region_code(region); }

  // Appends an event and folds it into the working state at once, so that
  // later steps of the same command see it. The payload is set by `fill`.
  template <typename Fill>
  absl::Status Add(Fill fill) {
    v1::Event event = envelope_;
    event.set_version(next_version_++);
    fill(event);
    RETURN_IF_ERROR(EvolvePenalty(working_, event));
    events_.push_back(std::move(event));
    return absl::OkStatus();
  }

  absl::Status OpenDeadline(v1::DeadlineKind kind, const std::string& deadline_id,
                            absl::Time start, int amount_override = 0) {
    if (!policy_.deadline(kind).enabled) return absl::OkStatus();
    ASSIGN_OR_RETURN(ComputedDeadline computed, ComputeDeadline(policy_, kind, start, amount_override));
    return AddDeadline(kind, deadline_id, computed);
  }
  absl::Status AddDeadline(v1::DeadlineKind kind, const std::string& deadline_id,
                           const ComputedDeadline& computed) {
    return Add([&](v1::Event& event) {
      v1::Deadline& deadline = *event.mutable_deadline_opened()->mutable_deadline();
      deadline.set_deadline_id(deadline_id);
      deadline.set_kind(kind);
      *deadline.mutable_due_at() = ToProto(computed.due_at);
      *deadline.mutable_rule() = computed.rule;
      *deadline.mutable_opened_at() = ToProto(now_);
      deadline.set_state(v1::DEADLINE_STATE_OPEN);
    });
  }
  // Ends the running deadline `deadline_id` (OPEN or MISSED): MET, MET_LATE
  // or CANCELLED. Nothing when it is not running.
  absl::Status EndDeadline(const std::string& deadline_id, bool cancel) {
    for (const v1::Deadline& deadline : working_.deadlines()) {
      if (deadline.deadline_id() != deadline_id) continue;
      if (deadline.state() != v1::DEADLINE_STATE_OPEN &&
          deadline.state() != v1::DEADLINE_STATE_MISSED) {
        return absl::OkStatus();
      }
      const v1::DeadlineState end = cancel ? v1::DEADLINE_STATE_CANCELLED
                                    : deadline.state() == v1::DEADLINE_STATE_MISSED
                                        ? v1::DEADLINE_STATE_MET_LATE
                                        : v1::DEADLINE_STATE_MET;
      return Add([&](v1::Event& event) {
        event.mutable_deadline_closed()->set_deadline_id(deadline_id);
        event.mutable_deadline_closed()->set_state(end);
      });
    }
    return absl::OkStatus();
  }
  const v1::Deadline* FindDeadline(absl::string_view deadline_id) const {
    for (const v1::Deadline& deadline : working_.deadlines()) {
      if (deadline.deadline_id() == deadline_id) return &deadline;
    }
    return nullptr;
  }

  // FAILED_PRECONDITION naming the case and its status.
  absl::Status Refuse(absl::string_view why, absl::string_view why_zh) const {
    return ::rectify::Refuse(
        absl::StatusCode::kFailedPrecondition,
        absl::StrCat("penalty case ", id(), " is ", StatusName(working_.status()), "; ", why),
        absl::StrCat("处罚案件 ", id(), " 当前为“", PenaltyStatusWords(working_.status()), "”，",
                     why_zh));
  }
  absl::Status RequireStatus(std::initializer_list<v1::PenaltyStatus> allowed,
                             absl::string_view action, absl::string_view action_zh) const {
    for (v1::PenaltyStatus status : allowed) {
      if (working_.status() == status) return absl::OkStatus();
    }
    std::vector<std::string> names;
    std::vector<std::string> words;
    for (v1::PenaltyStatus status : allowed) {
      names.push_back(StatusName(status));
      words.push_back(absl::StrCat("“", PenaltyStatusWords(status), "”"));
    }
    return Refuse(absl::StrCat("only a penalty case in ", absl::StrJoin(names, " or "),
                               " can ", action),
                  absl::StrCat("只有处于", absl::StrJoin(words, "或"), "的处罚案件才能", action_zh));
  }
  absl::Status RequireRole(std::initializer_list<v1::Role> roles, absl::string_view action,
                           absl::string_view action_zh) const {
    for (v1::Role role : roles) {
      if (principal_.role() == role) {
        if (!InJurisdiction(working_.region_code(), principal_.jurisdiction())) {
          return ::rectify::Refuse(
              absl::StatusCode::kPermissionDenied,
              absl::StrCat(principal_.principal_id(), " may not ", action, ": penalty case ", id(),
                           " lies outside its jurisdiction ", principal_.jurisdiction()),
              absl::StrCat("处罚案件 ", id(), " 不在您的管辖范围内，不能", action_zh));
        }
        return absl::OkStatus();
      }
    }
    std::vector<std::string> names;
    std::vector<std::string> words;
    for (v1::Role role : roles) {
      names.push_back(v1::Role_Name(role).substr(5));
      words.push_back(RoleWords(role));
    }
    return ::rectify::Refuse(
        absl::StatusCode::kPermissionDenied,
        absl::StrCat(principal_.principal_id(), " is ", v1::Role_Name(principal_.role()).substr(5),
                     "; only ", absl::StrJoin(names, " or "), " may ", action),
        absl::StrCat("只有", absl::StrJoin(words, "或"), "才能", action_zh, "（您的角色：",
                     RoleWords(principal_.role()), "）"));
  }

  // The instant a step happened: the request's (checked: not in the future,
  // not before `not_before`), else now.
  absl::StatusOr<absl::Time> When(absl::string_view field, bool has,
                                  const google::protobuf::Timestamp& at,
                                  absl::Time not_before) const {
    if (!has) return now_;
    RETURN_IF_ERROR(CheckTimestamp(field, at));
    const absl::Time time = ToTime(at);
    if (time > now_ + policy_.max_clock_skew) {
      return InvalidField(field, "is in the future", "不能晚于现在");
    }
    if (time < not_before) {
      return InvalidField(field,
                          absl::StrCat("is before ", DeadlineIso(not_before),
                                       ", when the step before it happened"),
                          absl::StrCat("不能早于上一步骤的时间（", DateChinese(not_before), "）"));
    }
    return time;
  }

  PenaltyOutcome Take() {
    PenaltyOutcome outcome;
    outcome.penalty_events = std::move(events_);
    outcome.case_events = std::move(case_events_);
    outcome.used_document_number = used_document_number_;
    return outcome;
  }
  std::vector<v1::Event>& case_events() { return case_events_; }
  void UseDocumentNumber() { used_document_number_ = true; }

 private:
  const v1::Command& command_;
  const v1::Principal& principal_;
  const absl::Time now_;
  const Policy& policy_;
  const PenaltyFacts& facts_;
  v1::Event envelope_;
  int64_t next_version_ = 1;
  v1::PenaltyCase working_;
  std::vector<v1::Event> events_;
  std::vector<v1::Event> case_events_;
  bool used_document_number_ = false;
};

v1::PenaltyDecision* MutableDecision(v1::PenaltyCase& state, absl::string_view decision_id) {
  for (v1::PenaltyDecision& decision : *state.mutable_decisions()) {
    if (decision.decision_id() == decision_id) return &decision;
  }
  return nullptr;
}
const v1::PenaltyDecision* FindDecision(const v1::PenaltyCase& state,
                                        absl::string_view decision_id) {
  for (const v1::PenaltyDecision& decision : state.decisions()) {
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
const v1::CorrectionOrder* FindOrder(const v1::PenaltyCase& state, absl::string_view order_id) {
  for (const v1::CorrectionOrder& order : state.orders()) {
    if (order.order_id() == order_id) return &order;
  }
  return nullptr;
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
      return InvalidField(item, "must be WARNING, FINE, CONFISCATION, STOP_PRODUCTION or "
                                "LICENCE_REVOKED", "须为警告、罚款、没收、责令停产停业或吊销许可证件");
    }
    if (!seen.insert(kind).second) {
      return InvalidField(item, "names a kind twice", "处罚种类重复");
    }
    fine |= kind == v1::PENALTY_KIND_FINE;
    confiscation |= kind == v1::PENALTY_KIND_CONFISCATION;
  }
  const std::string fine_field = absl::StrCat(field, ".fine_fen");
  if (fine && (terms.fine_fen() < 1 || terms.fine_fen() > kMaxFineFen)) {
    return InvalidField(fine_field,
                        absl::StrCat("a fine must be 1 to ", kMaxFineFen, " fen"),
                        "罚款金额须大于0且不超过10亿元");
  }
  if (!fine && terms.fine_fen() != 0) {
    return InvalidField(fine_field, "is set without the kind FINE", "未选择罚款种类时不能填写罚款金额");
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
      return InvalidField(field,
                          absl::StrCat(officer, " is not an INSPECTOR of the case's region"),
                          absl::StrCat(officer, " 不是本辖区的执法人员"));
    }
  }
  return absl::OkStatus();
}

std::string Id(absl::string_view stem, int n) { return absl::StrCat(stem, "-", n); }

// ---- The steps ----

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
    return ::rectify::Refuse(absl::StatusCode::kPermissionDenied,
                             absl::StrCat("case ", source->case_id(),
                                          " lies outside the caller's jurisdiction"),
                             absl::StrCat("案件 ", source->case_id(), " 不在您的管辖范围内"));
  }
  absl::Time discovered = ToTime(source->found_at());
  if (!request.source_referral_id().empty()) {
    const v1::Referral* referral = nullptr;
    for (const v1::Referral& r : source->referrals()) {
      if (r.referral_id() == request.source_referral_id()) referral = &r;
    }
    if (referral == nullptr) {
      return ::rectify::Refuse(absl::StatusCode::kNotFound,
                               absl::StrCat("case ", source->case_id(), " has no referral ",
                                            request.source_referral_id()),
                               absl::StrCat("案件 ", source->case_id(), " 没有移送 ",
                                            request.source_referral_id()));
    }
    if (referral->state() != v1::REFERRAL_STATE_RETURNED) {
      return ::rectify::Refuse(
          absl::StatusCode::kFailedPrecondition,
          absl::StrCat("referral ", referral->referral_id(), " of case ", source->case_id(),
                       " is ", v1::ReferralState_Name(referral->state()).substr(15),
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
  RETURN_IF_ERROR(context.RequireRole({v1::ROLE_BUREAU_HEAD}, "decide a filing", "批准或不批准立案"));
  RETURN_IF_ERROR(context.RequireStatus({v1::PENALTY_STATUS_PROPOSED}, "be filed", "批准立案"));
  const v1::Deadline* filing = context.FindDeadline("filing");
  if (request.approved() && filing != nullptr && context.now() >= ToTime(filing->due_at())) {
    return context.Refuse(
        absl::StrCat("the filing period ended ", DeadlineIso(ToTime(filing->due_at())),
                     context.state().filing().extended()
                         ? ""
                         : "; the bureau head may extend it once, before it ends"),
        absl::StrCat("立案期限已于 ", DeadlineChinese(ToTime(filing->due_at())), " 届满，不能再批准立案"));
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
  RETURN_IF_ERROR(context.RequireRole({v1::ROLE_BUREAU_HEAD}, "extend the filing period", "延长立案期限"));
  RETURN_IF_ERROR(context.RequireStatus({v1::PENALTY_STATUS_PROPOSED}, "have its filing period extended", "延长立案期限"));
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
  ASSIGN_OR_RETURN(ComputedDeadline computed,
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
  RETURN_IF_ERROR(context.RequireRole({v1::ROLE_INSPECTOR}, "record an investigation", "记录调查取证"));
  RETURN_IF_ERROR(CheckOfficers(context, "officers", request.officers()));
  RETURN_IF_ERROR(context.RequireStatus({v1::PENALTY_STATUS_FILED}, "record its investigation", "记录调查取证"));
  return context.Add([&](v1::Event& event) {
    v1::PenaltyInvestigationRecorded& recorded = *event.mutable_penalty_investigation_recorded();
    *recorded.mutable_officers() = request.officers();
    recorded.set_report(request.report());
    *recorded.mutable_evidence_ids() = request.evidence_ids();
  });
}

absl::Status DecidePriorNotice(Context& context) {
  const v1::ServePenaltyPriorNoticeRequest& request = context.command().serve_penalty_prior_notice();
  RETURN_IF_ERROR(CheckText("facts", request.facts(), kMaxLongText, true));
  RETURN_IF_ERROR(CheckText("grounds", request.grounds(), kMaxShortText, true));
  RETURN_IF_ERROR(CheckTerms("intended", request.intended()));
  RETURN_IF_ERROR(context.RequireRole({v1::ROLE_SUPERVISOR}, "serve a prior notice", "送达行政处罚事先告知书"));
  RETURN_IF_ERROR(context.RequireStatus({v1::PENALTY_STATUS_INVESTIGATED}, "be given its prior notice", "送达事先告知书"));
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
    RETURN_IF_ERROR(context.AddDeadline(v1::DEADLINE_KIND_PENALTY_HEARING_REQUEST,
                                        "hearing-request", window));
  }
  return absl::OkStatus();
}

absl::Status DecideRequestHearing(Context& context) {
  const v1::RequestPenaltyHearingRequest& request = context.command().request_penalty_hearing();
  RETURN_IF_ERROR(context.RequireRole({v1::ROLE_SUPERVISOR}, "record a hearing request", "登记听证申请"));
  RETURN_IF_ERROR(context.RequireStatus({v1::PENALTY_STATUS_NOTIFIED}, "have a hearing requested", "登记听证申请"));
  ASSIGN_OR_RETURN(const absl::Time requested,
                   context.When("request_penalty_hearing.requested_at", request.has_requested_at(),
                                request.requested_at(),
                                ToTime(context.state().prior_notice().served_at())));
  const absl::Time ends = ToTime(context.state().prior_notice().hearing_request_ends_at());
  if (requested >= ends) {
    return context.Refuse(
        absl::StrCat("the window to request a hearing ended ", DeadlineIso(ends)),
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
  RETURN_IF_ERROR(context.RequireStatus({v1::PENALTY_STATUS_HEARING}, "have a hearing scheduled", "安排听证"));
  if (context.state().hearing().has_held_at()) {
    return context.Refuse("its hearing was held already", "听证已经举行");
  }
  ASSIGN_OR_RETURN(const absl::Time notified,
                   context.When("notified_at", request.has_notified_at(), request.notified_at(),
                                ToTime(context.state().hearing().requested_at())));
  // Notified at least N working days before the hearing (APL art. 64: 7).
  const absl::Time scheduled = ToTime(request.scheduled_for());
  if (context.policy().deadline(v1::DEADLINE_KIND_PENALTY_HEARING_NOTICE).enabled) {
    ASSIGN_OR_RETURN(ComputedDeadline earliest,
                     ComputeDeadline(context.policy(), v1::DEADLINE_KIND_PENALTY_HEARING_NOTICE,
                                     notified));
    if (scheduled < earliest.due_at) {
      const int days = context.policy().deadline(v1::DEADLINE_KIND_PENALTY_HEARING_NOTICE).amount;
      return InvalidField(
          "scheduled_for",
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
  RETURN_IF_ERROR(context.RequireStatus({v1::PENALTY_STATUS_HEARING}, "have its hearing recorded", "记录听证"));
  const v1::PenaltyHearing& hearing = context.state().hearing();
  if (hearing.has_held_at()) return context.Refuse("its hearing was recorded already", "听证已经记录");
  if (!request.waived() && !hearing.has_scheduled_for()) {
    return context.Refuse("its hearing is not scheduled yet", "听证尚未安排");
  }
  const absl::Time not_before = request.waived() ? ToTime(hearing.requested_at())
                                                 : ToTime(hearing.scheduled_for());
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
  RETURN_IF_ERROR(context.RequireRole({v1::ROLE_BUREAU_HEAD}, "extend the decision period", "延长处罚决定期限"));
  RETURN_IF_ERROR(context.RequireStatus({v1::PENALTY_STATUS_FILED, v1::PENALTY_STATUS_INVESTIGATED,
                                         v1::PENALTY_STATUS_NOTIFIED, v1::PENALTY_STATUS_HEARING},
                                        "have its decision period extended", "延长处罚决定期限"));
  const v1::Deadline* decision = context.FindDeadline("decision");
  if (decision == nullptr || context.state().decision_period_extended()) {
    return context.Refuse("its decision period was extended already (once at most)",
                          "处罚决定期限已经延长过一次");
  }
  const int extra = context.policy().penalty_decision_extension_days;
  ASSIGN_OR_RETURN(ComputedDeadline computed,
                   CountDeadline(*context.policy().calendar, decision->rule().unit(),
                                 decision->rule().amount() + extra,
                                 ToTime(decision->rule().counted_from())));
  computed.rule.set_basis(absl::StrCat(decision->rule().basis(), " +", extra,
                                       " (bureau head's approval)"));
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
  decision.set_document_number(PenaltyDocumentNumber(context.policy().penalty_document_prefix,
                                                     year, context.facts().next_document_sequence));
  *decision.mutable_decided_at() = ToProto(context.now());
  *decision.mutable_decided_by() = ActorOf(context.principal());
  ComputedDeadline publication;
  publication.due_at = context.now();
  const bool publishes = context.policy().deadline(v1::DEADLINE_KIND_PENALTY_PUBLICATION).enabled;
  if (publishes) {
    ASSIGN_OR_RETURN(publication, ComputeDeadline(context.policy(),
                                                  v1::DEADLINE_KIND_PENALTY_PUBLICATION,
                                                  context.now()));
    *decision.mutable_publication_due_at() = ToProto(publication.due_at);
  }
  const std::string id = decision.decision_id();
  context.UseDocumentNumber();
  RETURN_IF_ERROR(context.Add([&](v1::Event& event) {
    *event.mutable_penalty_decided()->mutable_decision() = decision;
  }));
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
    return InvalidField("terms.fine_fen",
                        absl::StrCat("is more than the ", intended.fine_fen(),
                                     " fen of the prior notice"),
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
  const v1::PenaltyDecision* decision = FindDecision(context.state(), decision_id);
  if (decision == nullptr) {
    return ::rectify::Refuse(absl::StatusCode::kNotFound,
                             absl::StrCat("penalty case ", context.id(), " has no decision ",
                                          decision_id),
                             absl::StrCat("处罚案件 ", context.id(), " 没有决定 ", decision_id));
  }
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
  const v1::PenaltyDecision* decision = FindDecision(context.state(), request.decision_id());
  if (decision == nullptr) {
    return ::rectify::Refuse(absl::StatusCode::kNotFound,
                             absl::StrCat("penalty case ", context.id(), " has no decision ",
                                          request.decision_id()),
                             absl::StrCat("处罚案件 ", context.id(), " 没有决定 ",
                                          request.decision_id()));
  }
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
  const int days_late = decision->has_payment_due_at()
                            ? DaysLate(ToTime(decision->payment_due_at()), paid)
                            : 0;
  const int64_t owed_total = decision->fine_paid_fen() >= fine
                                 ? decision->surcharge_owed_fen()
                                 : std::max(LateSurcharge(fine, days_late),
                                            decision->surcharge_owed_fen());
  const int64_t surcharge_unpaid = owed_total - decision->surcharge_paid_fen();
  if (request.surcharge_fen() > surcharge_unpaid) {
    return InvalidField("surcharge_fen",
                        absl::StrCat("is more than the ", surcharge_unpaid,
                                     " fen of late surcharge owed"),
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
  if (request.kind() != v1::REMEDY_KIND_RECONSIDERATION && request.kind() != v1::REMEDY_KIND_LAWSUIT) {
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
  if (request.kind() != v1::REMEDY_KIND_RECONSIDERATION && request.kind() != v1::REMEDY_KIND_LAWSUIT) {
    return InvalidField("decide_penalty_remedy.kind", "must be RECONSIDERATION or LAWSUIT",
                        "须为行政复议或行政诉讼");
  }
  if (request.outcome() != v1::REMEDY_OUTCOME_UPHELD && request.outcome() != v1::REMEDY_OUTCOME_REVOKED &&
      request.outcome() != v1::REMEDY_OUTCOME_CHANGED && request.outcome() != v1::REMEDY_OUTCOME_WITHDRAWN) {
    return InvalidField("decide_penalty_remedy.outcome", "must be UPHELD, REVOKED, CHANGED or WITHDRAWN",
                        "须为维持、撤销、变更或撤回");
  }
  if (request.outcome() == v1::REMEDY_OUTCOME_CHANGED
          ? (request.changed_fine_fen() < 0 || request.changed_fine_fen() > kMaxFineFen)
          : request.changed_fine_fen() != 0) {
    return InvalidField("changed_fine_fen", "is the changed fine, only with CHANGED",
                        "仅在变更时填写变更后的罚款金额");
  }
  RETURN_IF_ERROR(CheckText("remark", request.remark(), kMaxShortText, false));
  RETURN_IF_ERROR(context.RequireRole({v1::ROLE_SUPERVISOR}, "record a remedy's outcome", "登记复议或诉讼结果"));
  ASSIGN_OR_RETURN(const v1::PenaltyDecision* decision,
                   ServedDecision(context, request.decision_id()));
  bool pending = false;
  for (const v1::PenaltyRemedy& remedy : decision->remedies()) {
    pending |= remedy.kind() == request.kind() && remedy.outcome() == v1::REMEDY_OUTCOME_PENDING;
  }
  if (!pending) return context.Refuse("no such remedy is pending", "没有尚在审理中的该项复议或诉讼");
  // A remedy never makes the penalty heavier (Administrative Reconsideration
  // Law art. 63, Administrative Litigation Law art. 77).
  if (request.outcome() == v1::REMEDY_OUTCOME_CHANGED &&
      request.changed_fine_fen() > EffectiveFine(*decision)) {
    return InvalidField("changed_fine_fen",
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
  RETURN_IF_ERROR(context.RequireRole({v1::ROLE_BUREAU_HEAD}, "apply for compulsory execution", "申请法院强制执行"));
  ASSIGN_OR_RETURN(const v1::PenaltyDecision* decision,
                   ServedDecision(context, request.decision_id()));
  if (decision->settled() || EffectiveFine(*decision) == 0) {
    return context.Refuse("the decision owes nothing", "该处罚决定没有未缴款项");
  }
  if (decision->has_execution_applied_at()) {
    return context.Refuse("compulsory execution was applied for already", "已经申请强制执行");
  }
  if (HasPendingRemedy(*decision)) {
    return context.Refuse("a reconsideration or lawsuit is pending", "复议或诉讼尚在进行中，不能申请强制执行");
  }
  const std::string id = decision->decision_id();
  for (const char* suffix : {"-reconsideration", "-lawsuit"}) {
    const v1::Deadline* window = context.FindDeadline(absl::StrCat(id, suffix));
    if (window != nullptr && window->state() == v1::DEADLINE_STATE_OPEN &&
        context.now() < ToTime(window->due_at())) {
      return context.Refuse(
          absl::StrCat("the party may still seek a remedy until ", DeadlineIso(ToTime(window->due_at()))),
          absl::StrCat("当事人申请复议或提起诉讼的期限（至 ", DeadlineChinese(ToTime(window->due_at())),
                       "）尚未届满"));
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
  const v1::PenaltyDecision* decision = FindDecision(context.state(), request.decision_id());
  if (decision == nullptr) {
    return ::rectify::Refuse(absl::StatusCode::kNotFound,
                             absl::StrCat("penalty case ", context.id(), " has no decision ",
                                          request.decision_id()),
                             absl::StrCat("处罚案件 ", context.id(), " 没有决定 ",
                                          request.decision_id()));
  }
  if (decision->has_published_at()) {
    return context.Refuse("the decision was published already", "该处罚决定已经公开");
  }
  const bool late = decision->has_publication_due_at() &&
                    context.now() >= ToTime(decision->publication_due_at());
  const std::string id = decision->decision_id();
  RETURN_IF_ERROR(context.Add([&](v1::Event& event) {
    event.mutable_penalty_published()->set_decision_id(id);
    event.mutable_penalty_published()->set_late(late);
  }));
  return context.EndDeadline(absl::StrCat(id, "-publication"), false);
}

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

absl::Status DecideIssueOrder(Context& context) {
  const v1::IssueCorrectionOrderRequest& request = context.command().issue_correction_order();
  RETURN_IF_ERROR(CheckText("requirements", request.requirements(), kMaxText, true));
  if (!request.has_correct_by()) return InvalidField("correct_by", "is required", "必填");
  RETURN_IF_ERROR(CheckDueAfter("correct_by", request.correct_by(), context.now()));
  RETURN_IF_ERROR(context.RequireRole({v1::ROLE_SUPERVISOR}, "issue an order to correct", "下达责令改正决定书"));
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
  RETURN_IF_ERROR(context.RequireRole({v1::ROLE_SUPERVISOR}, "serve an order to correct", "送达责令改正决定书"));
  const v1::CorrectionOrder* order = FindOrder(context.state(), request.order_id());
  if (order == nullptr) {
    return ::rectify::Refuse(absl::StatusCode::kNotFound,
                             absl::StrCat("penalty case ", context.id(), " has no order ",
                                          request.order_id()),
                             absl::StrCat("处罚案件 ", context.id(), " 没有责令改正 ",
                                          request.order_id()));
  }
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
    ASSIGN_OR_RETURN(recheck, ComputeDeadline(context.policy(), v1::DEADLINE_KIND_CORRECTION_RECHECK,
                                              served));
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
    return InvalidField("record_correction_recheck.result", "must be CORRECTED or CONTINUING", "须为已改正或仍在继续违法");
  }
  RETURN_IF_ERROR(CheckText("record_correction_recheck.findings", request.findings(), kMaxText, true));
  RETURN_IF_ERROR(CheckText("daily_legal_basis", request.daily_legal_basis(), kMaxShortText, false));
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
  const v1::CorrectionOrder* order = FindOrder(context.state(), request.order_id());
  if (order == nullptr) {
    return ::rectify::Refuse(absl::StatusCode::kNotFound,
                             absl::StrCat("penalty case ", context.id(), " has no order ",
                                          request.order_id()),
                             absl::StrCat("处罚案件 ", context.id(), " 没有责令改正 ",
                                          request.order_id()));
  }
  if (order->state() != v1::CORRECTION_ORDER_STATE_SERVED) {
    return context.Refuse(absl::StrCat("order ", order->order_id(),
                                       " is not served and waiting for its recheck"),
                          absl::StrCat("责令改正 ", order->order_id(), " 不是已送达待复查状态"));
  }
  const absl::Time served = ToTime(order->served_at());
  ASSIGN_OR_RETURN(const absl::Time rechecked,
                   context.When("rechecked_at", request.has_rechecked_at(), request.rechecked_at(),
                                served));
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
  if (reason == v1::PENALTY_CLOSING_REASON_UNSPECIFIED || !v1::PenaltyClosingReason_IsValid(reason)) {
    return InvalidField("reason", "must be PERFORMED, EXECUTED, REVOKED or NOT_PENALIZED",
                        "须为履行完毕、法院强制执行、决定被撤销或不予处罚");
  }
  RETURN_IF_ERROR(CheckText("remark", request.remark(), kMaxShortText,
                            reason == v1::PENALTY_CLOSING_REASON_NOT_PENALIZED ||
                                reason == v1::PENALTY_CLOSING_REASON_EXECUTED));
  RETURN_IF_ERROR(context.RequireRole({v1::ROLE_SUPERVISOR}, "close a penalty case", "结案"));
  const v1::PenaltyCase& state = context.state();
  if (state.status() == v1::PENALTY_STATUS_CLOSED || state.status() == v1::PENALTY_STATUS_NOT_FILED ||
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
        const bool done = reason == v1::PENALTY_CLOSING_REASON_REVOKED ? decision.revoked()
                          : decision.revoked() || decision.settled() ||
                                EffectiveFine(decision) == 0 ||
                                (reason == v1::PENALTY_CLOSING_REASON_EXECUTED &&
                                 decision.has_execution_applied_at());
        if (!done || !decision.has_served_at()) {
          return context.Refuse(
              absl::StrCat("decision ", decision.decision_id(), " (", decision.document_number(),
                           ") is not ", reason == v1::PENALTY_CLOSING_REASON_REVOKED
                                            ? "revoked"
                                            : "served and paid (or executed)"),
              absl::StrCat("处罚决定 ", decision.document_number(), " 尚未",
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
    if (deadline.state() == v1::DEADLINE_STATE_OPEN || deadline.state() == v1::DEADLINE_STATE_MISSED) {
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
    return ::rectify::Refuse(absl::StatusCode::kNotFound,
                             absl::StrCat("penalty case ", context.id(), " has no deadline ", deadline_id),
                             absl::StrCat("处罚案件 ", context.id(), " 没有期限 ", deadline_id));
  }
  if (deadline->state() != v1::DEADLINE_STATE_OPEN) {
    return ::rectify::Refuse(absl::StatusCode::kFailedPrecondition,
                             absl::StrCat("deadline ", deadline_id, " of penalty case ", context.id(),
                                          " is not OPEN; a deadline is marked overdue once"),
                             absl::StrCat("处罚案件 ", context.id(), " 的期限 ", deadline_id,
                                          " 已不在计时中"));
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
    const std::string decision_id = deadline_id.substr(0, deadline_id.size() - std::string("-lawsuit").size());
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
    return ::rectify::Refuse(absl::StatusCode::kNotFound,
                             absl::StrCat("penalty case ", context.id(), " has no deadline ",
                                          request.deadline_id()),
                             absl::StrCat("处罚案件 ", context.id(), " 没有期限 ", request.deadline_id()));
  }
  ASSIGN_OR_RETURN(const ComputedDeadline recounted,
                   RecountPenaltyDeadline(*deadline, context.policy()));
  if (!RecountChanges(*deadline, recounted)) {
    return ::rectify::Refuse(absl::StatusCode::kFailedPrecondition,
                             absl::StrCat("deadline ", request.deadline_id(), " of penalty case ",
                                          context.id(), " is already counted as the loaded calendar counts it"),
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

v1::Deadline* MutableDeadline(v1::PenaltyCase& state, absl::string_view deadline_id) {
  for (v1::Deadline& deadline : *state.mutable_deadlines()) {
    if (deadline.deadline_id() == deadline_id) return &deadline;
  }
  return nullptr;
}

absl::Status Unfit(const v1::Event& event, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("event ", event.version(), " of ",
                                                 event.stream_id(), " does not fit: ", why));
}

}  // namespace

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

int DaysLate(absl::Time due_at, absl::Time paid_at) {
  if (paid_at < due_at) return 0;
  const absl::CivilDay due_day = DeadlineDay(due_at);
  const absl::CivilDay paid_day = absl::ToCivilDay(paid_at, ChinaTimeZone());
  return std::max<int>(0, static_cast<int>(paid_day - due_day));
}

int64_t LateSurcharge(int64_t fine_fen, int days_late) {
  if (fine_fen <= 0 || days_late <= 0) return 0;
  // Past 34 days 3 % a day passes 100 %: cap before multiplying, so the
  // product stays small (fine ≤ 10^11 fen, × 3 × 34).
  const int64_t days = std::min<int64_t>(days_late, 100 / kSurchargePercentPerDay + 1);
  const int64_t surcharge = fine_fen * kSurchargePercentPerDay * days / 100;
  return std::min(surcharge, fine_fen);
}

int DailyPenaltyDays(absl::Time order_served_at, absl::Time rechecked_at) {
  const absl::CivilDay served = absl::ToCivilDay(order_served_at, ChinaTimeZone());
  const absl::CivilDay rechecked = absl::ToCivilDay(rechecked_at, ChinaTimeZone());
  return std::max<int>(0, static_cast<int>(rechecked - served));
}

absl::StatusOr<int64_t> DailyPenaltyAmount(int64_t original_fine_fen, int days) {
  if (original_fine_fen < 0 || original_fine_fen > kMaxFineFen || days < 0 || days > 10000) {
    return InvalidField("daily_days", "is out of range", "按日计罚天数超出范围");
  }
  return original_fine_fen * days;
}

int64_t EffectiveFine(const v1::PenaltyDecision& decision) {
  if (decision.revoked()) return 0;
  int64_t fine = decision.terms().fine_fen();
  for (const v1::PenaltyRemedy& remedy : decision.remedies()) {
    if (remedy.outcome() == v1::REMEDY_OUTCOME_CHANGED) fine = remedy.changed_fine_fen();
  }
  return fine;
}

v1::SurchargeOwed SurchargeOwedAt(const v1::PenaltyDecision& decision, absl::Time at) {
  v1::SurchargeOwed owed;
  owed.set_decision_id(decision.decision_id());
  const int64_t fine = EffectiveFine(decision);
  owed.set_fine_unpaid_fen(std::max<int64_t>(0, fine - decision.fine_paid_fen()));
  if (!decision.has_payment_due_at()) return owed;
  if (owed.fine_unpaid_fen() == 0) {
    // The fine is paid: what was owed then, less what was paid towards it.
    owed.set_surcharge_unpaid_fen(
        std::max<int64_t>(0, decision.surcharge_owed_fen() - decision.surcharge_paid_fen()));
    return owed;
  }
  const int days = DaysLate(ToTime(decision.payment_due_at()), at);
  owed.set_days_late(days);
  owed.set_surcharge_unpaid_fen(
      std::max<int64_t>(0, LateSurcharge(fine, days) - decision.surcharge_paid_fen()));
  return owed;
}

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
      return absl::AlreadyExistsError(absl::StrCat("penalty case ", state.penalty_case_id(),
                                                   " exists already"));
    }
    RETURN_IF_ERROR(DecideOpen(context));
    return context.Take();
  }
  if (state.version() == 0) {
    return ::rectify::Refuse(absl::StatusCode::kNotFound,
                             absl::StrCat("penalty case ", command.stream_id(), " does not exist"),
                             absl::StrCat("处罚案件 ", command.stream_id(), " 不存在"));
  }
  const bool ended = state.status() == v1::PENALTY_STATUS_CLOSED ||
                     state.status() == v1::PENALTY_STATUS_NOT_FILED;
  absl::Status decided;
  switch (command.request_case()) {
    case v1::Command::kMarkOverdue: decided = DecideMarkOverdue(context); break;
    case v1::Command::kRecountDeadline: decided = DecideRecount(context); break;
    default:
      if (ended) {
        return context.Refuse("it has ended", "案件已办结，不能再办理");
      }
      switch (command.request_case()) {
        case v1::Command::kDecidePenaltyFiling: decided = DecideFiling(context); break;
        case v1::Command::kExtendPenaltyFiling: decided = DecideExtendFiling(context); break;
        case v1::Command::kRecordPenaltyInvestigation: decided = DecideInvestigation(context); break;
        case v1::Command::kServePenaltyPriorNotice: decided = DecidePriorNotice(context); break;
        case v1::Command::kRequestPenaltyHearing: decided = DecideRequestHearing(context); break;
        case v1::Command::kSchedulePenaltyHearing: decided = DecideScheduleHearing(context); break;
        case v1::Command::kRecordPenaltyHearing: decided = DecideHoldHearing(context); break;
        case v1::Command::kExtendPenaltyDecisionPeriod: decided = DecideExtendDecision(context); break;
        case v1::Command::kDecidePenalty: decided = DecideDecision(context); break;
        case v1::Command::kServePenaltyDecision: decided = DecideServeDecision(context); break;
        case v1::Command::kRecordPenaltyPayment: decided = DecidePayment(context); break;
        case v1::Command::kRecordPenaltyRemedy: decided = DecideRemedy(context); break;
        case v1::Command::kDecidePenaltyRemedy: decided = DecideRemedyOutcome(context); break;
        case v1::Command::kApplyCompulsoryExecution: decided = DecideExecution(context); break;
        case v1::Command::kPublishPenalty: decided = DecidePublish(context); break;
        case v1::Command::kIssueCorrectionOrder: decided = DecideIssueOrder(context); break;
        case v1::Command::kServeCorrectionOrder: decided = DecideServeOrder(context); break;
        case v1::Command::kRecordCorrectionRecheck: decided = DecideRecheck(context); break;
        case v1::Command::kClosePenaltyCase: decided = DecideClose(context); break;
        default:
          return absl::InvalidArgumentError("not a penalty case command");
      }
  }
  RETURN_IF_ERROR(decided);
  return context.Take();
}

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
      *state.mutable_hearing()->mutable_requested_at() = event.penalty_hearing_requested().requested_at();
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
      if (served.has_payment_due_at()) *decision->mutable_payment_due_at() = served.payment_due_at();
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
      v1::PenaltyDecision* decision = MutableDecision(state, event.penalty_remedy_filed().decision_id());
      if (decision == nullptr) return Unfit(event, "no such decision");
      *decision->add_remedies() = event.penalty_remedy_filed().remedy();
      break;
    }
    case v1::Event::kPenaltyRemedyDecided: {
      const v1::PenaltyRemedyDecided& decided = event.penalty_remedy_decided();
      v1::PenaltyDecision* decision = MutableDecision(state, decided.decision_id());
      if (decision == nullptr) return Unfit(event, "no such decision");
      for (v1::PenaltyRemedy& remedy : *decision->mutable_remedies()) {
        if (remedy.kind() != decided.kind() || remedy.outcome() != v1::REMEDY_OUTCOME_PENDING) continue;
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
      v1::PenaltyDecision* decision = MutableDecision(state, event.penalty_published().decision_id());
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

absl::StatusOr<ComputedDeadline> RecountPenaltyDeadline(const v1::Deadline& deadline,
                                                        const Policy& policy) {
  if (deadline.state() != v1::DEADLINE_STATE_OPEN) {
    return absl::FailedPreconditionError(
        absl::StrCat("deadline ", deadline.deadline_id(), " no longer runs"));
  }
  const v1::DeadlineRule& rule = deadline.rule();
  if (rule.unit() != v1::DEADLINE_UNIT_CALENDAR_DAYS &&
      rule.unit() != v1::DEADLINE_UNIT_WORKING_DAYS &&
      rule.unit() != v1::DEADLINE_UNIT_CALENDAR_MONTHS) {
    return absl::FailedPreconditionError(
        absl::StrCat("deadline ", deadline.deadline_id(), " is not counted in days"));
  }
  if (policy.calendar == nullptr) return absl::FailedPreconditionError("the policy has no calendar");
  const absl::Time start =
      rule.has_counted_from() ? ToTime(rule.counted_from()) : ToTime(deadline.opened_at());
  ASSIGN_OR_RETURN(ComputedDeadline recounted,
                   CountDeadline(*policy.calendar, rule.unit(), rule.amount(), start));
  recounted.rule.set_basis(rule.basis());
  return recounted;
}

absl::Status CheckCanReadPenalty(const v1::Principal& principal, const v1::PenaltyCase& penalty) {
  const absl::Status denied = ::rectify::Refuse(
      absl::StatusCode::kPermissionDenied,
      absl::StrCat(principal.principal_id(), " may not read penalty case ", penalty.penalty_case_id()),
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
  entry.set_decision_date(IsoDate(absl::ToCivilDay(ToTime(decision.decided_at()), ChinaTimeZone())));
  *entry.mutable_publication_due_at() = decision.publication_due_at();
  if (decision.has_published_at()) *entry.mutable_published_at() = decision.published_at();
  const bool has_due = decision.has_publication_due_at();
  entry.set_late(has_due && (decision.has_published_at()
                                 ? ToTime(decision.published_at()) >= ToTime(decision.publication_due_at())
                                 : as_of >= ToTime(decision.publication_due_at())));
  return entry;
}

}  // namespace rectify::workflow

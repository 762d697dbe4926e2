// The helpers the case and referral rules share (see decide_internal.h): the
// Context one Decide call builds its events in and its deadline bookkeeping,
// the guards that word refusals (role, jurisdiction, own unit, status) and
// the lookups of deadlines and referrals on a case. Part of //workflow:decider.
#include "workflow/decide_internal.h"

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
#include "base/proto_time.h"
#include "workflow/decider.h"
#include "workflow/reading_rules.h"
#include "workflow/validation.h"

namespace rectify::workflow {
namespace internal {

Context::Context(const v1::Case& state, const v1::Command& command,
                 const v1::Principal& principal, absl::Time now, const Policy& policy,
                 const std::string& region_code)
    : state_(state), command_(command), principal_(principal), now_(now), policy_(policy) {
  envelope_ = CommandEnvelope(command, principal, now);
  envelope_.set_stream_id(command.stream_id());
  envelope_.set_stream_kind(v1::STREAM_KIND_CASE);
  envelope_.set_region_code(region_code);
  events_.reserve(4);
}

v1::Event& Context::Add() {
  events_.push_back(envelope_);
  v1::Event& event = events_.back();
  event.set_version(state_.version() + static_cast<int64_t>(events_.size()));
  return event;
}

bool Context::DeadlineIdTaken(const std::string& id) const {
  return FindDeadline(state_, id) != nullptr ||
         std::find(opened_ids_.begin(), opened_ids_.end(), id) != opened_ids_.end();
}

std::string Context::FreshDeadlineId(const std::string& base) const {
  if (!DeadlineIdTaken(base)) return base;
  for (int n = 2;; ++n) {
    std::string id = absl::StrCat(base, "-", n);
    if (!DeadlineIdTaken(id)) return id;
  }
}

std::string Context::NumberedDeadlineId(const std::string& stem) const {
  for (int n = 1;; ++n) {
    std::string id = absl::StrCat(stem, "-", n);
    if (!DeadlineIdTaken(id)) return id;
  }
}

absl::Status Context::OpenDeadline(v1::DeadlineKind kind, const std::string& deadline_id,
                                   const std::string& referral_id, int amount_override) {
  if (!policy_.deadline(kind).enabled) return absl::OkStatus();
  ASSIGN_OR_RETURN(const ComputedDeadline computed,
                   ComputeDeadline(policy_, kind, now_, amount_override));
  AddDeadline(kind, deadline_id, referral_id, computed);
  return absl::OkStatus();
}

void Context::AddDeadline(v1::DeadlineKind kind, const std::string& deadline_id,
                          const std::string& referral_id, const ComputedDeadline& computed) {
  v1::Deadline& deadline = *Add().mutable_deadline_opened()->mutable_deadline();
  deadline.set_deadline_id(deadline_id);
  deadline.set_kind(kind);
  *deadline.mutable_due_at() = ToProto(computed.due_at);
  *deadline.mutable_rule() = computed.rule;
  *deadline.mutable_opened_at() = ToProto(now_);
  deadline.set_state(v1::DEADLINE_STATE_OPEN);
  deadline.set_referral_id(referral_id);
  opened_ids_.push_back(deadline_id);
}

void Context::CloseDeadline(const v1::Deadline& deadline, bool cancel) {
  v1::DeadlineClosed& closed = *Add().mutable_deadline_closed();
  closed.set_deadline_id(deadline.deadline_id());
  closed.set_state(cancel ? v1::DEADLINE_STATE_CANCELLED
                   : deadline.state() == v1::DEADLINE_STATE_MISSED ? v1::DEADLINE_STATE_MET_LATE
                                                                   : v1::DEADLINE_STATE_MET);
}

absl::StatusOr<ComputedDeadline> Context::RectificationDue(bool has_due,
                                                           const google::protobuf::Timestamp& due,
                                                           absl::string_view due_field) const {
  if (has_due) {
    ComputedDeadline computed;
    computed.due_at = ToTime(due);
    computed.rule.set_unit(v1::DEADLINE_UNIT_FIXED);
    computed.rule.set_basis(absl::StrCat("set by ", principal_.principal_id()));
    return computed;
  }
  if (!policy_.deadline(v1::DEADLINE_KIND_RECTIFICATION).enabled) {
    return WithUserMessage(
        absl::InvalidArgumentError(absl::StrCat(due_field, ": is required: policy ", policy_.name,
                                                " has no default rectification period")),
        absl::StrCat(FieldLabel(due_field), "：必填（现行规则没有默认整改期限）"), due_field);
  }
  return ComputeDeadline(policy_, v1::DEADLINE_KIND_RECTIFICATION, now_);
}

std::string RoleWords(v1::Role role) {
  switch (role) {
    case v1::ROLE_INSPECTOR:
      return "an inspector";
    case v1::ROLE_SUPERVISOR:
      return "a supervisor";
    case v1::ROLE_RECTIFIER:
      return "a rectifier";
    case v1::ROLE_BUREAU_HEAD:
      return "the bureau head";
    case v1::ROLE_POLICE:
      return "the police";
    case v1::ROLE_PROCURATOR:
      return "a procurator";
    case v1::ROLE_AUDITOR:
      return "an auditor";
    case v1::ROLE_ADMIN:
      return "an administrator";
    case v1::ROLE_SYSTEM:
      return "the system";
    default:
      return "a principal without a role";
  }
}

namespace {

// What a user may do from each state, for refusals; AllowedFromWords in Chinese.
absl::string_view AllowedFromWords(v1::CaseStatus status) {
  switch (status) {
    case v1::CASE_STATUS_FOUND:
      return "交办、以查无实据销号、提议移送、记录证据";
    case v1::CASE_STATUS_ASSIGNED:
      return "改派、开始整改、提议移送、记录证据";
    case v1::CASE_STATUS_RECTIFYING:
      return "报告整改进展、申请或审批延期、提交整改完成、验收已提交的整改、提议移送、记录证据";
    case v1::CASE_STATUS_VERIFIED:
      return "销号（公示期满且无未结移送时）、公示期内提出异议、提议移送、记录证据";
    case v1::CASE_STATUS_CLOSED:
      return "重新打开、记录证据";
    default:
      return "无";
  }
}

absl::string_view AllowedFrom(v1::CaseStatus status) {
  switch (status) {
    case v1::CASE_STATUS_FOUND:
      return "assign it, close it as unfounded, propose a referral, record evidence";
    case v1::CASE_STATUS_ASSIGNED:
      return "reassign it, start rectification, propose a referral, record evidence";
    case v1::CASE_STATUS_RECTIFYING:
      return "report progress, request or decide an extension, submit completion, verify a "
             "submitted completion, propose a referral, record evidence";
    case v1::CASE_STATUS_VERIFIED:
      return "close it (once any public notice has ended and no referral is open), raise an "
             "objection during the public notice, propose a referral, record evidence";
    case v1::CASE_STATUS_CLOSED:
      return "reopen it, record evidence";
    default:
      return "nothing";
  }
}

}  // namespace

std::string ActionWords(const v1::Command& command) {
  switch (command.request_case()) {
    case v1::Command::kReportCase: return "上报案件";
    case v1::Command::kAssignCase: return "交办";
    case v1::Command::kReassignCase: return "改派";
    case v1::Command::kStartRectification: return "开始整改";
    case v1::Command::kReportProgress: return "报告整改进展";
    case v1::Command::kRequestExtension: return "申请延期";
    case v1::Command::kDecideExtension: return "审批延期申请";
    case v1::Command::kSubmitCompletion: return "提交整改完成";
    case v1::Command::kVerifyRectification: return "现场验收";
    case v1::Command::kRaiseObjection: return "提出公示异议";
    case v1::Command::kCloseCase: return "销号";
    case v1::Command::kCloseAsUnfounded: return "以查无实据销号";
    case v1::Command::kReopenCase: return "重新打开";
    case v1::Command::kProposeReferral: return "提议移送";
    case v1::Command::kApproveReferral: return "批准移送";
    case v1::Command::kRefuseReferral: return "不同意移送";
    case v1::Command::kSendReferral: return "移送公安";
    case v1::Command::kReceiveReferral: return "签收移送";
    case v1::Command::kExtendReferralReview: return "延长审查期限";
    case v1::Command::kDecideReferral: return "作出立案决定";
    case v1::Command::kRequestReconsideration: return "要求复议";
    case v1::Command::kDecideReconsideration: return "作出复议决定";
    case v1::Command::kRequestSupervision: return "提请检察监督";
    case v1::Command::kExplainNonFiling: return "说明不立案理由";
    case v1::Command::kWithdrawReferral: return "撤回移送";
    case v1::Command::kApproveReviewExtension: return "批准延长审查期限";
    case v1::Command::kRecordEvidence: return "记录证据";
    case v1::Command::kMarkOverdue: return "标记逾期";
    case v1::Command::kRecountDeadline: return "重算期限";
    default: return "办理此事项";
  }
}

absl::Status Refuse(const Context& context, absl::string_view why, absl::string_view why_zh) {
  const std::string status = CaseStatusName(context.state().status());
  return WithUserMessage(
      absl::FailedPreconditionError(absl::StrCat("case ", context.state().case_id(), " is ",
                                                  status, "; ", why, ". From ", status,
                                                  " you may: ", AllowedFrom(context.state().status()))),
      absl::StrCat("案件 ", context.state().case_id(), " 当前为“",
                   CaseStatusWords(context.state().status(), context.state().closure().unfounded()),
                   "”，", why_zh, "。当前可以：", AllowedFromWords(context.state().status())));
}

absl::Status RequireRole(const Context& context, std::initializer_list<v1::Role> roles,
                         absl::string_view action) {
  const v1::Role role = context.principal().role();
  if (std::find(roles.begin(), roles.end(), role) != roles.end()) return absl::OkStatus();
  std::vector<std::string> words;
  std::vector<std::string> words_zh;
  for (v1::Role allowed : roles) {
    words.push_back(RoleWords(allowed));
    words_zh.push_back(::rectify::RoleWords(allowed));
  }
  return WithUserMessage(
      absl::PermissionDeniedError(absl::StrCat("only ", absl::StrJoin(words, " or "), " may ",
                                               action, "; ", context.principal().principal_id(),
                                               " is ", RoleWords(role))),
      absl::StrCat("只有", absl::StrJoin(words_zh, "或"), "才能", ActionWords(context.command()),
                   "；您的角色是", ::rectify::RoleWords(role)));
}

absl::Status RequireJurisdiction(const Context& context) {
  const std::string& region = context.state().location().region_code();
  if (InJurisdiction(region, context.principal().jurisdiction())) return absl::OkStatus();
  return WithUserMessage(
      absl::PermissionDeniedError(absl::StrCat(
          "case ", context.state().case_id(), " is in region ", region,
          ", outside the jurisdiction \"", context.principal().jurisdiction(), "\" of ",
          context.principal().principal_id())),
      absl::StrCat("案件 ", context.state().case_id(), " 属于区域 ", region, "，不在您的辖区（",
                   context.principal().jurisdiction(), "）内，不能", ActionWords(context.command())));
}

absl::Status RequireOwnUnit(const Context& context, absl::string_view action) {
  if (context.principal().role() != v1::ROLE_RECTIFIER) return absl::OkStatus();
  const std::string& unit = context.state().responsible_unit();
  if (!unit.empty() && unit == context.principal().unit_id()) return absl::OkStatus();
  return WithUserMessage(
      absl::PermissionDeniedError(absl::StrCat(
          "a rectifier may ", action, " only on its own unit's cases; case ",
          context.state().case_id(),
          unit.empty() ? " has no responsible unit" : absl::StrCat(" is with ", unit), ", and ",
          context.principal().principal_id(), " belongs to \"", context.principal().unit_id(), "\"")),
      absl::StrCat("整改责任单位只能为本单位的案件", ActionWords(context.command()), "；案件 ",
                   context.state().case_id(),
                   unit.empty() ? std::string(" 尚无责任单位") : absl::StrCat(" 由“", unit, "”负责"),
                   "，您属于“", context.principal().unit_id(), "”"));
}

absl::Status RequireStatus(const Context& context, std::initializer_list<v1::CaseStatus> allowed,
                           absl::string_view passive_action) {
  const v1::CaseStatus status = context.state().status();
  if (std::find(allowed.begin(), allowed.end(), status) != allowed.end()) {
    return absl::OkStatus();
  }
  std::vector<std::string> names;
  std::vector<std::string> words;
  for (v1::CaseStatus s : allowed) {
    names.push_back(CaseStatusName(s));
    words.push_back(absl::StrCat("“", CaseStatusWords(s), "”"));
  }
  return Refuse(context, absl::StrCat("only a case in ", absl::StrJoin(names, " or "), " can be ",
                                      passive_action),
                absl::StrCat("只有", absl::StrJoin(words, "或"), "的案件才能",
                             ActionWords(context.command())));
}

const v1::Deadline* FindDeadline(const v1::Case& state, absl::string_view deadline_id) {
  for (const v1::Deadline& deadline : state.deadlines()) {
    if (deadline.deadline_id() == deadline_id) return &deadline;
  }
  return nullptr;
}

bool IsObligation(v1::DeadlineKind kind) {
  return kind != v1::DEADLINE_KIND_PUBLIC_NOTICE &&
         kind != v1::DEADLINE_KIND_RECONSIDERATION_REQUEST &&
         kind != v1::DEADLINE_KIND_SUPERVISION_REQUEST;
}

const v1::Deadline* ActiveDeadline(const v1::Case& state, v1::DeadlineKind kind,
                                   absl::string_view referral_id) {
  for (const v1::Deadline& deadline : state.deadlines()) {
    if (deadline.kind() != kind || deadline.referral_id() != referral_id) continue;
    if (deadline.state() == v1::DEADLINE_STATE_OPEN ||
        (deadline.state() == v1::DEADLINE_STATE_MISSED && IsObligation(kind))) {
      return &deadline;
    }
  }
  return nullptr;
}

const v1::Referral* FindReferral(const v1::Case& state, absl::string_view referral_id) {
  for (const v1::Referral& referral : state.referrals()) {
    if (referral.referral_id() == referral_id) return &referral;
  }
  return nullptr;
}

bool IsReferralOpen(v1::ReferralState state) {
  switch (state) {
    case v1::REFERRAL_STATE_PROPOSED:
    case v1::REFERRAL_STATE_APPROVED:
    case v1::REFERRAL_STATE_SENT:
    case v1::REFERRAL_STATE_RECEIVED:
    case v1::REFERRAL_STATE_DECLINED:
    case v1::REFERRAL_STATE_RECONSIDERATION_REQUESTED:
    case v1::REFERRAL_STATE_DECLINE_UPHELD:
    case v1::REFERRAL_STATE_SUPERVISION_REQUESTED:
      return true;
    default:
      return false;
  }
}

std::string FormatLocal(absl::Time time, const Policy& policy) {
  if (policy.calendar == nullptr) return absl::FormatTime("%Y-%m-%d %H:%M UTC", time, absl::UTCTimeZone());
  return absl::StrCat(absl::FormatTime("%Y-%m-%d %H:%M", time, policy.calendar->zone()), " (",
                      policy.calendar->zone_name(), ")");
}

}  // namespace internal
}  // namespace rectify::workflow

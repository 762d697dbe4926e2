// Internal to //workflow:penalties: the context one DecidePenalty call builds
// its events in, the limits and checks the steps share, and the steps
// themselves, one function per command: penalty_proceedings.cc (opening to the
// served decision), penalty_money.cc (payment, remedies, execution,
// publication), penalty_orders.cc (correction orders, recheck, closing, the
// scheduler's MarkOverdue and RecountDeadline). penalties.cc routes a command
// to its step. Not part of the contract: callers use penalties.h.
#ifndef RECTIFY_WORKFLOW_PENALTY_INTERNAL_H_
#define RECTIFY_WORKFLOW_PENALTY_INTERNAL_H_

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "base/dates.h"
#include "base/proto_time.h"
#include "base/status_macros.h"
#include "base/status_words.h"
#include "base/user_message.h"
#include "workflow/decider.h"
#include "workflow/penalties.h"
#include "workflow/policy.h"
#include "workflow/validation.h"

namespace rectify::workflow::penalty_internal {

// The longest texts a penalty command may carry, in characters.
inline constexpr int kMaxLongText = 20000;
inline constexpr int kMaxText = 5000;
inline constexpr int kMaxShortText = 2000;
inline constexpr int kMaxNameText = 200;

// The status's name without its prefix: "PROPOSED".
std::string StatusName(v1::PenaltyStatus status);

// One DecidePenalty call: inputs and the events so far.
class Context {
 public:
  Context(const v1::PenaltyCase& state, const v1::Command& command, const v1::Principal& principal,
          absl::Time now, const Policy& policy, const PenaltyFacts& facts)
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

  absl::Status OpenDeadline(v1::DeadlineKind kind, const std::string& deadline_id, absl::Time start,
                            int amount_override = 0) {
    if (!policy_.deadline(kind).enabled) return absl::OkStatus();
    ASSIGN_OR_RETURN(ComputedDeadline computed,
                     ComputeDeadline(policy_, kind, start, amount_override));
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
    return Refuse(
        absl::StrCat("only a penalty case in ", absl::StrJoin(names, " or "), " can ", action),
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
      return InvalidField(
          field,
          absl::StrCat("is before ", DeadlineIso(not_before), ", when the step before it happened"),
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

// Lookups in the case: nullptr when there is none.
const v1::PenaltyDecision* FindDecision(const v1::PenaltyCase& state,
                                        absl::string_view decision_id);
const v1::CorrectionOrder* FindOrder(const v1::PenaltyCase& state, absl::string_view order_id);
const v1::PenaltyDecision* OriginalDecision(const v1::PenaltyCase& state);
// The decision or order of the case with that id, or NOT_FOUND naming it.
absl::StatusOr<const v1::PenaltyDecision*> GetDecision(const Context& context,
                                                       absl::string_view decision_id);
absl::StatusOr<const v1::CorrectionOrder*> GetOrder(const Context& context,
                                                    absl::string_view order_id);
// True while an order is ISSUED or SERVED.
bool OrderOpen(const v1::CorrectionOrder& order);
// True while a remedy against `decision` awaits its outcome.
bool HasPendingRemedy(const v1::PenaltyDecision& decision);

// OK when `terms` name one or more distinct kinds, a fine in range exactly
// when FINE is among them, and what is confiscated when CONFISCATION is.
absl::Status CheckTerms(absl::string_view field, const v1::PenaltyTerms& terms);
// OK when `officers` are two or more distinct INSPECTORs of the case's
// region found in the registry (command.named_principals), the caller
// among them.
absl::Status CheckOfficers(const Context& context, absl::string_view field,
                           const google::protobuf::RepeatedPtrField<std::string>& officers);

// "<stem>-<n>": the ids of a case's decisions ("d-1") and orders
// ("o-2").
std::string Id(absl::string_view stem, int n);

// ---- The steps: from opening to the served decision (penalty_proceedings.cc)

// The next decision's id and document number; the decision's clocks.
absl::Status AddDecision(Context& context, v1::PenaltyDecision decision);
// The served, unrevoked decision `decision_id`, or a refusal.
absl::StatusOr<const v1::PenaltyDecision*> ServedDecision(const Context& context,
                                                          const std::string& decision_id);
absl::Status DecideOpen(Context& context);
absl::Status DecideFiling(Context& context);
absl::Status DecideExtendFiling(Context& context);
absl::Status DecideInvestigation(Context& context);
absl::Status DecidePriorNotice(Context& context);
absl::Status DecideRequestHearing(Context& context);
absl::Status DecideScheduleHearing(Context& context);
absl::Status DecideHoldHearing(Context& context);
absl::Status DecideExtendDecision(Context& context);
absl::Status DecideDecision(Context& context);
absl::Status DecideServeDecision(Context& context);

// ---- Money: payment, remedies, execution, publication (penalty_money.cc)

absl::Status DecidePayment(Context& context);
absl::Status DecideRemedy(Context& context);
absl::Status DecideRemedyOutcome(Context& context);
absl::Status DecideExecution(Context& context);
absl::Status DecidePublish(Context& context);

// ---- Correction orders, recheck, closing, the scheduler's commands
// (penalty_orders.cc)

absl::Status DecideIssueOrder(Context& context);
absl::Status DecideServeOrder(Context& context);
absl::Status DecideRecheck(Context& context);
absl::Status DecideClose(Context& context);
absl::Status DecideMarkOverdue(Context& context);
absl::Status DecideRecount(Context& context);

}  // namespace rectify::workflow::penalty_internal

#endif  // RECTIFY_WORKFLOW_PENALTY_INTERNAL_H_

// Internal to //workflow:decider: the context one Decide call builds its
// events in, and the helpers the case and referral rules share (guards that
// word refusals, deadline bookkeeping). Not part of the contract.
#ifndef RECTIFY_WORKFLOW_DECIDE_INTERNAL_H_
#define RECTIFY_WORKFLOW_DECIDE_INTERNAL_H_

#include <initializer_list>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "base/status_words.h"
#include "rectify/v1/case.pb.h"
#include "rectify/v1/command.pb.h"
#include "rectify/v1/common.pb.h"
#include "rectify/v1/event.pb.h"
#include "workflow/policy.h"

namespace rectify::workflow::internal {

// One Decide call: its inputs and the events decided so far.
class Context {
 public:
  Context(const v1::Case& state, const v1::Command& command, const v1::Principal& principal,
          absl::Time now, const Policy& policy, const std::string& region_code);

  const v1::Case& state() const { return state_; }
  const v1::Command& command() const { return command_; }
  const v1::Principal& principal() const { return principal_; }
  absl::Time now() const { return now_; }
  const Policy& policy() const { return policy_; }

  // Appends an event with its envelope filled in (the next version) and
  // returns it for its payload. The reference is valid until the next Add.
  v1::Event& Add();

  // Deadline events. OpenDeadline computes the due instant from the policy
  // (nothing happens when the policy opens no such deadline); AddDeadline
  // takes one computed before; CloseDeadline picks MET or MET_LATE from the
  // deadline's state unless `cancel`.
  absl::Status OpenDeadline(v1::DeadlineKind kind, const std::string& deadline_id,
                            const std::string& referral_id, int amount_override = 0);
  void AddDeadline(v1::DeadlineKind kind, const std::string& deadline_id,
                   const std::string& referral_id, const ComputedDeadline& computed);
  void CloseDeadline(const v1::Deadline& deadline, bool cancel);
  // The next rectification deadline: at `due` when the caller gave one
  // (has_due), else the policy's period from now.
  absl::StatusOr<ComputedDeadline> RectificationDue(bool has_due,
                                                    const google::protobuf::Timestamp& due,
                                                    absl::string_view due_field) const;
  std::vector<v1::Event> Take() { return std::move(events_); }

 private:
  const v1::Case& state_;
  const v1::Command& command_;
  const v1::Principal& principal_;
  const absl::Time now_;
  const Policy& policy_;
  v1::Event envelope_;
  std::vector<v1::Event> events_;
  // Deadline ids opened by this call so far (so two in one call differ).
  std::vector<std::string> opened_ids_;

 public:
  // A deadline id not used in the case nor by this call: `base`, or base-2,
  // base-3 ... when taken (e.g. "ref-1-filing", "ref-1-filing-2").
  std::string FreshDeadlineId(const std::string& base) const;
  // The first of stem-1, stem-2 ... not used (e.g. "rect-1", "rect-2").
  std::string NumberedDeadlineId(const std::string& stem) const;

 private:
  bool DeadlineIdTaken(const std::string& id) const;
};

// "FOUND", "PROPOSED", ... (base/status_words.h).
using ::rectify::CaseStatusName;
using ::rectify::ReferralStateName;
// "an inspector", "the police", ...
std::string RoleWords(v1::Role role);

// PERMISSION_DENIED unless the principal has one of `roles`; `action` words
// the command, e.g. "assign a case" (the Chinese is ActionWords).
absl::Status RequireRole(const Context& context, std::initializer_list<v1::Role> roles,
                         absl::string_view action);
// PERMISSION_DENIED unless the case lies in the principal's jurisdiction.
absl::Status RequireJurisdiction(const Context& context);
// PERMISSION_DENIED unless a RECTIFIER principal belongs to the case's
// responsible unit (other roles pass).
absl::Status RequireOwnUnit(const Context& context, absl::string_view action);
// FAILED_PRECONDITION unless the case is in one of `allowed`: "case X is
// ASSIGNED; only a case in RECTIFYING can be verified. From ASSIGNED you may:
// ...".
absl::Status RequireStatus(const Context& context, std::initializer_list<v1::CaseStatus> allowed,
                           absl::string_view passive_action);
// FAILED_PRECONDITION "case X is S; <why>. From S you may: ...", and for the
// user "案件 X 当前为“整改中”，<why_zh>。当前可以：……".
absl::Status Refuse(const Context& context, absl::string_view why, absl::string_view why_zh);
// What the command is, in the words a user reads: "交办", "现场验收", ...
std::string ActionWords(const v1::Command& command);

// The deadline with `deadline_id`, or null.
const v1::Deadline* FindDeadline(const v1::Case& state, absl::string_view deadline_id);
// The running deadline of `kind` (of `referral_id` when not empty): OPEN, or
// MISSED with its stage still open. Null when none.
const v1::Deadline* ActiveDeadline(const v1::Case& state, v1::DeadlineKind kind,
                                   absl::string_view referral_id = "");
// True for the deadlines whose passing is somebody's lateness (they make the
// case overdue); false for windows that merely close (a reconsideration or
// supervision request may be made until then) and for the public notice.
bool IsObligation(v1::DeadlineKind kind);
// The referral with `referral_id`, or null.
const v1::Referral* FindReferral(const v1::Case& state, absl::string_view referral_id);
// True while a referral has not ended.
bool IsReferralOpen(v1::ReferralState state);
// "2026-03-09 00:00 (Asia/Shanghai)".
std::string FormatLocal(absl::Time time, const Policy& policy);

// The referral commands (referrals.cc).
absl::Status DecideReferralCommand(Context& context);

}  // namespace rectify::workflow::internal

#endif  // RECTIFY_WORKFLOW_DECIDE_INTERNAL_H_

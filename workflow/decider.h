// The case workflow as a pure decider (DOMAIN.md): Decide turns a command on
// a case's current state into events or a refusal; Evolve folds one event
// into the state. No I/O, no clock, no gRPC, no RocksDB: `now` and the
// policy are values, so every rule is testable on its own.
//
//   ASSIGN_OR_RETURN(std::vector<v1::Event> events,
//                    Decide(state, command, principal, now, policy));
//   for (const v1::Event& event : events) RETURN_IF_ERROR(Evolve(state, event));
//
// The events Decide returns carry their envelope (stream id and kind,
// version, region code, occurred_at, recorded_at = now, actor, command id)
// but no position or hashes: the store assigns those when it commits.
#ifndef RECTIFY_WORKFLOW_DECIDER_H_
#define RECTIFY_WORKFLOW_DECIDER_H_

#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "rectify/v1/case.pb.h"
#include "rectify/v1/command.pb.h"
#include "rectify/v1/common.pb.h"
#include "rectify/v1/event.pb.h"
#include "workflow/policy.h"
#include "workflow/reading_rules.h"  // InJurisdiction, for the deciders' callers

namespace rectify::workflow {

// Decides `command` against `state` (an empty Case, version 0, when the
// stream does not exist yet).
// Returns the events to append, or:
//   INVALID_ARGUMENT     the request is malformed (the message names the field);
//   NOT_FOUND            the command needs an existing case and there is none;
//   ALREADY_EXISTS       a report for a stream that already exists;
//   FAILED_PRECONDITION  the case's state does not allow the command (the
//                        message names the case, its state, what is allowed);
//   PERMISSION_DENIED    the principal's role, jurisdiction or unit may not;
//   UNIMPLEMENTED        a command this build does not decide yet.
absl::StatusOr<std::vector<v1::Event>> Decide(const v1::Case& state, const v1::Command& command,
                                             const v1::Principal& principal, absl::Time now,
                                             const Policy& policy);

// Folds `event` into `state`. Never fails on an event Decide produced;
// INVALID_ARGUMENT for an event that does not fit (wrong stream or version,
// unknown payload), which means a corrupt or foreign store.
absl::Status Evolve(v1::Case& state, const v1::Event& event);

// `deadline` of `state` counted again in `policy`'s calendar with its own
// unit and amount from its own start (rule.counted_from; for deadlines
// recorded before that field, opened_at, or a referral's receipt for a
// filing decision). FAILED_PRECONDITION when it is not OPEN or not counted
// in days (HOURS and FIXED do not depend on the calendar); OUT_OF_RANGE
// when the calendar does not cover the dates. The server compares the
// result with the deadline to find the ones a newly loaded calendar moves.
absl::StatusOr<ComputedDeadline> RecountDeadline(const v1::Case& state, const v1::Deadline& deadline,
                                                 const Policy& policy);

// True when `recounted` differs from `deadline` in its due instant or its
// provisional mark: a RecountDeadline command would record an event.
bool RecountChanges(const v1::Deadline& deadline, const ComputedDeadline& recounted);

// MarkOverdue on a deadline that is not due yet is refused with
// FAILED_PRECONDITION carrying a typed payload (the due instant), so that
// the scheduler reads the outcome and not the wording:
//
//   if (std::optional<absl::Time> due = NotYetDueUntil(status)) { /* keep the timer */ }
//
// NotYetDueUntil returns the due instant of such a refusal, or nullopt for
// any other status.
absl::Status NotYetDueError(absl::string_view message, absl::Time due);
std::optional<absl::Time> NotYetDueUntil(const absl::Status& status);
// The actor a record names for `principal`: its id, role, unit and display
// name when it acted (an event's actor, an order's issuer, a decision's
// decider).
v1::Actor ActorOf(const v1::Principal& principal);

// The envelope every event of one command shares (recorded_at, occurred_at,
// actor with its display name, command_id); the caller sets the stream,
// version and payload. The one envelope of every decider: cases, lists,
// complaints, penalties, units, accounts.
v1::Event CommandEnvelope(const v1::Command& command, const v1::Principal& principal,
                          absl::Time now);

// True for a deadline whose miss makes the case overdue (a duty of someone:
// not the public notice, nor a party's own window to ask for
// reconsideration or supervision).
bool IsObligation(v1::DeadlineKind kind);

}  // namespace rectify::workflow

#endif  // RECTIFY_WORKFLOW_DECIDER_H_

// Rectification lists (整改清单, DOMAIN.md "Supervision") as a pure decider,
// beside the case decider: DecideList turns a list command into events for
// the list's stream and for the streams of the cases it touches (CaseListed
// / CaseUnlisted, so Case.list_ids follows the list); EvolveList folds a list
// event into the list's state. No I/O: the pipeline loads the list and the
// cases named by ListCommandCases and passes them in as values.
//
//   std::vector<std::string> ids = ListCommandCases(list, command);
//   ... load each case ...
//   ASSIGN_OR_RETURN(ListDecision decision,
//                    DecideList(list, cases, command, principal, now, policy));
//
// Case events are folded with the case workflow's Evolve (decider.h).
#ifndef RECTIFY_WORKFLOW_LISTS_H_
#define RECTIFY_WORKFLOW_LISTS_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "rectify/v1/case.pb.h"
#include "rectify/v1/command.pb.h"
#include "rectify/v1/common.pb.h"
#include "rectify/v1/event.pb.h"
#include "rectify/v1/supervision_service.pb.h"
#include "workflow/policy.h"

namespace rectify::workflow {

// Most cases one AddListItems may name.
inline constexpr int kMaxListItemsPerCommand = 1000;

// True for the four list commands of v1::Command.
bool IsListCommand(const v1::Command& command);

// The case ids whose state DecideList needs for `command` on `list`: the
// cases to add, the case to remove, or every item to close. Ids that are
// malformed are still returned; DecideList refuses them before lookup.
std::vector<std::string> ListCommandCases(const v1::RectificationList& list,
                                          const v1::Command& command);

// What one list command decided.
struct ListDecision {
  // Events for the list's stream.
  std::vector<v1::Event> list_events;
  // Events per case stream, by case id.
  std::map<std::string, std::vector<v1::Event>> case_events;
};

// Decides `command` (one of the list commands) on `list` (an empty list,
// version 0, when the stream does not exist: CreateRectificationList's
// stream id is the id the server allocated). `cases` holds the state of each
// id ListCommandCases named that exists; a missing one is NOT_FOUND.
// Errors, in this order: INVALID_ARGUMENT naming the field; NOT_FOUND (no
// such list or case); ALREADY_EXISTS (create on an existing stream); ABORTED
// (expected_version); PERMISSION_DENIED (role, jurisdiction);
// FAILED_PRECONDITION (a closed list, a case already on it or not on it, an
// open item when closing — the message names them).
absl::StatusOr<ListDecision> DecideList(const v1::RectificationList& list,
                                        const std::map<std::string, v1::Case>& cases,
                                        const v1::Command& command, const v1::Principal& principal,
                                        absl::Time now, const Policy& policy);

// Folds a list event into `list`. INVALID_ARGUMENT for an event that does
// not fit (wrong version, unknown payload): a corrupt or foreign store.
absl::Status EvolveList(v1::RectificationList& list, const v1::Event& event);

}  // namespace rectify::workflow

#endif  // RECTIFY_WORKFLOW_LISTS_H_

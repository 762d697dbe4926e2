// The responsible units directory (责任单位) as a pure decider, like the
// accounts and the rectification lists beside the case decider: a unit is
// the stream "U-<unit_id>"; DecideUnit turns a UnitService command into its
// events, EvolveUnit folds them into the v1::Unit. No I/O.
//
//   ASSIGN_OR_RETURN(std::vector<v1::Event> events,
//                    DecideUnit(unit, command, principal, now));
//
// Who may act: a SUPERVISOR or an ADMIN on units whose region lies inside
// its jurisdiction (before and after an update), or SYSTEM (the demo
// directory at start). A case may be assigned only to an active unit of the
// directory (CheckAssignableUnit, asked by the pipeline).
#ifndef RECTIFY_WORKFLOW_UNITS_H_
#define RECTIFY_WORKFLOW_UNITS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "rectify/v1/command.pb.h"
#include "rectify/v1/common.pb.h"
#include "rectify/v1/event.pb.h"
#include "rectify/v1/unit.pb.h"

namespace rectify::workflow {

// Longest unit id, in bytes.
inline constexpr int kMaxUnitIdBytes = 64;
// Longest full name and short name, in characters.
inline constexpr int kMaxUnitFullNameChars = 100;
inline constexpr int kMaxUnitShortNameChars = 30;

// True for the UnitService commands of v1::Command.
bool IsUnitCommand(const v1::Command& command);

// The unit id a unit command names.
const std::string& UnitIdOf(const v1::Command& command);

// "U-minle-hongshui-town" for "minle-hongshui-town".
std::string UnitStreamId(absl::string_view unit_id);

// OK for 1-64 bytes of a-z 0-9 . _ - beginning with a letter or a digit;
// else INVALID_ARGUMENT naming `field`.
absl::Status CheckUnitId(absl::string_view field, absl::string_view unit_id);

// OK for a well-formed description: full name 1-100 characters, short name
// up to 30, a kind, a region code naming a region, a credit code that passes
// its check character (required for an enterprise), a contact name up to 64
// characters and a phone of 3-32 characters of 0-9 space + - ( ). Else
// INVALID_ARGUMENT naming the field under `prefix` ("details.full_name").
absl::Status CheckUnitDetails(absl::string_view prefix, const v1::UnitDetails& details);

// Decides a unit command on `unit` (empty, version 0, when the stream does
// not exist). Errors, in this order: INVALID_ARGUMENT naming the field;
// PERMISSION_DENIED (not a SUPERVISOR or ADMIN, or outside its
// jurisdiction); ALREADY_EXISTS (create on an existing unit); NOT_FOUND (no
// such unit); FAILED_PRECONDITION (nothing to change, already retired or
// active).
absl::StatusOr<std::vector<v1::Event>> DecideUnit(const v1::Unit& unit, const v1::Command& command,
                                                  const v1::Principal& principal, absl::Time now);

// Folds a unit event into `unit`. INVALID_ARGUMENT for an event that does
// not fit (wrong version or stream kind, not a unit payload).
absl::Status EvolveUnit(v1::Unit& unit, const v1::Event& event);

// OK when a case may be given to `unit` (the directory's unit named
// `unit_id`, version 0 when there is none): FAILED_PRECONDITION naming
// `field` when it is retired, or not in the directory while the case's
// county has a directory (`county_has_directory`: at least one unit whose
// region lies in the county). A county without any unit yet (a store written
// before the directory) keeps its ad-hoc unit ids until its first unit is
// created: docs/operations.md, "The responsible units directory".
absl::Status CheckAssignableUnit(absl::string_view field, absl::string_view unit_id,
                                 const v1::Unit& unit, bool county_has_directory);

// The name people read for `unit`: its full name (洪水镇人民政府), else
// `unit_id` (a unit not in the directory, e.g. of a store older than it).
std::string UnitDisplayName(const v1::Unit& unit, absl::string_view unit_id);

}  // namespace rectify::workflow

#endif  // RECTIFY_WORKFLOW_UNITS_H_

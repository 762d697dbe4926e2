// What the server's own commands share (the deadline scheduler, the
// calendar recount, the account setup): the ROLE_SYSTEM principal they act
// as, which the principals file cannot give to anyone and which Decide
// requires for marking overdue and recounting, and their derived command
// ids, kept within the command id limit of workflow/validation.h.
//
//   pipeline.Submit(std::move(command), SystemPrincipal("system", "deadline scheduler"), ...);
//   command.set_command_id(FitCommandId("overdue:", absl::StrCat("overdue:", stream, ...)));
#ifndef RECTIFY_SERVER_SYSTEM_COMMANDS_H_
#define RECTIFY_SERVER_SYSTEM_COMMANDS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "rectify/v1/common.pb.h"

namespace rectify::server {

// The ROLE_SYSTEM principal `principal_id`, named `display_name` on the
// events it records.
v1::Principal SystemPrincipal(absl::string_view principal_id, absl::string_view display_name);

// `id` when it fits the command id limit (workflow::kMaxIdBytes), else
// `prefix` followed by the hex SHA-256 of `id` (still one id for one input).
std::string FitCommandId(absl::string_view prefix, std::string id);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_SYSTEM_COMMANDS_H_

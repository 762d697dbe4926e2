// Mutating commands as values: a v1::Command (command.proto, the envelope the
// server's pipeline uses too) holds any mutating CaseService request, so the
// same value is sent at once by rectifyctl or kept in the offline outbox and
// sent later by `rectifyctl sync`.
//
//   v1::Command command;
//   command.mutable_assign_case()->set_case_id("620722-2026-000001");
//   ...
//   ASSIGN_OR_RETURN(CommandReply reply, SendCommand(client, command));
//   std::cout << reply.case_state.status();
#ifndef RECTIFY_CLIENT_COMMANDS_H_
#define RECTIFY_CLIENT_COMMANDS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "client/rectify_client.h"
#include "google/protobuf/message.h"
#include "rectify/v1/command.pb.h"

namespace rectify::client {

struct CommandReply {
  // The case after the command, as the caller may see it.
  v1::Case case_state;
  // The global log position of the last event written.
  uint64_t position = 0;
  // The whole reply message (e.g. a v1::AssignCaseResponse), for --json.
  std::shared_ptr<google::protobuf::Message> response;
};

// Sends the request `command` holds through the matching CaseService RPC.
// INVALID_ARGUMENT when it holds none or one that is not a CaseService call
// (mark_overdue, the list commands, record_evidence); else the server's reply
// or status.
absl::StatusOr<CommandReply> SendCommand(RectifyClient& client, const v1::Command& command);

// The request `command` holds, or nullptr when none.
const google::protobuf::Message* RequestOf(const v1::Command& command);
google::protobuf::Message* MutableRequestOf(v1::Command& command);

// The name of the request field set, e.g. "assign_case"; "" when none.
std::string CommandName(const v1::Command& command);

// The request's string field `name` ("case_id", "command_id"); "" when absent.
std::string RequestString(const v1::Command& command, const std::string& name);
// Sets it; false when the request has no such field.
bool SetRequestString(v1::Command& command, const std::string& name, const std::string& value);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_COMMANDS_H_

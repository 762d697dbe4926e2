// CaseService handlers; see case_service.h.
#include "server/case_service.h"

#include <chrono>
#include <string>
#include <utility>

#include "base/status_macros.h"
#include "server/access.h"
#include "server/grpc_status.h"
#include "server/log.h"
#include "workflow/validation.h"

namespace rectify::server {
namespace {

// Logs one line per mutating call: method, principal, case, outcome and
// latency. Identifiers only: never request text, which may hold personal data.
void LogCommand(absl::string_view method, const v1::Principal& principal,
                const std::string& case_id, const absl::Status& status,
                std::chrono::steady_clock::time_point started) {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();
  Log(status.ok() ? LogLevel::kInfo : LogLevel::kWarning,
      {{"method", std::string(method)},
       {"principal", principal.principal_id()},
       {"case", case_id},
       {"code", absl::StatusCodeToString(status.code())},
       {"latency_us", std::to_string(micros)}});
}

}  // namespace

grpc::ServerUnaryReactor* CaseServiceImpl::ReportCase(grpc::CallbackServerContext* context,
                                                      const v1::ReportCaseRequest* request,
                                                      v1::ReportCaseResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const auto started = std::chrono::steady_clock::now();
  absl::StatusOr<v1::Principal> principal = principals_.Authenticate(*context);
  if (!principal.ok()) {
    reactor->Finish(ToGrpcStatus(principal.status()));
    return reactor;
  }
  // The pipeline deduplicates on command_id before anything else, so its
  // shape is checked here.
  if (absl::Status id = workflow::CheckId("command_id", request->command_id(), true); !id.ok()) {
    reactor->Finish(ToGrpcStatus(id));
    return reactor;
  }
  v1::Command command;
  command.set_command_id(request->command_id());
  if (request->has_occurred_at()) *command.mutable_occurred_at() = request->occurred_at();
  *command.mutable_report_case() = *request;
  v1::Principal caller = *principal;
  pipeline_.Submit(std::move(command), caller,
                   [reactor, response, caller, started](absl::StatusOr<CommandOutcome> outcome) {
                     if (outcome.ok()) {
                       *response->mutable_case_() = RedactForReader(caller, outcome->state);
                       response->set_position(outcome->position);
                     }
                     LogCommand("ReportCase", caller,
                                outcome.ok() ? outcome->state.case_id() : std::string(),
                                outcome.status(), started);
                     reactor->Finish(ToGrpcStatus(outcome.status()));
                   });
  return reactor;
}

grpc::ServerUnaryReactor* CaseServiceImpl::GetCase(grpc::CallbackServerContext* context,
                                                   const v1::GetCaseRequest* request,
                                                   v1::GetCaseResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(v1::Principal principal, principals_.Authenticate(*context));
    RETURN_IF_ERROR(workflow::CheckId("case_id", request->case_id(), true));
    RETURN_IF_ERROR(CheckCaseIdInScope(principal, request->case_id()));
    ASSIGN_OR_RETURN(v1::Case state, store_.GetCase(request->case_id()));
    RETURN_IF_ERROR(CheckCanRead(principal, state));
    *response->mutable_case_() = RedactForReader(principal, std::move(state));
    return absl::OkStatus();
  }();
  if (!status.ok() && !absl::IsNotFound(status) && !absl::IsInvalidArgument(status) &&
      !absl::IsPermissionDenied(status) && !absl::IsUnauthenticated(status)) {
    Log(LogLevel::kError, {{"method", "GetCase"}, {"status", status.ToString()}});
  }
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

}  // namespace rectify::server

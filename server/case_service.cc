// CaseService handlers; see case_service.h.
#include "server/case_service.h"

#include <chrono>
#include <string>
#include <utility>

#include "base/proto_time.h"
#include "base/status_macros.h"
#include "server/access.h"
#include "server/countdowns.h"
#include "server/grpc_status.h"
#include "server/log.h"
#include "server/rpc_interceptor.h"
#include "workflow/validation.h"

namespace rectify::server {
grpc::ServerUnaryReactor* CaseServiceImpl::ReportCase(grpc::CallbackServerContext* context,
                                                      const v1::ReportCaseRequest* request,
                                                      v1::ReportCaseResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const CallStart started = StartCall(*context);
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
                       *response->mutable_case_() =
                           RedactForReader(caller, std::move(outcome->state));
                       response->set_position(outcome->position);
                     }
                     LogCommand("ReportCase", caller.principal_id(), "case",
                                outcome.ok() ? outcome->state.case_id() : std::string(),
                                outcome.status(), started);
                     reactor->Finish(ToGrpcStatus(outcome.status()));
                   });
  return reactor;
}

template <typename Request, typename Response>
grpc::ServerUnaryReactor* CaseServiceImpl::Mutate(grpc::CallbackServerContext* context,
                                                  const Request& request, Response* response,
                                                  absl::string_view method,
                                                  Request* (v1::Command::*field)()) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const CallStart started = StartCall(*context);
  absl::StatusOr<v1::Principal> principal = principals_.Authenticate(*context);
  absl::Status shape = principal.status();
  if (shape.ok()) shape = workflow::CheckId("command_id", request.command_id(), true);
  if (shape.ok()) shape = workflow::CheckCaseIdFormat("case_id", request.case_id());
  if (shape.ok()) shape = CheckCaseIdInScope(*principal, request.case_id());
  if (!shape.ok()) {
    if (principal.ok())
      LogCommand(method, principal->principal_id(), "case", request.case_id(), shape, started);
    reactor->Finish(ToGrpcStatus(shape));
    return reactor;
  }
  v1::Command command;
  command.set_stream_id(request.case_id());
  command.set_command_id(request.command_id());
  if (request.has_expected_version()) command.set_expected_version(request.expected_version());
  if (request.has_occurred_at()) *command.mutable_occurred_at() = request.occurred_at();
  *(command.*field)() = request;
  if (command.has_propose_referral()) {
    // Decide is pure: it checks the officers' roles and jurisdictions from
    // what the registry says of them, resolved here.
    for (const std::string& officer : command.propose_referral().proposing_officers()) {
      if (std::optional<v1::Principal> found = principals_.FindPrincipal(officer)) {
        *command.add_named_principals() = *std::move(found);
      }
    }
  }
  v1::Principal caller = *principal;
  const std::string case_id = request.case_id();
  pipeline_.Submit(
      std::move(command), caller,
      [reactor, response, caller, started, method,
       case_id](absl::StatusOr<CommandOutcome> outcome) {
        if (outcome.ok()) {
          *response->mutable_case_() = RedactForReader(caller, std::move(outcome->state));
          response->set_position(outcome->position);
        }
        LogCommand(method, caller.principal_id(), "case", case_id, outcome.status(), started);
        reactor->Finish(ToGrpcStatus(outcome.status()));
      });
  return reactor;
}

grpc::ServerUnaryReactor* CaseServiceImpl::AssignCase(grpc::CallbackServerContext* context,
                                                      const v1::AssignCaseRequest* request,
                                                      v1::AssignCaseResponse* response) {
  return Mutate(context, *request, response, "AssignCase", &v1::Command::mutable_assign_case);
}

grpc::ServerUnaryReactor* CaseServiceImpl::ReassignCase(grpc::CallbackServerContext* context,
                                                        const v1::ReassignCaseRequest* request,
                                                        v1::ReassignCaseResponse* response) {
  return Mutate(context, *request, response, "ReassignCase", &v1::Command::mutable_reassign_case);
}

grpc::ServerUnaryReactor* CaseServiceImpl::StartRectification(
    grpc::CallbackServerContext* context, const v1::StartRectificationRequest* request,
    v1::StartRectificationResponse* response) {
  return Mutate(context, *request, response, "StartRectification",
                &v1::Command::mutable_start_rectification);
}

grpc::ServerUnaryReactor* CaseServiceImpl::ReportProgress(grpc::CallbackServerContext* context,
                                                          const v1::ReportProgressRequest* request,
                                                          v1::ReportProgressResponse* response) {
  return Mutate(context, *request, response, "ReportProgress",
                &v1::Command::mutable_report_progress);
}

grpc::ServerUnaryReactor* CaseServiceImpl::RequestExtension(
    grpc::CallbackServerContext* context, const v1::RequestExtensionRequest* request,
    v1::RequestExtensionResponse* response) {
  return Mutate(context, *request, response, "RequestExtension",
                &v1::Command::mutable_request_extension);
}

grpc::ServerUnaryReactor* CaseServiceImpl::DecideExtension(
    grpc::CallbackServerContext* context, const v1::DecideExtensionRequest* request,
    v1::DecideExtensionResponse* response) {
  return Mutate(context, *request, response, "DecideExtension",
                &v1::Command::mutable_decide_extension);
}

grpc::ServerUnaryReactor* CaseServiceImpl::SubmitCompletion(
    grpc::CallbackServerContext* context, const v1::SubmitCompletionRequest* request,
    v1::SubmitCompletionResponse* response) {
  return Mutate(context, *request, response, "SubmitCompletion",
                &v1::Command::mutable_submit_completion);
}

grpc::ServerUnaryReactor* CaseServiceImpl::VerifyRectification(
    grpc::CallbackServerContext* context, const v1::VerifyRectificationRequest* request,
    v1::VerifyRectificationResponse* response) {
  return Mutate(context, *request, response, "VerifyRectification",
                &v1::Command::mutable_verify_rectification);
}

grpc::ServerUnaryReactor* CaseServiceImpl::RaiseObjection(grpc::CallbackServerContext* context,
                                                          const v1::RaiseObjectionRequest* request,
                                                          v1::RaiseObjectionResponse* response) {
  return Mutate(context, *request, response, "RaiseObjection",
                &v1::Command::mutable_raise_objection);
}

grpc::ServerUnaryReactor* CaseServiceImpl::CloseCase(grpc::CallbackServerContext* context,
                                                     const v1::CloseCaseRequest* request,
                                                     v1::CloseCaseResponse* response) {
  return Mutate(context, *request, response, "CloseCase", &v1::Command::mutable_close_case);
}

grpc::ServerUnaryReactor* CaseServiceImpl::CloseAsUnfounded(
    grpc::CallbackServerContext* context, const v1::CloseAsUnfoundedRequest* request,
    v1::CloseAsUnfoundedResponse* response) {
  return Mutate(context, *request, response, "CloseAsUnfounded",
                &v1::Command::mutable_close_as_unfounded);
}

grpc::ServerUnaryReactor* CaseServiceImpl::ReopenCase(grpc::CallbackServerContext* context,
                                                      const v1::ReopenCaseRequest* request,
                                                      v1::ReopenCaseResponse* response) {
  return Mutate(context, *request, response, "ReopenCase", &v1::Command::mutable_reopen_case);
}

grpc::ServerUnaryReactor* CaseServiceImpl::ProposeReferral(
    grpc::CallbackServerContext* context, const v1::ProposeReferralRequest* request,
    v1::ProposeReferralResponse* response) {
  return Mutate(context, *request, response, "ProposeReferral",
                &v1::Command::mutable_propose_referral);
}

grpc::ServerUnaryReactor* CaseServiceImpl::ApproveReferral(
    grpc::CallbackServerContext* context, const v1::ApproveReferralRequest* request,
    v1::ApproveReferralResponse* response) {
  return Mutate(context, *request, response, "ApproveReferral",
                &v1::Command::mutable_approve_referral);
}

grpc::ServerUnaryReactor* CaseServiceImpl::RefuseReferral(grpc::CallbackServerContext* context,
                                                          const v1::RefuseReferralRequest* request,
                                                          v1::RefuseReferralResponse* response) {
  return Mutate(context, *request, response, "RefuseReferral",
                &v1::Command::mutable_refuse_referral);
}

grpc::ServerUnaryReactor* CaseServiceImpl::SendReferral(grpc::CallbackServerContext* context,
                                                        const v1::SendReferralRequest* request,
                                                        v1::SendReferralResponse* response) {
  return Mutate(context, *request, response, "SendReferral", &v1::Command::mutable_send_referral);
}

grpc::ServerUnaryReactor* CaseServiceImpl::ReceiveReferral(
    grpc::CallbackServerContext* context, const v1::ReceiveReferralRequest* request,
    v1::ReceiveReferralResponse* response) {
  return Mutate(context, *request, response, "ReceiveReferral",
                &v1::Command::mutable_receive_referral);
}

grpc::ServerUnaryReactor* CaseServiceImpl::ExtendReferralReview(
    grpc::CallbackServerContext* context, const v1::ExtendReferralReviewRequest* request,
    v1::ExtendReferralReviewResponse* response) {
  return Mutate(context, *request, response, "ExtendReferralReview",
                &v1::Command::mutable_extend_referral_review);
}

grpc::ServerUnaryReactor* CaseServiceImpl::ApproveReviewExtension(
    grpc::CallbackServerContext* context, const v1::ApproveReviewExtensionRequest* request,
    v1::ApproveReviewExtensionResponse* response) {
  return Mutate(context, *request, response, "ApproveReviewExtension",
                &v1::Command::mutable_approve_review_extension);
}

grpc::ServerUnaryReactor* CaseServiceImpl::DecideReferral(grpc::CallbackServerContext* context,
                                                          const v1::DecideReferralRequest* request,
                                                          v1::DecideReferralResponse* response) {
  return Mutate(context, *request, response, "DecideReferral",
                &v1::Command::mutable_decide_referral);
}

grpc::ServerUnaryReactor* CaseServiceImpl::RequestReconsideration(
    grpc::CallbackServerContext* context, const v1::RequestReconsiderationRequest* request,
    v1::RequestReconsiderationResponse* response) {
  return Mutate(context, *request, response, "RequestReconsideration",
                &v1::Command::mutable_request_reconsideration);
}

grpc::ServerUnaryReactor* CaseServiceImpl::DecideReconsideration(
    grpc::CallbackServerContext* context, const v1::DecideReconsiderationRequest* request,
    v1::DecideReconsiderationResponse* response) {
  return Mutate(context, *request, response, "DecideReconsideration",
                &v1::Command::mutable_decide_reconsideration);
}

grpc::ServerUnaryReactor* CaseServiceImpl::RequestSupervision(
    grpc::CallbackServerContext* context, const v1::RequestSupervisionRequest* request,
    v1::RequestSupervisionResponse* response) {
  return Mutate(context, *request, response, "RequestSupervision",
                &v1::Command::mutable_request_supervision);
}

grpc::ServerUnaryReactor* CaseServiceImpl::ExplainNonFiling(
    grpc::CallbackServerContext* context, const v1::ExplainNonFilingRequest* request,
    v1::ExplainNonFilingResponse* response) {
  return Mutate(context, *request, response, "ExplainNonFiling",
                &v1::Command::mutable_explain_non_filing);
}

grpc::ServerUnaryReactor* CaseServiceImpl::WithdrawReferral(
    grpc::CallbackServerContext* context, const v1::WithdrawReferralRequest* request,
    v1::WithdrawReferralResponse* response) {
  return Mutate(context, *request, response, "WithdrawReferral",
                &v1::Command::mutable_withdraw_referral);
}

grpc::ServerUnaryReactor* CaseServiceImpl::GetCase(grpc::CallbackServerContext* context,
                                                   const v1::GetCaseRequest* request,
                                                   v1::GetCaseResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(v1::Principal principal, principals_.Authenticate(*context));
    RETURN_IF_ERROR(workflow::CheckCaseIdFormat("case_id", request->case_id()));
    RETURN_IF_ERROR(CheckCaseIdInScope(principal, request->case_id()));
    ASSIGN_OR_RETURN(v1::Case state, VisibleCase(principal, request->case_id(),
                                                 store_.GetCase(request->case_id())));
    *response->mutable_case_() = RedactForReader(principal, std::move(state));
    const absl::Time now = pipeline_.clock().Now();
    for (v1::DeadlineCountdown& countdown :
         RunningCountdowns(*pipeline_.policy().calendar, now, response->case_())) {
      *response->add_countdowns() = std::move(countdown);
    }
    *response->mutable_as_of() = ToProto(now);
    return absl::OkStatus();
  }();
  if (!status.ok() && !absl::IsNotFound(status) && !absl::IsInvalidArgument(status) &&
      !absl::IsPermissionDenied(status) && !absl::IsUnauthenticated(status)) {
    Log(LogLevel::kError, {{"method", "GetCase"},
                           {"status", status.ToString()},
                           {"request_id", RequestIdOf(*context)}});
  }
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

}  // namespace rectify::server

// Sending a v1::Command through its CaseService RPC; see commands.h.
#include "client/commands.h"

#include "absl/strings/str_cat.h"
#include "google/protobuf/descriptor.h"

namespace rectify::client {
namespace {

using Stub = v1::CaseService::Stub;

template <typename Request, typename Response>
absl::StatusOr<CommandReply> Send(RectifyClient& client,
                                  grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                               const Request&, Response*),
                                  const Request& request) {
  absl::StatusOr<Response> response = client.Call(method, request);
  if (!response.ok()) return response.status();
  CommandReply reply;
  reply.case_state = response->case_();
  reply.position = response->position();
  reply.response = std::make_shared<Response>(std::move(*response));
  return reply;
}

}  // namespace

absl::StatusOr<CommandReply> SendCommand(RectifyClient& client, const v1::Command& command) {
  switch (command.request_case()) {
#define RECTIFY_SEND(Case, field, Rpc) \
  case v1::Command::Case:              \
    return Send(client, &Stub::Rpc, command.field());
    RECTIFY_SEND(kReportCase, report_case, ReportCase)
    RECTIFY_SEND(kAssignCase, assign_case, AssignCase)
    RECTIFY_SEND(kReassignCase, reassign_case, ReassignCase)
    RECTIFY_SEND(kStartRectification, start_rectification, StartRectification)
    RECTIFY_SEND(kReportProgress, report_progress, ReportProgress)
    RECTIFY_SEND(kRequestExtension, request_extension, RequestExtension)
    RECTIFY_SEND(kDecideExtension, decide_extension, DecideExtension)
    RECTIFY_SEND(kSubmitCompletion, submit_completion, SubmitCompletion)
    RECTIFY_SEND(kVerifyRectification, verify_rectification, VerifyRectification)
    RECTIFY_SEND(kRaiseObjection, raise_objection, RaiseObjection)
    RECTIFY_SEND(kCloseCase, close_case, CloseCase)
    RECTIFY_SEND(kCloseAsUnfounded, close_as_unfounded, CloseAsUnfounded)
    RECTIFY_SEND(kReopenCase, reopen_case, ReopenCase)
    RECTIFY_SEND(kProposeReferral, propose_referral, ProposeReferral)
    RECTIFY_SEND(kApproveReferral, approve_referral, ApproveReferral)
    RECTIFY_SEND(kRefuseReferral, refuse_referral, RefuseReferral)
    RECTIFY_SEND(kSendReferral, send_referral, SendReferral)
    RECTIFY_SEND(kReceiveReferral, receive_referral, ReceiveReferral)
    RECTIFY_SEND(kExtendReferralReview, extend_referral_review, ExtendReferralReview)
    RECTIFY_SEND(kApproveReviewExtension, approve_review_extension, ApproveReviewExtension)
    RECTIFY_SEND(kDecideReferral, decide_referral, DecideReferral)
    RECTIFY_SEND(kRequestReconsideration, request_reconsideration, RequestReconsideration)
    RECTIFY_SEND(kDecideReconsideration, decide_reconsideration, DecideReconsideration)
    RECTIFY_SEND(kRequestSupervision, request_supervision, RequestSupervision)
    RECTIFY_SEND(kExplainNonFiling, explain_non_filing, ExplainNonFiling)
    RECTIFY_SEND(kWithdrawReferral, withdraw_referral, WithdrawReferral)
#undef RECTIFY_SEND
    default:
      return absl::InvalidArgumentError(
          absl::StrCat("command \"", CommandName(command), "\" is not a CaseService call"));
  }
}

const google::protobuf::Message* RequestOf(const v1::Command& command) {
  const auto* reflection = command.GetReflection();
  const auto* oneof = command.GetDescriptor()->FindOneofByName("request");
  const auto* field = reflection->GetOneofFieldDescriptor(command, oneof);
  return field == nullptr ? nullptr : &reflection->GetMessage(command, field);
}

google::protobuf::Message* MutableRequestOf(v1::Command& command) {
  const auto* reflection = command.GetReflection();
  const auto* oneof = command.GetDescriptor()->FindOneofByName("request");
  const auto* field = reflection->GetOneofFieldDescriptor(command, oneof);
  return field == nullptr ? nullptr : reflection->MutableMessage(&command, field);
}

std::string CommandName(const v1::Command& command) {
  const auto* oneof = command.GetDescriptor()->FindOneofByName("request");
  const auto* field = command.GetReflection()->GetOneofFieldDescriptor(command, oneof);
  return field == nullptr ? "" : field->name();
}

std::string RequestString(const v1::Command& command, const std::string& name) {
  const google::protobuf::Message* request = RequestOf(command);
  if (request == nullptr) return "";
  const auto* field = request->GetDescriptor()->FindFieldByName(name);
  if (field == nullptr || field->type() != google::protobuf::FieldDescriptor::TYPE_STRING ||
      field->is_repeated()) {
    return "";
  }
  return request->GetReflection()->GetString(*request, field);
}

bool SetRequestString(v1::Command& command, const std::string& name, const std::string& value) {
  google::protobuf::Message* request = MutableRequestOf(command);
  if (request == nullptr) return false;
  const auto* field = request->GetDescriptor()->FindFieldByName(name);
  if (field == nullptr || field->type() != google::protobuf::FieldDescriptor::TYPE_STRING ||
      field->is_repeated()) {
    return false;
  }
  request->GetReflection()->SetString(request, field, value);
  return true;
}

}  // namespace rectify::client

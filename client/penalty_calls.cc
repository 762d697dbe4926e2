// Sending a PenaltyService step by its request type; see penalty_calls.h.
#include "client/penalty_calls.h"

#include "absl/strings/str_cat.h"

namespace rectify::client {
namespace {

using Stub = v1::PenaltyService::Stub;

template <typename Request, typename Response>
absl::StatusOr<PenaltyReply> Send(RectifyClient& client,
                                  grpc::Status (Stub::*method)(grpc::ClientContext*,
                                                               const Request&, Response*),
                                  const google::protobuf::Message& request) {
  absl::StatusOr<Response> response =
      client.Call(method, static_cast<const Request&>(request));
  if (!response.ok()) return response.status();
  PenaltyReply reply;
  reply.penalty_case = response->penalty_case();
  reply.response = std::make_shared<Response>(std::move(*response));
  return reply;
}

}  // namespace

absl::StatusOr<PenaltyReply> SendPenaltyStep(RectifyClient& client,
                                             const google::protobuf::Message& request) {
  const google::protobuf::Descriptor* type = request.GetDescriptor();
#define RECTIFY_PENALTY_STEP(Rpc)                                   \
  if (type == v1::Rpc##Request::descriptor()) {                     \
    return Send<v1::Rpc##Request, v1::Rpc##Response>(client, &Stub::Rpc, request); \
  }
  RECTIFY_PENALTY_STEP(OpenPenaltyCase)
  RECTIFY_PENALTY_STEP(DecidePenaltyFiling)
  RECTIFY_PENALTY_STEP(ExtendPenaltyFiling)
  RECTIFY_PENALTY_STEP(RecordPenaltyInvestigation)
  RECTIFY_PENALTY_STEP(ServePenaltyPriorNotice)
  RECTIFY_PENALTY_STEP(RequestPenaltyHearing)
  RECTIFY_PENALTY_STEP(SchedulePenaltyHearing)
  RECTIFY_PENALTY_STEP(RecordPenaltyHearing)
  RECTIFY_PENALTY_STEP(ExtendPenaltyDecisionPeriod)
  RECTIFY_PENALTY_STEP(DecidePenalty)
  RECTIFY_PENALTY_STEP(ServePenaltyDecision)
  RECTIFY_PENALTY_STEP(RecordPenaltyPayment)
  RECTIFY_PENALTY_STEP(RecordPenaltyRemedy)
  RECTIFY_PENALTY_STEP(DecidePenaltyRemedy)
  RECTIFY_PENALTY_STEP(ApplyCompulsoryExecution)
  RECTIFY_PENALTY_STEP(PublishPenalty)
  RECTIFY_PENALTY_STEP(IssueCorrectionOrder)
  RECTIFY_PENALTY_STEP(ServeCorrectionOrder)
  RECTIFY_PENALTY_STEP(RecordCorrectionRecheck)
  RECTIFY_PENALTY_STEP(ClosePenaltyCase)
#undef RECTIFY_PENALTY_STEP
  return absl::InvalidArgumentError(
      absl::StrCat(type->full_name(), " is not a PenaltyService step"));
}

}  // namespace rectify::client

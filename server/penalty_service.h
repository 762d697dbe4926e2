// PenaltyService: the penalty case (处罚案件), its orders to correct and daily
// penalties (penalty_service.proto; the rules in workflow/penalties.h).
// Thin handlers: every step is a command of the penalty case's stream through
// the pipeline; the reads go to the `penalties` projections and their "p*/"
// index keys (projection/projector.h). A penalty case the caller may not read
// (workflow::CheckCanReadPenalty) answers NOT_FOUND, as a missing one.
//
//   PenaltyServiceImpl penalties(authenticator, pipeline, store);
//   builder.RegisterService(&penalties);
#ifndef RECTIFY_SERVER_PENALTY_SERVICE_H_
#define RECTIFY_SERVER_PENALTY_SERVICE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rectify/v1/penalty_service.grpc.pb.h"
#include "server/authenticator.h"
#include "server/pipeline.h"
#include "storage/event_store.h"

namespace rectify::server {

class PenaltyServiceImpl final : public v1::PenaltyService::CallbackService {
 public:
  // All must outlive the service.
  PenaltyServiceImpl(const Authenticator& principals, CommandPipeline& pipeline,
                     storage::EventStore& store)
      : principals_(principals), pipeline_(pipeline), store_(store) {}

  grpc::ServerUnaryReactor* OpenPenaltyCase(grpc::CallbackServerContext* context,
                                     const v1::OpenPenaltyCaseRequest* request,
                                     v1::OpenPenaltyCaseResponse* response) override;
  grpc::ServerUnaryReactor* DecidePenaltyFiling(grpc::CallbackServerContext* context,
                                     const v1::DecidePenaltyFilingRequest* request,
                                     v1::DecidePenaltyFilingResponse* response) override;
  grpc::ServerUnaryReactor* ExtendPenaltyFiling(grpc::CallbackServerContext* context,
                                     const v1::ExtendPenaltyFilingRequest* request,
                                     v1::ExtendPenaltyFilingResponse* response) override;
  grpc::ServerUnaryReactor* RecordPenaltyInvestigation(grpc::CallbackServerContext* context,
                                     const v1::RecordPenaltyInvestigationRequest* request,
                                     v1::RecordPenaltyInvestigationResponse* response) override;
  grpc::ServerUnaryReactor* ServePenaltyPriorNotice(grpc::CallbackServerContext* context,
                                     const v1::ServePenaltyPriorNoticeRequest* request,
                                     v1::ServePenaltyPriorNoticeResponse* response) override;
  grpc::ServerUnaryReactor* RequestPenaltyHearing(grpc::CallbackServerContext* context,
                                     const v1::RequestPenaltyHearingRequest* request,
                                     v1::RequestPenaltyHearingResponse* response) override;
  grpc::ServerUnaryReactor* SchedulePenaltyHearing(grpc::CallbackServerContext* context,
                                     const v1::SchedulePenaltyHearingRequest* request,
                                     v1::SchedulePenaltyHearingResponse* response) override;
  grpc::ServerUnaryReactor* RecordPenaltyHearing(grpc::CallbackServerContext* context,
                                     const v1::RecordPenaltyHearingRequest* request,
                                     v1::RecordPenaltyHearingResponse* response) override;
  grpc::ServerUnaryReactor* ExtendPenaltyDecisionPeriod(grpc::CallbackServerContext* context,
                                     const v1::ExtendPenaltyDecisionPeriodRequest* request,
                                     v1::ExtendPenaltyDecisionPeriodResponse* response) override;
  grpc::ServerUnaryReactor* DecidePenalty(grpc::CallbackServerContext* context,
                                     const v1::DecidePenaltyRequest* request,
                                     v1::DecidePenaltyResponse* response) override;
  grpc::ServerUnaryReactor* ServePenaltyDecision(grpc::CallbackServerContext* context,
                                     const v1::ServePenaltyDecisionRequest* request,
                                     v1::ServePenaltyDecisionResponse* response) override;
  grpc::ServerUnaryReactor* RecordPenaltyPayment(grpc::CallbackServerContext* context,
                                     const v1::RecordPenaltyPaymentRequest* request,
                                     v1::RecordPenaltyPaymentResponse* response) override;
  grpc::ServerUnaryReactor* RecordPenaltyRemedy(grpc::CallbackServerContext* context,
                                     const v1::RecordPenaltyRemedyRequest* request,
                                     v1::RecordPenaltyRemedyResponse* response) override;
  grpc::ServerUnaryReactor* DecidePenaltyRemedy(grpc::CallbackServerContext* context,
                                     const v1::DecidePenaltyRemedyRequest* request,
                                     v1::DecidePenaltyRemedyResponse* response) override;
  grpc::ServerUnaryReactor* ApplyCompulsoryExecution(grpc::CallbackServerContext* context,
                                     const v1::ApplyCompulsoryExecutionRequest* request,
                                     v1::ApplyCompulsoryExecutionResponse* response) override;
  grpc::ServerUnaryReactor* PublishPenalty(grpc::CallbackServerContext* context,
                                     const v1::PublishPenaltyRequest* request,
                                     v1::PublishPenaltyResponse* response) override;
  grpc::ServerUnaryReactor* IssueCorrectionOrder(grpc::CallbackServerContext* context,
                                     const v1::IssueCorrectionOrderRequest* request,
                                     v1::IssueCorrectionOrderResponse* response) override;
  grpc::ServerUnaryReactor* ServeCorrectionOrder(grpc::CallbackServerContext* context,
                                     const v1::ServeCorrectionOrderRequest* request,
                                     v1::ServeCorrectionOrderResponse* response) override;
  grpc::ServerUnaryReactor* RecordCorrectionRecheck(grpc::CallbackServerContext* context,
                                     const v1::RecordCorrectionRecheckRequest* request,
                                     v1::RecordCorrectionRecheckResponse* response) override;
  grpc::ServerUnaryReactor* ClosePenaltyCase(grpc::CallbackServerContext* context,
                                     const v1::ClosePenaltyCaseRequest* request,
                                     v1::ClosePenaltyCaseResponse* response) override;
  grpc::ServerUnaryReactor* GetPenaltyCase(grpc::CallbackServerContext* context,
                                     const v1::GetPenaltyCaseRequest* request,
                                     v1::GetPenaltyCaseResponse* response) override;
  grpc::ServerUnaryReactor* ListPenaltyCases(grpc::CallbackServerContext* context,
                                     const v1::ListPenaltyCasesRequest* request,
                                     v1::ListPenaltyCasesResponse* response) override;
  grpc::ServerUnaryReactor* GetPenaltyCaseHistory(grpc::CallbackServerContext* context,
                                     const v1::GetPenaltyCaseHistoryRequest* request,
                                     v1::GetPenaltyCaseHistoryResponse* response) override;
  grpc::ServerUnaryReactor* ExportPenaltyPublication(grpc::CallbackServerContext* context,
                                     const v1::ExportPenaltyPublicationRequest* request,
                                     v1::ExportPenaltyPublicationResponse* response) override;

 private:
  // Submits a penalty command; `fill` puts the outcome's penalty case into
  // the response.
  template <typename Response>
  grpc::ServerUnaryReactor* Submit(grpc::CallbackServerContext* context, absl::string_view method,
                                   v1::Command command, Response* response);
  // The penalty case `id` when `caller` may read it; NOT_FOUND otherwise.
  absl::StatusOr<v1::PenaltyCase> VisiblePenalty(const v1::Principal& caller,
                                                 absl::string_view id);

  const Authenticator& principals_;
  CommandPipeline& pipeline_;
  storage::EventStore& store_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_PENALTY_SERVICE_H_

// CaseService over gRPC's callback API: thin handlers (grpc's
// greeter_callback_server is the model). Each authenticates the caller,
// checks the request's shape, hands a Command to the pipeline (writes) or
// reads the store (reads), redacts what the caller may not see, and
// finishes. No business rule lives here: Decide has them.
//
// Implemented: every mutating RPC on a case, GetCase, evidence upload and
// download (case_evidence.cc), and the read side in case_queries.cc:
// ListCases (from index keys), GetCaseHistory and WatchEvents (through the
// EventFeed); ListOfficers and PreviewDeadline in case_pickers.cc. GetCase
// and ListCases carry read-time deadline countdowns (countdowns.h) counted
// with the pipeline's clock and policy calendar.
#ifndef RECTIFY_SERVER_CASE_SERVICE_H_
#define RECTIFY_SERVER_CASE_SERVICE_H_

#include "rectify/v1/case_service.grpc.pb.h"
#include "server/byte_budget.h"
#include "server/event_feed.h"
#include "server/pipeline.h"
#include "server/stored_files.h"
#include "server/principals.h"
#include "storage/event_store.h"

namespace rectify::server {

struct CaseServiceOptions {
  // Bytes that uploads in flight may hold in memory at once, server wide:
  // evidence, and the complaint service's site-check documents, which share
  // this budget (upload_budget()). Each upload takes its declared size_bytes when its metadata is
  // accepted (before its bytes are sent) and gives it back when it ends; one
  // that does not fit is refused with RESOURCE_EXHAUSTED. Default: 256 MiB
  // (rectify_server --max_upload_buffer_mb).
  int64_t max_upload_buffer_bytes = int64_t{256} << 20;
};

class CaseServiceImpl final : public v1::CaseService::CallbackService {
 public:
  // All three must outlive the service.
  CaseServiceImpl(const Authenticator& principals, CommandPipeline& pipeline,
                  storage::EventStore& store)
      : CaseServiceImpl(principals, pipeline, store, nullptr) {}
  // With WatchEvents served by `feed` (which must outlive the service);
  // without one WatchEvents answers UNIMPLEMENTED.
  CaseServiceImpl(const Authenticator& principals, CommandPipeline& pipeline,
                  storage::EventStore& store, EventFeed* feed,
                  const CaseServiceOptions& options = CaseServiceOptions())
      : principals_(principals),
        pipeline_(pipeline),
        store_(store),
        feed_(feed),
        upload_budget_(options.max_upload_buffer_bytes) {}

  // Bytes evidence uploads in flight hold now (of
  // CaseServiceOptions::max_upload_buffer_bytes). Thread-safe.
  int64_t upload_bytes_in_flight() const { return upload_budget_.in_use(); }
  // The budget evidence uploads buffer in, shared with the complaint
  // service's site-check document uploads (one --max_upload_buffer_mb).
  ByteBudget& upload_budget() { return upload_budget_; }

  grpc::ServerUnaryReactor* ReportCase(grpc::CallbackServerContext* context,
                                       const v1::ReportCaseRequest* request,
                                       v1::ReportCaseResponse* response) override;

  // Evidence (case_evidence.cc). Upload: metadata first, then chunks; the
  // declared size and SHA-256 are checked (INVALID_ARGUMENT naming the field),
  // the bytes stored content-addressed, and only then RecordEvidence
  // submitted. Past kMaxEvidenceBytes, or past what the upload budget has
  // left (CaseServiceOptions): RESOURCE_EXHAUSTED. Download: the
  // evidence record, then its bytes, to anyone who may read the case.
  static constexpr int64_t kMaxEvidenceBytes = kMaxStoredFileBytes;
  grpc::ServerReadReactor<v1::UploadEvidenceRequest>* UploadEvidence(
      grpc::CallbackServerContext* context, v1::UploadEvidenceResponse* response) override;
  grpc::ServerWriteReactor<v1::DownloadEvidenceResponse>* DownloadEvidence(
      grpc::CallbackServerContext* context, const v1::DownloadEvidenceRequest* request) override;

  grpc::ServerUnaryReactor* AssignCase(grpc::CallbackServerContext* context,
      const v1::AssignCaseRequest* request, v1::AssignCaseResponse* response) override;
  grpc::ServerUnaryReactor* ReassignCase(grpc::CallbackServerContext* context,
      const v1::ReassignCaseRequest* request, v1::ReassignCaseResponse* response) override;
  grpc::ServerUnaryReactor* StartRectification(grpc::CallbackServerContext* context,
      const v1::StartRectificationRequest* request, v1::StartRectificationResponse* response) override;
  grpc::ServerUnaryReactor* ReportProgress(grpc::CallbackServerContext* context,
      const v1::ReportProgressRequest* request, v1::ReportProgressResponse* response) override;
  grpc::ServerUnaryReactor* RequestExtension(grpc::CallbackServerContext* context,
      const v1::RequestExtensionRequest* request, v1::RequestExtensionResponse* response) override;
  grpc::ServerUnaryReactor* DecideExtension(grpc::CallbackServerContext* context,
      const v1::DecideExtensionRequest* request, v1::DecideExtensionResponse* response) override;
  grpc::ServerUnaryReactor* SubmitCompletion(grpc::CallbackServerContext* context,
      const v1::SubmitCompletionRequest* request, v1::SubmitCompletionResponse* response) override;
  grpc::ServerUnaryReactor* VerifyRectification(grpc::CallbackServerContext* context,
      const v1::VerifyRectificationRequest* request, v1::VerifyRectificationResponse* response) override;
  grpc::ServerUnaryReactor* RaiseObjection(grpc::CallbackServerContext* context,
      const v1::RaiseObjectionRequest* request, v1::RaiseObjectionResponse* response) override;
  grpc::ServerUnaryReactor* CloseCase(grpc::CallbackServerContext* context,
      const v1::CloseCaseRequest* request, v1::CloseCaseResponse* response) override;
  grpc::ServerUnaryReactor* CloseAsUnfounded(grpc::CallbackServerContext* context,
      const v1::CloseAsUnfoundedRequest* request, v1::CloseAsUnfoundedResponse* response) override;
  grpc::ServerUnaryReactor* ReopenCase(grpc::CallbackServerContext* context,
      const v1::ReopenCaseRequest* request, v1::ReopenCaseResponse* response) override;
  grpc::ServerUnaryReactor* ProposeReferral(grpc::CallbackServerContext* context,
      const v1::ProposeReferralRequest* request, v1::ProposeReferralResponse* response) override;
  grpc::ServerUnaryReactor* ApproveReferral(grpc::CallbackServerContext* context,
      const v1::ApproveReferralRequest* request, v1::ApproveReferralResponse* response) override;
  grpc::ServerUnaryReactor* RefuseReferral(grpc::CallbackServerContext* context,
      const v1::RefuseReferralRequest* request, v1::RefuseReferralResponse* response) override;
  grpc::ServerUnaryReactor* SendReferral(grpc::CallbackServerContext* context,
      const v1::SendReferralRequest* request, v1::SendReferralResponse* response) override;
  grpc::ServerUnaryReactor* ReceiveReferral(grpc::CallbackServerContext* context,
      const v1::ReceiveReferralRequest* request, v1::ReceiveReferralResponse* response) override;
  grpc::ServerUnaryReactor* ExtendReferralReview(grpc::CallbackServerContext* context,
      const v1::ExtendReferralReviewRequest* request, v1::ExtendReferralReviewResponse* response) override;
  grpc::ServerUnaryReactor* ApproveReviewExtension(grpc::CallbackServerContext* context,
      const v1::ApproveReviewExtensionRequest* request,
      v1::ApproveReviewExtensionResponse* response) override;
  grpc::ServerUnaryReactor* DecideReferral(grpc::CallbackServerContext* context,
      const v1::DecideReferralRequest* request, v1::DecideReferralResponse* response) override;
  grpc::ServerUnaryReactor* RequestReconsideration(grpc::CallbackServerContext* context,
      const v1::RequestReconsiderationRequest* request, v1::RequestReconsiderationResponse* response) override;
  grpc::ServerUnaryReactor* DecideReconsideration(grpc::CallbackServerContext* context,
      const v1::DecideReconsiderationRequest* request, v1::DecideReconsiderationResponse* response) override;
  grpc::ServerUnaryReactor* RequestSupervision(grpc::CallbackServerContext* context,
      const v1::RequestSupervisionRequest* request, v1::RequestSupervisionResponse* response) override;
  grpc::ServerUnaryReactor* ExplainNonFiling(grpc::CallbackServerContext* context,
      const v1::ExplainNonFilingRequest* request, v1::ExplainNonFilingResponse* response) override;
  grpc::ServerUnaryReactor* WithdrawReferral(grpc::CallbackServerContext* context,
      const v1::WithdrawReferralRequest* request, v1::WithdrawReferralResponse* response) override;

  grpc::ServerUnaryReactor* GetCase(grpc::CallbackServerContext* context,
                                    const v1::GetCaseRequest* request,
                                    v1::GetCaseResponse* response) override;
  // Defined in case_queries.cc.
  grpc::ServerUnaryReactor* ListCases(grpc::CallbackServerContext* context,
                                      const v1::ListCasesRequest* request,
                                      v1::ListCasesResponse* response) override;
  grpc::ServerUnaryReactor* GetCaseHistory(grpc::CallbackServerContext* context,
                                           const v1::GetCaseHistoryRequest* request,
                                           v1::GetCaseHistoryResponse* response) override;
  grpc::ServerWriteReactor<v1::WatchEventsResponse>* WatchEvents(
      grpc::CallbackServerContext* context, const v1::WatchEventsRequest* request) override;

  // Defined in case_pickers.cc.
  grpc::ServerUnaryReactor* ListOfficers(grpc::CallbackServerContext* context,
                                         const v1::ListOfficersRequest* request,
                                         v1::ListOfficersResponse* response) override;
  grpc::ServerUnaryReactor* PreviewDeadline(grpc::CallbackServerContext* context,
                                            const v1::PreviewDeadlineRequest* request,
                                            v1::PreviewDeadlineResponse* response) override;

  // ListCases for an authenticated `principal`, for other services that
  // answer from a case filter with the same scoping (SupervisionService's
  // ledger export). Thread-safe.
  absl::Status ListCasesAs(const v1::Principal& principal, const v1::ListCasesRequest& request,
                           v1::ListCasesResponse& response) {
    return ListCasesFor(principal, request, response);
  }

 private:
  // The handler of every mutating RPC on an existing case: authenticate,
  // check the ids, refuse a case outside the caller's jurisdiction before
  // any lookup, wrap the request in a Command (via `field`, e.g.
  // &v1::Command::mutable_assign_case), submit, and answer with the case
  // after the command, redacted for the caller.
  template <typename Request, typename Response>
  grpc::ServerUnaryReactor* Mutate(grpc::CallbackServerContext* context, const Request& request,
                                   Response* response, absl::string_view method,
                                   Request* (v1::Command::*field)());

  // Answers ListCases for `principal`; see case_queries.cc.
  absl::Status ListCasesFor(const v1::Principal& principal, const v1::ListCasesRequest& request,
                            v1::ListCasesResponse& response);

  const Authenticator& principals_;
  CommandPipeline& pipeline_;
  storage::EventStore& store_;
  EventFeed* const feed_ = nullptr;
  // Taken by each upload for its declared size while it buffers.
  ByteBudget upload_budget_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_CASE_SERVICE_H_

// ComplaintService: 12369 complaints (complaint_service.proto; the rules in
// workflow/complaints.h). Thin handlers: the commands go through the
// pipeline (stream "XF-..."), the reads go to the `complaints` projections
// and their "x?/" index keys (projection/complaint_keys.h). A complaint is
// read by a SUPERVISOR, BUREAU_HEAD, INSPECTOR or AUDITOR whose jurisdiction
// covers its region (anyone else gets NOT_FOUND, as for a complaint that
// does not exist); the complainant's name and phone only by a reader who may
// see personal data (access.h MaySeePersonalData: a SUPERVISOR of the
// region). Clocks are counted at the call (countdowns.h).
//
//   ComplaintServiceImpl complaints(authenticator, pipeline, store);
//   builder.RegisterService(&complaints);
#ifndef RECTIFY_SERVER_COMPLAINT_SERVICE_H_
#define RECTIFY_SERVER_COMPLAINT_SERVICE_H_

#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "rectify/v1/complaint_service.grpc.pb.h"
#include "server/authenticator.h"
#include "server/byte_budget.h"
#include "server/pipeline.h"
#include "storage/event_store.h"

namespace rectify::server {

class ComplaintServiceImpl final : public v1::ComplaintService::CallbackService {
 public:
  // All must outlive the service. Site-check document uploads buffer in
  // `upload_budget`, the one case evidence uses (CaseServiceImpl::
  // upload_budget()), so that both together stay within
  // --max_upload_buffer_mb.
  ComplaintServiceImpl(const Authenticator& principals, CommandPipeline& pipeline,
                       storage::EventStore& store, ByteBudget& upload_budget)
      : principals_(principals),
        pipeline_(pipeline),
        store_(store),
        upload_budget_(upload_budget) {}
  // With a budget of its own of 256 MiB (tests, fuzzers).
  ComplaintServiceImpl(const Authenticator& principals, CommandPipeline& pipeline,
                       storage::EventStore& store)
      : principals_(principals),
        pipeline_(pipeline),
        store_(store),
        own_budget_(std::make_unique<ByteBudget>(int64_t{256} << 20)),
        upload_budget_(*own_budget_) {}

  // Site-check documents (complaint_documents.cc), stored as case evidence
  // is (stored_files.h): at most kMaxStoredFileBytes each. Upload: metadata
  // first (checked before any byte: shape, size, who, and DecideComplaint on
  // the complaint as it is), then chunks; the size and SHA-256 checked, the
  // bytes stored, then the UploadSiteCheckDocument command submitted.
  // Download: to whoever may read the complaint (NOT_FOUND otherwise).
  grpc::ServerReadReactor<v1::UploadSiteCheckDocumentRequest>* UploadSiteCheckDocument(
      grpc::CallbackServerContext* context, v1::UploadSiteCheckDocumentResponse* response) override;
  grpc::ServerWriteReactor<v1::DownloadSiteCheckDocumentResponse>* DownloadSiteCheckDocument(
      grpc::CallbackServerContext* context,
      const v1::DownloadSiteCheckDocumentRequest* request) override;

  grpc::ServerUnaryReactor* ReceiveComplaint(grpc::CallbackServerContext* context,
                                             const v1::ReceiveComplaintRequest* request,
                                             v1::ReceiveComplaintResponse* response) override;
  grpc::ServerUnaryReactor* ImportComplaints(grpc::CallbackServerContext* context,
                                             const v1::ImportComplaintsRequest* request,
                                             v1::ImportComplaintsResponse* response) override;
  grpc::ServerUnaryReactor* AcceptComplaint(grpc::CallbackServerContext* context,
                                            const v1::AcceptComplaintRequest* request,
                                            v1::AcceptComplaintResponse* response) override;
  grpc::ServerUnaryReactor* TransferComplaint(grpc::CallbackServerContext* context,
                                              const v1::TransferComplaintRequest* request,
                                              v1::TransferComplaintResponse* response) override;
  grpc::ServerUnaryReactor* OpenCaseFromComplaint(
      grpc::CallbackServerContext* context, const v1::OpenCaseFromComplaintRequest* request,
      v1::OpenCaseFromComplaintResponse* response) override;
  grpc::ServerUnaryReactor* AttachComplaintToCase(
      grpc::CallbackServerContext* context, const v1::AttachComplaintToCaseRequest* request,
      v1::AttachComplaintToCaseResponse* response) override;
  grpc::ServerUnaryReactor* CloseComplaintUnfounded(
      grpc::CallbackServerContext* context, const v1::CloseComplaintUnfoundedRequest* request,
      v1::CloseComplaintUnfoundedResponse* response) override;
  grpc::ServerUnaryReactor* ExtendComplaintReply(
      grpc::CallbackServerContext* context, const v1::ExtendComplaintReplyRequest* request,
      v1::ExtendComplaintReplyResponse* response) override;
  grpc::ServerUnaryReactor* ReplyToComplaint(grpc::CallbackServerContext* context,
                                             const v1::ReplyToComplaintRequest* request,
                                             v1::ReplyToComplaintResponse* response) override;
  grpc::ServerUnaryReactor* RequestComplaintReview(
      grpc::CallbackServerContext* context, const v1::RequestComplaintReviewRequest* request,
      v1::RequestComplaintReviewResponse* response) override;
  grpc::ServerUnaryReactor* AnswerComplaintReview(
      grpc::CallbackServerContext* context, const v1::AnswerComplaintReviewRequest* request,
      v1::AnswerComplaintReviewResponse* response) override;
  grpc::ServerUnaryReactor* RecordComplaintCallback(
      grpc::CallbackServerContext* context, const v1::RecordComplaintCallbackRequest* request,
      v1::RecordComplaintCallbackResponse* response) override;
  grpc::ServerUnaryReactor* GetComplaint(grpc::CallbackServerContext* context,
                                         const v1::GetComplaintRequest* request,
                                         v1::GetComplaintResponse* response) override;
  grpc::ServerUnaryReactor* ListComplaints(grpc::CallbackServerContext* context,
                                           const v1::ListComplaintsRequest* request,
                                           v1::ListComplaintsResponse* response) override;
  grpc::ServerUnaryReactor* GetComplaintHistory(
      grpc::CallbackServerContext* context, const v1::GetComplaintHistoryRequest* request,
      v1::GetComplaintHistoryResponse* response) override;

 private:
  // Submits a complaint command; `answer` fills the response from the
  // outcome (the complaint already redacted for the caller).
  grpc::ServerUnaryReactor* Submit(
      grpc::CallbackServerContext* context, absl::string_view method, v1::Command command,
      std::function<void(const CommandOutcome&, const v1::Complaint&)> answer);
  // The complaint when `caller` may read it; NOT_FOUND otherwise.
  absl::StatusOr<v1::Complaint> VisibleComplaint(const v1::Principal& caller,
                                                 absl::string_view complaint_id);

  // Checks an upload's metadata before its bytes (complaint_documents.cc).
  absl::Status CheckDocumentUpload(const v1::Principal& principal,
                                   const v1::UploadSiteCheckDocumentMetadata& metadata);

  const Authenticator& principals_;
  CommandPipeline& pipeline_;
  storage::EventStore& store_;
  std::unique_ptr<ByteBudget> own_budget_;
  ByteBudget& upload_budget_;
};

// `complaint` with what `reader` may not see cleared (the complainant).
v1::Complaint RedactComplaintForReader(const v1::Principal& reader, v1::Complaint complaint);

// The running clocks of `complaint` (OPEN, or a missed obligation whose step
// is still open) counted at `now` on `calendar`, in the order opened.
std::vector<v1::DeadlineCountdown> ComplaintClocks(const workflow::Calendar& calendar,
                                                   absl::Time now,
                                                   const v1::Complaint& complaint);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_COMPLAINT_SERVICE_H_

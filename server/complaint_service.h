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

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "rectify/v1/complaint_service.grpc.pb.h"
#include "server/authenticator.h"
#include "server/pipeline.h"
#include "storage/event_store.h"

namespace rectify::server {

class ComplaintServiceImpl final : public v1::ComplaintService::CallbackService {
 public:
  // All must outlive the service.
  ComplaintServiceImpl(const Authenticator& principals, CommandPipeline& pipeline,
                       storage::EventStore& store)
      : principals_(principals), pipeline_(pipeline), store_(store) {}

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

  const Authenticator& principals_;
  CommandPipeline& pipeline_;
  storage::EventStore& store_;
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

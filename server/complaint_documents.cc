// A complaint's site-check documents (ComplaintService.UploadSiteCheckDocument
// and DownloadSiteCheckDocument); see complaint_service.h. The bytes go to the
// chunk storage case evidence uses, by the shared steps of stored_files.h;
// this file says what is checked before the bytes come, what is recorded
// after, and who may read them back.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/user_message.h"
#include "server/complaint_service.h"
#include "server/stored_files.h"
#include "workflow/complaints.h"
#include "workflow/validation.h"

namespace rectify::server {
namespace {

// The command an upload's metadata becomes.
v1::Command UploadCommand(const v1::UploadSiteCheckDocumentMetadata& metadata) {
  v1::Command command;
  command.set_stream_id(metadata.complaint_id());
  command.set_command_id(metadata.command_id());
  if (metadata.has_expected_version()) command.set_expected_version(metadata.expected_version());
  *command.mutable_upload_site_check_document() = metadata;
  return command;
}

// The uploaded document `document_id` of `complaint_id`.
absl::StatusOr<v1::SiteCheckDocument> FindDocument(storage::EventStore& store,
                                                   const std::string& complaint_id,
                                                   const std::string& document_id) {
  ASSIGN_OR_RETURN(std::vector<v1::SiteCheckDocument> documents,
                   StoredSiteCheckDocuments(store, complaint_id));
  for (v1::SiteCheckDocument& document : documents) {
    if (document.document_id() == document_id) return std::move(document);
  }
  return Refuse(
      absl::StatusCode::kNotFound,
      absl::StrCat("complaint ", complaint_id, " has no site-check document ", document_id),
      absl::StrCat("信访件 ", complaint_id, " 没有现场核查材料 ", document_id));
}

}  // namespace

absl::Status ComplaintServiceImpl::CheckDocumentUpload(
    const v1::Principal& principal, const v1::UploadSiteCheckDocumentMetadata& metadata) {
  RETURN_IF_ERROR(workflow::CheckId("command_id", metadata.command_id(), true));
  RETURN_IF_ERROR(CheckStoredFileSize(metadata.size_bytes(), kMaxStoredFileBytes));
  // NOT_FOUND for a caller who may not read it (a unit never learns of it).
  ASSIGN_OR_RETURN(v1::Complaint complaint, VisibleComplaint(principal, metadata.complaint_id()));
  // Decide now, as the pipeline will once the bytes are stored: the role, the
  // jurisdiction, the status, the fields and the count. The events are
  // dropped.
  workflow::ComplaintFacts facts;
  ASSIGN_OR_RETURN(facts.uploaded_documents,
                   StoredSiteCheckDocuments(store_, metadata.complaint_id()));
  return workflow::DecideComplaint(complaint, UploadCommand(metadata), principal,
                                   pipeline_.clock().Now(), pipeline_.policy(), facts)
      .status();
}

grpc::ServerReadReactor<v1::UploadSiteCheckDocumentRequest>*
ComplaintServiceImpl::UploadSiteCheckDocument(grpc::CallbackServerContext* context,
                                              v1::UploadSiteCheckDocumentResponse* response) {
  UploadHooks<v1::UploadSiteCheckDocumentMetadata, v1::UploadSiteCheckDocumentResponse> hooks;
  hooks.method = "UploadSiteCheckDocument";
  hooks.subject_field = "complaint";
  hooks.subject = [](const v1::UploadSiteCheckDocumentMetadata& metadata) {
    return metadata.complaint_id();
  };
  hooks.check = [this](const v1::Principal& principal,
                       const v1::UploadSiteCheckDocumentMetadata& metadata) {
    return CheckDocumentUpload(principal, metadata);
  };
  hooks.submit = [this](const v1::Principal& principal,
                        const v1::UploadSiteCheckDocumentMetadata& metadata,
                        v1::UploadSiteCheckDocumentResponse* response,
                        std::function<void(absl::Status)> done) {
    pipeline_.Submit(
        UploadCommand(metadata), principal,
        [this, principal, response,
         done = std::move(done)](absl::StatusOr<CommandOutcome> outcome) {
          absl::Status status = outcome.status();
          if (status.ok()) {
            // The outcome is the complaint right after this command (also
            // when answered from the idempotency record): its last event is
            // the upload, with the id the workflow gave the document.
            const v1::Complaint& complaint = outcome->complaint;
            absl::StatusOr<std::vector<v1::Event>> last =
                store_.ReadStream(complaint.complaint_id(), complaint.version(), 1);
            if (!last.ok()) {
              status = last.status();
            } else if (last->empty() || !last->front().has_site_check_document_uploaded()) {
              status = absl::InternalError(absl::StrCat("event ", complaint.complaint_id(), "#",
                                                        complaint.version(),
                                                        " is not the upload just recorded"));
            } else {
              *response->mutable_document() =
                  last->front().site_check_document_uploaded().document();
              *response->mutable_complaint() = RedactComplaintForReader(principal, complaint);
            }
          }
          done(status);
        });
  };
  return new StoredFileUploadReactor<v1::UploadSiteCheckDocumentRequest,
                                     v1::UploadSiteCheckDocumentMetadata,
                                     v1::UploadSiteCheckDocumentResponse>(
      std::move(hooks), principals_, store_, upload_budget_, context, response);
}

grpc::ServerWriteReactor<v1::DownloadSiteCheckDocumentResponse>*
ComplaintServiceImpl::DownloadSiteCheckDocument(
    grpc::CallbackServerContext* context, const v1::DownloadSiteCheckDocumentRequest* request) {
  absl::StatusOr<v1::SiteCheckDocument> document = [&]() -> absl::StatusOr<v1::SiteCheckDocument> {
    ASSIGN_OR_RETURN(v1::Principal principal, principals_.Authenticate(*context));
    RETURN_IF_ERROR(workflow::CheckId("document_id", request->document_id(), true));
    // Whoever may read the complaint; anyone else (a unit, the police, an
    // admin) gets the answer of a complaint that does not exist.
    RETURN_IF_ERROR(VisibleComplaint(principal, request->complaint_id()).status());
    return FindDocument(store_, request->complaint_id(), request->document_id());
  }();
  return new StoredFileDownloadReactor<v1::DownloadSiteCheckDocumentResponse,
                                       v1::SiteCheckDocument>(
      store_, "DownloadSiteCheckDocument", *context, std::move(document),
      [](const v1::SiteCheckDocument& d) { return d.size(); });
}

}  // namespace rectify::server

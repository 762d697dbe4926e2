// Evidence upload and download (CaseService.UploadEvidence and
// DownloadEvidence); see case_service.h. The shared steps (the budget, the
// size and SHA-256 checks, bytes durable before the RecordEvidence command,
// the chunked download) are stored_files.h's; this file says what is
// checked before the bytes come and what is recorded after.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/user_message.h"
#include "server/access.h"
#include "server/case_service.h"
#include "server/stored_files.h"
#include "workflow/decider.h"
#include "workflow/validation.h"

namespace rectify::server {
namespace {

// Checks the metadata of an upload before any byte is accepted, as the
// pipeline will decide it: the command's shape and the size limit, then
// whether the caller may see the case, then workflow::Decide itself on the
// case as it is now, with the pipeline's policy and clock (the role, the
// jurisdiction, the responsible unit). The events are dropped: the writer
// decides again when the bytes are stored.
absl::Status CheckUploadMetadata(const v1::Principal& principal,
                                 const v1::UploadEvidenceMetadata& metadata,
                                 int64_t max_evidence_bytes, storage::EventStore& store,
                                 const CommandPipeline& pipeline) {
  RETURN_IF_ERROR(workflow::CheckId("command_id", metadata.command_id(), true));
  RETURN_IF_ERROR(workflow::CheckCaseIdFormat("case_id", metadata.case_id()));
  RETURN_IF_ERROR(CheckCaseIdInScope(principal, metadata.case_id()));
  RETURN_IF_ERROR(CheckStoredFileSize(metadata.size_bytes(), max_evidence_bytes));
  v1::Command command;
  command.set_stream_id(metadata.case_id());
  command.set_command_id(metadata.command_id());
  *command.mutable_record_evidence() = metadata;
  const absl::Time now = pipeline.clock().Now();
  RETURN_IF_ERROR(workflow::ValidateCommand(command, now, pipeline.policy()));
  if (principal.role() != v1::ROLE_INSPECTOR && principal.role() != v1::ROLE_SUPERVISOR &&
      principal.role() != v1::ROLE_RECTIFIER) {
    return Refuse(absl::StatusCode::kPermissionDenied,
                  absl::StrCat(principal.principal_id(),
                               " may not record evidence: only inspectors, supervisors and the "
                               "responsible unit's rectifiers may"),
                  "只有执法人员、科室负责人和责任单位才能上传证据");
  }
  // A caller who may not even see the case is refused before its bytes come,
  // with the answer of a missing case; then Decide, as the pipeline will.
  ASSIGN_OR_RETURN(v1::Case state, VisibleCase(principal, metadata.case_id(),
                                               store.GetCase(metadata.case_id())));
  return workflow::Decide(state, command, principal, now, pipeline.policy()).status();
}

// The evidence record `request` names, when the caller may read the case.
absl::StatusOr<v1::Evidence> FindEvidence(const Authenticator& principals,
                                          const grpc::CallbackServerContext& context,
                                          storage::EventStore& store,
                                          const v1::DownloadEvidenceRequest& request) {
  ASSIGN_OR_RETURN(v1::Principal principal, principals.Authenticate(context));
  RETURN_IF_ERROR(workflow::CheckCaseIdFormat("case_id", request.case_id()));
  RETURN_IF_ERROR(workflow::CheckId("evidence_id", request.evidence_id(), true));
  RETURN_IF_ERROR(CheckCaseIdInScope(principal, request.case_id()));
  ASSIGN_OR_RETURN(v1::Case state,
                   VisibleCase(principal, request.case_id(), store.GetCase(request.case_id())));
  for (const v1::Evidence& evidence : state.evidence()) {
    if (evidence.evidence_id() == request.evidence_id()) return evidence;
  }
  return Refuse(
      absl::StatusCode::kNotFound,
      absl::StrCat("case ", request.case_id(), " has no evidence ", request.evidence_id()),
      absl::StrCat("案件 ", request.case_id(), " 没有证据 ", request.evidence_id()));
}

}  // namespace

grpc::ServerReadReactor<v1::UploadEvidenceRequest>* CaseServiceImpl::UploadEvidence(
    grpc::CallbackServerContext* context, v1::UploadEvidenceResponse* response) {
  UploadHooks<v1::UploadEvidenceMetadata, v1::UploadEvidenceResponse> hooks;
  hooks.method = "UploadEvidence";
  hooks.subject_field = "case";
  hooks.subject = [](const v1::UploadEvidenceMetadata& metadata) { return metadata.case_id(); };
  hooks.check = [this](const v1::Principal& principal, const v1::UploadEvidenceMetadata& metadata) {
    return CheckUploadMetadata(principal, metadata, kMaxEvidenceBytes, store_, pipeline_);
  };
  hooks.submit = [this](const v1::Principal& principal, const v1::UploadEvidenceMetadata& metadata,
                        v1::UploadEvidenceResponse* response,
                        std::function<void(absl::Status)> done) {
    v1::Command command;
    command.set_stream_id(metadata.case_id());
    command.set_command_id(metadata.command_id());
    if (metadata.has_expected_version()) command.set_expected_version(metadata.expected_version());
    *command.mutable_record_evidence() = metadata;
    pipeline_.Submit(
        std::move(command), principal,
        [principal, response, done = std::move(done)](absl::StatusOr<CommandOutcome> outcome) {
          if (outcome.ok()) {
            // The outcome is the case right after this command
            // (also when answered from the idempotency record),
            // so its last evidence is the one just recorded; the
            // workflow assigned its id.
            const v1::Case& state = outcome->state;
            if (state.evidence_size() > 0) {
              *response->mutable_evidence() = state.evidence(state.evidence_size() - 1);
            }
            *response->mutable_case_() = RedactForReader(principal, state);
            response->set_position(outcome->position);
          }
          done(outcome.status());
        });
  };
  return new StoredFileUploadReactor<v1::UploadEvidenceRequest, v1::UploadEvidenceMetadata,
                                     v1::UploadEvidenceResponse>(
      std::move(hooks), principals_, store_, upload_budget_, context, response);
}

grpc::ServerWriteReactor<v1::DownloadEvidenceResponse>* CaseServiceImpl::DownloadEvidence(
    grpc::CallbackServerContext* context, const v1::DownloadEvidenceRequest* request) {
  return new StoredFileDownloadReactor<v1::DownloadEvidenceResponse, v1::Evidence>(
      store_, "DownloadEvidence", *context, FindEvidence(principals_, *context, store_, *request),
      [](const v1::Evidence& evidence) { return evidence.size_bytes(); });
}

}  // namespace rectify::server

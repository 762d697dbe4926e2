// Evidence upload and download (CaseService.UploadEvidence and
// DownloadEvidence); see case_service.h.
//
// Upload: the first message is the metadata, the others the bytes. The
// metadata is checked at once (shape, size limit, and whether the caller may
// record evidence on the case at all), so a refused upload is refused before
// its bytes are sent. The bytes are buffered in memory, so an accepted
// upload first takes its declared size from the service's upload budget
// (ByteBudget; RESOURCE_EXHAUSTED when it does not fit) and gives it back
// when it ends. At the end the declared size and SHA-256 are checked,
// the bytes are stored content-addressed (EventStore::PutEvidence, durable
// when it returns) and only then is the RecordEvidence command submitted:
// an EvidenceRecorded event is never on disk without its bytes. A refused
// upload stores nothing, except when Decide refuses after the bytes were
// stored (a race with another command): the bytes then stay unreferenced,
// harmless since they are addressed by content.
//
// Download: the metadata from the case, then the bytes chunk by chunk, each
// read from the store when the previous one is written, so a slow reader
// holds one chunk of memory.
#include <algorithm>
#include <chrono>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/sha256.h"
#include "base/status_macros.h"
#include "base/user_message.h"
#include "server/access.h"
#include "server/case_service.h"
#include "server/grpc_status.h"
#include "server/log.h"
#include "server/rpc_interceptor.h"
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
  if (metadata.size_bytes() > max_evidence_bytes) {
    return Refuse(absl::StatusCode::kResourceExhausted,
                  absl::StrCat("size_bytes is ", metadata.size_bytes(), "; evidence may be at most ",
                               max_evidence_bytes, " bytes"),
                  absl::StrCat("文件过大（", metadata.size_bytes(), " 字节），每份证据最多 ",
                               max_evidence_bytes / (1024 * 1024), " MiB"));
  }
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

class UploadReactor final : public grpc::ServerReadReactor<v1::UploadEvidenceRequest> {
 public:
  UploadReactor(const Authenticator& principals, CommandPipeline& pipeline,
                storage::EventStore& store, int64_t max_evidence_bytes, ByteBudget& budget,
                grpc::CallbackServerContext* context, v1::UploadEvidenceResponse* response)
      : context_(context),
        pipeline_(pipeline),
        store_(store),
        max_evidence_bytes_(max_evidence_bytes),
        budget_(budget),
        response_(response),
        started_(StartCall(*context)) {
    absl::StatusOr<v1::Principal> principal = principals.Authenticate(*context);
    if (!principal.ok()) {
      Finish(ToGrpcStatus(principal.status()));
      return;
    }
    principal_ = *std::move(principal);
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      // The client finished sending (or went away: then Finish is ignored).
      Complete();
      return;
    }
    absl::Status status = Accept();
    if (!status.ok()) {
      End(status);
      return;
    }
    StartRead(&request_);
  }

  void OnDone() override {
    ReleaseBuffer();
    delete this;
  }

 private:
  // Frees the bytes buffered and gives their share of the budget back.
  void ReleaseBuffer() {
    bytes_.clear();
    bytes_.shrink_to_fit();
    budget_.Release(budget_taken_);
    budget_taken_ = 0;
  }

  // Takes in one message.
  absl::Status Accept() {
    if (!has_metadata_) {
      if (!request_.has_metadata()) {
        return workflow::InvalidField("metadata", "must be the first message of an upload",
                                      "上传须先发送文件信息");
      }
      metadata_ = request_.metadata();
      has_metadata_ = true;
      RETURN_IF_ERROR(
          CheckUploadMetadata(principal_, metadata_, max_evidence_bytes_, store_, pipeline_));
      // The bytes are held in memory until their hash is checked: the
      // upload's declared size (more is refused below) comes out of the
      // server-wide budget first.
      RETURN_IF_ERROR(budget_.Acquire(metadata_.size_bytes(), "evidence uploads",
                                      "--max_upload_buffer_mb"));
      budget_taken_ = metadata_.size_bytes();
      bytes_.reserve(static_cast<size_t>(metadata_.size_bytes()));
      return absl::OkStatus();
    }
    if (!request_.has_chunk()) {
      return workflow::InvalidField("metadata", "may be sent only once, in the first message",
                                    "文件信息只能发送一次");
    }
    const std::string& chunk = request_.chunk();
    if (static_cast<int64_t>(bytes_.size() + chunk.size()) > metadata_.size_bytes()) {
      return workflow::InvalidField(
          "size_bytes", absl::StrCat("is ", metadata_.size_bytes(), " but more bytes were sent"),
          absl::StrCat("为 ", metadata_.size_bytes(), " 字节，实际收到的更多，文件可能已改变，请重新上传"));
    }
    hasher_.Update(chunk);
    bytes_.append(chunk);
    return absl::OkStatus();
  }

  // All bytes are in: check them, store them, then record the evidence.
  void Complete() {
    if (context_->IsCancelled()) {
      // The client went away: whatever arrived is not known to be whole.
      End(absl::CancelledError("the upload was cancelled"));
      return;
    }
    if (!has_metadata_) {
      End(workflow::InvalidField("metadata", "is required: the upload was empty",
                                 "必填（上传内容为空）"));
      return;
    }
    if (static_cast<int64_t>(bytes_.size()) != metadata_.size_bytes()) {
      End(workflow::InvalidField(
          "size_bytes",
          absl::StrCat("is ", metadata_.size_bytes(), " but ", bytes_.size(), " bytes were sent"),
          absl::StrCat("为 ", metadata_.size_bytes(), " 字节，实际收到 ", bytes_.size(),
                       " 字节，上传不完整，请重新上传")));
      return;
    }
    const std::string actual = HexEncode(hasher_.Finish());
    if (actual != metadata_.sha256()) {
      End(workflow::InvalidField(
          "sha256", absl::StrCat("is ", metadata_.sha256(), " but the bytes sent hash to ", actual),
          "与收到的文件不符，文件在传输中可能已损坏，请重新上传"));
      return;
    }
    // Durable before the command: the event must never lack its bytes.
    if (absl::Status stored = store_.PutEvidence(actual, bytes_); !stored.ok()) {
      Log(LogLevel::kError, {{"method", "UploadEvidence"},
                             {"status", stored.ToString()},
                             {"request_id", RequestIdOf(*context_)}});
      End(stored);
      return;
    }
    ReleaseBuffer();

    v1::Command command;
    command.set_stream_id(metadata_.case_id());
    command.set_command_id(metadata_.command_id());
    if (metadata_.has_expected_version())
      command.set_expected_version(metadata_.expected_version());
    *command.mutable_record_evidence() = metadata_;
    pipeline_.Submit(
        std::move(command), principal_, [this](absl::StatusOr<CommandOutcome> outcome) {
          if (outcome.ok()) {
            // The outcome is the case right after this command
            // (also when answered from the idempotency record),
            // so its last evidence is the one just recorded;
            // the workflow assigned its id.
            const v1::Case& state = outcome->state;
            if (state.evidence_size() > 0) {
              *response_->mutable_evidence() = state.evidence(state.evidence_size() - 1);
            }
            *response_->mutable_case_() = RedactForReader(principal_, state);
            response_->set_position(outcome->position);
          }
          End(outcome.status());
        });
  }

  void End(const absl::Status& status) {
    ReleaseBuffer();
    LogCommand("UploadEvidence", principal_.principal_id(), "case", metadata_.case_id(), status,
               started_);
    Finish(ToGrpcStatus(status));
  }

  grpc::CallbackServerContext* const context_;
  CommandPipeline& pipeline_;
  storage::EventStore& store_;
  const int64_t max_evidence_bytes_;
  ByteBudget& budget_;
  // The share of budget_ this upload holds (its declared size, once taken).
  int64_t budget_taken_ = 0;
  v1::UploadEvidenceResponse* const response_;
  const CallStart started_;
  v1::Principal principal_;
  v1::UploadEvidenceRequest request_;
  bool has_metadata_ = false;
  v1::UploadEvidenceMetadata metadata_;
  // At most max_evidence_bytes_: the declared size is checked first.
  std::string bytes_;
  Sha256Hasher hasher_;
};

class DownloadReactor final : public grpc::ServerWriteReactor<v1::DownloadEvidenceResponse> {
 public:
  DownloadReactor(const Authenticator& principals, storage::EventStore& store,
                  grpc::CallbackServerContext* context, const v1::DownloadEvidenceRequest& request)
      : store_(store), request_id_(RequestIdOf(*context)) {
    absl::StatusOr<v1::Evidence> evidence = Find(principals, *context, request);
    if (!evidence.ok()) {
      Finish(ToGrpcStatus(evidence.status()));
      return;
    }
    sha256_ = evidence->sha256();
    remaining_ = evidence->size_bytes();
    *message_.mutable_metadata() = *std::move(evidence);
    StartWrite(&message_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      Finish(grpc::Status::CANCELLED);
      return;
    }
    if (remaining_ <= 0) {
      Finish(grpc::Status::OK);
      return;
    }
    absl::StatusOr<std::optional<std::string>> chunk =
        store_.ReadEvidenceChunk(sha256_, next_chunk_);
    if (chunk.ok() && !chunk->has_value()) {
      chunk = absl::DataLossError(absl::StrCat("evidence ", sha256_, " lacks chunk ", next_chunk_));
    }
    if (!chunk.ok()) {
      Log(LogLevel::kError,
          {{"method", "DownloadEvidence"},
           {"status", chunk.status().ToString()},
           {"request_id", request_id_}});
      Finish(ToGrpcStatus(chunk.status()));
      return;
    }
    ++next_chunk_;
    remaining_ -= static_cast<int64_t>((*chunk)->size());
    message_.set_chunk(**std::move(chunk));
    StartWrite(&message_);
  }

  void OnDone() override { delete this; }

 private:
  // The evidence record, when the caller may read the case.
  absl::StatusOr<v1::Evidence> Find(const Authenticator& principals,
                                    const grpc::CallbackServerContext& context,
                                    const v1::DownloadEvidenceRequest& request) {
    ASSIGN_OR_RETURN(v1::Principal principal, principals.Authenticate(context));
    RETURN_IF_ERROR(workflow::CheckCaseIdFormat("case_id", request.case_id()));
    RETURN_IF_ERROR(workflow::CheckId("evidence_id", request.evidence_id(), true));
    RETURN_IF_ERROR(CheckCaseIdInScope(principal, request.case_id()));
    ASSIGN_OR_RETURN(v1::Case state,
                     VisibleCase(principal, request.case_id(), store_.GetCase(request.case_id())));
    for (const v1::Evidence& evidence : state.evidence()) {
      if (evidence.evidence_id() == request.evidence_id()) return evidence;
    }
    return Refuse(absl::StatusCode::kNotFound,
                  absl::StrCat("case ", request.case_id(), " has no evidence ", request.evidence_id()),
                  absl::StrCat("案件 ", request.case_id(), " 没有证据 ", request.evidence_id()));
  }

  storage::EventStore& store_;
  v1::DownloadEvidenceResponse message_;
  std::string sha256_;
  const std::string request_id_;
  int64_t remaining_ = 0;
  uint32_t next_chunk_ = 0;
};

}  // namespace

grpc::ServerReadReactor<v1::UploadEvidenceRequest>* CaseServiceImpl::UploadEvidence(
    grpc::CallbackServerContext* context, v1::UploadEvidenceResponse* response) {
  return new UploadReactor(principals_, pipeline_, store_, kMaxEvidenceBytes, upload_budget_,
                           context, response);
}

grpc::ServerWriteReactor<v1::DownloadEvidenceResponse>* CaseServiceImpl::DownloadEvidence(
    grpc::CallbackServerContext* context, const v1::DownloadEvidenceRequest* request) {
  return new DownloadReactor(principals_, store_, context, *request);
}

}  // namespace rectify::server

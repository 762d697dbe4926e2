// Files kept in the store's content-addressed chunk storage
// (EventStore::PutEvidence / ReadEvidenceChunk), uploaded and downloaded
// over streamed gRPC calls: case evidence (case_evidence.cc) and a
// complaint's site-check documents (complaint_documents.cc). This is the
// one home of what both need: the size limit, the server-wide upload
// buffer budget (ByteBudget), the size and SHA-256 checks, "bytes durable
// before the command" and the chunk-by-chunk download.
//
// Upload: the first message is the metadata, the others the bytes. The
// metadata is checked at once by the caller's `check` (shape, the size
// limit, whether the caller may act on the subject at all), so a refused
// upload is refused before its bytes are sent. An accepted upload takes its
// declared size from the budget (RESOURCE_EXHAUSTED when it does not fit)
// and gives it back when it ends. At the end the size and SHA-256 are
// checked, the bytes stored (durable when PutEvidence returns) and only then
// is `submit` called to record them: an event never names bytes that are not
// on disk. A refused upload stores nothing, except when the command is
// refused after the bytes were stored (a race with another command): the
// bytes then stay unreferenced, harmless since they are addressed by content.
//
// Download: the record first, then the bytes chunk by chunk, each read from
// the store when the previous one is written, so a slow reader holds one
// chunk of memory.
//
//   return new StoredFileUploadReactor<v1::UploadEvidenceRequest,
//                                      v1::UploadEvidenceMetadata,
//                                      v1::UploadEvidenceResponse>(hooks, ...);
#ifndef RECTIFY_SERVER_STORED_FILES_H_
#define RECTIFY_SERVER_STORED_FILES_H_

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "base/sha256.h"
#include "grpcpp/grpcpp.h"
#include "rectify/v1/principals.pb.h"
#include "server/authenticator.h"
#include "server/byte_budget.h"
#include "server/grpc_status.h"
#include "server/log.h"
#include "server/rpc_interceptor.h"
#include "storage/event_store.h"

namespace rectify::server {

// The largest stored file (a piece of evidence, a site-check document).
// rectify_server --max_upload_buffer_mb may not be set below it.
inline constexpr int64_t kMaxStoredFileBytes = int64_t{64} << 20;

// OK when a declared `size_bytes` is at most `max_bytes`; else
// RESOURCE_EXHAUSTED naming size_bytes, in English and Chinese ("文件过大").
absl::Status CheckStoredFileSize(int64_t size_bytes, int64_t max_bytes);

// The bytes of one upload held in memory until they are checked and stored.
// Not thread-safe: one reactor owns it.
class UploadBuffer {
 public:
  explicit UploadBuffer(ByteBudget& budget) : budget_(budget) {}
  ~UploadBuffer() { Release(); }
  UploadBuffer(const UploadBuffer&) = delete;
  UploadBuffer& operator=(const UploadBuffer&) = delete;

  // Takes `size_bytes` (already checked against the limit) from the budget
  // and expects `sha256` (lowercase hex). RESOURCE_EXHAUSTED when the
  // budget is full (naming --max_upload_buffer_mb).
  absl::Status Begin(int64_t size_bytes, std::string sha256);
  // One more chunk; INVALID_ARGUMENT naming size_bytes when the bytes
  // outgrow the declared size.
  absl::Status Append(absl::string_view chunk);
  // Checks the count and the SHA-256 of the bytes (INVALID_ARGUMENT naming
  // size_bytes or sha256), stores them durably in `store` and frees them.
  absl::Status Store(storage::EventStore& store);
  // Frees the bytes and gives their share of the budget back.
  void Release();

 private:
  ByteBudget& budget_;
  int64_t declared_ = 0;
  std::string sha256_;
  // The share of budget_ this upload holds (its declared size, once taken).
  int64_t taken_ = 0;
  std::string bytes_;
  Sha256Hasher hasher_;
};

// What an upload does beyond the shared steps. `Metadata` has size_bytes()
// and sha256().
template <typename Metadata, typename Response>
struct UploadHooks {
  // For logs: the method ("UploadEvidence") and the subject's field
  // ("case", "complaint").
  std::string method;
  std::string subject_field;
  // The subject's id, for the log line.
  std::function<std::string(const Metadata&)> subject;
  // Checks the metadata before any byte is taken (and the size against the
  // limit: CheckStoredFileSize).
  std::function<absl::Status(const v1::Principal&, const Metadata&)> check;
  // Records the stored bytes (submits the command) and fills `response`;
  // calls `done` with the outcome, on any thread.
  std::function<void(const v1::Principal&, const Metadata&, Response*,
                     std::function<void(absl::Status)> done)>
      submit;
};

// The server side of a streamed upload to the chunk storage; see the file
// comment. Deletes itself when done.
template <typename Request, typename Metadata, typename Response>
class StoredFileUploadReactor final : public grpc::ServerReadReactor<Request> {
 public:
  StoredFileUploadReactor(UploadHooks<Metadata, Response> hooks, const Authenticator& principals,
                          storage::EventStore& store, ByteBudget& budget,
                          grpc::CallbackServerContext* context, Response* response)
      : hooks_(std::move(hooks)),
        context_(context),
        store_(store),
        buffer_(budget),
        response_(response),
        started_(StartCall(*context)) {
    absl::StatusOr<v1::Principal> principal = principals.Authenticate(*context);
    if (!principal.ok()) {
      this->Finish(ToGrpcStatus(principal.status()));
      return;
    }
    principal_ = *std::move(principal);
    this->StartRead(&request_);
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
    this->StartRead(&request_);
  }

  void OnDone() override {
    buffer_.Release();
    delete this;
  }

 private:
  absl::Status Accept();
  void Complete();

  void End(const absl::Status& status) {
    buffer_.Release();
    LogCommand(hooks_.method, principal_.principal_id(), hooks_.subject_field,
               has_metadata_ ? hooks_.subject(metadata_) : std::string(), status, started_);
    this->Finish(ToGrpcStatus(status));
  }

  const UploadHooks<Metadata, Response> hooks_;
  grpc::CallbackServerContext* const context_;
  storage::EventStore& store_;
  UploadBuffer buffer_;
  Response* const response_;
  const CallStart started_;
  v1::Principal principal_;
  Request request_;
  bool has_metadata_ = false;
  Metadata metadata_;
};

// The server side of a streamed download from the chunk storage: the
// record, then the bytes of `sha256` (`size_bytes` of them). Finishes with
// `record`'s error when it is one. Deletes itself when done.
template <typename Response, typename Record>
class StoredFileDownloadReactor final : public grpc::ServerWriteReactor<Response> {
 public:
  StoredFileDownloadReactor(storage::EventStore& store, std::string method,
                            const grpc::CallbackServerContext& context,
                            absl::StatusOr<Record> record,
                            const std::function<int64_t(const Record&)>& size_of)
      : store_(store), method_(std::move(method)), request_id_(RequestIdOf(context)) {
    if (!record.ok()) {
      this->Finish(ToGrpcStatus(record.status()));
      return;
    }
    sha256_ = record->sha256();
    remaining_ = size_of(*record);
    *message_.mutable_metadata() = *std::move(record);
    this->StartWrite(&message_);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      this->Finish(grpc::Status::CANCELLED);
      return;
    }
    if (remaining_ <= 0) {
      this->Finish(grpc::Status::OK);
      return;
    }
    absl::StatusOr<std::optional<std::string>> chunk =
        store_.ReadEvidenceChunk(sha256_, next_chunk_);
    if (chunk.ok() && !chunk->has_value()) {
      chunk = absl::DataLossError(absl::StrCat("file ", sha256_, " lacks chunk ", next_chunk_));
    }
    if (!chunk.ok()) {
      Log(LogLevel::kError, {{"method", method_},
                             {"status", chunk.status().ToString()},
                             {"request_id", request_id_}});
      this->Finish(ToGrpcStatus(chunk.status()));
      return;
    }
    ++next_chunk_;
    remaining_ -= static_cast<int64_t>((*chunk)->size());
    message_.set_chunk(**std::move(chunk));
    this->StartWrite(&message_);
  }

  void OnDone() override { delete this; }

 private:
  storage::EventStore& store_;
  const std::string method_;
  const std::string request_id_;
  Response message_;
  std::string sha256_;
  int64_t remaining_ = 0;
  uint32_t next_chunk_ = 0;
};

// Implementation of the upload's two steps (templates: here, not in the .cc).

absl::Status MetadataFirstError();
absl::Status MetadataOnceError();
absl::Status EmptyUploadError();

template <typename Request, typename Metadata, typename Response>
absl::Status StoredFileUploadReactor<Request, Metadata, Response>::Accept() {
  if (!has_metadata_) {
    if (!request_.has_metadata()) return MetadataFirstError();
    metadata_ = request_.metadata();
    has_metadata_ = true;
    if (absl::Status checked = hooks_.check(principal_, metadata_); !checked.ok()) return checked;
    return buffer_.Begin(metadata_.size_bytes(), metadata_.sha256());
  }
  if (!request_.has_chunk()) return MetadataOnceError();
  return buffer_.Append(request_.chunk());
}

template <typename Request, typename Metadata, typename Response>
void StoredFileUploadReactor<Request, Metadata, Response>::Complete() {
  if (context_->IsCancelled()) {
    // The client went away: whatever arrived is not known to be whole.
    End(absl::CancelledError("the upload was cancelled"));
    return;
  }
  if (!has_metadata_) {
    End(EmptyUploadError());
    return;
  }
  // Durable before the command: the event must never lack its bytes.
  if (absl::Status stored = buffer_.Store(store_); !stored.ok()) {
    if (stored.code() == absl::StatusCode::kInternal) {
      Log(LogLevel::kError, {{"method", hooks_.method},
                             {"status", stored.ToString()},
                             {"request_id", RequestIdOf(*context_)}});
    }
    End(stored);
    return;
  }
  hooks_.submit(principal_, metadata_, response_, [this](absl::Status status) { End(status); });
}

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_STORED_FILES_H_

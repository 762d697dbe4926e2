// The C++ client library: CaseService, SupervisionService, UnitService,
// ComplaintService and PenaltyService stubs with the
// caller's bearer token, a deadline on every call, retries of UNAVAILABLE and
// DEADLINE_EXCEEDED with jittered exponential backoff (retry_policy.h), TLS
// when asked for, and gRPC statuses turned into absl ones.
//
//   ClientOptions options;
//   options.server = "127.0.0.1:50051";
//   options.token = "demo-inspector";
//   ASSIGN_OR_RETURN(std::unique_ptr<RectifyClient> client, RectifyClient::Create(options));
//   ASSIGN_OR_RETURN(v1::GetCaseResponse reply, client->GetCase("620722-2026-000001"));
//   v1::AssignCaseRequest assign = ...;
//   ASSIGN_OR_RETURN(v1::AssignCaseResponse assigned,
//                    client->Call(&v1::CaseService::Stub::AssignCase, assign));
//
// Every unary RPC of both services goes through Call(); the streaming ones
// have their own methods. Retrying a mutating call is safe because the
// request carries a command_id (the server answers a repeat with the first
// reply). A RectifyClient is thread-safe (gRPC stubs are).
#ifndef RECTIFY_CLIENT_RECTIFY_CLIENT_H_
#define RECTIFY_CLIENT_RECTIFY_CLIENT_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "absl/random/random.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "client/retry_policy.h"
#include "rectify/v1/case_service.grpc.pb.h"
#include "rectify/v1/complaint_service.grpc.pb.h"
#include "rectify/v1/penalty_service.grpc.pb.h"
#include "rectify/v1/supervision_service.grpc.pb.h"
#include "rectify/v1/unit_service.grpc.pb.h"

namespace rectify::client {

struct ClientOptions {
  // host:port of the server. Default: 127.0.0.1:50051.
  std::string server = "127.0.0.1:50051";
  // The bearer token sent with every call. Default: none (calls fail with
  // UNAUTHENTICATED).
  std::string token;
  // How long one attempt of a call may take. Default: 10 seconds.
  absl::Duration call_timeout = absl::Seconds(10);
  // Retries of UNAVAILABLE and DEADLINE_EXCEEDED. Default: RetryPolicy{}
  // (5 attempts, 100 ms doubling to 5 s, 30 s in all).
  RetryPolicy retry;
  // Use TLS. Default: false (plaintext; the server then only listens on
  // loopback). Implied by tls_ca.
  bool tls = false;
  // PEM file of the CA certificates that sign the server's certificate.
  // Default: empty (the system's roots when tls is set).
  std::string tls_ca;
  // PEM files of a client certificate and its key, for servers that ask for
  // one. Default: empty (none).
  std::string tls_cert;
  std::string tls_key;
  // The clock the retry budget is measured with. Default: SystemClock().
  const Clock* clock = nullptr;
  // How backoff waits are made. Default: RealSleeper() (absl::SleepFor).
  Sleeper sleep;
};

class RectifyClient {
 public:
  // Connects lazily (the first call connects). INVALID_ARGUMENT or
  // NOT_FOUND when a TLS file cannot be read or only one of cert/key is set.
  static absl::StatusOr<std::unique_ptr<RectifyClient>> Create(const ClientOptions& options);

  // Kept for callers of the first version: plaintext, no TLS files.
  explicit RectifyClient(const ClientOptions& options);

  // A unary call of either service, e.g. Call(&v1::CaseService::Stub::CloseCase, request).
  // Returns the server's reply, or its status as an absl::Status with its
  // message; UNAVAILABLE or DEADLINE_EXCEEDED when it could not be reached
  // within the retry policy.
  template <typename Stub, typename Request, typename Response>
  absl::StatusOr<Response> Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                             Response*),
                                const Request& request);

  // Reports a case.
  absl::StatusOr<v1::ReportCaseResponse> ReportCase(const v1::ReportCaseRequest& request) {
    return Call(&v1::CaseService::Stub::ReportCase, request);
  }
  // Reads a case.
  absl::StatusOr<v1::GetCaseResponse> GetCase(const std::string& case_id);

  // Streams events to `on_event` until it returns false, the server ends the
  // stream, or `max_duration` passes (absl::InfiniteDuration() for no end).
  // Not retried: resume with after_position = the last position seen.
  absl::Status WatchEvents(const v1::WatchEventsRequest& request, absl::Duration max_duration,
                           const std::function<bool(const v1::WatchEventsResponse&)>& on_event);

  // Streams a CSV ledger export, passing each chunk to `on_chunk` in order.
  // Not retried: a failed export is started again by the caller.
  absl::Status ExportLedger(const v1::ExportLedgerRequest& request,
                            const std::function<void(const std::string&)>& on_chunk);

  // Uploads evidence: the metadata, then `bytes` in chunks of 1 MiB.
  // Retried as a whole (the metadata's command_id makes that safe).
  // `on_bytes` (optional) sees the bytes sent so far after each chunk (from
  // 0 again when an attempt is retried).
  absl::StatusOr<v1::UploadEvidenceResponse> UploadEvidence(
      const v1::UploadEvidenceMetadata& metadata, const std::string& bytes,
      const std::function<void(int64_t sent)>& on_bytes = nullptr);

  // Downloads evidence: its record and its bytes. `on_bytes` (optional)
  // sees the bytes received so far and the size the record gives.
  absl::StatusOr<std::pair<v1::Evidence, std::string>> DownloadEvidence(
      const v1::DownloadEvidenceRequest& request,
      const std::function<void(int64_t received, int64_t size)>& on_bytes = nullptr);

  // A complaint's site-check document, uploaded and downloaded as evidence
  // is (the same chunking and retries).
  absl::StatusOr<v1::UploadSiteCheckDocumentResponse> UploadSiteCheckDocument(
      const v1::UploadSiteCheckDocumentMetadata& metadata, const std::string& bytes,
      const std::function<void(int64_t sent)>& on_bytes = nullptr);
  absl::StatusOr<std::pair<v1::SiteCheckDocument, std::string>> DownloadSiteCheckDocument(
      const v1::DownloadSiteCheckDocumentRequest& request,
      const std::function<void(int64_t received, int64_t size)>& on_bytes = nullptr);

 private:
  // The streaming steps both kinds of stored file share: `open` starts the
  // call on a context.
  template <typename Request, typename Response, typename Metadata, typename Open>
  absl::StatusOr<Response> UploadFile(const Metadata& metadata, const std::string& bytes, Open open,
                                      const std::function<void(int64_t sent)>& on_bytes);
  template <typename Response, typename Record, typename Open, typename SizeOf>
  absl::StatusOr<std::pair<Record, std::string>> DownloadFile(
      Open open, SizeOf size_of,
      const std::function<void(int64_t received, int64_t size)>& on_bytes);

  RectifyClient(const ClientOptions& options, std::shared_ptr<grpc::Channel> channel);

  void Prepare(grpc::ClientContext& context, absl::Time deadline) const;
  absl::Status WithRetries(const std::function<absl::Status(absl::Time deadline)>& attempt);

  v1::CaseService::Stub* StubFor(v1::CaseService::Stub*) { return case_stub_.get(); }
  v1::SupervisionService::Stub* StubFor(v1::SupervisionService::Stub*) {
    return supervision_stub_.get();
  }
  v1::UnitService::Stub* StubFor(v1::UnitService::Stub*) { return unit_stub_.get(); }
  v1::ComplaintService::Stub* StubFor(v1::ComplaintService::Stub*) {
    return complaint_stub_.get();
  }
  v1::PenaltyService::Stub* StubFor(v1::PenaltyService::Stub*) { return penalty_stub_.get(); }

  ClientOptions options_;
  std::unique_ptr<v1::CaseService::Stub> case_stub_;
  std::unique_ptr<v1::SupervisionService::Stub> supervision_stub_;
  std::unique_ptr<v1::UnitService::Stub> unit_stub_;
  std::unique_ptr<v1::ComplaintService::Stub> complaint_stub_;
  std::unique_ptr<v1::PenaltyService::Stub> penalty_stub_;
  absl::Mutex bits_mutex_;
  absl::BitGen bits_ ABSL_GUARDED_BY(bits_mutex_);
};

// The absl::Status for a gRPC status (the codes share numbers).
absl::Status FromGrpcStatus(const grpc::Status& status);

template <typename Stub, typename Request, typename Response>
absl::StatusOr<Response> RectifyClient::Call(
    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
    const Request& request) {
  Stub* stub = StubFor(static_cast<Stub*>(nullptr));
  Response response;
  const absl::Status status = WithRetries([&](absl::Time deadline) {
    grpc::ClientContext context;
    Prepare(context, deadline);
    response.Clear();
    return FromGrpcStatus((stub->*method)(&context, request, &response));
  });
  if (!status.ok()) return status;
  return response;
}

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_RECTIFY_CLIENT_H_

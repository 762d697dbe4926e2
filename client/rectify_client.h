// The C++ client library: a CaseService stub with the caller's bearer token
// and a deadline on every call, and gRPC statuses turned into absl ones.
//
//   ClientOptions options;
//   options.server = "127.0.0.1:50051";
//   options.token = "demo-inspector";
//   RectifyClient client(options);
//   ASSIGN_OR_RETURN(v1::GetCaseResponse reply, client.GetCase("620722-2026-000001"));
#ifndef RECTIFY_CLIENT_RECTIFY_CLIENT_H_
#define RECTIFY_CLIENT_RECTIFY_CLIENT_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "rectify/v1/case_service.grpc.pb.h"

namespace rectify::client {

struct ClientOptions {
  // host:port of the server. Default: 127.0.0.1:50051.
  std::string server = "127.0.0.1:50051";
  // The bearer token sent with every call. Default: none (calls fail with
  // UNAUTHENTICATED).
  std::string token;
  // How long one call may take. Default: 10 seconds.
  absl::Duration call_timeout = absl::Seconds(10);
};

class RectifyClient {
 public:
  explicit RectifyClient(const ClientOptions& options);

  // Reports a case. The server's codes come back as absl codes with its
  // message; UNAVAILABLE or DEADLINE_EXCEEDED when it cannot be reached.
  absl::StatusOr<v1::ReportCaseResponse> ReportCase(const v1::ReportCaseRequest& request);

  // Reads a case.
  absl::StatusOr<v1::GetCaseResponse> GetCase(const std::string& case_id);

 private:
  void Prepare(grpc::ClientContext& context) const;

  ClientOptions options_;
  std::unique_ptr<v1::CaseService::Stub> stub_;
};

// The absl::Status for a gRPC status (the codes share numbers).
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_RECTIFY_CLIENT_H_

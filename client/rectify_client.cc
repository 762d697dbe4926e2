// The C++ client library; see rectify_client.h.
#include "client/rectify_client.h"

#include <chrono>

#include "absl/strings/str_cat.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"

namespace rectify::client {

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(static_cast<int>(status.error_code())),
                      status.error_message());
}

RectifyClient::RectifyClient(const ClientOptions& options)
    : options_(options),
      stub_(v1::CaseService::NewStub(
          grpc::CreateChannel(options.server, grpc::InsecureChannelCredentials()))) {}

void RectifyClient::Prepare(grpc::ClientContext& context) const {
  context.set_deadline(std::chrono::system_clock::now() +
                       absl::ToChronoMicroseconds(options_.call_timeout));
  if (!options_.token.empty()) {
    context.AddMetadata("authorization", absl::StrCat("Bearer ", options_.token));
  }
}

absl::StatusOr<v1::ReportCaseResponse> RectifyClient::ReportCase(
    const v1::ReportCaseRequest& request) {
  grpc::ClientContext context;
  Prepare(context);
  v1::ReportCaseResponse response;
  const grpc::Status status = stub_->ReportCase(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return response;
}

absl::StatusOr<v1::GetCaseResponse> RectifyClient::GetCase(const std::string& case_id) {
  grpc::ClientContext context;
  Prepare(context);
  v1::GetCaseRequest request;
  request.set_case_id(case_id);
  v1::GetCaseResponse response;
  const grpc::Status status = stub_->GetCase(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return response;
}

}  // namespace rectify::client

// absl::Status to grpc::Status; see grpc_status.h.
#include "server/grpc_status.h"

#include <string>

#include "base/user_message.h"
#include "rectify/v1/user_message.pb.h"

namespace rectify::server {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // absl and gRPC share the canonical code numbers.
  const auto code = static_cast<grpc::StatusCode>(static_cast<int>(status.code()));
  std::string message(status.message());
  if (status.code() == absl::StatusCode::kInternal ||
      status.code() == absl::StatusCode::kDataLoss) {
    message = "internal error; the server log has the details";
  }
  v1::RpcStatus details;
  details.set_code(static_cast<int>(status.code()));
  details.set_message(message);
  details.add_details()->PackFrom(UserMessageFor(status));
  return grpc::Status(code, message, details.SerializeAsString());
}

grpc::ServerUnaryReactor* FinishUnary(grpc::CallbackServerContext* context,
                                      const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

}  // namespace rectify::server

// absl::Status to grpc::Status; see grpc_status.h.
#include "server/grpc_status.h"

#include <string>

namespace rectify::server {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  // absl and gRPC share the canonical code numbers.
  const auto code = static_cast<grpc::StatusCode>(static_cast<int>(status.code()));
  if (status.code() == absl::StatusCode::kInternal ||
      status.code() == absl::StatusCode::kDataLoss) {
    return grpc::Status(code, "internal error; the server log has the details");
  }
  return grpc::Status(code, std::string(status.message()));
}

}  // namespace rectify::server

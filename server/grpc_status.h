// The one place absl::Status becomes grpc::Status (DESIGN.md, "Errors").
// Codes map one to one; the message is kept, so a user reads the same words
// the workflow wrote ("case 620722-2026-000123 is ASSIGNED; ...").
#ifndef RECTIFY_SERVER_GRPC_STATUS_H_
#define RECTIFY_SERVER_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace rectify::server {

// The gRPC status for `status`. INTERNAL and DATA_LOSS messages are replaced
// by a generic text (the details are logged, not sent to callers).
grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_GRPC_STATUS_H_

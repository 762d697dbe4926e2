// The one place absl::Status becomes grpc::Status (DESIGN.md, "Errors").
// Codes map one to one; the English message is kept, so operators and logs
// read the same words the workflow wrote ("case 620722-2026-000123 is
// ASSIGNED; ..."). The Chinese sentence a bureau user reads travels as the
// error details (the `grpc-status-details-bin` trailer): a serialized
// google.rpc.Status (rectify.v1.RpcStatus, its wire twin) whose one detail is
// a rectify.v1.UserMessage, from base/user_message.h: the status's own, else
// the default for its code.
#ifndef RECTIFY_SERVER_GRPC_STATUS_H_
#define RECTIFY_SERVER_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/status.h"

namespace rectify::server {

// The gRPC status for `status`, with the UserMessage detail described above.
// INTERNAL and DATA_LOSS messages are replaced by a generic text (the details
// are logged, not sent to callers), and their user message is the default.
grpc::Status ToGrpcStatus(const absl::Status& status);

// Finishes a unary callback call with `status` (ToGrpcStatus) on its default
// reactor, for a handler that answers without the pipeline.
grpc::ServerUnaryReactor* FinishUnary(grpc::CallbackServerContext* context,
                                      const absl::Status& status);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_GRPC_STATUS_H_

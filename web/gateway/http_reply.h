// Writing a Connect error or a JSON message as an HTTP reply, shared by the
// Connect routes and the evidence routes of rectify_web.
#ifndef RECTIFY_WEB_GATEWAY_HTTP_REPLY_H_
#define RECTIFY_WEB_GATEWAY_HTTP_REPLY_H_

#include <string>

#include "absl/status/status.h"
#include "grpcpp/support/status.h"
#include "httplib.h"

namespace rectify::web {

// The Connect JSON error body with the HTTP status of its code.
void ReplyError(const grpc::Status& status, httplib::Response& response);
// The same for a gateway-made error; `http_status` overrides the code's
// (e.g. 413 for a body over the limit, 415 for an unknown content type).
void ReplyError(const absl::Status& status, httplib::Response& response, int http_status = 0);

// grpc::Status of an absl::Status (the codes share their numbers).
grpc::Status ToGrpc(const absl::Status& status);

}  // namespace rectify::web

#endif  // RECTIFY_WEB_GATEWAY_HTTP_REPLY_H_

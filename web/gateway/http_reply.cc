// Connect errors as HTTP replies; see http_reply.h.
#include "web/gateway/http_reply.h"

#include "web/gateway/connect_protocol.h"

namespace rectify::web {

grpc::Status ToGrpc(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(static_cast<int>(status.code())),
                      std::string(status.message()));
}

void ReplyError(const grpc::Status& status, httplib::Response& response) {
  response.status = HttpStatusForCode(status.error_code());
  response.set_content(ErrorJson(status), "application/json");
}

void ReplyError(const absl::Status& status, httplib::Response& response, int http_status) {
  ReplyError(ToGrpc(status), response);
  if (http_status != 0) response.status = http_status;
}

}  // namespace rectify::web

// Calling a real in-process server from a test the way the clients do: as
// the person whose bearer token is sent, and reading the Chinese sentence a
// refusal carries (the grpc-status-details-bin trailer, base/user_message.h).
//
//   v1::GetCaseResponse reply;
//   grpc::Status status = CallAs(*stub_, &v1::CaseService::Stub::GetCase, "demo-inspector",
//                                request, &reply);
//   EXPECT_THAT(ChineseOf(status), HasSubstr("无权"));
#ifndef RECTIFY_TESTS_SERVER_GRPC_CALL_H_
#define RECTIFY_TESTS_SERVER_GRPC_CALL_H_

#include <string>

#include "grpcpp/grpcpp.h"
#include "rectify/v1/user_message.pb.h"

namespace rectify::testing {

// Calls `method` of `stub` with `request` as the person with `token`.
template <typename Stub, typename Request, typename Response>
grpc::Status CallAs(Stub& stub,
                    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const std::string& token, const Request& request, Response* response) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + token);
  return (stub.*method)(&context, request, response);
}

// The Chinese sentence a refusal carries for the user; "" when it carries
// none (or more than one).
inline std::string ChineseOf(const grpc::Status& status) {
  v1::RpcStatus details;
  v1::UserMessage message;
  if (!details.ParseFromString(status.error_details()) || details.details_size() != 1 ||
      !details.details(0).UnpackTo(&message)) {
    return "";
  }
  return message.zh_cn();
}

}  // namespace rectify::testing

#endif  // RECTIFY_TESTS_SERVER_GRPC_CALL_H_

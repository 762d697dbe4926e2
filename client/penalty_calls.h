// Sending a PenaltyService step: the request's type names its RPC, so
// rectifyctl's penalty subcommands fill a request by reflection
// (request_flags.h) and send it here without a switch of their own.
//
//   v1::DecidePenaltyFilingRequest request = ...;
//   ASSIGN_OR_RETURN(PenaltyReply reply, SendPenaltyStep(client, request));
//   std::cout << reply.penalty_case.status();
#ifndef RECTIFY_CLIENT_PENALTY_CALLS_H_
#define RECTIFY_CLIENT_PENALTY_CALLS_H_

#include <memory>

#include "absl/status/statusor.h"
#include "client/rectify_client.h"
#include "google/protobuf/message.h"
#include "rectify/v1/penalty_service.pb.h"

namespace rectify::client {

struct PenaltyReply {
  // The penalty case after the step, as the caller may see it.
  v1::PenaltyCase penalty_case;
  // The whole reply (e.g. a v1::DecidePenaltyResponse), for --json.
  std::shared_ptr<google::protobuf::Message> response;
};

// Sends `request`, a mutating PenaltyService request (OpenPenaltyCaseRequest,
// ..., ClosePenaltyCaseRequest), through its RPC. INVALID_ARGUMENT for any
// other message type; else the server's reply or status.
absl::StatusOr<PenaltyReply> SendPenaltyStep(RectifyClient& client,
                                             const google::protobuf::Message& request);

}  // namespace rectify::client

#endif  // RECTIFY_CLIENT_PENALTY_CALLS_H_

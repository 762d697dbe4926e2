// The Connect protocol's wire details (connectrpc.com/docs/protocol), apart
// from HTTP and gRPC plumbing so they can be tested alone: the error codes and
// their HTTP statuses, the JSON error body (with gRPC error details passed
// through), the envelope of streaming messages and the end-stream message,
// and the Connect-Timeout-Ms header.
#ifndef RECTIFY_WEB_GATEWAY_CONNECT_PROTOCOL_H_
#define RECTIFY_WEB_GATEWAY_CONNECT_PROTOCOL_H_

#include <cstdint>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/support/status.h"

namespace rectify::web {

// Connect's name of a gRPC code: "permission_denied", "invalid_argument", ...
// ("unknown" for a number outside the 17 codes).
absl::string_view ConnectCodeName(grpc::StatusCode code);

// The HTTP status a unary Connect error is sent with, from the protocol's
// table: invalid_argument 400, unauthenticated 401, permission_denied 403,
// not_found 404, already_exists 409, resource_exhausted 429, unimplemented
// 501, unavailable 503, deadline_exceeded 504, ...
int HttpStatusForCode(grpc::StatusCode code);

// The JSON error object: {"code":"...","message":"...","details":[...]}.
// Each detail of the status's `error_details` (a serialized google.rpc.Status,
// as gRPC's `grpc-status-details-bin` carries it) becomes
// {"type":"<full message name>","value":"<base64, unpadded>"}. Details that
// cannot be parsed are dropped; the code and message are always there.
std::string ErrorJson(const grpc::Status& status);

// The envelope flags of a Connect streaming message.
inline constexpr uint8_t kEnvelopeCompressed = 0x01;
inline constexpr uint8_t kEnvelopeEndStream = 0x02;

// One enveloped message: the flags byte, the length as 4 bytes big-endian,
// then the bytes.
std::string Envelope(uint8_t flags, absl::string_view payload);

// The end-stream message of a streaming response: {} when `status` is OK,
// else {"error":{...}} as ErrorJson.
std::string EndStreamMessage(const grpc::Status& status);

// The payload of a streaming request body that holds exactly one message
// (server-streaming RPCs). INVALID_ARGUMENT for a short or malformed
// envelope, a compressed one (no compression is negotiated), an end-stream
// flag, or bytes after the message.
absl::StatusOr<std::string> ParseSingleEnvelope(absl::string_view body);

// The Connect-Timeout-Ms header: nullopt when absent (empty); INVALID_ARGUMENT
// unless it is 1 to 10 ASCII digits, as the protocol requires.
absl::StatusOr<std::optional<absl::Duration>> ParseTimeoutMs(absl::string_view header);

}  // namespace rectify::web

#endif  // RECTIFY_WEB_GATEWAY_CONNECT_PROTOCOL_H_

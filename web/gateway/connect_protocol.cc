// The Connect protocol's wire details; see connect_protocol.h.
#include "web/gateway/connect_protocol.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/any.pb.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "google/protobuf/struct.pb.h"  // Value: JSON string escaping
#include "google/protobuf/util/json_util.h"

namespace rectify::web {
namespace {

using google::protobuf::Value;

// The details of a serialized google.rpc.Status (field 3, repeated Any),
// read with the wire format so the gateway needs no copy of status.proto.
std::vector<google::protobuf::Any> DetailsOf(const std::string& serialized_status) {
  std::vector<google::protobuf::Any> details;
  google::protobuf::io::CodedInputStream input(
      reinterpret_cast<const uint8_t*>(serialized_status.data()),
      static_cast<int>(serialized_status.size()));
  while (true) {
    const uint32_t tag = input.ReadTag();
    if (tag == 0) break;
    if (tag == ((3u << 3) | 2u)) {  // details: length-delimited Any
      uint32_t length = 0;
      std::string bytes;
      if (!input.ReadVarint32(&length) || !input.ReadString(&bytes, static_cast<int>(length))) {
        return {};
      }
      google::protobuf::Any any;
      if (!any.ParseFromString(bytes)) return {};
      details.push_back(std::move(any));
    } else if (!google::protobuf::internal::WireFormatLite::SkipField(&input, tag)) {
      return {};
    }
  }
  return details;
}

// A JSON string literal, escaped by protobuf's JSON printer.
std::string Quote(absl::string_view text) {
  Value value;
  value.set_string_value(std::string(text));
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(value, &json).ok()) return "\"\"";
  return json;
}

// The error object, its keys in the protocol's order (code, message,
// details) so the bytes are the same every time.
std::string ErrorObject(const grpc::Status& status) {
  std::string json = absl::StrCat("{\"code\":", Quote(ConnectCodeName(status.error_code())));
  if (!status.error_message().empty()) {
    absl::StrAppend(&json, ",\"message\":", Quote(status.error_message()));
  }
  std::vector<google::protobuf::Any> details;
  if (!status.error_details().empty()) details = DetailsOf(status.error_details());
  if (!details.empty()) {
    absl::StrAppend(&json, ",\"details\":[");
    for (size_t i = 0; i < details.size(); ++i) {
      std::string type(details[i].type_url());
      if (const size_t slash = type.rfind('/'); slash != std::string::npos) {
        type = type.substr(slash + 1);
      }
      std::string value = absl::Base64Escape(details[i].value());
      while (!value.empty() && value.back() == '=') value.pop_back();
      absl::StrAppend(&json, i == 0 ? "" : ",", "{\"type\":", Quote(type),
                      ",\"value\":", Quote(value), "}");
    }
    absl::StrAppend(&json, "]");
  }
  absl::StrAppend(&json, "}");
  return json;
}

}  // namespace

absl::string_view ConnectCodeName(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK: return "ok";
    case grpc::StatusCode::CANCELLED: return "canceled";
    case grpc::StatusCode::UNKNOWN: return "unknown";
    case grpc::StatusCode::INVALID_ARGUMENT: return "invalid_argument";
    case grpc::StatusCode::DEADLINE_EXCEEDED: return "deadline_exceeded";
    case grpc::StatusCode::NOT_FOUND: return "not_found";
    case grpc::StatusCode::ALREADY_EXISTS: return "already_exists";
    case grpc::StatusCode::PERMISSION_DENIED: return "permission_denied";
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return "resource_exhausted";
    case grpc::StatusCode::FAILED_PRECONDITION: return "failed_precondition";
    case grpc::StatusCode::ABORTED: return "aborted";
    case grpc::StatusCode::OUT_OF_RANGE: return "out_of_range";
    case grpc::StatusCode::UNIMPLEMENTED: return "unimplemented";
    case grpc::StatusCode::INTERNAL: return "internal";
    case grpc::StatusCode::UNAVAILABLE: return "unavailable";
    case grpc::StatusCode::DATA_LOSS: return "data_loss";
    case grpc::StatusCode::UNAUTHENTICATED: return "unauthenticated";
    default: return "unknown";
  }
}

int HttpStatusForCode(grpc::StatusCode code) {
  switch (code) {
    case grpc::StatusCode::OK: return 200;
    case grpc::StatusCode::CANCELLED: return 499;
    case grpc::StatusCode::INVALID_ARGUMENT: return 400;
    case grpc::StatusCode::DEADLINE_EXCEEDED: return 504;
    case grpc::StatusCode::NOT_FOUND: return 404;
    case grpc::StatusCode::ALREADY_EXISTS: return 409;
    case grpc::StatusCode::PERMISSION_DENIED: return 403;
    case grpc::StatusCode::RESOURCE_EXHAUSTED: return 429;
    case grpc::StatusCode::FAILED_PRECONDITION: return 400;
    case grpc::StatusCode::ABORTED: return 409;
    case grpc::StatusCode::OUT_OF_RANGE: return 400;
    case grpc::StatusCode::UNIMPLEMENTED: return 501;
    case grpc::StatusCode::UNAVAILABLE: return 503;
    case grpc::StatusCode::UNAUTHENTICATED: return 401;
    default: return 500;  // unknown, internal, data_loss
  }
}

std::string ErrorJson(const grpc::Status& status) { return ErrorObject(status); }

std::string Envelope(uint8_t flags, absl::string_view payload) {
  std::string out;
  out.reserve(5 + payload.size());
  const uint32_t length = static_cast<uint32_t>(payload.size());
  out.push_back(static_cast<char>(flags));
  out.push_back(static_cast<char>((length >> 24) & 0xff));
  out.push_back(static_cast<char>((length >> 16) & 0xff));
  out.push_back(static_cast<char>((length >> 8) & 0xff));
  out.push_back(static_cast<char>(length & 0xff));
  out.append(payload.data(), payload.size());
  return out;
}

std::string EndStreamMessage(const grpc::Status& status) {
  if (status.ok()) return "{}";
  return absl::StrCat("{\"error\":", ErrorObject(status), "}");
}

absl::StatusOr<std::string> ParseSingleEnvelope(absl::string_view body) {
  if (body.size() < 5) {
    return absl::InvalidArgumentError("the request body is not an enveloped message");
  }
  const uint8_t flags = static_cast<uint8_t>(body[0]);
  if (flags & kEnvelopeCompressed) {
    return absl::InvalidArgumentError("compressed messages are not accepted");
  }
  if (flags != 0) {
    return absl::InvalidArgumentError("the request envelope has unknown flags");
  }
  const uint32_t length = (static_cast<uint32_t>(static_cast<uint8_t>(body[1])) << 24) |
                          (static_cast<uint32_t>(static_cast<uint8_t>(body[2])) << 16) |
                          (static_cast<uint32_t>(static_cast<uint8_t>(body[3])) << 8) |
                          static_cast<uint32_t>(static_cast<uint8_t>(body[4]));
  if (body.size() - 5 != length) {
    return absl::InvalidArgumentError(
        "the request body must hold exactly one enveloped message");
  }
  return std::string(body.substr(5));
}

absl::StatusOr<std::optional<absl::Duration>> ParseTimeoutMs(absl::string_view header) {
  if (header.empty()) return std::optional<absl::Duration>();
  if (header.size() > 10) {
    return absl::InvalidArgumentError("Connect-Timeout-Ms has more than 10 digits");
  }
  for (const char c : header) {
    if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) {
      return absl::InvalidArgumentError("Connect-Timeout-Ms must be a whole number of milliseconds");
    }
  }
  int64_t ms = 0;
  if (!absl::SimpleAtoi(header, &ms)) {
    return absl::InvalidArgumentError("Connect-Timeout-Ms is not a number");
  }
  return std::optional<absl::Duration>(absl::Milliseconds(ms));
}

}  // namespace rectify::web

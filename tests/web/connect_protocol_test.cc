// The Connect wire details: codes and HTTP statuses from the protocol's
// table, the JSON error body with gRPC details passed through, envelopes
// and the timeout header. Expected bytes are written out by hand.
#include "web/gateway/connect_protocol.h"

#include <string>

#include "google/protobuf/any.pb.h"
#include "google/protobuf/duration.pb.h"
#include "gtest/gtest.h"

namespace rectify::web {
namespace {

TEST(ConnectProtocolTest, CodesAndStatusesFollowTheProtocolTable) {
  struct Row {
    grpc::StatusCode code;
    std::string name;
    int http;
  };
  const Row rows[] = {
      {grpc::StatusCode::CANCELLED, "canceled", 499},
      {grpc::StatusCode::UNKNOWN, "unknown", 500},
      {grpc::StatusCode::INVALID_ARGUMENT, "invalid_argument", 400},
      {grpc::StatusCode::DEADLINE_EXCEEDED, "deadline_exceeded", 504},
      {grpc::StatusCode::NOT_FOUND, "not_found", 404},
      {grpc::StatusCode::ALREADY_EXISTS, "already_exists", 409},
      {grpc::StatusCode::PERMISSION_DENIED, "permission_denied", 403},
      {grpc::StatusCode::RESOURCE_EXHAUSTED, "resource_exhausted", 429},
      {grpc::StatusCode::FAILED_PRECONDITION, "failed_precondition", 400},
      {grpc::StatusCode::ABORTED, "aborted", 409},
      {grpc::StatusCode::OUT_OF_RANGE, "out_of_range", 400},
      {grpc::StatusCode::UNIMPLEMENTED, "unimplemented", 501},
      {grpc::StatusCode::INTERNAL, "internal", 500},
      {grpc::StatusCode::UNAVAILABLE, "unavailable", 503},
      {grpc::StatusCode::DATA_LOSS, "data_loss", 500},
      {grpc::StatusCode::UNAUTHENTICATED, "unauthenticated", 401},
  };
  for (const Row& row : rows) {
    EXPECT_EQ(ConnectCodeName(row.code), row.name);
    EXPECT_EQ(HttpStatusForCode(row.code), row.http) << row.name;
  }
  EXPECT_EQ(ConnectCodeName(static_cast<grpc::StatusCode>(99)), "unknown");
}

TEST(ConnectProtocolTest, ErrorJsonHasCodeAndEscapedMessage) {
  EXPECT_EQ(ErrorJson(grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                   "title: is required \"now\"")),
            R"({"code":"invalid_argument","message":"title: is required \"now\""})");
  EXPECT_EQ(ErrorJson(grpc::Status(grpc::StatusCode::NOT_FOUND, "")), R"({"code":"not_found"})");
}

TEST(ConnectProtocolTest, GrpcErrorDetailsArePassedThrough) {
  // A google.rpc.Status by hand: field 1 code 3, field 2 message "bad",
  // field 3 one Any holding a google.protobuf.Duration of 5 s.
  google::protobuf::Duration duration;
  duration.set_seconds(5);
  google::protobuf::Any any;
  any.PackFrom(duration);
  const std::string any_bytes = any.SerializeAsString();
  std::string status_bytes = "\x08\x03\x12\x03" "bad";
  status_bytes += '\x1a';
  status_bytes += static_cast<char>(any_bytes.size());
  status_bytes += any_bytes;
  const grpc::Status status(grpc::StatusCode::INVALID_ARGUMENT, "bad", status_bytes);
  // Duration{seconds: 5} is the bytes 08 05: base64 "CAU", unpadded.
  EXPECT_EQ(ErrorJson(status),
            R"({"code":"invalid_argument","message":"bad","details":[{"type":"google.protobuf.Duration","value":"CAU"}]})");
  // Garbage details are dropped; the code and message stay.
  EXPECT_EQ(ErrorJson(grpc::Status(grpc::StatusCode::INTERNAL, "x", "\xff\xff\xff")),
            R"({"code":"internal","message":"x"})");
}

TEST(ConnectProtocolTest, EnvelopesAndEndStream) {
  EXPECT_EQ(Envelope(0, "{}"), std::string("\x00\x00\x00\x00\x02{}", 7));
  EXPECT_EQ(Envelope(kEnvelopeEndStream, ""), std::string("\x02\x00\x00\x00\x00", 5));
  EXPECT_EQ(EndStreamMessage(grpc::Status::OK), "{}");
  EXPECT_EQ(EndStreamMessage(grpc::Status(grpc::StatusCode::DEADLINE_EXCEEDED, "late")),
            R"({"error":{"code":"deadline_exceeded","message":"late"}})");

  EXPECT_EQ(*ParseSingleEnvelope(std::string("\x00\x00\x00\x00\x02{}", 7)), "{}");
  EXPECT_FALSE(ParseSingleEnvelope("{}").ok());                                   // no envelope
  EXPECT_FALSE(ParseSingleEnvelope(std::string("\x00\x00\x00\x00\x03{}", 7)).ok());  // short
  EXPECT_FALSE(ParseSingleEnvelope(std::string("\x00\x00\x00\x00\x01{}", 7)).ok());  // extra bytes
  EXPECT_FALSE(ParseSingleEnvelope(std::string("\x01\x00\x00\x00\x02{}", 7)).ok());  // compressed
  EXPECT_FALSE(ParseSingleEnvelope(std::string("\x02\x00\x00\x00\x02{}", 7)).ok());  // end-stream
}

TEST(ConnectProtocolTest, TimeoutHeader) {
  EXPECT_FALSE(ParseTimeoutMs("")->has_value());
  EXPECT_EQ(**ParseTimeoutMs("1500"), absl::Milliseconds(1500));
  EXPECT_EQ(**ParseTimeoutMs("9999999999"), absl::Milliseconds(9999999999));
  EXPECT_FALSE(ParseTimeoutMs("12345678901").ok());  // 11 digits
  EXPECT_FALSE(ParseTimeoutMs("-1").ok());
  EXPECT_FALSE(ParseTimeoutMs("1.5").ok());
  EXPECT_FALSE(ParseTimeoutMs("soon").ok());
}

}  // namespace
}  // namespace rectify::web

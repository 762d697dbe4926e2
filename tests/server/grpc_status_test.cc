// ToGrpcStatus and base/user_message.h: a refusal keeps its English message
// and code, and its Chinese user message reaches the gRPC error details as a
// google.rpc.Status (rectify.v1.RpcStatus) holding one UserMessage.
#include "server/grpc_status.h"

#include <string>

#include "base/user_message.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rectify/v1/user_message.pb.h"

namespace rectify::server {
namespace {

// The UserMessage in `status`'s details, checking the wrapper on the way.
v1::UserMessage DetailOf(const grpc::Status& status) {
  v1::RpcStatus details;
  EXPECT_TRUE(details.ParseFromString(status.error_details()));
  EXPECT_EQ(details.code(), static_cast<int>(status.error_code()));
  EXPECT_EQ(details.message(), status.error_message());
  EXPECT_EQ(details.details_size(), 1);
  v1::UserMessage message;
  if (details.details_size() == 1) {
    EXPECT_EQ(details.details(0).type_url(), "type.googleapis.com/rectify.v1.UserMessage");
    EXPECT_TRUE(details.details(0).UnpackTo(&message));
  }
  return message;
}

TEST(GrpcStatusTest, OkHasNoDetails) {
  const grpc::Status status = ToGrpcStatus(absl::OkStatus());
  EXPECT_TRUE(status.ok());
  EXPECT_EQ(status.error_details(), "");
}

TEST(GrpcStatusTest, RefusalKeepsEnglishAndSendsChinese) {
  const grpc::Status status = ToGrpcStatus(
      Refuse(absl::StatusCode::kFailedPrecondition, "case 620722-2026-000001 is RECTIFYING",
             "案件 620722-2026-000001 当前为“整改中”，不能交办"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(status.error_message(), "case 620722-2026-000001 is RECTIFYING");
  const v1::UserMessage message = DetailOf(status);
  EXPECT_EQ(message.zh_cn(), "案件 620722-2026-000001 当前为“整改中”，不能交办");
  EXPECT_EQ(message.field(), "");
}

TEST(GrpcStatusTest, FieldTravelsWithTheMessage) {
  const grpc::Status status = ToGrpcStatus(
      WithUserMessage(absl::InvalidArgumentError("title: is required"), "标题：必填", "title"));
  EXPECT_EQ(status.error_message(), "title: is required");
  const v1::UserMessage message = DetailOf(status);
  EXPECT_EQ(message.zh_cn(), "标题：必填");
  EXPECT_EQ(message.field(), "title");
}

TEST(GrpcStatusTest, StatusWithoutChineseGetsTheDefaultForItsCode) {
  const grpc::Status status = ToGrpcStatus(absl::AbortedError("version 3 expected, case is at 4"));
  EXPECT_EQ(status.error_message(), "version 3 expected, case is at 4");
  EXPECT_EQ(DetailOf(status).zh_cn(), "该记录已被他人修改，请刷新后重试");
}

TEST(GrpcStatusTest, InternalHidesBothTexts) {
  const grpc::Status status = ToGrpcStatus(
      Refuse(absl::StatusCode::kInternal, "rocksdb: IO error /var/lib/x", "存储故障 /var/lib/x"));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_EQ(status.error_message(), "internal error; the server log has the details");
  EXPECT_EQ(DetailOf(status).zh_cn(), "服务器内部错误，请稍后再试或联系系统管理员");
}

TEST(UserMessageTest, ReadsBackWhatWasAttached) {
  const absl::Status status = Refuse(absl::StatusCode::kNotFound, "no case x", "找不到案件 x");
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "no case x");
  ASSERT_TRUE(UserMessageOf(status).has_value());
  EXPECT_EQ(UserMessageOf(status)->zh_cn(), "找不到案件 x");
  // A copy keeps it; a status rebuilt from the message does not.
  const absl::Status copy = status;
  EXPECT_TRUE(UserMessageOf(copy).has_value());
  EXPECT_FALSE(UserMessageOf(absl::Status(status.code(), status.message())).has_value());
  EXPECT_FALSE(UserMessageOf(absl::OkStatus()).has_value());
  EXPECT_TRUE(WithUserMessage(absl::OkStatus(), "无").ok());
}

TEST(UserMessageTest, WithUserMessageReplaces) {
  const absl::Status status = WithUserMessage(
      Refuse(absl::StatusCode::kPermissionDenied, "denied", "无权"), "该账户已停用");
  EXPECT_EQ(UserMessageOf(status)->zh_cn(), "该账户已停用");
  EXPECT_EQ(status.message(), "denied");
}

}  // namespace
}  // namespace rectify::server

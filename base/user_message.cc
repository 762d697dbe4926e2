// A refusal's English and Chinese texts in one absl::Status; see
// user_message.h.
#include "base/user_message.h"

#include <string>
#include <utility>

#include "absl/strings/cord.h"

namespace rectify {

absl::Status Refuse(absl::StatusCode code, absl::string_view english, absl::string_view chinese) {
  if (code == absl::StatusCode::kOk) code = absl::StatusCode::kUnknown;
  return WithUserMessage(absl::Status(code, english), chinese);
}

absl::Status WithUserMessage(absl::Status status, absl::string_view chinese,
                             absl::string_view field) {
  if (status.ok()) return status;
  v1::UserMessage message;
  message.set_zh_cn(std::string(chinese));
  message.set_field(std::string(field));
  status.SetPayload(kUserMessageTypeUrl, absl::Cord(message.SerializeAsString()));
  return status;
}

std::optional<v1::UserMessage> UserMessageOf(const absl::Status& status) {
  if (status.ok()) return std::nullopt;
  const auto payload = status.GetPayload(kUserMessageTypeUrl);
  if (!payload.has_value()) return std::nullopt;
  v1::UserMessage message;
  if (!message.ParseFromString(std::string(*payload)) || message.zh_cn().empty()) {
    return std::nullopt;
  }
  return message;
}

absl::string_view DefaultUserMessage(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk: return "";
    case absl::StatusCode::kCancelled: return "操作已取消";
    case absl::StatusCode::kInvalidArgument: return "填写的内容有误，请检查后重试";
    case absl::StatusCode::kDeadlineExceeded: return "服务器响应超时，请稍后再试";
    case absl::StatusCode::kNotFound: return "找不到该记录";
    case absl::StatusCode::kAlreadyExists: return "该记录已存在";
    case absl::StatusCode::kPermissionDenied: return "您的角色或辖区无权进行此操作";
    case absl::StatusCode::kResourceExhausted: return "超出限制或请求过多，请稍后再试";
    case absl::StatusCode::kFailedPrecondition: return "当前状态不允许此操作";
    case absl::StatusCode::kAborted: return "该记录已被他人修改，请刷新后重试";
    case absl::StatusCode::kOutOfRange: return "数值超出允许范围";
    case absl::StatusCode::kUnimplemented: return "服务器不支持此操作";
    case absl::StatusCode::kUnavailable: return "服务器暂时不可用，请稍后再试";
    case absl::StatusCode::kUnauthenticated: return "登录已失效，请重新登录";
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kDataLoss:
    case absl::StatusCode::kUnknown:
    default: return "服务器内部错误，请稍后再试或联系系统管理员";
  }
}

v1::UserMessage UserMessageFor(const absl::Status& status) {
  if (status.ok()) return {};
  if (status.code() != absl::StatusCode::kInternal &&
      status.code() != absl::StatusCode::kDataLoss) {
    if (std::optional<v1::UserMessage> message = UserMessageOf(status)) return *std::move(message);
  }
  v1::UserMessage message;
  message.set_zh_cn(std::string(DefaultUserMessage(status.code())));
  return message;
}

}  // namespace rectify

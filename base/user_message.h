// A refusal's two texts in one absl::Status: the English operator message
// (the status message: logs, tests and operators read it, unchanged) and the
// Simplified Chinese sentence a bureau user reads, carried as a payload
// holding a rectify.v1.UserMessage (proto/rectify/v1/user_message.proto).
// server/grpc_status.cc sends the payload to clients as a gRPC error detail;
// the web app and rectifyctl show it.
//
//   return Refuse(absl::StatusCode::kFailedPrecondition,
//                 "case 620722-2026-000001 is RECTIFYING; cannot assign",
//                 "案件 620722-2026-000001 当前为“整改中”，不能交办");
//   return WithUserMessage(std::move(status), "该账户已停用");
//
// A status without a payload is shown with DefaultUserMessage(code). A
// status rebuilt from another one's message (absl::Status(code, msg)) loses
// the payload: copy the status, or attach the Chinese again.
#ifndef RECTIFY_BASE_USER_MESSAGE_H_
#define RECTIFY_BASE_USER_MESSAGE_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "rectify/v1/user_message.pb.h"

namespace rectify {

// The payload's type URL, also the Any type URL of the gRPC error detail.
inline constexpr absl::string_view kUserMessageTypeUrl =
    "type.googleapis.com/rectify.v1.UserMessage";

// `code` with `english` as its message and `chinese` as its user message.
// `code` must not be kOk (an OK status carries no payload; the result is then
// kUnknown, which is a bug at the call site).
absl::Status Refuse(absl::StatusCode code, absl::string_view english, absl::string_view chinese);

// `status` with its user message set to `chinese` (replacing any) and, when
// not empty, `field` (the request field at fault, as the English names it).
// An OK status is returned as it is.
absl::Status WithUserMessage(absl::Status status, absl::string_view chinese,
                             absl::string_view field = {});

// The user message `status` carries, if any (never for an OK status).
std::optional<v1::UserMessage> UserMessageOf(const absl::Status& status);

// The Chinese sentence for a refusal of `code` that carries none of its own,
// e.g. "当前状态不允许此操作" for kFailedPrecondition. The one home of these
// defaults: the server sends them, so every client shows the same words.
absl::string_view DefaultUserMessage(absl::StatusCode code);

// What a user reads for `status`: its user message, else
// DefaultUserMessage(status.code()); INTERNAL and DATA_LOSS always get the
// default (their text may name internals). Empty for OK.
v1::UserMessage UserMessageFor(const absl::Status& status);

}  // namespace rectify

#endif  // RECTIFY_BASE_USER_MESSAGE_H_

// Request ids: one per RPC (and per HTTP request of rectify_web), taken from
// the caller's `x-request-id` when it is a sane one, else made here; logged on
// the call's lines and returned to the caller (trailing metadata of the gRPC
// call, the X-Request-Id header of the gateway's HTTP reply), so that a
// refusal a user reports can be found in the log (docs/operations.md,
// "Request ids").
//
//   std::string id = AcceptOrMakeRequestId(sent);  // sent: what the caller gave, or ""
#ifndef RECTIFY_BASE_REQUEST_ID_H_
#define RECTIFY_BASE_REQUEST_ID_H_

#include <string>

#include "absl/strings/string_view.h"

namespace rectify {

// The gRPC metadata key and (case-insensitively) the HTTP header.
inline constexpr absl::string_view kRequestIdKey = "x-request-id";

// The longest request id accepted from a caller, in bytes: 64.
inline constexpr size_t kMaxRequestIdBytes = 64;

// Whether `id` may be used as it is: 1 to kMaxRequestIdBytes bytes, each an
// ASCII letter, digit, '-', '_', '.' or ':' (what tracing systems and UUIDs
// use; nothing that could break a log line, a header or a JSON string).
bool IsAcceptableRequestId(absl::string_view id);

// A new id: 32 lowercase hex digits (128 random bits). Thread-safe.
std::string MakeRequestId();

// `sent` when IsAcceptableRequestId(sent), else MakeRequestId(): a caller's
// id that is missing, too long or holds other bytes is replaced, not
// refused.
std::string AcceptOrMakeRequestId(absl::string_view sent);

}  // namespace rectify

#endif  // RECTIFY_BASE_REQUEST_ID_H_

// The bearer token of a call; see authenticator.h.
#include "server/authenticator.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace rectify::server {

absl::StatusOr<absl::string_view> BearerToken(const grpc::ServerContextBase& context) {
  const auto& metadata = context.client_metadata();
  auto header = metadata.find("authorization");
  if (header == metadata.end()) {
    return absl::UnauthenticatedError(
        "missing `authorization: Bearer <token>` metadata; every call needs a token");
  }
  const absl::string_view value(header->second.data(), header->second.size());
  constexpr absl::string_view kScheme = "Bearer ";
  if (!absl::StartsWithIgnoreCase(value, kScheme)) {
    return absl::UnauthenticatedError("the authorization metadata must be `Bearer <token>`");
  }
  return absl::StripAsciiWhitespace(value.substr(kScheme.size()));
}

}  // namespace rectify::server

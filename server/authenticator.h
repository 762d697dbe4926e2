// Authentication of every RPC, in one place. `Authenticator` is what the
// services take; `TokenAuthenticator` is the one main() gives them all: the
// bearer token is looked up in the principals file (services, the CLI,
// the first admin) and, failing that, among the login sessions
// (sessions.h). PrincipalRegistry alone is also an Authenticator (file
// tokens only), which tests of services without accounts use.
//
//   TokenAuthenticator authenticator(registry, &sessions);
//   CaseServiceImpl cases(authenticator, pipeline, store);
//   ASSIGN_OR_RETURN(v1::Principal caller, authenticator.Authenticate(*context));
#ifndef RECTIFY_SERVER_AUTHENTICATOR_H_
#define RECTIFY_SERVER_AUTHENTICATOR_H_

#include <functional>
#include <optional>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "grpcpp/server_context.h"
#include "rectify/v1/common.pb.h"

namespace rectify::server {

class SessionManager;
class PrincipalRegistry;
struct SessionCaller;

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // The caller of an RPC, from its `authorization: Bearer <token>` metadata.
  // UNAUTHENTICATED when the header is missing, malformed or unknown, or the
  // session has ended.
  virtual absl::StatusOr<v1::Principal> Authenticate(
      const grpc::ServerContextBase& context) const = 0;

  // The principal with this id (a principals-file entry, or an enabled
  // account), or nullopt when there is none; e.g. to resolve the officers a
  // referral proposal names before Decide checks them.
  virtual std::optional<v1::Principal> FindPrincipal(absl::string_view principal_id) const = 0;

  // For a call that outlives its start (a WatchEvents stream): a check, to
  // run again later, that the credentials `context` authenticated with
  // still hold: OK while they do, UNAUTHENTICATED once the session has
  // ended (logout, revoked, expired, the account disabled or changed).
  // Read-only: it neither extends the session's idle time nor removes it.
  // nullptr when the credentials cannot end (a principals-file token).
  virtual std::function<absl::Status()> StillValid(
      const grpc::ServerContextBase& context) const {
    (void)context;
    return nullptr;
  }
};

// The token of `authorization: Bearer <token>`. UNAUTHENTICATED when the
// header is missing or is not of that form.
absl::StatusOr<absl::string_view> BearerToken(const grpc::ServerContextBase& context);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_AUTHENTICATOR_H_

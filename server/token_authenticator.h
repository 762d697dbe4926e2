// The Authenticator every service of rectify_server uses (authenticator.h):
// a principals-file token first, else a login session's token.
//
//   TokenAuthenticator authenticator(registry, &sessions);
//   ASSIGN_OR_RETURN(Caller caller, authenticator.AuthenticateCaller(*context));
//   if (caller.session.has_value()) ... // logged in with a password
#ifndef RECTIFY_SERVER_TOKEN_AUTHENTICATOR_H_
#define RECTIFY_SERVER_TOKEN_AUTHENTICATOR_H_

#include <functional>
#include <optional>

#include "server/authenticator.h"
#include "server/principals.h"
#include "server/sessions.h"

namespace rectify::server {

// Who called, and with which session when it used a session token.
struct Caller {
  v1::Principal principal;
  std::optional<SessionCaller> session;
};

class TokenAuthenticator final : public Authenticator {
 public:
  // Both must outlive it; `sessions` may be null (file tokens only).
  TokenAuthenticator(const PrincipalRegistry& principals, SessionManager* sessions)
      : principals_(principals), sessions_(sessions) {}

  absl::StatusOr<v1::Principal> Authenticate(
      const grpc::ServerContextBase& context) const override;

  // The file's principal with this id, else the enabled account's.
  std::optional<v1::Principal> FindPrincipal(absl::string_view principal_id) const override;

  // For a session token, SessionManager::StillOpen on its hash; nullptr for
  // a principals-file token.
  std::function<absl::Status()> StillValid(const grpc::ServerContextBase& context) const override;

  // As Authenticate, with the session.
  absl::StatusOr<Caller> AuthenticateCaller(const grpc::ServerContextBase& context) const;

  // True when `principal_id` is a principal of the principals file (an
  // account may not take its name).
  bool IsFilePrincipal(absl::string_view principal_id) const {
    return principals_.HasPrincipal(principal_id);
  }

 private:
  const PrincipalRegistry& principals_;
  SessionManager* const sessions_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_TOKEN_AUTHENTICATOR_H_

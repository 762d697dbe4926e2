// Principals-file tokens, then session tokens; see token_authenticator.h.
#include "server/token_authenticator.h"

#include <string>

#include "base/sha256.h"
#include "base/status_macros.h"

namespace rectify::server {

absl::StatusOr<Caller> TokenAuthenticator::AuthenticateCaller(
    const grpc::ServerContextBase& context) const {
  ASSIGN_OR_RETURN(absl::string_view token, BearerToken(context));
  Caller caller;
  absl::StatusOr<v1::Principal> from_file = principals_.FindByToken(token);
  if (from_file.ok() || sessions_ == nullptr || token.empty()) {
    if (!from_file.ok()) return from_file.status();
    caller.principal = *std::move(from_file);
    return caller;
  }
  absl::StatusOr<SessionCaller> session = sessions_->Authenticate(HexEncode(Sha256(token)));
  if (absl::IsNotFound(session.status())) return from_file.status();
  if (!session.ok()) return session.status();
  caller.principal = session->principal;
  caller.session = *std::move(session);
  return caller;
}

absl::StatusOr<v1::Principal> TokenAuthenticator::Authenticate(
    const grpc::ServerContextBase& context) const {
  ASSIGN_OR_RETURN(Caller caller, AuthenticateCaller(context));
  return std::move(caller.principal);
}

std::function<absl::Status()> TokenAuthenticator::StillValid(
    const grpc::ServerContextBase& context) const {
  absl::StatusOr<absl::string_view> token = BearerToken(context);
  if (!token.ok() || token->empty() || sessions_ == nullptr) return nullptr;
  if (principals_.FindByToken(*token).ok()) return nullptr;
  SessionManager* const sessions = sessions_;
  return [sessions, token_hash = HexEncode(Sha256(*token))] {
    return sessions->StillOpen(token_hash);
  };
}

std::optional<v1::Principal> TokenAuthenticator::FindPrincipal(
    absl::string_view principal_id) const {
  if (std::optional<v1::Principal> file = principals_.FindPrincipal(principal_id)) return file;
  if (sessions_ == nullptr) return std::nullopt;
  return sessions_->AccountPrincipal(principal_id);
}

}  // namespace rectify::server

// AuthService handlers; see auth_service.h.
#include "server/auth_service.h"

#include <chrono>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/user_message.h"
#include "server/grpc_status.h"
#include "server/log.h"
#include "workflow/validation.h"

namespace rectify::server {
namespace {

grpc::ServerUnaryReactor* Finish(grpc::CallbackServerContext* context, const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

// The caller, which must have called with a session token.
absl::StatusOr<Caller> SessionCallerOf(const TokenAuthenticator& authenticator,
                                       const grpc::CallbackServerContext& context,
                                       absl::string_view method) {
  ASSIGN_OR_RETURN(Caller caller, authenticator.AuthenticateCaller(context));
  if (!caller.session.has_value()) {
    return Refuse(absl::StatusCode::kFailedPrecondition,
                  absl::StrCat(method, " is for a login session; ", caller.principal.principal_id(),
                               " called with a service token of the principals file"),
                  "此操作只适用于账号登录，服务令牌不能使用");
  }
  return caller;
}

}  // namespace

grpc::ServerUnaryReactor* AuthServiceImpl::Login(grpc::CallbackServerContext* context,
                                                 const v1::LoginRequest* request,
                                                 v1::LoginResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const bool queued = password_work_.Submit([this, reactor, request, response] {
    absl::StatusOr<LoginResult> login =
        sessions_.Login(request->account_name(), request->password(), request->device_label());
    if (login.ok()) {
      response->set_session_token(login->token);
      response->set_session_id(login->session.session_id());
      *response->mutable_principal() = login->principal;
      *response->mutable_expires_at() = login->session.expires_at();
      response->mutable_idle_timeout()->set_seconds(
          absl::ToInt64Seconds(sessions_.idle_timeout()));
    }
    reactor->Finish(ToGrpcStatus(login.status()));
  });
  if (!queued) {
    reactor->Finish(ToGrpcStatus(Refuse(
        absl::StatusCode::kResourceExhausted,
        "too many logins are waiting to be checked; retry in a few seconds",
        "同时登录的人数过多，请几秒后再试")));
  }
  return reactor;
}

grpc::ServerUnaryReactor* AuthServiceImpl::Logout(grpc::CallbackServerContext* context,
                                                  const v1::LogoutRequest*, v1::LogoutResponse*) {
  absl::StatusOr<Caller> caller = SessionCallerOf(authenticator_, *context, "Logout");
  if (!caller.ok()) return Finish(context, caller.status());
  return Finish(context, sessions_.End(*caller->session));
}

grpc::ServerUnaryReactor* AuthServiceImpl::WhoAmI(grpc::CallbackServerContext* context,
                                                  const v1::WhoAmIRequest*,
                                                  v1::WhoAmIResponse* response) {
  absl::StatusOr<Caller> caller = authenticator_.AuthenticateCaller(*context);
  if (!caller.ok()) return Finish(context, caller.status());
  *response->mutable_principal() = caller->principal;
  if (caller->session.has_value()) {
    *response->mutable_session() = sessions_.ToSession(caller->session->session);
    response->mutable_session()->set_current(true);
  }
  return Finish(context, absl::OkStatus());
}

grpc::ServerUnaryReactor* AuthServiceImpl::ListMySessions(grpc::CallbackServerContext* context,
                                                          const v1::ListMySessionsRequest*,
                                                          v1::ListMySessionsResponse* response) {
  absl::StatusOr<Caller> caller = SessionCallerOf(authenticator_, *context, "ListMySessions");
  if (!caller.ok()) return Finish(context, caller.status());
  absl::StatusOr<std::vector<v1::Session>> sessions =
      sessions_.List(caller->session->session.account_name(), caller->session->token_hash);
  if (sessions.ok()) {
    for (v1::Session& session : *sessions) *response->add_sessions() = std::move(session);
  }
  return Finish(context, sessions.status());
}

grpc::ServerUnaryReactor* AuthServiceImpl::RevokeSession(grpc::CallbackServerContext* context,
                                                         const v1::RevokeSessionRequest* request,
                                                         v1::RevokeSessionResponse*) {
  absl::StatusOr<Caller> caller = SessionCallerOf(authenticator_, *context, "RevokeSession");
  if (!caller.ok()) return Finish(context, caller.status());
  if (request->session_id().empty()) {
    return Finish(context, workflow::InvalidField("session_id", "is required", "必填"));
  }
  if (request->session_id().size() > 64) {
    return Finish(context, workflow::InvalidField("session_id", "is longer than 64 bytes",
                                                  "过长（最多 64 字节）"));
  }
  return Finish(context,
                sessions_.Revoke(caller->session->session.account_name(), request->session_id()));
}

}  // namespace rectify::server

// AuthService (proto/rectify/v1/auth_service.proto): Login, Logout, WhoAmI,
// ListMySessions, RevokeSession. Thin handlers over SessionManager; the
// password check of Login runs on the password WorkQueue, never on a gRPC
// callback thread.
//
//   AuthServiceImpl auth(authenticator, sessions, password_work);
//   builder.RegisterService(&auth);
#ifndef RECTIFY_SERVER_AUTH_SERVICE_H_
#define RECTIFY_SERVER_AUTH_SERVICE_H_

#include "rectify/v1/auth_service.grpc.pb.h"
#include "server/sessions.h"
#include "server/token_authenticator.h"
#include "server/work_queue.h"

namespace rectify::server {

class AuthServiceImpl final : public v1::AuthService::CallbackService {
 public:
  // All must outlive the service.
  AuthServiceImpl(const TokenAuthenticator& authenticator, SessionManager& sessions,
                  WorkQueue& password_work)
      : authenticator_(authenticator), sessions_(sessions), password_work_(password_work) {}

  grpc::ServerUnaryReactor* Login(grpc::CallbackServerContext* context,
                                  const v1::LoginRequest* request,
                                  v1::LoginResponse* response) override;
  grpc::ServerUnaryReactor* Logout(grpc::CallbackServerContext* context,
                                   const v1::LogoutRequest* request,
                                   v1::LogoutResponse* response) override;
  grpc::ServerUnaryReactor* WhoAmI(grpc::CallbackServerContext* context,
                                   const v1::WhoAmIRequest* request,
                                   v1::WhoAmIResponse* response) override;
  grpc::ServerUnaryReactor* ListMySessions(grpc::CallbackServerContext* context,
                                           const v1::ListMySessionsRequest* request,
                                           v1::ListMySessionsResponse* response) override;
  grpc::ServerUnaryReactor* RevokeSession(grpc::CallbackServerContext* context,
                                          const v1::RevokeSessionRequest* request,
                                          v1::RevokeSessionResponse* response) override;

 private:
  const TokenAuthenticator& authenticator_;
  SessionManager& sessions_;
  WorkQueue& password_work_;
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_AUTH_SERVICE_H_

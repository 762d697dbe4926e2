// The in-process server of the account and session tests: a real RocksDB
// store in a temporary directory, the command pipeline, real Argon2id
// (at a low cost, so that a test of many logins stays quick), the session
// manager, and CaseService, AdminService and AuthService on a gRPC server at
// 127.0.0.1 port 0 behind the one TokenAuthenticator, as rectify_server
// wires them, with the event feed for WatchEvents. Time is the test's SimulatedClock.
//
//   AccountsServer server;
//   ASSERT_OK(server.Start(principals_text, policy, clock, dir.Sub("db")));
//   grpc::ClientContext context;
//   AccountsServer::Authorize(context, token);
//   server.auth().WhoAmI(&context, request, &response);
#ifndef RECTIFY_TESTS_SERVER_ACCOUNTS_SERVER_H_
#define RECTIFY_TESTS_SERVER_ACCOUNTS_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "base/simulated_clock.h"
#include "grpcpp/grpcpp.h"
#include "rectify/v1/admin_service.grpc.pb.h"
#include "rectify/v1/auth_service.grpc.pb.h"
#include "rectify/v1/case_service.grpc.pb.h"
#include "server/admin_service.h"
#include "server/auth_service.h"
#include "server/case_service.h"
#include "server/event_feed.h"
#include "server/passwords.h"
#include "server/pipeline.h"
#include "server/principals.h"
#include "server/sessions.h"
#include "server/token_authenticator.h"
#include "server/work_queue.h"
#include "storage/rocks_event_store.h"
#include "tests/server/loopback.h"
#include "workflow/policy.h"

namespace rectify::testing {

// Argon2id at its lowest cost: the same code path, milliseconds per hash.
inline server::PasswordHasherOptions CheapHashing() {
  server::PasswordHasherOptions options;
  options.opslimit = 1;
  options.memlimit = size_t{8} << 20;
  return options;
}

class AccountsServer {
 public:
  ~AccountsServer() { Stop(); }

  // Opens the store in `data_dir` and starts everything. `policy` and
  // `clock` must outlive the server.
  absl::Status Start(const std::string& principals_text, const workflow::Policy& policy,
                     SimulatedClock& clock, const std::string& data_dir,
                     server::PasswordHasherOptions hashing = CheapHashing()) {
    absl::Status opened =
        OpenRegistryAndStore(principals_text, clock, data_dir, principals_, store_);
    if (!opened.ok()) return opened;
    feed_ = std::make_unique<server::EventFeed>(*store_);
    feed_->Start();
    pipeline_ = std::make_unique<server::CommandPipeline>(*store_, policy, clock);
    pipeline_->SetCommitListener([this](uint64_t position) { feed_->Publish(position); });
    pipeline_->Start();
    hasher_ = std::make_unique<server::PasswordHasher>(hashing);
    sessions_ = std::make_unique<server::SessionManager>(*store_, policy, clock, *hasher_);
    password_work_ = std::make_unique<server::WorkQueue>(hashing.max_concurrent, hashing.max_waiting);
    authenticator_ = std::make_unique<server::TokenAuthenticator>(*principals_, sessions_.get());
    cases_ = std::make_unique<server::CaseServiceImpl>(*authenticator_, *pipeline_, *store_,
                                                       feed_.get());
    server::AccountBackend backend;
    backend.pipeline = pipeline_.get();
    backend.sessions = sessions_.get();
    backend.hasher = hasher_.get();
    backend.password_work = password_work_.get();
    backend.file_principals = principals_.get();
    admin_ = std::make_unique<server::AdminServiceImpl>(*authenticator_, *store_, backend);
    auth_ = std::make_unique<server::AuthServiceImpl>(*authenticator_, *sessions_, *password_work_);
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
        ServeOnLoopback({cases_.get(), admin_.get(), auth_.get()}, server_);
    if (!channel.ok()) return channel.status();
    case_stub_ = v1::CaseService::NewStub(*channel);
    admin_stub_ = v1::AdminService::NewStub(*channel);
    auth_stub_ = v1::AuthService::NewStub(*channel);
    return absl::OkStatus();
  }

  // Shuts the gRPC server down, drains the password queue and stops the
  // pipeline; safe to call twice.
  void Stop() {
    if (server_ != nullptr) feed_->Shutdown();
    ShutdownServer(server_);
    password_work_.reset();
    if (pipeline_ != nullptr) pipeline_->Stop();
    if (feed_ != nullptr) feed_->Stop();
  }

  // Adds `authorization: Bearer <token>`.
  static void Authorize(grpc::ClientContext& context, const std::string& token) {
    context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  }

  storage::RocksEventStore& store() { return *store_; }
  server::CommandPipeline& pipeline() { return *pipeline_; }
  server::SessionManager& sessions() { return *sessions_; }
  const server::PasswordHasher& hasher() { return *hasher_; }
  v1::CaseService::Stub& cases() { return *case_stub_; }
  v1::AdminService::Stub& admin() { return *admin_stub_; }
  v1::AuthService::Stub& auth() { return *auth_stub_; }

 private:
  std::unique_ptr<server::PrincipalRegistry> principals_;
  std::unique_ptr<storage::RocksEventStore> store_;
  std::unique_ptr<server::EventFeed> feed_;
  std::unique_ptr<server::CommandPipeline> pipeline_;
  std::unique_ptr<server::PasswordHasher> hasher_;
  std::unique_ptr<server::SessionManager> sessions_;
  std::unique_ptr<server::WorkQueue> password_work_;
  std::unique_ptr<server::TokenAuthenticator> authenticator_;
  std::unique_ptr<server::CaseServiceImpl> cases_;
  std::unique_ptr<server::AdminServiceImpl> admin_;
  std::unique_ptr<server::AuthServiceImpl> auth_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::CaseService::Stub> case_stub_;
  std::unique_ptr<v1::AdminService::Stub> admin_stub_;
  std::unique_ptr<v1::AuthService::Stub> auth_stub_;
};

}  // namespace rectify::testing

#endif  // RECTIFY_TESTS_SERVER_ACCOUNTS_SERVER_H_

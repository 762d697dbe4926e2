// What every in-process server of the server tests does the same way
// (supervision_server.h, accounts_server.h, the penalty tests): parse the
// principals, open a real RocksDB store on the test's clock, serve the
// services on 127.0.0.1 port 0 and shut the gRPC server down.
//
//   RETURN_IF_ERROR(OpenRegistryAndStore(principals_text, clock, data_dir, principals_, store_));
//   absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
//       ServeOnLoopback({cases_.get(), units_.get()}, server_);
//   ...
//   ShutdownServer(server_);
#ifndef RECTIFY_TESTS_SERVER_LOOPBACK_H_
#define RECTIFY_TESTS_SERVER_LOOPBACK_H_

#include <chrono>
#include <initializer_list>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "base/clock.h"
#include "grpcpp/grpcpp.h"
#include "server/principals.h"
#include "storage/rocks_event_store.h"

namespace rectify::testing {

// Parses `principals_text` into `principals` and opens the store in
// `data_dir` into `store`, its idempotency records on `clock` and without
// fsync (a test's store).
inline absl::Status OpenRegistryAndStore(const std::string& principals_text, Clock& clock,
                                         const std::string& data_dir,
                                         std::unique_ptr<server::PrincipalRegistry>& principals,
                                         std::unique_ptr<storage::RocksEventStore>& store) {
  absl::StatusOr<server::PrincipalRegistry> registry =
      server::PrincipalRegistry::Parse(principals_text);
  if (!registry.ok()) return registry.status();
  principals = std::make_unique<server::PrincipalRegistry>(*std::move(registry));
  storage::StoreOptions options;
  options.clock = &clock;
  options.sync = false;
  absl::StatusOr<std::unique_ptr<storage::RocksEventStore>> opened =
      storage::RocksEventStore::Open(data_dir, options);
  if (!opened.ok()) return opened.status();
  store = *std::move(opened);
  return absl::OkStatus();
}

// Starts `server` serving `services` on 127.0.0.1 port 0; answers a
// channel to it.
inline absl::StatusOr<std::shared_ptr<grpc::Channel>> ServeOnLoopback(
    std::initializer_list<grpc::Service*> services, std::unique_ptr<grpc::Server>& server) {
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  for (grpc::Service* service : services) builder.RegisterService(service);
  server = builder.BuildAndStart();
  if (server == nullptr) return absl::InternalError("the gRPC server did not start");
  return grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
}

// Shuts `server` down (five seconds' grace for the calls in flight) and
// releases it; nothing when it is not running.
inline void ShutdownServer(std::unique_ptr<grpc::Server>& server) {
  if (server == nullptr) return;
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  server->Wait();
  server.reset();
}

}  // namespace rectify::testing

#endif  // RECTIFY_TESTS_SERVER_LOOPBACK_H_

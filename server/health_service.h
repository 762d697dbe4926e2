// The gRPC health service (grpc.health.v1.Health) of rectify_server,
// compiled from proto/grpc/health/v1 so that reflection describes it and
// independent clients (buf curl, grpc_health_probe, grpcio) can check it.
// The server is SERVING from start until shutdown begins; Watch streams the
// status and ends, with NOT_SERVING, when the server shuts down.
#ifndef RECTIFY_SERVER_HEALTH_SERVICE_H_
#define RECTIFY_SERVER_HEALTH_SERVICE_H_

#include <set>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace rectify::server {

class HealthService final : public grpc::health::v1::Health::CallbackService {
 public:
  // `services` are the fully qualified names that Check knows besides "".
  explicit HealthService(std::set<std::string> services) : services_(std::move(services)) {}

  grpc::ServerUnaryReactor* Check(grpc::CallbackServerContext* context,
                                  const grpc::health::v1::HealthCheckRequest* request,
                                  grpc::health::v1::HealthCheckResponse* response) override;

  grpc::ServerWriteReactor<grpc::health::v1::HealthCheckResponse>* Watch(
      grpc::CallbackServerContext* context,
      const grpc::health::v1::HealthCheckRequest* request) override;

  // Reports NOT_SERVING from now on and ends every Watch stream, so that
  // server shutdown does not wait for them. Thread-safe.
  void Shutdown();

 private:
  class Watcher;

  // The status of `service` now.
  grpc::health::v1::HealthCheckResponse::ServingStatus StatusOf(const std::string& service)
      ABSL_LOCKS_EXCLUDED(mutex_);

  const std::set<std::string> services_;
  // Never held while calling into gRPC: gRPC may run a reactor's callbacks
  // (OnDone among them) inline in the calling thread.
  absl::Mutex mutex_;
  bool serving_ ABSL_GUARDED_BY(mutex_) = true;
  // Open Watch streams. Shutdown pins them while it ends them, so that a
  // stream finishing at the same moment is deleted only when unpinned.
  std::set<Watcher*> watchers_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_HEALTH_SERVICE_H_

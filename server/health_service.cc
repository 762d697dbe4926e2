// The gRPC health service; see health_service.h.
#include "server/health_service.h"

#include <atomic>
#include <utility>
#include <vector>

namespace rectify::server {

using grpc::health::v1::HealthCheckRequest;
using grpc::health::v1::HealthCheckResponse;

// One Watch stream: it writes the status at start; when the service shuts
// down (or the client goes away) it finishes, with a last NOT_SERVING on
// shutdown. It is deleted after OnDone, unless Shutdown has it pinned.
class HealthService::Watcher final : public grpc::ServerWriteReactor<HealthCheckResponse> {
 public:
  Watcher(HealthService& service, HealthCheckResponse::ServingStatus status)
      : service_(service) {
    first_.set_status(status);
  }

  void Begin() { StartWrite(&first_); }

  // Ends the stream with NOT_SERVING (once the first write is done).
  void EndForShutdown() {
    shutting_down_.store(true);
    if (first_write_done_.load()) FinishOnce(/*not_serving=*/true);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      FinishOnce(/*not_serving=*/false);
      return;
    }
    first_write_done_.store(true);
    if (shutting_down_.load()) FinishOnce(/*not_serving=*/true);
  }

  void OnCancel() override { FinishOnce(/*not_serving=*/false); }

  void OnDone() override {
    bool delete_now = false;
    {
      absl::MutexLock lock(&service_.mutex_);
      service_.watchers_.erase(this);
      done_ = true;
      delete_now = pins_ == 0;
    }
    if (delete_now) delete this;
  }

  // Pinning keeps the watcher alive across a call made without the lock.
  void Pin() ABSL_EXCLUSIVE_LOCKS_REQUIRED(service_.mutex_) { ++pins_; }
  // True when the caller must delete it (OnDone ran while it was pinned).
  bool Unpin() ABSL_EXCLUSIVE_LOCKS_REQUIRED(service_.mutex_) {
    return --pins_ == 0 && done_;
  }

 private:
  void FinishOnce(bool not_serving) {
    if (finish_called_.exchange(true)) return;
    if (not_serving) {
      last_.set_status(HealthCheckResponse::NOT_SERVING);
      StartWriteAndFinish(&last_, grpc::WriteOptions(), grpc::Status::OK);
    } else {
      Finish(grpc::Status::OK);
    }
  }

  HealthService& service_;
  HealthCheckResponse first_;
  HealthCheckResponse last_;
  std::atomic<bool> first_write_done_{false};
  std::atomic<bool> shutting_down_{false};
  std::atomic<bool> finish_called_{false};
  int pins_ ABSL_GUARDED_BY(service_.mutex_) = 0;
  bool done_ ABSL_GUARDED_BY(service_.mutex_) = false;
};

HealthCheckResponse::ServingStatus HealthService::StatusOf(const std::string& service) {
  absl::MutexLock lock(&mutex_);
  if (!service.empty() && services_.count(service) == 0) {
    return HealthCheckResponse::SERVICE_UNKNOWN;
  }
  return serving_ ? HealthCheckResponse::SERVING : HealthCheckResponse::NOT_SERVING;
}

grpc::ServerUnaryReactor* HealthService::Check(grpc::CallbackServerContext* context,
                                               const HealthCheckRequest* request,
                                               HealthCheckResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const HealthCheckResponse::ServingStatus status = StatusOf(request->service());
  if (status == HealthCheckResponse::SERVICE_UNKNOWN) {
    // The protocol answers an unknown service with NOT_FOUND.
    reactor->Finish(grpc::Status(grpc::StatusCode::NOT_FOUND,
                                 "unknown service \"" + request->service() + "\""));
    return reactor;
  }
  response->set_status(status);
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerWriteReactor<HealthCheckResponse>* HealthService::Watch(
    grpc::CallbackServerContext* /*context*/, const HealthCheckRequest* request) {
  auto* watcher = new Watcher(*this, StatusOf(request->service()));
  bool serving;
  {
    absl::MutexLock lock(&mutex_);
    serving = serving_;
    watchers_.insert(watcher);
  }
  watcher->Begin();
  if (!serving) watcher->EndForShutdown();
  return watcher;
}

void HealthService::Shutdown() {
  std::vector<Watcher*> pinned;
  {
    absl::MutexLock lock(&mutex_);
    serving_ = false;
    for (Watcher* watcher : watchers_) {
      watcher->Pin();
      pinned.push_back(watcher);
    }
  }
  for (Watcher* watcher : pinned) watcher->EndForShutdown();
  for (Watcher* watcher : pinned) {
    bool delete_now;
    {
      absl::MutexLock lock(&mutex_);
      delete_now = watcher->Unpin();
    }
    if (delete_now) delete watcher;
  }
}

}  // namespace rectify::server

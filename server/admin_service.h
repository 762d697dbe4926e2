// AdminService: operations on a running server for the ADMIN role (online
// backup and the consistency check), so that operators need not stop the
// server to use rectify_admin. Every call is refused with PERMISSION_DENIED
// for any other role. Both operations can take minutes on a large store, so
// each runs on a thread of its own, never on a gRPC callback thread.
//
//   AdminServiceImpl admin_service(principals, store);
//   builder.RegisterService(&admin_service);
#ifndef RECTIFY_SERVER_ADMIN_SERVICE_H_
#define RECTIFY_SERVER_ADMIN_SERVICE_H_

#include <atomic>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "rectify/v1/admin_service.grpc.pb.h"
#include "server/principals.h"
#include "storage/rocks_event_store.h"

namespace rectify::server {

class AdminServiceImpl final : public v1::AdminService::CallbackService {
 public:
  // Both must outlive the service; the store must stay open until the gRPC
  // server has shut down (its Wait() returned), since calls read it.
  AdminServiceImpl(const PrincipalRegistry& principals, storage::RocksEventStore& store)
      : principals_(principals), store_(store) {}
  // Joins the worker threads (their calls have finished by then).
  ~AdminServiceImpl() override;

  // CreateBackup: RocksEventStore::CreateBackup into request.backup_dir.
  // INVALID_ARGUMENT "backup_dir ..." when it is empty or relative.
  grpc::ServerUnaryReactor* CreateBackup(grpc::CallbackServerContext* context,
                                         const v1::CreateBackupRequest* request,
                                         v1::CreateBackupResponse* response) override;

  // VerifyStore: projection::VerifyStore in one snapshot while commits go on.
  // INVALID_ARGUMENT "max_problems ..." when it is negative.
  grpc::ServerUnaryReactor* VerifyStore(grpc::CallbackServerContext* context,
                                        const v1::VerifyStoreRequest* request,
                                        v1::VerifyStoreResponse* response) override;

 private:
  // Runs `work` on a new thread, which finishes `reactor` with its status.
  void RunInBackground(grpc::ServerUnaryReactor* reactor, std::function<absl::Status()> work);

  const PrincipalRegistry& principals_;
  storage::RocksEventStore& store_;
  absl::Mutex mutex_;
  struct Worker {
    std::thread thread;
    // Set by the thread as its last act, so the next call can join it.
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::vector<Worker> workers_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_ADMIN_SERVICE_H_

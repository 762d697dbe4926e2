// AdminService: operations on a running server for the ADMIN role (online
// backup and the consistency check, so that operators need not stop the
// server to use rectify_admin; and the accounts of people who log in, with
// their sessions: admin_accounts.cc). Every call is refused with PERMISSION_DENIED
// for any other role. Both operations can take minutes on a large store, so
// each runs on a thread of its own, never on a gRPC callback thread.
//
//
// It takes the concrete RocksEventStore, not the EventStore interface (a
// departure docs/architecture.md lists): online backup is RocksDB's
// BackupEngine (RocksEventStore::CreateBackup) and the consistency check is
// projection::VerifyStore over a raw snapshot (see verifier.h). The account
// RPCs read through the EventStore interface only (GetProjection, ScanIndex,
// ReadStream).
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
#include "projection/verifier.h"
#include "server/passwords.h"
#include "server/pipeline.h"
#include "server/principals.h"
#include "server/sessions.h"
#include "server/work_queue.h"
#include "storage/rocks_event_store.h"

namespace rectify::server {

// What the account RPCs need; with any of it null they answer
// FAILED_PRECONDITION. None owned; all must outlive the service.
struct AccountBackend {
  CommandPipeline* pipeline = nullptr;
  SessionManager* sessions = nullptr;
  const PasswordHasher* hasher = nullptr;
  // Where password hashing runs (not on gRPC's threads).
  WorkQueue* password_work = nullptr;
  // The principals file: an account may not take one of its ids.
  const PrincipalRegistry* file_principals = nullptr;
};

class AdminServiceImpl final : public v1::AdminService::CallbackService {
 public:
  // All must outlive the service; the store must stay open until the gRPC
  // server has shut down (its Wait() returned), since calls read it.
  AdminServiceImpl(const Authenticator& principals, storage::RocksEventStore& store,
                   AccountBackend accounts = AccountBackend())
      : principals_(principals), store_(store), accounts_(accounts) {}
  // Joins the worker threads (their calls have finished by then).
  ~AdminServiceImpl() override;

  // CreateBackup: RocksEventStore::CreateBackup into request.backup_dir,
  // then deletes all but the newest keep_latest backups (when not 0).
  // INVALID_ARGUMENT "backup_dir ..." when it is empty or relative,
  // "keep_latest ..." above 10,000.
  grpc::ServerUnaryReactor* CreateBackup(grpc::CallbackServerContext* context,
                                         const v1::CreateBackupRequest* request,
                                         v1::CreateBackupResponse* response) override;

  // VerifyStore: projection::VerifyStore in one snapshot while commits go on.
  // INVALID_ARGUMENT "max_problems ..." when it is negative.
  grpc::ServerUnaryReactor* VerifyStore(grpc::CallbackServerContext* context,
                                        const v1::VerifyStoreRequest* request,
                                        v1::VerifyStoreResponse* response) override;

  // The same two with progress: Progress messages (coalesced: the latest
  // while a write is in flight, never going back), then the result, then OK;
  // the same refusals, as the stream's status.
  grpc::ServerWriteReactor<v1::CreateBackupUpdate>* CreateBackupWithProgress(
      grpc::CallbackServerContext* context, const v1::CreateBackupRequest* request) override;
  grpc::ServerWriteReactor<v1::VerifyStoreUpdate>* VerifyStoreWithProgress(
      grpc::CallbackServerContext* context, const v1::VerifyStoreRequest* request) override;

  // The account RPCs (admin_accounts.cc); see admin_service.proto.
  grpc::ServerUnaryReactor* CreateAccount(grpc::CallbackServerContext* context,
                                          const v1::CreateAccountRequest* request,
                                          v1::AccountResponse* response) override;
  grpc::ServerUnaryReactor* UpdateAccount(grpc::CallbackServerContext* context,
                                          const v1::UpdateAccountRequest* request,
                                          v1::AccountResponse* response) override;
  grpc::ServerUnaryReactor* ResetPassword(grpc::CallbackServerContext* context,
                                          const v1::ResetPasswordRequest* request,
                                          v1::AccountResponse* response) override;
  grpc::ServerUnaryReactor* DisableAccount(grpc::CallbackServerContext* context,
                                           const v1::DisableAccountRequest* request,
                                           v1::AccountResponse* response) override;
  grpc::ServerUnaryReactor* EnableAccount(grpc::CallbackServerContext* context,
                                          const v1::EnableAccountRequest* request,
                                          v1::AccountResponse* response) override;
  grpc::ServerUnaryReactor* ListAccounts(grpc::CallbackServerContext* context,
                                         const v1::ListAccountsRequest* request,
                                         v1::ListAccountsResponse* response) override;
  grpc::ServerUnaryReactor* GetAccountHistory(grpc::CallbackServerContext* context,
                                              const v1::GetAccountHistoryRequest* request,
                                              v1::GetAccountHistoryResponse* response) override;
  grpc::ServerUnaryReactor* ListSessions(grpc::CallbackServerContext* context,
                                         const v1::ListSessionsRequest* request,
                                         v1::ListSessionsResponse* response) override;
  grpc::ServerUnaryReactor* RevokeSession(grpc::CallbackServerContext* context,
                                          const v1::RevokeAccountSessionRequest* request,
                                          v1::RevokeAccountSessionResponse* response) override;

 private:
  // An account command: authenticates the ADMIN, hashes `password` (when
  // not empty) on the password queue, submits `command` and answers the
  // account; ends the account's sessions when the change calls for it.
  grpc::ServerUnaryReactor* SubmitAccountCommand(grpc::CallbackServerContext* context,
                                                 absl::string_view method, v1::Command command,
                                                 std::string password,
                                                 absl::string_view password_field,
                                                 v1::AccountResponse* response);
  // The ADMIN caller and the account it names, which must lie in its
  // jurisdiction (PERMISSION_DENIED; NOT_FOUND when there is none).
  absl::StatusOr<v1::Account> AccountInScope(const v1::Principal& caller,
                                             absl::string_view account_name);
  bool accounts_enabled() const;

  // Runs `work` on a new thread, which finishes `reactor` with its status.
  void RunInBackground(grpc::ServerUnaryReactor* reactor, std::function<absl::Status()> work);
  // Runs `run` on a new thread, joined by the destructor (or reaped by a
  // later call once it has ended).
  void StartWorker(std::function<void()> run);
  // The work of the backup and verify RPCs, on a worker thread.
  absl::StatusOr<v1::CreateBackupResponse> Backup(const v1::CreateBackupRequest& request,
                                                  const storage::CopyProgress& progress);
  absl::StatusOr<v1::VerifyStoreResponse> Verify(projection::VerifyOptions options);

  const Authenticator& principals_;
  storage::RocksEventStore& store_;
  const AccountBackend accounts_;
  absl::Mutex mutex_;
  struct Worker {
    std::thread thread;
    // Set by the thread as its last act, so the next call can join it.
    std::shared_ptr<std::atomic<bool>> done;
  };
  std::vector<Worker> workers_ ABSL_GUARDED_BY(mutex_);
};

// The caller when it is an ADMIN; PERMISSION_DENIED (logged) otherwise.
absl::StatusOr<v1::Principal> AuthenticateAdmin(const Authenticator& principals,
                                                const grpc::CallbackServerContext& context,
                                                absl::string_view method);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_ADMIN_SERVICE_H_

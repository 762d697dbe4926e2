// AdminService handlers; see admin_service.h.
#include "server/admin_service.h"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/proto_time.h"
#include "base/status_macros.h"
#include "base/user_message.h"
#include "projection/verifier.h"
#include "server/grpc_status.h"
#include "server/log.h"
#include "server/rpc_interceptor.h"
#include "workflow/validation.h"

namespace rectify::server {
namespace {

// Problems a caller may ask words for at most, so a reply stays small.
constexpr int kMaxProblems = 10000;

}  // namespace

absl::StatusOr<v1::Principal> AuthenticateAdmin(const Authenticator& principals,
                                                const grpc::CallbackServerContext& context,
                                                absl::string_view method) {
  ASSIGN_OR_RETURN(v1::Principal principal, principals.Authenticate(context));
  if (principal.role() != v1::ROLE_ADMIN) {
    Log(LogLevel::kWarning, {{"method", std::string(method)},
                             {"principal", principal.principal_id()},
                             {"code", "PERMISSION_DENIED"},
                             {"request_id", RequestIdOf(context)}});
    return Refuse(absl::StatusCode::kPermissionDenied,
                  absl::StrCat(method, " is for ADMINs only; ", principal.principal_id(),
                               " is not one"),
                  "只有系统管理员才能进行此操作");
  }
  return principal;
}

namespace {

void LogAdminCall(absl::string_view method, const v1::Principal& principal,
                  const absl::Status& status, std::chrono::steady_clock::time_point started) {
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();
  Log(status.ok() ? LogLevel::kInfo : LogLevel::kError,
      {{"method", std::string(method)},
       {"principal", principal.principal_id()},
       {"code", absl::StatusCodeToString(status.code())},
       {"status", status.ok() ? std::string() : status.ToString()},
       {"latency_us", std::to_string(micros)}});
}

}  // namespace

AdminServiceImpl::~AdminServiceImpl() {
  std::vector<Worker> workers;
  {
    absl::MutexLock lock(&mutex_);
    workers.swap(workers_);
  }
  for (Worker& worker : workers) worker.thread.join();
}

void AdminServiceImpl::RunInBackground(grpc::ServerUnaryReactor* reactor,
                                       std::function<absl::Status()> work) {
  StartWorker([reactor, work = std::move(work)] {
    const absl::Status status = work();
    reactor->Finish(ToGrpcStatus(status));
  });
}

void AdminServiceImpl::StartWorker(std::function<void()> run) {
  auto done = std::make_shared<std::atomic<bool>>(false);
  std::thread thread([run = std::move(run), done] {
    run();
    done->store(true);
  });
  std::vector<Worker> finished;
  {
    absl::MutexLock lock(&mutex_);
    // Reap the threads of earlier calls that have ended.
    auto still_running = std::partition(workers_.begin(), workers_.end(),
                                        [](const Worker& w) { return !w.done->load(); });
    std::move(still_running, workers_.end(), std::back_inserter(finished));
    workers_.erase(still_running, workers_.end());
    workers_.push_back(Worker{std::move(thread), std::move(done)});
  }
  for (Worker& worker : finished) worker.thread.join();
}

namespace {

// A server-streaming reply of a long operation (CreateBackupWithProgress,
// VerifyStoreWithProgress): Progress messages while the worker runs, then the
// result, then the status. Progress that arrives while a message is being
// written replaces the one waiting (the client sees the latest, never a
// figure going back); the result is always written. The worker calls Offer
// any number of times and Complete once, last; the reactor finishes only
// after Complete, so the worker never touches it after OnDone.
template <typename Update>
class ProgressWriter final : public grpc::ServerWriteReactor<Update> {
 public:
  explicit ProgressWriter(std::string unit) : unit_(std::move(unit)) {}

  // The latest progress (from the worker thread). Ignored when below the
  // last one.
  void Offer(int64_t done, int64_t total) {
    {
      absl::MutexLock lock(&mutex_);
      if (completed_ || done < last_done_) return;
      last_done_ = done;
      v1::Progress* progress = pending_.mutable_progress();
      progress->set_unit(unit_);
      progress->set_done(done);
      progress->set_total(total);
      has_pending_ = true;
    }
    Next();
  }

  // The end of the work: `result` is written when `status` is OK.
  void Complete(const absl::Status& status, Update result) {
    {
      absl::MutexLock lock(&mutex_);
      completed_ = true;
      status_ = status;
      if (status.ok()) {
        result_ = std::move(result);
        has_result_ = true;
      }
    }
    Next();
  }

  void OnWriteDone(bool ok) override {
    {
      absl::MutexLock lock(&mutex_);
      writing_ = false;
      if (!ok) broken_ = true;
    }
    Next();
  }
  void OnDone() override { delete this; }

 private:
  // Starts the next write, or finishes; gRPC is called outside the lock (a
  // reaction may run inline).
  void Next() {
    enum { kNothing, kWrite, kFinish } action = kNothing;
    grpc::Status final_status;
    {
      absl::MutexLock lock(&mutex_);
      if (writing_ || finished_) return;
      if (!broken_ && has_pending_) {
        current_ = pending_;
        has_pending_ = false;
        writing_ = true;
        action = kWrite;
      } else if (completed_ && !broken_ && has_result_) {
        current_ = result_;
        has_result_ = false;
        writing_ = true;
        action = kWrite;
      } else if (completed_) {
        finished_ = true;
        final_status = broken_ ? grpc::Status(grpc::StatusCode::CANCELLED,
                                              "the client stopped reading")
                               : ToGrpcStatus(status_);
        action = kFinish;
      }
    }
    if (action == kWrite) this->StartWrite(&current_);
    if (action == kFinish) this->Finish(final_status);
  }

  const std::string unit_;
  absl::Mutex mutex_;
  int64_t last_done_ ABSL_GUARDED_BY(mutex_) = 0;
  Update pending_ ABSL_GUARDED_BY(mutex_);
  bool has_pending_ ABSL_GUARDED_BY(mutex_) = false;
  Update result_ ABSL_GUARDED_BY(mutex_);
  bool has_result_ ABSL_GUARDED_BY(mutex_) = false;
  absl::Status status_ ABSL_GUARDED_BY(mutex_);
  bool completed_ ABSL_GUARDED_BY(mutex_) = false;
  bool writing_ ABSL_GUARDED_BY(mutex_) = false;
  bool broken_ ABSL_GUARDED_BY(mutex_) = false;
  bool finished_ ABSL_GUARDED_BY(mutex_) = false;
  // The message being written; gRPC reads it until OnWriteDone. Touched
  // only by the one who set writing_.
  Update current_;
};

// Backups a caller may keep at most.
constexpr uint32_t kMaxKeepLatest = 10000;

absl::Status CheckBackupRequest(const v1::CreateBackupRequest& request) {
  if (request.backup_dir().empty()) {
    return workflow::InvalidField("backup_dir", "is required", "必填");
  }
  if (request.backup_dir()[0] != '/') {
    return workflow::InvalidField(
        "backup_dir",
        absl::StrCat("must be an absolute path on the server's machine, got \"",
                     absl::CHexEscape(request.backup_dir().substr(0, 200)), "\""),
        "须为服务器上的绝对路径（以 / 开头）");
  }
  if (request.keep_latest() > kMaxKeepLatest) {
    return workflow::InvalidField(
        "keep_latest", absl::StrCat("must be at most ", kMaxKeepLatest, ", got ", request.keep_latest()),
        absl::StrCat("不能超过 ", kMaxKeepLatest));
  }
  return absl::OkStatus();
}

absl::Status CheckVerifyRequest(const v1::VerifyStoreRequest& request) {
  if (request.max_problems() < 0) {
    return absl::InvalidArgumentError("max_problems must be 0 (meaning 100) or more");
  }
  return absl::OkStatus();
}

projection::VerifyOptions VerifyOptionsFor(const v1::VerifyStoreRequest& request) {
  projection::VerifyOptions options;
  if (request.max_problems() > 0) {
    options.max_problems = std::min(request.max_problems(), kMaxProblems);
  }
  return options;
}

}  // namespace

absl::StatusOr<v1::CreateBackupResponse> AdminServiceImpl::Backup(
    const v1::CreateBackupRequest& request, const storage::CopyProgress& progress) {
  storage::BackupOptions options;
  options.keep_latest = request.keep_latest();
  options.progress = progress;
  ASSIGN_OR_RETURN(storage::BackupResult backup, store_.CreateBackup(request.backup_dir(), options));
  v1::CreateBackupResponse response;
  response.set_backup_id(backup.backup_id);
  response.set_last_position(backup.last_position_at_least);
  *response.mutable_taken_at() = ToProto(backup.taken_at);
  response.set_bytes_written(backup.bytes_written);
  response.set_backups_deleted(backup.backups_deleted);
  Log(LogLevel::kInfo, {{"event", "backup"},
                        {"backup_dir", request.backup_dir()},
                        {"backup_id", std::to_string(backup.backup_id)},
                        {"bytes_written", std::to_string(backup.bytes_written)},
                        {"backups_deleted", std::to_string(backup.backups_deleted)}});
  return response;
}

absl::StatusOr<v1::VerifyStoreResponse> AdminServiceImpl::Verify(
    projection::VerifyOptions options) {
  ASSIGN_OR_RETURN(projection::VerifyReport report, projection::VerifyStore(store_, options));
  v1::VerifyStoreResponse response;
  response.set_streams(report.streams);
  response.set_events(report.events);
  for (const std::string& problem : report.problems) response.add_problems(problem);
  Log(report.ok() ? LogLevel::kInfo : LogLevel::kError,
      {{"event", "verify"},
       {"streams", std::to_string(report.streams)},
       {"events", std::to_string(report.events)},
       {"problems", std::to_string(report.problem_count)}});
  return response;
}

grpc::ServerUnaryReactor* AdminServiceImpl::CreateBackup(grpc::CallbackServerContext* context,
                                                         const v1::CreateBackupRequest* request,
                                                         v1::CreateBackupResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const auto started = std::chrono::steady_clock::now();
  absl::StatusOr<v1::Principal> principal =
      AuthenticateAdmin(principals_, *context, "CreateBackup");
  absl::Status shape = principal.status();
  if (shape.ok()) shape = CheckBackupRequest(*request);
  if (!shape.ok()) {
    reactor->Finish(ToGrpcStatus(shape));
    return reactor;
  }
  RunInBackground(reactor, [this, request, response, caller = *principal, started] {
    absl::StatusOr<v1::CreateBackupResponse> backup = Backup(*request, nullptr);
    if (backup.ok()) *response = std::move(*backup);
    LogAdminCall("CreateBackup", caller, backup.status(), started);
    return backup.status();
  });
  return reactor;
}

grpc::ServerWriteReactor<v1::CreateBackupUpdate>* AdminServiceImpl::CreateBackupWithProgress(
    grpc::CallbackServerContext* context, const v1::CreateBackupRequest* request) {
  auto* writer = new ProgressWriter<v1::CreateBackupUpdate>("bytes");
  const auto started = std::chrono::steady_clock::now();
  absl::StatusOr<v1::Principal> principal =
      AuthenticateAdmin(principals_, *context, "CreateBackupWithProgress");
  absl::Status shape = principal.status();
  if (shape.ok()) shape = CheckBackupRequest(*request);
  if (!shape.ok()) {
    writer->Complete(shape, v1::CreateBackupUpdate());
    return writer;
  }
  StartWorker([this, writer, request = *request, caller = *principal, started] {
    absl::StatusOr<v1::CreateBackupResponse> backup =
        Backup(request, [writer](int64_t done, int64_t total) { writer->Offer(done, total); });
    LogAdminCall("CreateBackupWithProgress", caller, backup.status(), started);
    v1::CreateBackupUpdate result;
    if (backup.ok()) *result.mutable_result() = std::move(*backup);
    writer->Complete(backup.status(), std::move(result));
  });
  return writer;
}

grpc::ServerUnaryReactor* AdminServiceImpl::VerifyStore(grpc::CallbackServerContext* context,
                                                        const v1::VerifyStoreRequest* request,
                                                        v1::VerifyStoreResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const auto started = std::chrono::steady_clock::now();
  absl::StatusOr<v1::Principal> principal = AuthenticateAdmin(principals_, *context, "VerifyStore");
  absl::Status shape = principal.status();
  if (shape.ok()) shape = CheckVerifyRequest(*request);
  if (!shape.ok()) {
    reactor->Finish(ToGrpcStatus(shape));
    return reactor;
  }
  RunInBackground(reactor, [this, options = VerifyOptionsFor(*request), response,
                            caller = *principal, started] {
    absl::StatusOr<v1::VerifyStoreResponse> report = Verify(options);
    if (report.ok()) *response = std::move(*report);
    LogAdminCall("VerifyStore", caller, report.status(), started);
    return report.status();
  });
  return reactor;
}

grpc::ServerWriteReactor<v1::VerifyStoreUpdate>* AdminServiceImpl::VerifyStoreWithProgress(
    grpc::CallbackServerContext* context, const v1::VerifyStoreRequest* request) {
  auto* writer = new ProgressWriter<v1::VerifyStoreUpdate>("events");
  const auto started = std::chrono::steady_clock::now();
  absl::StatusOr<v1::Principal> principal =
      AuthenticateAdmin(principals_, *context, "VerifyStoreWithProgress");
  absl::Status shape = principal.status();
  if (shape.ok()) shape = CheckVerifyRequest(*request);
  if (!shape.ok()) {
    writer->Complete(shape, v1::VerifyStoreUpdate());
    return writer;
  }
  projection::VerifyOptions options = VerifyOptionsFor(*request);
  options.progress = [writer](int64_t done, int64_t total) { writer->Offer(done, total); };
  StartWorker([this, writer, options, caller = *principal, started] {
    absl::StatusOr<v1::VerifyStoreResponse> report = Verify(options);
    LogAdminCall("VerifyStoreWithProgress", caller, report.status(), started);
    v1::VerifyStoreUpdate result;
    if (report.ok()) *result.mutable_result() = std::move(*report);
    writer->Complete(report.status(), std::move(result));
  });
  return writer;
}

}  // namespace rectify::server

// AdminService handlers; see admin_service.h.
#include "server/admin_service.h"

#include <algorithm>
#include <chrono>
#include <iterator>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/status_macros.h"
#include "base/user_message.h"
#include "projection/verifier.h"
#include "server/grpc_status.h"
#include "server/log.h"
#include "server/rpc_interceptor.h"

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
  auto done = std::make_shared<std::atomic<bool>>(false);
  std::thread thread([reactor, work = std::move(work), done] {
    const absl::Status status = work();
    reactor->Finish(ToGrpcStatus(status));
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

grpc::ServerUnaryReactor* AdminServiceImpl::CreateBackup(grpc::CallbackServerContext* context,
                                                         const v1::CreateBackupRequest* request,
                                                         v1::CreateBackupResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const auto started = std::chrono::steady_clock::now();
  absl::StatusOr<v1::Principal> principal =
      AuthenticateAdmin(principals_, *context, "CreateBackup");
  absl::Status shape = principal.status();
  if (shape.ok() && request->backup_dir().empty()) {
    shape = absl::InvalidArgumentError("backup_dir is required");
  } else if (shape.ok() && request->backup_dir()[0] != '/') {
    shape = absl::InvalidArgumentError(
        absl::StrCat("backup_dir must be an absolute path on the server's machine, got \"",
                     request->backup_dir(), "\""));
  }
  if (!shape.ok()) {
    reactor->Finish(ToGrpcStatus(shape));
    return reactor;
  }
  RunInBackground(reactor, [this, request, response, caller = *principal, started] {
    absl::StatusOr<storage::BackupResult> backup = store_.CreateBackup(request->backup_dir());
    if (backup.ok()) {
      response->set_backup_id(backup->backup_id);
      response->set_last_position(backup->last_position_at_least);
      const int64_t micros = absl::ToUnixMicros(backup->taken_at);
      response->mutable_taken_at()->set_seconds(micros / 1000000);
      response->mutable_taken_at()->set_nanos(static_cast<int32_t>(micros % 1000000) * 1000);
    }
    LogAdminCall("CreateBackup", caller, backup.status(), started);
    return backup.status();
  });
  return reactor;
}

grpc::ServerUnaryReactor* AdminServiceImpl::VerifyStore(grpc::CallbackServerContext* context,
                                                        const v1::VerifyStoreRequest* request,
                                                        v1::VerifyStoreResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const auto started = std::chrono::steady_clock::now();
  absl::StatusOr<v1::Principal> principal = AuthenticateAdmin(principals_, *context, "VerifyStore");
  absl::Status shape = principal.status();
  if (shape.ok() && request->max_problems() < 0) {
    shape = absl::InvalidArgumentError("max_problems must be 0 (meaning 100) or more");
  }
  if (!shape.ok()) {
    reactor->Finish(ToGrpcStatus(shape));
    return reactor;
  }
  projection::VerifyOptions options;
  if (request->max_problems() > 0)
    options.max_problems = std::min(request->max_problems(), kMaxProblems);
  RunInBackground(reactor, [this, options, response, caller = *principal, started] {
    absl::StatusOr<projection::VerifyReport> report = projection::VerifyStore(store_, options);
    if (report.ok()) {
      response->set_streams(report->streams);
      response->set_events(report->events);
      for (const std::string& problem : report->problems) response->add_problems(problem);
      Log(report->ok() ? LogLevel::kInfo : LogLevel::kError,
          {{"event", "verify"},
           {"streams", std::to_string(report->streams)},
           {"events", std::to_string(report->events)},
           {"problems", std::to_string(report->problem_count)}});
    }
    LogAdminCall("VerifyStore", caller, report.status(), started);
    return report.status();
  });
  return reactor;
}

}  // namespace rectify::server

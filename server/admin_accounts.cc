// AdminService's account and session RPCs; see admin_service.h and
// workflow/accounts.h (the rules), server/sessions.h (the sessions).
#include <algorithm>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/user_message.h"
#include "projection/projector.h"
#include "server/admin_service.h"
#include "server/grpc_status.h"
#include "server/log.h"
#include "server/page_token.h"
#include "server/paged_scan.h"
#include "server/rpc_interceptor.h"
#include "workflow/accounts.h"
#include "workflow/decider.h"
#include "workflow/validation.h"

namespace rectify::server {
namespace {

constexpr int kDefaultAccountPage = 50;
constexpr int kMaxAccountPage = 500;
constexpr int kDefaultHistoryPage = 100;
constexpr int kMaxHistoryPage = 1000;

grpc::ServerUnaryReactor* Finish(grpc::CallbackServerContext* context, const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status));
  return reactor;
}

// True when the committed change ends the account's sessions.
bool EndsSessions(const v1::Command& command) {
  if (command.has_disable_account() || command.has_reset_password()) return true;
  if (command.has_update_account()) {
    const v1::UpdateAccountRequest& r = command.update_account();
    return r.has_role() || r.has_unit_id() || r.has_jurisdiction();
  }
  return false;
}

absl::StatusOr<int> PageSize(int32_t asked, int default_size, int max_size) {
  if (asked < 0) return workflow::InvalidField("page_size", "must not be negative", "不能为负数");
  return asked == 0 ? default_size : std::min<int>(asked, max_size);
}

}  // namespace

bool AdminServiceImpl::accounts_enabled() const {
  return accounts_.pipeline != nullptr && accounts_.sessions != nullptr &&
         accounts_.hasher != nullptr && accounts_.password_work != nullptr;
}

absl::StatusOr<v1::Account> AdminServiceImpl::AccountInScope(const v1::Principal& caller,
                                                             absl::string_view account_name) {
  RETURN_IF_ERROR(workflow::CheckAccountName("account_name", account_name));
  absl::StatusOr<std::string> stored =
      store_.GetProjection(v1::STREAM_KIND_ACCOUNT, workflow::AccountStreamId(account_name));
  if (absl::IsNotFound(stored.status())) {
    return Refuse(absl::StatusCode::kNotFound,
                  absl::StrCat("account ", account_name, " does not exist"),
                  absl::StrCat("账号 ", account_name, " 不存在"));
  }
  RETURN_IF_ERROR(stored.status());
  v1::AccountRecord record;
  if (!record.ParseFromString(*stored)) {
    return absl::DataLossError(absl::StrCat("account ", account_name, ": the projection is corrupt"));
  }
  if (!workflow::InJurisdiction(record.account().principal().jurisdiction(),
                                caller.jurisdiction())) {
    return Refuse(absl::StatusCode::kPermissionDenied,
                  absl::StrCat("account ", account_name, " is in jurisdiction ",
                               record.account().principal().jurisdiction(), ", outside yours (",
                               caller.jurisdiction(), ")"),
                  absl::StrCat("账号 ", account_name, " 的辖区（",
                               record.account().principal().jurisdiction(), "）不在您的辖区（",
                               caller.jurisdiction(), "）内"));
  }
  return record.account();
}

grpc::ServerUnaryReactor* AdminServiceImpl::SubmitAccountCommand(
    grpc::CallbackServerContext* context, absl::string_view method, v1::Command command,
    std::string password, absl::string_view password_field, v1::AccountResponse* response) {
  const CallStart started = StartCall(*context);
  absl::StatusOr<v1::Principal> principal = AuthenticateAdmin(principals_, *context, method);
  if (!principal.ok()) return Finish(context, principal.status());
  if (!accounts_enabled()) {
    return Finish(context, absl::FailedPreconditionError("this server has no accounts"));
  }
  // The shape first, so that bad input costs no hash.
  absl::Status shape = workflow::CheckId("command_id", command.command_id(), true);
  if (shape.ok()) {
    shape = workflow::CheckAccountName("account_name", workflow::AccountNameOf(command));
  }
  if (shape.ok() && !password_field.empty()) {
    shape = workflow::CheckPassword(password_field, password);
  }
  if (shape.ok() && command.has_create_account() && accounts_.file_principals != nullptr &&
      accounts_.file_principals->HasPrincipal(command.create_account().account_name())) {
    shape = Refuse(absl::StatusCode::kAlreadyExists,
                   absl::StrCat("account_name: ", command.create_account().account_name(),
                                " is a principal of the principals file; choose another name"),
                   absl::StrCat("账号：“", command.create_account().account_name(),
                                "”已被服务令牌使用，请换一个名称"));
  }
  if (!shape.ok()) return Finish(context, shape);

  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const std::string name = workflow::AccountNameOf(command);
  auto submit = [this, reactor, response, method = std::string(method), name, started,
                 caller = *principal](v1::Command command, std::string hash) {
    const bool ends_sessions = EndsSessions(command);
    const bool command_is_reset = command.has_reset_password();
    accounts_.pipeline->Submit(
        std::move(command), caller,
        [this, reactor, response, method, name, started, caller, ends_sessions,
         command_is_reset](absl::StatusOr<CommandOutcome> outcome) {
          const absl::Status status = outcome.status();
          if (outcome.ok()) *response->mutable_account() = outcome->account;
          LogCommand(method, caller.principal_id(), "account", name, status, started);
          // This runs on the writer (or completion) thread, which must not wait for the
          // removal's fsync: the password queue does it. The sessions are
          // refused from the commit on anyway (the credentials epoch moved).
          if (status.ok() && ends_sessions &&
              accounts_.password_work->Submit([this, reactor, name, reset = command_is_reset] {
                absl::Status ended = accounts_.sessions->EndAllSessions(name);
                if (ended.ok() && reset) ended = accounts_.sessions->ClearFailures(name);
                if (!ended.ok()) {
                  Log(LogLevel::kError, {{"event", "end_sessions_failed"},
                                         {"account", name},
                                         {"status", ended.ToString()}});
                }
                reactor->Finish(grpc::Status::OK);
              })) {
            return;
          }
          reactor->Finish(ToGrpcStatus(status));
        },
        std::move(hash));
  };
  if (password_field.empty()) {
    submit(std::move(command), std::string());
    return reactor;
  }
  const bool queued = accounts_.password_work->Submit(
      [this, reactor, submit, command = std::move(command), password = std::move(password)]() mutable {
        absl::StatusOr<std::string> hash = accounts_.hasher->Hash(password);
        if (!hash.ok()) {
          reactor->Finish(ToGrpcStatus(hash.status()));
          return;
        }
        submit(std::move(command), *std::move(hash));
      });
  if (!queued) {
    reactor->Finish(ToGrpcStatus(absl::ResourceExhaustedError(
        "too many passwords are waiting to be hashed; retry in a few seconds")));
  }
  return reactor;
}

grpc::ServerUnaryReactor* AdminServiceImpl::CreateAccount(grpc::CallbackServerContext* context,
                                                          const v1::CreateAccountRequest* request,
                                                          v1::AccountResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  *command.mutable_create_account() = *request;
  // The password never enters the command (its fingerprint is stored).
  command.mutable_create_account()->clear_password();
  return SubmitAccountCommand(context, "CreateAccount", std::move(command), request->password(),
                              "password", response);
}

grpc::ServerUnaryReactor* AdminServiceImpl::UpdateAccount(grpc::CallbackServerContext* context,
                                                          const v1::UpdateAccountRequest* request,
                                                          v1::AccountResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  *command.mutable_update_account() = *request;
  return SubmitAccountCommand(context, "UpdateAccount", std::move(command), "", "", response);
}

grpc::ServerUnaryReactor* AdminServiceImpl::ResetPassword(grpc::CallbackServerContext* context,
                                                          const v1::ResetPasswordRequest* request,
                                                          v1::AccountResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  *command.mutable_reset_password() = *request;
  command.mutable_reset_password()->clear_new_password();
  return SubmitAccountCommand(context, "ResetPassword", std::move(command),
                              request->new_password(), "new_password", response);
}

grpc::ServerUnaryReactor* AdminServiceImpl::DisableAccount(grpc::CallbackServerContext* context,
                                                           const v1::DisableAccountRequest* request,
                                                           v1::AccountResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  *command.mutable_disable_account() = *request;
  return SubmitAccountCommand(context, "DisableAccount", std::move(command), "", "", response);
}

grpc::ServerUnaryReactor* AdminServiceImpl::EnableAccount(grpc::CallbackServerContext* context,
                                                          const v1::EnableAccountRequest* request,
                                                          v1::AccountResponse* response) {
  v1::Command command;
  command.set_command_id(request->command_id());
  *command.mutable_enable_account() = *request;
  return SubmitAccountCommand(context, "EnableAccount", std::move(command), "", "", response);
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListAccounts(grpc::CallbackServerContext* context,
                                                         const v1::ListAccountsRequest* request,
                                                         v1::ListAccountsResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(v1::Principal caller,
                     AuthenticateAdmin(principals_, *context, "ListAccounts"));
    ASSIGN_OR_RETURN(int page_size,
                     PageSize(request->page_size(), kDefaultAccountPage, kMaxAccountPage));
    const uint64_t query = QueryFingerprint({"ListAccounts", caller.principal_id()});
    ASSIGN_OR_RETURN(std::string resume, DecodePageToken(request->page_token(), query));
    const std::string prefix = projection::AccountJurisdictionPrefix(caller.jurisdiction());
    ASSIGN_OR_RETURN(std::vector<std::string> keys,
                     store_.ScanIndex(prefix, resume, page_size + 1));
    const bool more = static_cast<int>(keys.size()) > page_size;
    if (more) keys.resize(page_size);
    for (const std::string& key : keys) {
      const std::string name = key.substr(key.rfind('/') + 1);
      ASSIGN_OR_RETURN(std::string bytes, store_.GetProjection(v1::STREAM_KIND_ACCOUNT,
                                                               workflow::AccountStreamId(name)));
      v1::AccountRecord record;
      if (!record.ParseFromString(bytes)) {
        return absl::DataLossError(absl::StrCat("account ", name, ": the projection is corrupt"));
      }
      *response->add_accounts() = record.account();
    }
    if (more) response->set_next_page_token(EncodePageToken(keys.back(), query));
    return absl::OkStatus();
  }();
  return Finish(context, status);
}

grpc::ServerUnaryReactor* AdminServiceImpl::GetAccountHistory(
    grpc::CallbackServerContext* context, const v1::GetAccountHistoryRequest* request,
    v1::GetAccountHistoryResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(v1::Principal caller,
                     AuthenticateAdmin(principals_, *context, "GetAccountHistory"));
    ASSIGN_OR_RETURN(int page_size,
                     PageSize(request->page_size(), kDefaultHistoryPage, kMaxHistoryPage));
    RETURN_IF_ERROR(AccountInScope(caller, request->account_name()).status());
    const uint64_t query =
        QueryFingerprint({"GetAccountHistory", caller.principal_id(), request->account_name()});
    ASSIGN_OR_RETURN(StreamPage page,
                     ReadStreamPage(store_, workflow::AccountStreamId(request->account_name()),
                                    request->page_token(), query, page_size));
    for (v1::Event& event : page.events) *response->add_events() = std::move(event);
    response->set_next_page_token(std::move(page.next_page_token));
    return absl::OkStatus();
  }();
  return Finish(context, status);
}

grpc::ServerUnaryReactor* AdminServiceImpl::ListSessions(grpc::CallbackServerContext* context,
                                                         const v1::ListSessionsRequest* request,
                                                         v1::ListSessionsResponse* response) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(v1::Principal caller,
                     AuthenticateAdmin(principals_, *context, "ListSessions"));
    if (!accounts_enabled()) return absl::FailedPreconditionError("this server has no accounts");
    RETURN_IF_ERROR(AccountInScope(caller, request->account_name()).status());
    ASSIGN_OR_RETURN(std::vector<v1::Session> sessions,
                     accounts_.sessions->List(request->account_name()));
    for (v1::Session& session : sessions) *response->add_sessions() = std::move(session);
    return absl::OkStatus();
  }();
  return Finish(context, status);
}

grpc::ServerUnaryReactor* AdminServiceImpl::RevokeSession(
    grpc::CallbackServerContext* context, const v1::RevokeAccountSessionRequest* request,
    v1::RevokeAccountSessionResponse*) {
  absl::Status status = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(v1::Principal caller,
                     AuthenticateAdmin(principals_, *context, "RevokeSession"));
    if (!accounts_enabled()) return absl::FailedPreconditionError("this server has no accounts");
    RETURN_IF_ERROR(AccountInScope(caller, request->account_name()).status());
    if (request->session_id().empty() || request->session_id().size() > 64) {
      return workflow::InvalidField("session_id", "must be 1-64 bytes", "须为 1 至 64 字节");
    }
    return accounts_.sessions->Revoke(request->account_name(), request->session_id());
  }();
  return Finish(context, status);
}

}  // namespace rectify::server

// Accounts set up by the server itself; see account_setup.h.
#include "server/account_setup.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "base/sha256.h"
#include "base/status_macros.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "server/system_commands.h"
#include "workflow/accounts.h"

namespace rectify::server {
namespace {

// A command id of its own for each setup step (the store's idempotency
// would otherwise answer a repeated setup with the first outcome).
std::string NewCommandId(absl::string_view what) {
  return absl::StrCat("setup-", what, "-", HexEncode(RandomBytes(8)));
}

absl::StatusOr<CommandOutcome> SubmitAndWait(CommandPipeline& pipeline, v1::Command command,
                                             std::string password_hash) {
  absl::Notification done;
  absl::StatusOr<CommandOutcome> result;
  pipeline.Submit(
      std::move(command), SystemPrincipal("system:account-setup", ""),
      [&](absl::StatusOr<CommandOutcome> outcome) {
        result = std::move(outcome);
        done.Notify();
      },
      std::move(password_hash));
  done.WaitForNotification();
  return result;
}

}  // namespace

absl::StatusOr<v1::DemoAccountsFile> ParseDemoAccounts(absl::string_view text) {
  v1::DemoAccountsFile file;
  if (!google::protobuf::TextFormat::ParseFromString(std::string(text), &file)) {
    return absl::InvalidArgumentError("the demo accounts file is not a DemoAccountsFile");
  }
  return file;
}

absl::StatusOr<v1::Account> SetUpAccount(CommandPipeline& pipeline, storage::EventStore& store,
                                         const PasswordHasher& hasher,
                                         const v1::DemoAccount& spec, SetUpMode mode) {
  RETURN_IF_ERROR(workflow::CheckAccountName("account_name", spec.account_name()));
  RETURN_IF_ERROR(workflow::CheckPassword("password", spec.password()));
  absl::StatusOr<std::string> stored = store.GetProjection(
      v1::STREAM_KIND_ACCOUNT, workflow::AccountStreamId(spec.account_name()));
  if (!stored.ok() && !absl::IsNotFound(stored.status())) return stored.status();
  v1::AccountRecord record;
  if (stored.ok() && !record.ParseFromString(*stored)) {
    return absl::DataLossError(absl::StrCat("account ", spec.account_name(), " is corrupt"));
  }
  const bool exists = stored.ok();
  if (!exists) {
    if (mode == SetUpMode::kResetPassword) {
      return absl::NotFoundError(absl::StrCat("account ", spec.account_name(), " does not exist"));
    }
    v1::Command command;
    command.set_command_id(NewCommandId("create"));
    v1::CreateAccountRequest& create = *command.mutable_create_account();
    create.set_command_id(command.command_id());
    create.set_account_name(spec.account_name());
    create.set_display_name(spec.display_name());
    create.set_role(spec.role());
    create.set_unit_id(spec.unit_id());
    create.set_jurisdiction(spec.jurisdiction());
    ASSIGN_OR_RETURN(std::string hash, hasher.Hash(spec.password()));
    ASSIGN_OR_RETURN(CommandOutcome outcome,
                     SubmitAndWait(pipeline, std::move(command), std::move(hash)));
    return outcome.account;
  }
  if (mode == SetUpMode::kCreateOnly) {
    return absl::AlreadyExistsError(absl::StrCat("account ", spec.account_name(),
                                                 " exists; use reset-password instead"));
  }
  v1::Account account = record.account();
  if (mode == SetUpMode::kCreateOrUpdate) {
    v1::Principal wanted = account.principal();
    wanted.set_display_name(spec.display_name());
    wanted.set_role(spec.role());
    wanted.set_unit_id(spec.unit_id());
    wanted.set_jurisdiction(spec.jurisdiction());
    if (!google::protobuf::util::MessageDifferencer::Equals(wanted, account.principal())) {
      v1::Command command;
      command.set_command_id(NewCommandId("update"));
      v1::UpdateAccountRequest& update = *command.mutable_update_account();
      update.set_account_name(spec.account_name());
      update.set_display_name(spec.display_name());
      update.set_role(spec.role());
      update.set_unit_id(spec.unit_id());
      update.set_jurisdiction(spec.jurisdiction());
      ASSIGN_OR_RETURN(CommandOutcome outcome, SubmitAndWait(pipeline, std::move(command), ""));
      account = outcome.account;
    }
  }
  bool reset = mode == SetUpMode::kResetPassword;
  if (!reset) {
    ASSIGN_OR_RETURN(bool verified, hasher.Verify(record.password_hash(), spec.password()));
    reset = !verified;
  }
  if (reset) {
    v1::Command command;
    command.set_command_id(NewCommandId("reset"));
    command.mutable_reset_password()->set_account_name(spec.account_name());
    ASSIGN_OR_RETURN(std::string hash, hasher.Hash(spec.password()));
    ASSIGN_OR_RETURN(CommandOutcome outcome,
                     SubmitAndWait(pipeline, std::move(command), std::move(hash)));
    account = outcome.account;
  }
  if (account.disabled()) {
    v1::Command command;
    command.set_command_id(NewCommandId("enable"));
    command.mutable_enable_account()->set_account_name(spec.account_name());
    ASSIGN_OR_RETURN(CommandOutcome outcome, SubmitAndWait(pipeline, std::move(command), ""));
    account = outcome.account;
  }
  return account;
}

}  // namespace rectify::server

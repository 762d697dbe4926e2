// Accounts set up without a caller: the demo accounts at start
// (--demo_accounts_file, loopback only) and rectify_admin's account
// commands on a stopped server. Both submit account commands through the
// pipeline as the SYSTEM principal and wait for them, so the events, the
// hash chain and the history are those of AdminService's commands.
//
//   ASSIGN_OR_RETURN(v1::Account admin, SetUpAccount(pipeline, store, hasher, spec,
//                                                   SetUpMode::kCreateOnly));
#ifndef RECTIFY_SERVER_ACCOUNT_SETUP_H_
#define RECTIFY_SERVER_ACCOUNT_SETUP_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "rectify/v1/account.pb.h"
#include "server/passwords.h"
#include "server/pipeline.h"
#include "storage/event_store.h"

namespace rectify::server {

enum class SetUpMode {
  // Create the account; ALREADY_EXISTS when it exists (bootstrap).
  kCreateOnly,
  // Set a new password on an existing account and enable it when it is
  // disabled; NOT_FOUND when there is none (reset the last admin).
  kResetPassword,
  // Create the account, or bring an existing one to `spec`: principal,
  // enabled, and the password (reset only when it no longer verifies).
  kCreateOrUpdate,
};

// Sets up one account as `mode` says; the account after it.
// INVALID_ARGUMENT naming the field for a bad spec (name, role,
// jurisdiction, a password outside the policy).
absl::StatusOr<v1::Account> SetUpAccount(CommandPipeline& pipeline, storage::EventStore& store,
                                         const PasswordHasher& hasher,
                                         const v1::DemoAccount& spec, SetUpMode mode);

// Parses the demo accounts file (text format v1::DemoAccountsFile).
// INVALID_ARGUMENT with the parser's line for a syntax error.
absl::StatusOr<v1::DemoAccountsFile> ParseDemoAccounts(absl::string_view text);

}  // namespace rectify::server

#endif  // RECTIFY_SERVER_ACCOUNT_SETUP_H_

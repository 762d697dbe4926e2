// Accounts of the people who log in (DESIGN.md "The web side") as a pure
// decider, like the rectification lists beside the case decider: an account
// is the stream "A-<account_name>"; DecideAccount turns an AdminService
// account command into its events, EvolveAccount folds them into the
// v1::Account. No I/O and no password hashing: the pipeline passes in what
// the decision needs to know besides the account (AccountFacts).
//
//   AccountFacts facts{.other_enabled_admins = 1, .password_hash_sha256 = sha};
//   ASSIGN_OR_RETURN(std::vector<v1::Event> events,
//                    DecideAccount(account, command, principal, now, facts));
//
// Who may act: an ADMIN on accounts whose jurisdiction lies inside its own
// (and granting only such jurisdictions), or SYSTEM (rectify_admin on a
// stopped server, the demo accounts at start). The last enabled ADMIN
// account cannot be disabled or given another role.
#ifndef RECTIFY_WORKFLOW_ACCOUNTS_H_
#define RECTIFY_WORKFLOW_ACCOUNTS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "rectify/v1/account.pb.h"
#include "rectify/v1/command.pb.h"
#include "rectify/v1/common.pb.h"
#include "rectify/v1/event.pb.h"

namespace rectify::workflow {

// Longest account name, in bytes.
inline constexpr int kMaxAccountNameBytes = 64;
// Password policy: at least this many characters (code points), at most
// this many bytes (Argon2id takes any length; the bound keeps a request
// small).
inline constexpr int kMinPasswordChars = 10;
inline constexpr int kMaxPasswordBytes = 1024;

// True for the five account commands of v1::Command.
bool IsAccountCommand(const v1::Command& command);

// The account's name in `command` (every account command names one).
const std::string& AccountNameOf(const v1::Command& command);

// "A-zhangwei" for "zhangwei".
std::string AccountStreamId(absl::string_view account_name);

// OK for 1-64 bytes of a-z 0-9 . _ - beginning with a letter or a digit;
// else INVALID_ARGUMENT naming `field`.
absl::Status CheckAccountName(absl::string_view field, absl::string_view name);

// OK for valid UTF-8 of at least kMinPasswordChars characters and at most
// kMaxPasswordBytes bytes; else INVALID_ARGUMENT naming `field` (and never
// quoting the password).
absl::Status CheckPassword(absl::string_view field, absl::string_view password);

// What DecideAccount needs to know beside the account.
struct AccountFacts {
  // Enabled ADMIN accounts other than this one.
  int other_enabled_admins = 0;
  // SHA-256 of the new password's Argon2id hash, for CreateAccount and
  // ResetPassword (the commitment recorded in AccountPasswordSet).
  std::string password_hash_sha256;
};

// Decides an account command on `account` (empty, version 0, when the
// stream does not exist). Errors, in this order: INVALID_ARGUMENT naming the
// field; PERMISSION_DENIED (not an ADMIN, or outside its jurisdiction);
// ALREADY_EXISTS (create on an existing account); NOT_FOUND (no such
// account); FAILED_PRECONDITION (nothing to change, already disabled or
// enabled, the last enabled ADMIN).
absl::StatusOr<std::vector<v1::Event>> DecideAccount(const v1::Account& account,
                                                     const v1::Command& command,
                                                     const v1::Principal& principal,
                                                     absl::Time now, const AccountFacts& facts);

// Folds an account event into `account`. INVALID_ARGUMENT for an event that
// does not fit (wrong version, not an account payload).
absl::Status EvolveAccount(v1::Account& account, const v1::Event& event);

// True when `account` is an enabled ADMIN.
bool IsEnabledAdmin(const v1::Account& account);

}  // namespace rectify::workflow

#endif  // RECTIFY_WORKFLOW_ACCOUNTS_H_

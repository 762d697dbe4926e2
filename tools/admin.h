// The commands of rectify_admin, the operator's tool for a stopped server's
// store: verify, rebuild, backup, restore, and the account commands for a
// server that is down (create the first ADMIN account, reset a password). A library apart from main() so
// that tests run the commands in-process and check their exit codes.
//
//   rectify_admin verify  --data_dir=/var/lib/rectify
//   rectify_admin rebuild --data_dir=/var/lib/rectify
//   rectify_admin backup  --data_dir=/var/lib/rectify --backup_dir=/backup/rectify
//   rectify_admin restore --backup_dir=/backup/rectify --data_dir=/var/lib/rectify-restored
//   rectify_admin upgrade-complainants --data_dir=/var/lib/rectify
//   rectify_admin export-referral 620722-2026-000001 --data_dir=/var/lib/rectify --out=/tmp/pkg
//
// Exit codes (a script's contract, documented in docs/storage.md):
//   0  done, and the store verifies clean
//   1  problems found (verify), or left that rebuild cannot repair
//   2  usage: unknown command or flag, a required flag missing
//   3  the store or backup cannot be opened, or an I/O error
#ifndef RECTIFY_TOOLS_ADMIN_H_
#define RECTIFY_TOOLS_ADMIN_H_

#include <istream>
#include <ostream>
#include <string>
#include <vector>

namespace rectify::tools {

inline constexpr int kExitOk = 0;
inline constexpr int kExitProblems = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitCannotOpen = 3;

// The text of --help.
std::string AdminUsage();

// Runs rectify_admin with `args` (argv without the program name): reports go
// to `out`, errors to `err`. Returns the exit code. Not thread-safe: the
// flags are process-wide.
int RunAdmin(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
// The same, with the standard input of create-admin and reset-password (the
// password, on its first line).
int RunAdmin(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
             std::ostream& err);

}  // namespace rectify::tools

#endif  // RECTIFY_TOOLS_ADMIN_H_

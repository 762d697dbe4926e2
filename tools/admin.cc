// The commands of rectify_admin; see admin.h.
#include "tools/admin.h"

#include <iostream>
#include <memory>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/clock.h"
#include "base/sha256.h"
#include "projection/verifier.h"
#include "server/account_setup.h"
#include "server/passwords.h"
#include "server/pipeline.h"
#include "server/sessions.h"
#include "workflow/policy.h"
#include "storage/rocks_event_store.h"
#include "tools/referral_export.h"

ABSL_FLAG(std::string, data_dir, "", "The store's directory (for restore: an empty or new one).");
ABSL_FLAG(std::string, backup_dir, "", "The backup directory (backup and restore).");
ABSL_FLAG(int, max_problems, 100, "verify: list at most this many problems (all are counted).");
ABSL_FLAG(std::string, account_name, "", "create-admin, reset-password: the account.");
ABSL_FLAG(std::string, display_name, "", "create-admin: the name shown to users.");
ABSL_FLAG(std::string, jurisdiction, "", "create-admin: the region code prefix it manages.");
ABSL_FLAG(std::string, unit_id, "", "create-admin: its unit (optional).");
ABSL_FLAG(std::string, out, "", "export-referral: the package's directory (new or empty).");

namespace rectify::tools {
namespace {

constexpr const char* kFlagNames[] = {"data_dir",     "backup_dir",   "max_problems",
                                      "account_name", "display_name", "jurisdiction",
                                      "unit_id",      "out"};

bool IsOurFlag(absl::string_view name) {
  for (const char* flag : kFlagNames) {
    if (name == flag) return true;
  }
  return false;
}

// Parses `--name=value` and `--name value` for our flags only, so that a bad
// flag is a usage error (exit 2) rather than absl's own exit.
bool ParseArgs(const std::vector<std::string>& args, std::vector<std::string>& positional,
               std::ostream& err) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (!absl::StartsWith(arg, "-")) {
      positional.push_back(arg);
      continue;
    }
    std::string name = arg.substr(arg.find_first_not_of('-'));
    std::string value;
    const size_t equals = name.find('=');
    if (equals != std::string::npos) {
      value = name.substr(equals + 1);
      name = name.substr(0, equals);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      err << "rectify_admin: --" << name << " needs a value\n";
      return false;
    }
    absl::CommandLineFlag* flag = IsOurFlag(name) ? absl::FindCommandLineFlag(name) : nullptr;
    if (flag == nullptr) {
      err << "rectify_admin: unknown flag --" << name << "\n";
      return false;
    }
    std::string error;
    if (!flag->ParseFrom(value, &error)) {
      err << "rectify_admin: --" << name << ": " << error << "\n";
      return false;
    }
  }
  return true;
}

int ExitCodeOf(const absl::Status& status) {
  return status.code() == absl::StatusCode::kInvalidArgument ? kExitUsage : kExitCannotOpen;
}

absl::StatusOr<std::unique_ptr<storage::RocksEventStore>> OpenExisting(const std::string& dir) {
  storage::StoreOptions options;
  options.create_if_missing = false;
  return storage::RocksEventStore::Open(dir, options);
}

// Verifies `store`, prints the report; returns the exit code.
int VerifyAndReport(const storage::RocksEventStore& store, std::ostream& out, std::ostream& err) {
  projection::VerifyOptions options;
  options.max_problems = absl::GetFlag(FLAGS_max_problems);
  absl::StatusOr<projection::VerifyReport> report = projection::VerifyStore(store, options);
  if (!report.ok()) {
    err << "rectify_admin: verify failed: " << report.status() << "\n";
    return kExitCannotOpen;
  }
  out << "verify: " << report->streams << " streams, " << report->events << " events";
  if (report->list_streams_not_folded > 0) {
    out << " (" << report->list_streams_not_folded
        << " rectification list streams could not be folded: hash chains and log checked)";
  }
  out << "\n";
  for (const std::string& problem : report->problems) out << "problem: " << problem << "\n";
  if (report->ok()) {
    out << "verify: OK\n";
    return kExitOk;
  }
  out << "verify: " << report->problem_count << " problems";
  if (report->problem_count > static_cast<int64_t>(report->problems.size())) {
    out << " (" << report->problems.size() << " listed; raise --max_problems for more)";
  }
  out << "\n";
  return kExitProblems;
}

int Verify(std::ostream& out, std::ostream& err) {
  auto store = OpenExisting(absl::GetFlag(FLAGS_data_dir));
  if (!store.ok()) {
    err << "rectify_admin: " << store.status().message() << "\n";
    return kExitCannotOpen;
  }
  return VerifyAndReport(**store, out, err);
}

int Rebuild(std::ostream& out, std::ostream& err) {
  auto store = OpenExisting(absl::GetFlag(FLAGS_data_dir));
  if (!store.ok()) {
    err << "rectify_admin: " << store.status().message() << "\n";
    return kExitCannotOpen;
  }
  absl::StatusOr<projection::RebuildReport> report = projection::RebuildStore(**store);
  if (!report.ok()) {
    err << "rectify_admin: rebuild failed: " << report.status() << "\n";
    return kExitCannotOpen;
  }
  out << "rebuild: " << report->streams << " streams, " << report->events << " events\n"
      << "rebuild: projections written " << report->projections_written << ", deleted "
      << report->projections_deleted << "; index keys added " << report->index_keys_added
      << ", removed " << report->index_keys_removed << "; timers added " << report->timers_added
      << ", removed " << report->timers_removed << "; report keys written "
      << report->report_keys_written << ", removed " << report->report_keys_removed << "\n";
  for (const std::string& problem : report->unrepairable) {
    out << "unrepairable: " << problem << "\n";
  }
  if (report->unrepairable_count > 0) {
    out << "rebuild: " << report->unrepairable_count
        << " problems remain that only the events could fix (restore a backup)\n";
    return kExitProblems;
  }
  out << "rebuild: OK\n";
  return kExitOk;
}

int Backup(std::ostream& out, std::ostream& err) {
  auto store = OpenExisting(absl::GetFlag(FLAGS_data_dir));
  if (!store.ok()) {
    err << "rectify_admin: " << store.status().message() << "\n";
    return kExitCannotOpen;
  }
  absl::StatusOr<storage::BackupResult> backup =
      (*store)->CreateBackup(absl::GetFlag(FLAGS_backup_dir));
  if (!backup.ok()) {
    err << "rectify_admin: " << backup.status().message() << "\n";
    return kExitCannotOpen;
  }
  out << "backup: id " << backup->backup_id << " in " << absl::GetFlag(FLAGS_backup_dir)
      << ", up to log position " << (*store)->LastPosition() << "\n";
  return kExitOk;
}

int Restore(std::ostream& out, std::ostream& err) {
  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  const absl::Status restored =
      storage::RocksEventStore::RestoreLatestBackup(absl::GetFlag(FLAGS_backup_dir), data_dir);
  if (!restored.ok()) {
    err << "rectify_admin: " << restored.message() << "\n";
    return ExitCodeOf(restored);
  }
  auto store = OpenExisting(data_dir);
  if (!store.ok()) {
    err << "rectify_admin: the restored store does not open: " << store.status().message()
        << "\n";
    return kExitCannotOpen;
  }
  out << "restore: " << data_dir << " holds the latest backup, up to log position "
      << (*store)->LastPosition() << "\n";
  // A restore is only done once the copy is known to be whole.
  return VerifyAndReport(**store, out, err);
}

// create-admin and reset-password: an account command through the same
// pipeline a server runs, as the SYSTEM principal, on a stopped server's
// store. The password is the first line of `in` (never a flag, which other
// users of the machine could read in the process list).
int SetUpAdminAccount(bool create, std::istream& in, std::ostream& out, std::ostream& err) {
  const std::string name = absl::GetFlag(FLAGS_account_name);
  if (name.empty()) {
    err << "rectify_admin: " << (create ? "create-admin" : "reset-password")
        << " needs --account_name\n";
    return kExitUsage;
  }
  if (create && absl::GetFlag(FLAGS_jurisdiction).empty()) {
    err << "rectify_admin: create-admin needs --jurisdiction (e.g. 62 for a province)\n";
    return kExitUsage;
  }
  std::string password;
  std::getline(in, password);
  while (!password.empty() && (password.back() == '\r' || password.back() == '\n')) {
    password.pop_back();
  }
  storage::StoreOptions options;
  options.create_if_missing = create;
  auto store = storage::RocksEventStore::Open(absl::GetFlag(FLAGS_data_dir), options);
  if (!store.ok()) {
    err << "rectify_admin: " << store.status().message() << "\n";
    return kExitCannotOpen;
  }
  const workflow::Policy policy;
  server::CommandPipeline pipeline(**store, policy, SystemClock());
  pipeline.Start();
  const server::PasswordHasher hasher;
  v1::DemoAccount spec;
  spec.set_account_name(name);
  spec.set_display_name(absl::GetFlag(FLAGS_display_name).empty() ? name
                                                                 : absl::GetFlag(FLAGS_display_name));
  spec.set_role(v1::ROLE_ADMIN);
  spec.set_unit_id(absl::GetFlag(FLAGS_unit_id));
  spec.set_jurisdiction(absl::GetFlag(FLAGS_jurisdiction));
  spec.set_password(password);
  absl::StatusOr<v1::Account> account = server::SetUpAccount(
      pipeline, **store, hasher, spec,
      create ? server::SetUpMode::kCreateOnly : server::SetUpMode::kResetPassword);
  if (account.ok() && !create) {
    // A reset also ends the sessions (the credentials epoch moved; this
    // removes their records) and lifts a lock.
    server::SessionManager sessions(**store, policy, SystemClock(), hasher);
    absl::Status cleared = sessions.EndAllSessions(name);
    if (cleared.ok()) cleared = sessions.ClearFailures(name);
    if (!cleared.ok()) account = cleared;
  }
  pipeline.Stop();
  if (!account.ok()) {
    err << "rectify_admin: " << account.status().message() << "\n";
    return account.status().code() == absl::StatusCode::kInvalidArgument ? kExitUsage
                                                                          : kExitProblems;
  }
  out << (create ? "create-admin: " : "reset-password: ") << "account " << account->account_name()
      << " (" << v1::Role_Name(account->principal().role()) << ", jurisdiction "
      << account->principal().jurisdiction() << ") is at version " << account->version()
      << (create ? "" : "; its sessions have ended") << "\n";
  return kExitOk;
}

// upgrade-complainants: seals the complainant of every CaseReported written
// before the commitments and recomputes those streams' hashes
// (RocksEventStore::UpgradeComplainants), then verifies the store.
int UpgradeComplainants(std::ostream& out, std::ostream& err) {
  auto store = OpenExisting(absl::GetFlag(FLAGS_data_dir));
  if (!store.ok()) {
    err << "rectify_admin: " << store.status().message() << "\n";
    return kExitCannotOpen;
  }
  absl::StatusOr<storage::RocksEventStore::ComplainantUpgrade> upgrade =
      (*store)->UpgradeComplainants();
  if (!upgrade.ok()) {
    err << "rectify_admin: upgrade-complainants stopped: " << upgrade.status().message()
        << " (streams rewritten before it stay rewritten; run it again after the fix)\n";
    return kExitCannotOpen;
  }
  // The old and new head hash of each stream: whoever holds an old one (a
  // package sent before) can relate it to the new chain.
  for (const auto& stream : upgrade->streams) {
    out << "upgraded: " << stream.stream_id << " " << stream.events << " events, head "
        << HexEncode(stream.old_head_hash) << " -> " << HexEncode(stream.new_head_hash) << "\n";
  }
  out << "upgrade-complainants: " << upgrade->streams.size() << " streams, "
      << upgrade->events_rewritten << " events rewritten\n";
  return VerifyAndReport(**store, out, err);
}

// export-referral CASE --out DIR: the referral package (referral_export.h).
int ExportReferral(const std::string& case_id, std::ostream& out, std::ostream& err) {
  const std::string out_dir = absl::GetFlag(FLAGS_out);
  if (out_dir.empty()) {
    err << "rectify_admin: export-referral needs --out=DIR (a new or empty directory)\n";
    return kExitUsage;
  }
  auto store = OpenExisting(absl::GetFlag(FLAGS_data_dir));
  if (!store.ok()) {
    err << "rectify_admin: " << store.status().message() << "\n";
    return kExitCannotOpen;
  }
  absl::StatusOr<ReferralExport> exported =
      ExportReferralPackage(**store, case_id, out_dir, SystemClock().Now());
  if (!exported.ok()) {
    err << "rectify_admin: export-referral: " << exported.status().message() << "\n";
    switch (exported.status().code()) {
      case absl::StatusCode::kInvalidArgument:
        return kExitUsage;
      case absl::StatusCode::kNotFound:
      case absl::StatusCode::kFailedPrecondition:
      case absl::StatusCode::kDataLoss:
        return kExitProblems;
      default:
        return kExitCannotOpen;
    }
  }
  out << "export-referral: " << case_id << " -> " << out_dir << ": " << exported->events
      << " events, " << exported->evidence_items << " evidence files\n"
      << "export-referral: head hash " << exported->head_hash_hex
      << " (write it into the transfer letter)\n";
  return kExitOk;
}

}  // namespace

std::string AdminUsage() {
  return R"(rectify_admin: verify, rebuild, back up or restore a Rectify store.

Usage:
  rectify_admin verify  --data_dir=DIR [--max_problems=N]
  rectify_admin rebuild --data_dir=DIR
  rectify_admin backup  --data_dir=DIR --backup_dir=BACKUP
  rectify_admin restore --backup_dir=BACKUP --data_dir=NEW_DIR
  rectify_admin create-admin   --data_dir=DIR --account_name=NAME --jurisdiction=PREFIX
                               [--display_name=NAME] [--unit_id=UNIT]  < password
  rectify_admin reset-password --data_dir=DIR --account_name=NAME      < password
  rectify_admin upgrade-complainants --data_dir=DIR
  rectify_admin export-referral CASE_ID --data_dir=DIR --out=NEW_DIR

verify   re-derives every projection, index key and timer key from the events
         and checks every hash link and the global log, in one snapshot;
         prints each problem.
rebuild  rewrites projections, index keys and timer keys from the events.
backup   takes a backup of a store no server has open (a running server takes
         online backups through AdminService.CreateBackup).
restore  restores the latest backup into an empty or new directory, then
         verifies the copy.
create-admin    creates an ADMIN account (the first one of a new store: it logs
                in and creates the others through AdminService). The password is
                read from the first line of standard input.
reset-password  sets a new password (first line of standard input) on an
                account, enables it if it was disabled and ends its sessions:
                for the last admin who forgot theirs.
upgrade-complainants  moves the complainant of cases reported before the
                personal-data commitments out of the hashed event bytes and
                recomputes those cases' hash chains (once; safe to run again);
                prints each case's old and new head hash, then verifies.
export-referral writes the referral package of a case with an approved
                referral into --out: the case, its evidence with SHA-256
                hashes, its history as canonical bytes and hashes, and the
                checker (python3 check_referral_package.py DIR). Never
                personal data.

The store must not be open in a server (RocksDB's lock): stop it first.

Flags:
  --data_dir=DIR      the store's directory
  --backup_dir=DIR    the backup directory
  --max_problems=N    verify: list at most N problems (default 100)
  --out=DIR           export-referral: the package's directory (new or empty)

Exit codes:
  0  done, and the store verifies clean
  1  problems found (verify, restore), or problems rebuild cannot repair
  2  usage: unknown command or flag, a required flag missing
  3  the store or backup cannot be opened, or an I/O error
)";
}

int RunAdmin(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  return RunAdmin(args, std::cin, out, err);
}

int RunAdmin(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
             std::ostream& err) {
  absl::SetFlag(&FLAGS_account_name, "");
  absl::SetFlag(&FLAGS_display_name, "");
  absl::SetFlag(&FLAGS_jurisdiction, "");
  absl::SetFlag(&FLAGS_unit_id, "");
  absl::SetFlag(&FLAGS_data_dir, "");
  absl::SetFlag(&FLAGS_backup_dir, "");
  absl::SetFlag(&FLAGS_max_problems, 100);
  absl::SetFlag(&FLAGS_out, "");
  for (const std::string& arg : args) {
    if (arg == "--help" || arg == "-help" || arg == "-h" || arg == "help") {
      out << AdminUsage();
      return kExitOk;
    }
  }
  std::vector<std::string> positional;
  if (!ParseArgs(args, positional, err)) {
    err << "run rectify_admin --help for the usage\n";
    return kExitUsage;
  }
  const bool export_command = !positional.empty() && positional[0] == "export-referral";
  if (export_command && positional.size() != 2) {
    err << "rectify_admin: export-referral needs exactly one case id\n"
        << "run rectify_admin --help for the usage\n";
    return kExitUsage;
  }
  if (!export_command && positional.size() != 1) {
    err << "rectify_admin: give exactly one command: verify, rebuild, backup or restore\n"
        << "run rectify_admin --help for the usage\n";
    return kExitUsage;
  }
  const std::string& command = positional[0];
  const bool needs_backup_dir = command == "backup" || command == "restore";
  const bool account_command = command == "create-admin" || command == "reset-password";
  if (command != "verify" && command != "rebuild" && !needs_backup_dir && !account_command &&
      command != "upgrade-complainants" && !export_command) {
    err << "rectify_admin: unknown command \"" << command
        << "\"; the commands are verify, rebuild, backup, restore, create-admin, "
           "reset-password, upgrade-complainants, export-referral\n";
    return kExitUsage;
  }
  if (absl::GetFlag(FLAGS_data_dir).empty()) {
    err << "rectify_admin: " << command << " needs --data_dir\n";
    return kExitUsage;
  }
  if (needs_backup_dir && absl::GetFlag(FLAGS_backup_dir).empty()) {
    err << "rectify_admin: " << command << " needs --backup_dir\n";
    return kExitUsage;
  }
  if (absl::GetFlag(FLAGS_max_problems) < 0) {
    err << "rectify_admin: --max_problems must not be negative\n";
    return kExitUsage;
  }
  if (account_command) return SetUpAdminAccount(command == "create-admin", in, out, err);
  if (command == "upgrade-complainants") return UpgradeComplainants(out, err);
  if (export_command) return ExportReferral(positional[1], out, err);
  if (command == "verify") return Verify(out, err);
  if (command == "rebuild") return Rebuild(out, err);
  if (command == "backup") return Backup(out, err);
  return Restore(out, err);
}

}  // namespace rectify::tools

// The commands of rectify_admin; see admin.h.
#include "tools/admin.h"

#include <memory>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "projection/verifier.h"
#include "storage/rocks_event_store.h"

ABSL_FLAG(std::string, data_dir, "", "The store's directory (for restore: an empty or new one).");
ABSL_FLAG(std::string, backup_dir, "", "The backup directory (backup and restore).");
ABSL_FLAG(int, max_problems, 100, "verify: list at most this many problems (all are counted).");

namespace rectify::tools {
namespace {

constexpr const char* kFlagNames[] = {"data_dir", "backup_dir", "max_problems"};

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

}  // namespace

std::string AdminUsage() {
  return R"(rectify_admin: verify, rebuild, back up or restore a Rectify store.

Usage:
  rectify_admin verify  --data_dir=DIR [--max_problems=N]
  rectify_admin rebuild --data_dir=DIR
  rectify_admin backup  --data_dir=DIR --backup_dir=BACKUP
  rectify_admin restore --backup_dir=BACKUP --data_dir=NEW_DIR

verify   re-derives every projection, index key and timer key from the events
         and checks every hash link and the global log, in one snapshot;
         prints each problem.
rebuild  rewrites projections, index keys and timer keys from the events.
backup   takes a backup of a store no server has open (a running server takes
         online backups through AdminService.CreateBackup).
restore  restores the latest backup into an empty or new directory, then
         verifies the copy.

The store must not be open in a server (RocksDB's lock): stop it first.

Flags:
  --data_dir=DIR      the store's directory
  --backup_dir=DIR    the backup directory
  --max_problems=N    verify: list at most N problems (default 100)

Exit codes:
  0  done, and the store verifies clean
  1  problems found (verify, restore), or problems rebuild cannot repair
  2  usage: unknown command or flag, a required flag missing
  3  the store or backup cannot be opened, or an I/O error
)";
}

int RunAdmin(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  absl::SetFlag(&FLAGS_data_dir, "");
  absl::SetFlag(&FLAGS_backup_dir, "");
  absl::SetFlag(&FLAGS_max_problems, 100);
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
  if (positional.size() != 1) {
    err << "rectify_admin: give exactly one command: verify, rebuild, backup or restore\n"
        << "run rectify_admin --help for the usage\n";
    return kExitUsage;
  }
  const std::string& command = positional[0];
  const bool needs_backup_dir = command == "backup" || command == "restore";
  if (command != "verify" && command != "rebuild" && !needs_backup_dir) {
    err << "rectify_admin: unknown command \"" << command
        << "\"; the commands are verify, rebuild, backup, restore\n";
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
  if (command == "verify") return Verify(out, err);
  if (command == "rebuild") return Rebuild(out, err);
  if (command == "backup") return Backup(out, err);
  return Restore(out, err);
}

}  // namespace rectify::tools

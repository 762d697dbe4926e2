// The commands of rectify_admin; see admin.h. Like server_main.cc it opens
// the store itself, so it takes the concrete RocksEventStore: its commands
// are the operations of RocksDB's own that the EventStore interface does not
// offer (verify and rebuild over a raw snapshot, projection/verifier.h;
// backup and restore with the BackupEngine; the complainant upgrade of the
// stored events). docs/architecture.md, "Departures from DESIGN.md".
//
// One file (about 630 lines), on purpose: each subcommand is one short
// function over the same flags, exit codes and store opening, and RunAdmin's
// dispatch at the end is the table of contents. The parts with a life of
// their own are already apart: verify and rebuild (projection/verifier.h),
// the referral package (referral_export.h), account set-up
// (server/account_setup.h).
#include "tools/admin.h"

#include <unistd.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <optional>

#include "absl/flags/flag.h"
#include "absl/flags/reflection.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/clock.h"
#include "base/progress.h"
#include "base/status_macros.h"
#include "base/sha256.h"
#include "projection/verifier.h"
#include "server/account_setup.h"
#include "server/passwords.h"
#include "server/pipeline.h"
#include "server/sessions.h"
#include "workflow/policy.h"
#include "storage/rocks_event_store.h"
#include "grpcpp/grpcpp.h"
#include "rectify/v1/admin_service.grpc.pb.h"
#include "tools/referral_export.h"

ABSL_FLAG(std::string, data_dir, "", "The store's directory (for restore: an empty or new one).");
ABSL_FLAG(std::string, backup_dir, "", "The backup directory (backup and restore).");
ABSL_FLAG(int, max_problems, 100, "verify: list at most this many problems (all are counted).");
ABSL_FLAG(std::string, account_name, "", "create-admin, reset-password: the account.");
ABSL_FLAG(std::string, display_name, "", "create-admin: the name shown to users.");
ABSL_FLAG(std::string, jurisdiction, "", "create-admin: the region code prefix it manages.");
ABSL_FLAG(std::string, unit_id, "", "create-admin: its unit (optional).");
ABSL_FLAG(std::string, out, "", "export-referral: the package's directory (new or empty).");
ABSL_FLAG(std::string, progress, "auto",
          "verify, rebuild, backup, restore: auto (a bar on a terminal, plain lines "
          "otherwise), bar, lines or none; on standard error.");
ABSL_FLAG(std::string, server, "",
          "backup, verify: host:port of a running server to do it online through "
          "AdminService (plaintext; the server's loopback listener).");
ABSL_FLAG(std::string, token_file, "",
          "with --server: a file holding an ADMIN principal's bearer token.");
ABSL_FLAG(int, keep, 0, "backup: keep only the newest N backups afterwards (0: keep all).");

namespace rectify::tools {
namespace {

constexpr const char* kFlagNames[] = {
    "data_dir", "backup_dir", "max_problems", "account_name", "display_name", "jurisdiction",
    "unit_id",  "out",        "progress",     "server",       "token_file",   "keep"};

// Where progress goes: standard error, as a bar when it is a terminal.
// Set by RunAdmin from --progress.
ProgressStyle progress_style = ProgressStyle::kLines;

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
  ProgressReporter progress(err, progress_style, SystemClock(), "verify", ProgressUnit::kEvents);
  progress.Start(0);
  options.progress = [&progress](int64_t done, int64_t total) {
    progress.SetTotal(total);
    progress.Update(done);
  };
  absl::StatusOr<projection::VerifyReport> report = projection::VerifyStore(store, options);
  progress.Finish();
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
  ProgressReporter progress(err, progress_style, SystemClock(), "rebuild", ProgressUnit::kEvents);
  progress.Start(0);
  absl::StatusOr<projection::RebuildReport> report =
      projection::RebuildStore(**store, [&progress](int64_t done, int64_t total) {
        progress.SetTotal(total);
        progress.Update(done);
      });
  progress.Finish();
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
  ProgressReporter progress(err, progress_style, SystemClock(), "backup", ProgressUnit::kBytes);
  progress.Start(0);
  storage::BackupOptions options;
  options.keep_latest = static_cast<uint32_t>(absl::GetFlag(FLAGS_keep));
  options.progress = [&progress](int64_t done, int64_t total) {
    progress.SetTotal(total);
    progress.Update(done);
  };
  absl::StatusOr<storage::BackupResult> backup =
      (*store)->CreateBackup(absl::GetFlag(FLAGS_backup_dir), options);
  progress.Finish();
  if (!backup.ok()) {
    err << "rectify_admin: " << backup.status().message() << "\n";
    return kExitCannotOpen;
  }
  out << "backup: id " << backup->backup_id << " in " << absl::GetFlag(FLAGS_backup_dir)
      << ", up to log position " << (*store)->LastPosition() << ", " << backup->bytes_written
      << " bytes written";
  if (backup->backups_deleted > 0) out << ", " << backup->backups_deleted << " old deleted";
  out << "\n";
  return kExitOk;
}

int Restore(std::ostream& out, std::ostream& err) {
  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  absl::Status restored;
  {
    ProgressReporter progress(err, progress_style, SystemClock(), "restore",
                              ProgressUnit::kBytes);
    progress.Start(0);
    restored = storage::RocksEventStore::RestoreLatestBackup(
        absl::GetFlag(FLAGS_backup_dir), data_dir, [&progress](int64_t done, int64_t total) {
          progress.SetTotal(total);
          progress.Update(done);
        });
  }
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

// The bearer token in --token_file (its first line, trimmed).
absl::StatusOr<std::string> ReadToken() {
  const std::string path = absl::GetFlag(FLAGS_token_file);
  if (path.empty()) return absl::InvalidArgumentError("--server needs --token_file");
  std::ifstream file(path);
  std::string token;
  if (!file || !std::getline(file, token)) {
    return absl::NotFoundError(absl::StrCat("cannot read the token file ", path));
  }
  while (!token.empty() && (token.back() == '\r' || token.back() == ' ')) token.pop_back();
  if (token.empty()) return absl::InvalidArgumentError(absl::StrCat(path, " holds no token"));
  return token;
}

// Runs a server-streaming AdminService call that reports progress and ends
// with a result (CreateBackupWithProgress, VerifyStoreWithProgress):
// draws the progress, returns the result or the call's status.
template <typename Update, typename Request, typename Result>
absl::StatusOr<Result> StreamWithProgress(
    std::unique_ptr<grpc::ClientReader<Update>> (v1::AdminService::Stub::*method)(
        grpc::ClientContext*, const Request&),
    const Request& request, const char* label, ProgressUnit unit,
    const Result& (Update::*result_of)() const, std::ostream& err) {
  ASSIGN_OR_RETURN(const std::string token, ReadToken());
  auto channel =
      grpc::CreateChannel(absl::GetFlag(FLAGS_server), grpc::InsecureChannelCredentials());
  auto stub = v1::AdminService::NewStub(channel);
  grpc::ClientContext context;
  context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  ProgressReporter progress(err, progress_style, SystemClock(), label, unit);
  progress.Start(0);
  std::unique_ptr<grpc::ClientReader<Update>> reader = ((*stub).*method)(&context, request);
  Update update;
  std::optional<Result> result;
  while (reader->Read(&update)) {
    if (update.has_progress()) {
      progress.SetTotal(update.progress().total());
      progress.Update(update.progress().done());
    } else {
      result = (update.*result_of)();
    }
  }
  const grpc::Status status = reader->Finish();
  progress.Finish();
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        absl::StrCat("the server answered ", status.error_message()));
  }
  if (!result.has_value()) return absl::InternalError("the server's stream ended without a result");
  return *result;
}

int OnlineExitCode(const absl::Status& status) {
  return status.code() == absl::StatusCode::kInvalidArgument ? kExitUsage : kExitCannotOpen;
}

// backup --server: an online backup by the running server (the backup
// directory is on the server's machine and must be writable by it).
int OnlineBackup(std::ostream& out, std::ostream& err) {
  v1::CreateBackupRequest request;
  request.set_backup_dir(absl::GetFlag(FLAGS_backup_dir));
  request.set_keep_latest(static_cast<uint32_t>(absl::GetFlag(FLAGS_keep)));
  absl::StatusOr<v1::CreateBackupResponse> backup = StreamWithProgress(
      &v1::AdminService::Stub::CreateBackupWithProgress, request, "backup", ProgressUnit::kBytes,
      &v1::CreateBackupUpdate::result, err);
  if (!backup.ok()) {
    err << "rectify_admin: backup: " << backup.status().message() << "\n";
    return OnlineExitCode(backup.status());
  }
  out << "backup: id " << backup->backup_id() << " in " << request.backup_dir()
      << " by the server at " << absl::GetFlag(FLAGS_server) << ", up to log position at least "
      << backup->last_position() << ", " << backup->bytes_written() << " bytes written";
  if (backup->backups_deleted() > 0) out << ", " << backup->backups_deleted() << " old deleted";
  out << "\n";
  return kExitOk;
}

// verify --server: VerifyStore by the running server in one snapshot.
int OnlineVerify(std::ostream& out, std::ostream& err) {
  v1::VerifyStoreRequest request;
  request.set_max_problems(absl::GetFlag(FLAGS_max_problems));
  absl::StatusOr<v1::VerifyStoreResponse> report = StreamWithProgress(
      &v1::AdminService::Stub::VerifyStoreWithProgress, request, "verify", ProgressUnit::kEvents,
      &v1::VerifyStoreUpdate::result, err);
  if (!report.ok()) {
    err << "rectify_admin: verify: " << report.status().message() << "\n";
    return OnlineExitCode(report.status());
  }
  out << "verify: " << report->streams() << " streams, " << report->events() << " events\n";
  for (const std::string& problem : report->problems()) out << "problem: " << problem << "\n";
  if (report->problems().empty()) {
    out << "verify: OK\n";
    return kExitOk;
  }
  out << "verify: problems found (" << report->problems_size() << " listed)\n";
  return kExitProblems;
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
  rectify_admin backup  --data_dir=DIR --backup_dir=BACKUP [--keep=N]
  rectify_admin backup  --server=HOST:PORT --token_file=FILE --backup_dir=BACKUP [--keep=N]
  rectify_admin verify  --server=HOST:PORT --token_file=FILE [--max_problems=N]
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
backup   takes a backup of a store no server has open; with --server, the
         running server takes it online (AdminService) into BACKUP on its
         own machine. --keep=N then deletes all but the newest N backups.
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
  --keep=N            backup: keep only the newest N backups (default 0: all)
  --server=HOST:PORT  backup, verify: ask the running server (online)
  --token_file=FILE   with --server: an ADMIN principal's bearer token
  --progress=MODE     verify, rebuild, backup, restore: auto (default: a bar
                      on a terminal, plain lines otherwise), bar, lines, none;
                      progress goes to standard error

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
  absl::SetFlag(&FLAGS_progress, "auto");
  absl::SetFlag(&FLAGS_server, "");
  absl::SetFlag(&FLAGS_token_file, "");
  absl::SetFlag(&FLAGS_keep, 0);
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
  absl::StatusOr<ProgressMode> mode = ParseProgressMode(absl::GetFlag(FLAGS_progress));
  if (!mode.ok()) {
    err << "rectify_admin: " << mode.status().message() << "\n";
    return kExitUsage;
  }
  progress_style = ChooseProgressStyle(*mode, STDERR_FILENO);
  if (absl::GetFlag(FLAGS_keep) < 0 || absl::GetFlag(FLAGS_keep) > 10000) {
    err << "rectify_admin: --keep must be 0 (keep all) to 10000\n";
    return kExitUsage;
  }
  const bool online = !absl::GetFlag(FLAGS_server).empty();
  if (online && command != "backup" && command != "verify") {
    err << "rectify_admin: --server is for backup and verify; " << command
        << " works on a stopped server's store\n";
    return kExitUsage;
  }
  if (!online && absl::GetFlag(FLAGS_data_dir).empty()) {
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
  if (online && command == "verify") return OnlineVerify(out, err);
  if (online) return OnlineBackup(out, err);
  if (command == "verify") return Verify(out, err);
  if (command == "rebuild") return Rebuild(out, err);
  if (command == "backup") return Backup(out, err);
  return Restore(out, err);
}

}  // namespace rectify::tools

// Progress on long work, end to end with the real binaries: rectifyctl sync,
// evidence upload and download, list export; rectify_admin verify and
// backup online (AdminService's streaming calls through the real server),
// restore, verify and rebuild offline. Output goes to a file, not a
// terminal, so every command draws plain lines, parsed here; --progress=bar
// forces the bar. The final figures are checked against what the test made
// (cases, bytes of a file) or finds on disk, not against the code's counts.
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/e2e/rectifyctl_run.h"
#include "tests/server_process.h"
#include "tests/subprocess.h"
#include "tests/temp_dir.h"

namespace rectify {
namespace {

using ::rectify::testing::CtlResult;
using ::rectify::testing::ReadFileOrEmpty;
using ::rectify::testing::RunCommand;
using ::rectify::testing::Runfile;
using ::rectify::testing::RunOptions;
using ::rectify::testing::RunRectifyctl;
using ::rectify::testing::ServerProcess;
using ::testing::HasSubstr;
using ::testing::StartsWith;

using Fields = std::map<std::string, std::string>;

// The "progress: LABEL k=v ..." lines of `err` with label `label`.
std::vector<Fields> ProgressLines(const std::string& err, const std::string& label) {
  std::vector<Fields> lines;
  for (absl::string_view line : absl::StrSplit(err, '\n', absl::SkipEmpty())) {
    std::vector<std::string> words = absl::StrSplit(line, ' ');
    if (words.size() < 2 || words[0] != "progress:" || words[1] != label) continue;
    Fields fields;
    for (size_t i = 2; i < words.size(); ++i) {
      std::vector<std::string> pair = absl::StrSplit(words[i], absl::MaxSplits('=', 1));
      fields[pair[0]] = pair.size() > 1 ? pair[1] : "";
    }
    lines.push_back(fields);
  }
  return lines;
}

int64_t Number(const Fields& fields, const std::string& key) {
  int64_t value = -1;
  EXPECT_TRUE(fields.count(key) > 0 && absl::SimpleAtoi(fields.at(key), &value)) << key;
  return value;
}

// The lines of `label` end with a "finished" line; done never goes back.
// Returns the final line.
Fields FinishedLine(const std::string& err, const std::string& label) {
  const std::vector<Fields> lines = ProgressLines(err, label);
  EXPECT_FALSE(lines.empty()) << "no progress lines for " << label << " in:\n" << err;
  if (lines.empty()) return {};
  int64_t previous = 0;
  for (const Fields& line : lines) {
    EXPECT_GE(Number(line, "done"), previous) << label;
    previous = Number(line, "done");
  }
  EXPECT_EQ(lines.back().count("finished"), 1u) << err;
  return lines.back();
}

class ProgressE2eTest : public ::testing::Test {
 protected:
  // Up to 60 seconds a command (the shared default is 30): these are the
  // long ones.
  static RunOptions Patient() {
    RunOptions options;
    options.timeout = absl::Seconds(60);
    return options;
  }

  CtlResult Ctl(const std::string& token, const std::vector<std::string>& args) {
    return RunRectifyctl(server_.address(), token, dir_.Sub("client"), dir_.path(), args,
                         Patient());
  }

  CtlResult Admin(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {Runfile("tools/rectify_admin")};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCommand(argv, dir_.path(), Patient());
  }

  void WriteFile(const std::string& path, const std::string& bytes) {
    std::ofstream file(path, std::ios::binary | std::ios::trunc);
    file << bytes;
  }

  rectify::testing::TempDir dir_;
  ServerProcess server_{dir_};
};

TEST_F(ProgressE2eTest, EveryLongCommandDrawsItsProgress) {
  server_.Start();
  // Sync: five reports recorded offline, then sent.
  constexpr int kCases = 5;
  for (int i = 1; i <= kCases; ++i) {
    CtlResult recorded =
        Ctl("demo-inspector", {"--offline", "report", absl::StrCat("--title=离线巡查问题", i),
                               "--category=air", "--severity=medium", "--source=inspection",
                               "--region=620722", absl::StrCat("--address=洪水镇第", i, "村")});
    ASSERT_EQ(recorded.exit_code, 0) << recorded.err;
  }
  CtlResult sync = Ctl("demo-inspector", {"--progress=lines", "sync"});
  ASSERT_EQ(sync.exit_code, 0) << sync.err;
  EXPECT_THAT(sync.out, HasSubstr("sent 5, set aside 0, pending 0"));
  Fields synced = FinishedLine(sync.err, "sync");
  EXPECT_EQ(Number(synced, "done"), kCases);
  EXPECT_EQ(Number(synced, "total"), kCases);
  EXPECT_EQ(synced["unit"], "commands");

  // The case ids, from the list (one per line, the id first).
  CtlResult listed = Ctl("demo-supervisor", {"--json", "list", "--region=620722"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const size_t at = listed.out.find("620722-");
  ASSERT_NE(at, std::string::npos) << listed.out;
  const std::string case_id = listed.out.substr(at, std::string("620722-2026-000001").size());

  // Evidence: 3 MiB and a few bytes up and down.
  const std::string bytes = "\xff\xd8\xff\xe0" + std::string(3 * 1024 * 1024, 'x');
  WriteFile(dir_.Sub("photo.jpg"), bytes);
  CtlResult uploaded =
      Ctl("demo-inspector", {"--progress=lines", "evidence", "upload", case_id,
                             dir_.Sub("photo.jpg"), "--kind=photo", "--media_type=image/jpeg"});
  ASSERT_EQ(uploaded.exit_code, 0) << uploaded.err;
  Fields up = FinishedLine(uploaded.err, "upload");
  EXPECT_EQ(Number(up, "done"), static_cast<int64_t>(bytes.size()));
  EXPECT_EQ(Number(up, "total"), static_cast<int64_t>(bytes.size()));
  EXPECT_EQ(up["unit"], "bytes");
  CtlResult downloaded = Ctl("demo-supervisor", {"--progress=lines", "evidence", "download",
                                                 case_id, "ev-1", "--out=" + dir_.Sub("copy.jpg")});
  ASSERT_EQ(downloaded.exit_code, 0) << downloaded.err;
  Fields down = FinishedLine(downloaded.err, "download");
  EXPECT_EQ(Number(down, "done"), static_cast<int64_t>(bytes.size()));
  EXPECT_EQ(Number(down, "total"), static_cast<int64_t>(bytes.size()));
  EXPECT_EQ(ReadFileOrEmpty(dir_.Sub("copy.jpg")), bytes);

  // List export: the bytes drawn are the bytes of the file written.
  CtlResult created =
      Ctl("demo-supervisor", {"--json", "list-create", "--title=整改清单", "--origin=round 2",
                              "--owner=minle-eeb", "--region=620722"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const size_t list_at = created.out.find("L-620722-");
  ASSERT_NE(list_at, std::string::npos);
  const std::string list_id = created.out.substr(list_at, std::string("L-620722-2026-0001").size());
  ASSERT_EQ(Ctl("demo-supervisor", {"list-add", list_id, "--case=" + case_id}).exit_code, 0);
  CtlResult exported = Ctl("demo-supervisor", {"--progress=lines", "list", "export", list_id,
                                               "--out=" + dir_.Sub("ledger.csv")});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  Fields export_line = FinishedLine(exported.err, "export");
  EXPECT_EQ(Number(export_line, "done"),
            static_cast<int64_t>(ReadFileOrEmpty(dir_.Sub("ledger.csv")).size()));
  EXPECT_GT(Number(export_line, "done"), 0);

  // Events now: 5 reports, 1 evidence, 1 list created, and the item added
  // (ListItemAdded on the list, CaseListed on the case).
  constexpr int kEvents = 9;
  constexpr int kStreams = 6;
  WriteFile(dir_.Sub("admin.token"), "demo-admin\n");
  const std::string server_flag = "--server=" + server_.address();
  const std::string token_flag = "--token_file=" + dir_.Sub("admin.token");
  CtlResult verified = Admin({"verify", server_flag, token_flag, "--progress=lines"});
  ASSERT_EQ(verified.exit_code, 0) << verified.err;
  EXPECT_THAT(verified.out, HasSubstr(absl::StrCat("verify: ", kStreams, " streams, ", kEvents,
                                                   " events")));
  EXPECT_THAT(verified.out, HasSubstr("verify: OK"));
  Fields verify_line = FinishedLine(verified.err, "verify");
  EXPECT_EQ(Number(verify_line, "done"), kEvents);
  EXPECT_EQ(Number(verify_line, "total"), kEvents);

  // The bar, forced (the output is a file here).
  CtlResult bar = Admin({"verify", server_flag, token_flag, "--progress=bar"});
  ASSERT_EQ(bar.exit_code, 0) << bar.err;
  EXPECT_THAT(bar.err, StartsWith("\r\x1b[Kverify ["));
  EXPECT_THAT(bar.err, HasSubstr(absl::StrCat("100%  ", kEvents, "/", kEvents, " events")));
  EXPECT_THAT(bar.err, ::testing::EndsWith("\n"));

  // Two online backups keeping one: the second deletes the first.
  const std::string backups = dir_.Sub("backups");
  for (int i = 0; i < 2; ++i) {
    CtlResult backed_up = Admin({"backup", server_flag, token_flag, "--backup_dir=" + backups,
                                 "--keep=1", "--progress=lines"});
    ASSERT_EQ(backed_up.exit_code, 0) << backed_up.err;
    EXPECT_THAT(backed_up.out, HasSubstr(absl::StrCat("backup: id ", i + 1, " in ", backups)));
    if (i == 1) {
      EXPECT_THAT(backed_up.out, HasSubstr("1 old deleted"));
    }
    Fields backup_line = FinishedLine(backed_up.err, "backup");
    EXPECT_EQ(backup_line["unit"], "bytes");
    // The bytes drawn are the bytes the server reports it wrote.
    EXPECT_THAT(backed_up.out,
                HasSubstr(absl::StrCat(Number(backup_line, "done"), " bytes written")));
  }
  // A refused call: a token of another role.
  WriteFile(dir_.Sub("inspector.token"), "demo-inspector\n");
  CtlResult refused = Admin({"backup", server_flag, "--token_file=" + dir_.Sub("inspector.token"),
                             "--backup_dir=" + backups});
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_THAT(refused.err, HasSubstr("for ADMINs only"));
  ASSERT_EQ(server_.Stop(), 0);

  // Restore (offline), which verifies the copy; then verify and rebuild it.
  const std::string restored = dir_.Sub("restored");
  CtlResult restore =
      Admin({"restore", "--backup_dir=" + backups, "--data_dir=" + restored, "--progress=lines"});
  ASSERT_EQ(restore.exit_code, 0) << restore.err << restore.out;
  Fields restore_line = FinishedLine(restore.err, "restore");
  EXPECT_GT(Number(restore_line, "done"), 0);
  EXPECT_EQ(Number(restore_line, "done"), Number(restore_line, "total"));
  Fields restore_verify = FinishedLine(restore.err, "verify");
  EXPECT_EQ(Number(restore_verify, "done"), kEvents);
  for (const char* command : {"verify", "rebuild"}) {
    CtlResult offline = Admin({command, "--data_dir=" + restored, "--progress=lines"});
    ASSERT_EQ(offline.exit_code, 0) << offline.err;
    Fields line = FinishedLine(offline.err, command);
    EXPECT_EQ(Number(line, "done"), kEvents) << command;
    EXPECT_EQ(Number(line, "total"), kEvents) << command;
  }
}

}  // namespace
}  // namespace rectify

// Crash safety: a child process (crash_writer) commits in a loop with sync
// on and reports each commit after Commit returned; the test SIGKILLs it at
// random moments, 25 times. After each kill the store must reopen, verify
// clean, hold every reported commit, and hold no case twice.
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "projection/verifier.h"
#include "storage/rocks_event_store.h"
#include "tests/status_matchers.h"
#include "tests/temp_dir.h"

extern char** environ;

namespace rectify::storage {
namespace {

constexpr int kKills = 25;

std::string WriterPath() {
  const char* srcdir = getenv("TEST_SRCDIR");
  const char* workspace = getenv("TEST_WORKSPACE");
  return std::string(srcdir != nullptr ? srcdir : ".") + "/" +
         (workspace != nullptr ? workspace : "rectify") + "/tests/storage/crash_writer";
}

struct Report {
  uint64_t last_position = 0;
  std::vector<std::string> case_ids;
};

// Runs crash_writer on `dir` until it has reported `reports_before_kill`
// commits, waits `extra_micros` more, kills it, and returns every report it
// made (the ones still in the pipe included).
std::vector<Report> RunAndKill(const std::string& dir, int reports_before_kill,
                               int extra_micros) {
  int out[2];
  EXPECT_EQ(pipe(out), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, out[0]);
  const std::string path = WriterPath();
  std::vector<char*> argv = {const_cast<char*>(path.c_str()), const_cast<char*>(dir.c_str()),
                             nullptr};
  pid_t child = 0;
  EXPECT_EQ(posix_spawn(&child, path.c_str(), &actions, nullptr, argv.data(), environ), 0)
      << path;
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]);

  std::string buffer;
  std::vector<Report> reports;
  auto take_lines = [&] {
    size_t newline;
    while ((newline = buffer.find('\n')) != std::string::npos) {
      std::vector<std::string> fields = absl::StrSplit(buffer.substr(0, newline), ' ');
      buffer.erase(0, newline + 1);
      Report report;
      report.last_position = std::stoull(fields[0]);
      report.case_ids.assign(fields.begin() + 1, fields.end());
      reports.push_back(std::move(report));
    }
  };
  char chunk[4096];
  while (static_cast<int>(reports.size()) < reports_before_kill) {
    const ssize_t n = read(out[0], chunk, sizeof(chunk));
    if (n <= 0) break;  // the child died on its own: the checks below will say why
    buffer.append(chunk, n);
    take_lines();
  }
  if (extra_micros > 0) usleep(extra_micros);
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status)) << "crash_writer exited by itself with "
                                   << (WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  // What it reported before it died is acknowledged too.
  ssize_t n;
  while ((n = read(out[0], chunk, sizeof(chunk))) > 0) buffer.append(chunk, n);
  take_lines();
  close(out[0]);
  return reports;
}

TEST(CrashSafetyTest, EveryAcknowledgedCommitSurvivesSigkill) {
  rectify::testing::TempDir dir;
  const std::string data_dir = dir.Sub("db");
  const unsigned seed = std::random_device()();
  SCOPED_TRACE(absl::StrFormat("seed %u", seed));
  std::mt19937 random(seed);

  std::vector<Report> acknowledged;
  for (int kill_number = 0; kill_number < kKills; ++kill_number) {
    SCOPED_TRACE(absl::StrFormat("kill %d", kill_number));
    // Kill after 1 to 12 reports, then up to 5 ms later: mid-commit, mid-sync
    // or between commits. The first run gets its store created first.
    const int reports = std::uniform_int_distribution<int>(1, 12)(random);
    const int extra = std::uniform_int_distribution<int>(0, 5000)(random);
    std::vector<Report> made = RunAndKill(data_dir, reports, extra);
    ASSERT_FALSE(made.empty()) << "crash_writer reported nothing";
    acknowledged.insert(acknowledged.end(), made.begin(), made.end());

    StoreOptions options;
    options.create_if_missing = false;
    ASSERT_OK_AND_ASSIGN(auto store, RocksEventStore::Open(data_dir, options));
    ASSERT_OK_AND_ASSIGN(projection::VerifyReport report,
                         projection::VerifyStore(*store, projection::VerifyOptions()));
    ASSERT_TRUE(report.ok()) << ::testing::PrintToString(report.problems);

    // Every acknowledged commit is there, at the position it was given.
    for (const Report& commit : acknowledged) {
      for (const std::string& id : commit.case_ids) {
        ASSERT_OK(store->GetCase(id).status()) << id;
      }
      ASSERT_OK_AND_ASSIGN(auto at, store->ReadLog(commit.last_position - 1, 1));
      ASSERT_EQ(at.size(), 1u);
      EXPECT_EQ(at[0].stream_id(), commit.case_ids.back());
    }
    // None twice: the log holds each case once, and the ids run 1..N.
    std::set<std::string> seen;
    uint64_t after = 0;
    for (;;) {
      ASSERT_OK_AND_ASSIGN(auto page, store->ReadLog(after, 1000));
      if (page.empty()) break;
      for (const v1::Event& event : page) {
        EXPECT_TRUE(seen.insert(event.stream_id()).second) << event.stream_id() << " twice";
      }
      after = page.back().position();
    }
    EXPECT_EQ(after, store->LastPosition());
    EXPECT_EQ(seen.size(), store->LastPosition());
    if (!seen.empty()) {
      EXPECT_EQ(*seen.rbegin(), absl::StrFormat("crash-%08d", seen.size()));
    }
  }
  EXPECT_GE(acknowledged.size(), static_cast<size_t>(kKills));
}

}  // namespace
}  // namespace rectify::storage

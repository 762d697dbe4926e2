// The offline outbox end to end with the real binaries: with the server down
// an inspector's tablet records 100 commands (reports, and assignments and
// reassignments of those cases by their local references); the server
// starts; `rectifyctl sync` is SIGKILLed at random moments a few times, then
// run to the end. The server holds every command exactly once, in the order
// recorded. Also: a command the server refuses is set aside with its reason
// and never retried.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "gtest/gtest.h"
#include "rectify/v1/case_service.pb.h"
#include "tests/e2e/rectifyctl_run.h"
#include "tests/server_process.h"
#include "tests/subprocess.h"
#include "tests/temp_dir.h"

namespace rectify {
namespace {

using ::rectify::testing::CtlResult;
using ::rectify::testing::ParseJson;
using ::rectify::testing::ReadFileOrEmpty;
using ::rectify::testing::RectifyctlArgv;
using ::rectify::testing::RunCommand;
using ::rectify::testing::Runfile;
using ::rectify::testing::ServerProcess;
using ::rectify::testing::Subprocess;
using ::testing::HasSubstr;

class OutboxE2eTest : public ::testing::Test {
 protected:
  // Before the server starts, --server points at a port nothing listens on.
  std::vector<std::string> Argv(const std::vector<std::string>& args) {
    return RectifyctlArgv(started_ ? server_.address() : std::string("127.0.0.1:1"),
                          "demo-supervisor", dir_.Sub("tablet"), args);
  }

  CtlResult Ctl(const std::vector<std::string>& args) {
    return RunCommand(Argv(args), dir_.path());
  }

  void StartServer() {
    server_.Start();
    started_ = true;
  }

  google::protobuf::ListValue OutboxEntries() {
    CtlResult listed = Ctl({"--json", "outbox"});
    EXPECT_EQ(listed.exit_code, 0) << listed.err;
    return ParseJson<google::protobuf::Struct>(listed.out).fields().at("entries").list_value();
  }

  v1::Case GetCase(const std::string& id, int* exit_code) {
    CtlResult read = Ctl({"--json", "get", id});
    *exit_code = read.exit_code;
    if (read.exit_code != 0) return v1::Case();
    return ParseJson<v1::GetCaseResponse>(read.out).case_();
  }

  rectify::testing::TempDir dir_;
  ServerProcess server_{dir_};
  bool started_ = false;
};

std::vector<std::string> OfflineReport(int i) {
  return {"--offline", "report", absl::StrCat("--title=离线巡查问题", i), "--category=air",
          "--severity=medium", "--source=inspection", "--region=620722",
          absl::StrCat("--address=洪水镇第", i, "村"), absl::StrCat("--command_id=tablet-r", i)};
}

TEST_F(OutboxE2eTest, HundredCommandsSurviveKilledSyncsExactlyOnceInOrder) {
  constexpr int kCases = 40;
  // 40 reports, 40 assignments, 20 reassignments: 100 commands, recorded
  // with the server down.
  int recorded = 0;
  for (int i = 1; i <= kCases; ++i) {
    CtlResult report = Ctl(OfflineReport(i));
    ASSERT_EQ(report.exit_code, 0) << report.err;
    ASSERT_THAT(report.out, HasSubstr(absl::StrCat("local:", i)));
    CtlResult assign = Ctl({"--offline", "assign", absl::StrCat("local:", i),
                            "--unit=minle-hongshui-town", "--requirements=覆盖料堆，开启雾炮"});
    ASSERT_EQ(assign.exit_code, 0) << assign.err;
    recorded += 2;
    if (i % 2 == 0) {
      CtlResult reassign = Ctl({"--offline", "reassign", absl::StrCat("local:", i),
                                "--unit=minle-psb", "--requirements=覆盖料堆", "--reason=属地调整"});
      ASSERT_EQ(reassign.exit_code, 0) << reassign.err;
      ++recorded;
    }
  }
  ASSERT_EQ(recorded, 100);
  // Syncing with the server down sends nothing and loses nothing.
  CtlResult early = Ctl({"sync"});
  EXPECT_EQ(early.exit_code, 4) << early.err;

  StartServer();
  std::mt19937 random(std::random_device{}());
  for (int round = 0; round < 4; ++round) {
    auto sync = Subprocess::Start(Argv({"sync"}), dir_.Sub("sync.out"), dir_.Sub("sync.err"));
    ASSERT_TRUE(sync.ok()) << sync.status();
    const int delay_ms = std::uniform_int_distribution<int>(20, 400)(random);
    usleep(delay_ms * 1000);
    sync->Signal(SIGKILL);
    absl::StatusOr<int> code = sync->Wait(absl::Seconds(30));
    ASSERT_TRUE(code.ok());
    SCOPED_TRACE(absl::StrCat("killed after ", delay_ms, " ms, exit ", *code));
  }
  CtlResult final_sync = Ctl({"sync"});
  ASSERT_EQ(final_sync.exit_code, 0) << final_sync.err << final_sync.out;
  EXPECT_THAT(final_sync.out, HasSubstr("set aside 0, pending 0"));

  // Every entry sent; reports mapped to ids in the order recorded.
  const google::protobuf::ListValue entries = OutboxEntries();
  ASSERT_EQ(entries.values_size(), 100);
  int report_number = 0;
  for (const auto& value : entries.values()) {
    const auto& fields = value.struct_value().fields();
    EXPECT_EQ(fields.at("state").string_value(), "sent")
        << fields.at("command").string_value() << " "
        << (fields.count("reason") > 0 ? fields.at("reason").string_value() : "");
    if (fields.at("command").string_value() == "report_case") {
      ++report_number;
      EXPECT_EQ(fields.at("case_id").string_value(),
                absl::StrFormat("620722-2026-%06d", report_number));
    }
  }
  EXPECT_EQ(report_number, kCases);

  // The server holds each case once, each follow-up once: every case with
  // the same history has the same version, the reassigned ones moved.
  int64_t assigned_version = 0, reassigned_version = 0;
  for (int i = 1; i <= kCases; ++i) {
    int code = 0;
    const v1::Case c = GetCase(absl::StrCat("local:", i), &code);
    ASSERT_EQ(code, 0) << i;
    EXPECT_EQ(c.case_id(), absl::StrFormat("620722-2026-%06d", i));
    EXPECT_EQ(c.title(), absl::StrCat("离线巡查问题", i));
    EXPECT_EQ(c.status(), v1::CASE_STATUS_ASSIGNED);
    int64_t& expected = i % 2 == 0 ? reassigned_version : assigned_version;
    if (expected == 0) expected = c.version();
    EXPECT_EQ(c.version(), expected) << c.case_id();
    EXPECT_EQ(c.responsible_unit(), i % 2 == 0 ? "minle-psb" : "minle-hongshui-town");
  }
  EXPECT_GT(reassigned_version, assigned_version);
  int code = 0;
  GetCase(absl::StrFormat("620722-2026-%06d", kCases + 1), &code);
  EXPECT_EQ(code, 3) << "a report was applied twice";
}

TEST_F(OutboxE2eTest, RefusedCommandsAreSetAsideWithTheServersReason) {
  ASSERT_EQ(Ctl(OfflineReport(1)).exit_code, 0);
  // Assigning without requirements: the server will refuse it.
  ASSERT_EQ(Ctl({"--offline", "assign", "local:1", "--unit=minle-hongshui-town"}).exit_code, 0);
  ASSERT_EQ(Ctl({"--offline", "close-unfounded", "local:1", "--reason=查无实据"}).exit_code, 0);
  // Bad input is refused before it is recorded.
  CtlResult bad = Ctl({"--offline", "assign", "local:9", "--unit=x"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.err, HasSubstr("local:9"));

  StartServer();
  CtlResult sync = Ctl({"sync"});
  ASSERT_EQ(sync.exit_code, 0) << sync.err;
  EXPECT_THAT(sync.out, HasSubstr("sent 2, set aside 1, pending 0"));
  CtlResult shown = Ctl({"outbox"});
  ASSERT_EQ(shown.exit_code, 0);
  EXPECT_THAT(shown.out, HasSubstr("set aside"));
  // The server's Chinese reason in the table; the English too with --json.
  EXPECT_THAT(shown.out, HasSubstr("INVALID_ARGUMENT: 整改要求：必填"));
  CtlResult json = Ctl({"--json", "outbox"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr("requirements: is required"));
  EXPECT_THAT(json.out, HasSubstr("整改要求：必填"));
  // Synced again: nothing is retried.
  CtlResult again = Ctl({"sync"});
  EXPECT_THAT(again.out, HasSubstr("sent 0, set aside 0, pending 0"));
  int code = 0;
  const v1::Case c = GetCase("local:1", &code);
  ASSERT_EQ(code, 0);
  EXPECT_EQ(c.status(), v1::CASE_STATUS_CLOSED);
  EXPECT_TRUE(c.closure().unfounded());
}

}  // namespace
}  // namespace rectify

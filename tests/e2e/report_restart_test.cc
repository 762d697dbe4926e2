// End to end with the real binaries: rectify_server on 127.0.0.1 port 0 with
// a temporary data directory, rectifyctl reporting a case with Chinese text
// in every field it has, a clean restart of the server, and the case read
// back with every field intact. Also: a retried report after the restart
// gets the original case, not a second one; bad input and foreign
// jurisdictions get the exit codes the README promises.
#include <signal.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
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
using ::rectify::testing::Runfile;
using ::rectify::testing::RunRectifyctl;
using ::rectify::testing::ServerProcess;
using ::rectify::testing::Subprocess;
using ::testing::HasSubstr;

class ReportRestartTest : public ::testing::Test {
 protected:
  CtlResult Ctl(const std::string& token, const std::vector<std::string>& args) {
    return RunRectifyctl(server_.address(), token, dir_.Sub("client"), dir_.path(), args);
  }

  rectify::testing::TempDir dir_;
  ServerProcess server_{dir_};
};

const std::vector<std::string> kReportFlags = {
    "--json",
    "report",
    "--command_id=tablet-07-000042",
    "--title=砂石料场扬尘未覆盖，周边村民投诉",
    "--description=北滩村砂石料场堆场约3000平方米未苫盖，现场扬尘明显；雾炮未开启。",
    "--category=air",
    "--severity=high",
    "--source=hotline_12369",
    "--source_ref=12369-2026-GS-004521",
    "--region=620722",
    "--address=甘肃省张掖市民乐县洪水镇北滩村",
    "--lat=38.4342",
    "--lon=100.8167",
    "--subject=民乐县某某建材有限公司",
    "--credit_code=91620722MA71000018",
    "--complainant=王秀英",
    "--phone=138-0936-0000",
    "--found_at=2026-11-28T09:30:00+08:00",
    "--tag=第二轮中央环保督察",
    "--tag=扬尘"};

// kReportFlags with one flag replaced, e.g. WithFlag("--title=x").
std::vector<std::string> WithFlag(const std::string& replacement) {
  std::vector<std::string> flags = kReportFlags;
  const std::string name = replacement.substr(0, replacement.find('=') + 1);
  for (std::string& flag : flags) {
    if (flag.rfind(name, 0) == 0) flag = replacement;
  }
  return flags;
}

v1::Case ParseCase(const std::string& json) {
  // ReportCaseResponse has the same `case` field first.
  return ParseJson<v1::GetCaseResponse>(json).case_();
}

TEST_F(ReportRestartTest, ReportedCaseSurvivesARestartWithEveryField) {
  server_.Start();
  CtlResult reported = Ctl("demo-supervisor", kReportFlags);
  ASSERT_EQ(reported.exit_code, 0) << reported.err;
  const v1::Case original = ParseCase(reported.out);
  EXPECT_EQ(original.case_id(), "620722-2026-000001");
  EXPECT_EQ(original.status(), v1::CASE_STATUS_FOUND);
  EXPECT_EQ(original.version(), 1);

  ASSERT_EQ(server_.Stop(), 0) << server_.last_stderr();
  server_.Start();

  CtlResult read = Ctl("demo-supervisor", {"--json", "get", original.case_id()});
  ASSERT_EQ(read.exit_code, 0) << read.err;
  const v1::Case restored = ParseCase(read.out);
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(original, restored))
      << "reported:\n" << original.DebugString() << "\nread back:\n" << restored.DebugString();
  // The fields a user checks, spelled out.
  EXPECT_EQ(restored.title(), "砂石料场扬尘未覆盖，周边村民投诉");
  EXPECT_EQ(restored.description(),
            "北滩村砂石料场堆场约3000平方米未苫盖，现场扬尘明显；雾炮未开启。");
  EXPECT_EQ(restored.category(), v1::CATEGORY_AIR);
  EXPECT_EQ(restored.severity(), v1::SEVERITY_HIGH);
  EXPECT_EQ(restored.source(), v1::CASE_SOURCE_HOTLINE_12369);
  EXPECT_EQ(restored.source_reference(), "12369-2026-GS-004521");
  EXPECT_EQ(restored.location().region_code(), "620722");
  EXPECT_EQ(restored.location().address(), "甘肃省张掖市民乐县洪水镇北滩村");
  EXPECT_DOUBLE_EQ(restored.location().point().latitude(), 38.4342);
  EXPECT_DOUBLE_EQ(restored.location().point().longitude(), 100.8167);
  EXPECT_EQ(restored.subject().name(), "民乐县某某建材有限公司");
  EXPECT_EQ(restored.subject().unified_social_credit_code(), "91620722MA71000018");
  EXPECT_EQ(restored.complainant().name(), "王秀英");
  EXPECT_EQ(restored.complainant().phone(), "138-0936-0000");
  EXPECT_EQ(restored.found_at().seconds(), 1795829400);  // 2026-11-28 09:30 +08:00
  EXPECT_THAT(restored.tags(), ::testing::ElementsAre("第二轮中央环保督察", "扬尘"));
  EXPECT_EQ(restored.reported_by().principal_id(), "sup-wang");
  EXPECT_EQ(restored.reported_by().display_name(), "王强");

  // The text view shows the Chinese title as it was typed.
  CtlResult text = Ctl("demo-inspector", {"get", original.case_id()});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, HasSubstr("title:       砂石料场扬尘未覆盖，周边村民投诉"));
  // An inspector does not see the complainant (personal data).
  EXPECT_THAT(text.out, ::testing::Not(HasSubstr("王秀英")));

  ASSERT_EQ(server_.Stop(), 0);
}

TEST_F(ReportRestartTest, RetriedReportAfterRestartGetsTheOriginalCase) {
  server_.Start();
  CtlResult first = Ctl("demo-supervisor", kReportFlags);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(server_.Stop(), 0);
  server_.Start();

  // The tablet never saw the reply and sends the same command again.
  CtlResult retried = Ctl("demo-supervisor", kReportFlags);
  ASSERT_EQ(retried.exit_code, 0) << retried.err;
  EXPECT_EQ(ParseCase(retried.out).case_id(), "620722-2026-000001");

  // A new command gets the next number.
  const std::vector<std::string> another = WithFlag("--command_id=tablet-07-000043");
  CtlResult second = Ctl("demo-supervisor", another);
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(ParseCase(second.out).case_id(), "620722-2026-000002");

  // Reusing a command id for a different command is refused.
  const std::vector<std::string> reused = WithFlag("--title=另一个问题");
  CtlResult refused = Ctl("demo-supervisor", reused);
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_THAT(refused.err, HasSubstr("already used for a different command"));
}

TEST_F(ReportRestartTest, BadInputAndForeignCallersGetTheDocumentedExitCodes) {
  server_.Start();
  // A bad credit code: the server names the field; exit 2; nothing written.
  const std::vector<std::string> bad = WithFlag("--credit_code=91620722MA71000019");
  CtlResult invalid = Ctl("demo-supervisor", bad);
  EXPECT_EQ(invalid.exit_code, 2);
  EXPECT_THAT(invalid.err, HasSubstr("subject.unified_social_credit_code"));
  CtlResult absent = Ctl("demo-supervisor", {"get", "620722-2026-000001"});
  EXPECT_EQ(absent.exit_code, 3);
  EXPECT_THAT(absent.err, HasSubstr("NOT_FOUND"));

  // A bad flag: usage and exit 2, without calling the server.
  CtlResult usage = Ctl("demo-supervisor", {"report", "--colour=red"});
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_THAT(usage.err, HasSubstr("unknown flag --colour"));

  CtlResult reported = Ctl("demo-supervisor", kReportFlags);
  ASSERT_EQ(reported.exit_code, 0) << reported.err;
  // Another county's inspector is refused; an unknown token is refused.
  CtlResult foreign = Ctl("demo-inspector-ganzhou", {"get", "620722-2026-000001"});
  EXPECT_EQ(foreign.exit_code, 3);
  EXPECT_THAT(foreign.err, HasSubstr("PERMISSION_DENIED"));
  CtlResult stranger = Ctl("not-a-token", {"get", "620722-2026-000001"});
  EXPECT_EQ(stranger.exit_code, 3);
  EXPECT_THAT(stranger.err, HasSubstr("UNAUTHENTICATED"));
}

TEST_F(ReportRestartTest, UnreachableServerIsExitCodeFour) {
  // Nothing listens on this port: the server was never started.
  CtlResult unreachable = RunRectifyctl("127.0.0.1:1", "demo-inspector", dir_.Sub("client"),
                                        dir_.path(), {"get", "620722-2026-000001"});
  EXPECT_EQ(unreachable.exit_code, 4) << unreachable.err;
}

}  // namespace
}  // namespace rectify

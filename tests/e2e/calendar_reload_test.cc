// The real rectify_server and rectifyctl: a rectification deadline counted
// into a year the loaded calendar has no arrangement for is provisional
// (GetCase's rule.provisional, 「暂定」 in `rectifyctl get`); restarting the
// server with a calendar that has that year recounts it as an event by the
// system (in `rectifyctl history`), and a second restart with the same file
// adds nothing.
//
// The server runs on the real clock, so the calendars are written around
// today: the first has only 2025 (every later year is computed), the second
// has every year from 2025 to next year as published sections (weekends
// only, no holidays: test data), so a 30-day deadline from today is
// provisional under the first and published under the second.
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
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
using ::rectify::testing::RunRectifyctl;
using ::rectify::testing::ServerProcess;
using ::testing::HasSubstr;
using ::testing::Not;

class CalendarReloadTest : public ::testing::Test {
 protected:
  std::string WriteCalendar(const std::string& name, int last_year) {
    std::string text = "# test data\nzone: Asia/Shanghai\nbeyond_table: statutory\n";
    for (int year = 2025; year <= last_year; ++year) absl::StrAppend(&text, "year: ", year, "\n");
    const std::string path = dir_.Sub(name);
    std::ofstream(path) << text;
    return path;
  }

  std::string Ctl(const std::string& token, const std::vector<std::string>& args) {
    CtlResult result =
        RunRectifyctl(server_.address(), token, dir_.Sub("client"), dir_.path(), args);
    EXPECT_EQ(result.exit_code, 0) << args[0] << ": " << result.err;
    return result.out;
  }

  v1::Case GetJson(const std::string& case_id) {
    return ParseJson<v1::GetCaseResponse>(Ctl("demo-supervisor", {"--json", "get", case_id}))
        .case_();
  }

  rectify::testing::TempDir dir_;
  ServerProcess server_{dir_};
};

TEST_F(CalendarReloadTest, ANewYearsTableRecountsTheProvisionalDeadlineOnce) {
  const int this_year = static_cast<int>(absl::ToCivilYear(absl::Now(), absl::FixedTimeZone(8 * 3600)).year());
  server_.set_extra_flags({"--calendar_file=" + WriteCalendar("old.txt", 2025)});
  server_.Start();
  const std::string json = Ctl("demo-inspector", {"--json", "report", "--title=砂石料场扬尘",
                                                  "--category=air", "--severity=medium",
                                                  "--source=inspection", "--region=620722100"});
  const v1::GetCaseResponse reported = ParseJson<v1::GetCaseResponse>(json);
  const std::string case_id = reported.case_().case_id();
  Ctl("demo-supervisor", {"assign", case_id, "--unit=minle-hongshui-town", "--requirements=覆盖料堆"});

  v1::Case before = GetJson(case_id);
  ASSERT_EQ(before.deadlines_size(), 1);
  EXPECT_TRUE(before.deadlines(0).rule().provisional());
  EXPECT_THAT(Ctl("demo-supervisor", {"get", case_id}), HasSubstr("暂定"));
  ASSERT_EQ(server_.Stop(), 0);

  server_.set_extra_flags({"--calendar_file=" + WriteCalendar("new.txt", this_year + 1)});
  server_.Start();
  v1::Case after = GetJson(case_id);
  EXPECT_FALSE(after.deadlines(0).rule().provisional());
  EXPECT_EQ(after.version(), before.version() + 1);
  EXPECT_THAT(Ctl("demo-supervisor", {"get", case_id}), Not(HasSubstr("暂定")));
  const std::string history = Ctl("demo-supervisor", {"history", case_id});
  EXPECT_THAT(history, HasSubstr("deadline_recounted"));
  EXPECT_THAT(history, HasSubstr("(system)"));
  ASSERT_EQ(server_.Stop(), 0);

  // The same file again: nothing to recount.
  server_.Start();
  EXPECT_EQ(GetJson(case_id).version(), after.version());
  ASSERT_EQ(server_.Stop(), 0);
}

}  // namespace
}  // namespace rectify

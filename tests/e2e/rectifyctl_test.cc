// End to end with the real binaries: every rectifyctl subcommand the server
// on main implements (rectification lists included), through a case's whole life cycle and a referral's,
// each step by the role DOMAIN.md gives it (demo tokens); the subcommands
// whose RPC the server does not offer yet build the right request
// (--dry_run) and end with UNIMPLEMENTED and exit 3; bad flags and bad input
// end with a usage message and exit 2 and change nothing.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
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
using ::rectify::testing::ReadFileOrEmpty;
using ::rectify::testing::RunCommand;
using ::rectify::testing::Runfile;
using ::rectify::testing::RunOptions;
using ::rectify::testing::RunRectifyctl;
using ::rectify::testing::ServerProcess;
using ::rectify::testing::Subprocess;
using ::testing::HasSubstr;
using ::testing::Not;

v1::Case ParseCase(const std::string& json) {
  // every mutating reply has `case` as field 1
  return ParseJson<v1::GetCaseResponse>(json).case_();
}

// An instant `days` from now as RFC 3339, for deadlines the server accepts.
std::string DaysFromNow(int days) {
  return absl::FormatTime(absl::RFC3339_sec, absl::Now() + absl::Hours(24 * days),
                          absl::FixedTimeZone(8 * 3600));
}

class RectifyctlTest : public ::testing::Test {
 protected:
  void SetUp() override { server_.Start(); }

  CtlResult Ctl(const std::string& token, const std::vector<std::string>& args) {
    return CtlIn("", token, args);
  }

  // Runs rectifyctl in the folder `cwd`, or in the test's own when `cwd` is
  // empty.
  CtlResult CtlIn(const std::string& cwd, const std::string& token,
                  const std::vector<std::string>& args) {
    RunOptions options;
    options.cwd = cwd;
    return RunRectifyctl(server_.address(), token, dir_.Sub("client"), dir_.path(), args, options);
  }

  // Runs a command that must succeed, with --json, and returns the case.
  v1::Case Step(const std::string& token, std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    CtlResult result = Ctl(token, args);
    EXPECT_EQ(result.exit_code, 0) << args[1] << ": " << result.err;
    return ParseCase(result.out);
  }

  std::string Report(const std::string& title) {
    v1::Case reported = Step("demo-inspector",
                             {"report", "--title=" + title, "--category=water",
                              "--severity=high", "--source=inspection", "--region=620722",
                              "--address=民乐县洪水镇", "--description=排污口未封堵"});
    EXPECT_EQ(reported.status(), v1::CASE_STATUS_FOUND);
    return reported.case_id();
  }

  rectify::testing::TempDir dir_;
  ServerProcess server_{dir_};
};

TEST_F(RectifyctlTest, TheWholeCaseLifeCycle) {
  const std::string id = Report("洪水河排污口污水直排");
  v1::Case c = Step("demo-supervisor", {"assign", id, "--unit=minle-hongshui-town",
                                        "--requirements=封堵排污口，十日内完成", "--due=" + DaysFromNow(20)});
  EXPECT_EQ(c.status(), v1::CASE_STATUS_ASSIGNED);
  EXPECT_EQ(c.responsible_unit(), "minle-hongshui-town");
  EXPECT_EQ(c.requirements(), "封堵排污口，十日内完成");

  c = Step("demo-rectifier", {"start", id, "--note=已组织施工队"});
  EXPECT_EQ(c.status(), v1::CASE_STATUS_RECTIFYING);
  c = Step("demo-rectifier", {"progress", id, "--text=已完成一半", "--percent=50"});
  ASSERT_EQ(c.progress_reports_size(), 1);
  EXPECT_EQ(c.progress_reports(0).text(), "已完成一半");
  EXPECT_EQ(c.progress_reports(0).percent_complete(), 50);

  const std::string asked = DaysFromNow(40);
  c = Step("demo-rectifier", {"extend", id, "--due=" + asked, "--reason=冬季冻土无法施工"});
  ASSERT_EQ(c.extension_requests_size(), 1);
  const std::string request_id = c.extension_requests(0).request_id();
  EXPECT_EQ(c.extension_requests(0).state(), v1::EXTENSION_STATE_REQUESTED);
  c = Step("demo-supervisor", {"decide-extension", id, request_id, "grant"});
  EXPECT_EQ(c.extension_requests(0).state(), v1::EXTENSION_STATE_GRANTED);

  c = Step("demo-rectifier", {"submit", id, "--summary=排污口已封堵"});
  EXPECT_TRUE(c.completion_pending());
  c = Step("demo-inspector", {"verify", id, "fail", "--notes=仍有渗漏"});
  EXPECT_EQ(c.status(), v1::CASE_STATUS_RECTIFYING);
  EXPECT_FALSE(c.verification().passed());
  c = Step("demo-rectifier", {"submit", id, "--summary=渗漏已处理"});
  c = Step("demo-inspector-2", {"verify", id, "pass", "--notes=现场复核合格"});
  EXPECT_EQ(c.status(), v1::CASE_STATUS_VERIFIED);
  c = Step("demo-supervisor", {"close", id, "--remark=销号"});
  EXPECT_EQ(c.status(), v1::CASE_STATUS_CLOSED);

  // The text view shows the same case; reopen and close-unfounded work too.
  CtlResult shown = Ctl("demo-supervisor", {"get", id});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("status:      CLOSED"));
  EXPECT_THAT(shown.out, HasSubstr("title:       洪水河排污口污水直排"));
  c = Step("demo-supervisor", {"reopen", id, "--reason=问题反弹", "--due=" + DaysFromNow(15)});
  EXPECT_EQ(c.status(), v1::CASE_STATUS_RECTIFYING);
  EXPECT_EQ(c.reopen_count(), 1);

  const std::string other = Report("举报核查");
  c = Step("demo-supervisor", {"close-unfounded", other, "--reason=查无实据"});
  EXPECT_EQ(c.status(), v1::CASE_STATUS_CLOSED);
  EXPECT_TRUE(c.closure().unfounded());

  // Reassign and object, on a third case.
  const std::string third = Report("三号");
  Step("demo-supervisor", {"assign", third, "--unit=minle-hongshui-town", "--requirements=整改"});
  c = Step("demo-supervisor",
           {"reassign", third, "--unit=minle-psb", "--requirements=整改", "--reason=职责调整"});
  EXPECT_EQ(c.responsible_unit(), "minle-psb");
}

TEST_F(RectifyctlTest, AReferralThroughDeclineReconsiderationSupervisionAndFiling) {
  const std::string id = Report("危险废物非法倾倒");
  Step("demo-supervisor", {"assign", id, "--unit=minle-hongshui-town", "--requirements=清运"});
  v1::Case c = Step("demo-inspector", {"referral", "propose", id, "--suspected_offence=污染环境罪",
                                       "--report=现场查获危险废物约20吨", "--officer=insp-zhang",
                                       "--officer=insp-li"});
  ASSERT_EQ(c.referrals_size(), 1);
  const std::string ref = c.referrals(0).referral_id();
  EXPECT_EQ(c.referrals(0).state(), v1::REFERRAL_STATE_PROPOSED);

  c = Step("demo-bureau-head", {"referral", "approve", id, ref, "--remark=同意移送"});
  EXPECT_EQ(c.referrals(0).state(), v1::REFERRAL_STATE_APPROVED);
  c = Step("demo-supervisor", {"referral", "send", id, ref, "--police=minle-psb",
                               "--procuratorate=minle-procuratorate"});
  EXPECT_EQ(c.referrals(0).state(), v1::REFERRAL_STATE_SENT);
  c = Step("demo-police", {"referral", "receive", id, ref});
  EXPECT_EQ(c.referrals(0).state(), v1::REFERRAL_STATE_RECEIVED);
  c = Step("demo-police", {"referral", "decide", id, ref, "--decision=declined",
                           "--reason=证据不足"});
  EXPECT_EQ(c.referrals(0).state(), v1::REFERRAL_STATE_DECLINED);
  c = Step("demo-supervisor", {"referral", "reconsider", id, ref, "--grounds=已补充检测报告"});
  EXPECT_EQ(c.referrals(0).state(), v1::REFERRAL_STATE_RECONSIDERATION_REQUESTED);
  c = Step("demo-police", {"referral", "decide-reconsideration", id, ref, "--decision=declined",
                           "--reason=维持不立案"});
  EXPECT_EQ(c.referrals(0).state(), v1::REFERRAL_STATE_DECLINE_UPHELD);
  c = Step("demo-supervisor", {"referral", "supervise", id, ref, "--grounds=提请检察院监督"});
  EXPECT_EQ(c.referrals(0).state(), v1::REFERRAL_STATE_SUPERVISION_REQUESTED);
  c = Step("demo-police", {"referral", "decide", id, ref, "--decision=filed",
                           "--police_case=民公刑立字〔2026〕88号"});
  EXPECT_EQ(c.referrals(0).state(), v1::REFERRAL_STATE_FILED);
  EXPECT_EQ(c.referrals(0).police_case_number(), "民公刑立字〔2026〕88号");

  // The server's refusal of a step out of order: exit 3 with its message.
  CtlResult refused = Ctl("demo-police", {"referral", "receive", id, ref});
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_THAT(refused.err, HasSubstr("FAILED_PRECONDITION"));
  // The server's Chinese reason first, the English line after it.
  const std::string chinese = absl::StrCat(
      "rectifyctl: 案件 ", id, " 的移送 ", ref,
      " 当前为“已立案”，只有“已移送待签收”的移送才能签收移送。当前可以：无（移送已办结）\n");
  EXPECT_THAT(refused.err, HasSubstr(chinese));
  EXPECT_LT(refused.err.find(chinese), refused.err.find("FAILED_PRECONDITION"));
  // The wrong role: exit 3, PERMISSION_DENIED.
  CtlResult denied = Ctl("demo-rectifier", {"referral", "withdraw", id, ref, "--reason=x"});
  EXPECT_EQ(denied.exit_code, 3);
  EXPECT_THAT(denied.err, HasSubstr("PERMISSION_DENIED"));
  EXPECT_THAT(denied.err,
              HasSubstr("rectifyctl: 只有科室负责人才能撤回移送；您的角色是整改责任单位\n"));
}

TEST_F(RectifyctlTest, EveryReadAndStreamBuildsItsRequestFromFlags) {
  const std::string id = Report("待查询");
  struct Call {
    std::vector<std::string> args;
    std::string request_json;  // a fragment of the --dry_run output
  };
  const std::string file = dir_.Sub("photo.jpg");
  FILE* out = std::fopen(file.c_str(), "wb");
  ASSERT_NE(out, nullptr);
  std::fputs("abc", out);
  std::fclose(out);
  const std::vector<Call> calls = {
      {{"list", "--status=rectifying", "--status=assigned", "--region=620722", "--overdue"},
       "\"CASE_STATUS_RECTIFYING\""},
      {{"history", id, "--page_size=20"}, "\"page_size\": 20"},
      {{"watch", "--after=5", "--case=" + id, "--limit=1"}, "\"after_position\": \"5\""},
      {{"evidence", "upload", id, file, "--kind=photo", "--media_type=image/jpeg"},
       // SHA-256 of "abc".
       "\"sha256\": \"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\""},
      {{"evidence", "download", id, "ev-1"}, "\"evidence_id\": \"ev-1\""},
      {{"lists", "--region=6207"}, "\"region_prefix\": \"6207\""},
      {{"notices", "--reason=overdue"}, "\"NOTICE_REASON_OVERDUE\""},
      {{"monthly-report", "2026", "11"}, "\"month\": 11"},
  };
  for (const Call& call : calls) {
    std::vector<std::string> dry = {"--dry_run"};
    dry.insert(dry.end(), call.args.begin(), call.args.end());
    CtlResult request = Ctl("demo-supervisor", dry);
    EXPECT_EQ(request.exit_code, 0) << call.args[0] << ": " << request.err;
    EXPECT_THAT(request.out, HasSubstr(call.request_json)) << call.args[0];
  }
}

TEST_F(RectifyctlTest, ListHistoryWatchAndEvidenceEndToEnd) {
  const std::string id = Report("河道旁堆放工业固废");
  // The list table shows the case with its Chinese title.
  CtlResult listed = Ctl("demo-supervisor", {"list", "--region=620722"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr(id));
  EXPECT_THAT(listed.out, HasSubstr("河道旁堆放工业固废"));
  // Another county's inspector lists nothing of Minle's.
  CtlResult foreign = Ctl("demo-inspector-ganzhou", {"list"});
  EXPECT_EQ(foreign.exit_code, 0) << foreign.err;
  EXPECT_THAT(foreign.out, Not(HasSubstr(id)));

  // Evidence: upload bytes, download them back, byte for byte.
  const std::string file = dir_.Sub("现场照片.jpg");
  const std::string bytes = "\xff\xd8\xff\xe0 jpeg bytes of the site";
  {
    FILE* out = std::fopen(file.c_str(), "wb");
    ASSERT_NE(out, nullptr);
    std::fwrite(bytes.data(), 1, bytes.size(), out);
    std::fclose(out);
  }
  CtlResult uploaded = Ctl("demo-inspector", {"evidence", "upload", id, file, "--kind=photo",
                                              "--media_type=image/jpeg"});
  ASSERT_EQ(uploaded.exit_code, 0) << uploaded.err;
  const std::string copy = dir_.Sub("copy.jpg");
  CtlResult downloaded =
      Ctl("demo-supervisor", {"evidence", "download", id, "ev-1", "--out=" + copy});
  ASSERT_EQ(downloaded.exit_code, 0) << downloaded.err;
  EXPECT_EQ(rectify::testing::ReadFileOrEmpty(copy), bytes);

  // History shows the report and the evidence; watch from 0 replays them.
  CtlResult history = Ctl("demo-supervisor", {"--json", "history", id});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  EXPECT_THAT(history.out, HasSubstr("case_reported"));
  EXPECT_THAT(history.out, HasSubstr("evidence_recorded"));
  CtlResult watched =
      Ctl("demo-supervisor", {"--json", "watch", "--after=0", "--case=" + id, "--limit=2"});
  ASSERT_EQ(watched.exit_code, 0) << watched.err;
  EXPECT_THAT(watched.out, HasSubstr("case_reported"));
  EXPECT_THAT(watched.out, HasSubstr("evidence_recorded"));
}

// Issue 11, item 1: an uploader cannot make an officer's rectifyctl write
// outside its folder. The server refuses a file name that is a path; a
// download without --out writes a plain name in the working folder, and
// never replaces an existing file unless --force is given.
TEST_F(RectifyctlTest, EvidenceFileNamesCannotEscapeTheFolder) {
  const std::string id = Report("排污口取证");
  const std::string file = dir_.Sub("photo.jpg");
  const std::string bytes = "\xff\xd8\xff\xe0 evidence bytes";
  {
    FILE* out = std::fopen(file.c_str(), "wb");
    ASSERT_NE(out, nullptr);
    std::fwrite(bytes.data(), 1, bytes.size(), out);
    std::fclose(out);
  }
  for (const char* name : {"../victim.txt", "/tmp/victim.txt", "..\\victim.txt", "..",
                                 "a\rb.jpg"}) {
    CtlResult refused = Ctl("demo-inspector", {"evidence", "upload", id, file, "--kind=photo",
                                               "--media_type=image/jpeg",
                                               std::string("--file_name=") + name});
    EXPECT_EQ(refused.exit_code, 2) << name << ": " << refused.err;
    EXPECT_THAT(refused.err, HasSubstr("INVALID_ARGUMENT")) << name;
    EXPECT_THAT(refused.err, HasSubstr("file_name")) << name;
  }
  CtlResult history = Ctl("demo-supervisor", {"--json", "history", id});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  EXPECT_THAT(history.out, Not(HasSubstr("evidence_recorded")));

  CtlResult uploaded = Ctl("demo-inspector", {"evidence", "upload", id, file, "--kind=photo",
                                              "--media_type=image/jpeg",
                                              "--file_name=排污口 整改前.jpg"});
  ASSERT_EQ(uploaded.exit_code, 0) << uploaded.err;
  // Without --out: the uploader's name, in the working folder (a fresh one).
  const std::string folder = dir_.Sub("downloads");
  ASSERT_EQ(mkdir(folder.c_str(), 0755), 0);
  const std::string saved = folder + "/排污口 整改前.jpg";
  CtlResult downloaded = CtlIn(folder, "demo-supervisor", {"evidence", "download", id, "ev-1"});
  ASSERT_EQ(downloaded.exit_code, 0) << downloaded.err;
  EXPECT_EQ(rectify::testing::ReadFileOrEmpty(saved), bytes);

  // An existing file is kept: exit 3, ALREADY_EXISTS; --force replaces it.
  {
    FILE* out = std::fopen(saved.c_str(), "wb");
    ASSERT_NE(out, nullptr);
    std::fputs("the officer's own notes", out);
    std::fclose(out);
  }
  CtlResult kept = CtlIn(folder, "demo-supervisor", {"evidence", "download", id, "ev-1"});
  EXPECT_EQ(kept.exit_code, 3) << kept.err;
  EXPECT_THAT(kept.err, HasSubstr("ALREADY_EXISTS"));
  EXPECT_THAT(kept.err, HasSubstr("--force"));
  EXPECT_EQ(rectify::testing::ReadFileOrEmpty(saved), "the officer's own notes");
  const std::string out = dir_.Sub("copy.jpg");
  ASSERT_EQ(Ctl("demo-supervisor", {"evidence", "download", id, "ev-1", "--out=" + out}).exit_code,
            0);
  CtlResult kept_out = Ctl("demo-supervisor", {"evidence", "download", id, "ev-1", "--out=" + out});
  EXPECT_EQ(kept_out.exit_code, 3) << kept_out.err;
  CtlResult forced =
      CtlIn(folder, "demo-supervisor", {"evidence", "download", id, "ev-1", "--force"});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_EQ(rectify::testing::ReadFileOrEmpty(saved), bytes);
}

// Issue 11: text that is not UTF-8 is refused naming the field (it used to
// be UNIMPLEMENTED with no message, and raw libprotobuf lines on the
// server's stderr); a full-width region code is named as such.
TEST_F(RectifyctlTest, BadTextIsRefusedNamingTheFieldAndTheServerLogStaysClean) {
  CtlResult refused = Ctl("demo-inspector", {"report", "--title=\xff\xfe排污", "--category=water",
                                             "--severity=high", "--source=inspection",
                                             "--region=620722"});
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_THAT(refused.err, HasSubstr("INVALID_ARGUMENT"));
  EXPECT_THAT(refused.err, HasSubstr("title: is not valid UTF-8 text"));
  CtlResult full_width = Ctl("demo-inspector", {"report", "--title=排污", "--category=water",
                                                "--severity=high", "--source=inspection",
                                                "--region=６２０７２２"});
  EXPECT_EQ(full_width.exit_code, 2) << full_width.err;
  EXPECT_THAT(full_width.err, HasSubstr("location.region_code"));
  EXPECT_THAT(full_width.err, HasSubstr("full-width"));
  const std::string log = server_.last_stderr();
  EXPECT_THAT(log, Not(HasSubstr("libprotobuf")));
  EXPECT_THAT(log, Not(HasSubstr("invalid UTF-8")));
  CtlResult listed = Ctl("demo-inspector", {"list"});
  EXPECT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, Not(HasSubstr("排污")));
}

TEST_F(RectifyctlTest, RectificationListsEndToEnd) {
  const std::string a = Report("饮用水源地违规建设");
  const std::string b = Report("河道采砂未恢复");
  Step("demo-supervisor", {"assign", a, "--unit=minle-hongshui-town", "--requirements=拆除",
                           "--due=" + DaysFromNow(20)});
  CtlResult created = Ctl("demo-supervisor",
                          {"--json", "list-create", "--title=第二轮中央督察反馈问题整改清单",
                           "--origin=central inspection round 2", "--owner=minle-eeb",
                           "--region=620722"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_THAT(created.out, HasSubstr("\"list_id\": \"L-620722-"));
  const size_t at = created.out.find("L-620722-");
  ASSERT_NE(at, std::string::npos);
  const std::string list_id = created.out.substr(at, std::string("L-620722-2026-0001").size());

  CtlResult added = Ctl("demo-supervisor", {"list-add", list_id, "--case=" + a, "--case=" + b});
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_THAT(added.out, HasSubstr("2 items"));
  CtlResult shown = Ctl("demo-inspector", {"list-show", list_id});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("minle-hongshui-town"));
  EXPECT_THAT(shown.out, HasSubstr("(unassigned)"));
  EXPECT_THAT(shown.out, HasSubstr("total"));
  EXPECT_THAT(shown.out, HasSubstr(b));

  // Open items: closing is refused (exit 3) and names them.
  CtlResult refused = Ctl("demo-supervisor", {"list-close", list_id});
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_THAT(refused.err, HasSubstr("FAILED_PRECONDITION"));
  EXPECT_THAT(refused.err, HasSubstr(a));

  const std::string csv_path = dir_.Sub("ledger.csv");
  CtlResult exported = Ctl("demo-supervisor", {"list", "export", list_id, "--out=" + csv_path});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  const std::string csv = ReadFileOrEmpty(csv_path);
  ASSERT_GE(csv.size(), 3u);
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_THAT(csv, HasSubstr("饮用水源地违规建设"));
  EXPECT_THAT(csv, HasSubstr("责任单位"));

  CtlResult removed =
      Ctl("demo-supervisor", {"list-remove", list_id, b, "--reason=不属于本轮反馈问题"});
  ASSERT_EQ(removed.exit_code, 0) << removed.err;
  EXPECT_THAT(removed.out, HasSubstr("1 items"));

  CtlResult lists = Ctl("demo-auditor", {"lists"});
  ASSERT_EQ(lists.exit_code, 0) << lists.err;
  EXPECT_THAT(lists.out, HasSubstr(list_id));
  // The other county sees neither the list nor its ledger.
  CtlResult foreign = Ctl("demo-inspector-ganzhou", {"lists"});
  EXPECT_EQ(foreign.exit_code, 0) << foreign.err;
  EXPECT_THAT(foreign.out, Not(HasSubstr(list_id)));
  CtlResult foreign_show = Ctl("demo-inspector-ganzhou", {"list-show", list_id});
  EXPECT_EQ(foreign_show.exit_code, 3);
  EXPECT_THAT(foreign_show.err, HasSubstr("PERMISSION_DENIED"));
}

// Issue 12, items 17, 16 and 7: `report` takes --occurred_at like every
// mutating command; a malformed case id is bad input (exit 2) naming
// case_id; an empty list's progress is "no items", not 100 %.
TEST_F(RectifyctlTest, ReportOccurredAtMalformedIdsAndEmptyLists) {
  CtlResult dry = Ctl("demo-inspector",
                      {"--dry_run", "report", "--title=河道排污", "--category=water",
                       "--severity=high", "--source=inspection", "--region=620722",
                       "--occurred_at=2026-11-28T09:30:00+08:00"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_THAT(dry.out, HasSubstr("\"occurred_at\": \"2026-11-28T01:30:00Z\""));
  const std::string two_hours_ago = absl::FormatTime(
      absl::RFC3339_sec, absl::Now() - absl::Hours(2), absl::FixedTimeZone(8 * 3600));
  CtlResult reported = Ctl("demo-inspector",
                           {"--json", "report", "--title=河道排污", "--category=water",
                            "--severity=high", "--source=inspection", "--region=620722",
                            "--occurred_at=" + two_hours_ago});
  ASSERT_EQ(reported.exit_code, 0) << reported.err;

  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"get", "not-a-case-id"},
                                             {"close", "not-a-case-id"}}) {
    // Also for a caller of another county: input comes before access.
    for (const char* token : {"demo-supervisor", "demo-inspector-ganzhou"}) {
      CtlResult bad = Ctl(token, args);
      EXPECT_EQ(bad.exit_code, 2) << args[0] << " " << token << ": " << bad.err;
      EXPECT_THAT(bad.err, HasSubstr("INVALID_ARGUMENT: case_id"));
    }
  }

  CtlResult created = Ctl("demo-supervisor",
                          {"--json", "list-create", "--title=空清单", "--owner=minle-eeb",
                           "--region=620722"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const size_t at = created.out.find("L-620722-");
  ASSERT_NE(at, std::string::npos);
  const std::string list_id = created.out.substr(at, std::string("L-620722-2026-0001").size());
  CtlResult shown = Ctl("demo-supervisor", {"list-show", list_id});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out, HasSubstr("no items"));
  EXPECT_THAT(shown.out, Not(HasSubstr("100.0%")));
  CtlResult refused = Ctl("demo-supervisor", {"list-close", list_id});
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_THAT(refused.err, HasSubstr("has no items"));
}

TEST_F(RectifyctlTest, MonthlyReportAndNoticesOfTheRunningMonth) {
  const std::string assigned = Report("砂石料场扬尘");
  Step("demo-supervisor", {"assign", assigned, "--unit=minle-hongshui-town",
                           "--requirements=覆盖料堆", "--due=" + DaysFromNow(20)});
  Report("河道垃圾");
  const absl::CivilSecond now = absl::ToCivilSecond(absl::Now(), absl::FixedTimeZone(8 * 3600));
  const std::string year = std::to_string(now.year());
  const std::string month = std::to_string(now.month());

  CtlResult table = Ctl("demo-supervisor", {"monthly-report", year, month});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("region 620722"));
  // The total row: 2 new, 1 assigned, none closed, 2 open, 0.0% closed.
  EXPECT_THAT(table.out, ::testing::ContainsRegex("total +2 +1 +0 +0 +0 +0 +0 +2 +0.0%"));
  EXPECT_THAT(table.out, ::testing::ContainsRegex("unit +minle-hongshui-town +0 +1 "));
  EXPECT_THAT(table.out, ::testing::ContainsRegex("unit +\\(unassigned\\) +2 +0 "));

  const std::string page_path = dir_.Sub("report.html");
  CtlResult html = Ctl("demo-supervisor", {"monthly-report", year, month, "--html=" + page_path});
  ASSERT_EQ(html.exit_code, 0) << html.err;
  const std::string page = ReadFileOrEmpty(page_path);
  EXPECT_THAT(page, HasSubstr("<svg"));
  EXPECT_THAT(page, HasSubstr("minle-hongshui-town"));

  // Nothing is late on the first day: no notices, and the call succeeds.
  CtlResult notices = Ctl("demo-supervisor", {"notices"});
  EXPECT_EQ(notices.exit_code, 0) << notices.err;
  EXPECT_THAT(notices.out, Not(HasSubstr(assigned)));

  // Another county's supervisor-level reader is refused the Minle prefix,
  // and a month that has not begun is bad input.
  CtlResult foreign = Ctl("demo-inspector-ganzhou",
                          {"monthly-report", year, month, "--region_prefix=620722"});
  EXPECT_EQ(foreign.exit_code, 3);
  EXPECT_THAT(foreign.err, HasSubstr("PERMISSION_DENIED"));
  CtlResult future = Ctl("demo-supervisor", {"monthly-report", std::to_string(now.year() + 1), "1"});
  EXPECT_EQ(future.exit_code, 2);
  EXPECT_THAT(future.err, HasSubstr("month"));
}

TEST_F(RectifyctlTest, BadFlagsAndBadInputAreUsageErrorsAndChangeNothing) {
  const std::string id = Report("坏输入");
  const std::vector<std::vector<std::string>> bad = {
      {"assign", id, "--colour=red"},                          // unknown flag
      {"assign"},                                              // no CASE_ID
      {"assign", id, id},                                      // one too many
      {"verify", id, "maybe"},                                 // neither pass nor fail
      {"referral", "decide", id, "ref-1", "--decision=perhaps"},  // not an enum value
      {"extend", id, "--due=next week", "--reason=x"},         // not a time
      {"progress", id, "--percent=half"},                      // not a number
      {"assign", id, "--unit=a", "--unit=b"},                  // given twice
      {"referral", "teleport", id},                            // no such step
      {"frobnicate"},                                          // no such command
      {"sync", "now"},                                         // takes no arguments
  };
  for (const auto& args : bad) {
    CtlResult result = Ctl("demo-supervisor", args);
    EXPECT_EQ(result.exit_code, 2) << args[0] << ": " << result.out;
    EXPECT_THAT(result.err, HasSubstr("Usage: rectifyctl")) << args[0];
  }
  // The server's INVALID_ARGUMENT (requirements missing) is exit 2 as well.
  CtlResult invalid = Ctl("demo-supervisor", {"assign", id, "--unit=minle-hongshui-town"});
  EXPECT_EQ(invalid.exit_code, 2);
  EXPECT_THAT(invalid.err, HasSubstr("requirements"));

  // Nothing changed: the case is still FOUND at version 1.
  CtlResult read = Ctl("demo-supervisor", {"--json", "get", id});
  ASSERT_EQ(read.exit_code, 0) << read.err;
  EXPECT_EQ(ParseCase(read.out).status(), v1::CASE_STATUS_FOUND);
  EXPECT_EQ(ParseCase(read.out).version(), 1);
}

TEST_F(RectifyctlTest, EverySubcommandHasHelp) {
  const std::vector<std::vector<std::string>> commands = {
      {"report"}, {"assign"}, {"reassign"}, {"start"}, {"progress"}, {"extend"},
      {"decide-extension"}, {"submit"}, {"verify"}, {"object"}, {"close"},
      {"close-unfounded"}, {"reopen"}, {"referral", "propose"}, {"referral", "approve"},
      {"referral", "refuse"}, {"referral", "send"}, {"referral", "receive"},
      {"referral", "extend-review"}, {"referral", "decide"}, {"referral", "reconsider"},
      {"referral", "decide-reconsideration"}, {"referral", "supervise"},
      {"referral", "explain"}, {"referral", "withdraw"}, {"get"}, {"list"}, {"history"},
      {"watch"}, {"evidence", "upload"}, {"evidence", "download"}, {"lists"}, {"list-create"},
      {"list-add"}, {"list-remove"}, {"list-close"}, {"list-show"}, {"list", "export"},
      {"notices"},
      {"monthly-report"}, {"sync"}, {"outbox"}};
  for (std::vector<std::string> args : commands) {
    const std::string name = args.size() == 2 ? args[0] + " " + args[1] : args[0];
    args.push_back("--help");
    CtlResult help = Ctl("demo-supervisor", args);
    EXPECT_EQ(help.exit_code, 0) << name;
    EXPECT_THAT(help.out, HasSubstr("Usage: rectifyctl " + name)) << name;
  }
  CtlResult top = Ctl("demo-supervisor", {"--help"});
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_THAT(top.out, HasSubstr("Exit codes"));
}

TEST_F(RectifyctlTest, TokenFromTheEnvironmentOrAConfigFile) {
  const std::string config = dir_.Sub("config");
  FILE* out = std::fopen(config.c_str(), "w");
  ASSERT_NE(out, nullptr);
  std::fprintf(out, "# a tablet\nserver = %s\ntoken = demo-inspector\n", server_.address().c_str());
  std::fclose(out);
  const std::vector<std::string> report = {
      Runfile("client/rectifyctl"), "--config=" + config, "--json", "report",
      "--title=配置文件", "--category=noise", "--severity=low", "--source=self_found",
      "--region=620722"};
  CtlResult from_file = RunCommand(report, dir_.path());
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  EXPECT_EQ(ParseCase(from_file.out).reported_by().principal_id(), "insp-zhang");

  // RECTIFY_TOKEN wins over the file.
  std::vector<std::string> again = report;
  again.push_back("--command_id=env-token-1");
  RunOptions with_env;
  with_env.env = {"RECTIFY_TOKEN=demo-supervisor"};
  CtlResult from_env = RunCommand(again, dir_.path(), with_env);
  ASSERT_EQ(from_env.exit_code, 0) << from_env.err;
  EXPECT_EQ(ParseCase(from_env.out).reported_by().principal_id(), "sup-wang");

  // A config file with a typo is a usage error.
  out = std::fopen(config.c_str(), "w");
  std::fputs("tokn = x\n", out);
  std::fclose(out);
  CtlResult typo = RunCommand(report, dir_.path());
  EXPECT_EQ(typo.exit_code, 2);
  EXPECT_THAT(typo.err, HasSubstr("unknown key"));
}

// Issue 21: the responsible units directory from the command line, and the
// tables that show the units' names (ids with --ids).
TEST_F(RectifyctlTest, UnitsDirectoryAndTablesWithNames) {
  const std::string file = dir_.Sub("units.textproto");
  {
    std::ofstream out(file);
    out << "units { unit_id: \"minle-hongshui-town\" details { full_name: \"洪水镇人民政府\" "
           "short_name: \"洪水镇\" kind: UNIT_KIND_TOWNSHIP region_code: \"620722\" "
           "contact { name: \"王红\" phone: \"0936-4420001\" } } }\n"
           "units { unit_id: \"minle-liuba-town\" details { full_name: \"六坝镇人民政府\" "
           "kind: UNIT_KIND_TOWNSHIP region_code: \"620722\" } }\n";
  }
  CtlResult imported = Ctl("demo-supervisor", {"import-units", file});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_THAT(imported.out, HasSubstr("2 created, 0 already in the directory"));
  imported = Ctl("demo-supervisor", {"import-units", file});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_THAT(imported.out, HasSubstr("0 created, 2 already in the directory"));

  // The directory as an inspector reads it: names, kind, status; no phone.
  CtlResult units = Ctl("demo-inspector", {"units"});
  ASSERT_EQ(units.exit_code, 0) << units.err;
  EXPECT_THAT(units.out, HasSubstr("洪水镇人民政府"));
  EXPECT_THAT(units.out, HasSubstr("乡镇"));
  EXPECT_THAT(units.out, HasSubstr("在用"));
  EXPECT_THAT(units.out, Not(HasSubstr("0936-4420001")));
  // The supervisor of the county reads the contact.
  units = Ctl("demo-supervisor", {"unit-show", "minle-hongshui-town"});
  ASSERT_EQ(units.exit_code, 0) << units.err;
  EXPECT_THAT(units.out, HasSubstr("0936-4420001"));

  const std::string id = Report("洪水河排污口污水直排");
  Step("demo-supervisor", {"assign", id, "--unit=minle-hongshui-town",
                           "--requirements=封堵排污口", "--due=" + DaysFromNow(20)});
  // The case table names the unit as people do; --ids shows the id.
  CtlResult listed = Ctl("demo-supervisor", {"list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("洪水镇人民政府"));
  EXPECT_THAT(listed.out, Not(HasSubstr("minle-hongshui-town")));
  listed = Ctl("demo-supervisor", {"--ids", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("minle-hongshui-town"));
  EXPECT_THAT(listed.out, Not(HasSubstr("洪水镇人民政府")));

  // A unit not in the directory, or retired, takes no case.
  const std::string other = Report("六坝镇养殖场粪污直排");
  CtlResult refused = Ctl("demo-supervisor", {"assign", other, "--unit=minle-nowhere",
                                              "--requirements=清理", "--due=" + DaysFromNow(20)});
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_THAT(refused.err, HasSubstr("responsible_unit: unit minle-nowhere is not in the units "
                                     "directory"));
  ASSERT_EQ(Ctl("demo-supervisor", {"unit-retire", "minle-liuba-town", "--reason=机构改革"})
                .exit_code,
            0);
  refused = Ctl("demo-supervisor", {"assign", other, "--unit=minle-liuba-town",
                                    "--requirements=清理", "--due=" + DaysFromNow(20)});
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_THAT(refused.err, HasSubstr("is retired"));
  units = Ctl("demo-inspector", {"units"});
  EXPECT_THAT(units.out, Not(HasSubstr("六坝镇人民政府")));
  units = Ctl("demo-inspector", {"units", "--include_retired"});
  EXPECT_THAT(units.out, HasSubstr("已撤销"));
  CtlResult history = Ctl("demo-supervisor", {"unit-history", "minle-liuba-town"});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  EXPECT_THAT(history.out, HasSubstr("unit_created"));
  EXPECT_THAT(history.out, HasSubstr("unit_retired"));
}

}  // namespace
}  // namespace rectify

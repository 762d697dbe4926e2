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
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "rectify/v1/case_service.pb.h"
#include "rectify/v1/supervision_service.pb.h"
#include "tests/csv_rows.h"
#include "tests/e2e/rectifyctl_run.h"
#include "tests/html_document.h"
#include "tests/server_process.h"
#include "tests/subprocess.h"
#include "tests/temp_dir.h"

namespace rectify {
namespace {

using ::rectify::testing::CtlResult;
using ::rectify::testing::HtmlDocument;
using ::rectify::testing::ParseJson;
using ::rectify::testing::ReadFileOrEmpty;
using ::rectify::testing::RunCommand;
using ::rectify::testing::Runfile;
using ::rectify::testing::RunOptions;
using ::rectify::testing::RunRectifyctl;
using ::rectify::testing::ServerProcess;
using ::rectify::testing::Subprocess;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

v1::Case ParseCase(const std::string& json) {
  // Every mutating reply has `case` as field 1.
  return ParseJson<v1::GetCaseResponse>(json).case_();
}

// The "names" object `--json` adds (docs/rectifyctl.md, "JSON"): its
// `group` ("units", "regions", "principals") as id -> name.
std::map<std::string, std::string> JsonNames(const std::string& json, const std::string& group) {
  const auto document = ParseJson<google::protobuf::Struct>(json);
  std::map<std::string, std::string> names;
  const auto found = document.fields().find("names");
  if (found == document.fields().end()) return names;
  const auto inner = found->second.struct_value().fields().find(group);
  if (inner == found->second.struct_value().fields().end()) return names;
  for (const auto& [id, name] : inner->second.struct_value().fields()) {
    names[id] = name.string_value();
  }
  return names;
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

  std::string Report(const std::string& title, const std::string& region = "620722") {
    v1::Case reported =
        Step("demo-inspector", {"report", "--title=" + title, "--category=water", "--severity=high",
                                "--source=inspection", "--region=" + region,
                                "--address=民乐县洪水镇", "--description=排污口未封堵"});
    EXPECT_EQ(reported.status(), v1::CASE_STATUS_FOUND);
    return reported.case_id();
  }

  // Writes `units` (text format of rectify.v1.UnitsFile) to a file and
  // imports it with `rectifyctl import-units` as the county's supervisor.
  CtlResult ImportUnits(const std::string& units) {
    const std::string file = dir_.Sub("units.textproto");
    std::ofstream(file) << units;
    return Ctl("demo-supervisor", {"import-units", file});
  }

  // Two units of the directory (the names as a bureau writes them): 洪水镇
  // (620722101 in the bureau's file config/regions_620722.txt) and a county
  // department of 民乐县 (620722).
  void ImportTwoUnits() {
    CtlResult imported = ImportUnits(
        "units { unit_id: \"minle-hongshui-town\" details { full_name: \"洪水镇人民政府\" "
        "kind: UNIT_KIND_TOWNSHIP region_code: \"620722101\" } }\n"
        "units { unit_id: \"minle-housing-bureau\" details { full_name: "
        "\"民乐县住房和城乡建设局\" kind: UNIT_KIND_COUNTY_DEPARTMENT "
        "region_code: \"620722\" } }\n");
    ASSERT_EQ(imported.exit_code, 0) << imported.err;
  }

  rectify::testing::TempDir dir_;
  // With the bureau's township file, so 620722101 reads 洪水镇.
  ServerProcess server_{dir_, {"--regions_file=" + Runfile("config/regions_620722.txt")}};
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

// Issue 21: the monthly report as tables and as the HTML page, with units
// of the directory, reads the names people read: the units' names from the
// directory and the regions' names from the region directory (洪水镇 from the
// bureau's config/regions_620722.txt, 民乐县 and 甘肃省张掖市民乐县 from GB/T
// 2260), the codes in the appendix beside the names.
TEST_F(RectifyctlTest, MonthlyReportAndNoticesOfTheRunningMonth) {
  ImportTwoUnits();
  const std::string assigned = Report("砂石料场扬尘", "620722101");
  Step("demo-supervisor", {"assign", assigned, "--unit=minle-hongshui-town",
                           "--requirements=覆盖料堆", "--due=" + DaysFromNow(20)});
  Report("河道垃圾");
  const absl::CivilSecond now = absl::ToCivilSecond(absl::Now(), absl::FixedTimeZone(8 * 3600));
  const std::string year = std::to_string(now.year());
  const std::string month = std::to_string(now.month());

  CtlResult table = Ctl("demo-supervisor", {"monthly-report", year, month});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("region 620722 甘肃省张掖市民乐县"));
  // The total row: 2 new, 1 assigned, none closed, 2 open, 0.0% closed.
  EXPECT_THAT(table.out, ::testing::ContainsRegex("total +2 +1 +0 +0 +0 +0 +0 +2 +0.0%"));
  // One new case in each region; the township's is the assigned one.
  EXPECT_THAT(table.out, ::testing::ContainsRegex("region +620722101 洪水镇 +1 +1 "));
  EXPECT_THAT(table.out, ::testing::ContainsRegex("region +620722 民乐县 +1 +0 "));
  EXPECT_THAT(table.out, ::testing::ContainsRegex("unit +洪水镇人民政府 +0 +1 "));
  EXPECT_THAT(table.out, ::testing::ContainsRegex("unit +\\(unassigned\\) +2 +0 "));
  EXPECT_THAT(table.out, Not(HasSubstr("minle-hongshui-town")));
  // --ids: the unit's id instead.
  table = Ctl("demo-supervisor", {"--ids", "monthly-report", year, month});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, ::testing::ContainsRegex("unit +minle-hongshui-town +0 +1 "));

  const std::string page_path = dir_.Sub("report.html");
  CtlResult html = Ctl("demo-supervisor", {"monthly-report", year, month, "--html=" + page_path});
  ASSERT_EQ(html.exit_code, 0) << html.err;
  const HtmlDocument page(ReadFileOrEmpty(page_path));
  ASSERT_TRUE(page.ok());
  EXPECT_THAT(page.Texts("//p[@class='meta']/span[1]"),
              ElementsAre("统计区域：甘肃省张掖市民乐县（620722）"));
  // The rows of the unit and region tables are headed by names.
  EXPECT_THAT(page.Texts("//section[@class='by-unit']//tbody/tr/th"),
              UnorderedElementsAre("洪水镇人民政府", "未交办", "合计"));
  EXPECT_THAT(page.Texts("//section[@class='by-region']//tbody/tr/th"),
              UnorderedElementsAre("洪水镇", "民乐县（本级）", "合计"));
  // The region chart's bars are labelled by name too (the label's own text,
  // beside its tooltip).
  EXPECT_THAT(page.Texts("//section[@class='by-region']//*[local-name()='text' and "
                         "@class='label']/text()"),
              UnorderedElementsAre("洪水镇", "民乐县（本级）"));
  // The appendix gives each region's code beside its name.
  EXPECT_THAT(page.Texts("//section[@class='region-codes']//li/span[@class='region-name']"),
              UnorderedElementsAre("洪水镇", "民乐县（本级）"));
  EXPECT_THAT(page.Texts("//section[@class='region-codes']//li"),
              UnorderedElementsAre("洪水镇：620722101", "民乐县（本级）：620722"));
  // No id anywhere a person reads it: the unit id is in no text of the page.
  EXPECT_THAT(page.Texts("//body//text()[contains(., 'minle-')]"), ::testing::IsEmpty());

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

// Issue 21: --json keeps every id where the reply has it and adds, in a
// top-level "names" object, the name of each id it names (docs/rectifyctl.md,
// "JSON"): units from the directory, regions from the region directory,
// principals from the display name the reply carries. Expected names: the
// units of ImportTwoUnits, the bureau's config/regions_620722.txt
// (620722101 洪水镇), GB/T 2260 (620722 民乐县) and the demo principals
// (insp-zhang 张伟, sup-wang 王强).
TEST_F(RectifyctlTest, JsonKeepsIdsAndAddsTheirNames) {
  ImportTwoUnits();
  const std::string id = Report("砂石料场扬尘", "620722101");
  Step("demo-supervisor", {"assign", id, "--unit=minle-hongshui-town", "--requirements=覆盖料堆",
                           "--due=" + DaysFromNow(20)});

  CtlResult got = Ctl("demo-supervisor", {"--json", "get", id});
  ASSERT_EQ(got.exit_code, 0) << got.err;
  const v1::Case c = ParseCase(got.out);
  EXPECT_EQ(c.responsible_unit(), "minle-hongshui-town");
  EXPECT_EQ(c.location().region_code(), "620722101");
  // The actors' unit (minle-eeb) is not in this directory: no name for it.
  EXPECT_THAT(JsonNames(got.out, "units"),
              ElementsAre(Pair("minle-hongshui-town", "洪水镇人民政府")));
  EXPECT_THAT(JsonNames(got.out, "regions"), ElementsAre(Pair("620722101", "洪水镇")));
  // The text view names the township from the bureau's file.
  CtlResult text = Ctl("demo-supervisor", {"get", id});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_THAT(text.out, ::testing::ContainsRegex("region: +620722101 甘肃省张掖市民乐县洪水镇\n"));
  const auto principals = JsonNames(got.out, "principals");
  EXPECT_EQ(principals.count("insp-zhang") ? principals.at("insp-zhang") : "", "张伟");
  EXPECT_EQ(principals.count("sup-wang") ? principals.at("sup-wang") : "", "王强");

  // A mutating reply, a list and the monthly report carry their names too.
  CtlResult assigned =
      Ctl("demo-supervisor", {"--json", "reassign", id, "--unit=minle-housing-bureau",
                              "--requirements=覆盖料堆", "--reason=职责调整"});
  ASSERT_EQ(assigned.exit_code, 0) << assigned.err;
  EXPECT_EQ(ParseCase(assigned.out).responsible_unit(), "minle-housing-bureau");
  EXPECT_THAT(JsonNames(assigned.out, "units"),
              ElementsAre(Pair("minle-housing-bureau", "民乐县住房和城乡建设局")));

  CtlResult listed = Ctl("demo-supervisor", {"--json", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const auto list = ParseJson<v1::ListCasesResponse>(listed.out);
  ASSERT_EQ(list.cases_size(), 1);
  EXPECT_EQ(list.cases(0).responsible_unit(), "minle-housing-bureau");
  EXPECT_THAT(JsonNames(listed.out, "units"),
              ElementsAre(Pair("minle-housing-bureau", "民乐县住房和城乡建设局")));

  const absl::CivilSecond now = absl::ToCivilSecond(absl::Now(), absl::FixedTimeZone(8 * 3600));
  CtlResult report = Ctl("demo-supervisor", {"--json", "monthly-report", std::to_string(now.year()),
                                             std::to_string(now.month())});
  ASSERT_EQ(report.exit_code, 0) << report.err;
  // The rows keep their keys (unit ids); each unit named has its name.
  const std::map<std::string, std::string> directory = {
      {"minle-hongshui-town", "洪水镇人民政府"},
      {"minle-housing-bureau", "民乐县住房和城乡建设局"}};
  const auto monthly = ParseJson<v1::GetMonthlyReportResponse>(report.out);
  std::map<std::string, std::string> expected;
  for (const v1::ReportRow& row : monthly.by_unit()) {
    if (row.key().empty()) continue;
    ASSERT_EQ(directory.count(row.key()), 1u) << row.key();
    expected[row.key()] = directory.at(row.key());
  }
  EXPECT_EQ(expected.count("minle-housing-bureau"), 1u);
  EXPECT_EQ(JsonNames(report.out, "units"), expected);
  EXPECT_THAT(JsonNames(report.out, "regions"),
              UnorderedElementsAre(Pair("620722", "民乐县"), Pair("620722101", "洪水镇")));

  // The units directory itself: each unit's id and its region's name.
  CtlResult units = Ctl("demo-inspector", {"--json", "units"});
  ASSERT_EQ(units.exit_code, 0) << units.err;
  EXPECT_THAT(JsonNames(units.out, "units"),
              UnorderedElementsAre(Pair("minle-hongshui-town", "洪水镇人民政府"),
                                   Pair("minle-housing-bureau", "民乐县住房和城乡建设局")));
  EXPECT_THAT(JsonNames(units.out, "regions"),
              UnorderedElementsAre(Pair("620722", "民乐县"), Pair("620722101", "洪水镇")));
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
  const std::string units_file =
      "units { unit_id: \"minle-hongshui-town\" details { full_name: \"洪水镇人民政府\" "
      "short_name: \"洪水镇\" kind: UNIT_KIND_TOWNSHIP region_code: \"620722\" "
      "contact { name: \"王红\" phone: \"0936-4420001\" } } }\n"
      "units { unit_id: \"minle-liuba-town\" details { full_name: \"六坝镇人民政府\" "
      "kind: UNIT_KIND_TOWNSHIP region_code: \"620722\" } }\n";
  CtlResult imported = ImportUnits(units_file);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_THAT(imported.out, HasSubstr("2 created, 0 already in the directory"));
  imported = ImportUnits(units_file);
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
  // Due at the end of a day 20 days on: 00:00 China time of the day after,
  // which people write as the day itself (2027-01-04, 2027年1月4日).
  const absl::TimeZone china = absl::FixedTimeZone(8 * 3600);
  const absl::CivilDay last_day = absl::ToCivilDay(absl::Now() + absl::Hours(24 * 20), china);
  const std::string due = absl::FormatCivilTime(last_day + 1) + "T00:00:00+08:00";
  const std::string iso_day = absl::FormatCivilTime(last_day);
  const std::string next_iso_day = absl::FormatCivilTime(last_day + 1);
  const std::string chinese_day =
      absl::StrFormat("%d年%d月%d日", last_day.year(), last_day.month(), last_day.day());
  Step("demo-supervisor",
       {"assign", id, "--unit=minle-hongshui-town", "--requirements=封堵排污口", "--due=" + due});
  // The case table names the unit as people do, and the due day; --ids
  // shows the id.
  CtlResult listed = Ctl("demo-supervisor", {"list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, ::testing::ContainsRegex("洪水镇人民政府 +" + iso_day + " "));
  EXPECT_THAT(listed.out, Not(HasSubstr(next_iso_day)));
  EXPECT_THAT(listed.out, Not(HasSubstr("minle-hongshui-town")));
  listed = Ctl("demo-supervisor", {"--ids", "list"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  EXPECT_THAT(listed.out, HasSubstr("minle-hongshui-town"));
  EXPECT_THAT(listed.out, Not(HasSubstr("洪水镇人民政府")));

  // `get` names the unit beside its id; --ids shows the id alone.
  CtlResult shown = Ctl("demo-supervisor", {"get", id});
  ASSERT_EQ(shown.exit_code, 0) << shown.err;
  EXPECT_THAT(shown.out,
              ::testing::ContainsRegex("unit: +洪水镇人民政府 \\(minle-hongshui-town\\)\n"));
  shown = Ctl("demo-supervisor", {"--ids", "get", id});
  EXPECT_THAT(shown.out, ::testing::ContainsRegex("unit: +minle-hongshui-town\n"));
  // The units table gives each unit's region by name beside its code
  // (GB/T 2260: 620722 民乐县).
  units = Ctl("demo-inspector", {"units"});
  EXPECT_THAT(units.out, HasSubstr("620722 民乐县"));
  // A rectification list's owner and region by name, in the lists table and
  // in list-show.
  CtlResult created = Ctl("demo-supervisor", {"--json", "list-create", "--title=洪水镇反馈问题",
                                              "--owner=minle-hongshui-town", "--region=620722"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::string list_id =
      ParseJson<v1::CreateRectificationListResponse>(created.out).list().list_id();
  CtlResult lists = Ctl("demo-supervisor", {"lists"});
  ASSERT_EQ(lists.exit_code, 0) << lists.err;
  EXPECT_THAT(lists.out, ::testing::ContainsRegex(
                             list_id + " +OPEN +620722 民乐县 +洪水镇人民政府 +洪水镇反馈问题"));
  CtlResult list_shown = Ctl("demo-supervisor", {"list-show", list_id});
  ASSERT_EQ(list_shown.exit_code, 0) << list_shown.err;
  EXPECT_THAT(list_shown.out, HasSubstr("owner: 洪水镇人民政府  region: 620722 民乐县"));
  // The ledger (CSV) of the list: the unit's name, the due day in Chinese,
  // the status in Chinese.
  ASSERT_EQ(Ctl("demo-supervisor", {"list-add", list_id, "--case=" + id}).exit_code, 0);
  const std::string ledger = dir_.Sub("names-ledger.csv");
  CtlResult exported = Ctl("demo-supervisor", {"list", "export", list_id, "--out=" + ledger});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  const std::string csv = ReadFileOrEmpty(ledger);
  ASSERT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  const auto rows = rectify::testing::ParseCsvRows(csv.substr(3));
  ASSERT_EQ(rows.size(), 2u) << csv;
  EXPECT_THAT(rows[1], ElementsAre("1", "洪水河排污口污水直排", "洪水镇人民政府", chinese_day,
                                   "封堵排污口", "", "已交办"));

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

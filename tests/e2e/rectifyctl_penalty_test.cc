// End to end with the real binaries: rectifyctl's penalty subcommands
// (issue 16) against rectify_server on 127.0.0.1:0, each step by the role
// DOMAIN.md gives it (demo tokens): a case → penalty case opened by the
// supervisor → filing approved by the bureau head → investigation by two
// inspectors → prior notice → decision with a 50,000 yuan fine (document
// number from the server) → service → payment → order to correct → its
// service → recheck found corrected → publication → closing; the queue with
// the days left, `penalty show` with its steps, the publication CSV; a
// refusal with the server's Chinese reason and exit 3; bad money and missing
// arguments with exit 2. The server runs the real clock, so this test's
// policy turns the 5-working-day hearing request window off (otherwise the
// decision may only follow it days later); every other clock is the default.
// PenaltyClocksTest takes the clocks themselves with the default policy, the
// server restarted on its data with its clock moved ahead
// (--test_clock_offset_hours): the hearing window and its 7-working-day
// notice, the daily penalty (fine × days) and the new order, the 3 %/day late
// surcharge and its cap, the remedy windows, compulsory execution refused
// before they end and accepted after, the two extensions, the publication
// export with its lateness flag, closing.
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rectify/v1/case_service.pb.h"
#include "rectify/v1/penalty_service.pb.h"
#include "tests/e2e/rectifyctl_run.h"
#include "tests/server_process.h"
#include "tests/subprocess.h"
#include "tests/temp_dir.h"

namespace rectify {
namespace {

using ::rectify::testing::ReadFileOrEmpty;
using ::rectify::testing::CtlResult;
using ::rectify::testing::ParseJson;
using ::rectify::testing::ServerProcess;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

std::string DaysFromNow(int days) {
  return absl::FormatTime(absl::RFC3339_sec, absl::Now() + absl::Hours(24 * days),
                          absl::FixedTimeZone(8 * 3600));
}

class RectifyctlPenaltyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    StartServer("# rectifyctl_penalty_test: the real clock cannot wait out the "
                "hearing request window\n"
                "deadline: PENALTY_HEARING_REQUEST off\n"
                "penalty_document_prefix: 民环罚\n",
                0);
  }

  // (Re)starts the server on the same data directory with `policy_text` as
  // its policy file and its clock `offset_hours` ahead of the real one.
  void StartServer(const std::string& policy_text, int offset_hours) {
    const std::string policy = dir_.Sub("policy.txt");
    std::ofstream(policy) << policy_text;
    server_.Stop();
    server_.set_extra_flags({"--policy_file=" + policy,
                             absl::StrCat("--test_clock_offset_hours=", offset_hours)});
    server_.Start();
  }

  CtlResult Ctl(const std::string& token, const std::vector<std::string>& args) {
    return rectify::testing::RunRectifyctl(server_.address(), token, dir_.Sub("client"), dir_.path(),
                                           args);
  }

  // A penalty step that must succeed, with --json; the penalty case after it.
  v1::PenaltyCase Step(const std::string& token, std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    CtlResult result = Ctl(token, args);
    EXPECT_EQ(result.exit_code, 0) << args[1] << " " << args[2] << ": " << result.err;
    return ParseJson<v1::GetPenaltyCaseResponse>(result.out).penalty_case();
  }

  std::string Report() {
    CtlResult r = Ctl("demo-inspector",
                      {"--json", "report", "--title=洪水河排污口污水直排", "--category=water",
                       "--severity=high", "--source=inspection", "--region=620722",
                       "--address=民乐县洪水镇", "--subject=民乐县某某建材有限公司",
                       "--credit_code=91620722MA71000018"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return ParseJson<v1::GetCaseResponse>(r.out).case_().case_id();
  }

  // A step the server must refuse with `chinese` in its reason, which
  // rectifyctl prints first: exit 3, or 2 for a field the server calls bad
  // input (INVALID_ARGUMENT).
  void Refused(const std::string& token, const std::vector<std::string>& args,
               const std::string& chinese, int exit_code = 3) {
    CtlResult result = Ctl(token, args);
    EXPECT_EQ(result.exit_code, exit_code) << args[1] << ": " << result.out << result.err;
    EXPECT_THAT(result.err.substr(0, result.err.find('\n')), HasSubstr(chinese)) << result.err;
  }

  v1::GetPenaltyCaseResponse Show(const std::string& id) {
    CtlResult result = Ctl("demo-supervisor", {"--json", "penalty", "show", id});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return ParseJson<v1::GetPenaltyCaseResponse>(result.out);
  }

  rectify::testing::TempDir dir_;
  ServerProcess server_{dir_};
};

// Issue 21: a penalty case opened from a case assigned to a unit of the
// directory names that unit as people read it, its id beside the name
// (--ids: the id alone); --json keeps the id and adds the name.
TEST_F(RectifyctlPenaltyTest, ShowNamesTheResponsibleUnit) {
  const std::string units = dir_.Sub("units.textproto");
  std::ofstream(units) << "units { unit_id: \"minle-jiancai\" details { full_name: "
                          "\"民乐县某某建材有限公司\" kind: UNIT_KIND_ENTERPRISE region_code: "
                          "\"620722\" unified_social_credit_code: \"91620722MA71000018\" } }\n";
  CtlResult imported = Ctl("demo-supervisor", {"import-units", units});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  const std::string case_id = Report();
  CtlResult assigned =
      Ctl("demo-supervisor", {"assign", case_id, "--unit=minle-jiancai", "--requirements=拆除暗管",
                              "--due=" + DaysFromNow(20)});
  ASSERT_EQ(assigned.exit_code, 0) << assigned.err;
  const v1::PenaltyCase p =
      Step("demo-supervisor", {"penalty", "open", case_id, "--violation=通过暗管排放水污染物"});
  EXPECT_EQ(p.responsible_unit(), "minle-jiancai");

  CtlResult show = Ctl("demo-supervisor", {"penalty", "show", p.penalty_case_id()});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("责任单位：民乐县某某建材有限公司（minle-jiancai）\n"));
  show = Ctl("demo-supervisor", {"--ids", "penalty", "show", p.penalty_case_id()});
  EXPECT_THAT(show.out, HasSubstr("责任单位：minle-jiancai\n"));
  show = Ctl("demo-supervisor", {"--json", "penalty", "show", p.penalty_case_id()});
  EXPECT_EQ(ParseJson<v1::GetPenaltyCaseResponse>(show.out).penalty_case().responsible_unit(),
            "minle-jiancai");
  EXPECT_THAT(show.out, HasSubstr("\"minle-jiancai\": \"民乐县某某建材有限公司\""));
}

TEST_F(RectifyctlPenaltyTest, MainPathFromCaseToClosing) {
  const std::string case_id = Report();
  v1::PenaltyCase p = Step("demo-supervisor", {"penalty", "open", case_id,
                                               "--violation=通过暗管排放水污染物"});
  const std::string id = p.penalty_case_id();
  EXPECT_THAT(id, MatchesRegex("P-620722-[0-9]{4}-[0-9]{4}"));
  EXPECT_EQ(p.status(), v1::PENALTY_STATUS_PROPOSED);
  EXPECT_EQ(p.source_case_id(), case_id);
  EXPECT_EQ(p.subject().name(), "民乐县某某建材有限公司");

  // The queue shows the filing clock, 15 calendar days from discovery (now).
  CtlResult queue = Ctl("demo-supervisor", {"penalty", "list", "--case=" + case_id});
  ASSERT_EQ(queue.exit_code, 0) << queue.err;
  EXPECT_THAT(queue.out, HasSubstr(id));
  EXPECT_THAT(queue.out, HasSubstr("待批准立案"));
  EXPECT_THAT(queue.out, HasSubstr("立案期限"));
  EXPECT_THAT(queue.out, MatchesRegex("(.|\n)*还剩 1[45] 天（[0-9]+ 个工作日）(.|\n)*"));

  // Only the bureau head files it: the supervisor's try is refused in Chinese.
  CtlResult refused = Ctl("demo-supervisor", {"penalty", "decide-filing", id, "approve"});
  EXPECT_EQ(refused.exit_code, 3) << refused.out;
  // The server's Chinese reason first, then the code and the English message.
  ASSERT_THAT(refused.err, HasSubstr("\nrectifyctl: "));
  EXPECT_NE(refused.err.substr(0, refused.err.find('\n')).find_first_of("\xE4\xE5\xE6\xE7\xE8\xE9"),
            std::string::npos)
      << refused.err;

  p = Step("demo-bureau-head", {"penalty", "decide-filing", id, "approve", "--remark=同意立案"});
  EXPECT_EQ(p.status(), v1::PENALTY_STATUS_FILED);
  p = Step("demo-inspector", {"penalty", "investigate", id, "--officer=insp-zhang",
                              "--officer=insp-li", "--report=现场查明暗管排放"});
  EXPECT_EQ(p.status(), v1::PENALTY_STATUS_INVESTIGATED);

  // Money is typed in yuan and sent as exact fen.
  CtlResult bad_money = Ctl("demo-supervisor", {"penalty", "notify", id, "--facts=x",
                                                "--grounds=y", "--kind=fine", "--fine=12.345"});
  EXPECT_EQ(bad_money.exit_code, 2);
  EXPECT_THAT(bad_money.err, HasSubstr("--fine=12.345 is not an amount in yuan"));
  p = Step("demo-supervisor",
           {"penalty", "notify", id, "--facts=通过暗管排放水污染物",
            "--grounds=《中华人民共和国水污染防治法》第八十三条", "--kind=fine", "--fine=50,000"});
  EXPECT_EQ(p.status(), v1::PENALTY_STATUS_NOTIFIED);
  EXPECT_EQ(p.prior_notice().intended().fine_fen(), 5'000'000);

  p = Step("demo-bureau-head",
           {"penalty", "decide", id, "--facts=通过暗管排放水污染物",
            "--basis=《中华人民共和国水污染防治法》第八十三条", "--kind=fine", "--fine=50000"});
  EXPECT_EQ(p.status(), v1::PENALTY_STATUS_DECIDED);
  ASSERT_EQ(p.decisions_size(), 1);
  const v1::PenaltyDecision decision = p.decisions(0);  // a copy: p is reassigned
  EXPECT_EQ(decision.terms().fine_fen(), 5'000'000);
  EXPECT_THAT(decision.document_number(), MatchesRegex("民环罚〔20[0-9]{2}〕1号"));
  const std::string d = decision.decision_id();

  p = Step("demo-supervisor", {"penalty", "serve", id, d});
  EXPECT_EQ(p.status(), v1::PENALTY_STATUS_SERVED);
  p = Step("demo-supervisor", {"penalty", "pay", id, d, "--fine=50000"});
  EXPECT_EQ(p.decisions(0).fine_paid_fen(), 5'000'000);
  EXPECT_TRUE(p.decisions(0).settled());

  p = Step("demo-supervisor", {"penalty", "order", id, "--requirements=拆除暗管，恢复原状",
                               "--due=" + DaysFromNow(10)});
  ASSERT_EQ(p.orders_size(), 1);
  const std::string o = p.orders(0).order_id();
  p = Step("demo-supervisor", {"penalty", "serve-order", id, o});
  EXPECT_EQ(p.orders(0).state(), v1::CORRECTION_ORDER_STATE_SERVED);

  // `penalty show` lists the steps so far and the recheck clock (30 days).
  CtlResult show = Ctl("demo-supervisor", {"penalty", "show", id});
  ASSERT_EQ(show.exit_code, 0) << show.err;
  for (const char* step : {"提请立案", "批准立案", "调查终结", "处罚事先告知", "处罚决定 民环罚",
                           "罚款 50,000.00 元", "送达 民环罚", "已缴清", "责令改正 " , "复查期限"}) {
    EXPECT_THAT(show.out, HasSubstr(step));
  }
  // 30 calendar days from service, a last day on a holiday moving to the
  // next working day (the server's calendar): at least 30 days left.
  EXPECT_THAT(show.out,
              MatchesRegex("(.|\n)*复查期限  截止 [0-9-]+  还剩 (3[0-9]) 天（[0-9]+ 个工作日）(.|\n)*"));

  p = Step("demo-inspector", {"penalty", "recheck", id, o, "corrected", "--officer=insp-zhang",
                              "--officer=insp-li", "--findings=暗管已拆除"});
  EXPECT_EQ(p.orders(0).state(), v1::CORRECTION_ORDER_STATE_CORRECTED);

  // The publication export: a CSV with the decision, before and after publishing.
  const std::string csv_file = dir_.Sub("publication.csv");
  CtlResult exported = Ctl("demo-supervisor", {"penalty", "export", "--out=" + csv_file});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  const std::string csv = ReadFileOrEmpty(csv_file);
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_THAT(csv, HasSubstr("文号,当事人,统一社会信用代码,违法事实摘要"));
  EXPECT_THAT(csv, HasSubstr(absl::StrCat(decision.document_number(),
                                          ",民乐县某某建材有限公司,91620722MA71000018,")));
  EXPECT_THAT(csv, HasSubstr(",\"罚款 50,000.00 元\",\"50,000.00\","));
  p = Step("demo-supervisor", {"penalty", "publish", id, d});
  EXPECT_TRUE(p.decisions(0).has_published_at());

  p = Step("demo-supervisor", {"penalty", "close", id, "--reason=performed"});
  EXPECT_EQ(p.status(), v1::PENALTY_STATUS_CLOSED);
  CtlResult history = Ctl("demo-supervisor", {"penalty", "history", id});
  ASSERT_EQ(history.exit_code, 0) << history.err;
  EXPECT_THAT(history.out, HasSubstr("penalty_case_closed"));
}

// The clocks of the penalty path end to end, the server restarted on the same
// data with its clock moved ahead (--test_clock_offset_hours) and the default
// policy (only the document prefix set). Every time the test sends is "day N
// at H:00", N days after the test's first day in China time, so that the
// server's "now" (the real time plus the offset) is always after it: with an
// offset of 24·K hours the server is on day K or K+1. Amounts and days are
// worked out by hand below, never by the code under test.
class PenaltyClocksTest : public RectifyctlPenaltyTest {
 protected:
  static constexpr char kPolicy[] = "penalty_document_prefix: 民环罚\n";

  void SetUp() override {
    first_day_ = absl::ToCivilDay(absl::Now(), China());
    StartServer(kPolicy, 0);
  }
  void MoveClockToDay(int day) { StartServer(kPolicy, 24 * day); }

  static absl::TimeZone China() { return absl::FixedTimeZone(8 * 3600); }
  absl::Time At(int day, int hour) const {
    return absl::FromCivil(absl::CivilHour(first_day_ + day) + hour, China());
  }
  std::string Flag(const std::string& name, int day, int hour) const {
    return absl::StrCat("--", name, "=",
                        absl::FormatTime(absl::RFC3339_sec, At(day, hour), China()));
  }
  std::string IsoDay(int day) const { return absl::FormatCivilTime(first_day_ + day); }
  // The amount of the rule of clock `deadline_id`, -1 when there is none.
  static int RuleAmount(const v1::PenaltyCase& penalty, const std::string& deadline_id) {
    for (const v1::Deadline& deadline : penalty.deadlines()) {
      if (deadline.deadline_id() == deadline_id) return deadline.rule().amount();
    }
    return -1;
  }

  absl::CivilDay first_day_;
};

TEST_F(PenaltyClocksTest, HearingDailyPenaltySurchargeRemediesExecutionPublication) {
  // ---- Day 0: a hotline case (personal data on it), the penalty case, the
  // filing clock extended once, filed, investigated, the prior notice of a
  // 50,000 yuan fine served now (the hearing request window opens).
  CtlResult reported = Ctl("demo-inspector",
                           {"--json", "report", "--title=洪水河排污口污水直排", "--category=water",
                            "--severity=high", "--source=hotline_12369", "--source_ref=12369-0001",
                            "--region=620722", "--address=民乐县洪水镇",
                            "--subject=民乐县某某建材有限公司", "--credit_code=91620722MA71000018",
                            "--complainant=王小明", "--phone=13912345678"});
  ASSERT_EQ(reported.exit_code, 0) << reported.err;
  const std::string case_id = ParseJson<v1::GetCaseResponse>(reported.out).case_().case_id();
  v1::PenaltyCase p = Step("demo-supervisor", {"penalty", "open", case_id,
                                               "--violation=通过暗管排放水污染物"});
  const std::string id = p.penalty_case_id();
  ASSERT_FALSE(id.empty());

  // The extension (2023 measures): 15 + 15 = 30 days, once.
  p = Step("demo-bureau-head", {"penalty", "extend-filing", id, "--reason=需补充调查当事人主体"});
  EXPECT_EQ(RuleAmount(p, "filing"), 30);
  Refused("demo-bureau-head", {"penalty", "extend-filing", id, "--reason=再次延长"},
          "已经延长");

  Step("demo-bureau-head", {"penalty", "decide-filing", id, "approve"});
  Step("demo-inspector", {"penalty", "investigate", id, "--officer=insp-zhang",
                          "--officer=insp-li", "--report=现场查明暗管排放"});
  // The facts carry a trade secret between 【】: never published.
  const std::string facts = "通过暗管排放水污染物【工艺配方保密】";
  p = Step("demo-supervisor", {"penalty", "notify", id, "--facts=" + facts,
                               "--grounds=《中华人民共和国水污染防治法》第八十三条",
                               "--kind=fine", "--fine=50000"});
  EXPECT_EQ(p.status(), v1::PENALTY_STATUS_NOTIFIED);
  // Within the window the decision waits for it.
  Refused("demo-bureau-head",
          {"penalty", "decide", id, "--facts=x", "--basis=y", "--kind=fine", "--fine=50000"},
          "前申请听证，期满后才能作出决定");

  // ---- Day 32.
  MoveClockToDay(32);
  // A request dated now (day 32) is past the 5 working days from day 0.
  Refused("demo-supervisor", {"penalty", "hearing-request", id}, "听证申请期限已于 ");
  // The party's request of day 1 was within it.
  p = Step("demo-supervisor", {"penalty", "hearing-request", id, Flag("requested_at", 1, 10)});
  EXPECT_EQ(p.status(), v1::PENALTY_STATUS_HEARING);
  // Notified on day 2 for day 5: 3 calendar days, fewer than 7 working days.
  Refused("demo-supervisor",
          {"penalty", "hearing-schedule", id, Flag("notified_at", 2, 10),
           Flag("scheduled_for", 5, 10), "--place=民乐县生态环境局听证室"},
          "须在举行听证的7个工作日前通知当事人，最早可定于 ", 2);
  // Notified on day 2 for day 30: 28 calendar days, at least 20 weekdays, and
  // no holiday break is longer than 9 days: 7 working days or more.
  p = Step("demo-supervisor", {"penalty", "hearing-schedule", id, Flag("notified_at", 2, 10),
                               Flag("scheduled_for", 30, 10), "--place=民乐县生态环境局听证室"});
  EXPECT_EQ(p.hearing().scheduled_for().seconds(), absl::ToUnixSeconds(At(30, 10)));
  p = Step("demo-supervisor",
           {"penalty", "hearing-record", id, Flag("held_at", 30, 12), "--record=当事人陈述申辩"});
  EXPECT_EQ(p.hearing().held_at().seconds(), absl::ToUnixSeconds(At(30, 12)));

  // The decision period (90 days from filing) extended once by 30: 120.
  p = Step("demo-bureau-head", {"penalty", "extend-decision", id, "--reason=案情复杂"});
  EXPECT_EQ(RuleAmount(p, "decision"), 120);

  p = Step("demo-bureau-head",
           {"penalty", "decide", id, "--facts=" + facts,
            "--basis=《中华人民共和国水污染防治法》第八十三条", "--kind=fine", "--fine=50000"});
  EXPECT_EQ(p.status(), v1::PENALTY_STATUS_DECIDED);
  ASSERT_EQ(p.decisions_size(), 1);
  const v1::PenaltyDecision d1 = p.decisions(0);
  const int d1_year = absl::ToCivilDay(absl::FromUnixSeconds(d1.decided_at().seconds()),
                                       China()).year();
  EXPECT_EQ(d1.document_number(), absl::StrCat("民环罚〔", d1_year, "〕1号"));
  p = Step("demo-supervisor", {"penalty", "serve", id, d1.decision_id()});
  EXPECT_EQ(p.status(), v1::PENALTY_STATUS_SERVED);

  // Compulsory execution before the remedy periods end is refused.
  Refused("demo-bureau-head",
          {"penalty", "execute", id, d1.decision_id(), "--court=民乐县人民法院"},
          "当事人申请复议或提起诉讼的期限（至 ");
  // A reconsideration filed now (the day of service): within 60 days.
  p = Step("demo-supervisor", {"penalty", "remedy", id, d1.decision_id(),
                               "--kind=reconsideration", "--body=民乐县人民政府"});
  ASSERT_EQ(p.decisions(0).remedies_size(), 1);
  EXPECT_FALSE(p.decisions(0).remedies(0).late());
  p = Step("demo-supervisor", {"penalty", "decide-remedy", id, d1.decision_id(),
                               "--kind=reconsideration", "--outcome=upheld"});
  EXPECT_EQ(p.decisions(0).remedies(0).outcome(), v1::REMEDY_OUTCOME_UPHELD);

  p = Step("demo-supervisor", {"penalty", "order", id, "--requirements=拆除暗管，恢复原状",
                               Flag("due", 40, 10)});
  ASSERT_EQ(p.orders_size(), 1);
  const std::string o1 = p.orders(0).order_id();

  // ---- Day 45: the order served on day 33; the unannounced recheck of day
  // 43 finds the violation continuing.
  MoveClockToDay(45);
  Step("demo-supervisor", {"penalty", "serve-order", id, o1, Flag("served_at", 33, 10)});
  p = Step("demo-inspector", {"penalty", "recheck", id, o1, "continuing", "--officer=insp-zhang",
                              "--officer=insp-li", Flag("rechecked_at", 43, 10),
                              "--findings=暗管仍在排放", Flag("next_correct_by", 70, 10)});
  ASSERT_EQ(p.decisions_size(), 2);
  ASSERT_EQ(p.orders_size(), 2);
  const v1::PenaltyDecision d2 = p.decisions(1);
  // The days: from the day after service (day 34) to the recheck day (day
  // 43), both counted: 43 - 34 + 1 = 10. The amount: the original fine
  // 50,000 yuan (5,000,000 fen) × 10 = 500,000 yuan = 50,000,000 fen.
  EXPECT_EQ(d2.kind(), v1::PENALTY_DECISION_KIND_DAILY);
  EXPECT_EQ(d2.daily_days(), 10);
  EXPECT_EQ(d2.daily_first_day(), IsoDay(34));
  EXPECT_EQ(d2.daily_last_day(), IsoDay(43));
  EXPECT_EQ(d2.terms().fine_fen(), 50'000'000);
  EXPECT_EQ(d2.original_decision_id(), d1.decision_id());
  const int d2_year = absl::ToCivilDay(absl::FromUnixSeconds(d2.decided_at().seconds()),
                                       China()).year();
  // Its own document number: the year's second, or the first of a new year.
  EXPECT_EQ(d2.document_number(),
            absl::StrCat("民环罚〔", d2_year, "〕", d2_year == d1_year ? 2 : 1, "号"));
  EXPECT_EQ(p.orders(0).state(), v1::CORRECTION_ORDER_STATE_CONTINUING);
  const std::string o2 = p.orders(1).order_id();
  EXPECT_EQ(p.orders(1).previous_order_id(), o1);
  EXPECT_EQ(p.orders(1).state(), v1::CORRECTION_ORDER_STATE_ISSUED);
  EXPECT_EQ(p.orders(1).correct_by().seconds(), absl::ToUnixSeconds(At(70, 10)));

  Step("demo-supervisor", {"penalty", "serve", id, d2.decision_id()});
  // Published on the day it was decided: not late.
  p = Step("demo-supervisor", {"penalty", "publish", id, d2.decision_id()});
  EXPECT_TRUE(p.decisions(1).has_published_at());
  p = Step("demo-supervisor", {"penalty", "serve-order", id, o2});
  EXPECT_EQ(p.orders(1).state(), v1::CORRECTION_ORDER_STATE_SERVED);

  // ---- Day 76: the second recheck (day 50) finds it corrected; the daily
  // penalty paid 5 days after its due day.
  MoveClockToDay(76);
  p = Step("demo-inspector", {"penalty", "recheck", id, o2, "corrected", "--officer=insp-zhang",
                              "--officer=insp-li", Flag("rechecked_at", 50, 10),
                              "--findings=暗管已拆除"});
  EXPECT_EQ(p.orders(1).state(), v1::CORRECTION_ORDER_STATE_CORRECTED);
  // The due day is the server's (15 days from service, moved past a
  // holiday by the calendar); the day the due instant's last moment falls in.
  ASSERT_TRUE(p.decisions(1).has_payment_due_at());
  const absl::CivilDay due_day = absl::ToCivilDay(
      absl::FromUnixSeconds(p.decisions(1).payment_due_at().seconds()) - absl::Seconds(1),
      China());
  const std::string paid_at = absl::FormatTime(
      absl::RFC3339_sec, absl::FromCivil(absl::CivilHour(due_day + 5) + 10, China()), China());
  p = Step("demo-supervisor", {"penalty", "pay", id, d2.decision_id(), "--fine=500000",
                               "--paid_at=" + paid_at});
  // 5 days late: 3 % × 5 = 15 % of 50,000,000 fen = 7,500,000 fen (75,000 yuan).
  EXPECT_EQ(p.decisions(1).surcharge_owed_fen(), 7'500'000);
  EXPECT_FALSE(p.decisions(1).settled());
  Refused("demo-supervisor",
          {"penalty", "pay", id, d2.decision_id(), "--surcharge=75000.01"},
          "超过应缴加处罚款（7500000 分）", 2);
  p = Step("demo-supervisor", {"penalty", "pay", id, d2.decision_id(), "--surcharge=75000"});
  EXPECT_TRUE(p.decisions(1).settled());
  EXPECT_EQ(p.decisions(1).surcharge_paid_fen(), 7'500'000);

  // ---- Day 240: the first decision unpaid past every period.
  MoveClockToDay(240);
  v1::GetPenaltyCaseResponse shown = Show(id);
  ASSERT_EQ(shown.surcharges_size(), 1);
  // Due at the latest on day 32 + 15 + 9 (the longest holiday) = day 56; on
  // day 240 at least 184 days late, and 3 % × 34 days already passes 100 %:
  // the surcharge is capped at the fine, 5,000,000 fen.
  EXPECT_EQ(shown.surcharges(0).decision_id(), d1.decision_id());
  EXPECT_GE(shown.surcharges(0).days_late(), 184);
  EXPECT_EQ(shown.surcharges(0).fine_unpaid_fen(), 5'000'000);
  EXPECT_EQ(shown.surcharges(0).surcharge_unpaid_fen(), 5'000'000);

  // A lawsuit filed now, past the 6 months from service (day 32 + 6 months
  // + a holiday ≤ day 226): recorded, flagged late; while it is pending the
  // court is not applied to.
  p = Step("demo-supervisor", {"penalty", "remedy", id, d1.decision_id(), "--kind=lawsuit",
                               "--body=民乐县人民法院"});
  ASSERT_EQ(p.decisions(0).remedies_size(), 2);
  EXPECT_TRUE(p.decisions(0).remedies(1).late());
  Refused("demo-bureau-head",
          {"penalty", "execute", id, d1.decision_id(), "--court=民乐县人民法院"},
          "复议或诉讼尚在进行中，不能申请强制执行");
  Step("demo-supervisor", {"penalty", "decide-remedy", id, d1.decision_id(), "--kind=lawsuit",
                           "--outcome=withdrawn"});
  Refused("demo-supervisor",
          {"penalty", "execute", id, d1.decision_id(), "--court=民乐县人民法院"},
          "才能申请法院强制执行（您的角色：");
  // Within 3 months after the periods ended (≤ day 226 + 92): not late.
  p = Step("demo-bureau-head",
           {"penalty", "execute", id, d1.decision_id(), "--court=民乐县人民法院"});
  EXPECT_TRUE(p.decisions(0).has_execution_applied_at());

  // The publication export: the first decision unpublished and late, the
  // daily one published on time; no personal data, no trade secret.
  const std::string csv_file = dir_.Sub("publication-240.csv");
  CtlResult exported = Ctl("demo-supervisor", {"penalty", "export", "--out=" + csv_file});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  const std::string csv = ReadFileOrEmpty(csv_file);
  EXPECT_THAT(csv, HasSubstr("文号,当事人,统一社会信用代码,违法事实摘要,处罚依据,处罚内容,"));
  const std::string d1_row =
      absl::StrCat(d1.document_number(), ",民乐县某某建材有限公司,91620722MA71000018,");
  const std::string d2_row =
      absl::StrCat(d2.document_number(), ",民乐县某某建材有限公司,91620722MA71000018,");
  ASSERT_THAT(csv, HasSubstr(d1_row));
  ASSERT_THAT(csv, HasSubstr(d2_row));
  const size_t d1_at = csv.find(d1_row);
  const std::string d1_line = csv.substr(d1_at, csv.find("\r\n", d1_at) - d1_at);
  const size_t d2_at = csv.find(d2_row);
  const std::string d2_line = csv.substr(d2_at, csv.find("\r\n", d2_at) - d2_at);
  EXPECT_THAT(d1_line, HasSubstr("《中华人民共和国水污染防治法》第八十三条"));
  EXPECT_THAT(d1_line, HasSubstr("通过暗管排放水污染物"));
  EXPECT_THAT(d1_line, HasSubstr(",\"罚款 50,000.00 元\",\"50,000.00\","));
  EXPECT_THAT(d1_line, HasSubstr(absl::FormatTime(
                           "%Y-%m-%d", absl::FromUnixSeconds(d1.decided_at().seconds()), China())));
  EXPECT_THAT(d1_line, ::testing::EndsWith(",逾期"));
  EXPECT_THAT(d2_line, HasSubstr(",\"罚款 500,000.00 元\",\"500,000.00\","));
  EXPECT_THAT(d2_line, ::testing::EndsWith(","));
  EXPECT_THAT(d2_line, HasSubstr("《中华人民共和国环境保护法》第五十九条"));
  for (const char* secret : {"工艺配方保密", "王小明", "13912345678"}) {
    EXPECT_THAT(csv, ::testing::Not(HasSubstr(secret)));
  }

  // Published now, long after its 7 working days: flagged late.
  p = Step("demo-supervisor", {"penalty", "publish", id, d1.decision_id()});
  EXPECT_TRUE(p.decisions(0).has_published_at());
  CtlResult queue = Ctl("demo-supervisor", {"penalty", "export", "--unpublished_only",
                                            "--out=" + dir_.Sub("unpublished.csv")});
  ASSERT_EQ(queue.exit_code, 0) << queue.err;
  EXPECT_THAT(ReadFileOrEmpty(dir_.Sub("unpublished.csv")),
              ::testing::Not(HasSubstr(d1.document_number())));
  exported = Ctl("demo-supervisor", {"penalty", "export", "--out=" + csv_file});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  const std::string after = ReadFileOrEmpty(csv_file);
  const size_t published_at = after.find(d1_row);
  ASSERT_NE(published_at, std::string::npos);
  EXPECT_THAT(after.substr(published_at, after.find("\r\n", published_at) - published_at),
              ::testing::EndsWith(",逾期"));

  // Closing: not PERFORMED (the first fine is unpaid), EXECUTED with a remark.
  Refused("demo-supervisor", {"penalty", "close", id, "--reason=performed"}, "尚未送达并履行完毕");
  p = Step("demo-supervisor",
           {"penalty", "close", id, "--reason=executed", "--remark=已申请民乐县人民法院强制执行"});
  EXPECT_EQ(p.status(), v1::PENALTY_STATUS_CLOSED);
}

TEST_F(RectifyctlPenaltyTest, BadUsageChangesNothing) {
  CtlResult no_id = Ctl("demo-supervisor", {"penalty", "serve"});
  EXPECT_EQ(no_id.exit_code, 2);
  EXPECT_THAT(no_id.err, HasSubstr("penalty serve takes PENALTY_CASE_ID DECISION_ID"));
  CtlResult no_out = Ctl("demo-supervisor", {"penalty", "export"});
  EXPECT_EQ(no_out.exit_code, 2);
  EXPECT_THAT(no_out.err, HasSubstr("--out=FILE is needed"));
  CtlResult unknown = Ctl("demo-supervisor", {"penalty", "show", "P-620722-2026-9999"});
  EXPECT_EQ(unknown.exit_code, 3);
  EXPECT_THAT(unknown.err, HasSubstr("NOT_FOUND"));
  CtlResult dry = Ctl("demo-supervisor", {"--dry_run", "penalty", "decide", "P-1", "--kind=fine",
                                          "--fine=0.01"});
  EXPECT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_THAT(dry.out, HasSubstr("\"fine_fen\": \"1\""));
}

}  // namespace
}  // namespace rectify

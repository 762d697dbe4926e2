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
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "rectify/v1/case_service.pb.h"
#include "rectify/v1/penalty_service.pb.h"
#include "tests/server_process.h"
#include "tests/subprocess.h"
#include "tests/temp_dir.h"

namespace rectify {
namespace {

using ::rectify::testing::ReadFileOrEmpty;
using ::rectify::testing::Runfile;
using ::rectify::testing::ServerProcess;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;

struct CtlResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

template <typename Message>
Message ParseJson(const std::string& json) {
  Message reply;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  const auto status = google::protobuf::util::JsonStringToMessage(json, &reply, options);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << json;
  return reply;
}

std::string DaysFromNow(int days) {
  return absl::FormatTime(absl::RFC3339_sec, absl::Now() + absl::Hours(24 * days),
                          absl::FixedTimeZone(8 * 3600));
}

class RectifyctlPenaltyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string policy = dir_.Sub("policy.txt");
    std::ofstream(policy) << "# rectifyctl_penalty_test: the real clock cannot wait out the "
                             "hearing request window\n"
                             "deadline: PENALTY_HEARING_REQUEST off\n"
                             "penalty_document_prefix: 民环罚\n";
    server_.set_extra_flags({"--policy_file=" + policy});
    server_.Start();
  }

  CtlResult Ctl(const std::string& token, const std::vector<std::string>& args) {
    std::vector<std::string> argv = {Runfile("client/rectifyctl"),
                                     "--server=" + server_.address(), "--token=" + token,
                                     "--client_dir=" + dir_.Sub("client")};
    argv.insert(argv.end(), args.begin(), args.end());
    CtlResult result;
    absl::StatusOr<int> code = rectify::testing::Run(argv, dir_.path(), &result.out, &result.err);
    EXPECT_TRUE(code.ok()) << code.status();
    result.exit_code = code.ok() ? *code : -1;
    return result;
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

  rectify::testing::TempDir dir_;
  ServerProcess server_{dir_};
};

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

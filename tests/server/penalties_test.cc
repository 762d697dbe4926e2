// PenaltyService end to end on a real gRPC server (127.0.0.1, port 0) over a
// real RocksDB store, the time a SimulatedClock: a case not rectified by its
// deadline (the scheduler marks it) → a penalty case → its fine → an order to
// correct → the recheck finds it continuing → a daily penalty of N days with
// the exact amount → the second recheck finds it corrected → closed; the case
// shows its penalty case; a returned referral opens one; who reads what and
// who acts (auditor, rectifier, police, procuratorate);
// document numbers never reused across a restart (the store reopened); verify
// folds the penalty streams; the monthly report's penalty figures.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/proto_time.h"
#include "base/simulated_clock.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "projection/reports.h"
#include "projection/verifier.h"
#include "rectify/v1/case_service.grpc.pb.h"
#include "rectify/v1/penalty_service.grpc.pb.h"
#include "rectify/v1/user_message.pb.h"
#include "server/case_service.h"
#include "server/deadline_scheduler.h"
#include "server/penalty_service.h"
#include "server/pipeline.h"
#include "server/principals.h"
#include "storage/rocks_event_store.h"
#include "tests/server/grpc_call.h"
#include "tests/server/loopback.h"
#include "tests/server/seed_units.h"
#include "tests/status_matchers.h"
#include "tests/subprocess.h"
#include "tests/temp_dir.h"
#include "workflow/policy.h"

namespace rectify::server {
namespace {

using ::rectify::testing::CallAs;
using ::rectify::testing::ChineseOf;
using ::testing::HasSubstr;

// China time (UTC+8).
absl::Time Cst(int y, int m, int d, int hh = 0, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), absl::FixedTimeZone(8 * 3600));
}

// The server: store, pipeline, CaseService and PenaltyService on loopback.
class Server {
 public:
  absl::Status Start(const std::string& principals_text, const workflow::Policy& policy,
                     SimulatedClock& clock, const std::string& dir) {
    absl::Status opened =
        rectify::testing::OpenRegistryAndStore(principals_text, clock, dir, principals_, store_);
    if (!opened.ok()) return opened;
    pipeline_ = std::make_unique<CommandPipeline>(*store_, policy, clock);
    pipeline_->Start();
    scheduler_ = std::make_unique<DeadlineScheduler>(*store_, *pipeline_, clock);
    cases_ = std::make_unique<CaseServiceImpl>(*principals_, *pipeline_, *store_);
    penalties_ = std::make_unique<PenaltyServiceImpl>(*principals_, *pipeline_, *store_);
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
        rectify::testing::ServeOnLoopback({cases_.get(), penalties_.get()}, server_);
    if (!channel.ok()) return channel.status();
    case_stub_ = v1::CaseService::NewStub(*channel);
    penalty_stub_ = v1::PenaltyService::NewStub(*channel);
    return absl::OkStatus();
  }
  void Stop() {
    rectify::testing::ShutdownServer(server_);
    scheduler_.reset();
    if (pipeline_ != nullptr) pipeline_->Stop();
    case_stub_.reset();
    penalty_stub_.reset();
    cases_.reset();
    penalties_.reset();
    pipeline_.reset();
    store_.reset();
  }
  ~Server() { Stop(); }
  storage::RocksEventStore& store() { return *store_; }
  CommandPipeline& pipeline() { return *pipeline_; }
  DeadlineScheduler& scheduler() { return *scheduler_; }
  v1::CaseService::Stub& cases() { return *case_stub_; }
  v1::PenaltyService::Stub& penalties() { return *penalty_stub_; }

 private:
  std::unique_ptr<PrincipalRegistry> principals_;
  std::unique_ptr<storage::RocksEventStore> store_;
  std::unique_ptr<CommandPipeline> pipeline_;
  std::unique_ptr<DeadlineScheduler> scheduler_;
  std::unique_ptr<CaseServiceImpl> cases_;
  std::unique_ptr<PenaltyServiceImpl> penalties_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::CaseService::Stub> case_stub_;
  std::unique_ptr<v1::PenaltyService::Stub> penalty_stub_;
};

class PenaltyServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    principals_text_ = rectify::testing::ReadFileOrEmpty(
        rectify::testing::Runfile("config/principals.demo.textproto"));
    policy_.penalty_document_prefix = "民环罚";
    clock_.Set(Cst(2026, 3, 2, 9));
    ASSERT_OK(server_.Start(principals_text_, policy_, clock_, dir_.Sub("db")));
    ASSERT_OK(rectify::testing::SeedUnits(server_.pipeline(), {"minle-hongshui-town"}));
  }
  void TearDown() override { server_.Stop(); }

  template <typename Request, typename Response>
  grpc::Status P(grpc::Status (v1::PenaltyService::Stub::*method)(grpc::ClientContext*,
                                                                  const Request&, Response*),
                 const std::string& token, Request request, Response* response = nullptr) {
    Response ignored;
    if (request.command_id().empty()) request.set_command_id(absl::StrCat("cmd-", ++sequence_));
    return CallAs(server_.penalties(), method, token, std::move(request),
                  response != nullptr ? response : &ignored);
  }
  template <typename Request, typename Response>
  grpc::Status C(grpc::Status (v1::CaseService::Stub::*method)(grpc::ClientContext*,
                                                               const Request&, Response*),
                 const std::string& token, Request request, Response* response = nullptr) {
    Response ignored;
    request.set_command_id(absl::StrCat("case-cmd-", ++sequence_));
    return CallAs(server_.cases(), method, token, std::move(request),
                  response != nullptr ? response : &ignored);
  }

  // A case reported, assigned to `unit` with a deadline 9 days on, started
  // (by the demo rectifier, whose unit minle-hongshui-town is the default).
  std::string AssignedCase(const std::string& unit = "minle-hongshui-town") {
    v1::ReportCaseRequest report;
    report.set_title("砂石料场扬尘未覆盖");
    report.set_category(v1::CATEGORY_AIR);
    report.set_severity(v1::SEVERITY_HIGH);
    report.set_source(v1::CASE_SOURCE_INSPECTION);
    report.mutable_location()->set_region_code("620722100");
    report.mutable_subject()->set_name("民乐县某某建材有限公司");
    *report.mutable_found_at() = ToProto(clock_.Now() - absl::Hours(1));
    v1::ReportCaseResponse reported;
    EXPECT_TRUE(C(&v1::CaseService::Stub::ReportCase, "demo-inspector", report, &reported).ok());
    const std::string id = reported.case_().case_id();
    v1::AssignCaseRequest assign;
    assign.set_case_id(id);
    assign.set_responsible_unit(unit);
    assign.set_requirements("覆盖料堆");
    *assign.mutable_rectification_due_at() = ToProto(clock_.Now() + absl::Hours(24 * 9));
    EXPECT_TRUE(C(&v1::CaseService::Stub::AssignCase, "demo-supervisor", assign).ok());
    if (unit == "minle-hongshui-town") {
      v1::StartRectificationRequest start;
      start.set_case_id(id);
      EXPECT_TRUE(C(&v1::CaseService::Stub::StartRectification, "demo-rectifier", start).ok());
    }
    return id;
  }

  // Opens and files (立案) a penalty case of `case_id`; returns its id.
  std::string FiledPenalty(const std::string& case_id) {
    v1::OpenPenaltyCaseRequest open;
    open.set_source_case_id(case_id);
    open.set_violation("逾期未整改，继续超标排放");
    v1::OpenPenaltyCaseResponse opened;
    grpc::Status status = P(&v1::PenaltyService::Stub::OpenPenaltyCase, "demo-supervisor", open, &opened);
    EXPECT_TRUE(status.ok()) << status.error_message();
    const std::string id = opened.penalty_case().penalty_case_id();
    v1::DecidePenaltyFilingRequest file;
    file.set_penalty_case_id(id);
    file.set_approved(true);
    EXPECT_TRUE(P(&v1::PenaltyService::Stub::DecidePenaltyFiling, "demo-bureau-head", file).ok());
    return id;
  }

  // Opens, files, investigates, notifies, decides (fine `fen`) and serves a
  // penalty case of `case_id`; returns its id. Moves the clock 10 days on
  // from the filing to the decision.
  std::string DecidedPenalty(const std::string& case_id, int64_t fen) {
    const std::string id = FiledPenalty(case_id);
    v1::RecordPenaltyInvestigationRequest investigate;
    investigate.set_penalty_case_id(id);
    investigate.add_officers("insp-zhang");
    investigate.add_officers("insp-li");
    investigate.set_report("现场检查");
    grpc::Status status =
        P(&v1::PenaltyService::Stub::RecordPenaltyInvestigation, "demo-inspector", investigate);
    EXPECT_TRUE(status.ok()) << status.error_message();
    v1::ServePenaltyPriorNoticeRequest notice;
    notice.set_penalty_case_id(id);
    notice.set_facts("逾期未整改");
    notice.set_grounds("《大气污染防治法》第一百一十五条");
    notice.mutable_intended()->add_kinds(v1::PENALTY_KIND_FINE);
    notice.mutable_intended()->set_fine_fen(fen);
    EXPECT_TRUE(P(&v1::PenaltyService::Stub::ServePenaltyPriorNotice, "demo-supervisor", notice).ok());
    clock_.Advance(absl::Hours(24 * 10));  // past the 5 working days
    v1::DecidePenaltyRequest decide;
    decide.set_penalty_case_id(id);
    decide.set_facts("逾期未整改");
    decide.set_legal_basis("《大气污染防治法》第一百一十五条");
    decide.mutable_terms()->add_kinds(v1::PENALTY_KIND_FINE);
    decide.mutable_terms()->set_fine_fen(fen);
    status = P(&v1::PenaltyService::Stub::DecidePenalty, "demo-bureau-head", decide);
    EXPECT_TRUE(status.ok()) << status.error_message();
    v1::ServePenaltyDecisionRequest serve;
    serve.set_penalty_case_id(id);
    serve.set_decision_id("d-1");
    EXPECT_TRUE(P(&v1::PenaltyService::Stub::ServePenaltyDecision, "demo-supervisor", serve).ok());
    return id;
  }

  // Issues order o-1 of penalty case `id` (to correct by `correct_by`) now
  // and serves it at `served_at`; returns the request of its recheck by two
  // inspectors (result and findings still to set).
  v1::RecordCorrectionRecheckRequest ServedFirstOrder(const std::string& id, absl::Time correct_by,
                                                      absl::Time served_at) {
    v1::IssueCorrectionOrderRequest order;
    order.set_penalty_case_id(id);
    order.set_requirements("完成料堆全覆盖");
    *order.mutable_correct_by() = ToProto(correct_by);
    EXPECT_TRUE(P(&v1::PenaltyService::Stub::IssueCorrectionOrder, "demo-supervisor", order).ok());
    clock_.Set(served_at);
    v1::ServeCorrectionOrderRequest serve_order;
    serve_order.set_penalty_case_id(id);
    serve_order.set_order_id("o-1");
    EXPECT_TRUE(
        P(&v1::PenaltyService::Stub::ServeCorrectionOrder, "demo-supervisor", serve_order).ok());
    v1::RecordCorrectionRecheckRequest recheck;
    recheck.set_penalty_case_id(id);
    recheck.set_order_id("o-1");
    recheck.add_officers("insp-zhang");
    recheck.add_officers("insp-li");
    return recheck;
  }

  rectify::testing::TempDir dir_;
  std::string principals_text_;
  workflow::Policy policy_;
  SimulatedClock clock_{Cst(2026, 3, 2, 9)};
  Server server_;
  int sequence_ = 0;
};

TEST_F(PenaltyServiceTest, NotRectifiedToDailyPenaltyToCorrectedToClosed) {
  const std::string case_id = AssignedCase();
  // The rectification deadline passes: the scheduler marks the case overdue.
  clock_.Set(Cst(2026, 3, 11, 10));
  ASSERT_TRUE(server_.scheduler().RunOnce().ok());
  v1::GetCaseRequest get_case;
  get_case.set_case_id(case_id);
  v1::GetCaseResponse case_reply;
  ASSERT_TRUE(CallAs(server_.cases(), &v1::CaseService::Stub::GetCase,
                     std::string("demo-supervisor"), get_case, &case_reply)
                  .ok());
  EXPECT_TRUE(case_reply.case_().overdue());

  const int64_t fine = 2000050;  // 20,000.50 yuan
  const std::string id = DecidedPenalty(case_id, fine);
  EXPECT_EQ(id, "P-620722-2026-0001");
  // The case shows its penalty case.
  ASSERT_TRUE(CallAs(server_.cases(), &v1::CaseService::Stub::GetCase,
                     std::string("demo-supervisor"), get_case, &case_reply)
                  .ok());
  ASSERT_EQ(case_reply.case_().penalty_case_ids_size(), 1);
  EXPECT_EQ(case_reply.case_().penalty_case_ids(0), id);

  // Decided and served 03-21 10:00. The order, served 03-21 11:00; the
  // unannounced recheck on 04-02 finds it continuing: 03-22 .. 04-02 = 12
  // days × the fine.
  v1::IssueCorrectionOrderRequest order;
  order.set_penalty_case_id(id);
  order.set_requirements("完成料堆全覆盖");
  *order.mutable_correct_by() = ToProto(Cst(2026, 3, 31));
  ASSERT_TRUE(P(&v1::PenaltyService::Stub::IssueCorrectionOrder, "demo-supervisor", order).ok());
  clock_.Set(Cst(2026, 3, 21, 11));
  v1::ServeCorrectionOrderRequest serve_order;
  serve_order.set_penalty_case_id(id);
  serve_order.set_order_id("o-1");
  ASSERT_TRUE(P(&v1::PenaltyService::Stub::ServeCorrectionOrder, "demo-supervisor", serve_order).ok());
  clock_.Set(Cst(2026, 4, 2, 10));
  v1::RecordCorrectionRecheckRequest recheck;
  recheck.set_penalty_case_id(id);
  recheck.set_order_id("o-1");
  recheck.add_officers("insp-zhang");
  recheck.add_officers("insp-li");
  recheck.set_result(v1::RECHECK_RESULT_CONTINUING);
  recheck.set_findings("料堆仍未覆盖");
  *recheck.mutable_next_correct_by() = ToProto(Cst(2026, 4, 20));
  // A supervisor does not recheck; an inspector does, with a second one.
  grpc::Status refused = P(&v1::PenaltyService::Stub::RecordCorrectionRecheck, "demo-supervisor", recheck);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(ChineseOf(refused), HasSubstr("执法人员"));
  v1::RecordCorrectionRecheckResponse rechecked;
  grpc::Status status =
      P(&v1::PenaltyService::Stub::RecordCorrectionRecheck, "demo-inspector", recheck, &rechecked);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(rechecked.penalty_case().decisions_size(), 2);
  const v1::PenaltyDecision& daily = rechecked.penalty_case().decisions(1);
  EXPECT_EQ(daily.daily_days(), 12);
  EXPECT_EQ(daily.terms().fine_fen(), int64_t{2000050} * 12);  // 24,000,600 fen
  EXPECT_EQ(daily.terms().fine_fen(), 24000600);
  EXPECT_EQ(daily.document_number(), "民环罚〔2026〕2号");
  EXPECT_EQ(rechecked.penalty_case().decisions(0).document_number(), "民环罚〔2026〕1号");

  // The second order, served; corrected at its recheck.
  serve_order.set_order_id("o-2");
  serve_order.clear_command_id();
  ASSERT_TRUE(P(&v1::PenaltyService::Stub::ServeCorrectionOrder, "demo-supervisor", serve_order).ok());
  clock_.Set(Cst(2026, 4, 15, 10));
  recheck.set_order_id("o-2");
  recheck.clear_command_id();
  recheck.set_result(v1::RECHECK_RESULT_CORRECTED);
  recheck.set_findings("已全部覆盖");
  recheck.clear_next_correct_by();
  ASSERT_TRUE(P(&v1::PenaltyService::Stub::RecordCorrectionRecheck, "demo-inspector", recheck).ok());

  // The daily decision served and both paid; the first was paid late
  // (served 03-21: 15 days → 04-05, Qingming (04-04..06) → end of 04-07;
  // paid 04-15: 8 days × 3 % = 24 %).
  v1::ServePenaltyDecisionRequest serve;
  serve.set_penalty_case_id(id);
  serve.set_decision_id("d-2");
  ASSERT_TRUE(P(&v1::PenaltyService::Stub::ServePenaltyDecision, "demo-supervisor", serve).ok());
  v1::GetPenaltyCaseRequest get;
  get.set_penalty_case_id(id);
  v1::GetPenaltyCaseResponse got;
  ASSERT_TRUE(CallAs(server_.penalties(), &v1::PenaltyService::Stub::GetPenaltyCase,
                     std::string("demo-supervisor"), get, &got)
                  .ok());
  ASSERT_GE(got.surcharges_size(), 1);
  EXPECT_EQ(got.surcharges(0).decision_id(), "d-1");
  EXPECT_EQ(got.surcharges(0).days_late(), 8);
  EXPECT_EQ(got.surcharges(0).surcharge_unpaid_fen(), 480012);  // 2,000,050 × 24 / 100
  EXPECT_FALSE(got.countdowns().empty());
  v1::RecordPenaltyPaymentRequest pay;
  pay.set_penalty_case_id(id);
  pay.set_decision_id("d-1");
  pay.set_fine_fen(2000050);
  pay.set_surcharge_fen(480012);
  status = P(&v1::PenaltyService::Stub::RecordPenaltyPayment, "demo-supervisor", pay);
  ASSERT_TRUE(status.ok()) << status.error_message();
  pay.clear_command_id();
  pay.set_decision_id("d-2");
  pay.set_fine_fen(24000600);
  pay.set_surcharge_fen(0);
  ASSERT_TRUE(P(&v1::PenaltyService::Stub::RecordPenaltyPayment, "demo-supervisor", pay).ok());
  v1::ClosePenaltyCaseRequest close;
  close.set_penalty_case_id(id);
  close.set_reason(v1::PENALTY_CLOSING_REASON_PERFORMED);
  v1::ClosePenaltyCaseResponse closed;
  status = P(&v1::PenaltyService::Stub::ClosePenaltyCase, "demo-supervisor", close, &closed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(closed.penalty_case().status(), v1::PENALTY_STATUS_CLOSED);

  // The queue, the history, the publication export.
  v1::ListPenaltyCasesRequest list;
  v1::ListPenaltyCasesResponse listed;
  ASSERT_TRUE(CallAs(server_.penalties(), &v1::PenaltyService::Stub::ListPenaltyCases,
                     std::string("demo-supervisor"), list, &listed)
                  .ok());
  ASSERT_EQ(listed.penalty_cases_size(), 1);
  v1::ExportPenaltyPublicationRequest export_request;
  v1::ExportPenaltyPublicationResponse exported;
  ASSERT_TRUE(CallAs(server_.penalties(), &v1::PenaltyService::Stub::ExportPenaltyPublication,
                     std::string("demo-supervisor"), export_request, &exported)
                  .ok());
  ASSERT_EQ(exported.entries_size(), 2);
  EXPECT_TRUE(exported.entries(0).late());  // never published

  // Who reads it: the rectifier of the unit (its orders), not the police
  // (not from a referral); another county's inspector sees nothing.
  EXPECT_TRUE(CallAs(server_.penalties(), &v1::PenaltyService::Stub::GetPenaltyCase,
                     std::string("demo-rectifier"), get, &got)
                  .ok());
  grpc::Status police = CallAs(server_.penalties(), &v1::PenaltyService::Stub::GetPenaltyCase,
                               std::string("demo-police"), get, &got);
  EXPECT_EQ(police.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(ChineseOf(police), HasSubstr("不存在或您无权查看"));
  EXPECT_EQ(CallAs(server_.penalties(), &v1::PenaltyService::Stub::GetPenaltyCase,
                   std::string("demo-inspector-ganzhou"), get, &got)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(CallAs(server_.penalties(), &v1::PenaltyService::Stub::ListPenaltyCases,
                   std::string("demo-police"), list, &listed)
                .error_code(),
            grpc::StatusCode::OK);
  EXPECT_EQ(listed.penalty_cases_size(), 0);

  // verify folds the penalty streams and finds nothing wrong.
  server_.pipeline().Stop();
  absl::StatusOr<projection::VerifyReport> report =
      projection::VerifyStore(server_.store(), projection::VerifyOptions());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->problems.empty()) << report->problems.front();
}

// The monthly report's penalty figures (ReportFigures 20-25), hand-computed:
// in March 2026 two penalty cases filed (03-02 and 03-12), one decided
// 03-12 with a fine of 12,345.67 yuan (10 whole days after its filing),
// paid in full 03-20, and a daily penalty decided 03-16 for 03-14..03-16 =
// 3 days × 1,234,567 fen = 3,703,701 fen; the daily penalty paid 04-01.
TEST_F(PenaltyServiceTest, TheMonthlyReportCountsPenalties) {
  const std::string first_case = AssignedCase();
  const std::string second_case = AssignedCase();
  const int64_t fine = 1234567;  // 12,345.67 yuan
  // Filed 03-02 09:00, decided and served 03-12 09:00.
  const std::string decided = DecidedPenalty(first_case, fine);
  // Filed 03-12 09:00, never decided.
  FiledPenalty(second_case);

  // An order served 03-13 09:00; the recheck 03-16 10:00 finds the violation
  // continuing: a daily penalty of 03-14, 03-15, 03-16.
  v1::RecordCorrectionRecheckRequest recheck =
      ServedFirstOrder(decided, Cst(2026, 3, 20), Cst(2026, 3, 13, 9));
  clock_.Set(Cst(2026, 3, 16, 10));
  recheck.set_result(v1::RECHECK_RESULT_CONTINUING);
  recheck.set_findings("料堆仍未覆盖");
  *recheck.mutable_next_correct_by() = ToProto(Cst(2026, 4, 20));
  v1::RecordCorrectionRecheckResponse rechecked;
  grpc::Status status =
      P(&v1::PenaltyService::Stub::RecordCorrectionRecheck, "demo-inspector", recheck, &rechecked);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(rechecked.penalty_case().decisions_size(), 2);
  ASSERT_EQ(rechecked.penalty_case().decisions(1).terms().fine_fen(), 3703701);

  // The fine paid 03-20; the daily penalty served 03-25 and paid 04-01 (both
  // within their 15 days: no surcharge).
  clock_.Set(Cst(2026, 3, 20, 10));
  v1::RecordPenaltyPaymentRequest pay;
  pay.set_penalty_case_id(decided);
  pay.set_decision_id("d-1");
  pay.set_fine_fen(fine);
  status = P(&v1::PenaltyService::Stub::RecordPenaltyPayment, "demo-supervisor", pay);
  ASSERT_TRUE(status.ok()) << status.error_message();
  clock_.Set(Cst(2026, 3, 25, 10));
  v1::ServePenaltyDecisionRequest serve;
  serve.set_penalty_case_id(decided);
  serve.set_decision_id("d-2");
  ASSERT_TRUE(P(&v1::PenaltyService::Stub::ServePenaltyDecision, "demo-supervisor", serve).ok());
  clock_.Set(Cst(2026, 4, 1, 10));
  pay.clear_command_id();
  pay.set_decision_id("d-2");
  pay.set_fine_fen(3703701);
  status = P(&v1::PenaltyService::Stub::RecordPenaltyPayment, "demo-supervisor", pay);
  ASSERT_TRUE(status.ok()) << status.error_message();

  absl::StatusOr<v1::GetMonthlyReportResponse> march = projection::MonthlyReport(
      server_.store(), 2026, 3, "620722", projection::NoticeThresholds(), clock_.Now());
  ASSERT_OK(march.status());
  const v1::ReportFigures& total = march->total();
  EXPECT_EQ(total.penalty_cases_filed(), 2);
  EXPECT_EQ(total.penalty_decisions(), 1);
  EXPECT_EQ(total.fines_decided_fen(), 1234567 + 3703701);
  EXPECT_EQ(total.fines_collected_fen(), 1234567);
  EXPECT_EQ(total.daily_penalties(), 1);
  EXPECT_DOUBLE_EQ(total.mean_days_filing_to_decision(), 10.0);
  // The region row (the township of the cases) carries them too; category
  // and unit rows do not (a penalty case has no category of its own).
  ASSERT_EQ(march->by_region_size(), 1);
  EXPECT_EQ(march->by_region(0).key(), "620722100");
  EXPECT_EQ(march->by_region(0).figures().fines_decided_fen(), 4938268);
  EXPECT_EQ(march->by_region(0).figures().penalty_cases_filed(), 2);
  for (const v1::ReportRow& row : march->by_unit()) {
    EXPECT_EQ(row.figures().penalty_cases_filed(), 0) << row.key();
    EXPECT_EQ(row.figures().fines_decided_fen(), 0) << row.key();
  }

  absl::StatusOr<v1::GetMonthlyReportResponse> april = projection::MonthlyReport(
      server_.store(), 2026, 4, "620722", projection::NoticeThresholds(), clock_.Now());
  ASSERT_OK(april.status());
  EXPECT_EQ(april->total().penalty_cases_filed(), 0);
  EXPECT_EQ(april->total().penalty_decisions(), 0);
  EXPECT_EQ(april->total().fines_decided_fen(), 0);
  EXPECT_EQ(april->total().fines_collected_fen(), 3703701);
  EXPECT_EQ(april->total().daily_penalties(), 0);
  EXPECT_DOUBLE_EQ(april->total().mean_days_filing_to_decision(), 0.0);

  // Another county's report sees none of it.
  absl::StatusOr<v1::GetMonthlyReportResponse> other = projection::MonthlyReport(
      server_.store(), 2026, 3, "620702", projection::NoticeThresholds(), clock_.Now());
  ASSERT_OK(other.status());
  EXPECT_EQ(other->total().penalty_cases_filed(), 0);
  EXPECT_EQ(other->total().fines_decided_fen(), 0);

  // verify derives the same penalty cells from the events.
  server_.pipeline().Stop();
  absl::StatusOr<projection::VerifyReport> report =
      projection::VerifyStore(server_.store(), projection::VerifyOptions());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->problems.empty()) << report->problems.front();
}

// Who reads a penalty case and who acts on it (docs/workflow.md, "The penalty
// path"): the auditor reads everything in its jurisdiction and changes
// nothing; the rectifier reads its own unit's penalty cases (their orders)
// and no other unit's, and acts on none; police and procuratorate see no
// penalty case that did not come through a referral (AReturnedReferral...
// covers the one that did). A readable case refused to a role is
// PERMISSION_DENIED with the Chinese reason; an unreadable one answers as a
// missing one (NOT_FOUND), to reads and to commands alike.
TEST_F(PenaltyServiceTest, WhoReadsAPenaltyCaseAndWhoActsOnIt) {
  ASSERT_OK(rectify::testing::SeedUnits(server_.pipeline(), {"minle-liuba-town"}));
  const std::string own = DecidedPenalty(AssignedCase(), 100000);
  const std::string other = DecidedPenalty(AssignedCase("minle-liuba-town"), 100000);
  ASSERT_NE(own, other);

  const auto get = [&](const std::string& token, const std::string& id) {
    v1::GetPenaltyCaseRequest request;
    request.set_penalty_case_id(id);
    v1::GetPenaltyCaseResponse response;
    return CallAs(server_.penalties(), &v1::PenaltyService::Stub::GetPenaltyCase, token, request,
                  &response);
  };
  const auto history = [&](const std::string& token, const std::string& id) {
    v1::GetPenaltyCaseHistoryRequest request;
    request.set_penalty_case_id(id);
    v1::GetPenaltyCaseHistoryResponse response;
    return CallAs(server_.penalties(), &v1::PenaltyService::Stub::GetPenaltyCaseHistory, token,
                  request, &response);
  };
  const auto listed = [&](const std::string& token) {
    v1::ListPenaltyCasesResponse response;
    const grpc::Status status =
        CallAs(server_.penalties(), &v1::PenaltyService::Stub::ListPenaltyCases, token,
               v1::ListPenaltyCasesRequest(), &response);
    EXPECT_TRUE(status.ok()) << token << ": " << status.error_message();
    std::vector<std::string> ids;
    for (const v1::PenaltyCase& penalty : response.penalty_cases()) {
      ids.push_back(penalty.penalty_case_id());
    }
    return ids;
  };
  const auto exported = [&](const std::string& token) {
    v1::ExportPenaltyPublicationResponse response;
    const grpc::Status status =
        CallAs(server_.penalties(), &v1::PenaltyService::Stub::ExportPenaltyPublication, token,
               v1::ExportPenaltyPublicationRequest(), &response);
    std::vector<std::string> ids;
    for (const v1::PenaltyPublicationEntry& entry : response.entries()) {
      ids.push_back(entry.penalty_case_id());
    }
    return std::make_pair(status, ids);
  };
  // A supervisor's step (a payment of 1 fen) tried by another role.
  const auto pay = [&](const std::string& token, const std::string& id) {
    v1::RecordPenaltyPaymentRequest request;
    request.set_penalty_case_id(id);
    request.set_decision_id("d-1");
    request.set_fine_fen(1);
    return P(&v1::PenaltyService::Stub::RecordPenaltyPayment, token, request);
  };
  const auto expect_missing = [&](const grpc::Status& status, const std::string& what) {
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << what;
    EXPECT_THAT(ChineseOf(status), HasSubstr("不存在")) << what;
  };
  using ::testing::ElementsAre;
  using ::testing::IsEmpty;
  using ::testing::UnorderedElementsAre;

  // The auditor reads both, lists and exports both, pays neither.
  for (const std::string& id : {own, other}) {
    EXPECT_TRUE(get("demo-auditor", id).ok()) << id;
    EXPECT_TRUE(history("demo-auditor", id).ok()) << id;
    const grpc::Status denied = pay("demo-auditor", id);
    EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED) << id;
    EXPECT_THAT(ChineseOf(denied), HasSubstr("才能登记缴款（您的角色：")) << id;
  }
  EXPECT_THAT(listed("demo-auditor"), UnorderedElementsAre(own, other));
  EXPECT_TRUE(exported("demo-auditor").first.ok());
  EXPECT_THAT(exported("demo-auditor").second, UnorderedElementsAre(own, other));

  // The rectifier: its own unit's penalty case only, and no step on it.
  EXPECT_TRUE(get("demo-rectifier", own).ok());
  EXPECT_TRUE(history("demo-rectifier", own).ok());
  const grpc::Status rectifier_pays = pay("demo-rectifier", own);
  EXPECT_EQ(rectifier_pays.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(ChineseOf(rectifier_pays), HasSubstr("才能登记缴款（您的角色："));
  expect_missing(get("demo-rectifier", other), "rectifier get other");
  EXPECT_THAT(ChineseOf(get("demo-rectifier", other)), HasSubstr("不存在或您无权查看"));
  expect_missing(history("demo-rectifier", other), "rectifier history other");
  expect_missing(pay("demo-rectifier", other), "rectifier pays other");
  EXPECT_THAT(listed("demo-rectifier"), ElementsAre(own));
  // The export holds what the caller reads.
  const auto rectifier_export = exported("demo-rectifier");
  EXPECT_TRUE(rectifier_export.first.ok()) << rectifier_export.first.error_message();
  EXPECT_THAT(rectifier_export.second, ElementsAre(own));

  // Police and procuratorate: neither was opened from a referral.
  for (const std::string token : {"demo-police", "demo-procurator"}) {
    for (const std::string& id : {own, other}) {
      expect_missing(get(token, id), token + " get " + id);
      expect_missing(history(token, id), token + " history " + id);
      expect_missing(pay(token, id), token + " pays " + id);
    }
    EXPECT_THAT(listed(token), IsEmpty()) << token;
    const auto agency_export = exported(token);
    EXPECT_TRUE(agency_export.first.ok()) << token;
    EXPECT_THAT(agency_export.second, IsEmpty()) << token;
  }

  // Nothing the refusals tried changed either case.
  for (const std::string& id : {own, other}) {
    v1::GetPenaltyCaseRequest request;
    request.set_penalty_case_id(id);
    v1::GetPenaltyCaseResponse response;
    ASSERT_TRUE(CallAs(server_.penalties(), &v1::PenaltyService::Stub::GetPenaltyCase,
                       std::string("demo-supervisor"), request, &response)
                    .ok());
    EXPECT_EQ(response.penalty_case().decisions(0).fine_paid_fen(), 0) << id;
  }
}

TEST_F(PenaltyServiceTest, DocumentNumbersAreNeverReusedAcrossARestart) {
  const std::string first = DecidedPenalty(AssignedCase(), 100000);
  server_.Stop();
  ASSERT_OK(server_.Start(principals_text_, policy_, clock_, dir_.Sub("db")));
  const std::string second = DecidedPenalty(AssignedCase(), 100000);
  EXPECT_EQ(second, "P-620722-2026-0002");
  v1::GetPenaltyCaseRequest get;
  get.set_penalty_case_id(second);
  v1::GetPenaltyCaseResponse got;
  ASSERT_TRUE(CallAs(server_.penalties(), &v1::PenaltyService::Stub::GetPenaltyCase,
                     std::string("demo-supervisor"), get, &got)
                  .ok());
  EXPECT_EQ(got.penalty_case().decisions(0).document_number(), "民环罚〔2026〕2号");
}

TEST_F(PenaltyServiceTest, AReturnedReferralOpensAPenaltyCase) {
  const std::string case_id = AssignedCase();
  v1::ProposeReferralRequest propose;
  propose.set_case_id(case_id);
  propose.set_suspected_offence("污染环境罪");
  propose.set_report("涉嫌污染环境");
  propose.add_proposing_officers("insp-zhang");
  propose.add_proposing_officers("insp-li");
  v1::ProposeReferralResponse proposed;
  grpc::Status status = C(&v1::CaseService::Stub::ProposeReferral, "demo-inspector", propose, &proposed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const std::string referral = proposed.case_().referrals(0).referral_id();
  v1::ApproveReferralRequest approve;
  approve.set_case_id(case_id);
  approve.set_referral_id(referral);
  ASSERT_TRUE(C(&v1::CaseService::Stub::ApproveReferral, "demo-bureau-head", approve).ok());
  v1::SendReferralRequest send;
  send.set_case_id(case_id);
  send.set_referral_id(referral);
  send.set_police_unit("minle-psb");
  send.set_procuratorate_unit("minle-procuratorate");
  status = C(&v1::CaseService::Stub::SendReferral, "demo-supervisor", send);
  ASSERT_TRUE(status.ok()) << status.error_message();
  v1::ReceiveReferralRequest receive;
  receive.set_case_id(case_id);
  receive.set_referral_id(referral);
  ASSERT_TRUE(C(&v1::CaseService::Stub::ReceiveReferral, "demo-police", receive).ok());
  // Not yet returned: refused.
  v1::OpenPenaltyCaseRequest open;
  open.set_source_case_id(case_id);
  open.set_source_referral_id(referral);
  open.set_violation("不构成犯罪，应予行政处罚");
  grpc::Status early = P(&v1::PenaltyService::Stub::OpenPenaltyCase, "demo-supervisor", open);
  EXPECT_EQ(early.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(ChineseOf(early), HasSubstr("退回"));
  v1::DecideReferralRequest decide;
  decide.set_case_id(case_id);
  decide.set_referral_id(referral);
  decide.set_decision(v1::FILING_DECISION_RETURNED);
  decide.set_reason("不构成犯罪");
  status = C(&v1::CaseService::Stub::DecideReferral, "demo-police", decide);
  ASSERT_TRUE(status.ok()) << status.error_message();
  open.clear_command_id();
  v1::OpenPenaltyCaseResponse opened;
  status = P(&v1::PenaltyService::Stub::OpenPenaltyCase, "demo-supervisor", open, &opened);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(opened.penalty_case().source_referral_id(), referral);
  // Police and procuratorate read this one (it came through their referral).
  v1::GetPenaltyCaseRequest get;
  get.set_penalty_case_id(opened.penalty_case().penalty_case_id());
  v1::GetPenaltyCaseResponse got;
  EXPECT_TRUE(CallAs(server_.penalties(), &v1::PenaltyService::Stub::GetPenaltyCase,
                     std::string("demo-police"), get, &got)
                  .ok());
  EXPECT_TRUE(CallAs(server_.penalties(), &v1::PenaltyService::Stub::GetPenaltyCase,
                     std::string("demo-procurator"), get, &got)
                  .ok());
  // But may not act on it.
  v1::DecidePenaltyFilingRequest file;
  file.set_penalty_case_id(get.penalty_case_id());
  file.set_approved(true);
  grpc::Status denied = P(&v1::PenaltyService::Stub::DecidePenaltyFiling, "demo-police", file);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(ChineseOf(denied), HasSubstr("局领导"));
  denied = P(&v1::PenaltyService::Stub::DecidePenaltyFiling, "demo-procurator", file);
  EXPECT_EQ(denied.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(ChineseOf(denied), HasSubstr("局领导"));
  // Both list it in their queue.
  for (const char* token : {"demo-police", "demo-procurator"}) {
    v1::ListPenaltyCasesResponse listed;
    ASSERT_TRUE(CallAs(server_.penalties(), &v1::PenaltyService::Stub::ListPenaltyCases,
                       std::string(token), v1::ListPenaltyCasesRequest(), &listed)
                    .ok());
    ASSERT_EQ(listed.penalty_cases_size(), 1) << token;
    EXPECT_EQ(listed.penalty_cases(0).penalty_case_id(), get.penalty_case_id()) << token;
  }
}

}  // namespace
}  // namespace rectify::server

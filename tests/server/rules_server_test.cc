// The rules of issue 12 through the real services (CaseService and
// SupervisionService on 127.0.0.1, the pipeline, a real RocksDB store, a
// simulated clock), with expectations worked out by hand: the closure rate
// without closures as unfounded, the no-progress notice that waits while a
// completion awaits verification and restarts at a failed verification, a
// city's list, an empty list, a stale list version, malformed case ids
// before any access decision, the second officer of a referral proposal
// resolved from the principals file, the ledger's status words, evidence
// decided with the server's clock, and an upgraded store brought up to date
// by rebuild.
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/proto_time.h"
#include "base/simulated_clock.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "projection/reports.h"
#include "projection/verifier.h"
#include "storage/counters.h"
#include "tests/server/grpc_call.h"
#include "tests/server/supervision_server.h"
#include "tests/status_matchers.h"
#include "tests/subprocess.h"
#include "tests/temp_dir.h"
#include "workflow/policy.h"

namespace rectify::server {
namespace {

using ::rectify::testing::CallAs;
using ::rectify::testing::PrincipalEntry;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Stub = v1::CaseService::Stub;

// Monday 2026-03-02 09:00 in China.
absl::Time China(int y, int m, int d, int h = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, h, 0, 0), absl::FixedTimeZone(8 * 3600));
}
const absl::Time kStart = China(2026, 3, 2, 9);
constexpr char kCitySupervisor[] = "test-supervisor-zhangye";

class RulesServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string text = rectify::testing::ReadFileOrEmpty(
        rectify::testing::Runfile("config/principals.demo.textproto"));
    ASSERT_FALSE(text.empty());
    absl::StrAppend(&text, PrincipalEntry("sup-zhangye", "ROLE_SUPERVISOR", "zhangye-eeb", "6207",
                                          kCitySupervisor));
    policy_.notice_no_progress_days = 15;
    ASSERT_OK(server_.Start(text, policy_, clock_, dir_.Sub("db")));
  }
  void TearDown() override { server_.Stop(); }

  std::string Id() { return absl::StrCat("cmd-", ++sequence_); }

  std::string Report(const std::string& title) {
    v1::ReportCaseRequest request;
    request.set_command_id(Id());
    request.set_title(title);
    request.set_category(v1::CATEGORY_AIR);
    request.set_severity(v1::SEVERITY_HIGH);
    request.set_source(v1::CASE_SOURCE_INSPECTION);
    request.mutable_location()->set_region_code("620722100");
    *request.mutable_found_at() = ToProto(clock_.Now() - absl::Hours(1));
    v1::ReportCaseResponse response;
    const grpc::Status status =
        CallAs(server_.cases(), &Stub::ReportCase, "demo-inspector", request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.case_().case_id();
  }
  void Assign(const std::string& id) {
    v1::AssignCaseRequest request;
    request.set_command_id(Id());
    request.set_case_id(id);
    request.set_responsible_unit("minle-hongshui-town");
    request.set_requirements("覆盖料堆");
    *request.mutable_rectification_due_at() = ToProto(China(2026, 12, 31));
    v1::AssignCaseResponse response;
    ASSERT_TRUE(
        CallAs(server_.cases(), &Stub::AssignCase, "demo-supervisor", request, &response).ok());
  }
  void Start(const std::string& id) {
    v1::StartRectificationRequest request;
    request.set_command_id(Id());
    request.set_case_id(id);
    v1::StartRectificationResponse response;
    ASSERT_TRUE(
        CallAs(server_.cases(), &Stub::StartRectification, "demo-rectifier", request, &response)
            .ok());
  }
  void Progress(const std::string& id) {
    v1::ReportProgressRequest request;
    request.set_command_id(Id());
    request.set_case_id(id);
    request.set_text("已覆盖一半");
    request.set_percent_complete(50);
    v1::ReportProgressResponse response;
    ASSERT_TRUE(
        CallAs(server_.cases(), &Stub::ReportProgress, "demo-rectifier", request, &response).ok());
  }
  void Submit(const std::string& id) {
    v1::SubmitCompletionRequest request;
    request.set_command_id(Id());
    request.set_case_id(id);
    request.set_summary("已全部覆盖");
    v1::SubmitCompletionResponse response;
    ASSERT_TRUE(
        CallAs(server_.cases(), &Stub::SubmitCompletion, "demo-rectifier", request, &response)
            .ok());
  }
  void Verify(const std::string& id, bool passed) {
    v1::VerifyRectificationRequest request;
    request.set_command_id(Id());
    request.set_case_id(id);
    request.set_passed(passed);
    if (!passed) {
      request.set_notes("东侧仍未覆盖");
      *request.mutable_new_rectification_due_at() = ToProto(China(2026, 12, 31));
    }
    v1::VerifyRectificationResponse response;
    const grpc::Status status =
        CallAs(server_.cases(), &Stub::VerifyRectification, "demo-inspector-2", request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  void Close(const std::string& id) {
    v1::CloseCaseRequest request;
    request.set_command_id(Id());
    request.set_case_id(id);
    v1::CloseCaseResponse response;
    ASSERT_TRUE(
        CallAs(server_.cases(), &Stub::CloseCase, "demo-supervisor", request, &response).ok());
  }
  void CloseUnfounded(const std::string& id) {
    v1::CloseAsUnfoundedRequest request;
    request.set_command_id(Id());
    request.set_case_id(id);
    request.set_reason("现场核查，查无实据");
    v1::CloseAsUnfoundedResponse response;
    ASSERT_TRUE(
        CallAs(server_.cases(), &Stub::CloseAsUnfounded, "demo-supervisor", request, &response)
            .ok());
  }
  v1::ListNoticesResponse Notices() {
    v1::ListNoticesRequest request;
    request.set_region_prefix("620722");
    request.add_reasons(v1::NOTICE_REASON_NO_PROGRESS);
    v1::ListNoticesResponse response;
    EXPECT_TRUE(CallAs(server_.supervision(), &v1::SupervisionService::Stub::ListNotices,
                       "demo-supervisor", request, &response)
                    .ok());
    return response;
  }
  std::string Ledger(const std::string& list_id) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer demo-supervisor");
    v1::ExportLedgerRequest request;
    request.set_list_id(list_id);
    auto reader = server_.supervision().ExportLedger(&context, request);
    v1::ExportLedgerResponse chunk;
    std::string csv;
    while (reader->Read(&chunk)) csv += chunk.chunk();
    EXPECT_TRUE(reader->Finish().ok());
    return csv;
  }
  grpc::Status CreateList(const std::string& token, const std::string& region,
                          v1::CreateRectificationListResponse* response) {
    v1::CreateRectificationListRequest request;
    request.set_command_id(Id());
    request.set_title("第三轮中央生态环境保护督察反馈问题整改清单");
    request.set_owner_unit("zhangye-eeb");
    request.set_region_code(region);
    return CallAs(server_.supervision(), &v1::SupervisionService::Stub::CreateRectificationList,
                  token, request, response);
  }

  rectify::testing::TempDir dir_;
  SimulatedClock clock_{kStart};
  workflow::Policy policy_;
  rectify::testing::SupervisionServer server_;
  int sequence_ = 0;
};

// Item 6: three cases reported on 03-02: one closed after rectification on
// 03-05 (3 whole days), one closed as unfounded, one still open. The closure
// rate is 1 / (1 + 1) = 50 %, not 2 / 3; the median is 3 days, not 1.5.
TEST_F(RulesServerTest, ClosureRateAndMedianLeaveOutClosuresAsUnfounded) {
  const std::string rectified = Report("砂石料场扬尘未覆盖");
  const std::string unfounded = Report("举报河道排污");
  const std::string open = Report("夜间施工噪声");
  CloseUnfounded(unfounded);
  Assign(rectified);
  Start(rectified);
  Submit(rectified);
  Verify(rectified, true);
  clock_.Set(kStart + absl::Hours(24 * 3));
  Close(rectified);
  (void)open;
  v1::GetMonthlyReportRequest request;
  request.set_year(2026);
  request.set_month(3);
  request.set_region_prefix("620722");
  v1::GetMonthlyReportResponse report;
  ASSERT_TRUE(CallAs(server_.supervision(), &v1::SupervisionService::Stub::GetMonthlyReport,
                     "demo-supervisor", request, &report)
                  .ok());
  const v1::ReportFigures& total = report.total();
  EXPECT_EQ(total.new_cases(), 3);
  EXPECT_EQ(total.closed(), 1);
  EXPECT_EQ(total.closed_unfounded(), 1);
  EXPECT_EQ(total.closed_to_date(), 1);
  EXPECT_EQ(total.unfounded_to_date(), 1);
  EXPECT_EQ(total.open_at_end(), 1);
  EXPECT_DOUBLE_EQ(total.closure_rate(), 0.5);
  EXPECT_DOUBLE_EQ(total.median_days_to_close(), 3);
}

// Item 5: the unit reports progress on 03-04 09:00 and submits on 03-05;
// verification waits 20 days and fails on 03-25 09:00. With a 15-day
// threshold the old clock (last progress, counting the wait) would notice
// the unit from 03-19; the unit's clock restarts at the failed verification,
// so it is noticed from 04-09 09:00, 15 whole days later.
TEST_F(RulesServerTest, NoProgressNoticeWaitsForVerificationAndRestartsWhenItFails) {
  const std::string id = Report("砂石料场扬尘未覆盖");
  Assign(id);
  Start(id);
  clock_.Set(China(2026, 3, 4, 9));
  Progress(id);
  clock_.Set(China(2026, 3, 5, 9));
  Submit(id);
  clock_.Set(China(2026, 3, 24, 9));
  EXPECT_EQ(Notices().units_size(), 0) << "the wait for verification is not the unit's";
  clock_.Set(China(2026, 3, 25, 9));
  Verify(id, false);
  clock_.Set(China(2026, 4, 9, 8));
  EXPECT_EQ(Notices().units_size(), 0);
  clock_.Set(China(2026, 4, 9, 9));
  const v1::ListNoticesResponse notices = Notices();
  ASSERT_EQ(notices.units_size(), 1);
  ASSERT_EQ(notices.units(0).notices_size(), 1);
  const v1::Notice& notice = notices.units(0).notices(0);
  EXPECT_EQ(notice.case_id(), id);
  EXPECT_EQ(ToTime(notice.since()), China(2026, 3, 25, 9));
  EXPECT_EQ(notice.days(), 15);
}

// Items 18, 7, 15: a city's list at 6207, an empty list, a stale version.
TEST_F(RulesServerTest, ACitysListEmptyListsAndStaleVersions) {
  const std::string id = Report("砂石料场扬尘未覆盖");
  v1::CreateRectificationListResponse created;
  // A county supervisor may not make the city's list.
  EXPECT_EQ(CreateList("demo-supervisor", "6207", &created).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(CreateList(kCitySupervisor, "6207", &created).ok());
  const std::string list_id = created.list().list_id();
  EXPECT_EQ(list_id, "L-620700-2026-0001");
  EXPECT_EQ(created.list().region_code(), "6207");

  using S = v1::SupervisionService::Stub;
  // Empty: "no items", and it cannot be closed.
  v1::GetRectificationListRequest get;
  get.set_list_id(list_id);
  v1::GetRectificationListResponse shown;
  ASSERT_TRUE(
      CallAs(server_.supervision(), &S::GetRectificationList, kCitySupervisor, get, &shown).ok());
  EXPECT_EQ(shown.progress().total(), 0);
  EXPECT_EQ(shown.progress().closure_rate(), 0.0);
  v1::CloseRectificationListRequest close;
  close.set_command_id(Id());
  close.set_list_id(list_id);
  v1::CloseRectificationListResponse closed;
  const grpc::Status empty_close =
      CallAs(server_.supervision(), &S::CloseRectificationList, kCitySupervisor, close, &closed);
  EXPECT_EQ(empty_close.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(empty_close.error_message(), HasSubstr("has no items"));

  // A stale expected version is ABORTED and adds nothing.
  v1::AddListItemsRequest add;
  add.set_command_id(Id());
  add.set_list_id(list_id);
  add.add_case_ids(id);
  add.set_expected_version(5);
  v1::AddListItemsResponse added;
  EXPECT_EQ(
      CallAs(server_.supervision(), &S::AddListItems, kCitySupervisor, add, &added).error_code(),
      grpc::StatusCode::ABORTED);
  add.set_command_id(Id());
  add.set_expected_version(1);
  ASSERT_TRUE(CallAs(server_.supervision(), &S::AddListItems, kCitySupervisor, add, &added).ok());
  EXPECT_EQ(added.list().items_size(), 1);
  EXPECT_EQ(added.list().version(), 2);
}

// Item 16: a malformed case id is bad input, named, before any access
// decision: even a caller of another county gets INVALID_ARGUMENT.
TEST_F(RulesServerTest, AMalformedCaseIdIsInvalidArgumentBeforeAccess) {
  for (const char* token : {"demo-supervisor", "demo-inspector-ganzhou"}) {
    v1::GetCaseRequest get;
    get.set_case_id("not-a-case-id");
    v1::GetCaseResponse got;
    const grpc::Status read = CallAs(server_.cases(), &Stub::GetCase, token, get, &got);
    EXPECT_EQ(read.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << token;
    EXPECT_THAT(read.error_message(), HasSubstr("case_id: \"not-a-case-id\" is not a case id"));
    v1::CloseCaseRequest close;
    close.set_command_id(Id());
    close.set_case_id("not-a-case-id");
    v1::CloseCaseResponse closed;
    const grpc::Status write = CallAs(server_.cases(), &Stub::CloseCase, token, close, &closed);
    EXPECT_EQ(write.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << token;
    EXPECT_THAT(write.error_message(), HasSubstr("case_id"));
    v1::GetCaseHistoryRequest history;
    history.set_case_id("not-a-case-id");
    v1::GetCaseHistoryResponse events;
    EXPECT_EQ(CallAs(server_.cases(), &Stub::GetCaseHistory, token, history, &events).error_code(),
              grpc::StatusCode::INVALID_ARGUMENT);
  }
}

// Item 12: the handler resolves the second officer from the principals
// file: the demo rectifier is no enforcement officer; the second inspector
// is.
TEST_F(RulesServerTest, TheSecondOfficerIsAnInspectorOfThePrincipalsFile) {
  const std::string id = Report("危废非法倾倒");
  v1::ProposeReferralRequest request;
  request.set_case_id(id);
  request.set_suspected_offence("污染环境罪");
  request.set_report("两名执法人员现场检查发现非法倾倒危险废物");
  request.add_proposing_officers("insp-zhang");
  for (const auto& [second, why] : std::vector<std::pair<std::string, std::string>>{
           {"rect-hongshui", "proposing_officers[1]: rect-hongshui is a rectifier"},
           {"police-zhao", "proposing_officers[1]: police-zhao is the police"},
           {"insp-ganzhou", "the jurisdiction \"620702\" of insp-ganzhou does not cover"},
           {"insp-nobody", "proposing_officers[1]: insp-nobody is no known principal"}}) {
    request.set_command_id(Id());
    request.clear_proposing_officers();
    request.add_proposing_officers("insp-zhang");
    request.add_proposing_officers(second);
    v1::ProposeReferralResponse response;
    const grpc::Status status =
        CallAs(server_.cases(), &Stub::ProposeReferral, "demo-inspector", request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << second;
    EXPECT_THAT(status.error_message(), HasSubstr(why));
  }
  request.set_command_id(Id());
  request.set_proposing_officers(1, "insp-li");
  v1::ProposeReferralResponse response;
  const grpc::Status status =
      CallAs(server_.cases(), &Stub::ProposeReferral, "demo-inspector", request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_THAT(response.case_().referrals(0).proposing_officers(), ElementsAre("insp-zhang", "insp-li"));
}

// Item 9: the ledger's status column in Chinese.
TEST_F(RulesServerTest, TheLedgerNamesStatusesInChinese) {
  const std::string found = Report("养殖场粪污直排");
  const std::string assigned = Report("锅炉烟尘超标");
  const std::string closed = Report("砂石料场扬尘");
  const std::string unfounded = Report("举报河道排污");
  Assign(assigned);
  Assign(closed);
  Start(closed);
  Submit(closed);
  Verify(closed, true);
  Close(closed);
  CloseUnfounded(unfounded);
  v1::CreateRectificationListResponse created;
  ASSERT_TRUE(CreateList("demo-supervisor", "620722", &created).ok());
  v1::AddListItemsRequest add;
  add.set_command_id(Id());
  add.set_list_id(created.list().list_id());
  for (const std::string& id : {found, assigned, closed, unfounded}) add.add_case_ids(id);
  v1::AddListItemsResponse added;
  ASSERT_TRUE(CallAs(server_.supervision(), &v1::SupervisionService::Stub::AddListItems,
                     "demo-supervisor", add, &added)
                  .ok());
  const std::string csv = Ledger(created.list().list_id());
  // The last column of each data row.
  std::vector<std::string> statuses;
  for (absl::string_view line : absl::StrSplit(csv, "\r\n", absl::SkipEmpty())) {
    statuses.emplace_back(line.substr(line.rfind(',') + 1));
  }
  EXPECT_THAT(statuses, ElementsAre("状态", "待交办", "已交办", "已销号", "查无实据"));
}

// Item 11: an upload's metadata is decided with the server's clock and
// policy. The server's clock says 2026-03-02; a photo "captured" on 03-05 is
// in the future for it (though long past by the machine's clock), and is
// refused before any byte is sent.
TEST_F(RulesServerTest, EvidenceIsDecidedWithTheServersClock) {
  const std::string id = Report("黑河支流排污口");
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer demo-inspector");
  v1::UploadEvidenceResponse response;
  auto writer = server_.cases().UploadEvidence(&context, &response);
  v1::UploadEvidenceRequest message;
  v1::UploadEvidenceMetadata& metadata = *message.mutable_metadata();
  metadata.set_command_id(Id());
  metadata.set_case_id(id);
  metadata.set_kind(v1::EVIDENCE_KIND_PHOTO);
  metadata.set_file_name("排污口.jpg");
  metadata.set_media_type("image/jpeg");
  metadata.set_sha256(std::string(64, 'a'));
  metadata.set_size_bytes(1000);
  *metadata.mutable_captured_at() = ToProto(China(2026, 3, 5));
  writer->Write(message);
  writer->WritesDone();
  const grpc::Status status = writer->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("captured_at: is in the future"));
}

// The upgrade: a store written before these rules lacks the derived
// no-progress clock and assigner, and counts a closure as unfounded as a
// closure. Verify reports it; rebuild brings it up to date.
TEST_F(RulesServerTest, RebuildBringsAStoreOfTheOldRulesUpToDate) {
  const std::string id = Report("砂石料场扬尘未覆盖");
  const std::string unfounded = Report("举报河道排污");
  Assign(id);
  Start(id);
  CloseUnfounded(unfounded);
  server_.Stop();
  storage::RocksEventStore& store = server_.store();
  ASSERT_OK_AND_ASSIGN(projection::VerifyReport clean,
                       projection::VerifyStore(store, projection::VerifyOptions()));
  ASSERT_TRUE(clean.ok()) << ::testing::PrintToString(clean.problems);

  // What the earlier build wrote: the case without the new fields, and the
  // report cells with the unfounded closure counted as a closure.
  storage::Repair old;
  ASSERT_OK_AND_ASSIGN(v1::Case state, store.GetCase(id));
  state.clear_assigned_by();
  state.clear_progress_clock_since();
  old.projection_puts.push_back({v1::STREAM_KIND_CASE, id, state.SerializeAsString()});
  ASSERT_OK_AND_ASSIGN(std::vector<std::vector<storage::ReportEntry>> cells,
                       store.ScanDerived({{storage::DerivedFamily::kReports, "m/"},
                                          {storage::DerivedFamily::kReports, "n/"}}));
  int rewritten = 0;
  for (const auto& scan : cells) {
    for (const storage::ReportEntry& entry : scan) {
      storage::CounterCell cell;
      ASSERT_TRUE(storage::VisitCounterCell(
          entry.value, [&](uint32_t number, int64_t count) { cell[number] += count; }));
      if (cell.count(projection::kClosedUnfounded) == 0 &&
          cell.count(projection::kUnfoundedToDate) == 0) {
        continue;
      }
      if (cell.count(projection::kClosedUnfounded)) {
        cell[projection::kClosed] += cell[projection::kClosedUnfounded];
        cell[projection::kDaysToCloseBase] += cell[projection::kClosedUnfounded];
        cell.erase(projection::kClosedUnfounded);
      }
      if (cell.count(projection::kUnfoundedToDate)) {
        cell[projection::kClosedToDate] += cell[projection::kUnfoundedToDate];
        cell.erase(projection::kUnfoundedToDate);
      }
      old.report_puts.push_back({entry.key, storage::EncodeCounterCell(cell)});
      ++rewritten;
    }
  }
  EXPECT_GT(rewritten, 0);
  ASSERT_OK(store.ApplyRepair(old));
  ASSERT_OK_AND_ASSIGN(projection::VerifyReport stale,
                       projection::VerifyStore(store, projection::VerifyOptions()));
  EXPECT_FALSE(stale.ok());

  ASSERT_OK_AND_ASSIGN(projection::RebuildReport rebuilt, projection::RebuildStore(store));
  EXPECT_EQ(rebuilt.unrepairable_count, 0);
  ASSERT_OK_AND_ASSIGN(projection::VerifyReport after,
                       projection::VerifyStore(store, projection::VerifyOptions()));
  EXPECT_TRUE(after.ok()) << ::testing::PrintToString(after.problems);
  ASSERT_OK_AND_ASSIGN(v1::Case restored, store.GetCase(id));
  EXPECT_EQ(restored.assigned_by().principal_id(), "sup-wang");
  EXPECT_EQ(ToTime(restored.progress_clock_since()), kStart);
}

}  // namespace
}  // namespace rectify::server

// ComplaintService end to end on a real gRPC server (127.0.0.1, port 0) over
// a real RocksDB store with the test's clock: the duplicate-callers scenario
// (three complaints about one plant: the first opens a case, two are
// attached to it; no final reply while it is open; one reply each once it
// is closed, quoting its outcome), the complainant's identity for every role
// on every read path (GetComplaint, ListComplaints, history, the case opened
// from it, its history), WatchEvents never delivering a complaint's events
// (a case event in the same window is the control), the import (all or
// nothing with a malformed row; the same rows again: no duplicates), a
// missed clock marked by the deadline scheduler, verify folding the
// complaint streams, and the site-check documents of a close as unfounded
// (uploaded, downloaded byte for byte by the readers, refused to a unit,
// and a close naming a document not as stored refused with nothing changed).
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/proto_time.h"
#include "base/simulated_clock.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "projection/reports.h"
#include "projection/verifier.h"
#include "rectify/v1/case_service.grpc.pb.h"
#include "rectify/v1/complaint_service.grpc.pb.h"
#include "rectify/v1/user_message.pb.h"
#include "server/case_service.h"
#include "server/complaint_service.h"
#include "server/deadline_scheduler.h"
#include "server/event_feed.h"
#include "server/pipeline.h"
#include "server/principals.h"
#include "storage/rocks_event_store.h"
#include "tests/server/grpc_call.h"
#include "tests/server/stream_calls.h"
#include "tests/status_matchers.h"
#include "tests/subprocess.h"
#include "tests/temp_dir.h"
#include "workflow/policy.h"

namespace rectify::server {
namespace {

using ::rectify::testing::CallAs;
using ::rectify::testing::ChineseOf;
using ::testing::HasSubstr;

const absl::TimeZone kChina = absl::FixedTimeZone(8 * 3600);
// Monday 2026-03-02 09:00 China time.
const absl::Time kStart = absl::FromCivil(absl::CivilSecond(2026, 3, 2, 9, 0, 0), kChina);

constexpr char kSupervisor[] = "demo-supervisor";
constexpr char kInspector[] = "demo-inspector";
constexpr char kRectifier[] = "demo-rectifier";
constexpr char kHead[] = "demo-bureau-head";
constexpr char kPolice[] = "demo-police";
constexpr char kProcurator[] = "demo-procurator";
constexpr char kAuditor[] = "demo-auditor";
constexpr char kAdmin[] = "demo-admin";
constexpr char kGanzhou[] = "demo-inspector-ganzhou";

v1::ComplaintDetails Caller(const std::string& name, const std::string& phone,
                            const std::string& ticket) {
  v1::ComplaintDetails d;
  d.set_channel(v1::COMPLAINT_CHANNEL_PHONE);
  d.set_ticket_number(ticket);
  d.set_title("北滩村砂石料场夜间扬尘");
  d.set_content("砂石料场夜间作业，扬尘很大，料堆没有覆盖。");
  d.set_category(v1::CATEGORY_AIR);
  d.mutable_location()->set_region_code("620722100");
  d.mutable_location()->set_address("洪水镇 北滩村 砂石料场");
  d.mutable_complainant()->set_name(name);
  d.mutable_complainant()->set_phone(phone);
  return d;
}

class ComplaintsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string text = rectify::testing::ReadFileOrEmpty(
        rectify::testing::Runfile("config/principals.demo.textproto"));
    absl::StatusOr<PrincipalRegistry> registry = PrincipalRegistry::Parse(text);
    ASSERT_OK(registry.status());
    principals_ = std::make_unique<PrincipalRegistry>(*std::move(registry));
    Open();
  }
  void TearDown() override { Close(); }

  void Open() {
    storage::StoreOptions options;
    options.clock = &clock_;
    options.sync = false;
    absl::StatusOr<std::unique_ptr<storage::RocksEventStore>> store =
        storage::RocksEventStore::Open(dir_.Sub("db"), options);
    ASSERT_OK(store.status());
    store_ = *std::move(store);
    feed_ = std::make_unique<EventFeed>(*store_);
    feed_->Start();
    pipeline_ = std::make_unique<CommandPipeline>(*store_, policy_, clock_);
    pipeline_->SetCommitListener([this](uint64_t position) { feed_->Publish(position); });
    pipeline_->Start();
    cases_ = std::make_unique<CaseServiceImpl>(*principals_, *pipeline_, *store_, feed_.get());
    complaints_ = std::make_unique<ComplaintServiceImpl>(*principals_, *pipeline_, *store_);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(cases_.get());
    builder.RegisterService(complaints_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    auto channel =
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials());
    case_stub_ = v1::CaseService::NewStub(channel);
    complaint_stub_ = v1::ComplaintService::NewStub(channel);
  }

  void Close() {
    if (server_ != nullptr) {
      server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
      server_->Wait();
      server_.reset();
    }
    if (pipeline_ != nullptr) pipeline_->Stop();
    if (feed_ != nullptr) feed_->Stop();
  }

#define COMPLAINT(Rpc, token, request, response) \
  CallAs(*complaint_stub_, &v1::ComplaintService::Stub::Rpc, token, request, response)
#define CASE(Rpc, token, request, response) \
  CallAs(*case_stub_, &v1::CaseService::Stub::Rpc, token, request, response)

  std::string Receive(const v1::ComplaintDetails& details) {
    v1::ReceiveComplaintRequest request;
    request.set_command_id("receive-" + details.ticket_number());
    *request.mutable_details() = details;
    v1::ReceiveComplaintResponse response;
    const grpc::Status status = COMPLAINT(ReceiveComplaint, kSupervisor, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.complaint().complaint_id();
  }

  grpc::Status Accept(const std::string& id) {
    v1::AcceptComplaintRequest request;
    request.set_command_id("accept-" + id);
    request.set_complaint_id(id);
    request.mutable_notice()->set_channel(v1::COMPLAINANT_NOTICE_CHANNEL_PHONE);
    v1::AcceptComplaintResponse response;
    return COMPLAINT(AcceptComplaint, kSupervisor, request, &response);
  }

  grpc::Status Reply(const std::string& id, bool interim, v1::Complaint* out = nullptr) {
    v1::ReplyToComplaintRequest request;
    request.set_command_id(absl::StrCat("reply-", id, interim ? "-interim" : "-final"));
    request.set_complaint_id(id);
    request.set_text(interim ? "正在整改，办结后答复" : "经查属实，已整改到位");
    request.set_interim(interim);
    request.mutable_notice()->set_channel(v1::COMPLAINANT_NOTICE_CHANNEL_PHONE);
    v1::ReplyToComplaintResponse response;
    grpc::Status status = COMPLAINT(ReplyToComplaint, kSupervisor, request, &response);
    if (out != nullptr) *out = response.complaint();
    return status;
  }

  // A case opened from the accepted complaint `id`; "" on a refusal.
  std::string OpenCase(const std::string& id) {
    v1::OpenCaseFromComplaintRequest open;
    open.set_command_id("open-" + id);
    open.set_complaint_id(id);
    open.set_severity(v1::SEVERITY_MEDIUM);
    v1::OpenCaseFromComplaintResponse opened;
    const grpc::Status status = COMPLAINT(OpenCaseFromComplaint, kSupervisor, open, &opened);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return opened.case_id();
  }

  // The case assigned to 洪水镇 (so its unit reads it), due in 20 days.
  void AssignToTheUnit(const std::string& case_id) {
    v1::AssignCaseRequest r;
    r.set_command_id("assign-" + case_id);
    r.set_case_id(case_id);
    r.set_responsible_unit("minle-hongshui-town");
    r.set_requirements("覆盖");
    *r.mutable_rectification_due_at() = ToProto(clock_.Now() + absl::Hours(24 * 20));
    v1::AssignCaseResponse response;
    const grpc::Status status = CASE(AssignCase, kSupervisor, r, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  // The case through its life: assigned, started, completed, verified,
  // closed with `remark`.
  void WorkCaseToClosed(const std::string& case_id, const std::string& remark) {
    {
      v1::AssignCaseRequest r;
      r.set_command_id("assign");
      r.set_case_id(case_id);
      r.set_responsible_unit("minle-hongshui-town");
      r.set_requirements("料堆全部覆盖，夜间停止作业");
      *r.mutable_rectification_due_at() = ToProto(clock_.Now() + absl::Hours(24 * 20));
      v1::AssignCaseResponse response;
      ASSERT_TRUE(CASE(AssignCase, kSupervisor, r, &response).ok());
    }
    {
      v1::StartRectificationRequest r;
      r.set_command_id("start");
      r.set_case_id(case_id);
      v1::StartRectificationResponse response;
      ASSERT_TRUE(CASE(StartRectification, kRectifier, r, &response).ok());
    }
    {
      v1::SubmitCompletionRequest r;
      r.set_command_id("complete");
      r.set_case_id(case_id);
      r.set_summary("已覆盖防尘网");
      v1::SubmitCompletionResponse response;
      const grpc::Status status = CASE(SubmitCompletion, kRectifier, r, &response);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
    {
      v1::VerifyRectificationRequest r;
      r.set_command_id("verify");
      r.set_case_id(case_id);
      r.set_passed(true);
      v1::VerifyRectificationResponse response;
      const grpc::Status status = CASE(VerifyRectification, kInspector, r, &response);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
    {
      v1::CloseCaseRequest r;
      r.set_command_id("close");
      r.set_case_id(case_id);
      r.set_remark(remark);
      v1::CloseCaseResponse response;
      const grpc::Status status = CASE(CloseCase, kSupervisor, r, &response);
      ASSERT_TRUE(status.ok()) << status.error_message();
    }
  }

  // Uploads `bytes` as a site-check document declared by `metadata`, in
  // messages of 256 KiB.
  grpc::Status UploadDocument(const std::string& token,
                              const v1::UploadSiteCheckDocumentMetadata& metadata,
                              const std::string& bytes,
                              v1::UploadSiteCheckDocumentResponse* response) {
    return rectify::testing::UploadStream(*complaint_stub_,
                                          &v1::ComplaintService::Stub::UploadSiteCheckDocument,
                                          token, metadata, bytes, response, size_t{256} << 10);
  }

  // Downloads a site-check document: its record and its bytes.
  grpc::Status DownloadDocument(const std::string& token, const std::string& complaint_id,
                                const std::string& document_id, v1::SiteCheckDocument* record,
                                std::string* bytes) {
    v1::DownloadSiteCheckDocumentRequest request;
    request.set_complaint_id(complaint_id);
    request.set_document_id(document_id);
    return rectify::testing::DownloadStream(*complaint_stub_,
                                            &v1::ComplaintService::Stub::DownloadSiteCheckDocument,
                                            token, request, record, bytes);
  }

  SimulatedClock clock_{kStart};
  workflow::Policy policy_;
  rectify::testing::TempDir dir_;
  std::unique_ptr<PrincipalRegistry> principals_;
  std::unique_ptr<storage::RocksEventStore> store_;
  std::unique_ptr<EventFeed> feed_;
  std::unique_ptr<CommandPipeline> pipeline_;
  std::unique_ptr<CaseServiceImpl> cases_;
  std::unique_ptr<ComplaintServiceImpl> complaints_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::CaseService::Stub> case_stub_;
  std::unique_ptr<v1::ComplaintService::Stub> complaint_stub_;
};

TEST_F(ComplaintsTest, DuplicateCallersOneReplyEachWhenTheCaseCloses) {
  const std::string first = Receive(Caller("李四", "13800000001", "12369-A-1"));
  const std::string second = Receive(Caller("王五", "13800000002", "12369-A-2"));
  const std::string third = Receive(Caller("赵六", "13800000003", "12369-A-3"));
  // Numbered per county and year, in order.
  EXPECT_EQ(first, "XF-620722-2026-000001");
  EXPECT_EQ(second, "XF-620722-2026-000002");
  EXPECT_EQ(third, "XF-620722-2026-000003");
  for (const std::string& id : {first, second, third}) ASSERT_TRUE(Accept(id).ok());

  // The first caller's complaint opens the case.
  v1::OpenCaseFromComplaintRequest open;
  open.set_command_id("open");
  open.set_complaint_id(first);
  open.set_severity(v1::SEVERITY_MEDIUM);
  v1::OpenCaseFromComplaintResponse opened;
  grpc::Status status = COMPLAINT(OpenCaseFromComplaint, kSupervisor, open, &opened);
  ASSERT_TRUE(status.ok()) << status.error_message();
  const std::string case_id = opened.case_id();
  EXPECT_EQ(case_id, "620722-2026-000001");
  // The others are attached to it.
  for (const std::string& id : {second, third}) {
    v1::AttachComplaintToCaseRequest attach;
    attach.set_command_id("attach-" + id);
    attach.set_complaint_id(id);
    attach.set_case_id(case_id);
    attach.set_note("同一料场");
    v1::AttachComplaintToCaseResponse attached;
    status = COMPLAINT(AttachComplaintToCase, kSupervisor, attach, &attached);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  // The case as a supervisor reads it: the ticket as source reference, no
  // complainant (the complaint keeps that).
  v1::GetCaseRequest get_case;
  get_case.set_case_id(case_id);
  v1::GetCaseResponse the_case;
  ASSERT_TRUE(CASE(GetCase, kSupervisor, get_case, &the_case).ok());
  EXPECT_EQ(the_case.case_().source(), v1::CASE_SOURCE_HOTLINE_12369);
  EXPECT_EQ(the_case.case_().source_reference(), "12369-A-1");
  EXPECT_EQ(the_case.case_().complainant().name(), "");

  // The replies owed on the case: ListComplaints by linked case.
  v1::ListComplaintsRequest owed;
  owed.set_linked_case_id(case_id);
  v1::ListComplaintsResponse owed_list;
  ASSERT_TRUE(COMPLAINT(ListComplaints, kSupervisor, owed, &owed_list).ok());
  ASSERT_EQ(owed_list.items_size(), 3);

  // While the case is open: no final reply; an interim one is fine.
  status = Reply(second, /*interim=*/false);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(ChineseOf(status), HasSubstr("阶段性答复"));
  EXPECT_TRUE(Reply(second, /*interim=*/true).ok());

  clock_.Advance(absl::Hours(24 * 5));
  WorkCaseToClosed(case_id, "料堆已全部覆盖，验收合格");

  // One final reply each, quoting the case's outcome.
  for (const std::string& id : {first, second, third}) {
    v1::Complaint replied;
    status = Reply(id, /*interim=*/false, &replied);
    ASSERT_TRUE(status.ok()) << id << ": " << status.error_message();
    EXPECT_EQ(replied.status(), v1::COMPLAINT_STATUS_REPLIED);
    EXPECT_TRUE(replied.replied_on_time());
    const v1::ComplaintReply& reply = replied.replies(replied.replies_size() - 1);
    ASSERT_EQ(reply.quoted_cases_size(), 1);
    EXPECT_EQ(reply.quoted_cases(0).case_id(), case_id);
    EXPECT_EQ(reply.quoted_cases(0).status(), v1::CASE_STATUS_CLOSED);
    EXPECT_EQ(reply.quoted_cases(0).outcome(), "料堆已全部覆盖，验收合格");
    // The same reply retried (same command id) answers as the first did.
    v1::Complaint retried;
    EXPECT_TRUE(Reply(id, false, &retried).ok());
    EXPECT_EQ(retried.version(), replied.version());
  }
  // The review window is running on each.
  v1::GetComplaintRequest get;
  get.set_complaint_id(third);
  v1::GetComplaintResponse got;
  ASSERT_TRUE(COMPLAINT(GetComplaint, kSupervisor, get, &got).ok());
  // Replied Sat 2026-03-07: day 30 after is Mon 04-06, in the Qingming
  // holiday (04-04 to 04-06), so the window ends with Tue 04-07: 31 days
  // left counting from the 7th.
  ASSERT_EQ(got.clocks_size(), 1);
  EXPECT_EQ(got.clocks(0).kind(), v1::DEADLINE_KIND_COMPLAINT_REVIEW_REQUEST);
  EXPECT_EQ(got.clocks(0).last_day(), "2026-04-07");
  EXPECT_EQ(got.clocks(0).calendar_days_left(), 31);

  // Callbacks: two satisfied, one not; the month's report counts them with
  // the receipts, acceptances and on-time replies (ReportFigures 30-37).
  const std::vector<std::pair<std::string, v1::CallbackResult>> callbacks = {
      {first, v1::CALLBACK_RESULT_SATISFIED},
      {second, v1::CALLBACK_RESULT_SATISFIED},
      {third, v1::CALLBACK_RESULT_NOT_SATISFIED}};
  for (const auto& [id, result] : callbacks) {
    v1::RecordComplaintCallbackRequest callback;
    callback.set_command_id("callback-" + id);
    callback.set_complaint_id(id);
    callback.set_result(result);
    callback.set_note("夜间仍有噪声");
    v1::RecordComplaintCallbackResponse recorded;
    status = COMPLAINT(RecordComplaintCallback, kSupervisor, callback, &recorded);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }
  ASSERT_OK_AND_ASSIGN(v1::GetMonthlyReportResponse monthly,
                       projection::MonthlyReport(*store_, 2026, 3, "620722",
                                                 projection::NoticeThresholds(), clock_.Now()));
  EXPECT_EQ(monthly.total().complaints_received(), 3);
  EXPECT_EQ(monthly.total().complaints_accepted(), 3);
  EXPECT_EQ(monthly.total().complaints_transferred(), 0);
  EXPECT_EQ(monthly.total().complaints_answered(), 3);
  EXPECT_EQ(monthly.total().complaints_answered_on_time(), 3);
  EXPECT_EQ(monthly.total().complaints_satisfied(), 2);
  EXPECT_EQ(monthly.total().complaints_not_satisfied(), 1);
  EXPECT_DOUBLE_EQ(monthly.total().complaint_satisfaction_rate(), 2.0 / 3.0);
  // The region row of the township (620722100) carries them too.
  bool township_row = false;
  for (const v1::ReportRow& row : monthly.by_region()) {
    if (row.key() == "620722100") {
      township_row = true;
      EXPECT_EQ(row.figures().complaints_received(), 3);
    }
  }
  EXPECT_TRUE(township_row);

  // Verify folds the complaint streams with the cases.
  absl::StatusOr<projection::VerifyReport> report =
      projection::VerifyStore(*store_, projection::VerifyOptions());
  ASSERT_OK(report.status());
  EXPECT_TRUE(report->ok()) << (report->problems.empty() ? "" : report->problems[0]);
}

TEST_F(ComplaintsTest, TheComplainantOnlyForTheJurisdictionsSupervisors) {
  const std::string id = Receive(Caller("李四", "13800000001", "12369-P-1"));
  ASSERT_TRUE(Accept(id).ok());
  const std::string case_id = OpenCase(id);
  ASSERT_FALSE(case_id.empty());
  AssignToTheUnit(case_id);
  auto leaks = [](const std::string& bytes) {
    return bytes.find("李四") != std::string::npos ||
           bytes.find("13800000001") != std::string::npos;
  };
  struct Reader {
    const char* token;
    bool reads_complaint;
    bool sees_complainant;
  };
  const std::vector<Reader> readers = {
      {kSupervisor, true, true},   {kInspector, true, false}, {kHead, true, false},
      {kAuditor, true, false},     {kRectifier, false, false}, {kPolice, false, false},
      {kProcurator, false, false}, {kAdmin, false, false},    {kGanzhou, false, false},
  };
  for (const Reader& reader : readers) {
    SCOPED_TRACE(reader.token);
    v1::GetComplaintRequest get;
    get.set_complaint_id(id);
    v1::GetComplaintResponse got;
    const grpc::Status status = COMPLAINT(GetComplaint, reader.token, get, &got);
    if (!reader.reads_complaint) {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
      EXPECT_THAT(ChineseOf(status), HasSubstr("不存在或您无权查看"));
    } else {
      ASSERT_TRUE(status.ok()) << status.error_message();
      EXPECT_EQ(leaks(got.SerializeAsString()), reader.sees_complainant);
    }
    v1::ListComplaintsRequest list;
    v1::ListComplaintsResponse listed;
    const grpc::Status list_status = COMPLAINT(ListComplaints, reader.token, list, &listed);
    if (reader.reads_complaint) {
      ASSERT_TRUE(list_status.ok()) << list_status.error_message();
      EXPECT_EQ(listed.items_size(), 1);
      EXPECT_EQ(leaks(listed.SerializeAsString()), reader.sees_complainant);
    } else {
      EXPECT_FALSE(list_status.ok() && listed.items_size() > 0);
    }
    v1::GetComplaintHistoryRequest history;
    history.set_complaint_id(id);
    v1::GetComplaintHistoryResponse events;
    const grpc::Status history_status = COMPLAINT(GetComplaintHistory, reader.token, history, &events);
    if (reader.reads_complaint) {
      ASSERT_TRUE(history_status.ok()) << history_status.error_message();
      EXPECT_EQ(leaks(events.SerializeAsString()), reader.sees_complainant);
      // Sealed or not, the commitment is there for everyone.
      EXPECT_TRUE(events.events(0).complaint_received().has_complainant_commitment());
    } else {
      EXPECT_EQ(history_status.error_code(), grpc::StatusCode::NOT_FOUND);
    }
    // The case and its history never hold the complainant, for anyone
    // (the unit reads it: it is assigned).
    v1::GetCaseRequest get_case;
    get_case.set_case_id(case_id);
    v1::GetCaseResponse the_case;
    if (CASE(GetCase, reader.token, get_case, &the_case).ok()) {
      EXPECT_FALSE(leaks(the_case.SerializeAsString()));
    }
    v1::GetCaseHistoryRequest case_history;
    case_history.set_case_id(case_id);
    v1::GetCaseHistoryResponse case_events;
    if (CASE(GetCaseHistory, reader.token, case_history, &case_events).ok()) {
      EXPECT_FALSE(leaks(case_events.SerializeAsString()));
    }
  }
  // The stored bytes of the case stream hold no trace of the complaint's
  // caller either (nothing to redact, nothing to leak in a referral
  // package, which is the case and its history).
  absl::StatusOr<std::vector<v1::Event>> stored = store_->ReadStream(case_id, 1, 100);
  ASSERT_OK(stored.status());
  for (const v1::Event& event : *stored) EXPECT_FALSE(leaks(event.SerializeAsString()));
  // The complaint's own stored event holds only the commitment.
  absl::StatusOr<std::vector<v1::Event>> sealed = store_->ReadStream(id, 1, 1);
  ASSERT_OK(sealed.status());
  EXPECT_FALSE(leaks((*sealed)[0].SerializeAsString()));
}

// WatchEvents sends no complaint event to anyone: a supervisor of the
// jurisdiction, the unit the case is assigned to, an AUDITOR of the
// province. The window holds two complaints' whole handling (received,
// accepted, a case opened from one, the other attached to it, an interim
// reply) interleaved with the case's events; its last event, the unit's
// start of rectification, is the positive control each watcher must get.
TEST_F(ComplaintsTest, WatchEventsNeverDeliversComplaintEvents) {
  const std::string first = Receive(Caller("李四", "13800000001", "12369-W-1"));
  const std::string second = Receive(Caller("王五", "13800000002", "12369-W-2"));
  ASSERT_TRUE(Accept(first).ok());
  ASSERT_TRUE(Accept(second).ok());
  const std::string case_id = OpenCase(first);
  ASSERT_FALSE(case_id.empty());
  v1::AttachComplaintToCaseRequest attach;
  attach.set_command_id("attach");
  attach.set_complaint_id(second);
  attach.set_case_id(case_id);
  v1::AttachComplaintToCaseResponse attached;
  ASSERT_TRUE(COMPLAINT(AttachComplaintToCase, kSupervisor, attach, &attached).ok());
  AssignToTheUnit(case_id);
  ASSERT_TRUE(Reply(second, /*interim=*/true).ok());
  {
    v1::StartRectificationRequest r;
    r.set_command_id("start");
    r.set_case_id(case_id);
    v1::StartRectificationResponse response;
    ASSERT_TRUE(CASE(StartRectification, kRectifier, r, &response).ok());
  }
  // The control: the last event in the store is the case's start.
  const uint64_t control = store_->LastPosition();
  absl::StatusOr<std::vector<v1::Event>> all = store_->ReadLog(0, 1000);
  ASSERT_OK(all.status());
  int complaint_events = 0;
  for (const v1::Event& event : *all) {
    if (event.stream_kind() == v1::STREAM_KIND_COMPLAINT) ++complaint_events;
  }
  // Two received, two accepted, one linked each, one interim reply (and the
  // clocks they open and close): the window does hold complaint events.
  ASSERT_GE(complaint_events, 7);
  ASSERT_EQ(all->back().position(), control);
  ASSERT_TRUE(all->back().has_rectification_started());

  for (const char* token : {kSupervisor, kRectifier, kAuditor}) {
    SCOPED_TRACE(token);
    grpc::ClientContext context;
    context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    std::unique_ptr<grpc::ClientReader<v1::WatchEventsResponse>> reader =
        case_stub_->WatchEvents(&context, v1::WatchEventsRequest());
    v1::WatchEventsResponse message;
    bool got_control = false;
    std::vector<std::string> streams;
    while (!got_control && reader->Read(&message)) {
      if (!message.has_event()) continue;
      const v1::Event& event = message.event();
      streams.push_back(event.stream_id());
      EXPECT_NE(event.stream_kind(), v1::STREAM_KIND_COMPLAINT) << event.stream_id();
      EXPECT_FALSE(absl::StartsWith(event.stream_id(), "XF-")) << event.stream_id();
      EXPECT_EQ(event.SerializeAsString().find("李四"), std::string::npos);
      got_control = event.position() == control;
    }
    context.TryCancel();
    reader->Finish().IgnoreError();
    EXPECT_TRUE(got_control) << "the case's start was not delivered";
    for (const std::string& stream : streams) EXPECT_EQ(stream, case_id);
  }
}

TEST_F(ComplaintsTest, ImportIsAllOrNothingAndIdempotent) {
  auto row = [](int number, const std::string& ticket) {
    v1::ComplaintImportRow r;
    r.set_row_number(number);
    *r.mutable_details() = Caller("钱七", "13900000000", ticket);
    r.mutable_details()->set_channel(v1::COMPLAINT_CHANNEL_PLATFORM);
    return r;
  };
  v1::ImportComplaintsRequest bad;
  bad.set_command_id("import-bad");
  *bad.add_rows() = row(2, "12369-I-1");
  *bad.add_rows() = row(3, "12369-I-2");
  bad.mutable_rows(1)->mutable_details()->mutable_location()->set_region_code("999999");
  *bad.add_rows() = row(4, "12369-I-3");
  v1::ImportComplaintsResponse refused;
  grpc::Status status = COMPLAINT(ImportComplaints, kSupervisor, bad, &refused);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_FALSE(refused.committed());
  ASSERT_EQ(refused.problems_size(), 1);
  EXPECT_EQ(refused.problems(0).row_number(), 3);
  EXPECT_EQ(refused.problems(0).field(), "details.location.region_code");
  EXPECT_FALSE(refused.problems(0).message_zh().empty());
  // Nothing was written.
  v1::ListComplaintsRequest list;
  v1::ListComplaintsResponse listed;
  ASSERT_TRUE(COMPLAINT(ListComplaints, kSupervisor, list, &listed).ok());
  EXPECT_EQ(listed.items_size(), 0);

  v1::ImportComplaintsRequest good;
  good.set_command_id("import-good");
  *good.add_rows() = row(2, "12369-I-1");
  *good.add_rows() = row(3, "12369-I-2");
  *good.add_rows() = row(4, "12369-I-3");
  v1::ImportComplaintsResponse imported;
  status = COMPLAINT(ImportComplaints, kSupervisor, good, &imported);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_TRUE(imported.committed());
  EXPECT_EQ(imported.imported(), 3);
  ASSERT_EQ(imported.results_size(), 3);
  EXPECT_EQ(imported.results(0).complaint_id(), "XF-620722-2026-000001");
  EXPECT_EQ(imported.results(2).complaint_id(), "XF-620722-2026-000003");

  // The same file again (another command id, as after a restart of the CLI):
  // nothing new.
  good.set_command_id("import-good-again");
  v1::ImportComplaintsResponse again;
  ASSERT_TRUE(COMPLAINT(ImportComplaints, kSupervisor, good, &again).ok());
  EXPECT_TRUE(again.committed());
  EXPECT_EQ(again.imported(), 0);
  EXPECT_EQ(again.already_present(), 3);
  EXPECT_EQ(again.results(1).complaint_id(), "XF-620722-2026-000002");
  EXPECT_TRUE(again.results(1).already_present());
  ASSERT_TRUE(COMPLAINT(ListComplaints, kSupervisor, list, &listed).ok());
  EXPECT_EQ(listed.items_size(), 3);
  // A phone receipt of an imported ticket is refused, naming the complaint.
  v1::ReceiveComplaintRequest receive;
  receive.set_command_id("receive-dup");
  *receive.mutable_details() = Caller("钱七", "13900000000", "12369-I-2");
  v1::ReceiveComplaintResponse received;
  status = COMPLAINT(ReceiveComplaint, kSupervisor, receive, &received);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(status.error_message(), HasSubstr("XF-620722-2026-000002"));
  // An inspector may not import.
  good.set_command_id("import-by-inspector");
  EXPECT_EQ(COMPLAINT(ImportComplaints, kInspector, good, &again).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(ComplaintsTest, TheSchedulerMarksAMissedClockAndTheQueueShowsIt) {
  const std::string id = Receive(Caller("李四", "13800000001", "12369-S-1"));
  DeadlineScheduler scheduler(*store_, *pipeline_, clock_);
  ASSERT_OK(scheduler.RunOnce().status());
  v1::GetComplaintRequest get;
  get.set_complaint_id(id);
  v1::GetComplaintResponse got;
  ASSERT_TRUE(COMPLAINT(GetComplaint, kSupervisor, get, &got).ok());
  EXPECT_FALSE(got.complaint().overdue());
  // Received Mon 2026-03-02 09:00: day 15 after is Tue 03-17, so the clock
  // ends 03-18 00:00 China time; the day before, one calendar day is left.
  ASSERT_EQ(got.clocks_size(), 1);
  EXPECT_EQ(got.clocks(0).last_day(), "2026-03-17");
  clock_.Advance(absl::FromCivil(absl::CivilSecond(2026, 3, 18, 0, 0, 1), kChina) - clock_.Now());
  ASSERT_OK_AND_ASSIGN(DeadlineScheduler::PassResult pass, scheduler.RunOnce());
  EXPECT_EQ(pass.fired, 1);
  ASSERT_TRUE(COMPLAINT(GetComplaint, kSupervisor, get, &got).ok());
  EXPECT_TRUE(got.complaint().overdue());
  EXPECT_TRUE(got.clocks(0).overdue());
  v1::ListComplaintsRequest overdue;
  overdue.set_overdue_only(true);
  v1::ListComplaintsResponse listed;
  ASSERT_TRUE(COMPLAINT(ListComplaints, kSupervisor, overdue, &listed).ok());
  ASSERT_EQ(listed.items_size(), 1);
  // Fires once.
  ASSERT_OK_AND_ASSIGN(pass, scheduler.RunOnce());
  EXPECT_EQ(pass.fired, 0);
}

}  // namespace
}  // namespace rectify::server

namespace rectify::server {
namespace {

// 2,500,000 'a' (three of the store's 1 MiB chunks), hashed by `head -c
// 2500000 /dev/zero | tr '\0' a | sha256sum`: a model independent of
// base/sha256.
constexpr char kFileSha[] = "38a637965059125eeb67f54c30e7f48a61859a467a800ba09740ba48a924f2b9";
constexpr int64_t kFileSize = 2500000;

TEST_F(ComplaintsTest, SiteCheckDocumentsAreStoredReadByReadersAndCheckedAtTheClose) {
  const std::string id = Receive(Caller("王五", "13900000003", "12369-620722-2026-00901"));
  ASSERT_TRUE(Accept(id).ok());
  const std::string file(kFileSize, 'a');

  v1::UploadSiteCheckDocumentMetadata metadata;
  metadata.set_command_id("upload-record");
  metadata.set_complaint_id(id);
  metadata.set_kind(v1::EVIDENCE_KIND_INSPECTION_RECORD);
  metadata.set_file_name("现场检查笔录.pdf");
  metadata.set_media_type("application/pdf");
  metadata.set_sha256(kFileSha);
  metadata.set_size_bytes(kFileSize);

  // Refused before any byte, nothing written: an inspector (reads the
  // complaint, may not close it), a unit (never learns of it: NOT_FOUND),
  // a file over 64 MiB, and bytes that do not hash to the declared SHA-256.
  const uint64_t position = store_->LastPosition();
  v1::UploadSiteCheckDocumentResponse uploaded;
  grpc::Status status = UploadDocument(kInspector, metadata, file, &uploaded);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();
  status = UploadDocument(kRectifier, metadata, file, &uploaded);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << status.error_message();
  v1::UploadSiteCheckDocumentMetadata huge = metadata;
  huge.set_size_bytes((int64_t{64} << 20) + 1);
  status = UploadDocument(kSupervisor, huge, "", &uploaded);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(status.error_message(), HasSubstr("size_bytes"));
  EXPECT_THAT(ChineseOf(status), HasSubstr("文件过大"));
  std::string changed = file;
  changed[1500000] = 'b';
  status = UploadDocument(kSupervisor, metadata, changed, &uploaded);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("sha256"));
  status = UploadDocument(kSupervisor, metadata, file.substr(0, kFileSize - 1), &uploaded);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("size_bytes"));
  EXPECT_EQ(store_->LastPosition(), position);

  // The supervisor uploads it: scd-1, as declared.
  status = UploadDocument(kSupervisor, metadata, file, &uploaded);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(uploaded.document().document_id(), "scd-1");
  EXPECT_EQ(uploaded.document().sha256(), kFileSha);
  EXPECT_EQ(uploaded.document().size(), kFileSize);
  EXPECT_EQ(uploaded.document().media_type(), "application/pdf");
  EXPECT_EQ(uploaded.document().file_name(), "现场检查笔录.pdf");
  EXPECT_EQ(uploaded.complaint().complaint_id(), id);
  // A retry with the same command id: the same answer, nothing new.
  const uint64_t after_upload = store_->LastPosition();
  v1::UploadSiteCheckDocumentResponse again;
  status = UploadDocument(kSupervisor, metadata, file, &again);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(again.document().document_id(), "scd-1");
  EXPECT_EQ(store_->LastPosition(), after_upload);

  // Whoever reads the complaint downloads it byte for byte; a unit, the
  // police, the procurator, the admin and an inspector of another county
  // get the answer of a complaint that does not exist.
  for (const char* token : {kSupervisor, kInspector, kHead, kAuditor}) {
    v1::SiteCheckDocument record;
    std::string bytes;
    status = DownloadDocument(token, id, "scd-1", &record, &bytes);
    ASSERT_TRUE(status.ok()) << token << ": " << status.error_message();
    EXPECT_EQ(record.file_name(), "现场检查笔录.pdf") << token;
    EXPECT_EQ(bytes.size(), file.size()) << token;
    EXPECT_TRUE(bytes == file) << token;
  }
  for (const char* token : {kRectifier, kPolice, kProcurator, kAdmin, kGanzhou}) {
    v1::SiteCheckDocument record;
    std::string bytes;
    status = DownloadDocument(token, id, "scd-1", &record, &bytes);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND) << token;
    EXPECT_TRUE(bytes.empty()) << token;
  }
  {
    v1::SiteCheckDocument record;
    std::string bytes;
    status = DownloadDocument(kSupervisor, id, "scd-2", &record, &bytes);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  }

  // The close must name it as stored: a wrong hash, a wrong size, an id never
  // uploaded, a document without id are refused naming the field, in
  // Chinese too, and change nothing.
  auto close_naming = [&](const std::string& document_id, const std::string& sha256, int64_t size,
                          const std::string& command_id) {
    v1::CloseComplaintUnfoundedRequest close;
    close.set_command_id(command_id);
    close.set_complaint_id(id);
    *close.mutable_checked_at() = ToProto(clock_.Now());
    close.add_inspectors(kInspector);
    close.set_findings("现场无作业，料堆已覆盖，未见扬尘");
    v1::SiteCheckDocument& named = *close.add_check_documents();
    named.set_document_id(document_id);
    named.set_sha256(sha256);
    named.set_size(size);
    return close;
  };
  const std::string other_sha(64, '0');
  struct Refused {
    v1::CloseComplaintUnfoundedRequest close;
    std::string field;
    std::string chinese;
  };
  const std::vector<Refused> refused = {
      {close_naming("scd-1", other_sha, kFileSize, "close-1"), "check_documents[0].sha256",
       "哈希不符"},
      {close_naming("scd-1", kFileSha, kFileSize - 1, "close-2"), "check_documents[0].size",
       "不符"},
      {close_naming("scd-7", kFileSha, kFileSize, "close-3"), "check_documents[0].document_id",
       "未上传"},
      {close_naming("", kFileSha, kFileSize, "close-4"), "check_documents[0].document_id",
       "请先上传"},
  };
  for (const Refused& r : refused) {
    v1::CloseComplaintUnfoundedResponse response;
    status = COMPLAINT(CloseComplaintUnfounded, kSupervisor, r.close, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << r.field;
    EXPECT_THAT(status.error_message(), HasSubstr(r.field));
    EXPECT_THAT(ChineseOf(status), HasSubstr(r.chinese)) << r.field;
    EXPECT_EQ(store_->LastPosition(), after_upload) << r.field;
  }
  v1::GetComplaintRequest get;
  get.set_complaint_id(id);
  v1::GetComplaintResponse got;
  ASSERT_TRUE(COMPLAINT(GetComplaint, kSupervisor, get, &got).ok());
  EXPECT_FALSE(got.complaint().has_site_check());

  // Named rightly: closed, the stored record in the complaint.
  v1::CloseComplaintUnfoundedResponse closed;
  status = COMPLAINT(CloseComplaintUnfounded, kSupervisor,
                     close_naming("scd-1", kFileSha, kFileSize, "close-ok"), &closed);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(closed.complaint().site_check().documents_size(), 1);
  const v1::SiteCheckDocument& listed = closed.complaint().site_check().documents(0);
  EXPECT_EQ(listed.document_id(), "scd-1");
  EXPECT_EQ(listed.file_name(), "现场检查笔录.pdf");
  EXPECT_EQ(listed.kind(), v1::EVIDENCE_KIND_INSPECTION_RECORD);
  EXPECT_EQ(listed.media_type(), "application/pdf");
  EXPECT_EQ(listed.size(), kFileSize);

  // Closed: no more uploads.
  v1::UploadSiteCheckDocumentMetadata late = metadata;
  late.set_command_id("upload-late");
  status = UploadDocument(kSupervisor, late, file, &uploaded);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

}  // namespace
}  // namespace rectify::server

// CaseService over real gRPC on 127.0.0.1 port 0, with the real pipeline, a
// real RocksDB store and a simulated clock: each role's part of DOMAIN.md end
// to end, retried command ids, concurrent writers with expected versions,
// and principals of a foreign jurisdiction refused on every mutating RPC.
#include "server/case_service.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "base/proto_time.h"
#include "base/sha256.h"
#include "base/simulated_clock.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "rectify/v1/case_service.grpc.pb.h"
#include "rectify/v1/user_message.pb.h"
#include "rocksdb/db.h"
#include "server/pipeline.h"
#include "server/principals.h"
#include "storage/keys.h"
#include "storage/rocks_event_store.h"
#include "tests/temp_dir.h"
#include "workflow/policy.h"

namespace rectify::server {
namespace {

using Stub = v1::CaseService::Stub;

// 2026-03-02 09:00 China Standard Time.
const absl::Time kStart =
    absl::FromCivil(absl::CivilSecond(2026, 3, 2, 1, 0, 0), absl::UTCTimeZone());

// The Chinese user message of a refused call, read from the gRPC error
// details (the grpc-status-details-bin trailer) as any gRPC client would:
// a google.rpc.Status (rectify.v1.RpcStatus) whose details hold an Any.
v1::UserMessage UserMessageOf(const grpc::Status& status) {
  v1::RpcStatus details;
  EXPECT_TRUE(details.ParseFromString(status.error_details())) << status.error_message();
  EXPECT_EQ(details.code(), static_cast<int>(status.error_code()));
  EXPECT_EQ(details.message(), status.error_message());
  v1::UserMessage message;
  EXPECT_EQ(details.details_size(), 1);
  if (details.details_size() == 1) {
    EXPECT_EQ(details.details(0).type_url(), "type.googleapis.com/rectify.v1.UserMessage");
    EXPECT_TRUE(details.details(0).UnpackTo(&message));
  }
  return message;
}

struct Person {
  std::string token;
  std::string id;
  std::string role;
  std::string unit;
  std::string jurisdiction;
};

// Minle County (620722) staff, one per role, and the same roles in Ganzhou
// District (620702): the foreign jurisdiction.
std::vector<Person> People() {
  std::vector<Person> people = {
      {"inspector", "insp-zhang", "ROLE_INSPECTOR", "minle-eeb", "620722"},
      {"inspector-2", "insp-li", "ROLE_INSPECTOR", "minle-eeb", "620722"},
      {"supervisor", "sup-wang", "ROLE_SUPERVISOR", "minle-eeb", "620722"},
      {"rectifier", "rect-hongshui", "ROLE_RECTIFIER", "minle-hongshui-town", "620722"},
      {"head", "head-chen", "ROLE_BUREAU_HEAD", "minle-eeb", "620722"},
      {"police", "police-zhao", "ROLE_POLICE", "minle-psb", "620722"},
      {"procurator", "proc-sun", "ROLE_PROCURATOR", "minle-procuratorate", "620722"},
      {"auditor", "audit-zhou", "ROLE_AUDITOR", "zhangye-discipline", "6207"},
  };
  for (const char* role : {"INSPECTOR", "SUPERVISOR", "RECTIFIER", "BUREAU_HEAD", "POLICE",
                           "PROCURATOR", "AUDITOR", "ADMIN"}) {
    people.push_back({absl::StrCat("ganzhou-", role), absl::StrCat("ganzhou-", role),
                      absl::StrCat("ROLE_", role), "minle-hongshui-town", "620702"});
  }
  return people;
}

class CaseServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string principals;
    for (const Person& person : People()) {
      absl::StrAppend(&principals, "principals { principal { principal_id: \"", person.id,
                      "\" role: ", person.role, " unit_id: \"", person.unit,
                      "\" jurisdiction: \"", person.jurisdiction, "\" } token_sha256: \"",
                      HexEncode(Sha256(person.token)), "\" }\n");
    }
    auto registry = PrincipalRegistry::Parse(principals);
    ASSERT_TRUE(registry.ok()) << registry.status();
    registry_ = std::make_unique<PrincipalRegistry>(std::move(*registry));
    storage::StoreOptions options;
    options.clock = &clock_;
    auto store = storage::RocksEventStore::Open(dir_.Sub("db"), options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    pipeline_ = std::make_unique<CommandPipeline>(*store_, policy_, clock_);
    pipeline_->Start();
    service_ = std::make_unique<CaseServiceImpl>(*registry_, *pipeline_, *store_);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(port, 0);
    stub_ = v1::CaseService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
    if (pipeline_ != nullptr) pipeline_->Stop();
  }

  // Calls `method` as the person with `token`.
  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const std::string& token, const Request& request, Response* response) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + token);
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
    return ((*stub_).*method)(&context, request, response);
  }

  // Calls and expects OK; returns the case after the command.
  template <typename Request, typename Response>
  v1::Case Ok(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
              const std::string& token, Request request) {
    if (request.command_id().empty()) request.set_command_id(absl::StrCat("cmd-", ++commands_));
    Response response;
    const grpc::Status status = Call(method, token, request, &response);
    EXPECT_TRUE(status.ok()) << request.GetTypeName() << " as " << token << ": "
                             << status.error_code() << " " << status.error_message();
    return response.case_();
  }

  v1::Case Report(const std::string& token = "inspector") {
    v1::ReportCaseRequest request;
    request.set_title("北滩村渗坑");
    request.set_category(v1::CATEGORY_WATER);
    request.set_severity(v1::SEVERITY_HIGH);
    request.set_source(v1::CASE_SOURCE_HOTLINE_12369);
    request.mutable_location()->set_region_code("620722100");
    request.mutable_complainant()->set_name("王秀英");
    *request.mutable_found_at() = ToProto(clock_.Now() - absl::Hours(2));
    return Ok(&Stub::ReportCase, token, request);
  }

  v1::Case Assign(const std::string& case_id) {
    v1::AssignCaseRequest request;
    request.set_case_id(case_id);
    request.set_responsible_unit("minle-hongshui-town");
    request.set_requirements("一周内完成渗坑清理并回填");
    *request.mutable_rectification_due_at() = ToProto(clock_.Now() + absl::Hours(24 * 20));
    return Ok(&Stub::AssignCase, "supervisor", request);
  }

  // Expects a mutating call on `case_id` by `token` to be PERMISSION_DENIED.
  template <typename Request, typename Response>
  void ExpectDenied(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const std::string& token, const std::string& case_id) {
    Request request;
    request.set_case_id(case_id);
    request.set_command_id(absl::StrCat(token, "-", ++commands_));
    Response response;
    EXPECT_EQ(Call(method, token, request, &response).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << request.GetTypeName() << " as " << token;
  }

  template <typename Request>
  Request On(const std::string& case_id) {
    Request request;
    request.set_case_id(case_id);
    return request;
  }

  rectify::testing::TempDir dir_;
  SimulatedClock clock_{kStart};
  workflow::Policy policy_;
  std::unique_ptr<PrincipalRegistry> registry_;
  std::unique_ptr<storage::RocksEventStore> store_;
  std::unique_ptr<CommandPipeline> pipeline_;
  std::unique_ptr<CaseServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<Stub> stub_;
  int commands_ = 0;
};

TEST_F(CaseServiceTest, CaseLifeCycleWithEachRoleDoingItsPart) {
  const v1::Case reported = Report();
  const std::string id = reported.case_id();
  EXPECT_EQ(reported.status(), v1::CASE_STATUS_FOUND);
  EXPECT_FALSE(reported.has_complainant()) << "an inspector does not see the complainant";

  EXPECT_EQ(Assign(id).status(), v1::CASE_STATUS_ASSIGNED);
  clock_.Advance(absl::Hours(3));
  EXPECT_EQ(Ok(&Stub::StartRectification, "rectifier", On<v1::StartRectificationRequest>(id))
                .status(),
            v1::CASE_STATUS_RECTIFYING);

  auto progress = On<v1::ReportProgressRequest>(id);
  progress.set_text("已清运渗坑污泥约40吨");
  progress.set_percent_complete(40);
  EXPECT_THAT(Ok(&Stub::ReportProgress, "rectifier", progress).progress_reports(),
              ::testing::SizeIs(1));

  auto extension = On<v1::RequestExtensionRequest>(id);
  extension.set_reason("回填土方供应不足");
  *extension.mutable_requested_due_at() = ToProto(kStart + absl::Hours(24 * 30));
  const v1::Case asked = Ok(&Stub::RequestExtension, "rectifier", extension);
  ASSERT_THAT(asked.extension_requests(), ::testing::SizeIs(1));
  auto decision = On<v1::DecideExtensionRequest>(id);
  decision.set_request_id(asked.extension_requests(0).request_id());
  decision.set_granted(true);
  const v1::Case extended = Ok(&Stub::DecideExtension, "supervisor", decision);
  EXPECT_EQ(extended.rectification_due_at().seconds(),
            absl::ToUnixSeconds(kStart + absl::Hours(24 * 30)));

  auto submit = On<v1::SubmitCompletionRequest>(id);
  submit.set_summary("渗坑已清理回填");
  Ok(&Stub::SubmitCompletion, "rectifier", submit);

  auto fail = On<v1::VerifyRectificationRequest>(id);
  fail.set_passed(false);
  fail.set_notes("回填区域仍有异味");
  *fail.mutable_new_rectification_due_at() = ToProto(clock_.Now() + absl::Hours(24 * 10));
  EXPECT_EQ(Ok(&Stub::VerifyRectification, "inspector", fail).status(),
            v1::CASE_STATUS_RECTIFYING);

  submit.clear_command_id();
  submit.set_summary("已加铺防渗膜并覆土");
  Ok(&Stub::SubmitCompletion, "rectifier", submit);

  // The one who submitted may not verify: the rectifier is refused.
  auto pass = On<v1::VerifyRectificationRequest>(id);
  pass.set_passed(true);
  pass.set_command_id("verify-by-rectifier");
  v1::VerifyRectificationResponse refused;
  EXPECT_EQ(Call(&Stub::VerifyRectification, "rectifier", pass, &refused).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  pass.clear_command_id();
  EXPECT_EQ(Ok(&Stub::VerifyRectification, "inspector-2", pass).status(),
            v1::CASE_STATUS_VERIFIED);

  const v1::Case closed = Ok(&Stub::CloseCase, "supervisor", On<v1::CloseCaseRequest>(id));
  EXPECT_EQ(closed.status(), v1::CASE_STATUS_CLOSED);
  EXPECT_EQ(closed.complainant().name(), "王秀英") << "the supervisor sees the complainant";

  // What the store holds agrees with the replies.
  auto stored = store_->GetCase(id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->version(), closed.version());
  auto history = store_->ReadStream(id, 1, 1000);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(static_cast<int64_t>(history->size()), closed.version());
  for (size_t i = 0; i < history->size(); ++i) {
    EXPECT_EQ((*history)[i].version(), static_cast<int64_t>(i + 1));
  }
}

TEST_F(CaseServiceTest, ReferralThroughDeclineReconsiderationSupervisionToFiled) {
  const std::string id = Report().case_id();
  auto propose = On<v1::ProposeReferralRequest>(id);
  propose.set_suspected_offence("污染环境罪（刑法第三百三十八条）");
  propose.set_report("现场检测化学需氧量超标十倍以上");
  propose.add_proposing_officers("insp-zhang");
  propose.add_proposing_officers("insp-li");
  const v1::Case proposed = Ok(&Stub::ProposeReferral, "inspector", propose);
  ASSERT_THAT(proposed.referrals(), ::testing::SizeIs(1));
  const std::string referral = proposed.referrals(0).referral_id();
  auto step = [&](auto request) {
    request.set_case_id(id);
    request.set_referral_id(referral);
    return request;
  };

  // The police may not read the case before it is sent to them: to them it
  // does not exist yet.
  v1::GetCaseRequest get;
  get.set_case_id(id);
  v1::GetCaseResponse read;
  EXPECT_EQ(Call(&Stub::GetCase, "police", get, &read).error_code(),
            grpc::StatusCode::NOT_FOUND);

  Ok(&Stub::ApproveReferral, "head", step(v1::ApproveReferralRequest()));
  auto send = step(v1::SendReferralRequest());
  send.set_police_unit("minle-psb");
  send.set_procuratorate_unit("minle-procuratorate");
  Ok(&Stub::SendReferral, "supervisor", send);
  EXPECT_TRUE(Call(&Stub::GetCase, "police", get, &read).ok());
  EXPECT_TRUE(Call(&Stub::GetCase, "procurator", get, &read).ok());
  EXPECT_FALSE(read.case_().has_complainant()) << "copies to other agencies carry no personal data";

  Ok(&Stub::ReceiveReferral, "police", step(v1::ReceiveReferralRequest()));
  auto decline = step(v1::DecideReferralRequest());
  decline.set_decision(v1::FILING_DECISION_DECLINED);
  decline.set_reason("证据不足");
  EXPECT_EQ(Ok(&Stub::DecideReferral, "police", decline).referrals(0).state(),
            v1::REFERRAL_STATE_DECLINED);
  auto reconsider = step(v1::RequestReconsiderationRequest());
  reconsider.set_grounds("补充了第三方检测报告");
  Ok(&Stub::RequestReconsideration, "supervisor", reconsider);
  auto upheld = step(v1::DecideReconsiderationRequest());
  upheld.set_decision(v1::FILING_DECISION_DECLINED);
  upheld.set_reason("维持不予立案");
  EXPECT_EQ(Ok(&Stub::DecideReconsideration, "police", upheld).referrals(0).state(),
            v1::REFERRAL_STATE_DECLINE_UPHELD);
  auto supervise = step(v1::RequestSupervisionRequest());
  supervise.set_grounds("请检察院监督立案");
  Ok(&Stub::RequestSupervision, "supervisor", supervise);
  auto filed = step(v1::DecideReferralRequest());
  filed.set_decision(v1::FILING_DECISION_FILED);
  filed.set_police_case_number("民公刑立字〔2026〕15号");
  const v1::Case done = Ok(&Stub::DecideReferral, "police", filed);
  EXPECT_EQ(done.referrals(0).state(), v1::REFERRAL_STATE_FILED);
  EXPECT_EQ(done.referrals(0).police_case_number(), "民公刑立字〔2026〕15号");
}

// Issue 12, item 19: a referred hotline case's history verifies for every
// reader, the police and the procuratorate included. The chain is recomputed
// here as docs/storage.md ("Canonical bytes") writes it down: SHA-256(prev ||
// the event's bytes without its hash, the complainant and the salts). Only
// the supervisor of the jurisdiction gets the complainant, with the salts
// that check against the commitment. Before the commitments the police's
// version 1 did not recompute (the hash covered the complainant they do not
// get).
TEST_F(CaseServiceTest, AReferredHotlineCaseHistoryVerifiesForEveryReader) {
  v1::ReportCaseRequest report;
  report.set_title("北滩村渗坑");
  report.set_category(v1::CATEGORY_WATER);
  report.set_severity(v1::SEVERITY_HIGH);
  report.set_source(v1::CASE_SOURCE_HOTLINE_12369);
  report.set_source_reference("12369-2026-0042");
  report.mutable_location()->set_region_code("620722100");
  report.mutable_complainant()->set_name("王秀英");
  report.mutable_complainant()->set_phone("138-0936-0000");
  *report.mutable_found_at() = ToProto(clock_.Now() - absl::Hours(2));
  const std::string id = Ok(&Stub::ReportCase, "inspector", report).case_id();
  auto propose = On<v1::ProposeReferralRequest>(id);
  propose.set_suspected_offence("污染环境罪（刑法第三百三十八条）");
  propose.set_report("现场检测化学需氧量超标十倍以上");
  propose.add_proposing_officers("insp-zhang");
  propose.add_proposing_officers("insp-li");
  const std::string referral =
      Ok(&Stub::ProposeReferral, "inspector", propose).referrals(0).referral_id();
  auto approve = On<v1::ApproveReferralRequest>(id);
  approve.set_referral_id(referral);
  Ok(&Stub::ApproveReferral, "head", approve);
  auto send = On<v1::SendReferralRequest>(id);
  send.set_referral_id(referral);
  send.set_police_unit("minle-psb");
  send.set_procuratorate_unit("minle-procuratorate");
  Ok(&Stub::SendReferral, "supervisor", send);

  std::string supervisor_head;
  for (const char* reader :
       {"police", "procurator", "supervisor", "inspector", "head", "auditor"}) {
    SCOPED_TRACE(reader);
    v1::GetCaseHistoryRequest request;
    request.set_case_id(id);
    v1::GetCaseHistoryResponse history;
    ASSERT_TRUE(Call(&Stub::GetCaseHistory, reader, request, &history).ok());
    ASSERT_GE(history.events_size(), 4);
    std::string prev;
    for (const v1::Event& event : history.events()) {
      v1::Event canonical = event;
      canonical.clear_hash();
      if (event.has_case_reported()) {
        canonical.mutable_case_reported()->clear_complainant();
        canonical.mutable_case_reported()->clear_complainant_salts();
      }
      EXPECT_EQ(event.prev_hash(), prev) << "version " << event.version();
      EXPECT_EQ(Sha256(prev + canonical.SerializeAsString()), event.hash())
          << "version " << event.version() << " does not recompute";
      prev = event.hash();
    }
    const v1::CaseReported& reported = history.events(0).case_reported();
    ASSERT_EQ(reported.complainant_commitment().name_sha256().size(), 32u);
    if (std::string(reader) == "supervisor") {
      supervisor_head = prev;
      EXPECT_EQ(reported.complainant().name(), "王秀英");
      EXPECT_EQ(Sha256(reported.complainant_salts().name() + "王秀英"),
                reported.complainant_commitment().name_sha256());
      EXPECT_EQ(Sha256(reported.complainant_salts().phone() + "138-0936-0000"),
                reported.complainant_commitment().phone_sha256());
    } else {
      EXPECT_FALSE(reported.has_complainant());
      EXPECT_FALSE(reported.has_complainant_salts());
      EXPECT_EQ(history.SerializeAsString().find("王秀英"), std::string::npos);
      EXPECT_EQ(history.SerializeAsString().find("138-0936-0000"), std::string::npos);
    }
  }
  EXPECT_FALSE(supervisor_head.empty());
}

TEST_F(CaseServiceTest, SameCommandIdThreeTimesActsOnceAndRepliesTheSame) {
  const std::string id = Report().case_id();
  auto assign = On<v1::AssignCaseRequest>(id);
  assign.set_command_id("tablet-9-000017");
  assign.set_responsible_unit("minle-hongshui-town");
  assign.set_requirements("整改");
  *assign.mutable_rectification_due_at() = ToProto(kStart + absl::Hours(24 * 15));
  std::vector<v1::AssignCaseResponse> replies(3);
  for (auto& reply : replies) {
    clock_.Advance(absl::Minutes(5));
    ASSERT_TRUE(Call(&Stub::AssignCase, "supervisor", assign, &reply).ok());
  }
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(replies[0], replies[1]));
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(replies[0], replies[2]));
  auto stored = store_->GetCase(id);
  ASSERT_TRUE(stored.ok());
  EXPECT_EQ(stored->version(), replies[0].case_().version());
}

TEST_F(CaseServiceTest, ConcurrentWritersWithExpectedVersionExactlyOneWins) {
  const std::string id = Report().case_id();
  Assign(id);
  const v1::Case started =
      Ok(&Stub::StartRectification, "rectifier", On<v1::StartRectificationRequest>(id));
  constexpr int kWriters = 8;
  std::vector<grpc::StatusCode> codes(kWriters);
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&, i] {
      auto progress = On<v1::ReportProgressRequest>(id);
      progress.set_command_id(absl::StrCat("writer-", i));
      progress.set_expected_version(started.version());
      progress.set_text(absl::StrCat("进展 ", i));
      v1::ReportProgressResponse reply;
      codes[i] = Call(&Stub::ReportProgress, "rectifier", progress, &reply).error_code();
    });
  }
  for (std::thread& writer : writers) writer.join();
  EXPECT_EQ(std::count(codes.begin(), codes.end(), grpc::StatusCode::OK), 1);
  EXPECT_EQ(std::count(codes.begin(), codes.end(), grpc::StatusCode::ABORTED), kWriters - 1);
  auto stored = store_->GetCase(id);
  ASSERT_TRUE(stored.ok());
  EXPECT_THAT(stored->progress_reports(), ::testing::SizeIs(1));
}

TEST_F(CaseServiceTest, ForeignJurisdictionIsRefusedOnEveryMutatingRpcAndChangesNothing) {
  const std::string id = Report().case_id();
  Assign(id);
  const int64_t version = store_->GetCase(id)->version();
  const uint64_t position = store_->LastPosition();
  for (const Person& person : People()) {
    if (person.jurisdiction != "620702") continue;
    const std::string& token = person.token;
    ExpectDenied(&Stub::AssignCase, token, id);
    ExpectDenied(&Stub::ReassignCase, token, id);
    ExpectDenied(&Stub::StartRectification, token, id);
    ExpectDenied(&Stub::ReportProgress, token, id);
    ExpectDenied(&Stub::RequestExtension, token, id);
    ExpectDenied(&Stub::DecideExtension, token, id);
    ExpectDenied(&Stub::SubmitCompletion, token, id);
    ExpectDenied(&Stub::VerifyRectification, token, id);
    ExpectDenied(&Stub::RaiseObjection, token, id);
    ExpectDenied(&Stub::CloseCase, token, id);
    ExpectDenied(&Stub::CloseAsUnfounded, token, id);
    ExpectDenied(&Stub::ReopenCase, token, id);
    ExpectDenied(&Stub::ProposeReferral, token, id);
    ExpectDenied(&Stub::ApproveReferral, token, id);
    ExpectDenied(&Stub::RefuseReferral, token, id);
    ExpectDenied(&Stub::SendReferral, token, id);
    ExpectDenied(&Stub::ReceiveReferral, token, id);
    ExpectDenied(&Stub::ExtendReferralReview, token, id);
    ExpectDenied(&Stub::DecideReferral, token, id);
    ExpectDenied(&Stub::RequestReconsideration, token, id);
    ExpectDenied(&Stub::DecideReconsideration, token, id);
    ExpectDenied(&Stub::RequestSupervision, token, id);
    ExpectDenied(&Stub::ExplainNonFiling, token, id);
    ExpectDenied(&Stub::WithdrawReferral, token, id);
    v1::GetCaseRequest get;
    get.set_case_id(id);
    v1::GetCaseResponse read;
    EXPECT_EQ(Call(&Stub::GetCase, token, get, &read).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << "GetCase as " << token;
    // A report in the other county is refused too.
    v1::ReportCaseRequest report;
    report.set_command_id(absl::StrCat(token, "-report"));
    report.set_title("越界上报");
    report.set_category(v1::CATEGORY_AIR);
    report.set_severity(v1::SEVERITY_LOW);
    report.set_source(v1::CASE_SOURCE_INSPECTION);
    report.mutable_location()->set_region_code("620722");
    *report.mutable_found_at() = ToProto(kStart - absl::Hours(1));
    v1::ReportCaseResponse reply;
    EXPECT_EQ(Call(&Stub::ReportCase, token, report, &reply).error_code(),
              grpc::StatusCode::PERMISSION_DENIED)
        << token;
  }
  EXPECT_EQ(store_->GetCase(id)->version(), version);
  EXPECT_EQ(store_->LastPosition(), position) << "a refused command wrote something";
}

// `chars` CJK characters of the common block (U+4E00..U+9FA5), pseudo-random
// from `seed` so that the store cannot compress them away: 3 bytes each.
std::string CjkText(int chars, uint32_t seed) {
  std::string text;
  for (int i = 0; i < chars; ++i) {
    seed = seed * 1103515245u + 12345u;
    const uint32_t code = 0x4E00 + (seed >> 8) % (0x9FA5 - 0x4E00);
    text.push_back(static_cast<char>(0xE0 | (code >> 12)));
    text.push_back(static_cast<char>(0x80 | ((code >> 6) & 0x3F)));
    text.push_back(static_cast<char>(0x80 | (code & 0x3F)));
  }
  return text;
}

TEST_F(CaseServiceTest, OneRectifierFillingACaseIsStoppedAndEveryReadStillWorks) {
  const std::string id = Report().case_id();
  Assign(id);
  Ok(&Stub::StartRectification, "rectifier", On<v1::StartRectificationRequest>(id));

  // The attack: progress reports of 10,000 CJK characters (30,000 bytes,
  // the most one may hold) from one rectifier, at most 40 of them here.
  int accepted = 0;
  uint64_t input_bytes = 0;
  grpc::Status refused;
  for (int i = 0; i < 40; ++i) {
    auto progress = On<v1::ReportProgressRequest>(id);
    progress.set_command_id(absl::StrCat("flood-", i));
    progress.set_text(CjkText(10000, static_cast<uint32_t>(i)));
    v1::ReportProgressResponse reply;
    const grpc::Status status = Call(&Stub::ReportProgress, "rectifier", progress, &reply);
    if (!status.ok()) {
      refused = status;
      break;
    }
    ++accepted;
    input_bytes += progress.text().size();
  }
  // The default policy: 90% of max_case_bytes = 1 MiB is 943,718 bytes for
  // content; each report takes 30,000 bytes of text and about 100 of actor
  // and time, and the case some hundreds: 31 reports fit, the 32nd does not.
  EXPECT_EQ(accepted, 31);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(refused.error_message(), ::testing::HasSubstr("max_case_bytes"));
  const int64_t version_after_flood = store_->GetCase(id)->version();

  // Every read still works, and so do the commands that finish the case.
  v1::GetCaseRequest get;
  get.set_case_id(id);
  v1::GetCaseResponse got;
  ASSERT_TRUE(Call(&Stub::GetCase, "supervisor", get, &got).ok());
  EXPECT_EQ(got.case_().progress_reports_size(), accepted);
  v1::ListCasesRequest list;
  v1::ListCasesResponse listed;
  const grpc::Status list_status = Call(&Stub::ListCases, "supervisor", list, &listed);
  ASSERT_TRUE(list_status.ok()) << list_status.error_message();
  ASSERT_EQ(listed.cases_size(), 1);
  EXPECT_EQ(listed.cases(0).case_id(), id);
  EXPECT_EQ(listed.cases(0).progress_reports_size(), 0) << "a list carries summaries";
  EXPECT_LT(listed.ByteSizeLong(), 10000u);
  int64_t events_read = 0;
  v1::GetCaseHistoryRequest history;
  history.set_case_id(id);
  history.set_page_size(1000);
  for (int page = 0; page < 10; ++page) {
    v1::GetCaseHistoryResponse events;
    const grpc::Status status = Call(&Stub::GetCaseHistory, "supervisor", history, &events);
    ASSERT_TRUE(status.ok()) << status.error_message();
    events_read += events.events_size();
    if (events.next_page_token().empty()) break;
    history.set_page_token(events.next_page_token());
  }
  EXPECT_EQ(events_read, version_after_flood);
  auto retry = On<v1::ReportProgressRequest>(id);
  retry.set_command_id("flood-0");
  retry.set_text(CjkText(10000, 0));
  v1::ReportProgressResponse retried;
  ASSERT_TRUE(Call(&Stub::ReportProgress, "rectifier", retry, &retried).ok());
  auto submit = On<v1::SubmitCompletionRequest>(id);
  submit.set_summary("整改完成");
  const v1::Case submitted = Ok(&Stub::SubmitCompletion, "rectifier", submit);
  EXPECT_GT(submitted.version(), version_after_flood);
  EXPECT_TRUE(submitted.completion_pending());

  // The store holds each report about twice (its event, the case), not once
  // per later command: after a flush and a compaction its files are linear
  // in the input (before, every idempotency record copied the whole case).
  rocksdb::DB* db = store_->db();
  for (const char* family : {storage::keys::kEvents, storage::keys::kLog, storage::keys::kCases,
                             storage::keys::kIndex, storage::keys::kTimers, storage::keys::kDedup,
                             storage::keys::kMeta, storage::keys::kReports}) {
    rocksdb::ColumnFamilyHandle* handle = store_->FamilyForTesting(family);
    ASSERT_NE(handle, nullptr) << family;
    ASSERT_TRUE(db->Flush(rocksdb::FlushOptions(), handle).ok());
    ASSERT_TRUE(db->CompactRange(rocksdb::CompactRangeOptions(), handle, nullptr, nullptr).ok());
  }
  uint64_t sst_bytes = 0;
  ASSERT_TRUE(db->GetAggregatedIntProperty("rocksdb.total-sst-files-size", &sst_bytes));
  EXPECT_GT(sst_bytes, input_bytes / 2);
  EXPECT_LT(sst_bytes, 3 * input_bytes + (uint64_t{1} << 20))
      << "input " << input_bytes << " bytes";
}

TEST_F(CaseServiceTest, ACaseTheCallerMayNotReadAnswersLikeAMissingOne) {
  const std::string id = Report().case_id();
  Assign(id);
  const std::string missing = "620722-2026-000077";
  // The police of the county read a case only once a referral is sent to them.
  v1::GetCaseRequest get;
  v1::GetCaseResponse got;
  get.set_case_id(id);
  const grpc::Status existing = Call(&Stub::GetCase, "police", get, &got);
  get.set_case_id(missing);
  const grpc::Status absent = Call(&Stub::GetCase, "police", get, &got);
  EXPECT_EQ(existing.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(absent.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(absl::StrReplaceAll(existing.error_message(), {{id, "ID"}}),
            absl::StrReplaceAll(absent.error_message(), {{missing, "ID"}}));
  // The Chinese says no more than the English.
  EXPECT_EQ(UserMessageOf(existing).zh_cn(), absl::StrCat("案件 ", id, " 不存在，或您无权查看"));
  EXPECT_EQ(UserMessageOf(absent).zh_cn(), absl::StrCat("案件 ", missing, " 不存在，或您无权查看"));

  v1::GetCaseHistoryRequest history;
  v1::GetCaseHistoryResponse events;
  history.set_case_id(id);
  EXPECT_EQ(Call(&Stub::GetCaseHistory, "police", history, &events).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // A command with a wrong expected version says nothing of the version.
  auto receive = On<v1::ReceiveReferralRequest>(id);
  receive.set_command_id("police-receive");
  receive.set_referral_id("ref-1");
  receive.set_expected_version(9);
  v1::ReceiveReferralResponse received;
  const grpc::Status command = Call(&Stub::ReceiveReferral, "police", receive, &received);
  EXPECT_EQ(command.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(command.error_message(), ::testing::Not(::testing::HasSubstr("version")));
  EXPECT_EQ(UserMessageOf(command).zh_cn(), absl::StrCat("案件 ", id, " 不存在，或您无权查看"));
}

// A refused call carries, beside its English message, the sentence a bureau
// user reads, in the error details: the state refusal, a field error with
// its Chinese label and field, and a role refusal.
TEST_F(CaseServiceTest, RefusalsCarryTheChineseReasonInTheErrorDetails) {
  const std::string id = Report().case_id();

  v1::CloseCaseRequest close = On<v1::CloseCaseRequest>(id);
  close.set_command_id("sup-close-too-early");
  v1::CloseCaseResponse closed;
  const grpc::Status early = Call(&Stub::CloseCase, "supervisor", close, &closed);
  EXPECT_EQ(early.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(early.error_message(), ::testing::HasSubstr("is FOUND; only a case in VERIFIED"));
  const v1::UserMessage state = UserMessageOf(early);
  EXPECT_EQ(state.zh_cn(), absl::StrCat("案件 ", id,
                                        " 当前为“待交办”，只有“已验收”的案件才能销号。"
                                        "当前可以：交办、以查无实据销号、提议移送、记录证据"));
  EXPECT_EQ(state.field(), "");

  v1::ReportCaseRequest untitled;
  untitled.set_command_id("insp-untitled");
  untitled.set_category(v1::CATEGORY_WATER);
  untitled.set_severity(v1::SEVERITY_HIGH);
  untitled.set_source(v1::CASE_SOURCE_INSPECTION);
  untitled.mutable_location()->set_region_code("620722100");
  *untitled.mutable_found_at() = ToProto(clock_.Now() - absl::Hours(1));
  v1::ReportCaseResponse reported;
  const grpc::Status invalid = Call(&Stub::ReportCase, "inspector", untitled, &reported);
  EXPECT_EQ(invalid.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(invalid.error_message(), "title: is required");
  const v1::UserMessage field = UserMessageOf(invalid);
  EXPECT_EQ(field.zh_cn(), "标题：必填");
  EXPECT_EQ(field.field(), "title");

  v1::AssignCaseRequest assign = On<v1::AssignCaseRequest>(id);
  assign.set_command_id("insp-assign");
  assign.set_responsible_unit("minle-hongshui-town");
  assign.set_requirements("清理");
  v1::AssignCaseResponse assigned;
  const grpc::Status role = Call(&Stub::AssignCase, "inspector", assign, &assigned);
  EXPECT_EQ(role.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(UserMessageOf(role).zh_cn(), "只有科室负责人才能交办；您的角色是执法人员");
}

}  // namespace
}  // namespace rectify::server

// Tests of the read side of CaseService on a real gRPC server (127.0.0.1,
// port 0) over a real RocksDB store: ListCases filters, paging and page
// tokens, scoping and redaction; GetCaseHistory paging and redaction;
// WatchEvents catch-up and live following under concurrent writes, filters,
// scoping, and the end of a stream at shutdown.
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/proto_time.h"
#include "base/simulated_clock.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "rectify/v1/case_service.grpc.pb.h"
#include "server/case_service.h"
#include "server/event_feed.h"
#include "server/pipeline.h"
#include "server/principals.h"
#include "storage/forwarding_event_store.h"
#include "storage/rocks_event_store.h"
#include "tests/status_matchers.h"
#include "tests/subprocess.h"
#include "tests/temp_dir.h"
#include "workflow/policy.h"

namespace rectify::server {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

// 2026-03-02 09:00 in China (01:00 UTC).
const absl::Time kStart =
    absl::FromCivil(absl::CivilSecond(2026, 3, 2, 1, 0, 0), absl::UTCTimeZone());

// The real store as the feed sees it, with a gate on ReadLog: a test closes
// it to hold the feed thread inside a read (it is the only reader of the
// log here), and every ReadLog's after_position is recorded in order, which
// is the order the feed served its subscribers in. Everything else passes
// straight through.
class GatedStore : public storage::ForwardingEventStore {
 public:
  using ForwardingEventStore::ForwardingEventStore;

  void Close() {
    absl::MutexLock lock(&mutex_);
    open_ = false;
  }
  void Open() {
    absl::MutexLock lock(&mutex_);
    open_ = true;
  }
  // Waits (bounded) until a ReadLog is held at the closed gate.
  bool AwaitHeld() {
    absl::MutexLock lock(&mutex_);
    return mutex_.AwaitWithTimeout(absl::Condition(&held_), absl::Seconds(60));
  }
  std::vector<uint64_t> reads() {
    absl::MutexLock lock(&mutex_);
    return reads_;
  }

  absl::StatusOr<std::vector<v1::Event>> ReadLog(uint64_t after_position, int limit) override {
    {
      absl::MutexLock lock(&mutex_);
      reads_.push_back(after_position);
      held_ = !open_;
      mutex_.Await(absl::Condition(&open_));
      held_ = false;
    }
    return ForwardingEventStore::ReadLog(after_position, limit);
  }

 private:
  absl::Mutex mutex_;
  bool open_ ABSL_GUARDED_BY(mutex_) = true;
  bool held_ ABSL_GUARDED_BY(mutex_) = false;
  std::vector<uint64_t> reads_ ABSL_GUARDED_BY(mutex_);
};

class CaseQueriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string text =
        rectify::testing::ReadFileOrEmpty(rectify::testing::Runfile("config/principals.demo.textproto"));
    auto registry = PrincipalRegistry::Parse(text);
    ASSERT_OK(registry.status());
    principals_ = std::make_unique<PrincipalRegistry>(*std::move(registry));
    storage::StoreOptions options;
    options.clock = &clock_;
    // Durability is the store's tests' subject; these are about reads.
    options.sync = false;
    auto store = storage::RocksEventStore::Open(dir_.Sub("db"), options);
    ASSERT_OK(store.status());
    store_ = *std::move(store);
    feed_store_ = std::make_unique<GatedStore>(*store_);
    feed_ = std::make_unique<EventFeed>(*feed_store_, feed_options_);
    feed_->Start();
    pipeline_ = std::make_unique<CommandPipeline>(*store_, policy_, clock_);
    pipeline_->SetCommitListener([this](uint64_t position) { feed_->Publish(position); });
    pipeline_->Start();
    service_ = std::make_unique<CaseServiceImpl>(*principals_, *pipeline_, *store_, feed_.get());
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    channel_ = grpc::CreateChannel(absl::StrCat("127.0.0.1:", port),
                                   grpc::InsecureChannelCredentials());
    stub_ = v1::CaseService::NewStub(channel_);
  }

  void TearDown() override { StopServer(); }

  void StopServer() {
    if (server_ == nullptr) return;
    feed_->Shutdown();
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
    server_->Wait();
    server_.reset();
    pipeline_->Stop();
    feed_->Stop();
  }

  static void Authorize(grpc::ClientContext& context, const std::string& token) {
    context.AddMetadata("authorization", "Bearer " + token);
  }

  // Reports a case as the demo inspector; returns its id.
  std::string Report(const std::string& command_id, const std::string& region = "620722100",
                     v1::Category category = v1::CATEGORY_WATER,
                     v1::CaseSource source = v1::CASE_SOURCE_INSPECTION,
                     const std::string& token = "demo-inspector",
                     absl::Time found_at = kStart - absl::Hours(1)) {
    v1::ReportCaseRequest request;
    request.set_command_id(command_id);
    request.set_title("砂石料场扬尘未覆盖");
    request.set_category(category);
    request.set_severity(v1::SEVERITY_HIGH);
    request.set_source(source);
    request.mutable_location()->set_region_code(region);
    *request.mutable_found_at() = ToProto(found_at);
    if (source == v1::CASE_SOURCE_HOTLINE_12369) {
      request.mutable_complainant()->set_name("刘芳");
      request.mutable_complainant()->set_phone("13800000000");
    }
    grpc::ClientContext context;
    Authorize(context, token);
    v1::ReportCaseResponse response;
    const grpc::Status status = stub_->ReportCase(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.case_().case_id();
  }

  void Assign(const std::string& case_id, const std::string& unit) {
    v1::AssignCaseRequest request;
    request.set_command_id("assign-" + case_id);
    request.set_case_id(case_id);
    request.set_responsible_unit(unit);
    request.set_requirements("覆盖料堆");
    grpc::ClientContext context;
    Authorize(context, "demo-supervisor");
    v1::AssignCaseResponse response;
    const grpc::Status status = stub_->AssignCase(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  grpc::Status List(const std::string& token, const v1::CaseFilter& filter,
                    v1::ListCasesResponse& response, int page_size = 0,
                    const std::string& page_token = "") {
    v1::ListCasesRequest request;
    *request.mutable_filter() = filter;
    request.set_page_size(page_size);
    request.set_page_token(page_token);
    grpc::ClientContext context;
    Authorize(context, token);
    return stub_->ListCases(&context, request, &response);
  }

  // Every case id the filter lists for `token`, page by page.
  std::vector<std::string> ListAll(const std::string& token, const v1::CaseFilter& filter,
                                   int page_size = 0) {
    std::vector<std::string> ids;
    std::string page_token;
    for (int pages = 0; pages < 1000; ++pages) {
      v1::ListCasesResponse response;
      const grpc::Status status = List(token, filter, response, page_size, page_token);
      EXPECT_TRUE(status.ok()) << status.error_message();
      for (const v1::Case& listed : response.cases()) ids.push_back(listed.case_id());
      page_token = response.next_page_token();
      if (page_token.empty() || !status.ok()) break;
    }
    return ids;
  }

  rectify::testing::TempDir dir_;
  // Set by a test's constructor to run the feed with other options.
  EventFeedOptions feed_options_;
  std::unique_ptr<GatedStore> feed_store_;
  SimulatedClock clock_{kStart};
  workflow::Policy policy_;
  std::unique_ptr<PrincipalRegistry> principals_;
  std::unique_ptr<storage::RocksEventStore> store_;
  std::unique_ptr<EventFeed> feed_;
  std::unique_ptr<CommandPipeline> pipeline_;
  std::unique_ptr<CaseServiceImpl> service_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::CaseService::Stub> stub_;
};

TEST_F(CaseQueriesTest, ListCasesFiltersEachFieldAndCombinations) {
  const std::string water = Report("r1", "620722100", v1::CATEGORY_WATER);
  const std::string air = Report("r2", "620722101", v1::CATEGORY_AIR);
  const std::string hotline =
      Report("r3", "620722100", v1::CATEGORY_AIR, v1::CASE_SOURCE_HOTLINE_12369);
  const std::string old_one = Report("r4", "620722100", v1::CATEGORY_SOIL,
                                     v1::CASE_SOURCE_INSPECTION, "demo-inspector",
                                     kStart - absl::Hours(24 * 30));
  Assign(air, "minle-hongshui-town");

  v1::CaseFilter none;
  EXPECT_THAT(ListAll("demo-supervisor", none), ElementsAre(water, air, hotline, old_one));

  v1::CaseFilter by_status;
  by_status.add_statuses(v1::CASE_STATUS_ASSIGNED);
  EXPECT_THAT(ListAll("demo-supervisor", by_status), ElementsAre(air));
  by_status.add_statuses(v1::CASE_STATUS_FOUND);
  EXPECT_THAT(ListAll("demo-supervisor", by_status), ElementsAre(water, air, hotline, old_one));

  v1::CaseFilter by_category;
  by_category.add_categories(v1::CATEGORY_AIR);
  EXPECT_THAT(ListAll("demo-supervisor", by_category), ElementsAre(air, hotline));

  v1::CaseFilter by_source;
  by_source.add_sources(v1::CASE_SOURCE_HOTLINE_12369);
  EXPECT_THAT(ListAll("demo-supervisor", by_source), ElementsAre(hotline));

  v1::CaseFilter by_region;
  by_region.set_region_prefix("620722101");
  EXPECT_THAT(ListAll("demo-supervisor", by_region), ElementsAre(air));

  v1::CaseFilter by_unit;
  by_unit.set_responsible_unit("minle-hongshui-town");
  EXPECT_THAT(ListAll("demo-supervisor", by_unit), ElementsAre(air));

  v1::CaseFilter by_found;
  *by_found.mutable_found_from() = ToProto(kStart - absl::Hours(24 * 40));
  *by_found.mutable_found_to() = ToProto(kStart - absl::Hours(24 * 10));
  EXPECT_THAT(ListAll("demo-supervisor", by_found), ElementsAre(old_one));

  v1::CaseFilter by_updated;
  *by_updated.mutable_updated_from() = ToProto(kStart - absl::Hours(1));
  EXPECT_EQ(ListAll("demo-supervisor", by_updated).size(), 4u);

  v1::CaseFilter overdue;
  overdue.set_overdue_only(true);
  EXPECT_TRUE(ListAll("demo-supervisor", overdue).empty());

  v1::CaseFilter on_list;
  on_list.set_list_id("central-round-2");
  EXPECT_TRUE(ListAll("demo-supervisor", on_list).empty());

  v1::CaseFilter combined;
  combined.add_categories(v1::CATEGORY_AIR);
  combined.add_statuses(v1::CASE_STATUS_FOUND);
  combined.set_region_prefix("620722100");
  EXPECT_THAT(ListAll("demo-supervisor", combined), ElementsAre(hotline));
}

// Runs one command RPC as `token`, expecting success.
template <typename Request, typename Response>
void Call(grpc::Status (v1::CaseService::Stub::*rpc)(grpc::ClientContext*, const Request&,
                                                    Response*),
         v1::CaseService::Stub& stub, const std::string& token, const Request& request) {
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + token);
  Response response;
  const grpc::Status status = (stub.*rpc)(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
}

TEST_F(CaseQueriesTest, MyWorkIsAnInspectorsOwnCasesAndThoseAwaitingVerificationOnEveryPage) {
  // insp-zhang (demo-inspector) reports 3, insp-li (demo-inspector-2) 4; of
  // insp-li's, the second has its completion submitted (awaits any
  // inspector's verification).
  std::vector<std::string> zhang;
  std::vector<std::string> li;
  for (int i = 0; i < 7; ++i) {
    if (i % 2 == 0 && zhang.size() < 3) {
      zhang.push_back(Report(absl::StrCat("z", i)));
    } else {
      li.push_back(Report(absl::StrCat("l", i), "620722100", v1::CATEGORY_WATER,
                          v1::CASE_SOURCE_INSPECTION, "demo-inspector-2"));
    }
  }
  ASSERT_EQ(zhang.size(), 3u);
  ASSERT_EQ(li.size(), 4u);
  const std::string pending = li[1];
  Assign(pending, "minle-hongshui-town");
  v1::StartRectificationRequest start;
  start.set_command_id("start-pending");
  start.set_case_id(pending);
  Call(&v1::CaseService::Stub::StartRectification, *stub_, "demo-rectifier", start);
  v1::SubmitCompletionRequest complete;
  complete.set_command_id("complete-pending");
  complete.set_case_id(pending);
  complete.set_summary("料堆已全部覆盖");
  Call(&v1::CaseService::Stub::SubmitCompletion, *stub_, "demo-rectifier", complete);

  v1::CaseFilter mine;
  mine.set_my_work(true);
  // Case ids follow the report order z0 l1 z2 l3 z4 l5 l6 (l3 pending), so
  // insp-zhang's work in case-id order is z0 z2 l3 z4.
  const std::vector<std::string> zhang_work = {zhang[0], zhang[1], pending, zhang[2]};
  EXPECT_THAT(ListAll("demo-inspector", mine), ElementsAreArray(zhang_work));
  // Pages of one: every case once, whatever the page size.
  EXPECT_THAT(ListAll("demo-inspector", mine, 1), ElementsAreArray(zhang_work));
  // insp-li: their four (the pending one among them).
  EXPECT_THAT(ListAll("demo-inspector-2", mine, 2), ElementsAreArray(li));
  // With the open statuses, as the field app asks.
  mine.add_statuses(v1::CASE_STATUS_FOUND);
  EXPECT_THAT(ListAll("demo-inspector", mine), ElementsAre(zhang[0], zhang[1], zhang[2]));
  // A responsible unit's work is its unit's cases.
  v1::CaseFilter unit_work;
  unit_work.set_my_work(true);
  EXPECT_THAT(ListAll("demo-rectifier", unit_work), ElementsAre(pending));
  // A supervisor has no work list of their own.
  v1::ListCasesResponse response;
  const grpc::Status refused = List("demo-supervisor", unit_work, response);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(refused.error_message(), HasSubstr("filter.my_work"));
}

TEST_F(CaseQueriesTest, WithReferralsListsCasesWithAReferralAtAnyStage) {
  std::vector<std::string> ids;
  for (int i = 0; i < 9; ++i) ids.push_back(Report(absl::StrCat("w", i)));
  // Referrals proposed (not yet approved or sent) on the 2nd and the 9th.
  for (const std::string& id : {ids[1], ids[8]}) {
    v1::ProposeReferralRequest propose;
    propose.set_command_id("propose-" + id);
    propose.set_case_id(id);
    propose.set_suspected_offence("污染环境罪");
    propose.set_report("两名执法人员现场检查发现非法倾倒危险废物");
    propose.add_proposing_officers("insp-zhang");
    propose.add_proposing_officers("insp-li");
    Call(&v1::CaseService::Stub::ProposeReferral, *stub_, "demo-inspector", propose);
  }
  v1::CaseFilter referred;
  referred.set_with_referrals(true);
  EXPECT_THAT(ListAll("demo-bureau-head", referred), ElementsAre(ids[1], ids[8]));
  EXPECT_THAT(ListAll("demo-supervisor", referred, 1), ElementsAre(ids[1], ids[8]));
  // Nothing was sent: the procuratorate sees none.
  EXPECT_TRUE(ListAll("demo-procurator", referred).empty());
}

TEST_F(CaseQueriesTest, ATownshipPageHoldsItsVillagesInCaseIdOrderAndNothingElse) {
  // Case ids alternate between two townships and a village of the first.
  std::vector<std::string> hongshui;
  for (int i = 0; i < 12; ++i) {
    const std::string region =
        i % 3 == 0 ? "620722100" : (i % 3 == 1 ? "620722101" : "620722100201");
    const std::string id = Report(absl::StrCat("t", i), region);
    if (region != "620722101") hongshui.push_back(id);
  }
  v1::CaseFilter found_in_township;
  found_in_township.add_statuses(v1::CASE_STATUS_FOUND);
  found_in_township.set_region_prefix("620722100");
  // Pages of 3 cases.
  EXPECT_THAT(ListAll("demo-supervisor", found_in_township, 3), ElementsAreArray(hongshui));
  v1::CaseFilter any_in_township;
  any_in_township.set_region_prefix("620722100");
  EXPECT_THAT(ListAll("demo-supervisor", any_in_township), ElementsAreArray(hongshui));
  v1::CaseFilter village;
  village.set_region_prefix("620722100201");
  EXPECT_EQ(ListAll("demo-supervisor", village).size(), 4u);
}

TEST_F(CaseQueriesTest, PagesCoverEveryCaseOnceAndTokensBelongToTheirQuery) {
  std::vector<std::string> reported;
  for (int i = 0; i < 23; ++i) reported.push_back(Report(absl::StrCat("p", i)));
  v1::CaseFilter filter;
  filter.add_statuses(v1::CASE_STATUS_FOUND);
  EXPECT_EQ(ListAll("demo-supervisor", filter, 5), reported);
  EXPECT_EQ(ListAll("demo-supervisor", v1::CaseFilter(), 7), reported);

  v1::ListCasesResponse first;
  ASSERT_TRUE(List("demo-supervisor", filter, first, 5).ok());
  ASSERT_FALSE(first.next_page_token().empty());
  v1::CaseFilter other;
  other.add_categories(v1::CATEGORY_WATER);
  v1::ListCasesResponse refused;
  const grpc::Status status =
      List("demo-supervisor", other, refused, 5, first.next_page_token());
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("page_token"));
  const grpc::Status garbage = List("demo-supervisor", filter, refused, 5, "not-a-token");
  EXPECT_EQ(garbage.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // Another caller cannot reuse it either.
  EXPECT_EQ(List("demo-inspector", filter, refused, 5, first.next_page_token()).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(CaseQueriesTest, BadFiltersAreRefusedNamingTheField) {
  v1::ListCasesResponse response;
  v1::CaseFilter bad_status;
  bad_status.add_statuses(static_cast<v1::CaseStatus>(99));
  grpc::Status status = List("demo-supervisor", bad_status, response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("filter.statuses"));
  v1::CaseFilter bad_region;
  bad_region.set_region_prefix("62x");
  status = List("demo-supervisor", bad_region, response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("filter.region_prefix"));
  EXPECT_EQ(List("demo-supervisor", v1::CaseFilter(), response, -1).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(CaseQueriesTest, ListsAreScopedAndNeverCarryTheComplainant) {
  const std::string assigned = Report("s1");
  const std::string other = Report("s2");
  const std::string hotline =
      Report("s3", "620722100", v1::CATEGORY_AIR, v1::CASE_SOURCE_HOTLINE_12369);
  Assign(assigned, "minle-hongshui-town");

  EXPECT_TRUE(ListAll("demo-inspector-ganzhou", v1::CaseFilter()).empty());
  v1::CaseFilter minle;
  minle.set_region_prefix("620722");
  v1::ListCasesResponse response;
  EXPECT_EQ(List("demo-inspector-ganzhou", minle, response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(ListAll("demo-rectifier", v1::CaseFilter()), ElementsAre(assigned));
  EXPECT_TRUE(ListAll("demo-police", v1::CaseFilter()).empty());
  EXPECT_EQ(List("demo-admin", v1::CaseFilter(), response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(ListAll("demo-auditor", v1::CaseFilter()), ElementsAre(assigned, other, hotline));

  ASSERT_TRUE(List("demo-supervisor", v1::CaseFilter(), response).ok());
  ASSERT_EQ(response.cases_size(), 3);
  for (const v1::Case& listed : response.cases()) EXPECT_FALSE(listed.has_complainant());
  // GetCase shows it to the supervisor only.
  grpc::ClientContext context;
  Authorize(context, "demo-supervisor");
  v1::GetCaseRequest get;
  get.set_case_id(hotline);
  v1::GetCaseResponse got;
  ASSERT_TRUE(stub_->GetCase(&context, get, &got).ok());
  EXPECT_EQ(got.case_().complainant().name(), "刘芳");
}

TEST_F(CaseQueriesTest, HistoryPagesAndRedactsTheComplainant) {
  const std::string id = Report("h1", "620722100", v1::CATEGORY_AIR, v1::CASE_SOURCE_HOTLINE_12369);
  Assign(id, "minle-hongshui-town");
  auto history = [&](const std::string& token, int page_size, const std::string& page_token,
                     v1::GetCaseHistoryResponse& response) {
    grpc::ClientContext context;
    Authorize(context, token);
    v1::GetCaseHistoryRequest request;
    request.set_case_id(id);
    request.set_page_size(page_size);
    request.set_page_token(page_token);
    return stub_->GetCaseHistory(&context, request, &response);
  };
  v1::GetCaseHistoryResponse all;
  ASSERT_TRUE(history("demo-supervisor", 0, "", all).ok());
  ASSERT_GE(all.events_size(), 2);
  EXPECT_EQ(all.events(0).case_reported().complainant().name(), "刘芳");
  EXPECT_TRUE(all.next_page_token().empty());

  std::vector<int64_t> versions;
  std::string page_token;
  do {
    v1::GetCaseHistoryResponse page;
    ASSERT_TRUE(history("demo-inspector", 1, page_token, page).ok());
    ASSERT_LE(page.events_size(), 1);
    for (const v1::Event& event : page.events()) {
      versions.push_back(event.version());
      if (event.has_case_reported()) {
        EXPECT_FALSE(event.case_reported().has_complainant());
      }
    }
    page_token = page.next_page_token();
  } while (!page_token.empty());
  ASSERT_EQ(versions.size(), static_cast<size_t>(all.events_size()));
  for (size_t i = 0; i < versions.size(); ++i) EXPECT_EQ(versions[i], static_cast<int64_t>(i + 1));

  v1::GetCaseHistoryResponse denied;
  EXPECT_EQ(history("demo-inspector-ganzhou", 0, "", denied).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // A case of the county the caller may not read answers as a missing one.
  EXPECT_EQ(history("demo-police", 0, "", denied).error_code(), grpc::StatusCode::NOT_FOUND);
  v1::GetCaseHistoryResponse rectifier;
  ASSERT_TRUE(history("demo-rectifier", 0, "", rectifier).ok());
  EXPECT_FALSE(rectifier.events(0).case_reported().has_complainant());
}

// Reads a WatchEvents stream to its end or until `want` events arrived.
struct Watched {
  std::vector<v1::Event> events;
  uint64_t resume_after = 0;
  grpc::Status status;
};

Watched Watch(v1::CaseService::Stub& stub, const std::string& token,
              v1::WatchEventsRequest request, size_t want, int deadline_seconds = 120) {
  auto context = std::make_unique<grpc::ClientContext>();
  context->AddMetadata("authorization", "Bearer " + token);
  context->set_deadline(std::chrono::system_clock::now() +
                        std::chrono::seconds(deadline_seconds));
  auto reader = stub.WatchEvents(context.get(), request);
  Watched watched;
  v1::WatchEventsResponse message;
  while (watched.events.size() < want && reader->Read(&message)) {
    if (message.has_event()) watched.events.push_back(message.event());
    if (message.has_resume_after_position()) watched.resume_after = message.resume_after_position();
  }
  if (watched.events.size() >= want) context->TryCancel();
  watched.status = reader->Finish();
  return watched;
}

TEST_F(CaseQueriesTest, WatchFromZeroSeesEveryPositionOnceInOrderWhileWritersRun) {
  constexpr int kWriters = 8;
  constexpr int kPerWriter = 1250;  // 10,000 reports
  Report("before-1");
  Report("before-2");
  Watched watched;
  std::thread watcher([&] {
    v1::WatchEventsRequest request;
    watched = Watch(*stub_, "demo-supervisor", request, 2 + kWriters * kPerWriter);
  });
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      const std::string token = w % 2 == 0 ? "demo-inspector" : "demo-inspector-2";
      for (int i = 0; i < kPerWriter; ++i) Report(absl::StrCat("w", w, "-", i), "620722100",
                                                  v1::CATEGORY_WATER, v1::CASE_SOURCE_INSPECTION,
                                                  token);
    });
  }
  for (std::thread& writer : writers) writer.join();
  watcher.join();
  ASSERT_EQ(watched.events.size(), static_cast<size_t>(2 + kWriters * kPerWriter));
  for (size_t i = 0; i < watched.events.size(); ++i) {
    ASSERT_EQ(watched.events[i].position(), i + 1) << "at index " << i;
  }
  EXPECT_EQ(store_->LastPosition(), watched.events.size());
}

TEST_F(CaseQueriesTest, WatchFiltersAndScopes) {
  const std::string hotline =
      Report("f1", "620722100", v1::CATEGORY_AIR, v1::CASE_SOURCE_HOTLINE_12369);
  const std::string mine = Report("f2", "620722101");
  Assign(mine, "minle-hongshui-town");
  const std::string ganzhou = Report("f3", "620702100", v1::CATEGORY_WATER,
                                     v1::CASE_SOURCE_INSPECTION, "demo-inspector-ganzhou");
  const uint64_t last = store_->LastPosition();
  auto ganzhou_events = store_->ReadStream(ganzhou, 1, 100);
  ASSERT_OK(ganzhou_events.status());
  // The Minle supervisor gets every event but the Ganzhou case's: read that
  // many, then one more case in Minle shows nothing was skipped wrongly.
  v1::WatchEventsRequest all;
  Watched supervisor = Watch(*stub_, "demo-supervisor", all, last - ganzhou_events->size());
  ASSERT_EQ(supervisor.events.size(), last - ganzhou_events->size());
  // The Ganzhou case is not the Minle supervisor's: it sees every other event.
  std::set<std::string> streams;
  for (const v1::Event& event : supervisor.events) streams.insert(event.stream_id());
  EXPECT_EQ(streams, (std::set<std::string>{hotline, mine}));

  v1::WatchEventsRequest by_type;
  by_type.add_event_types("case_reported");
  by_type.set_stream_id(hotline);
  Watched reported = Watch(*stub_, "demo-inspector", by_type, 1);
  ASSERT_EQ(reported.events.size(), 1u);
  EXPECT_EQ(reported.events[0].stream_id(), hotline);
  EXPECT_FALSE(reported.events[0].case_reported().has_complainant());

  v1::WatchEventsRequest rectifier_request;
  rectifier_request.add_event_types("case_reported");
  Watched rectifier = Watch(*stub_, "demo-rectifier", rectifier_request, 1);
  ASSERT_EQ(rectifier.events.size(), 1u);
  EXPECT_EQ(rectifier.events[0].stream_id(), mine);

  v1::WatchEventsRequest ganzhou_request;
  Watched foreign = Watch(*stub_, "demo-inspector-ganzhou", ganzhou_request, 1);
  ASSERT_EQ(foreign.events.size(), 1u);
  EXPECT_EQ(foreign.events[0].stream_id(), ganzhou);

  v1::WatchEventsRequest outside;
  outside.set_region_prefix("620702");
  EXPECT_EQ(Watch(*stub_, "demo-inspector", outside, 1).status.error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::WatchEventsRequest unknown_type;
  unknown_type.add_event_types("case_exploded");
  const Watched bad = Watch(*stub_, "demo-inspector", unknown_type, 1);
  EXPECT_EQ(bad.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad.status.error_message(), HasSubstr("event_types"));
  EXPECT_EQ(Watch(*stub_, "demo-admin", all, 1).status.error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(CaseQueriesTest, ShutdownEndsAStreamWithTheResumePosition) {
  Report("x1");
  Report("x2");
  const uint64_t last = store_->LastPosition();
  Watched watched;
  std::thread watcher([&] { watched = Watch(*stub_, "demo-supervisor", {}, 1000000); });
  while (feed_->subscriber_count() == 0) std::this_thread::yield();
  StopServer();
  watcher.join();
  // Whenever the stop came, the stream ends OK with the position after which
  // a resumed stream continues: exactly after what it delivered.
  EXPECT_TRUE(watched.status.ok()) << watched.status.error_message();
  ASSERT_LE(watched.events.size(), last);
  for (size_t i = 0; i < watched.events.size(); ++i) EXPECT_EQ(watched.events[i].position(), i + 1);
  EXPECT_EQ(watched.resume_after, watched.events.size());
  EXPECT_EQ(feed_->subscriber_count(), 0u);
}

}  // namespace
}  // namespace rectify::server

namespace rectify::server {
namespace {

// Issue 11, item 10: a client resuming after a restore from an older backup
// must hear that its position is gone, not silently miss what comes between.
TEST_F(CaseQueriesTest, WatchPastTheEndIsOutOfRangeNamingTheLastPosition) {
  Report("o1");
  Report("o2");
  const uint64_t last = store_->LastPosition();
  ASSERT_GE(last, 2u);
  v1::WatchEventsRequest past;
  past.set_after_position(last + 5);
  const Watched refused = Watch(*stub_, "demo-supervisor", past, 1, 20);
  EXPECT_EQ(refused.status.error_code(), grpc::StatusCode::OUT_OF_RANGE)
      << refused.status.error_message();
  EXPECT_THAT(refused.status.error_message(), HasSubstr(absl::StrCat("last position is ", last)));
  EXPECT_THAT(refused.status.error_message(), HasSubstr("after_position"));
  EXPECT_TRUE(refused.events.empty());
  // At the end exactly is a live subscription: it gets the next event.
  v1::WatchEventsRequest at_end;
  at_end.set_after_position(last);
  Watched live;
  std::thread watcher([&] { live = Watch(*stub_, "demo-supervisor", at_end, 1, 60); });
  while (feed_->subscriber_count() == 0) std::this_thread::yield();
  Report("o3");
  watcher.join();
  ASSERT_EQ(live.events.size(), 1u) << live.status.error_message();
  EXPECT_EQ(live.events[0].position(), last + 1);
}

// Issue 11, item 8: a live subscriber is served before the subscribers that
// are replaying the history, not after a page of each of them. The feed
// thread is held inside the first catch-up read while the live subscriber
// arrives and an event is committed; once released, the order of the log
// reads is the order of service.
class SmallPagesTest : public CaseQueriesTest {
 protected:
  SmallPagesTest() {
    feed_options_.page_events = 4;
    feed_options_.catch_up_page_events = 4;
  }
};

TEST_F(SmallPagesTest, ALiveSubscriberIsServedBeforeCatchUpCompletes) {
  constexpr int kCatchUp = 20;
  for (int i = 0; i < 10; ++i) Report(absl::StrCat("c", i));
  const uint64_t last = store_->LastPosition();
  ASSERT_GT(last, 8u);  // more than two pages of history each

  feed_store_->Close();
  std::vector<Watched> behind(kCatchUp);
  std::vector<std::thread> readers;
  for (int i = 0; i < kCatchUp; ++i) {
    readers.emplace_back([&, i] { behind[i] = Watch(*stub_, "demo-supervisor", {}, last + 1, 60); });
  }
  ASSERT_TRUE(feed_store_->AwaitHeld());
  while (feed_->subscriber_count() < kCatchUp) std::this_thread::yield();
  v1::WatchEventsRequest at_end;
  at_end.set_after_position(last);
  Watched live;
  std::thread live_reader([&] { live = Watch(*stub_, "demo-supervisor", at_end, 1, 60); });
  while (feed_->subscriber_count() < kCatchUp + 1) std::this_thread::yield();
  Report("c-live");
  // The pipeline publishes after answering; publishing again is harmless
  // and makes sure the feed knows before the gate opens.
  feed_->Publish(store_->LastPosition());
  feed_store_->Open();
  live_reader.join();
  for (std::thread& reader : readers) reader.join();

  ASSERT_EQ(live.events.size(), 1u) << live.status.error_message();
  EXPECT_EQ(live.events[0].position(), last + 1);
  for (const Watched& watched : behind) {
    ASSERT_EQ(watched.events.size(), last + 1) << watched.status.error_message();
  }
  // The first read is the held catch-up page (from 0); the very next one is
  // the live subscriber's (from `last`), before the 19 other catch-up
  // subscribers had their first page.
  const std::vector<uint64_t> reads = feed_store_->reads();
  ASSERT_GE(reads.size(), 2u);
  EXPECT_EQ(reads[0], 0u);
  EXPECT_EQ(reads[1], last) << "the live subscriber waited behind catch-up pages";
}

}  // namespace
}  // namespace rectify::server

namespace rectify::server {
namespace {

class HeartbeatTest : public CaseQueriesTest {
 protected:
  HeartbeatTest() {
    feed_options_.idle_heartbeat = absl::Seconds(30);
    feed_options_.clock = &clock_;
  }
};

// The proto promises resume_after_position "periodically while idle": a
// subscriber whose filter matches nothing still learns how far it got.
TEST_F(HeartbeatTest, AnIdleStreamIsToldWhereToResume) {
  Report("i1");
  Report("i2");
  const uint64_t first_last = store_->LastPosition();
  v1::WatchEventsRequest request;
  request.add_event_types("deadline_missed");  // none will come
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer demo-supervisor");
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  auto reader = stub_->WatchEvents(&context, request);
  while (feed_->subscriber_count() == 0) std::this_thread::yield();
  clock_.Advance(absl::Seconds(31));
  v1::WatchEventsResponse message;
  ASSERT_TRUE(reader->Read(&message));
  ASSERT_TRUE(message.has_resume_after_position()) << message.DebugString();
  EXPECT_EQ(message.resume_after_position(), first_last);

  Report("i3");
  const uint64_t second_last = store_->LastPosition();
  ASSERT_GT(second_last, first_last);
  feed_->Publish(second_last);  // the pipeline may publish a moment after answering
  clock_.Advance(absl::Seconds(31));
  ASSERT_TRUE(reader->Read(&message));
  ASSERT_TRUE(message.has_resume_after_position()) << message.DebugString();
  EXPECT_EQ(message.resume_after_position(), second_last);
  context.TryCancel();
  reader->Finish();
}

class StreamLimitsTest : public CaseQueriesTest {
 protected:
  StreamLimitsTest() {
    feed_options_.max_streams = 3;
    feed_options_.max_streams_per_principal = 2;
  }

  struct Open {
    std::unique_ptr<grpc::ClientContext> context;
    std::unique_ptr<grpc::ClientReader<v1::WatchEventsResponse>> reader;
  };

  Open OpenStream(const std::string& token) {
    Open open;
    open.context = std::make_unique<grpc::ClientContext>();
    open.context->AddMetadata("authorization", "Bearer " + token);
    open.context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
    v1::WatchEventsRequest request;
    request.set_after_position(store_->LastPosition());
    open.reader = stub_->WatchEvents(open.context.get(), request);
    return open;
  }

  static grpc::Status Refusal(Open& open) {
    v1::WatchEventsResponse message;
    EXPECT_FALSE(open.reader->Read(&message));
    return open.reader->Finish();
  }

  void AwaitSubscribers(size_t count) {
    while (feed_->subscriber_count() != count) std::this_thread::yield();
  }
};

TEST_F(StreamLimitsTest, StreamsPerPrincipalAndInAllAreBounded) {
  Report("l1");
  Open first = OpenStream("demo-supervisor");
  AwaitSubscribers(1);
  Open second = OpenStream("demo-supervisor");
  AwaitSubscribers(2);
  Open third = OpenStream("demo-supervisor");
  const grpc::Status per_principal = Refusal(third);
  EXPECT_EQ(per_principal.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(per_principal.error_message(), HasSubstr("limit per principal"));
  Open other = OpenStream("demo-inspector");
  AwaitSubscribers(3);
  Open over = OpenStream("demo-inspector-2");
  const grpc::Status in_all = Refusal(over);
  EXPECT_EQ(in_all.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(in_all.error_message(), HasSubstr("3 event streams open"));
  // A stream that ends gives its place back.
  first.context->TryCancel();
  first.reader->Finish();
  AwaitSubscribers(2);
  Open again = OpenStream("demo-supervisor");
  AwaitSubscribers(3);
  for (Open* open : {&second, &other, &again}) {
    open->context->TryCancel();
    open->reader->Finish();
  }
}

}  // namespace
}  // namespace rectify::server

// UnitService end to end on a real gRPC server (127.0.0.1, port 0) over a real
// RocksDB store: the directory's life cycle with its history, who may manage
// and read units, the contact kept for readers who may see personal data
// (and out of the hashed bytes), the other county seeing nothing, and a case
// refused when assigned or reassigned to an unknown or retired unit.
#include <future>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/proto_time.h"
#include "base/simulated_clock.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "projection/verifier.h"
#include "rectify/v1/case_service.grpc.pb.h"
#include "rectify/v1/unit_service.grpc.pb.h"
#include "rectify/v1/user_message.pb.h"
#include "server/principal_units.h"
#include "server/principals.h"
#include "server/unit_service.h"
#include "storage/event_hash.h"
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
using ::rectify::testing::ChineseOf;
using ::rectify::testing::PrincipalEntry;
using ::testing::HasSubstr;
using ::testing::Not;

const absl::Time kStart =
    absl::FromCivil(absl::CivilSecond(2026, 3, 2, 1, 0, 0), absl::UTCTimeZone());
constexpr char kGanzhouSupervisorToken[] = "test-supervisor-ganzhou";
constexpr char kAdminToken[] = "demo-admin";

v1::UnitDetails Hongshui() {
  v1::UnitDetails d;
  d.set_full_name("洪水镇人民政府");
  d.set_short_name("洪水镇");
  d.set_kind(v1::UNIT_KIND_TOWNSHIP);
  d.set_region_code("620722");
  d.mutable_contact()->set_name("王红");
  d.mutable_contact()->set_phone("0936-4421234");
  return d;
}

class UnitServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string text = rectify::testing::ReadFileOrEmpty(
        rectify::testing::Runfile("config/principals.demo.textproto"));
    absl::StrAppend(&text, PrincipalEntry("sup-ganzhou", "ROLE_SUPERVISOR", "ganzhou-eeb", "620702",
                                          kGanzhouSupervisorToken));
    ASSERT_OK(server_.Start(text, policy_, clock_, dir_.Sub("db")));
  }
  void TearDown() override { server_.Stop(); }

  grpc::Status CreateUnit(const std::string& token, const std::string& id,
                          const v1::UnitDetails& details, v1::UnitResponse* reply) {
    v1::CreateUnitRequest request;
    request.set_command_id("create-" + id);
    request.set_unit_id(id);
    *request.mutable_details() = details;
    return CallAs(server_.units(), &v1::UnitService::Stub::CreateUnit, token, request, reply);
  }

  grpc::Status Retire(const std::string& token, const std::string& id) {
    v1::RetireUnitRequest request;
    request.set_command_id("retire-" + id);
    request.set_unit_id(id);
    request.set_reason("机构改革，职责并入六坝镇");
    v1::UnitResponse reply;
    return CallAs(server_.units(), &v1::UnitService::Stub::RetireUnit, token, request, &reply);
  }

  grpc::Status GetUnit(const std::string& token, const std::string& id, v1::UnitResponse* reply) {
    v1::GetUnitRequest request;
    request.set_unit_id(id);
    return CallAs(server_.units(), &v1::UnitService::Stub::GetUnit, token, request, reply);
  }

  std::string Report() {
    v1::ReportCaseRequest request;
    request.set_command_id("report-" + std::to_string(++sequence_));
    request.set_title("砂石料场扬尘未覆盖");
    request.set_category(v1::CATEGORY_AIR);
    request.set_severity(v1::SEVERITY_HIGH);
    request.set_source(v1::CASE_SOURCE_INSPECTION);
    request.mutable_location()->set_region_code("620722100");
    *request.mutable_found_at() = ToProto(kStart - absl::Hours(1));
    v1::ReportCaseResponse response;
    const grpc::Status status = CallAs(server_.cases(), &v1::CaseService::Stub::ReportCase,
                                       "demo-inspector", request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.case_().case_id();
  }

  grpc::Status Assign(const std::string& case_id, const std::string& unit) {
    v1::AssignCaseRequest request;
    request.set_command_id("assign-" + case_id + "-" + unit);
    request.set_case_id(case_id);
    request.set_responsible_unit(unit);
    request.set_requirements("覆盖料堆");
    *request.mutable_rectification_due_at() = ToProto(kStart + absl::Hours(24 * 20));
    v1::AssignCaseResponse response;
    return CallAs(server_.cases(), &v1::CaseService::Stub::AssignCase, "demo-supervisor", request,
                  &response);
  }

  grpc::Status Reassign(const std::string& case_id, const std::string& unit) {
    v1::ReassignCaseRequest request;
    request.set_command_id("reassign-" + case_id + "-" + unit);
    request.set_case_id(case_id);
    request.set_responsible_unit(unit);
    request.set_reason("属地调整");
    *request.mutable_rectification_due_at() = ToProto(kStart + absl::Hours(24 * 20));
    v1::ReassignCaseResponse response;
    return CallAs(server_.cases(), &v1::CaseService::Stub::ReassignCase, "demo-supervisor", request,
                  &response);
  }

  // The directory of 620722: 洪水镇 active, 六坝镇 retired.
  void HongshuiAndRetiredLiuba() {
    v1::UnitResponse reply;
    ASSERT_TRUE(CreateUnit("demo-supervisor", "minle-hongshui-town", Hongshui(), &reply).ok());
    v1::UnitDetails liuba = Hongshui();
    liuba.set_full_name("六坝镇人民政府");
    ASSERT_TRUE(CreateUnit("demo-supervisor", "minle-liuba-town", liuba, &reply).ok());
    ASSERT_TRUE(Retire("demo-supervisor", "minle-liuba-town").ok());
  }

  SimulatedClock clock_{kStart};
  workflow::Policy policy_;
  rectify::testing::TempDir dir_;
  rectify::testing::SupervisionServer server_;
  int sequence_ = 0;
};

TEST_F(UnitServiceTest, LifeCycleWithItsHistory) {
  v1::UnitResponse created;
  grpc::Status status = CreateUnit("demo-supervisor", "minle-hongshui-town", Hongshui(), &created);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(created.unit().unit_id(), "minle-hongshui-town");
  EXPECT_EQ(created.unit().version(), 1);
  EXPECT_EQ(created.unit().created_by(), "sup-wang");
  // A retried create answers the same.
  v1::UnitResponse again;
  ASSERT_TRUE(CreateUnit("demo-supervisor", "minle-hongshui-town", Hongshui(), &again).ok());
  EXPECT_EQ(again.unit().version(), 1);

  v1::UpdateUnitRequest update;
  update.set_command_id("update-1");
  update.set_unit_id("minle-hongshui-town");
  *update.mutable_details() = Hongshui();
  update.mutable_details()->set_full_name("民乐县洪水镇人民政府");
  update.set_expected_version(1);
  v1::UnitResponse updated;
  status = CallAs(server_.units(), &v1::UnitService::Stub::UpdateUnit, "demo-supervisor", update,
                  &updated);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(updated.unit().details().full_name(), "民乐县洪水镇人民政府");
  // A stale expected version.
  update.set_command_id("update-2");
  update.mutable_details()->set_short_name("洪水");
  status = CallAs(server_.units(), &v1::UnitService::Stub::UpdateUnit, "demo-supervisor", update,
                  &updated);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::ABORTED) << status.error_message();

  ASSERT_TRUE(Retire(kAdminToken, "minle-hongshui-town").ok());
  v1::UnitResponse read;
  ASSERT_TRUE(GetUnit("demo-supervisor", "minle-hongshui-town", &read).ok());
  EXPECT_TRUE(read.unit().retired());
  EXPECT_EQ(read.unit().version(), 3);

  v1::ReactivateUnitRequest reactivate;
  reactivate.set_command_id("reactivate-1");
  reactivate.set_unit_id("minle-hongshui-town");
  reactivate.set_reason("恢复");
  v1::UnitResponse back;
  ASSERT_TRUE(CallAs(server_.units(), &v1::UnitService::Stub::ReactivateUnit, "demo-supervisor",
                     reactivate, &back)
                  .ok());
  EXPECT_FALSE(back.unit().retired());

  v1::GetUnitHistoryRequest history_request;
  history_request.set_unit_id("minle-hongshui-town");
  v1::GetUnitHistoryResponse history;
  ASSERT_TRUE(CallAs(server_.units(), &v1::UnitService::Stub::GetUnitHistory, "demo-supervisor",
                     history_request, &history)
                  .ok());
  ASSERT_EQ(history.events_size(), 4);
  EXPECT_TRUE(history.events(0).has_unit_created());
  EXPECT_EQ(history.events(0).actor().principal_id(), "sup-wang");
  EXPECT_TRUE(history.events(1).has_unit_updated());
  EXPECT_TRUE(history.events(2).has_unit_retired());
  EXPECT_EQ(history.events(2).actor().principal_id(), "admin-ops");
  EXPECT_EQ(history.events(2).unit_retired().reason(), "机构改革，职责并入六坝镇");
  EXPECT_TRUE(history.events(3).has_unit_reactivated());
  // The supervisor reads the contact, opened from its side record.
  EXPECT_EQ(history.events(0).unit_created().details().contact().phone(), "0936-4421234");

  // verify folds the unit stream and finds nothing wrong.
  absl::StatusOr<projection::VerifyReport> report =
      projection::VerifyStore(server_.store(), projection::VerifyOptions());
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_TRUE(report->ok()) << (report->problems.empty() ? "" : report->problems.front());
}

TEST_F(UnitServiceTest, TheContactIsPersonalData) {
  v1::UnitResponse created;
  ASSERT_TRUE(CreateUnit("demo-supervisor", "minle-hongshui-town", Hongshui(), &created).ok());
  EXPECT_EQ(created.unit().details().contact().phone(), "0936-4421234");
  // An inspector and a rectifier of the county read the unit's names, not
  // its contact.
  for (const char* token : {"demo-inspector", "demo-rectifier", "demo-bureau-head", kAdminToken}) {
    v1::UnitResponse read;
    grpc::Status status = GetUnit(token, "minle-hongshui-town", &read);
    ASSERT_TRUE(status.ok()) << token << ": " << status.error_message();
    EXPECT_EQ(read.unit().details().full_name(), "洪水镇人民政府") << token;
    EXPECT_FALSE(read.unit().details().has_contact()) << token;
    v1::GetUnitHistoryRequest history_request;
    history_request.set_unit_id("minle-hongshui-town");
    v1::GetUnitHistoryResponse history;
    ASSERT_TRUE(CallAs(server_.units(), &v1::UnitService::Stub::GetUnitHistory, token,
                       history_request, &history)
                    .ok());
    EXPECT_FALSE(history.events(0).unit_created().details().has_contact()) << token;
    EXPECT_EQ(history.events(0).unit_created().details().contact_commitment().phone_sha256().size(),
              32u);
  }
  // The supervisor does.
  v1::UnitResponse read;
  ASSERT_TRUE(GetUnit("demo-supervisor", "minle-hongshui-town", &read).ok());
  EXPECT_EQ(read.unit().details().contact().name(), "王红");
  // Stored sealed: the event itself holds no phone, and its hash does not
  // cover one.
  absl::StatusOr<std::vector<v1::Event>> stored =
      server_.store().ReadStream("U-minle-hongshui-town", 1, 10);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 1u);
  EXPECT_FALSE((*stored)[0].unit_created().details().has_contact());
  EXPECT_THAT(storage::CanonicalEventBytes((*stored)[0]), Not(HasSubstr("0936-4421234")));
}

TEST_F(UnitServiceTest, AnotherCountySeesNothing) {
  v1::UnitResponse created;
  ASSERT_TRUE(CreateUnit("demo-supervisor", "minle-hongshui-town", Hongshui(), &created).ok());
  v1::UnitResponse read;
  grpc::Status status = GetUnit(kGanzhouSupervisorToken, "minle-hongshui-town", &read);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::NOT_FOUND);
  // Answered as a unit that does not exist.
  v1::UnitResponse none;
  grpc::Status missing = GetUnit(kGanzhouSupervisorToken, "no-such-unit", &none);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(status.error_message(),
            absl::StrCat("unit_id: unit minle-hongshui-town does not exist or is not visible to "
                         "sup-ganzhou"));
  v1::ListUnitsRequest list;
  v1::ListUnitsResponse listed;
  ASSERT_TRUE(CallAs(server_.units(), &v1::UnitService::Stub::ListUnits, kGanzhouSupervisorToken,
                     list, &listed)
                  .ok());
  EXPECT_EQ(listed.units_size(), 0);
  list.set_region_prefix("620722");
  status = CallAs(server_.units(), &v1::UnitService::Stub::ListUnits, kGanzhouSupervisorToken, list,
                  &listed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(status.error_message(), HasSubstr("region_prefix"));
  // Nor may it retire or create the county's units.
  EXPECT_EQ(Retire(kGanzhouSupervisorToken, "minle-hongshui-town").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::UnitResponse other;
  EXPECT_EQ(CreateUnit(kGanzhouSupervisorToken, "u-x", Hongshui(), &other).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // An inspector manages no unit.
  EXPECT_EQ(CreateUnit("demo-inspector", "u-y", Hongshui(), &other).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(UnitServiceTest, ListsByJurisdictionKindAndActivity) {
  v1::UnitResponse reply;
  ASSERT_TRUE(CreateUnit("demo-supervisor", "minle-hongshui-town", Hongshui(), &reply).ok());
  v1::UnitDetails bureau;
  bureau.set_full_name("民乐县住房和城乡建设局");
  bureau.set_kind(v1::UNIT_KIND_COUNTY_DEPARTMENT);
  bureau.set_region_code("620722");
  ASSERT_TRUE(CreateUnit("demo-supervisor", "minle-housing-bureau", bureau, &reply).ok());
  v1::UnitDetails enterprise;
  enterprise.set_full_name("民乐县某某建材有限公司");
  enterprise.set_kind(v1::UNIT_KIND_ENTERPRISE);
  enterprise.set_region_code("620722");
  enterprise.set_unified_social_credit_code("91620722MA71000018");
  ASSERT_TRUE(CreateUnit("demo-supervisor", "minle-jiancai", enterprise, &reply).ok());
  // A bad credit code is refused naming the field.
  enterprise.set_unified_social_credit_code("91620722MA71000019");
  grpc::Status bad = CreateUnit("demo-supervisor", "minle-jiancai-2", enterprise, &reply);
  EXPECT_EQ(bad.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad.error_message(), HasSubstr("details.unified_social_credit_code"));
  EXPECT_EQ(ChineseOf(bad), "统一社会信用代码不正确（应为18位，末位为校验码）");
  ASSERT_TRUE(Retire("demo-supervisor", "minle-housing-bureau").ok());

  auto ids = [&](const v1::ListUnitsRequest& request) {
    v1::ListUnitsResponse listed;
    grpc::Status status = CallAs(server_.units(), &v1::UnitService::Stub::ListUnits,
                                 "demo-inspector", request, &listed);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<std::string> out;
    for (const v1::Unit& unit : listed.units()) out.push_back(unit.unit_id());
    return out;
  };
  v1::ListUnitsRequest request;
  EXPECT_EQ(ids(request), (std::vector<std::string>{"minle-hongshui-town", "minle-jiancai"}));
  request.set_include_retired(true);
  EXPECT_EQ(ids(request), (std::vector<std::string>{"minle-hongshui-town", "minle-housing-bureau",
                                                    "minle-jiancai"}));
  request.set_kind(v1::UNIT_KIND_ENTERPRISE);
  EXPECT_EQ(ids(request), (std::vector<std::string>{"minle-jiancai"}));
  // Pages of one, with tokens.
  v1::ListUnitsRequest paged;
  paged.set_include_retired(true);
  paged.set_page_size(1);
  std::vector<std::string> all;
  for (int i = 0; i < 5; ++i) {
    v1::ListUnitsResponse page;
    ASSERT_TRUE(
        CallAs(server_.units(), &v1::UnitService::Stub::ListUnits, "demo-inspector", paged, &page)
            .ok());
    for (const v1::Unit& unit : page.units()) all.push_back(unit.unit_id());
    if (page.next_page_token().empty()) break;
    paged.set_page_token(page.next_page_token());
  }
  EXPECT_EQ(all, (std::vector<std::string>{"minle-hongshui-town", "minle-housing-bureau",
                                           "minle-jiancai"}));
}

TEST_F(UnitServiceTest, CasesGoOnlyToActiveUnitsOfTheDirectory) {
  // The upgrade path: a county with no unit in the directory yet (a store
  // older than it) keeps its ad-hoc unit ids.
  const std::string before = Report();
  ASSERT_TRUE(Assign(before, "adhoc-unit").ok());
  v1::UnitResponse reply;
  ASSERT_TRUE(CreateUnit("demo-supervisor", "minle-hongshui-town", Hongshui(), &reply).ok());
  v1::UnitDetails liuba = Hongshui();
  liuba.set_full_name("六坝镇人民政府");
  ASSERT_TRUE(CreateUnit("demo-supervisor", "minle-liuba-town", liuba, &reply).ok());
  // From the county's first unit on, an unknown unit is refused, naming the
  // field, and nothing changes.
  const std::string case_id = Report();
  grpc::Status status = Assign(case_id, "minle-nowhere");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(), HasSubstr("responsible_unit: unit minle-nowhere is not in "
                                                "the units directory"));
  EXPECT_EQ(ChineseOf(status), "责任单位 minle-nowhere 不在单位名录中，请先登记该单位");
  ASSERT_TRUE(Assign(case_id, "minle-hongshui-town").ok());
  absl::StatusOr<v1::Case> assigned = server_.store().GetCase(case_id);
  ASSERT_TRUE(assigned.ok());
  // Retired unit: reassigning to it is refused.
  ASSERT_TRUE(Retire("demo-supervisor", "minle-liuba-town").ok());
  status = Reassign(case_id, "minle-liuba-town");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(status.error_message(),
              HasSubstr("responsible_unit: unit minle-liuba-town (六坝镇人民政府) is retired"));
  EXPECT_EQ(ChineseOf(status), "责任单位“六坝镇人民政府”已撤销，请选择在用的单位");
  status = Reassign(case_id, "minle-nowhere");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  absl::StatusOr<v1::Case> state = server_.store().GetCase(case_id);
  ASSERT_TRUE(state.ok());
  EXPECT_EQ(state->responsible_unit(), "minle-hongshui-town");
  EXPECT_EQ(state->version(), assigned->version());
  // The older case keeps its ad-hoc unit, but it too may now be moved only
  // to a unit of the directory.
  status = Reassign(before, "adhoc-unit-2");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(Reassign(before, "minle-hongshui-town").ok());
}

// The monthly report names its unit rows with the directory's names; a
// unit id the directory does not hold keeps an empty name (shown as the id).
TEST_F(UnitServiceTest, TheMonthlyReportNamesItsUnits) {
  const std::string before = Report();
  ASSERT_TRUE(Assign(before, "adhoc-unit").ok());
  v1::UnitResponse reply;
  ASSERT_TRUE(CreateUnit("demo-supervisor", "minle-hongshui-town", Hongshui(), &reply).ok());
  const std::string case_id = Report();
  ASSERT_TRUE(Assign(case_id, "minle-hongshui-town").ok());
  v1::GetMonthlyReportRequest request;
  request.set_year(2026);
  request.set_month(3);
  v1::GetMonthlyReportResponse report;
  grpc::Status status =
      CallAs(server_.supervision(), &v1::SupervisionService::Stub::GetMonthlyReport,
             "demo-supervisor", request, &report);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::map<std::string, std::string> names;
  for (const v1::ReportRow& row : report.by_unit()) names[row.key()] = row.name();
  // The row with an empty key counts the cases while they had no unit yet
  // (reported this month, before their assignment); it has no name either.
  EXPECT_EQ(names, (std::map<std::string, std::string>{{"", ""},
                                                       {"adhoc-unit", ""},
                                                       {"minle-hongshui-town", "洪水镇人民政府"}}));
}

// A RECTIFIER acts for a unit of the directory: an account given the role
// with a unit the county's directory does not hold, or a retired one, is
// refused naming unit_id.
TEST_F(UnitServiceTest, ARectifierActsForAUnitOfTheDirectory) {
  ASSERT_NO_FATAL_FAILURE(HongshuiAndRetiredLiuba());
  auto create = [&](const std::string& name, const std::string& unit) {
    v1::Command command;
    command.set_command_id("account-" + name);
    v1::CreateAccountRequest& request = *command.mutable_create_account();
    request.set_account_name(name);
    request.set_display_name("李明");
    request.set_role(v1::ROLE_RECTIFIER);
    request.set_unit_id(unit);
    request.set_jurisdiction("620722");
    v1::Principal system;
    system.set_principal_id("test-setup");
    system.set_role(v1::ROLE_SYSTEM);
    std::promise<absl::Status> done;
    server_.pipeline().Submit(
        std::move(command), system,
        [&done](absl::StatusOr<CommandOutcome> outcome) { done.set_value(outcome.status()); },
        "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA");
    return done.get_future().get();
  };
  absl::Status unknown = create("liming", "minle-nowhere");
  EXPECT_EQ(unknown.code(), absl::StatusCode::kFailedPrecondition) << unknown;
  EXPECT_THAT(std::string(unknown.message()),
              HasSubstr("unit_id: unit minle-nowhere is not in the units directory"));
  absl::Status retired = create("liming", "minle-liuba-town");
  EXPECT_EQ(retired.code(), absl::StatusCode::kFailedPrecondition) << retired;
  EXPECT_TRUE(create("liming", "minle-hongshui-town").ok());
}

// A RECTIFIER of the principals file is checked as an account is: fine while
// its county has no unit in the directory, refused for an unknown unit once
// it has one, and for a retired unit; the error names the principal.
TEST_F(UnitServiceTest, APrincipalsFileRectifierActsForAUnitOfTheDirectory) {
  auto registry = [](const std::string& unit) {
    absl::StatusOr<PrincipalRegistry> parsed = PrincipalRegistry::Parse(
        PrincipalEntry("rect-test", "ROLE_RECTIFIER", unit, "620722", "test-rectifier-token") +
        PrincipalEntry("insp-test", "ROLE_INSPECTOR", "no-such-unit", "620722",
                       "test-inspector-token"));
    EXPECT_TRUE(parsed.ok()) << parsed.status();
    return *std::move(parsed);
  };
  // No unit of 620722 yet: a store older than the directory keeps its ids.
  EXPECT_OK(CheckPrincipalUnits(registry("minle-nowhere"), server_.store()));

  ASSERT_NO_FATAL_FAILURE(HongshuiAndRetiredLiuba());

  EXPECT_OK(CheckPrincipalUnits(registry("minle-hongshui-town"), server_.store()));
  const absl::Status unknown = CheckPrincipalUnits(registry("minle-nowhere"), server_.store());
  EXPECT_EQ(unknown.code(), absl::StatusCode::kFailedPrecondition) << unknown;
  EXPECT_THAT(std::string(unknown.message()),
              HasSubstr("principals file: rect-test: unit_id: unit minle-nowhere is not in the "
                        "units directory"));
  const absl::Status retired = CheckPrincipalUnits(registry("minle-liuba-town"), server_.store());
  EXPECT_EQ(retired.code(), absl::StatusCode::kFailedPrecondition) << retired;
  EXPECT_THAT(std::string(retired.message()),
              HasSubstr("principals file: rect-test: unit_id: unit minle-liuba-town (六坝镇人民政府) "
                        "is retired"));
  // A RECTIFIER needs a unit at all.
  const absl::Status empty_unit = CheckPrincipalUnits(registry(""), server_.store());
  EXPECT_EQ(empty_unit.code(), absl::StatusCode::kFailedPrecondition) << empty_unit;
}

// Region names for the pages: the directory's names (expected values from
// config/regions_cn.txt and the GB/T 2260 names, written here by hand), an
// unknown code answered with empty names, repeats once, bad codes refused
// naming the field.
TEST_F(UnitServiceTest, RegionNamesForThePages) {
  v1::GetRegionNamesRequest request;
  for (const char* code : {"62", "6207", "620722", "1101", "620799", "620722", "99"}) {
    request.add_region_codes(code);
  }
  v1::GetRegionNamesResponse reply;
  grpc::Status status = CallAs(server_.units(), &v1::UnitService::Stub::GetRegionNames,
                               "demo-rectifier", request, &reply);
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::map<std::string, std::pair<std::string, std::string>> got;
  for (const v1::RegionName& r : reply.regions()) got[r.region_code()] = {r.name(), r.full_name()};
  ASSERT_EQ(reply.regions_size(), 6);
  EXPECT_EQ(reply.regions(0).region_code(), "62");
  EXPECT_EQ(got["62"], std::make_pair(std::string("甘肃省"), std::string("甘肃省")));
  EXPECT_EQ(got["6207"], std::make_pair(std::string("张掖市"), std::string("甘肃省张掖市")));
  EXPECT_EQ(got["620722"],
            std::make_pair(std::string("民乐县"), std::string("甘肃省张掖市民乐县")));
  EXPECT_EQ(got["1101"].first, "北京市");
  EXPECT_EQ(got["620799"].first, "");
  EXPECT_EQ(got["99"], std::make_pair(std::string(""), std::string("")));

  for (const std::vector<std::string>& bad :
       std::vector<std::vector<std::string>>{{}, {"620A22"}, {"6207221"}}) {
    v1::GetRegionNamesRequest refused;
    for (const std::string& code : bad) refused.add_region_codes(code);
    status = CallAs(server_.units(), &v1::UnitService::Stub::GetRegionNames, "demo-rectifier",
                    refused, &reply);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(status.error_message(), HasSubstr("region_codes"));
    EXPECT_THAT(ChineseOf(status), HasSubstr("行政区划代码"));
  }
  v1::GetRegionNamesRequest too_many;
  for (int i = 0; i < 501; ++i) too_many.add_region_codes("620722");
  status = CallAs(server_.units(), &v1::UnitService::Stub::GetRegionNames, "demo-rectifier",
                  too_many, &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  // Signed-in principals only.
  status = CallAs(server_.units(), &v1::UnitService::Stub::GetRegionNames, "no-such-token", request,
                  &reply);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

}  // namespace
}  // namespace rectify::server

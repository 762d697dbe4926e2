// The reads that help a page fill in a form and the read-time countdowns,
// end to end over gRPC on a real store with accounts and a simulated clock:
// ListOfficers (who may be listed, by whom, paged, nothing but id and name),
// PreviewDeadline (working and calendar days across the 2026 Labour Day
// holiday), the countdowns of GetCase and ListCases and the
// due_within_working_days filter.
//
// Every expected date is counted by hand on config/calendar_cn.txt for 2026:
// Labour Day is 2026-05-01 (Fri) to 2026-05-05 (Tue) off, and Saturday
// 2026-05-09 is an adjusted workday. China time is UTC+8.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "base/proto_time.h"
#include "base/sha256.h"
#include "base/simulated_clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rectify/v1/user_message.pb.h"
#include "tests/server/accounts_server.h"
#include "tests/status_matchers.h"
#include "tests/temp_dir.h"

namespace rectify {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Server = testing::AccountsServer;

constexpr char kPassword[] = "绿水青山-2026-minle";

// The Chinese a refusal carries for the user (grpc-status-details-bin:
// rectify.v1.RpcStatus holding one UserMessage), and the field it names.
v1::UserMessage UserMessageOf(const grpc::Status& status) {
  v1::RpcStatus details;
  v1::UserMessage message;
  if (details.ParseFromString(status.error_details()) && details.details_size() == 1) {
    details.details(0).UnpackTo(&message);
  }
  return message;
}

// An instant in China time (UTC+8), written as people read it.
absl::Time China(int y, int m, int d, int hh = 0, int mm = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0), absl::FixedTimeZone(8 * 3600));
}

std::string Entry(const std::string& id, const std::string& name, const std::string& role,
                  const std::string& unit, const std::string& jurisdiction,
                  const std::string& token) {
  return absl::StrCat("principals {\n  principal { principal_id: \"", id, "\" display_name: \"",
                      name, "\" role: ", role, " unit_id: \"", unit, "\" jurisdiction: \"",
                      jurisdiction, "\" }\n  token_sha256: \"", HexEncode(Sha256(token)),
                      "\"\n}\n");
}

std::string Principals() {
  return absl::StrCat(
      Entry("admin-ops", "运维", "ROLE_ADMIN", "zhangye-it", "62", "admin-token"),
      Entry("insp-file", "文件检查员", "ROLE_INSPECTOR", "minle-eeb", "620722", "inspector-token"),
      Entry("sup-wang", "王主任", "ROLE_SUPERVISOR", "minle-eeb", "620722", "supervisor-token"),
      Entry("sup-gz", "甘州主任", "ROLE_SUPERVISOR", "ganzhou-eeb", "620702", "ganzhou-token"),
      Entry("police-li", "李警官", "ROLE_POLICE", "minle-police", "620722", "police-token"),
      Entry("audit-zhou", "周审计", "ROLE_AUDITOR", "zhangye-discipline", "62", "auditor-token"));
}

class CasePickersTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_OK(server_.Start(Principals(), policy_, clock_, dir_.Sub("db"))); }

  std::string Id() { return absl::StrCat("cmd-", ++commands_); }

  void CreateAccount(const std::string& name, const std::string& display, v1::Role role,
                     const std::string& jurisdiction) {
    v1::CreateAccountRequest request;
    request.set_command_id(Id());
    request.set_account_name(name);
    request.set_display_name(display);
    request.set_role(role);
    request.set_unit_id(role == v1::ROLE_RECTIFIER ? "minle-hongshui-town" : "minle-eeb");
    request.set_jurisdiction(jurisdiction);
    request.set_password(kPassword);
    grpc::ClientContext context;
    Server::Authorize(context, "admin-token");
    v1::AccountResponse response;
    const grpc::Status status = server_.admin().CreateAccount(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  void DisableAccount(const std::string& name) {
    v1::DisableAccountRequest request;
    request.set_command_id(Id());
    request.set_account_name(name);
    request.set_reason("调离");
    grpc::ClientContext context;
    Server::Authorize(context, "admin-token");
    v1::AccountResponse response;
    const grpc::Status status = server_.admin().DisableAccount(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  std::string Login(const std::string& name) {
    v1::LoginRequest request;
    request.set_account_name(name);
    request.set_password(kPassword);
    grpc::ClientContext context;
    v1::LoginResponse response;
    const grpc::Status status = server_.auth().Login(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.session_token();
  }

  std::string Report(const std::string& region = "620722101") {
    v1::ReportCaseRequest request;
    request.set_command_id(Id());
    request.set_title("砂石料场扬尘未覆盖");
    request.set_category(v1::CATEGORY_AIR);
    request.set_severity(v1::SEVERITY_HIGH);
    request.set_source(v1::CASE_SOURCE_INSPECTION);
    request.mutable_location()->set_region_code(region);
    *request.mutable_found_at() = ToProto(clock_.Now() - absl::Hours(1));
    grpc::ClientContext context;
    Server::Authorize(context, "inspector-token");
    v1::ReportCaseResponse response;
    const grpc::Status status = server_.cases().ReportCase(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.case_().case_id();
  }

  // Assigns `case_id` with the rectification deadline `due`.
  void Assign(const std::string& case_id, absl::Time due) {
    v1::AssignCaseRequest request;
    request.set_command_id(Id());
    request.set_case_id(case_id);
    request.set_responsible_unit("minle-hongshui-town");
    request.set_requirements("覆盖料堆");
    *request.mutable_rectification_due_at() = ToProto(due);
    grpc::ClientContext context;
    Server::Authorize(context, "supervisor-token");
    v1::AssignCaseResponse response;
    const grpc::Status status = server_.cases().AssignCase(&context, request, &response);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  grpc::Status Officers(const std::string& token, const std::string& case_id,
                        std::vector<std::string>* listed, int page_size = 0) {
    std::string page_token;
    for (int pages = 0; pages < 100; ++pages) {
      v1::ListOfficersRequest request;
      request.set_case_id(case_id);
      request.set_page_size(page_size);
      request.set_page_token(page_token);
      grpc::ClientContext context;
      Server::Authorize(context, token);
      v1::ListOfficersResponse response;
      const grpc::Status status = server_.cases().ListOfficers(&context, request, &response);
      if (!status.ok()) return status;
      for (const v1::Officer& officer : response.officers()) {
        listed->push_back(absl::StrCat(officer.principal_id(), " ", officer.display_name()));
        // Nothing but the id and the name travels.
        v1::Officer bare;
        bare.set_principal_id(officer.principal_id());
        bare.set_display_name(officer.display_name());
        EXPECT_EQ(officer.ByteSizeLong(), bare.ByteSizeLong());
      }
      page_token = response.next_page_token();
      if (page_token.empty()) break;
    }
    return grpc::Status::OK;
  }

  grpc::Status Preview(const v1::PreviewDeadlineRequest& request,
                       v1::PreviewDeadlineResponse* response,
                       const std::string& token = "supervisor-token") {
    grpc::ClientContext context;
    Server::Authorize(context, token);
    return server_.cases().PreviewDeadline(&context, request, response);
  }

  v1::GetCaseResponse Get(const std::string& case_id) {
    v1::GetCaseRequest request;
    request.set_case_id(case_id);
    grpc::ClientContext context;
    Server::Authorize(context, "supervisor-token");
    v1::GetCaseResponse response;
    const grpc::Status status = server_.cases().GetCase(&context, request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  v1::ListCasesResponse List(int due_within, grpc::Status* status = nullptr) {
    v1::ListCasesRequest request;
    request.mutable_filter()->set_due_within_working_days(due_within);
    grpc::ClientContext context;
    Server::Authorize(context, "supervisor-token");
    v1::ListCasesResponse response;
    const grpc::Status result = server_.cases().ListCases(&context, request, &response);
    if (status != nullptr) {
      *status = result;
    } else {
      EXPECT_TRUE(result.ok()) << result.error_message();
    }
    return response;
  }

  // Monday 2026-04-27, 09:00 China time.
  SimulatedClock clock_{China(2026, 4, 27, 9)};
  workflow::Policy policy_;
  rectify::testing::TempDir dir_;
  Server server_;
  int commands_ = 0;
};

TEST_F(CasePickersTest, OfficersAreTheEnabledInspectorsOfTheJurisdictionByIdAndName) {
  CreateAccount("insp-li", "李娜", v1::ROLE_INSPECTOR, "620722");
  CreateAccount("insp-ma", "马强", v1::ROLE_INSPECTOR, "620722101");  // a township's
  CreateAccount("insp-gone", "调走的", v1::ROLE_INSPECTOR, "620722");
  CreateAccount("insp-gz", "甘州的", v1::ROLE_INSPECTOR, "620702");   // another county
  CreateAccount("sup-zhao", "赵科长", v1::ROLE_SUPERVISOR, "620722");
  CreateAccount("unit-hs", "洪水镇", v1::ROLE_RECTIFIER, "620722");
  CreateAccount("insp-me", "我自己", v1::ROLE_INSPECTOR, "620722");
  DisableAccount("insp-gone");

  // A supervisor of the county sees its inspectors, then the township's
  // (by jurisdiction, then id).
  std::vector<std::string> listed;
  ASSERT_TRUE(Officers("supervisor-token", "", &listed).ok());
  EXPECT_THAT(listed, ElementsAre("insp-li 李娜", "insp-me 我自己", "insp-ma 马强"));

  // An inspector does not see himself, paged one key at a time the same.
  const std::string me = Login("insp-me");
  listed.clear();
  ASSERT_TRUE(Officers(me, "", &listed, 1).ok());
  EXPECT_THAT(listed, ElementsAre("insp-li 李娜", "insp-ma 马强"));

  // With a case in another township (六坝镇 620722102), the township officer does
  // not cover it: exactly the ones a proposal on it may name.
  const std::string other_township = Report("620722102");
  listed.clear();
  ASSERT_TRUE(Officers(me, other_township, &listed).ok());
  EXPECT_THAT(listed, ElementsAre("insp-li 李娜"));
  const std::string hongshui = Report("620722101");
  listed.clear();
  ASSERT_TRUE(Officers(me, hongshui, &listed).ok());
  EXPECT_THAT(listed, ElementsAre("insp-li 李娜", "insp-ma 马强"));

  // Another county's supervisor sees its own only.
  listed.clear();
  ASSERT_TRUE(Officers("ganzhou-token", "", &listed).ok());
  EXPECT_THAT(listed, ElementsAre("insp-gz 甘州的"));
}

TEST_F(CasePickersTest, OfficersAreRefusedToOtherRolesAndBadInput) {
  CreateAccount("insp-li", "李娜", v1::ROLE_INSPECTOR, "620722");
  std::vector<std::string> listed;
  for (const char* token : {"police-token", "auditor-token", "admin-token"}) {
    const grpc::Status status = Officers(token, "", &listed);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << token;
    EXPECT_EQ(UserMessageOf(status).zh_cn(), "只有执法人员和科室负责人可以查看执法人员名单");
  }
  CreateAccount("unit-hs", "洪水镇", v1::ROLE_RECTIFIER, "620722");
  EXPECT_EQ(Officers(Login("unit-hs"), "", &listed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Officers("nobody", "", &listed).error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(listed.empty());

  grpc::Status status = Officers("supervisor-token", "not a case", &listed);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("case_id"));
  // A case of another county is not one the caller may read.
  const std::string case_id = Report();
  status = Officers("ganzhou-token", case_id, &listed);
  EXPECT_NE(status.error_code(), grpc::StatusCode::OK);
  v1::ListOfficersRequest request;
  request.set_page_size(-1);
  grpc::ClientContext context;
  Server::Authorize(context, "supervisor-token");
  v1::ListOfficersResponse response;
  status = server_.cases().ListOfficers(&context, request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("page_size"));
  EXPECT_EQ(UserMessageOf(status).zh_cn(), "每页条数：不能为负数");
  EXPECT_EQ(UserMessageOf(status).field(), "page_size");
  EXPECT_TRUE(listed.empty());
}

TEST_F(CasePickersTest, AListedOfficerSignsAReferralProposal) {
  CreateAccount("insp-li", "李娜", v1::ROLE_INSPECTOR, "620722");
  CreateAccount("insp-me", "我自己", v1::ROLE_INSPECTOR, "620722");
  const std::string me = Login("insp-me");
  const std::string case_id = Report();
  std::vector<std::string> listed;
  ASSERT_TRUE(Officers(me, case_id, &listed).ok());
  ASSERT_THAT(listed, ElementsAre("insp-li 李娜"));
  v1::ProposeReferralRequest request;
  request.set_command_id(Id());
  request.set_case_id(case_id);
  request.set_suspected_offence("非法排放");
  request.set_report("两名执法人员现场检查，书面报告。");
  request.add_proposing_officers("insp-me");
  request.add_proposing_officers("insp-li");
  grpc::ClientContext context;
  Server::Authorize(context, me);
  v1::ProposeReferralResponse response;
  const grpc::Status status = server_.cases().ProposeReferral(&context, request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  ASSERT_EQ(response.case_().referrals_size(), 1);
  EXPECT_THAT(response.case_().referrals(0).proposing_officers(),
              ElementsAre("insp-me", "insp-li"));
}

TEST_F(CasePickersTest, PreviewCountsWorkingAndCalendarDaysAcrossLabourDay) {
  // From Wednesday 2026-04-29 10:00: 3 working days are Thu 04-30, then
  // (05-01..05-05 off) Wed 05-06 and Thu 05-07; the period ends at the end
  // of 05-07, the midnight that starts 05-08.
  v1::PreviewDeadlineRequest request;
  *request.mutable_start() = ToProto(China(2026, 4, 29, 10));
  request.set_unit(v1::DEADLINE_UNIT_WORKING_DAYS);
  request.set_amount(3);
  v1::PreviewDeadlineResponse response;
  grpc::Status status = Preview(request, &response);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(ToTime(response.due_at()), China(2026, 5, 8));
  EXPECT_EQ(response.rule().unit(), v1::DEADLINE_UNIT_WORKING_DAYS);
  EXPECT_EQ(response.rule().amount(), 3);
  EXPECT_EQ(ToTime(response.rule().counted_from()), China(2026, 4, 29, 10));
  EXPECT_FALSE(response.rule().provisional());
  EXPECT_EQ(response.countdown().last_day(), "2026-05-07");
  // Counted from now (Mon 04-27 09:00): Tue 28, Wed 29, Thu 30, Wed 05-06,
  // Thu 05-07; ten calendar days, 04-28 to 05-07.
  EXPECT_EQ(response.countdown().working_days_left(), 5);
  EXPECT_EQ(response.countdown().calendar_days_left(), 10);
  EXPECT_FALSE(response.countdown().overdue());
  EXPECT_EQ(ToTime(response.as_of()), China(2026, 4, 27, 9));

  // 5 calendar days from 04-29 end on Mon 05-04, a holiday: the period runs
  // to the end of the next working day, Wed 05-06.
  request.set_unit(v1::DEADLINE_UNIT_CALENDAR_DAYS);
  request.set_amount(5);
  ASSERT_TRUE(Preview(request, &response).ok());
  EXPECT_EQ(ToTime(response.due_at()), China(2026, 5, 7));

  // 24 hours are 24 hours, holiday or not.
  request.set_unit(v1::DEADLINE_UNIT_HOURS);
  request.set_amount(24);
  ASSERT_TRUE(Preview(request, &response).ok());
  EXPECT_EQ(ToTime(response.due_at()), China(2026, 4, 30, 10));

  // The policy's rule for a kind, from now: RECTIFICATION is 30 calendar days
  // (DOMAIN.md). From 04-27: 05-27, a Wednesday and a working day.
  v1::PreviewDeadlineRequest by_kind;
  by_kind.set_kind(v1::DEADLINE_KIND_RECTIFICATION);
  ASSERT_TRUE(Preview(by_kind, &response, "inspector-token").ok());
  EXPECT_EQ(ToTime(response.due_at()), China(2026, 5, 28));
  EXPECT_EQ(response.rule().unit(), v1::DEADLINE_UNIT_CALENDAR_DAYS);
  EXPECT_EQ(response.rule().amount(), 30);
  EXPECT_THAT(response.rule().basis(), HasSubstr("默认期限配置"));
  EXPECT_EQ(response.countdown().kind(), v1::DEADLINE_KIND_RECTIFICATION);
}

TEST_F(CasePickersTest, PreviewRefusesBadInputNamingTheField) {
  struct Case {
    const char* name;
    v1::PreviewDeadlineRequest request;
    const char* field;
  };
  std::vector<Case> cases;
  auto add = [&](const char* name, const char* field, auto&& fill) {
    Case c{name, {}, field};
    fill(c.request);
    cases.push_back(c);
  };
  add("nothing", "unit", [](v1::PreviewDeadlineRequest&) {});
  add("kind and unit", "unit", [](v1::PreviewDeadlineRequest& r) {
    r.set_kind(v1::DEADLINE_KIND_RECTIFICATION);
    r.set_unit(v1::DEADLINE_UNIT_WORKING_DAYS);
    r.set_amount(3);
  });
  add("bad kind", "kind", [](v1::PreviewDeadlineRequest& r) { r.set_kind(static_cast<v1::DeadlineKind>(999)); });
  add("fixed unit", "unit", [](v1::PreviewDeadlineRequest& r) {
    r.set_unit(static_cast<v1::DeadlineUnit>(999));
    r.set_amount(3);
  });
  add("zero amount", "amount", [](v1::PreviewDeadlineRequest& r) {
    r.set_unit(v1::DEADLINE_UNIT_WORKING_DAYS);
  });
  add("huge amount", "amount", [](v1::PreviewDeadlineRequest& r) {
    r.set_unit(v1::DEADLINE_UNIT_CALENDAR_DAYS);
    r.set_amount(3661);
  });
  add("too many hours", "amount", [](v1::PreviewDeadlineRequest& r) {
    r.set_unit(v1::DEADLINE_UNIT_HOURS);
    r.set_amount(8785);
  });
  add("start far away", "start", [](v1::PreviewDeadlineRequest& r) {
    r.mutable_start()->set_seconds(0);
    r.set_unit(v1::DEADLINE_UNIT_WORKING_DAYS);
    r.set_amount(3);
  });
  add("start bad nanos", "start", [](v1::PreviewDeadlineRequest& r) {
    *r.mutable_start() = ToProto(China(2026, 4, 29));
    r.mutable_start()->set_nanos(-1);
    r.set_unit(v1::DEADLINE_UNIT_WORKING_DAYS);
    r.set_amount(3);
  });
  // From 2036, 3,660 working days (about 14 years) run past the last
  // year the calendar computes (the table's 2026 and 15 years after: 2041).
  add("past the calendar", "amount", [](v1::PreviewDeadlineRequest& r) {
    *r.mutable_start() = ToProto(China(2036, 4, 1));
    r.set_unit(v1::DEADLINE_UNIT_WORKING_DAYS);
    r.set_amount(3660);
  });
  for (const Case& c : cases) {
    v1::PreviewDeadlineResponse response;
    const grpc::Status status = Preview(c.request, &response);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << c.name;
    EXPECT_THAT(status.error_message(), HasSubstr(c.field)) << c.name;
    // The user reads which input is wrong, in Chinese.
    EXPECT_EQ(UserMessageOf(status).field(), c.field) << c.name;
    EXPECT_THAT(UserMessageOf(status).zh_cn(), HasSubstr("：")) << c.name;
  }
  // A kind the default policy opens no deadline for.
  v1::PreviewDeadlineRequest start;
  start.set_kind(v1::DEADLINE_KIND_START);
  v1::PreviewDeadlineResponse response;
  EXPECT_EQ(Preview(start, &response).error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Preview(start, &response, "nobody").error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(CasePickersTest, GetCaseCountsDownInWorkingDaysAcrossLabourDay) {
  const std::string case_id = Report();
  // Due at the end of Thursday 2026-05-07.
  Assign(case_id, China(2026, 5, 8));
  struct Reading {
    absl::Time now;
    bool overdue;
    int working;
    int calendar;
  };
  const std::vector<Reading> readings = {
      // Wed 04-29 10:00: Thu 04-30, Wed 05-06, Thu 05-07; 04-30..05-07 is 8 days.
      {China(2026, 4, 29, 10), false, 3, 8},
      // Fri 05-01 (a holiday): 05-06 and 05-07 are left.
      {China(2026, 5, 1, 12), false, 2, 6},
      // Wed 05-06 23:59: Thursday is left.
      {China(2026, 5, 6, 23, 59), false, 1, 1},
      // Thu 05-07, the last day: 0 left, not overdue.
      {China(2026, 5, 7, 15), false, 0, 0},
      // Fri 05-08 00:00, the due instant itself: overdue; Friday is a working
      // day after the last day.
      {China(2026, 5, 8), true, -1, -1},
      // Sat 05-09 is an adjusted workday: -2.
      {China(2026, 5, 9, 10), true, -2, -2},
      // Sun 05-10 is off: still -2 working days, -3 calendar days.
      {China(2026, 5, 10, 10), true, -2, -3},
      // Mon 05-11: -3.
      {China(2026, 5, 11, 10), true, -3, -4},
  };
  for (const Reading& reading : readings) {
    clock_.Set(reading.now);
    const v1::GetCaseResponse response = Get(case_id);
    const std::string at = absl::FormatTime(reading.now, absl::FixedTimeZone(8 * 3600));
    ASSERT_EQ(response.countdowns_size(), 1) << at;
    const v1::DeadlineCountdown& countdown = response.countdowns(0);
    EXPECT_EQ(countdown.case_id(), case_id);
    EXPECT_EQ(countdown.deadline_id(), response.case_().deadlines(0).deadline_id());
    EXPECT_EQ(countdown.kind(), v1::DEADLINE_KIND_RECTIFICATION);
    EXPECT_EQ(ToTime(countdown.due_at()), China(2026, 5, 8));
    EXPECT_EQ(countdown.last_day(), "2026-05-07");
    EXPECT_EQ(countdown.overdue(), reading.overdue) << at;
    EXPECT_EQ(countdown.working_days_left(), reading.working) << at;
    EXPECT_EQ(countdown.calendar_days_left(), reading.calendar) << at;
    EXPECT_EQ(ToTime(response.as_of()), reading.now);
  }
}

TEST_F(CasePickersTest, ListCasesCountsDownAndFiltersDueWithinWorkingDays) {
  // Made on Monday 04-27 09:00; read on Wednesday 04-29 10:00.
  const std::string due_0507 = Report();   // 3 working days left (04-30, 05-06, 05-07)
  const std::string due_0430 = Report();   // 1 (04-30)
  const std::string due_0511 = Report();   // 6 (04-30, 05-06, 05-07, 05-08, Sat 05-09, 05-11)
  const std::string due_0428 = Report();   // overdue since the end of 04-28: -1 (04-29)
  const std::string unassigned = Report(); // no deadline
  Assign(due_0507, China(2026, 5, 8));
  Assign(due_0430, China(2026, 5, 1));
  Assign(due_0511, China(2026, 5, 12));
  Assign(due_0428, China(2026, 4, 29));
  clock_.Set(China(2026, 4, 29, 10));

  v1::ListCasesResponse all = List(0);
  ASSERT_EQ(all.cases_size(), 5);
  EXPECT_EQ(ToTime(all.as_of()), China(2026, 4, 29, 10));
  std::vector<std::string> countdowns;
  for (const v1::DeadlineCountdown& c : all.countdowns()) {
    countdowns.push_back(absl::StrCat(c.case_id(), " ", c.working_days_left(),
                                      c.overdue() ? " overdue" : ""));
  }
  // In the order of the cases (case id order, the order they were reported);
  // the unassigned case has none.
  EXPECT_THAT(countdowns, ElementsAre(absl::StrCat(due_0507, " 3"), absl::StrCat(due_0430, " 1"),
                                      absl::StrCat(due_0511, " 6"),
                                      absl::StrCat(due_0428, " -1 overdue")));
  (void)unassigned;

  auto ids = [](const v1::ListCasesResponse& response) {
    std::vector<std::string> out;
    for (const v1::Case& c : response.cases()) out.push_back(c.case_id());
    return out;
  };
  EXPECT_THAT(ids(List(1)), ElementsAre(due_0430));
  EXPECT_THAT(ids(List(3)), ElementsAre(due_0507, due_0430));
  EXPECT_THAT(ids(List(5)), ElementsAre(due_0507, due_0430));
  EXPECT_THAT(ids(List(6)), ElementsAre(due_0507, due_0430, due_0511));
  // On Thursday 04-30 the one due that day has 0 left and still counts.
  clock_.Set(China(2026, 4, 30, 16));
  EXPECT_THAT(ids(List(1)), ElementsAre(due_0430));
  // From Friday 05-01 it is overdue and leaves the "due" figure.
  clock_.Set(China(2026, 5, 1, 9));
  EXPECT_THAT(ids(List(2)), ElementsAre(due_0507));

  for (int bad : {-1, 367}) {
    grpc::Status status;
    List(bad, &status);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << bad;
    EXPECT_THAT(status.error_message(), HasSubstr("filter.due_within_working_days"));
    EXPECT_EQ(UserMessageOf(status).zh_cn(), "到期工作日数须为 0 至 366");
  }
}

}  // namespace
}  // namespace rectify

// Accounts and sessions end to end over gRPC on a real store with a
// simulated clock: an account's life cycle and its history, the password
// policy, lockout and its end, idle and absolute expiry, revocation (one's
// own and an ADMIN's), sessions ending on disable and role change, the
// last-ADMIN guard, ADMINs' jurisdictions, and verify folding the account
// streams.
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/proto_time.h"
#include "base/sha256.h"
#include "base/simulated_clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "projection/verifier.h"
#include "tests/server/accounts_server.h"
#include "tests/status_matchers.h"
#include "tests/temp_dir.h"

namespace rectify {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Server = testing::AccountsServer;

constexpr char kPassword[] = "绿水青山-2026-minle";
constexpr char kOtherPassword[] = "金山银山-2027-zhangye";

std::string Principals() {
  return absl::StrCat(R"(
principals {
  principal { principal_id: "admin-ops" display_name: "运维" role: ROLE_ADMIN
              unit_id: "zhangye-it" jurisdiction: "62" }
  token_sha256: ")",
                      HexEncode(Sha256("admin-token")), R"("
}
principals {
  principal { principal_id: "audit-zhou" display_name: "周审计" role: ROLE_AUDITOR
              unit_id: "zhangye-discipline" jurisdiction: "62" }
  token_sha256: ")",
                      HexEncode(Sha256("auditor-token")), R"("
}
)");
}

class AccountsTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_OK(server_.Start(Principals(), policy_, clock_, dir_.Sub("db"))); }

  // The next command id.
  std::string Id() { return absl::StrCat("cmd-", ++commands_); }

  grpc::Status Create(const std::string& token, const std::string& name, v1::Role role,
                      const std::string& jurisdiction, const std::string& password = kPassword,
                      v1::AccountResponse* reply = nullptr) {
    v1::CreateAccountRequest request;
    request.set_command_id(Id());
    request.set_account_name(name);
    request.set_display_name(absl::StrCat("用户 ", name));
    request.set_role(role);
    request.set_unit_id(role == v1::ROLE_RECTIFIER || role == v1::ROLE_POLICE ? "some-unit"
                                                                              : "minle-eeb");
    request.set_jurisdiction(jurisdiction);
    request.set_password(password);
    return Call(&v1::AdminService::Stub::CreateAccount, token, request, reply);
  }

  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (v1::AdminService::Stub::*method)(grpc::ClientContext*,
                                                                   const Request&, Response*),
                    const std::string& token, const Request& request, Response* response) {
    Response ignored;
    grpc::ClientContext context;
    Server::Authorize(context, token);
    return (server_.admin().*method)(&context, request, response != nullptr ? response : &ignored);
  }

  grpc::Status Update(const std::string& token, v1::UpdateAccountRequest request) {
    request.set_command_id(Id());
    return Call(&v1::AdminService::Stub::UpdateAccount, token, request,
                static_cast<v1::AccountResponse*>(nullptr));
  }
  grpc::Status Disable(const std::string& token, const std::string& name,
                       const std::string& reason = "") {
    v1::DisableAccountRequest request;
    request.set_command_id(Id());
    request.set_account_name(name);
    request.set_reason(reason);
    return Call(&v1::AdminService::Stub::DisableAccount, token, request,
                static_cast<v1::AccountResponse*>(nullptr));
  }
  grpc::Status Enable(const std::string& token, const std::string& name) {
    v1::EnableAccountRequest request;
    request.set_command_id(Id());
    request.set_account_name(name);
    return Call(&v1::AdminService::Stub::EnableAccount, token, request,
                static_cast<v1::AccountResponse*>(nullptr));
  }
  grpc::Status Reset(const std::string& token, const std::string& name,
                     const std::string& password) {
    v1::ResetPasswordRequest request;
    request.set_command_id(Id());
    request.set_account_name(name);
    request.set_new_password(password);
    return Call(&v1::AdminService::Stub::ResetPassword, token, request,
                static_cast<v1::AccountResponse*>(nullptr));
  }

  // The token of a new session, or "" (and a failure) when refused.
  std::string Login(const std::string& name, const std::string& password = kPassword,
                    const std::string& device = "") {
    v1::LoginRequest request;
    request.set_account_name(name);
    request.set_password(password);
    request.set_device_label(device);
    grpc::ClientContext context;
    v1::LoginResponse response;
    last_login_ = server_.auth().Login(&context, request, &response);
    last_session_id_ = response.session_id();
    return response.session_token();
  }

  grpc::StatusCode WhoAmICode(const std::string& token) {
    grpc::ClientContext context;
    Server::Authorize(context, token);
    v1::WhoAmIResponse response;
    return server_.auth().WhoAmI(&context, v1::WhoAmIRequest(), &response).error_code();
  }

  SimulatedClock clock_{absl::FromCivil(absl::CivilSecond(2026, 3, 2, 9, 0, 0), absl::UTCTimeZone())};
  workflow::Policy policy_;
  testing::TempDir dir_;
  Server server_;
  int commands_ = 0;
  grpc::Status last_login_;
  std::string last_session_id_;
};

TEST_F(AccountsTest, LifeCycleIsRecordedWithWhoGrantedWhat) {
  ASSERT_TRUE(Create("admin-token", "liming", v1::ROLE_SUPERVISOR, "620722").ok());
  v1::UpdateAccountRequest update;
  update.set_account_name("liming");
  update.set_role(v1::ROLE_AUDITOR);
  update.set_jurisdiction("6207");
  ASSERT_TRUE(Update("admin-token", update).ok());
  clock_.Advance(absl::Hours(1));
  ASSERT_TRUE(Reset("admin-token", "liming", kOtherPassword).ok());
  ASSERT_TRUE(Disable("admin-token", "liming", "调离").ok());
  ASSERT_TRUE(Enable("admin-token", "liming").ok());

  v1::GetAccountHistoryRequest request;
  request.set_account_name("liming");
  v1::GetAccountHistoryResponse history;
  ASSERT_TRUE(
      Call(&v1::AdminService::Stub::GetAccountHistory, "admin-token", request, &history).ok());
  std::vector<std::string> kinds;
  for (const v1::Event& event : history.events()) {
    kinds.push_back(event.GetDescriptor()->FindFieldByNumber(event.payload_case())->name());
    EXPECT_EQ(event.actor().principal_id(), "admin-ops");
    EXPECT_EQ(event.stream_id(), "A-liming");
  }
  EXPECT_THAT(kinds, ElementsAre("account_created", "account_password_set", "account_updated",
                                 "account_password_set", "account_disabled",
                                 "account_enabled"));
  EXPECT_EQ(history.events(0).account_created().principal().role(), v1::ROLE_SUPERVISOR);
  EXPECT_THAT(history.events(2).account_updated().changed_fields(),
              ElementsAre("role", "jurisdiction"));
  EXPECT_EQ(history.events(2).account_updated().principal().jurisdiction(), "6207");
  EXPECT_TRUE(history.events(3).account_password_set().reset());
  EXPECT_EQ(ToTime(history.events(3).recorded_at()), clock_.Now());
  EXPECT_EQ(history.events(4).account_disabled().reason(), "调离");

  // The new password works, the old one does not.
  EXPECT_TRUE(Login("liming", kPassword).empty());
  EXPECT_FALSE(Login("liming", kOtherPassword).empty());

  v1::ListAccountsResponse list;
  ASSERT_TRUE(Call(&v1::AdminService::Stub::ListAccounts, "admin-token",
                   v1::ListAccountsRequest(), &list)
                  .ok());
  ASSERT_EQ(list.accounts_size(), 1);
  EXPECT_EQ(list.accounts(0).account_name(), "liming");
  EXPECT_EQ(list.accounts(0).principal().role(), v1::ROLE_AUDITOR);
  EXPECT_EQ(list.accounts(0).version(), 6);
  EXPECT_FALSE(list.accounts(0).disabled());
}

TEST_F(AccountsTest, PasswordPolicyAndNamesAreChecked) {
  const grpc::Status short_password =
      Create("admin-token", "liming", v1::ROLE_INSPECTOR, "620722", "short-9ch");
  EXPECT_EQ(short_password.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(short_password.error_message(), HasSubstr("password"));
  // Ten Chinese characters are ten characters (30 bytes).
  EXPECT_TRUE(Create("admin-token", "liming", v1::ROLE_INSPECTOR, "620722", "生态环境保护督察整改").ok());
  const grpc::Status long_password =
      Create("admin-token", "liming2", v1::ROLE_INSPECTOR, "620722", std::string(1025, 'p'));
  EXPECT_EQ(long_password.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  const grpc::Status bad_name = Create("admin-token", "Li Ming", v1::ROLE_INSPECTOR, "620722");
  EXPECT_EQ(bad_name.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(bad_name.error_message(), HasSubstr("account_name"));
  const grpc::Status file_name = Create("admin-token", "admin-ops", v1::ROLE_INSPECTOR, "620722");
  EXPECT_EQ(file_name.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  const grpc::Status again = Create("admin-token", "liming", v1::ROLE_INSPECTOR, "620722");
  EXPECT_EQ(again.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  const grpc::Status no_unit = [&] {
    v1::CreateAccountRequest request;
    request.set_command_id(Id());
    request.set_account_name("hongshui");
    request.set_display_name("洪水镇");
    request.set_role(v1::ROLE_RECTIFIER);
    request.set_jurisdiction("620722");
    request.set_password(kPassword);
    return Call(&v1::AdminService::Stub::CreateAccount, "admin-token", request,
                static_cast<v1::AccountResponse*>(nullptr));
  }();
  EXPECT_EQ(no_unit.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(no_unit.error_message(), HasSubstr("unit_id"));
}

TEST_F(AccountsTest, ARetriedCreateGetsTheFirstAnswer) {
  v1::CreateAccountRequest request;
  request.set_command_id("create-once");
  request.set_account_name("liming");
  request.set_display_name("李明");
  request.set_role(v1::ROLE_INSPECTOR);
  request.set_jurisdiction("620722");
  request.set_password(kPassword);
  v1::AccountResponse first, second;
  ASSERT_TRUE(Call(&v1::AdminService::Stub::CreateAccount, "admin-token", request, &first).ok());
  ASSERT_TRUE(Call(&v1::AdminService::Stub::CreateAccount, "admin-token", request, &second).ok());
  EXPECT_EQ(first.account().version(), 2);
  EXPECT_EQ(second.account().version(), 2);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Event> events,
                       server_.store().ReadStream("A-liming", 1, 100));
  EXPECT_EQ(events.size(), 2u);
}

TEST_F(AccountsTest, DisabledAndUnknownAccountsAreRefusedAlike) {
  ASSERT_TRUE(Create("admin-token", "liming", v1::ROLE_INSPECTOR, "620722").ok());
  ASSERT_TRUE(Disable("admin-token", "liming").ok());
  EXPECT_TRUE(Login("liming").empty());
  const std::string disabled = last_login_.error_message();
  EXPECT_EQ(last_login_.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(Login("wangwu").empty());
  EXPECT_EQ(last_login_.error_message(), disabled);
  ASSERT_TRUE(Enable("admin-token", "liming").ok());
  EXPECT_FALSE(Login("liming").empty());
}

TEST_F(AccountsTest, FiveFailuresLockTheAccountForFifteenMinutes) {
  ASSERT_TRUE(Create("admin-token", "liming", v1::ROLE_INSPECTOR, "620722").ok());
  for (int i = 0; i < 5; ++i) {
    EXPECT_TRUE(Login("liming", "wrong-password-guess").empty());
    EXPECT_EQ(last_login_.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  }
  const std::string wrong_message = last_login_.error_message();
  // Locked: the right password is refused, with the same message.
  EXPECT_TRUE(Login("liming").empty());
  EXPECT_EQ(last_login_.error_message(), wrong_message);
  clock_.Advance(absl::Minutes(15) - absl::Seconds(1));
  EXPECT_TRUE(Login("liming").empty());
  clock_.Advance(absl::Seconds(1));
  EXPECT_FALSE(Login("liming").empty()) << last_login_.error_message();
}

TEST_F(AccountsTest, AnAdminsPasswordResetLiftsTheLock) {
  ASSERT_TRUE(Create("admin-token", "liming", v1::ROLE_INSPECTOR, "620722").ok());
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(Login("liming", "wrong-password-guess").empty());
  EXPECT_TRUE(Login("liming").empty());
  ASSERT_TRUE(Reset("admin-token", "liming", kOtherPassword).ok());
  EXPECT_FALSE(Login("liming", kOtherPassword).empty()) << last_login_.error_message();
}

TEST_F(AccountsTest, FourFailuresThenASuccessStartTheCountAgain) {
  ASSERT_TRUE(Create("admin-token", "liming", v1::ROLE_INSPECTOR, "620722").ok());
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(Login("liming", "wrong-password-guess").empty());
  EXPECT_FALSE(Login("liming").empty());
  for (int i = 0; i < 4; ++i) EXPECT_TRUE(Login("liming", "wrong-password-guess").empty());
  // Four, not eight, failures in a row: not locked.
  EXPECT_FALSE(Login("liming").empty());
}

TEST_F(AccountsTest, ASessionEndsAfterTwelveIdleHours) {
  ASSERT_TRUE(Create("admin-token", "liming", v1::ROLE_INSPECTOR, "620722").ok());
  const std::string token = Login("liming");
  clock_.Advance(absl::Hours(12) - absl::Seconds(1));
  EXPECT_EQ(WhoAmICode(token), grpc::StatusCode::OK);
  // That call moved last_seen: another 12 h less a second is still fine.
  clock_.Advance(absl::Hours(12) - absl::Seconds(1));
  EXPECT_EQ(WhoAmICode(token), grpc::StatusCode::OK);
  clock_.Advance(absl::Hours(12));
  EXPECT_EQ(WhoAmICode(token), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AccountsTest, ASessionEndsThirtyDaysAfterLoginWhateverHappens) {
  ASSERT_TRUE(Create("admin-token", "liming", v1::ROLE_INSPECTOR, "620722").ok());
  const std::string token = Login("liming");
  const absl::Time login = clock_.Now();
  while (clock_.Now() + absl::Hours(11) < login + absl::Hours(24 * 30)) {
    clock_.Advance(absl::Hours(11));
    ASSERT_EQ(WhoAmICode(token), grpc::StatusCode::OK) << clock_.Now();
  }
  clock_.Set(login + absl::Hours(24 * 30) - absl::Seconds(1));
  EXPECT_EQ(WhoAmICode(token), grpc::StatusCode::OK);
  clock_.Advance(absl::Seconds(1));
  EXPECT_EQ(WhoAmICode(token), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AccountsTest, OwnersAndAdminsRevokeSessions) {
  ASSERT_TRUE(Create("admin-token", "liming", v1::ROLE_INSPECTOR, "620722").ok());
  const std::string tablet = Login("liming", kPassword, "执法平板 03");
  const std::string tablet_id = last_session_id_;
  clock_.Advance(absl::Minutes(5));
  const std::string desk = Login("liming", kPassword, "办公室电脑");
  const std::string desk_id = last_session_id_;
  clock_.Advance(absl::Minutes(5));
  const std::string phone = Login("liming", kPassword, "手机");
  const std::string phone_id = last_session_id_;

  grpc::ClientContext list_context;
  Server::Authorize(list_context, desk);
  v1::ListMySessionsResponse mine;
  ASSERT_TRUE(server_.auth().ListMySessions(&list_context, {}, &mine).ok());
  ASSERT_EQ(mine.sessions_size(), 3);
  // Newest first; the calling one marked.
  EXPECT_EQ(mine.sessions(0).session_id(), phone_id);
  EXPECT_EQ(mine.sessions(1).session_id(), desk_id);
  EXPECT_TRUE(mine.sessions(1).current());
  EXPECT_FALSE(mine.sessions(0).current());
  EXPECT_EQ(mine.sessions(2).device_label(), "执法平板 03");

  // The owner ends the lost tablet's session from the desk.
  grpc::ClientContext revoke_context;
  Server::Authorize(revoke_context, desk);
  v1::RevokeSessionRequest revoke;
  revoke.set_session_id(tablet_id);
  v1::RevokeSessionResponse revoked;
  ASSERT_TRUE(server_.auth().RevokeSession(&revoke_context, revoke, &revoked).ok());
  EXPECT_EQ(WhoAmICode(tablet), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(WhoAmICode(desk), grpc::StatusCode::OK);
  grpc::ClientContext again_context;
  Server::Authorize(again_context, desk);
  EXPECT_EQ(server_.auth().RevokeSession(&again_context, revoke, &revoked).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // An ADMIN lists and ends the phone's.
  v1::ListSessionsRequest list;
  list.set_account_name("liming");
  v1::ListSessionsResponse listed;
  ASSERT_TRUE(Call(&v1::AdminService::Stub::ListSessions, "admin-token", list, &listed).ok());
  ASSERT_EQ(listed.sessions_size(), 2);
  v1::RevokeAccountSessionRequest admin_revoke;
  admin_revoke.set_account_name("liming");
  admin_revoke.set_session_id(phone_id);
  ASSERT_TRUE(Call(&v1::AdminService::Stub::RevokeSession, "admin-token", admin_revoke,
                   static_cast<v1::RevokeAccountSessionResponse*>(nullptr))
                  .ok());
  EXPECT_EQ(WhoAmICode(phone), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(WhoAmICode(desk), grpc::StatusCode::OK);
}

TEST_F(AccountsTest, SessionsDieWhenTheAccountIsDisabledOrItsRoleChanges) {
  ASSERT_TRUE(Create("admin-token", "liming", v1::ROLE_INSPECTOR, "620722").ok());
  const std::string before_disable = Login("liming");
  ASSERT_TRUE(Disable("admin-token", "liming").ok());
  EXPECT_EQ(WhoAmICode(before_disable), grpc::StatusCode::UNAUTHENTICATED);
  ASSERT_TRUE(Enable("admin-token", "liming").ok());
  // Enabling again does not bring an ended session back.
  EXPECT_EQ(WhoAmICode(before_disable), grpc::StatusCode::UNAUTHENTICATED);

  const std::string before_rename = Login("liming");
  v1::UpdateAccountRequest rename;
  rename.set_account_name("liming");
  rename.set_display_name("李明（执法大队）");
  ASSERT_TRUE(Update("admin-token", rename).ok());
  // A new display name keeps the session, and WhoAmI shows the new name.
  grpc::ClientContext context;
  Server::Authorize(context, before_rename);
  v1::WhoAmIResponse who;
  ASSERT_TRUE(server_.auth().WhoAmI(&context, {}, &who).ok());
  EXPECT_EQ(who.principal().display_name(), "李明（执法大队）");

  v1::UpdateAccountRequest promote;
  promote.set_account_name("liming");
  promote.set_role(v1::ROLE_SUPERVISOR);
  ASSERT_TRUE(Update("admin-token", promote).ok());
  EXPECT_EQ(WhoAmICode(before_rename), grpc::StatusCode::UNAUTHENTICATED);
  // Its session records are gone too, not only refused.
  ASSERT_OK_AND_ASSIGN(auto scanned,
                       server_.store().ScanDerived({{storage::DerivedFamily::kAuth, "s/"}}));
  EXPECT_TRUE(scanned[0].empty());
}

TEST_F(AccountsTest, TheLastEnabledAdminCannotBeDisabledOrDemoted) {
  ASSERT_TRUE(Create("admin-token", "admin1", v1::ROLE_ADMIN, "62").ok());
  const grpc::Status disable = Disable("admin-token", "admin1");
  EXPECT_EQ(disable.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(disable.error_message(), HasSubstr("last enabled ADMIN"));
  v1::UpdateAccountRequest demote;
  demote.set_account_name("admin1");
  demote.set_role(v1::ROLE_AUDITOR);
  EXPECT_EQ(Update("admin-token", demote).error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  ASSERT_TRUE(Create("admin-token", "admin2", v1::ROLE_ADMIN, "62").ok());
  EXPECT_TRUE(Disable("admin-token", "admin1").ok());
  EXPECT_EQ(Disable("admin-token", "admin2").error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  ASSERT_TRUE(Enable("admin-token", "admin1").ok());
  EXPECT_TRUE(Update("admin-token", demote).ok());
}

TEST_F(AccountsTest, AnAdminManagesOnlyAccountsInsideItsJurisdiction) {
  // A county admin of Ganzhou District (620702), logged in with a password.
  ASSERT_TRUE(Create("admin-token", "gz-admin", v1::ROLE_ADMIN, "620702").ok());
  ASSERT_TRUE(Create("admin-token", "minle-insp", v1::ROLE_INSPECTOR, "620722").ok());
  const std::string token = Login("gz-admin");
  ASSERT_FALSE(token.empty());

  const grpc::Status outside = Create(token, "gz-new", v1::ROLE_INSPECTOR, "620722");
  EXPECT_EQ(outside.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  const grpc::Status wider = Create(token, "gz-city", v1::ROLE_INSPECTOR, "6207");
  EXPECT_EQ(wider.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_TRUE(Create(token, "gz-insp", v1::ROLE_INSPECTOR, "620702").ok());
  EXPECT_EQ(Disable(token, "minle-insp").error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Reset(token, "minle-insp", kOtherPassword).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  v1::UpdateAccountRequest move;
  move.set_account_name("gz-insp");
  move.set_jurisdiction("620722");
  EXPECT_EQ(Update(token, move).error_code(), grpc::StatusCode::PERMISSION_DENIED);
  v1::GetAccountHistoryRequest history;
  history.set_account_name("minle-insp");
  EXPECT_EQ(Call(&v1::AdminService::Stub::GetAccountHistory, token, history,
                 static_cast<v1::GetAccountHistoryResponse*>(nullptr))
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  v1::ListAccountsResponse list;
  ASSERT_TRUE(
      Call(&v1::AdminService::Stub::ListAccounts, token, v1::ListAccountsRequest(), &list).ok());
  std::vector<std::string> names;
  for (const v1::Account& account : list.accounts()) names.push_back(account.account_name());
  EXPECT_THAT(names, ElementsAre("gz-admin", "gz-insp"));

  // A non-ADMIN's session gets nothing from AdminService.
  const std::string inspector = Login("minle-insp");
  EXPECT_EQ(Create(inspector, "x-insp", v1::ROLE_INSPECTOR, "620722").error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

// Reports a case with `token`'s session; its case id, or "" on failure.
std::string ReportWith(Server& server, const std::string& token, const std::string& command_id,
                       absl::Time found_at) {
  v1::ReportCaseRequest report;
  report.set_command_id(command_id);
  report.set_title("北滩村渗坑");
  report.set_category(v1::CATEGORY_WATER);
  report.set_severity(v1::SEVERITY_HIGH);
  report.set_source(v1::CASE_SOURCE_INSPECTION);
  report.mutable_location()->set_region_code("620722100");
  *report.mutable_found_at() = ToProto(found_at);
  grpc::ClientContext context;
  Server::Authorize(context, token);
  v1::ReportCaseResponse reported;
  if (!server.cases().ReportCase(&context, report, &reported).ok()) return "";
  return reported.case_().case_id();
}

TEST_F(AccountsTest, WatchEventsNeverSendsAccountStreams) {
  ASSERT_TRUE(Create("admin-token", "liming", v1::ROLE_INSPECTOR, "620722").ok());
  const std::string inspector = Login("liming");
  ASSERT_FALSE(ReportWith(server_, inspector, "report-1", clock_.Now() - absl::Hours(2)).empty());
  ASSERT_TRUE(Disable("admin-token", "liming").ok());
  // Positions 1-2 are the account's creation, then the case's events, then
  // the account's disabling: an AUDITOR of the whole province gets only the
  // case's.
  grpc::ClientContext context;
  Server::Authorize(context, "auditor-token");
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  std::unique_ptr<grpc::ClientReader<v1::WatchEventsResponse>> reader =
      server_.cases().WatchEvents(&context, v1::WatchEventsRequest());
  v1::WatchEventsResponse message;
  std::vector<std::string> streams;
  const uint64_t last = server_.store().LastPosition();
  uint64_t seen = 0;
  while (seen + 1 < last && reader->Read(&message)) {
    if (!message.has_event()) continue;
    streams.push_back(message.event().stream_id());
    seen = message.event().position();
  }
  context.TryCancel();
  reader->Finish().IgnoreError();
  ASSERT_FALSE(streams.empty());
  for (const std::string& stream : streams) EXPECT_EQ(stream, "620722-2026-000001");
}

// A WatchEvents stream opened with a session ends when the session ends:
// after `end_session` not one more event reaches it (the next case's report
// does not), and it ends with UNAUTHENTICATED rather than running on.
void ExpectWatchEndsWithItsSession(Server& server, absl::Time now, const std::string& watcher,
                                   const std::string& reporter,
                                   const std::function<void()>& end_session) {
  grpc::ClientContext context;
  Server::Authorize(context, watcher);
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(20));
  v1::WatchEventsRequest request;
  request.set_after_position(server.store().LastPosition());
  std::unique_ptr<grpc::ClientReader<v1::WatchEventsResponse>> reader =
      server.cases().WatchEvents(&context, request);

  const std::string before = ReportWith(server, reporter, "watch-before", now - absl::Hours(2));
  ASSERT_FALSE(before.empty());
  v1::WatchEventsResponse message;
  bool seen_before = false;
  while (!seen_before && reader->Read(&message)) {
    seen_before = message.has_event() && message.event().stream_id() == before;
  }
  ASSERT_TRUE(seen_before) << "the stream delivers while the session is open";

  end_session();
  const std::string after = ReportWith(server, reporter, "watch-after", now - absl::Hours(1));
  ASSERT_FALSE(after.empty());
  std::vector<std::string> later;
  while (reader->Read(&message)) {
    if (message.has_event()) later.push_back(message.event().stream_id());
  }
  const grpc::Status finished = reader->Finish();
  EXPECT_EQ(finished.error_code(), grpc::StatusCode::UNAUTHENTICATED) << finished.error_message();
  EXPECT_THAT(later, ::testing::Not(::testing::Contains(after)));
}

TEST_F(AccountsTest, WatchEventsEndsAtLogout) {
  ASSERT_TRUE(Create("admin-token", "liming", v1::ROLE_INSPECTOR, "620722").ok());
  ASSERT_TRUE(Create("admin-token", "zhaomin", v1::ROLE_SUPERVISOR, "620722").ok());
  const std::string reporter = Login("liming");
  const std::string watcher = Login("zhaomin");
  ExpectWatchEndsWithItsSession(server_, clock_.Now(), watcher, reporter, [&] {
    grpc::ClientContext context;
    Server::Authorize(context, watcher);
    v1::LogoutResponse response;
    ASSERT_TRUE(server_.auth().Logout(&context, v1::LogoutRequest(), &response).ok());
  });
}

TEST_F(AccountsTest, WatchEventsEndsWhenTheAccountIsDisabled) {
  ASSERT_TRUE(Create("admin-token", "liming", v1::ROLE_INSPECTOR, "620722").ok());
  ASSERT_TRUE(Create("admin-token", "zhaomin", v1::ROLE_SUPERVISOR, "620722").ok());
  const std::string reporter = Login("liming");
  const std::string watcher = Login("zhaomin");
  ExpectWatchEndsWithItsSession(server_, clock_.Now(), watcher, reporter,
                                [&] { ASSERT_TRUE(Disable("admin-token", "zhaomin").ok()); });
}

TEST_F(AccountsTest, ListAccountsPages) {
  for (const char* name : {"a1", "a2", "a3", "a4", "a5"}) {
    ASSERT_TRUE(Create("admin-token", name, v1::ROLE_INSPECTOR, "620722").ok());
  }
  v1::ListAccountsRequest request;
  request.set_page_size(2);
  std::vector<std::string> names;
  for (int page = 0; page < 5; ++page) {
    v1::ListAccountsResponse response;
    ASSERT_TRUE(Call(&v1::AdminService::Stub::ListAccounts, "admin-token", request, &response).ok());
    for (const v1::Account& account : response.accounts()) names.push_back(account.account_name());
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  EXPECT_THAT(names, ElementsAre("a1", "a2", "a3", "a4", "a5"));
}

TEST_F(AccountsTest, VerifyFoldsTheAccountStreamsAndChecksTheStoredHash) {
  ASSERT_TRUE(Create("admin-token", "liming", v1::ROLE_INSPECTOR, "620722").ok());
  ASSERT_TRUE(Create("admin-token", "admin1", v1::ROLE_ADMIN, "62").ok());
  ASSERT_TRUE(Reset("admin-token", "liming", kOtherPassword).ok());
  ASSERT_TRUE(Disable("admin-token", "liming").ok());
  ASSERT_OK_AND_ASSIGN(projection::VerifyReport report,
                       projection::VerifyStore(server_.store(), projection::VerifyOptions()));
  EXPECT_TRUE(report.ok()) << (report.problems.empty() ? "" : report.problems[0]);
  EXPECT_EQ(report.streams, 2);
  // 2 + 2 (creations) + 1 (reset) + 1 (disable)
  EXPECT_EQ(report.events, 6);

  // Another hash put in place of the one the events committed to is found.
  ASSERT_OK_AND_ASSIGN(std::string bytes,
                       server_.store().GetProjection(v1::STREAM_KIND_ACCOUNT, "A-liming"));
  v1::AccountRecord record;
  ASSERT_TRUE(record.ParseFromString(bytes));
  ASSERT_OK_AND_ASSIGN(std::string other, server_.hasher().Hash("attacker-chosen-password"));
  record.set_password_hash(other);
  storage::Repair repair;
  repair.projection_puts.push_back(
      {v1::STREAM_KIND_ACCOUNT, "A-liming", record.SerializeAsString()});
  ASSERT_OK(server_.store().ApplyRepair(repair));
  ASSERT_OK_AND_ASSIGN(report,
                       projection::VerifyStore(server_.store(), projection::VerifyOptions()));
  ASSERT_EQ(report.problem_count, 1);
  EXPECT_THAT(report.problems[0], HasSubstr("A-liming"));
  EXPECT_THAT(report.problems[0], HasSubstr("password hash"));
}

// The second officer of a referral proposal may be an inspector who logs in
// with an account, not only one of the principals file: the handler resolves
// the named ids through the same Authenticator as the callers. A disabled
// account is no officer, nor is an id nobody has.
TEST_F(AccountsTest, AnInspectorsAccountCanBeTheSecondOfficerOfAReferral) {
  ASSERT_TRUE(Create("admin-token", "lihua", v1::ROLE_INSPECTOR, "620722").ok());
  ASSERT_TRUE(Create("admin-token", "zhaomin", v1::ROLE_INSPECTOR, "620722").ok());
  ASSERT_TRUE(Create("admin-token", "qianjun", v1::ROLE_INSPECTOR, "620722").ok());
  ASSERT_TRUE(Disable("admin-token", "qianjun").ok());
  const std::string token = Login("lihua");
  ASSERT_TRUE(last_login_.ok()) << last_login_.error_message();

  v1::ReportCaseRequest report;
  report.set_command_id(Id());
  report.set_title("危废非法倾倒");
  report.set_category(v1::CATEGORY_SOLID_WASTE);
  report.set_severity(v1::SEVERITY_HIGH);
  report.set_source(v1::CASE_SOURCE_INSPECTION);
  report.mutable_location()->set_region_code("620722100");
  *report.mutable_found_at() = ToProto(clock_.Now() - absl::Hours(2));
  v1::ReportCaseResponse reported;
  {
    grpc::ClientContext context;
    Server::Authorize(context, token);
    const grpc::Status status = server_.cases().ReportCase(&context, report, &reported);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  const auto propose = [&](const std::string& second) {
    v1::ProposeReferralRequest request;
    request.set_command_id(Id());
    request.set_case_id(reported.case_().case_id());
    request.set_suspected_offence("污染环境罪");
    request.set_report("两名执法人员现场检查发现非法倾倒危险废物");
    request.add_proposing_officers("lihua");
    request.add_proposing_officers(second);
    grpc::ClientContext context;
    Server::Authorize(context, token);
    v1::ProposeReferralResponse response;
    return server_.cases().ProposeReferral(&context, request, &response);
  };
  for (const std::string refused : {"qianjun", "nobody-at-all"}) {
    const grpc::Status status = propose(refused);
    EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << refused;
    EXPECT_THAT(status.error_message(), HasSubstr(refused + " is no known principal"));
  }
  const grpc::Status accepted = propose("zhaomin");
  EXPECT_TRUE(accepted.ok()) << accepted.error_message();
}

}  // namespace
}  // namespace rectify

// AuthService over gRPC on a real store: login, who-am-i, logout, refusals
// that never tell whether an account exists, a session token used on
// CaseService, and what the store keeps of a session (never the token).
#include <string>

#include "absl/strings/str_cat.h"
#include "base/proto_time.h"
#include "base/sha256.h"
#include "base/simulated_clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/server/accounts_server.h"
#include "tests/status_matchers.h"
#include "tests/temp_dir.h"

namespace rectify {
namespace {

using ::testing::HasSubstr;

// The bootstrap admin of the principals file (jurisdiction: Gansu, "62").
constexpr char kPrincipals[] = R"(
principals {
  principal { principal_id: "admin-ops" display_name: "运维" role: ROLE_ADMIN
              unit_id: "zhangye-it" jurisdiction: "62" }
  token_sha256: "c2d3a0e4f0b1ecbf4e4a9c0f6d0a0b9b66c7f3ad5d8e9c2f3e5f7c8b9a0d1e2f"
}
)";
constexpr char kPassword[] = "绿水青山-2026-minle";

class AuthServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The admin token's hash, computed here rather than copied.
    std::string principals = kPrincipals;
    const std::string placeholder =
        "c2d3a0e4f0b1ecbf4e4a9c0f6d0a0b9b66c7f3ad5d8e9c2f3e5f7c8b9a0d1e2f";
    principals.replace(principals.find(placeholder), placeholder.size(),
                       HexEncode(Sha256("admin-token")));
    ASSERT_OK(server_.Start(principals, policy_, clock_, dir_.Sub("db")));
    v1::CreateAccountRequest create;
    create.set_command_id("create-zhangwei");
    create.set_account_name("zhangwei");
    create.set_display_name("张伟");
    create.set_role(v1::ROLE_INSPECTOR);
    create.set_unit_id("minle-eeb");
    create.set_jurisdiction("620722");
    create.set_password(kPassword);
    grpc::ClientContext context;
    testing::AccountsServer::Authorize(context, "admin-token");
    v1::AccountResponse created;
    const grpc::Status status = server_.admin().CreateAccount(&context, create, &created);
    ASSERT_TRUE(status.ok()) << status.error_message();
  }

  grpc::Status Login(const std::string& name, const std::string& password,
                     v1::LoginResponse* response, const std::string& device = "执法平板 03") {
    v1::LoginRequest request;
    request.set_account_name(name);
    request.set_password(password);
    request.set_device_label(device);
    grpc::ClientContext context;
    return server_.auth().Login(&context, request, response);
  }

  grpc::Status WhoAmI(const std::string& token, v1::WhoAmIResponse* response) {
    grpc::ClientContext context;
    testing::AccountsServer::Authorize(context, token);
    return server_.auth().WhoAmI(&context, v1::WhoAmIRequest(), response);
  }

  grpc::Status Logout(const std::string& token) {
    grpc::ClientContext context;
    testing::AccountsServer::Authorize(context, token);
    v1::LogoutResponse response;
    return server_.auth().Logout(&context, v1::LogoutRequest(), &response);
  }

  SimulatedClock clock_{absl::FromCivil(absl::CivilSecond(2026, 3, 2, 9, 0, 0), absl::UTCTimeZone())};
  workflow::Policy policy_;
  testing::TempDir dir_;
  testing::AccountsServer server_;
};

TEST_F(AuthServiceTest, LoginOpensASessionThatWhoAmIAndLogoutSee) {
  v1::LoginResponse login;
  const grpc::Status status = Login("zhangwei", kPassword, &login);
  ASSERT_TRUE(status.ok()) << status.error_message();
  // 32 random bytes in base64url without padding: 43 characters.
  EXPECT_EQ(login.session_token().size(), 43u);
  EXPECT_EQ(login.principal().principal_id(), "zhangwei");
  EXPECT_EQ(login.principal().display_name(), "张伟");
  EXPECT_EQ(login.principal().role(), v1::ROLE_INSPECTOR);
  EXPECT_EQ(login.principal().unit_id(), "minle-eeb");
  EXPECT_EQ(login.principal().jurisdiction(), "620722");
  // Defaults: 30 days absolute, 12 hours idle.
  EXPECT_EQ(ToTime(login.expires_at()), clock_.Now() + absl::Hours(24 * 30));
  EXPECT_EQ(login.idle_timeout().seconds(), 12 * 3600);

  v1::WhoAmIResponse who;
  ASSERT_TRUE(WhoAmI(login.session_token(), &who).ok());
  EXPECT_EQ(who.principal().principal_id(), "zhangwei");
  EXPECT_EQ(who.session().session_id(), login.session_id());
  EXPECT_EQ(who.session().device_label(), "执法平板 03");
  EXPECT_TRUE(who.session().current());

  ASSERT_TRUE(Logout(login.session_token()).ok());
  const grpc::Status after = WhoAmI(login.session_token(), &who);
  EXPECT_EQ(after.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(AuthServiceTest, WhoAmIWithAServiceTokenHasNoSessionAndLogoutIsRefused) {
  v1::WhoAmIResponse who;
  ASSERT_TRUE(WhoAmI("admin-token", &who).ok());
  EXPECT_EQ(who.principal().principal_id(), "admin-ops");
  EXPECT_FALSE(who.has_session());
  EXPECT_EQ(Logout("admin-token").error_code(), grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(AuthServiceTest, RefusalsAreTheSameForAWrongPasswordAndAnUnknownAccount) {
  v1::LoginResponse login;
  const grpc::Status wrong = Login("zhangwei", "not-the-password", &login);
  const grpc::Status unknown = Login("nobody", kPassword, &login);
  const grpc::Status malformed = Login("No Such/Name", kPassword, &login);
  EXPECT_EQ(wrong.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(malformed.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(wrong.error_message(), unknown.error_message());
  EXPECT_EQ(wrong.error_message(), malformed.error_message());
  EXPECT_TRUE(login.session_token().empty());
}

TEST_F(AuthServiceTest, OversizedOrEmptyFieldsAreInvalidArguments) {
  v1::LoginResponse login;
  const grpc::Status empty = Login("", kPassword, &login);
  EXPECT_EQ(empty.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(empty.error_message(), HasSubstr("account_name"));
  const grpc::Status long_password = Login("zhangwei", std::string(1025, 'x'), &login);
  EXPECT_EQ(long_password.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(long_password.error_message(), HasSubstr("password"));
  const grpc::Status long_device = Login("zhangwei", kPassword, &login, std::string(65, 'd'));
  EXPECT_EQ(long_device.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(long_device.error_message(), HasSubstr("device_label"));
}

TEST_F(AuthServiceTest, ASessionTokenActsOnCaseServiceAsItsAccount) {
  v1::LoginResponse login;
  ASSERT_TRUE(Login("zhangwei", kPassword, &login).ok());
  v1::ReportCaseRequest report;
  report.set_command_id("report-1");
  report.set_title("北滩村渗坑");
  report.set_category(v1::CATEGORY_WATER);
  report.set_severity(v1::SEVERITY_HIGH);
  report.set_source(v1::CASE_SOURCE_INSPECTION);
  report.mutable_location()->set_region_code("620722100");
  *report.mutable_found_at() = ToProto(clock_.Now() - absl::Hours(2));
  grpc::ClientContext context;
  testing::AccountsServer::Authorize(context, login.session_token());
  v1::ReportCaseResponse reported;
  const grpc::Status status = server_.cases().ReportCase(&context, report, &reported);
  ASSERT_TRUE(status.ok()) << status.error_message();
  EXPECT_EQ(reported.case_().case_id(), "620722-2026-000001");
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Event> events,
                       server_.store().ReadStream("620722-2026-000001", 1, 10));
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0].actor().principal_id(), "zhangwei");
  EXPECT_EQ(events[0].actor().role(), v1::ROLE_INSPECTOR);
}

TEST_F(AuthServiceTest, TheStoreKeepsTheTokensHashNeverTheToken) {
  v1::LoginResponse login;
  ASSERT_TRUE(Login("zhangwei", kPassword, &login).ok());
  ASSERT_OK_AND_ASSIGN(std::optional<std::string> record,
                       server_.store().GetAuthRecord(
                           absl::StrCat("s/", HexEncode(Sha256(login.session_token())))));
  ASSERT_TRUE(record.has_value());
  ASSERT_OK_AND_ASSIGN(auto scanned,
                       server_.store().ScanDerived({{storage::DerivedFamily::kAuth, ""}}));
  for (const storage::ReportEntry& entry : scanned[0]) {
    EXPECT_EQ(entry.key.find(login.session_token()), std::string::npos);
    EXPECT_EQ(entry.value.find(login.session_token()), std::string::npos);
  }
  // And the account's projection holds an Argon2id PHC string, no password.
  ASSERT_OK_AND_ASSIGN(std::string account,
                       server_.store().GetProjection(v1::STREAM_KIND_ACCOUNT, "A-zhangwei"));
  v1::AccountRecord stored;
  ASSERT_TRUE(stored.ParseFromString(account));
  EXPECT_EQ(stored.password_hash().rfind("$argon2id$v=19$", 0), 0u) << stored.password_hash();
  EXPECT_EQ(account.find(kPassword), std::string::npos);
}

}  // namespace
}  // namespace rectify

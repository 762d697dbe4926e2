// Accounts with the real binaries: rectify_admin's create-admin and
// reset-password on a stopped server's store (password on standard input),
// then logins over gRPC to rectify_server on that store; the demo accounts
// file, accepted on loopback (and not rewritten on a restart) and refused
// elsewhere.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/grpcpp.h"
#include "gtest/gtest.h"
#include "rectify/v1/admin_service.grpc.pb.h"
#include "rectify/v1/auth_service.grpc.pb.h"
#include "tests/server_process.h"
#include "tests/subprocess.h"
#include "tests/temp_dir.h"

namespace rectify::testing {
namespace {

using ::testing::HasSubstr;

// Runs rectify_admin with `password` on its standard input.
int AdminWithPassword(const TempDir& dir, const std::string& password,
                      const std::string& arguments, std::string* out, std::string* err) {
  const std::string script = absl::StrCat("printf '%s\\n' '", password, "' | ",
                                          Runfile("tools/rectify_admin"), " ", arguments);
  absl::StatusOr<int> code = testing::Run({"/bin/sh", "-c", script}, dir.path(), out, err);
  return code.ok() ? *code : -1;
}

grpc::Status Login(const std::string& address, const std::string& name,
                   const std::string& password, v1::LoginResponse* response) {
  auto stub = v1::AuthService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  v1::LoginRequest request;
  request.set_account_name(name);
  request.set_password(password);
  return stub->Login(&context, request, response);
}

grpc::StatusCode WhoAmI(const std::string& address, const std::string& token) {
  auto stub = v1::AuthService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + token);
  v1::WhoAmIResponse response;
  return stub->WhoAmI(&context, v1::WhoAmIRequest(), &response).error_code();
}

TEST(AccountsEndToEndTest, OfflineBootstrapAndResetOfTheLastAdmin) {
  TempDir dir;
  ServerProcess server(dir);
  std::string out, err;
  const std::string data = "--data_dir=" + server.data_dir();
  ASSERT_EQ(AdminWithPassword(dir, "first-password-2026",
                              data + " create-admin --account_name=yunwei --jurisdiction=62 "
                                     "--display_name=运维",
                              &out, &err),
            0)
      << err;
  EXPECT_THAT(out, HasSubstr("account yunwei (ROLE_ADMIN, jurisdiction 62)"));
  // Again: the account exists.
  EXPECT_EQ(AdminWithPassword(dir, "first-password-2026",
                              data + " create-admin --account_name=yunwei --jurisdiction=62",
                              &out, &err),
            1);
  EXPECT_THAT(err, HasSubstr("exists"));
  // A password outside the policy is a usage error.
  EXPECT_EQ(AdminWithPassword(dir, "short", data + " create-admin --account_name=ops2 "
                                                   "--jurisdiction=62",
                              &out, &err),
            2);

  server.Start();
  v1::LoginResponse first;
  grpc::Status login = Login(server.address(), "yunwei", "first-password-2026", &first);
  ASSERT_TRUE(login.ok()) << login.error_message();
  EXPECT_EQ(first.principal().role(), v1::ROLE_ADMIN);
  EXPECT_EQ(WhoAmI(server.address(), first.session_token()), grpc::StatusCode::OK);
  ASSERT_EQ(server.Stop(), 0);

  // The last admin forgot the password: reset it on the stopped server.
  ASSERT_EQ(AdminWithPassword(dir, "second-password-2026",
                              data + " reset-password --account_name=yunwei", &out, &err),
            0)
      << err;
  EXPECT_EQ(AdminWithPassword(dir, "second-password-2026",
                              data + " reset-password --account_name=nobody", &out, &err),
            1);
  absl::StatusOr<int> verify =
      testing::Run({Runfile("tools/rectify_admin"), "verify", data}, dir.path(), &out, &err);
  ASSERT_TRUE(verify.ok());
  EXPECT_EQ(*verify, 0) << out << err;

  server.Start();
  EXPECT_EQ(WhoAmI(server.address(), first.session_token()), grpc::StatusCode::UNAUTHENTICATED);
  v1::LoginResponse second;
  EXPECT_EQ(Login(server.address(), "yunwei", "first-password-2026", &second).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(Login(server.address(), "yunwei", "second-password-2026", &second).ok());
  ASSERT_EQ(server.Stop(), 0);
}

TEST(AccountsEndToEndTest, DemoAccountsOnLoopbackOnly) {
  TempDir dir;
  const std::string demo = "--demo_accounts_file=" + Runfile("config/accounts.demo.textproto");
  std::string out, err;
  absl::StatusOr<int> refused =
      testing::Run({Runfile("server/rectify_server"), "--listen=0.0.0.0:0", "--data_dir=" + dir.Sub("x"),
           "--principals_file=" + Runfile("config/principals.demo.textproto"), demo},
          dir.path(), &out, &err);
  ASSERT_TRUE(refused.ok());
  EXPECT_EQ(*refused, 1);
  EXPECT_THAT(err, HasSubstr("refusing --demo_accounts_file on 0.0.0.0:0"));

  ServerProcess server(dir, {demo});
  server.Start();
  v1::LoginResponse inspector;
  grpc::Status login = Login(server.address(), "zhangwei", "rectify-demo-2026", &inspector);
  ASSERT_TRUE(login.ok()) << login.error_message() << server.last_stderr();
  EXPECT_EQ(inspector.principal().role(), v1::ROLE_INSPECTOR);
  EXPECT_EQ(inspector.principal().display_name(), "张伟");
  v1::LoginResponse admin;
  ASSERT_TRUE(Login(server.address(), "yunwei", "rectify-demo-2026", &admin).ok());

  auto list = [&](v1::ListAccountsResponse* response) {
    auto stub = v1::AdminService::NewStub(
        grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()));
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + admin.session_token());
    return stub->ListAccounts(&context, v1::ListAccountsRequest(), response);
  };
  v1::ListAccountsResponse before;
  ASSERT_TRUE(list(&before).ok());
  EXPECT_EQ(before.accounts_size(), 8);

  // A restart with the same file leaves accounts that match it alone.
  ASSERT_EQ(server.Stop(), 0);
  server.Start();
  ASSERT_TRUE(Login(server.address(), "yunwei", "rectify-demo-2026", &admin).ok());
  v1::ListAccountsResponse after;
  ASSERT_TRUE(list(&after).ok());
  ASSERT_EQ(after.accounts_size(), 8);
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(after.accounts(i).version(), 2) << after.accounts(i).account_name();
  }
  ASSERT_EQ(server.Stop(), 0);
}

}  // namespace
}  // namespace rectify::testing

// The account decider and its Evolve, pure: who may act, what each command
// records, the credentials epoch that ends sessions, the last-ADMIN guard,
// jurisdictions, and the password and name rules.
#include "workflow/accounts.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/status_matchers.h"

namespace rectify::workflow {
namespace {

using ::rectify::testing::StatusIs;
using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1772442000);  // 2026-03-02 09:00 UTC

v1::Principal Admin(const std::string& jurisdiction = "62") {
  v1::Principal admin;
  admin.set_principal_id("admin-ops");
  admin.set_role(v1::ROLE_ADMIN);
  admin.set_jurisdiction(jurisdiction);
  return admin;
}

v1::Command Create(const std::string& name, v1::Role role, const std::string& jurisdiction) {
  v1::Command command;
  command.set_command_id("c-" + name);
  v1::CreateAccountRequest& create = *command.mutable_create_account();
  create.set_account_name(name);
  create.set_display_name("李明");
  create.set_role(role);
  create.set_jurisdiction(jurisdiction);
  return command;
}

AccountFacts WithPassword(int other_admins = 0) {
  AccountFacts facts;
  facts.other_enabled_admins = other_admins;
  facts.password_hash_sha256 = std::string(32, 'h');
  return facts;
}

// Decides and folds `command` into `account`.
absl::Status Apply(v1::Account& account, const v1::Command& command,
                   const v1::Principal& principal, const AccountFacts& facts) {
  absl::StatusOr<std::vector<v1::Event>> events =
      DecideAccount(account, command, principal, kNow, facts);
  if (!events.ok()) return events.status();
  for (const v1::Event& event : *events) {
    absl::Status folded = EvolveAccount(account, event);
    if (!folded.ok()) return folded;
  }
  return absl::OkStatus();
}

TEST(AccountsWorkflowTest, OnlyAdminsAndSystemManageAccounts) {
  const v1::Account none;
  for (v1::Role role : {v1::ROLE_INSPECTOR, v1::ROLE_SUPERVISOR, v1::ROLE_RECTIFIER,
                        v1::ROLE_BUREAU_HEAD, v1::ROLE_POLICE, v1::ROLE_PROCURATOR,
                        v1::ROLE_AUDITOR}) {
    v1::Principal caller = Admin();
    caller.set_role(role);
    EXPECT_THAT(DecideAccount(none, Create("liming", v1::ROLE_INSPECTOR, "620722"), caller, kNow,
                              WithPassword()),
                StatusIs(absl::StatusCode::kPermissionDenied))
        << v1::Role_Name(role);
  }
  v1::Principal system;
  system.set_principal_id("system:account-setup");
  system.set_role(v1::ROLE_SYSTEM);
  EXPECT_OK(DecideAccount(none, Create("liming", v1::ROLE_ADMIN, "62"), system, kNow,
                          WithPassword())
                .status());
}

TEST(AccountsWorkflowTest, CreateRecordsThePrincipalAndThePasswordCommitment) {
  v1::Account account;
  ASSERT_OK(Apply(account, Create("liming", v1::ROLE_INSPECTOR, "620722"), Admin(),
                  WithPassword()));
  EXPECT_EQ(account.account_name(), "liming");
  EXPECT_EQ(account.version(), 2);
  EXPECT_EQ(account.principal().principal_id(), "liming");
  EXPECT_EQ(account.principal().role(), v1::ROLE_INSPECTOR);
  EXPECT_EQ(account.created_by(), "admin-ops");
  EXPECT_EQ(account.credentials_epoch(), 0);
  EXPECT_FALSE(account.disabled());
  // Without the hash's commitment there is no decision.
  v1::Account fresh;
  EXPECT_THAT(DecideAccount(fresh, Create("liming", v1::ROLE_INSPECTOR, "620722"), Admin(), kNow,
                            AccountFacts()),
              StatusIs(absl::StatusCode::kInternal));
}

TEST(AccountsWorkflowTest, TheEpochMovesOnRoleUnitJurisdictionResetAndDisableOnly) {
  v1::Account account;
  ASSERT_OK(Apply(account, Create("liming", v1::ROLE_INSPECTOR, "620722"), Admin(),
                  WithPassword()));
  v1::Command rename;
  rename.set_command_id("rename");
  rename.mutable_update_account()->set_account_name("liming");
  rename.mutable_update_account()->set_display_name("李明明");
  ASSERT_OK(Apply(account, rename, Admin(), WithPassword()));
  EXPECT_EQ(account.credentials_epoch(), 0);
  v1::Command unit;
  unit.set_command_id("unit");
  unit.mutable_update_account()->set_account_name("liming");
  unit.mutable_update_account()->set_unit_id("minle-eeb-2");
  ASSERT_OK(Apply(account, unit, Admin(), WithPassword()));
  EXPECT_EQ(account.credentials_epoch(), 1);
  v1::Command reset;
  reset.set_command_id("reset");
  reset.mutable_reset_password()->set_account_name("liming");
  ASSERT_OK(Apply(account, reset, Admin(), WithPassword()));
  EXPECT_EQ(account.credentials_epoch(), 2);
  v1::Command disable;
  disable.set_command_id("disable");
  disable.mutable_disable_account()->set_account_name("liming");
  ASSERT_OK(Apply(account, disable, Admin(), WithPassword()));
  EXPECT_EQ(account.credentials_epoch(), 3);
  EXPECT_TRUE(account.disabled());
  EXPECT_THAT(Apply(account, disable, Admin(), WithPassword()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("disabled already")));
  v1::Command enable;
  enable.set_command_id("enable");
  enable.mutable_enable_account()->set_account_name("liming");
  ASSERT_OK(Apply(account, enable, Admin(), WithPassword()));
  EXPECT_EQ(account.credentials_epoch(), 3);
  EXPECT_EQ(account.version(), 7);
}

TEST(AccountsWorkflowTest, TheLastEnabledAdminStays) {
  v1::Account admin;
  ASSERT_OK(Apply(admin, Create("admin1", v1::ROLE_ADMIN, "62"), Admin(), WithPassword()));
  v1::Command disable;
  disable.set_command_id("disable");
  disable.mutable_disable_account()->set_account_name("admin1");
  EXPECT_THAT(DecideAccount(admin, disable, Admin(), kNow, WithPassword(0)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("last enabled ADMIN")));
  EXPECT_OK(DecideAccount(admin, disable, Admin(), kNow, WithPassword(1)).status());
  v1::Command rename;
  rename.set_command_id("rename");
  rename.mutable_update_account()->set_account_name("admin1");
  rename.mutable_update_account()->set_display_name("运维一");
  EXPECT_OK(DecideAccount(admin, rename, Admin(), kNow, WithPassword(0)).status());
}

TEST(AccountsWorkflowTest, AnAdminActsInsideItsJurisdictionOnly) {
  const v1::Account none;
  EXPECT_THAT(DecideAccount(none, Create("x", v1::ROLE_INSPECTOR, "620722"), Admin("620702"),
                            kNow, WithPassword()),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("620722")));
  EXPECT_OK(DecideAccount(none, Create("x", v1::ROLE_INSPECTOR, "620702001"), Admin("620702"),
                          kNow, WithPassword())
                .status());
  v1::Account minle;
  ASSERT_OK(Apply(minle, Create("minle", v1::ROLE_INSPECTOR, "620722"), Admin(), WithPassword()));
  v1::Command reset;
  reset.set_command_id("reset");
  reset.mutable_reset_password()->set_account_name("minle");
  EXPECT_THAT(DecideAccount(minle, reset, Admin("620702"), kNow, WithPassword()),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST(AccountsWorkflowTest, NamesAndPasswords) {
  EXPECT_OK(CheckAccountName("account_name", "zhang.wei_2-a"));
  for (const char* bad : {"", "Zhang", "-zhang", "zhang wei", "张伟", "a/b"}) {
    EXPECT_THAT(CheckAccountName("account_name", bad),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("account_name")))
        << bad;
  }
  EXPECT_THAT(CheckAccountName("account_name", std::string(65, 'a')),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_OK(CheckPassword("password", "0123456789"));
  EXPECT_OK(CheckPassword("password", "生态环境保护督察整改"));
  EXPECT_THAT(CheckPassword("password", "012345678"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("at least 10")));
  EXPECT_THAT(CheckPassword("password", "生态环境保护督察整"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_OK(CheckPassword("password", std::string(1024, 'p')));
  EXPECT_THAT(CheckPassword("password", std::string(1025, 'p')),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("1024")));
  EXPECT_THAT(CheckPassword("password", std::string("0123456789\xff")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("UTF-8")));
}

TEST(AccountsWorkflowTest, EvolveRefusesForeignEvents) {
  v1::Account account;
  v1::Event event;
  event.set_stream_kind(v1::STREAM_KIND_ACCOUNT);
  event.set_version(1);
  event.mutable_account_enabled();
  EXPECT_THAT(EvolveAccount(account, event), StatusIs(absl::StatusCode::kInvalidArgument));
  event.set_stream_kind(v1::STREAM_KIND_CASE);
  event.mutable_account_created();
  EXPECT_THAT(EvolveAccount(account, event), StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace rectify::workflow

// The responsible units decider and its Evolve, pure: the life cycle
// (create, update, retire, reactivate) with what each event records, who may
// act (SUPERVISOR/ADMIN of the region, SYSTEM), every refusal with the field
// it names, and the assignment rule (only an active unit of the directory).
#include "workflow/units.h"

#include <functional>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "base/user_message.h"
#include "tests/status_matchers.h"

namespace rectify::workflow {
namespace {

using ::rectify::testing::StatusIs;
using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1772442000);  // 2026-03-02 09:00 UTC

v1::Principal Caller(v1::Role role, const std::string& jurisdiction = "620722") {
  v1::Principal p;
  p.set_principal_id("p-" + v1::Role_Name(role));
  p.set_role(role);
  p.set_jurisdiction(jurisdiction);
  return p;
}

v1::UnitDetails Township() {
  v1::UnitDetails d;
  d.set_full_name("洪水镇人民政府");
  d.set_short_name("洪水镇");
  d.set_kind(v1::UNIT_KIND_TOWNSHIP);
  d.set_region_code("620722");
  d.mutable_contact()->set_name("王红");
  d.mutable_contact()->set_phone("0936-4421234");
  return d;
}

v1::Command Create(const std::string& id, const v1::UnitDetails& details) {
  v1::Command c;
  c.set_command_id("create-" + id);
  c.mutable_create_unit()->set_unit_id(id);
  *c.mutable_create_unit()->mutable_details() = details;
  return c;
}

v1::Command Update(const std::string& id, const v1::UnitDetails& details) {
  v1::Command c;
  c.set_command_id("update-" + id);
  c.mutable_update_unit()->set_unit_id(id);
  *c.mutable_update_unit()->mutable_details() = details;
  return c;
}

v1::Command Retire(const std::string& id, const std::string& reason = "机构改革") {
  v1::Command c;
  c.set_command_id("retire-" + id);
  c.mutable_retire_unit()->set_unit_id(id);
  c.mutable_retire_unit()->set_reason(reason);
  return c;
}

v1::Command Reactivate(const std::string& id) {
  v1::Command c;
  c.set_command_id("reactivate-" + id);
  c.mutable_reactivate_unit()->set_unit_id(id);
  c.mutable_reactivate_unit()->set_reason("恢复");
  return c;
}

absl::StatusOr<std::vector<v1::Event>> Apply(v1::Unit& unit, const v1::Command& command,
                                             const v1::Principal& principal) {
  absl::StatusOr<std::vector<v1::Event>> events = DecideUnit(unit, command, principal, kNow);
  if (!events.ok()) return events.status();
  for (const v1::Event& event : *events) {
    absl::Status folded = EvolveUnit(unit, event);
    if (!folded.ok()) return folded;
  }
  return events;
}

TEST(UnitsWorkflowTest, LifeCycleRecordsEachChange) {
  v1::Unit unit;
  const v1::Principal supervisor = Caller(v1::ROLE_SUPERVISOR);
  absl::StatusOr<std::vector<v1::Event>> created =
      Apply(unit, Create("minle-hongshui-town", Township()), supervisor);
  ASSERT_TRUE(created.ok()) << created.status();
  ASSERT_EQ(created->size(), 1u);
  const v1::Event& first = (*created)[0];
  EXPECT_EQ(first.stream_id(), "U-minle-hongshui-town");
  EXPECT_EQ(first.stream_kind(), v1::STREAM_KIND_UNIT);
  EXPECT_EQ(first.version(), 1);
  EXPECT_EQ(first.region_code(), "620722");
  EXPECT_EQ(first.actor().principal_id(), "p-ROLE_SUPERVISOR");
  EXPECT_EQ(first.unit_created().details().full_name(), "洪水镇人民政府");
  EXPECT_EQ(first.unit_created().details().contact().phone(), "0936-4421234");
  EXPECT_EQ(unit.unit_id(), "minle-hongshui-town");
  EXPECT_EQ(unit.details().short_name(), "洪水镇");
  EXPECT_EQ(unit.created_by(), "p-ROLE_SUPERVISOR");
  EXPECT_FALSE(unit.retired());
  EXPECT_EQ(UnitDisplayName(unit, "minle-hongshui-town"), "洪水镇人民政府");

  v1::UnitDetails renamed = Township();
  renamed.set_full_name("民乐县洪水镇人民政府");
  renamed.mutable_contact()->set_phone("13800000000");
  absl::StatusOr<std::vector<v1::Event>> updated =
      Apply(unit, Update("minle-hongshui-town", renamed), Caller(v1::ROLE_ADMIN, "62"));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ((*updated)[0].version(), 2);
  EXPECT_EQ((*updated)[0].unit_updated().details().full_name(), "民乐县洪水镇人民政府");
  EXPECT_EQ(unit.details().contact().phone(), "13800000000");

  ASSERT_TRUE(Apply(unit, Retire("minle-hongshui-town"), supervisor).ok());
  EXPECT_TRUE(unit.retired());
  EXPECT_EQ(unit.version(), 3);
  EXPECT_THAT(Apply(unit, Retire("minle-hongshui-town"), supervisor).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("retired already")));
  ASSERT_TRUE(Apply(unit, Reactivate("minle-hongshui-town"), supervisor).ok());
  EXPECT_FALSE(unit.retired());
  EXPECT_EQ(unit.version(), 4);
  EXPECT_THAT(Apply(unit, Reactivate("minle-hongshui-town"), supervisor).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is active")));
  EXPECT_THAT(Apply(unit, Update("minle-hongshui-town", renamed), supervisor).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("nothing to change")));
  EXPECT_THAT(Apply(unit, Create("minle-hongshui-town", Township()), supervisor).status(),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("unit_id")));
}

TEST(UnitsWorkflowTest, WhoMayManageUnits) {
  // role × allowed, for a unit in 620722 and callers of 620722.
  const std::vector<std::pair<v1::Role, bool>> table = {
      {v1::ROLE_SUPERVISOR, true}, {v1::ROLE_ADMIN, true},       {v1::ROLE_SYSTEM, true},
      {v1::ROLE_INSPECTOR, false}, {v1::ROLE_RECTIFIER, false},  {v1::ROLE_BUREAU_HEAD, false},
      {v1::ROLE_POLICE, false},    {v1::ROLE_PROCURATOR, false}, {v1::ROLE_AUDITOR, false},
  };
  for (const auto& [role, allowed] : table) {
    v1::Unit unit;
    absl::Status status = Apply(unit, Create("u1", Township()), Caller(role)).status();
    if (allowed) {
      EXPECT_TRUE(status.ok()) << v1::Role_Name(role) << ": " << status;
    } else {
      EXPECT_THAT(status, StatusIs(absl::StatusCode::kPermissionDenied)) << v1::Role_Name(role);
    }
  }
  // A SUPERVISOR of another county: not for a unit of 民乐县, neither
  // creating nor changing one.
  v1::Unit unit;
  EXPECT_THAT(Apply(unit, Create("u1", Township()), Caller(v1::ROLE_SUPERVISOR, "620723")).status(),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("620722")));
  ASSERT_TRUE(Apply(unit, Create("u1", Township()), Caller(v1::ROLE_SUPERVISOR)).ok());
  EXPECT_THAT(Apply(unit, Retire("u1"), Caller(v1::ROLE_SUPERVISOR, "620723")).status(),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // Nor may one of 民乐县 move a unit out of its jurisdiction.
  v1::UnitDetails moved = Township();
  moved.set_region_code("620723");
  EXPECT_THAT(Apply(unit, Update("u1", moved), Caller(v1::ROLE_SUPERVISOR)).status(),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("620723")));
}

TEST(UnitsWorkflowTest, BadInputIsRefusedNamingTheField) {
  struct Case {
    std::string what;
    std::function<void(v1::Command&)> change;
    std::string field;
  };
  const std::vector<Case> cases = {
      {"no id", [](v1::Command& c) { c.mutable_create_unit()->set_unit_id(""); }, "unit_id"},
      {"upper-case id", [](v1::Command& c) { c.mutable_create_unit()->set_unit_id("Hongshui"); },
       "unit_id"},
      {"id with a slash", [](v1::Command& c) { c.mutable_create_unit()->set_unit_id("a/b"); },
       "unit_id"},
      {"id too long",
       [](v1::Command& c) { c.mutable_create_unit()->set_unit_id(std::string(65, 'a')); },
       "unit_id"},
      {"no command id", [](v1::Command& c) { c.set_command_id(""); }, "command_id"},
      {"no full name",
       [](v1::Command& c) { c.mutable_create_unit()->mutable_details()->set_full_name(" "); },
       "details.full_name"},
      {"full name of 101 characters",
       [](v1::Command& c) {
         std::string name;
         for (int i = 0; i < 101; ++i) name += "镇";
         c.mutable_create_unit()->mutable_details()->set_full_name(name);
       },
       "details.full_name"},
      {"short name of 31 characters",
       [](v1::Command& c) {
         c.mutable_create_unit()->mutable_details()->set_short_name(std::string(31, 'x'));
       },
       "details.short_name"},
      {"no kind",
       [](v1::Command& c) {
         c.mutable_create_unit()->mutable_details()->set_kind(v1::UNIT_KIND_UNSPECIFIED);
       },
       "details.kind"},
      {"unknown kind",
       [](v1::Command& c) {
         c.mutable_create_unit()->mutable_details()->set_kind(static_cast<v1::UnitKind>(9));
       },
       "details.kind"},
      {"region that names nothing",
       [](v1::Command& c) {
         c.mutable_create_unit()->mutable_details()->set_region_code("629999");
       },
       "details.region_code"},
      {"region not digits",
       [](v1::Command& c) {
         c.mutable_create_unit()->mutable_details()->set_region_code("民乐县");
       },
       "details.region_code"},
      {"enterprise without credit code",
       [](v1::Command& c) {
         c.mutable_create_unit()->mutable_details()->set_kind(v1::UNIT_KIND_ENTERPRISE);
       },
       "details.unified_social_credit_code"},
      {"credit code with a wrong check character",
       [](v1::Command& c) {
         c.mutable_create_unit()->mutable_details()->set_unified_social_credit_code(
             "91620722MA71000019");
       },
       "details.unified_social_credit_code"},
      {"phone with letters",
       [](v1::Command& c) {
         c.mutable_create_unit()->mutable_details()->mutable_contact()->set_phone("call me");
       },
       "details.contact.phone"},
      {"phone too long",
       [](v1::Command& c) {
         c.mutable_create_unit()->mutable_details()->mutable_contact()->set_phone(
             std::string(33, '1'));
       },
       "details.contact.phone"},
      {"contact name of 65 characters",
       [](v1::Command& c) {
         c.mutable_create_unit()->mutable_details()->mutable_contact()->set_name(
             std::string(65, 'x'));
       },
       "details.contact.name"},
  };
  for (const Case& test : cases) {
    v1::Command command = Create("u1", Township());
    test.change(command);
    v1::Unit unit;
    absl::StatusOr<std::vector<v1::Event>> events =
        DecideUnit(unit, command, Caller(v1::ROLE_SUPERVISOR), kNow);
    EXPECT_THAT(events.status(),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(test.field + ":")))
        << test.what;
  }
  // The sentence a bureau user reads names the field in Chinese.
  v1::Command blank = Create("u1", Township());
  blank.mutable_create_unit()->mutable_details()->set_full_name("");
  v1::Unit empty;
  absl::Status refused = DecideUnit(empty, blank, Caller(v1::ROLE_SUPERVISOR), kNow).status();
  ASSERT_TRUE(UserMessageOf(refused).has_value());
  EXPECT_EQ(UserMessageOf(refused)->zh_cn(), "单位全称：必填");
  v1::Command phone = Create("u1", Township());
  phone.mutable_create_unit()->mutable_details()->mutable_contact()->set_phone("call me");
  refused = DecideUnit(empty, phone, Caller(v1::ROLE_SUPERVISOR), kNow).status();
  ASSERT_TRUE(UserMessageOf(refused).has_value());
  EXPECT_EQ(UserMessageOf(refused)->zh_cn(), "联系电话须为3至32个字符，只含数字、空格及 + - ( )");
  EXPECT_EQ(UserMessageOf(refused)->field(), "details.contact.phone");
  // A retirement needs its reason.
  v1::Unit unit;
  ASSERT_TRUE(Apply(unit, Create("u1", Township()), Caller(v1::ROLE_SUPERVISOR)).ok());
  EXPECT_THAT(DecideUnit(unit, Retire("u1", ""), Caller(v1::ROLE_SUPERVISOR), kNow).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reason:")));
  // Changing a unit that does not exist.
  v1::Unit none;
  EXPECT_THAT(DecideUnit(none, Retire("u2"), Caller(v1::ROLE_SUPERVISOR), kNow).status(),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("u2")));
}

TEST(UnitsWorkflowTest, AnEnterpriseWithItsCreditCode) {
  v1::UnitDetails enterprise;
  enterprise.set_full_name("民乐县某某建材有限公司");
  enterprise.set_kind(v1::UNIT_KIND_ENTERPRISE);
  enterprise.set_region_code("620722");
  enterprise.set_unified_social_credit_code("91620722MA71000018");
  v1::Unit unit;
  ASSERT_TRUE(Apply(unit, Create("minle-jiancai", enterprise), Caller(v1::ROLE_SUPERVISOR)).ok());
  EXPECT_EQ(unit.details().unified_social_credit_code(), "91620722MA71000018");
  EXPECT_FALSE(unit.details().has_contact());
}

TEST(UnitsWorkflowTest, EvolveRefusesEventsThatDoNotFit) {
  v1::Unit unit;
  v1::Event retired;
  retired.set_stream_id("U-u1");
  retired.set_stream_kind(v1::STREAM_KIND_UNIT);
  retired.set_version(1);
  retired.mutable_unit_retired()->set_reason("x");
  EXPECT_THAT(EvolveUnit(unit, retired), StatusIs(absl::StatusCode::kInvalidArgument,
                                                  HasSubstr("before the unit's creation")));
  v1::Event account_event = retired;
  account_event.set_stream_kind(v1::STREAM_KIND_ACCOUNT);
  EXPECT_THAT(EvolveUnit(unit, account_event), StatusIs(absl::StatusCode::kInvalidArgument));
  v1::Event skipped = retired;
  skipped.set_version(3);
  EXPECT_THAT(EvolveUnit(unit, skipped),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("follows version 0")));
}

TEST(UnitsWorkflowTest, OnlyAnActiveUnitOfTheDirectoryTakesCases) {
  v1::Unit none;
  // A county without a directory yet (a store older than it) keeps its
  // ad-hoc ids; from its first unit on, only units of the directory.
  EXPECT_TRUE(CheckAssignableUnit("responsible_unit", "nobody", none, false).ok());
  EXPECT_THAT(CheckAssignableUnit("responsible_unit", "nobody", none, true),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("responsible_unit: unit nobody is not in the units directory")));
  v1::Unit unit;
  ASSERT_TRUE(Apply(unit, Create("u1", Township()), Caller(v1::ROLE_SUPERVISOR)).ok());
  EXPECT_TRUE(CheckAssignableUnit("responsible_unit", "u1", unit, true).ok());
  ASSERT_TRUE(Apply(unit, Retire("u1"), Caller(v1::ROLE_SUPERVISOR)).ok());
  EXPECT_THAT(CheckAssignableUnit("responsible_unit", "u1", unit, false),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("responsible_unit: unit u1 (洪水镇人民政府) is retired")));
}

}  // namespace
}  // namespace rectify::workflow

// Tests of the pure rectification-list decider: what each list command
// decides for the list and the cases it touches, its refusals, and that
// EvolveList folds what DecideList produced.
#include "workflow/lists.h"

#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/status_matchers.h"
#include "workflow/policy.h"

namespace rectify::workflow {
namespace {

using ::rectify::testing::StatusIs;
using ::testing::HasSubstr;

const absl::Time kNow = absl::FromUnixSeconds(1772413200);  // 2026-03-02 09:00 CST
constexpr char kListId[] = "L-620722-2026-0001";

v1::Principal Principal(v1::Role role = v1::ROLE_SUPERVISOR,
                        const std::string& jurisdiction = "620722") {
  v1::Principal principal;
  principal.set_principal_id("p");
  principal.set_role(role);
  principal.set_jurisdiction(jurisdiction);
  return principal;
}

class ListsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    AddCase("620722-2026-000001", v1::CASE_STATUS_RECTIFYING);
    AddCase("620722-2026-000002", v1::CASE_STATUS_CLOSED);
    AddCase("620702-2026-000001", v1::CASE_STATUS_FOUND, "620702001");
  }

  void AddCase(const std::string& id, v1::CaseStatus status,
               const std::string& region = "620722100") {
    v1::Case& state = cases_[id];
    state.set_case_id(id);
    state.set_version(3);
    state.set_status(status);
    state.mutable_location()->set_region_code(region);
  }

  // Decides `command` and folds the list events into list_ (case events are
  // checked and their versions advanced), as the pipeline does.
  absl::Status Apply(v1::Command command, const v1::Principal& principal = Principal()) {
    command.set_stream_id(kListId);
    command.set_command_id("c-" + std::to_string(++sequence_));
    absl::StatusOr<ListDecision> decision =
        DecideList(list_, cases_, command, principal, kNow, Policy());
    if (!decision.ok()) return decision.status();
    for (const v1::Event& event : decision->list_events) {
      if (absl::Status folded = EvolveList(list_, event); !folded.ok()) return folded;
    }
    for (const auto& [case_id, events] : decision->case_events) {
      for (const v1::Event& event : events) {
        EXPECT_EQ(event.stream_kind(), v1::STREAM_KIND_CASE);
        EXPECT_EQ(event.version(), cases_[case_id].version() + 1);
        cases_[case_id].set_version(event.version());
        last_case_events_.push_back(event);
      }
    }
    return absl::OkStatus();
  }

  static v1::Command Create(const std::string& region = "620722") {
    v1::Command command;
    auto& request = *command.mutable_create_rectification_list();
    request.set_title("整改清单");
    request.set_owner_unit("minle-eeb");
    request.set_region_code(region);
    return command;
  }
  static v1::Command Add(std::vector<std::string> ids) {
    v1::Command command;
    command.mutable_add_list_items()->set_list_id(kListId);
    for (const std::string& id : ids) command.mutable_add_list_items()->add_case_ids(id);
    return command;
  }
  static v1::Command Remove(const std::string& id) {
    v1::Command command;
    command.mutable_remove_list_item()->set_list_id(kListId);
    command.mutable_remove_list_item()->set_case_id(id);
    command.mutable_remove_list_item()->set_reason("重复");
    return command;
  }
  static v1::Command Close() {
    v1::Command command;
    command.mutable_close_rectification_list()->set_list_id(kListId);
    return command;
  }

  v1::RectificationList list_;
  std::map<std::string, v1::Case> cases_;
  std::vector<v1::Event> last_case_events_;
  int sequence_ = 0;
};

TEST_F(ListsTest, CreateAddRemoveClose) {
  ASSERT_OK(Apply(Create()));
  EXPECT_EQ(list_.list_id(), kListId);
  EXPECT_EQ(list_.status(), v1::LIST_STATUS_OPEN);
  ASSERT_OK(Apply(Add({"620722-2026-000001", "620722-2026-000002"})));
  ASSERT_EQ(list_.items_size(), 2);
  EXPECT_EQ(list_.items(1).item_number(), 2);
  ASSERT_EQ(last_case_events_.size(), 2u);
  EXPECT_EQ(last_case_events_[0].case_listed().list_id(), kListId);

  EXPECT_THAT(Apply(Close()), StatusIs(absl::StatusCode::kFailedPrecondition,
                                       HasSubstr("#1 620722-2026-000001 (RECTIFYING)")));
  ASSERT_OK(Apply(Remove("620722-2026-000001")));
  EXPECT_TRUE(last_case_events_.back().has_case_unlisted());
  ASSERT_OK(Apply(Add({"620722-2026-000001"})));
  EXPECT_EQ(list_.items(1).item_number(), 3) << "a removed item's number is not reused";
  ASSERT_OK(Apply(Remove("620722-2026-000001")));
  ASSERT_OK(Apply(Close()));
  EXPECT_EQ(list_.status(), v1::LIST_STATUS_CLOSED);
  EXPECT_THAT(Apply(Add({"620722-2026-000001"})),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("closed")));
}

// A list command's events name who acted as a case command's do: the
// principal's id, role, unit and display name, on the list's events and on
// the case events it records.
TEST_F(ListsTest, ListEventsCarryTheActorsDisplayName) {
  v1::Principal supervisor = Principal();
  supervisor.set_unit_id("minle-eeb");
  supervisor.set_display_name("李娜");
  v1::Command command = Create();
  command.set_stream_id(kListId);
  command.set_command_id("c-display");
  absl::StatusOr<ListDecision> created =
      DecideList(list_, cases_, command, supervisor, kNow, Policy());
  ASSERT_OK(created.status());
  ASSERT_EQ(created->list_events.size(), 1u);
  const v1::Actor& actor = created->list_events[0].actor();
  EXPECT_EQ(actor.principal_id(), "p");
  EXPECT_EQ(actor.role(), v1::ROLE_SUPERVISOR);
  EXPECT_EQ(actor.unit_id(), "minle-eeb");
  EXPECT_EQ(actor.display_name(), "李娜");
  ASSERT_OK(Apply(Create()));
  ASSERT_OK(Apply(Add({"620722-2026-000001"}), supervisor));
  ASSERT_EQ(last_case_events_.size(), 1u);
  EXPECT_EQ(last_case_events_[0].actor().display_name(), "李娜");
}

TEST_F(ListsTest, Refusals) {
  EXPECT_THAT(Apply(Add({"620722-2026-000001"})), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(Apply(Create(), Principal(v1::ROLE_INSPECTOR)),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Apply(Create("620702")), StatusIs(absl::StatusCode::kPermissionDenied));
  // A city's list is outside a county supervisor's jurisdiction.
  EXPECT_THAT(Apply(Create("6207")), StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(Apply(Create("620")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("region_code")));
  EXPECT_THAT(Apply(Create("190722")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("province")));
  EXPECT_THAT(Apply(Remove("not-a-case-id")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("case_id")));
  ASSERT_OK(Apply(Create()));
  EXPECT_THAT(Apply(Create()), StatusIs(absl::StatusCode::kAlreadyExists));
  EXPECT_THAT(Apply(Add({})), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("case_ids")));
  EXPECT_THAT(Apply(Add({"620722-2026-000001", "620722-2026-000001"})),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("case_ids[1]")));
  EXPECT_THAT(Apply(Add({"620702-2026-000001"})),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("outside the list's region")));
  EXPECT_THAT(Apply(Add({"620722-2026-000009"})),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("case_ids[0]")));
  EXPECT_THAT(Apply(Remove("620722-2026-000001")),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not on list")));
  v1::Command stale = Add({"620722-2026-000001"});
  stale.set_expected_version(7);
  EXPECT_THAT(Apply(stale), StatusIs(absl::StatusCode::kAborted));
  // Refused commands changed nothing.
  EXPECT_EQ(list_.version(), 1);
  EXPECT_TRUE(last_case_events_.empty());
}

// 清零 needs something cleared: an empty list stays open.
TEST_F(ListsTest, AnEmptyListCannotBeClosed) {
  ASSERT_OK(Apply(Create()));
  EXPECT_THAT(Apply(Close()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("has no items")));
  EXPECT_EQ(list_.status(), v1::LIST_STATUS_OPEN);
  ASSERT_OK(Apply(Add({"620722-2026-000002"})));  // a CLOSED case
  EXPECT_OK(Apply(Close()));
}

// A city's supervisor makes the city's list (a central inspection round's
// feedback for Zhangye, 6207) and puts a Minle County case on it.
TEST_F(ListsTest, ACitysListAtItsFourDigitPrefix) {
  const v1::Principal city = Principal(v1::ROLE_SUPERVISOR, "6207");
  ASSERT_OK(Apply(Create("6207"), city));
  EXPECT_EQ(list_.region_code(), "6207");
  ASSERT_OK(Apply(Add({"620722-2026-000001", "620702-2026-000001"}), city));
  EXPECT_EQ(list_.items_size(), 2);
  // A province's list too; a county supervisor changes neither.
  EXPECT_THAT(Apply(Add({"620722-2026-000002"})), StatusIs(absl::StatusCode::kPermissionDenied));
}

}  // namespace
}  // namespace rectify::workflow

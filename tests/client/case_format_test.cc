// Tests of how rectifyctl shows a case (client/case_format.h): an extension
// shows the due the supervisor granted, not the one the unit asked for; a due
// date counted over a year whose holiday arrangement is not yet published
// carries 「暂定」, a published one does not, and other provisional running
// deadlines get a line of their own.
#include "client/case_format.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace rectify::client {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// 2026-11-20 00:00 and 2026-11-15 00:00 in China (UTC+8), in Unix seconds.
constexpr int64_t kAsked = 1795104000;
constexpr int64_t kGranted = 1794672000;

TEST(CaseFormatTest, AGrantedExtensionShowsTheGrantedDue) {
  v1::Case state;
  state.set_case_id("620722-2026-000123");
  v1::ExtensionRequest& granted = *state.add_extension_requests();
  granted.set_request_id("ext-1");
  granted.set_state(v1::EXTENSION_STATE_GRANTED);
  granted.mutable_requested_due_at()->set_seconds(kAsked);
  granted.mutable_granted_due_at()->set_seconds(kGranted);
  v1::ExtensionRequest& pending = *state.add_extension_requests();
  pending.set_request_id("ext-2");
  pending.set_state(v1::EXTENSION_STATE_REQUESTED);
  pending.mutable_requested_due_at()->set_seconds(kAsked);
  const std::string shown = FormatCase(state);
  // Each due ends a day: shown as that day (base/dates.h).
  EXPECT_THAT(shown, HasSubstr("ext-1 GRANTED to 2026-11-14 (asked 2026-11-19)"));
  EXPECT_THAT(shown, Not(HasSubstr("GRANTED to 2026-11-19")));
  EXPECT_THAT(shown, HasSubstr("ext-2 REQUESTED to 2026-11-19\n"));
}

// 2027-02-10 00:00 in China (2027-02-09 16:00 UTC).
constexpr int64_t kDue = 1802188800;

v1::Case AssignedCase(bool provisional) {
  v1::Case state;
  state.set_case_id("620722-2027-000001");
  state.set_status(v1::CASE_STATUS_ASSIGNED);
  state.mutable_rectification_due_at()->set_seconds(kDue);
  v1::Deadline& deadline = *state.add_deadlines();
  deadline.set_deadline_id("rect-1");
  deadline.set_kind(v1::DEADLINE_KIND_RECTIFICATION);
  deadline.set_state(v1::DEADLINE_STATE_OPEN);
  deadline.mutable_due_at()->set_seconds(kDue);
  deadline.mutable_rule()->set_unit(v1::DEADLINE_UNIT_CALENDAR_DAYS);
  deadline.mutable_rule()->set_amount(30);
  deadline.mutable_rule()->set_provisional(provisional);
  return state;
}

TEST(CaseFormatTest, ProvisionalDueDateIsMarked) {
  const std::string shown = FormatCase(AssignedCase(true));
  EXPECT_THAT(shown, HasSubstr("due:         2027-02-09 暂定（"));
}

TEST(CaseFormatTest, PublishedDueDateIsNotMarked) {
  const std::string shown = FormatCase(AssignedCase(false));
  EXPECT_THAT(shown, HasSubstr("due:         2027-02-09\n"));
  EXPECT_THAT(shown, Not(HasSubstr("暂定")));
}

// A deadline that ends inside a day (an hours-based clock) keeps its
// minute; the region reads with its names.
TEST(CaseFormatTest, AnHoursDeadlineKeepsItsMinuteAndTheRegionIsNamed) {
  v1::Case state = AssignedCase(false);
  state.mutable_rectification_due_at()->set_seconds(kDue + 9 * 3600 + 30 * 60);
  state.mutable_location()->set_region_code("620722");
  const std::string shown = FormatCase(state);
  EXPECT_THAT(shown, HasSubstr("due:         2027-02-10 09:30\n"));
  EXPECT_THAT(shown, HasSubstr("region:      620722 甘肃省张掖市民乐县\n"));
}

TEST(CaseFormatTest, OtherProvisionalDeadlinesGetALine) {
  v1::Case state = AssignedCase(false);
  v1::Deadline& filing = *state.add_deadlines();
  filing.set_deadline_id("ref-1-filing");
  filing.set_kind(v1::DEADLINE_KIND_REFERRAL_FILING_DECISION);
  filing.set_state(v1::DEADLINE_STATE_OPEN);
  filing.mutable_due_at()->set_seconds(1803916800);  // 2027-03-02 00:00 in China
  filing.mutable_rule()->set_provisional(true);
  // A closed provisional deadline is history, not shown.
  v1::Deadline& old = *state.add_deadlines();
  old.set_deadline_id("ref-1-receipt");
  old.set_state(v1::DEADLINE_STATE_MET);
  old.mutable_rule()->set_provisional(true);
  const std::string shown = FormatCase(state);
  EXPECT_THAT(shown, HasSubstr("deadline:    ref-1-filing REFERRAL_FILING_DECISION 2027-03-01 暂定（"));
  EXPECT_THAT(shown, Not(HasSubstr("ref-1-receipt")));
  EXPECT_THAT(shown, HasSubstr("due:         2027-02-09\n"));
}

}  // namespace
}  // namespace rectify::client

// Tests of counting a deadline again under a newly loaded calendar
// (RecountDeadline, RecountChanges, and Decide/Evolve of RecountDeadline):
// deadlines recorded before `counted_from` existed count from their opening
// or, for a longer police review, from the receipt; hours, fixed dates and
// ended deadlines are not recounted; only the system may recount, and only
// when something changes.
#include <string>
#include <vector>

#include "base/proto_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/status_matchers.h"
#include "tests/workflow/case_builder.h"
#include "workflow/decider.h"
#include "workflow/policy.h"

namespace rectify::workflow {
namespace {

using ::rectify::testing::StatusIs;

absl::Time Beijing(int y, int m, int d, int hour = 0) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hour, 0, 0), absl::FixedTimeZone(8 * 3600));
}

// An ASSIGNED case with one open 30-calendar-day rectification deadline
// opened Thu 2027-01-07 10:00, recorded before `counted_from` existed, due
// as the old weekends-only calendar counted it: Sat Feb 6 rolled to Mon Feb
// 8, so 2027-02-09 00:00.
v1::Case LegacyCase() {
  v1::Case state;
  state.set_case_id(rectify::testing::kCaseId);
  state.set_version(3);
  state.set_status(v1::CASE_STATUS_ASSIGNED);
  state.mutable_location()->set_region_code("620722100");
  *state.mutable_rectification_due_at() = ToProto(Beijing(2027, 2, 9));
  v1::Deadline& deadline = *state.add_deadlines();
  deadline.set_deadline_id("rect-1");
  deadline.set_kind(v1::DEADLINE_KIND_RECTIFICATION);
  deadline.set_state(v1::DEADLINE_STATE_OPEN);
  *deadline.mutable_opened_at() = ToProto(Beijing(2027, 1, 7, 10));
  *deadline.mutable_due_at() = ToProto(Beijing(2027, 2, 9));
  deadline.mutable_rule()->set_unit(v1::DEADLINE_UNIT_CALENDAR_DAYS);
  deadline.mutable_rule()->set_amount(30);
  deadline.mutable_rule()->set_basis("default rectification period (policy default)");
  return state;
}

TEST(RecountTest, ALegacyDeadlineCountsFromItsOpening) {
  const v1::Case state = LegacyCase();
  ASSERT_OK_AND_ASSIGN(const ComputedDeadline recounted, RecountDeadline(state, state.deadlines(0), Policy()));
  // The computed Spring Festival: Fri Feb 5 (Eve) to Mon Feb 8 off, and Tue
  // Feb 9 and Wed Feb 10 made up for Sat and Sun; the period ends with Thu
  // Feb 11.
  EXPECT_EQ(recounted.due_at, Beijing(2027, 2, 12));
  EXPECT_TRUE(recounted.rule.provisional());
  EXPECT_EQ(ToTime(recounted.rule.counted_from()), Beijing(2027, 1, 7, 10));
  EXPECT_EQ(recounted.rule.basis(), "default rectification period (policy default)");
  EXPECT_TRUE(RecountChanges(state.deadlines(0), recounted));
}

TEST(RecountTest, ALegacyFilingDeadlineCountsFromTheReceipt) {
  v1::Case state = LegacyCase();
  v1::Referral& referral = *state.add_referrals();
  referral.set_referral_id("ref-1");
  referral.set_state(v1::REFERRAL_STATE_RECEIVED);
  *referral.mutable_received_at() = ToProto(Beijing(2027, 1, 29, 10));  // Fri
  v1::Deadline& filing = *state.add_deadlines();
  filing.set_deadline_id("ref-1-filing");
  filing.set_kind(v1::DEADLINE_KIND_REFERRAL_FILING_DECISION);
  filing.set_referral_id("ref-1");
  filing.set_state(v1::DEADLINE_STATE_OPEN);
  *filing.mutable_opened_at() = ToProto(Beijing(2027, 2, 1, 9));  // Mon: a later extension
  *filing.mutable_due_at() = ToProto(Beijing(2027, 2, 2));
  filing.mutable_rule()->set_unit(v1::DEADLINE_UNIT_CALENDAR_DAYS);
  filing.mutable_rule()->set_amount(3);
  ASSERT_OK_AND_ASSIGN(const ComputedDeadline recounted, RecountDeadline(state, filing, Policy()));
  // Fri Jan 29 + 3 = Mon Feb 1, a working day: due 2027-02-02 00:00 (from
  // the opening it would be Thu Feb 4).
  EXPECT_EQ(recounted.due_at, Beijing(2027, 2, 2));
  EXPECT_TRUE(recounted.rule.provisional());
  // The due instant is the same; the provisional mark is new.
  EXPECT_TRUE(RecountChanges(filing, recounted));
  filing.mutable_rule()->set_provisional(true);
  EXPECT_FALSE(RecountChanges(filing, recounted));
}

TEST(RecountTest, HoursFixedDatesAndEndedDeadlinesAreNotRecounted) {
  v1::Case state = LegacyCase();
  v1::Deadline deadline = state.deadlines(0);
  deadline.mutable_rule()->set_unit(v1::DEADLINE_UNIT_FIXED);
  EXPECT_THAT(RecountDeadline(state, deadline, Policy()), StatusIs(absl::StatusCode::kFailedPrecondition));
  deadline.mutable_rule()->set_unit(v1::DEADLINE_UNIT_HOURS);
  EXPECT_THAT(RecountDeadline(state, deadline, Policy()), StatusIs(absl::StatusCode::kFailedPrecondition));
  deadline = state.deadlines(0);
  deadline.set_state(v1::DEADLINE_STATE_MISSED);
  EXPECT_THAT(RecountDeadline(state, deadline, Policy()), StatusIs(absl::StatusCode::kFailedPrecondition));
}

v1::Command RecountCommand() {
  v1::Command command;
  command.set_command_id("recount:0123456789abcdef:620722-2026-000123:rect-1:1");
  command.set_stream_id(rectify::testing::kCaseId);
  v1::RecountDeadlineRequest& request = *command.mutable_recount_deadline();
  request.set_deadline_id("rect-1");
  request.set_calendar_sha256(std::string(64, 'a'));
  request.set_calendar_years("2025-2026");
  return command;
}

TEST(RecountTest, DecideRecordsOneEventAndEvolveMovesTheDueDate) {
  v1::Case state = LegacyCase();
  const absl::Time now = Beijing(2027, 1, 8, 9);
  EXPECT_THAT(Decide(state, RecountCommand(), rectify::testing::Supervisor(), now, Policy()),
              StatusIs(absl::StatusCode::kPermissionDenied));
  ASSERT_OK_AND_ASSIGN(const std::vector<v1::Event> events,
                       Decide(state, RecountCommand(), rectify::testing::System(), now, Policy()));
  ASSERT_EQ(events.size(), 1u);
  const v1::DeadlineRecounted& recounted = events[0].deadline_recounted();
  EXPECT_EQ(recounted.deadline_id(), "rect-1");
  EXPECT_EQ(ToTime(recounted.previous_due_at()), Beijing(2027, 2, 9));
  EXPECT_EQ(ToTime(recounted.due_at()), Beijing(2027, 2, 12));
  EXPECT_EQ(recounted.calendar_sha256(), std::string(64, 'a'));
  EXPECT_EQ(recounted.calendar_years(), "2025-2026");
  EXPECT_EQ(events[0].version(), 4);
  ASSERT_OK(Evolve(state, events[0]));
  EXPECT_EQ(ToTime(state.rectification_due_at()), Beijing(2027, 2, 12));
  EXPECT_EQ(ToTime(state.deadlines(0).due_at()), Beijing(2027, 2, 12));
  EXPECT_TRUE(state.deadlines(0).rule().provisional());
  // Counted as the calendar counts it now: a second recount is refused.
  EXPECT_THAT(Decide(state, RecountCommand(), rectify::testing::System(), now, Policy()),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

TEST(RecountTest, BadInputIsNamed) {
  v1::Command command = RecountCommand();
  command.mutable_recount_deadline()->set_calendar_sha256("abc");
  EXPECT_THAT(Decide(LegacyCase(), command, rectify::testing::System(), Beijing(2027, 1, 8), Policy()),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("calendar_sha256")));
}

}  // namespace
}  // namespace rectify::workflow

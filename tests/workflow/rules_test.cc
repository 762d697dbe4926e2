// Tests of the rules of issue 12 as docs/workflow.md ("The rules and their
// sources") states them, each with its expectation worked out by hand from
// the law and the 2026 calendar: the police receipt in hours, the police
// review periods from the policy with the head's approval of the long one,
// the bureau head's calendar days, separation of duties at verification
// with principals a principals file can hold, the no-progress clock, the
// bounds of a granted extension, the officers of a referral proposal, and
// the typed "not yet due" refusal.
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "base/proto_time.h"
#include "tests/status_matchers.h"
#include "tests/workflow/case_builder.h"
#include "workflow/decider.h"
#include "workflow/policy.h"

namespace rectify::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using rectify::ToProto;
using rectify::ToTime;



// A principal as config/principals.demo.textproto could hold it.
v1::Principal Person(const std::string& id, v1::Role role, const std::string& unit,
                     const std::string& jurisdiction = "620722") {
  v1::Principal principal;
  principal.set_principal_id(id);
  principal.set_role(role);
  principal.set_unit_id(unit);
  principal.set_jurisdiction(jurisdiction);
  return principal;
}

// ---- 1. The police receipt: 24 hours --------------------------------------

TEST(PoliceReceiptTest, IsFlaggedAfter24HoursNotAfterTheHolidays) {
  // Sent Saturday 2026-02-14 10:00 (an adjusted workday, the eve of the
  // Spring Festival days off of Feb 15-23): due Sunday 02-15 10:00. One
  // calendar day rolled past the holidays would have been Wednesday 02-25.
  const workflow::Policy policy;
  ASSERT_OK_AND_ASSIGN(workflow::ComputedDeadline receipt,
                       workflow::ComputeDeadline(policy, v1::DEADLINE_KIND_REFERRAL_RECEIPT,
                                                 Local(2026, 2, 14, 10)));
  EXPECT_EQ(receipt.due_at, Local(2026, 2, 15, 10));
  EXPECT_EQ(receipt.rule.unit(), v1::DEADLINE_UNIT_HOURS);
  EXPECT_EQ(receipt.rule.amount(), 24);

  // Through Decide: sent at 12:00 on 2026-03-02, due 12:00 the next day.
  CaseDriver driver;
  driver.DriveTo(Stage::kReferralSent);
  const v1::Deadline& deadline = DeadlineById(driver.state(), "ref-1-receipt");
  EXPECT_EQ(ToTime(deadline.opened_at()), Local(2026, 3, 2, 12));
  EXPECT_EQ(ToTime(deadline.due_at()), Local(2026, 3, 3, 12));
}

// ---- 3. The bureau head's approval: 3 calendar days, configurable ---------

TEST(BureauHeadApprovalTest, ThreeCalendarDaysByDefaultAndWorkingDaysWhenConfigured) {
  // Proposed Friday 2026-03-06 10:00. Calendar: day 3 is Monday 03-09, a
  // working day, so due at its end (03-10 00:00). Working days would be
  // Monday, Tuesday, Wednesday: 03-12 00:00.
  const absl::Time proposed = Local(2026, 3, 6, 10);
  ASSERT_OK_AND_ASSIGN(workflow::ComputedDeadline calendar,
                       workflow::ComputeDeadline(workflow::Policy(),
                                                 v1::DEADLINE_KIND_REFERRAL_APPROVAL, proposed));
  EXPECT_EQ(calendar.due_at, Local(2026, 3, 10));
  EXPECT_EQ(calendar.rule.unit(), v1::DEADLINE_UNIT_CALENDAR_DAYS);
  ASSERT_OK_AND_ASSIGN(
      const workflow::Policy working,
      workflow::ParsePolicy("deadline: REFERRAL_APPROVAL 3 WORKING_DAYS 国务院令第310号 第五条\n"));
  ASSERT_OK_AND_ASSIGN(workflow::ComputedDeadline working_due,
                       workflow::ComputeDeadline(working, v1::DEADLINE_KIND_REFERRAL_APPROVAL,
                                                 proposed));
  EXPECT_EQ(working_due.due_at, Local(2026, 3, 12));
}

// ---- 2. The police review: 3/7/30 from the policy, the long one approved --

class ReviewTest : public ::testing::Test {
 protected:
  // A policy whose periods differ from the defaults, so that nothing fixed
  // in the code can pass: 5 calendar days, 10 to check clues, 20 complex.
  static workflow::Policy Periods() {
    absl::StatusOr<workflow::Policy> policy = workflow::ParsePolicy(
        "deadline: REFERRAL_FILING_DECISION 5 CALENDAR_DAYS test\n"
        "referral_review_check_days: 10\n"
        "referral_review_long_days: 20\n");
    EXPECT_OK(policy.status());
    return policy.ok() ? *policy : workflow::Policy();
  }

  v1::Command Extend(int days) {
    v1::Command command =
        MakeCommand(Kind::kExtendReferralReview, driver_.state(), driver_.now(), Police());
    command.mutable_extend_referral_review()->set_review_days(days);
    return command;
  }
  v1::Command Approve(int days) {
    v1::Command command = MakeCommand(Kind::kExtendReferralReview, driver_.state(),
                                      driver_.now(), Police());
    command.clear_extend_referral_review();
    v1::ApproveReviewExtensionRequest& approve = *command.mutable_approve_review_extension();
    approve.set_case_id(kCaseId);
    approve.set_referral_id("ref-1");
    approve.set_review_days(days);
    approve.set_remark("民公批〔2026〕3号");
    command.set_command_id(absl::StrCat("approve-", days));
    return command;
  }

  CaseDriver driver_{Periods()};
};

TEST_F(ReviewTest, PeriodsComeFromThePolicyAndTheLongOneNeedsTheHeadOfThePoliceUnit) {
  driver_.DriveTo(Stage::kReferralReceived);
  // Received Monday 2026-03-02 13:00. 5 calendar days: Saturday 03-07 is
  // not a working day, so Monday 03-09 ends it (03-10 00:00).
  EXPECT_EQ(ToTime(driver_.state().referrals(0).received_at()), Local(2026, 3, 2, 13));
  EXPECT_EQ(driver_.state().referrals(0).filing_review_days(), 5);
  int recorded_days = 0;
  for (const v1::Event& event : driver_.history()) {
    if (event.has_referral_received()) recorded_days = event.referral_received().review_days();
  }
  EXPECT_EQ(recorded_days, 5);
  EXPECT_EQ(ToTime(DeadlineById(driver_.state(), "ref-1-filing").due_at()), Local(2026, 3, 10));

  // The default's 7 and 30 are not this policy's periods.
  EXPECT_THAT(driver_.Try(Extend(7), Police()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("review_days: must be 10")));
  // 10 days from the receipt: Thursday 03-12 (03-13 00:00).
  ASSERT_OK(driver_.Try(Extend(10), Police()));
  EXPECT_EQ(ToTime(DeadlineById(driver_.state(), "ref-1-filing").due_at()), Local(2026, 3, 13));

  // 20 days needs the approval first.
  EXPECT_THAT(driver_.Try(Extend(20), Police()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("approves it first")));
  // Not the bureau head of the environment bureau, nor the police officer.
  EXPECT_THAT(driver_.Try(Approve(20), BureauHead()),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("only the head of that police unit")));
  EXPECT_THAT(driver_.Try(Approve(20), Police()), StatusIs(absl::StatusCode::kPermissionDenied));
  const v1::Principal police_head = Person("psb-head-ma", v1::ROLE_BUREAU_HEAD, kPoliceUnit);
  EXPECT_THAT(driver_.Try(Approve(30), police_head),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("review_days: must be 20")));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Event> approved, driver_.Try(Approve(20), police_head));
  EXPECT_THAT(PayloadNames(approved), ElementsAre("review_extension_approved"));
  EXPECT_EQ(driver_.state().referrals(0).review_extension_approved_by().principal_id(),
            "psb-head-ma");

  // 20 days from the receipt: Sunday 03-22, so Monday 03-23 (03-24 00:00).
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Event> extended, driver_.Try(Extend(20), Police()));
  EXPECT_EQ(extended[0].referral_review_extended().approved_by().principal_id(), "psb-head-ma");
  EXPECT_EQ(driver_.state().referrals(0).filing_review_days(), 20);
  EXPECT_EQ(ToTime(DeadlineById(driver_.state(), "ref-1-filing").due_at()), Local(2026, 3, 24));
}

TEST(OldReceiptTest, EventsWithoutDaysMeanThree) {
  CaseDriver driver;
  driver.DriveTo(Stage::kReferralReceived);
  // Fold the same history with the receipt's days cleared, as events
  // written before they were recorded.
  v1::Case state;
  for (v1::Event event : driver.history()) {
    if (event.has_referral_received()) event.mutable_referral_received()->clear_review_days();
    ASSERT_OK(workflow::Evolve(state, event));
  }
  EXPECT_EQ(state.referrals(0).filing_review_days(), 3);
}

// ---- 4. Separation of duties at verification ------------------------------

TEST(VerifierTest, NoOneOfTheSubmittingUnitVerifies) {
  CaseDriver driver;
  driver.DriveTo(Stage::kCompletionPending);
  // The township's own environmental officer holds an inspector's role.
  const v1::Principal township_inspector =
      Person("insp-hongshui", v1::ROLE_INSPECTOR, kUnit);
  EXPECT_THAT(driver.Try(MakeCommand(Kind::kVerifyRectification, driver.state(), driver.now(),
                                     township_inspector),
                         township_inspector),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("belongs to minle-hongshui-town, the unit that submitted")));
  EXPECT_OK(driver.Try(
      MakeCommand(Kind::kVerifyRectification, driver.state(), driver.now(), Inspector()),
      Inspector()));
}

TEST(VerifierTest, TheAssigningSupervisorVerifiesOnlyWherePolicyAllows) {
  // Default policy: the supervisor who assigned may verify.
  {
    CaseDriver driver;
    driver.DriveTo(Stage::kCompletionPending);
    EXPECT_EQ(driver.state().assigned_by().principal_id(), "sup-wang");
    EXPECT_OK(driver.Try(
        MakeCommand(Kind::kVerifyRectification, driver.state(), driver.now(), Supervisor()),
        Supervisor()));
  }
  ASSERT_OK_AND_ASSIGN(workflow::Policy policy, workflow::ParsePolicy("verifier_not_assigner: true\n"));
  CaseDriver driver(policy);
  driver.DriveTo(Stage::kCompletionPending);
  EXPECT_THAT(driver.Try(MakeCommand(Kind::kVerifyRectification, driver.state(), driver.now(),
                                     Supervisor()),
                         Supervisor()),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("sup-wang assigned the rectification")));
  const v1::Principal other = Person("sup-zhao", v1::ROLE_SUPERVISOR, "minle-eeb");
  EXPECT_OK(driver.Try(
      MakeCommand(Kind::kVerifyRectification, driver.state(), driver.now(), other), other));
}

TEST(VerifierTest, TheReportingInspectorVerifiesOnlyWherePolicyAllows) {
  ASSERT_OK_AND_ASSIGN(workflow::Policy policy, workflow::ParsePolicy("reporter_may_verify: false\n"));
  CaseDriver driver(policy);
  driver.DriveTo(Stage::kCompletionPending);
  ASSERT_EQ(driver.state().reported_by().principal_id(), "insp-zhang");
  EXPECT_THAT(driver.Try(MakeCommand(Kind::kVerifyRectification, driver.state(), driver.now(),
                                     Inspector()),
                         Inspector()),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("insp-zhang reported the problem")));
  const v1::Principal li = Person("insp-li", v1::ROLE_INSPECTOR, "minle-eeb");
  EXPECT_OK(
      driver.Try(MakeCommand(Kind::kVerifyRectification, driver.state(), driver.now(), li), li));
}

// ---- 5. The no-progress clock ----------------------------------------------

TEST(ProgressClockTest, RestartsAtAssignmentProgressFailedVerificationAndReopening) {
  CaseDriver driver;
  driver.DriveTo(Stage::kFound);             // 09:00
  driver.Do(Kind::kAssignCase);              // 10:00: the clock starts
  const absl::Time assigned = driver.now();
  EXPECT_EQ(ToTime(driver.state().progress_clock_since()), assigned);
  driver.Advance(absl::Hours(24 * 3));
  driver.Do(Kind::kStartRectification);      // starting is no progress report
  EXPECT_EQ(ToTime(driver.state().progress_clock_since()), assigned);
  driver.Advance(absl::Hours(24));
  driver.Do(Kind::kReportProgress);
  const absl::Time progress = driver.now();
  EXPECT_EQ(ToTime(driver.state().progress_clock_since()), progress);
  driver.Advance(absl::Hours(24));
  driver.Do(Kind::kSubmitCompletion);        // the wait for verification is not the unit's
  EXPECT_EQ(ToTime(driver.state().progress_clock_since()), progress);
  driver.Advance(absl::Hours(24 * 20));
  v1::Command fail =
      MakeCommand(Kind::kVerifyRectification, driver.state(), driver.now(), Inspector());
  fail.mutable_verify_rectification()->set_passed(false);
  fail.mutable_verify_rectification()->set_notes("喷淋未安装");
  ASSERT_OK(driver.Try(fail, Inspector()));
  EXPECT_EQ(ToTime(driver.state().progress_clock_since()), driver.now());
}

// ---- 13. A granted extension gives more time, at most what was asked -------

TEST(ExtensionGrantTest, LiesAfterTheCurrentDueAndAtMostAtTheRequestedOne) {
  CaseDriver driver;
  driver.DriveTo(Stage::kExtensionPending);
  // Assigned 2026-03-02 10:00 with the default 30 calendar days: due 04-02
  // 00:00; the unit asked for ten days more, 04-12 00:00.
  ASSERT_EQ(ToTime(driver.state().rectification_due_at()), Local(2026, 4, 2));
  ASSERT_EQ(ToTime(driver.state().extension_requests(0).requested_due_at()), Local(2026, 4, 12));
  auto grant = [&](absl::Time due) {
    v1::Command command =
        MakeCommand(Kind::kDecideExtension, driver.state(), driver.now(), Supervisor());
    *command.mutable_decide_extension()->mutable_granted_due_at() = ToProto(due);
    return command;
  };
  // Earlier than the current due: the case would become due sooner.
  EXPECT_THAT(driver.Try(grant(Local(2026, 3, 25)), Supervisor()),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("granted_due_at: 2026-03-25 00:00 (Asia/Shanghai) is not after the "
                                 "current rectification deadline 2026-04-02 00:00")));
  EXPECT_THAT(driver.Try(grant(Local(2026, 4, 2)), Supervisor()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("is not after")));
  // Later than asked.
  EXPECT_THAT(driver.Try(grant(Local(2026, 4, 15)), Supervisor()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("grants at most what was asked")));
  ASSERT_OK(driver.Try(grant(Local(2026, 4, 10)), Supervisor()));
  EXPECT_EQ(ToTime(driver.state().rectification_due_at()), Local(2026, 4, 10));
}

TEST(ExtensionGrantTest, APolicyMayLetTheSupervisorGiveMore) {
  ASSERT_OK_AND_ASSIGN(workflow::Policy policy,
                       workflow::ParsePolicy("extension_grant_beyond_request: true\n"));
  CaseDriver driver(policy);
  driver.DriveTo(Stage::kExtensionPending);
  v1::Command command =
      MakeCommand(Kind::kDecideExtension, driver.state(), driver.now(), Supervisor());
  *command.mutable_decide_extension()->mutable_granted_due_at() = ToProto(Local(2026, 4, 15));
  ASSERT_OK(driver.Try(command, Supervisor()));
  EXPECT_EQ(ToTime(driver.state().rectification_due_at()), Local(2026, 4, 15));
}

// ---- 12. The officers who sign a referral proposal --------------------------

TEST(ProposalOfficersTest, AreDistinctInspectorsCoveringTheCase) {
  CaseDriver driver;
  driver.DriveTo(Stage::kFound);
  auto propose = [&](const v1::Principal* second, const std::string& second_id) {
    v1::Command command =
        MakeCommand(Kind::kProposeReferral, driver.state(), driver.now(), Inspector());
    command.mutable_propose_referral()->set_proposing_officers(1, second_id);
    command.clear_named_principals();
    *command.add_named_principals() = Inspector();
    if (second != nullptr) *command.add_named_principals() = *second;
    return driver.Try(command, Inspector());
  };
  // An id the principal registry does not hold.
  EXPECT_THAT(propose(nullptr, "nobody"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("proposing_officers[1]: nobody is no known principal")));
  const v1::Principal rectifier = Person("rect-hongshui", v1::ROLE_RECTIFIER, kUnit);
  EXPECT_THAT(propose(&rectifier, "rect-hongshui"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("proposing_officers[1]: rect-hongshui is a rectifier")));
  const v1::Principal police = Person("police-liu", v1::ROLE_POLICE, kPoliceUnit);
  EXPECT_THAT(propose(&police, "police-liu"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("is the police")));
  // An inspector of Ganzhou District (620702) does not cover a Minle case.
  const v1::Principal ganzhou = Person("insp-ganzhou", v1::ROLE_INSPECTOR, "ganzhou-eeb", "620702");
  EXPECT_THAT(propose(&ganzhou, "insp-ganzhou"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("the jurisdiction \"620702\" of insp-ganzhou does not cover")));
  // The same person twice is one officer.
  EXPECT_THAT(propose(nullptr, "insp-zhang"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("proposing_officers[1]")));
  // A city inspector (6207) covers it.
  const v1::Principal city = Person("insp-zhangye", v1::ROLE_INSPECTOR, "zhangye-eeb", "6207");
  EXPECT_OK(propose(&city, "insp-zhangye"));
}

// ---- 10. "Not yet due" is a typed outcome ------------------------------------

// ---- The bureau head who decides a referral is the proposing bureau's ---------

// BUREAU_HEAD names no agency: the head of the police unit holds it too (to
// approve the long police review above). Approving or refusing a referral is
// the bureau head's (Decree 310 art. 5: 行政执法机关正职负责人), so only a
// BUREAU_HEAD of the bureau whose officers proposed it, whose jurisdiction
// covers the case, decides.
TEST(ReferralApprovalTest, OnlyTheProposingBureausHeadOfTheJurisdictionDecides) {
  CaseDriver driver;
  driver.DriveTo(Stage::kReferralProposed);
  ASSERT_EQ(driver.state().referrals(0).proposed_by().unit_id(), "minle-eeb");
  const v1::Principal police_head = Person("psb-head-ma", v1::ROLE_BUREAU_HEAD, kPoliceUnit);
  const v1::Principal water_head =
      Person("water-head-li", v1::ROLE_BUREAU_HEAD, "minle-water-bureau");
  const v1::Principal foreign_head =
      Person("head-ganzhou", v1::ROLE_BUREAU_HEAD, "minle-eeb", "620702");
  for (const Kind kind : {Kind::kApproveReferral, Kind::kRefuseReferral}) {
    for (const v1::Principal& head : {police_head, water_head, foreign_head}) {
      EXPECT_THAT(
          driver.Try(MakeCommand(kind, driver.state(), driver.now(), head), head),
          StatusIs(absl::StatusCode::kPermissionDenied))
          << head.principal_id();
    }
  }
  EXPECT_THAT(driver.Try(MakeCommand(Kind::kApproveReferral, driver.state(), driver.now(),
                                     police_head),
                         police_head),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("minle-eeb")));
  EXPECT_EQ(driver.state().referrals(0).state(), v1::REFERRAL_STATE_PROPOSED);
  ASSERT_OK(driver.Try(MakeCommand(Kind::kApproveReferral, driver.state(), driver.now(),
                                   BureauHead()),
                       BureauHead()));
  EXPECT_EQ(driver.state().referrals(0).state(), v1::REFERRAL_STATE_APPROVED);
}

TEST(NotYetDueTest, TheRefusalCarriesTheDueInstant) {
  CaseDriver driver;
  driver.DriveTo(Stage::kRectifying);
  v1::Command overdue;
  overdue.set_stream_id(kCaseId);
  overdue.set_command_id("timer-rect-1");
  overdue.mutable_mark_overdue()->set_deadline_id("rect-1");
  const absl::Status early = driver.Try(overdue, System()).status();
  ASSERT_THAT(early, StatusIs(absl::StatusCode::kFailedPrecondition));
  const std::optional<absl::Time> due = workflow::NotYetDueUntil(early);
  ASSERT_TRUE(due.has_value());
  EXPECT_EQ(*due, Local(2026, 4, 2));
  // The words do not matter; another refusal of the same code is not it.
  EXPECT_FALSE(workflow::NotYetDueUntil(absl::FailedPreconditionError("is not due until")));
  driver.Advance(absl::Hours(24 * 40));
  ASSERT_OK(driver.Try(overdue, System()));
  const absl::Status twice = driver.Try(overdue, System()).status();
  EXPECT_THAT(twice, StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_FALSE(workflow::NotYetDueUntil(twice).has_value());
}

}  // namespace
}  // namespace rectify::testing

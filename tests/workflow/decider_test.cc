// Tests of Decide and Evolve beyond the tables: the exact events of an
// assignment, deadlines opened, missed once, met late, moved and replaced,
// the public notice and objections, referrals with their own deadlines,
// jurisdiction and unit scoping, separation of duties, and input validation
// naming the field.
#include "workflow/decider.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/status_matchers.h"
#include "tests/user_message_matchers.h"
#include "tests/workflow/case_builder.h"
#include "base/proto_time.h"

namespace rectify::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using rectify::ToProto;
using rectify::ToTime;



v1::Command Overdue(const std::string& deadline_id) {
  v1::Command command;
  command.set_stream_id(kCaseId);
  command.set_command_id("timer-" + deadline_id);
  command.mutable_mark_overdue()->set_deadline_id(deadline_id);
  return command;
}

TEST(DecideTest, AssignGivesExactlyTheseEvents) {
  CaseDriver driver;
  driver.DriveTo(Stage::kFound);
  const v1::Command command =
      MakeCommand(Kind::kAssignCase, driver.state(), driver.now(), Supervisor());
  ASSERT_OK_AND_ASSIGN(const std::vector<v1::Event> events, driver.Try(command, Supervisor()));
  ASSERT_EQ(events.size(), 2u);
  const v1::Event& assigned = events[0];
  EXPECT_EQ(assigned.version(), 2);
  EXPECT_EQ(assigned.case_assigned().responsible_unit(), kUnit);
  EXPECT_EQ(assigned.case_assigned().requirements(), "堆场全部苫盖，安装喷淋");
  // Monday 2026-03-02 10:00 + 30 calendar days = Wednesday 2026-04-01, a working day.
  EXPECT_EQ(ToTime(assigned.case_assigned().rectification_due_at()), Local(2026, 4, 2));
  const v1::Deadline& deadline = events[1].deadline_opened().deadline();
  EXPECT_EQ(deadline.deadline_id(), "rect-1");
  EXPECT_EQ(deadline.kind(), v1::DEADLINE_KIND_RECTIFICATION);
  EXPECT_EQ(deadline.state(), v1::DEADLINE_STATE_OPEN);
  EXPECT_EQ(deadline.rule().unit(), v1::DEADLINE_UNIT_CALENDAR_DAYS);
  EXPECT_EQ(deadline.rule().amount(), 30);
  EXPECT_EQ(ToTime(deadline.due_at()), Local(2026, 4, 2));
  EXPECT_EQ(ToTime(deadline.opened_at()), driver.now());
  EXPECT_EQ(events[1].version(), 3);
  // The case reflects it.
  EXPECT_EQ(driver.state().status(), v1::CASE_STATUS_ASSIGNED);
  EXPECT_EQ(driver.state().version(), 3);
  EXPECT_EQ(ToTime(driver.state().assigned_at()), driver.now());
}

TEST(DecideTest, ASupervisorsDueInstantIsAFixedRule) {
  CaseDriver driver;
  driver.DriveTo(Stage::kFound);
  v1::Command command = MakeCommand(Kind::kAssignCase, driver.state(), driver.now(), Supervisor());
  *command.mutable_assign_case()->mutable_rectification_due_at() = ToProto(Local(2026, 3, 20));
  ASSERT_OK(driver.Try(command, Supervisor()));
  const v1::Deadline& deadline = DeadlineById(driver.state(), "rect-1");
  EXPECT_EQ(deadline.rule().unit(), v1::DEADLINE_UNIT_FIXED);
  EXPECT_THAT(deadline.rule().basis(), HasSubstr("sup-wang"));
  EXPECT_EQ(ToTime(driver.state().rectification_due_at()), Local(2026, 3, 20));
}

TEST(DecideTest, DeadlineIsMissedOnceThenMetLate) {
  CaseDriver driver;
  driver.DriveTo(Stage::kRectifying);
  // Not due yet.
  EXPECT_THAT(driver.Try(Overdue("rect-1"), System()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("not due until 2026-04-02 00:00")));
  driver.Advance(absl::Hours(24 * 40));
  // Only the scheduler marks deadlines.
  EXPECT_THAT(driver.Try(Overdue("rect-1"), Supervisor()),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("scheduler")));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Event> events, driver.Try(Overdue("rect-1"), System()));
  EXPECT_THAT(PayloadNames(events), ElementsAre("deadline_missed"));
  EXPECT_EQ(events[0].actor().role(), v1::ROLE_SYSTEM);
  EXPECT_TRUE(driver.state().overdue());
  EXPECT_EQ(DeadlineById(driver.state(), "rect-1").state(), v1::DEADLINE_STATE_MISSED);
  // Never twice.
  EXPECT_THAT(driver.Try(Overdue("rect-1"), System()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("is MISSED, not OPEN")));
  EXPECT_THAT(driver.Try(Overdue("rect-9"), System()), StatusIs(absl::StatusCode::kNotFound));
  driver.Do(Kind::kSubmitCompletion);
  EXPECT_EQ(DeadlineById(driver.state(), "rect-1").state(), v1::DEADLINE_STATE_MET_LATE);
  EXPECT_FALSE(driver.state().overdue());
}

TEST(DecideTest, ExtensionMovesARunningDeadline) {
  CaseDriver driver;
  driver.DriveTo(Stage::kExtensionPending);
  const absl::Time asked = ToTime(driver.state().extension_requests(0).requested_due_at());
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Event> events,
                       driver.Try(MakeCommand(Kind::kDecideExtension, driver.state(), driver.now(),
                                              Supervisor()),
                                  Supervisor()));
  EXPECT_THAT(PayloadNames(events), ElementsAre("extension_decided", "deadline_extended"));
  EXPECT_EQ(ToTime(DeadlineById(driver.state(), "rect-1").due_at()), asked);
  EXPECT_EQ(ToTime(driver.state().rectification_due_at()), asked);
  EXPECT_EQ(driver.state().extension_requests(0).state(), v1::EXTENSION_STATE_GRANTED);
}

TEST(DecideTest, ExtensionReplacesAMissedDeadline) {
  CaseDriver driver;
  driver.DriveTo(Stage::kRectifying);
  driver.Advance(absl::Hours(24 * 40));
  ASSERT_OK(driver.Try(Overdue("rect-1"), System()));
  driver.Do(Kind::kRequestExtension);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Event> events,
                       driver.Try(MakeCommand(Kind::kDecideExtension, driver.state(), driver.now(),
                                              Supervisor()),
                                  Supervisor()));
  EXPECT_THAT(PayloadNames(events),
              ElementsAre("extension_decided", "deadline_closed", "deadline_opened"));
  EXPECT_EQ(DeadlineById(driver.state(), "rect-1").state(), v1::DEADLINE_STATE_CANCELLED);
  EXPECT_EQ(DeadlineById(driver.state(), "rect-2").state(), v1::DEADLINE_STATE_OPEN);
  EXPECT_FALSE(driver.state().overdue());
}

TEST(DecideTest, RefusedExtensionNeedsAReason) {
  CaseDriver driver;
  driver.DriveTo(Stage::kExtensionPending);
  v1::Command command = MakeCommand(Kind::kDecideExtension, driver.state(), driver.now(), Supervisor());
  command.mutable_decide_extension()->set_granted(false);
  EXPECT_THAT(driver.Try(command, Supervisor()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("reason: is required")));
  command.mutable_decide_extension()->set_reason("理由不充分");
  ASSERT_OK(driver.Try(command, Supervisor()));
  EXPECT_EQ(driver.state().extension_requests(0).state(), v1::EXTENSION_STATE_REFUSED);
  EXPECT_EQ(DeadlineById(driver.state(), "rect-1").state(), v1::DEADLINE_STATE_OPEN);
}

TEST(DecideTest, ReassignmentReplacesDeadlines) {
  CaseDriver driver(NoticePolicy());
  driver.DriveTo(Stage::kAssigned);
  EXPECT_EQ(DeadlineById(driver.state(), "start-1").state(), v1::DEADLINE_STATE_OPEN);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Event> events,
                       driver.Try(MakeCommand(Kind::kReassignCase, driver.state(), driver.now(),
                                              Supervisor()),
                                  Supervisor()));
  EXPECT_THAT(PayloadNames(events), ElementsAre("case_reassigned", "deadline_closed", "deadline_opened",
                                                "deadline_closed", "deadline_opened"));
  EXPECT_EQ(DeadlineById(driver.state(), "rect-1").state(), v1::DEADLINE_STATE_CANCELLED);
  EXPECT_EQ(DeadlineById(driver.state(), "start-1").state(), v1::DEADLINE_STATE_CANCELLED);
  EXPECT_EQ(DeadlineById(driver.state(), "rect-2").state(), v1::DEADLINE_STATE_OPEN);
  EXPECT_EQ(DeadlineById(driver.state(), "start-2").state(), v1::DEADLINE_STATE_OPEN);
  EXPECT_EQ(driver.state().responsible_unit(), "minle-liuba-town");
  // The old unit's rectifier may no longer start it.
  EXPECT_THAT(driver.Try(MakeCommand(Kind::kStartRectification, driver.state(), driver.now(),
                                     Rectifier()),
                         Rectifier()),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("its own unit's cases")));
}

TEST(DecideTest, StartDeadlineIsMetOnStart) {
  CaseDriver driver(NoticePolicy());
  driver.DriveTo(Stage::kRectifying);
  EXPECT_EQ(DeadlineById(driver.state(), "start-1").state(), v1::DEADLINE_STATE_MET);
  EXPECT_EQ(ToTime(driver.state().started_at()), ToTime(driver.state().last_progress_at()));
}

TEST(DecideTest, PublicNoticeHoldsTheCloseAndAnObjectionSendsItBack) {
  CaseDriver driver(NoticePolicy());
  driver.DriveTo(Stage::kVerified);
  // Verified on Monday 2026-03-02 (hour 13): 5 working days end on Monday 9th.
  const absl::Time ends = ToTime(driver.state().public_notice().ends_at());
  EXPECT_EQ(ends, Local(2026, 3, 10));
  EXPECT_EQ(DeadlineById(driver.state(), "notice-1").kind(), v1::DEADLINE_KIND_PUBLIC_NOTICE);
  EXPECT_THAT(driver.Try(MakeCommand(Kind::kCloseCase, driver.state(), driver.now(), Supervisor()),
                         Supervisor()),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("its public notice runs until 2026-03-10 00:00")));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Event> events,
                       driver.Try(MakeCommand(Kind::kRaiseObjection, driver.state(), driver.now(),
                                              Supervisor()),
                                  Supervisor()));
  EXPECT_THAT(PayloadNames(events), ElementsAre("objection_raised", "deadline_closed", "deadline_opened"));
  EXPECT_EQ(driver.state().status(), v1::CASE_STATUS_RECTIFYING);
  EXPECT_EQ(driver.state().public_notice().objections_size(), 1);
  EXPECT_EQ(DeadlineById(driver.state(), "notice-1").state(), v1::DEADLINE_STATE_CANCELLED);
  EXPECT_EQ(DeadlineById(driver.state(), "rect-2").state(), v1::DEADLINE_STATE_OPEN);
  // Rectification starts again: the no-progress clock counts from the
  // objection, not from the last report before the verification.
  EXPECT_EQ(ToTime(driver.state().last_progress_at()), driver.now());
}

TEST(DecideTest, NoticeEndsByTheSchedulerThenTheCaseCloses) {
  CaseDriver driver(NoticePolicy());
  driver.DriveTo(Stage::kVerified);
  driver.Advance(absl::Hours(24 * 8));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Event> events, driver.Try(Overdue("notice-1"), System()));
  EXPECT_THAT(PayloadNames(events), ElementsAre("deadline_closed"));
  EXPECT_EQ(DeadlineById(driver.state(), "notice-1").state(), v1::DEADLINE_STATE_MET);
  EXPECT_FALSE(driver.state().overdue());
  EXPECT_THAT(driver.Try(MakeCommand(Kind::kRaiseObjection, driver.state(), driver.now(), Supervisor()),
                         Supervisor()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("public notice ended")));
  driver.Do(Kind::kCloseCase);
  EXPECT_EQ(driver.state().status(), v1::CASE_STATUS_CLOSED);
  EXPECT_EQ(ToTime(driver.state().first_closed_at()), driver.now());
}

TEST(DecideTest, NoCloseWhileAReferralIsOpen) {
  CaseDriver driver;
  driver.DriveTo(Stage::kCompletionPending);
  driver.Do(Kind::kProposeReferral);
  driver.Do(Kind::kVerifyRectification);
  EXPECT_THAT(driver.Try(MakeCommand(Kind::kCloseCase, driver.state(), driver.now(), Supervisor()),
                         Supervisor()),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("its referral ref-1 is still open (PROPOSED)")));
  driver.Do(Kind::kWithdrawReferral);
  driver.Do(Kind::kCloseCase);
  EXPECT_EQ(driver.state().status(), v1::CASE_STATUS_CLOSED);
}

TEST(DecideTest, NoUnfoundedCloseWhileAReferralIsOpen) {
  CaseDriver driver;
  driver.DriveTo(Stage::kReferralProposed);
  EXPECT_THAT(driver.Try(MakeCommand(Kind::kCloseAsUnfounded, driver.state(), driver.now(), Supervisor()),
                         Supervisor()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("referral ref-1 is still open")));
}

TEST(DecideTest, ReopenAfterUnfoundedNeedsAUnit) {
  CaseDriver driver;
  driver.DriveTo(Stage::kFound);
  driver.Do(Kind::kCloseAsUnfounded);
  EXPECT_TRUE(driver.state().closure().unfounded());
  v1::Command command = MakeCommand(Kind::kReopenCase, driver.state(), driver.now(), Supervisor());
  command.mutable_reopen_case()->clear_responsible_unit();
  EXPECT_THAT(driver.Try(command, Supervisor()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("responsible_unit: is required")));
  driver.Do(Kind::kReopenCase);
  EXPECT_EQ(driver.state().status(), v1::CASE_STATUS_RECTIFYING);
  EXPECT_EQ(driver.state().reopen_count(), 1);
  EXPECT_FALSE(driver.state().has_closure());
  EXPECT_TRUE(driver.state().has_first_closed_at());
}

TEST(DecideTest, FailedVerificationGoesBackWithANewDeadline) {
  CaseDriver driver;
  driver.DriveTo(Stage::kCompletionPending);
  v1::Command command =
      MakeCommand(Kind::kVerifyRectification, driver.state(), driver.now(), Inspector());
  command.mutable_verify_rectification()->set_passed(false);
  command.mutable_verify_rectification()->clear_notes();
  EXPECT_THAT(driver.Try(command, Inspector()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("notes: is required")));
  command.mutable_verify_rectification()->set_notes("喷淋未安装");
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Event> events, driver.Try(command, Inspector()));
  EXPECT_THAT(PayloadNames(events), ElementsAre("rectification_verified", "deadline_opened"));
  EXPECT_EQ(driver.state().status(), v1::CASE_STATUS_RECTIFYING);
  EXPECT_FALSE(driver.state().completion_pending());
  EXPECT_EQ(DeadlineById(driver.state(), "rect-2").state(), v1::DEADLINE_STATE_OPEN);
  EXPECT_EQ(DeadlineById(driver.state(), "rect-1").state(), v1::DEADLINE_STATE_MET);
}

// The verifier's independence is tested in rules_test.cc with principals a
// principals file can hold.

TEST(SeparationOfDutiesTest, AProposerDoesNotApprove) {
  CaseDriver driver;
  driver.DriveTo(Stage::kReferralProposed);
  v1::Principal head = BureauHead();
  head.set_principal_id("insp-li");  // signed the report
  for (Kind kind : {Kind::kApproveReferral, Kind::kRefuseReferral}) {
    EXPECT_THAT(driver.Try(MakeCommand(kind, driver.state(), driver.now(), head), head),
                StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("signed the proposal")));
  }
}

TEST(ScopingTest, Jurisdiction) {
  CaseDriver driver;
  driver.DriveTo(Stage::kFound);
  v1::Principal neighbour = Supervisor();
  neighbour.set_jurisdiction("620723");
  EXPECT_THAT(driver.Try(MakeCommand(Kind::kAssignCase, driver.state(), driver.now(), neighbour),
                         neighbour),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("outside the jurisdiction \"620723\" of sup-wang")));
  EXPECT_THAT(driver.Try(MakeCommand(Kind::kAssignCase, driver.state(), driver.now(), neighbour),
                         neighbour),
              RefusedInChinese(::testing::Eq(
                  "案件 620722-2026-000123 属于区域 620722100，不在您的辖区（620723）内，不能交办")));
  v1::Principal nowhere = Supervisor();
  nowhere.set_jurisdiction("");
  EXPECT_THAT(driver.Try(MakeCommand(Kind::kAssignCase, driver.state(), driver.now(), nowhere),
                         nowhere),
              StatusIs(absl::StatusCode::kPermissionDenied));
  v1::Principal province = Supervisor();
  province.set_jurisdiction("62");
  EXPECT_OK(driver.Try(MakeCommand(Kind::kAssignCase, driver.state(), driver.now(), province), province));
  // Reporting outside one's jurisdiction.
  CaseDriver fresh;
  v1::Principal inspector = Inspector();
  inspector.set_jurisdiction("620723");
  EXPECT_THAT(fresh.Try(MakeCommand(Kind::kReportCase, fresh.state(), fresh.now(), inspector), inspector),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("region 620722100")));
  EXPECT_THAT(fresh.Try(MakeCommand(Kind::kReportCase, fresh.state(), fresh.now(), inspector), inspector),
              RefusedInChinese(::testing::Eq(
                  "区域 620722100 不在您的辖区（620723）内，不能在此上报案件")));
}

TEST(ScopingTest, RectifierActsOnlyOnItsUnit) {
  CaseDriver driver;
  driver.DriveTo(Stage::kRectifying);
  v1::Principal other = Rectifier();
  other.set_unit_id("minle-liuba-town");
  for (Kind kind : {Kind::kReportProgress, Kind::kRequestExtension, Kind::kSubmitCompletion,
                    Kind::kRecordEvidence}) {
    EXPECT_THAT(driver.Try(MakeCommand(kind, driver.state(), driver.now(), other), other),
                StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("is with minle-hongshui-town")))
        << KindName(kind);
    EXPECT_THAT(driver.Try(MakeCommand(kind, driver.state(), driver.now(), other), other),
                RefusedInChinese(::testing::EndsWith(
                    "；案件 620722-2026-000123 由“minle-hongshui-town”负责，您属于“minle-liuba-town”")))
        << KindName(kind);
  }
}

TEST(ScopingTest, PoliceActOnlyOnReferralsSentToThem) {
  CaseDriver driver;
  driver.DriveTo(Stage::kReferralSent);
  v1::Principal other = Police();
  other.set_unit_id("ganzhou-psb");
  EXPECT_THAT(driver.Try(MakeCommand(Kind::kReceiveReferral, driver.state(), driver.now(), other), other),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("was sent to minle-psb")));
}

TEST(ReferralTest, EachStageOpensAndClosesItsDeadline) {
  CaseDriver driver;
  driver.DriveTo(Stage::kReferralProposed);
  const v1::Deadline& approval = DeadlineById(driver.state(), "ref-1-approval");
  EXPECT_EQ(approval.rule().unit(), v1::DEADLINE_UNIT_CALENDAR_DAYS);
  EXPECT_EQ(approval.referral_id(), "ref-1");
  driver.Do(Kind::kApproveReferral);
  EXPECT_EQ(DeadlineById(driver.state(), "ref-1-approval").state(), v1::DEADLINE_STATE_MET);
  const v1::Deadline& send = DeadlineById(driver.state(), "ref-1-send");
  EXPECT_EQ(ToTime(send.due_at()) - ToTime(send.opened_at()), absl::Hours(24));
  driver.Advance(absl::Hours(30));
  ASSERT_OK(driver.Try(Overdue("ref-1-send"), System()));
  EXPECT_TRUE(driver.state().overdue());
  driver.Do(Kind::kSendReferral);
  EXPECT_EQ(DeadlineById(driver.state(), "ref-1-send").state(), v1::DEADLINE_STATE_MET_LATE);
  EXPECT_EQ(driver.state().referrals(0).procuratorate_unit(), "minle-procuratorate");
  driver.Do(Kind::kReceiveReferral);
  EXPECT_EQ(driver.state().referrals(0).filing_review_days(), 3);
  const absl::Time three = ToTime(DeadlineById(driver.state(), "ref-1-filing").due_at());
  driver.Do(Kind::kExtendReferralReview);
  EXPECT_EQ(driver.state().referrals(0).filing_review_days(), 7);
  EXPECT_GT(ToTime(DeadlineById(driver.state(), "ref-1-filing").due_at()), three);
  // The review cannot shrink back.
  v1::Command shorter = MakeCommand(Kind::kExtendReferralReview, driver.state(), driver.now(), Police());
  shorter.mutable_extend_referral_review()->set_review_days(7);
  EXPECT_THAT(driver.Try(shorter, Police()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("must be longer")));
  driver.Do(Kind::kDecideReferral);
  EXPECT_EQ(driver.state().referrals(0).state(), v1::REFERRAL_STATE_DECLINED);
  EXPECT_EQ(DeadlineById(driver.state(), "ref-1-reconsideration-request").state(),
            v1::DEADLINE_STATE_OPEN);
}

TEST(ReferralTest, AnUnusedWindowMakesTheDeclineFinalWithoutOverdue) {
  CaseDriver driver;
  driver.DriveTo(Stage::kReferralDeclined);
  driver.Advance(absl::Hours(24 * 10));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::Event> events,
                       driver.Try(Overdue("ref-1-reconsideration-request"), System()));
  EXPECT_THAT(PayloadNames(events), ElementsAre("deadline_missed", "referral_decline_final"));
  EXPECT_EQ(driver.state().referrals(0).state(), v1::REFERRAL_STATE_DECLINE_FINAL);
  EXPECT_TRUE(driver.state().referrals(0).has_ended_at());
  EXPECT_FALSE(driver.state().overdue());
  // The referral has ended, so the case may close as unfounded.
  driver.Do(Kind::kCloseAsUnfounded);
}

TEST(ReferralTest, SupervisionThenFiling) {
  CaseDriver driver;
  driver.DriveTo(Stage::kSupervisionRequested);
  driver.Do(Kind::kExplainNonFiling);
  EXPECT_EQ(DeadlineById(driver.state(), "ref-1-explanation").state(), v1::DEADLINE_STATE_MET);
  EXPECT_THAT(driver.Try(MakeCommand(Kind::kExplainNonFiling, driver.state(), driver.now(), Police()),
                         Police()),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("already explained")));
  v1::Command filed = MakeCommand(Kind::kDecideReferral, driver.state(), driver.now(), Police());
  filed.mutable_decide_referral()->set_decision(v1::FILING_DECISION_FILED);
  EXPECT_THAT(driver.Try(filed, Police()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("police_case_number: is required")));
  filed.mutable_decide_referral()->set_police_case_number("民公环立字〔2026〕12号");
  ASSERT_OK(driver.Try(filed, Police()));
  EXPECT_EQ(driver.state().referrals(0).state(), v1::REFERRAL_STATE_FILED);
}

TEST(ReferralTest, SeveralReferralsPerCaseEachWithItsOwnState) {
  CaseDriver driver;
  driver.DriveTo(Stage::kReferralProposed);
  driver.Do(Kind::kRefuseReferral);
  driver.Do(Kind::kProposeReferral);
  ASSERT_EQ(driver.state().referrals_size(), 2);
  EXPECT_EQ(driver.state().referrals(0).state(), v1::REFERRAL_STATE_REFUSED);
  EXPECT_EQ(driver.state().referrals(1).referral_id(), "ref-2");
  EXPECT_EQ(driver.state().referrals(1).state(), v1::REFERRAL_STATE_PROPOSED);
  EXPECT_EQ(DeadlineById(driver.state(), "ref-2-approval").state(), v1::DEADLINE_STATE_OPEN);
}

TEST(ReferralTest, ProposalNeedsTwoOfficersWithTheProposerAndKnownEvidence) {
  CaseDriver driver;
  driver.DriveTo(Stage::kFound);
  v1::Command command = MakeCommand(Kind::kProposeReferral, driver.state(), driver.now(), Inspector());
  command.mutable_propose_referral()->mutable_proposing_officers()->RemoveLast();
  EXPECT_THAT(driver.Try(command, Inspector()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("two or more officers")));
  command.mutable_propose_referral()->add_proposing_officers("insp-zhang");
  EXPECT_THAT(driver.Try(command, Inspector()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("proposing_officers[1]")));
  command = MakeCommand(Kind::kProposeReferral, driver.state(), driver.now(), Inspector());
  v1::Principal other = Inspector();
  other.set_principal_id("insp-wu");
  EXPECT_THAT(driver.Try(command, other),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("must include the proposer insp-wu")));
  v1::ReferralDocument& document = *command.mutable_propose_referral()->add_documents();
  document.set_kind(v1::REFERRAL_DOCUMENT_KIND_TRANSFER_LETTER);
  document.set_evidence_id("ev-1");
  EXPECT_THAT(driver.Try(command, Inspector()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("documents[0].evidence_id")));
  driver.Do(Kind::kRecordEvidence);
  EXPECT_OK(driver.Try(command, Inspector()));
}

struct BadCommand {
  const char* name;
  Stage stage;
  Kind kind;
  void (*spoil)(v1::Command&);
  const char* field;
  const char* zh = nullptr;  // part of the user message, where written out
};

class ValidationThroughDecideTest : public ::testing::TestWithParam<BadCommand> {};

TEST_P(ValidationThroughDecideTest, NamesTheField) {
  CaseDriver driver;
  driver.DriveTo(GetParam().stage);
  const v1::Principal principal = AllowedPrincipal(GetParam().kind);
  v1::Command command = MakeCommand(GetParam().kind, driver.state(), driver.now(), principal);
  GetParam().spoil(command);
  EXPECT_THAT(driver.Try(command, principal),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(GetParam().field)));
  // The user reads the mistake in Chinese, the field by its label.
  EXPECT_THAT(driver.Try(command, principal),
              RefusedInChinese(HasSubstr(GetParam().zh == nullptr ? "：" : GetParam().zh)));
}

INSTANTIATE_TEST_SUITE_P(
    EveryKindOfMistake, ValidationThroughDecideTest,
    ::testing::Values(
        BadCommand{"NoCommandId", Stage::kFound, Kind::kAssignCase,
                   [](v1::Command& c) { c.clear_command_id(); }, "command_id: is required", "命令编号：必填"},
        BadCommand{"OtherCase", Stage::kFound, Kind::kAssignCase,
                   [](v1::Command& c) { c.mutable_assign_case()->set_case_id("620722-2026-000999"); },
                   "case_id: \"620722-2026-000999\" does not match"},
        BadCommand{"NoUnit", Stage::kFound, Kind::kAssignCase,
                   [](v1::Command& c) { c.mutable_assign_case()->clear_responsible_unit(); },
                   "responsible_unit: is required", "责任单位：必填"},
        BadCommand{"DueInThePast", Stage::kFound, Kind::kAssignCase,
                   [](v1::Command& c) {
                     *c.mutable_assign_case()->mutable_rectification_due_at() = ToProto(StartTime());
                   },
                   "rectification_due_at: must be after now", "整改期限：须晚于现在"},
        BadCommand{"BadTimestamp", Stage::kFound, Kind::kAssignCase,
                   [](v1::Command& c) {
                     c.mutable_assign_case()->mutable_rectification_due_at()->set_nanos(-1);
                   },
                   "rectification_due_at: is not a valid timestamp"},
        BadCommand{"OccurredInTheFuture", Stage::kFound, Kind::kAssignCase,
                   [](v1::Command& c) {
                     *c.mutable_occurred_at() = ToProto(StartTime() + absl::Hours(24 * 10));
                   },
                   "occurred_at: is in the future"},
        BadCommand{"ReassignWithoutReason", Stage::kAssigned, Kind::kReassignCase,
                   [](v1::Command& c) { c.mutable_reassign_case()->clear_reason(); }, "reason: is required"},
        BadCommand{"Percent", Stage::kRectifying, Kind::kReportProgress,
                   [](v1::Command& c) { c.mutable_report_progress()->set_percent_complete(101); },
                   "percent_complete"},
        BadCommand{"UnknownEvidence", Stage::kRectifying, Kind::kReportProgress,
                   [](v1::Command& c) { c.mutable_report_progress()->add_evidence_ids("ev-9"); },
                   "evidence_ids[0]: case 620722-2026-000123 has no evidence \"ev-9\"",
                   "证据第1项：案件 620722-2026-000123 没有证据“ev-9”，请先上传该证据"},
        BadCommand{"ProgressNotUtf8", Stage::kRectifying, Kind::kReportProgress,
                   [](v1::Command& c) { c.mutable_report_progress()->set_text("\xff"); },
                   "text: is not valid UTF-8"},
        BadCommand{"ExtensionWithoutDue", Stage::kRectifying, Kind::kRequestExtension,
                   [](v1::Command& c) { c.mutable_request_extension()->clear_requested_due_at(); },
                   "requested_due_at: is required"},
        BadCommand{"ExtensionNotLater", Stage::kRectifying, Kind::kRequestExtension,
                   [](v1::Command& c) {
                     *c.mutable_request_extension()->mutable_requested_due_at() =
                         ToProto(StartTime() + absl::Hours(24 * 5));
                   },
                   "requested_due_at: must be after the current rectification deadline"},
        BadCommand{"NoSummary", Stage::kRectifying, Kind::kSubmitCompletion,
                   [](v1::Command& c) { c.mutable_submit_completion()->set_summary(" "); },
                   "summary: is required", "整改完成情况：必填"},
        BadCommand{"UnfoundedWithoutReason", Stage::kFound, Kind::kCloseAsUnfounded,
                   [](v1::Command& c) { c.mutable_close_as_unfounded()->clear_reason(); },
                   "reason: is required"},
        BadCommand{"ReopenWithoutReason", Stage::kClosed, Kind::kReopenCase,
                   [](v1::Command& c) { c.mutable_reopen_case()->clear_reason(); }, "reason: is required"},
        BadCommand{"RefuseWithoutReason", Stage::kReferralProposed, Kind::kRefuseReferral,
                   [](v1::Command& c) { c.mutable_refuse_referral()->clear_reason(); },
                   "reason: is required"},
        BadCommand{"NoPoliceUnit", Stage::kReferralApproved, Kind::kSendReferral,
                   [](v1::Command& c) { c.mutable_send_referral()->clear_police_unit(); },
                   "police_unit: is required", "公安机关：必填"},
        BadCommand{"NoProcuratorate", Stage::kReferralApproved, Kind::kSendReferral,
                   [](v1::Command& c) { c.mutable_send_referral()->clear_procuratorate_unit(); },
                   "procuratorate_unit: is required"},
        BadCommand{"ReviewDays", Stage::kReferralReceived, Kind::kExtendReferralReview,
                   [](v1::Command& c) { c.mutable_extend_referral_review()->set_review_days(10); },
                   "review_days: must be 7"},
        BadCommand{"UnknownDecision", Stage::kReferralReceived, Kind::kDecideReferral,
                   [](v1::Command& c) {
                     c.mutable_decide_referral()->set_decision(static_cast<v1::FilingDecision>(9));
                   },
                   "decision: must be FILED, DECLINED or RETURNED"},
        BadCommand{"DeclineWithoutReason", Stage::kReferralReceived, Kind::kDecideReferral,
                   [](v1::Command& c) { c.mutable_decide_referral()->clear_reason(); }, "reason: is required"},
        BadCommand{"ReconsiderationReturned", Stage::kReconsiderationRequested,
                   Kind::kDecideReconsideration,
                   [](v1::Command& c) {
                     c.mutable_decide_reconsideration()->set_decision(v1::FILING_DECISION_RETURNED);
                   },
                   "decision: must be FILED or DECLINED"},
        BadCommand{"NoGrounds", Stage::kReferralDeclined, Kind::kRequestReconsideration,
                   [](v1::Command& c) { c.mutable_request_reconsideration()->clear_grounds(); },
                   "grounds: is required"},
        BadCommand{"Sha256", Stage::kFound, Kind::kRecordEvidence,
                   [](v1::Command& c) { c.mutable_record_evidence()->set_sha256("ABC"); }, "sha256"},
        BadCommand{"MediaType", Stage::kFound, Kind::kRecordEvidence,
                   [](v1::Command& c) { c.mutable_record_evidence()->set_media_type("jpeg"); },
                   "media_type"},
        BadCommand{"EvidenceKind", Stage::kFound, Kind::kRecordEvidence,
                   [](v1::Command& c) { c.mutable_record_evidence()->clear_kind(); }, "kind: must be"},
        BadCommand{"NoDeadlineId", Stage::kFound, Kind::kMarkOverdue,
                   [](v1::Command& c) { c.mutable_mark_overdue()->clear_deadline_id(); },
                   "deadline_id: is required"},
        BadCommand{"NoRequest", Stage::kFound, Kind::kAssignCase,
                   [](v1::Command& c) { c.clear_request(); }, "request: is required"}),
    [](const ::testing::TestParamInfo<BadCommand>& info) { return std::string(info.param.name); });

TEST(DecideTest, UnknownCaseExpectedVersionAndLists) {
  CaseDriver driver;
  EXPECT_THAT(driver.Try(MakeCommand(Kind::kAssignCase, driver.state(), driver.now(), Supervisor()),
                         Supervisor()),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("does not exist")));
  driver.DriveTo(Stage::kFound);
  v1::Command command = MakeCommand(Kind::kAssignCase, driver.state(), driver.now(), Supervisor());
  command.set_expected_version(7);
  EXPECT_THAT(driver.Try(command, Supervisor()),
              StatusIs(absl::StatusCode::kAborted, HasSubstr("is at version 1")));
  EXPECT_THAT(driver.Try(MakeCommand(Kind::kReportCase, driver.state(), driver.now(), Inspector()),
                         Inspector()),
              StatusIs(absl::StatusCode::kAlreadyExists));
  v1::Command list;
  list.set_stream_id("L-1");
  list.set_command_id("c");
  list.mutable_create_rectification_list();
  EXPECT_THAT(driver.Try(list, Supervisor()), StatusIs(absl::StatusCode::kUnimplemented));
}

TEST(EvolveTest, RefusesEventsThatDoNotFit) {
  CaseDriver driver;
  driver.DriveTo(Stage::kFound);
  v1::Case state = driver.state();
  v1::Event event = driver.history().back();
  EXPECT_THAT(workflow::Evolve(state, event), StatusIs(absl::StatusCode::kInvalidArgument));  // version
  event.set_version(2);
  event.clear_payload();
  event.mutable_deadline_missed()->set_deadline_id("nope");
  EXPECT_THAT(workflow::Evolve(state, event), StatusIs(absl::StatusCode::kInvalidArgument));
  event.mutable_list_created();
  EXPECT_THAT(workflow::Evolve(state, event),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a case event")));
}

}  // namespace
}  // namespace rectify::testing

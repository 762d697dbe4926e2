// The tables: every case state × every case command, every referral state ×
// every referral command (allowed → the exact events, refused → the code and
// the message), and every role × every command.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/status_matchers.h"
#include "tests/user_message_matchers.h"
#include "tests/workflow/case_builder.h"
#include "workflow/decider.h"

namespace rectify::testing {
namespace {

using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

// What a command does in a state: the event payloads in order, or a refusal.
struct Outcome {
  std::vector<std::string> events;  // empty when refused
  absl::StatusCode code = absl::StatusCode::kOk;
  std::string message;  // a substring of the refusal
};

Outcome Ok(std::vector<std::string> events) { return Outcome{std::move(events), absl::StatusCode::kOk, ""}; }
Outcome No(absl::StatusCode code, std::string message) { return Outcome{{}, code, std::move(message)}; }
Outcome State(std::string message) {
  return No(absl::StatusCode::kFailedPrecondition, std::move(message));
}

const Kind kCaseKinds[] = {
    Kind::kAssignCase,       Kind::kReassignCase,        Kind::kStartRectification,
    Kind::kReportProgress,   Kind::kRequestExtension,    Kind::kDecideExtension,
    Kind::kSubmitCompletion, Kind::kVerifyRectification, Kind::kRaiseObjection,
    Kind::kCloseCase,        Kind::kCloseAsUnfounded,    Kind::kReopenCase,
    Kind::kProposeReferral,  Kind::kRecordEvidence};

const Stage kCaseStages[] = {Stage::kFound,      Stage::kAssigned,          Stage::kRectifying,
                             Stage::kCompletionPending, Stage::kExtensionPending,
                             Stage::kVerified,   Stage::kClosed};

// The state machine of DOMAIN.md, under the default policy (no public
// notice, no start deadline).
Outcome ExpectedCase(Stage stage, Kind kind) {
  const bool rectifying = stage == Stage::kRectifying || stage == Stage::kCompletionPending ||
                          stage == Stage::kExtensionPending;
  switch (kind) {
    case Kind::kAssignCase:
      if (stage == Stage::kFound) return Ok({"case_assigned", "deadline_opened"});
      return State("only a case in FOUND can be assigned");
    case Kind::kReassignCase:
      if (stage == Stage::kAssigned) return Ok({"case_reassigned", "deadline_closed", "deadline_opened"});
      return State("only a case in ASSIGNED can be reassigned");
    case Kind::kStartRectification:
      if (stage == Stage::kAssigned) return Ok({"rectification_started"});
      return State("only a case in ASSIGNED can be started");
    case Kind::kReportProgress:
      if (rectifying) return Ok({"progress_reported"});
      return State("only a case in RECTIFYING can be reported on");
    case Kind::kRequestExtension:
      if (stage == Stage::kRectifying) return Ok({"extension_requested"});
      if (stage == Stage::kCompletionPending) return State("awaits verification");
      if (stage == Stage::kExtensionPending) return State("ext-1 is still waiting for a decision");
      return State("only a case in RECTIFYING can be given more time");
    case Kind::kDecideExtension:
      if (stage == Stage::kExtensionPending) return Ok({"extension_decided", "deadline_extended"});
      if (rectifying) return No(absl::StatusCode::kNotFound, "has no extension request ext-1");
      return State("only a case in RECTIFYING can be given more time");
    case Kind::kSubmitCompletion:
      if (stage == Stage::kRectifying || stage == Stage::kExtensionPending) {
        return Ok({"completion_submitted", "deadline_closed"});
      }
      if (stage == Stage::kCompletionPending) return State("already submitted");
      return State("only a case in RECTIFYING can be submitted as complete");
    case Kind::kVerifyRectification:
      if (stage == Stage::kCompletionPending) return Ok({"rectification_verified"});
      if (rectifying) return State("no completion awaits verification");
      return State("only a case in RECTIFYING can be verified");
    case Kind::kRaiseObjection:
      if (stage == Stage::kVerified) return State("it has no public notice");
      return State("only a case in VERIFIED can be objected to");
    case Kind::kCloseCase:
      if (stage == Stage::kVerified) return Ok({"case_closed"});
      return State("only a case in VERIFIED can be closed");
    case Kind::kCloseAsUnfounded:
      if (stage == Stage::kFound) return Ok({"case_closed_unfounded"});
      return State("only a case in FOUND can be closed as unfounded");
    case Kind::kReopenCase:
      if (stage == Stage::kClosed) return Ok({"case_reopened", "deadline_opened"});
      return State("only a case in CLOSED can be reopened");
    case Kind::kProposeReferral:
      if (stage == Stage::kClosed) return State("a closed case cannot be referred");
      return Ok({"referral_proposed", "deadline_opened"});
    case Kind::kRecordEvidence:
      return Ok({"evidence_recorded"});
    default:
      return State("?");
  }
}

const char* StatusWord(Stage stage) {
  switch (stage) {
    case Stage::kFound:
      return "FOUND";
    case Stage::kAssigned:
      return "ASSIGNED";
    case Stage::kVerified:
      return "VERIFIED";
    case Stage::kClosed:
      return "CLOSED";
    default:
      return "RECTIFYING";
  }
}

void CheckOutcome(CaseDriver& driver, Kind kind, const v1::Principal& principal,
                  const Outcome& expected, const std::string& label) {
  SCOPED_TRACE(label);
  const int64_t version = driver.state().version();
  const v1::Command command = MakeCommand(kind, driver.state(), driver.now(), principal);
  absl::StatusOr<std::vector<v1::Event>> result = driver.Try(command, principal);
  if (expected.code == absl::StatusCode::kOk) {
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_THAT(PayloadNames(*result), ElementsAreArray(expected.events));
    for (size_t i = 0; i < result->size(); ++i) {
      const v1::Event& event = (*result)[i];
      EXPECT_EQ(event.version(), version + 1 + static_cast<int64_t>(i));
      EXPECT_EQ(event.stream_id(), kCaseId);
      EXPECT_EQ(event.stream_kind(), v1::STREAM_KIND_CASE);
      EXPECT_EQ(event.region_code(), "620722100");
      EXPECT_EQ(event.command_id(), command.command_id());
      EXPECT_EQ(event.actor().principal_id(), principal.principal_id());
      EXPECT_EQ(event.recorded_at().SerializeAsString(), event.occurred_at().SerializeAsString());
    }
  } else {
    EXPECT_THAT(result, StatusIs(expected.code, HasSubstr(expected.message)));
    // Every refusal also reads in Chinese for the user.
    EXPECT_THAT(result, RefusedInChinese());
  }
}

// The status words a user reads, written out by hand (DOMAIN.md).
const char* StatusChinese(Stage stage) {
  switch (stage) {
    case Stage::kFound:
      return "待交办";
    case Stage::kAssigned:
      return "已交办";
    case Stage::kVerified:
      return "已验收";
    case Stage::kClosed:
      return "已销号";
    default:
      return "整改中";
  }
}

TEST(CaseStateTableTest, EveryStateTimesEveryCaseCommand) {
  for (Stage stage : kCaseStages) {
    for (Kind kind : kCaseKinds) {
      CaseDriver driver;
      driver.DriveTo(stage);
      const Outcome expected = ExpectedCase(stage, kind);
      const std::string label = absl::StrCat(StageName(stage), " × ", KindName(kind));
      CheckOutcome(driver, kind, AllowedPrincipal(kind), expected, label);
      if (expected.code == absl::StatusCode::kFailedPrecondition) {
        // Every state refusal names the case, its state and what it allows.
        const v1::Command command =
            MakeCommand(kind, driver.state(), driver.now(), AllowedPrincipal(kind));
        const absl::Status status =
            workflow::Decide(driver.state(), command, AllowedPrincipal(kind), driver.now(),
                             driver.policy())
                .status();
        EXPECT_THAT(std::string(status.message()),
                    HasSubstr(absl::StrCat("case ", kCaseId, " is ", StatusWord(stage))))
            << label;
        EXPECT_THAT(std::string(status.message()), HasSubstr("you may:")) << label;
        EXPECT_THAT(status, RefusedInChinese(HasSubstr(absl::StrCat(
                                "案件 ", kCaseId, " 当前为“", StatusChinese(stage), "”"))))
            << label;
        EXPECT_THAT(status, RefusedInChinese(HasSubstr("。当前可以："))) << label;
      }
    }
  }
}

TEST(CaseStateTableTest, RefusalReadsLikeDomainMd) {
  CaseDriver driver;
  driver.DriveTo(Stage::kAssigned);
  EXPECT_THAT(driver.Try(MakeCommand(Kind::kVerifyRectification, driver.state(), driver.now(),
                                     Inspector()),
                         Inspector()),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       "case 620722-2026-000123 is ASSIGNED; only a case in RECTIFYING can be "
                       "verified. From ASSIGNED you may: reassign it, start rectification, propose "
                       "a referral, record evidence"));
  EXPECT_THAT(driver.Try(MakeCommand(Kind::kVerifyRectification, driver.state(), driver.now(),
                                     Inspector()),
                         Inspector()),
              RefusedInChinese(::testing::Eq(
                  "案件 620722-2026-000123 当前为“已交办”，只有“整改中”的案件才能现场验收。"
                  "当前可以：改派、开始整改、提议移送、记录证据")));
}

const Kind kReferralKinds[] = {
    Kind::kApproveReferral,        Kind::kRefuseReferral,        Kind::kSendReferral,
    Kind::kReceiveReferral,        Kind::kExtendReferralReview,  Kind::kDecideReferral,
    Kind::kRequestReconsideration, Kind::kDecideReconsideration, Kind::kRequestSupervision,
    Kind::kExplainNonFiling,       Kind::kWithdrawReferral};

const Stage kReferralStages[] = {Stage::kReferralProposed,         Stage::kReferralApproved,
                                 Stage::kReferralSent,             Stage::kReferralReceived,
                                 Stage::kReferralDeclined,         Stage::kReconsiderationRequested,
                                 Stage::kDeclineUpheld,            Stage::kSupervisionRequested};

Outcome ExpectedReferral(Stage stage, Kind kind) {
  const std::vector<std::string> advance = {"deadline_closed", "deadline_opened"};
  auto with = [&](std::string first, std::vector<std::string> rest) {
    rest.insert(rest.begin(), std::move(first));
    return Ok(rest);
  };
  if (kind == Kind::kWithdrawReferral) return Ok({"referral_withdrawn", "deadline_closed"});
  switch (stage) {
    case Stage::kReferralProposed:
      if (kind == Kind::kApproveReferral) return with("referral_approved", advance);
      if (kind == Kind::kRefuseReferral) return Ok({"referral_refused", "deadline_closed"});
      return State("referral ref-1 of case 620722-2026-000123 is PROPOSED; only a referral in");
    case Stage::kReferralApproved:
      if (kind == Kind::kSendReferral) return with("referral_sent", advance);
      return State("is APPROVED; only a referral in");
    case Stage::kReferralSent:
      if (kind == Kind::kReceiveReferral) return with("referral_received", advance);
      return State("is SENT; only a referral in");
    case Stage::kReferralReceived:
      if (kind == Kind::kExtendReferralReview) return Ok({"referral_review_extended", "deadline_extended"});
      if (kind == Kind::kDecideReferral) return with("referral_decided", advance);
      return State("is RECEIVED; only a referral in");
    case Stage::kReferralDeclined:
      if (kind == Kind::kRequestReconsideration) return with("reconsideration_requested", advance);
      return State("is DECLINED; only a referral in");
    case Stage::kReconsiderationRequested:
      if (kind == Kind::kDecideReconsideration) return with("reconsideration_decided", advance);
      return State("is RECONSIDERATION_REQUESTED; only a referral in");
    case Stage::kDeclineUpheld:
      if (kind == Kind::kRequestSupervision) return with("supervision_requested", advance);
      return State("is DECLINE_UPHELD; only a referral in");
    case Stage::kSupervisionRequested:
      if (kind == Kind::kExplainNonFiling) return Ok({"non_filing_explained", "deadline_closed"});
      if (kind == Kind::kDecideReferral) {
        return Ok({"referral_decided", "referral_decline_final", "deadline_closed"});
      }
      return State("is SUPERVISION_REQUESTED; only a referral in");
    default:
      return State("?");
  }
}

TEST(ReferralStateTableTest, EveryReferralStateTimesEveryReferralCommand) {
  for (Stage stage : kReferralStages) {
    for (Kind kind : kReferralKinds) {
      CaseDriver driver;
      driver.DriveTo(stage);
      CheckOutcome(driver, kind, AllowedPrincipal(kind), ExpectedReferral(stage, kind),
                   absl::StrCat(StageName(stage), " × ", KindName(kind)));
    }
  }
}

TEST(ReferralStateTableTest, EndedReferralsRefuseEverything) {
  CaseDriver driver;
  driver.DriveTo(Stage::kReferralProposed);
  driver.Do(Kind::kRefuseReferral);
  for (Kind kind : kReferralKinds) {
    EXPECT_THAT(driver.Try(MakeCommand(kind, driver.state(), driver.now(), AllowedPrincipal(kind)),
                           AllowedPrincipal(kind)),
                StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("REFUSED")))
        << KindName(kind);
  }
}

// Where each command, sent by a principal allowed to, succeeds.
Stage SetupFor(Kind kind) {
  switch (kind) {
    case Kind::kReportCase:
      return Stage::kNew;
    case Kind::kAssignCase:
    case Kind::kCloseAsUnfounded:
    case Kind::kProposeReferral:
      return Stage::kFound;
    case Kind::kReassignCase:
    case Kind::kStartRectification:
    case Kind::kRecordEvidence:
      return Stage::kAssigned;
    case Kind::kReportProgress:
    case Kind::kRequestExtension:
    case Kind::kSubmitCompletion:
      return Stage::kRectifying;
    case Kind::kDecideExtension:
      return Stage::kExtensionPending;
    case Kind::kVerifyRectification:
      return Stage::kCompletionPending;
    case Kind::kRaiseObjection:
    case Kind::kCloseCase:
      return Stage::kVerified;
    case Kind::kReopenCase:
      return Stage::kClosed;
    case Kind::kApproveReferral:
    case Kind::kRefuseReferral:
    case Kind::kWithdrawReferral:
    case Kind::kMarkOverdue:
      return Stage::kReferralProposed;
    case Kind::kSendReferral:
      return Stage::kReferralApproved;
    case Kind::kReceiveReferral:
      return Stage::kReferralSent;
    case Kind::kExtendReferralReview:
    case Kind::kDecideReferral:
      return Stage::kReferralReceived;
    case Kind::kRequestReconsideration:
      return Stage::kReferralDeclined;
    case Kind::kDecideReconsideration:
      return Stage::kReconsiderationRequested;
    case Kind::kRequestSupervision:
      return Stage::kDeclineUpheld;
    case Kind::kExplainNonFiling:
      return Stage::kSupervisionRequested;
  }
  return Stage::kNew;
}

std::vector<v1::Role> AllowedRoles(Kind kind) {
  switch (kind) {
    case Kind::kReportCase:
    case Kind::kVerifyRectification:
      return {v1::ROLE_INSPECTOR, v1::ROLE_SUPERVISOR};
    case Kind::kRecordEvidence:
      return {v1::ROLE_INSPECTOR, v1::ROLE_SUPERVISOR, v1::ROLE_RECTIFIER};
    case Kind::kStartRectification:
    case Kind::kReportProgress:
    case Kind::kRequestExtension:
    case Kind::kSubmitCompletion:
      return {v1::ROLE_RECTIFIER};
    case Kind::kProposeReferral:
      return {v1::ROLE_INSPECTOR};
    case Kind::kApproveReferral:
    case Kind::kRefuseReferral:
      return {v1::ROLE_BUREAU_HEAD};
    case Kind::kReceiveReferral:
    case Kind::kExtendReferralReview:
    case Kind::kDecideReferral:
    case Kind::kDecideReconsideration:
    case Kind::kExplainNonFiling:
      return {v1::ROLE_POLICE};
    case Kind::kMarkOverdue:
      return {v1::ROLE_SYSTEM};
    default:
      return {v1::ROLE_SUPERVISOR};
  }
}

TEST(RoleTableTest, EveryRoleTimesEveryCommand) {
  for (int k = 0; k < kKindCount; ++k) {
    const Kind kind = static_cast<Kind>(k);
    const std::vector<v1::Role> allowed = AllowedRoles(kind);
    for (int r = v1::ROLE_INSPECTOR; r <= v1::ROLE_SYSTEM; ++r) {
      const auto role = static_cast<v1::Role>(r);
      CaseDriver driver(kind == Kind::kRaiseObjection ? NoticePolicy() : workflow::Policy());
      driver.DriveTo(SetupFor(kind));
      if (kind == Kind::kMarkOverdue) driver.Advance(absl::Hours(24 * 10));
      const v1::Principal principal = PrincipalOf(role);
      const auto result =
          driver.Try(MakeCommand(kind, driver.state(), driver.now(), principal), principal);
      const bool may = std::find(allowed.begin(), allowed.end(), role) != allowed.end();
      const std::string label = absl::StrCat(KindName(kind), " by ", v1::Role_Name(role));
      if (may) {
        EXPECT_TRUE(result.ok()) << label << ": " << result.status();
      } else {
        EXPECT_THAT(result, StatusIs(absl::StatusCode::kPermissionDenied)) << label;
        EXPECT_THAT(result, RefusedInChinese()) << label;
      }
    }
  }
}

}  // namespace
}  // namespace rectify::testing

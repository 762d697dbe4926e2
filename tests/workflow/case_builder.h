// Test helpers for the workflow: the standard principals of each role, valid
// commands of every kind, and a CaseDriver that runs commands through the
// real Decide and Evolve (nothing mocked) and keeps the history, so a test
// can bring a case into any state and try a command on it.
//
//   CaseDriver driver;
//   driver.DriveTo(Stage::kRectifying);
//   EXPECT_THAT(driver.Try(Command(Kind::kCloseCase, driver.state()), Supervisor()),
//               StatusIs(absl::StatusCode::kFailedPrecondition));
#ifndef RECTIFY_TESTS_WORKFLOW_CASE_BUILDER_H_
#define RECTIFY_TESTS_WORKFLOW_CASE_BUILDER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "rectify/v1/case.pb.h"
#include "rectify/v1/command.pb.h"
#include "rectify/v1/common.pb.h"
#include "rectify/v1/event.pb.h"
#include "workflow/policy.h"

namespace rectify::testing {

inline constexpr char kCaseId[] = "620722-2026-000123";
inline constexpr char kUnit[] = "minle-hongshui-town";
inline constexpr char kPoliceUnit[] = "minle-psb";

// The standard principal of each role, all in Minle County (620722): the
// inspector insp-zhang, the supervisor sup-wang, the rectifier rect-zhao of
// kUnit, the bureau head head-chen, the police officer police-liu of
// kPoliceUnit, proc-sun, aud-zhou, admin-wu, and the system.
v1::Principal PrincipalOf(v1::Role role);
inline v1::Principal Inspector() { return PrincipalOf(v1::ROLE_INSPECTOR); }
inline v1::Principal Supervisor() { return PrincipalOf(v1::ROLE_SUPERVISOR); }
inline v1::Principal Rectifier() { return PrincipalOf(v1::ROLE_RECTIFIER); }
inline v1::Principal BureauHead() { return PrincipalOf(v1::ROLE_BUREAU_HEAD); }
inline v1::Principal Police() { return PrincipalOf(v1::ROLE_POLICE); }
inline v1::Principal System() { return PrincipalOf(v1::ROLE_SYSTEM); }

// The deadline `id` of `state`; ADD_FAILURE (and an empty one) when none.
const v1::Deadline& DeadlineById(const v1::Case& state, const std::string& id);

// A local instant in China (UTC+8), e.g. Local(2026, 4, 2) for 04-02 00:00.
absl::Time Local(int y, int m, int d, int h = 0);

// Monday 2026-03-02 09:00 in Shanghai: where every driver's clock starts.
absl::Time StartTime();

// Every command kind the case workflow decides, in command.proto order.
enum class Kind {
  kReportCase,
  kAssignCase,
  kReassignCase,
  kStartRectification,
  kReportProgress,
  kRequestExtension,
  kDecideExtension,
  kSubmitCompletion,
  kVerifyRectification,
  kRaiseObjection,
  kCloseCase,
  kCloseAsUnfounded,
  kReopenCase,
  kProposeReferral,
  kApproveReferral,
  kRefuseReferral,
  kSendReferral,
  kReceiveReferral,
  kExtendReferralReview,
  kDecideReferral,
  kRequestReconsideration,
  kDecideReconsideration,
  kRequestSupervision,
  kExplainNonFiling,
  kWithdrawReferral,
  kRecordEvidence,
  kMarkOverdue,
};
inline constexpr int kKindCount = static_cast<int>(Kind::kMarkOverdue) + 1;
const char* KindName(Kind kind);

// A valid command of `kind` for the case `state` at `now`, as `principal`
// would send it: it names the case's latest referral, its pending extension
// request, its first open deadline, and the principal among the proposing
// officers. Decisions default to the "moving on" choice: verification
// passes, the police decline, a reconsideration upholds, an extension is
// granted.
v1::Command MakeCommand(Kind kind, const v1::Case& state, absl::Time now,
                        const v1::Principal& principal);

// The principal who may send `kind` (the standard one of its first role).
v1::Principal AllowedPrincipal(Kind kind);

// Where DriveTo brings a case; the referral stages are those of its latest
// referral ("ref-1") on a FOUND case.
enum class Stage {
  kNew,
  kFound,
  kAssigned,
  kRectifying,
  kCompletionPending,
  kExtensionPending,
  kVerified,
  kClosed,
  kReferralProposed,
  kReferralApproved,
  kReferralSent,
  kReferralReceived,
  kReferralDeclined,
  kReconsiderationRequested,
  kDeclineUpheld,
  kSupervisionRequested,
};
const char* StageName(Stage stage);

class CaseDriver {
 public:
  explicit CaseDriver(workflow::Policy policy = workflow::Policy());

  // Decides and, on success, folds the events into state() and history().
  absl::StatusOr<std::vector<v1::Event>> Try(const v1::Command& command,
                                             const v1::Principal& principal);
  // Try with MakeCommand(kind, ...); ADD_FAILURE when refused.
  std::vector<v1::Event> Do(Kind kind, const v1::Principal& principal);
  std::vector<v1::Event> Do(Kind kind) { return Do(kind, AllowedPrincipal(kind)); }
  // Brings a new case to `stage` with the allowed principals; the clock
  // moves an hour per command.
  void DriveTo(Stage stage);

  void Advance(absl::Duration by) { now_ += by; }
  absl::Time now() const { return now_; }
  const v1::Case& state() const { return state_; }
  const std::vector<v1::Event>& history() const { return history_; }
  const workflow::Policy& policy() const { return policy_; }

 private:
  workflow::Policy policy_;
  absl::Time now_;
  v1::Case state_;
  std::vector<v1::Event> history_;
};

// The payload field names of `events`, e.g. {"case_assigned", "deadline_opened"}.
std::vector<std::string> PayloadNames(const std::vector<v1::Event>& events);

// A policy like Minle County's: a 5-working-day public notice and a
// 3-working-day start deadline.
workflow::Policy NoticePolicy();

}  // namespace rectify::testing

#endif  // RECTIFY_TESTS_WORKFLOW_CASE_BUILDER_H_

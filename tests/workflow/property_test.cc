// A seeded property test: thousands of random command sequences, by random
// principals at random times, never bring a case into a state that breaks an
// invariant: never CLOSED with an open referral, no deadline missed twice, no
// version gap, `overdue` true exactly while an obligation is missed, and
// folding the emitted events with Evolve from an empty Case gives the state
// Decide saw.
#include <map>
#include <random>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "tests/status_matchers.h"
#include "tests/workflow/case_builder.h"
#include "workflow/decider.h"
#include "base/proto_time.h"

namespace rectify::testing {
namespace {

constexpr int kSequences = 2000;
constexpr int kStepsPerSequence = 40;

bool IsOpenReferral(v1::ReferralState state) {
  return state == v1::REFERRAL_STATE_PROPOSED || state == v1::REFERRAL_STATE_APPROVED ||
         state == v1::REFERRAL_STATE_SENT || state == v1::REFERRAL_STATE_RECEIVED ||
         state == v1::REFERRAL_STATE_DECLINED ||
         state == v1::REFERRAL_STATE_RECONSIDERATION_REQUESTED ||
         state == v1::REFERRAL_STATE_DECLINE_UPHELD ||
         state == v1::REFERRAL_STATE_SUPERVISION_REQUESTED;
}

// Varies the "moving on" command MakeCommand builds so that every branch is
// explored: failed verifications, filings, returns, refused extensions.
void Vary(v1::Command& command, std::mt19937& random) {
  const int coin = std::uniform_int_distribution<int>(0, 2)(random);
  switch (command.request_case()) {
    case v1::Command::kVerifyRectification:
      if (coin == 0) {
        command.mutable_verify_rectification()->set_passed(false);
        command.mutable_verify_rectification()->set_notes("未整改到位");
      }
      break;
    case v1::Command::kDecideExtension:
      if (coin == 0) {
        command.mutable_decide_extension()->set_granted(false);
        command.mutable_decide_extension()->set_reason("不同意");
      }
      break;
    case v1::Command::kDecideReferral:
    case v1::Command::kDecideReconsideration: {
      const bool referral = command.has_decide_referral();
      v1::FilingDecision decision = coin == 0   ? v1::FILING_DECISION_FILED
                                    : coin == 1 && referral ? v1::FILING_DECISION_RETURNED
                                                            : v1::FILING_DECISION_DECLINED;
      if (referral) {
        command.mutable_decide_referral()->set_decision(decision);
        command.mutable_decide_referral()->set_police_case_number("PC-1");
      } else {
        command.mutable_decide_reconsideration()->set_decision(decision);
        command.mutable_decide_reconsideration()->set_police_case_number("PC-1");
      }
      break;
    }
    default:
      break;
  }
}

Kind NextReferralStep(const v1::Case& state) {
  if (state.referrals_size() == 0) return Kind::kProposeReferral;
  switch (state.referrals(state.referrals_size() - 1).state()) {
    case v1::REFERRAL_STATE_PROPOSED:
      return Kind::kApproveReferral;
    case v1::REFERRAL_STATE_APPROVED:
      return Kind::kSendReferral;
    case v1::REFERRAL_STATE_SENT:
      return Kind::kReceiveReferral;
    case v1::REFERRAL_STATE_RECEIVED:
      return Kind::kDecideReferral;
    case v1::REFERRAL_STATE_DECLINED:
      return Kind::kRequestReconsideration;
    case v1::REFERRAL_STATE_RECONSIDERATION_REQUESTED:
      return Kind::kDecideReconsideration;
    case v1::REFERRAL_STATE_DECLINE_UPHELD:
      return Kind::kRequestSupervision;
    case v1::REFERRAL_STATE_SUPERVISION_REQUESTED:
      return state.referrals(state.referrals_size() - 1).non_filing_explanation().empty()
                 ? Kind::kExplainNonFiling
                 : Kind::kDecideReferral;
    default:
      return Kind::kProposeReferral;
  }
}

void CheckInvariants(const CaseDriver& driver, const std::string& where) {
  const v1::Case& state = driver.state();
  // No version gap.
  ASSERT_EQ(state.version(), static_cast<int64_t>(driver.history().size())) << where;
  for (size_t i = 0; i < driver.history().size(); ++i) {
    ASSERT_EQ(driver.history()[i].version(), static_cast<int64_t>(i + 1)) << where;
  }
  // Never CLOSED with an open referral.
  if (state.status() == v1::CASE_STATUS_CLOSED) {
    for (const v1::Referral& referral : state.referrals()) {
      ASSERT_FALSE(IsOpenReferral(referral.state()))
          << where << ": closed with referral " << referral.referral_id();
    }
  }
  // No deadline missed twice; deadline ids unique.
  std::map<std::string, int> missed;
  for (const v1::Event& event : driver.history()) {
    if (event.has_deadline_missed()) {
      ASSERT_EQ(++missed[event.deadline_missed().deadline_id()], 1)
          << where << ": " << event.deadline_missed().deadline_id() << " missed twice";
    }
  }
  std::set<std::string> ids;
  bool any_missed_obligation = false;
  for (const v1::Deadline& deadline : state.deadlines()) {
    ASSERT_TRUE(ids.insert(deadline.deadline_id()).second) << where;
    if (deadline.state() == v1::DEADLINE_STATE_MISSED &&
        deadline.kind() != v1::DEADLINE_KIND_PUBLIC_NOTICE &&
        deadline.kind() != v1::DEADLINE_KIND_RECONSIDERATION_REQUEST &&
        deadline.kind() != v1::DEADLINE_KIND_SUPERVISION_REQUEST) {
      any_missed_obligation = true;
    }
  }
  ASSERT_EQ(state.overdue(), any_missed_obligation) << where;
  // A pending completion only while rectifying; a closed case has no running stage deadline.
  if (state.completion_pending()) {
    ASSERT_EQ(state.status(), v1::CASE_STATUS_RECTIFYING) << where;
  }
  if (state.status() == v1::CASE_STATUS_CLOSED) {
    for (const v1::Deadline& deadline : state.deadlines()) {
      ASSERT_NE(deadline.state(), v1::DEADLINE_STATE_OPEN) << where << ": " << deadline.deadline_id();
    }
  }
  // Folding the history from nothing gives the state.
  v1::Case folded;
  for (const v1::Event& event : driver.history()) ASSERT_OK(workflow::Evolve(folded, event));
  ASSERT_TRUE(google::protobuf::util::MessageDifferencer::Equals(folded, state)) << where;
}

TEST(PropertyTest, RandomSequencesKeepTheInvariants) {
  std::map<v1::CaseStatus, int> statuses_seen;
  std::map<v1::ReferralState, int> referral_states_seen;
  int accepted = 0;
  int refused = 0;
  for (int seed = 0; seed < kSequences; ++seed) {
    std::mt19937 random(seed);
    CaseDriver driver(seed % 3 == 0 ? NoticePolicy() : workflow::Policy());
    driver.Do(Kind::kReportCase);
    for (int step = 0; step < kStepsPerSequence; ++step) {
      // Half the steps take the latest referral's natural next step, so
      // that long referral chains (reconsideration, supervision) are walked
      // too; the other half pick any command.
      const Kind kind = std::uniform_int_distribution<int>(0, 1)(random) == 0
                            ? NextReferralStep(driver.state())
                            : static_cast<Kind>(
                                  std::uniform_int_distribution<int>(1, kKindCount - 1)(random));
      v1::Principal principal = AllowedPrincipal(kind);
      if (std::uniform_int_distribution<int>(0, 9)(random) == 0) {
        principal = PrincipalOf(static_cast<v1::Role>(
            std::uniform_int_distribution<int>(v1::ROLE_INSPECTOR, v1::ROLE_SYSTEM)(random)));
      }
      if (principal.role() == v1::ROLE_RECTIFIER && !driver.state().responsible_unit().empty()) {
        principal.set_unit_id(driver.state().responsible_unit());
      }
      v1::Command command = MakeCommand(kind, driver.state(), driver.now(), principal);
      Vary(command, random);
      const auto result = driver.Try(command, principal);
      const std::string where = absl::StrCat("seed ", seed, " step ", step, " ", KindName(kind));
      if (result.ok()) {
        ++accepted;
      } else {
        ++refused;
        // Refusals are the documented ones, never a bug.
        const absl::StatusCode code = result.status().code();
        ASSERT_TRUE(code == absl::StatusCode::kFailedPrecondition ||
                    code == absl::StatusCode::kPermissionDenied ||
                    code == absl::StatusCode::kNotFound ||
                    code == absl::StatusCode::kInvalidArgument)
            << where << ": " << result.status();
      }
      ASSERT_NO_FATAL_FAILURE(CheckInvariants(driver, where));
      statuses_seen[driver.state().status()]++;
      for (const v1::Referral& referral : driver.state().referrals()) {
        referral_states_seen[referral.state()]++;
      }
      // Time moves on: sometimes minutes, sometimes past every deadline.
      const bool long_wait = std::uniform_int_distribution<int>(0, 4)(random) == 0;
      driver.Advance(absl::Minutes(
          std::uniform_int_distribution<int>(1, long_wait ? 60 * 24 * 12 : 60 * 6)(random)));
    }
  }
  // The walk really explored the machine.
  EXPECT_GT(accepted, kSequences * 5);
  EXPECT_GT(refused, 0);
  for (v1::CaseStatus status : {v1::CASE_STATUS_FOUND, v1::CASE_STATUS_ASSIGNED,
                                v1::CASE_STATUS_RECTIFYING, v1::CASE_STATUS_VERIFIED,
                                v1::CASE_STATUS_CLOSED}) {
    EXPECT_GT(statuses_seen[status], 0) << v1::CaseStatus_Name(status);
  }
  for (v1::ReferralState state :
       {v1::REFERRAL_STATE_FILED, v1::REFERRAL_STATE_RETURNED, v1::REFERRAL_STATE_WITHDRAWN,
        v1::REFERRAL_STATE_DECLINE_FINAL, v1::REFERRAL_STATE_SUPERVISION_REQUESTED}) {
    EXPECT_GT(referral_states_seen[state], 0) << v1::ReferralState_Name(state) << [&] {
      std::string seen;
      for (const auto& [s, n] : referral_states_seen) absl::StrAppend(&seen, " ", v1::ReferralState_Name(s), "=", n);
      return seen;
    }();
  }
}

}  // namespace
}  // namespace rectify::testing

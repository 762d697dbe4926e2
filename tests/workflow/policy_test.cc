// Tests of the policy: DOMAIN.md's defaults, the shipped policy files, deadline
// computation per unit, and malformed policy files.
#include "workflow/policy.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/status_matchers.h"
#include "tests/workflow/read_file.h"

namespace rectify::workflow {
namespace {

using ::rectify::testing::StatusIs;
using ::testing::HasSubstr;

bool SameSpecs(const Policy& a, const Policy& b) {
  for (int kind = 0; kind < kDeadlineKindCount; ++kind) {
    const DeadlineSpec& x = a.deadlines[kind];
    const DeadlineSpec& y = b.deadlines[kind];
    if (x.enabled != y.enabled || x.unit != y.unit || x.amount != y.amount || x.basis != y.basis) {
      ADD_FAILURE() << "deadline kind " << v1::DeadlineKind_Name(static_cast<v1::DeadlineKind>(kind))
                    << " differs";
      return false;
    }
  }
  return a.name == b.name && a.max_clock_skew == b.max_clock_skew &&
         a.notice_no_progress_days == b.notice_no_progress_days &&
         a.notice_not_started_days == b.notice_not_started_days &&
         a.referral_review_check_days == b.referral_review_check_days &&
         a.referral_review_long_days == b.referral_review_long_days &&
         a.verifier_not_assigner == b.verifier_not_assigner &&
         a.reporter_may_verify == b.reporter_may_verify &&
         a.extension_grant_beyond_request == b.extension_grant_beyond_request;
}

TEST(PolicyTest, DefaultsAreDomainMd) {
  const Policy policy;
  EXPECT_EQ(policy.deadline(v1::DEADLINE_KIND_REFERRAL_SEND).unit, v1::DEADLINE_UNIT_HOURS);
  EXPECT_EQ(policy.deadline(v1::DEADLINE_KIND_REFERRAL_SEND).amount, 24);
  EXPECT_EQ(policy.deadline(v1::DEADLINE_KIND_REFERRAL_APPROVAL).amount, 3);
  EXPECT_EQ(policy.deadline(v1::DEADLINE_KIND_REFERRAL_FILING_DECISION).amount, 3);
  EXPECT_EQ(policy.deadline(v1::DEADLINE_KIND_NON_FILING_EXPLANATION).amount, 7);
  EXPECT_FALSE(policy.deadline(v1::DEADLINE_KIND_PUBLIC_NOTICE).enabled);
  EXPECT_FALSE(policy.deadline(v1::DEADLINE_KIND_START).enabled);
  ASSERT_NE(policy.calendar, nullptr);
  EXPECT_EQ(policy.calendar->last_year(), 2026);
}

TEST(PolicyTest, ShippedDefaultFileEqualsTheBuiltInDefaults) {
  const std::string text = rectify::testing::ReadRunfile("config/policy_default.txt");
  ASSERT_FALSE(text.empty());
  ASSERT_OK_AND_ASSIGN(const Policy parsed, ParsePolicy(text));
  EXPECT_TRUE(SameSpecs(parsed, Policy()));
  EXPECT_EQ(parsed.max_case_events, Policy().max_case_events);
  EXPECT_EQ(parsed.max_case_bytes, Policy().max_case_bytes);
}

TEST(PolicyTest, CaseLimitsAreParsed) {
  ASSERT_OK_AND_ASSIGN(const Policy parsed,
                       ParsePolicy("max_case_events: 200\nmax_case_bytes: 65536\n"));
  EXPECT_EQ(parsed.max_case_events, 200);
  EXPECT_EQ(parsed.max_case_bytes, 65536);
  EXPECT_EQ(Policy().max_case_events, 1000);
  EXPECT_EQ(Policy().max_case_bytes, 1048576);
}

// A case of `version` events whose description takes `text_bytes`.
v1::Case CaseOf(int64_t version, size_t text_bytes) {
  v1::Case state;
  state.set_case_id("620722-2026-000001");
  state.set_version(version);
  state.set_description(std::string(text_bytes, 'x'));
  return state;
}

TEST(PolicyTest, ContentFillsNinetyPerCentAndTheRestIsKeptToFinishTheCase) {
  Policy policy;
  policy.max_case_events = 100;
  policy.max_case_bytes = 10000;
  v1::Command progress;
  progress.mutable_report_progress()->set_text("进展");
  v1::Command close;
  close.mutable_close_case();
  // Events: 90 for content, 100 in all.
  EXPECT_OK(CheckCaseLimits(policy, progress, CaseOf(90, 10)));
  EXPECT_THAT(CheckCaseLimits(policy, progress, CaseOf(91, 10)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("would hold 91 events, over the policy's limit "
                                 "max_case_events = 100")));
  EXPECT_OK(CheckCaseLimits(policy, close, CaseOf(100, 10)));
  EXPECT_THAT(CheckCaseLimits(policy, close, CaseOf(101, 10)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("max_case_events")));
  // Bytes: the case id field takes 20 bytes, the version 2, the
  // description 3 + its text: 8,975 bytes of text make 9,000.
  EXPECT_OK(CheckCaseLimits(policy, progress, CaseOf(10, 8975)));
  EXPECT_THAT(CheckCaseLimits(policy, progress, CaseOf(10, 8976)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       HasSubstr("would take 9001 bytes, over the policy's limit "
                                 "max_case_bytes = 10000")));
  EXPECT_OK(CheckCaseLimits(policy, close, CaseOf(10, 9975)));
  EXPECT_THAT(CheckCaseLimits(policy, close, CaseOf(10, 9976)),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("10001 bytes")));
}

TEST(PolicyTest, ShippedMinleFileSetsAFiveWorkingDayNotice) {
  ASSERT_OK_AND_ASSIGN(const Policy policy,
                       ParsePolicy(rectify::testing::ReadRunfile("config/policy_620722.txt")));
  EXPECT_EQ(policy.name, "620722");
  const DeadlineSpec& notice = policy.deadline(v1::DEADLINE_KIND_PUBLIC_NOTICE);
  EXPECT_TRUE(notice.enabled);
  EXPECT_EQ(notice.unit, v1::DEADLINE_UNIT_WORKING_DAYS);
  EXPECT_EQ(notice.amount, 5);
  EXPECT_EQ(notice.basis, "整改销号公示 (5个工作日)");
  EXPECT_EQ(policy.notice_no_progress_days, 10);
  // Lines left out keep their defaults.
  EXPECT_EQ(policy.deadline(v1::DEADLINE_KIND_REFERRAL_SEND).amount, 24);
}

// People read a deadline's basis (the console's 计算依据): every default one
// is Chinese, and so is what ComputeDeadline records with it.
TEST(PolicyTest, DefaultBasesReadChinese) {
  const Policy policy;
  for (int kind = 0; kind < kDeadlineKindCount; ++kind) {
    const DeadlineSpec& spec = policy.deadlines[kind];
    if (!spec.enabled) continue;
    EXPECT_FALSE(spec.basis.empty()) << kind;
    for (char c : spec.basis) {
      EXPECT_FALSE((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
          << v1::DeadlineKind_Name(static_cast<v1::DeadlineKind>(kind)) << ": " << spec.basis;
    }
  }
  const absl::Time start =
      absl::FromCivil(absl::CivilSecond(2026, 3, 2, 10, 0, 0), policy.calendar->zone());
  ASSERT_OK_AND_ASSIGN(ComputedDeadline receipt,
                       ComputeDeadline(policy, v1::DEADLINE_KIND_REFERRAL_RECEIPT, start));
  EXPECT_EQ(receipt.rule.basis(), "移送后应即签收，逾24小时提示（默认期限配置）");
}

TEST(PolicyTest, ComputesEachUnit) {
  const Policy policy;
  const absl::TimeZone zone = policy.calendar->zone();
  // Friday 2026-02-13 10:00, the eve of the 2026 Spring Festival week.
  const absl::Time start = absl::FromCivil(absl::CivilSecond(2026, 2, 13, 10, 0, 0), zone);
  ASSERT_OK_AND_ASSIGN(ComputedDeadline send,
                       ComputeDeadline(policy, v1::DEADLINE_KIND_REFERRAL_SEND, start));
  EXPECT_EQ(send.due_at, start + absl::Hours(24));
  EXPECT_EQ(send.rule.unit(), v1::DEADLINE_UNIT_HOURS);
  EXPECT_THAT(send.rule.basis(), HasSubstr("国务院令第310号"));
  // The bureau head's 3 days are calendar days (Decree 310 art. 5): they end
  // on Monday 16th, a Spring Festival holiday, so on Tuesday 24th, the next
  // working day (not the 3rd working day, Wednesday 25th).
  ASSERT_OK_AND_ASSIGN(ComputedDeadline approval,
                       ComputeDeadline(policy, v1::DEADLINE_KIND_REFERRAL_APPROVAL, start));
  EXPECT_EQ(approval.rule.unit(), v1::DEADLINE_UNIT_CALENDAR_DAYS);
  EXPECT_EQ(approval.due_at, absl::FromCivil(absl::CivilDay(2026, 2, 25), zone));
  // 3 calendar days end on Monday 16th, a holiday: rolled to Tuesday 24th.
  ASSERT_OK_AND_ASSIGN(ComputedDeadline filing,
                       ComputeDeadline(policy, v1::DEADLINE_KIND_REFERRAL_FILING_DECISION, start));
  EXPECT_EQ(filing.due_at, absl::FromCivil(absl::CivilDay(2026, 2, 25), zone));
  // The police's 7-day extension overrides the amount, not the unit.
  ASSERT_OK_AND_ASSIGN(ComputedDeadline seven,
                       ComputeDeadline(policy, v1::DEADLINE_KIND_REFERRAL_FILING_DECISION, start, 7));
  EXPECT_EQ(seven.rule.amount(), 7);
  EXPECT_EQ(seven.due_at, absl::FromCivil(absl::CivilDay(2026, 2, 25), zone));
  EXPECT_THAT(ComputeDeadline(policy, v1::DEADLINE_KIND_START, start),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("sets no DEADLINE_KIND_START")));
}

struct BadPolicy {
  const char* name;
  const char* text;
  const char* message;
};

class BadPolicyTest : public ::testing::TestWithParam<BadPolicy> {};

TEST_P(BadPolicyTest, GivesALineNumberedError) {
  EXPECT_THAT(ParsePolicy(GetParam().text),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(GetParam().message)));
}

INSTANTIATE_TEST_SUITE_P(
    MalformedFiles, BadPolicyTest,
    ::testing::Values(
        BadPolicy{"NoColon", "# x\nname 620722\n", "policy line 2: expected \"key: value\""},
        BadPolicy{"UnknownKey", "name: a\n\nnotice_days: 3\n", "policy line 3: unknown key \"notice_days\""},
        BadPolicy{"UnknownKind", "deadline: RECTIFY 3 HOURS x\n", "policy line 1: unknown deadline kind \"RECTIFY\""},
        BadPolicy{"UnknownUnit", "deadline: START 3 WEEKS x\n", "policy line 1: unknown unit \"WEEKS\""},
        BadPolicy{"FixedIsNoRule", "deadline: START 3 FIXED x\n", "policy line 1: unknown unit \"FIXED\""},
        BadPolicy{"ZeroAmount", "deadline: START 0 HOURS x\n", "policy line 1: deadline amount must be"},
        BadPolicy{"NoBasis", "deadline: START 3 HOURS\n", "policy line 1: deadline START needs an amount, a unit and a basis"},
        BadPolicy{"KindTwice", "deadline: START off\ndeadline: START 3 HOURS x\n",
                  "policy line 2: deadline START is given twice"},
        BadPolicy{"NegativeThreshold", "notice_no_progress_days: -1\n",
                  "policy line 1: notice_no_progress_days must be a whole number"},
        BadPolicy{"KeyTwice", "name: a\nname: b\n", "policy line 2: name is given twice"},
        BadPolicy{"EmptyName", "name:\n", "policy line 1: name is empty"},
        BadPolicy{"TooFewCaseEvents", "max_case_events: 99\n",
                  "policy line 1: max_case_events must be a whole number from 100 to 1000000"},
        BadPolicy{"TooManyCaseBytes", "max_case_bytes: 67108865\n",
                  "policy line 1: max_case_bytes must be a whole number from 65536 to 67108864"},
        BadPolicy{"FlagNotBoolean", "reporter_may_verify: no\n",
                  "policy line 1: reporter_may_verify must be true or false"},
        BadPolicy{"ZeroReviewDays", "referral_review_check_days: 0\n",
                  "policy line 1: referral_review_check_days must be a whole number from 1"},
        BadPolicy{"LongNotLonger", "referral_review_check_days: 30\nreferral_review_long_days: 7\n",
                  "referral_review_long_days (7) must be longer than referral_review_check_days (30)"}),
    [](const ::testing::TestParamInfo<BadPolicy>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace rectify::workflow

namespace rectify::workflow {
namespace {

TEST(PolicyTest, SessionAndLockoutKeys) {
  const Policy defaults;
  EXPECT_EQ(defaults.session_idle_timeout, absl::Hours(12));
  EXPECT_EQ(defaults.session_lifetime, absl::Hours(24 * 30));
  EXPECT_EQ(defaults.login_max_failures, 5);
  EXPECT_EQ(defaults.login_lockout, absl::Minutes(15));
  ASSERT_OK_AND_ASSIGN(const Policy shipped,
                       ParsePolicy(rectify::testing::ReadRunfile("config/policy_default.txt")));
  EXPECT_EQ(shipped.session_idle_timeout, defaults.session_idle_timeout);
  EXPECT_EQ(shipped.session_lifetime, defaults.session_lifetime);
  EXPECT_EQ(shipped.login_max_failures, defaults.login_max_failures);
  EXPECT_EQ(shipped.login_lockout, defaults.login_lockout);
  ASSERT_OK_AND_ASSIGN(const Policy parsed,
                       ParsePolicy("session_idle_timeout_minutes: 90\nsession_lifetime_days: 7\n"
                                   "login_max_failures: 3\nlogin_lockout_minutes: 60\n"));
  EXPECT_EQ(parsed.session_idle_timeout, absl::Minutes(90));
  EXPECT_EQ(parsed.session_lifetime, absl::Hours(24 * 7));
  EXPECT_EQ(parsed.login_max_failures, 3);
  EXPECT_EQ(parsed.login_lockout, absl::Minutes(60));
  EXPECT_THAT(ParsePolicy("login_max_failures: 0"),
              rectify::testing::StatusIs(absl::StatusCode::kInvalidArgument,
                                         ::testing::HasSubstr("policy line 1")));
}

}  // namespace
}  // namespace rectify::workflow

// Tests of who reads what (workflow/reading_rules.h), by hand per role,
// prefix and referral state.
#include "workflow/reading_rules.h"

#include "gtest/gtest.h"

namespace rectify::workflow {
namespace {

TEST(ReadingRulesTest, TheBureausRoles) {
  for (v1::Role role : {v1::ROLE_INSPECTOR, v1::ROLE_SUPERVISOR, v1::ROLE_BUREAU_HEAD,
                        v1::ROLE_AUDITOR}) {
    EXPECT_TRUE(IsBureauReader(role)) << v1::Role_Name(role);
  }
  for (v1::Role role : {v1::ROLE_UNSPECIFIED, v1::ROLE_RECTIFIER, v1::ROLE_POLICE,
                        v1::ROLE_PROCURATOR, v1::ROLE_ADMIN}) {
    EXPECT_FALSE(IsBureauReader(role)) << v1::Role_Name(role);
  }
}

TEST(ReadingRulesTest, Jurisdictions) {
  EXPECT_TRUE(InJurisdiction("620722100", "620722"));
  EXPECT_TRUE(InJurisdiction("620722", "62"));
  EXPECT_FALSE(InJurisdiction("620702", "620722"));
  EXPECT_FALSE(InJurisdiction("62", "620722"));
  EXPECT_FALSE(InJurisdiction("620722", ""));
  EXPECT_TRUE(CountyMayBeInJurisdiction("620722", "62"));
  EXPECT_TRUE(CountyMayBeInJurisdiction("620722", "620722100"));
  EXPECT_FALSE(CountyMayBeInJurisdiction("620702", "620722"));
  EXPECT_FALSE(CountyMayBeInJurisdiction("620722", ""));
}

TEST(ReadingRulesTest, AReferralIsSentOnceItLeftTheBureau) {
  v1::Referral referral;
  for (v1::ReferralState state : {v1::REFERRAL_STATE_UNSPECIFIED, v1::REFERRAL_STATE_PROPOSED,
                                  v1::REFERRAL_STATE_APPROVED, v1::REFERRAL_STATE_REFUSED,
                                  v1::REFERRAL_STATE_WITHDRAWN}) {
    referral.set_state(state);
    EXPECT_FALSE(ReferralWasSent(referral)) << v1::ReferralState_Name(state);
  }
  for (v1::ReferralState state : {v1::REFERRAL_STATE_SENT, v1::REFERRAL_STATE_RECEIVED,
                                  v1::REFERRAL_STATE_FILED, v1::REFERRAL_STATE_DECLINED,
                                  v1::REFERRAL_STATE_RETURNED, v1::REFERRAL_STATE_DECLINE_FINAL}) {
    referral.set_state(state);
    EXPECT_TRUE(ReferralWasSent(referral)) << v1::ReferralState_Name(state);
  }
  referral.set_state(v1::REFERRAL_STATE_WITHDRAWN);
  referral.mutable_sent_at()->set_seconds(1772200000);
  EXPECT_TRUE(ReferralWasSent(referral));
}

}  // namespace
}  // namespace rectify::workflow

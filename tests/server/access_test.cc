// Tests of read access by role, jurisdiction and unit, and of redaction of
// the complainant's personal data.
#include "server/access.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/status_matchers.h"

namespace rectify::server {
namespace {

using ::rectify::testing::StatusIs;

v1::Principal Make(v1::Role role, const std::string& jurisdiction,
                   const std::string& unit = "minle-eeb") {
  v1::Principal principal;
  principal.set_principal_id("p");
  principal.set_role(role);
  principal.set_unit_id(unit);
  principal.set_jurisdiction(jurisdiction);
  return principal;
}

v1::Case HotlineCase() {
  v1::Case state;
  state.set_case_id("620722-2026-000007");
  state.set_version(3);
  state.mutable_location()->set_region_code("620722100");
  state.set_responsible_unit("minle-hongshui-town");
  state.mutable_complainant()->set_name("王秀英");
  state.mutable_complainant()->set_phone("13800000000");
  return state;
}

TEST(AccessTest, JurisdictionBoundsEveryRole) {
  const v1::Case state = HotlineCase();
  EXPECT_OK(CheckCanRead(Make(v1::ROLE_INSPECTOR, "620722"), state));
  EXPECT_OK(CheckCanRead(Make(v1::ROLE_AUDITOR, "62"), state));
  EXPECT_OK(CheckCanRead(Make(v1::ROLE_SUPERVISOR, "620722100"), state));
  EXPECT_THAT(CheckCanRead(Make(v1::ROLE_INSPECTOR, "620702"), state),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(CheckCanRead(Make(v1::ROLE_SUPERVISOR, "620722101"), state),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(CheckCaseIdInScope(Make(v1::ROLE_INSPECTOR, "620702"), "620722-2026-000007"),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_OK(CheckCaseIdInScope(Make(v1::ROLE_INSPECTOR, "62"), "620722-2026-000007"));
  EXPECT_OK(CheckCaseIdInScope(Make(v1::ROLE_INSPECTOR, "620722100"), "620722-2026-000007"));
}

TEST(AccessTest, RectifiersSeeOnlyTheirUnitsCases) {
  const v1::Case state = HotlineCase();
  EXPECT_OK(CheckCanRead(Make(v1::ROLE_RECTIFIER, "620722", "minle-hongshui-town"), state));
  EXPECT_THAT(CheckCanRead(Make(v1::ROLE_RECTIFIER, "620722", "minle-liuba-town"), state),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST(AccessTest, PoliceAndProcuratorsSeeOnlyCasesReferredToThem) {
  v1::Case state = HotlineCase();
  const v1::Principal police = Make(v1::ROLE_POLICE, "620722", "minle-psb");
  const v1::Principal procurator = Make(v1::ROLE_PROCURATOR, "620722", "minle-procuratorate");
  EXPECT_THAT(CheckCanRead(police, state), StatusIs(absl::StatusCode::kPermissionDenied));
  v1::Referral& referral = *state.add_referrals();
  referral.set_state(v1::REFERRAL_STATE_APPROVED);
  EXPECT_THAT(CheckCanRead(police, state), StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(CheckCanRead(procurator, state), StatusIs(absl::StatusCode::kPermissionDenied));
  referral.set_state(v1::REFERRAL_STATE_SENT);
  referral.set_police_unit("minle-psb");
  EXPECT_OK(CheckCanRead(police, state));
  EXPECT_OK(CheckCanRead(procurator, state));
  EXPECT_THAT(CheckCanRead(Make(v1::ROLE_POLICE, "620722", "ganzhou-psb"), state),
              StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(CheckCanRead(Make(v1::ROLE_ADMIN, "62"), state),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST(AccessTest, OnlySupervisorsOfTheJurisdictionSeeTheComplainant) {
  EXPECT_EQ(RedactForReader(Make(v1::ROLE_SUPERVISOR, "620722"), HotlineCase())
                .complainant()
                .name(),
            "王秀英");
  for (v1::Role role : {v1::ROLE_INSPECTOR, v1::ROLE_RECTIFIER, v1::ROLE_BUREAU_HEAD,
                        v1::ROLE_POLICE, v1::ROLE_PROCURATOR, v1::ROLE_AUDITOR}) {
    const v1::Case redacted = RedactForReader(Make(role, "620722"), HotlineCase());
    EXPECT_FALSE(redacted.has_complainant()) << v1::Role_Name(role);
    EXPECT_EQ(redacted.case_id(), "620722-2026-000007");
  }
}

}  // namespace
}  // namespace rectify::server

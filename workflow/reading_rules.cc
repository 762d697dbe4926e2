// Who reads what; see reading_rules.h.
#include "workflow/reading_rules.h"

#include "absl/strings/match.h"

namespace rectify::workflow {

bool IsBureauReader(v1::Role role) {
  switch (role) {
    case v1::ROLE_INSPECTOR:
    case v1::ROLE_SUPERVISOR:
    case v1::ROLE_BUREAU_HEAD:
    case v1::ROLE_AUDITOR:
      return true;
    default:
      return false;
  }
}

bool InJurisdiction(absl::string_view region_code, absl::string_view jurisdiction) {
  return !jurisdiction.empty() && absl::StartsWith(region_code, jurisdiction);
}

bool CountyMayBeInJurisdiction(absl::string_view county, absl::string_view jurisdiction) {
  return !jurisdiction.empty() &&
         (absl::StartsWith(county, jurisdiction) || absl::StartsWith(jurisdiction, county));
}

bool ReferralWasSent(const v1::Referral& referral) {
  switch (referral.state()) {
    case v1::REFERRAL_STATE_UNSPECIFIED:
    case v1::REFERRAL_STATE_PROPOSED:
    case v1::REFERRAL_STATE_APPROVED:
    case v1::REFERRAL_STATE_REFUSED:
      return false;
    case v1::REFERRAL_STATE_WITHDRAWN:
      return referral.has_sent_at();
    default:
      return true;
  }
}

}  // namespace rectify::workflow

// Read access and redaction; see access.h.
#include "server/access.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/user_message.h"
#include "workflow/reading_rules.h"

namespace rectify::server {
namespace {

using workflow::InJurisdiction;
using workflow::ReferralWasSent;

absl::Status Denied(const v1::Principal& principal, const v1::Case& state,
                    absl::string_view why) {
  return WithUserMessage(
      absl::PermissionDeniedError(absl::StrCat(principal.principal_id(), " may not read case ",
                                               state.case_id(), ": ", why)),
      absl::StrCat("您无权查看案件 ", state.case_id()));
}

}  // namespace

absl::Status CheckCaseIdInScope(const v1::Principal& principal, absl::string_view case_id) {
  // Case ids start with the 6-digit county code of the case's region.
  const absl::string_view jurisdiction = principal.jurisdiction();
  if (!workflow::CountyMayBeInJurisdiction(case_id.substr(0, 6), jurisdiction)) {
    return WithUserMessage(
        absl::PermissionDeniedError(absl::StrCat("case ", case_id, " is outside the jurisdiction ",
                                                 jurisdiction, " of ", principal.principal_id())),
        absl::StrCat("案件 ", case_id, " 不在您的辖区（", jurisdiction, "）内"));
  }
  return absl::OkStatus();
}

absl::Status CheckCanRead(const v1::Principal& principal, const v1::Case& state) {
  if (!InJurisdiction(state.location().region_code(), principal.jurisdiction())) {
    return Denied(principal, state, absl::StrCat("it is outside the jurisdiction ",
                                                 principal.jurisdiction()));
  }
  if (workflow::IsBureauReader(principal.role())) return absl::OkStatus();
  switch (principal.role()) {
    case v1::ROLE_RECTIFIER:
      if (!state.responsible_unit().empty() && state.responsible_unit() == principal.unit_id()) {
        return absl::OkStatus();
      }
      return Denied(principal, state, "it is not assigned to the unit " + principal.unit_id());
    case v1::ROLE_POLICE:
      for (const v1::Referral& referral : state.referrals()) {
        if (ReferralWasSent(referral) && referral.police_unit() == principal.unit_id()) {
          return absl::OkStatus();
        }
      }
      return Denied(principal, state, "no referral of it was sent to " + principal.unit_id());
    case v1::ROLE_PROCURATOR:
      for (const v1::Referral& referral : state.referrals()) {
        if (ReferralWasSent(referral)) return absl::OkStatus();
      }
      return Denied(principal, state, "no referral of it was sent");
    default:
      return Denied(principal, state,
                    absl::StrCat("the role ", v1::Role_Name(principal.role()),
                                 " does not read case content"));
  }
}

absl::Status CaseNotVisible(const v1::Principal& principal, absl::string_view case_id) {
  return Refuse(absl::StatusCode::kNotFound,
                absl::StrCat("case ", case_id, " does not exist or is not visible to ",
                             principal.principal_id()),
                absl::StrCat("案件 ", case_id, " 不存在，或您无权查看"));
}

absl::Status CheckVisible(const v1::Principal& principal, const v1::Case& state) {
  if (CheckCanRead(principal, state).ok()) return absl::OkStatus();
  return CaseNotVisible(principal, state.case_id());
}

absl::StatusOr<v1::Case> VisibleCase(const v1::Principal& principal, absl::string_view case_id,
                                     absl::StatusOr<v1::Case> loaded) {
  if (absl::IsNotFound(loaded.status())) return CaseNotVisible(principal, case_id);
  if (!loaded.ok()) return loaded.status();
  if (!CheckCanRead(principal, *loaded).ok()) return CaseNotVisible(principal, case_id);
  return loaded;
}

absl::Status CheckListReader(const v1::Principal& principal) {
  if (!workflow::IsBureauReader(principal.role())) {
    return Refuse(absl::StatusCode::kPermissionDenied,
                  absl::StrCat(principal.principal_id(),
                               " is not of the bureau; rectification lists are the bureau's"),
                  "整改清单仅供生态环境局内部使用，您的角色无权查看");
  }
  if (principal.jurisdiction().empty()) {
    return Refuse(absl::StatusCode::kPermissionDenied,
                  absl::StrCat(principal.principal_id(), " has no jurisdiction"),
                  "您的账号没有设置辖区，请联系系统管理员");
  }
  return absl::OkStatus();
}

absl::Status CheckCanReadList(const v1::Principal& principal, const v1::RectificationList& list) {
  if (absl::Status reader = CheckListReader(principal); !reader.ok()) return reader;
  if (!InJurisdiction(list.region_code(), principal.jurisdiction())) {
    return Refuse(absl::StatusCode::kPermissionDenied,
                  absl::StrCat(principal.principal_id(), " may not read list ", list.list_id(),
                               ": it is outside the jurisdiction ", principal.jurisdiction()),
                  absl::StrCat("整改清单 ", list.list_id(), " 不在您的辖区（",
                               principal.jurisdiction(), "）内"));
  }
  return absl::OkStatus();
}

bool MaySeePersonalData(const v1::Principal& principal, absl::string_view region_code) {
  return principal.role() == v1::ROLE_SUPERVISOR &&
         InJurisdiction(region_code, principal.jurisdiction());
}

v1::Case RedactForReader(const v1::Principal& principal, v1::Case state) {
  if (!MaySeePersonalData(principal, state.location().region_code())) state.clear_complainant();
  return state;
}

}  // namespace rectify::server

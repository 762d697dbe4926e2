// The words users read for case statuses; see status_words.h.
#include "base/status_words.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace rectify {

std::string CaseStatusName(v1::CaseStatus status) {
  std::string name = v1::CaseStatus_Name(status);
  return absl::StartsWith(name, "CASE_STATUS_") ? name.substr(12) : name;
}

std::string ReferralStateName(v1::ReferralState state) {
  std::string name = v1::ReferralState_Name(state);
  return absl::StartsWith(name, "REFERRAL_STATE_") ? name.substr(15) : name;
}

std::string CaseStatusWords(v1::CaseStatus status, bool closed_unfounded) {
  switch (status) {
    case v1::CASE_STATUS_FOUND:
      return "待交办";
    case v1::CASE_STATUS_ASSIGNED:
      return "已交办";
    case v1::CASE_STATUS_RECTIFYING:
      return "整改中";
    case v1::CASE_STATUS_VERIFIED:
      return "已验收";
    case v1::CASE_STATUS_CLOSED:
      return closed_unfounded ? "查无实据" : "已销号";
    default:
      return "—";
  }
}

std::string LedgerStatus(const v1::Case& state) {
  std::string words = CaseStatusWords(
      state.status(), state.status() == v1::CASE_STATUS_CLOSED && state.closure().unfounded());
  if (state.overdue()) absl::StrAppend(&words, "（", kOverdueWord, "）");
  return words;
}

std::string RoleWords(v1::Role role) {
  switch (role) {
    case v1::ROLE_INSPECTOR: return "执法人员";
    case v1::ROLE_SUPERVISOR: return "科室负责人";
    case v1::ROLE_RECTIFIER: return "整改责任单位";
    case v1::ROLE_BUREAU_HEAD: return "局领导";
    case v1::ROLE_POLICE: return "公安机关联络员";
    case v1::ROLE_PROCURATOR: return "检察机关联络员";
    case v1::ROLE_AUDITOR: return "监督人员";
    case v1::ROLE_ADMIN: return "系统管理员";
    case v1::ROLE_SYSTEM: return "系统";
    default: return "未知角色";
  }
}

std::string ReferralStateWords(v1::ReferralState state) {
  switch (state) {
    case v1::REFERRAL_STATE_PROPOSED: return "待局领导审批";
    case v1::REFERRAL_STATE_APPROVED: return "已批准待移送";
    case v1::REFERRAL_STATE_REFUSED: return "未批准移送";
    case v1::REFERRAL_STATE_SENT: return "已移送待签收";
    case v1::REFERRAL_STATE_RECEIVED: return "已签收审查中";
    case v1::REFERRAL_STATE_FILED: return "已立案";
    case v1::REFERRAL_STATE_DECLINED: return "不予立案";
    case v1::REFERRAL_STATE_RETURNED: return "已退回";
    case v1::REFERRAL_STATE_RECONSIDERATION_REQUESTED: return "复议中";
    case v1::REFERRAL_STATE_DECLINE_UPHELD: return "维持不予立案";
    case v1::REFERRAL_STATE_SUPERVISION_REQUESTED: return "检察监督中";
    case v1::REFERRAL_STATE_WITHDRAWN: return "已撤回";
    case v1::REFERRAL_STATE_DECLINE_FINAL: return "不予立案已生效";
    default: return "—";
  }
}

std::string PenaltyStatusWords(v1::PenaltyStatus status) {
  switch (status) {
    case v1::PENALTY_STATUS_PROPOSED: return "待批准立案";
    case v1::PENALTY_STATUS_FILED: return "调查中";
    case v1::PENALTY_STATUS_INVESTIGATED: return "已调查";
    case v1::PENALTY_STATUS_NOTIFIED: return "已告知";
    case v1::PENALTY_STATUS_HEARING: return "听证中";
    case v1::PENALTY_STATUS_DECIDED: return "已作出处罚决定";
    case v1::PENALTY_STATUS_SERVED: return "已送达";
    case v1::PENALTY_STATUS_CLOSED: return "已结案";
    case v1::PENALTY_STATUS_NOT_FILED: return "不予立案";
    default: return "—";
  }
}

std::string ComplaintStatusWords(v1::ComplaintStatus status) {
  switch (status) {
    case v1::COMPLAINT_STATUS_RECEIVED: return "待受理";
    case v1::COMPLAINT_STATUS_ACCEPTED: return "办理中";
    case v1::COMPLAINT_STATUS_TRANSFERRED: return "已转办";
    case v1::COMPLAINT_STATUS_REPLIED: return "已答复";
    case v1::COMPLAINT_STATUS_REVIEW_REQUESTED: return "复查中";
    case v1::COMPLAINT_STATUS_REVIEW_ANSWERED: return "复查已答复";
    default: return "—";
  }
}

}  // namespace rectify

// The one home of the words a bureau user reads for a case's status (the
// ledger's status column, the monthly report page, the CLI's tables in
// Chinese, the Chinese refusals): 待交办, 已交办, 整改中, 已验收, 已销号,
// 查无实据, and 逾期 for an overdue case; likewise for roles and referral
// states (the web app's labels.ts and console/names.ts use the same words).
// Code, logs and the English refusals keep the enum names (FOUND, ...).
//
//   CaseStatusWords(state.status(), state.closure().unfounded())  // "查无实据"
//   LedgerStatus(state)                                         // "整改中（逾期）"
#ifndef RECTIFY_BASE_STATUS_WORDS_H_
#define RECTIFY_BASE_STATUS_WORDS_H_

#include <string>

#include "absl/strings/string_view.h"
#include "rectify/v1/case.pb.h"
#include "rectify/v1/common.pb.h"
#include "rectify/v1/penalty.pb.h"
#include "rectify/v1/complaint.pb.h"

namespace rectify {

// The English enum name without its prefix, as code, logs and English
// refusals write it: "RECTIFYING" for CASE_STATUS_RECTIFYING, "SENT" for
// REFERRAL_STATE_SENT.
std::string CaseStatusName(v1::CaseStatus status);
std::string ReferralStateName(v1::ReferralState state);

// The word for an overdue case or notice: "逾期".
inline constexpr absl::string_view kOverdueWord = "逾期";

// 待交办 (FOUND), 已交办 (ASSIGNED), 整改中 (RECTIFYING), 已验收 (VERIFIED),
// 已销号 (CLOSED) or 查无实据 (CLOSED as unfounded); "—" for no status.
std::string CaseStatusWords(v1::CaseStatus status, bool closed_unfounded = false);

// A case's status as the ledger shows it: its words, then "（逾期）" while it
// is overdue, e.g. "整改中（逾期）".
std::string LedgerStatus(const v1::Case& state);

// 执法人员 (INSPECTOR), 科室负责人, 整改责任单位, 局领导, 公安机关联络员,
// 检察机关联络员, 监督人员, 系统管理员, 系统; "未知角色" otherwise.
std::string RoleWords(v1::Role role);

// 待局领导审批 (PROPOSED), 已批准待移送, 未批准移送, 已移送待签收, 已签收审查中,
// 已立案, 不予立案, 已退回, 复议中, 维持不予立案, 检察监督中, 已撤回,
// 不予立案已生效; "—" otherwise.
std::string ReferralStateWords(v1::ReferralState state);

// A penalty case's status (penalty.proto): 待批准立案 (PROPOSED), 调查中,
// 已调查, 已告知, 听证中, 已作出处罚决定, 已送达, 已结案, 不予立案; "—" otherwise.
std::string PenaltyStatusWords(v1::PenaltyStatus status);
// A 12369 complaint's status (信访件): 待受理 (RECEIVED), 办理中 (ACCEPTED),
// 已转办, 已答复, 复查中, 复查已答复; "—" otherwise.
std::string ComplaintStatusWords(v1::ComplaintStatus status);

}  // namespace rectify

#endif  // RECTIFY_BASE_STATUS_WORDS_H_

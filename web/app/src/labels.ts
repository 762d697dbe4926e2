// What a bureau user reads for the API's enum values, in Simplified Chinese.
import { CaseSource, CaseStatus, Category, DeadlineKind, EvidenceKind, Role, Severity } from "./gen/rectify/v1/common_pb";
import { penaltyClockNames } from "./penalty_words";

const roleNames: Record<Role, string> = {
  [Role.UNSPECIFIED]: "未知角色",
  [Role.INSPECTOR]: "执法人员",
  [Role.SUPERVISOR]: "科室负责人",
  [Role.RECTIFIER]: "整改责任单位",
  [Role.BUREAU_HEAD]: "局领导",
  [Role.POLICE]: "公安机关联络员",
  [Role.PROCURATOR]: "检察机关联络员",
  [Role.AUDITOR]: "监督人员",
  [Role.ADMIN]: "系统管理员",
  [Role.SYSTEM]: "系统",
};

export function roleName(role: Role): string {
  return roleNames[role] ?? roleNames[Role.UNSPECIFIED];
}

export const statusNames: Record<CaseStatus, string> = {
  [CaseStatus.UNSPECIFIED]: "全部",
  [CaseStatus.FOUND]: "待交办",
  [CaseStatus.ASSIGNED]: "已交办",
  [CaseStatus.RECTIFYING]: "整改中",
  [CaseStatus.VERIFIED]: "已验收",
  [CaseStatus.CLOSED]: "已销号",
};

export const categoryNames: Record<Category, string> = {
  [Category.UNSPECIFIED]: "请选择",
  [Category.AIR]: "大气污染",
  [Category.WATER]: "水污染",
  [Category.SOIL]: "土壤污染",
  [Category.SOLID_WASTE]: "固体废物",
  [Category.NOISE]: "噪声",
  [Category.ECOLOGY]: "生态破坏",
  [Category.RADIATION]: "辐射",
  [Category.OTHER]: "其他",
};

export const severityNames: Record<Severity, string> = {
  [Severity.UNSPECIFIED]: "请选择",
  [Severity.LOW]: "轻微",
  [Severity.MEDIUM]: "一般",
  [Severity.HIGH]: "较重",
  [Severity.CRITICAL]: "严重",
};

export const sourceNames: Record<CaseSource, string> = {
  [CaseSource.UNSPECIFIED]: "请选择",
  [CaseSource.INSPECTION]: "现场检查",
  [CaseSource.HOTLINE_12369]: "12369 举报",
  [CaseSource.CENTRAL_INSPECTION]: "中央环保督察",
  [CaseSource.PROVINCIAL_INSPECTION]: "省级环保督察",
  [CaseSource.MONITORING]: "在线监测",
  [CaseSource.MEDIA]: "媒体报道",
  [CaseSource.SELF_FOUND]: "自查发现",
};

export const evidenceKindNames: Record<EvidenceKind, string> = {
  [EvidenceKind.UNSPECIFIED]: "未知",
  [EvidenceKind.PHOTO]: "照片",
  [EvidenceKind.VIDEO]: "视频",
  [EvidenceKind.DOCUMENT]: "文件",
  [EvidenceKind.MONITORING_REPORT]: "监测报告",
  [EvidenceKind.INSPECTION_RECORD]: "现场检查笔录",
  [EvidenceKind.INTERVIEW_RECORD]: "询问笔录",
  [EvidenceKind.SEIZED_ITEMS_LIST]: "查封扣押清单",
};

// The timeline's names of event payloads (Event.payload's field names).
export const eventNames: Record<string, string> = {
  caseReported: "上报案件",
  caseAssigned: "交办",
  caseReassigned: "重新交办",
  rectificationStarted: "开始整改",
  progressReported: "报告整改进展",
  extensionRequested: "申请延期",
  extensionDecided: "延期审批",
  completionSubmitted: "提交整改完成",
  rectificationVerified: "现场验收",
  objectionRaised: "公示异议",
  caseClosed: "销号",
  caseClosedUnfounded: "查无实据销号",
  caseReopened: "重新打开",
  evidenceRecorded: "记录证据",
  deadlineOpened: "期限开始",
  deadlineExtended: "期限延长",
  deadlineMissed: "期限已过",
  deadlineClosed: "期限结束",
  deadlineRecounted: "期限重算",
  referralProposed: "提议移送",
  referralApproved: "批准移送",
  referralRefused: "不同意移送",
  referralSent: "移送公安",
  referralReceived: "公安签收",
  referralReviewExtended: "延长审查期限",
  referralDecided: "公安决定",
  reconsiderationRequested: "要求复议",
  reconsiderationDecided: "复议决定",
  supervisionRequested: "提请检察监督",
  nonFilingExplained: "说明不立案理由",
  referralWithdrawn: "撤回移送",
  referralDeclineFinal: "不立案决定生效",
  reviewExtensionApproved: "批准延长审查期限",
  caseListed: "列入整改清单",
  caseUnlisted: "移出整改清单",
};

// The stage a deadline belongs to, as a countdown names it.
export const deadlineKindNames: Record<DeadlineKind, string> = {
  [DeadlineKind.UNSPECIFIED]: "办理期限",
  [DeadlineKind.RECTIFICATION]: "整改期限",
  [DeadlineKind.START]: "开始整改期限",
  [DeadlineKind.PUBLIC_NOTICE]: "公示期",
  [DeadlineKind.REFERRAL_APPROVAL]: "移送审批期限",
  [DeadlineKind.REFERRAL_SEND]: "移送期限",
  [DeadlineKind.REFERRAL_RECEIPT]: "公安签收期限",
  [DeadlineKind.REFERRAL_FILING_DECISION]: "立案审查期限",
  [DeadlineKind.RECONSIDERATION_REQUEST]: "申请复议期限",
  [DeadlineKind.RECONSIDERATION_DECISION]: "复议决定期限",
  [DeadlineKind.SUPERVISION_REQUEST]: "提请监督期限",
  [DeadlineKind.NON_FILING_EXPLANATION]: "不立案说明期限",
  [DeadlineKind.COMPLAINT_ACCEPTANCE]: "受理期限",
  [DeadlineKind.COMPLAINT_REPLY]: "答复期限",
  [DeadlineKind.COMPLAINT_REVIEW_REQUEST]: "申请复查期限",
  [DeadlineKind.COMPLAINT_REVIEW_ANSWER]: "复查答复期限",
  [DeadlineKind.COMPLAINT_REPLY_EXTENSION]: "答复期限（已延长）",
  ...penaltyClockNames,
};

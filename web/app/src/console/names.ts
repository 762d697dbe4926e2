// What the console shows for the API's enum values and event kinds, in
// Simplified Chinese, and how it formats instants (Asia/Shanghai).
import type { Timestamp } from "@bufbuild/protobuf/wkt";
import { formatTime as formatInstant } from "../format";
import type { DeadlineCountdown } from "../gen/rectify/v1/case_service_pb";
import {
  CaseSource,
  CaseStatus,
  Category,
  DeadlineKind,
  DeadlineState,
  EvidenceKind,
  ExtensionState,
  ReferralState,
  Severity,
} from "../gen/rectify/v1/common_pb";
import { penaltyClockNames, penaltyEventNames } from "../penalty_words";

export const statusNames: Record<CaseStatus, string> = {
  [CaseStatus.UNSPECIFIED]: "全部状态",
  [CaseStatus.FOUND]: "待交办",
  [CaseStatus.ASSIGNED]: "已交办",
  [CaseStatus.RECTIFYING]: "整改中",
  [CaseStatus.VERIFIED]: "已验收",
  [CaseStatus.CLOSED]: "已销号",
};

// The statuses of a case that is still being worked, in life-cycle order.
export const openStatuses: CaseStatus[] = [
  CaseStatus.FOUND,
  CaseStatus.ASSIGNED,
  CaseStatus.RECTIFYING,
  CaseStatus.VERIFIED,
];

export const categoryNames: Record<Category, string> = {
  [Category.UNSPECIFIED]: "全部类别",
  [Category.AIR]: "大气",
  [Category.WATER]: "水",
  [Category.SOIL]: "土壤",
  [Category.SOLID_WASTE]: "固体废物",
  [Category.NOISE]: "噪声",
  [Category.ECOLOGY]: "生态",
  [Category.RADIATION]: "辐射",
  [Category.OTHER]: "其他",
};

export const sourceNames: Record<CaseSource, string> = {
  [CaseSource.UNSPECIFIED]: "全部来源",
  [CaseSource.INSPECTION]: "执法检查",
  [CaseSource.HOTLINE_12369]: "12369 热线",
  [CaseSource.CENTRAL_INSPECTION]: "中央环保督察",
  [CaseSource.PROVINCIAL_INSPECTION]: "省级环保督察",
  [CaseSource.MONITORING]: "在线监测",
  [CaseSource.MEDIA]: "媒体报道",
  [CaseSource.SELF_FOUND]: "自查发现",
};

export const severityNames: Record<Severity, string> = {
  [Severity.UNSPECIFIED]: "未定",
  [Severity.LOW]: "轻微",
  [Severity.MEDIUM]: "一般",
  [Severity.HIGH]: "较重",
  [Severity.CRITICAL]: "严重",
};

export const evidenceKindNames: Record<EvidenceKind, string> = {
  [EvidenceKind.UNSPECIFIED]: "其他",
  [EvidenceKind.PHOTO]: "照片",
  [EvidenceKind.VIDEO]: "视频",
  [EvidenceKind.DOCUMENT]: "文件",
  [EvidenceKind.MONITORING_REPORT]: "监测报告",
  [EvidenceKind.INSPECTION_RECORD]: "检查笔录",
  [EvidenceKind.INTERVIEW_RECORD]: "询问笔录",
  [EvidenceKind.SEIZED_ITEMS_LIST]: "扣押物品清单",
};

export const deadlineKindNames: Record<DeadlineKind, string> = {
  [DeadlineKind.UNSPECIFIED]: "期限",
  [DeadlineKind.RECTIFICATION]: "整改期限",
  [DeadlineKind.START]: "启动整改期限",
  [DeadlineKind.PUBLIC_NOTICE]: "公示期",
  [DeadlineKind.REFERRAL_APPROVAL]: "移送审批期限",
  [DeadlineKind.REFERRAL_SEND]: "移送期限",
  [DeadlineKind.REFERRAL_RECEIPT]: "签收期限",
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

export const deadlineStateNames: Record<DeadlineState, string> = {
  [DeadlineState.UNSPECIFIED]: "",
  [DeadlineState.OPEN]: "进行中",
  [DeadlineState.MET]: "按期完成",
  [DeadlineState.MISSED]: "已逾期",
  [DeadlineState.CANCELLED]: "已取消",
  [DeadlineState.MET_LATE]: "逾期完成",
};

export const extensionStateNames: Record<ExtensionState, string> = {
  [ExtensionState.UNSPECIFIED]: "",
  [ExtensionState.REQUESTED]: "待审批",
  [ExtensionState.GRANTED]: "已批准",
  [ExtensionState.REFUSED]: "未批准",
};

export const referralStateNames: Record<ReferralState, string> = {
  [ReferralState.UNSPECIFIED]: "",
  [ReferralState.PROPOSED]: "待局领导审批",
  [ReferralState.APPROVED]: "已批准待移送",
  [ReferralState.REFUSED]: "未批准移送",
  [ReferralState.SENT]: "已移送待签收",
  [ReferralState.RECEIVED]: "已签收审查中",
  [ReferralState.FILED]: "已立案",
  [ReferralState.DECLINED]: "不予立案",
  [ReferralState.RETURNED]: "已退回",
  [ReferralState.RECONSIDERATION_REQUESTED]: "复议中",
  [ReferralState.DECLINE_UPHELD]: "维持不予立案",
  [ReferralState.SUPERVISION_REQUESTED]: "检察监督中",
  [ReferralState.WITHDRAWN]: "已撤回",
  [ReferralState.DECLINE_FINAL]: "不予立案已生效",
};

// Event payload kinds (Event.payload.case) as a timeline reads them.
export const eventNames: Record<string, string> = {
  caseReported: "登记问题",
  caseAssigned: "交办",
  caseReassigned: "改派",
  rectificationStarted: "开始整改",
  progressReported: "报告进展",
  extensionRequested: "申请延期",
  extensionDecided: "审批延期",
  completionSubmitted: "提交整改完成",
  rectificationVerified: "现场验收",
  objectionRaised: "公示期异议",
  caseClosed: "销号",
  caseClosedUnfounded: "查无实据销号",
  caseReopened: "重新打开（反弹）",
  evidenceRecorded: "上传证据",
  deadlineOpened: "期限开始计算",
  deadlineExtended: "期限延长",
  deadlineMissed: "期限届满未完成",
  deadlineClosed: "期限结束",
  deadlineRecounted: "按新日历重算期限",
  referralProposed: "提议移送公安",
  referralApproved: "局领导批准移送",
  referralRefused: "局领导未批准移送",
  referralSent: "移送公安机关",
  referralReceived: "公安机关签收",
  referralReviewExtended: "公安延长审查期限",
  referralDecided: "公安作出立案决定",
  reconsiderationRequested: "申请复议",
  reconsiderationDecided: "复议决定",
  supervisionRequested: "提请检察监督",
  nonFilingExplained: "公安说明不立案理由",
  referralWithdrawn: "撤回移送",
  referralDeclineFinal: "不予立案生效",
  reviewExtensionApproved: "批准延长审查期限",
  caseListed: "列入整改清单",
  caseUnlisted: "移出整改清单",
  listCreated: "创建清单",
  listItemAdded: "清单加入问题",
  listItemRemoved: "清单移出问题",
  listClosed: "清单清零",
  ...penaltyEventNames,
};

export function toDate(t: Timestamp | undefined): Date | undefined {
  if (!t) return undefined;
  return new Date(Number(t.seconds) * 1000 + Math.floor(t.nanos / 1e6));
}

// "2026/01/05 10:00" in Beijing time, "—" when unset.
export function formatTime(t: Timestamp | undefined): string {
  return formatInstant(t);
}

// The server's countdown of a running deadline (DeadlineCountdown, counted
// on its working-day calendar) in words: 「还剩 3 天（2 个工作日）」 or
// 「已逾期 2 个工作日」; "—" when there is none.
export function countdownText(c: DeadlineCountdown | undefined): string {
  if (!c) return "—";
  if (c.overdue) return c.workingDaysLeft < 0 ? `已逾期 ${-c.workingDaysLeft} 个工作日` : "已逾期";
  return `还剩 ${c.calendarDaysLeft} 天（${c.workingDaysLeft} 个工作日）`;
}

// The one home of the words a bureau user reads for penalty cases (处罚案件,
// proto/rectify/v1/penalty.proto) in the web app: their states, clocks,
// penalty kinds, orders to correct, remedies, closings and events; and money
// in yuan from integer fen (never a floating point). The same words as
// base/status_words.cc and client/penalty_format.cc.
import { DeadlineKind } from "./gen/rectify/v1/common_pb";
import {
  CorrectionOrderState,
  PenaltyClosingReason,
  PenaltyDecisionKind,
  PenaltyKind,
  PenaltyStatus,
  RecheckResult,
  RemedyKind,
  RemedyOutcome,
} from "./gen/rectify/v1/penalty_pb";

type PenaltyClock =
  | DeadlineKind.PENALTY_FILING
  | DeadlineKind.PENALTY_HEARING_REQUEST
  | DeadlineKind.PENALTY_HEARING_NOTICE
  | DeadlineKind.PENALTY_DECISION
  | DeadlineKind.PENALTY_SERVICE
  | DeadlineKind.PENALTY_PAYMENT
  | DeadlineKind.PENALTY_RECONSIDERATION_WINDOW
  | DeadlineKind.PENALTY_LAWSUIT_WINDOW
  | DeadlineKind.PENALTY_EXECUTION
  | DeadlineKind.PENALTY_PUBLICATION
  | DeadlineKind.CORRECTION_DEADLINE
  | DeadlineKind.CORRECTION_RECHECK;

// The penalty clocks (DeadlineKind 20-31), spread into the deadline names of
// the console (console/names.ts) and the field app (labels.ts).
export const penaltyClockNames: Record<PenaltyClock, string> = {
  [DeadlineKind.PENALTY_FILING]: "立案期限",
  [DeadlineKind.PENALTY_HEARING_REQUEST]: "申请听证期限",
  [DeadlineKind.PENALTY_HEARING_NOTICE]: "听证通知期",
  [DeadlineKind.PENALTY_DECISION]: "处罚决定期限",
  [DeadlineKind.PENALTY_SERVICE]: "送达期限",
  [DeadlineKind.PENALTY_PAYMENT]: "缴纳罚款期限",
  [DeadlineKind.PENALTY_RECONSIDERATION_WINDOW]: "申请行政复议期限",
  [DeadlineKind.PENALTY_LAWSUIT_WINDOW]: "提起行政诉讼期限",
  [DeadlineKind.PENALTY_EXECUTION]: "申请强制执行期限",
  [DeadlineKind.PENALTY_PUBLICATION]: "信息公开期限",
  [DeadlineKind.CORRECTION_DEADLINE]: "改正期限",
  [DeadlineKind.CORRECTION_RECHECK]: "复查期限",
};

export const penaltyStatusNames: Record<PenaltyStatus, string> = {
  [PenaltyStatus.UNSPECIFIED]: "全部状态",
  [PenaltyStatus.PROPOSED]: "待批准立案",
  [PenaltyStatus.FILED]: "调查中",
  [PenaltyStatus.INVESTIGATED]: "已调查",
  [PenaltyStatus.NOTIFIED]: "已告知",
  [PenaltyStatus.HEARING]: "听证中",
  [PenaltyStatus.DECIDED]: "已作出处罚决定",
  [PenaltyStatus.SERVED]: "已送达",
  [PenaltyStatus.CLOSED]: "已结案",
  [PenaltyStatus.NOT_FILED]: "不予立案",
};

export const penaltyKindNames: Record<PenaltyKind, string> = {
  [PenaltyKind.UNSPECIFIED]: "",
  [PenaltyKind.WARNING]: "警告",
  [PenaltyKind.FINE]: "罚款",
  [PenaltyKind.CONFISCATION]: "没收违法所得、没收非法财物",
  [PenaltyKind.STOP_PRODUCTION]: "责令停产停业",
  [PenaltyKind.LICENCE_REVOKED]: "吊销许可证件",
};

export const decisionKindNames: Record<PenaltyDecisionKind, string> = {
  [PenaltyDecisionKind.UNSPECIFIED]: "",
  [PenaltyDecisionKind.ORIGINAL]: "处罚决定",
  [PenaltyDecisionKind.DAILY]: "按日连续处罚",
};

export const remedyKindNames: Record<RemedyKind, string> = {
  [RemedyKind.UNSPECIFIED]: "",
  [RemedyKind.RECONSIDERATION]: "行政复议",
  [RemedyKind.LAWSUIT]: "行政诉讼",
};

export const remedyOutcomeNames: Record<RemedyOutcome, string> = {
  [RemedyOutcome.UNSPECIFIED]: "",
  [RemedyOutcome.PENDING]: "审理中",
  [RemedyOutcome.UPHELD]: "维持",
  [RemedyOutcome.REVOKED]: "撤销",
  [RemedyOutcome.CHANGED]: "变更",
  [RemedyOutcome.WITHDRAWN]: "撤回",
};

export const recheckResultNames: Record<RecheckResult, string> = {
  [RecheckResult.UNSPECIFIED]: "",
  [RecheckResult.CORRECTED]: "已改正",
  [RecheckResult.CONTINUING]: "仍在违法",
};

export const orderStateNames: Record<CorrectionOrderState, string> = {
  [CorrectionOrderState.UNSPECIFIED]: "",
  [CorrectionOrderState.ISSUED]: "已下达待送达",
  [CorrectionOrderState.SERVED]: "已送达待复查",
  [CorrectionOrderState.CORRECTED]: "复查已改正",
  [CorrectionOrderState.CONTINUING]: "复查仍在违法",
  [CorrectionOrderState.CANCELLED]: "已撤销",
};

export const closingReasonNames: Record<PenaltyClosingReason, string> = {
  [PenaltyClosingReason.UNSPECIFIED]: "",
  [PenaltyClosingReason.PERFORMED]: "履行完毕",
  [PenaltyClosingReason.EXECUTED]: "法院强制执行",
  [PenaltyClosingReason.REVOKED]: "决定被撤销",
  [PenaltyClosingReason.NOT_PENALIZED]: "不予处罚",
};

// Penalty stream events (Event.payload.case) as a timeline reads them.
export const penaltyEventNames: Record<string, string> = {
  penaltyCaseOpened: "提请立案",
  casePenaltyLinked: "立案处罚",
  penaltyFilingDecided: "立案审批",
  penaltyFilingExtended: "延长立案期限",
  penaltyInvestigationRecorded: "调查终结",
  penaltyPriorNoticeServed: "处罚事先告知",
  penaltyHearingRequested: "申请听证",
  penaltyHearingScheduled: "通知听证",
  penaltyHearingHeld: "举行听证",
  penaltyDecided: "作出处罚决定",
  penaltyDecisionPeriodExtended: "延长处罚决定期限",
  penaltyDecisionServed: "送达处罚决定书",
  penaltyPaymentRecorded: "缴纳罚款",
  penaltyRemedyFiled: "申请复议或诉讼",
  penaltyRemedyDecided: "复议或诉讼结果",
  penaltyExecutionApplied: "申请强制执行",
  penaltyPublished: "信息公开",
  correctionOrderIssued: "责令改正",
  correctionOrderServed: "送达责令改正决定书",
  correctionRecheckRecorded: "复查",
  penaltyCaseClosed: "结案",
};

// "50,000.00 元" for 5000000 fen.
export function fenText(fen: bigint): string {
  const negative = fen < 0n;
  const m = negative ? -fen : fen;
  const yuan = (m / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const cents = (m % 100n).toString().padStart(2, "0");
  return `${negative ? "-" : ""}${yuan}.${cents} 元`;
}

// Yuan as typed ("50000", "50,000", "1234.5") in fen, exactly; undefined for
// anything else (a sign, more than two decimals, more than 1,000,000,000 yuan).
export function yuanToFen(text: string): bigint | undefined {
  const m = /^(\d{1,10})(?:\.(\d{1,2}))?$/.exec(text.replace(/[,，\s]/g, ""));
  if (!m) return undefined;
  const fen = BigInt(m[1]) * 100n + BigInt((m[2] ?? "").padEnd(2, "0"));
  return fen > 100_000_000_000n ? undefined : fen;
}

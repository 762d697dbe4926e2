// Penalty cases (处罚案件, PenaltyService): the queue with each case's most
// pressing clock and its days left, one penalty case with its steps, clocks,
// decisions and orders to correct, and the steps the caller's role may take
// at its state, each behind a confirmation dialog that shows the server's
// Chinese reason when it refuses. Days left are the server's
// (DeadlineCountdown); the page counts nothing itself. Also what the case
// page shows of its penalty cases and the action that opens one.
//
// One file (about 660 lines), on purpose: its largest part is actionsFor, the
// table of the procedure's steps (one dialog each), the rest the page's
// sections and the queue. It follows workflow/penalties.cc step for step, and a
// step's dialog and the section showing its result are changed together.
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { el } from "../dom";
import { unitLabel } from "../directory";
import type { Case } from "../gen/rectify/v1/case_pb";
import type { DeadlineCountdown } from "../gen/rectify/v1/case_service_pb";
import { DeadlineState, Role } from "../gen/rectify/v1/common_pb";
import type { Principal } from "../gen/rectify/v1/common_pb";
import {
  CorrectionOrderState,
  PenaltyClosingReason,
  PenaltyDecisionKind,
  PenaltyKind,
  type PenaltyCase,
  type PenaltyTerms,
  PenaltyStatus,
  RecheckResult,
  RemedyKind,
  RemedyOutcome,
} from "../gen/rectify/v1/penalty_pb";
import type { SurchargeOwed } from "../gen/rectify/v1/penalty_service_pb";
import {
  closingReasonNames,
  decisionKindNames,
  fenText,
  orderStateNames,
  penaltyKindNames,
  penaltyStatusNames,
  recheckResultNames,
  remedyKindNames,
  remedyOutcomeNames,
  yuanToFen,
} from "../penalty_words";
import { cases, newCommandId, penalties } from "./clients";
import type { PageContext } from "./console";
import { type Action, type ActionField, actionButton } from "./dialog";
import { debounced, onEvent } from "./live";
import { countdownText, deadlineKindNames, eventNames, formatTime } from "./names";
import { refusalText } from "./refusal";
import { table } from "./table";

const href = (id: string) => `/console/penalties/${encodeURIComponent(id)}`;
const caseHref = (id: string) => `/console/cases/${encodeURIComponent(id)}`;

// A day picked in a dialog as an instant in Beijing: its end (a deadline) or
// a given time of it.
function dayEnd(day: string) {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? timestampFromDate(new Date(`${day}T23:59:59+08:00`)) : undefined;
}
function dayAt(day: string, time: string) {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? timestampFromDate(new Date(`${day}T${time}:00+08:00`)) : undefined;
}

// A money field's value in fen; the dialog shows this sentence when it is not one.
function fen(text: string): bigint {
  const v = yuanToFen(text);
  if (v === undefined) throw new Error("罚款金额请填写元，最多两位小数，例如 50000 或 1234.50");
  return v;
}

export function termsText(t: PenaltyTerms | undefined): string {
  if (!t) return "—";
  return (
    t.kinds
      .map((k) => (k === PenaltyKind.FINE ? `罚款 ${fenText(t.fineFen)}` : k === PenaltyKind.CONFISCATION && t.confiscation ? `${penaltyKindNames[k]}（${t.confiscation}）` : penaltyKindNames[k]))
      .join("、") || "—"
  );
}

// The penalty kinds a decision dialog offers, as the kinds they set.
const kindChoices: Record<string, PenaltyKind[]> = {
  fine: [PenaltyKind.FINE],
  warning_fine: [PenaltyKind.WARNING, PenaltyKind.FINE],
  warning: [PenaltyKind.WARNING],
  fine_stop: [PenaltyKind.FINE, PenaltyKind.STOP_PRODUCTION],
  fine_confiscation: [PenaltyKind.FINE, PenaltyKind.CONFISCATION],
};
const kindOptions: [string, string][] = [
  ["fine", "罚款"],
  ["warning_fine", "警告并处罚款"],
  ["warning", "警告"],
  ["fine_stop", "罚款并责令停产停业"],
  ["fine_confiscation", "罚款并没收违法所得"],
];
function terms(values: Record<string, string>) {
  const kinds = kindChoices[values.kinds] ?? [PenaltyKind.FINE];
  return { kinds, fineFen: kinds.includes(PenaltyKind.FINE) ? fen(values.fine) : 0n, confiscation: values.confiscation ?? "" };
}
const termFields: ActionField[] = [
  { name: "kinds", label: "处罚种类", kind: "select", options: kindOptions },
  { name: "fine", label: "罚款金额（元）", hint: "按元填写，最多两位小数；不处罚款时留空" },
];

// The officer a dialog asks for besides the caller (two INSPECTORs sign an
// investigation or a recheck): the server's list for the source case.
async function otherOfficers(caseId: string): Promise<[string, string][]> {
  try {
    const reply = await cases.listOfficers({ caseId, pageSize: 500 });
    return reply.officers.map((o) => [o.principalId, `${o.displayName}（${o.principalId}）`]);
  } catch {
    return [];
  }
}

function actionsFor(principal: Principal, p: PenaltyCase, officers: [string, string][]): Action[] {
  const role = principal.role;
  const base = { penaltyCaseId: p.penaltyCaseId, expectedVersion: p.version };
  const actions: Action[] = [];
  const open = p.status !== PenaltyStatus.CLOSED && p.status !== PenaltyStatus.NOT_FILED;
  const filedOrLater = open && p.status !== PenaltyStatus.PROPOSED;
  const officerField: ActionField = { name: "officer", label: "共同执法人员", kind: "select", options: officers, required: true };
  if (role === Role.BUREAU_HEAD) {
    if (p.status === PenaltyStatus.PROPOSED) {
      actions.push({
        id: "approve-filing",
        label: "批准立案",
        confirm: "确认批准对该案立案调查？",
        fields: [{ name: "remark", label: "审批意见", kind: "textarea" }],
        run: (v) => penalties.decidePenaltyFiling({ ...base, commandId: newCommandId(), approved: true, remark: v.remark }),
      });
      actions.push({
        id: "refuse-filing",
        label: "不予立案",
        confirm: "确认不予立案？不予立案后该处罚案件结束。",
        danger: true,
        fields: [{ name: "remark", label: "不予立案理由", kind: "textarea", required: true }],
        run: (v) => penalties.decidePenaltyFiling({ ...base, commandId: newCommandId(), approved: false, remark: v.remark }),
      });
      if (!p.filing?.extended) {
        actions.push({
          id: "extend-filing",
          label: "延长立案期限",
          confirm: "确认延长立案期限（一次，按政策天数）？",
          fields: [{ name: "reason", label: "延长理由", kind: "textarea", required: true }],
          run: (v) => penalties.extendPenaltyFiling({ ...base, commandId: newCommandId(), reason: v.reason }),
        });
      }
    }
    if (p.status === PenaltyStatus.NOTIFIED || p.status === PenaltyStatus.HEARING) {
      actions.push({
        id: "decide",
        label: "作出处罚决定",
        confirm: "确认作出行政处罚决定？文号由系统按年度顺序编号，不可撤回。",
        fields: [
          { name: "facts", label: "违法事实", kind: "textarea", required: true, value: p.priorNotice?.facts },
          { name: "legalBasis", label: "处罚依据", kind: "textarea", required: true, value: p.priorNotice?.grounds },
          ...termFields,
        ],
        run: (v) => penalties.decidePenalty({ ...base, commandId: newCommandId(), facts: v.facts, legalBasis: v.legalBasis, terms: terms(v) }),
      });
    }
    if (filedOrLater && p.decisions.length === 0 && !p.decisionPeriodExtended) {
      actions.push({
        id: "extend-decision",
        label: "延长处罚决定期限",
        confirm: "确认延长作出处罚决定的期限（一次，按政策天数）？",
        fields: [{ name: "reason", label: "延长理由", kind: "textarea", required: true }],
        run: (v) => penalties.extendPenaltyDecisionPeriod({ ...base, commandId: newCommandId(), reason: v.reason }),
      });
    }
    for (const d of p.decisions.filter((d) => d.servedAt && !d.settled && !d.revoked && !d.executionAppliedAt)) {
      actions.push({
        id: `execute-${d.decisionId}`,
        label: `申请强制执行 ${d.documentNumber}`,
        confirm: `确认就 ${d.documentNumber} 申请人民法院强制执行？`,
        fields: [{ name: "court", label: "人民法院", required: true, value: "民乐县人民法院" }],
        run: (v) => penalties.applyCompulsoryExecution({ ...base, commandId: newCommandId(), decisionId: d.decisionId, court: v.court }),
      });
    }
  }
  if (role === Role.INSPECTOR) {
    if (p.status === PenaltyStatus.FILED) {
      actions.push({
        id: "investigate",
        label: "调查终结",
        confirm: "确认提交调查终结报告？须由两名以上执法人员共同调查。",
        fields: [officerField, { name: "report", label: "调查报告", kind: "textarea", required: true }],
        run: (v) => penalties.recordPenaltyInvestigation({ ...base, commandId: newCommandId(), officers: [principal.principalId, v.officer], report: v.report }),
      });
    }
    for (const o of p.orders.filter((o) => o.state === CorrectionOrderState.SERVED)) {
      actions.push({
        id: `recheck-${o.orderId}`,
        label: `复查 ${o.orderId}`,
        confirm: "确认记录本次暗查复查结果？仍在违法的，系统将按日连续处罚并下达新的责令改正。",
        fields: [
          officerField,
          { name: "result", label: "复查结果", kind: "select", options: [["corrected", "已改正"], ["continuing", "仍在违法"]] },
          { name: "findings", label: "复查情况", kind: "textarea", required: true },
          { name: "next", label: "仍在违法时：新的改正期限", kind: "date" },
        ],
        run: (v) =>
          penalties.recordCorrectionRecheck({
            ...base,
            commandId: newCommandId(),
            orderId: o.orderId,
            officers: [principal.principalId, v.officer],
            result: v.result === "continuing" ? RecheckResult.CONTINUING : RecheckResult.CORRECTED,
            findings: v.findings,
            nextCorrectBy: v.result === "continuing" ? dayEnd(v.next) : undefined,
          }),
      });
    }
  }
  if (role === Role.SUPERVISOR && open) {
    if (p.status === PenaltyStatus.INVESTIGATED) {
      actions.push({
        id: "notify",
        label: "处罚事先告知",
        confirm: "确认已向当事人送达行政处罚事先告知书？送达后开始计算申请听证期限。",
        fields: [
          { name: "facts", label: "违法事实", kind: "textarea", required: true },
          { name: "grounds", label: "处罚依据", kind: "textarea", required: true },
          ...termFields,
        ],
        run: (v) => penalties.servePenaltyPriorNotice({ ...base, commandId: newCommandId(), facts: v.facts, grounds: v.grounds, intended: terms(v) }),
      });
    }
    if (p.status === PenaltyStatus.NOTIFIED) {
      actions.push({
        id: "hearing-request",
        label: "当事人申请听证",
        confirm: "确认当事人在期限内申请了听证？",
        run: () => penalties.requestPenaltyHearing({ ...base, commandId: newCommandId() }),
      });
    }
    if (p.status === PenaltyStatus.HEARING && !p.hearing?.scheduledFor) {
      actions.push({
        id: "hearing-schedule",
        label: "通知听证",
        confirm: "确认已通知当事人听证的时间和地点？听证应在通知后至少 7 日举行。",
        fields: [
          { name: "day", label: "听证日期", kind: "date", required: true },
          { name: "place", label: "听证地点", required: true },
        ],
        run: (v) => penalties.schedulePenaltyHearing({ ...base, commandId: newCommandId(), scheduledFor: dayAt(v.day, "09:00"), place: v.place }),
      });
    }
    if (p.status === PenaltyStatus.HEARING && p.hearing?.scheduledFor && !p.hearing.heldAt) {
      actions.push({
        id: "hearing-record",
        label: "记录听证",
        confirm: "确认记录听证情况？",
        fields: [
          { name: "record", label: "听证笔录摘要", kind: "textarea", required: true },
          { name: "waived", label: "听证情况", kind: "select", options: [["no", "已举行"], ["yes", "当事人撤回或未到场"]] },
        ],
        run: (v) => penalties.recordPenaltyHearing({ ...base, commandId: newCommandId(), record: v.record, waived: v.waived === "yes" }),
      });
    }
    for (const d of p.decisions) {
      if (d.revoked) continue;
      const dn = d.documentNumber;
      if (!d.servedAt) {
        actions.push({
          id: `serve-${d.decisionId}`,
          label: `送达 ${dn}`,
          confirm: `确认 ${dn} 已送达当事人？送达后开始计算缴纳、复议和诉讼期限。`,
          run: () => penalties.servePenaltyDecision({ ...base, commandId: newCommandId(), decisionId: d.decisionId }),
        });
        continue;
      }
      if (!d.settled) {
        actions.push({
          id: `pay-${d.decisionId}`,
          label: `登记缴纳 ${dn}`,
          confirm: `确认登记 ${dn} 的缴款？`,
          fields: [
            { name: "fine", label: "缴纳罚款（元）", required: true },
            { name: "surcharge", label: "缴纳加处罚款（元）", value: "0" },
          ],
          run: (v) => penalties.recordPenaltyPayment({ ...base, commandId: newCommandId(), decisionId: d.decisionId, fineFen: fen(v.fine), surchargeFen: fen(v.surcharge || "0") }),
        });
      }
      actions.push({
        id: `remedy-${d.decisionId}`,
        label: `登记复议或诉讼 ${dn}`,
        confirm: `确认当事人就 ${dn} 申请了行政复议或提起了行政诉讼？`,
        fields: [
          { name: "kind", label: "救济途径", kind: "select", options: [["reconsideration", "行政复议"], ["lawsuit", "行政诉讼"]] },
          { name: "body", label: "受理机关", required: true },
        ],
        run: (v) => penalties.recordPenaltyRemedy({ ...base, commandId: newCommandId(), decisionId: d.decisionId, kind: v.kind === "lawsuit" ? RemedyKind.LAWSUIT : RemedyKind.RECONSIDERATION, body: v.body }),
      });
      for (const r of d.remedies.filter((r) => r.outcome === RemedyOutcome.PENDING)) {
        actions.push({
          id: `remedy-decide-${d.decisionId}-${r.kind}`,
          label: `登记${remedyKindNames[r.kind]}结果 ${dn}`,
          confirm: `确认登记${remedyKindNames[r.kind]}的结果？`,
          fields: [
            {
              name: "outcome",
              label: "结果",
              kind: "select",
              options: [
                [String(RemedyOutcome.UPHELD), "维持"],
                [String(RemedyOutcome.REVOKED), "撤销"],
                [String(RemedyOutcome.CHANGED), "变更"],
                [String(RemedyOutcome.WITHDRAWN), "撤回"],
              ],
            },
            { name: "changed", label: "变更后的罚款（元）", hint: "仅“变更”时填写" },
            { name: "remark", label: "文书编号或说明", kind: "textarea" },
          ],
          run: (v) =>
            penalties.decidePenaltyRemedy({
              ...base,
              commandId: newCommandId(),
              decisionId: d.decisionId,
              kind: r.kind,
              outcome: Number(v.outcome) as RemedyOutcome,
              changedFineFen: Number(v.outcome) === RemedyOutcome.CHANGED ? fen(v.changed) : 0n,
              remark: v.remark,
            }),
        });
      }
    }
    for (const d of p.decisions.filter((d) => !d.publishedAt && !d.revoked)) {
      actions.push({
        id: `publish-${d.decisionId}`,
        label: `信息公开 ${d.documentNumber}`,
        confirm: `确认 ${d.documentNumber} 已依法公开（已删除个人信息和商业秘密）？`,
        run: () => penalties.publishPenalty({ ...base, commandId: newCommandId(), decisionId: d.decisionId }),
      });
    }
    if (filedOrLater) {
      actions.push({
        id: "order",
        label: "责令改正",
        confirm: "确认下达责令改正违法行为决定书？",
        fields: [
          { name: "requirements", label: "改正要求", kind: "textarea", required: true },
          { name: "day", label: "改正期限", kind: "date", required: true },
        ],
        run: (v) => penalties.issueCorrectionOrder({ ...base, commandId: newCommandId(), requirements: v.requirements, correctBy: dayEnd(v.day) }),
      });
    }
    for (const o of p.orders.filter((o) => o.state === CorrectionOrderState.ISSUED)) {
      actions.push({
        id: `serve-order-${o.orderId}`,
        label: `送达责令改正 ${o.orderId}`,
        confirm: "确认责令改正决定书已送达当事人？送达后 30 日内应暗查复查。",
        run: () => penalties.serveCorrectionOrder({ ...base, commandId: newCommandId(), orderId: o.orderId }),
      });
    }
    if (filedOrLater) {
      actions.push({
        id: "close",
        label: "结案",
        confirm: "确认结案？结案后不能再办理该处罚案件。",
        danger: true,
        fields: [
          {
            name: "reason",
            label: "结案情形",
            kind: "select",
            options: [
              [String(PenaltyClosingReason.PERFORMED), closingReasonNames[PenaltyClosingReason.PERFORMED]],
              [String(PenaltyClosingReason.EXECUTED), closingReasonNames[PenaltyClosingReason.EXECUTED]],
              [String(PenaltyClosingReason.REVOKED), closingReasonNames[PenaltyClosingReason.REVOKED]],
              [String(PenaltyClosingReason.NOT_PENALIZED), closingReasonNames[PenaltyClosingReason.NOT_PENALIZED]],
            ],
          },
          { name: "remark", label: "说明", kind: "textarea" },
        ],
        run: (v) => penalties.closePenaltyCase({ ...base, commandId: newCommandId(), reason: Number(v.reason) as PenaltyClosingReason, remark: v.remark }),
      });
    }
  }
  return actions;
}


function facts(p: PenaltyCase): HTMLElement {
  const rows: [string, string | Node][] = [
    ["处罚案件编号", p.penaltyCaseId],
    ["状态", penaltyStatusNames[p.status] + (p.overdue ? "（逾期）" : "")],
    ["来源问题", el("a", { href: caseHref(p.sourceCaseId), id: "source-case" }, p.sourceCaseId)],
    ["当事人", p.subject?.name || "—"],
    ["统一社会信用代码", p.subject?.unifiedSocialCreditCode || "—"],
    ["违法行为", p.violation],
    ["发现时间", formatTime(p.filing?.discoveredAt)],
    ["提请人", p.filing?.proposedBy?.displayName ?? "—"],
  ];
  if (p.sourceReferralId) rows.push(["退回的移送", p.sourceReferralId]);
  if (p.closing) rows.push(["结案", `${closingReasonNames[p.closing.reason]}${p.closing.remark ? `：${p.closing.remark}` : ""}`]);
  return el("dl", { class: "facts", id: "penalty-facts" }, ...rows.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
}

// The steps taken, in the order the procedure takes them.
function steps(p: PenaltyCase): HTMLElement {
  const items: [string, string, string][] = [];
  const f = p.filing;
  if (f) {
    items.push([formatTime(f.proposedAt), "提请立案", f.proposedBy?.displayName ?? ""]);
    if (f.decidedAt) items.push([formatTime(f.decidedAt), p.status === PenaltyStatus.NOT_FILED ? "不予立案" : "批准立案", `${f.decidedBy?.displayName ?? ""}${f.remark ? `：${f.remark}` : ""}`]);
  }
  if (p.investigation) items.push([formatTime(p.investigation.recordedAt), "调查终结", `执法人员 ${p.investigation.officers.join("、")}`]);
  if (p.priorNotice) items.push([formatTime(p.priorNotice.servedAt), "处罚事先告知", `拟处罚：${termsText(p.priorNotice.intended)}；申请听证截止 ${formatTime(p.priorNotice.hearingRequestEndsAt)}`]);
  if (p.hearing) {
    items.push([formatTime(p.hearing.requestedAt), "当事人申请听证", ""]);
    if (p.hearing.notifiedAt) items.push([formatTime(p.hearing.notifiedAt), "通知听证", `${formatTime(p.hearing.scheduledFor)}，${p.hearing.place}`]);
    if (p.hearing.heldAt) items.push([formatTime(p.hearing.heldAt), p.hearing.waived ? "听证终止" : "举行听证", p.hearing.record]);
  }
  for (const d of p.decisions) {
    items.push([formatTime(d.decidedAt), `${decisionKindNames[d.kind]} ${d.documentNumber}`, termsText(d.terms)]);
    if (d.servedAt) items.push([formatTime(d.servedAt), `送达 ${d.documentNumber}`, `缴纳期限 ${formatTime(d.paymentDueAt)}`]);
    if (d.paidAt) items.push([formatTime(d.paidAt), `缴纳 ${d.documentNumber}`, `罚款 ${fenText(d.finePaidFen)}，加处罚款 ${fenText(d.surchargePaidFen)}${d.settled ? "，已缴清" : ""}`]);
    for (const r of d.remedies) items.push([formatTime(r.filedAt), `${remedyKindNames[r.kind]} ${d.documentNumber}`, `${r.body}：${remedyOutcomeNames[r.outcome]}${r.late ? "（超过期限）" : ""}`]);
    if (d.executionAppliedAt) items.push([formatTime(d.executionAppliedAt), `申请强制执行 ${d.documentNumber}`, d.executionCourt]);
    if (d.publishedAt) items.push([formatTime(d.publishedAt), `信息公开 ${d.documentNumber}`, ""]);
  }
  for (const o of p.orders) {
    items.push([formatTime(o.issuedAt), `责令改正 ${o.orderId}`, o.requirements]);
    if (o.servedAt) items.push([formatTime(o.servedAt), `送达责令改正 ${o.orderId}`, `复查期限 ${formatTime(o.recheckDueAt)}`]);
    if (o.recheckedAt) items.push([formatTime(o.recheckedAt), `复查 ${o.orderId}`, `${recheckResultNames[o.recheckResult]}：${o.recheckFindings}`]);
  }
  if (p.closing) items.push([formatTime(p.closing.closedAt), "结案", closingReasonNames[p.closing.reason]]);
  return el(
    "ol",
    { class: "timeline", id: "penalty-steps" },
    ...items.map(([when, what, who]) => el("li", {}, el("span", { class: "when" }, when), el("span", { class: "what" }, what), el("span", { class: "who" }, who))),
  );
}

// Every clock of the case with the server's countdown of the running ones.
function clocks(p: PenaltyCase, countdowns: DeadlineCountdown[]): HTMLElement {
  return table(
    "penalty-clocks",
    "期限",
    ["期限", "截止", "计算依据", "状态", "剩余"],
    p.deadlines.map((d) => {
      const c = countdowns.find((x) => x.deadlineId === d.deadlineId);
      return [
        deadlineKindNames[d.kind],
        c?.lastDay ? `${c.lastDay}（当日24时）` : formatTime(d.dueAt),
        d.rule?.basis ?? "",
        d.state === DeadlineState.OPEN ? "进行中" : d.state === DeadlineState.MISSED ? "已逾期" : d.state === DeadlineState.MET ? "按期完成" : d.state === DeadlineState.MET_LATE ? "逾期完成" : "已结束",
        c ? el("span", { class: c.overdue ? "warn" : "" }, countdownText(c)) : "—",
      ];
    }),
  );
}

function decisions(p: PenaltyCase, surcharges: SurchargeOwed[]): HTMLElement {
  return table(
    "penalty-decisions",
    "处罚决定",
    ["文号", "类型", "处罚内容", "依据", "决定时间", "送达", "缴纳", "信息公开"],
    p.decisions.map((d) => {
      const owed = surcharges.find((s) => s.decisionId === d.decisionId);
      const paid = d.settled
        ? `已缴清（罚款 ${fenText(d.finePaidFen)}，加处罚款 ${fenText(d.surchargePaidFen)}）`
        : owed
          ? `未缴罚款 ${fenText(owed.fineUnpaidFen)}${owed.daysLate > 0 ? `，逾期 ${owed.daysLate} 日，加处罚款 ${fenText(owed.surchargeUnpaidFen)}` : ""}`
          : "—";
      return [
        d.documentNumber,
        decisionKindNames[d.kind] + (d.kind === PenaltyDecisionKind.DAILY ? `（${d.dailyFirstDay} 至 ${d.dailyLastDay}，共 ${d.dailyDays} 日）` : ""),
        termsText(d.terms) + (d.revoked ? "（已撤销）" : ""),
        d.legalBasis,
        formatTime(d.decidedAt),
        d.servedAt ? formatTime(d.servedAt) : "未送达",
        paid,
        d.publishedAt ? formatTime(d.publishedAt) : `未公开（应于 ${formatTime(d.publicationDueAt)} 前）`,
      ];
    }),
  );
}

function orders(p: PenaltyCase): HTMLElement {
  return table(
    "penalty-orders",
    "责令改正",
    ["编号", "改正要求", "改正期限", "状态", "送达", "复查期限", "复查"],
    p.orders.map((o) => [
      o.orderId,
      o.requirements,
      formatTime(o.correctBy),
      orderStateNames[o.state],
      o.servedAt ? formatTime(o.servedAt) : "未送达",
      formatTime(o.recheckDueAt),
      o.recheckedAt ? `${formatTime(o.recheckedAt)} ${recheckResultNames[o.recheckResult]}：${o.recheckFindings}` : "—",
    ]),
  );
}

export function showPenaltyPage(page: PageContext, id: string): void {
  const heading = el("h1", {}, `处罚案件 ${id}`);
  const message = el("p", { role: "status", id: "penalty-message" });
  const body = el("div", { id: "penalty-body" }, el("p", {}, "正在加载…"));
  page.view.append(el("p", {}, el("a", { href: "/console/penalties" }, "← 返回处罚案件")), heading, message, body);
  const load = async () => {
    try {
      const reply = await penalties.getPenaltyCase({ penaltyCaseId: id });
      const p = reply.penaltyCase;
      if (!p) throw new Error("no penalty case");
      const history = await penalties.getPenaltyCaseHistory({ penaltyCaseId: id, pageSize: 1000 });
      const officers = page.principal.role === Role.INSPECTOR ? (await otherOfficers(p.sourceCaseId)).filter(([pid]) => pid !== page.principal.principalId) : [];
      const actions = actionsFor(page.principal, p, officers);
      heading.textContent = `处罚案件 ${p.penaltyCaseId}（${p.subject?.name ?? ""}）`;
      body.replaceChildren(
        el("h2", {}, "操作"),
        el(
          "div",
          { class: "case-actions", id: "penalty-actions", "aria-label": "可进行的操作" },
          ...(actions.length
            ? actions.map((a) =>
                actionButton(a, () => {
                  message.textContent = `「${a.label}」已完成`;
                  void load();
                }),
              )
            : [el("p", { class: "muted" }, "当前状态下您没有可进行的操作")]),
        ),
        el("h2", {}, "基本情况"),
        facts(p),
        clocks(p, reply.countdowns),
        decisions(p, reply.surcharges),
        orders(p),
        el("h2", {}, "办理步骤"),
        steps(p),
        el("h2", {}, "办理记录"),
        el(
          "ol",
          { class: "timeline", id: "penalty-timeline" },
          ...history.events.map((e) =>
            el(
              "li",
              {},
              el("span", { class: "when" }, formatTime(e.recordedAt)),
              el("span", { class: "what" }, eventNames[e.payload.case ?? ""] ?? e.payload.case ?? "事件"),
              el("span", { class: "who" }, ...(e.actor ? [`${e.actor.displayName}（`, unitLabel(e.actor.unitId), "）"] : [])),
            ),
          ),
        ),
      );
    } catch (e) {
      body.replaceChildren(el("p", { class: "error", role: "alert" }, refusalText(e)));
    }
  };
  const reload = debounced(() => void load());
  page.onLeave(
    onEvent((e) => {
      if (e.streamId === id) reload();
    }),
  );
  void load();
}

// The queue: each penalty case the caller may read with its most pressing
// clock (ListPenaltyCasesResponse.countdowns), overdue ones first marked.
export function showPenaltyQueue(page: PageContext): void {
  const status = el(
    "select",
    { id: "penalty-status" },
    ...[PenaltyStatus.UNSPECIFIED, PenaltyStatus.PROPOSED, PenaltyStatus.FILED, PenaltyStatus.INVESTIGATED, PenaltyStatus.NOTIFIED, PenaltyStatus.HEARING, PenaltyStatus.DECIDED, PenaltyStatus.SERVED, PenaltyStatus.CLOSED, PenaltyStatus.NOT_FILED].map((s) =>
      el("option", { value: String(s) }, penaltyStatusNames[s]),
    ),
  );
  const overdue = el("input", { type: "checkbox", id: "penalty-overdue" });
  const body = el("div", { id: "penalties" }, el("p", {}, "正在加载…"));
  page.view.append(
    el("h1", {}, "处罚案件"),
    el(
      "div",
      { class: "filters" },
      el("label", { for: "penalty-status" }, "状态 "),
      status,
      el("label", { for: "penalty-overdue" }, overdue, " 只看逾期"),
    ),
    body,
  );
  const load = async () => {
    try {
      const s = Number(status.value) as PenaltyStatus;
      const reply = await penalties.listPenaltyCases({ filter: { statuses: s ? [s] : [], overdueOnly: overdue.checked }, pageSize: 200 });
      const rows = reply.penaltyCases.map((p) => {
        const c = reply.countdowns.find((x) => x.caseId === p.penaltyCaseId);
        return el(
          "tr",
          { "data-penalty": p.penaltyCaseId, class: p.overdue || c?.overdue ? "overdue" : "" },
          el("td", {}, el("a", { href: href(p.penaltyCaseId) }, p.penaltyCaseId)),
          el("td", {}, p.subject?.name ?? ""),
          el("td", {}, el("a", { href: caseHref(p.sourceCaseId) }, p.sourceCaseId)),
          el("td", {}, penaltyStatusNames[p.status]),
          el("td", { class: "clock" }, c ? `${deadlineKindNames[c.kind]}：截止 ${c.lastDay}` : "—"),
          el("td", { class: "days-left" }, c ? countdownText(c) : "—", p.overdue || c?.overdue ? el("span", { class: "badge warn" }, "逾期") : ""),
        );
      });
      body.replaceChildren(
        rows.length
          ? el(
              "table",
              { id: "penalty-table" },
              el("thead", {}, el("tr", {}, ...["处罚案件编号", "当事人", "来源问题", "状态", "最紧迫的期限", "剩余"].map((h) => el("th", { scope: "col" }, h)))),
              el("tbody", {}, ...rows),
            )
          : el("p", { class: "muted" }, "暂无处罚案件"),
        reply.asOf ? el("p", { class: "muted" }, `剩余天数由服务器按工作日日历计算，截至 ${formatTime(reply.asOf)}`) : "",
      );
    } catch (e) {
      body.replaceChildren(el("p", { class: "error", role: "alert" }, refusalText(e)));
    }
  };
  status.addEventListener("change", () => void load());
  overdue.addEventListener("change", () => void load());
  page.onLeave(onEvent(debounced(() => void load(), 500)));
  void load();
}

// What the case page shows of the case's penalty cases (Case.penalty_case_ids):
// each with its state and most pressing clock, linking to its page.
export async function casePenalties(c: Case): Promise<HTMLElement> {
  if (c.penaltyCaseIds.length === 0) return el("p", { class: "muted", id: "case-penalties" }, "处罚案件：无");
  let reply;
  try {
    reply = await penalties.listPenaltyCases({ filter: { sourceCaseId: c.caseId }, pageSize: 100 });
  } catch (e) {
    return el("p", { class: "error", id: "case-penalties" }, `处罚案件 ${c.penaltyCaseIds.join("、")}：${refusalText(e)}`);
  }
  return table(
    "case-penalties",
    "处罚案件",
    ["处罚案件编号", "状态", "最紧迫的期限", "剩余"],
    reply.penaltyCases.map((p) => {
      const cd = reply.countdowns.find((x) => x.caseId === p.penaltyCaseId);
      return [
        el("a", { href: href(p.penaltyCaseId) }, p.penaltyCaseId),
        penaltyStatusNames[p.status],
        cd ? `${deadlineKindNames[cd.kind]}：截止 ${cd.lastDay}` : "—",
        cd ? countdownText(cd) : "—",
      ];
    }),
  );
}

// 立案处罚 on the case page: a SUPERVISOR or INSPECTOR opens a penalty case
// from the case (the filing then waits for the BUREAU_HEAD).
export function openPenaltyAction(principal: Principal, c: Case, go: (path: string) => void): Action | undefined {
  if (principal.role !== Role.SUPERVISOR && principal.role !== Role.INSPECTOR) return undefined;
  return {
    id: "open-penalty",
    label: "立案处罚",
    confirm: "确认对该问题提请行政处罚立案？立案须经局领导批准，立案期限自发现之日起计算。",
    fields: [{ name: "violation", label: "涉嫌违法行为", kind: "textarea", required: true, value: c.title }],
    run: async (v) => {
      const reply = await penalties.openPenaltyCase({ commandId: newCommandId(), sourceCaseId: c.caseId, violation: v.violation });
      if (reply.penaltyCase) go(href(reply.penaltyCase.penaltyCaseId));
      return reply;
    },
  };
}

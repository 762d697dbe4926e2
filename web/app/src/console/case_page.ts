// One case (问题详情): its facts, evidence (downloads through the gateway),
// deadlines, extension requests, referrals, and its timeline with the
// verified-history badge; then the actions this role may take at this
// state, each behind a confirmation dialog that shows the server's reason
// when it refuses. The page reads the case again when an event of this
// case arrives on the live stream.
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { el } from "../dom";
import type { Case } from "../gen/rectify/v1/case_pb";
import type { Event } from "../gen/rectify/v1/event_pb";
import type { Principal } from "../gen/rectify/v1/common_pb";
import { CaseStatus, DeadlineKind, DeadlineUnit, ExtensionState, FilingDecision, ReferralState, Role } from "../gen/rectify/v1/common_pb";
import { cases, newCommandId } from "./clients";
import type { PageContext } from "./console";
import { type Action, type ActionField, actionButton } from "./dialog";
import { caseHistory, verifyChain } from "./history";
import { debounced, onEvent } from "./live";
import {
  categoryNames,
  countdownText,
  deadlineKindNames,
  deadlineStateNames,
  eventNames,
  evidenceKindNames,
  extensionStateNames,
  formatTime,
  referralStateNames,
  severityNames,
  sourceNames,
  statusNames,
} from "./names";
import { casePenalties, openPenaltyAction } from "./penalties";
import { refusalText } from "./refusal";
import { regionLabel, unitChoices, unitLabel } from "../directory";
import { basisText, endOfDay, formatDue } from "../format";
import { table } from "./table";

// A due date picked as a day: the end of that day in Beijing.
// A day picked in a dialog as the deadline's instant: the end of that day in
// China time (the next midnight), as the server's day-counted deadlines end.
function dueOf(day: string) {
  const end = endOfDay(day);
  return end ? timestampFromDate(end) : undefined;
}

// The assign dialog's previews, counted by the server on its working-day
// calendar (PreviewDeadline): the policy's default period when no date is
// picked, and the due date of N working days from now.
async function previewPolicyDefault(day: string): Promise<string> {
  if (day) return dueOf(day) ? `截止 ${day}（当日24时）` : "请选择有效的日期";
  const p = await cases.previewDeadline({ kind: DeadlineKind.RECTIFICATION });
  const unit = p.rule?.unit === DeadlineUnit.WORKING_DAYS ? "个工作日" : p.rule?.unit === DeadlineUnit.HOURS ? "小时" : "天";
  return `留空则按政策默认期限 ${p.rule?.amount ?? ""} ${unit}：截止 ${p.countdown?.lastDay ?? ""}（当日24时）${p.rule?.provisional ? "（暂定）" : ""}`;
}

function workingDays(value: string): number | undefined {
  const n = Number(value);
  return value !== "" && Number.isInteger(n) && n >= 1 && n <= 3660 ? n : undefined;
}

async function previewWorkingDays(value: string): Promise<string> {
  if (value === "") return "填写天数后显示按工作日日历计算的截止日期";
  const n = workingDays(value);
  if (n === undefined) return "请填写 1 至 3660 之间的整数";
  const p = await cases.previewDeadline({ unit: DeadlineUnit.WORKING_DAYS, amount: n });
  return `${n} 个工作日：截止 ${p.countdown?.lastDay ?? ""}（当日24时），其间共 ${p.countdown?.calendarDaysLeft ?? ""} 天${p.rule?.provisional ? "（暂定）" : ""}`;
}

// The due instant of N working days from now, as the server counts it.
async function workingDaysDue(value: string) {
  const n = workingDays(value);
  if (n === undefined) return undefined;
  return (await cases.previewDeadline({ unit: DeadlineUnit.WORKING_DAYS, amount: n })).dueAt;
}

function facts(c: Case): HTMLElement {
  const region = c.location?.regionCode ?? "";
  const rows: [string, string | HTMLElement][] = [
    ["问题编号", c.caseId],
    ["状态", statusNames[c.status] + (c.overdue ? "（逾期）" : "")],
    ["类别", categoryNames[c.category]],
    ["严重程度", severityNames[c.severity]],
    ["来源", sourceNames[c.source] + (c.sourceReference ? `（${c.sourceReference}）` : "")],
    ["行政区划", region ? regionLabel(region, "full") : "—"],
    ["地址", c.location?.address || "—"],
    ["涉及单位", c.subject?.name ? `${c.subject.name}${c.subject.unifiedSocialCreditCode ? `（${c.subject.unifiedSocialCreditCode}）` : ""}` : "—"],
    ["发现时间", formatTime(c.foundAt)],
    ["登记人", c.reportedBy?.displayName ?? "—"],
    ["责任单位", unitLabel(c.responsibleUnit)],
    ["整改要求", c.requirements || "—"],
    ["整改期限", formatDue(c.rectificationDueAt)],
    ["所在清单", c.listIds.join("、") || "—"],
  ];
  // The server clears the complainant for every role that may not see it.
  if (c.complainant && (c.complainant.name || c.complainant.phone)) {
    rows.push(["投诉人", `${c.complainant.name} ${c.complainant.phone}`]);
  }
  if (c.closure) rows.push(["销号", `${c.closure.unfounded ? "查无实据：" : ""}${c.closure.reason}（${formatTime(c.closure.closedAt)}）`]);
  return el(
    "dl",
    { class: "facts", id: "case-facts" },
    ...rows.map(([k, v]) => el("div", {}, el("dt", {}, k), el("dd", {}, v))),
  );
}


// The referral states that have not ended (workflow/decider.cc, IsReferralOpen).
const openReferralStates: ReferralState[] = [
  ReferralState.PROPOSED,
  ReferralState.APPROVED,
  ReferralState.SENT,
  ReferralState.RECEIVED,
  ReferralState.DECLINED,
  ReferralState.RECONSIDERATION_REQUESTED,
  ReferralState.DECLINE_UPHELD,
  ReferralState.SUPERVISION_REQUESTED,
];

// `units`: the directory's active units ([id, name]) for the unit pickers;
// empty while the jurisdiction has no directory (a unit id is typed then).
function unitField(name: string, label: string, units: [string, string][], extra: Partial<ActionField> = {}): ActionField {
  if (units.length === 0) return { name, label, ...extra };
  const options: [string, string][] = [["", extra.required ? "请选择" : "不变"], ...units];
  const value = extra.value && units.some(([id]) => id === extra.value) ? extra.value : "";
  return { name, label, ...extra, kind: "select", options, value };
}

function actionsFor(principal: Principal, c: Case, units: [string, string][]): Action[] {
  const role = principal.role;
  const base = { caseId: c.caseId, expectedVersion: c.version };
  const actions: Action[] = [];
  if (role === Role.SUPERVISOR) {
    if (c.status === CaseStatus.FOUND) {
      actions.push({
        id: "assign",
        label: "交办",
        confirm: "将该问题交办给责任单位整改。",
        fields: [
          unitField("unit", "责任单位", units, { required: true }),
          { name: "requirements", label: "整改要求", kind: "textarea", required: true },
          { name: "due", label: "整改期限（日期）", kind: "date", preview: previewPolicyDefault },
          { name: "days", label: "或：整改期限（工作日数）", kind: "number", preview: previewWorkingDays },
        ],
        run: async (v) =>
          cases.assignCase({
            ...base,
            commandId: newCommandId(),
            responsibleUnit: v.unit,
            requirements: v.requirements,
            rectificationDueAt: dueOf(v.due) ?? (await workingDaysDue(v.days)),
          }),
      });
      actions.push({
        id: "unfounded",
        label: "查无实据销号",
        danger: true,
        confirm: "确认该问题查无实据并销号？",
        fields: [{ name: "reason", label: "理由", kind: "textarea", required: true }],
        run: (v) => cases.closeAsUnfounded({ ...base, commandId: newCommandId(), reason: v.reason }),
      });
    }
    if (c.status === CaseStatus.ASSIGNED) {
      actions.push({
        id: "reassign",
        label: "改派",
        confirm: "将该问题改派给其他责任单位。",
        fields: [
          unitField("unit", "新责任单位", units, { required: true }),
          { name: "requirements", label: "整改要求", kind: "textarea", required: true, value: c.requirements },
          { name: "due", label: "新整改期限", kind: "date", hint: "留空则按政策的默认整改期限计算。" },
          { name: "reason", label: "改派理由", kind: "textarea", required: true },
        ],
        run: (v) => cases.reassignCase({ ...base, commandId: newCommandId(), responsibleUnit: v.unit, requirements: v.requirements, rectificationDueAt: dueOf(v.due), reason: v.reason }),
      });
    }
    for (const request of c.extensionRequests.filter((r) => r.state === ExtensionState.REQUESTED)) {
      actions.push({
        id: `grant-${request.requestId}`,
        label: `批准延期至 ${formatDue(request.requestedDueAt)}`,
        confirm: `批准责任单位的延期申请（理由：${request.reason}）？`,
        run: () => cases.decideExtension({ ...base, commandId: newCommandId(), requestId: request.requestId, granted: true }),
      });
      actions.push({
        id: `refuse-${request.requestId}`,
        label: "不批准延期",
        danger: true,
        confirm: "不批准该延期申请？",
        fields: [{ name: "reason", label: "不批准的理由", kind: "textarea", required: true }],
        run: (v) => cases.decideExtension({ ...base, commandId: newCommandId(), requestId: request.requestId, granted: false, reason: v.reason }),
      });
    }
    if (c.status === CaseStatus.RECTIFYING && c.completionPending) {
      actions.push({
        id: "verify-pass",
        label: "验收通过",
        confirm: "现场验收合格？（谁验收、谁负责）",
        fields: [{ name: "notes", label: "验收意见", kind: "textarea" }],
        run: (v) => cases.verifyRectification({ ...base, commandId: newCommandId(), passed: true, notes: v.notes }),
      });
      actions.push({
        id: "verify-fail",
        label: "验收不通过",
        danger: true,
        confirm: "验收不合格，退回继续整改？",
        fields: [
          { name: "notes", label: "不合格原因", kind: "textarea", required: true },
          { name: "due", label: "新整改期限", kind: "date" },
        ],
        run: (v) => cases.verifyRectification({ ...base, commandId: newCommandId(), passed: false, notes: v.notes, newRectificationDueAt: dueOf(v.due) }),
      });
    }
    if (c.status === CaseStatus.VERIFIED) {
      actions.push({
        id: "close",
        label: "销号",
        confirm: "确认该问题整改完成并销号？",
        fields: [{ name: "remark", label: "销号说明", kind: "textarea" }],
        run: (v) => cases.closeCase({ ...base, commandId: newCommandId(), remark: v.remark }),
      });
      actions.push({
        id: "objection",
        label: "登记公示期异议",
        danger: true,
        confirm: "登记异议后该问题退回整改。",
        fields: [
          { name: "text", label: "异议内容", kind: "textarea", required: true },
          { name: "due", label: "新整改期限", kind: "date" },
        ],
        run: (v) => cases.raiseObjection({ ...base, commandId: newCommandId(), text: v.text, newRectificationDueAt: dueOf(v.due) }),
      });
    }
    if (c.status === CaseStatus.CLOSED) {
      actions.push({
        id: "reopen",
        label: "重新打开（反弹）",
        danger: true,
        confirm: "问题反弹，重新打开并进入整改？",
        fields: [
          { name: "reason", label: "理由", kind: "textarea", required: true },
          unitField("unit", "责任单位", units, { value: c.responsibleUnit, hint: "查无实据销号的问题必须填写。" }),
          { name: "due", label: "新整改期限", kind: "date" },
        ],
        run: (v) => cases.reopenCase({ ...base, commandId: newCommandId(), reason: v.reason, responsibleUnit: !v.unit || v.unit === c.responsibleUnit ? "" : v.unit, rectificationDueAt: dueOf(v.due) }),
      });
    }
    for (const r of c.referrals.filter((r) => r.state === ReferralState.APPROVED)) {
      actions.push({
        id: `send-${r.referralId}`,
        label: "移送公安机关",
        confirm: "将该案件移送公安机关，并抄送检察院。",
        fields: [
          { name: "police", label: "公安机关", required: true, value: "minle-psb" },
          { name: "procuratorate", label: "检察院", required: true, value: "minle-procuratorate" },
        ],
        run: (v) => cases.sendReferral({ ...base, commandId: newCommandId(), referralId: r.referralId, policeUnit: v.police, procuratorateUnit: v.procuratorate }),
      });
    }
  }
  if (role === Role.SUPERVISOR) {
    for (const r of c.referrals) {
      if (r.state === ReferralState.DECLINED) {
        actions.push({
          id: `reconsider-${r.referralId}`,
          label: "要求公安复议",
          confirm: "公安机关决定不予立案。要求其复议（应在不予立案决定后 3 日内提出）？",
          fields: [{ name: "grounds", label: "复议理由", kind: "textarea", required: true }],
          run: (v) => cases.requestReconsideration({ ...base, commandId: newCommandId(), referralId: r.referralId, grounds: v.grounds }),
        });
      }
      if (r.state === ReferralState.DECLINE_UPHELD) {
        actions.push({
          id: `supervise-${r.referralId}`,
          label: "提请检察院立案监督",
          confirm: "公安机关复议后维持不予立案。提请检察院进行立案监督（应在复议决定后 3 日内提出）？",
          fields: [{ name: "grounds", label: "提请监督理由", kind: "textarea", required: true }],
          run: (v) => cases.requestSupervision({ ...base, commandId: newCommandId(), referralId: r.referralId, grounds: v.grounds }),
        });
      }
      if (openReferralStates.includes(r.state)) {
        actions.push({
          id: `withdraw-${r.referralId}`,
          label: "撤回移送",
          danger: true,
          confirm: `撤回该移送（当前阶段：${referralStateNames[r.state]}）？撤回后移送程序终止，各项期限取消。`,
          fields: [{ name: "reason", label: "撤回理由", kind: "textarea", required: true }],
          run: (v) => cases.withdrawReferral({ ...base, commandId: newCommandId(), referralId: r.referralId, reason: v.reason }),
        });
      }
    }
  }
  if (role === Role.BUREAU_HEAD) {
    // The head of the police unit a referral was sent to approves its
    // 30-day review (环环监〔2017〕17号 第十一条); the server checks the unit.
    for (const r of c.referrals.filter((r) => r.state === ReferralState.RECEIVED && r.policeUnit === principal.unitId)) {
      actions.push({
        id: `approve-review-${r.referralId}`,
        label: "批准延长审查期限至 30 日",
        confirm: "案情复杂，批准将该移送案件的立案审查期限延长至自签收起 30 日？",
        fields: [{ name: "remark", label: "审批意见", kind: "textarea" }],
        run: (v) => cases.approveReviewExtension({ ...base, commandId: newCommandId(), referralId: r.referralId, reviewDays: 30, remark: v.remark }),
      });
    }
    for (const r of c.referrals.filter((r) => r.state === ReferralState.PROPOSED)) {
      actions.push({
        id: `approve-${r.referralId}`,
        label: "批准移送",
        confirm: `批准将该案件移送公安机关（涉嫌：${r.suspectedOffence}）？`,
        fields: [{ name: "remark", label: "审批意见", kind: "textarea" }],
        run: (v) => cases.approveReferral({ ...base, commandId: newCommandId(), referralId: r.referralId, remark: v.remark }),
      });
      actions.push({
        id: `refuse-referral-${r.referralId}`,
        label: "不批准移送",
        danger: true,
        confirm: "不批准移送？",
        fields: [{ name: "reason", label: "理由", kind: "textarea", required: true }],
        run: (v) => cases.refuseReferral({ ...base, commandId: newCommandId(), referralId: r.referralId, reason: v.reason }),
      });
    }
  }
  if (role === Role.POLICE) {
    for (const r of c.referrals) {
      if (r.state === ReferralState.SENT) {
        actions.push({
          id: `receive-${r.referralId}`,
          label: "签收",
          confirm: "签收该移送案件？签收后开始计算立案审查期限。",
          run: () => cases.receiveReferral({ ...base, commandId: newCommandId(), referralId: r.referralId }),
        });
      }
      if (r.state === ReferralState.RECONSIDERATION_REQUESTED) {
        actions.push({
          id: `reconsideration-${r.referralId}`,
          label: "作出复议决定",
          confirm: `环保部门要求复议（理由：${r.reconsiderationGrounds}）。作出复议决定。`,
          fields: [
            {
              name: "decision",
              label: "复议决定",
              kind: "select",
              options: [
                [String(FilingDecision.FILED), "撤销原决定，立案"],
                [String(FilingDecision.DECLINED), "维持不予立案"],
              ],
            },
            { name: "number", label: "立案编号（立案时填写）" },
            { name: "reason", label: "理由（维持不予立案时必填）", kind: "textarea" },
          ],
          run: (v) =>
            cases.decideReconsideration({ ...base, commandId: newCommandId(), referralId: r.referralId, decision: Number(v.decision) as FilingDecision, policeCaseNumber: v.number, reason: v.reason }),
        });
      }
      if (r.state === ReferralState.SUPERVISION_REQUESTED && !r.nonFilingExplanation) {
        actions.push({
          id: `explain-${r.referralId}`,
          label: "向检察院说明不立案理由",
          confirm: `检察院已受理立案监督（环保部门理由：${r.supervisionGrounds}）。向检察院书面说明不立案的理由（7 日内）。`,
          fields: [{ name: "explanation", label: "不立案理由说明", kind: "textarea", required: true }],
          run: (v) => cases.explainNonFiling({ ...base, commandId: newCommandId(), referralId: r.referralId, explanation: v.explanation }),
        });
      }
      if (r.state === ReferralState.RECEIVED || r.state === ReferralState.SUPERVISION_REQUESTED) {
        actions.push({
          id: `decide-${r.referralId}`,
          label: "作出立案决定",
          confirm: "对该移送案件作出决定。",
          fields: [
            {
              name: "decision",
              label: "决定",
              kind: "select",
              options: [
                [String(FilingDecision.FILED), "立案"],
                [String(FilingDecision.DECLINED), "不予立案"],
                [String(FilingDecision.RETURNED), "退回"],
              ],
            },
            { name: "number", label: "立案编号（立案时填写）" },
            { name: "reason", label: "理由（不予立案或退回时必填）", kind: "textarea" },
          ],
          run: (v) =>
            cases.decideReferral({ ...base, commandId: newCommandId(), referralId: r.referralId, decision: Number(v.decision) as FilingDecision, policeCaseNumber: v.number, reason: v.reason }),
        });
      }
      if (r.state === ReferralState.RECEIVED) {
        actions.push({
          id: `extend-${r.referralId}`,
          label: "延长审查期限",
          confirm: "延长立案审查期限（线索需核查 7 日；案情复杂经批准 30 日）。",
          fields: [
            { name: "days", label: "审查期限（日）", kind: "select", options: [["7", "7 日"], ["30", "30 日"]] },
            { name: "reason", label: "理由", kind: "textarea", required: true },
          ],
          run: (v) => cases.extendReferralReview({ ...base, commandId: newCommandId(), referralId: r.referralId, reviewDays: Number(v.days), reason: v.reason }),
        });
      }
    }
  }
  return actions;
}

function timeline(events: Event[]): HTMLElement {
  return el(
    "ol",
    { class: "timeline", id: "timeline" },
    ...events.map((e) =>
      el(
        "li",
        { "data-version": String(e.version) },
        el("span", { class: "when" }, formatTime(e.recordedAt)),
        el("span", { class: "what" }, eventNames[e.payload.case ?? ""] ?? e.payload.case ?? "事件"),
        el("span", { class: "actor" }, ...(e.actor ? [`${e.actor.displayName}（`, unitLabel(e.actor.unitId), "）"] : [])),
      ),
    ),
  );
}

export function showCasePage(page: PageContext, caseId: string): void {
  const heading = el("h1", {}, `问题 ${caseId}`);
  const message = el("p", { role: "status", id: "case-message" });
  const body = el("div", { id: "case-body" }, el("p", {}, "正在加载…"));
  page.view.append(el("p", {}, el("a", { href: "/console/cases" }, "← 返回问题台账")), heading, message, body);

  const load = async () => {
    try {
      const [{ case: c, countdowns }, events] = await Promise.all([cases.getCase({ caseId }), caseHistory(caseId)]);
      if (!c) throw new Error("no case");
      heading.textContent = c.title;
      const actions = actionsFor(page.principal, c, await unitChoices());
      const openPenalty = openPenaltyAction(page.principal, c, page.go);
      if (openPenalty) actions.push(openPenalty);
      const penaltyCases = await casePenalties(c);
      const badge = el("span", { class: "badge", id: "history-badge" }, "正在校验历史…");
      void verifyChain(events).then((r) => {
        if (r.ok) {
          badge.textContent = `✔ 历史已校验（${r.count} 条记录哈希链完整）`;
          badge.className = "badge ok";
        } else if (r.why === "unavailable") {
          badge.textContent = "未校验：浏览器在非 HTTPS 连接下无法计算哈希";
        } else {
          badge.textContent = `✖ 历史校验未通过：第 ${r.version} 条记录${r.why === "link" ? "与前一条不衔接" : "的哈希不符"}`;
          badge.className = "badge warn";
        }
      });
      const evidence = table(
        "evidence",
        "证据",
        ["类型", "文件", "说明", "上传人", "上传时间"],
        c.evidence.map((e) => [
          evidenceKindNames[e.kind],
          el("a", { href: `/evidence/${encodeURIComponent(c.caseId)}/${encodeURIComponent(e.evidenceId)}`, download: e.fileName }, e.fileName),
          e.description,
          e.recordedBy?.displayName ?? "",
          formatTime(e.recordedAt),
        ]),
      );
      const deadlines = table(
        "deadlines",
        "期限",
        ["期限", "到期时间", "计算依据", "状态", "剩余"],
        c.deadlines.map((d) => [
          deadlineKindNames[d.kind],
          formatDue(d.dueAt) + (d.rule?.provisional ? "（暂定）" : ""),
          d.rule ? basisText(d.rule) : "",
          deadlineStateNames[d.state],
          countdownText(countdowns.find((x) => x.deadlineId === d.deadlineId)),
        ]),
      );
      const extensions = table(
        "extensions",
        "延期申请",
        ["申请延至", "理由", "状态", "审批意见"],
        c.extensionRequests.map((r) => [formatDue(r.requestedDueAt), r.reason, extensionStateNames[r.state], r.decisionReason]),
      );
      const progress = table(
        "progress",
        "整改进展",
        ["时间", "进展", "完成比例"],
        c.progressReports.map((p) => [formatTime(p.reportedAt), p.text, `${p.percentComplete}%`]),
      );
      const referrals = table(
        "referrals",
        "移送公安",
        ["涉嫌", "状态", "公安机关", "移送时间", "签收时间", "审查期限", "决定", "复议与监督"],
        c.referrals.map((r) => [
          r.suspectedOffence,
          referralStateNames[r.state],
          unitLabel(r.policeUnit),
          formatTime(r.sentAt),
          formatTime(r.receivedAt),
          r.filingReviewDays
            ? `${r.filingReviewDays} 日${r.reviewExtensionApprovedDays ? `（${r.reviewExtensionApprovedBy?.displayName ?? ""}批准 ${r.reviewExtensionApprovedDays} 日）` : ""}`
            : "—",
          [r.policeCaseNumber && `立案编号：${r.policeCaseNumber}`, r.decisionReason && `理由：${r.decisionReason}`].filter(Boolean).join("；") || "—",
          [
            r.reconsiderationGrounds && `复议理由：${r.reconsiderationGrounds}`,
            r.supervisionGrounds && `提请监督理由：${r.supervisionGrounds}`,
            r.nonFilingExplanation && `公安不立案说明：${r.nonFilingExplanation}`,
            r.withdrawalReason && `撤回理由：${r.withdrawalReason}`,
            r.refusalReason && `不批准理由：${r.refusalReason}`,
          ]
            .filter(Boolean)
            .join("；") || "—",
        ]),
      );
      const actionBar = el(
        "div",
        { class: "case-actions", id: "case-actions", "aria-label": "可进行的操作" },
        ...(actions.length
          ? actions.map((a) =>
              actionButton(a, () => {
                message.textContent = `「${a.label}」已完成`;
                void load();
              }),
            )
          : [el("p", { class: "muted" }, "当前状态下您没有可进行的操作")]),
      );
      body.replaceChildren(
        el("h2", {}, "操作"),
        actionBar,
        el("h2", {}, "基本情况"),
        facts(c),
        deadlines,
        extensions,
        progress,
        evidence,
        referrals,
        penaltyCases,
        el("h2", {}, "办理记录 ", badge),
        timeline(events),
      );
    } catch (e) {
      body.replaceChildren(el("p", { class: "error", role: "alert" }, refusalText(e)));
    }
  };
  const reload = debounced(() => void load());
  page.onLeave(
    onEvent((e) => {
      if (e.streamId === caseId) reload();
    }),
  );
  void load();
}

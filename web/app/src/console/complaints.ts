// 12369 complaints (信访件) in the console: the supervisors' queue with the
// days left on each running clock exactly as the server counted them
// (ListComplaints' countdowns), a form to record a complaint received by
// phone, letter or visit, and one complaint's page with every step the role
// may take at its status behind a confirmation dialog (the server's Chinese
// reason shown on refusal). The complainant's name and phone are shown only
// when the server sent them, which it does for a SUPERVISOR of the
// jurisdiction alone; no other role's page has a place for them.
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { create } from "@bufbuild/protobuf";
import { el } from "../dom";
import { regionLabel } from "../directory";
import type { DeadlineCountdown } from "../gen/rectify/v1/case_service_pb";
import { CaseStatus, Category, Role, Severity } from "../gen/rectify/v1/common_pb";
import {
  CallbackResult,
  ComplainantNoticeChannel,
  ComplainantNoticeSchema,
  ComplaintChannel,
  ComplaintLinkKind,
  ComplaintStatus,
  ReviewOutcome,
  type Complaint,
  type SiteCheckDocument,
} from "../gen/rectify/v1/complaint_pb";
import { type StoredDocument, uploadSiteCheckDocument } from "../api";
import { MAX_PHOTO_BYTES, sha256Hex } from "../photos";
import { ComplaintOrder } from "../gen/rectify/v1/complaint_service_pb";
import { complaints, newCommandId } from "./clients";
import type { PageContext } from "./console";
import { type Action, type ActionField, actionButton } from "./dialog";
import { debounced, onEvent } from "./live";
import { categoryNames, deadlineKindNames, formatTime, severityNames, statusNames } from "./names";
import { InputError, refusalText } from "./refusal";

// Most documents a close as unfounded names (workflow/complaints.h).
const MAX_SITE_CHECK_DOCUMENTS = 20;

// 待受理, 办理中, … (base/status_words.cc has the same words for rectifyctl).
export const complaintStatusNames: Record<ComplaintStatus, string> = {
  [ComplaintStatus.UNSPECIFIED]: "—",
  [ComplaintStatus.RECEIVED]: "待受理",
  [ComplaintStatus.ACCEPTED]: "办理中",
  [ComplaintStatus.TRANSFERRED]: "已转办",
  [ComplaintStatus.REPLIED]: "已答复",
  [ComplaintStatus.REVIEW_REQUESTED]: "复查中",
  [ComplaintStatus.REVIEW_ANSWERED]: "复查已答复",
};

const channelNames: Record<ComplaintChannel, string> = {
  [ComplaintChannel.UNSPECIFIED]: "—",
  [ComplaintChannel.PHONE]: "电话",
  [ComplaintChannel.WEB]: "网络",
  [ComplaintChannel.LETTER]: "来信",
  [ComplaintChannel.VISIT]: "来访",
  [ComplaintChannel.PLATFORM]: "12369平台",
};

const noticeOptions: [string, string][] = [
  [String(ComplainantNoticeChannel.PHONE), "电话告知"],
  [String(ComplainantNoticeChannel.SMS), "短信告知"],
  [String(ComplainantNoticeChannel.LETTER), "书面告知"],
  [String(ComplainantNoticeChannel.IN_PERSON), "当面告知"],
  [String(ComplainantNoticeChannel.PLATFORM), "平台回复"],
  [String(ComplainantNoticeChannel.UNSPECIFIED), "匿名，无法告知"],
];

// How the complainant was told, as a step's row shows it: 「（已电话告知举报人）」.
function toldText(n: { channel: ComplainantNoticeChannel; note: string } | undefined): string {
  if (!n || n.channel === ComplainantNoticeChannel.UNSPECIFIED) return "（匿名，无法告知举报人）";
  const how: Record<ComplainantNoticeChannel, string> = {
    [ComplainantNoticeChannel.UNSPECIFIED]: "",
    [ComplainantNoticeChannel.PHONE]: "电话",
    [ComplainantNoticeChannel.SMS]: "短信",
    [ComplainantNoticeChannel.LETTER]: "书面",
    [ComplainantNoticeChannel.IN_PERSON]: "当面",
    [ComplainantNoticeChannel.PLATFORM]: "通过12369平台",
  };
  return `（已${how[n.channel] ?? ""}告知举报人${n.note ? `：${n.note}` : ""}）`;
}

const reviewOutcomeNames: Record<ReviewOutcome, string> = {
  [ReviewOutcome.UNSPECIFIED]: "",
  [ReviewOutcome.UPHELD]: "维持原答复",
  [ReviewOutcome.CHANGED]: "变更原答复",
};

const callbackNames: Record<CallbackResult, string> = {
  [CallbackResult.UNSPECIFIED]: "—",
  [CallbackResult.SATISFIED]: "满意",
  [CallbackResult.NOT_SATISFIED]: "不满意",
  [CallbackResult.UNREACHABLE]: "未联系上",
};

// A clock's days left as the server counted them (calendar days: the
// complaint clocks run on calendar days).
export function clockText(c: DeadlineCountdown): string {
  const name = deadlineKindNames[c.kind] ?? "期限";
  if (c.overdue) return c.calendarDaysLeft < 0 ? `${name}：已逾期 ${-c.calendarDaysLeft} 天` : `${name}：已逾期`;
  if (c.calendarDaysLeft === 0) return `${name}：今日截止（${c.lastDay}）`;
  return `${name}：还剩 ${c.calendarDaysLeft} 天（截止 ${c.lastDay}）`;
}

function noticeField(): ActionField {
  return { name: "notice", label: "告知举报人方式", kind: "select", options: noticeOptions };
}

function noticeOf(values: Record<string, string>, noteKey = "noticeNote") {
  return create(ComplainantNoticeSchema, { channel: Number(values.notice) as ComplainantNoticeChannel, note: values[noteKey] ?? "" });
}

export function showComplaintQueue(page: PageContext): void {
  const status = el(
    "select",
    { id: "q-status" },
    el("option", { value: "0" }, "全部状态"),
    ...[1, 2, 3, 4, 5, 6].map((s) => el("option", { value: String(s) }, complaintStatusNames[s as ComplaintStatus])),
  );
  status.value = page.params.get("status") ?? "0";
  const overdue = el("input", { type: "checkbox", id: "q-overdue" });
  overdue.checked = page.params.get("overdue") === "1";
  const order = el("select", { id: "q-order" }, el("option", { value: "due" }, "最紧迫的期限在前"), el("option", { value: "id" }, "按信访件编号"));
  order.value = page.params.get("order") ?? "due";
  const form = el(
    "form",
    { class: "filters", "aria-label": "筛选条件" },
    el(
      "div",
      { class: "fields" },
      el("span", { class: "field" }, el("label", { for: "q-status" }, "状态"), status),
      el("span", { class: "check" }, overdue, el("label", { for: "q-overdue" }, "只看逾期")),
      el("span", { class: "field" }, el("label", { for: "q-order" }, "排序"), order),
    ),
    el("div", { class: "actions" }, el("button", { type: "submit" }, "查询")),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const next = new URLSearchParams();
    if (status.value !== "0") next.set("status", status.value);
    if (overdue.checked) next.set("overdue", "1");
    if (order.value !== "due") next.set("order", order.value);
    const q = next.toString();
    page.go(q ? `/console/complaints?${q}` : "/console/complaints");
  });
  const toolbar = el("div", { class: "toolbar" });
  const summary = el("p", { id: "complaint-count", role: "status" });
  const table = el("table", { id: "complaint-table", class: "cases" });
  page.view.append(el("h1", {}, "信访件"), form, toolbar, summary, table);
  const load = async () => {
    try {
      const reply = await complaints.listComplaints({
        status: Number(status.value) as ComplaintStatus,
        overdueOnly: overdue.checked,
        order: order.value === "id" ? ComplaintOrder.UNSPECIFIED : ComplaintOrder.DUE,
        pageSize: 200,
      });
      table.replaceChildren(
        el("thead", {}, el("tr", {}, ...["信访件编号", "状态", "工单编号", "来件时间", "反映问题", "期限（剩余天数）"].map((h) => el("th", { scope: "col" }, h)))),
        el(
          "tbody",
          {},
          ...reply.items.map((item) => {
            const c = item.complaint as Complaint;
            return el(
              "tr",
              { "data-complaint": c.complaintId, class: c.overdue ? "overdue" : "" },
              el("td", {}, el("a", { href: `/console/complaints/${encodeURIComponent(c.complaintId)}` }, c.complaintId)),
              el("td", {}, complaintStatusNames[c.status] ?? "", c.overdue ? el("span", { class: "badge warn" }, "逾期") : ""),
              el("td", {}, c.details?.ticketNumber || "—"),
              el("td", {}, formatTime(c.details?.receivedAt)),
              el("td", {}, c.details?.title || c.details?.content || ""),
              el("td", { class: "countdown" }, ...(item.clocks.length ? item.clocks.map((k) => el("div", {}, clockText(k))) : ["—"])),
            );
          }),
        ),
      );
      summary.textContent = reply.items.length === 0 ? "没有符合条件的信访件" : `共 ${reply.items.length} 件${reply.nextPageToken ? "（仅显示前 200 件）" : ""}`;
    } catch (e) {
      summary.textContent = refusalText(e);
      table.replaceChildren();
    }
  };
  if (page.principal.role === Role.SUPERVISOR) {
    toolbar.append(actionButton(receiveAction(page), () => void load()));
  }
  page.onLeave(onEvent(debounced(() => void load())));
  void load();
}

function receiveAction(page: PageContext): Action {
  return {
    id: "receive",
    label: "登记信访件",
    confirm: "登记一件电话、来信、来访或网络举报，开始计算受理期限（15日）。",
    fields: [
      {
        name: "channel",
        label: "来源渠道",
        kind: "select",
        options: [ComplaintChannel.PHONE, ComplaintChannel.WEB, ComplaintChannel.LETTER, ComplaintChannel.VISIT, ComplaintChannel.PLATFORM].map((c) => [String(c), channelNames[c]]),
      },
      { name: "ticket", label: "工单编号" },
      { name: "title", label: "标题", required: true },
      { name: "content", label: "举报内容", kind: "textarea", required: true },
      { name: "category", label: "污染类别", kind: "select", options: [["0", "未确定"], ...[1, 2, 3, 4, 5, 6, 7, 8].map((c): [string, string] => [String(c), categoryNames[c as Category]])] },
      { name: "region", label: "行政区划代码", value: page.principal.jurisdiction, required: true },
      { name: "address", label: "事发地址" },
      { name: "name", label: "举报人姓名（留空为匿名）" },
      { name: "phone", label: "举报人电话" },
    ],
    run: async (v) => {
      const anonymous = v.name === "" && v.phone === "";
      const reply = await complaints.receiveComplaint({
        commandId: newCommandId(),
        details: {
          channel: Number(v.channel) as ComplaintChannel,
          ticketNumber: v.ticket,
          title: v.title,
          content: v.content,
          category: Number(v.category) as Category,
          location: { regionCode: v.region, address: v.address },
          anonymous,
          complainant: anonymous ? undefined : { name: v.name, phone: v.phone },
        },
      });
      const id = reply.complaint?.complaintId;
      if (id) page.go(`/console/complaints/${encodeURIComponent(id)}`);
    },
  };
}

// The steps this role may take at this status (the server still decides:
// a refusal shows its reason in the dialog).
function actionsFor(page: PageContext, c: Complaint): Action[] {
  const id = c.complaintId;
  const version = c.version;
  const role = page.principal.role;
  const out: Action[] = [];
  // The 查无实据 dialog's uploads, by name, size and SHA-256.
  const uploaded = new Map<string, StoredDocument>();
  if (role === Role.BUREAU_HEAD && c.status === ComplaintStatus.ACCEPTED && !c.extension) {
    out.push({
      id: "extend",
      label: "批准延期答复",
      confirm: "确认批准该信访件答复期限延长（按政策默认30日）？延期理由将告知举报人。",
      fields: [{ name: "reason", label: "延期理由", kind: "textarea", required: true }, noticeField()],
      run: (v) => complaints.extendComplaintReply({ commandId: newCommandId(), complaintId: id, reason: v.reason, notice: noticeOf(v), expectedVersion: version }),
    });
  }
  if (role !== Role.SUPERVISOR) return out;
  switch (c.status) {
    case ComplaintStatus.RECEIVED:
      out.push(
        {
          id: "accept",
          label: "受理",
          confirm: "确认受理该信访件？受理后开始计算答复期限（60日）。",
          fields: [{ name: "note", label: "备注" }, noticeField()],
          run: (v) => complaints.acceptComplaint({ commandId: newCommandId(), complaintId: id, note: v.note, notice: noticeOf(v), expectedVersion: version }),
        },
        {
          id: "transfer",
          label: "转办",
          confirm: "确认该信访件不属本局职责，转有权处理的机关办理？",
          fields: [{ name: "body", label: "转交机关", required: true }, { name: "reason", label: "转办理由", kind: "textarea", required: true }, noticeField()],
          run: (v) =>
            complaints.transferComplaint({ commandId: newCommandId(), complaintId: id, competentBody: v.body, reason: v.reason, notice: noticeOf(v), expectedVersion: version }),
        },
      );
      break;
    case ComplaintStatus.ACCEPTED: {
      const linked = c.links.length > 0;
      if (!c.siteCheck) {
        out.push(
          {
            id: "open-case",
            label: "立案转问题",
            confirm: "确认依据该信访件新建问题？问题只复制反映的事实，不含举报人信息。",
            fields: [
              { name: "severity", label: "严重程度", kind: "select", options: [2, 3, 4, 1].map((s): [string, string] => [String(s), severityNames[s as Severity]]) },
              { name: "category", label: "污染类别", kind: "select", options: [["0", "沿用信访件的类别"], ...[1, 2, 3, 4, 5, 6, 7, 8].map((k): [string, string] => [String(k), categoryNames[k as Category]])] },
              { name: "note", label: "备注" },
            ],
            run: async (v) => {
              await complaints.openCaseFromComplaint({
                commandId: newCommandId(),
                complaintId: id,
                severity: Number(v.severity) as Severity,
                category: Number(v.category) as Category,
                note: v.note,
                expectedVersion: version,
              });
            },
          },
          {
            id: "attach",
            label: "并入已有问题",
            confirm: "确认该信访件反映的是已有问题（并案）？该问题的整改结果将用于答复。",
            fields: [{ name: "caseId", label: "问题编号", required: true, hint: "如 620722-2026-000123" }, { name: "note", label: "并案理由" }],
            run: (v) => complaints.attachComplaintToCase({ commandId: newCommandId(), complaintId: id, caseId: v.caseId, note: v.note, expectedVersion: version }),
          },
        );
      }
      if (!linked && !c.siteCheck) {
        out.push({
          id: "close-unfounded",
          label: "查无实据",
          confirm: "确认经现场核查查无实据？办结后仍须答复举报人。",
          danger: true,
          fields: [
            { name: "checkedAt", label: "核查日期", kind: "date", required: true },
            { name: "inspectors", label: "核查人员账号（以逗号分隔）", required: true },
            { name: "findings", label: "核查情况", kind: "textarea", required: true },
            {
              name: "documents",
              label: "核查材料（现场检查笔录、照片，1至20份，每份不超过64 MiB）",
              kind: "file",
              multiple: true,
              accept: "application/pdf,image/*,.doc,.docx",
              required: true,
            },
          ],
          run: async (v, files, progress) => {
            const chosen = files.documents ?? [];
            if (chosen.length > MAX_SITE_CHECK_DOCUMENTS) throw new InputError(`核查材料最多 ${MAX_SITE_CHECK_DOCUMENTS} 份，已选择 ${chosen.length} 份`);
            const tooBig = chosen.find((f) => f.size > MAX_PHOTO_BYTES);
            if (tooBig) throw new InputError(`文件「${tooBig.name}」过大（${(tooBig.size / 1048576).toFixed(1)} MiB），每份最多 64 MiB`);
            const named: StoredDocument[] = [];
            for (const [i, file] of chosen.entries()) {
              const label = `第 ${i + 1}/${chosen.length} 份：${file.name}`;
              progress(`正在计算校验值 ${label}`);
              const sha256 = await sha256Hex(file);
              // Uploaded once per dialog: a retry after a refusal names the
              // files already stored instead of storing them again.
              const key = `${file.name}|${file.size}|${sha256}`;
              let stored = uploaded.get(key);
              if (!stored) {
                stored = await uploadSiteCheckDocument(
                  {
                    complaintId: id,
                    commandId: newCommandId(),
                    blob: file,
                    fileName: file.name,
                    sha256,
                    kind: file.type.startsWith("image/") ? "EVIDENCE_KIND_PHOTO" : "EVIDENCE_KIND_INSPECTION_RECORD",
                  },
                  (fraction) => progress(`正在上传 ${label}（${Math.round(fraction * 100)}%）`, fraction),
                );
                uploaded.set(key, stored);
              }
              named.push(stored);
            }
            progress("材料已上传，正在办结…");
            await complaints.closeComplaintUnfounded({
              commandId: newCommandId(),
              complaintId: id,
              // The check's day as its last moment, or now on the day
              // itself: noon of a day could precede a complaint received
              // that afternoon (refused: before receipt).
              checkedAt: timestampFromDate(new Date(Math.min(Date.parse(`${v.checkedAt}T23:59:59+08:00`), Date.now()))),
              inspectors: v.inspectors.split(/[,，\s]+/).filter((s) => s !== ""),
              findings: v.findings,
              checkDocuments: named.map((d) => ({ documentId: d.documentId, sha256: d.sha256, size: BigInt(d.size) })),
              // Each upload is an event on the complaint: no expected version.
            });
          },
        });
      }
      out.push({
        id: "reply",
        label: "答复举报人",
        confirm: "确认答复举报人？正式答复将引用关联问题的办理结果；关联问题未办结时只能作阶段性答复。",
        fields: [
          { name: "text", label: "答复内容", kind: "textarea", required: true },
          { name: "interim", label: "答复类型", kind: "select", options: [["0", "办结答复"], ["1", "阶段性答复"]] },
          noticeField(),
        ],
        run: (v) =>
          complaints.replyToComplaint({ commandId: newCommandId(), complaintId: id, text: v.text, interim: v.interim === "1", notice: noticeOf(v), expectedVersion: version }),
      });
      break;
    }
    case ComplaintStatus.REPLIED:
      out.push({
        id: "review-request",
        label: "登记复查申请",
        confirm: "确认登记举报人的复查申请？开始计算复查答复期限（30日）。",
        fields: [{ name: "grounds", label: "复查理由", kind: "textarea", required: true }],
        run: (v) => complaints.requestComplaintReview({ commandId: newCommandId(), complaintId: id, grounds: v.grounds, expectedVersion: version }),
      });
      break;
    case ComplaintStatus.REVIEW_REQUESTED:
      out.push({
        id: "review-answer",
        label: "复查答复",
        confirm: "确认答复复查申请？",
        fields: [
          { name: "answer", label: "复查意见", kind: "textarea", required: true },
          { name: "outcome", label: "复查结论", kind: "select", options: [[String(ReviewOutcome.UPHELD), "维持原答复"], [String(ReviewOutcome.CHANGED), "变更原答复"]] },
          noticeField(),
        ],
        run: (v) =>
          complaints.answerComplaintReview({
            commandId: newCommandId(),
            complaintId: id,
            answer: v.answer,
            outcome: Number(v.outcome) as ReviewOutcome,
            notice: noticeOf(v),
            expectedVersion: version,
          }),
      });
      break;
    default:
      break;
  }
  if (c.status === ComplaintStatus.REPLIED || c.status === ComplaintStatus.REVIEW_ANSWERED) {
    out.push({
      id: "callback",
      label: "回访",
      confirm: "确认记录对举报人的回访结果？",
      fields: [
        { name: "result", label: "回访结果", kind: "select", options: [1, 2, 3].map((r): [string, string] => [String(r), callbackNames[r as CallbackResult]]) },
        { name: "note", label: "回访记录（不满意时必填）", kind: "textarea" },
      ],
      run: (v) => complaints.recordComplaintCallback({ commandId: newCommandId(), complaintId: id, result: Number(v.result) as CallbackResult, note: v.note, expectedVersion: version }),
    });
  }
  return out;
}

// The site check's documents, each a download link (GET
// /complaint-documents/{complaint}/{document}: whoever reads the complaint)
// with its size and SHA-256; a document closed before uploads existed has
// its name and SHA-256 only.
function siteCheckDocuments(complaintId: string, documents: SiteCheckDocument[]): HTMLElement {
  return el(
    "ul",
    { class: "site-check-documents", "aria-label": "核查材料" },
    ...documents.map((d) => {
      const name = d.documentId
        ? el("a", { href: `/complaint-documents/${encodeURIComponent(complaintId)}/${encodeURIComponent(d.documentId)}`, download: d.fileName, "data-document-id": d.documentId }, d.fileName)
        : el("span", {}, d.fileName);
      const size = d.size > 0n ? `（${(Number(d.size) / 1024).toFixed(1)} KiB）` : "";
      return el("li", {}, name, size, el("span", { class: "muted" }, ` SHA-256：${d.sha256}`));
    }),
  );
}

export function showComplaintPage(page: PageContext, complaintId: string): void {
  const body = el("div", { id: "complaint" });
  page.view.append(el("h1", {}, `信访件 ${complaintId}`), body);
  const load = async () => {
    try {
      const reply = await complaints.getComplaint({ complaintId });
      const c = reply.complaint as Complaint;
      const d = c.details;
      const rows: [string, string | HTMLElement][] = [
        ["状态", complaintStatusNames[c.status] + (c.overdue ? "（逾期）" : "")],
        ["工单编号", d?.ticketNumber || "—"],
        ["来源渠道", channelNames[d?.channel ?? 0]],
        ["来件时间", formatTime(d?.receivedAt)],
        ["标题", d?.title || "—"],
        ["举报内容", d?.content ?? ""],
        ["污染类别", d?.category ? categoryNames[d.category] : "未确定"],
        ["事发地点", el("span", {}, regionLabel(d?.location?.regionCode ?? "", "full"), ` ${d?.location?.address ?? ""}`)],
      ];
      if (d?.subject?.name) rows.push(["被举报对象", d.subject.name]);
      // Only a supervisor of the jurisdiction is sent who complained.
      if (page.principal.role === Role.SUPERVISOR) {
        const who = d?.complainant && (d.complainant.name || d.complainant.phone) ? `${d.complainant.name} ${d.complainant.phone}` : d?.anonymous ? "匿名" : "—";
        rows.push(["举报人", el("span", { id: "complainant" }, who)]);
      }
      if (c.acceptance) rows.push(["受理", `${formatTime(c.acceptance.acceptedAt)} ${c.acceptance.acceptedBy?.displayName ?? ""} ${c.acceptance.note}${toldText(c.acceptance.notice)}`]);
      if (c.transfer) rows.push(["转办", `${c.transfer.competentBody}：${c.transfer.reason}${toldText(c.transfer.notice)}`]);
      for (const link of c.links) {
        rows.push([
          link.kind === ComplaintLinkKind.NEW_CASE ? "立案" : "并案",
          el("a", { href: `/console/cases/${encodeURIComponent(link.caseId)}`, class: "linked-case" }, link.caseId),
        ]);
      }
      if (c.siteCheck) {
        rows.push(["查无实据", `${formatTime(c.siteCheck.checkedAt)} 现场核查（${c.siteCheck.inspectors.join("、")}）：${c.siteCheck.findings}`]);
        rows.push(["核查材料", siteCheckDocuments(complaintId, c.siteCheck.documents)]);
      }
      if (c.extension) rows.push(["延期", `延长 ${c.extension.days} 日：${c.extension.reason}${toldText(c.extension.notice)}`]);
      for (const r of c.replies) {
        // A closed case's outcome; an open one's status (and its latest
        // progress when there is one).
        const quoted = r.quotedCases
          .map((q) => (q.status === CaseStatus.CLOSED ? `${q.caseId} ${q.outcome}` : `${q.caseId}（${statusNames[q.status]}${q.outcome ? `：${q.outcome}` : ""}）`))
          .join("；");
        rows.push([r.interim ? "阶段性答复" : "答复", `${formatTime(r.repliedAt)} ${r.text}${quoted ? `（引用：${quoted}）` : ""}${toldText(r.notice)}`]);
      }
      if (c.review) {
        rows.push(["复查申请", c.review.grounds]);
        if (c.review.answer) rows.push(["复查答复", `${reviewOutcomeNames[c.review.outcome]}：${c.review.answer}${toldText(c.review.notice)}`]);
      }
      for (const cb of c.callbacks) rows.push(["回访", `${formatTime(cb.recordedAt)} ${callbackNames[cb.result]} ${cb.note}`]);
      const facts = el("dl", { class: "facts" }, ...rows.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
      const clocks = el(
        "ul",
        { id: "complaint-clocks", "aria-label": "期限" },
        ...(reply.clocks.length ? reply.clocks.map((k) => el("li", { class: k.overdue ? "overdue" : "" }, clockText(k))) : [el("li", {}, "没有进行中的期限")]),
      );
      const actions = actionsFor(page, c);
      body.replaceChildren(
        facts,
        el("h2", {}, "期限"),
        clocks,
        actions.length ? el("h2", {}, "可办理的操作") : "",
        el("div", { class: "actions", id: "complaint-actions" }, ...actions.map((a) => actionButton(a, () => void load()))),
      );
    } catch (e) {
      body.replaceChildren(el("p", { class: "error", role: "alert" }, refusalText(e)));
    }
  };
  page.onLeave(onEvent(debounced(() => void load())));
  void load();
}

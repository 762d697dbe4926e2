// The case page: every fact the caller may see, the deadlines with the
// working days left as the server counted them (GetCase's countdowns), the
// evidence gallery (with each file's SHA-256, and the original's for a
// compressed photo), progress, referrals,
// completion and verification, the timeline from GetCaseHistory, and a
// badge saying whether the history's hash chain checks out (recomputed
// here, chain.ts). The actions the user's role and the case's state allow
// are buttons to their forms (actions.ts). Offline, the copy saved on this
// device is shown.
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { cases, casesBinary, isTransient, refusalText } from "./api";
import { checkChain } from "./chain";
import { el, link, mount } from "./dom";
import { basisText, formatDue, formatTime, pointText, workingDaysText } from "./format";
import { regionLabel, unitLabel } from "./directory";
import type { Case } from "./gen/rectify/v1/case_pb";
import type { DeadlineCountdown } from "./gen/rectify/v1/case_service_pb";
import {
  CaseSource,
  CaseStatus,
  Category,
  DeadlineState,
  DeadlineUnit,
  EvidenceKind,
  ReferralState,
  Role,
  Severity,
  type Principal,
} from "./gen/rectify/v1/common_pb";
import type { Event } from "./gen/rectify/v1/event_pb";
import {
  categoryNames,
  deadlineKindNames,
  evidenceKindNames,
  eventNames,
  severityNames,
  sourceNames,
  statusNames,
} from "./labels";
import { isLocalId, queuedCase, realCaseId, type OutboxItem } from "./outbox";
import type { Photo } from "./photos";
import { recallCase, rememberCase } from "./recent";
import { casePath, navigate } from "./router";

const MAX_HISTORY_PAGES = 20;

// The actions a user may start on a case, by role and state (the server
// decides; this only hides buttons that would be refused).
export function actionsFor(principal: Principal, c: Case): { action: string; text: string }[] {
  const out: { action: string; text: string }[] = [];
  if (principal.role === Role.RECTIFIER && c.responsibleUnit === principal.unitId) {
    if (c.status === CaseStatus.ASSIGNED) out.push({ action: "start", text: "开始整改" });
    if (c.status === CaseStatus.RECTIFYING && !c.completionPending) {
      out.push({ action: "progress", text: "报告进展" });
      out.push({ action: "extension", text: "申请延期" });
      out.push({ action: "completion", text: "提交整改完成" });
    }
  }
  if (
    (principal.role === Role.INSPECTOR || principal.role === Role.SUPERVISOR) &&
    c.status === CaseStatus.RECTIFYING &&
    c.completionPending
  ) {
    out.push({ action: "verify", text: "现场验收" });
  }
  if (principal.role === Role.INSPECTOR && c.status !== CaseStatus.CLOSED) {
    out.push({ action: "refer", text: "提议移送公安" });
  }
  return out;
}

function facts(pairs: [string, string | HTMLElement][]): HTMLDListElement {
  return el(
    "dl",
    { class: "facts" },
    ...pairs.filter(([, v]) => v !== "").map(([k, v]) => el("div", {}, el("dt", {}, k), el("dd", {}, v))),
  );
}

function section(title: string, ...children: Node[]): HTMLElement {
  return el("section", { class: "card-section" }, el("h2", {}, title), ...children);
}

function gallery(c: Case): HTMLElement {
  if (c.evidence.length === 0) return el("p", { class: "hint" }, "暂无证据");
  return el(
    "ul",
    { class: "gallery", "aria-label": "证据" },
    ...c.evidence.map((e) => {
      const href = `/evidence/${encodeURIComponent(c.caseId)}/${encodeURIComponent(e.evidenceId)}`;
      const preview =
        e.kind === EvidenceKind.PHOTO && e.mediaType.startsWith("image/")
          ? el("img", { src: href, alt: e.description || e.fileName, loading: "lazy", width: "160", height: "120" })
          : el("span", { class: "file-icon" }, evidenceKindNames[e.kind]);
      return el(
        "li",
        { class: "evidence", "data-evidence-id": e.evidenceId },
        preview,
        el("a", { href, download: e.fileName }, e.fileName),
        el("span", {}, "SHA-256："),
        el("code", { class: "sha256" }, e.sha256),
        ...(e.originalSha256
          ? [
              el("span", {}, `压缩后上传（${Math.ceil(Number(e.sizeBytes) / 1024)} KB）；原图 ${Math.ceil(Number(e.originalSizeBytes) / 1024)} KB，SHA-256：`),
              el("code", { class: "original-sha256" }, e.originalSha256),
            ]
          : []),
        el("span", {}, `拍摄 ${formatTime(e.capturedAt)} · 记录 ${formatTime(e.recordedAt)}`),
        ...(e.description ? [el("span", {}, e.description)] : []),
      );
    }),
  );
}

function deadlines(c: Case, countdowns: DeadlineCountdown[]): HTMLElement {
  if (c.deadlines.length === 0 && !c.rectificationDueAt) return el("p", { class: "hint" }, "暂无期限");
  const items = c.deadlines.map((d) => {
    const due = d.dueAt ? timestampDate(d.dueAt) : undefined;
    const open = d.state === DeadlineState.OPEN || d.state === DeadlineState.MISSED;
    const unitNames: Record<number, string> = {
      [DeadlineUnit.HOURS]: "小时",
      [DeadlineUnit.CALENDAR_DAYS]: "日",
      [DeadlineUnit.WORKING_DAYS]: "个工作日",
    };
    const rule = d.rule
      ? `${d.rule.unit === DeadlineUnit.FIXED || d.rule.amount === 0 ? basisText(d.rule) : `期限 ${d.rule.amount} ${unitNames[d.rule.unit] ?? ""}（${basisText(d.rule)}）`}` +
        (d.rule.provisional ? "（暂定）" : "")
      : "";
    const clock = open ? countdowns.find((x) => x.deadlineId === d.deadlineId) : undefined;
    const left = clock ? workingDaysText(clock) : undefined;
    const stateText: Record<number, string> = {
      [DeadlineState.OPEN]: "进行中",
      [DeadlineState.MET]: "按期完成",
      [DeadlineState.MISSED]: "已逾期",
      [DeadlineState.CANCELLED]: "已取消",
      [DeadlineState.MET_LATE]: "逾期后完成",
    };
    return el(
      "li",
      {},
      el("span", {}, `${deadlineKindNames[d.kind] ?? d.deadlineId} · 到期 ${formatDue(due)} · ${stateText[d.state] ?? ""}`),
      ...(left ? [el("span", { class: left.overdue ? "countdown overdue" : "countdown" }, left.text)] : []),
      ...(rule ? [el("span", { class: "hint" }, rule)] : []),
    );
  });
  return el("ul", { class: "deadlines" }, ...items);
}

function timeline(events: Event[]): HTMLElement {
  return el(
    "ol",
    { class: "timeline", "aria-label": "办理过程" },
    ...events.map((e) =>
      el(
        "li",
        {},
        el("strong", {}, eventNames[e.payload.case ?? ""] ?? "其他记录"),
        el("span", {}, ` ${formatTime(e.recordedAt)} · ${e.actor?.displayName ?? ""}`),
      ),
    ),
  );
}

async function loadHistory(caseId: string): Promise<Event[]> {
  const events: Event[] = [];
  let pageToken = "";
  for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
    const reply = await casesBinary.getCaseHistory({ caseId, pageSize: 1000, pageToken });
    events.push(...reply.events);
    pageToken = reply.nextPageToken;
    if (pageToken === "") break;
  }
  return events;
}

// The photos of queued items, each with its SHA-256, time and position as
// the report form showed them.
function queuedPhotos(photos: Photo[]): HTMLElement {
  if (photos.length === 0) return el("p", { class: "hint" }, "暂无照片");
  return el(
    "ul",
    { class: "gallery", "aria-label": "待同步的照片" },
    ...photos.map((p) =>
      el(
        "li",
        { class: "evidence" },
        el("img", { src: URL.createObjectURL(p.blob), alt: p.fileName, width: "160", height: "120" }),
        el("span", { class: "photo-name" }, p.fileName),
        el("span", {}, p.originalSha256 ? "SHA-256（原图）：" : "SHA-256："),
        el("code", { class: "sha256" }, p.originalSha256 ?? p.sha256),
        el("span", {}, `拍摄 ${formatTime(p.capturedAt)}`),
        el("span", {}, p.description || "未记录位置"),
      ),
    ),
  );
}

// A case reported on this device and not yet synced: the facts as
// reported (from the queued ReportCase request), its photos and those added
// since, and 补充照片, queued behind the report.
function showQueuedCase(content: HTMLElement, localId: string, report: OutboxItem, later: OutboxItem[]): void {
  const r = report.request as {
    category?: number;
    severity?: number;
    source?: number;
    sourceReference?: string;
    description?: string;
    location?: { regionCode?: string; address?: string; point?: { latitude: number; longitude: number; accuracyM?: number } };
    subject?: { name?: string; unifiedSocialCreditCode?: string };
    complainant?: { name?: string; phone?: string };
    foundAt?: string;
  };
  const point = r.location?.point;
  const refused = [report, ...later].filter((i) => i.state === "refused");
  mount(
    content,
    el("p", { class: "crumbs" }, link("/", "← 返回列表")),
    el("h1", { id: "case-title" }, report.label),
    el(
      "div",
      { class: "badges" },
      el("span", { class: "case-id", id: "case-id" }, `本地编号 ${localId}`),
      el("span", { class: `badge ${report.state === "refused" ? "overdue" : "pending"}`, id: "case-status" }, report.state === "refused" ? "上报被拒绝" : "待同步"),
    ),
    el("p", { class: "hint", role: "status" }, "该案件保存在本机，联网同步后才有正式编号；补充的照片排在上报之后同步。"),
    ...refused.map((i) => el("p", { class: "error", role: "alert" }, `${i.label}：${i.error ?? ""}`)),
    el("div", { class: "actions" }, link(casePath(localId, "photos"), "补充照片", { class: "button" }), link("/outbox", "查看待同步", { class: "button secondary" })),
    section(
      "基本情况（上报内容）",
      facts([
        ["类别", categoryNames[r.category as Category] ?? ""],
        ["严重程度", severityNames[r.severity as Severity] ?? ""],
        ["来源", sourceNames[r.source as CaseSource] ?? ""],
        ["来源编号", r.sourceReference ?? ""],
        ["当事单位", r.subject?.name ?? ""],
        ["统一社会信用代码", r.subject?.unifiedSocialCreditCode ?? ""],
        ["行政区划", r.location?.regionCode ? regionLabel(r.location.regionCode, "full") : ""],
        ["地址", r.location?.address ?? ""],
        ["坐标", pointText(point)],
        ["发现时间", r.foundAt ? formatTime(r.foundAt) : ""],
        ["上报时间", formatTime(report.createdAt)],
        ["问题描述", r.description ?? ""],
        ["举报人", r.complainant ? `${r.complainant.name ?? ""} ${r.complainant.phone ?? ""}`.trim() : ""],
      ]),
    ),
    section("现场照片（待同步）", queuedPhotos(report.photos)),
    ...(later.some((i) => i.kind === "addPhotos")
      ? [section("补充的照片（待同步）", queuedPhotos(later.filter((i) => i.kind === "addPhotos").flatMap((i) => i.photos)))]
      : []),
  );
}

export async function showCasePage(content: HTMLElement, principal: Principal, caseId: string): Promise<void> {
  if (isLocalId(caseId)) {
    const real = await realCaseId(caseId);
    if (real) {
      navigate(casePath(real), true);
      return;
    }
    const queued = await queuedCase(principal.principalId, caseId);
    if (!queued.report) {
      mount(content, el("h1", {}, "案件尚未同步"), el("p", {}, "该案件保存在本机，联网同步后才有正式编号。"), link("/outbox", "查看待同步"));
      return;
    }
    showQueuedCase(content, caseId, queued.report, queued.later);
    return;
  }
  mount(content, el("p", { role: "status" }, "正在加载案件…"));
  let c: Case | undefined;
  let countdowns: DeadlineCountdown[] = [];
  let offlineNote = "";
  try {
    const reply = await cases.getCase({ caseId });
    c = reply.case;
    countdowns = reply.countdowns;
    if (c) await rememberCase(c, countdowns);
  } catch (e) {
    const saved = isTransient(e) ? await recallCase(caseId) : undefined;
    if (!saved) {
      mount(content, el("h1", {}, "无法打开案件"), el("p", { role: "alert", class: "error" }, refusalText(e)), link("/", "返回列表"));
      return;
    }
    c = saved.c;
    countdowns = saved.countdowns;
    offlineNote = `离线：显示 ${formatTime(saved.savedAt)} 保存的案件（剩余工作日按当时计算）`;
  }
  if (!c) return;
  const actions = el("div", { class: "actions" }, ...actionsFor(principal, c).map((a) => link(casePath(c!.caseId, a.action), a.text, { class: "button" })));
  const chainBadge = el("p", { id: "chain-badge", class: "chain", role: "status" }, offlineNote ? "离线，未校验历史记录" : "正在校验历史记录…");
  const history = el("div", {}, el("p", { class: "hint" }, offlineNote ? "离线时不显示办理过程" : "正在加载办理过程…"));
  const point = c.location?.point;
  const parts: Node[] = [
    el("p", { class: "crumbs" }, link("/", "← 返回列表")),
    el("h1", { id: "case-title" }, c.title),
    el(
      "div",
      { class: "badges" },
      el("span", { class: "case-id", id: "case-id" }, c.caseId),
      el("span", { class: `status s${c.status}`, id: "case-status" }, statusNames[c.status]),
      ...(c.overdue ? [el("span", { class: "badge overdue" }, "已逾期")] : []),
      ...(c.completionPending ? [el("span", { class: "badge pending" }, "待验收")] : []),
    ),
    ...(offlineNote ? [el("p", { class: "hint", role: "status" }, offlineNote)] : []),
    chainBadge,
    actions,
    section(
      "基本情况",
      facts([
        ["类别", categoryNames[c.category]],
        ["严重程度", severityNames[c.severity]],
        ["来源", sourceNames[c.source]],
        ["来源编号", c.sourceReference],
        ["当事单位", c.subject?.name ?? ""],
        ["统一社会信用代码", c.subject?.unifiedSocialCreditCode ?? ""],
        ["行政区划", c.location?.regionCode ? regionLabel(c.location.regionCode, "full") : ""],
        ["地址", c.location?.address ?? ""],
        ["坐标", pointText(point)],
        ["发现时间", formatTime(c.foundAt)],
        ["上报人", c.reportedBy?.displayName ?? ""],
        ["上报时间", formatTime(c.reportedAt)],
        ["问题描述", c.description],
        ["举报人", c.complainant ? `${c.complainant.name} ${c.complainant.phone}`.trim() : ""],
        ["责任单位", c.responsibleUnit ? unitLabel(c.responsibleUnit) : ""],
        ["整改要求", c.requirements],
        ["整改期限", c.rectificationDueAt ? formatDue(c.rectificationDueAt) : ""],
        ["标签", c.tags.join("、")],
      ]),
    ),
    section("期限", deadlines(c, countdowns)),
    section("证据", gallery(c)),
  ];
  if (c.progressReports.length > 0) {
    parts.push(
      section(
        "整改进展",
        el(
          "ul",
          { class: "reports" },
          ...c.progressReports.map((p) =>
            el("li", {}, `${formatTime(p.reportedAt)} ${p.reportedBy?.displayName ?? ""}：${p.text}（完成约 ${p.percentComplete}%）`),
          ),
        ),
      ),
    );
  }
  if (c.extensionRequests.length > 0) {
    const states = ["", "待审批", "已批准", "未批准"];
    parts.push(
      section(
        "延期申请",
        el(
          "ul",
          {},
          ...c.extensionRequests.map((x) =>
            el("li", {}, `${x.requestId}：申请延至 ${formatDue(x.requestedDueAt)}，理由：${x.reason}（${states[x.state] ?? ""}）`),
          ),
        ),
      ),
    );
  }
  if (c.completion) {
    parts.push(section("整改完成情况", facts([["说明", c.completion.summary], ["提交", `${formatTime(c.completion.submittedAt)} ${c.completion.submittedBy?.displayName ?? ""}`]])));
  }
  if (c.verification) {
    parts.push(
      section(
        "现场验收",
        facts([
          ["结论", c.verification.passed ? "通过" : "不通过"],
          ["验收意见", c.verification.notes],
          ["验收", `${formatTime(c.verification.verifiedAt)} ${c.verification.verifiedBy?.displayName ?? ""}`],
        ]),
      ),
    );
  }
  if (c.referrals.length > 0) {
    const referralStates: Partial<Record<ReferralState, string>> = {
      [ReferralState.PROPOSED]: "待局领导审批",
      [ReferralState.APPROVED]: "已批准，待移送",
      [ReferralState.REFUSED]: "局领导不同意移送",
      [ReferralState.SENT]: "已移送公安",
      [ReferralState.RECEIVED]: "公安已签收",
      [ReferralState.FILED]: "公安已立案",
      [ReferralState.DECLINED]: "公安不予立案",
      [ReferralState.RETURNED]: "公安退回",
      [ReferralState.WITHDRAWN]: "已撤回",
    };
    parts.push(
      section(
        "移送公安",
        el(
          "ul",
          { class: "referrals" },
          ...c.referrals.map((r) =>
            el(
              "li",
              { "data-referral-id": r.referralId },
              `${r.referralId}：${r.suspectedOffence}（${referralStates[r.state] ?? "办理中"}）；联名执法人员：${r.proposingOfficers.join("、")}`,
            ),
          ),
        ),
      ),
    );
  }
  parts.push(section("办理过程", history));
  mount(content, ...parts);
  if (offlineNote) return;
  try {
    const events = await loadHistory(c.caseId);
    history.replaceChildren(timeline(events));
    const result = await checkChain(events);
    if (!result.ok) {
      chainBadge.classList.add("bad");
      chainBadge.textContent = `✘ 历史记录哈希链校验未通过：第 ${result.brokenAt ?? "?"} 条记录与哈希链不符`;
    } else {
      chainBadge.classList.add("ok");
      chainBadge.textContent = `✔ 历史记录哈希链校验通过（共 ${result.checked} 条，末条哈希 ${result.headHex?.slice(0, 16)}…）`;
    }
  } catch (e) {
    chainBadge.textContent = "无法校验历史记录";
    history.replaceChildren(el("p", { class: "error" }, refusalText(e)));
  }
}

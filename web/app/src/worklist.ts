// Today's work: the inspector's open cases (the ones they reported, and
// those awaiting on-site verification), or the responsible unit's cases;
// overdue first, then by the most pressing deadline, with the working days
// left on it as the server counted them (ListCases' countdowns; nothing is
// counted here), asked of the server by CaseFilter.my_work (a list cut
// short says so); search by case id, title or subject name;
// filters by status. Cases reported offline show with their local id as
// 待同步 and open as reported on this device. Offline, the list last
// loaded on this device is shown.
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { cases, isTransient, refusalText } from "./api";
import { el, link, mount } from "./dom";
import { formatTime, workingDaysText } from "./format";
import type { Case } from "./gen/rectify/v1/case_pb";
import type { DeadlineCountdown } from "./gen/rectify/v1/case_service_pb";
import { CaseStatus, Role, type Principal } from "./gen/rectify/v1/common_pb";
import { deadlineKindNames, statusNames } from "./labels";
import { outboxItems } from "./outbox";
import { recallList, rememberList } from "./recent";
import { casePath } from "./router";
import { canReport } from "./shell";

const OPEN = [CaseStatus.FOUND, CaseStatus.ASSIGNED, CaseStatus.RECTIFYING, CaseStatus.VERIFIED];
// The most cases the list holds, and the most pages read for them: the
// server scans its index a bounded round per page for my_work, so pages may
// come back short; past either bound the list says it is cut.
const MAX_CASES = 2000;
const MAX_PAGES = 50;

interface Loaded {
  list: Case[];
  countdowns: DeadlineCountdown[];
  // True when the server had more than the list holds.
  cut: boolean;
}

// The caller's open cases as the server picks them: an inspector's own
// (reported by them, or awaiting on-site verification) and a unit's cases
// (CaseFilter.my_work); any other role's open cases in scope.
async function loadCases(principal: Principal): Promise<Loaded> {
  const myWork = principal.role === Role.INSPECTOR || principal.role === Role.RECTIFIER;
  const list: Case[] = [];
  const countdowns: DeadlineCountdown[] = [];
  let pageToken = "";
  for (let page = 0; page < MAX_PAGES && list.length < MAX_CASES; page++) {
    const reply = await cases.listCases({ filter: { statuses: OPEN, myWork }, pageSize: 200, pageToken });
    list.push(...reply.cases);
    countdowns.push(...reply.countdowns);
    pageToken = reply.nextPageToken;
    if (pageToken === "") break;
  }
  return { list, countdowns, cut: pageToken !== "" };
}

// The count line: how many, and whether the list is cut.
export function countText(shown: number, cut: boolean): string {
  return cut ? `仅显示前 ${shown} 件，另有案件未列出` : `共 ${shown} 件`;
}

// Overdue (the server's flag, or a countdown past its due) first, then the
// nearest due, then the rest, newest first.
export function workOrder(a: Case, b: Case, clocks: Map<string, DeadlineCountdown>): number {
  const ca = clocks.get(a.caseId);
  const cb = clocks.get(b.caseId);
  const oa = a.overdue || (ca?.overdue ?? false);
  const ob = b.overdue || (cb?.overdue ?? false);
  if (oa !== ob) return oa ? -1 : 1;
  const da = ca?.dueAt ? timestampDate(ca.dueAt).getTime() : undefined;
  const db = cb?.dueAt ? timestampDate(cb.dueAt).getTime() : undefined;
  if (da !== undefined && db !== undefined) return da - db;
  if (da !== undefined || db !== undefined) return da !== undefined ? -1 : 1;
  const ua = a.updatedAt ? timestampDate(a.updatedAt).getTime() : 0;
  const ub = b.updatedAt ? timestampDate(b.updatedAt).getTime() : 0;
  return ub - ua;
}

function row(c: Case, clock: DeadlineCountdown | undefined): HTMLLIElement {
  const badges = el("div", { class: "badges" }, el("span", { class: `status s${c.status}` }, statusNames[c.status]));
  if (c.overdue) badges.append(el("span", { class: "badge overdue" }, "已逾期"));
  if (c.completionPending) badges.append(el("span", { class: "badge pending" }, "待验收"));
  const facts = el("div", { class: "row-facts" }, el("span", { class: "case-id" }, c.caseId));
  if (c.subject?.name) facts.append(el("span", {}, c.subject.name));
  if (clock) {
    const left = workingDaysText(clock);
    facts.append(
      el("span", { class: left.overdue ? "countdown overdue" : "countdown" }, `${deadlineKindNames[clock.kind] ?? "办理期限"}：${left.text}`),
    );
  }
  return el(
    "li",
    { class: "case-row", "data-case-id": c.caseId },
    link(casePath(c.caseId), c.title, { class: "case-title" }),
    badges,
    facts,
  );
}

export async function showWorkList(content: HTMLElement, principal: Principal): Promise<void> {
  const rectifier = principal.role === Role.RECTIFIER;
  const heading = el("h1", {}, rectifier ? "本单位案件" : "今日工作");
  const search = el("input", { id: "search", type: "search", placeholder: "案件编号、标题或当事单位" });
  const filters = el("div", { class: "filters", role: "group", "aria-label": "按状态筛选" });
  const note = el("p", { class: "hint", role: "status" }, "正在加载…");
  const list = el("ul", { class: "case-list", "aria-label": "案件列表" });
  const queued = el("ul", { class: "case-list", "aria-label": "待同步的新案件" });
  let status = CaseStatus.UNSPECIFIED;
  let loaded: Case[] = [];
  let clocks = new Map<string, DeadlineCountdown>();
  const statuses = [CaseStatus.UNSPECIFIED, ...OPEN];
  const buttons = statuses.map((s) => {
    const b = el("button", { type: "button", class: "chip", "aria-pressed": String(s === status) }, statusNames[s]);
    b.addEventListener("click", () => {
      status = s;
      for (const [i, other] of buttons.entries()) other.setAttribute("aria-pressed", String(statuses[i] === s));
      draw();
    });
    return b;
  });
  filters.append(...buttons);
  const draw = () => {
    const q = search.value.trim().toLowerCase();
    const shown = loaded
      .filter((c) => status === CaseStatus.UNSPECIFIED || c.status === status)
      .filter(
        (c) =>
          q === "" ||
          c.caseId.toLowerCase().includes(q) ||
          c.title.toLowerCase().includes(q) ||
          (c.subject?.name ?? "").toLowerCase().includes(q),
      )
      .sort((a, b) => workOrder(a, b, clocks));
    list.replaceChildren(...shown.map((c) => row(c, clocks.get(c.caseId))));
    if (shown.length === 0) list.append(el("li", { class: "empty" }, "没有符合条件的案件"));
  };
  search.addEventListener("input", draw);
  const tools = el("div", { class: "tools" }, el("label", { for: "search", class: "visually-hidden" }, "搜索案件"), search);
  if (canReport(principal)) tools.append(link("/report", "＋ 现场上报", { class: "button", id: "new-report" }));
  mount(content, heading, tools, filters, note, queued, list);

  const pending = (await outboxItems(principal.principalId)).filter((i) => i.kind === "reportCase");
  queued.replaceChildren(
    ...pending.map((i) =>
      el(
        "li",
        { class: "case-row queued" },
        link(casePath(i.caseRef), i.label, { class: "case-title" }),
        el("div", { class: "badges" }, el("span", { class: "badge pending" }, i.state === "refused" ? "被拒绝" : "待同步")),
        el("div", { class: "row-facts" }, el("span", { class: "case-id" }, `本地编号 ${i.caseRef}`)),
      ),
    ),
  );
  try {
    const fresh = await loadCases(principal);
    loaded = fresh.list;
    clocks = new Map(fresh.countdowns.map((d) => [d.caseId, d]));
    await rememberList(principal.principalId, loaded, fresh.countdowns);
    note.textContent = countText(loaded.length, fresh.cut);
    note.classList.toggle("cut", fresh.cut);
  } catch (e) {
    const saved = isTransient(e) ? await recallList(principal.principalId) : undefined;
    if (saved) {
      loaded = saved.list;
      clocks = new Map(saved.countdowns.map((d) => [d.caseId, d]));
      note.textContent = `离线：显示 ${formatTime(saved.savedAt)} 保存的列表（剩余工作日按当时计算），共 ${loaded.length} 件`;
    } else {
      note.textContent = isTransient(e) ? "离线，本机没有保存的列表" : refusalText(e);
    }
  }
  draw();
}

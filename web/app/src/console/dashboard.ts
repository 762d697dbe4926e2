// The supervisor's dashboard (总览): open cases by status, overdue now, new
// this month and the responsible units, the slowest first. Every number is
// the server's (a filtered ListCases counted, or the monthly report's
// per-unit figures) and a link to the case list with the same filter. The
// page reads again when an event arrives on the live stream.
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { el } from "../dom";
import { regionPicker } from "../pickers";
import type { ReportRow } from "../gen/rectify/v1/supervision_service_pb";
import { supervision } from "./clients";
import type { PageContext } from "./console";
import { debounced, onEvent } from "./live";
import { openStatuses, statusNames } from "./names";
import { caseListPath, countCases, dayOf, dayStart } from "./query";
import { refusalText } from "./refusal";
import { unitLabel } from "../directory";

function tile(id: string, label: string, value: number, href: string, warn = false): HTMLElement {
  return el(
    "a",
    { class: warn && value > 0 ? "tile warn" : "tile", href, id, "aria-label": `${label}：${value} 件` },
    el("span", { class: "tile-value" }, String(value)),
    el("span", { class: "tile-label" }, label),
  );
}

// The "due soon" tile: cases whose most pressing running deadline falls due
// within this many working days (the server counts them on its calendar:
// CaseFilter.due_within_working_days).
const DUE_SOON_WORKING_DAYS = 5;

// Slowest first: most overdue, then most still open, then the longest
// median time to close.
function slowestFirst(a: ReportRow, b: ReportRow): number {
  const fa = a.figures;
  const fb = b.figures;
  if (!fa || !fb) return 0;
  return (
    fb.overdue - fa.overdue ||
    fb.openAtEnd - fa.openAtEnd ||
    fb.medianDaysToClose - fa.medianDaysToClose ||
    a.key.localeCompare(b.key)
  );
}

export function showDashboard(page: PageContext): void {
  const region = page.params.get("region") || page.principal.jurisdiction;
  const regionPick = regionPicker("dash-region", region, page.principal.jurisdiction, { name: "region" });
  const regionInput = regionPick.input;
  const regionForm = el(
    "form",
    { class: "inline-form" },
    el("label", { for: "dash-region" }, "区域"),
    regionPick.node,
    el("button", { type: "submit", class: "secondary" }, "查看"),
  );
  regionForm.addEventListener("submit", (e) => {
    e.preventDefault();
    page.go(`/console?region=${encodeURIComponent(regionInput.value.trim())}`);
  });
  const body = el("div", { id: "dashboard", "aria-busy": "true" }, el("p", {}, "正在加载…"));
  const updated = el("p", { class: "muted", id: "dash-updated" });
  page.view.append(el("h1", {}, "总览"), regionForm, updated, body);

  let loading = false;
  let again = false;
  const load = async () => {
    if (loading) {
      again = true;
      return;
    }
    loading = true;
    try {
      const now = new Date();
      const today = dayOf(now);
      const monthStart = dayStart(`${today.slice(0, 7)}-01`) as Date;
      const year = Number(today.slice(0, 4));
      const month = Number(today.slice(5, 7));
      const nextMonth = dayStart(month === 12 ? `${year + 1}-01-01` : `${year}-${String(month + 1).padStart(2, "0")}-01`) as Date;
      const base = { regionPrefix: region };
      const newFilter = { ...base, foundFrom: timestampFromDate(monthStart), foundTo: timestampFromDate(nextMonth) };
      const [byStatus, overdue, dueSoon, fresh, report] = await Promise.all([
        Promise.all(openStatuses.map((s) => countCases({ ...base, statuses: [s] }))),
        countCases({ ...base, overdueOnly: true }),
        countCases({ ...base, dueWithinWorkingDays: DUE_SOON_WORKING_DAYS }),
        countCases(newFilter),
        supervision.getMonthlyReport({ year, month, regionPrefix: region }),
      ]);
      const statusTiles = openStatuses.map((s, i) =>
        tile(`dash-status-${s}`, statusNames[s], byStatus[i], caseListPath({ ...base, statuses: [s] })),
      );
      const rows = [...report.byUnit].filter((r) => r.key !== "").sort(slowestFirst);
      const unitTable = el(
        "table",
        { id: "dash-units" },
        el(
          "caption",
          {},
          "各责任单位（最慢的在前）",
        ),
        el(
          "thead",
          {},
          el("tr", {}, ...["责任单位", "未销号", "逾期", "本月销号", "销号中位用时（天）"].map((h) => el("th", { scope: "col" }, h))),
        ),
        el(
          "tbody",
          {},
          ...rows.map((r) =>
            el(
              "tr",
              { "data-unit": r.key },
              el("th", { scope: "row" }, el("a", { href: caseListPath({ ...base, responsibleUnit: r.key }) }, r.name || unitLabel(r.key))),
              el("td", {}, el("a", { href: caseListPath({ ...base, responsibleUnit: r.key, statuses: openStatuses }) }, String(r.figures?.openAtEnd ?? 0))),
              el("td", {}, el("a", { href: caseListPath({ ...base, responsibleUnit: r.key, overdueOnly: true }) }, String(r.figures?.overdue ?? 0))),
              el("td", {}, String(r.figures?.closed ?? 0)),
              el("td", {}, r.figures && r.figures.closed > 0 ? r.figures.medianDaysToClose.toFixed(1) : "—"),
            ),
          ),
        ),
      );
      body.replaceChildren(
        el("h2", {}, "在办问题（按状态）"),
        el("div", { class: "tiles", id: "dash-by-status" }, ...statusTiles),
        el("h2", {}, "需要关注"),
        el(
          "div",
          { class: "tiles" },
          tile("dash-overdue", "当前逾期", overdue, caseListPath({ ...base, overdueOnly: true }), true),
          tile(
            "dash-due-soon",
            `${DUE_SOON_WORKING_DAYS} 个工作日内到期`,
            dueSoon,
            caseListPath({ ...base, dueWithinWorkingDays: DUE_SOON_WORKING_DAYS }),
          ),
          tile("dash-new", `本月新发现（${month}月）`, fresh, caseListPath(newFilter)),
        ),
        rows.length ? unitTable : el("p", { class: "muted", id: "dash-units" }, "暂无已交办的问题"),
      );
      body.setAttribute("aria-busy", "false");
      updated.textContent = `数据时间：${new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", dateStyle: "medium", timeStyle: "medium" }).format(now)}`;
    } catch (e) {
      body.replaceChildren(el("p", { class: "error", role: "alert" }, refusalText(e)));
    } finally {
      loading = false;
      if (again) {
        again = false;
        void load();
      }
    }
  };
  page.onLeave(onEvent(debounced(() => void load())));
  void load();
}

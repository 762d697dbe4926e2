// The monthly dispatch report (月调度) of any month: the server's figures
// (GetMonthlyReport) for the jurisdiction, per category and per responsible
// unit, laid out for the screen and for A4 print (style.css @media print).
import { el } from "../dom";
import type { ReportFigures, ReportRow } from "../gen/rectify/v1/supervision_service_pb";
import { supervision } from "./clients";
import type { PageContext } from "./console";
import { Category } from "../gen/rectify/v1/common_pb";
import { categoryNames, formatTime } from "./names";
import { dayOf } from "./query";
import { refusalText } from "./refusal";

const heads = ["新发现", "交办", "月末整改中", "验收", "销号", "查无实据", "月末逾期", "累计销号率", "销号中位用时（天）"];

function cells(f: ReportFigures | undefined): string[] {
  if (!f) return heads.map(() => "0");
  return [
    String(f.newCases),
    String(f.assigned),
    String(f.rectifying),
    String(f.verified),
    String(f.closed),
    String(f.closedUnfounded),
    String(f.overdue),
    `${(f.closureRate * 100).toFixed(1)}%`,
    f.closed > 0 ? f.medianDaysToClose.toFixed(1) : "—",
  ];
}

function rowsTable(id: string, caption: string, keyHead: string, rows: ReportRow[], keyName: (k: string) => string): HTMLElement {
  return el(
    "table",
    { id, class: "report" },
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, keyHead), ...heads.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...rows.map((r) => el("tr", {}, el("th", { scope: "row" }, keyName(r.key)), ...cells(r.figures).map((c) => el("td", {}, c))))),
  );
}

// by_category keys are the enum names, e.g. "CATEGORY_AIR".
const categoryByKey: Record<string, string> = Object.fromEntries(
  Object.entries(Category)
    .filter(([, v]) => typeof v === "number")
    .map(([k, v]) => [`CATEGORY_${k}`, categoryNames[v as Category]]),
);

export function showReport(page: PageContext): void {
  const today = dayOf(new Date());
  const month = page.params.get("month") ?? today.slice(0, 7);
  const monthInput = el("input", { type: "month", id: "report-month", value: month });
  const form = el("form", { class: "inline-form no-print" }, el("label", { for: "report-month" }, "月份"), monthInput, el("button", { type: "submit", class: "secondary" }, "查看"));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    page.go(`/console/report?month=${encodeURIComponent(monthInput.value)}`);
  });
  const print = el("button", { type: "button", class: "no-print", id: "print-report" }, "打印（A4）");
  print.addEventListener("click", () => window.print());
  const body = el("div", { id: "report" }, el("p", {}, "正在加载…"));
  const [y, m] = month.split("-").map(Number);
  page.view.append(el("h1", {}, `${y}年${m}月 生态环境问题整改月调度`), form, el("div", { class: "toolbar no-print" }, print), body);
  void (async () => {
    try {
      const r = await supervision.getMonthlyReport({ year: y, month: m, regionPrefix: page.params.get("region") ?? "" });
      body.replaceChildren(
        el("p", { class: "lead" }, `区域 ${r.regionPrefix}，统计截至 ${formatTime(r.asOf)}。`),
        rowsTable("report-total", "一、总体情况", "范围", [{ key: "全辖区", figures: r.total } as ReportRow], (k) => k),
        rowsTable("report-category", "二、分类别情况", "类别", r.byCategory, (k) => categoryByKey[k] ?? k),
        rowsTable("report-region", "三、分区域情况", "区域代码", r.byRegion, (k) => k),
        rowsTable("report-unit", "四、分责任单位情况", "责任单位", r.byUnit, (k) => k || "未交办"),
      );
    } catch (e) {
      body.replaceChildren(el("p", { class: "error", role: "alert" }, refusalText(e)));
    }
  })();
}

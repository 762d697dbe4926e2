// The case list (问题台账): every CaseFilter field as a control, paging by
// the server's page tokens, the order the server offers (case id), and the
// CSV ledger of the current filter in one click. The filter lives in the
// address, so the dashboard's numbers link here and a reload keeps it.
import { create } from "@bufbuild/protobuf";
import { el } from "../dom";
import { CaseFilterSchema } from "../gen/rectify/v1/case_service_pb";
import { CaseSource, CaseStatus, Category } from "../gen/rectify/v1/common_pb";
import { cases } from "./clients";
import type { PageContext } from "./console";
import { downloadLedger } from "./ledger";
import { debounced, onEvent } from "./live";
import { categoryNames, countdownText, formatTime, sourceNames, statusNames } from "./names";
import { dayOf, filterFromParams } from "./query";
import { refusalText } from "./refusal";
import { unitLabel } from "../directory";
import { regionPicker, unitPicker } from "../pickers";
import { formatDue } from "../format";

function checkboxGroup<T extends number>(legend: string, name: string, names: Record<T, string>, values: T[], checked: T[]): HTMLFieldSetElement {
  return el(
    "fieldset",
    { class: "checks" },
    el("legend", {}, legend),
    ...values.map((v) => {
      const id = `f-${name}-${v}`;
      const box = el("input", { type: "checkbox", id, name, value: String(v) });
      box.checked = checked.includes(v);
      return el("span", { class: "check" }, box, el("label", { for: id }, names[v]));
    }),
  );
}

function field(label: string, input: HTMLElement, control: HTMLElement = input): HTMLElement {
  return el("span", { class: "field" }, el("label", { for: input.id }, label), control);
}

export function showCaseList(page: PageContext): void {
  const filter = filterFromParams(page.params);
  const pageSize = Math.min(Math.max(Number(page.params.get("size")) || 50, 1), 500);
  const statuses = checkboxGroup("状态", "status", statusNames, [CaseStatus.FOUND, CaseStatus.ASSIGNED, CaseStatus.RECTIFYING, CaseStatus.VERIFIED, CaseStatus.CLOSED], filter.statuses);
  const categories = checkboxGroup("类别", "category", categoryNames, [1, 2, 3, 4, 5, 6, 7, 8] as Category[], filter.categories);
  const sources = checkboxGroup("来源", "source", sourceNames, [1, 2, 3, 4, 5, 6, 7] as CaseSource[], filter.sources);
  const text = (id: string, value: string, attrs: Record<string, string> = {}) => el("input", { id, value, ...attrs });
  const regionPick = regionPicker("f-region", filter.regionPrefix, page.principal.jurisdiction);
  const unitPick = unitPicker("f-unit", filter.responsibleUnit);
  const region = regionPick.input;
  const unit = unitPick.input;
  const list = text("f-list", filter.listId, { maxlength: "64" });
  const overdue = el("input", { type: "checkbox", id: "f-overdue" });
  overdue.checked = filter.overdueOnly;
  const dueWithin = el("input", { type: "number", id: "f-due-within", min: "1", max: "366", value: filter.dueWithinWorkingDays ? String(filter.dueWithinWorkingDays) : "" });
  const date = (id: string, name: string) => el("input", { type: "date", id, value: page.params.get(name) ?? "" });
  const foundFrom = date("f-found-from", "foundFrom");
  const foundTo = date("f-found-to", "foundTo");
  const updatedFrom = date("f-updated-from", "updatedFrom");
  const updatedTo = date("f-updated-to", "updatedTo");
  const size = el("select", { id: "f-size" }, ...[20, 50, 100, 500].map((n) => el("option", { value: String(n) }, `每页 ${n} 条`)));
  size.value = String(pageSize);
  const form = el(
    "form",
    { class: "filters", "aria-label": "筛选条件" },
    statuses,
    categories,
    sources,
    el(
      "div",
      { class: "fields" },
      field("区域", region, regionPick.node),
      field("责任单位", unit, unitPick.node),
      field("整改清单编号", list),
      field("发现日期起", foundFrom),
      field("发现日期止（不含）", foundTo),
      field("更新日期起", updatedFrom),
      field("更新日期止（不含）", updatedTo),
      el("span", { class: "check" }, overdue, el("label", { for: "f-overdue" }, "只看逾期")),
      field("几个工作日内到期", dueWithin),
      field("分页", size),
    ),
    el("div", { class: "actions" }, el("button", { type: "submit" }, "查询"), el("a", { href: "/console/cases", class: "button secondary" }, "清空条件")),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const checked = (name: string) =>
      Array.from(form.querySelectorAll<HTMLInputElement>(`input[name=${name}]:checked`)).map((b) => Number(b.value));
    const next = new URLSearchParams();
    const put = (k: string, v: string) => {
      if (v) next.set(k, v);
    };
    put("status", checked("status").join(","));
    put("category", checked("category").join(","));
    put("source", checked("source").join(","));
    put("region", region.value.trim());
    put("unit", unit.value.trim());
    put("list", list.value.trim());
    if (overdue.checked) next.set("overdue", "1");
    put("dueWithin", dueWithin.value.trim());
    put("foundFrom", foundFrom.value);
    put("foundTo", foundTo.value);
    put("updatedFrom", updatedFrom.value);
    put("updatedTo", updatedTo.value);
    if (size.value !== "50") next.set("size", size.value);
    const q = next.toString();
    page.go(q ? `/console/cases?${q}` : "/console/cases");
  });

  const ledgerButton = el("button", { type: "button", id: "ledger", class: "secondary" }, "导出台账（CSV）");
  const ledgerStatus = el("span", { class: "muted", role: "status" });
  ledgerButton.addEventListener("click", async () => {
    ledgerButton.disabled = true;
    ledgerStatus.textContent = "正在导出…";
    try {
      await downloadLedger({ case: "filter", value: create(CaseFilterSchema, filter) }, `问题台账-${dayOf(new Date())}.csv`);
      ledgerStatus.textContent = "已导出";
    } catch (e) {
      ledgerStatus.textContent = refusalText(e);
    } finally {
      ledgerButton.disabled = false;
    }
  });

  const summary = el("p", { id: "case-count", role: "status" });
  const table = el("table", { id: "case-table", class: "cases" });
  const prev = el("button", { type: "button", class: "secondary", id: "prev-page" }, "上一页");
  const next = el("button", { type: "button", class: "secondary", id: "next-page" }, "下一页");
  const pager = el("div", { class: "pager" }, prev, el("span", { id: "page-number" }), next);
  page.view.append(
    el("h1", {}, "问题台账"),
    form,
    el("div", { class: "toolbar" }, ledgerButton, ledgerStatus, el("span", { class: "muted" }, "按问题编号排序")),
    summary,
    table,
    pager,
  );

  // tokens[i] opens page i + 1.
  const tokens: string[] = [""];
  let index = 0;
  const load = async () => {
    try {
      const reply = await cases.listCases({ filter, pageSize, pageToken: tokens[index] });
      tokens.length = index + 1;
      if (reply.nextPageToken) tokens.push(reply.nextPageToken);
      table.replaceChildren(
        el("thead", {}, el("tr", {}, ...["问题编号", "问题", "状态", "类别", "责任单位", "整改期限", "最近期限（剩余）", "更新时间"].map((h) => el("th", { scope: "col" }, h)))),
        el(
          "tbody",
          {},
          ...reply.cases.map((c) =>
            el(
              "tr",
              { "data-case": c.caseId, class: c.overdue ? "overdue" : "" },
              el("td", {}, el("a", { href: `/console/cases/${encodeURIComponent(c.caseId)}` }, c.caseId)),
              el("td", {}, c.title),
              el("td", {}, statusNames[c.status] ?? "", c.overdue ? el("span", { class: "badge warn" }, "逾期") : ""),
              el("td", {}, categoryNames[c.category] ?? ""),
              el("td", {}, unitLabel(c.responsibleUnit)),
              el("td", {}, formatDue(c.rectificationDueAt)),
              el("td", { class: "countdown" }, countdownText(reply.countdowns.find((d) => d.caseId === c.caseId))),
              el("td", {}, formatTime(c.updatedAt)),
            ),
          ),
        ),
      );
      summary.textContent = reply.cases.length === 0 && index === 0 ? "没有符合条件的问题" : `第 ${index + 1} 页，本页 ${reply.cases.length} 件`;
      (pager.querySelector("#page-number") as HTMLElement).textContent = `第 ${index + 1} 页`;
      prev.disabled = index === 0;
      next.disabled = tokens.length <= index + 1;
    } catch (e) {
      summary.textContent = "";
      table.replaceChildren();
      page.view.append(el("p", { class: "error", role: "alert" }, refusalText(e)));
    }
  };
  prev.addEventListener("click", () => {
    if (index > 0) {
      index--;
      void load();
    }
  });
  next.addEventListener("click", () => {
    if (tokens.length > index + 1) {
      index++;
      void load();
    }
  });
  page.onLeave(onEvent(debounced(() => void load())));
  void load();
}

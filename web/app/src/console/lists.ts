// Rectification lists (整改清单): the lists of the jurisdiction, a new list,
// and one list's page: its items, cases added by search (the case list's
// filter) or by pasted case ids, removed with a reason, progress per
// responsible unit as bars (the server's figures), closed (清零) when every
// item is closed, and its ledger as CSV.
import { el } from "../dom";
import { CaseStatus } from "../gen/rectify/v1/common_pb";
import { ListStatus, type GetRectificationListResponse, type RectificationList } from "../gen/rectify/v1/supervision_service_pb";
import { cases, newCommandId, supervision } from "./clients";
import type { PageContext } from "./console";
import { type Action, actionButton } from "./dialog";
import { downloadLedger } from "./ledger";
import { debounced, onEvent } from "./live";
import { formatTime, statusNames } from "./names";
import { caseListPath } from "./query";
import { refusalText } from "./refusal";
import { regionLabel, unitLabel, unitName } from "../directory";
import { regionPicker, unitPicker } from "../pickers";

const listStatusNames: Record<ListStatus, string> = {
  [ListStatus.UNSPECIFIED]: "",
  [ListStatus.OPEN]: "整改中",
  [ListStatus.CLOSED]: "已清零",
};

// Case ids as a user pastes them: separated by spaces, commas, 、 or new lines.
export function parseCaseIds(text: string): string[] {
  const ids = text.split(/[\s,，、;；]+/).map((s) => s.trim()).filter((s) => s !== "");
  return Array.from(new Set(ids));
}

export function showLists(page: PageContext): void {
  const body = el("div", { id: "lists" }, el("p", {}, "正在加载…"));
  const create: Action = {
    id: "create-list",
    label: "新建整改清单",
    confirm: "新建一份整改清单。",
    fields: [
      { name: "title", label: "清单名称", required: true },
      { name: "origin", label: "问题来源（如：中央环保督察第二轮）" },
      { name: "owner", label: "牵头单位", required: true, value: page.principal.unitId },
      { name: "region", label: "区域代码", required: true, value: page.principal.jurisdiction, picker: "region", under: page.principal.jurisdiction },
    ],
    run: async (v) => {
      const reply = await supervision.createRectificationList({ commandId: newCommandId(), title: v.title, origin: v.origin, ownerUnit: v.owner, regionCode: v.region });
      if (reply.list) page.go(`/console/lists/${encodeURIComponent(reply.list.listId)}`);
    },
  };
  page.view.append(el("h1", {}, "整改清单"), el("div", { class: "toolbar" }, actionButton(create, () => undefined)), body);
  const load = async () => {
    try {
      const all = [];
      let pageToken = "";
      do {
        const reply = await supervision.listRectificationLists({ pageSize: 500, pageToken });
        all.push(...reply.lists);
        pageToken = reply.nextPageToken;
      } while (pageToken !== "");
      if (all.length === 0) {
        body.replaceChildren(el("p", { class: "muted" }, "暂无整改清单"));
        return;
      }
      body.replaceChildren(
        el(
          "table",
          { id: "list-table" },
          el("thead", {}, el("tr", {}, ...["清单编号", "名称", "来源", "区域", "状态", "创建时间"].map((h) => el("th", { scope: "col" }, h)))),
          el(
            "tbody",
            {},
            ...all.map((l) =>
              el(
                "tr",
                {},
                el("td", {}, el("a", { href: `/console/lists/${encodeURIComponent(l.listId)}` }, l.listId)),
                el("td", {}, l.title),
                el("td", {}, l.origin || "—"),
                el("td", {}, regionLabel(l.regionCode)),
                el("td", {}, listStatusNames[l.status]),
                el("td", {}, formatTime(l.createdAt)),
              ),
            ),
          ),
        ),
      );
    } catch (e) {
      body.replaceChildren(el("p", { class: "error", role: "alert" }, refusalText(e)));
    }
  };
  page.onLeave(onEvent(debounced(() => void load())));
  void load();
}

// One unit's bar: `unit` its id ("" for cases not yet assigned, 未交办),
// kept in data-unit; the label is the directory's name.
function bar(unit: string, closed: number, total: number, overdue: number): HTMLElement {
  const label = unitLabel(unit, "未交办");
  const percent = total > 0 ? Math.round((closed / total) * 100) : 0;
  // CSSOM, not a style attribute: the gateway's CSP allows no inline styles.
  const fill = el("span", { class: "bar-fill" });
  fill.style.width = `${percent}%`;
  const chart = el("span", { class: "bar", role: "img", "aria-label": `已销号 ${closed} / ${total}` }, fill);
  void (unit ? unitName(unit) : Promise.resolve("未交办")).then((name) => chart.setAttribute("aria-label", `${name}：已销号 ${closed} / ${total}`));
  return el(
    "div",
    { class: "bar-row", "data-unit": unit || "未交办" },
    el("span", { class: "bar-label" }, label),
    chart,
    el("span", { class: "bar-figure" }, `${closed} / ${total}${overdue > 0 ? `，逾期 ${overdue}` : ""}`),
  );
}

function progressChart(reply: GetRectificationListResponse): HTMLElement {
  const rows = reply.unitProgress.map((u) =>
    bar(u.responsibleUnit, u.progress?.closed ?? 0, u.progress?.total ?? 0, u.progress?.overdue ?? 0),
  );
  const total = reply.progress;
  return el(
    "figure",
    { class: "chart", id: "list-progress" },
    el("figcaption", {}, total && total.total > 0 ? `总进度：已销号 ${total.closed} / ${total.total}（${Math.round(total.closureRate * 100)}%）` : "清单中还没有问题"),
    ...rows,
  );
}

export function showListPage(page: PageContext, listId: string): void {
  const heading = el("h1", {}, `整改清单 ${listId}`);
  const message = el("p", { role: "status", id: "list-message" });
  const body = el("div", { id: "list-body" }, el("p", {}, "正在加载…"));
  page.view.append(el("p", {}, el("a", { href: "/console/lists" }, "← 返回整改清单")), heading, message, body);
  let current: RectificationList | undefined;
  let load: () => Promise<void>;
  // Search: the server's ListCases over the search words' filter (region,
  // unit, picked by name; CaseFilter has no text query, so there is no
  // search by title or subject); the user ticks what to add. Made once, outside what a live
  // re-read replaces, so results and ticks survive an update.
  const searchUnit = unitPicker("search-unit", "", { placeholder: "选择或输入责任单位" });
  const searchRegionPick = regionPicker("search-region", "", page.principal.jurisdiction);
  const search = searchUnit.input;
  const searchRegion = searchRegionPick.input;
  const searchButton = el("button", { type: "button", class: "secondary" }, "搜索问题");
  const results = el("div", { id: "search-results" });
  searchButton.addEventListener("click", async () => {
    try {
      const found = await cases.listCases({ filter: { regionPrefix: searchRegion.value.trim(), responsibleUnit: search.value.trim() }, pageSize: 100 });
      const onList = current?.items ?? [];
      const candidates = found.cases.filter((c) => !onList.some((i) => i.caseId === c.caseId));
      const boxes = candidates.map((c) => {
        const box = el("input", { type: "checkbox", id: `add-${c.caseId}`, value: c.caseId });
        return el("div", { class: "check" }, box, el("label", { for: `add-${c.caseId}` }, `${c.caseId} ${c.title}（${statusNames[c.status]}）`));
      });
      const addChecked = el("button", { type: "button", id: "add-checked" }, "加入选中的问题");
      addChecked.addEventListener("click", async () => {
        const ids = Array.from(results.querySelectorAll<HTMLInputElement>("input:checked")).map((b) => b.value);
        if (ids.length === 0 || !current) return;
        try {
          await supervision.addListItems({ listId, expectedVersion: current.version, commandId: newCommandId(), caseIds: ids });
          results.replaceChildren();
          message.textContent = `已加入 ${ids.length} 个问题`;
          void load();
        } catch (e) {
          message.textContent = refusalText(e);
        }
      });
      results.replaceChildren(...(boxes.length ? [...boxes, addChecked] : [el("p", { class: "muted" }, "没有可加入的问题")]));
    } catch (e) {
      results.replaceChildren(el("p", { class: "error", role: "alert" }, refusalText(e)));
    }
  });

  const searchBox = el("fieldset", { class: "search", hidden: "" }, el("legend", {}, "搜索问题加入清单"), el("label", { for: "search-region" }, "区域"), searchRegionPick.node, el("label", { for: "search-unit" }, "责任单位"), searchUnit.node, searchButton, results);
  page.view.append(searchBox);

  load = async () => {
    try {
      const reply = await supervision.getRectificationList({ listId });
      const list = reply.list;
      if (!list) return;
      if (!current) {
        searchRegion.value = list.regionCode;
        searchRegion.dispatchEvent(new Event("change"));
      }
      current = list;
      heading.textContent = `${list.title}（${listStatusNames[list.status]}）`;
      const base = { listId, expectedVersion: list.version };
      const open = list.status === ListStatus.OPEN;
      searchBox.hidden = !open;
      const done = (text: string) => () => {
        message.textContent = text;
        void load();
      };
      const add: Action = {
        id: "add-items",
        label: "按编号加入问题",
        confirm: "把下列问题加入本清单（每行一个问题编号，也可用逗号、空格分隔）。",
        fields: [{ name: "ids", label: "问题编号", kind: "textarea", required: true }],
        run: (v) => supervision.addListItems({ ...base, commandId: newCommandId(), caseIds: parseCaseIds(v.ids) }),
      };
      const close: Action = {
        id: "close-list",
        label: "清零（关闭清单）",
        confirm: "清单中所有问题均已销号，确认清零？",
        fields: [{ name: "remark", label: "清零说明", kind: "textarea" }],
        run: (v) => supervision.closeRectificationList({ ...base, commandId: newCommandId(), remark: v.remark }),
      };
      const ledger = el("button", { type: "button", class: "secondary", id: "list-ledger" }, "下载台账（CSV）");
      ledger.addEventListener("click", async () => {
        try {
          await downloadLedger({ case: "listId", value: listId }, `整改台账-${listId}.csv`);
        } catch (e) {
          message.textContent = refusalText(e);
        }
      });
      const items = el(
        "table",
        { id: "list-items" },
        el("thead", {}, el("tr", {}, ...["序号", "问题编号", "加入时间", "操作"].map((h) => el("th", { scope: "col" }, h)))),
        el(
          "tbody",
          {},
          ...list.items.map((i) =>
            el(
              "tr",
              { "data-case": i.caseId },
              el("td", {}, String(i.itemNumber)),
              el("td", {}, el("a", { href: `/console/cases/${encodeURIComponent(i.caseId)}` }, i.caseId)),
              el("td", {}, formatTime(i.addedAt)),
              el(
                "td",
                {},
                open
                  ? actionButton(
                      {
                        id: `remove-${i.caseId}`,
                        label: "移出",
                        danger: true,
                        confirm: `把问题 ${i.caseId} 移出本清单？`,
                        fields: [{ name: "reason", label: "移出理由", kind: "textarea", required: true }],
                        run: (v) => supervision.removeListItem({ ...base, commandId: newCommandId(), caseId: i.caseId, reason: v.reason }),
                      },
                      done(`已移出 ${i.caseId}`),
                    )
                  : "",
              ),
            ),
          ),
        ),
      );
      body.replaceChildren(
        el(
          "dl",
          { class: "facts" },
          ...[
            ["清单编号", list.listId],
            ["来源", list.origin || "—"],
            ["牵头单位", unitLabel(list.ownerUnit)],
            ["区域", regionLabel(list.regionCode, "full")],
            ["创建时间", formatTime(list.createdAt)],
            ["清零时间", formatTime(list.closedAt)],
          ].map(([k, v]) => el("div", {}, el("dt", {}, k), el("dd", {}, v))),
        ),
        progressChart(reply),
        el(
          "div",
          { class: "toolbar" },
          ledger,
          el("a", { class: "button secondary", href: caseListPath({ listId }) }, "在问题台账中查看"),
          el("a", { class: "button secondary", href: caseListPath({ listId, statuses: [CaseStatus.FOUND, CaseStatus.ASSIGNED, CaseStatus.RECTIFYING, CaseStatus.VERIFIED] }) }, "未销号的问题"),
          ...(open ? [actionButton(add, done("已加入问题")), actionButton(close, done("清单已清零"))] : []),
        ),
        items,
      );
    } catch (e) {
      body.replaceChildren(el("p", { class: "error", role: "alert" }, refusalText(e)));
    }
  };
  // Progress changes when any case of the list changes: read again on every
  // event of the list or of one of its cases.
  const reload = debounced(() => void load());
  page.onLeave(
    onEvent((e) => {
      const ids = e.streamId;
      if (ids === listId || body.querySelector(`tr[data-case="${CSS.escape(ids)}"]`)) reload();
    }),
  );
  void load();
}

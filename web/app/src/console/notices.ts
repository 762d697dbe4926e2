// Notices (通报): the server's notice list (overdue, no progress for N days,
// not started for N days) grouped by responsible unit, ready to print.
import { el } from "../dom";
import { NoticeReason } from "../gen/rectify/v1/supervision_service_pb";
import { supervision } from "./clients";
import type { PageContext } from "./console";
import { debounced, onEvent } from "./live";
import { formatTime, statusNames } from "./names";
import { refusalText } from "./refusal";
import { unitLabel } from "../directory";

export function showNotices(page: PageContext): void {
  const body = el("div", { id: "notices" }, el("p", {}, "正在加载…"));
  const print = el("button", { type: "button", class: "secondary no-print" }, "打印");
  print.addEventListener("click", () => window.print());
  page.view.append(el("h1", {}, "通报"), el("div", { class: "toolbar no-print" }, print), body);
  const load = async () => {
    try {
      const reply = await supervision.listNotices({ regionPrefix: page.params.get("region") ?? "" });
      const reasonName = (r: NoticeReason) =>
        r === NoticeReason.OVERDUE ? "逾期未完成" : r === NoticeReason.NO_PROGRESS ? `${reply.noProgressDays} 日无进展` : r === NoticeReason.NOT_STARTED ? `交办 ${reply.notStartedDays} 日未启动` : "";
      const total = reply.units.reduce((n, u) => n + u.notices.length, 0);
      body.replaceChildren(
        el("p", { class: "lead" }, `截至 ${formatTime(reply.asOf)}，共 ${total} 个问题被通报，涉及 ${reply.units.length} 个责任单位。`),
        ...reply.units.map((u) =>
          el(
            "section",
            { class: "notice-unit", "data-unit": u.responsibleUnit },
            el("h2", {}, unitLabel(u.responsibleUnit, "未交办")),
            el(
              "table",
              {},
              el("thead", {}, el("tr", {}, ...["问题编号", "问题", "状态", "通报原因", "起算时间", "天数"].map((h) => el("th", { scope: "col" }, h)))),
              el(
                "tbody",
                {},
                ...u.notices.map((n) =>
                  el(
                    "tr",
                    {},
                    el("td", {}, el("a", { href: `/console/cases/${encodeURIComponent(n.caseId)}` }, n.caseId)),
                    el("td", {}, n.title),
                    el("td", {}, statusNames[n.status]),
                    el("td", {}, reasonName(n.reason)),
                    el("td", {}, formatTime(n.since)),
                    el("td", {}, String(n.days)),
                  ),
                ),
              ),
            ),
          ),
        ),
      );
    } catch (e) {
      body.replaceChildren(el("p", { class: "error", role: "alert" }, refusalText(e)));
    }
  };
  page.onLeave(onEvent(debounced(() => void load(), 1000)));
  void load();
}

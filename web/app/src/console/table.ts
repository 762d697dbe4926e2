// A captioned table of a page section (the case page's evidence, deadlines,
// referrals; a penalty case's clocks, decisions, orders), or 「caption：无」
// when it has no rows.
import { el } from "../dom";

export function table(id: string, caption: string, head: string[], rows: (string | Node)[][]): HTMLElement {
  if (rows.length === 0) return el("p", { class: "muted", id }, `${caption}：无`);
  return el(
    "table",
    { id },
    el("caption", {}, caption),
    el("thead", {}, el("tr", {}, ...head.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, ...rows.map((r) => el("tr", {}, ...r.map((cell) => el("td", {}, cell))))),
  );
}

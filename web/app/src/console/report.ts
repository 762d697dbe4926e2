// The monthly dispatch report (月调度) of any month: the page rectifyctl
// writes (client/report_html.h: the figures per category, region and
// responsible unit with their charts, the notice list, an A4 print
// stylesheet), served by the gateway at GET /reports/monthly from
// GetMonthlyReport and shown here in a frame. Printing prints that page
// on A4; nothing is computed or laid out twice.
import { el } from "../dom";
import { regionPicker } from "../pickers";
import type { PageContext } from "./console";
import { dayOf } from "./query";
import { refusalText } from "./refusal";
import { Code, ConnectError } from "@connectrpc/connect";
import { errorFromJson } from "@connectrpc/connect/protocol-connect";

// The gateway's Connect error body of a refused report, parsed as the
// Connect client parses one (code, message and details, so the refusal
// reads like every other one in the console).
function refusalOf(text: string): string {
  const fallback = new ConnectError("", Code.Unknown);
  try {
    return refusalText(errorFromJson(JSON.parse(text), undefined, fallback));
  } catch {
    return refusalText(fallback);
  }
}

export function showReport(page: PageContext): void {
  const today = dayOf(new Date());
  const requested = page.params.get("month") ?? "";
  const month = /^\d{4}-\d{2}$/.test(requested) ? requested : today.slice(0, 7);
  const region = page.params.get("region") ?? "";
  const monthInput = el("input", { type: "month", id: "report-month", value: month });
  const regionPick = regionPicker("report-region", region, page.principal.jurisdiction, { placeholder: "留空为本人辖区" });
  const regionInput = regionPick.input;
  const form = el(
    "form",
    { class: "inline-form no-print" },
    el("label", { for: "report-month" }, "月份"),
    monthInput,
    el("label", { for: "report-region" }, "区域"),
    regionPick.node,
    el("button", { type: "submit", class: "secondary" }, "查看"),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const q = new URLSearchParams({ month: monthInput.value });
    if (regionInput.value.trim()) q.set("region", regionInput.value.trim());
    page.go(`/console/report?${q}`);
  });
  const query = new URLSearchParams({ month });
  if (region) query.set("region", region);
  const source = `/reports/monthly?${query}`;
  const [y, m] = month.split("-").map(Number);
  const frame = el("iframe", { id: "report-frame", class: "report-frame", title: `${y}年${m}月 月调度报告`, src: source });
  const print = el("button", { type: "button", id: "print-report" }, "打印（A4）");
  print.addEventListener("click", () => frame.contentWindow?.print());
  const open = el("a", { href: source, class: "button secondary", target: "_blank", rel: "noopener", id: "open-report" }, "在新窗口打开");
  const status = el("p", { id: "report-status", role: "status" }, "正在生成报告…");
  // The frame is as tall as the report, so the console page scrolls, not
  // the frame. A refusal (a month not begun, a region outside the
  // jurisdiction) is the gateway's JSON error in the frame instead of the
  // page: it is shown in the console's words and the frame hidden.
  frame.addEventListener("load", () => {
    let doc: Document | null = null;
    try {
      doc = frame.contentDocument;
    } catch {
      doc = null; // an error page of the browser's own
    }
    if (doc?.body && doc.contentType === "text/html") {
      status.textContent = "";
      frame.style.height = `${doc.documentElement.scrollHeight + 8}px`;
      return;
    }
    frame.hidden = true;
    print.disabled = true;
    status.setAttribute("role", "alert");
    status.className = "error";
    status.textContent = refusalOf(doc?.body?.textContent ?? "");
  });
  page.view.append(el("h1", {}, `${y}年${m}月 生态环境问题整改月调度`), form, el("div", { class: "toolbar" }, print, open), status, frame);
}

// The supervision console's frame: the shell's header (who is working,
// logout), a navigation bar for the role, a live-update indicator, and a
// small router over paths under /console. Supervisors, bureau heads,
// police and procuratorate liaisons, auditors and admins land here;
// inspectors and responsible units use the field app.
import { el, mount } from "../dom";
import type { Principal } from "../gen/rectify/v1/common_pb";
import { Role } from "../gen/rectify/v1/common_pb";
import { auth } from "../api";
import { roleName } from "../labels";
import { forgetRecent } from "../recent";
import "./console.css";
import { showAccounts } from "./accounts";
import { showCasePage } from "./case_page";
import { showCaseList } from "./case_list";
import { showComplaintPage, showComplaintQueue } from "./complaints";
import { showDashboard } from "./dashboard";
import { onLiveStatus, stopLive } from "./live";
import { showListPage, showLists } from "./lists";
import { showNotices } from "./notices";
import { showOperations } from "./operations";
import { showPenaltyPage, showPenaltyQueue } from "./penalties";
import { showReferrals } from "./referrals";
import { showReport } from "./report";
import { showUnits } from "./units";
import { forgetDirectory, regionLabel, unitLabel } from "../directory";

export const consoleRoles: Role[] = [
  Role.SUPERVISOR,
  Role.BUREAU_HEAD,
  Role.POLICE,
  Role.PROCURATOR,
  Role.AUDITOR,
  Role.ADMIN,
];

export function isConsoleRole(role: Role): boolean {
  return consoleRoles.includes(role);
}

// Whether this user at this path gets the console: desk roles do, except a
// supervisor who opens a page of the field app (/cases/…, /report, /outbox),
// which serves supervisors too.
// An inspector gets the console only for penalty cases (/console/penalties…),
// whose investigation and rechecks it signs.
export function opensConsole(principal: Principal, path: string): boolean {
  if (principal.role === Role.INSPECTOR) return path.startsWith("/console/penalties");
  if (!isConsoleRole(principal.role)) return false;
  if (path === "/" || path.startsWith("/console")) return true;
  return principal.role !== Role.SUPERVISOR;
}

// What a page gets: where to draw, who is looking, and how to go elsewhere.
export interface PageContext {
  principal: Principal;
  view: HTMLElement;
  params: URLSearchParams;
  go: (path: string) => void;
  // Registers a clean-up run when the user leaves the page (live listeners).
  onLeave: (cleanup: () => void) => void;
}

interface NavItem {
  path: string;
  label: string;
}

function navFor(role: Role): NavItem[] {
  switch (role) {
    case Role.SUPERVISOR:
    case Role.AUDITOR:
      return [
        { path: "/console", label: "总览" },
        { path: "/console/cases", label: "问题台账" },
        { path: "/console/lists", label: "整改清单" },
        { path: "/console/referrals", label: "移送案件" },
        { path: "/console/complaints", label: "信访件" },
        { path: "/console/penalties", label: "处罚案件" },
        { path: "/console/notices", label: "通报" },
        { path: "/console/report", label: "月调度" },
        ...(role === Role.SUPERVISOR ? [{ path: "/console/units", label: "责任单位目录" }] : []),
      ];
    case Role.BUREAU_HEAD:
      return [
        { path: "/console", label: "总览" },
        { path: "/console/referrals", label: "移送审批" },
        { path: "/console/penalties", label: "处罚案件" },
        { path: "/console/cases", label: "问题台账" },
        { path: "/console/complaints", label: "信访件" },
        { path: "/console/notices", label: "通报" },
        { path: "/console/report", label: "月调度" },
      ];
    case Role.INSPECTOR:
      return [{ path: "/console/penalties", label: "处罚案件" }];
    case Role.POLICE:
      return [{ path: "/console/referrals", label: "移送案件收件箱" }];
    case Role.PROCURATOR:
      return [{ path: "/console/referrals", label: "移送监督" }];
    case Role.ADMIN:
      return [
        { path: "/console/accounts", label: "账号管理" },
        { path: "/console/units", label: "责任单位目录" },
        { path: "/console/operations", label: "系统运维" },
      ];
    default:
      return [];
  }
}

// Sends every link inside the console through the router (no reload).
function interceptLinks(container: HTMLElement, go: (path: string) => void): void {
  container.addEventListener("click", (event) => {
    const target = event.target as HTMLElement | null;
    const link = target?.closest("a");
    if (!link || link.target || link.hasAttribute("download")) return;
    const href = link.getAttribute("href");
    if (!href || !href.startsWith("/console")) return;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    go(href);
  });
}

// The router of the console shown now (popstate is bound once per page load).
let currentRender: (() => void) | undefined;
let popstateBound = false;

// The console's header: who is working and 退出登录 (the ids the login spec
// reads: #who-name, #who-role, #who-unit, #who-jurisdiction, #logout).
// Logout closes the live stream first, then the session, then forgets what
// the app keeps on the device (src/recent.ts), as the field shell does.
function header(principal: Principal, onLoggedOut: () => void): HTMLElement {
  const logout = el("button", { type: "button", class: "secondary", id: "logout" }, "退出登录");
  logout.addEventListener("click", async () => {
    logout.disabled = true;
    stopLive();
    currentRender = undefined;
    try {
      await auth.logout({});
    } catch {
      // The gateway clears the cookie whatever the server answered.
    }
    await forgetRecent();
    forgetDirectory();
    onLoggedOut();
  });
  const pair = (label: string, id: string, value: string | HTMLElement) => el("div", {}, el("dt", {}, label), el("dd", { id }, value));
  return el(
    "header",
    { class: "top" },
    el("span", { class: "brand" }, "生态环境问题整改系统"),
    el(
      "dl",
      { class: "who", "aria-label": "当前用户" },
      pair("姓名", "who-name", principal.displayName),
      pair("角色", "who-role", roleName(principal.role)),
      pair("单位", "who-unit", unitLabel(principal.unitId)),
      pair("辖区", "who-jurisdiction", regionLabel(principal.jurisdiction, "full")),
    ),
    logout,
  );
}

export function showConsole(root: HTMLElement, principal: Principal, onLoggedOut: () => void): void {
  const content = el("main", { id: "content", tabindex: "-1" });
  mount(root, header(principal, onLoggedOut), content);
  const items = navFor(principal.role);
  const links = items.map((item) => el("a", { href: item.path }, item.label));
  const liveBadge = el("span", { id: "live-status", class: "live", role: "status" }, "正在连接实时更新…");
  const nav = el("nav", { class: "console-nav", "aria-label": "主菜单" }, ...links, liveBadge);
  const view = el("section", { id: "view", class: "view" });
  mount(content, nav, view);

  let cleanups: (() => void)[] = [];
  const render = () => {
    for (const c of cleanups) c();
    cleanups = [];
    const path = window.location.pathname.replace(/\/+$/, "") || "/";
    const params = new URLSearchParams(window.location.search);
    for (const link of links) {
      const href = link.getAttribute("href") as string;
      const current = href === "/console" ? path === "/console" : path.startsWith(href);
      if (current) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
    view.replaceChildren();
    const page: PageContext = { principal, view, params, go, onLeave: (c) => cleanups.push(c) };
    const caseMatch = /^\/console\/cases\/([^/]+)$/.exec(path);
    const listMatch = /^\/console\/lists\/([^/]+)$/.exec(path);
    const complaintMatch = /^\/console\/complaints\/([^/]+)$/.exec(path);
    const penaltyMatch = /^\/console\/penalties\/([^/]+)$/.exec(path);
    if (caseMatch) showCasePage(page, decodeURIComponent(caseMatch[1]));
    else if (path === "/console/cases") showCaseList(page);
    else if (listMatch) showListPage(page, decodeURIComponent(listMatch[1]));
    else if (path === "/console/lists") showLists(page);
    else if (complaintMatch && items.some((i) => i.path === "/console/complaints")) showComplaintPage(page, decodeURIComponent(complaintMatch[1]));
    else if (path === "/console/complaints" && items.some((i) => i.path === "/console/complaints")) showComplaintQueue(page);
    else if (path === "/console/notices") showNotices(page);
    else if (path === "/console/report") showReport(page);
    else if (path === "/console/referrals") showReferrals(page);
    else if (penaltyMatch) showPenaltyPage(page, decodeURIComponent(penaltyMatch[1]));
    else if (path === "/console/penalties") showPenaltyQueue(page);
    else if (path === "/console/accounts") showAccounts(page);
    else if (path === "/console/units" && items.some((i) => i.path === "/console/units")) showUnits(page);
    else if (path === "/console/operations") showOperations(page);
    else if (path === "/console" && items.some((i) => i.path === "/console")) showDashboard(page);
    else if (items.length > 0) {
      go(items[0].path);
      return;
    }
    document.title = `${view.querySelector("h1")?.textContent ?? "监管台"} - 生态环境问题整改系统`;
  };
  function go(path: string): void {
    history.pushState(null, "", path);
    render();
    view.focus();
  }
  view.tabIndex = -1;
  interceptLinks(content, go);
  currentRender = render;
  if (!popstateBound) {
    popstateBound = true;
    window.addEventListener("popstate", () => currentRender?.());
  }
  onLiveStatus((s) => {
    liveBadge.textContent = s === "live" ? "● 实时更新中" : s === "retrying" ? "○ 实时更新重连中" : "正在连接实时更新…";
    liveBadge.dataset.state = s;
  });
  if (!window.location.pathname.startsWith("/console")) history.replaceState(null, "", items[0]?.path ?? "/console");
  render();
}

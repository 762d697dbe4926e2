// The app's frame once logged in: who is working (name, role, unit,
// jurisdiction), the navigation, the network and outbox status (离线,
// 待同步 N, the upload progress), a logout button, and <main id="content">
// where the pages go.
import { auth } from "./api";
import { el, link, mount } from "./dom";
import { Role, type Principal } from "./gen/rectify/v1/common_pb";
import { roleName } from "./labels";
import { onOutboxChange, outboxItems, syncOutbox, syncState } from "./outbox";
import { forgetRecent } from "./recent";
import { forgetDirectory, regionLabel, unitLabel } from "./directory";

export interface Shell {
  content: HTMLElement;
  dispose: () => void;
}

export function canReport(principal: Principal): boolean {
  return principal.role === Role.INSPECTOR || principal.role === Role.SUPERVISOR;
}

export function showShell(
  root: HTMLElement,
  principal: Principal,
  onLoggedOut: () => void,
  onLogIn: () => void,
): Shell {
  const logout = el("button", { type: "button", class: "secondary", id: "logout" }, "退出登录");
  logout.addEventListener("click", async () => {
    logout.disabled = true;
    try {
      await auth.logout({});
    } catch {
      // The gateway clears the cookie whatever the server answered.
    }
    await forgetRecent();
    forgetDirectory();
    onLoggedOut();
  });
  const pair = (label: string, id: string, value: string | HTMLElement) =>
    el("div", {}, el("dt", {}, label), el("dd", { id }, value));
  const who = el(
    "dl",
    { class: "who", "aria-label": "当前用户" },
    pair("姓名", "who-name", principal.displayName),
    pair("角色", "who-role", roleName(principal.role)),
    pair("单位", "who-unit", unitLabel(principal.unitId)),
    pair("辖区", "who-jurisdiction", regionLabel(principal.jurisdiction, "full")),
  );
  const queueLink = link("/outbox", "待同步 0", { id: "queue-link", class: "nav-link" });
  const nav = el(
    "nav",
    { class: "nav", "aria-label": "主要页面" },
    link("/", principal.role === Role.RECTIFIER ? "本单位案件" : "今日工作", { class: "nav-link" }),
    ...(canReport(principal) ? [link("/report", "现场上报", { class: "nav-link" })] : []),
    queueLink,
  );
  const network = el("span", { id: "network", class: "network", role: "status" });
  const progress = el("progress", { id: "sync-progress", max: "1", value: "0", hidden: "", "aria-label": "上传进度" });
  const syncText = el("span", { id: "sync-text", role: "status" });
  const relogin = el("button", { type: "button", id: "relogin", hidden: "" }, "重新登录");
  relogin.addEventListener("click", onLogIn);
  const bar = el("div", { class: "statusbar" }, network, syncText, progress, relogin);
  const header = el(
    "header",
    { class: "top" },
    el("span", { class: "brand" }, "生态环境问题整改系统"),
    who,
    logout,
  );
  const content = el("main", { id: "content", tabindex: "-1" });
  mount(root, header, el("div", { class: "navbar" }, nav, bar), content);

  const refresh = async () => {
    const items = await outboxItems(principal.principalId);
    const s = syncState();
    const refused = items.filter((i) => i.state === "refused").length;
    queueLink.textContent = `待同步 ${items.length}` + (refused > 0 ? `（${refused} 条被拒绝）` : "");
    queueLink.classList.toggle("has-items", items.length > 0);
    network.textContent = navigator.onLine ? "在线" : "离线";
    network.classList.toggle("offline", !navigator.onLine);
    relogin.hidden = !s.sessionExpired;
    if (s.sessionExpired) syncText.textContent = "登录已过期，待同步的操作已保留，请重新登录后继续同步";
    else if (s.syncing) syncText.textContent = s.uploadLabel ?? "正在同步…";
    else syncText.textContent = items.length > 0 && !navigator.onLine ? "离线：操作已保存，联网后自动同步" : "";
    progress.hidden = s.uploadFraction === undefined;
    progress.value = s.uploadFraction ?? 0;
  };
  const unsubscribe = onOutboxChange(() => void refresh());
  const sync = () => {
    void refresh();
    if (navigator.onLine) void syncOutbox(principal.principalId);
  };
  window.addEventListener("online", sync);
  window.addEventListener("offline", sync);
  sync();
  return {
    content,
    dispose: () => {
      unsubscribe();
      window.removeEventListener("online", sync);
      window.removeEventListener("offline", sync);
    },
  };
}

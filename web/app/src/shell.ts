// The app's frame once logged in: who is working (name, role, unit,
// jurisdiction) and a logout button. The pages of later issues go into
// <main id="content">.
import { auth } from "./api";
import { el, mount } from "./dom";
import type { Principal } from "./gen/rectify/v1/common_pb";
import { roleName } from "./labels";

export function showShell(root: HTMLElement, principal: Principal, onLoggedOut: () => void): void {
  const logout = el("button", { type: "button", class: "secondary", id: "logout" }, "退出登录");
  logout.addEventListener("click", async () => {
    logout.disabled = true;
    try {
      await auth.logout({});
    } catch {
      // The gateway clears the cookie whatever the server answered.
    }
    onLoggedOut();
  });
  const pair = (label: string, id: string, value: string) =>
    el("div", {}, el("dt", {}, label), el("dd", { id }, value));
  const who = el(
    "dl",
    { class: "who", "aria-label": "当前用户" },
    pair("姓名", "who-name", principal.displayName),
    pair("角色", "who-role", roleName(principal.role)),
    pair("单位", "who-unit", principal.unitId),
    pair("辖区", "who-jurisdiction", principal.jurisdiction),
  );
  const header = el(
    "header",
    { class: "top" },
    el("span", { class: "brand" }, "生态环境问题整改系统"),
    who,
    logout,
  );
  const content = el(
    "main",
    { id: "content", tabindex: "-1" },
    el("h1", {}, `${principal.displayName}，您好`),
    el("p", {}, "案件、清单和报表页面将在此处显示。"),
  );
  mount(root, header, content);
  content.focus();
}

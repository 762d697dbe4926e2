// The app's entry: ask the gateway who we are (the session cookie, if any,
// goes along); show the shell when logged in, else the login page.
// Desk roles (supervisors, bureau heads, police, procuratorate, auditors,
// admins) get the supervision console (src/console/).
import { Code, ConnectError } from "@connectrpc/connect";
import { auth } from "./api";
import { el, mount } from "./dom";
import { showLogin } from "./login";
import { isConsoleRole, showConsole } from "./console/console";
import { showShell } from "./shell";
import "./style.css";

const root = document.getElementById("app") as HTMLElement;

async function start(): Promise<void> {
  try {
    const me = await auth.whoAmI({});
    if (me.principal) {
      if (window.location.pathname === "/login") history.replaceState(null, "", "/");
      if (isConsoleRole(me.principal.role)) showConsole(root, me.principal, () => void start());
      else showShell(root, me.principal, () => void start());
      return;
    }
  } catch (e) {
    const code = ConnectError.from(e).code;
    if (code !== Code.Unauthenticated && code !== Code.PermissionDenied) {
      mount(root, el("p", { class: "error", role: "alert" }, "无法连接服务器，请稍后刷新重试"));
      return;
    }
  }
  if (window.location.pathname !== "/login") history.replaceState(null, "", "/login");
  showLogin(root, () => void start());
}

void start();

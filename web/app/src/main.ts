// The app's entry: ask the gateway who we are (the session cookie, if any,
// goes along); show the shell and the page of the current route when logged
// in, else the login page. With no network the user last logged in on this
// device works from the cache (recent cases, the outbox). Registers the
// service worker that keeps the app shell for offline starts. Desk roles
// (supervisors, bureau heads, police, procuratorate, auditors, admins) get
// the supervision console (src/console/) instead of the field pages.
import { Code, ConnectError } from "@connectrpc/connect";
import { auth, isTransient } from "./api";
import { showCasePage } from "./casepage";
import { opensConsole, showConsole } from "./console/console";
import { useDirectoryOf } from "./directory";
import { el, mount } from "./dom";
import type { Principal } from "./gen/rectify/v1/common_pb";
import { showLogin } from "./login";
import { showOutbox } from "./outboxpage";
import { recallPrincipal, rememberPrincipal } from "./recent";
import { showReport } from "./report";
import { showAction } from "./actions";
import { parseRoute, setNavigationHandler } from "./router";
import { showShell, type Shell } from "./shell";
import { showWorkList } from "./worklist";
import "./style.css";

const root = document.getElementById("app") as HTMLElement;
let shell: Shell | undefined;
let principal: Principal | undefined;

function render(): void {
  if (!shell || !principal) return;
  const route = parseRoute(window.location.pathname);
  const content = shell.content;
  switch (route.page) {
    case "home":
      void showWorkList(content, principal);
      break;
    case "report":
      showReport(content, principal);
      break;
    case "outbox":
      void showOutbox(content, principal);
      break;
    case "case":
      void showCasePage(content, principal, route.caseId);
      break;
    case "action":
      void showAction(content, principal, route.caseId, route.action);
      break;
  }
  content.focus();
}

function enter(p: Principal): void {
  shell?.dispose();
  shell = undefined;
  principal = p;
  useDirectoryOf(p.principalId);
  if (window.location.pathname === "/login") history.replaceState(null, "", "/");
  if (opensConsole(p, window.location.pathname)) {
    showConsole(root, p, () => void start());
    return;
  }
  shell = showShell(root, p, () => void start(), () => login());
  render();
}

function login(): void {
  shell?.dispose();
  shell = undefined;
  principal = undefined;
  const back = window.location.pathname === "/login" ? "/" : window.location.pathname;
  history.replaceState(null, "", "/login");
  showLogin(root, () => {
    history.replaceState(null, "", back);
    void start();
  });
}

async function start(): Promise<void> {
  try {
    const me = await auth.whoAmI({});
    if (me.principal) {
      await rememberPrincipal(me.principal);
      enter(me.principal);
      return;
    }
  } catch (e) {
    if (isTransient(e)) {
      const cached = await recallPrincipal();
      if (cached) {
        enter(cached);
        return;
      }
      mount(root, el("p", { class: "error", role: "alert" }, "无法连接服务器，且本机没有登录记录，请联网后刷新重试"));
      return;
    }
    const code = ConnectError.from(e).code;
    if (code !== Code.Unauthenticated && code !== Code.PermissionDenied) {
      mount(root, el("p", { class: "error", role: "alert" }, "无法连接服务器，请稍后刷新重试"));
      return;
    }
  }
  login();
}

setNavigationHandler(render);
void start();

if ("serviceWorker" in navigator) {
  void navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {
    // Without a service worker the app still works online.
  });
}

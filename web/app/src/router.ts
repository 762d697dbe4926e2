// Client-side routes: links with data-link change the path without a page
// load; the gateway answers every app route with index.html, so a reload
// lands on the same page.
export type Route =
  | { page: "home" }
  | { page: "report" }
  | { page: "outbox" }
  | { page: "case"; caseId: string }
  | { page: "action"; caseId: string; action: string };

export function parseRoute(path: string): Route {
  const parts = path.split("/").filter((p) => p !== "").map(decodeURIComponent);
  if (parts[0] === "report") return { page: "report" };
  if (parts[0] === "outbox") return { page: "outbox" };
  if (parts[0] === "cases" && parts[1]) {
    return parts[2] ? { page: "action", caseId: parts[1], action: parts[2] } : { page: "case", caseId: parts[1] };
  }
  return { page: "home" };
}

export function casePath(caseId: string, action?: string): string {
  return `/cases/${encodeURIComponent(caseId)}${action ? `/${action}` : ""}`;
}

let onNavigate: (() => void) | undefined;

export function setNavigationHandler(handler: () => void): void {
  onNavigate = handler;
}

export function navigate(path: string, replace = false): void {
  if (replace) history.replaceState(null, "", path);
  else history.pushState(null, "", path);
  onNavigate?.();
}

window.addEventListener("popstate", () => onNavigate?.());
document.addEventListener("click", (event) => {
  const link = (event.target as Element | null)?.closest?.("a[data-link]") as HTMLAnchorElement | null;
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) return;
  event.preventDefault();
  navigate(link.getAttribute("href") ?? "/");
});

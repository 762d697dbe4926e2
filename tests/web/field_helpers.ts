// Helpers of the field app's browser specs: the gateway's URL, the two
// screen sizes, logging in through the page, calls to the Connect API with a
// demo bearer token (to set cases up and to check what the server holds,
// independently of the app), SHA-256 of fixture files, and a check that no
// text is cut or runs over the screen.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, type Page } from "@playwright/test";

export const url = (): string => process.env.RECTIFY_WEB_URL as string;
export const shots = process.env.RECTIFY_WEB_TEST_OUT ?? "/tmp/rectify-web-test-results";
export const TABLET = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };
export const PASSWORD = "rectify-demo-2026";
export const fixture = (name: string): string => join(__dirname, "fixtures", name);

// sha256sum of a file, computed here and not by the app.
export function sha256File(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

// A unary Connect call with a demo principal's bearer token (no cookie, so
// no CSRF origin is needed). Throws with the server's error body.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function api(service: string, method: string, token: string, body: object): Promise<any> {
  const response = await fetch(`${url()}/rectify.v1.${service}/${method}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "Connect-Protocol-Version": "1",
      Authorization: `Bearer ${token}`,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method}: ${response.status} ${text}`);
  return JSON.parse(text);
}

let counter = 0;
export function unique(prefix: string): string {
  counter++;
  return `${prefix}-${Date.now().toString(36)}-${counter}`;
}

// Every case the supervisor sees, for counting what the server holds.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function allCases(): Promise<any[]> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const out: any[] = [];
  let pageToken = "";
  for (;;) {
    const reply = await api("CaseService", "ListCases", "demo-supervisor", { pageSize: 500, pageToken });
    out.push(...(reply.cases ?? []));
    pageToken = reply.nextPageToken ?? "";
    if (!pageToken) return out;
  }
}

// A case reported by the demo inspector and assigned by the supervisor to
// 洪水镇 (minle-hongshui-town), due in 20 days. Returns its id.
export async function assignedCase(title: string): Promise<string> {
  const reported = await api("CaseService", "ReportCase", "demo-inspector", {
    commandId: unique("setup-report"),
    title,
    category: "CATEGORY_AIR",
    severity: "SEVERITY_MEDIUM",
    source: "CASE_SOURCE_INSPECTION",
    location: { regionCode: "620722", address: "洪水镇北滩村" },
    subject: { name: "民乐县某建材有限公司" },
    foundAt: new Date(Date.now() - 3_600_000).toISOString(),
  });
  const caseId = reported.case.caseId as string;
  await api("CaseService", "AssignCase", "demo-supervisor", {
    commandId: unique("setup-assign"),
    caseId,
    responsibleUnit: "minle-hongshui-town",
    requirements: "立即苫盖料堆，设置围挡，道路洒水降尘",
    rectificationDueAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
  });
  return caseId;
}

export async function logIn(page: Page, account: string): Promise<void> {
  await page.goto(url() + "/login");
  await page.getByLabel("账号").fill(account);
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.locator("#who-name")).toBeVisible();
}

// Script errors and CSP violations the page reports (a 401 of WhoAmI while
// logged out and failed fetches while offline are expected).
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    const text = message.text();
    if (message.type() !== "error") return;
    if (text.includes("status of 401") || text.includes("ERR_INTERNET_DISCONNECTED") || text.includes("Failed to fetch")) return;
    errors.push(text);
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

// Nothing runs past the right edge of the screen, and no visible text
// element is cut (its content wider than its box).
export async function expectNothingCut(page: Page): Promise<void> {
  const problems = await page.evaluate(() => {
    const out: string[] = [];
    if (document.documentElement.scrollWidth > window.innerWidth + 1) {
      out.push(`page is ${document.documentElement.scrollWidth}px wide on a ${window.innerWidth}px screen`);
    }
    for (const e of Array.from(document.querySelectorAll<HTMLElement>("h1,h2,label,button,a,dd,dt,p,span,code,strong,legend,li"))) {
      const box = e.getBoundingClientRect();
      if (box.width === 0 || getComputedStyle(e).display === "inline") continue;
      if (e.classList.contains("visually-hidden")) continue;
      if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== "visible") {
        out.push(`cut: <${e.tagName.toLowerCase()}> ${e.textContent?.slice(0, 40)}`);
      }
      if (box.right > window.innerWidth + 1) out.push(`past the edge: <${e.tagName.toLowerCase()}> ${e.textContent?.slice(0, 40)}`);
    }
    return out;
  });
  expect(problems).toEqual([]);
}

// Waits until the service worker controls the page (the shell is cached).
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}

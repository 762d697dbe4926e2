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

// A case reported by the demo inspector (insp-zhang) in Minle County.
// Returns its id.
export async function reportedCase(title: string, category = "CATEGORY_AIR"): Promise<string> {
  const reported = await api("CaseService", "ReportCase", "demo-inspector", {
    commandId: unique("setup-report"),
    title,
    category,
    severity: "SEVERITY_MEDIUM",
    source: "CASE_SOURCE_INSPECTION",
    location: { regionCode: "620722", address: "洪水镇北滩村" },
    subject: { name: "民乐县某建材有限公司" },
    foundAt: new Date(Date.now() - 3_600_000).toISOString(),
  });
  return reported.case.caseId as string;
}

// A case reported by the demo inspector and assigned by the supervisor to
// 洪水镇 (minle-hongshui-town), due at `due` (20 days from now by default).
// Returns its id.
export async function assignedCase(title: string, due = new Date(Date.now() + 20 * 86_400_000)): Promise<string> {
  const caseId = await reportedCase(title);
  await api("CaseService", "AssignCase", "demo-supervisor", {
    commandId: unique("setup-assign"),
    caseId,
    responsibleUnit: "minle-hongshui-town",
    requirements: "立即苫盖料堆，设置围挡，道路洒水降尘",
    rectificationDueAt: due.toISOString(),
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

// Cuts the network (context.setOffline) and waits until the app says 离线.
export async function goOffline(page: Page): Promise<void> {
  await page.context().setOffline(true);
  await expect(page.locator("#network")).toHaveText("离线");
}

// Fills the report form (现场上报) as an inspector on site would: a title,
// a category, severity 较重, the position 38.45, 100.83 typed by hand, and
// one photo.
export async function fillReport(page: Page, title: string, category: string, photo: string): Promise<void> {
  await page.getByLabel("问题标题（必填）").fill(title);
  await page.getByLabel("类别（必填）").selectOption({ label: category });
  await page.getByLabel("严重程度（必填）").selectOption({ label: "较重" });
  await page.getByText("手动输入").click();
  await page.getByLabel("纬度").fill("38.45");
  await page.getByLabel("经度").fill("100.83");
  await page.locator("#photos").setInputFiles(photo);
}

// YYYY-MM-DD of an instant in China (UTC+8, no daylight saving).
export function chinaDay(ms: number): string {
  return new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);
}

// The day `days` after a YYYY-MM-DD day.
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

// The instant a China day begins (its midnight, UTC+8), e.g. the due instant
// "end of the day before".
export function chinaMidnight(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

// Whether a day is a working day, read here from the calendar file the
// specs' server counts with (stack_setup.ts writes it: config/calendar_cn.txt
// with "beyond_table: weekends"), independently of the server's code: in a
// year of the table, Monday to Friday unless a holiday, or a Saturday or
// Sunday declared a workday; outside the table, Monday to Friday (what
// "beyond_table: weekends" says).
let calendar: { years: Set<number>; holidays: Set<string>; workdays: Set<string>; beyond: string } | undefined;
export function isWorkingDay(day: string): boolean {
  if (!calendar) {
    const file = process.env.RECTIFY_WEB_CALENDAR;
    if (!file) throw new Error("RECTIFY_WEB_CALENDAR is not set: run the specs with stack_setup.ts");
    calendar = { years: new Set(), holidays: new Set(), workdays: new Set(), beyond: "" };
    for (const raw of readFileSync(file, "utf8").split("\n")) {
      const line = raw.replace(/#.*/, "").trim();
      const beyond = /^beyond_table:\s*(\S+)$/.exec(line);
      if (beyond) calendar.beyond = beyond[1];
      const year = /^year:\s*(\d{4})$/.exec(line);
      if (year) calendar.years.add(Number(year[1]));
      const holiday = /^holiday:\s*(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?$/.exec(line);
      if (holiday) {
        for (let d = holiday[1]; d <= (holiday[2] ?? holiday[1]); d = addDays(d, 1)) calendar.holidays.add(d);
      }
      const workday = /^workday:\s*(\d{4}-\d{2}-\d{2})$/.exec(line);
      if (workday) calendar.workdays.add(workday[1]);
    }
  }
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  const weekend = weekday === 0 || weekday === 6;
  if (calendar.years.has(Number(day.slice(0, 4)))) {
    if (calendar.workdays.has(day)) return true;
    return !weekend && !calendar.holidays.has(day);
  }
  if (calendar.beyond !== "weekends") {
    throw new Error(`the test's calendar has "beyond_table: ${calendar.beyond}", not weekends; cannot count ${day}`);
  }
  return !weekend;
}

// Working days after `from` up to and including `to` (YYYY-MM-DD).
export function workingDaysAfter(from: string, to: string): number {
  let n = 0;
  for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isWorkingDay(d)) n++;
  return n;
}

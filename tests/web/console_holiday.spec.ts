// The referral path's countdowns around a holiday, Debian's Chromium
// against real binaries of this spec's own: rectify_server is started with
// a calendar file that makes the four days after today (Beijing) a holiday,
// so the 3-calendar-day periods (the bureau head's approval, Decree 310
// art. 5; the police filing decision, 环环监〔2017〕17号 art. 11) end on a
// holiday and move to the next working day (the criminal-procedure rule of
// DOMAIN.md "Counting days"), while the 24-hour periods (send, receipt) do
// not move. Four browser sessions walk the path (the inspectors' proposal
// is their tablet's call, with a second inspector): the head sees the
// approval clock and approves, the supervisor sends, the police see the
// receipt clock, sign, see the filing clock and file. Each due instant is
// computed here by hand from the rule and compared with the server's, and
// each countdown on the page with the days left to it.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { call, commandId, freshRegion, logIn } from "./console_api";
import { startStack, stopStack, type Stack } from "./stack_setup";

const DAY = 86_400_000;
const BEIJING = 8 * 3600_000;

// "YYYY-MM-DD" of the Beijing day `offset` days after the day of `now`.
function beijingDay(now: number, offset: number): string {
  return new Date(now + BEIJING + offset * DAY).toISOString().slice(0, 10);
}

// The instant a Beijing day ends (the next day's 00:00 +08:00).
function endOf(day: string): number {
  return Date.parse(`${day}T00:00:00+08:00`) + DAY;
}

function isWeekend(day: string): boolean {
  const w = new Date(`${day}T12:00:00Z`).getUTCDay();
  return w === 0 || w === 6;
}

// The rule, written again here: N calendar days from `start` (its day not
// counted) end at the end of day N; a last day that is a holiday or a
// weekend moves to the next working day.
function calendarDaysDue(start: number, n: number, holidays: Set<string>): number {
  let offset = n;
  while (holidays.has(beijingDay(start, offset)) || isWeekend(beijingDay(start, offset))) offset++;
  return endOf(beijingDay(start, offset));
}

// The working days after `from` up to and including `to` (Beijing days).
function workingDaysBetween(from: string, to: string, holidays: Set<string>): number {
  let n = 0;
  for (let t = Date.parse(from) + DAY; t <= Date.parse(to); t += DAY) {
    const day = new Date(t).toISOString().slice(0, 10);
    if (!holidays.has(day) && !isWeekend(day)) n++;
  }
  return n;
}

// The day N working days after `start`'s day.
function afterWorkingDays(start: number, n: number, holidays: Set<string>): string {
  let offset = 0;
  let left = n;
  while (left > 0) {
    offset++;
    const day = beijingDay(start, offset);
    if (!holidays.has(day) && !isWeekend(day)) left--;
  }
  return beijingDay(start, offset);
}

// The countdown of a due instant as DeadlineCountdown defines it, counted
// here: calendar and working days after today up to the deadline's last
// day (the day its last moment falls in).
function daysLeft(due: number): string {
  const today = beijingDay(Date.now(), 0);
  const last = beijingDay(due - 1, 0);
  return `还剩 ${(Date.parse(last) - Date.parse(today)) / DAY} 天（${workingDaysBetween(today, last, holidays)} 个工作日）`;
}

let stack: Stack;
let holidays: Set<string>;
let today: number;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  today = Date.now();
  // Not too close to a Beijing midnight, so every step runs on the same day.
  const msIntoDay = (today + BEIJING) % DAY;
  if (msIntoDay > DAY - 10 * 60_000) await new Promise((r) => setTimeout(r, DAY - msIntoDay + 60_000));
  today = Date.now();
  holidays = new Set([1, 2, 3, 4].map((i) => beijingDay(today, i)));
  const byYear = new Map<string, string[]>();
  for (const day of holidays) byYear.set(day.slice(0, 4), [...(byYear.get(day.slice(0, 4)) ?? []), day]);
  const lines = ["zone: Asia/Shanghai", "beyond_table: weekends"];
  for (const [year, days] of byYear) lines.push(`year: ${year}`, ...days.map((d) => `holiday: ${d}`));
  const dir = join(process.env.RECTIFY_WEB_TEST_OUT ?? "/tmp/rectify-web-test-results");
  const calendar = join(dir, `holiday-calendar-${process.pid}.txt`);
  writeFileSync(calendar, lines.join("\n") + "\n");
  stack = await startStack([`--calendar_file=${calendar}`]);
});

test.afterAll(async () => {
  if (stack) await stopStack(stack);
});

async function session(browser: Browser, account: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  await logIn(page, account, stack.url);
  return page;
}

function due(c: any, kind: string): number {
  const d = c.deadlines.find((x: any) => x.kind === kind && x.state === "DEADLINE_STATE_OPEN");
  expect(d, kind).toBeTruthy();
  return Date.parse(d.dueAt);
}

test("移送四方会签：节假日前后的各项期限与倒计时（审批、立案审查顺延至节后第一个工作日，24 小时期限不顺延）", async ({ browser }) => {
  test.setTimeout(240_000);
  const base = stack.url;
  const region = freshRegion();
  const reported = await call("demo-inspector", "CaseService/ReportCase", {
    commandId: commandId(),
    title: "节前偷排含铬废水",
    category: "CATEGORY_WATER",
    severity: "SEVERITY_CRITICAL",
    source: "CASE_SOURCE_INSPECTION",
    location: { regionCode: region, address: "永固镇 电镀园区" },
    foundAt: new Date(Date.now() - 60_000).toISOString(),
  }, base);
  const caseId = reported.case.caseId as string;

  const head = await session(browser, "chenju");
  await head.goto(`${base}/console/referrals`);
  await expect(head.locator("#live-status")).toHaveText("● 实时更新中");
  // The inspector's proposal with a second inspector (their tablet's call).
  const proposedAt = Date.now();
  const proposed = (await call("demo-inspector", "CaseService/ProposeReferral", {
    commandId: commandId(),
    caseId,
    suspectedOffence: "污染环境罪",
    report: "经两名执法人员调查，节前夜间偷排含铬废水，涉嫌污染环境罪。",
    proposingOfficers: ["insp-zhang", "insp-li"],
  }, base)).case;
  // Approval: 3 calendar days; day 3 is in the holiday, so it ends with the
  // first working day after it.
  const approvalDue = calendarDaysDue(proposedAt, 3, holidays);
  expect(approvalDue).toBeGreaterThan(endOf(beijingDay(proposedAt, 4)));
  expect(due(proposed, "DEADLINE_KIND_REFERRAL_APPROVAL")).toBe(approvalDue);
  const headRow = head.locator("#referral-table tr", { hasText: caseId });
  await expect(headRow).toContainText("待您办理");
  await expect(headRow).toContainText(`移送审批期限：`);
  await expect(headRow).toContainText(daysLeft(approvalDue));
  await headRow.getByRole("link", { name: caseId }).click();
  await head.getByRole("button", { name: "批准移送", exact: true }).click();
  await head.getByRole("button", { name: "确认" }).click();
  await expect(head.locator("#referrals")).toContainText("已批准待移送");

  // Sending: 24 hours from the approval, not moved by the holiday.
  const approved = (await call("demo-supervisor", "CaseService/GetCase", { caseId }, base)).case;
  const approvedAt = Date.parse(approved.referrals[0].approvalDecidedAt);
  expect(due(approved, "DEADLINE_KIND_REFERRAL_SEND")).toBe(approvedAt + DAY);
  const supervisor = await session(browser, "wangqiang");
  await supervisor.goto(`${base}/console/referrals`);
  const supRow = supervisor.locator("#referral-table tr", { hasText: caseId });
  await expect(supRow).toContainText("移送期限：");
  await expect(supRow).toContainText(daysLeft(approvedAt + DAY));
  await supRow.getByRole("link", { name: caseId }).click();
  await supervisor.getByRole("button", { name: "移送公安机关" }).click();
  await supervisor.getByRole("button", { name: "确认" }).click();
  await expect(supervisor.locator("#referrals")).toContainText("已移送待签收");

  // Receipt: 24 hours from sending; the police inbox shows it.
  const sent = (await call("demo-supervisor", "CaseService/GetCase", { caseId }, base)).case;
  const sentAt = Date.parse(sent.referrals[0].sentAt);
  expect(due(sent, "DEADLINE_KIND_REFERRAL_RECEIPT")).toBe(sentAt + DAY);
  const police = await session(browser, "zhaojingguan");
  const policeRow = police.locator("#referral-table tr", { hasText: caseId });
  await expect(policeRow).toContainText("签收期限：");
  await expect(policeRow).toContainText(daysLeft(sentAt + DAY));
  await policeRow.getByRole("link", { name: caseId }).click();
  await police.getByRole("button", { name: "签收" }).click();
  await police.getByRole("button", { name: "确认" }).click();
  await expect(police.locator("#referrals")).toContainText("已签收审查中");

  // The filing decision: 3 calendar days from the receipt, moved past the holiday.
  const received = (await call("demo-supervisor", "CaseService/GetCase", { caseId }, base)).case;
  const receivedAt = Date.parse(received.referrals[0].receivedAt);
  const filingDue = calendarDaysDue(receivedAt, 3, holidays);
  expect(due(received, "DEADLINE_KIND_REFERRAL_FILING_DECISION")).toBe(filingDue);
  await police.goto(`${base}/console/referrals`);
  await expect(policeRow).toContainText("立案审查期限：");
  await expect(policeRow).toContainText(daysLeft(filingDue));
  await policeRow.getByRole("link", { name: caseId }).click();
  await police.getByRole("button", { name: "作出立案决定" }).click();
  await police.getByLabel("决定", { exact: true }).selectOption({ label: "立案" });
  await police.getByLabel("立案编号（立案时填写）").fill("民公（环）立字〔2026〕31号");
  await police.getByRole("button", { name: "确认" }).click();
  await expect(police.locator("#referrals")).toContainText("已立案");
  const filed = (await call("demo-supervisor", "CaseService/GetCase", { caseId }, base)).case;
  expect(filed.referrals[0].state).toBe("REFERRAL_STATE_FILED");
  // The procuratorate (the fourth session) sees the stage.
  const procurator = await session(browser, "sunjianchaguan");
  await expect(procurator.locator("#referral-table tr", { hasText: caseId })).toContainText("已立案");
  for (const p of [head, supervisor, police, procurator]) await p.context().close();
});

test("交办对话框的期限预览与总览「5 个工作日内到期」：按服务器的工作日日历（节假日与周末不计）", async ({ browser }) => {
  test.setTimeout(180_000);
  const base = stack.url;
  const region = freshRegion();
  const report = async (title: string) =>
    (
      await call("demo-inspector", "CaseService/ReportCase", {
        commandId: commandId(),
        title,
        category: "CATEGORY_AIR",
        severity: "SEVERITY_MEDIUM",
        source: "CASE_SOURCE_INSPECTION",
        location: { regionCode: region, address: "洪水镇 砖厂" },
        foundAt: new Date(Date.now() - 60_000).toISOString(),
      }, base)
    ).case.caseId as string;
  const soon = await report("砖厂烟尘超标");
  const later = await report("砂场未苫盖");
  const supervisor = await session(browser, "wangqiang");

  // The dialog's previews: the policy default (30 calendar days, the last
  // day moved past weekends and the holiday) and 5 working days.
  const start = Date.now();
  await supervisor.goto(`${base}/console/cases/${soon}`);
  await supervisor.getByRole("button", { name: "交办", exact: true }).click();
  const dialog = supervisor.getByRole("dialog");
  const defaultLast = beijingDay(calendarDaysDue(start, 30, holidays) - 1, 0);
  // (「暂定」 follows when the period runs past the calendar file's years.)
  await expect(dialog.locator("#dlg-assign-due-preview")).toHaveText(new RegExp(`^留空则按政策默认期限 30 天：截止 ${defaultLast}（当日24时）(（暂定）)?$`));
  const fiveLast = afterWorkingDays(start, 5, holidays);
  // The holiday's four days are not counted: the fifth working day is at
  // least the ninth day from today.
  expect(Date.parse(fiveLast) - Date.parse(beijingDay(start, 0))).toBeGreaterThanOrEqual(9 * DAY);
  await dialog.getByLabel("或：整改期限（工作日数）").fill("5");
  await expect(dialog.locator("#dlg-assign-days-preview")).toHaveText(
    new RegExp(`^5 个工作日：截止 ${fiveLast}（当日24时），其间共 ${(Date.parse(fiveLast) - Date.parse(beijingDay(start, 0))) / DAY} 天(（暂定）)?$`),
  );
  await dialog.getByLabel("责任单位（必填）").fill("minle-hongshui-town");
  await dialog.getByLabel("整改要求（必填）").fill("五个工作日内完成除尘设施整改");
  await dialog.getByRole("button", { name: "确认" }).click();
  await expect(supervisor.locator("#case-facts")).toContainText("已交办");
  const assigned = (await call("demo-supervisor", "CaseService/GetCase", { caseId: soon }, base)).case;
  expect(Date.parse(assigned.rectificationDueAt)).toBe(endOf(fiveLast));
  await expect(supervisor.locator("#deadlines")).toContainText(daysLeft(endOf(fiveLast)));

  // A case with 6 working days is not due within 5.
  const sixLast = afterWorkingDays(start, 6, holidays);
  await call("demo-supervisor", "CaseService/AssignCase", {
    commandId: commandId(),
    caseId: later,
    responsibleUnit: "minle-hongshui-town",
    requirements: "苫盖",
    rectificationDueAt: new Date(endOf(sixLast)).toISOString(),
  }, base);

  // The dashboard: 1 due within 5 working days; it opens that case alone.
  await supervisor.goto(`${base}/console?region=${region}`);
  const tile = supervisor.locator("#dash-due-soon");
  await expect(tile.locator(".tile-value")).toHaveText("1");
  await expect(tile.locator(".tile-label")).toHaveText("5 个工作日内到期");
  await tile.click();
  await expect(supervisor).toHaveURL(new RegExp(`/console/cases\\?region=${region}&dueWithin=5$`));
  await expect(supervisor.locator("#case-table tbody tr")).toHaveCount(1);
  const row = supervisor.locator(`#case-table tr[data-case="${soon}"]`);
  await expect(row).toContainText(daysLeft(endOf(fiveLast)));
  // Live: the later case's deadline brought within 5 working days shows up.
  await supervisor.goto(`${base}/console?region=${region}`);
  await expect(tile.locator(".tile-value")).toHaveText("1");
  await call("demo-supervisor", "CaseService/ReassignCase", {
    commandId: commandId(),
    caseId: later,
    responsibleUnit: "minle-liuba-town",
    requirements: "苫盖",
    reason: "属地调整",
    rectificationDueAt: new Date(endOf(afterWorkingDays(start, 2, holidays))).toISOString(),
  }, base);
  await expect(tile.locator(".tile-value")).toHaveText("2");
  await supervisor.context().close();
});

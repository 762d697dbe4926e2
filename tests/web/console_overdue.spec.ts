// The procuratorate sees an overdue police decision highlighted (issue 15:
// "overdue police decisions highlighted"), Debian's Chromium against real
// binaries of this spec's own. The referral is walked through the API up to
// the police's receipt, which opens the filing-decision clock (3 calendar
// days, 环环监〔2017〕17号 art. 11; a last day off moves to the next working
// day). The stack is then stopped and started again on the same data with
// the server's clock a day past that deadline (--test_clock_offset_hours,
// the injected clock of rectify_server for tests): the deadline scheduler
// marks it missed, and the procuratorate's 移送监督 page marks the referral
// 逾期 and its 立案审查期限 clock as overdue, while a referral whose clock
// still runs is not marked. The countdown's working days late are counted
// here from the calendar file the server counts with.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { call, collectErrors, commandId, freshRegion, logIn, sentReferral } from "./console_api";
import { startStack, stopStack, type Stack } from "./stack_setup";

const DAY = 86_400_000;
const HOUR = 3_600_000;
const BEIJING = 8 * HOUR;

let stack: Stack;

test.afterAll(async () => {
  if (stack) await stopStack(stack);
});

// "YYYY-MM-DD" of the Beijing day instant `t` falls in.
function beijingDay(t: number): string {
  return new Date(t + BEIJING).toISOString().slice(0, 10);
}

// Working days of the server's calendar file (holiday:/workday: lines of the
// years it lists, Monday to Friday beyond them: stack_setup's testCalendar).
function calendar(dir: string): (day: string) => boolean {
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  for (const line of readFileSync(join(dir, "calendar.txt"), "utf8").split("\n")) {
    const m = /^(holiday|workday):\s*(\d{4}-\d{2}-\d{2})/.exec(line.replace(/#.*/, "").trim());
    if (m) (m[1] === "holiday" ? holidays : workdays).add(m[2]);
  }
  return (day) => {
    if (holidays.has(day)) return false;
    if (workdays.has(day)) return true;
    const w = new Date(`${day}T12:00:00Z`).getUTCDay();
    return w !== 0 && w !== 6;
  };
}

test("检察院：公安逾期未作立案决定的移送被突出标示（服务器时钟拨到期限之后重启）", async ({ browser }) => {
  test.setTimeout(300_000);
  stack = await startStack();
  const region = freshRegion();
  const late = await sentReferral("暗管排放含重金属废水（逾期未决定）", region, stack.url);
  await call("demo-police", "CaseService/ReceiveReferral", { commandId: commandId(), caseId: late.caseId, referralId: late.referralId }, stack.url);
  const held = (await call("demo-supervisor", "CaseService/GetCase", { caseId: late.caseId }, stack.url)).case;
  const filing = held.deadlines.find((d: any) => d.kind === "DEADLINE_KIND_REFERRAL_FILING_DECISION");
  expect(filing.state).toBe("DEADLINE_STATE_OPEN");
  const due = Date.parse(filing.dueAt);
  // 3 calendar days from the receipt, to the end of a working day (+08:00).
  expect(due).toBeGreaterThanOrEqual(Date.parse(`${beijingDay(Date.now() + 3 * DAY)}T00:00:00+08:00`) + DAY);
  // A day-counted deadline ends at a Beijing midnight.
  expect(new Date(due + BEIJING).toISOString().slice(11, 19)).toBe("00:00:00");

  // Restart with the server's clock one day and a bit past the deadline.
  const offsetHours = Math.ceil((due - Date.now()) / HOUR) + 30;
  const serverNow = () => Date.now() + offsetHours * HOUR;
  const dir = stack.dir;
  await stopStack(stack, true);
  stack = await startStack([`--test_clock_offset_hours=${offsetHours}`], dir);
  // A second referral, sent after the restart: its receipt clock (24 hours)
  // still runs, so it is not marked.
  const onTime = await sentReferral("雨水管网混排（期限未到）", region, stack.url);
  await expect
    .poll(async () => {
      const c = (await call("demo-supervisor", "CaseService/GetCase", { caseId: late.caseId }, stack.url)).case;
      return c.deadlines.find((d: any) => d.deadlineId === filing.deadlineId).state;
    }, { timeout: 60_000 })
    .toBe("DEADLINE_STATE_MISSED");

  // The working days late, counted here: the working days after the
  // deadline's last day up to the server's today.
  const isWorkingDay = calendar(dir);
  const lastDay = beijingDay(due - 1);
  let lateDays = 0;
  for (let t = Date.parse(lastDay) + DAY; t <= Date.parse(beijingDay(serverNow())); t += DAY) {
    if (isWorkingDay(new Date(t).toISOString().slice(0, 10))) lateDays++;
  }

  const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  const errors = collectErrors(page);
  await logIn(page, "sunjianchaguan", stack.url);
  await page.getByRole("link", { name: "移送监督" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("移送监督");
  // A referral's row: its id (per case) and its case's link.
  const rowOf = (r: { caseId: string; referralId: string }) =>
    page.locator(`tr[data-referral="${r.referralId}"]`, { has: page.locator(`a[href="/console/cases/${r.caseId}"]`) });
  const lateRow = rowOf(late);
  await expect(lateRow).toHaveClass(/\boverdue\b/);
  await expect(lateRow.locator(".badge.warn")).toHaveText("逾期");
  const clock = lateRow.locator('.clock[data-deadline-kind="REFERRAL_FILING_DECISION"]');
  await expect(clock).toHaveClass(/\boverdue\b/);
  await expect(clock).toHaveText(new RegExp(`^立案审查期限：${lastDay}(（暂定）)?，${lateDays > 0 ? `已逾期 ${lateDays} 个工作日` : "已逾期"}$`));
  // Highlighted: the overdue clock is drawn in the warning colour.
  expect(await clock.evaluate((e) => getComputedStyle(e).color)).toBe("rgb(179, 38, 30)");
  const onTimeRow = rowOf(onTime);
  await expect(onTimeRow).toBeVisible();
  await expect(onTimeRow).not.toHaveClass(/\boverdue\b/);
  await expect(onTimeRow.locator(".badge.warn")).toHaveCount(0);
  // An hours-based clock keeps its minute: the receipt's 24 hours from the
  // sending, written in Beijing time.
  const sent = (await call("demo-supervisor", "CaseService/GetCase", { caseId: onTime.caseId }, stack.url)).case;
  const receipt = sent.deadlines.find((d: any) => d.kind === "DEADLINE_KIND_REFERRAL_RECEIPT");
  const receiptDue = Date.parse(sent.referrals[0].sentAt) + 24 * HOUR;
  expect(Math.abs(Date.parse(receipt.dueAt) - receiptDue)).toBeLessThan(1);
  const wall = new Date(Date.parse(receipt.dueAt) + BEIJING).toISOString();
  await expect(onTimeRow.locator('.clock[data-deadline-kind="REFERRAL_RECEIPT"]')).toContainText(`签收期限：${wall.slice(0, 10)} ${wall.slice(11, 16)}，`);
  await page.screenshot({ path: `${process.env.RECTIFY_WEB_TEST_OUT ?? "/tmp/rectify-web-test-results"}/console-procuratorate-overdue-desk.png`, fullPage: true });
  expect(errors).toEqual([]);
  await page.context().close();
});

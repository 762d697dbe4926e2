// Countdowns in working days as the server computes them, in Debian's
// Chromium against the real binaries: a case due at the end of the 8th day
// from today shows, in the unit's work list and on the case page, the
// working days left counted here by hand from the calendar file the server
// counts with (config/calendar_cn.txt's holidays and adjusted workdays, and
// Monday to Friday past its years: stack_setup.ts), and the deadline's last
// day; a case due
// sooner is listed before it.
import { expect, test } from "@playwright/test";
import {
  addDays,
  assignedCase,
  chinaDay,
  chinaMidnight,
  collectErrors,
  expectNothingCut,
  isWorkingDay,
  logIn,
  PHONE,
  TABLET,
  unique,
  url,
  workingDaysAfter,
} from "./field_helpers";

for (const [size, viewport] of [["tablet", TABLET], ["phone", PHONE]] as const) {
  test.describe(`剩余工作日（${size}）`, () => {
    test.use({ viewport });

    test("工作列表和案件页显示服务器计算的剩余工作日", async ({ page }) => {
      const errors = collectErrors(page);
      const today = chinaDay(Date.now());
      const lastDay = addDays(today, 8);
      const left = workingDaysAfter(today, lastDay);
      const title = `河道垃圾堆放 ${unique(size)}`;
      // Due at the end of the 8th day: the midnight that begins the 9th.
      const caseId = await assignedCase(title, chinaMidnight(addDays(today, 9)));
      const expected = `整改期限：剩余 ${left} 个工作日（截止 ${lastDay}）`;
      // A second case due sooner, at the end of the next working day, comes
      // before it with 1 working day left.
      let next = addDays(today, 1);
      while (!isWorkingDay(next)) next = addDays(next, 1);
      const sooner = await assignedCase(`${title} 紧急`, chinaMidnight(addDays(next, 1)));

      await logIn(page, "hongshui");
      const row = page.locator(`.case-row[data-case-id="${caseId}"]`);
      await expect(row.locator(".countdown")).toHaveText(expected);
      await expect(page.locator(`.case-row[data-case-id="${sooner}"] .countdown`)).toHaveText(
        `整改期限：剩余 1 个工作日（截止 ${next}）`,
      );
      const order = await page.locator(".case-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-case-id")));
      expect(order.indexOf(sooner)).toBeLessThan(order.indexOf(caseId));
      await expectNothingCut(page);
      await page.goto(`${url()}/cases/${caseId}`);
      await expect(page.locator(".deadlines .countdown")).toHaveText(`剩余 ${left} 个工作日（截止 ${lastDay}）`);
      await expect(page.locator(".deadlines li").first()).toContainText("整改期限");
      await expectNothingCut(page);
      expect(errors).toEqual([]);
    });
  });
}

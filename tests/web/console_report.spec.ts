// The monthly dispatch figures and the notices in the console, Debian's
// Chromium against the real binaries: the figures of a region of this
// test's own equal the counts of the cases it made, the overdue case is on
// the notice list under its unit, and the report prints to an A4 PDF
// (page.pdf() with the page's print stylesheet).
import { writeFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { assign, call, logIn, freshRegion, reportCase, url } from "./console_api";

const shots = process.env.RECTIFY_WEB_TEST_OUT ?? "/tmp/rectify-web-test-results";

test("月调度：本区域数字与测试统计一致，通报列出逾期问题，打印为 A4 PDF", async ({ browser }) => {
  const region = freshRegion();
  await reportCase(region, "工业园区异味");
  await reportCase(region, "河道采砂");
  const late = await reportCase(region, "污水处理厂超标排放");
  await assign(late, "minle-hongshui-town", new Date(Date.now() + 3000));
  await expect
    .poll(async () => (await call("demo-supervisor", "CaseService/GetCase", { caseId: late })).case.overdue ?? false)
    .toBe(true);
  // By hand: 3 reported this month, 1 assigned, 0 closed, 1 overdue.
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  await logIn(page, "wangqiang");
  const now = new Date(Date.now() + 8 * 3600_000).toISOString(); // Beijing
  const month = now.slice(0, 7);
  await page.goto(`${url()}/console/report?month=${month}&region=${region}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`${Number(month.slice(0, 4))}年${Number(month.slice(5, 7))}月 生态环境问题整改月调度`);
  const total = page.locator("#report-total tbody tr td");
  await expect(total.nth(0)).toHaveText("3"); // 新发现
  await expect(total.nth(1)).toHaveText("1"); // 交办
  await expect(total.nth(4)).toHaveText("0"); // 销号
  await expect(total.nth(6)).toHaveText("1"); // 月末逾期
  await expect(page.locator("#report-category")).toContainText("水");
  await expect(page.locator("#report-unit")).toContainText("minle-hongshui-town");
  await page.screenshot({ path: `${shots}/console-report.png`, fullPage: true });

  // Print: A4, navigation and buttons not printed.
  await page.emulateMedia({ media: "print" });
  await expect(page.locator(".console-nav")).toBeHidden();
  await expect(page.locator("#print-report")).toBeHidden();
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
  const text = pdf.toString("latin1");
  writeFileSync(`${shots}/console-report.pdf`, pdf);
  // A4 is 595.28 x 841.89 pt (Letter 612 x 792); Chromium rounds to pixels.
  const box = /\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/.exec(text);
  expect(box).not.toBeNull();
  expect(Math.abs(Number(box?.[1]) - 595.28)).toBeLessThan(1.5);
  expect(Math.abs(Number(box?.[2]) - 841.89)).toBeLessThan(1.5);
  await page.emulateMedia({ media: "screen" });

  await page.goto(`${url()}/console/notices?region=${region}`);
  const unit = page.locator('section[data-unit="minle-hongshui-town"]');
  await expect(unit).toContainText(late);
  await expect(unit).toContainText("逾期未完成");
  await expect(page.locator(".lead")).toContainText("共 1 个问题被通报，涉及 1 个责任单位");
  await context.close();
});

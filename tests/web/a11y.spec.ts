// Accessibility: axe-core (npm) on every page of the field app (login, the
// lists, the case page, the queue, and every form: report, start,
// progress, extension, completion, verify, referral), in Debian's
// Chromium against the real binaries, finds no serious or critical
// violation of WCAG 2 A/AA at tablet and phone sizes. axe is injected by
// Playwright (bypassCSP only lets the test's own script tag in; the app is
// served with its usual policy).
import { expect, test } from "@playwright/test";
import { seriousViolations } from "./axe";
import { api, assignedCase, logIn, PHONE, TABLET, unique, url } from "./field_helpers";

for (const [size, viewport] of [["tablet", TABLET], ["phone", PHONE]] as const) {
  test(`无障碍：各页面没有严重问题（${size}）`, async ({ browser }) => {
    // Eleven pages, each loaded and checked by axe: longer than one page's test.
    test.setTimeout(300_000);
    const context = await browser.newContext({ viewport, bypassCSP: true, locale: "zh-CN" });
    const page = await context.newPage();
    const problems: string[] = [];
    await page.goto(url() + "/login");
    await expect(page.getByLabel("账号")).toBeVisible();
    problems.push(...(await seriousViolations(page, "login")));

    const caseId = await assignedCase(`无障碍检查 ${size}`);
    await logIn(page, "hongshui");
    await expect(page.locator(`.case-row[data-case-id="${caseId}"]`)).toBeVisible();
    problems.push(...(await seriousViolations(page, "unit list")));
    await page.goto(`${url()}/cases/${caseId}`);
    await expect(page.locator("#chain-badge")).toContainText("校验通过");
    problems.push(...(await seriousViolations(page, "case page")));
    await page.goto(`${url()}/cases/${caseId}/start`);
    await expect(page.getByLabel("备注")).toBeVisible();
    problems.push(...(await seriousViolations(page, "start form")));
    // The forms of a case in rectification.
    await api("CaseService", "StartRectification", "demo-rectifier", { commandId: unique("a11y-start"), caseId });
    await page.goto(`${url()}/cases/${caseId}/progress`);
    await expect(page.getByLabel("进展情况（必填）")).toBeVisible();
    problems.push(...(await seriousViolations(page, "progress form")));
    await page.goto(`${url()}/cases/${caseId}/extension`);
    await expect(page.getByLabel("申请延至（必填）")).toBeVisible();
    problems.push(...(await seriousViolations(page, "extension form")));
    await page.goto(`${url()}/cases/${caseId}/completion`);
    await expect(page.getByLabel("整改完成情况（必填）")).toBeVisible();
    problems.push(...(await seriousViolations(page, "completion form")));
    await page.goto(`${url()}/outbox`);
    await expect(page.locator("#queue-summary")).toBeVisible();
    problems.push(...(await seriousViolations(page, "outbox")));

    await page.getByRole("button", { name: "退出登录" }).click();
    await logIn(page, "zhangwei");
    await expect(page.getByRole("heading", { name: "今日工作" })).toBeVisible();
    problems.push(...(await seriousViolations(page, "work list")));
    await page.goto(`${url()}/report`);
    await expect(page.getByLabel("问题标题（必填）")).toBeVisible();
    problems.push(...(await seriousViolations(page, "report form")));
    await page.goto(`${url()}/cases/${caseId}/verify`);
    await expect(page.getByLabel("验收意见（不通过时必填）")).toBeVisible();
    // With 不通过 chosen, the new-deadline field shows too.
    await page.getByText("不通过", { exact: true }).click();
    await expect(page.getByLabel("新的整改期限（不填则按规定期限）")).toBeVisible();
    problems.push(...(await seriousViolations(page, "verify form")));
    await page.goto(`${url()}/cases/${caseId}/refer`);
    // Once the list of officers has come (whatever it holds).
    await expect(page.locator("#second-officer option").first()).not.toHaveText("正在加载执法人员名单…");
    problems.push(...(await seriousViolations(page, "referral form")));
    expect(problems).toEqual([]);
    await context.close();
  });
}

// The console's pages for axe-core and for people looking at them, Debian's
// Chromium against the real binaries, at the desk size (1920×1080) and on a
// tablet (1280×800): no serious or critical WCAG 2 A/AA violation, nothing
// cut or past the screen's edge, and a full-page screenshot of each
// (console-<page>-<size>.png in the test output; the ones checked in under
// docs/screenshots were looked at for cut or overlapping text).
import { expect, test, type Browser, type Page } from "@playwright/test";
import { seriousViolations } from "./axe";
import { assign, call, commandId, freshRegion, logIn, reportCase, url } from "./console_api";
import { expectNothingCut } from "./field_helpers";

const shots = process.env.RECTIFY_WEB_TEST_OUT ?? "/tmp/rectify-web-test-results";
const sizes = [
  ["desk", { width: 1920, height: 1080 }],
  ["tablet", { width: 1280, height: 800 }],
] as const;

// A region with work in it: cases found, assigned (one overdue, one with an
// extension asked), and one sent to the police.
async function seed(): Promise<{ region: string; assigned: string; referred: string }> {
  const region = freshRegion();
  await reportCase(region, "工业园区夜间异味扰民");
  const assigned = await reportCase(region, "河道两侧堆放建筑垃圾");
  await assign(assigned, "minle-hongshui-town", new Date(Date.now() + 10 * 86_400_000));
  await call("demo-rectifier", "CaseService/StartRectification", { commandId: commandId(), caseId: assigned });
  await call("demo-rectifier", "CaseService/RequestExtension", {
    commandId: commandId(),
    caseId: assigned,
    requestedDueAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
    reason: "雨季无法清运，申请延期",
  });
  const late = await reportCase(region, "污水处理厂出水超标");
  await assign(late, "minle-liuba-town", new Date(Date.now() + 2000));
  const referred = await reportCase(region, "暗管排放含油废水");
  const proposed = await call("demo-inspector", "CaseService/ProposeReferral", {
    commandId: commandId(),
    caseId: referred,
    suspectedOffence: "污染环境罪",
    report: "经两名执法人员调查，企业通过暗管排放含油废水，涉嫌污染环境罪。",
    proposingOfficers: ["insp-zhang", "insp-li"],
  });
  const referralId = proposed.case.referrals[0].referralId;
  await call("demo-bureau-head", "CaseService/ApproveReferral", { commandId: commandId(), caseId: referred, referralId });
  await call("demo-supervisor", "CaseService/SendReferral", { commandId: commandId(), caseId: referred, referralId, policeUnit: "minle-psb", procuratorateUnit: "minle-procuratorate" });
  await expect.poll(async () => (await call("demo-supervisor", "CaseService/GetCase", { caseId: late })).case.overdue ?? false).toBe(true);
  return { region, assigned, referred };
}

async function session(browser: Browser, account: string, viewport: { width: number; height: number }): Promise<Page> {
  const context = await browser.newContext({ viewport, bypassCSP: true, locale: "zh-CN" });
  const page = await context.newPage();
  await logIn(page, account);
  return page;
}

// Checks the page as it is now and keeps its picture.
async function look(page: Page, name: string, size: string, problems: string[]): Promise<void> {
  await expectNothingCut(page);
  problems.push(...(await seriousViolations(page, `${name} (${size})`)));
  await page.screenshot({ path: `${shots}/console-${name}-${size}.png`, fullPage: true });
}

for (const [size, viewport] of sizes) {
  test(`控制台无障碍与截图（${size}）：总览、台账、问题详情、清单、移送、通报、月调度、公安收件箱、账号、运维`, async ({ browser }) => {
    test.setTimeout(240_000);
    const { region, assigned, referred } = await seed();
    const problems: string[] = [];
    const month = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);

    const supervisor = await session(browser, "wangqiang", viewport);
    await supervisor.goto(`${url()}/console?region=${region}`);
    await expect(supervisor.locator("#dash-overdue .tile-value")).toHaveText("1");
    await expect(supervisor.locator("#live-status")).toHaveText("● 实时更新中");
    await look(supervisor, "dashboard", size, problems);
    await supervisor.goto(`${url()}/console/cases?region=${region}`);
    await expect(supervisor.locator("#case-table tbody tr")).toHaveCount(4);
    await look(supervisor, "case-list", size, problems);
    await supervisor.goto(`${url()}/console/cases/${assigned}`);
    await expect(supervisor.locator("#history-badge")).toContainText("历史已校验");
    await look(supervisor, "case-page", size, problems);
    await supervisor.getByRole("button", { name: "不批准延期" }).click();
    await expect(supervisor.getByRole("dialog")).toBeVisible();
    await look(supervisor, "dialog", size, problems);
    await supervisor.getByRole("button", { name: "取消" }).click();
    await supervisor.goto(`${url()}/console/lists`);
    await expect(supervisor.getByRole("heading", { level: 1 })).toBeVisible();
    await look(supervisor, "lists", size, problems);
    await supervisor.goto(`${url()}/console/referrals`);
    await expect(supervisor.locator("#referral-table")).toContainText(referred);
    await look(supervisor, "referrals", size, problems);
    await supervisor.goto(`${url()}/console/notices?region=${region}`);
    await expect(supervisor.locator('section[data-unit="minle-liuba-town"]')).toBeVisible();
    await look(supervisor, "notices", size, problems);
    await supervisor.goto(`${url()}/console/report?month=${month}&region=${region}`);
    await expect(supervisor.frameLocator("#report-frame").locator("p.summary")).toContainText("本月新发现问题 4 个");
    await expect(supervisor.locator("#report-status")).toHaveText("");
    await look(supervisor, "report", size, problems);
    // The framed page itself (axe is not injected into frames).
    const page = await supervisor.context().newPage();
    await page.goto(`${url()}/reports/monthly?month=${month}&region=${region}`);
    problems.push(...(await seriousViolations(page, `report page (${size})`)));
    await page.close();

    const police = await session(browser, "zhaojingguan", viewport);
    await expect(police.locator("#referral-table")).toContainText(referred);
    await look(police, "police-inbox", size, problems);
    await police.goto(`${url()}/console/cases/${referred}`);
    await expect(police.locator("#history-badge")).toContainText("历史已校验");
    await look(police, "police-case", size, problems);

    const procurator = await session(browser, "sunjianchaguan", viewport);
    await expect(procurator.locator("#referral-table")).toContainText(referred);
    await look(procurator, "procuratorate", size, problems);

    const admin = await session(browser, "yunwei", viewport);
    await expect(admin.locator("#account-table")).toContainText("wangqiang");
    await look(admin, "accounts", size, problems);
    await admin.goto(`${url()}/console/operations`);
    await expect(admin.locator("#server-health")).toContainText("服务器运行正常");
    await look(admin, "operations", size, problems);

    expect(problems).toEqual([]);
    for (const p of [supervisor, police, procurator, admin]) await p.context().close();
  });
}

// The supervision console in Debian's Chromium against the real
// rectify_web and rectify_server: the dashboard's numbers against counts
// this file computes from the cases it made itself (in a township region
// of its own), each number opening the same cases in the list, live
// changes made by other sessions appearing without a reload, actions with
// their confirmation, and a refusal showing the server's reason.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { withRequestId } from "./request_id";
import { assign, call, collectErrors, commandId, freshRegion, logIn, reportCase, url } from "./console_api";

const shots = process.env.RECTIFY_WEB_TEST_OUT ?? "/tmp/rectify-web-test-results";
const HOUR = 3600_000;

async function supervisorPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  await logIn(page, "wangqiang");
  return page;
}

test("总览的数字与测试自己统计的一致，点击数字打开同样的问题，其他会话的操作实时出现", async ({ browser }) => {
  const region = freshRegion();
  // Five cases: two left FOUND, three assigned (one of them already past
  // its deadline), to two units.
  const found1 = await reportCase(region, "北滩村砂石料场扬尘");
  const found2 = await reportCase(region, "河道旁堆放建筑垃圾");
  const late = await reportCase(region, "养殖场废水直排");
  const onTime = await reportCase(region, "餐饮油烟扰民");
  const other = await reportCase(region, "砖厂无组织排放");
  // The server takes no deadline in the past: this one passes in 3 s.
  await assign(late, "minle-hongshui-town", new Date(Date.now() + 3000));
  await assign(onTime, "minle-hongshui-town", new Date(Date.now() + 240 * HOUR));
  await assign(other, "minle-liuba-town", new Date(Date.now() + 240 * HOUR));
  // Counted by hand from the above: FOUND 2, ASSIGNED 3, RECTIFYING 0,
  // VERIFIED 0; overdue 1 (late); found this month 5; units: hongshui 2 open
  // (1 overdue) before liuba 1 open (0 overdue).
  // The scheduler marks `late` overdue about a second after its deadline.
  await expect
    .poll(async () => (await call("demo-supervisor", "CaseService/GetCase", { caseId: late })).case.overdue ?? false)
    .toBe(true);

  const page = await supervisorPage(browser);
  const errors = collectErrors(page);
  await expect(page).toHaveURL(url() + "/console");
  await page.goto(`${url()}/console?region=${region}`);
  const tile = (id: string) => page.locator(`#${id} .tile-value`);
  await expect(tile("dash-status-1")).toHaveText("2");
  await expect(tile("dash-status-2")).toHaveText("3");
  await expect(tile("dash-status-3")).toHaveText("0");
  await expect(tile("dash-status-4")).toHaveText("0");
  await expect(tile("dash-overdue")).toHaveText("1");
  await expect(tile("dash-new")).toHaveText("5");
  await expect(page.locator("#dash-status-1")).toContainText("待交办");
  await expect(page.locator("#dash-overdue")).toContainText("当前逾期");
  const unitRows = page.locator("#dash-units tbody tr");
  await expect(unitRows).toHaveCount(2);
  await expect(unitRows.nth(0)).toHaveAttribute("data-unit", "minle-hongshui-town");
  await expect(unitRows.nth(0).locator("td").nth(0)).toHaveText("2");
  await expect(unitRows.nth(0).locator("td").nth(1)).toHaveText("1");
  await expect(unitRows.nth(1)).toHaveAttribute("data-unit", "minle-liuba-town");
  await expect(unitRows.nth(1).locator("td").nth(0)).toHaveText("1");
  await page.screenshot({ path: `${shots}/console-dashboard.png`, fullPage: true });

  // Each number opens the list of exactly those cases.
  await page.locator("#dash-status-1").click();
  await expect(page).toHaveURL(new RegExp(`/console/cases\\?status=1&region=${region}$`));
  await expect(page.locator("#case-table tbody tr")).toHaveCount(2);
  await expect(page.locator(`#case-table tr[data-case="${found1}"]`)).toContainText("待交办");
  await expect(page.locator(`#case-table tr[data-case="${found2}"]`)).toBeVisible();
  await page.goBack();
  await page.locator("#dash-overdue").click();
  await expect(page.locator("#case-table tbody tr")).toHaveCount(1);
  await expect(page.locator(`#case-table tr[data-case="${late}"]`)).toContainText("逾期");
  await page.goBack();
  await expect(tile("dash-status-1")).toHaveText("2");

  // Live, without a reload: an inspector reports a case on a tablet (the
  // field app's report form in another browser context), and a second
  // supervisor session assigns one in its browser.
  await expect(page.locator("#live-status")).toHaveText("● 实时更新中");
  await page.evaluate(() => ((window as any).__noReload = true));
  const tablet = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await logIn(tablet, "zhangwei");
  await tablet.goto(`${url()}/report`);
  await tablet.getByLabel("问题标题（必填）").fill("垃圾焚烧冒黑烟");
  await tablet.getByLabel("类别（必填）").selectOption({ label: "大气污染" });
  await tablet.getByLabel("严重程度（必填）").selectOption({ label: "一般" });
  await tablet.getByLabel("行政区划（必填）").fill(region);
  await tablet.getByLabel("地址").fill("三堡镇 垃圾中转站");
  await tablet.getByRole("button", { name: "提交上报" }).click();
  await expect(tablet).toHaveURL(/\/cases\/620722-\d{4}-\d{6}$/);
  const third = decodeURIComponent(new URL(tablet.url()).pathname.split("/")[2]);
  await tablet.context().close();
  await expect(tile("dash-status-1")).toHaveText("3");
  await expect(tile("dash-new")).toHaveText("6");

  const other_ = await supervisorPage(browser);
  await other_.goto(`${url()}/console/cases/${third}`);
  await other_.getByRole("button", { name: "交办", exact: true }).click();
  await other_.getByLabel("责任单位（必填）").selectOption("minle-liuba-town");
  await other_.getByLabel("整改要求（必填）").fill("立即整改");
  await other_.getByRole("button", { name: "确认" }).click();
  await expect(other_.locator("#case-facts")).toContainText("已交办");
  await expect(tile("dash-status-1")).toHaveText("2");
  await expect(tile("dash-status-2")).toHaveText("4");
  await expect(unitRows.nth(1).locator("td").nth(0)).toHaveText("2");
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
  expect(errors).toEqual([]);
  await other_.context().close();
  await page.context().close();
});

test("问题详情：交办需确认，历史已校验，延期审批，被拒绝的操作显示服务器的理由", async ({ browser }) => {
  const region = freshRegion();
  const caseId = await reportCase(region, "湿地保护区内违规取土");
  const page = await supervisorPage(browser);
  const errors = collectErrors(page);
  await page.goto(`${url()}/console/cases/${caseId}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("湿地保护区内违规取土");
  await expect(page.locator("#case-facts")).toContainText("待交办");
  await expect(page.locator("#history-badge")).toHaveText("✔ 历史已校验（1 条记录哈希链完整）");

  // Cancel changes nothing.
  await page.getByRole("button", { name: "交办", exact: true }).click();
  await expect(page.getByRole("dialog")).toContainText("将该问题交办给责任单位整改。");
  await page.getByRole("button", { name: "取消" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  expect((await call("demo-supervisor", "CaseService/GetCase", { caseId })).case.status).toBe("CASE_STATUS_FOUND");
  // A deadline in the past is refused: the dialog stays, with the server's
  // own reason, and nothing changes.
  await page.getByRole("button", { name: "交办", exact: true }).click();
  await page.getByLabel("责任单位（必填）").selectOption("minle-hongshui-town");
  await page.getByLabel("整改要求（必填）").fill("恢复原状");
  await page.getByLabel("整改期限（日期）").fill("2020-01-31");
  await page.getByRole("button", { name: "确认" }).click();
  const alert = page.getByRole("dialog").getByRole("alert");
  // The server's Chinese reason, the field by its label (the console sends
  // the end of the chosen day, the next midnight in China, which the server
  // writes as that day).
  await expect(alert).toHaveText(withRequestId("操作未执行：整改期限：须晚于现在，所填为 2020年1月31日"));
  await page.screenshot({ path: `${shots}/console-case-refused.png`, fullPage: true });
  expect((await call("demo-supervisor", "CaseService/GetCase", { caseId })).case.status).toBe("CASE_STATUS_FOUND");
  // Confirmed with a good date, it assigns.
  await page.getByLabel("责任单位（必填）").selectOption("minle-hongshui-town");
  await page.getByLabel("整改要求（必填）").fill("恢复原状");
  await page.getByLabel("整改期限（日期）").fill("2027-03-31");
  await page.getByRole("button", { name: "确认" }).click();
  await expect(page.locator("#case-facts")).toContainText("已交办");
  await expect(page.locator("#case-facts")).toContainText("洪水镇人民政府");
  // The day picked is the deadline: its end in China, written as that day.
  await expect(page.locator("#case-facts")).toContainText("2027-03-31");
  await expect(page.locator("#case-facts")).not.toContainText("2027-04-01");
  await expect(page.locator("#timeline")).toContainText("交办");
  await expect(page.locator("#history-badge")).toContainText("✔ 历史已校验");
  const stored = (await call("demo-supervisor", "CaseService/GetCase", { caseId })).case;
  expect(stored.status).toBe("CASE_STATUS_ASSIGNED");
  expect(stored.rectificationDueAt).toBe("2027-03-31T16:00:00Z");

  // The responsible unit starts and asks for more time (its tablet's calls);
  // the page shows the request live, the supervisor grants it.
  await call("demo-rectifier", "CaseService/StartRectification", { commandId: commandId(), caseId });
  await call("demo-rectifier", "CaseService/RequestExtension", {
    commandId: commandId(),
    caseId,
    requestedDueAt: "2027-04-30T16:00:00Z",
    reason: "雨季无法施工",
  });
  const grant = page.getByRole("button", { name: "批准延期至 2027-04-30", exact: true });
  await expect(grant).toBeVisible();
  await grant.click();
  await page.getByRole("button", { name: "确认" }).click();
  await expect(page.locator("#extensions")).toContainText("已批准");
  await expect(page.locator("#case-facts")).toContainText("2027-04-30");

  // Completion submitted (the unit's call); the supervisor verifies it on
  // the page, closes it (销号) and reopens it (反弹).
  await call("demo-rectifier", "CaseService/SubmitCompletion", { commandId: commandId(), caseId, summary: "已回填并复绿" });
  await page.getByRole("button", { name: "验收通过" }).click();
  await page.getByRole("button", { name: "确认" }).click();
  await expect(page.locator("#case-facts")).toContainText("已验收");
  await page.getByRole("button", { name: "销号", exact: true }).click();
  await page.getByRole("button", { name: "确认" }).click();
  await expect(page.locator("#case-facts")).toContainText("已销号");
  await page.getByRole("button", { name: "重新打开（反弹）" }).click();
  await page.getByLabel("理由（必填）").fill("群众再次举报，问题反弹");
  await page.getByRole("button", { name: "确认" }).click();
  await expect(page.locator("#case-facts")).toContainText("整改中");
  await expect(page.locator("#timeline")).toContainText("重新打开（反弹）");
  await expect(page.locator("#history-badge")).toContainText("✔ 历史已校验");
  await page.screenshot({ path: `${shots}/console-case.png`, fullPage: true });
  expect((await call("demo-supervisor", "CaseService/GetCase", { caseId })).case.reopenCount).toBe(1);
  expect(errors).toEqual([]);
  await page.context().close();
});

test("退出登录后实时更新随之关闭，再次登录后（不刷新页面）恢复", async ({ browser }) => {
  const region = freshRegion();
  await reportCase(region, "秸秆露天焚烧");
  const page = await supervisorPage(browser);
  await page.goto(`${url()}/console?region=${region}`);
  await expect(page.locator("#dash-status-1 .tile-value")).toHaveText("1");
  await expect(page.locator("#live-status")).toHaveText("● 实时更新中");
  await page.evaluate(() => ((window as any).__noReload = true));
  // The open stream would go on delivering the old session's events (the
  // server does not end a stream at logout): the page must cancel it.
  let cancelled = 0;
  page.on("requestfailed", (r) => {
    if (r.url().endsWith("/rectify.v1.CaseService/WatchEvents")) cancelled++;
  });
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page.getByLabel("账号")).toBeVisible();
  await expect.poll(() => cancelled).toBeGreaterThan(0);
  // Logged in again in the same page: a new stream, live again.
  await page.getByLabel("账号").fill("wangqiang");
  await page.getByLabel("密码").fill("rectify-demo-2026");
  await page.getByRole("button", { name: "登录" }).click();
  await page.getByLabel("区域", { exact: true }).fill(region);
  await page.getByRole("button", { name: "查看" }).click();
  await expect(page.locator("#dash-status-1 .tile-value")).toHaveText("1");
  await expect(page.locator("#live-status")).toHaveText("● 实时更新中");
  await reportCase(region, "建筑工地夜间施工噪声");
  await expect(page.locator("#dash-status-1 .tile-value")).toHaveText("2");
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
  await page.context().close();
});

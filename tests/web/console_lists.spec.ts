// Rectification lists and ledgers in the console, in Debian's Chromium
// against the real binaries: a list made in the page, cases added by
// pasting their ids and by search, one removed with a reason, progress per
// unit as the server counts it, closing (清零) refused while a case is open
// and done when the last one closes (live); the CSV ledgers (list and case
// filter) read back with Python's csv module. Also the admin's accounts.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { withRequestId } from "./request_id";
import { assign, call, collectErrors, commandId, freshRegion, logIn, reportCase, url } from "./console_api";

const shots = process.env.RECTIFY_WEB_TEST_OUT ?? "/tmp/rectify-web-test-results";

// The rows of a downloaded CSV as Python's csv module reads it (utf-8-sig
// strips the byte-order mark; the check that it was there is separate).
function csvRows(path: string): string[][] {
  const out = execFileSync("python3", [
    "-c",
    "import csv,json,sys\nrows=list(csv.reader(open(sys.argv[1],encoding='utf-8-sig',newline='')))\nprint(json.dumps(rows,ensure_ascii=False))",
    path,
  ]);
  return JSON.parse(out.toString("utf8"));
}

async function download(page: Page, click: () => Promise<void>, name: RegExp): Promise<string> {
  const [file] = await Promise.all([page.waitForEvent("download"), click()]);
  expect(file.suggestedFilename()).toMatch(name);
  const path = `${shots}/${file.suggestedFilename()}`;
  await file.saveAs(path);
  expect([...readFileSync(path).subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return path;
}

test("整改清单：新建、粘贴编号和搜索加入、移出、分单位进度、清零、台账下载", async ({ browser }) => {
  const region = freshRegion();
  const a = await reportCase(region, "北滩村砂石料场扬尘");
  const b = await reportCase(region, "河道旁堆放建筑垃圾");
  const c = await reportCase(region, "养殖场粪污外溢");
  const d = await reportCase(region, "采石场未覆盖");
  await assign(c, "minle-hongshui-town", new Date(Date.now() + 240 * 3600_000));
  await assign(d, "minle-hongshui-town", new Date(Date.now() + 240 * 3600_000));

  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  const errors = collectErrors(page);
  await logIn(page, "wangqiang");
  await page.goto(url() + "/console/lists");
  await page.getByRole("button", { name: "新建整改清单" }).click();
  await page.getByLabel("清单名称（必填）").fill("第二轮中央环保督察反馈问题");
  await page.getByLabel("区域代码（必填）").fill(region);
  await page.getByRole("button", { name: "确认" }).click();
  await expect(page).toHaveURL(/\/console\/lists\/L-/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("第二轮中央环保督察反馈问题（整改中）");
  const listId = decodeURIComponent(new URL(page.url()).pathname.split("/").pop() as string);

  // Pasted ids, separated the ways people paste them.
  await page.getByRole("button", { name: "按编号加入问题" }).click();
  await page.getByLabel("问题编号（必填）").fill(`${a}，${b}\n`);
  await page.getByRole("button", { name: "确认" }).click();
  await expect(page.locator("#list-items tbody tr")).toHaveCount(2);
  // By search: the unit's cases, ticked.
  await page.locator("#search-unit").fill("minle-hongshui-town");
  await page.getByRole("button", { name: "搜索问题" }).click();
  await page.getByLabel(new RegExp(`^${c} `)).check();
  await page.getByLabel(new RegExp(`^${d} `)).check();
  await page.getByRole("button", { name: "加入选中的问题" }).click();
  await expect(page.locator("#list-items tbody tr")).toHaveCount(4);
  // Remove one, with a reason.
  await page.locator(`[data-action="remove-${d}"]`).click();
  await page.getByLabel("移出理由（必填）").fill("重复登记");
  await page.getByRole("button", { name: "确认" }).click();
  await expect(page.locator("#list-items tbody tr")).toHaveCount(3);
  await expect(page.locator("#list-items")).toContainText("1");

  // Progress: 0 of 3 closed; per unit: unassigned a, b; hongshui c.
  await expect(page.locator("#list-progress figcaption")).toHaveText("总进度：已销号 0 / 3（0%）");
  await expect(page.locator('#list-progress [data-unit="minle-hongshui-town"] .bar-figure')).toHaveText("0 / 1");
  await expect(page.locator('#list-progress [data-unit="未交办"] .bar-figure')).toHaveText("0 / 2");

  // Closing while cases are open is refused with the server's reason.
  await page.getByRole("button", { name: "清零（关闭清单）" }).click();
  await page.getByRole("button", { name: "确认" }).click();
  await expect(page.getByRole("dialog").getByRole("alert")).toContainText(
    /^操作未执行：整改清单 L-\d{6}-\d{4}-\d{4} 还不能清零：3 项中有 3 项尚未销号：第 \d+ 项 /,
  );
  await page.getByRole("button", { name: "取消" }).click();

  // The ledger of the list: ledger order, Chinese intact.
  const ledger = await download(page, () => page.locator("#list-ledger").click(), /^整改台账-L-.*\.csv$/);
  const rows = csvRows(ledger);
  const body = rows.slice(1).map((r) => r.join("|"));
  expect(rows.length).toBe(4);
  expect(body[0]).toContain("北滩村砂石料场扬尘");
  expect(body[1]).toContain("河道旁堆放建筑垃圾");
  expect(body[2]).toContain("养殖场粪污外溢");

  // a and b close as unfounded (calls of another session: the page follows
  // live); c, assigned, is taken off the list; then every item is closed
  // and the list closes.
  await call("demo-supervisor", "CaseService/CloseAsUnfounded", { commandId: commandId(), caseId: a, reason: "查无实据" });
  await expect(page.locator("#list-progress figcaption")).toHaveText("总进度：已销号 1 / 3（33%）");
  await call("demo-supervisor", "CaseService/CloseAsUnfounded", { commandId: commandId(), caseId: b, reason: "查无实据" });
  await expect(page.locator("#list-progress figcaption")).toHaveText("总进度：已销号 2 / 3（67%）");
  await page.locator(`[data-action="remove-${c}"]`).click();
  await page.getByLabel("移出理由（必填）").fill("另案处理");
  await page.getByRole("button", { name: "确认" }).click();
  await expect(page.locator("#list-progress figcaption")).toHaveText("总进度：已销号 2 / 2（100%）");
  await page.screenshot({ path: `${shots}/console-list.png`, fullPage: true });
  await page.getByRole("button", { name: "清零（关闭清单）" }).click();
  await page.getByRole("button", { name: "确认" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("第二轮中央环保督察反馈问题（已清零）");
  const stored = await call("demo-supervisor", "SupervisionService/GetRectificationList", { listId });
  expect(stored.list.status).toBe("LIST_STATUS_CLOSED");
  expect(errors).toEqual([]);
  await context.close();
});

test("问题台账：筛选条件、分页、当前筛选的台账下载", async ({ browser }) => {
  const region = freshRegion();
  const ids: string[] = [];
  for (let i = 1; i <= 5; i++) ids.push(await reportCase(region, `台账测试问题 ${i} 号：排污口`));
  await assign(ids[0], "minle-hongshui-town", new Date(Date.now() + 240 * 3600_000));
  const context = await browser.newContext({ viewport: { width: 768, height: 1024 } }); // a tablet
  const page = await context.newPage();
  await logIn(page, "wangqiang");
  await page.goto(`${url()}/console/cases?region=${region}&size=20`);
  await expect(page.locator("#case-table tbody tr")).toHaveCount(5);
  // Controls: status FOUND only -> 4 cases, in case id order.
  await page.getByLabel("待交办").check();
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page).toHaveURL(new RegExp(`status=1&region=${region}&size=20`));
  await expect(page.locator("#case-table tbody tr")).toHaveCount(4);
  const shown = await page.locator("#case-table tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-case")));
  expect(shown).toEqual(ids.slice(1));
  // Paging: the server's pages of 2 (the address carries the size).
  await page.goto(`${url()}/console/cases?status=1&region=${region}&size=2`);
  await expect(page.locator("#case-table tbody tr")).toHaveCount(2);
  await page.getByRole("button", { name: "下一页" }).click();
  await expect(page.locator("#page-number")).toHaveText("第 2 页");
  const second = await page.locator("#case-table tbody tr").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-case")));
  expect(second).toEqual(ids.slice(3, 5));
  await expect(page.getByRole("button", { name: "下一页" })).toBeDisabled();
  await page.screenshot({ path: `${shots}/console-case-list-tablet.png`, fullPage: true });
  // The ledger of the current filter: the 4 FOUND cases, all pages.
  const ledger = await download(page, () => page.getByRole("button", { name: "导出台账（CSV）" }).click(), /^问题台账-\d{4}-\d{2}-\d{2}\.csv$/);
  const rows = csvRows(ledger);
  expect(rows.length).toBe(5);
  for (let i = 0; i < 4; i++) expect(rows[i + 1].join("|")).toContain(`台账测试问题 ${i + 2} 号：排污口`);
  await context.close();
});

test("系统管理员：新建账号、停用后无法登录", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  await logIn(page, "yunwei");
  await expect(page).toHaveURL(url() + "/console/accounts");
  await expect(page.locator('#account-table tr[data-account="wangqiang"]')).toContainText("科室负责人");
  const name = `li-${Date.now() % 100000}`;
  await page.getByRole("button", { name: "新建账号" }).click();
  await page.getByLabel("账号（小写字母、数字、. _ -）（必填）").fill(name);
  await page.getByLabel("姓名（必填）").fill("李监督");
  await page.getByLabel("角色").selectOption({ label: "监督人员" });
  await page.getByLabel("单位").fill("zhangye-discipline");
  await page.getByLabel("辖区（区域代码前缀）（必填）").fill("620722");
  await page.getByLabel("初始密码（至少 10 个字符）（必填）").fill("short");
  await page.getByRole("button", { name: "确认" }).click();
  // Refused by the server (too short): its reason in the dialog.
  await expect(page.getByRole("dialog").getByRole("alert")).toHaveText(withRequestId("操作未执行：密码：至少 10 个字符"));
  await page.getByLabel("初始密码（至少 10 个字符）（必填）").fill("long-enough-2026");
  await page.getByRole("button", { name: "确认" }).click();
  const row = page.locator(`#account-table tr[data-account="${name}"]`);
  await expect(row).toContainText("李监督");
  await expect(row).toContainText("监督人员");
  await expect(row).toContainText("正常");
  await page.screenshot({ path: `${shots}/console-accounts.png`, fullPage: true });
  await page.locator(`[data-action="disable-${name}"]`).click();
  await page.getByRole("button", { name: "确认" }).click();
  await expect(row).toContainText("已停用");
  // The disabled account cannot log in.
  const other = await browser.newContext();
  const login = await other.newPage();
  await login.goto(url() + "/login");
  await login.getByLabel("账号").fill(name);
  await login.getByLabel("密码").fill("long-enough-2026");
  await login.getByRole("button", { name: "登录" }).click();
  await expect(login.getByRole("alert")).toHaveText("账号或密码错误");
  await other.close();
  await context.close();
});

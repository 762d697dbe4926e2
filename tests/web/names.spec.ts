// Names people read (issue 21): a supervisor in the console and a
// responsible unit in the field app see the units directory's names and the
// region directory's names where they read, never the ids, and a deadline
// as the day it ends. Debian's Chromium against real binaries of this
// spec's own: rectify_server with the bureau's township file
// (config/regions_620722.txt) and a units directory made here through
// UnitService (the shared stack imports the demo directory but has no
// township file, so that the other specs' fresh township codes stay valid). The names expected are written here
// from config/units.demo.textproto and config/regions_620722.txt, not read
// from the app.
import { join, resolve } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { call, collectErrors, commandId, logIn } from "./console_api";
import { waitForServiceWorker } from "./field_helpers";
import { startStack, stopStack, type Stack } from "./stack_setup";

const root = resolve(__dirname, "..", "..");
const shots = process.env.RECTIFY_WEB_TEST_OUT ?? "/tmp/rectify-web-test-results";
const DAY = 86_400_000;
const BEIJING = 8 * 3600_000;

let stack: Stack;
let caseId: string;
let dueDay: string;

const units = [
  { unitId: "minle-hongshui-town", fullName: "洪水镇人民政府", shortName: "洪水镇", kind: "UNIT_KIND_TOWNSHIP", regionCode: "620722101" },
  { unitId: "minle-liuba-town", fullName: "六坝镇人民政府", shortName: "六坝镇", kind: "UNIT_KIND_TOWNSHIP", regionCode: "620722102" },
  { unitId: "minle-eeb", fullName: "张掖市生态环境局民乐分局", shortName: "民乐分局", kind: "UNIT_KIND_COUNTY_DEPARTMENT", regionCode: "620722" },
];
// 620722101 in config/regions_620722.txt, under 甘肃省张掖市民乐县 of GB/T 2260.
const HONGSHUI_REGION = "甘肃省张掖市民乐县洪水镇";
const MINLE = "甘肃省张掖市民乐县";

test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startStack([`--regions_file=${join(root, "config", "regions_620722.txt")}`]);
  for (const u of units) {
    await call("demo-supervisor", "UnitService/CreateUnit", {
      commandId: commandId(),
      unitId: u.unitId,
      details: { fullName: u.fullName, shortName: u.shortName, kind: u.kind, regionCode: u.regionCode },
    }, stack.url);
  }
  const reported = await call("demo-inspector", "CaseService/ReportCase", {
    commandId: commandId(),
    title: "砂石料场扬尘未覆盖",
    category: "CATEGORY_AIR",
    severity: "SEVERITY_MEDIUM",
    source: "CASE_SOURCE_INSPECTION",
    location: { regionCode: "620722101", address: "洪水镇 北滩村 砂石料场" },
    foundAt: new Date(Date.now() - 60_000).toISOString(),
  }, stack.url);
  caseId = reported.case.caseId;
  // Due at the end of the Beijing day 20 days from now: the next midnight.
  dueDay = new Date(Date.now() + BEIJING + 20 * DAY).toISOString().slice(0, 10);
  await call("demo-supervisor", "CaseService/AssignCase", {
    commandId: commandId(),
    caseId,
    responsibleUnit: "minle-hongshui-town",
    requirements: "覆盖料堆",
    rectificationDueAt: new Date(Date.parse(`${dueDay}T00:00:00+08:00`) + DAY).toISOString(),
  }, stack.url);
});

test.afterAll(async () => {
  if (stack) await stopStack(stack);
});

// No id of the directories where people read: no unit id, no township code.
async function expectNoIds(page: Page): Promise<void> {
  const text = await page.locator("body").innerText();
  for (const id of ["minle-", "620722101"]) expect(text, `page text holds ${id}`).not.toContain(id);
}

test("主管在工作台看到单位和区划的名称而不是编号，期限写作截止当日", async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  const errors = collectErrors(page);
  await logIn(page, "wangqiang", stack.url);
  await expect(page.locator("#who-unit")).toHaveText("张掖市生态环境局民乐分局");
  await expect(page.locator("#who-jurisdiction")).toHaveText(MINLE);

  // The dashboard's unit rows: the report's names.
  await expect(page.locator('tr[data-unit="minle-hongshui-town"] th')).toHaveText("洪水镇人民政府");
  await expectNoIds(page);
  await page.screenshot({ path: `${shots}/names-console-dashboard-desk.png`, fullPage: true });

  await page.goto(`${stack.url}/console/cases`);
  const row = page.locator(`tr[data-case="${caseId}"]`);
  await expect(row.locator(".unit-name")).toHaveText("洪水镇人民政府");
  await expect(row.locator(".unit-name")).toHaveAttribute("data-unit-id", "minle-hongshui-town");
  await expect(row.locator("td").nth(5)).toHaveText(dueDay);
  await expectNoIds(page);
  await page.screenshot({ path: `${shots}/names-console-case-list-desk.png`, fullPage: true });

  await page.goto(`${stack.url}/console/cases/${caseId}`);
  const facts = page.locator("#case-facts");
  await expect(facts.locator("div", { hasText: "行政区划" }).locator("dd")).toHaveText(HONGSHUI_REGION);
  await expect(facts.locator("div", { hasText: "责任单位" }).locator("dd")).toHaveText("洪水镇人民政府");
  await expect(facts.locator("div", { hasText: "整改期限" }).locator("dd")).toHaveText(dueDay);
  // The deadline table: the day it ends, the basis in Chinese.
  const deadline = page.locator("#deadlines tbody tr").first();
  await expect(deadline.locator("td").nth(1)).toHaveText(dueDay);
  await expect(deadline.locator("td").nth(2)).toHaveText("指定期限");
  await expect(page.locator("#timeline")).toContainText("张掖市生态环境局民乐分局");
  // The reassign dialog offers the directory's units by name, ids as values.
  await page.getByRole("button", { name: "改派" }).click();
  const picker = page.getByRole("dialog").getByLabel("新责任单位（必填）");
  // In pinyin order (hong, liu, zhang).
  await expect(picker.locator("option")).toHaveText(["请选择", "洪水镇人民政府", "六坝镇人民政府", "张掖市生态环境局民乐分局"]);
  expect(await picker.locator("option").evaluateAll((o) => o.map((x) => (x as HTMLOptionElement).value))).toEqual(["", "minle-hongshui-town", "minle-liuba-town", "minle-eeb"]);
  await page.getByRole("dialog").getByRole("button", { name: "取消" }).click();
  await expectNoIds(page);
  await page.screenshot({ path: `${shots}/names-console-case-page-desk.png`, fullPage: true });
  expect(errors).toEqual([]);
  await page.context().close();
});

test("责任单位在平板上看到单位和区划的名称而不是编号，期限写作截止当日", async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const errors = collectErrors(page);
  await logIn(page, "hongshui", stack.url);
  await expect(page.locator("#who-unit")).toHaveText("洪水镇人民政府");
  await expect(page.locator("#who-jurisdiction")).toHaveText(MINLE);
  await expect(page.getByText("砂石料场扬尘未覆盖")).toBeVisible();
  await expectNoIds(page);

  await page.goto(`${stack.url}/cases/${caseId}`);
  const facts = page.locator(".facts").first();
  await expect(facts.locator("div", { hasText: "行政区划" }).locator("dd")).toHaveText(HONGSHUI_REGION);
  await expect(facts.locator("div", { hasText: "责任单位" }).locator("dd")).toHaveText("洪水镇人民政府");
  await expect(facts.locator("div", { hasText: "整改期限" }).locator("dd")).toHaveText(dueDay);
  await expect(page.locator(".deadlines li").first()).toContainText(`到期 ${dueDay} `);
  await expectNoIds(page);
  await page.screenshot({ path: `${shots}/names-field-case-page-tablet.png`, fullPage: true });
  expect(errors).toEqual([]);
  await page.context().close();
});

test("离线时仍显示单位和区划的名称：联网登录后断网刷新，读到的名称保存在本机", async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await logIn(page, "hongshui", stack.url);
  await expect(page.locator("#who-unit")).toHaveText("洪水镇人民政府");
  await expect(page.locator("#who-jurisdiction")).toHaveText(MINLE);
  await page.goto(`${stack.url}/cases/${caseId}`);
  const facts = page.locator(".facts").first();
  await expect(facts.locator("div", { hasText: "行政区划" }).locator("dd")).toHaveText(HONGSHUI_REGION);
  await waitForServiceWorker(page);

  await context.setOffline(true);
  await page.reload();
  await expect(page.locator("#network")).toHaveText("离线");
  await expect(page.locator("#who-unit")).toHaveText("洪水镇人民政府");
  await expect(page.locator("#who-jurisdiction")).toHaveText(MINLE);
  await expect(facts.locator("div", { hasText: "责任单位" }).locator("dd")).toHaveText("洪水镇人民政府");
  await expect(facts.locator("div", { hasText: "行政区划" }).locator("dd")).toHaveText(HONGSHUI_REGION);
  await expectNoIds(page);
  await page.screenshot({ path: `${shots}/names-field-case-offline-phone.png`, fullPage: true });

  // Logout (online) takes the names off the device with the user's cases.
  await context.setOffline(false);
  await page.goto(`${stack.url}/`);
  await page.locator("#logout").click();
  await expect(page.getByLabel("账号")).toBeVisible();
  const kept = await page.evaluate(
    () =>
      new Promise<number>((done) => {
        const open = indexedDB.open("rectify-field");
        open.onsuccess = () => {
          const keys = open.result.transaction("meta").objectStore("meta").getAllKeys();
          keys.onsuccess = () => done(keys.result.filter((k) => String(k).startsWith("directory:")).length);
        };
      }),
  );
  expect(kept).toBe(0);
  await context.close();
});

test("选择器显示名称、提交编号：问题台账按单位和乡镇筛选，现场上报按名称选乡镇", async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  const errors = collectErrors(page);
  await logIn(page, "wangqiang", stack.url);
  await page.goto(`${stack.url}/console/cases`);
  // A unit by its id: its name beside; a township by its name: its code.
  const unit = page.getByLabel("责任单位");
  await unit.fill("minle-hongshui-town");
  await expect(page.locator("#f-unit-name")).toHaveText("洪水镇人民政府");
  const region = page.getByLabel("区域", { exact: true });
  await region.fill("洪水镇");
  await expect(region).toHaveValue("620722101");
  await expect(page.locator("#f-region-name")).toHaveText("洪水镇");
  // The lists: every township of config/regions_620722.txt by name, the
  // directory's units by name.
  const townships = await page.locator("#f-region-choices option").evaluateAll((o) => o.map((x) => [(x as HTMLOptionElement).value, (x as HTMLOptionElement).label]));
  expect(townships).toEqual([
    ["620722", "甘肃省张掖市民乐县（全辖区）"],
    ["620722101", "洪水镇"],
    ["620722102", "六坝镇"],
    ["620722103", "新天镇"],
    ["620722104", "南古镇"],
    ["620722105", "永固镇"],
    ["620722106", "三堡镇"],
    ["620722107", "南丰镇"],
    ["620722108", "民联镇"],
    ["620722109", "顺化镇"],
    ["620722110", "丰乐镇"],
    ["620722400", "民乐生态工业园区"],
  ]);
  const unitOptions = await page.locator("#f-unit-choices option").evaluateAll((o) => o.map((x) => [(x as HTMLOptionElement).value, (x as HTMLOptionElement).label]));
  expect(unitOptions).toEqual([
    ["minle-hongshui-town", "洪水镇人民政府"],
    ["minle-liuba-town", "六坝镇人民政府"],
    ["minle-eeb", "张掖市生态环境局民乐分局"],
  ]);
  await page.getByRole("button", { name: "查询" }).click();
  await expect(page).toHaveURL(/region=620722101/);
  await expect(page).toHaveURL(/unit=minle-hongshui-town/);
  await expect(page.locator(`tr[data-case="${caseId}"]`)).toBeVisible();
  await page.screenshot({ path: `${shots}/names-console-case-list-pickers-desk.png`, fullPage: true });

  // The field report form (a supervisor reports too): 行政区划 by name.
  await page.goto(`${stack.url}/report`);
  const where = page.getByLabel("行政区划（必填）");
  await expect(where).toHaveValue("620722");
  await expect(page.locator("#region-name")).toHaveText("甘肃省张掖市民乐县（全辖区）");
  await where.fill("六坝镇");
  await expect(where).toHaveValue("620722102");
  await expect(page.locator("#region-name")).toHaveText("六坝镇");
  await where.fill("620722105");
  await expect(page.locator("#region-name")).toHaveText("永固镇");
  expect(errors).toEqual([]);
  await page.context().close();
});

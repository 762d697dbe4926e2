// The responsible units directory page (责任单位目录, /console/units): a
// SUPERVISOR of Minle County lists the units by name with kind, region name
// and state, creates one picking its township by name, is refused with the
// server's Chinese reason (a taken id, an enterprise without its credit
// code, an edit that changes nothing), retires and brings back a unit; the
// contact phone shows to the SUPERVISOR (the server returns it) and not to
// an ADMIN (it does not); axe finds no serious violations. Its own stack
// with the bureau's township file (config/regions_620722.txt) and a
// directory made here through UnitService (the shared stack's demo
// directory would be changed under the other specs, and it has no township
// file). Expected names written here
// from config/regions_620722.txt and GB/T 2260, not read from the app.
import { join, resolve } from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { seriousViolations } from "./axe";
import { call, collectErrors, commandId, logIn } from "./console_api";
import { withRequestId } from "./request_id";
import { startStack, stopStack, type Stack } from "./stack_setup";

const root = resolve(__dirname, "..", "..");
const shots = process.env.RECTIFY_WEB_TEST_OUT ?? "/tmp/rectify-web-test-results";
const PHONE = "0936-4421234";

let stack: Stack;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  stack = await startStack([`--regions_file=${join(root, "config", "regions_620722.txt")}`]);
  const units = [
    { unitId: "minle-hongshui-town", details: { fullName: "洪水镇人民政府", shortName: "洪水镇", kind: "UNIT_KIND_TOWNSHIP", regionCode: "620722101", contact: { name: "李华", phone: PHONE } } },
    { unitId: "minle-liuba-town", details: { fullName: "六坝镇人民政府", shortName: "六坝镇", kind: "UNIT_KIND_TOWNSHIP", regionCode: "620722102" } },
    { unitId: "minle-eeb", details: { fullName: "张掖市生态环境局民乐分局", shortName: "民乐分局", kind: "UNIT_KIND_OTHER", regionCode: "620722" } },
  ];
  for (const u of units) await call("demo-supervisor", "UnitService/CreateUnit", { commandId: commandId(), ...u }, stack.url);
});

test.afterAll(async () => {
  if (stack) await stopStack(stack);
});

const row = (page: Page, id: string) => page.locator(`#unit-table tr[data-unit="${id}"]`);

async function openDialog(page: Page, button: string) {
  await page.locator(`button[data-action="${button}"]`).click();
  return page.getByRole("dialog");
}

test("主管管理责任单位目录：按名称列出、新建、撤销与恢复，拒绝时显示服务器的中文理由", async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 }, bypassCSP: true })).newPage();
  const errors = collectErrors(page);
  await logIn(page, "wangqiang", stack.url);
  await page.getByRole("link", { name: "责任单位目录" }).click();
  await expect(page.getByRole("heading", { name: "责任单位目录" })).toBeVisible();

  const hongshui = row(page, "minle-hongshui-town");
  await expect(hongshui.locator("th")).toHaveText("洪水镇人民政府");
  await expect(hongshui.locator("td").nth(1)).toHaveText("乡镇人民政府");
  await expect(hongshui.locator(".region-name")).toHaveText("甘肃省张掖市民乐县洪水镇");
  await expect(hongshui.locator(".contact-phone")).toHaveText(PHONE);
  await expect(hongshui.locator(".unit-state")).toHaveText("在用");
  await expect(row(page, "minle-eeb").locator(".region-name")).toHaveText("甘肃省张掖市民乐县");

  // A new unit, its township picked by name: the code goes to the server.
  let dialog = await openDialog(page, "create-unit");
  await dialog.getByLabel("单位编号", { exact: false }).fill("minle-sanbao-town");
  await dialog.getByLabel("单位全称（必填）").fill("三堡镇人民政府");
  await dialog.getByLabel("简称").fill("三堡镇");
  const region = dialog.getByLabel("所在区划（必填）");
  await region.fill("三堡镇");
  await expect(region).toHaveValue("620722106");
  await expect(dialog.locator("#dlg-create-unit-region-name")).toHaveText("三堡镇");
  await dialog.getByRole("button", { name: "确认" }).click();
  await expect(page.locator("#units-message")).toHaveText("单位已新建");
  await expect(row(page, "minle-sanbao-town").locator(".region-name")).toHaveText("甘肃省张掖市民乐县三堡镇");

  // Refusals, in the dialog, in the server's words.
  dialog = await openDialog(page, "create-unit");
  await dialog.getByLabel("单位编号", { exact: false }).fill("minle-hongshui-town");
  await dialog.getByLabel("单位全称（必填）").fill("洪水镇人民政府");
  await dialog.getByRole("button", { name: "确认" }).click();
  await expect(dialog.getByRole("alert")).toHaveText(withRequestId("操作未执行：单位编号 minle-hongshui-town 已存在"));
  await dialog.getByLabel("单位编号", { exact: false }).fill("minle-brick");
  await dialog.getByLabel("单位全称（必填）").fill("民乐县某砖厂");
  await dialog.getByLabel("类别").selectOption({ label: "企业" });
  await dialog.getByRole("button", { name: "确认" }).click();
  await expect(dialog.getByRole("alert")).toContainText("企业须填写统一社会信用代码");
  await dialog.getByRole("button", { name: "取消" }).click();
  dialog = await openDialog(page, "edit-minle-eeb");
  await dialog.getByRole("button", { name: "确认" }).click();
  await expect(dialog.getByRole("alert")).toContainText("单位信息没有变化");
  await dialog.getByRole("button", { name: "取消" }).click();

  // Retire: gone from the active list, shown with 已撤销 beside the others.
  dialog = await openDialog(page, "retire-minle-liuba-town");
  await dialog.getByLabel("理由（必填）").fill("机构调整，职责并入洪水镇");
  await dialog.getByRole("button", { name: "确认" }).click();
  await expect(page.locator("#units-message")).toHaveText("「撤销」已完成");
  await expect(row(page, "minle-liuba-town")).toHaveCount(0);
  await page.getByLabel("显示已撤销的单位").check();
  await expect(row(page, "minle-liuba-town").locator(".unit-state")).toHaveText("已撤销");
  expect(await seriousViolations(page, "units directory")).toEqual([]);
  await page.screenshot({ path: `${shots}/console-units-desk.png`, fullPage: true });
  dialog = await openDialog(page, "reactivate-minle-liuba-town");
  await dialog.getByLabel("理由（必填）").fill("恢复设立");
  await dialog.getByRole("button", { name: "确认" }).click();
  await expect(row(page, "minle-liuba-town").locator(".unit-state")).toHaveText("在用");

  // The dialog's picker, opened: axe on it too.
  await openDialog(page, "edit-minle-hongshui-town");
  await expect(page.getByRole("dialog").getByLabel("联系电话")).toHaveValue(PHONE);
  expect(await seriousViolations(page, "units directory, edit dialog")).toEqual([]);
  await page.getByRole("dialog").getByRole("button", { name: "取消" }).click();
  // The taken id's refusal (ALREADY_EXISTS) is a 409 the browser logs.
  expect(errors.filter((e) => !e.includes("status of 409"))).toEqual([]);
  await page.context().close();
});

test("管理员看到责任单位目录但看不到联系电话（服务器不返回）", async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  const errors = collectErrors(page);
  await logIn(page, "yunwei", stack.url);
  await page.getByRole("link", { name: "责任单位目录" }).click();
  await expect(row(page, "minle-hongshui-town").locator("th")).toHaveText("洪水镇人民政府");
  await expect(page.locator("#unit-table thead")).not.toContainText("联系电话");
  expect(await page.locator("body").innerText()).not.toContain(PHONE);
  expect(errors).toEqual([]);
  await page.context().close();
});

// The admin's console beyond accounts, Debian's Chromium against the real
// binaries: the open sessions of an account (ListSessions) with the device
// it was opened on, one ended (RevokeSession) after a confirmation, after
// which that browser is logged out; 系统运维: the server's health (the
// gateway's /healthz), an online backup into a directory of this test
// (whose RocksDB backup files are then there under the id the page shows),
// a relative directory refused with the server's reason, and a verify of
// the store that finds nothing wrong.
import { existsSync, mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { withRequestId } from "./request_id";
import { call, collectErrors, commandId, logIn, PASSWORD, url } from "./console_api";

const shots = process.env.RECTIFY_WEB_TEST_OUT ?? "/tmp/rectify-web-test-results";

test("系统管理员：查看并结束某账号的在线会话，该设备随即退出登录", async ({ browser }) => {
  const name = `sess-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
  await call("demo-admin", "AdminService/CreateAccount", {
    commandId: commandId(),
    accountName: name,
    displayName: "刘调度",
    role: "ROLE_SUPERVISOR",
    unitId: "minle-eeb",
    jurisdiction: "620722",
    password: PASSWORD,
  });
  // The account logs in on a named device.
  const user = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  await user.goto(url() + "/login");
  await user.getByLabel("账号").fill(name);
  await user.getByLabel("密码").fill(PASSWORD);
  await user.getByLabel("设备名称（可选）").fill("调度室平板-2号");
  await user.getByRole("button", { name: "登录" }).click();
  await expect(user.locator("#who-name")).toHaveText("刘调度");

  const admin = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  const errors = collectErrors(admin);
  await logIn(admin, "yunwei");
  await admin.locator(`[data-action="sessions-${name}"]`).click();
  const sessions = admin.locator("#sessions");
  await expect(sessions.getByRole("heading")).toHaveText(`账号 ${name} 的在线会话`);
  const rows = sessions.locator("#session-table tbody tr");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("调度室平板-2号");
  await admin.screenshot({ path: `${shots}/console-sessions.png`, fullPage: true });

  // Cancel changes nothing; confirm ends it.
  await rows.first().getByRole("button", { name: "结束会话" }).click();
  await expect(admin.getByRole("dialog")).toContainText("结束账号");
  await admin.getByRole("button", { name: "取消" }).click();
  expect((await call("demo-admin", "AdminService/ListSessions", { accountName: name })).sessions ?? []).toHaveLength(1);
  await rows.first().getByRole("button", { name: "结束会话" }).click();
  await admin.getByRole("button", { name: "确认" }).click();
  await expect(admin.locator("#accounts-message")).toHaveText(`账号 ${name} 的一个会话已结束`);
  await expect(sessions).toContainText("该账号当前没有在线会话");
  expect((await call("demo-admin", "AdminService/ListSessions", { accountName: name })).sessions ?? []).toHaveLength(0);

  // That device is logged out: the next page it opens is the login.
  await user.reload();
  await expect(user.getByLabel("账号")).toBeVisible();
  await expect(user.locator("#who-name")).toHaveCount(0);
  expect(errors).toEqual([]);
  await user.context().close();
  await admin.context().close();
});

test("系统运维：服务器状态、在线备份（目录中有备份文件）、相对路径被拒绝、数据校验通过", async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  const errors = collectErrors(page);
  await logIn(page, "yunwei");
  await page.getByRole("link", { name: "系统运维" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("系统运维");
  await expect(page.locator("#server-health")).toContainText("● 服务器运行正常");

  // A relative directory: refused by the server, its reason in the dialog.
  await page.getByRole("button", { name: "在线备份" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("备份目录（服务器上的绝对路径）（必填）").fill("backups/today");
  await dialog.getByRole("button", { name: "确认" }).click();
  await expect(dialog.getByRole("alert")).toHaveText(withRequestId("操作未执行：备份目录：须为服务器上的绝对路径（以 / 开头）"));
  await expect(page.locator("#backup-result")).toHaveText("");

  // Every value the progress bars take (recorded in the page as they
  // change): the streamed RPCs' Progress messages, then the filled bar.
  await page.evaluate(() => {
    const seen: [string, number, number][] = [];
    (window as any).progressSeen = seen;
    new MutationObserver(() => {
      for (const id of ["backup-progress", "verify-progress"]) {
        const bar = document.getElementById(id) as HTMLProgressElement | null;
        if (bar && bar.hasAttribute("value")) seen.push([id, bar.value, bar.max]);
      }
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["value", "max"] });
  });
  const dir = join(mkdtempSync(join(tmpdir(), "console-backup-")), "rectify");
  await dialog.getByLabel("备份目录（服务器上的绝对路径）（必填）").fill(dir);
  await dialog.getByRole("button", { name: "确认" }).click();
  await expect(page.locator("#backup-result")).toContainText("备份完成");
  // The bar (CreateBackupWithProgress through the gateway's Connect stream)
  // ends full, after values that never went back.
  await expect(page.locator("#backup-progress-text")).toHaveText("已完成（100%）");
  const bar = page.getByRole("progressbar", { name: "备份进度" });
  await expect(bar).toBeVisible();
  expect(await bar.evaluate((b) => (b as HTMLProgressElement).value === (b as HTMLProgressElement).max)).toBe(true);
  const id = (await page.locator("#backup-id").textContent()) as string;
  expect(Number(id)).toBeGreaterThan(0);
  // RocksDB's BackupEngine keeps the backup's description in meta/<id>.
  expect(existsSync(join(dir, "meta", id))).toBe(true);
  expect(readdirSync(dir).length).toBeGreaterThan(1);

  await page.getByRole("button", { name: "校验数据库" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "确认" }).click();
  await expect(page.locator("#verify-summary")).toHaveText(/^校验通过：\d+ 个记录流、\d+ 条事件，未发现不一致。$/);
  await expect(page.locator("#verify-progress-text")).toHaveText("已完成（100%）");
  const verifyBar = page.getByRole("progressbar", { name: "校验进度" });
  expect(await verifyBar.evaluate((b) => (b as HTMLProgressElement).value === (b as HTMLProgressElement).max)).toBe(true);
  // Events: the bar's total is the verify's event count (VerifyStoreUpdate's
  // progress counts events of the snapshot, exactly).
  const events = Number(/、(\d+) 条事件/.exec((await page.locator("#verify-summary").textContent()) as string)?.[1]);
  const seen = (await page.evaluate(() => (window as any).progressSeen)) as [string, number, number][];
  for (const id of ["backup-progress", "verify-progress"]) {
    const values = seen.filter(([which]) => which === id);
    expect(values.length, id).toBeGreaterThan(0);
    for (let i = 1; i < values.length; i++) expect(values[i][1] / values[i][2], id).toBeGreaterThanOrEqual(values[i - 1][1] / values[i - 1][2]);
    expect(values[values.length - 1][1], id).toBe(values[values.length - 1][2]);
  }
  // Once a Progress message came (a store this small may finish first), the
  // bar counts the same events as the result.
  const verifyMax = await verifyBar.evaluate((b) => (b as HTMLProgressElement).max);
  if (verifyMax > 1) expect(verifyMax).toBe(events);
  await page.screenshot({ path: `${shots}/console-operations.png`, fullPage: true });
  expect(errors).toEqual([]);
  await page.context().close();
});

// The login page and the shell in Debian's Chromium against the real
// rectify_web and rectify_server: log in with a demo account, see who is
// logged in, log out; a wrong password (or an unknown account) shows the
// same Chinese message. Screenshots go to the test output folder.
import { expect, test, type Page } from "@playwright/test";

const url = () => process.env.RECTIFY_WEB_URL as string;
const shots = process.env.RECTIFY_WEB_TEST_OUT ?? "/tmp/rectify-web-test-results";
const WRONG = "账号或密码错误";

// Every CSP violation or script error the page reports. (The 401 of
// WhoAmI while logged out is how the app learns it must show the login
// page; Chromium logs it as a failed resource, which is not an error here.)
function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    const text = message.text();
    if (message.type() === "error" && !text.includes("status of 401")) errors.push(text);
  });
  page.on("pageerror", (error) => errors.push(error.message));
  return errors;
}

async function logIn(page: Page, account: string, password: string): Promise<void> {
  await page.getByLabel("账号").fill(account);
  await page.getByLabel("密码").fill(password);
  await page.getByLabel("设备名称（可选）").fill("测试平板 01");
  await page.getByRole("button", { name: "登录" }).click();
}

test("登录后显示姓名、角色、单位和辖区，退出后回到登录页", async ({ page, context }) => {
  const errors = collectErrors(page);
  await page.goto(url());
  await expect(page).toHaveURL(/\/login$/);
  await expect(page.getByRole("heading", { name: "生态环境问题整改系统" })).toBeVisible();
  await expect(page.getByLabel("账号")).toBeFocused();
  await page.screenshot({ path: `${shots}/login.png` });

  await logIn(page, "wangqiang", "rectify-demo-2026");
  await expect(page.locator("#who-name")).toHaveText("王强");
  await expect(page.locator("#who-role")).toHaveText("科室负责人");
  await expect(page.locator("#who-unit")).toHaveText("张掖市生态环境局民乐分局");
  // The jurisdiction by its name (UnitService.GetRegionNames), not its code.
  await expect(page.locator("#who-jurisdiction")).toHaveText("甘肃省张掖市民乐县");
  // A supervisor lands on the supervision console (src/console/).
  await expect(page).toHaveURL(url() + "/console");
  await page.screenshot({ path: `${shots}/shell.png` });

  // The session is an HttpOnly, SameSite=Strict cookie page scripts cannot read.
  const cookies = await context.cookies();
  const session = cookies.find((c) => c.name === "rectify_session");
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Strict");
  expect(await page.evaluate(() => document.cookie)).toBe("");

  // A reload keeps the session.
  await page.reload();
  await expect(page.locator("#who-name")).toHaveText("王强");

  // What the app keeps for offline use (IndexedDB "rectify-field", store
  // "meta": who is logged in and the work list) is there while logged in...
  const metaKeys = () =>
    page.evaluate(
      () =>
        new Promise<string[]>((resolve, reject) => {
          const open = indexedDB.open("rectify-field");
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const keys = open.result.transaction("meta").objectStore("meta").getAllKeys();
            keys.onsuccess = () => resolve((keys.result as string[]).sort());
            keys.onerror = () => reject(keys.error);
          };
        }),
    );
  await expect.poll(metaKeys).toContain("principal");
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page.getByLabel("账号")).toBeVisible();
  // ...and gone after logout (a shared tablet shows nobody's cases offline).
  expect(await metaKeys()).toEqual([]);
  await expect
    .poll(async () => (await context.cookies()).find((c) => c.name === "rectify_session"))
    .toBeUndefined();
  await page.reload();
  await expect(page.getByLabel("账号")).toBeVisible();
  expect(errors).toEqual([]);
});

test("密码错误与账号不存在显示同一中文提示", async ({ page }) => {
  await page.goto(url() + "/login");
  await logIn(page, "wangqiang", "not-the-password");
  await expect(page.getByRole("alert")).toHaveText(WRONG);
  await expect(page.getByLabel("密码")).toBeFocused();
  await page.screenshot({ path: `${shots}/wrong-password.png` });

  await logIn(page, "no-such-account", "not-the-password");
  await expect(page.getByRole("alert")).toHaveText(WRONG);
  await expect(page.locator("#who-name")).toHaveCount(0);
});

test("竖屏平板上登录页可用，空白提交给出提示", async ({ page }) => {
  await page.setViewportSize({ width: 768, height: 1024 });
  await page.goto(url());
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("alert")).toHaveText("请输入账号和密码");
  await expect(page.getByLabel("账号")).toBeFocused();
  const box = await page.getByRole("button", { name: "登录" }).boundingBox();
  expect(box?.height).toBeGreaterThanOrEqual(44); // a finger-sized target
  await page.screenshot({ path: `${shots}/login-portrait.png` });
});

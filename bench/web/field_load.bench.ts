// How long the field app takes to show the work list, in Debian's Chromium
// against the real binaries on loopback, median of 5 each, side by side in
// one run:
//   - login page, cold (a new browser context: no cache, no service worker):
//     the pre-issue-14 app, the baseline for
//   - first load, cold, logged in: from navigation to the list's count;
//   - reload online with the service worker installed: the baseline for
//   - reopen offline (context offline, reload): the shell from the service
//     worker, the list from IndexedDB.
// Prints one line per figure; docs/benchmarks.md ("Field app") has them.
import { expect, test, type Browser } from "@playwright/test";

const url = () => process.env.RECTIFY_WEB_URL as string;
const ROUNDS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function loggedInState(browser: Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url() + "/login");
  await page.getByLabel("账号").fill("zhangwei");
  await page.getByLabel("密码").fill("rectify-demo-2026");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.getByRole("heading", { name: "今日工作" })).toBeVisible();
  const state = await context.storageState();
  await context.close();
  return { cookies: state.cookies, origins: [] };
}

test("field app: first load and offline reopen", async ({ browser }) => {
  const login: number[] = [];
  const first: number[] = [];
  const online: number[] = [];
  const offline: number[] = [];
  const state = await loggedInState(browser);
  for (let i = 0; i < ROUNDS; i++) {
    const bare = await browser.newContext();
    const loginPage = await bare.newPage();
    let t = Date.now();
    await loginPage.goto(url() + "/login");
    await expect(loginPage.getByLabel("账号")).toBeVisible();
    login.push(Date.now() - t);
    await bare.close();

    const context = await browser.newContext({ storageState: state });
    const page = await context.newPage();
    t = Date.now();
    await page.goto(url() + "/");
    await expect(page.getByText(/^共 \d+ 件$/)).toBeVisible();
    first.push(Date.now() - t);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    t = Date.now();
    await page.reload();
    await expect(page.getByText(/^共 \d+ 件$/)).toBeVisible();
    online.push(Date.now() - t);

    await context.setOffline(true);
    t = Date.now();
    await page.reload();
    await expect(page.getByText(/^离线：显示 .* 保存的列表，共 \d+ 件$/)).toBeVisible();
    offline.push(Date.now() - t);
    await context.close();
  }
  console.log(`login page, cold:          median ${median(login)} ms  (${login.join(", ")})`);
  console.log(`work list, first load:     median ${median(first)} ms  (${first.join(", ")})`);
  console.log(`work list, reload online:  median ${median(online)} ms  (${online.join(", ")})`);
  console.log(`work list, reopen offline: median ${median(offline)} ms  (${offline.join(", ")})`);
});

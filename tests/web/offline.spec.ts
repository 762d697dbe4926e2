// Offline, exactly once, in Debian's Chromium against the real binaries:
// with the network cut (context.setOffline) commands wait in the outbox as
// 待同步 with their photos; a reload while offline still opens the app (the
// service worker's shell, the cached user and cases) with the queue intact;
// back online, the queue syncs: each command applied once on the server,
// the photos' hashes equal sha256sum of the fixtures; a queued command the
// case has moved past is refused and shown with its reason, kept until the
// user drops it.
import { expect, test } from "@playwright/test";
import { withRequestId } from "./request_id";
import {
  allCases,
  api,
  assignedCase,
  collectErrors,
  expectNothingCut,
  fillReport,
  fixture,
  goOffline,
  logIn,
  PHONE,
  sha256File,
  shots,
  TABLET,
  unique,
  url,
  waitForServiceWorker,
} from "./field_helpers";

test.describe("离线上报（phone）", () => {
  test.use({ viewport: PHONE });

  test("离线上报带照片的案件，离线刷新后仍在，联网后只同步一次", async ({ page }) => {
    const errors = collectErrors(page);
    const title = `夜间焚烧垃圾 ${unique("offline")}`;
    await logIn(page, "zhangwei");
    await expect(page.getByRole("heading", { name: "今日工作" })).toBeVisible();
    await waitForServiceWorker(page);

    await goOffline(page);
    await page.getByRole("link", { name: "现场上报" }).first().click();
    await fillReport(page, title, "大气污染", fixture("site-river.png"));
    await expect(page.locator(".photo .sha256")).toHaveText(sha256File(fixture("site-river.png")));
    await page.getByRole("button", { name: "提交上报" }).click();

    await expect(page).toHaveURL(/\/outbox$/);
    const item = page.locator(".queue-item");
    await expect(item).toHaveCount(1);
    await expect(item).toContainText(`上报案件：${title}`);
    await expect(item.locator(".badge")).toHaveText("待同步");
    await expect(item).toContainText(sha256File(fixture("site-river.png")));
    await expect(page.locator("#queue-link")).toHaveText("待同步 1");
    await expectNothingCut(page);
    await page.screenshot({ path: `${shots}/queue-phone.png`, fullPage: true });

    // A reload with no network: the shell from the service worker, the
    // user from this device, the queue from IndexedDB.
    await page.reload();
    await expect(page.locator("#who-name")).toHaveText("张伟");
    await expect(page.locator("#network")).toHaveText("离线");
    await expect(page.locator(".queue-item")).toContainText(`上报案件：${title}`);
    await page.getByRole("link", { name: "今日工作" }).click();
    await expect(page.locator(".case-row.queued")).toContainText(title);
    await expect(page.locator(".case-row.queued .badge")).toHaveText("待同步");
    expect((await allCases()).filter((c) => c.title === title)).toHaveLength(0);

    await page.context().setOffline(false);
    await page.getByRole("link", { name: /待同步/ }).click();
    await expect(page.locator("#queue-summary")).toHaveText("所有操作均已同步");
    await expect(page.locator("#queue-link")).toHaveText("待同步 0");

    // Exactly one case on the server, with the photo as taken.
    const held = (await allCases()).filter((c) => c.title === title);
    expect(held).toHaveLength(1);
    const full = (await api("CaseService", "GetCase", "demo-supervisor", { caseId: held[0].caseId })).case;
    expect(full.location.point).toEqual({ latitude: 38.45, longitude: 100.83 });
    expect(full.evidence.map((e: { sha256: string }) => e.sha256)).toEqual([sha256File(fixture("site-river.png"))]);

    // Another sync (a reload, coming online again) sends nothing twice.
    await page.reload();
    await page.context().setOffline(true);
    await page.context().setOffline(false);
    await expect(page.locator("#queue-summary")).toHaveText("所有操作均已同步");
    expect((await allCases()).filter((c) => c.title === title)).toHaveLength(1);
    await page.getByRole("link", { name: "今日工作" }).click();
    await expect(page.locator(`.case-row[data-case-id="${held[0].caseId}"]`)).toContainText(title);
    expect(errors).toEqual([]);
  });
});

test.describe("离线整改（tablet）", () => {
  test.use({ viewport: TABLET });

  test("离线报告进展与开始整改；联网后进展只记一次，已被处理的开始整改显示拒绝原因", async ({ page }) => {
    const errors = collectErrors(page);
    const progressCase = await assignedCase(`离线进展 ${unique("p")}`);
    await api("CaseService", "StartRectification", "demo-rectifier", { commandId: unique("start"), caseId: progressCase });
    const startCase = await assignedCase(`离线开始 ${unique("s")}`);
    await logIn(page, "hongshui");
    await waitForServiceWorker(page);
    // The unit's list has loaded (and so is kept on this device) before
    // the spec leaves it; under load that can take longer than the
    // navigation below.
    await expect(page.getByText(/^共 \d+ 件$/)).toBeVisible();
    // Open both cases online, so that this device keeps them.
    await page.goto(`${url()}/cases/${progressCase}`);
    await expect(page.locator("#case-status")).toHaveText("整改中");
    await page.goto(`${url()}/cases/${startCase}`);
    await expect(page.locator("#case-status")).toHaveText("已交办");

    await goOffline(page);
    await page.getByRole("link", { name: "开始整改" }).click();
    await page.getByLabel("备注").fill("离线时开始");
    await page.getByRole("button", { name: "提交" }).click();
    await expect(page).toHaveURL(/\/outbox$/);
    await page.getByRole("link", { name: "本单位案件" }).click();
    await page.locator(`.case-row[data-case-id="${progressCase}"]`).getByRole("link").click();
    await expect(page.locator("body")).toContainText("离线：显示");
    await page.getByRole("link", { name: "报告进展" }).click();
    await page.getByLabel("进展情况（必填）").fill("离线记录：围挡已完成");
    await page.getByLabel("完成比例（%）").fill("40");
    await page.locator("#progress-photos").setInputFiles(fixture("site-dust.png"));
    await page.getByRole("button", { name: "提交" }).click();
    await expect(page.locator(".queue-item")).toHaveCount(2);
    await expect(page.locator(".queue-item .badge")).toHaveText(["待同步", "待同步"]);
    await expectNothingCut(page);
    await page.screenshot({ path: `${shots}/queue-tablet.png`, fullPage: true });

    // Meanwhile someone else of the unit starts that case online.
    await api("CaseService", "StartRectification", "demo-rectifier", { commandId: unique("other"), caseId: startCase });
    await page.reload();
    await expect(page.locator(".queue-item")).toHaveCount(2);

    await page.context().setOffline(false);
    const refused = page.locator(".queue-item.refused");
    await expect(refused).toHaveCount(1);
    await expect(page.locator(".queue-item")).toHaveCount(1);
    await expect(refused).toContainText("开始整改");
    // The server's own Chinese reason, word for word, and the request id
    // to quote to the operator.
    await expect(refused.getByRole("alert")).toHaveText(
      withRequestId(
        `案件 ${startCase} 当前为“整改中”，只有“已交办”的案件才能开始整改。` +
          "当前可以：报告整改进展、申请或审批延期、提交整改完成、验收已提交的整改、提议移送、记录证据",
      ),
    );
    await expect(page.locator("#queue-link")).toHaveText("待同步 1（1 条被拒绝）");
    await page.screenshot({ path: `${shots}/queue-refused-tablet.png`, fullPage: true });

    const held = (await api("CaseService", "GetCase", "demo-supervisor", { caseId: progressCase })).case;
    expect(held.progressReports).toHaveLength(1);
    expect(held.progressReports[0].text).toBe("离线记录：围挡已完成");
    expect(held.evidence.map((e: { sha256: string }) => e.sha256)).toEqual([sha256File(fixture("site-dust.png"))]);
    const history = (await api("CaseService", "GetCaseHistory", "demo-supervisor", { caseId: startCase })).events;
    expect(history.filter((e: object) => "rectificationStarted" in e)).toHaveLength(1);

    // The refused command stays until the user drops it.
    page.once("dialog", (dialog) => void dialog.accept());
    await refused.getByRole("button", { name: "删除" }).click();
    await expect(page.locator("#queue-summary")).toHaveText("所有操作均已同步");
    // The one refusal (failed_precondition is HTTP 400 in Connect), logged by Chromium.
    expect(errors).toEqual(["Failed to load resource: the server responded with a status of 400 (Bad Request)"]);
  });
});

test.describe("登录过期（tablet）", () => {
  test.use({ viewport: TABLET });

  test("同步时登录已过期：队列保留，重新登录后继续同步且只同步一次", async ({ page }) => {
    const title = `河道倾倒建筑垃圾 ${unique("expired")}`;
    await logIn(page, "zhangwei");
    await waitForServiceWorker(page);
    await goOffline(page);
    await page.getByRole("link", { name: "现场上报" }).first().click();
    await page.getByLabel("问题标题（必填）").fill(title);
    await page.getByLabel("类别（必填）").selectOption({ label: "固体废物" });
    await page.getByLabel("严重程度（必填）").selectOption({ label: "一般" });
    await page.getByRole("button", { name: "提交上报" }).click();
    await expect(page.locator(".queue-item")).toContainText(`上报案件：${title}`);

    // The session ends while the tablet is offline (its cookie is gone).
    await page.context().clearCookies();
    await page.context().setOffline(false);
    await expect(page.locator("#sync-text")).toHaveText("登录已过期，待同步的操作已保留，请重新登录后继续同步");
    await expect(page.locator(".queue-item")).toContainText(`上报案件：${title}`);
    expect((await allCases()).filter((c) => c.title === title)).toHaveLength(0);

    await page.getByRole("button", { name: "重新登录" }).click();
    await page.getByLabel("账号").fill("zhangwei");
    await page.getByLabel("密码").fill("rectify-demo-2026");
    await page.getByRole("button", { name: "登录" }).click();
    await expect(page).toHaveURL(/\/outbox$/);
    await expect(page.locator("#queue-summary")).toHaveText("所有操作均已同步");
    expect((await allCases()).filter((c) => c.title === title)).toHaveLength(1);
  });
});

test.describe("离线查看证据照片（phone）", () => {
  test.use({ viewport: PHONE });

  test("联网看过的案件，离线时照片仍可查看；退出登录后本机不再保留", async ({ page }) => {
    const errors = collectErrors(page);
    const title = `河岸倾倒垃圾 ${unique("photo")}`;
    await logIn(page, "zhangwei");
    await waitForServiceWorker(page);
    // Report a case with a photo online; the case page that opens shows it.
    await page.getByRole("link", { name: "现场上报" }).first().click();
    await page.getByLabel("问题标题（必填）").fill(title);
    await page.getByLabel("类别（必填）").selectOption({ label: "固体废物" });
    await page.getByLabel("严重程度（必填）").selectOption({ label: "一般" });
    await page.locator("#photos").setInputFiles(fixture("site-cover.png"));
    await page.getByRole("button", { name: "提交上报" }).click();
    await expect(page).toHaveURL(/\/cases\/620722-\d{4}-\d{6}$/);
    const image = page.locator(".evidence img").first();
    await expect.poll(() => image.evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBe(320);

    // Offline, a reload opens the case from this device with its photo: the
    // bytes the page gets are the photo's (hashed in the page, compared with
    // sha256sum of the fixture here).
    await goOffline(page);
    await page.reload();
    await expect(page.locator("body")).toContainText("离线：显示");
    await expect(page.locator("#case-title")).toHaveText(title);
    await expect.poll(() => image.evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBe(320);
    const digest = await image.evaluate(async (i) => {
      const bytes = await (await fetch((i as HTMLImageElement).src)).arrayBuffer();
      const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
      return Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("");
    });
    expect(digest).toBe(sha256File(fixture("site-cover.png")));
    await expectNothingCut(page);
    await page.screenshot({ path: `${shots}/case-offline-photo-phone.png`, fullPage: true });

    // Logging out takes the kept photos off the device.
    await page.context().setOffline(false);
    expect(await page.evaluate(() => caches.has("rectify-evidence"))).toBe(true);
    await page.getByRole("button", { name: "退出登录" }).click();
    await expect(page.getByLabel("账号")).toBeVisible();
    expect(await page.evaluate(() => caches.has("rectify-evidence"))).toBe(false);
    expect(errors).toEqual([]);
  });
});

// The upload progress bar while a queued photo syncs, in Debian's Chromium
// against the real binaries: a report with a photo queued offline; back
// online, the photo's upload is held at the browser (Playwright routing, no
// timing) while the status bar's progress bar (role progressbar, 上传进度)
// is checked shown at its start; released, the bar ends at complete (value
// 1, as recorded by a MutationObserver in the page) before it goes away,
// and the server holds the photo as taken.
import { expect, test } from "@playwright/test";
import { allCases, api, fixture, logIn, PHONE, sha256File, unique, waitForServiceWorker } from "./field_helpers";

test.describe("照片上传进度（phone）", () => {
  test.use({ viewport: PHONE });

  test("同步离线照片时显示上传进度，直至完成", async ({ page }) => {
    const title = `秸秆露天焚烧 ${unique("progress")}`;
    await logIn(page, "zhangwei");
    await waitForServiceWorker(page);
    await page.context().setOffline(true);
    await expect(page.locator("#network")).toHaveText("离线");
    await page.getByRole("link", { name: "现场上报" }).first().click();
    await page.getByLabel("问题标题（必填）").fill(title);
    await page.getByLabel("类别（必填）").selectOption({ label: "大气污染" });
    await page.getByLabel("严重程度（必填）").selectOption({ label: "一般" });
    await page.locator("#photos").setInputFiles(fixture("site-river.png"));
    await page.getByRole("button", { name: "提交上报" }).click();
    await expect(page.locator(".queue-item")).toContainText(`上报案件：${title}`);

    // Hold the photo's upload until the bar has been seen.
    let release: () => void = () => undefined;
    const released = new Promise<void>((r) => (release = r));
    let held = 0;
    await page.context().route(
      (u) => u.pathname.startsWith("/evidence/"),
      async (route) => {
        if (route.request().method() !== "PUT") return route.continue();
        held++;
        await released;
        await route.continue();
      },
    );
    const bar = page.getByRole("progressbar", { name: "上传进度", exact: true });
    await expect(bar).toBeHidden();
    await page.context().setOffline(false);
    await expect(bar).toBeVisible();
    await expect(page.locator("#sync-text")).toContainText("正在上传照片 1/1");
    expect(held).toBe(1);
    // Record every value the bar takes from here on, and when it hides.
    await bar.evaluate((element) => {
      const progress = element as HTMLProgressElement;
      const log: string[] = [`value ${progress.value}`];
      (window as unknown as { barLog: string[] }).barLog = log;
      new MutationObserver(() => log.push(progress.hidden ? "hidden" : `value ${progress.value}`)).observe(progress, {
        attributes: true,
        attributeFilter: ["value", "hidden"],
      });
    });
    release();
    await expect(page.locator("#queue-summary")).toHaveText("所有操作均已同步");
    await expect(bar).toBeHidden();
    const log = await page.evaluate(() => (window as unknown as { barLog: string[] }).barLog);
    expect(log[log.length - 1]).toBe("hidden");
    expect(log[log.indexOf("hidden") - 1]).toBe("value 1");

    const cases = (await allCases()).filter((c) => c.title === title);
    expect(cases).toHaveLength(1);
    const full = (await api("CaseService", "GetCase", "demo-supervisor", { caseId: cases[0].caseId })).case;
    expect(full.evidence.map((e: { sha256: string }) => e.sha256)).toEqual([sha256File(fixture("site-river.png"))]);
  });
});

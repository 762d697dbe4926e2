// A case reported offline, in Debian's Chromium against the real binaries:
// it has a local id until its report is synced. Its page (opened from the
// queue) shows the facts as reported and offers 补充照片; the added photo is
// queued behind the report under the local id, survives a reload offline,
// and once online is recorded against the real case id (the server's
// history holds its EvidenceRecorded with the fixture's sha256sum, computed
// here from the file).
import { expect, test } from "@playwright/test";
import { allCases, api, collectErrors, expectNothingCut, fillReport, fixture, goOffline, logIn, sha256File, TABLET, unique, url, waitForServiceWorker } from "./field_helpers";

test.describe("未同步案件补充照片（tablet）", () => {
  test.use({ viewport: TABLET });

  test("离线上报后在本地编号的案件页补充照片，离线刷新后仍在，联网后照片记在正式编号下", async ({ page }) => {
    const errors = collectErrors(page);
    const title = `河道排污 ${unique("localid")}`;
    const riverHash = sha256File(fixture("site-river.png"));
    const dustHash = sha256File(fixture("site-dust.png"));
    await logIn(page, "zhangwei");
    await expect(page.getByRole("heading", { name: "今日工作" })).toBeVisible();
    await waitForServiceWorker(page);

    await goOffline(page);
    await page.getByRole("link", { name: "现场上报" }).first().click();
    await fillReport(page, title, "水污染", fixture("site-river.png"));
    await page.getByLabel("地址", { exact: true }).fill("黑河东岸排污口");
    await expect(page.locator(".photo .sha256")).toHaveText(riverHash);
    await page.getByRole("button", { name: "提交上报" }).click();
    await expect(page).toHaveURL(/\/outbox$/);
    await expect(page.locator(".queue-item")).toHaveCount(1);

    // Open the case from the queue: its page under the local id, with the
    // facts as reported and an action.
    await page.locator(".queue-item").getByRole("link", { name: "查看案件" }).click();
    await expect(page).toHaveURL(/\/cases\/local-[0-9a-f]{8}$/);
    const localId = decodeURIComponent(new URL(page.url()).pathname.split("/")[2]);
    await expect(page.locator("#case-title")).toHaveText(title);
    await expect(page.locator("#case-id")).toHaveText(`本地编号 ${localId}`);
    await expect(page.locator("#case-status")).toHaveText("待同步");
    const facts = page.locator(".facts");
    await expect(facts).toContainText("水污染");
    await expect(facts).toContainText("黑河东岸排污口");
    await expect(facts).toContainText("38.450000, 100.830000");
    await expect(page.locator(".evidence .sha256")).toHaveText([riverHash]);

    await page.getByRole("link", { name: "补充照片" }).click();
    await expect(page).toHaveURL(new RegExp(`/cases/${localId}/photos$`));
    await expect(page.getByRole("heading", { name: "补充照片" })).toBeVisible();
    // Sending with no photo is refused in the form.
    await page.getByRole("button", { name: "提交" }).click();
    await expect(page.locator("#form-error")).toHaveText("请至少添加一张照片");
    await page.locator("#more-photos").setInputFiles(fixture("site-dust.png"));
    await expect(page.locator(".photo .sha256")).toHaveText(dustHash);
    await expect(page.locator(".photo .photo-time")).toContainText("拍摄时间");
    await page.getByRole("button", { name: "提交" }).click();
    await expect(page).toHaveURL(/\/outbox$/);

    const items = page.locator(".queue-item");
    await expect(items).toHaveCount(2);
    await expect(items.nth(0)).toContainText(`上报案件：${title}`);
    await expect(items.nth(1)).toContainText(`补充照片：${title}`);
    await expect(items.nth(1)).toContainText(`本地编号 ${localId}`);
    await expect(items.nth(1)).toContainText(dustHash);
    await expect(page.locator(".queue-item .badge")).toHaveText(["待同步", "待同步"]);
    const photoCommand = await items.nth(1).getAttribute("data-command-id");
    expect(photoCommand).toMatch(/^web-/);

    // A reload with no network: both items still queued, the photo's on the local id.
    await page.reload();
    await expect(page.locator("#network")).toHaveText("离线");
    await expect(items).toHaveCount(2);
    await expect(items.nth(0)).toContainText(`上报案件：${title}`);
    await expect(items.nth(1)).toContainText(`补充照片：${title}`);
    await expect(items.nth(1)).toContainText(`本地编号 ${localId}`);
    await expect(items.nth(1)).toHaveAttribute("data-command-id", photoCommand as string);
    // The case page, opened from the list, shows the added photo waiting.
    await page.getByRole("link", { name: "今日工作" }).click();
    await page.locator(".case-row.queued").filter({ hasText: title }).getByRole("link").click();
    await expect(page.locator("#case-id")).toHaveText(`本地编号 ${localId}`);
    await expect(page.locator(".evidence .sha256")).toHaveText([riverHash, dustHash]);
    await expectNothingCut(page);
    expect((await allCases()).filter((c) => c.title === title)).toHaveLength(0);

    await page.context().setOffline(false);
    await page.locator("#queue-link").click();
    await expect(page.locator("#queue-summary")).toHaveText("所有操作均已同步");

    // Once on the server, and the added photo recorded against its real id.
    const held = (await allCases()).filter((c) => c.title === title);
    expect(held).toHaveLength(1);
    const realId: string = held[0].caseId;
    expect(realId).not.toMatch(/^local-/);
    const history = await api("CaseService", "GetCaseHistory", "demo-supervisor", { caseId: realId, pageSize: 1000 });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const recorded = (history.events as any[]).filter((e) => e.evidenceRecorded?.evidence?.sha256 === dustHash);
    expect(recorded).toHaveLength(1);
    expect(recorded[0].streamId).toBe(realId);
    expect(recorded[0].commandId).toBe(`${photoCommand}-p1`);
    const full = (await api("CaseService", "GetCase", "demo-supervisor", { caseId: realId })).case;
    expect(full.evidence.map((e: { sha256: string }) => e.sha256).sort()).toEqual([riverHash, dustHash].sort());

    // The local id now leads to the real case.
    await page.goto(`${url()}/cases/${localId}`);
    await expect(page).toHaveURL(new RegExp(`/cases/${realId}$`));
    await expect(page.locator("#case-id")).toHaveText(realId);
    expect(errors).toEqual([]);
  });
});

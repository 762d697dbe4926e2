// Photo compression only with the user's consent (phone size), in Debian's
// Chromium against the real binaries: with 「压缩后上传」 ticked, the object
// the server stores is smaller than the photo taken and the case records the
// original's SHA-256 and size (sha256sum of the fixture, computed here);
// without it, the stored bytes are the photo's own, byte for byte.
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { api, collectErrors, expectNothingCut, fixture, logIn, PHONE, sha256File, shots, unique, url } from "./field_helpers";

const PHOTO = fixture("site-dust.png"); // 320×240 PNG of a dusty site, 100 KB

async function report(page: Page, title: string, compress: boolean): Promise<string> {
  await page.goto(`${url()}/report`);
  await page.getByLabel("问题标题（必填）").fill(title);
  await page.getByLabel("类别（必填）").selectOption({ label: "大气污染" });
  await page.getByLabel("严重程度（必填）").selectOption({ label: "一般" });
  if (compress) await page.getByLabel("压缩后上传（节省流量；记录原图的 SHA-256）").check();
  await page.locator("#photos").setInputFiles(PHOTO);
  await expect(page.locator(".photo .sha256")).toHaveText(sha256File(PHOTO));
  if (compress) {
    await expect(page.locator(".photo .photo-copy")).toContainText("压缩后上传：");
    await expectNothingCut(page);
    await page.screenshot({ path: `${shots}/report-compress-phone.png`, fullPage: true });
  } else {
    await expect(page.locator(".photo .photo-copy")).toHaveCount(0);
  }
  await page.getByRole("button", { name: "提交上报" }).click();
  await expect(page).toHaveURL(/\/cases\/620722-\d{4}-\d{6}$/);
  return decodeURIComponent(new URL(page.url()).pathname.split("/")[2]);
}

// The stored bytes, through the gateway with the page's session.
async function stored(page: Page, caseId: string, evidenceId: string): Promise<Buffer> {
  const response = await page.request.get(`${url()}/evidence/${encodeURIComponent(caseId)}/${encodeURIComponent(evidenceId)}`);
  expect(response.status()).toBe(200);
  return response.body();
}

test.describe("照片压缩须经用户同意（phone）", () => {
  test.use({ viewport: PHONE });

  test("同意压缩：上传的文件更小，记录原图的 SHA-256；不同意：上传原图", async ({ page }) => {
    const errors = collectErrors(page);
    const original = readFileSync(PHOTO);
    const originalHash = createHash("sha256").update(original).digest("hex");
    await logIn(page, "zhangwei");

    const compressed = await report(page, `料场扬尘（压缩） ${unique("c")}`, true);
    let held = (await api("CaseService", "GetCase", "demo-supervisor", { caseId: compressed })).case;
    expect(held.evidence).toHaveLength(1);
    const copy = held.evidence[0];
    expect(copy.originalSha256).toBe(originalHash);
    expect(Number(copy.originalSizeBytes)).toBe(statSync(PHOTO).size);
    expect(Number(copy.sizeBytes)).toBeLessThan(original.length);
    expect(copy.mediaType).toBe("image/jpeg");
    const copyBytes = await stored(page, compressed, copy.evidenceId);
    expect(copyBytes.length).toBe(Number(copy.sizeBytes));
    expect(createHash("sha256").update(copyBytes).digest("hex")).toBe(copy.sha256);
    expect(copy.sha256).not.toBe(originalHash);
    await expect(page.locator(".evidence .original-sha256")).toHaveText(originalHash);
    await expectNothingCut(page);

    const plain = await report(page, `料场扬尘（原图） ${unique("p")}`, false);
    held = (await api("CaseService", "GetCase", "demo-supervisor", { caseId: plain })).case;
    expect(held.evidence).toHaveLength(1);
    expect(held.evidence[0].sha256).toBe(originalHash);
    expect(held.evidence[0].originalSha256 ?? "").toBe("");
    expect((await stored(page, plain, held.evidence[0].evidenceId)).equals(original)).toBe(true);
    await expect(page.locator(".evidence .original-sha256")).toHaveCount(0);
    expect(errors).toEqual([]);
  });
});

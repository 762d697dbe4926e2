// The inspector's day in Debian's Chromium against the real rectify_web and
// rectify_server, at tablet (1280×800) and phone (390×844) sizes: log in,
// report a case on site with two photos and a located position (a fixed
// point granted to the page), see each photo's SHA-256 equal sha256sum of
// the fixture file, open the new case, see the verified-history badge and
// the evidence, find it in the work list by search and status filter.
// A tampered history (a byte changed on the way) shows a failed check.
import { expect, test } from "@playwright/test";
import {
  api,
  collectErrors,
  expectNothingCut,
  fixture,
  logIn,
  PHONE,
  sha256File,
  shots,
  TABLET,
  unique,
  url,
} from "./field_helpers";

const POINT = { latitude: 38.4321, longitude: 100.8123, accuracy: 12 };

for (const [size, viewport] of [["tablet", TABLET], ["phone", PHONE]] as const) {
  test.describe(`执法人员（${size}）`, () => {
    test.use({ viewport, geolocation: POINT, permissions: ["geolocation"] });

    test("现场上报两张照片和定位，列表中可见，案件页显示历史校验通过", async ({ page }) => {
      const errors = collectErrors(page);
      const title = `砂石料场扬尘未覆盖 ${unique(size)}`;
      await logIn(page, "zhangwei");
      await expect(page.getByRole("heading", { name: "今日工作" })).toBeVisible();
      await page.getByRole("link", { name: "现场上报" }).first().click();
      await expect(page.getByRole("heading", { name: "现场上报" })).toBeVisible();

      await page.getByLabel("问题标题（必填）").fill(title);
      await page.getByLabel("类别（必填）").selectOption({ label: "大气污染" });
      await page.getByLabel("严重程度（必填）").selectOption({ label: "一般" });
      await page.getByLabel("问题描述").fill("北滩村砂石料场堆场未苫盖，现场扬尘明显。");
      await page.getByLabel("当事单位或个人").fill("民乐县某建材有限公司");
      // The code checked as it is typed, with the server's rule.
      const uscc = page.getByLabel("统一社会信用代码");
      await uscc.pressSequentially("91350100m000100y4");
      await expect(page.locator("#uscc-hint")).toHaveText("还差 1 位（共 18 位）");
      await expect(uscc).toHaveValue("91350100M000100Y4"); // upper-cased as typed
      await uscc.press("4");
      await expect(page.locator("#uscc-hint")).toHaveText("校验位不符，请核对代码");
      await uscc.press("Backspace");
      await uscc.press("3");
      await expect(page.locator("#uscc-hint")).toHaveText("统一社会信用代码校验通过");
      await page.getByLabel("地址").fill("洪水镇北滩村 砂石料场");
      await page.getByText("使用定位").click();
      await expect(page.locator("#position-status")).toHaveText("已定位 38.432100, 100.812300，精度约 12 米");
      // Only the chosen way shows its fields; no stray 重新登录 while the session is good.
      await expect(page.getByLabel("纬度")).toBeHidden();
      await expect(page.locator("#relogin")).toBeHidden();

      const photos = [fixture("site-dust.png"), fixture("site-cover.png")];
      await page.locator("#photos").setInputFiles(photos);
      const shown = page.locator(".photo .sha256");
      await expect(shown).toHaveCount(2);
      await expect(shown.nth(0)).toHaveText(sha256File(photos[0]));
      await expect(shown.nth(1)).toHaveText(sha256File(photos[1]));
      await expect(page.locator(".photo").first()).toContainText("位置 38.432100, 100.812300（精度约 12 米）");
      await expectNothingCut(page);
      await page.screenshot({ path: `${shots}/report-form-${size}.png`, fullPage: true });

      await page.getByRole("button", { name: "提交上报" }).click();
      await expect(page).toHaveURL(/\/cases\/620722-\d{4}-\d{6}$/);
      const caseId = decodeURIComponent(new URL(page.url()).pathname.split("/")[2]);
      await expect(page.locator("#case-title")).toHaveText(title);
      await expect(page.locator("#case-status")).toHaveText("待交办");
      await expect(page.locator("#chain-badge")).toContainText("历史记录哈希链校验通过");
      await expect(page.locator(".facts dd", { hasText: "38.432100, 100.812300" })).toHaveText("38.432100, 100.812300（精度约 12 米）");
      await expect(page.locator(".evidence .sha256")).toHaveText(photos.map(sha256File));
      await expect(page.locator(".evidence img").first()).toHaveJSProperty("complete", true);
      await expectNothingCut(page);
      await page.screenshot({ path: `${shots}/case-page-${size}.png`, fullPage: true });

      // What the server holds, read apart from the app.
      const held = (await api("CaseService", "GetCase", "demo-supervisor", { caseId })).case;
      expect(held.title).toBe(title);
      expect(held.subject.unifiedSocialCreditCode).toBe("91350100M000100Y43");
      // The fix's accuracy is stored with it (GeoPoint.accuracy_m).
      expect(held.location.point).toEqual({ latitude: 38.4321, longitude: 100.8123, accuracyM: 12 });
      expect(held.evidence.map((e: { sha256: string }) => e.sha256)).toEqual(photos.map(sha256File));

      // The work list: the new case, found by search, hidden by another status.
      await page.getByRole("link", { name: "← 返回列表" }).click();
      await expect(page.getByRole("heading", { name: "今日工作" })).toBeVisible();
      const row = page.locator(`.case-row[data-case-id="${caseId}"]`);
      await expect(row).toContainText(title);
      await page.getByLabel("搜索案件").fill(caseId);
      await expect(page.locator(".case-row")).toHaveCount(1);
      await page.getByLabel("搜索案件").fill("");
      await page.getByRole("button", { name: "整改中" }).click();
      await expect(row).toHaveCount(0);
      await page.getByRole("button", { name: "待交办" }).click();
      await expect(row).toBeVisible();
      await page.screenshot({ path: `${shots}/work-list-${size}.png`, fullPage: true });
      expect(errors).toEqual([]);
    });
  });
}

test("历史记录被改动一个字节时，哈希链校验不通过", async ({ page }) => {
  const title = `河道排污口 ${unique("tamper")}`;
  const reported = await api("CaseService", "ReportCase", "demo-supervisor", {
    commandId: unique("tamper-report"),
    title,
    category: "CATEGORY_WATER",
    severity: "SEVERITY_HIGH",
    source: "CASE_SOURCE_INSPECTION",
    location: { regionCode: "620722", address: "洪水河" },
    foundAt: new Date(Date.now() - 60_000).toISOString(),
  });
  const caseId = reported.case.caseId as string;
  await logIn(page, "wangqiang");
  // The history as the server sent it, with one character of the title
  // changed (河 → 湖, both three bytes in UTF-8): the chain must not check out.
  await page.route("**/rectify.v1.CaseService/GetCaseHistory", async (route) => {
    const response = await route.fetch();
    const body = await response.body();
    const from = Buffer.from("河道", "utf8");
    const at = body.indexOf(from);
    expect(at).toBeGreaterThan(0);
    Buffer.from("湖道", "utf8").copy(body, at);
    const headers = { ...response.headers() };
    delete headers["content-encoding"];
    delete headers["content-length"];
    await route.fulfill({ status: response.status(), headers, body });
  });
  await page.goto(`${url()}/cases/${caseId}`);
  await expect(page.locator("#case-title")).toHaveText(title);
  await expect(page.locator("#chain-badge")).toHaveText("✘ 历史记录哈希链校验未通过：第 1 条记录与哈希链不符");
  await page.unroute("**/rectify.v1.CaseService/GetCaseHistory");
  const events = (await api("CaseService", "GetCaseHistory", "demo-supervisor", { caseId })).events;
  await page.reload();
  await expect(page.locator("#chain-badge")).toContainText(`✔ 历史记录哈希链校验通过（共 ${events.length} 条`);
});

test("12369 案件：举报人信息对执法人员隐去，哈希链照样完整校验通过", async ({ page }) => {
  const title = `夜间噪声扰民 ${unique("hotline")}`;
  const reported = await api("CaseService", "ReportCase", "demo-supervisor", {
    commandId: unique("hotline-report"),
    title,
    category: "CATEGORY_NOISE",
    severity: "SEVERITY_LOW",
    source: "CASE_SOURCE_HOTLINE_12369",
    sourceReference: "12369-2026-0815",
    location: { regionCode: "620722", address: "县城南街" },
    complainant: { name: "李某", phone: "139 0000 0000" },
    foundAt: new Date(Date.now() - 60_000).toISOString(),
  });
  const caseId = reported.case.caseId as string;
  const events = (await api("CaseService", "GetCaseHistory", "demo-supervisor", { caseId })).events;
  // The supervisor may see the complainant: the whole chain checks out.
  await logIn(page, "wangqiang");
  await page.goto(`${url()}/cases/${caseId}`);
  await expect(page.locator("#chain-badge")).toContainText(`✔ 历史记录哈希链校验通过（共 ${events.length} 条`);
  await expect(page.locator(".facts")).toContainText("李某 139 0000 0000");
  // The inspector gets the event without it: the complainant is outside the
  // hashed bytes (a salted commitment is hashed), so the whole chain still
  // checks out, with the same head as the supervisor's.
  const head = await page.locator("#chain-badge").textContent();
  await page.getByRole("button", { name: "退出登录" }).click();
  await logIn(page, "zhangwei");
  await page.goto(`${url()}/cases/${caseId}`);
  await expect(page.locator("#chain-badge")).toHaveText(head ?? "");
  await expect(page.locator("#chain-badge")).toContainText(`✔ 历史记录哈希链校验通过（共 ${events.length} 条`);
  await expect(page.locator(".facts")).not.toContainText("李某");
});

// The hotline complainant's name and phone never reach a responsible unit's
// pages, in Debian's Chromium against the real binaries: a supervisor
// reports a 12369 hotline case with a complainant and assigns it to 洪水镇;
// the supervisor's GetCase and case page show the complainant (so the check
// below is not vacuous), and the unit's work list, case page (with its checked
// history) and action forms carry neither the name nor the phone, in the
// text shown nor anywhere in the page's markup.
import { expect, test, type Page } from "@playwright/test";
import { api, collectErrors, logIn, TABLET, unique, url } from "./field_helpers";

const NAME = "举报人柳春梅";
const PHONE_NUMBER = "139 0936 5172";

async function expectNoComplainant(page: Page): Promise<void> {
  const text = await page.locator("body").innerText();
  const markup = await page.content();
  for (const secret of [NAME, PHONE_NUMBER, PHONE_NUMBER.replace(/ /g, "")]) {
    expect(text).not.toContain(secret);
    expect(markup).not.toContain(secret);
  }
}

test.describe("举报人信息（tablet）", () => {
  test.use({ viewport: TABLET });

  test("责任单位的页面不显示举报人姓名和电话", async ({ page }) => {
    const errors = collectErrors(page);
    const title = `12369 举报夜间偷排 ${unique("hotline")}`;
    const reported = await api("CaseService", "ReportCase", "demo-supervisor", {
      commandId: unique("hotline-report"),
      title,
      category: "CATEGORY_WATER",
      severity: "SEVERITY_MEDIUM",
      source: "CASE_SOURCE_HOTLINE_12369",
      location: { regionCode: "620722", address: "洪水镇北滩村排渠" },
      subject: { name: "民乐县某建材有限公司" },
      complainant: { name: NAME, phone: PHONE_NUMBER },
      foundAt: new Date(Date.now() - 3_600_000).toISOString(),
    });
    const caseId = reported.case.caseId as string;
    await api("CaseService", "AssignCase", "demo-supervisor", {
      commandId: unique("hotline-assign"),
      caseId,
      responsibleUnit: "minle-hongshui-town",
      requirements: "立即封堵排口，清理排渠",
      rectificationDueAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
    });
    // The server holds the complainant and shows it to the supervisor.
    const held = (await api("CaseService", "GetCase", "demo-supervisor", { caseId })).case;
    expect(held.complainant).toEqual({ name: NAME, phone: PHONE_NUMBER });

    // The supervisor's case page shows it (what the unit's must not).
    await logIn(page, "wangqiang");
    await page.goto(`${url()}/cases/${caseId}`);
    await expect(page.locator(".facts")).toContainText(`${NAME} ${PHONE_NUMBER}`);
    await page.getByRole("button", { name: "退出登录" }).click();

    await logIn(page, "hongshui");
    const row = page.locator(`.case-row[data-case-id="${caseId}"]`);
    await expect(row).toContainText(title);
    await expectNoComplainant(page);

    await row.getByRole("link", { name: title }).click();
    await expect(page.locator("#case-title")).toHaveText(title);
    await expect(page.locator("#case-status")).toHaveText("已交办");
    // The history is loaded and checked before looking.
    await expect(page.locator("#chain-badge")).toContainText("✔ 历史记录哈希链校验通过");
    await expect(page.locator("body")).toContainText("洪水镇北滩村排渠");
    await expectNoComplainant(page);

    await page.goto(`${url()}/cases/${caseId}/start`);
    await expect(page.locator("#action-title")).toHaveText("开始整改");
    await expect(page.locator(".subtitle")).toContainText(title);
    await expectNoComplainant(page);
    expect(errors).toEqual([]);
  });
});

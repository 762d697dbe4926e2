// The inspector proposes a referral to the police on a tablet, with a
// second officer picked from the server's list (ListOfficers), in Debian's
// Chromium against the real binaries: the list holds the enabled inspector
// accounts of the jurisdiction and nobody else (not the user, not a
// supervisor, not a disabled inspector); the proposal is recorded with both
// officers and shows in the case's history.
import { expect, test } from "@playwright/test";
import { api, collectErrors, expectNothingCut, logIn, reportedCase, shots, TABLET, unique, url } from "./field_helpers";

async function createAccount(name: string, displayName: string, role: string): Promise<void> {
  await api("AdminService", "CreateAccount", "demo-admin", {
    commandId: unique("setup-account"),
    accountName: name,
    displayName,
    role,
    unitId: "minle-eeb",
    jurisdiction: "620722",
    password: "rectify-second-officer-2026",
  });
}

test.describe("提议移送（tablet）", () => {
  test.use({ viewport: TABLET });

  test("从执法人员名单选第二名执法人员联名提议移送，办理过程可见", async ({ page }) => {
    const errors = collectErrors(page);
    const suffix = unique("o").toLowerCase().replace(/[^a-z0-9]/g, "");
    const second = `li${suffix}`;
    const secondName = `李娜${suffix.slice(-4)}`;
    await createAccount(second, secondName, "ROLE_INSPECTOR");
    await createAccount(`sup${suffix}`, `赵科长${suffix.slice(-4)}`, "ROLE_SUPERVISOR");
    await createAccount(`gone${suffix}`, `调离${suffix.slice(-4)}`, "ROLE_INSPECTOR");
    await api("AdminService", "DisableAccount", "demo-admin", {
      commandId: unique("setup-disable"),
      accountName: `gone${suffix}`,
      reason: "调离",
    });
    const title = `河道非法排污 ${unique("ref")}`;
    const caseId = await reportedCase(title, "CATEGORY_WATER");

    await logIn(page, "zhangwei");
    await page.goto(`${url()}/cases/${caseId}`);
    await page.getByRole("link", { name: "提议移送公安" }).click();
    await expect(page.getByRole("heading", { name: "提议移送公安" })).toBeVisible();
    const select = page.getByLabel("联名执法人员（必填，至少两名执法人员签署）");
    await expect(select.locator(`option[value="${second}"]`)).toHaveText(`${secondName}（${second}）`);
    const offered = await select.locator("option").evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(offered).not.toContain("zhangwei");
    expect(offered).not.toContain(`sup${suffix}`);
    expect(offered).not.toContain(`gone${suffix}`);

    // Nothing chosen: the form says so and sends nothing.
    await page.getByLabel("涉嫌违法犯罪事实（必填）").fill("通过暗管排放含重金属废水，涉嫌污染环境罪");
    await page.getByLabel("书面报告（必填）").fill("经现场检查并采样，排放口废水铅浓度超标十倍以上，建议移送公安机关。");
    await page.getByRole("button", { name: "提交" }).click();
    await expect(page.locator("#form-error")).toHaveText("请选择联名执法人员");
    await select.selectOption(second);
    await expectNothingCut(page);
    await page.screenshot({ path: `${shots}/referral-form-tablet.png`, fullPage: true });
    await page.getByRole("button", { name: "提交" }).click();

    await expect(page).toHaveURL(new RegExp(`/cases/${caseId}$`));
    await expect(page.locator(".referrals")).toContainText(`联名执法人员：zhangwei、${second}`);
    await expect(page.locator(".referrals")).toContainText("待局领导审批");
    const timeline = page.locator(".timeline");
    await expect(timeline.locator("li", { hasText: "提议移送" })).toContainText("张伟");
    await expect(page.locator("#chain-badge")).toContainText("历史记录哈希链校验通过");

    // What the server holds, read apart from the app.
    const held = (await api("CaseService", "GetCase", "demo-supervisor", { caseId })).case;
    expect(held.referrals).toHaveLength(1);
    expect(held.referrals[0].proposingOfficers).toEqual(["zhangwei", second]);
    expect(held.referrals[0].state).toBe("REFERRAL_STATE_PROPOSED");
    const history = await api("CaseService", "GetCaseHistory", "demo-supervisor", { caseId });
    const proposed = history.events.filter((e: { referralProposed?: object }) => e.referralProposed);
    expect(proposed).toHaveLength(1);
    expect(proposed[0].actor.principalId).toBe("zhangwei");
    expect(errors).toEqual([]);
  });
});

// The console's referral pages see every case of the scope with a referral,
// however many cases come before it: 201 cases without a referral are
// reported first (more than the page once read, the first 200 by case id),
// then a referral is proposed on a newer case; the bureau head's approval
// list shows it. Debian's Chromium against the real binaries.
import { expect, test } from "@playwright/test";
import { call, collectErrors, freshRegion, logIn, proposedReferral, reportCase, url } from "./console_api";

test("移送审批列表：排在 200 件之后的新案件的移送也列出", async ({ browser }) => {
  test.setTimeout(240_000);
  const region = freshRegion();
  // 201 cases, eight at a time.
  for (let i = 0; i < 201; i += 8) {
    await Promise.all(
      Array.from({ length: Math.min(8, 201 - i) }, (_, k) => reportCase(region, `无移送的案件 ${i + k + 1}`)),
    );
  }
  const caseId = await reportCase(region, "新近的非法倾倒危险废物");
  await proposedReferral(caseId);
  // The case really is past the first 200 of the county by case id.
  const first = await call("demo-bureau-head", "CaseService/ListCases", { pageSize: 200 });
  expect(first.cases.map((c: any) => c.caseId)).not.toContain(caseId);

  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const head = await context.newPage();
  const errors = collectErrors(head);
  await logIn(head, "chenju");
  await head.goto(url() + "/console/referrals");
  await expect(head.getByRole("heading", { level: 1 })).toHaveText("移送审批");
  const row = head.locator("#referral-table tr", { hasText: caseId });
  await expect(row).toContainText("新近的非法倾倒危险废物");
  await expect(row).toContainText("待局领导审批");
  // Only cases with a referral are listed (the shared stack may hold other
  // specs' referrals), and the list is whole.
  await expect(head.locator("#referral-table tbody tr", { hasText: "无移送的案件" })).toHaveCount(0);
  await expect(head.locator("#referrals")).not.toContainText("仅显示前");
  expect(errors).toEqual([]);
  await context.close();
});

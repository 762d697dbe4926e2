// The responsible unit's day (整改责任单位, tablet size) and the
// inspector's on-site verification, pass and fail (phone size), in Debian's
// Chromium against the real binaries. Cases are set up through the API with
// demo tokens; what the server then holds is read back the same way.
import { expect, test } from "@playwright/test";
import {
  api,
  assignedCase,
  chinaDay,
  collectErrors,
  expectNothingCut,
  fixture,
  logIn,
  PHONE,
  sha256File,
  shots,
  TABLET,
  unique,
  workingDaysAfter,
} from "./field_helpers";

test.describe("整改责任单位（tablet）", () => {
  test.use({ viewport: TABLET });

  test("开始整改、报告进展（带照片）、申请延期、提交整改完成", async ({ page }) => {
    const errors = collectErrors(page);
    const title = `料场扬尘 ${unique("unit")}`;
    const caseId = await assignedCase(title);
    await logIn(page, "hongshui");
    await expect(page.getByRole("heading", { name: "本单位案件" })).toBeVisible();
    const row = page.locator(`.case-row[data-case-id="${caseId}"]`);
    // Due 20 days after the set-up, seconds ago: the working days after
    // today up to that day, counted here from the server's calendar file
    // (config/calendar_cn.txt, weekends only past its years: stack_setup.ts).
    const dueAt = Date.parse((await api("CaseService", "GetCase", "demo-supervisor", { caseId })).case.rectificationDueAt);
    const lastDay = chinaDay(dueAt - 1);
    await expect(row.locator(".countdown")).toHaveText(
      `整改期限：剩余 ${workingDaysAfter(chinaDay(Date.now()), lastDay)} 个工作日（截止 ${lastDay}）`,
    );
    await row.getByRole("link", { name: title }).click();
    await expect(page.locator("#case-status")).toHaveText("已交办");

    await page.getByRole("link", { name: "开始整改" }).click();
    await page.getByLabel("备注").fill("已安排人员进场");
    await page.getByRole("button", { name: "提交" }).click();
    await expect(page.locator("#case-status")).toHaveText("整改中");

    await page.getByRole("link", { name: "报告进展" }).click();
    await page.getByLabel("进展情况（必填）").fill("已苫盖料堆约六成，围挡施工中");
    await page.getByLabel("完成比例（%）").fill("60");
    await page.locator("#progress-photos").setInputFiles(fixture("site-cover.png"));
    await expect(page.locator(".photo .sha256")).toHaveText(sha256File(fixture("site-cover.png")));
    await page.getByRole("button", { name: "提交" }).click();
    await expect(page.locator(".reports")).toContainText("已苫盖料堆约六成，围挡施工中（完成约 60%）");
    await expect(page.locator(".evidence .sha256")).toHaveText(sha256File(fixture("site-cover.png")));

    const held0 = (await api("CaseService", "GetCase", "demo-supervisor", { caseId })).case;
    const due = new Date(held0.rectificationDueAt).getTime();
    const asked = chinaDay(due + 10 * 86_400_000);
    await page.getByRole("link", { name: "申请延期" }).click();
    await page.getByLabel("申请延至（必填）").fill(asked);
    await page.getByLabel("延期理由（必填）").fill("围挡材料运输受降雪影响");
    await page.getByRole("button", { name: "提交" }).click();
    await expect(page.locator("body")).toContainText("理由：围挡材料运输受降雪影响（待审批）");

    await page.getByRole("link", { name: "提交整改完成" }).click();
    await page.getByLabel("整改完成情况（必填）").fill("料堆已全部苫盖，围挡完成，道路每日洒水");
    await page.locator("#completion-photos").setInputFiles(fixture("site-river.png"));
    await page.getByRole("button", { name: "提交" }).click();
    await expect(page.locator(".badges .badge.pending")).toHaveText("待验收");
    await expect(page.getByRole("link", { name: "报告进展" })).toHaveCount(0);
    await expectNothingCut(page);
    await page.screenshot({ path: `${shots}/unit-case-tablet.png`, fullPage: true });

    const held = (await api("CaseService", "GetCase", "demo-supervisor", { caseId })).case;
    expect(held.status).toBe("CASE_STATUS_RECTIFYING");
    expect(held.progressReports).toHaveLength(1);
    expect(held.progressReports[0].text).toBe("已苫盖料堆约六成，围挡施工中");
    expect(held.progressReports[0].percentComplete).toBe(60);
    expect(held.extensionRequests).toHaveLength(1);
    expect(held.extensionRequests[0].state).toBe("EXTENSION_STATE_REQUESTED");
    // The end of the day chosen in China: the next midnight (+08:00).
    expect(held.extensionRequests[0].requestedDueAt).toBe(`${asked}T16:00:00Z`);
    expect(held.completion.summary).toBe("料堆已全部苫盖，围挡完成，道路每日洒水");
    expect(held.completionPending).toBe(true);
    const sums = held.evidence.map((e: { sha256: string }) => e.sha256);
    expect(sums).toEqual([sha256File(fixture("site-cover.png")), sha256File(fixture("site-river.png"))]);
    expect(held.completion.evidenceIds).toEqual([held.evidence[1].evidenceId]);
    expect(errors).toEqual([]);
  });
});

async function awaitingVerification(title: string): Promise<string> {
  const caseId = await assignedCase(title);
  await api("CaseService", "StartRectification", "demo-rectifier", { commandId: unique("start"), caseId });
  await api("CaseService", "SubmitCompletion", "demo-rectifier", {
    commandId: unique("complete"),
    caseId,
    summary: "已整改完毕",
  });
  return caseId;
}

test.describe("现场验收（phone）", () => {
  test.use({ viewport: PHONE });

  test("验收通过与不通过（不通过时给出意见、照片和新期限）", async ({ page }) => {
    const errors = collectErrors(page);
    const passTitle = `验收通过 ${unique("verify")}`;
    const failTitle = `验收不通过 ${unique("verify")}`;
    const passId = await awaitingVerification(passTitle);
    const failId = await awaitingVerification(failTitle);
    await logIn(page, "zhangwei");
    for (const id of [passId, failId]) {
      await expect(page.locator(`.case-row[data-case-id="${id}"] .badge.pending`)).toHaveText("待验收");
    }

    await page.locator(`.case-row[data-case-id="${passId}"]`).getByRole("link").click();
    await page.getByRole("link", { name: "现场验收" }).click();
    await page.getByText("通过", { exact: true }).click();
    await page.getByLabel("验收意见（不通过时必填）").fill("料堆已苫盖，现场无扬尘");
    await page.getByRole("button", { name: "提交" }).click();
    await expect(page.locator("#case-status")).toHaveText("已验收");

    await page.goto(page.url().replace(passId, failId));
    await page.getByRole("link", { name: "现场验收" }).click();
    await page.getByText("不通过", { exact: true }).click();
    await page.getByRole("button", { name: "提交" }).click();
    await expect(page.locator("#form-error")).toHaveText("不通过时须填写验收意见");
    await page.getByLabel("验收意见（不通过时必填）").fill("北侧料堆仍未苫盖");
    const newDay = chinaDay(Date.now() + 15 * 86_400_000);
    await page.getByLabel("新的整改期限（不填则按规定期限）").fill(newDay);
    await page.locator("#verify-photos").setInputFiles(fixture("site-dust.png"));
    await expectNothingCut(page);
    await page.screenshot({ path: `${shots}/verify-form-phone.png`, fullPage: true });
    await page.getByRole("button", { name: "提交" }).click();
    await expect(page.locator("#case-status")).toHaveText("整改中");
    await expect(page.locator("body")).toContainText("不通过");

    const passed = (await api("CaseService", "GetCase", "demo-supervisor", { caseId: passId })).case;
    expect(passed.status).toBe("CASE_STATUS_VERIFIED");
    expect(passed.verification.passed).toBe(true);
    const failed = (await api("CaseService", "GetCase", "demo-supervisor", { caseId: failId })).case;
    expect(failed.status).toBe("CASE_STATUS_RECTIFYING");
    expect(failed.verification.passed ?? false).toBe(false);
    expect(failed.verification.notes).toBe("北侧料堆仍未苫盖");
    // The end of the day picked, in China: the next midnight (+08:00).
    expect(failed.rectificationDueAt).toBe(`${newDay}T16:00:00Z`);
    expect(failed.evidence.map((e: { sha256: string }) => e.sha256)).toEqual([sha256File(fixture("site-dust.png"))]);
    expect(failed.verification.evidenceIds).toEqual([failed.evidence[0].evidenceId]);
    expect(errors).toEqual([]);
  });
});

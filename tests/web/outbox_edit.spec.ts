// A refused command is fixed in its form, not only retried or dropped: the
// unit asks for an extension the server refuses (the deadline moved past
// the asked day meanwhile), opens it from the queue (修改) with its day and
// reason filled in, changes the day and submits; the server holds the fixed
// request once, under a new command id, and the refused one is gone from
// the queue. Debian's Chromium against the real binaries.
import { expect, test } from "@playwright/test";
import { addDays, api, assignedCase, chinaDay, chinaMidnight, collectErrors, logIn, TABLET, unique, url } from "./field_helpers";

test.use({ viewport: TABLET });

test("被拒绝的延期申请：在待同步中打开原表单，内容已填好，修改后重新提交", async ({ page }) => {
  const errors = collectErrors(page);
  const caseId = await assignedCase(`延期被拒 ${unique("edit")}`);
  await api("CaseService", "StartRectification", "demo-rectifier", { commandId: unique("start"), caseId });
  const firstDue = Date.parse((await api("CaseService", "GetCase", "demo-supervisor", { caseId })).case.rectificationDueAt);
  const firstLastDay = chinaDay(firstDue - 1);

  await logIn(page, "hongshui");
  await page.goto(`${url()}/cases/${caseId}/extension`);
  await expect(page.getByLabel("申请延至（必填）")).toBeVisible();

  // Meanwhile the deadline moves 10 days on (another request, granted).
  const other = await api("CaseService", "RequestExtension", "demo-rectifier", {
    commandId: unique("ext"),
    caseId,
    requestedDueAt: chinaMidnight(addDays(firstLastDay, 11)).toISOString(),
    reason: "另一名工作人员的申请",
  });
  const requestId = other.case.extensionRequests[0].requestId as string;
  await api("CaseService", "DecideExtension", "demo-supervisor", { commandId: unique("grant"), caseId, requestId, granted: true, reason: "同意" });
  const movedLastDay = addDays(firstLastDay, 10);
  expect(chinaDay(Date.parse((await api("CaseService", "GetCase", "demo-supervisor", { caseId })).case.rectificationDueAt) - 1)).toBe(movedLastDay);

  // Five days past the deadline the form knew: refused by the server.
  const asked = addDays(firstLastDay, 5);
  await page.getByLabel("申请延至（必填）").fill(asked);
  await page.getByLabel("延期理由（必填）").fill("围挡材料运输受降雪影响");
  await page.getByRole("button", { name: "提交" }).click();
  await expect(page.locator("#form-error")).toContainText("操作被拒绝：申请延期至：须晚于当前整改期限");

  // The queue offers 修改; the form opens filled in with the server's reason.
  await page.goto(`${url()}/outbox`);
  const refused = page.locator(".queue-item.refused");
  await expect(refused).toHaveCount(1);
  const refusedId = await refused.getAttribute("data-command-id");
  await refused.getByRole("link", { name: "修改" }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${caseId}/extension\\?edit=\\d+$`));
  await expect(page.locator("#refused-reason")).toContainText("上次提交被拒绝：申请延期至：须晚于当前整改期限");
  await expect(page.getByLabel("申请延至（必填）")).toHaveValue(asked);
  await expect(page.getByLabel("延期理由（必填）")).toHaveValue("围挡材料运输受降雪影响");

  // Changed to five days past the moved deadline, and queued again.
  const fixed = addDays(movedLastDay, 5);
  await page.getByLabel("申请延至（必填）").fill(fixed);
  await page.getByRole("button", { name: "提交" }).click();
  await expect(page).toHaveURL(new RegExp(`/cases/${caseId}$`));
  await expect(page.locator("body")).toContainText("理由：围挡材料运输受降雪影响（待审批）");

  await page.goto(`${url()}/outbox`);
  await expect(page.locator("#queue-summary")).toHaveText("所有操作均已同步");
  const held = (await api("CaseService", "GetCase", "demo-supervisor", { caseId })).case;
  expect(held.extensionRequests).toHaveLength(2);
  // The day picked ends at the next day's midnight in China.
  expect(Date.parse(held.extensionRequests[1].requestedDueAt)).toBe(Date.parse(`${fixed}T00:00:00+08:00`) + 86_400_000);
  expect(held.extensionRequests[1].reason).toBe("围挡材料运输受降雪影响");
  // One request from this page, under a command id other than the refused one's.
  const events = (await api("CaseService", "GetCaseHistory", "demo-supervisor", { caseId })).events;
  const requests = events.filter((e: { extensionRequested?: object }) => e.extensionRequested);
  expect(requests).toHaveLength(2);
  expect(requests.map((e: { commandId: string }) => e.commandId)).not.toContain(refusedId);
  // The one refusal (HTTP 400 in Connect), logged by Chromium.
  expect(errors).toEqual(["Failed to load resource: the server responded with a status of 400 (Bad Request)"]);
});

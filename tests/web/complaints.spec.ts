// 12369 complaints (信访件) in the console, Debian's Chromium against the real
// binaries: a supervisor records a phone complaint on the queue page, sees
// its acceptance clock with the days left the server counted, accepts it,
// opens a case from it; a final reply while the case is open is refused with
// the server's Chinese reason; the case is worked and closed (API calls of
// the unit and the supervisor); the supervisor replies, quoting the case,
// and records the callback. The responsible unit's pages for the case never
// show who complained. axe-core finds no serious violation on the queue and
// the complaint page; their screenshots go to the test output (the ones in
// docs/screenshots were looked at).
import { expect, test, type Page } from "@playwright/test";
import { seriousViolations } from "./axe";
import { call, collectErrors, commandId, logIn, url } from "./console_api";
import { confirm, expectNoneOf } from "./complaint_helpers";

const shots = process.env.RECTIFY_WEB_TEST_OUT ?? "/tmp/rectify-web-test-results";
const NAME = "举报人马晓红";
const PHONE = "13993651172";

function expectNoComplainant(page: Page): Promise<void> {
  return expectNoneOf(page, [NAME, PHONE]);
}

// axe-core is injected as a script: the page's CSP would block it.
test.use({ bypassCSP: true });

test("信访件：登记、受理、立案、办结答复、回访；责任单位看不到举报人", async ({ page }) => {
  test.setTimeout(240_000);
  const errors = collectErrors(page);
  const ticket = `12369-W-${Date.now()}`;
  const problems: string[] = [];

  await logIn(page, "wangqiang");
  await page.goto(`${url()}/console/complaints`);
  await expect(page.locator("h1")).toHaveText("信访件");
  await page.getByRole("button", { name: "登记信访件" }).click();
  await page.getByLabel("来源渠道").selectOption({ label: "电话" });
  await page.getByLabel("工单编号").fill(ticket);
  await page.getByLabel("标题（必填）").fill("洪水河夜间偷排");
  await page.getByLabel("举报内容（必填）").fill("洪水镇北滩村附近工厂夜间向洪水河排放黑色污水");
  await page.getByLabel("事发地址").fill("洪水镇北滩村");
  await page.getByLabel("举报人姓名（留空为匿名）").fill(NAME);
  await page.getByLabel("举报人电话").fill(PHONE);
  await confirm(page);
  await expect(page).toHaveURL(/\/console\/complaints\/XF-620722-/);
  const complaintId = decodeURIComponent(new URL(page.url()).pathname.split("/").pop() as string);

  // The clock as the server counted it.
  const got = await call("demo-supervisor", "ComplaintService/GetComplaint", { complaintId });
  const clock = got.clocks[0];
  expect(clock.kind).toBe("DEADLINE_KIND_COMPLAINT_ACCEPTANCE");
  await expect(page.locator("#complaint-clocks")).toContainText(`受理期限：还剩 ${clock.calendarDaysLeft} 天（截止 ${clock.lastDay}）`);
  await expect(page.locator("#complainant")).toHaveText(`${NAME} ${PHONE}`);
  // The place reads the region's name (GB/T 2260), not its code.
  await expect(page.locator("main")).toContainText("甘肃省张掖市民乐县 洪水镇北滩村");

  // The queue shows it with the same days left.
  await page.goto(`${url()}/console/complaints`);
  const row = page.locator(`tr[data-complaint="${complaintId}"]`);
  await expect(row).toContainText("待受理");
  await expect(row).toContainText(`受理期限：还剩 ${clock.calendarDaysLeft} 天`);
  problems.push(...(await seriousViolations(page, "complaint queue")));
  await page.screenshot({ path: `${shots}/console-complaints.png`, fullPage: true });

  await row.getByRole("link", { name: complaintId }).click();
  await page.getByRole("button", { name: "受理", exact: true }).click();
  await page.getByLabel("告知举报人方式").selectOption({ label: "电话告知" });
  await confirm(page);
  await expect(page.locator(".facts")).toContainText("办理中");
  await expect(page.locator("#complaint-clocks")).toContainText("答复期限：还剩");

  await page.getByRole("button", { name: "立案转问题" }).click();
  await page.getByLabel("严重程度").selectOption({ label: "较重" });
  await page.getByLabel("污染类别").selectOption({ label: "水" });
  await confirm(page);
  const caseLink = page.locator("a.linked-case");
  await expect(caseLink).toHaveCount(1);
  const caseId = (await caseLink.textContent()) as string;

  // A final reply while the case is open: the server's Chinese reason, the
  // dialog kept open.
  await page.getByRole("button", { name: "答复举报人" }).click();
  await page.getByLabel("答复内容（必填）").fill("经查属实，已责令整改。");
  await page.getByRole("button", { name: "确认" }).click();
  const refusal = page.locator("#dialog-error");
  await expect(refusal).toContainText("操作未执行：");
  const refusedText = (await refusal.textContent()) as string;
  expect(refusedText).not.toContain("FAILED_PRECONDITION");
  await page.getByRole("button", { name: "取消" }).click();

  // The case is worked and closed.
  await call("demo-supervisor", "CaseService/AssignCase", {
    commandId: commandId(),
    caseId,
    responsibleUnit: "minle-hongshui-town",
    requirements: "立即封堵排污口",
    rectificationDueAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
  });
  await call("demo-rectifier", "CaseService/StartRectification", { commandId: commandId(), caseId });
  // The unit's pages for the case never show who complained.
  const unitPage = await page.context().browser()!.newPage();
  await logIn(unitPage, "hongshui");
  await unitPage.goto(`${url()}/cases/${caseId}`);
  await expect(unitPage.locator("#case-status")).toHaveText("整改中");
  await expectNoComplainant(unitPage);
  // And the unit reads no complaint.
  await expect(call("demo-rectifier", "ComplaintService/GetComplaint", { complaintId })).rejects.toThrow();
  await unitPage.close();
  await call("demo-rectifier", "CaseService/SubmitCompletion", { commandId: commandId(), caseId, summary: "排污口已封堵" });
  await call("demo-supervisor", "CaseService/VerifyRectification", { commandId: commandId(), caseId, passed: true, notes: "现场复核合格" });
  await call("demo-supervisor", "CaseService/CloseCase", { commandId: commandId(), caseId });

  await page.reload();
  await page.getByRole("button", { name: "答复举报人" }).click();
  await page.getByLabel("答复内容（必填）").fill("经查属实，排污口已封堵，问题已整改销号。");
  await page.getByLabel("告知举报人方式").selectOption({ label: "电话告知" });
  await confirm(page);
  await expect(page.locator(".facts")).toContainText("已答复");
  // The reply quotes the case's outcome: closed without a remark, it is the
  // unit's summary and the verification's notes (it used to be empty).
  await expect(page.locator(".facts")).toContainText(`（引用：${caseId} 整改情况：排污口已封堵；验收合格：现场复核合格）`);

  await page.getByRole("button", { name: "回访" }).click();
  await page.getByLabel("回访结果").selectOption({ label: "满意" });
  await confirm(page);
  await expect(page.locator(".facts")).toContainText("满意");
  problems.push(...(await seriousViolations(page, "complaint page")));
  await page.screenshot({ path: `${shots}/console-complaint.png`, fullPage: true });
  expect(problems).toEqual([]);
  expect(errors).toEqual([]);
});

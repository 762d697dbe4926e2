// 12369 complaints (信访件): the steps complaints.spec does not walk, in
// Debian's Chromium against the real binaries. Not ours: passed on to the
// competent body, the complainant told. Several callers about one plant:
// three complaints attached to one case, an interim reply while it is open,
// one final reply each once it is closed. Closed as unfounded after a site
// check, its record and a photo uploaded from the dialog (21 files and none
// refused in Chinese) and the record downloaded back byte for byte (a unit
// gets 404); the reply extended (+30, by the bureau head, with the reason told);
// a review asked for within 30 days and answered; a callback not satisfied
// with its note (refused without one). What an AUDITOR and the RECTIFIER of
// the case see: never who complained.
//
// The days left on each clock are computed here by hand, not read from the
// server: a period of N calendar days from today ends on day N, moved to the
// next working day when that is a day off (isWorkingDay of field_helpers.ts,
// from the calendar file the specs' server counts with).
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { call, collectErrors, commandId, logIn, url } from "./console_api";
import { addDays, chinaDay, isWorkingDay } from "./field_helpers";
import { confirm, expectNoneOf } from "./complaint_helpers";

const shots = process.env.RECTIFY_WEB_TEST_OUT ?? "/tmp/rectify-web-test-results";
mkdirSync(shots, { recursive: true });

const NAME = "举报人赵春梅";
const PHONE = "13893612345";

// The last day of `n` calendar days from today (China), and the days left
// to it.
function byHand(n: number): { lastDay: string; left: number } {
  const today = chinaDay(Date.now());
  let left = n;
  while (!isWorkingDay(addDays(today, left))) left++;
  return { lastDay: addDays(today, left), left };
}
function clock(name: string, n: number): string {
  const { lastDay, left } = byHand(n);
  return `${name}：还剩 ${left} 天（截止 ${lastDay}）`;
}

async function receive(ticket: string, title: string, region = "620722100"): Promise<string> {
  const reply = await call("demo-supervisor", "ComplaintService/ReceiveComplaint", {
    commandId: commandId(),
    details: {
      channel: "COMPLAINT_CHANNEL_PHONE",
      ticketNumber: ticket,
      title,
      content: `${title}，请尽快查处。`,
      category: "CATEGORY_AIR",
      location: { regionCode: region, address: "洪水镇 北滩村 砂石料场" },
      complainant: { name: NAME, phone: PHONE },
    },
  });
  return reply.complaint.complaintId as string;
}

async function accept(complaintId: string): Promise<void> {
  await call("demo-supervisor", "ComplaintService/AcceptComplaint", { commandId: commandId(), complaintId, notice: { channel: "COMPLAINANT_NOTICE_CHANNEL_PHONE" } });
}

async function openComplaint(page: Page, complaintId: string): Promise<void> {
  await page.goto(`${url()}/console/complaints/${encodeURIComponent(complaintId)}`);
  await expect(page.locator("#complaint .facts, #complaint .error").first()).toBeVisible();
}

// The facts row `label` (a <dt>) and its value.
function fact(page: Page, label: string) {
  return page.locator("#complaint .facts dt", { hasText: new RegExp(`^${label}$`) }).locator("xpath=following-sibling::dd[1]");
}

function expectNoComplainant(page: Page): Promise<void> {
  return expectNoneOf(page, [NAME, PHONE]);
}

// The case through its life, closed without a remark (as the console's
// close does).
async function workToClosed(caseId: string): Promise<void> {
  await call("demo-supervisor", "CaseService/AssignCase", {
    commandId: commandId(),
    caseId,
    responsibleUnit: "minle-hongshui-town",
    requirements: "料堆全部覆盖，夜间停止作业",
    rectificationDueAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
  });
  await call("demo-rectifier", "CaseService/StartRectification", { commandId: commandId(), caseId });
  await call("demo-rectifier", "CaseService/SubmitCompletion", { commandId: commandId(), caseId, summary: "料堆已全部覆盖" });
  await call("demo-supervisor", "CaseService/VerifyRectification", { commandId: commandId(), caseId, passed: true, notes: "夜间复查无扬尘" });
  await call("demo-supervisor", "CaseService/CloseCase", { commandId: commandId(), caseId });
}

test("不属本局职责：转办有权机关，并告知举报人", async ({ page }) => {
  test.setTimeout(120_000);
  const errors = collectErrors(page);
  const id = await receive(`12369-T-${Date.now()}`, "村民私挖河道采砂");
  await logIn(page, "wangqiang");
  await openComplaint(page, id);
  // Received today: 15 days to accept or pass on.
  await expect(page.locator("#complaint-clocks")).toHaveText(clock("受理期限", 15));
  await page.getByRole("button", { name: "转办" }).click();
  await page.getByLabel("转交机关（必填）").fill("民乐县水务局");
  await page.getByLabel("转办理由（必填）").fill("反映的是河道非法采砂，属水行政主管部门职责");
  await page.getByLabel("告知举报人方式").selectOption({ label: "短信告知" });
  await confirm(page);
  await expect(fact(page, "状态")).toHaveText("已转办");
  await expect(fact(page, "转办")).toHaveText("民乐县水务局：反映的是河道非法采砂，属水行政主管部门职责（已短信告知举报人）");
  // Passed on within the 15 days: no clock runs, no step is left.
  await expect(page.locator("#complaint-clocks")).toHaveText("没有进行中的期限");
  await expect(page.locator("#complaint-actions button")).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("多人举报同一企业：三件并入一个问题，办理中阶段性答复，办结后各答复一次", async ({ page }) => {
  test.setTimeout(240_000);
  const errors = collectErrors(page);
  const stamp = Date.now();
  const ids = [
    await receive(`12369-D-${stamp}-1`, "北滩村砂石料场夜间扬尘"),
    await receive(`12369-D-${stamp}-2`, "砂石料场料堆不覆盖"),
    await receive(`12369-D-${stamp}-3`, "北滩村料场粉尘扰民"),
  ];
  for (const id of ids) await accept(id);
  const opened = await call("demo-supervisor", "ComplaintService/OpenCaseFromComplaint", { commandId: commandId(), complaintId: ids[0], severity: "SEVERITY_MEDIUM" });
  const caseId = opened.caseId as string;
  await call("demo-supervisor", "ComplaintService/AttachComplaintToCase", { commandId: commandId(), complaintId: ids[2], caseId, note: "同一料场" });

  await logIn(page, "wangqiang");
  // The second is attached in the console.
  await openComplaint(page, ids[1]);
  await page.getByRole("button", { name: "并入已有问题" }).click();
  await page.getByLabel("问题编号（必填）").fill(caseId);
  await page.getByLabel("并案理由").fill("与同一料场的举报重复");
  await confirm(page);
  await expect(fact(page, "并案")).toHaveText(caseId);
  // Accepted today: 60 days to reply.
  await expect(page.locator("#complaint-clocks")).toHaveText(clock("答复期限", 60));

  // While the case is open: an interim reply, quoting the case's status;
  // the reply clock runs on.
  await page.getByRole("button", { name: "答复举报人" }).click();
  await page.getByLabel("答复内容（必填）").fill("您反映的问题已立案，正在督促整改，办结后再行答复。");
  await page.getByLabel("答复类型").selectOption({ label: "阶段性答复" });
  await page.getByLabel("告知举报人方式").selectOption({ label: "电话告知" });
  await confirm(page);
  await expect(fact(page, "阶段性答复")).toContainText(`您反映的问题已立案，正在督促整改，办结后再行答复。（引用：${caseId}（待交办））（已电话告知举报人）`);
  await expect(fact(page, "状态")).toHaveText("办理中");
  await expect(page.locator("#complaint-clocks")).toHaveText(clock("答复期限", 60));

  await workToClosed(caseId);

  // One final reply each: the second in the console, the others through the API.
  await page.reload();
  await page.getByRole("button", { name: "答复举报人" }).click();
  await page.getByLabel("答复内容（必填）").fill("经查属实，料场已整改到位。");
  await page.getByLabel("告知举报人方式").selectOption({ label: "电话告知" });
  await confirm(page);
  const outcome = "整改情况：料堆已全部覆盖；验收合格：夜间复查无扬尘";
  await expect(fact(page, "状态")).toHaveText("已答复");
  await expect(fact(page, "答复")).toContainText(`经查属实，料场已整改到位。（引用：${caseId} ${outcome}）（已电话告知举报人）`);
  for (const id of [ids[0], ids[2]]) {
    await call("demo-supervisor", "ComplaintService/ReplyToComplaint", {
      commandId: commandId(),
      complaintId: id,
      text: "经查属实，料场已整改到位。",
      notice: { channel: "COMPLAINANT_NOTICE_CHANNEL_PHONE" },
    });
  }
  for (const id of ids) {
    const got = await call("demo-supervisor", "ComplaintService/GetComplaint", { complaintId: id });
    const finals = (got.complaint.replies as any[]).filter((r) => !r.interim);
    expect(finals.length, id).toBe(1);
    expect(finals[0].quotedCases.map((q: any) => [q.caseId, q.status, q.outcome])).toEqual([[caseId, "CASE_STATUS_CLOSED", outcome]]);
    expect(got.complaint.status).toBe("COMPLAINT_STATUS_REPLIED");
  }
  // A second final reply is refused.
  await expect(
    call("demo-supervisor", "ComplaintService/ReplyToComplaint", { commandId: commandId(), complaintId: ids[0], text: "再次答复", notice: { channel: "COMPLAINANT_NOTICE_CHANNEL_PHONE" } }),
  ).rejects.toThrow();
  expect(errors).toEqual([]);
});

test("延期答复、现场核查查无实据、复查申请与答复、回访不满意", async ({ page, browser }) => {
  test.setTimeout(240_000);
  const errors = collectErrors(page);
  const id = await receive(`12369-R-${Date.now()}`, "夜间有刺鼻气味");
  await accept(id);

  // The bureau head approves +30 days; the reason is told.
  const head = await browser.newPage();
  await logIn(head, "chenju");
  await openComplaint(head, id);
  await head.getByRole("button", { name: "批准延期答复" }).click();
  await head.getByLabel("延期理由（必填）").fill("需委托第三方连续监测一周");
  await head.getByLabel("告知举报人方式").selectOption({ label: "书面告知" });
  await confirm(head);
  await expect(fact(head, "延期")).toHaveText("延长 30 日：需委托第三方连续监测一周（已书面告知举报人）");
  // 90 days from today's acceptance.
  await expect(head.locator("#complaint-clocks")).toContainText(`还剩 ${byHand(90).left} 天（截止 ${byHand(90).lastDay}）`);
  await expect(head.getByRole("button", { name: "批准延期答复" })).toHaveCount(0);
  await head.close();

  // A site check finds nothing: closed as unfounded.
  await logIn(page, "wangqiang");
  await openComplaint(page, id);
  const today = chinaDay(Date.now());
  // The record of the check (300 KB, two of the gateway's messages) and a
  // photo, uploaded from the dialog's file input; their SHA-256 computed
  // here with node's crypto, independent of the page's.
  const record = Buffer.alloc(300 * 1024, 0);
  for (let i = 0; i < record.length; i++) record[i] = (i * 31 + 7) % 256;
  const photo = Buffer.from("\xff\xd8\xff\xe0 a tiny stand-in for a JPEG \xff\xd9", "latin1");
  const recordSha = createHash("sha256").update(record).digest("hex");
  const documentsLabel = "核查材料（现场检查笔录、照片，1至20份，每份不超过64 MiB）（必填）";
  await page.getByRole("button", { name: "查无实据" }).click();
  await page.getByLabel("核查日期（必填）").fill(today);
  await page.getByLabel("核查人员账号（以逗号分隔）（必填）").fill("insp-zhang, insp-li");
  await page.getByLabel("核查情况（必填）").fill("夜间两次现场检查，厂界无异味，企业已停产");
  // No file: refused in the dialog, in Chinese, before anything is sent.
  await page.getByRole("button", { name: "确认" }).click();
  await expect(page.locator("#dialog-error")).toHaveText(`请选择「${documentsLabel.replace("（必填）", "")}」`);
  // 21 files: more than a close may name.
  await page.getByLabel(documentsLabel).setInputFiles(
    Array.from({ length: 21 }, (_, i) => ({ name: `照片${i + 1}.jpg`, mimeType: "image/jpeg", buffer: photo })),
  );
  await page.getByRole("button", { name: "确认" }).click();
  await expect(page.locator("#dialog-error")).toHaveText("核查材料最多 20 份，已选择 21 份");
  await page.getByLabel(documentsLabel).setInputFiles([
    { name: "现场核查记录.pdf", mimeType: "application/pdf", buffer: record },
    { name: "厂界照片.jpg", mimeType: "image/jpeg", buffer: photo },
  ]);
  await confirm(page);
  await expect(fact(page, "查无实据")).toContainText("现场核查（insp-zhang、insp-li）：夜间两次现场检查，厂界无异味，企业已停产");
  const documents = page.locator("ul.site-check-documents li");
  await expect(documents).toHaveCount(2);
  await expect(documents.nth(0)).toContainText(`现场核查记录.pdf（300.0 KiB） SHA-256：${recordSha}`);
  // Downloaded back through the link: the same bytes.
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "现场核查记录.pdf" }).click()]);
  expect(download.suggestedFilename()).toBe("现场核查记录.pdf");
  const saved = `${shots}/site-check-record.pdf`;
  await download.saveAs(saved);
  expect(readFileSync(saved).equals(record)).toBe(true);
  // The case's unit never sees the complaint, nor its documents.
  const unitGet = await fetch(`${url()}/complaint-documents/${encodeURIComponent(id)}/scd-1`, { headers: { Authorization: "Bearer demo-rectifier" } });
  expect(unitGet.status).toBe(404);

  await page.getByRole("button", { name: "答复举报人" }).click();
  await page.getByLabel("答复内容（必填）").fill("经现场核查，未发现您反映的问题。");
  await page.getByLabel("告知举报人方式").selectOption({ label: "电话告知" });
  await confirm(page);
  await expect(fact(page, "状态")).toHaveText("已答复");
  // Replied today: 30 days to ask for a review.
  await expect(page.locator("#complaint-clocks")).toHaveText(clock("申请复查期限", 30));

  await page.getByRole("button", { name: "登记复查申请" }).click();
  await page.getByLabel("复查理由（必填）").fill("夜间仍有气味，要求复查");
  await confirm(page);
  await expect(fact(page, "状态")).toHaveText("复查中");
  await expect(fact(page, "复查申请")).toHaveText("夜间仍有气味，要求复查");
  // Asked today: 30 days to answer.
  await expect(page.locator("#complaint-clocks")).toHaveText(clock("复查答复期限", 30));

  await page.getByRole("button", { name: "复查答复" }).click();
  await page.getByLabel("复查意见（必填）").fill("复查时企业仍停产，未发现异味，维持原答复");
  await page.getByLabel("复查结论").selectOption({ label: "维持原答复" });
  await page.getByLabel("告知举报人方式").selectOption({ label: "当面告知" });
  await confirm(page);
  await expect(fact(page, "状态")).toHaveText("复查已答复");
  await expect(fact(page, "复查答复")).toHaveText("维持原答复：复查时企业仍停产，未发现异味，维持原答复（已当面告知举报人）");

  // Not satisfied needs a note: the server's Chinese reason, the dialog kept.
  await page.getByRole("button", { name: "回访" }).click();
  await page.getByLabel("回访结果").selectOption({ label: "不满意" });
  await page.getByRole("button", { name: "确认" }).click();
  await expect(page.locator("#dialog-error")).toContainText("备注：必填");
  await page.getByLabel("回访记录（不满意时必填）").fill("举报人认为夜间检查次数太少");
  await confirm(page);
  await expect(fact(page, "回访")).toContainText("不满意 举报人认为夜间检查次数太少");
  expect(errors).toEqual([]);
});

test("审计人员可查看信访件但看不到举报人；整改单位看不到信访件", async ({ page, browser }) => {
  test.setTimeout(180_000);
  const id = await receive(`12369-P-${Date.now()}`, "料场夜间扬尘扰民");
  await accept(id);
  const opened = await call("demo-supervisor", "ComplaintService/OpenCaseFromComplaint", { commandId: commandId(), complaintId: id, severity: "SEVERITY_MEDIUM" });
  const caseId = opened.caseId as string;
  await call("demo-supervisor", "CaseService/AssignCase", {
    commandId: commandId(),
    caseId,
    responsibleUnit: "minle-hongshui-town",
    requirements: "料堆全部覆盖",
    rectificationDueAt: new Date(Date.now() + 20 * 86_400_000).toISOString(),
  });

  // The supervisor of the jurisdiction sees who complained.
  await logIn(page, "wangqiang");
  await openComplaint(page, id);
  await expect(page.locator("#complainant")).toHaveText(`${NAME} ${PHONE}`);

  // An AUDITOR reads the complaint, its clocks and its link, never who
  // complained, and has no step to take.
  const auditor = await browser.newPage();
  await logIn(auditor, "zhoushenji");
  await openComplaint(auditor, id);
  await expect(fact(auditor, "状态")).toHaveText("办理中");
  await expect(fact(auditor, "立案")).toHaveText(caseId);
  await expect(auditor.locator("#complaint-clocks")).toHaveText(clock("答复期限", 60));
  await expect(auditor.locator("#complainant")).toHaveCount(0);
  await expect(auditor.locator("#complaint-actions button")).toHaveCount(0);
  await expectNoComplainant(auditor);
  const audited = await call("demo-auditor", "ComplaintService/GetComplaint", { complaintId: id });
  expect(JSON.stringify(audited)).not.toContain(NAME);
  expect(JSON.stringify(audited)).not.toContain(PHONE);
  await auditor.close();

  // The unit: its case page shows neither the complainant nor the complaint;
  // the complaint is not found for it.
  const unit = await browser.newPage();
  await logIn(unit, "hongshui");
  await unit.goto(`${url()}/cases/${caseId}`);
  await expect(unit.locator("#case-status")).toHaveText("已交办");
  await expectNoComplainant(unit);
  expect(await unit.content()).not.toContain(id);
  await expect(call("demo-rectifier", "ComplaintService/GetComplaint", { complaintId: id })).rejects.toMatchObject({ code: "not_found" });
  const listed = await call("demo-rectifier", "ComplaintService/ListComplaints", {}).catch((e) => e);
  expect(JSON.stringify(listed)).not.toContain(id);
  await unit.close();
});

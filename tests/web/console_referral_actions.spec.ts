// The later steps of a referral in the console, each by the role DOMAIN.md
// names, through the case page's confirmation dialogs, Debian's Chromium
// against the real binaries: the police ask for a 30-day review and are
// refused (no approval yet) with the server's reason in the dialog; the
// head of that police unit approves it; the police extend and then
// decline; the supervisor asks for reconsideration; the police uphold the
// decline; the supervisor asks the procuratorate to supervise; the
// procuratorate sees the request waiting for it, then the police's
// explanation arrive live; the supervisor withdraws the referral. A second
// referral shows that a withdrawal once ended cannot be repeated and that
// a head of another unit is refused.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { patternWithRequestId, withRequestId } from "./request_id";
import { call, collectErrors, commandId, logIn, sentReferral, url } from "./console_api";

async function session(browser: Browser, account: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  await logIn(page, account);
  return page;
}

// A case with a referral the police have signed for (sentReferral, then
// the police sign).
async function receivedReferral(title: string): Promise<{ caseId: string; referralId: string }> {
  const { caseId, referralId } = await sentReferral(title);
  await call("demo-police", "CaseService/ReceiveReferral", { commandId: commandId(), caseId, referralId });
  return { caseId, referralId };
}

// An account made by the admin for this run (the demo has no head of the
// police unit and no supervisor of another county).
async function account(prefix: string, role: string, unitId: string, jurisdiction: string, displayName: string): Promise<string> {
  const name = `${prefix}-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
  await call("demo-admin", "AdminService/CreateAccount", {
    commandId: commandId(),
    accountName: name,
    displayName,
    role,
    unitId,
    jurisdiction,
    password: "rectify-demo-2026",
  });
  return name;
}

async function act(page: Page, button: string, fill: Record<string, string> = {}, select: Record<string, string> = {}): Promise<void> {
  await page.getByRole("button", { name: button, exact: true }).click();
  const dialog = page.locator("dialog.action-dialog");
  await expect(dialog).toBeVisible();
  // A required field's label ends with 「（必填）」.
  const labelled = (label: string) => dialog.getByLabel(new RegExp(`^${label.replace(/[()（）]/g, "\\$&")}(（必填）)?$`));
  for (const [label, value] of Object.entries(select)) await labelled(label).selectOption({ label: value });
  for (const [label, value] of Object.entries(fill)) await labelled(label).fill(value);
  await dialog.getByRole("button", { name: "确认" }).click();
}

async function stateOf(caseId: string): Promise<any> {
  return (await call("demo-supervisor", "CaseService/GetCase", { caseId })).case.referrals[0];
}

test("移送后续：30 日审查须公安负责人批准，复议、提请监督、不立案说明、撤回，各由其角色在案件页确认办理", async ({ browser }) => {
  test.setTimeout(240_000); // eleven steps across five sessions
  const { caseId, referralId } = await receivedReferral("暗管排放含重金属废水");
  const headName = await account("psb-head", "ROLE_BUREAU_HEAD", "minle-psb", "620722", "钱局长");
  const casePath = `${url()}/console/cases/${caseId}`;

  // The police ask for 30 days without the approval: refused, in the dialog.
  const police = await session(browser, "zhaojingguan");
  const policeErrors = collectErrors(police);
  await police.goto(casePath);
  await act(police, "延长审查期限", { 理由: "案情复杂，需委托鉴定" }, { "审查期限（日）": "30 日" });
  const dialog = police.locator("dialog.action-dialog");
  await expect(dialog.locator("#dialog-error")).toHaveText(withRequestId(
    `操作未执行：案件 ${caseId} 的移送 ${referralId} 尚未批准 30 天的审查期限，须先经公安机关负责人批准（环环监〔2017〕17号 第十一条）`));
  await dialog.getByRole("button", { name: "取消" }).click();
  expect((await stateOf(caseId)).filingReviewDays ?? 3).toBe(3);

  // The head of the police unit approves the 30 days; the eco bureau's head is not offered it.
  const head = await session(browser, headName);
  await head.goto(casePath);
  await act(head, "批准延长审查期限至 30 日", { 审批意见: "同意，案情复杂" });
  await expect(head.locator("#case-message")).toHaveText("「批准延长审查期限至 30 日」已完成");
  expect((await stateOf(caseId)).reviewExtensionApprovedDays).toBe(30);
  const ecoHead = await session(browser, "chenju");
  await ecoHead.goto(casePath);
  await expect(ecoHead.locator("#case-body")).toContainText("已签收审查中");
  await expect(ecoHead.getByRole("button", { name: "批准延长审查期限至 30 日" })).toHaveCount(0);

  // Now the police extend to 30 days (live: the page re-read the case), then decline.
  await expect(police.locator("#referrals")).toContainText("钱局长批准 30 日");
  await act(police, "延长审查期限", { 理由: "案情复杂，需委托鉴定" }, { "审查期限（日）": "30 日" });
  await expect(police.locator("#referrals")).toContainText("30 日（钱局长批准 30 日）");
  await act(police, "作出立案决定", { "理由（不予立案或退回时必填）": "现有证据不足以证明排放物超标三倍以上" }, { 决定: "不予立案" });
  await expect(police.locator("#referrals")).toContainText("不予立案");

  // The supervisor asks the police to reconsider.
  const supervisor = await session(browser, "wangqiang");
  await supervisor.goto(casePath);
  await act(supervisor, "要求公安复议", { 复议理由: "监测报告显示总铬超标 8 倍，证据充分" });
  await expect(supervisor.locator("#referrals")).toContainText("复议中");
  expect((await stateOf(caseId)).reconsiderationGrounds).toBe("监测报告显示总铬超标 8 倍，证据充分");

  // The police uphold the decline on reconsideration.
  await act(police, "作出复议决定", { "理由（维持不予立案时必填）": "复议后仍认为证据不足" }, { 复议决定: "维持不予立案" });
  await expect(police.locator("#referrals")).toContainText("维持不予立案");

  // The supervisor asks the procuratorate to supervise; it waits for the procuratorate.
  await expect(supervisor.locator("#referrals")).toContainText("维持不予立案");
  await act(supervisor, "提请检察院立案监督", { 提请监督理由: "公安机关应当立案而不立案" });
  await expect(supervisor.locator("#referrals")).toContainText("检察监督中");
  const procurator = await session(browser, "sunjianchaguan");
  const procRow = procurator.locator("#referral-table tr", { hasText: caseId });
  await expect(procRow).toContainText("检察监督中");
  await expect(procRow).toContainText("待您办理");
  await expect(procRow).toContainText("提请监督理由：公安机关应当立案而不立案");
  await expect(procRow).toContainText("不立案说明期限");

  // The police explain to the procuratorate; it arrives on the open page.
  await act(police, "向检察院说明不立案理由", { 不立案理由说明: "经复核，排放量未达立案追诉标准" });
  await expect(procRow).toContainText("公安不立案说明：经复核，排放量未达立案追诉标准");
  await expect(police.getByRole("button", { name: "向检察院说明不立案理由" })).toHaveCount(0);

  // The supervisor withdraws the referral: it ends and no action is left on it.
  await act(supervisor, "撤回移送", { 撤回理由: "已另案移送县公安局食药环侦大队" });
  await expect(supervisor.locator("#referrals")).toContainText("已撤回");
  await expect(supervisor.locator("#referrals")).toContainText("撤回理由：已另案移送县公安局食药环侦大队");
  await expect(supervisor.getByRole("button", { name: "撤回移送" })).toHaveCount(0);
  const ended = await stateOf(caseId);
  expect(ended.state).toBe("REFERRAL_STATE_WITHDRAWN");
  await expect(procRow).toContainText("已撤回");
  expect(policeErrors).toEqual([]);
  for (const p of [police, head, ecoHead, supervisor, procurator]) await p.context().close();
});

test("移送后续的拒绝：页面过时后重复撤回被服务器拒绝并显示原因", async ({ browser }) => {
  const { caseId, referralId } = await receivedReferral("渗坑排放废水");
  const supervisor = await session(browser, "wangqiang");
  await supervisor.goto(`${url()}/console/cases/${caseId}`);
  await expect(supervisor.getByRole("button", { name: "撤回移送" })).toBeVisible();
  // Someone else withdraws it first (the page has not re-read yet when the dialog opens).
  await supervisor.getByRole("button", { name: "撤回移送", exact: true }).click();
  await call("demo-supervisor", "CaseService/WithdrawReferral", { commandId: commandId(), caseId, referralId, reason: "另一位负责人已撤回" });
  const dialog = supervisor.locator("dialog.action-dialog");
  await dialog.getByLabel("撤回理由（必填）", { exact: true }).fill("重复撤回");
  await dialog.getByRole("button", { name: "确认" }).click();
  // The dialog carries the version the page read: the server refuses (a
  // changed record, or an ended referral) and the dialog says why.
  await expect(dialog.locator("#dialog-error")).toHaveText(
    patternWithRequestId(`操作未执行：案件 ${caseId} 已被他人更新（当前为第 \\d+ 版，您看到的是第 \\d+ 版），请刷新后重试`));
  const referral = (await call("demo-supervisor", "CaseService/GetCase", { caseId })).case.referrals[0];
  expect(referral.withdrawalReason).toBe("另一位负责人已撤回");
  await supervisor.context().close();
});

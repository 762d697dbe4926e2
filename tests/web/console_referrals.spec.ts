// The referral path in the console across four browser sessions, Debian's
// Chromium against the real binaries: an inspector (their tablet's call)
// proposes with a second inspector; the bureau head sees it arrive live in
// the approval list with the days left on the approval clock and approves;
// the supervisor sends it; the police sign the receipt and file it; the
// procuratorate sees the referral and its stage. Neither the police nor the
// procuratorate ever see the hotline complainant.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { call, collectErrors, commandId, freshRegion, logIn, url } from "./console_api";

const shots = process.env.RECTIFY_WEB_TEST_OUT ?? "/tmp/rectify-web-test-results";

async function session(browser: Browser, account: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  await logIn(page, account);
  return page;
}

// 「还剩 N 天」 for a due instant, counted here the way the server's
// countdown is defined (DeadlineCountdown): the calendar days after today
// (Beijing) up to the deadline's last day, the day its last moment falls in.
function daysLeft(due: string): string {
  const day = (t: number) => Date.parse(new Date(t + 8 * 3600_000).toISOString().slice(0, 10));
  const days = (day(Date.parse(due) - 1) - day(Date.now())) / 86_400_000;
  return `还剩 ${days} 天`;
}

test("移送：局领导实时看到待审批并批准，科室负责人移送，公安签收立案，检察院看到阶段且看不到投诉人", async ({ browser }) => {
  const region = freshRegion();
  const reported = await call("demo-inspector", "CaseService/ReportCase", {
    commandId: commandId(),
    title: "非法倾倒危险废物",
    category: "CATEGORY_SOLID_WASTE",
    severity: "SEVERITY_CRITICAL",
    source: "CASE_SOURCE_HOTLINE_12369",
    location: { regionCode: region, address: "三堡镇 废弃砖厂" },
    complainant: { name: "赵某某", phone: "13900001111" },
    foundAt: new Date(Date.now() - 60_000).toISOString(),
  });
  const caseId = reported.case.caseId as string;

  // The bureau head's approval list is open when the proposal arrives.
  const head = await session(browser, "chenju");
  const headErrors = collectErrors(head);
  await head.goto(url() + "/console/referrals");
  await expect(head.getByRole("heading", { level: 1 })).toHaveText("移送审批");
  await expect(head.locator("#live-status")).toHaveText("● 实时更新中");
  await call("demo-inspector", "CaseService/ProposeReferral", {
    commandId: commandId(),
    caseId,
    suspectedOffence: "污染环境罪",
    report: "现场发现约 20 吨废矿物油桶，经两名执法人员调查，涉嫌污染环境罪。",
    proposingOfficers: ["insp-zhang", "insp-li"],
  });
  const proposed = (await call("demo-supervisor", "CaseService/GetCase", { caseId })).case;
  const approvalClock = proposed.deadlines.find((d: any) => d.kind === "DEADLINE_KIND_REFERRAL_APPROVAL");
  const row = head.locator(`#referral-table tr`, { hasText: caseId });
  await expect(row).toContainText("待局领导审批");
  await expect(row).toContainText("待您办理");
  await expect(row).toContainText(`移送审批期限`);
  await expect(row).toContainText(daysLeft(approvalClock.dueAt));
  await head.screenshot({ path: `${shots}/console-referrals-head.png`, fullPage: true });
  await row.getByRole("link", { name: caseId }).click();
  await head.getByRole("button", { name: "批准移送", exact: true }).click();
  await head.getByRole("button", { name: "确认" }).click();
  await expect(head.locator("#referrals")).toContainText("已批准待移送");

  // The supervisor sends it to the police with a copy to the procuratorate.
  const supervisor = await session(browser, "wangqiang");
  await supervisor.goto(`${url()}/console/cases/${caseId}`);
  await expect(supervisor.locator("#case-facts")).toContainText("赵某某"); // a supervisor may see the complainant
  await supervisor.getByRole("button", { name: "移送公安机关" }).click();
  await supervisor.getByRole("button", { name: "确认" }).click();
  await expect(supervisor.locator("#referrals")).toContainText("已移送待签收");

  // The police inbox: the referral, its receipt clock; sign, then file.
  const police = await session(browser, "zhaojingguan");
  const policeErrors = collectErrors(police);
  await expect(police).toHaveURL(url() + "/console/referrals");
  await expect(police.getByRole("heading", { level: 1 })).toHaveText("移送案件收件箱");
  const sent = (await call("demo-supervisor", "CaseService/GetCase", { caseId })).case;
  const receipt = sent.deadlines.find((d: any) => d.kind === "DEADLINE_KIND_REFERRAL_RECEIPT" && d.state === "DEADLINE_STATE_OPEN");
  const policeRow = police.locator(`#referral-table tr`, { hasText: caseId });
  await expect(policeRow).toContainText("已移送待签收");
  if (receipt) await expect(policeRow).toContainText(daysLeft(receipt.dueAt));
  await police.screenshot({ path: `${shots}/console-police-inbox.png`, fullPage: true });
  await policeRow.getByRole("link", { name: caseId }).click();
  await expect(police.locator("body")).not.toContainText("赵某某");
  await expect(police.locator("body")).not.toContainText("13900001111");
  await police.getByRole("button", { name: "签收" }).click();
  await police.getByRole("button", { name: "确认" }).click();
  await expect(police.locator("#referrals")).toContainText("已签收审查中");
  await police.getByRole("button", { name: "作出立案决定" }).click();
  await police.getByLabel("决定", { exact: true }).selectOption({ label: "立案" });
  await police.getByLabel("立案编号（立案时填写）").fill("民公（环）立字〔2026〕18号");
  await police.getByRole("button", { name: "确认" }).click();
  await expect(police.locator("#referrals")).toContainText("已立案");
  await expect(police.locator("body")).not.toContainText("赵某某");

  // The procuratorate sees every referral of the jurisdiction with its stage.
  const procurator = await session(browser, "sunjianchaguan");
  await expect(procurator.getByRole("heading", { level: 1 })).toHaveText("移送监督");
  const procRow = procurator.locator(`#referral-table tr`, { hasText: caseId });
  await expect(procRow).toContainText("已立案");
  await procRow.getByRole("link", { name: caseId }).click();
  await expect(procurator.getByRole("heading", { level: 1 })).toHaveText("非法倾倒危险废物");
  await expect(procurator.locator("body")).not.toContainText("赵某某");
  await expect(procurator.locator("body")).not.toContainText("13900001111");
  expect(headErrors).toEqual([]);
  expect(policeErrors).toEqual([]);
  for (const p of [head, supervisor, police, procurator]) await p.context().close();
});

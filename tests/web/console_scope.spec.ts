// Jurisdiction in the console, Debian's Chromium against the real binaries:
// a supervisor of another county (Ganzhou District, 620702, an account the
// admin makes for this test) sees nothing of a Minle County (620722) case
// that has a referral and a hotline complainant: not in the case list of
// its own scope, not when asking for the Minle region, not on the case
// page, not among the referrals, not in the monthly report of that region;
// and the Minle supervisor does see it (the case is there to be seen).
// The city's auditor reads a county case read-only: the verified history,
// no complainant, no action, and a command of theirs refused.
import { expect, test } from "@playwright/test";
import { withRequestId } from "./request_id";
import { call, collectErrors, commandId, freshRegion, logIn, PASSWORD, url } from "./console_api";

test("其他县的科室负责人看不到本县的问题、移送和报告", async ({ browser }) => {
  const region = freshRegion();
  const reported = await call("demo-inspector", "CaseService/ReportCase", {
    commandId: commandId(),
    title: "尾矿库渗漏",
    category: "CATEGORY_WATER",
    severity: "SEVERITY_HIGH",
    source: "CASE_SOURCE_HOTLINE_12369",
    location: { regionCode: region, address: "南古镇 尾矿库" },
    complainant: { name: "钱某某", phone: "13700002222" },
    foundAt: new Date(Date.now() - 60_000).toISOString(),
  });
  const caseId = reported.case.caseId as string;
  await call("demo-inspector", "CaseService/ProposeReferral", {
    commandId: commandId(),
    caseId,
    suspectedOffence: "污染环境罪",
    report: "经两名执法人员调查，尾矿库渗漏含重金属废水，涉嫌污染环境罪。",
    proposingOfficers: ["insp-zhang", "insp-li"],
  });
  const name = `gz-sup-${process.pid}-${Math.floor(Math.random() * 1e6)}`;
  await call("demo-admin", "AdminService/CreateAccount", {
    commandId: commandId(),
    accountName: name,
    displayName: "甘州区调度",
    role: "ROLE_SUPERVISOR",
    unitId: "ganzhou-eeb",
    jurisdiction: "620702",
    password: PASSWORD,
  });

  // The Minle supervisor sees it (so its absence below means something).
  const minle = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await logIn(minle, "wangqiang");
  await minle.goto(`${url()}/console/cases?region=${region}`);
  await expect(minle.locator(`#case-table tr[data-case="${caseId}"]`)).toBeVisible();
  await minle.goto(`${url()}/console/referrals`);
  await expect(minle.locator("#referral-table")).toContainText(caseId);

  const other = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  const errors = collectErrors(other);
  await logIn(other, name);
  await expect(other.locator("#who-jurisdiction")).toHaveText("甘肃省张掖市甘州区");
  // Its own case list: no Minle case at all.
  await other.goto(`${url()}/console/cases`);
  await expect(other.locator("#case-count")).not.toHaveText("");
  await expect(other.locator("body")).not.toContainText("620722-");
  // Asking for the Minle region: refused, nothing listed.
  await other.goto(`${url()}/console/cases?region=${region}`);
  await expect(other.getByRole("alert").first()).toHaveText(withRequestId(`操作未执行：区域 ${region} 不在您的辖区（620702）内`));
  await expect(other.locator(`#case-table tr[data-case="${caseId}"]`)).toHaveCount(0);
  // The case page: refused, neither title nor complainant shown.
  await other.goto(`${url()}/console/cases/${caseId}`);
  await expect(other.getByRole("alert")).toContainText("操作未执行：");
  await expect(other.locator("body")).not.toContainText("尾矿库渗漏");
  await expect(other.locator("body")).not.toContainText("钱某某");
  // The referrals of its scope: not this one.
  await other.goto(`${url()}/console/referrals`);
  await expect(other.locator("#referrals")).not.toContainText("正在加载");
  await expect(other.locator("#referrals")).not.toContainText(caseId);
  // The monthly report of the Minle region: refused.
  const beijing = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 7);
  await other.goto(`${url()}/console/report?month=${beijing}&region=${region}`);
  await expect(other.locator("#report-status")).toHaveText(`操作未执行：区域 ${region} 不在您的辖区（620702）内`);
  await expect(other.locator("#report-frame")).toBeHidden();
  // The dashboard of the Minle region: refused.
  await other.goto(`${url()}/console?region=${region}`);
  await expect(other.getByRole("alert").first()).toContainText("操作未执行：");
  expect(errors).toEqual([]);
  await other.context().close();
  await minle.context().close();
});

test("审计人员：只读查看辖区内问题，历史哈希链已校验，看不到投诉人，没有任何操作", async ({ browser }) => {
  const region = freshRegion();
  const reported = await call("demo-inspector", "CaseService/ReportCase", {
    commandId: commandId(),
    title: "夜间露天焚烧秸秆",
    category: "CATEGORY_AIR",
    severity: "SEVERITY_MEDIUM",
    source: "CASE_SOURCE_HOTLINE_12369",
    location: { regionCode: region, address: "新天镇 农田" },
    complainant: { name: "孙某某", phone: "13600003333" },
    foundAt: new Date(Date.now() - 60_000).toISOString(),
  });
  const caseId = reported.case.caseId as string;
  await call("demo-supervisor", "CaseService/AssignCase", {
    commandId: commandId(),
    caseId,
    responsibleUnit: "minle-liuba-town",
    requirements: "立即制止并清理",
    rectificationDueAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
  });
  // The city's auditor (jurisdiction 6207) reads the county's case.
  const auditor = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  const errors = collectErrors(auditor);
  await logIn(auditor, "zhoushenji");
  await auditor.goto(`${url()}/console/cases?region=${region}`);
  await expect(auditor.locator(`#case-table tr[data-case="${caseId}"]`)).toBeVisible();
  await auditor.goto(`${url()}/console/cases/${caseId}`);
  await expect(auditor.getByRole("heading", { level: 1 })).toHaveText("夜间露天焚烧秸秆");
  // Every record of the history checked, as many as the server holds.
  await expect(auditor.locator("#history-badge")).toHaveText(/^✔ 历史已校验（\d+ 条记录哈希链完整）$/);
  const events = (await call("demo-auditor", "CaseService/GetCaseHistory", { caseId })).events.length;
  await expect(auditor.locator("#history-badge")).toHaveText(`✔ 历史已校验（${events} 条记录哈希链完整）`);
  await expect(auditor.locator("#timeline li")).toHaveCount(events);
  await expect(auditor.locator("#case-actions")).toHaveText("当前状态下您没有可进行的操作");
  await expect(auditor.locator("#case-actions button")).toHaveCount(0);
  await expect(auditor.locator("body")).not.toContainText("孙某某");
  await expect(auditor.locator("body")).not.toContainText("13600003333");
  // Read-only also at the server: an auditor's command is refused.
  await expect(
    call("demo-auditor", "CaseService/CloseAsUnfounded", { commandId: commandId(), caseId, reason: "审计试图关闭" }),
  ).rejects.toMatchObject({ code: "permission_denied" });
  expect(errors).toEqual([]);
  await auditor.context().close();
});

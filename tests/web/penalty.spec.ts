// The penalty path (处罚案件, issue 16) in the console across three browser
// sessions, Debian's Chromium against the real binaries: the supervisor
// opens a penalty case from a case (立案处罚) and lands on its page, linked
// back to the case; the bureau head approves the filing; an inspector
// records the investigation with a second inspector; the supervisor serves
// the prior notice of a 50,000 yuan fine; the head decides it (the server's
// document number); the supervisor serves it, is refused an order to correct
// with a past deadline (the server's Chinese reason in the dialog), issues
// and serves one; the inspector's recheck finds it corrected; the queue and
// the case page show the penalty case with its clocks' days left as the
// server counts them (checked here from the due instants). axe-core on the
// queue and the penalty page, and their screenshots. The server runs the
// real clock, so this spec's own stack turns the 5-working-day hearing
// request window off (the decision may otherwise only follow days later).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { withRequestId } from "./request_id";
import { seriousViolations } from "./axe";
import { call, collectErrors, commandId, freshRegion, logIn } from "./console_api";
import { startStack, stopStack, type Stack } from "./stack_setup";

const shots = process.env.RECTIFY_WEB_TEST_OUT ?? "/tmp/rectify-web-test-results";
let stack: Stack;

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const policy = join(shots, `penalty-policy-${process.pid}.txt`);
  writeFileSync(policy, "deadline: PENALTY_HEARING_REQUEST off\npenalty_document_prefix: 民环罚\n");
  stack = await startStack([`--policy_file=${policy}`], undefined, true);
});

test.afterAll(async () => {
  if (stack) await stopStack(stack);
});

async function session(browser: Browser, account: string): Promise<Page> {
  // bypassCSP lets axe-core's script tag in (tests/web/axe.ts).
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, bypassCSP: true });
  const page = await context.newPage();
  await logIn(page, account, stack.url);
  return page;
}

// 「还剩 N 天」 for a due instant, counted here as DeadlineCountdown defines
// it: the calendar days after today (Beijing) up to the deadline's last day.
function daysLeft(due: string): string {
  const day = (t: number) => Date.parse(new Date(t + 8 * 3600_000).toISOString().slice(0, 10));
  return `还剩 ${(day(Date.parse(due) - 1) - day(Date.now())) / 86_400_000} 天`;
}

// The clocks' names as a bureau user reads them (written out here, not
// taken from the app).
const clockNames: Record<string, string> = {
  DEADLINE_KIND_PENALTY_FILING: "立案期限",
  DEADLINE_KIND_PENALTY_DECISION: "处罚决定期限",
  DEADLINE_KIND_PENALTY_SERVICE: "送达期限",
  DEADLINE_KIND_PENALTY_PAYMENT: "缴纳罚款期限",
  DEADLINE_KIND_PENALTY_RECONSIDERATION_WINDOW: "申请行政复议期限",
  DEADLINE_KIND_PENALTY_LAWSUIT_WINDOW: "提起行政诉讼期限",
  DEADLINE_KIND_PENALTY_PUBLICATION: "信息公开期限",
  DEADLINE_KIND_CORRECTION_DEADLINE: "改正期限",
  DEADLINE_KIND_CORRECTION_RECHECK: "复查期限",
};

async function confirm(page: Page, button: string | RegExp, fill: (dialog: Page) => Promise<void> = async () => {}): Promise<void> {
  await page.getByRole("button", { name: button }).click();
  await fill(page);
  await page.getByRole("dialog").getByRole("button", { name: "确认" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
}

test("处罚案件：科室负责人从问题立案处罚，局领导批准立案，调查、告知、决定罚款、送达、责令改正及复查，队列显示各期限剩余天数", async ({ browser }) => {
  test.setTimeout(240_000);
  const base = stack.url;
  const region = freshRegion();
  const reported = await call(
    "demo-inspector",
    "CaseService/ReportCase",
    {
      commandId: commandId(),
      title: "建材公司暗管排放生产废水",
      category: "CATEGORY_WATER",
      severity: "SEVERITY_HIGH",
      source: "CASE_SOURCE_INSPECTION",
      location: { regionCode: region, address: "洪水镇 北滩村" },
      subject: { name: "民乐县某某建材有限公司", unifiedSocialCreditCode: "91620722MA71000018" },
      foundAt: new Date(Date.now() - 60_000).toISOString(),
    },
    base,
  );
  const caseId = reported.case.caseId as string;
  // The second inspector who signs with 张伟 (an account, as ListOfficers lists accounts).
  const second = `li${process.pid}${Math.floor(Math.random() * 1e6)}`;
  await call(
    "demo-admin",
    "AdminService/CreateAccount",
    { commandId: commandId(), accountName: second, displayName: "李娜", role: "ROLE_INSPECTOR", unitId: "minle-eeb", jurisdiction: "620722", password: "rectify-second-officer-2026" },
    base,
  );

  // The supervisor opens it from the case page and lands on the penalty case.
  const sup = await session(browser, "wangqiang");
  const supErrors = collectErrors(sup);
  await sup.goto(`${base}/console/cases/${caseId}`);
  await expect(sup.locator("#case-penalties")).toHaveText("处罚案件：无");
  await confirm(sup, "立案处罚");
  await expect(sup).toHaveURL(/\/console\/penalties\/P-620722-/);
  const penaltyId = decodeURIComponent(sup.url().split("/").pop() as string);
  await expect(sup.locator("#penalty-facts")).toContainText("待批准立案");
  await expect(sup.locator("#penalty-facts")).toContainText("民乐县某某建材有限公司");
  await expect(sup.locator("#source-case")).toHaveText(caseId);
  await expect(sup.locator("#penalty-clocks")).toContainText("立案期限");
  await expect(sup.locator("#penalty-actions")).toHaveText("当前状态下您没有可进行的操作");

  // The bureau head approves the filing.
  const head = await session(browser, "chenju");
  const headErrors = collectErrors(head);
  await head.goto(`${base}/console/penalties/${encodeURIComponent(penaltyId)}`);
  await confirm(head, "批准立案", (p) => p.getByLabel("审批意见").fill("同意立案调查"));
  await expect(head.locator("#penalty-facts")).toContainText("调查中");

  // An inspector (their console page for penalty cases) investigates with the second one.
  const insp = await session(browser, "zhangwei");
  const inspErrors = collectErrors(insp);
  await insp.goto(`${base}/console/penalties/${encodeURIComponent(penaltyId)}`);
  await confirm(insp, "调查终结", async (p) => {
    await p.getByLabel("共同执法人员（必填）").selectOption(second);
    await p.getByLabel("调查报告（必填）").fill("现场查明该公司通过暗管排放生产废水。");
  });
  await expect(insp.locator("#penalty-facts")).toContainText("已调查");

  // Prior notice of a 50,000 yuan fine, then the decision.
  await sup.reload();
  await confirm(sup, "处罚事先告知", async (p) => {
    await p.getByLabel("违法事实（必填）").fill("通过暗管排放生产废水。");
    await p.getByLabel("处罚依据（必填）").fill("《中华人民共和国水污染防治法》第八十三条");
    await p.getByLabel("罚款金额（元）").fill("50000");
  });
  await expect(sup.locator("#penalty-facts")).toContainText("已告知");
  await expect(sup.locator("#penalty-steps")).toContainText("拟处罚：罚款 50,000.00 元");

  await head.reload();
  await confirm(head, "作出处罚决定", (p) => p.getByLabel("罚款金额（元）").fill("50000"));
  await expect(head.locator("#penalty-facts")).toContainText("已作出处罚决定");
  const decided = (await call("demo-supervisor", "PenaltyService/GetPenaltyCase", { penaltyCaseId: penaltyId }, base)).penaltyCase;
  const documentNumber = decided.decisions[0].documentNumber as string;
  expect(documentNumber).toMatch(/^民环罚〔\d{4}〕\d+号$/);
  expect(decided.decisions[0].terms.fineFen).toBe("5000000");
  await expect(head.locator("#penalty-decisions")).toContainText(documentNumber);
  await expect(head.locator("#penalty-decisions")).toContainText("罚款 50,000.00 元");

  // Service, then an order to correct: a past deadline is refused with the
  // server's reason, a later one issued and served.
  await sup.reload();
  await confirm(sup, `送达 ${documentNumber}`);
  await expect(sup.locator("#penalty-facts")).toContainText("已送达");
  await sup.getByRole("button", { name: "责令改正", exact: true }).click();
  await sup.getByLabel("改正要求（必填）").fill("拆除暗管，恢复原状");
  await sup.getByLabel("改正期限（必填）").fill("2020-01-31");
  await sup.getByRole("dialog").getByRole("button", { name: "确认" }).click();
  await expect(sup.getByRole("dialog").getByRole("alert")).toHaveText(withRequestId("操作未执行：改正期限：须晚于现在，所填为 2020年1月31日 23:59"));
  const due = new Date(Date.now() + 10 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10);
  await sup.getByLabel("改正期限（必填）").fill(due);
  await sup.getByRole("dialog").getByRole("button", { name: "确认" }).click();
  await expect(sup.getByRole("dialog")).toHaveCount(0);
  await expect(sup.locator("#penalty-orders")).toContainText("已下达待送达");
  await confirm(sup, "送达责令改正 o-1");
  await expect(sup.locator("#penalty-orders")).toContainText("已送达待复查");

  // The payment and recheck clocks with the days left, counted here from the due instants.
  const served = (await call("demo-supervisor", "PenaltyService/GetPenaltyCase", { penaltyCaseId: penaltyId }, base)).penaltyCase;
  for (const kind of ["DEADLINE_KIND_PENALTY_PAYMENT", "DEADLINE_KIND_CORRECTION_RECHECK"]) {
    const clock = served.deadlines.find((d: any) => d.kind === kind && d.state === "DEADLINE_STATE_OPEN");
    expect(clock, kind).toBeTruthy();
    await expect(sup.locator("#penalty-clocks tr", { hasText: clockNames[kind] }).first()).toContainText(daysLeft(clock.dueAt));
  }
  // The record names who acted with their unit's name, not its id.
  await expect(sup.locator("#penalty-timeline .who").first()).toContainText("张掖市生态环境局民乐分局");
  await expect(sup.locator("#penalty-timeline")).not.toContainText("minle-eeb");
  expect(await seriousViolations(sup, "penalty page")).toEqual([]);
  await sup.screenshot({ path: `${shots}/console-penalty.png`, fullPage: true });

  // The recheck finds it corrected.
  await insp.reload();
  await confirm(insp, "复查 o-1", async (p) => {
    await p.getByLabel("共同执法人员（必填）").selectOption(second);
    await p.getByLabel("复查结果").selectOption("corrected");
    await p.getByLabel("复查情况（必填）").fill("暗管已拆除，未见排放。");
  });
  await expect(insp.locator("#penalty-orders")).toContainText("复查已改正");

  // The queue: the penalty case with its most pressing clock as the server listed it.
  await sup.goto(`${base}/console/penalties`);
  const listed = await call("demo-supervisor", "PenaltyService/ListPenaltyCases", { filter: { sourceCaseId: caseId } }, base);
  const pressing = listed.countdowns.find((c: any) => c.caseId === penaltyId);
  const row = sup.locator(`#penalty-table tr[data-penalty="${penaltyId}"]`);
  await expect(row).toContainText("已送达");
  await expect(row).toContainText(caseId);
  await expect(row).toContainText(`${clockNames[pressing.kind]}：截止 ${pressing.lastDay}`);
  await expect(row).toContainText(daysLeft(pressing.dueAt));
  expect(await seriousViolations(sup, "penalty queue")).toEqual([]);
  await sup.screenshot({ path: `${shots}/console-penalties.png`, fullPage: true });

  // The case page shows its penalty case, linking to it.
  await sup.goto(`${base}/console/cases/${caseId}`);
  await expect(sup.locator("#case-penalties")).toContainText(penaltyId);
  await sup.locator("#case-penalties").getByRole("link", { name: penaltyId }).click();
  await expect(sup).toHaveURL(new RegExp(`/console/penalties/${penaltyId}$`));
  expect([...supErrors, ...headErrors, ...inspErrors]).toEqual([]);
});

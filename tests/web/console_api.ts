// What the console specs need besides the browser: Connect JSON calls to
// the real rectify_web with a demo service token (config/principals.demo.
// textproto: demo-supervisor, demo-inspector, demo-rectifier, ...), so a
// spec can make cases and move them along the way another user would, and
// a fresh township region code per test so each test counts only its own
// cases in a store the whole run shares.
import type { Page } from "@playwright/test";

export const url = () => process.env.RECTIFY_WEB_URL as string;
export const PASSWORD = "rectify-demo-2026";

let next = 0;
export function commandId(): string {
  return `spec-${process.pid}-${Date.now()}-${++next}`;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

// POST /rectify.v1.<service>/<method> as `token` (to the run's gateway, or
// to `base`); the reply's JSON, or an ApiError with the server's code and
// message.
export async function call(token: string, method: string, body: object, base: string = url()): Promise<any> {
  const response = await fetch(`${base}/rectify.v1.${method}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "Connect-Protocol-Version": "1",
      Authorization: `Bearer ${token}`,
    },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as any;
  if (response.status !== 200) throw new ApiError(response.status, json.code, json.message);
  return json;
}

// A township code of Minle County (620722) no other test uses.
export function freshRegion(): string {
  return `620722${String(100 + Math.floor(Math.random() * 900))}`;
}

export async function reportCase(region: string, title: string, token = "demo-inspector", base: string = url()): Promise<string> {
  const reply = await call(token, "CaseService/ReportCase", {
    commandId: commandId(),
    title,
    category: "CATEGORY_WATER",
    severity: "SEVERITY_MEDIUM",
    source: "CASE_SOURCE_INSPECTION",
    location: { regionCode: region, address: "洪水镇 北滩村 砂石料场" },
    foundAt: new Date(Date.now() - 60_000).toISOString(),
  }, base);
  return reply.case.caseId as string;
}

export async function assign(caseId: string, unit: string, due: Date): Promise<void> {
  await call("demo-supervisor", "CaseService/AssignCase", {
    commandId: commandId(),
    caseId,
    responsibleUnit: unit,
    requirements: "限期清理",
    rectificationDueAt: due.toISOString(),
  });
}

// A case with a referral sent to the police (minle-psb, copy to
// minle-procuratorate), made through the API as the people of the path
// would: two inspectors propose, the head approves, the supervisor sends.
export async function sentReferral(title: string, region: string = freshRegion(), base: string = url()): Promise<{ caseId: string; referralId: string }> {
  const caseId = await reportCase(region, title, "demo-inspector", base);
  const referralId = await proposedReferral(caseId, base);
  await call("demo-bureau-head", "CaseService/ApproveReferral", { commandId: commandId(), caseId, referralId }, base);
  await call("demo-supervisor", "CaseService/SendReferral", { commandId: commandId(), caseId, referralId, policeUnit: "minle-psb", procuratorateUnit: "minle-procuratorate" }, base);
  return { caseId, referralId };
}

export async function logIn(page: Page, account: string, base: string = url()): Promise<void> {
  await page.goto(base + "/login");
  await page.getByLabel("账号").fill(account);
  await page.getByLabel("密码").fill(PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await page.locator("#who-name").waitFor();
}

// Script errors and CSP violations the page reports (the logged-out 401 of
// WhoAmI is how the app finds the login page, not an error).
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().includes("status of 401") && !m.text().includes("status of 400") && !m.text().includes("status of 403")) errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return errors;
}

// A referral of `caseId` proposed by the two demo inspectors (insp-zhang
// and insp-li), waiting for the head's approval; its id.
export async function proposedReferral(caseId: string, base: string = url()): Promise<string> {
  const proposed = await call("demo-inspector", "CaseService/ProposeReferral", {
    commandId: commandId(),
    caseId,
    suspectedOffence: "污染环境罪",
    report: "经两名执法人员调查，通过暗管排放含重金属废水，涉嫌污染环境罪。",
    proposingOfficers: ["insp-zhang", "insp-li"],
  }, base);
  return proposed.case.referrals[0].referralId as string;
}

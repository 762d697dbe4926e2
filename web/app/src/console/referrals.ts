// Referrals to the police (移送): for the bureau head those waiting for
// approval, for the supervisor those to send or follow, for the police
// their inbox, for the procuratorate every referral of the jurisdiction;
// each with its stage and its running clocks (the server's deadlines),
// overdue ones highlighted. The server lists the cases with a referral
// (CaseFilter.with_referrals, paged to the end); summaries carry no
// referrals, so the page reads each of them with GetCase; what a referral
// copy may show is decided by the server.
import { el } from "../dom";
import type { Case, Referral } from "../gen/rectify/v1/case_pb";
import type { DeadlineCountdown } from "../gen/rectify/v1/case_service_pb";
import { DeadlineKind, DeadlineState, ReferralState, Role } from "../gen/rectify/v1/common_pb";
import { cases } from "./clients";
import type { PageContext } from "./console";
import { debounced, onEvent } from "./live";
import { countdownText, deadlineKindNames, referralStateNames } from "./names";
import { refusalText } from "./refusal";
import { formatDue } from "../format";

// The most cases with referrals the page reads (each with GetCase), the
// page size it asks for, and the most pages it reads.
const MAX_CASES = 1000;
const PAGE_SIZE = 100;
const MAX_PAGES = 100;

function waitingFor(role: Role, r: Referral): boolean {
  switch (role) {
    case Role.BUREAU_HEAD:
      return r.state === ReferralState.PROPOSED;
    case Role.SUPERVISOR:
      return r.state === ReferralState.APPROVED || r.state === ReferralState.DECLINED || r.state === ReferralState.DECLINE_UPHELD;
    case Role.POLICE:
      return (
        r.state === ReferralState.SENT ||
        r.state === ReferralState.RECEIVED ||
        r.state === ReferralState.RECONSIDERATION_REQUESTED ||
        (r.state === ReferralState.SUPERVISION_REQUESTED && !r.nonFilingExplanation)
      );
    case Role.PROCURATOR:
      return r.state === ReferralState.SUPERVISION_REQUESTED;
    default:
      return false;
  }
}

// Each case of the caller's scope with a referral (CaseFilter.with_referrals,
// every page), with the server's countdowns of its running deadlines
// (GetCaseResponse.countdowns); `cut` when there were more than MAX_CASES.
async function casesWithReferrals(): Promise<{ found: { c: Case; countdowns: DeadlineCountdown[] }[]; cut: boolean }> {
  const ids: string[] = [];
  let pageToken = "";
  // The server scans a bounded round per page, so a page may be short (even
  // empty) with a token: pages are bounded too.
  for (let page = 0; page < MAX_PAGES && ids.length < MAX_CASES; page++) {
    const reply = await cases.listCases({ filter: { withReferrals: true }, pageSize: PAGE_SIZE, pageToken });
    ids.push(...reply.cases.map((c) => c.caseId));
    pageToken = reply.nextPageToken;
    if (pageToken === "") break;
  }
  const found: { c: Case; countdowns: DeadlineCountdown[] }[] = [];
  for (let i = 0; i < ids.length; i += 8) {
    const batch = await Promise.all(ids.slice(i, i + 8).map((caseId) => cases.getCase({ caseId })));
    for (const reply of batch) if (reply.case && reply.case.referrals.length > 0) found.push({ c: reply.case, countdowns: reply.countdowns });
  }
  return { found, cut: pageToken !== "" };
}

export function showReferrals(page: PageContext): void {
  const role = page.principal.role;
  const title = role === Role.POLICE ? "移送案件收件箱" : role === Role.PROCURATOR ? "移送监督" : role === Role.BUREAU_HEAD ? "移送审批" : "移送案件";
  const body = el("div", { id: "referrals" }, el("p", {}, "正在加载…"));
  page.view.append(el("h1", {}, title), body);
  const load = async () => {
    try {
      const { found, cut } = await casesWithReferrals();
      const rows: HTMLElement[] = [];
      for (const { c, countdowns } of found) {
        for (const r of c.referrals) {
          // The running clocks: open ones, and missed ones the police or the
          // bureau may still meet late (the server counts both).
          const open = c.deadlines.filter(
            (d) => d.referralId === r.referralId && (d.state === DeadlineState.OPEN || d.state === DeadlineState.MISSED),
          );
          const countdownOf = (id: string) => countdowns.find((x) => x.deadlineId === id);
          const late = (d: (typeof open)[number]) => d.state === DeadlineState.MISSED || countdownOf(d.deadlineId)?.overdue === true;
          const overdue = open.some(late);
          rows.push(
            el(
              "tr",
              { "data-referral": r.referralId, class: `${overdue ? "overdue" : ""} ${waitingFor(role, r) ? "waiting" : ""}` },
              el("td", {}, el("a", { href: `/console/cases/${encodeURIComponent(c.caseId)}` }, c.caseId)),
              el("td", {}, c.title),
              el("td", {}, r.suspectedOffence),
              el("td", {}, referralStateNames[r.state], waitingFor(role, r) ? el("span", { class: "badge" }, "待您办理") : ""),
              el(
                "td",
                {},
                ...open.map((d) =>
                  el(
                    "div",
                    { class: late(d) ? "clock overdue" : "clock", "data-deadline-kind": DeadlineKind[d.kind] },
                    `${deadlineKindNames[d.kind]}：${formatDue(d.dueAt)}${d.rule?.provisional ? "（暂定）" : ""}，${countdownText(countdownOf(d.deadlineId))}`,
                  ),
                ),
                overdue ? el("span", { class: "badge warn" }, "逾期") : "",
              ),
              el(
                "td",
                {},
                [
                  r.reconsiderationGrounds && `复议理由：${r.reconsiderationGrounds}`,
                  r.supervisionGrounds && `提请监督理由：${r.supervisionGrounds}`,
                  r.nonFilingExplanation && `公安不立案说明：${r.nonFilingExplanation}`,
                ]
                  .filter(Boolean)
                  .join("；") || "—",
              ),
            ),
          );
        }
      }
      body.replaceChildren(
        rows.length
          ? el(
              "table",
              { id: "referral-table" },
              el("thead", {}, el("tr", {}, ...["问题编号", "问题", "涉嫌", "阶段", "期限", "监督与说明"].map((h) => el("th", { scope: "col" }, h)))),
              el("tbody", {}, ...rows),
            )
          : el("p", { class: "muted" }, "暂无移送案件"),
      );
      if (cut) body.prepend(el("p", { class: "warn", role: "status" }, `仅显示前 ${found.length} 件有移送的案件，另有案件未列出`));
    } catch (e) {
      body.replaceChildren(el("p", { class: "error", role: "alert" }, refusalText(e)));
    }
  };
  page.onLeave(onEvent(debounced(() => void load(), 500)));
  void load();
}
